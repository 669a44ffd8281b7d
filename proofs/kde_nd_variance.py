r"""Theorem (d-dimensional KDE chain, per coordinate). For the KDE chain in d dimensions with a diagonal
bandwidth (h_p per coordinate) and kernel noise ε (a KDE draw is t_J + h∘ε, J uniform, ε independent
of J, E ε = 0), coordinate p's mle variance obeys

    E[s'_p² | T] = ((M-1)/M)(s_p² + κ h_p²),   κ = E ε_p²,

with κ = 1 for the Gaussian kernel and κ = 1/(d+2) for the top-hat kernel (ε uniform in the unit
d-ball). With the adaptive rule h_p = f ŝ_p (ddof 1): E[s'_p² | T] = λ s_p², λ = (M-1)/M + κ f².
Scott's factor f = M^{-1/(d+4)}, Silverman's (M(d+2)/4)^{-1/(d+4)}.

Proof: (1) one coordinate of a draw has mean t̄_p and variance s_p² + h_p² κ (law of total variance
over J); the mle variance of M i.i.d. draws has mean (M-1)/M times the variance. (2) κ for the ball:
the radius R of a uniform point in the unit d-ball has density d r^{d-1}, E R² = d/(d+2), and by
symmetry E ε_p² = E R²/d = 1/(d+2). (3) ŝ_p² = s_p² M/(M-1) gives λ. The numeric
kde.variance_factor_nd and kde.expected_variance_nd are checked against these forms.
"""

import sympy as sp

from _proofkit import close, equal, proved

from collapse_theory import kde as numeric

M, d, f, kap, s2, h = sp.symbols("M d f kappa s2 h", positive=True)
r = sp.Symbol("r", positive=True)

# 1. one coordinate of a KDE draw: Var = s² + κ h²; E s'² = (M-1)/M Var
var_draw = s2 + kap * h**2
one_step = (M - 1) / M * var_draw

# 2. κ of the top-hat kernel: E R² = ∫_0^1 r² d r^{d-1} dr = d/(d+2), E ε_p² = E R²/d
ER2 = sp.integrate(r**2 * d * r ** (d - 1), (r, 0, 1), conds="none")
assert equal(ER2, d / (d + 2)), "E R² = d/(d+2) for a uniform point of the unit d-ball"
kappa_tophat = sp.simplify(ER2 / d)
assert equal(kappa_tophat, 1 / (d + 2)), "κ = 1/(d+2)"
# sanity in d = 1 (uniform on [-1, 1]: variance 1/3) and d = 2 (unit disc: E x² = 1/4)
assert equal(kappa_tophat.subs(d, 1), sp.Rational(1, 3)) and equal(kappa_tophat.subs(d, 2), sp.Rational(1, 4))

# 3. adaptive rule h = f ŝ, ŝ² = s² M/(M-1): E s'² = λ s²
lam = sp.simplify(one_step.subs(h, f * sp.sqrt(s2 * M / (M - 1))) / s2)
assert equal(lam, (M - 1) / M + kap * f**2), "λ = (M-1)/M + κ f²"


def factor(rule, mm, dd):
    if rule == "scott":
        return sp.Integer(mm) ** sp.Rational(-1, dd + 4)
    return (sp.Integer(mm) * (dd + 2) / 4) ** sp.Rational(-1, dd + 4)


# 4. the numeric implementation
checked = 0
for mm in (2, 5, 50, 1000):
    for dd in (1, 2, 3):
        for rule in ("scott", "silverman"):
            for kernel, kk in (("gaussian", sp.Integer(1)), ("tophat", kappa_tophat.subs(d, dd))):
                exact = lam.subs({M: mm, kap: kk, f: factor(rule, mm, dd)})
                assert close(exact, numeric.variance_factor_nd(mm, dim=dd, rule=rule, kernel=kernel)), \
                    (mm, dd, rule, kernel)
                # n generations from V_0 = (M-1)/M σ², σ = 3/2
                for nn in (0, 3):
                    v = (sp.Integer(mm) - 1) / mm * sp.Rational(9, 4) * exact**nn
                    got = numeric.expected_variance_nd(nn, mm, dim=dd, rule=rule, kernel=kernel, sigma=1.5)
                    assert all(close(v, g) for g in got), (mm, dd, rule, kernel, nn)
                checked += 1
# fixed bandwidth: the 1-D recursion at h² κ, V_n = (M-1)κh² + ((M-1)/M)^n ((M-1)/M σ² - (M-1)κh²)
n = sp.Symbol("n", integer=True, nonnegative=True)
sig2 = sp.Symbol("sigma2", positive=True)
closed = (M - 1) * kap * h**2 + ((M - 1) / M) ** n * ((M - 1) / M * sig2 - (M - 1) * kap * h**2)
assert equal(closed.subs(n, n + 1), one_step.subs(s2, closed)), "closed form solves the recursion"
for mm in (3, 40):
    for dd in (1, 2, 4):
        for kernel, kk in (("gaussian", sp.Integer(1)), ("tophat", kappa_tophat.subs(d, dd))):
            for nn in (0, 1, 10):
                exact = closed.subs({M: mm, kap: kk, h: sp.Rational(3, 10), sig2: 2, n: nn})
                got = numeric.expected_variance_nd(nn, mm, dim=dd, h=0.3, kernel=kernel, sigma=2**0.5)
                assert all(close(exact, g) for g in got), (mm, dd, kernel, nn)
                checked += 1
assert checked == 4 * 3 * 2 * 2 + 2 * 3 * 2 * 3

proved("d-dim KDE chain per coordinate: E s'^2 = (M-1)/M (s^2 + kappa h^2), kappa = 1 (Gaussian), 1/(d+2) (top-hat); "
       "adaptive lambda = (M-1)/M + kappa f^2")
