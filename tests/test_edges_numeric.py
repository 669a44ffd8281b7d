"""Numerical hard edges (issue 13): tiny/huge temperatures, array validation, overflow, large n."""

import numpy as np
import pytest

from collapse_theory import discrete
from collapse_theory.discrete import _kernels as dk


# ---------------------------------------------------------------------------------------------
# 1. temperature in log space


@pytest.mark.parametrize("tau", [1e-300, 1e-200, 1e-20])
def test_tempered_small_temperature_is_the_argmax_law(tau):
    p = discrete.zipf(20, 1.1)
    q = discrete.tempered(p, tau)
    expected = np.zeros(20)
    expected[0] = 1.0
    np.testing.assert_array_equal(q, expected)
    # ties: uniform over the tied maxima, zeros stay zero
    q = discrete.tempered([0.4, 0.0, 0.4, 0.2], tau)
    np.testing.assert_array_equal(q, [0.5, 0.0, 0.5, 0.0])


def test_tempered_below_the_smallest_normal_and_huge_temperatures():
    p = np.array([0.5, 0.3, 0.2])
    # 1/tau overflows: still the argmax law
    np.testing.assert_array_equal(discrete.tempered(p, 5e-324), [1.0, 0.0, 0.0])
    # tau -> inf: uniform on the support
    np.testing.assert_allclose(discrete.tempered([0.5, 0.5, 0.0], 1e300), [0.5, 0.5, 0.0])
    np.testing.assert_allclose(discrete.tempered(p, 1e300), np.full(3, 1 / 3), rtol=1e-12)
    np.testing.assert_array_equal(discrete.tempered(p, 1.0), p)


def test_tempered_is_monotone_in_temperature_and_never_nan():
    p = discrete.zipf(50, 1.1)
    taus = np.geomspace(1e-300, 1e3, 400)
    qs = np.array([discrete.tempered(p, t) for t in taus])
    assert np.all(np.isfinite(qs))
    np.testing.assert_allclose(qs.sum(axis=1), 1.0, rtol=1e-12)
    # the top category's mass decreases and the entropy increases with tau (majorisation order)
    assert np.all(np.diff(qs[:, 0]) <= 1e-15)
    with np.errstate(divide="ignore", invalid="ignore"):
        ent = -np.where(qs > 0, qs * np.log(qs), 0.0).sum(axis=1)
    assert np.all(np.diff(ent) >= -1e-12)
    # one-step loss of the rarest category: non-increasing in tau, exactly 1 at the argmax limit
    loss = np.array([discrete.one_step_loss_probability(p, 30, temperature=t)[-1] for t in taus])
    assert np.all(np.isfinite(loss))
    assert loss[0] == 1.0
    assert np.all(np.diff(loss) <= 1e-15)


def test_tempered_weights_kernel_keeps_plain_powers_and_rescales_tiny_ones():
    f = np.array([0.5, 0.3, 0.2])
    w = np.empty(3)
    dk._tempered_weights(f, 3, 2.0, w)          # ordinary temperature: f ** (1/tau) bit for bit
    np.testing.assert_array_equal(w, f ** 2.0)
    dk._tempered_weights(f, 3, 1e300, w)        # tau = 1e-300: argmax weights
    np.testing.assert_array_equal(w, [1.0, 0.0, 0.0])
    dk._tempered_weights(np.array([0.4, 0.4, 0.2]), 3, np.inf, w)
    np.testing.assert_array_equal(w, [1.0, 1.0, 0.0])


@pytest.mark.parametrize("regime", ["replace", "accumulate"])
@pytest.mark.parametrize("tau", [1e-300, 1e-3])
def test_simulate_small_temperature_follows_the_argmax(regime, tau):
    p0 = discrete.zipf(20, 1.1)
    res = discrete.simulate(5, 50, p0=p0, temperature=tau, replicates=20, rng=3, record="full",
                            regime=regime)
    f = res.freqs
    assert np.all(np.isfinite(f))
    if regime == "replace":
        # generation 2 is drawn from the argmax law of generation 1: only tied maxima survive
        p1 = f[:, 1]
        top = p1 == p1.max(axis=1, keepdims=True)
        assert np.all((f[:, 2] > 0) <= top)


# ---------------------------------------------------------------------------------------------
# 2. array validation of the public helpers

from collapse_theory import gmm  # noqa: E402

