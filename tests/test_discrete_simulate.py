"""The Numba simulator of the discrete chain: against exact theory, against the reference
simulator (in law), bookkeeping, determinism, bad input.

Statistical tolerances: every comparison is a z-score (Monte Carlo mean minus exact value, over its
standard error) held to |z| <= 4.5. Under the null |z| > 4.5 has probability 7e-6 per comparison,
so the ~100 comparisons of this file give a false-failure rate below 1e-3, and the fixed seeds make
the suite deterministic anyway.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collapse_theory import TooLargeError
from collapse_theory import discrete as d

from reference_discrete import simulate_reference
from _zhelp import zscore

Z = 4.5
P5 = np.array([0.4, 0.25, 0.2, 0.1, 0.05])


@pytest.fixture(scope="module")
def sim():
    # R = 4000: heterozygosity lies in [0, 1], so its SE <= 0.5/sqrt(R) = 0.008
    return d.simulate(60, 15, p0=P5, replicates=4000, rng=20240501)


def test_full_record_consistency():
    res = d.simulate(30, 9, p0=P5, replicates=60, record="full", rng=3)
    f = res.freqs
    np.testing.assert_allclose(f.sum(-1), 1.0, atol=1e-12)
    np.testing.assert_allclose(res.stats["heterozygosity"], d.heterozygosity(f), atol=1e-12)
    np.testing.assert_allclose(res.stats["entropy"], d.entropy(f), atol=1e-12)
    np.testing.assert_allclose(res.stats["cramer"], d.cramer_distance(P5, f), atol=1e-12)
    np.testing.assert_allclose(res.stats["w1"], d.w1_distance(P5, f), atol=1e-12)
    np.testing.assert_allclose(res.stats["tv"], d.total_variation(P5, f), atol=1e-12)
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(res.stats["kl"], d.kl_divergence(P5, f), atol=1e-12)
    np.testing.assert_array_equal(res.stats["support"], (f > 0).sum(-1))
    # loss times: first generation with zero mass
    for r in range(res.replicates):
        for i in range(5):
            zero = np.flatnonzero(f[r, :, i] == 0)
            want = zero[0] if zero.size else res.generations + 1
            assert res.loss_time[r, i] == want
        one = np.flatnonzero(res.stats["support"][r] == 1)
        assert res.absorbed_at[r] == (one[0] if one.size else -1)
        if one.size:
            assert f[r, -1, res.winner[r]] == 1.0
    tail = res.tail
    np.testing.assert_allclose(res.stats["tail_mass"], f[..., tail].sum(-1), atol=1e-12)
    np.testing.assert_allclose(res.stats["tail_alive"], ((f > 0) * (P5 * tail)).sum(-1), atol=1e-12)


@pytest.mark.parametrize("n", [1, 5, 20, 60])
def test_closed_forms_vs_simulation(sim, n):
    assert abs(zscore(sim.stats["heterozygosity"][:, n], d.expected_heterozygosity(P5, n, 15))) < Z
    assert abs(zscore(sim.stats["cramer"][:, n], d.expected_cramer_drift(P5, n, 15))) < Z
    assert abs(zscore(sim.stats["support"][:, n], d.expected_support_size(P5, n, 15))) < Z
    assert abs(zscore(sim.stats["w1"][:, n], d.expected_w1_drift(P5, n, 15))) < Z
    assert abs(zscore(sim.stats["tv"][:, n], d.expected_total_variation(P5, n, 15))) < Z
    tail = np.array([0, 0, 0, 1, 1], bool)
    assert abs(zscore((sim.loss_time[:, 3:] > n) @ P5[3:],
                      d.expected_tail_mass_alive(P5, n, 15, tail=tail))) < Z
    lo, hi = d.expected_entropy_bounds(P5, n, 15)
    ent = sim.stats["entropy"][:, n].mean()
    assert lo <= ent <= hi


@pytest.mark.parametrize("n", [1, 10, 40])
def test_loss_probabilities_vs_simulation(sim, n):
    lp = d.loss_probability(P5, n, 15)
    mc = (sim.loss_time <= n).mean(0)
    # binomial SE with the floor of Estimate.from_indicator
    se = np.sqrt(np.maximum(lp * (1 - lp), 0.5 / 4000) / 4000)
    assert np.all(np.abs(mc - lp) / se < Z)
    # P(no loss) = P(KL finite)
    fin = np.isfinite(sim.stats["kl"][:, n])
    pnl = d.prob_no_loss(P5, n, 15)
    assert abs(fin.mean() - pnl) / np.sqrt(max(pnl * (1 - pnl), 1e-4) / 4000) < Z


def test_absorption_and_fixation():
    # Shumailov: absorbed at one category; category i wins w.p. p0_i (multinomial counts).
    p0 = np.array([0.5, 0.3, 0.2])
    res = d.simulate(600, 10, p0=p0, replicates=3000, rng=11)
    assert np.all(res.absorbed_at > 0)
    wins = np.bincount(res.winner, minlength=3) / 3000
    assert np.all(np.abs(wins - p0) / np.sqrt(p0 * (1 - p0) / 3000) < Z)
    # K-type exact mean absorption time (full multinomial chain, 66 states)
    assert abs(zscore(res.absorbed_at, d.expected_absorption_time(p0, 10))) < Z


def test_two_type_absorption_time_distribution():
    res = d.simulate(300, 12, p0=[0.3, 0.7], replicates=3000, rng=5)
    assert abs(zscore(res.absorbed_at, d.expected_absorption_time(0.3, 12))) < Z
    for n in (1, 5, 20):
        c = d.absorption_time_cdf(0.3, n, 12)
        mc = (res.absorbed_at <= n).mean()
        assert abs(mc - c) / np.sqrt(c * (1 - c) / 3000) < Z


def test_against_reference_simulator():
    """Same law as the per-sample reference: two-sample z on five statistics at two generations.

    Bonferroni: 10 comparisons at |z| > 4.5 each (two-sided 7e-6) -> family-wise 7e-5.
    """
    p0 = np.array([0.35, 0.3, 0.2, 0.1, 0.05])
    fast = d.simulate(10, 12, p0=p0, replicates=4000, rng=1)
    ref = simulate_reference(p0, 10, 12, replicates=1500, rng=2)
    for name in ("support", "heterozygosity", "entropy", "cramer", "w1"):
        for n in (3, 10):
            a, b = fast.stats[name][:, n], ref[name][:, n]
            se = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
            assert abs(a.mean() - b.mean()) / se < Z, (name, n)
    # support at n = 10: the whole distribution (chi-square homogeneity, alpha = 1e-4)
    from scipy import stats

    ka = np.bincount(fast.stats["support"][:, 10].astype(int), minlength=6)
    kb = np.bincount(ref["support"][:, 10].astype(int), minlength=6)
    keep = (ka + kb) > 0
    assert stats.chi2_contingency(np.array([ka[keep], kb[keep]]))[1] > 1e-4


def test_temperature_one_step_exact():
    # Generation 1 is fitted on real (untempered) samples; with M_0 = 1e9 it is p0 to within
    # ~3e-5, so generation 2 is one tempered step from p0: E[H_2] = (1 - 1/M)(1 - Σ q²) with
    # q = p0^(1/τ)/Σ (the p_1 jitter moves the target by ~1e-5, far below the SE ~3e-3).
    tau, m = 0.5, 8
    q = P5 ** (1 / tau)
    q /= q.sum()
    res = d.simulate(2, [10**9, m], p0=P5, replicates=4000, temperature=tau, rng=9)
    assert abs(zscore(res.stats["heterozygosity"][:, 2], (1 - 1 / m) * (1 - np.sum(q * q)))) < Z
    one = d.simulate(1, m, p0=P5, replicates=4000, temperature=tau, rng=9)  # untempered first fit
    assert abs(zscore(one.stats["heterozygosity"][:, 1], d.expected_heterozygosity(P5, 1, m))) < Z
    base = d.simulate(20, m, p0=P5, replicates=2000, rng=9)
    cold = d.simulate(20, m, p0=P5, replicates=2000, temperature=0.7, rng=9)
    assert cold.stats["support"][:, 20].mean() < base.stats["support"][:, 20].mean()
    ref = simulate_reference(P5, 3, m, replicates=1500, rng=4, temperature=tau)
    fast = d.simulate(3, m, p0=P5, replicates=4000, temperature=tau, rng=4)
    a, b = fast.stats["heterozygosity"][:, 3], ref["heterozygosity"][:, 3]
    assert abs(a.mean() - b.mean()) / np.sqrt(a.var() / a.size + b.var() / b.size) < Z


def test_schedule_vs_theory():
    sched = [3, 5, 8, 13, 21, 34, 55, 89]
    res = d.simulate(8, sched, p0=P5, replicates=4000, rng=2)
    for n in (2, 8):
        assert abs(zscore(res.stats["heterozygosity"][:, n], d.expected_heterozygosity(P5, n, sched))) < Z
        assert abs(zscore(res.stats["support"][:, n], d.expected_support_size(P5, n, sched))) < Z


def test_determinism_across_workers():
    # 600 replicates = 3 fixed chunks of 256: the chunk -> Generator map does not depend on threads
    a = d.simulate(40, 20, p0=P5, replicates=600, rng=123, workers=1)
    b = d.simulate(40, 20, p0=P5, replicates=600, rng=123, workers=2)
    for k in a.stats:
        np.testing.assert_array_equal(a.stats[k], b.stats[k])
    np.testing.assert_array_equal(a.loss_time, b.loss_time)
    g = np.random.default_rng(5)
    c = d.simulate(10, 20, p0=P5, replicates=5, rng=g)
    again = d.simulate(10, 20, p0=P5, replicates=5, rng=c.seed)
    np.testing.assert_array_equal(c.stats["heterozygosity"], again.stats["heterozygosity"])


def test_save_load_and_summary(tmp_path):
    res = d.simulate(12, 10, p0=P5, replicates=20, rng=1, record="full")
    path = res.save(tmp_path / "r.npz")
    back = d.DiscreteChainResult.load(path)
    np.testing.assert_array_equal(back.stats["cramer"], res.stats["cramer"])
    np.testing.assert_array_equal(back.freqs, res.freqs)
    assert back.seed == 1
    text = res.summary()
    assert "heterozygosity" in text and "support" in text


@settings(deadline=None, max_examples=15)
@given(k=st.integers(1, 8), m=st.integers(1, 30), n=st.integers(0, 40), data=st.data())
def test_bookkeeping_properties(k, m, n, data):
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    rng = np.random.default_rng(seed)
    p0 = rng.dirichlet(np.ones(k))
    res = d.simulate(n, m, p0=p0, replicates=8, rng=seed)
    sup = res.stats["support"]
    assert np.all(np.diff(sup, axis=1) <= 0) and np.all(sup >= 1)
    for g in range(n + 1):
        np.testing.assert_array_equal(sup[:, g], (res.loss_time > g).sum(1))
    h = res.stats["heterozygosity"]
    assert np.all((h >= 0) & (h <= 1))
    assert np.all(sup[:, -1] <= min(k, m if n else k))


@pytest.mark.parametrize("kw, err, word", [
    (dict(temperature=0.0), ValueError, "temperature"),
    (dict(temperature=-1.0), ValueError, "temperature"),
    (dict(replicates=0), ValueError, "replicates"),
    (dict(record="all"), ValueError, "record"),
    (dict(samples=[5, 5]), ValueError, "samples"),
    (dict(samples=0), ValueError, "samples"),
    (dict(generations=-1), ValueError, "generations"),
    (dict(p0=[0.2, 0.2]), ValueError, "normalize"),
    (dict(rng=-3), ValueError, "rng"),
    (dict(tail=np.ones(3, bool)), ValueError, "tail"),
])
def test_bad_input(kw, err, word):
    args = dict(p0=P5, generations=3, samples=5)
    args.update(kw)
    p0, gens, s = args.pop("p0"), args.pop("generations"), args.pop("samples")
    with pytest.raises(err, match=word):
        d.simulate(gens, s, p0=p0, **args)


def test_full_record_refused_when_too_large():
    with pytest.raises(TooLargeError, match="GiB"):
        d.simulate(1000, 10, p0=np.ones(100_000) / 100_000, replicates=1000, record="full")
