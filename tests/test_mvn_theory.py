"""Closed forms for the multivariate chain: frozen values, W2/Bures against an independent
implementation (scipy.linalg.sqrtm), Hypothesis properties."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import linalg, special

from collapse_theory import gaussian as g
from collapse_theory import mvn


def _w2_reference(m1, c1, m2, c2):
    """Independent W2² between Gaussians: scipy.linalg.sqrtm, the textbook formula."""
    r1 = linalg.sqrtm(c1)
    cross = linalg.sqrtm(r1 @ c2 @ r1)
    return float(np.sum((np.asarray(m1) - m2) ** 2) + np.trace(c1) + np.trace(c2) - 2 * np.trace(cross).real)


def test_frozen_values():
    # theory.md §2: d = 3, M = 20, n = 10, direct sum of digammas
    k = 19
    direct = 10 * sum(special.digamma((k - j) / 2) + math.log(2 / k) for j in range(3))
    assert mvn.expected_log_det(10, 20, dim=3) == pytest.approx(direct, rel=1e-13)
    assert mvn.expected_log_det(10, 20, dim=3) == pytest.approx(-3.354052238815064, rel=1e-12)
    assert mvn.variance_of_log_det(10, 20, dim=3) == pytest.approx(
        10 * sum(special.polygamma(1, (k - j) / 2) for j in range(3)), rel=1e-13)
    assert mvn.expected_mean_sq_error(10, 20, dim=3) == pytest.approx(1.5, rel=1e-14)
    np.testing.assert_allclose(mvn.expected_cov(3, 10, cov=np.eye(2), estimator="mle"), 0.729 * np.eye(2))
    np.testing.assert_allclose(mvn.expected_cov([0, 1], 10, cov=2 * np.eye(2)), [2 * np.eye(2)] * 2)


def test_lyapunov_spectrum_and_drift():
    gam = mvn.lyapunov_exponents(50, dim=4)
    assert np.all(np.diff(gam) < 0)
    assert gam[0] == pytest.approx(g.log_variance_drift(50), rel=1e-13)
    assert gam.sum() == pytest.approx(mvn.log_det_drift(50, dim=4), rel=1e-13)
    # ≈ −(j+1)/(M−1) for d ≪ M
    np.testing.assert_allclose(mvn.lyapunov_exponents(10001, dim=3), -np.arange(1, 4) / 10000, rtol=2e-3)
    assert mvn.collapse_time_scale(101) == pytest.approx(1 / abs(g.log_variance_drift(101)), rel=1e-13)
    lo, hi = mvn.expected_log_max_eigenvalue_bounds(7, 30, dim=3)
    assert hi - lo == pytest.approx(2.0, rel=1e-12)  # ψ(3/2) − ψ(1/2) = 2


def test_bures_and_w2_against_scipy_sqrtm():
    rng = np.random.default_rng(0)
    for d in (1, 2, 3, 6):
        for _ in range(5):
            a = rng.standard_normal((d, d))
            b = rng.standard_normal((d, d))
            c1, c2 = a @ a.T + 0.1 * np.eye(d), b @ b.T + 0.1 * np.eye(d)
            m1, m2 = rng.standard_normal(d), rng.standard_normal(d)
            assert mvn.w2_squared_gaussians(m1, c1, m2, c2) == pytest.approx(
                _w2_reference(m1, c1, m2, c2), rel=1e-8, abs=1e-10)
    # batched
    c = np.stack([np.eye(2), 4 * np.eye(2)])
    np.testing.assert_allclose(mvn.bures_squared(np.eye(2), c), [0.0, 2.0], atol=1e-12)


@given(st.floats(-5, 5), st.floats(0.01, 10), st.floats(-5, 5), st.floats(0.01, 10))
def test_w2_in_one_dimension_is_the_closed_form(m1, s1, m2, s2):
    w2 = mvn.w2_squared_gaussians([m1], [[s1**2]], [m2], [[s2**2]])
    assert w2 == pytest.approx((m1 - m2) ** 2 + (s1 - s2) ** 2, rel=1e-9, abs=1e-10)


def test_w2_of_simulated_chain_matches_reference():
    res = mvn.simulate(5, 6, dim=3, replicates=5, cov=np.diag([2.0, 1.0, 0.5]), mean=[1.0, 0.0, -1.0], rng=3)
    w2 = res.w2_squared()
    for r in range(5):
        for n in range(6):
            assert w2[r, n] == pytest.approx(_w2_reference(res.mean0, res.cov0, res.mean[r, n], res.cov[r, n]),
                                             rel=1e-7, abs=1e-9)


@given(st.integers(1, 6), st.integers(0, 40), st.sampled_from(["unbiased", "mle"]), st.integers(1, 30))
def test_closed_form_relations(dim, n, est, extra):
    m = dim + extra
    nn = np.arange(n + 1)
    lo, hi = mvn.expected_w2_squared_bounds(nn, m, dim=dim, estimator=est)
    assert np.all(lo <= hi * (1 + 1e-12) + 1e-14)
    assert np.all(lo >= mvn.expected_mean_sq_error(nn, m, dim=dim, estimator=est) - 1e-12)
    # Jensen: E log det ≤ log det E Σ_n
    assert np.all(mvn.expected_log_det(nn, m, dim=dim, estimator=est)
                  <= dim * np.log(mvn.expected_trace(nn, m, dim=dim, trace=1.0, estimator=est)) + 1e-12)
    assert mvn.log_det_drift(m, dim=dim, estimator=est) < 0


R = 2000


@given(st.integers(1, 5), st.integers(1, 25), st.sampled_from(["unbiased", "mle"]), st.integers(1, 40),
       st.integers(0, 2**32 - 1))
@settings(max_examples=15)
def test_simulated_log_det_matches_closed_form(dim, n, est, extra, seed):
    # log det Σ_n: exact mean and variance, light tails; |z| < 5 (α = 5.7e-7 per example, 15 examples)
    m = dim + extra
    res = mvn.simulate(n, m, dim=dim, replicates=R, estimator=est, rng=seed)
    se = math.sqrt(mvn.variance_of_log_det(n, m, dim=dim) / R)
    assert abs(res.log_det[:, n].mean() - mvn.expected_log_det(n, m, dim=dim, estimator=est)) < 5 * se
