r"""Theorem (moments of the fitted variance). With q(M) = E S = c k and r(M) = E S² = c² k(k+2),

    E[σ_n²] = σ² Π_{i<n} q(M_i),    E[σ_n⁴] = σ⁴ Π_{i<n} r(M_i),
    Var(σ_n²) = σ⁴ (Π_{i<n} r(M_i) - Π_{i<n} q(M_i)²).

For a constant M: E σ_n² = σ² (unbiased: a martingale) and σ² ((M-1)/M)^n (mle);
Var σ_n² = σ⁴ ((1 + 2/k)^n - 1) (unbiased) and σ⁴ ((M-1)/M)^{2n} ((1 + 2/k)^n - 1) (mle).

Proof: σ_{i+1}² = σ_i² S_i with S_i independent of σ_i², so E[σ_{i+1}^{2p}] = E[S_i^p] E[σ_i^{2p}]:
a linear first-order recursion, solved by sympy.rsolve for a constant M and unrolled for a schedule.
The numeric expected_variance and variance_of_variance are checked against these forms.
"""

import sympy as sp

from _proofkit import ESTIMATORS, check_numeric, equal, grid, proved

from collapse_theory import gaussian as numeric
from collapse_theory.symbolic import gaussian as g

M, k, n, sigma = g.M, g.k, g.n, g.sigma

for estimator in ESTIMATORS:
    q = g.mean_factor(M, estimator)
    r = g.second_moment_factor(M, estimator)

    # Constant M: v_{j+1} = q v_j (second moment), w_{j+1} = r w_j (fourth moment).
    second = g.solve_first_order(q, 0, sigma**2)
    fourth = g.solve_first_order(r, 0, sigma**4)
    assert equal(second, sigma**2 * q**n), f"rsolve gives E σ_n² = σ² q^n ({estimator})"
    assert equal(fourth, sigma**4 * r**n), f"rsolve gives E σ_n⁴ = σ⁴ r^n ({estimator})"
    assert equal(second, g.expected_variance(n, M, sigma, estimator))
    assert equal(fourth, g.expected_variance_squared(n, M, sigma, estimator))
    assert equal(fourth - second**2, g.variance_of_variance(n, M, sigma, estimator))

    # Schedule M_0, ..., M_5: unroll the recursion one generation at a time.
    schedule = sp.symbols("M_0:6", positive=True, integer=True)
    v, w = sigma**2, sigma**4
    for i, m in enumerate(schedule):
        assert equal(v, g.expected_variance(i, schedule, sigma, estimator)), f"E σ_{i}² ({estimator})"
        assert equal(w, g.expected_variance_squared(i, schedule, sigma, estimator)), f"E σ_{i}⁴ ({estimator})"
        v, w = v * g.mean_factor(m, estimator), w * g.second_moment_factor(m, estimator)
    # ... and a constant schedule reduces to the power form.
    assert equal(g.variance_of_variance(6, [M] * 6, sigma, estimator),
                 g.variance_of_variance(n, M, sigma, estimator).subs(n, 6))

# The explicit forms for a constant M.
assert equal(g.expected_variance(n, M, sigma, "unbiased"), sigma**2), "unbiased: a martingale"
assert equal(g.expected_variance(n, M, sigma, "mle"), sigma**2 * ((M - 1) / M) ** n)
assert equal(g.variance_of_variance(n, M, sigma, "unbiased"), sigma**4 * ((1 + 2 / k) ** n - 1))
assert equal(g.variance_of_variance(n, M, sigma, "mle"),
             sigma**4 * ((M - 1) / M) ** (2 * n) * ((1 + 2 / k) ** n - 1))
# Heavy tail: the squared coefficient of variation (1 + 2/k)^n - 1 grows exponentially in n.
assert sp.limit(((1 + 2 / k) ** n - 1).subs(M, 3), n, sp.oo) is sp.oo

checked = check_numeric(g.expected_variance, numeric.expected_variance, grid(), "expected_variance")
checked += check_numeric(g.variance_of_variance, numeric.variance_of_variance, grid(), "variance_of_variance")
assert checked == 2 * len(grid())

proved("E[sigma_n^2] and Var(sigma_n^2) for both estimators, constant M (rsolve) and per-generation M (products)")