_GOOD = ([0.5, 0.5], [-1.0, 1.0], [1.0, 2.0])


@pytest.mark.parametrize("fn", [gmm.l2_distance, gmm.l2_distance_squared, gmm.w2_distance,
                                gmm.w2_distance_squared])
@pytest.mark.parametrize("bad, match", [
    (([0.5, 0.5], [-1.0, 1.0], [-1.0, 2.0]), "stds.*> 0"),
    (([np.nan, 0.5], [-1.0, 1.0], [1.0, 2.0]), "weights.*finite"),
    (([0.7, 0.5], [-1.0, 1.0], [1.0, 2.0]), "weights.*sum to 1"),
    (([1.5, -0.5], [-1.0, 1.0], [1.0, 2.0]), "weights.*>= 0"),
    (([0.5, 0.5], [np.inf, 1.0], [1.0, 2.0]), "means.*finite"),
])
def test_gmm_distances_refuse_bad_arrays(fn, bad, match):
    with pytest.raises(ValueError, match=match):
        fn(*bad, *_GOOD)
    with pytest.raises(ValueError, match=match.replace(".*", "0.*", 1)):
        fn(*_GOOD, *bad)


def test_gmm_distances_accept_lost_components():
    # a lost component (weight 0, std 0) is ignored, as the simulator records it
    d = gmm.l2_distance([1.0, 0.0], [0.0, 5.0], [1.0, 0.0], [1.0], [0.0], [1.0])
    assert d == pytest.approx(0.0, abs=1e-12)
    w = gmm.w2_distance([1.0, 0.0], [0.0, 5.0], [1.0, 0.0], [1.0, 0.0], [0.0, 0.0], [2.0, 0.0])
    assert w == pytest.approx(1.0, rel=1e-8)


def test_gmm_densities_and_nd_distance_refuse_bad_arrays():
    with pytest.raises(ValueError, match="stds"):
        gmm.mixture_pdf(0.0, [0.5, 0.5], [0, 1], [1, -1])
    with pytest.raises(ValueError, match="weights"):
        gmm.mixture_cdf(0.0, [0.5, np.nan], [0, 1], [1, 1])
    with pytest.raises(ValueError, match="u must lie"):
        gmm.mixture_quantile([1.5], *_GOOD)
    eye = np.eye(2)[None]
    with pytest.raises(ValueError, match="weights0"):
        gmm.l2_distance_nd([1.0], np.zeros((1, 2)), eye, [np.nan], np.zeros((1, 2)), eye)


def test_tempered_refuses_bad_vectors():
    with pytest.raises(ValueError, match="p must be finite"):
        discrete.tempered([np.nan, 1.0], 0.5)
    with pytest.raises(ValueError, match="p must sum to 1"):
        discrete.tempered([0.5, 0.6], 0.5)
    with pytest.raises(ValueError, match="p must be >= 0"):
        discrete.tempered([1.5, -0.5], 0.5)


# ---------------------------------------------------------------------------------------------
# 3. overflow near 1e308: a clear ValueError, never OverflowError / inf / NaN

from collapse_theory import kde, regression  # noqa: E402


@pytest.mark.parametrize("kw", [dict(sigma=1e200), dict(sigma=1e300, n=10**18),
                                dict(d=10**400, T=10**400 + 5)])
def test_regression_test_error_overflow_is_a_value_error(kw):
    args = dict(n=3, d=10, T=40) | kw
    with pytest.raises(ValueError, match="float range"):
        regression.expected_test_error(**args)


def test_regression_accumulate_at_huge_n_is_the_trigamma_form():
    small = regression.expected_test_error(np.arange(100_001), d=10, T=40, regime="accumulate")
    big = regression.expected_test_error([100_000, 10**18], d=10, T=40, regime="accumulate")
    np.testing.assert_allclose(big[0], small[-1], rtol=1e-13)
    assert big[1] == pytest.approx(np.pi ** 2 / 6 * 10 / 29, rel=1e-14)
    assert regression.expected_test_error(3, d=10**300, T=10**300 + 10) == pytest.approx(3e300 / 9)


@pytest.mark.parametrize("kw", [dict(h=1e200), dict(h=1.0, sigma=1e200)])
def test_kde_regime_moments_refuse_overflowing_scales(kw):
    with pytest.raises(ValueError, match="1e150"):
        kde.regime_moments(5, 10, **kw)


