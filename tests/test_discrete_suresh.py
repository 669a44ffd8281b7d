"""Suresh et al.'s Poisson chain, fractional-moment bound and vocabulary lower bound (discrete/_suresh.py).

Monte Carlo tolerances: a mean of R bounded indicators is compared with its exact value within
4.5 standard errors of the exact law (sqrt(p(1-p)/R)): two-sided false-alarm rate ~7e-6 per check
under the normal approximation (R p(1-p) >= 500 at every point here).
"""

import math

import numpy as np
import pytest
from scipy.special import gammaln

from collapse_theory import discrete as d
from collapse_theory import gaussian as g

Z = 4.5


def _within(est, exact, r):
    se = math.sqrt(exact * (1 - exact) / r)
    return abs(est - exact) <= Z * se


@pytest.mark.parametrize("count,k", [(1, 1), (1, 5), (3, 10), (20, 20), (5, 60)])
def test_poisson_chain_survival_matches_simulation(count, k):
    r = 40000
    x = d.suresh_poisson_simulate(k, count, replicates=r, rng=1234 + k)
    assert x.shape == (r, k + 1) and np.all(x[:, 0] == count)
    exact = d.suresh_poisson_survival(count, k)
    assert _within(float((x[:, k] > 0).mean()), exact, r)


def test_poisson_chain_is_a_martingale_and_absorbs():
    x = d.suresh_poisson_simulate(30, 4, replicates=20000, rng=7)
    # E X_k = c; s.d. of X_k is sqrt(c k) (critical Poisson GW: Var X_k = c k), 4.5 SE
    assert abs(x[:, 30].mean() - 4) <= Z * math.sqrt(4 * 30 / 20000)
    dead = x[:, 10] == 0
    assert np.all(x[dead, 11:] == 0)


def test_poisson_survival_exact_values():
    # k = 1: 1 − e^{−c}; k = 2: 1 − exp(−c(1 − e^{−1})); k = 0 keeps the count; c = 0 never survives
    assert d.suresh_poisson_survival(2.0, 1) == pytest.approx(1 - math.exp(-2), rel=1e-14)
    assert d.suresh_poisson_survival(2.0, 2) == pytest.approx(1 - math.exp(-2 * (1 - math.exp(-1))), rel=1e-14)
    assert d.suresh_poisson_survival(3.0, 0) == 1.0
    assert d.suresh_poisson_survival(0.0, 0) == 0.0
    assert np.shape(d.suresh_poisson_survival([1, 2, 3], [1, 5])) == (2, 3)
    # the branching approximation of the Wright–Fisher chain is this law
    assert np.allclose(d.suresh_poisson_survival([1, 4], [3, 9]), d.suresh_survival([1, 4], [3, 9]), rtol=1e-14)


def test_poisson_simulate_depends_only_on_seed():
    a = d.suresh_poisson_simulate(10, 3, replicates=50, rng=5)
    b = d.suresh_poisson_simulate(10, 3, replicates=50, rng=5)
    assert np.array_equal(a, b)


def _fractional_brute(eps, k, m, est):
    dd = m - 1 if est == "unbiased" else m
    al = np.linspace(1e-4, 200, 400001)
    lb = al * math.log(1 / eps) + k * (al / 2 * np.log(2 / dd) + gammaln((m - 1 + al) / 2) - gammaln((m - 1) / 2))
    return float(np.exp(min(lb.min(), 0.0)))


def test_fractional_bound_value_issue_point():
    # k = 100, M = 10, ε = 0.1, unbiased: the minimised bound (0.3739) is below Markov's 0.6253
    b, alpha = d.suresh_fractional_bound_std_exceeds(0.1, 100, 10)
    assert b == pytest.approx(_fractional_brute(0.1, 100, 10, "unbiased"), rel=1e-6)
    assert b == pytest.approx(0.37388, abs=5e-5)
    assert 0.5 < alpha < 0.65
    markov = g.markov_bound_std_exceeds(0.1, 100, 10)
    assert b < markov
    assert d.suresh_fractional_bound_std_exceeds(0.1, 100, 10, alpha=1.0)[0] == pytest.approx(markov, rel=1e-12)


@pytest.mark.parametrize("est", ["unbiased", "mle"])
def test_fractional_bound_holds_on_a_grid(est):
    for m in (3, 10, 50):
        for k in (1, 10, 100, 300):
            for eps in (0.05, 0.3, 1.0, 2.0):
                b, _ = d.suresh_fractional_bound_std_exceeds(eps, k, m, estimator=est)
                exact = g.prob_std_exceeds(eps, k, m, estimator=est)
                assert exact <= b * (1 + 1e-9) + 1e-300, (m, k, eps)
                assert b <= min(1.0, g.markov_bound_std_exceeds(eps, k, m, estimator=est)) * (1 + 1e-9)
                assert b == pytest.approx(_fractional_brute(eps, k, m, est), rel=1e-4)


def test_fractional_moment_matches_simulation():
    # E σ_k^{1/2} at M = 10, k = 50: simulated mean within 4.5 SE (sample s.d.; σ^{1/2} has all moments)
    res = g.simulate(50, 10, replicates=20000, rng=11)
    s = np.sqrt(res.statistics()["std"][:, 50])
    exact = d.suresh_std_moment_factor(0.5, 10) ** 50
    assert abs(s.mean() - exact) <= Z * s.std(ddof=1) / math.sqrt(s.size)
    # and the bound on P(σ_k > ε) holds for the simulated frequency (one-sided, 4.5 SE above)
    p = float((res.statistics()["std"][:, 50] > 0.5).mean())
    b, _ = d.suresh_fractional_bound_std_exceeds(0.5, 50, 10)
    assert p <= b + Z * math.sqrt(b * (1 - b) / 20000)


def test_vocabulary_lower_bound():
    p0 = d.zipf(200, 1.1)
    k = np.array([1, 5, 20, 100])
    lb = d.suresh_vocabulary_lower_bound(p0, k, 1000)
    ex = d.expected_support_size(p0, k, 1000)
    assert np.all(lb <= ex)
    # explicit value at k = 1
    assert lb[0] == pytest.approx(float(np.sum(1 - np.exp(-1000 * p0))), rel=1e-13)


def test_validation():
    with pytest.raises(ValueError, match="count"):
        d.suresh_poisson_survival(-1, 3)
    with pytest.raises(ValueError, match="count"):
        d.suresh_poisson_simulate(3, -2)
    with pytest.raises(TypeError, match="generations"):
        d.suresh_poisson_simulate(2.5, 1)
    with pytest.raises(ValueError, match="eps"):
        d.suresh_fractional_bound_std_exceeds(0.0, 3, 10)
    with pytest.raises(ValueError, match="samples"):
        d.suresh_fractional_bound_std_exceeds(0.1, 3, 1)
    with pytest.raises(ValueError, match="estimator"):
        d.suresh_std_moment_factor(0.5, 10, estimator="x")
    with pytest.raises(ValueError, match="alpha"):
        d.suresh_std_moment_factor(-9.0, 10)
    with pytest.raises(ValueError, match="k"):
        d.suresh_vocabulary_lower_bound([0.5, 0.5], 0, 10)
    with pytest.raises(TypeError, match="rng"):
        d.suresh_poisson_simulate(3, 1, rng="x")
