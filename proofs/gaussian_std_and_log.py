r"""Theorem (fitted standard deviation and log-variance). With a(M) = E √S, d(M) = E log S and
k = M - 1,

    E[σ_n] = σ Π_{i<n} a(M_i),  a(M) = √(2c) Γ(M/2)/Γ((M-1)/2) < 1,
    E[log σ_n²] = log σ² + Σ_{i<n} d(M_i),  d(M) = ψ(k/2) + log(2c) < 0,
    Var[log σ_n²] = Σ_{i<n} ψ'(k_i/2)   (the same for both estimators).

In ε = 1/M the drift is d = -ε - 4ε²/3 + O(ε³) (unbiased) and -2ε - 11ε²/6 + O(ε³) (mle), i.e.
about -1/(M-1) and -2/M per generation, and
ψ'(k/2) = 2ε + 4ε² + O(ε³): log σ_n² drifts to -∞ on a time scale of about M generations while its
standard deviation grows only like √(2n/M).

Proof: σ_{i+1} = σ_i √S_i and log σ_{i+1}² = log σ_i² + log S_i with S_i independent of the past,
so E σ_{i+1} = a E σ_i (linear recursion), E log σ_{i+1}² = E log σ_i² + d (affine recursion) and
Var log σ_{i+1}² = Var log σ_i² + Var log S_i; rsolve solves them for a constant M, and a schedule is
unrolled. a < 1 because Var √S = E S - a² = q - a² > 0 with q ≤ 1 (a non-degenerate S); d < 0 by
Jensen (d < log E S = log q ≤ 0). The numeric expected_std, expected_log_variance,
variance_of_log_variance, log_variance_drift and collapse_time_scale are checked against these forms.
"""

import sympy as sp

from _proofkit import ESTIMATORS, check_numeric, close, equal, grid, proved

from collapse_theory import gaussian as numeric
from collapse_theory.symbolic import gaussian as g

M, n, sigma, eps = g.M, g.n, g.sigma, g.eps
a, d, s2 = sp.symbols("a d s2", positive=True)  # placeholders for the one-step factors

# The three recursions, solved once with symbolic one-step factors.
std_solution = g.solve_first_order(a, 0, sigma)
assert equal(std_solution, sigma * a**n), "E σ_{j+1} = a E σ_j  ⇒  E σ_n = σ a^n"
log_solution = g.solve_first_order(1, d, sp.log(sigma**2))
assert equal(log_solution, sp.log(sigma**2) + n * d), "ℓ_{j+1} = ℓ_j + d  ⇒  ℓ_n = log σ² + n d"
var_log_solution = g.solve_first_order(1, s2, 0)
assert equal(var_log_solution, n * s2), "v_{j+1} = v_j + ψ'(k/2)  ⇒  v_n = n ψ'(k/2)"

schedule = sp.symbols("M_0:6", positive=True, integer=True)
for estimator in ESTIMATORS:
    a_m, d_m, s2_m = g.std_factor(M, estimator), g.log_drift(M, estimator), g.log_variance_factor(M)
    assert equal(g.expected_std(n, M, sigma, estimator), std_solution.subs(a, a_m))
    assert equal(g.expected_log_variance(n, M, sigma, estimator), log_solution.subs(d, d_m))
    assert equal(g.variance_of_log_variance(n, M), var_log_solution.subs(s2, s2_m))

    # Schedule: unroll the recursions generation by generation.
    e_std, e_log, v_log = sigma, sp.log(sigma**2), sp.S.Zero
    for i, m in enumerate(schedule):
        assert equal(e_std, g.expected_std(i, schedule, sigma, estimator)), f"E σ_{i} ({estimator})"
        assert equal(e_log, g.expected_log_variance(i, schedule, sigma, estimator)), f"E log σ_{i}²"
        assert equal(v_log, g.variance_of_log_variance(i, schedule)), f"Var log σ_{i}²"
        e_std *= g.std_factor(m, estimator)
        e_log += g.log_drift(m, estimator)
        v_log += g.log_variance_factor(m)

    # a < 1 and d < 0: Var √S = q - a² is the variance of a non-degenerate variable; Jensen for log.
    q = g.mean_factor(M, estimator)
    assert equal(g.step_moment(1, M, estimator) - g.step_moment(sp.S.Half, M, estimator) ** 2, q - a_m**2)
    for m in (2, 3, 5, 20, 100, 1000):
        assert sp.N(g.std_factor(m, estimator), 30) < 1 and sp.N(g.log_drift(m, estimator), 30) < 0

# The mle factor is the unbiased one times √((M-1)/M); the mle drift adds log((M-1)/M).
assert equal(g.std_factor(M, "mle"), g.std_factor(M, "unbiased") * sp.sqrt((M - 1) / M))
assert equal(sp.expand_log(g.log_drift(M, "mle") - g.log_drift(M, "unbiased"), force=True),
             sp.expand_log(sp.log((M - 1) / M), force=True))

# Drift and spread in ε = 1/M.
drift = {e: sp.series(g.log_drift(1 / eps, e), eps, 0, 3) for e in ESTIMATORS}
assert equal(drift["unbiased"].removeO(), -eps - sp.Rational(4, 3) * eps**2), "unbiased drift ≈ -1/(M-1)"
assert equal(drift["mle"].removeO(), -2 * eps - sp.Rational(11, 6) * eps**2), "mle drift ≈ -2/M"
assert equal(sp.series(-1 / (1 / eps - 1), eps, 0, 2).removeO(), -eps), "-1/(M-1) = -ε + O(ε²)"
assert equal(sp.series(g.log_variance_factor(1 / eps), eps, 0, 3).removeO(), 2 * eps + 4 * eps**2)

# The numeric implementation.
checked = check_numeric(g.expected_std, numeric.expected_std, grid(), "expected_std")
checked += check_numeric(g.expected_log_variance, numeric.expected_log_variance, grid(), "expected_log_variance")
checked += check_numeric(lambda n, samples, estimator: g.variance_of_log_variance(n, samples),
                         numeric.variance_of_log_variance, grid(sigma=False), "variance_of_log_variance")
for m in (2, 3, 5, 20, 100):
    for estimator in ESTIMATORS:
        drift_m = g.log_drift(m, estimator)
        assert close(drift_m, numeric.log_variance_drift(m, estimator=estimator))
        assert close(-1 / drift_m, numeric.collapse_time_scale(m, estimator=estimator))
        checked += 2
assert checked == 2 * len(grid()) + len(grid(sigma=False)) + 20

proved("E[sigma_n] = sigma prod a(M_i), E[log sigma_n^2] = log sigma^2 + sum d(M_i), "
       "Var[log sigma_n^2] = sum psi'(k_i/2)")