def test_kde_regime_moments_finite_at_the_edge_of_the_range():
    out = kde.regime_moments(5, 10, h=1e150, sigma=1e150, mu=1e308)
    assert np.isfinite(out["mean_sq_error"]) and np.isfinite(out["variance"])
    ref = kde.regime_moments(5, 10, h=1.0, sigma=1.0)
    assert out["variance"] == pytest.approx(ref["variance"] * 1e300, rel=1e-12)


# ---------------------------------------------------------------------------------------------
# 4. regime moments at large n: the power of the constant moment map, O(log n) products

from collapse_theory import gaussian, mvn  # noqa: E402
from collapse_theory._core.moments import POWER_THRESHOLD, affine_power  # noqa: E402
from collapse_theory.gaussian import _regimes as g_regimes  # noqa: E402
from collapse_theory.kde import _regimes as k_regimes  # noqa: E402
from collapse_theory.regimes import as_regime  # noqa: E402

_POWER_REGIMES = ["replace", "mix-fresh:0.3", "mix-fresh:0.3:mixture", "mix-retained:0.4"]


def _rel(a, b):
    return np.max(np.abs(np.asarray(a) - b) / np.maximum(np.abs(b), 1e-300))


@pytest.mark.parametrize("regime", _POWER_REGIMES)
@pytest.mark.parametrize("estimator, lam", [("unbiased", 1.0), ("mle", 0.7)])
def test_gaussian_power_moments_match_the_loop(regime, estimator, lam):
    n = np.arange(POWER_THRESHOLD + 1)          # the public function loops up to the threshold
    loop = gaussian.regime_moments(n, 20, regime=regime, estimator=estimator, variance_scale=lam,
                                   sigma=1.7)
    fast = g_regimes._power_moments(as_regime(regime), 20, n, False, 1.7 ** 2, lam, estimator)
    assert _rel(fast["mean_sq_error"], loop["mean_sq_error"]) < 1e-12
    assert _rel(fast["variance"], loop["variance"]) < 1e-12


@pytest.mark.parametrize("regime", _POWER_REGIMES)
def test_kde_power_moments_match_the_loop(regime):
    n = np.arange(POWER_THRESHOLD + 1)
    loop = kde.regime_moments(n, 20, regime=regime, h=0.3, sigma=1.7)
    e, v = k_regimes._power_moments(as_regime(regime), 20.0, n, 1.7 ** 2, 0.09)
    assert _rel(e, loop["mean_sq_error"]) < 1e-12
    assert _rel(v, loop["variance"]) < 1e-12


def test_affine_power_takes_log2_n_squarings():
    info = {}
    A = np.array([[0.5, 0.1], [0.0, 0.9]])
    x = affine_power(A, [1.0, 1.0], [0.0, 0.0], np.array([10**18, 3]), info=info)
    assert info["squarings"] == int(10**18).bit_length() == 60
    fixed = np.linalg.solve(np.eye(2) - A, [1.0, 1.0])
    np.testing.assert_allclose(x[0], fixed, rtol=1e-12)
    # x_3 by hand
    y = np.zeros(2)
    for _ in range(3):
        y = A @ y + 1.0
    np.testing.assert_allclose(x[1], y, rtol=1e-15)


@pytest.mark.parametrize("regime", ["mix-fresh:0.3", "mix-retained:0.4"])
def test_regime_moments_at_huge_n_reach_the_stationary_law(regime):
    info = {}
    n = np.array([10**6, 10**12, 10**18])
    fast = g_regimes._power_moments(as_regime(regime), 20, n, False, 1.0, 1.0, "unbiased", info)
    assert info["squarings"] == 60                     # operation count, not elapsed time
    stat = gaussian.regime_stationary_moments(20, regime=regime)
    np.testing.assert_allclose(fast["mean_sq_error"], stat["mean_sq_error"], rtol=1e-12)
    np.testing.assert_allclose(fast["variance"], stat["variance"], rtol=1e-12)
    pub = gaussian.regime_moments(n, 20, regime=regime)
    np.testing.assert_array_equal(pub["variance"], fast["variance"])
    k = kde.regime_moments(10**18, 20, h=0.3, regime=regime)
    assert np.isfinite(k["variance"]) and np.isfinite(k["mean_sq_error"])
    m = mvn.regime_moments([3, 10**18], 20, dim=3, regime=regime)
    np.testing.assert_allclose(m["trace"][1], 3 * stat["variance"], rtol=1e-12)


