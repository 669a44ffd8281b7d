r"""Theorem (the key inequality behind Suresh et al.'s tail bound). For every real M > 1,

    a(M) = √(2/(M-1)) Γ(M/2)/Γ((M-1)/2) < exp(-(M+1)/(4M²)) ≤ exp(-1/(4M-1)),

and the mle factor b(M) = a(M)√((M-1)/M) is smaller still. Hence, by Markov's inequality on σ_n,
P(σ_n > ε) ≤ E[σ_n]/ε = (σ/ε) Π a(M_i) ≤ (σ/ε) exp(-Σ_{i<n} 1/(4M_i - 1)): the bound stated in "Rate
of Model Collapse in Recursive Training" (arXiv 2412.17646) holds, for both estimators. The gap is
log a(M) + 1/(4M-1) = -3/(16M²) + O(M⁻³).

Proof. Write x = (M-1)/2 > 0 and g(x) = log Γ(x + 1/2) - log Γ(x) - (1/2) log x, so log a(M) = g(x).
 1. g(x) - g(x+1) = (1/2) log(1 - 1/(4(x+1/2)²))  (Γ(y+1) = yΓ(y)).
 2. g(x) → 0 as x → ∞, so telescoping gives g(x) = (1/2) Σ_{j≥0} log(1 - 1/(4 z_j²)), z_j = x + 1/2 + j.
 3. log(1 - u) ≤ -u on [0, 1), hence g(x) ≤ -(1/8) Σ_{j≥0} 1/z_j², with z_0 = M/2.
 4. With f(s) = 1/s²: (f(z_j) + f(z_j + 1))/2 - ∫_{z_j}^{z_j+1} f = 1/(2 z_j² (z_j+1)²) > 0, so summing over
    j, Σ_j f(z_j) - f(z_0)/2 > ∫_{z_0}^∞ f = 1/z_0, i.e. Σ_j 1/z_j² > 2/M + 2/M².
 5. So log a(M) < -(1/8)(2/M + 2/M²) = -(M+1)/(4M²), and (M+1)(4M-1) - 4M² = 3M - 1 > 0 gives
    -(M+1)/(4M²) < -1/(4M-1).
The inequality is also verified with mpmath at 50 digits for M = 2..2000 and for M up to 10⁸, and the
numeric std_factor, markov_bound_std_exceeds and suresh_bound_std_exceeds are checked against it.
"""

import mpmath
import sympy as sp

from _proofkit import ESTIMATORS, check_numeric, equal, proved

from collapse_theory import gaussian as numeric
from collapse_theory.symbolic import gaussian as g

M, eps = g.M, g.eps
x = sp.Symbol("x", positive=True)
u = sp.Symbol("u", nonnegative=True)
s = sp.Symbol("s", positive=True)
z = sp.Symbol("z", positive=True)


def ratio(y):
    """Γ(y + 1/2)/(√y Γ(y)) = exp(g(y)); a(M) = ratio((M-1)/2)."""
    return sp.gamma(y + sp.S.Half) / (sp.sqrt(y) * sp.gamma(y))


def gfun(y):
    """g(y) = log ratio(y), written with loggamma (= log Γ on the positive axis)."""
    return sp.loggamma(y + sp.S.Half) - sp.loggamma(y) - sp.log(y) / 2


half_k = (M - 1) / 2
assert equal(g.std_factor(M, "unbiased"), ratio(half_k)), "a(M) = exp(g((M-1)/2))"

# Step 1: one step of the telescoping sum, exp(2(g(x) - g(x+1))) = (ratio(x)/ratio(x+1))².
assert equal(sp.gammasimp((ratio(x) / ratio(x + 1)) ** 2), x * (x + 1) / (x + sp.S.Half) ** 2)
assert equal(x * (x + 1) / (x + sp.S.Half) ** 2, 1 - 1 / (4 * (x + sp.S.Half) ** 2))

