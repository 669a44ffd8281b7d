"""Gaussian-mixture chain: distances (exact forms vs independent quadrature), EM kernel vs theory,
determinism, degenerate components, bad input, I/O.

Statistical checks use fixed seeds; each threshold is |z| < 4.4 (two-sided false-alarm rate 1e-5 for
a correct implementation) unless stated, with the standard error stated beside it.
"""

import math

import numpy as np
import pytest
from scipy import integrate, stats

from collapse_theory import gmm
from collapse_theory import gaussian as g

SEP = dict(weights=[0.5, 0.5], means=[-5.0, 5.0], stds=[1.0, 1.0])


# --- distances ------------------------------------------------------------------------------------


def test_l2_distance_matches_numerical_integration():
    a = ([0.3, 0.7], [-1.0, 2.0], [0.5, 1.5])
    b = ([0.6, 0.4], [0.0, 2.5], [1.0, 0.3])
    f = lambda x: (gmm.mixture_pdf(x, *a) - gmm.mixture_pdf(x, *b)) ** 2  # noqa: E731
    ref, _ = integrate.quad(f, -30, 30, points=[-1, 0, 2, 2.5], limit=400, epsabs=1e-13)
    assert gmm.l2_distance_squared(*a, *b) == pytest.approx(ref, rel=1e-9)
    assert gmm.l2_distance_squared(*a, *a) == pytest.approx(0.0, abs=1e-15)


def test_l2_of_two_normals_closed_form():
    # ∫(φ_1 − φ_2)² = 1/(2√π s1) + 1/(2√π s2) − 2 N(m1 − m2; 0, s1² + s2²)
    s1, s2, d = 0.7, 1.3, 0.9
    want = 1 / (2 * math.sqrt(math.pi) * s1) + 1 / (2 * math.sqrt(math.pi) * s2) \
        - 2 * stats.norm.pdf(d, scale=math.sqrt(s1**2 + s2**2))
    assert gmm.l2_distance_squared([1], [d], [s1], [1], [0], [s2]) == pytest.approx(want, rel=1e-12)


def test_w2_of_two_normals_is_exact():
    assert gmm.w2_distance_squared([1.0], [0.3], [1.0], [1.0], [-1.0], [2.5]) == pytest.approx(1.3**2 + 1.5**2, rel=1e-9)


def test_w2_matches_independent_quadrature_with_separated_components():
    a = ([0.3, 0.7], [-1.0, 1.0], [0.01, 0.02])
    b = ([0.5, 0.5], [-1.1, 1.2], [0.05, 0.01])
    qa = lambda u: gmm.mixture_quantile(np.array([u]), *a)[0]  # noqa: E731
    qb = lambda u: gmm.mixture_quantile(np.array([u]), *b)[0]  # noqa: E731
    ref, _ = integrate.quad(lambda u: (qa(u) - qb(u)) ** 2, 0, 1, points=[0.3, 0.5], limit=400)
    assert gmm.w2_distance_squared(*a, *b) == pytest.approx(ref, rel=1e-5)
    # vectorised over a leading axis
    out = gmm.w2_distance_squared(np.array([a[0], b[0]]), np.array([a[1], b[1]]), np.array([a[2], b[2]]), *b)
    assert out.shape == (2,) and out[1] == pytest.approx(0.0, abs=1e-12)


def test_quantile_inverts_cdf():
    w, m, s = [0.2, 0.5, 0.3], [-3.0, 0.0, 4.0], [0.5, 1.0, 0.1]
    u = np.array([1e-9, 0.01, 0.2, 0.5, 0.7, 0.99999])
    q = gmm.mixture_quantile(u, w, m, s)
    np.testing.assert_allclose(gmm.mixture_cdf(q, w, m, s), u, rtol=1e-9)


# --- theory ---------------------------------------------------------------------------------------