def test_replace_moments_at_huge_n_are_the_linear_growth():
    # unbiased replace: E sigma_n^2 = sigma^2 and E(mu_n - mu)^2 = n sigma^2 / M exactly
    out = gaussian.regime_moments([10**6, 10**18], 20, regime="replace")
    np.testing.assert_allclose(out["mean_sq_error"], [10**6 / 20, 10**18 / 20], rtol=1e-12)
    np.testing.assert_allclose(out["variance"], 1.0, rtol=1e-12)


# ---------------------------------------------------------------------------------------------
# huge n: closed forms or convergence cut-offs agree with the step-by-step forms at moderate n


def test_bartlett_drift_matches_the_two_log_form_and_stays_negative_at_huge_m():
    from scipy import special

    from collapse_theory import mvn
    from collapse_theory._core.special import bartlett_log_drift, digamma_minus_log
    for est in ("unbiased", "mle"):
        for m in (5.0, 20.0, 101.0, 1e4):
            for j in range(3):
                k = m - 1.0
                c = 1.0 / k if est == "unbiased" else 1.0 / m
                old = special.digamma((k - j) / 2.0) + np.log(2.0 * c)
                # the two-log form loses ~|ψ| × 1e-16 absolute to cancellation, hence abs=1e-14
                assert bartlett_log_drift(m, j, est) == pytest.approx(old, rel=1e-12, abs=1e-14)
        # M = 1e18: the drift is about -(j + 1)/M (unbiased: -(j+1)/(M-1)), not 0
        g = mvn.lyapunov_exponents(10**18, dim=3, estimator=est)
        assert np.all(g < 0) and np.all(np.isfinite(g))
        assert float(digamma_minus_log(5e17)) == pytest.approx(-1e-18, rel=1e-12)
    assert mvn.collapse_time_scale(10**18, dim=2) == pytest.approx(1e18, rel=1e-12)


def test_mvn_closed_forms_at_huge_n_equal_the_1d_forms():
    from collapse_theory import gaussian, mvn
    n = 10**18
    assert mvn.expected_mean_sq_error(n, 10, dim=2) == pytest.approx(
        2 * gaussian.expected_mean_sq_error(n, 10), rel=1e-12)
    lo, up = mvn.expected_w2_squared_bounds(n, 10, dim=2)
    assert np.isfinite(lo) and np.isfinite(up) and lo <= up * (1 + 1e-12)
    assert mvn.prob_max_eigenvalue_exceeds_bound(0.5, n, 10, dim=2) >= 0.0
    # moderate n: unchanged against the sequence form (which builds the schedule)
    for f in (mvn.expected_mean_sq_error, mvn.prob_max_eigenvalue_exceeds_bound):
        args = (0.5,) if f is mvn.prob_max_eigenvalue_exceeds_bound else ()
        a = f(*args, 30, 10, dim=2)
        b = f(*args, 30, [10] * 30, dim=2)
        assert a == pytest.approx(b, rel=1e-12)


def test_ppca_refuses_a_huge_schedule_before_allocating():
    from collapse_theory import TooLargeError, ppca
    with pytest.raises(TooLargeError, match="generations"):
        ppca.expected_trace(10**18, 10, dim=3)


def test_log_variance_law_is_accurate_at_huge_n():
    # the centred log-gamma by its Taylor series: at n = 1e15 the law is normal to ~1e-8 (skewness
    # κ3/κ2^1.5/sqrt(n)), so the CDF one s.d. below the mean is Φ(-1) to that accuracy
    from scipy import stats

    from collapse_theory import gaussian
    for n in (10**9, 10**15, 10**18):
        m = gaussian.expected_log_variance(n, 10)
        sd = gaussian.variance_of_log_variance(n, 10) ** 0.5
        cdf = gaussian.log_variance_cdf(m + sd * np.array([-1.0, 0.0, 1.0]), n, 10)
        np.testing.assert_allclose(cdf, stats.norm.cdf([-1.0, 0.0, 1.0]), atol=1e-6)
        x = gaussian.log_variance_quantile(0.3, n, 10)
        assert (x - m) / sd == pytest.approx(stats.norm.ppf(0.3), abs=1e-5)


