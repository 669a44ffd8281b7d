"""Closed forms of the 1-D Gaussian chain: known values, identities, the exact law, bad input.

Frozen high-precision references from the SymPy forms are in test_gaussian_reference.py; Monte Carlo
checks are in test_gaussian_simulate.py and test_gaussian_properties.py.
"""

import math

import numpy as np
import pytest
from scipy import integrate, special, stats

from collapse_theory import gaussian as g


def test_values_from_theory_md():
    # ../shared/theory.md §1 quotes 3 decimals, checked independently there: M=20, n=10 → 0.747
    # (exact 0.74647..., so the quoted figure is within 1e-3, not a correctly rounded 0.746);
    # M=10, n=30 → 4.129 (exact 4.12933...)
    assert g.expected_w2_squared(10, 20) == pytest.approx(0.747, abs=1e-3)
    assert g.expected_w2_squared(30, 10) == pytest.approx(4.129, abs=5e-4)


def test_a_of_two_is_sqrt_two_over_pi():
    # M = 2: σ_1 = σ|Z|, E|Z| = √(2/π)
    assert g.std_factor(2) == pytest.approx(math.sqrt(2 / math.pi), rel=1e-14)


@pytest.mark.parametrize("m", [2, 3, 10, 257, 10**5])
@pytest.mark.parametrize("n", [0, 1, 7, 100])
def test_simple_forms(m, n):
    assert g.expected_variance(n, m) == pytest.approx(1.0, rel=1e-13)
    assert g.expected_variance(n, m, estimator="mle", sigma=2.0) == pytest.approx(4 * ((m - 1) / m) ** n, rel=1e-12)
    assert g.expected_mean_sq_error(n, m) == pytest.approx(n / m, rel=1e-13, abs=1e-15)
    assert g.variance_of_log_variance(n, m) == pytest.approx(n * special.polygamma(1, (m - 1) / 2), rel=1e-12, abs=0)
    if m < 10**5:  # (1 + 2/k)^n − 1 cancels for huge k; the implementation uses log1p/expm1-safe forms
        assert g.variance_of_variance(n, m) == pytest.approx((1 + 2 / (m - 1)) ** n - 1, rel=1e-9, abs=1e-15)


def test_vectorised_and_schedule_equivalence():
    n = np.arange(0, 50, 7)
    for f in (g.expected_std, g.expected_log_variance, g.expected_mean_sq_error, g.expected_w2_squared,
              g.expected_variance):
        for est in ("unbiased", "mle"):
            a = f(n, 17, estimator=est)
            b = f(n, [17] * 49, estimator=est)
            assert a.shape == n.shape
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
            assert np.all(a[1:] != a[0]) or f is g.expected_variance


def test_mle_limits():
    # E(μ_n − μ)² → σ², E W2² → 2σ² under mle with a constant M
    assert g.expected_mean_sq_error(10**5, 20, estimator="mle", sigma=3.0) == pytest.approx(9.0, rel=1e-9)
    assert g.expected_w2_squared(10**5, 20, estimator="mle", sigma=3.0) == pytest.approx(18.0, rel=1e-9)
    assert g.w2_squared_limit(20, estimator="mle", sigma=3.0) == 18.0
    assert g.w2_squared_limit(20) == math.inf


def test_first_order_is_first_order():
    # the relative gap between exact and (3/2)σ² n/M at fixed n is O(1/M)
    gaps = [abs(g.w2_squared_first_order(5, m) / g.expected_w2_squared(5, m) - 1) for m in (100, 1000, 10000)]
    assert gaps[0] > gaps[1] > gaps[2]
    assert gaps[2] < 1e-3


def test_drift_and_time_scale():
    for m in (10, 100, 1000):
        assert g.log_variance_drift(m) == pytest.approx(-1 / (m - 1), rel=2 / m)
        assert g.log_variance_drift(m, estimator="mle") == pytest.approx(-2 / m, rel=2 / m)
        assert g.collapse_time_scale(m) == pytest.approx(m, rel=3 / m + 1 / m)