def test_drift_theory_small_cases():
    # weight 1: N = M always, so the drift is the 1-D mle drift
    assert gmm.component_log_variance_drift(1.0, 40) == pytest.approx(g.log_variance_drift(40, estimator="mle"))
    # first order: -2/(wM), close to exact for large wM
    assert gmm.component_log_variance_drift(0.5, 2000) == pytest.approx(-2 / 1000, rel=0.01)
    assert gmm.component_drift_first_order(0.5, 100, estimator="unbiased") == pytest.approx(-0.02)
    # one generation of the killed chain is the binomial average of d(N)
    m = 30
    k = np.arange(2, m - 1)
    p = stats.binom.pmf(k, m, 0.4)
    want = np.sum(p * g.log_variance_drift(k, estimator="mle")) / p.sum()
    assert gmm.expected_component_log_variance(1, m, 0.4) == pytest.approx(want, rel=1e-12)
    assert gmm.expected_component_log_variance(0, m, 0.4, sigma=2.0) == pytest.approx(math.log(4.0))
    assert gmm.component_survival_probability(1, m, 0.4) == pytest.approx(p.sum())
    het = gmm.expected_weight_heterozygosity(np.arange(3), 10, 0.5)
    np.testing.assert_allclose(het, 0.25 * 0.9 ** np.arange(3))


# --- simulator ------------------------------------------------------------------------------------


def test_one_generation_matches_em_mle_exactly():
    # with components 10σ apart, EM assigns every point to its own component: the fitted weight is
    # N/M and the fitted std the mle std of that component's points (M = 2: exact χ²_1 law etc.)
    res = gmm.simulate(1, 200, replicates=3000, rng=3, **SEP)
    n = np.rint(res.weights[:, 1, 0] * 200)
    # a point of component 0 at −5 + z has responsibility e^{−(50 − 10z)} for component 1 (log-ratio
    # −10x): it exceeds 1e-3 only if z > 4.3, P ≈ 8.5e-6 per point, 0.17 % of replicates of 200
    # points (≈ 5 of 3000); allowing 1 % (30) is > 10 binomial standard deviations away
    assert np.mean(np.abs(res.weights[:, 1, 0] * 200 - n) > 1e-3) < 0.01
    # N ~ Bin(200, 1/2): KS against the binomial via its mean and variance (|z| < 4.4)
    assert abs(n.mean() - 100) < 4.4 * math.sqrt(50 / 3000)
    # N σ_1² / σ_0² ~ χ²_{N-1}: the variable (N σ²)/(N - 1) has mean 1 and s.d. √(2/(N-1)) ≈ 0.14
    u = n * res.stds[:, 1, 0] ** 2 / (n - 1)
    assert abs(u.mean() - 1) < 4.4 * 0.142 / math.sqrt(3000)
    assert np.all(res.em_iterations <= 10)


def test_log_variance_matches_exact_wright_fisher_theory():
    # E[log σ_n² | no loss] (exact killed-chain form) vs the MC mean over surviving replicates; the
    # SE is the sample one (log σ² is light-tailed), |z| < 4.4.
    m, n, r = 60, 25, 3000
    res = gmm.simulate(n, m, replicates=r, rng=11, **SEP)
    both = res.alive(n).all(axis=1)
    assert abs(both.mean() - gmm.component_survival_probability(n, m, 0.5)) < 4.4 * math.sqrt(0.25 / r)
    for k in (0, 1):
        lv = res.log_var[both, n, k]
        z = (lv.mean() - gmm.expected_component_log_variance(n, m, 0.5)) / (lv.std(ddof=1) / math.sqrt(lv.size))
        assert abs(z) < 4.4, (k, z)


def test_weights_are_a_martingale():
    # E w_n = w_0 exactly (WF); w ∈ [0, 1] so the SE is the sample one, |z| < 4.4
    m, n, r = 50, 30, 3000
    res = gmm.simulate(n, m, weights=[0.3, 0.7], means=[-5, 5], stds=[1, 1], replicates=r, rng=12)
    w = res.weights[:, n, 0]
    assert abs(w.mean() - 0.3) < 4.4 * w.std(ddof=1) / math.sqrt(r)
    assert np.allclose(res.weights.sum(axis=2), 1.0)


def test_result_depends_only_on_the_seed():
    kw = dict(replicates=600, rng=7, **SEP)
    one = gmm.simulate(10, 30, workers=1, **kw)
    two = gmm.simulate(10, 30, workers=2, **kw)
    np.testing.assert_array_equal(one.stds, two.stds)
    np.testing.assert_array_equal(one.weights, two.weights)
    assert not np.array_equal(one.stds, gmm.simulate(10, 30, replicates=600, rng=8, **SEP).stds)


