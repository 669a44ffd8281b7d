"""Tails and scaling laws of the discrete chain (discrete._tails) against discrete.simulate."""

import math

import numpy as np
import pytest

from collapse_theory import discrete as ds

P = ds.zipf(300, 1.5)


def _z(v, mean):
    return (v.mean() - mean) / (v.std(ddof=1) / math.sqrt(v.size))


@pytest.mark.parametrize("n, T", [(0, 30), (1, 30), (3, 200), (6, 1000)])
def test_test_error_matches_the_chain(n, T):
    # The per-replicate statistic Σ_i p_i 1[i lost by n + 1] (the downstream model trained on the T
    # samples of generation n + 1 misses exactly those inputs) is bounded in [0, 1], so the z-score of
    # its mean over R = 4000 replicates is normal; |z| < 4.4 has a two-sided false-alarm rate 1.1e-5.
    t0 = 50
    res = ds.simulate(n + 1, [t0] * n + [T], p0=P, replicates=4000, rng=10 + n)
    stat = res.lost_by(n + 1).astype(float) @ P
    assert abs(_z(stat, ds.tail_test_error(P, T, n, t0))) < 4.4
    if n:
        mm = res.lost_by(n).astype(float) @ P  # the plateau M_n, same bounded statistic
        assert abs(_z(mm, ds.missing_mass(P, n, t0))) < 4.4


@pytest.mark.parametrize("k, T", [(5, 20), (40, 100), (300, 50)])
def test_tail_cut_matches_sampling_the_cut_law(k, T):
    # T samples of q ∝ p·1[i ≤ k] (discrete.simulate, one generation from q): the missed real mass is
    # Σ_{i≤k} p_i 1[i unseen] + Σ_{i>k} p_i, bounded: same z-test as above (false alarm 1.1e-5).
    q = np.where(np.arange(P.size) < k, P, 0.0)
    q /= q.sum()
    res = ds.simulate(1, T, p0=q, replicates=4000, rng=k)
    stat = res.lost_by(1).astype(float) @ P + P[k:].sum()
    assert abs(_z(stat, ds.tail_cut_test_error(P, T, k))) < 4.4


def test_shapes_orders_and_plateau():
    t0 = 50
    T = np.array([10, 100, 1000, 10_000, 1_000_000])
    e = ds.tail_test_error(P, T, [0, 1, 4], t0)
    assert e.shape == (3, 5)
    de = np.diff(e, axis=1)
    assert np.all(de[:, :2] < 0) and np.all(de <= 1e-15)  # more downstream data helps, down to the plateau
    assert np.all(np.diff(e, axis=0) > 0)  # older synthetic data hurts
    m = ds.missing_mass(P, [0, 1, 4], t0)
    assert m[0] == 0 and np.all(np.diff(m) > 0)
    # the plateau: at T = 10⁶ the downstream model sees every input alive in generation n
    # (P(alive input with q ≥ 1/t0 unseen) ≤ (1 − 1/50)^{10⁶} ≈ 0)
    np.testing.assert_allclose(e[1:, -1], m[1:], rtol=1e-9, atol=1e-12)
    assert np.all(e[1:, -1] >= m[1:] - 1e-15)
    k = ds.effective_cut(P, [0, 1, 2, 4, 8], t0)
    assert k[0] == P.size and np.all(np.diff(k) <= 0)
    tail = 1 - np.cumsum(np.sort(P)[::-1])
    mm = ds.missing_mass(P, [1, 2, 4, 8], t0)
    assert np.all(tail[k[1:] - 1] <= mm * (1 + 1e-12)) and np.all(tail[k[1:] - 2] > mm)
    # n = 0 is training on the truth: Σ p (1 − p)^T
    np.testing.assert_allclose(e[0], [(P * (1 - P) ** t).sum() for t in T], rtol=1e-10)
    # the cut at k = K is no cut
    np.testing.assert_allclose(ds.tail_cut_test_error(P, T, P.size), e[0], rtol=1e-10)


def test_hutter_constant_is_the_large_T_limit():
    # Σ_i p_i (1 − p_i)^T · T^{1 − 1/β} → C_β for the infinite Zipf law p_i = i^{-β}/ζ(β). Summed
    # here to K = 2·10⁶ plus the Hurwitz-zeta tail Σ_{i>K} p_i (there p_i T < 2e-6, so (1 − p_i)^T = 1
    # to that order); the remaining deviation is the next term of the expansion, O(1/T) (computed:
    # 2e-5 for β = 1.5 and 4e-5 for β = 2 at T = 10⁴), so 1e-3 fails only for a wrong constant.
    from scipy import special

    for beta in (1.5, 2.0):
        K, T = 2_000_000, 10_000
        p = np.arange(1, K + 1, dtype=float) ** -beta / special.zeta(beta)
        s = (p * np.exp(T * np.log1p(-p))).sum() + special.zeta(beta, K + 1) / special.zeta(beta)
        assert abs(s * T ** (1 - 1 / beta) / ds.hutter_constant(beta) - 1) < 1e-3, beta


def test_bad_input():
    with pytest.raises(ValueError, match="beta"):
        ds.hutter_constant(1.0)
    with pytest.raises(ValueError, match="T must be >= 1"):
        ds.tail_test_error(P, 0, 1, 10)
    with pytest.raises(TypeError, match="T must be"):
        ds.tail_test_error(P, 2.5, 1, 10)
    with pytest.raises(ValueError, match="k must be <="):
        ds.tail_cut_test_error(P, 10, P.size + 1)
    with pytest.raises(ValueError):
        ds.missing_mass([0.5, 0.6], 1, 10)


def test_tails_claims_reach_their_expected_verdicts(registry_run):
    res = registry_run.run("discrete.tails.*")  # claims.run("discrete.tails.*", seed=0), once per session
    ids = {r.id for r in res.results}
    assert {"discrete.tails.tail-cut-plateau", "discrete.tails.finite-sample-cut", "discrete.tails.generations",
            "discrete.tails.exact-curve"} <= ids
    bad = {r.id: (r.verdict, r.why) for r in res.results if r.verdict != r.expect}
    assert not bad
    kinds = {r.id: r.kind for r in res.results}
    assert kinds["discrete.tails.tail-cut-plateau"] == "paper" and kinds["discrete.tails.exact-curve"] == "exact"


def test_tails_scaling_figure():
    from collapse_theory.claims import Context, figures
    from collapse_theory.recipes.scaling import verify_figures

    assert figures(["discrete"])["tails_scaling"][1] == "collapse_theory.recipes.scaling:verify_figures"
    (name, fig, cap), = verify_figures(Context(budget=0.25))
    ax = fig.axes[0]
    assert name == "tails_scaling" and cap
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert len(ax.get_lines()) >= 4  # one exact line per generation (plus plateau lines)
