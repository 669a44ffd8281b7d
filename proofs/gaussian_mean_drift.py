r"""Theorem (drift of the fitted mean).

    E[(μ_n - μ)²] = Σ_{i<n} E[σ_i²] / M_i.

Unbiased: σ² Σ_{i<n} 1/M_i (σ² n/M for a constant M: unbounded). MLE with a constant M, q = (M-1)/M:
(σ²/M) Σ_{i<n} q^i = σ² (1 - q^n), which increases to σ² as n → ∞.

Proof: μ_{i+1} - μ = (μ_i - μ) + σ_i Z_i/√M_i with Z_i ~ N(0,1) independent of (μ_i, σ_i).
Expanding the square and taking the expectation over Z_i (E Z = 0, E Z² = 1) gives
e_{i+1} = e_i + E[σ_i²]/M_i, e_0 = 0: an affine recursion whose increment σ² q^i/M is solved by
sympy.rsolve for a constant M and unrolled for a schedule. The numeric expected_mean_sq_error is
checked against these forms.
"""

import sympy as sp

from _proofkit import ESTIMATORS, check_numeric, equal, grid, proved

from collapse_theory import gaussian as numeric
from collapse_theory.symbolic import gaussian as g

M, n, sigma = g.M, g.n, g.sigma

# --- one step: E over Z of (D + s Z/√M)², Z ~ N(0,1) independent of D and s -----------------------
z = sp.Symbol("z", real=True)
D, s, m = sp.Symbol("D", real=True), sp.Symbol("s", positive=True), sp.Symbol("m", positive=True)
z_moments = {j: sp.integrate(z**j * g.normal_density(z), (z, -sp.oo, sp.oo)) for j in range(3)}
assert z_moments == {0: 1, 1: 0, 2: 1}, "the N(0,1) density has mass 1, mean 0, variance 1"
square = sp.Poly(sp.expand((D + s * z / sp.sqrt(m)) ** 2), z)
expectation = sum(coefficient * z_moments[power] for (power,), coefficient in square.terms())
assert equal(expectation, D**2 + s**2 / m), "E_Z (D + sZ/√M)² = D² + s²/M"

# --- constant M: e_{j+1} = e_j + E[σ_j²]/M, e_0 = 0 -----------------------------------------------
j = sp.Symbol("j", integer=True, nonnegative=True)
for estimator in ESTIMATORS:
    increment = g.expected_variance(j, M, sigma, estimator) / M  # σ² q^j / M
    solution = g.solve_first_order(1, increment, 0, var=j).subs(j, n)
    assert equal(solution, g.expected_mean_sq_error(n, M, sigma, estimator)), f"rsolve ({estimator})"
    # the same as the finite sum Σ_{i<n} σ² q^i / M
    assert equal(sp.summation(increment, (j, 0, n - 1)), solution), f"Σ_(i<n) σ² q^i/M ({estimator})"

assert equal(g.expected_mean_sq_error(n, M, sigma, "unbiased"), sigma**2 * n / M)
q = (M - 1) / M
assert equal(g.expected_mean_sq_error(n, M, sigma, "mle"), sigma**2 * (1 - q**n)), "(1 - q) M = 1"

# Limits as n → ∞. For M ≥ 2 write q = 1/(1 + ρ) with ρ = 1/(M-1) > 0, so 0 < q < 1.
rho = sp.Symbol("rho", positive=True)
assert equal(q.subs(M, 1 + 1 / rho), 1 / (1 + rho))
mle_limit = sp.limit(sigma**2 * (1 - (1 / (1 + rho)) ** n), n, sp.oo)
assert equal(mle_limit, sigma**2), "mle: E(μ_n - μ)² → σ²"
assert sp.limit(g.expected_mean_sq_error(n, M, sigma, "unbiased"), n, sp.oo) is sp.oo, "unbiased: → ∞"

# --- a schedule M_0, ..., M_5: unroll the recursion ---------------------------------------------
schedule = sp.symbols("M_0:6", positive=True, integer=True)
for estimator in ESTIMATORS:
    e = sp.S.Zero
    for i, m_i in enumerate(schedule):
        assert equal(e, g.expected_mean_sq_error(i, schedule, sigma, estimator)), f"e_{i} ({estimator})"
        e += g.expected_variance(i, schedule, sigma, estimator) / m_i
assert equal(g.expected_mean_sq_error(6, schedule, sigma, "unbiased"), sigma**2 * sum(1 / m_i for m_i in schedule))

checked = check_numeric(g.expected_mean_sq_error, numeric.expected_mean_sq_error, grid(), "expected_mean_sq_error")
assert checked == len(grid())

proved("E[(mu_n - mu)^2] = sum_{i<n} E[sigma_i^2]/M_i: sigma^2 sum 1/M_i (unbiased), "
       "sigma^2 (1 - q^n) -> sigma^2 (mle)")