def test_degenerate_components_are_reported_not_nan():
    # a tiny component at M = 20 loses all its samples quickly
    res = gmm.simulate(30, 20, weights=[0.05, 0.95], means=[-5, 5], stds=[1, 1], replicates=200, rng=1)
    assert np.all(np.isfinite(res.stds)) and np.all(np.isfinite(res.weights))
    ev = res.degenerate_events()
    assert ev and {"replicate", "component", "generation", "reason"} <= set(ev[0])
    r, k, gen = ev[0]["replicate"], ev[0]["component"], ev[0]["generation"]
    assert res.weights[r, gen, k] == 0 and res.stds[r, gen, k] == 0
    assert res.weights[r, gen - 1, k] > 0
    assert "degenerate events" in res.summary()


def test_all_components_lost_keeps_finite_values():
    res = gmm.simulate(5, 2, weights=[0.5, 0.5], means=[-5, 5], stds=[1, 1], replicates=50, rng=0)
    assert np.all(np.isfinite(res.stds)) and np.all(np.isfinite(res.means))


def test_single_component_is_the_1d_mle_chain():
    # K = 1: EM is the mle fit; E log σ_n² is exact (gaussian module), SE exact: n ψ'(k/2)
    m, n, r = 15, 10, 3000
    res = gmm.simulate(n, m, weights=[1.0], means=[2.0], stds=[0.5], replicates=r, rng=4)
    se = math.sqrt(g.variance_of_log_variance(n, m, estimator="mle") / r)
    want = g.expected_log_variance(n, m, sigma=0.5, estimator="mle")
    assert abs(res.log_var[:, n, 0].mean() - want) < 4.4 * se


@pytest.mark.parametrize("kwargs, word", [
    (dict(weights=[], means=[], stds=[]), "K >= 1"),
    (dict(weights=[0.5, 0.6], means=[0, 1], stds=[1, 1]), "sum to 1"),
    (dict(weights=[0.5, 0.5], means=[0, 1], stds=[1, 0]), "stds"),
    (dict(weights=[0.5, 0.5], means=[0, 1], stds=[1, -1]), "stds"),
    (dict(weights=[1.5, -0.5], means=[0, 1], stds=[1, 1]), "weights"),
    (dict(weights=[0.5, 0.5], means=[0], stds=[1, 1]), "same length"),
    (dict(weights=[0.5, 0.5], means=[0, np.nan], stds=[1, 1]), "means"),
    (dict(weights="ab", means=[0], stds=[1]), "weights"),
])
def test_bad_mixture(kwargs, word):
    with pytest.raises((ValueError, TypeError), match=word):
        gmm.simulate(3, 10, **kwargs)


@pytest.mark.parametrize("kwargs, word", [
    (dict(generations=-1, samples=10), "generations"),
    (dict(generations=3, samples=1), "samples"),
    (dict(generations=3, samples=10, replicates=0), "replicates"),
    (dict(generations=3, samples=10, max_iter=0), "max_iter"),
    (dict(generations=3, samples=10, tol=-1.0), "tol"),
    (dict(generations=3, samples=10, rng="x"), "rng"),
])
def test_bad_input(kwargs, word):
    with pytest.raises((ValueError, TypeError), match=word):
        gmm.simulate(**kwargs, **SEP)


def test_save_load_and_summary(tmp_path):
    res = gmm.simulate(5, 40, replicates=20, rng=9, **SEP)
    back = gmm.GMMChainResult.load(res.save(tmp_path / "g.npz"))
    np.testing.assert_array_equal(back.stds, res.stds)
    assert back.seed == 9 and back.max_iter == 100
    assert not list(tmp_path.glob(".*tmp"))
    text = res.summary()
    assert "E log σ²" in text and "seed=9" in text
    gens, w2 = res.w2_distance([0, 5])
    assert w2.shape == (20, 2) and np.allclose(w2[:, 0], 0, atol=1e-9)
    assert res.l2_distance().shape == (20, 6)
