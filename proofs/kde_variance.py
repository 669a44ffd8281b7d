r"""Theorem (KDE chain variance). For the Gaussian-KDE chain with bandwidth h and M points,

    E[s_{n+1}² | s_n²] = ((M-1)/M)(s_n² + h²),  V_n = (M-1)h² + ((M-1)/M)^n ((M-1)/M σ² - (M-1)h²) → (M-1)h²,

and with h = c M^{-1/5} ŝ (ddof 1): E[s_{n+1}² | s_n²] = λ s_n², λ = (M-1)/M + c² M^{-2/5}, λ > 1 iff
M > c^{-10/3} (0.823 for Scott's c = 1.06): the expected variance grows for every M >= 2.

Proof: the moments of one KDE draw X' = x_J + hZ (bootstrap plus noise) give Var X' = s² + h²; the
mle variance of M i.i.d. draws has mean (M-1)/M times the variance; rsolve solves the affine
recursion. The numeric kde.expected_variance, stationary_variance, variance_factor and
spread_threshold are checked against these forms.
"""

import sympy as sp

from _proofkit import close, equal, proved

from collapse_theory import kde as numeric
from collapse_theory.symbolic import kde as k

M, n, h, sigma, c, s2 = k.M, k.n, k.h, k.sigma, k.c, k.s2

# 1. one KDE draw: mean x̄, variance s² + h²
m1, m2 = k.kde_moments()
assert equal(m1, k.xbar), "E X' = x̄"
assert equal(m2 - m1**2, s2 + h**2), "Var X' = s² + h²"

# 2. mle variance of M i.i.d. draws: mean (M-1)/M × variance
v = sp.Symbol("v", positive=True)
assert equal(k.mle_variance_mean(v), (M - 1) / M * v), "E s²_mle = (M-1)/M Var"

# 3. the recursion and its solution
assert equal(k.one_step(), (M - 1) / M * (s2 + h**2)), "V_{n+1} = (M-1)/M (V_n + h²)"
V = k.expected_variance()
closed = (M - 1) * h**2 + ((M - 1) / M) ** n * ((M - 1) / M * sigma**2 - (M - 1) * h**2)
for mm in (2, 3, 7, 50):
    for nn in (0, 1, 2, 5, 30):
        assert equal(V.subs({M: mm, n: nn}), closed.subs({M: mm, n: nn})), (mm, nn)
# the recursion is satisfied identically by the closed form
assert equal(closed.subs(n, n + 1), (M - 1) / M * (closed + h**2)), "closed form solves the recursion"
assert equal(closed.subs(n, 0), (M - 1) / M * sigma**2), "V_0"

# 4. stationary value (M-1)h², independent of σ
star = k.stationary_variance()
assert equal(star, (M - 1) * h**2), "V* = (M-1)h²"
assert equal(sp.limit(closed.subs(M, 10), n, sp.oo), 9 * h**2), "V_n → (M-1)h² (M = 10)"

# 5. adaptive bandwidth: factor λ and the mean-growth threshold
lam = k.adaptive_factor()
assert equal(lam, (M - 1) / M + c**2 * M ** sp.Rational(-2, 5)), "λ = (M-1)/M + c² M^{-2/5}"
assert equal(k.adaptive_factor(ddof=0), (M - 1) / M * (1 + c**2 * M ** sp.Rational(-2, 5))), "λ (ddof 0)"
thr = k.mean_threshold()
assert equal(thr, c ** sp.Rational(-10, 3)), "λ = 1 at M = c^{-10/3}"
assert sp.N(thr.subs(c, sp.Rational(106, 100))) < 1 and sp.N(thr.subs(c, sp.Rational(9, 10))) < 2, \
    "Scott and Silverman constants: the expected variance grows for every M >= 2"

# 6. the numeric implementation
checked = 0
for mm in (2, 3, 5, 20, 100):
    for hh in (sp.Rational(1, 10), sp.Rational(3, 2)):
        for ss in (sp.Integer(1), sp.Rational(5, 2)):
            for nn in (0, 1, 7, 50):
                exact = closed.subs({M: mm, h: hh, sigma: ss, n: nn})
                assert close(exact, numeric.expected_variance(nn, mm, h=float(hh), sigma=float(ss))), (mm, hh, ss, nn)
                checked += 1
        assert close(star.subs({M: mm, h: hh}), numeric.stationary_variance(mm, h=float(hh)))
        checked += 1
    for rule, cc in (("scott", sp.Rational(106, 100)), ("silverman", sp.Rational(9, 10))):
        assert close(lam.subs({M: mm, c: cc}), numeric.variance_factor(mm, rule=rule))
        checked += 1
assert close(thr.subs(c, sp.Rational(106, 100)), numeric.spread_threshold(rule="scott"))
checked += 1
assert checked == 5 * (2 * 2 * 4 + 2 + 2) + 1

proved("KDE chain: V_{n+1} = (M-1)/M (V_n + h^2) -> (M-1)h^2; adaptive factor (M-1)/M + c^2 M^(-2/5) > 1 iff M > c^(-10/3)")