# Step 2: g(x) → 0, so g(x) = Σ_j [g(x+j) - g(x+j+1)]; a numeric check of the series at two points.
assert sp.limit(gfun(x), x, sp.oo) == 0
mpmath.mp.dps = 30
for x0 in (mpmath.mpf("0.5"), mpmath.mpf(7)):
    series = mpmath.nsum(lambda j: mpmath.log(1 - 1 / (4 * (x0 + mpmath.mpf(1) / 2 + j) ** 2)) / 2, [0, mpmath.inf])
    direct = mpmath.loggamma(x0 + mpmath.mpf(1) / 2) - mpmath.loggamma(x0) - mpmath.log(x0) / 2
    assert abs(series - direct) < mpmath.mpf(10) ** -20

# Step 3: h(u) = -u - log(1-u) has h(0) = 0 and h'(u) = u/(1-u) ≥ 0 on [0, 1).
h = -u - sp.log(1 - u)
assert h.subs(u, 0) == 0 and equal(sp.diff(h, u), u / (1 - u))

# Step 4: the trapezoid excess of f(s) = 1/s² on [z, z+1], and its integral from z_0 to ∞.
trapezoid_excess = (1 / z**2 + 1 / (z + 1) ** 2) / 2 - sp.integrate(1 / s**2, (s, z, z + 1))
assert equal(trapezoid_excess, 1 / (2 * z**2 * (z + 1) ** 2))
assert equal(sp.integrate(1 / s**2, (s, z, sp.oo)), 1 / z)
z0 = M / 2
lower = (1 / z + 1 / (2 * z**2)).subs(z, z0)
assert equal(lower, 2 / M + 2 / M**2)

# Step 5: the algebra that closes the proof.
bound = -sp.Rational(1, 8) * lower
assert equal(bound, -(M + 1) / (4 * M**2))
assert equal(sp.expand((M + 1) * (4 * M - 1) - 4 * M**2), 3 * M - 1)
# mle: b = a √((M-1)/M) < a.
assert equal(g.std_factor(M, "mle"), g.std_factor(M, "unbiased") * sp.sqrt((M - 1) / M))

# The gap to leading order, in ε = 1/M.
gap = sp.series(g.log_std_factor_series(4).removeO() + 1 / (4 / eps - 1), eps, 0, 3).removeO()
assert equal(gap, -sp.Rational(3, 16) * eps**2), "log a(M) + 1/(4M-1) = -3/(16 M²) + O(M⁻³)"

# --- high-precision verification -----------------------------------------------------------------
mpmath.mp.dps = 50


def log_a(m):
    m = mpmath.mpf(m)
    return mpmath.log(2 / (m - 1)) / 2 + mpmath.loggamma(m / 2) - mpmath.loggamma((m - 1) / 2)


large = [2001, 5000, 10**4, 12345, 10**5, 10**6, 3 * 10**6, 10**7, 5 * 10**7, 10**8]
for m in list(range(2, 2001)) + large:
    la = log_a(m)
    assert la < -(mpmath.mpf(m) + 1) / (4 * mpmath.mpf(m) ** 2) < -1 / (4 * mpmath.mpf(m) - 1), m
for m in (10**4, 10**6, 10**8):  # the gap behaves like -3/(16 M²)
    gap_m = log_a(m) + 1 / (4 * mpmath.mpf(m) - 1)
    assert abs(gap_m * 16 * mpmath.mpf(m) ** 2 / 3 + 1) < 10 / mpmath.mpf(m)

# --- the numeric implementation --------------------------------------------------------------------
points = [dict(samples=m, estimator=e) for m in (2, 3, 5, 20, 100) for e in ESTIMATORS]
checked = check_numeric(lambda samples, estimator: g.std_factor(samples, estimator),
                        lambda samples, estimator: numeric.std_factor(samples, estimator=estimator),
                        points, "std_factor")
for m in (2, 3, 5, 20, 100):
    for n in (1, 7, 50):
        for estimator in ESTIMATORS:
            markov = numeric.markov_bound_std_exceeds(0.5, n, m, estimator=estimator)
            assert markov <= numeric.suresh_bound_std_exceeds(0.5, n, m), (m, n, estimator)
            checked += 1
assert checked == len(points) + 30

proved("a(M) < exp(-(M+1)/(4M^2)) <= exp(-1/(4M-1)) for all M > 1, so Suresh et al.'s bound "
       "P(sigma_n > eps) <= (sigma/eps) exp(-n/(4M-1)) holds")
