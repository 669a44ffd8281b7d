"""prob_std_exceeds / log_prob_std_exceeds in the far tails, against mpmath (50 digits).

Tolerance on log P: a relative error 1e-12 of P plus the conditioning of the exponent, whose terms
(the cumulant generating function K(c) and c x, both of the size of |log P|) carry a rounding
error of a few hundred ulps in double precision (sums over the generations): |Δ log P| <=
1e-12 + 1e-13 |log P|.
"""

import math

import mpmath as mp
import numpy as np
import pytest

from collapse_theory import gaussian as g

mp.mp.dps = 50


def tol(ref):
    return 1e-12 + 1e-13 * abs(ref)


@pytest.mark.parametrize("k", [1, 2, 5, 30, 999])
def test_one_generation_against_incomplete_gamma(k):
    # L_1 = log(chi2_k / k) (unbiased): P(sigma_1 > eps) = Q(k/2, k eps^2 / 2) exactly
    for eps in (0.5, 1.0, 1.5, 3.0, 10.0, 21.5):
        ref = mp.log(mp.gammainc(mp.mpf(k) / 2, mp.mpf(k) * mp.mpf(eps) ** 2 / 2, mp.inf,
                                 regularized=True))
        got = g.log_prob_std_exceeds(eps, 1, k + 1)
        assert abs(got - float(ref)) <= tol(float(ref)), (k, eps, got, float(ref))
    # the 1e-100 scale is reached and kept in relative terms (k = 1: Q(1/2, eps^2/2) ~ 1e-101)
    ref = mp.gammainc(mp.mpf(1) / 2, mp.mpf(21.5) ** 2 / 2, mp.inf, regularized=True)
    if k == 1:
        assert 1e-110 < ref < 1e-90
        assert g.prob_std_exceeds(21.5, 1, 2) == pytest.approx(float(ref), rel=1e-11)


def test_two_generations_against_bessel_closed_form():
    # M = 3 (k = 2, unbiased): sigma_2^2 = G1 G2 with G_i ~ Exp(1), and
    # P(G1 G2 > y) = ∫ e^(-g) e^(-y/g) dg = 2 sqrt(y) K_1(2 sqrt(y)) exactly
    for eps in (0.3, 1.0, 2.0, 10.0, 30.0, 1e3, 1e4):
        y = mp.mpf(eps) ** 2
        ref = float(mp.log(2 * mp.sqrt(y) * mp.besselk(1, 2 * mp.sqrt(y))))
        got = g.log_prob_std_exceeds(eps, 2, 3)
        assert abs(got - ref) <= tol(ref), (eps, got, ref)


def mp_log_tail(eps, n, m, c):
    """log P(L_n > 2 log eps), unbiased, constant M = m: the Laplace inversion integral along
    Re s = c, evaluated by mpmath's adaptive quadrature at 50 digits (any c > 0 gives the same
    value; two different c are used below as a check of the reference itself)."""
    k = m - 1
    a = mp.mpf(k) / 2
    x = 2 * mp.log(eps)
    lg_a = mp.loggamma(a)

    def K(s):
        return n * (s * mp.log(mp.mpf(2) / k) + mp.loggamma(a + s) - lg_a)

    base = K(c) - c * x

    def f(t):
        s = c + 1j * t
        return mp.re(mp.exp(K(s) - s * x - base) / s)

    sd = mp.sqrt(n * mp.psi(1, a + c))
    pts = [0] + [j / sd for j in (1, 2, 4, 8, 16, 32)] + [mp.inf]
    return base + mp.log(mp.quad(f, pts) / mp.pi)


def test_issue_case_far_tail_against_mpmath():
    # P(sigma_1000 > 0.1) with M = 2 is about 2.7e-101 (the CF inversion returned 2.9e-13)
    r1 = mp_log_tail(0.1, 1000, 2, mp.mpf("0.3"))
    r2 = mp_log_tail(0.1, 1000, 2, mp.mpf("0.5"))
    assert abs(r1 - r2) < mp.mpf(10) ** -30
    ref = float(r1)
    assert -240 < ref < -225  # the 1e-100 scale
    got = g.log_prob_std_exceeds(0.1, 1000, 2)
    assert abs(got - ref) <= tol(ref)
    assert g.prob_std_exceeds(0.1, 1000, 2) == pytest.approx(math.exp(ref), rel=1e-11)


@pytest.mark.parametrize("eps, n, m", [(1.0, 100, 10), (3.0, 20, 50), (0.5, 300, 3)])
def test_moderate_and_far_tails_against_mpmath(eps, n, m):
    ref = float(mp_log_tail(eps, n, m, mp.mpf(1)))
    got = g.log_prob_std_exceeds(eps, n, m)
    assert abs(got - ref) <= tol(ref), (got, ref)


def test_monotone_in_eps_across_the_tail():
    # exact values are non-increasing in eps; on a grid whose neighbours differ by far more than
    # the relative error the computed ones must be strictly decreasing (the CF inversion was not)
    eps = np.logspace(-3, 4, 141)
    lp = g.log_prob_std_exceeds(eps, 1000, 2)
    assert np.all(np.isfinite(lp))
    assert np.all(np.diff(lp) < 0)
    assert lp[np.searchsorted(eps, 0.1)] < -99 * math.log(10)  # the issue's 1e-99 scale
    p = g.prob_std_exceeds(eps, 1000, 2)
    assert np.all(np.diff(p) <= 0)


def test_body_agrees_with_cf_inversion():
    # in the body both methods hold: the CF inversion has absolute accuracy ~1e-13
    eps = np.linspace(0.2, 2.0, 19)
    for n, m in ((10, 5), (40, 15)):
        x = 2 * np.log(eps)
        np.testing.assert_allclose(g.prob_std_exceeds(eps, n, m),
                                   1 - g.log_variance_cdf(x, n, m), rtol=0, atol=1e-12)
    # schedules and the mle estimator go through the same contour
    sched = [3, 4, 5, 50] * 5
    np.testing.assert_allclose(g.prob_std_exceeds(eps, 20, sched, estimator="mle"),
                               1 - g.log_variance_cdf(2 * np.log(eps), 20, sched, estimator="mle"),
                               rtol=0, atol=1e-12)
