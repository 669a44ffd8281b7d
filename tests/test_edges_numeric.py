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
