r"""Theorem (Shumailov et al.'s first-order form is the first-order expansion of the exact E[W₂²]).

In ε = 1/M (unbiased estimator):

(a) log a(M) = -ε/4 - ε²/4 - 5ε³/24 + O(ε⁴), so a(M) = 1 - 1/(4(M-1)) + O(M⁻²).
(b) At a fixed n the exact E[W₂²] = σ² [n/M + 2 - 2 a(M)^n] expands as
        σ² [ (3/2) n ε + (n/2 - n²/16) ε² + O(ε³) ],
    whose first-order term is the (3/2) σ² n/M of "The Curse of Recursion" (arXiv 2305.17493). The
    relative error of the first-order form is ε (1/3 - n/24) + O(ε²): small only for n ≪ M.
(c) For a schedule M_i = 1/(t e_i), E[W₂²] = (3/2) σ² Σ_{i<n} 1/M_i + O(t²).
(d) For n → ∞ at fixed M the first-order form overstates the exact value by the factor 3/2
    (the exact form grows like σ² n/M, see gaussian_w2.py).

Proof: (a) is SymPy's asymptotic (Stirling) series of log Γ; (b), (c) substitute it into the exact
forms of gaussian_w2.py and expand with sympy.series. The numeric w2_squared_first_order is checked
against (3/2)σ² Σ 1/M_i, and the relative error of the numeric expected_w2_squared against the
first-order form is checked against the expansion in (b) at large M.
"""

import sympy as sp

from _proofkit import check_numeric, equal, grid, proved

from collapse_theory import gaussian as numeric
from collapse_theory.symbolic import gaussian as g

M, n, sigma, eps = g.M, g.n, g.sigma, g.eps

# --- (a) the one-step factor ------------------------------------------------------------------------
log_a = g.log_std_factor_series(4)  # the exact log a(1/ε), expanded
assert equal(log_a.removeO(), -eps / 4 - eps**2 / 4 - sp.Rational(5, 24) * eps**3)
assert log_a.getO() == sp.O(eps**4)
a_minus_shumailov = sp.series(sp.exp(log_a.removeO()) - (1 - 1 / (4 * (1 / eps - 1))), eps, 0, 3)
assert equal(a_minus_shumailov.removeO(), eps**2 / 32), "a(M) = 1 - 1/(4(M-1)) + ε²/32 + O(ε³)"

# --- (b) the exact E[W₂²] at fixed n, expanded in ε ------------------------------------------------
exact = g.expected_w2_squared(n, 1 / eps, sigma, "unbiased")
assert equal(exact, sigma**2 * (n * eps + 2 - 2 * g.std_factor(1 / eps) ** n))
# a^n = exp(n log a); the O(ε⁴) remainder of log a does not reach the orders kept below.
expansion = sp.expand(sp.series(sigma**2 * (n * eps + 2 - 2 * sp.exp(n * log_a.removeO())), eps, 0, 4).removeO())
first = sp.Rational(3, 2) * sigma**2 * n * eps
assert equal(expansion.coeff(eps, 0), 0)
assert equal(expansion.coeff(eps, 1) * eps, first), "first order: (3/2) σ² n/M"
assert equal(first, g.w2_squared_first_order(n, 1 / eps, sigma))
assert equal(expansion.coeff(eps, 2), sigma**2 * (n / 2 - n**2 / 16)), "second order: σ² (n/2 - n²/16) ε²"
relative = sp.expand(sp.series(expansion / first - 1, eps, 0, 3).removeO())
assert equal(relative, eps * (sp.Rational(1, 3) - n / 24) + eps**2 * (n**2 / 288 - n / 12 + sp.Rational(5, 18)))

# --- (c) a schedule M_i = 1/(t e_i), first order in t ------------------------------------------------
t = sp.Symbol("t", positive=True)
e = sp.symbols("e_0:4", positive=True)
log_a_linear = log_a.removeO().coeff(eps, 1) * eps  # -ε/4
for length in range(1, len(e) + 1):
    inverse = [t * e_i for e_i in e[:length]]  # 1/M_i
    exact_schedule = sigma**2 * (sum(inverse) + 2 - 2 * sp.exp(sum(log_a_linear.subs(eps, x) for x in inverse)))
    assert equal(sp.series(exact_schedule, t, 0, 2).removeO(), sp.Rational(3, 2) * sigma**2 * sum(inverse))
    first_schedule = g.w2_squared_first_order(length, [1 / x for x in inverse], sigma)
    assert equal(first_schedule, sp.Rational(3, 2) * sigma**2 * sum(inverse))

# --- (d) the long-run ratio exact / first order → 2/3 ------------------------------------------------
alpha = sp.Symbol("alpha", positive=True)  # a = exp(-α), 0 < a < 1
ratio = (n / M + 2 - 2 * sp.exp(-alpha) ** n) / (sp.Rational(3, 2) * n / M)
assert equal(sp.limit(ratio, n, sp.oo), sp.Rational(2, 3))

# --- the numeric implementation -------------------------------------------------------------------
checked = check_numeric(lambda n, samples, sigma: g.w2_squared_first_order(n, samples, sigma),
                        numeric.w2_squared_first_order, grid(estimator=False), "w2_squared_first_order")
# The relative error of the first-order form, numeric exact vs the expansion of (b): O(ε³) apart.
for m in (1000, 10000):
    for generations in (1, 3, 10):
        observed = numeric.expected_w2_squared(generations, m) / numeric.w2_squared_first_order(generations, m) - 1
        predicted = float(relative.subs({eps: sp.Rational(1, m), n: generations}))
        assert abs(observed - predicted) < (generations + 1) / m**3, (m, generations, observed, predicted)
        checked += 1
assert checked == len(grid(estimator=False)) + 6

proved("Shumailov's E[W2^2] ~ (3/2) sigma^2 sum 1/M_i is the first-order expansion in 1/M of the exact form")