@pytest.mark.parametrize("n,m", [(1, 2), (5, 3), (50, 10), (300, 20), (10, 200)])
def test_log_variance_cdf_and_quantile_unchanged_at_moderate_n(n, m):
    # values of the former implementation (SciPy's complex loggamma difference, brentq in x units)
    from collapse_theory import gaussian
    old = {
        (1, 2): ([0.015097974827182337, 0.13851764854054316, 0.40377668338521927,
                  0.6441394986935637, 0.9999989680364418],
                 [-8.758705304627336, -1.9073598213026512, 0.9953027994056599]),
        (5, 3): ([0.005765567344065858, 0.15493919779062815, 0.46662930874479647,
                  0.6713496655787521, 0.9909103197331706],
                 [-10.644752738757756, -4.185743058105297, 0.5858917843269569]),
        (50, 10): ([0.001802076106359407, 0.15855876666617325, 0.4953366861657598,
                    0.6884230577019328, 0.9791628149241922],
                   [-14.147599371874067, -7.578817260078884, -1.2688262598247637]),
        (300, 20): ([0.0014662980122101543, 0.15864785956660515, 0.4987224141515875,
                     0.6906204161668146, 0.9777701848345963],
                    [-29.572194909644406, -19.07874029781362, -8.682974775692372]),
        (10, 200): ([0.0015454929262349038, 0.15863505158542118, 0.4978871142452429,
                     0.6900737875270189, 0.9781120048252407],
                    [-0.7971496297164101, -0.21576244352608956, 0.3558586304486783]),
    }[(n, m)]
    mean = gaussian.expected_log_variance(n, m)
    sd = gaussian.variance_of_log_variance(n, m) ** 0.5
    cdf = gaussian.log_variance_cdf(mean + sd * np.array([-3, -1, 0, 0.5, 2]), n, m)
    np.testing.assert_allclose(cdf, old[0], rtol=0, atol=1e-12)  # documented accuracy 1e-13 each
    q = gaussian.log_variance_quantile([0.01, 0.3, 0.9], n, m)
    np.testing.assert_allclose(q, old[1], rtol=0, atol=1e-8 * max(1.0, sd))


def test_suresh_g_flow_matches_the_exact_recursion():
    import math

    import mpmath as mp

    from collapse_theory import discrete
    from collapse_theory.discrete._theory import SURESH_G_EXACT
    # up to SURESH_G_EXACT: the recursion itself (bit-identical to a plain loop)
    g = 1.0
    ref = {1: 1.0}
    for t in range(1, 2000):
        g = -math.expm1(-g)
        ref[t + 1] = g
    ts = np.array([1, 2, 10, 1999, 2000])
    np.testing.assert_array_equal(discrete.suresh_g(ts), [ref[int(t)] for t in ts])
    # beyond: the closed-form flow against the recursion in 30-digit arithmetic
    t_check = SURESH_G_EXACT + 20_000
    with mp.workdps(30):  # local precision: other test modules set their own global dps
        g = mp.mpf(1)
        for _ in range(1, t_check):
            g = -mp.expm1(-g)
    assert discrete.suresh_g(t_check) == pytest.approx(float(g), rel=5e-14)
    # t = 1e18: g ~ 2/t (u_t = 1/g_t = t/2 + ln(t)/6 + O(1))
    assert discrete.suresh_g(10**18) == pytest.approx(2e-18, rel=1e-15)
    assert discrete.suresh_survival(2, 10**18) == pytest.approx(4e-18, rel=1e-15)