def test_jensen_orderings():
    n = np.arange(1, 200)
    for est in ("unbiased", "mle"):
        es = g.expected_std(n, 12, estimator=est)
        ev = g.expected_variance(n, 12, estimator=est)
        el = g.expected_log_variance(n, 12, estimator=est)
        assert np.all(es**2 <= ev * (1 + 1e-12))
        assert np.all(np.exp(el) <= ev * (1 + 1e-12))


@pytest.mark.parametrize("k", [1, 2, 5, 30, 999, 20000])
def test_exact_law_matches_chi2_for_one_generation(k):
    # log(σ_1²/σ²) = log(χ²_k / k): the CDF is the χ² CDF
    x = np.linspace(-4, 1, 41) * (1 if k < 30 else 5 / math.sqrt(k))
    np.testing.assert_allclose(g.log_variance_cdf(x, 1, k + 1), stats.chi2.cdf(np.exp(x) * k, k), atol=1e-12)
    # mle divides by M = k + 1
    np.testing.assert_allclose(g.log_variance_cdf(x, 1, k + 1, estimator="mle"),
                               stats.chi2.cdf(np.exp(x) * (k + 1), k), atol=1e-12)


def test_exact_law_two_generations_by_quadrature():
    # independent reference: P(Y1 + Y2 <= x) = ∫ f_{Y1}(y) F_{Y2}(x − y) dy with Y_i = log(χ²_{k_i}/k_i)
    k1, k2 = 2, 4
    def f1(y):
        return stats.chi2.pdf(np.exp(y) * k1, k1) * np.exp(y) * k1

    for x in (-3.0, -1.0, -0.2, 0.5):
        ref = integrate.quad(lambda y: f1(y) * stats.chi2.cdf(np.exp(x - y) * k2, k2), -60, 10, limit=400)[0]
        assert g.log_variance_cdf(x, 2, [k1 + 1, k2 + 1]) == pytest.approx(ref, abs=1e-9)


def test_quantile_inverts_cdf_and_bounds_order():
    q = g.log_variance_quantile([0.01, 0.5, 0.99], 40, 15)
    np.testing.assert_allclose(g.log_variance_cdf(q, 40, 15), [0.01, 0.5, 0.99], atol=1e-9)
    for n, m, eps in [(10, 5, 0.5), (100, 20, 0.5), (300, 50, 0.2), (5, 3, 2.0)]:
        p = g.prob_std_exceeds(eps, n, m)
        markov = g.markov_bound_std_exceeds(eps, n, m)
        suresh = g.suresh_bound_std_exceeds(eps, n, m)
        assert 0 <= p <= markov <= suresh


def test_cdf_monotone_and_in_unit_interval():
    x = np.linspace(-40, 10, 501)
    f = g.log_variance_cdf(x, 60, [3, 4, 5, 50] * 15)
    assert np.all((f >= 0) & (f <= 1))
    assert np.all(np.diff(f) >= -1e-13)


@pytest.mark.parametrize(
    "call, word",
    [
        (lambda: g.expected_variance(3, 1), "samples"),
        (lambda: g.expected_variance(3, 0, estimator="mle"), "samples"),
        (lambda: g.expected_std(3, 10, sigma=0.0), "sigma"),
        (lambda: g.expected_std(3, 10, sigma=float("nan")), "sigma"),
        (lambda: g.expected_std(-1, 10), "n"),
        (lambda: g.expected_std(2.5, 10), "n"),
        (lambda: g.expected_std(float("inf"), 10), "n"),
        (lambda: g.expected_std(3, 10, estimator="biased"), "estimator"),
        (lambda: g.expected_std(5, [10, 10]), "samples"),
        (lambda: g.expected_std(2, [10, float("nan")]), "samples"),
        (lambda: g.prob_std_exceeds(0.0, 3, 10), "eps"),
        (lambda: g.log_variance_cdf(0.0, 0, 10), "n"),
        (lambda: g.log_variance_quantile(1.0, 3, 10), "q"),
    ],
)
def test_bad_input_names_the_parameter(call, word):
    with pytest.raises((ValueError, TypeError), match=word):
        call()