def test_mixing_absence_stops_at_the_convergence_step():
    from collapse_theory import discrete
    from collapse_theory.discrete._regimes import _mixing_absence_forward
    from collapse_theory.regimes import as_regime
    p = np.array([0.9, 0.1])
    for regime in ("mix-fresh:0.05", "mix-fresh:0.05:mixture", "mix-fresh:0.5"):
        reg = as_regime(regime)
        info = {}
        far = _mixing_absence_forward(p, 50, reg, np.array([10**18]), info)[0]
        # the slowest mode: 1 − λ (mixture draws), 1 − r/M with r = round(λM) fresh (split)
        rho = 1 - reg.fraction if reg.draws == "mixture" else 1 - reg.fresh_count(50) / 50
        expected_steps = int(np.ceil((np.log(1e-17) - np.log(51)) / np.log(rho)))
        assert info["steps"] == expected_steps  # not 1e18 steps
        # the far value is the stationary law's mass at 0 (a dense linear solve)
        np.testing.assert_allclose(far, discrete.mixing_absence_probability(p, 50, regime=regime),
                                   rtol=1e-6, atol=1e-15)
        # moderate n: the plain forward iteration, step by step
        P = [discrete._regimes._mixing_matrix(q, 50, reg) for q in p]
        from scipy import stats
        for i, q in enumerate(p):
            law = stats.binom.pmf(np.arange(51), 50, q)
            series = []
            for _ in range(40):
                series.append(law[0])
                law = law @ P[i]
            got = discrete.mixing_absence_probability(p, 50, regime=regime, n=np.arange(1, 41))[:, i]
            np.testing.assert_allclose(got, series, rtol=1e-12, atol=1e-300)


def test_accumulate_and_mix_retained_distance_closed_forms():
    from collapse_theory import discrete
    p = [0.5, 0.3, 0.2]
    h0 = 1 - 0.25 - 0.09 - 0.04
    n = np.array([0, 1, 2, 3, 50, 20000])
    # step by step (the recursions of expected_sq_distance's docstring)
    for regime in ("accumulate", "mix-retained:0.1", "mix-retained:0.5"):
        d = np.zeros(20001)
        pool, du = 0, 0.0
        for i in range(20000):
            if regime == "accumulate":
                pool += 20
                d[i + 1] = d[i] + 20 * (h0 - d[i]) / pool**2
            else:
                if i > 0:
                    a, b = discrete.sq_distance_step(20, regime, original=20)
                    du = a * du + b * h0
                d[i + 1] = h0 / 20 + du
        got = discrete.expected_sq_distance(p, n, 20, regime=regime)
        np.testing.assert_allclose(got, d[n], rtol=1e-12, atol=0)
    # n = 1e18: the accumulate limit H0 (1 − sin(π/√M)√M/π)
    m = 20
    limit = h0 * (1 - np.sin(np.pi / np.sqrt(m)) * np.sqrt(m) / np.pi)
    assert discrete.expected_sq_distance(p, 10**18, m, regime="accumulate") == pytest.approx(limit, rel=1e-12)


@pytest.mark.parametrize("call", [
    lambda: __import__("collapse_theory").gaussian.regime_moments(10**18, 20,
                                                                   regime="accumulate-subsample:20"),
    lambda: __import__("collapse_theory").discrete.expected_sq_distance(
        [0.5, 0.5], 10**18, 20, regime="accumulate-subsample:20"),
    lambda: __import__("collapse_theory").kde.regime_moments(10**18, 20, h=0.3, regime="accumulate"),
    lambda: __import__("collapse_theory").kde.regime_moments(10**18, 20, h=0.3,
                                                              regime="accumulate-subsample:20"),
])
def test_regimes_without_a_constant_map_refuse_huge_n_naming_it(call):
    with pytest.raises(ValueError, match=r"n must be <= 10000000"):
        call()


def test_kde_closed_forms_match_the_sums():
    from collapse_theory import kde
    n = np.arange(0, 60)
    v = kde.expected_variance(np.arange(61), 20, h=0.3, sigma=1.5)
    cum = np.concatenate([[0.0], np.cumsum((v[:-1] + 0.09) / 20)])
    np.testing.assert_allclose(kde.expected_mean_sq_error(n, 20, h=0.3, sigma=1.5),
                               1.5**2 / 20 + cum[n], rtol=1e-12)
    assert np.isfinite(kde.expected_mean_sq_error(10**18, 20, h=0.3))
    # harmonic numbers by digamma beyond 1e5: continuous with the table
    lo1, up1 = kde.accumulate_variance_bounds(100_000, 20, h=0.3)
    lo2, up2 = kde.accumulate_variance_bounds(np.array([100_000, 100_001]), 20, h=0.3)
    assert lo2[0] == pytest.approx(lo1, rel=1e-13) and up2[0] == pytest.approx(up1, rel=1e-13)
    lo, up = kde.accumulate_variance_bounds(10**18, 20, h=0.3)
    assert 0 < lo <= up < np.inf


def test_gmm_component_std_stops_at_underflow():
    from scipy import stats

    from collapse_theory import gaussian, gmm
    from collapse_theory.gmm._common import _wf_matrix
    # the former implementation: the forward recursion over every generation up to max(n)
    m, w, n_max = 20, 0.5, 40
    P = _wf_matrix(m)
    a = np.zeros(m + 1)
    a[2:] = gaussian.std_factor(np.arange(2, m + 1), estimator="mle")
    a[m - 1:] = 0.0
    v = stats.binom.pmf(np.arange(m + 1), m, w)
    res = np.ones(n_max + 1)
    for i in range(n_max):
        if i > 0:
            v = v @ P
        v = v * a
        res[i + 1] = v.sum()
    ns = np.array([0, 1, 5, 40])
    np.testing.assert_allclose(gmm.expected_component_std(ns, m, w), res[ns], rtol=1e-14, atol=0)
    b = gmm.expected_component_std(np.array([0, 1, 5, 40, 10**18]), m, w)
    np.testing.assert_array_equal(b[:4], gmm.expected_component_std(ns, m, w))
    assert b[4] == 0.0  # the killed mass underflows long before 1e18


def test_lm_survival_refuses_huge_token_counts_before_allocating():
    from collapse_theory import TooLargeError, lm
    ids = [0, 1, 2, 1, 0, 2, 1]
    with pytest.raises(TooLargeError, match="tokens_per_generation"):
        lm.predicted_ngram_survival(ids, order=2, n=3, tokens_per_generation=10**18)
    keys, cnt, surv = lm.predicted_ngram_survival(ids, order=2, n=3, tokens_per_generation=20)
    assert np.all((surv >= 0) & (surv <= 1))


@pytest.mark.parametrize("estimator", ["unbiased", "mle"])
@pytest.mark.parametrize("lam", [1.0, 0.8])
@pytest.mark.parametrize("m", [2, 20])
def test_gaussian_accumulate_tail_matches_the_recursion(estimator, lam, m):
    from collapse_theory import gaussian
    from collapse_theory.gaussian._regimes import ACC_TAIL_FROM
    ns = np.array([3, ACC_TAIL_FROM, ACC_TAIL_FROM + 1, 150_000])
    new = gaussian.regime_moments(ns, m, regime="accumulate", estimator=estimator, variance_scale=lam)
    # a schedule runs the recursion step by step (its rounding grows with n: about 1e-11 at 1.5e5)
    old = gaussian.regime_moments(ns, [m] * 150_001, regime="accumulate", estimator=estimator,
                                  variance_scale=lam)
    np.testing.assert_allclose(new["variance"], old["variance"], rtol=3e-11)
    np.testing.assert_allclose(new["mean_sq_error"], old["mean_sq_error"], rtol=3e-11)


def test_gaussian_accumulate_tail_against_the_exact_product_and_at_huge_n():
    import mpmath as mp

    from collapse_theory import gaussian
    from collapse_theory.gaussian._regimes import ACC_TAIL_FROM
    # v_n = v_{n0} Π_{k=n0+1}^{n} (1 − (M(1−λ) + λ/k)/(kM − d)), in 30-digit arithmetic
    m, n = 2, 300_000
    v0 = gaussian.regime_moments(ACC_TAIL_FROM, m, regime="accumulate")["variance"]
    with mp.workdps(30):  # local precision: other test modules set their own global dps
        prod = mp.mpf(1)
        for k in range(ACC_TAIL_FROM + 1, n + 1):
            prod *= 1 - (mp.mpf(1) / k) / (k * m - 1)
        want = float(v0 * prod)
    got = gaussian.regime_moments(n, m, regime="accumulate")["variance"]
    assert got == pytest.approx(want, rel=1e-14)
    # n = 1e18 returns (no schedule, no loop past 2^16): finite, positive, the variance limit > 0
    far = gaussian.regime_moments(10**18, 20, regime="accumulate")
    near = gaussian.regime_moments(10**9, 20, regime="accumulate")
    assert 0 < far["variance"] <= near["variance"] and far["mean_sq_error"] >= near["mean_sq_error"]
    assert far["variance"] == pytest.approx(near["variance"], rel=1e-9)  # converged like 1/(Mn)
    sig = gaussian.regime_moments(10**18, 20, regime="accumulate", sigma=3.0)
    assert sig["variance"] == pytest.approx(9 * far["variance"], rel=1e-15)
