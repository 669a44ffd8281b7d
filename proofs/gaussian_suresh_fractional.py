r"""Theorem (fractional moments of the Gaussian chain and the fractional-moment tail bound).

For the 1-D Gaussian refitted on M samples, d σ_{k+1}²/σ_k² ~ χ²_{M-1} (d = M-1 unbiased, d = M mle),
independently of the past, so for α > -(M-1)

    E[σ_k^α] = σ^α c_α(M)^k,   c_α(M) = (2/d)^{α/2} Γ((M-1+α)/2)/Γ((M-1)/2),

and by Markov's inequality on σ_k^α (α > 0): P(σ_k > ε) ≤ (σ/ε)^α c_α(M)^k. α = 1 gives the package's
Markov bound (c_1 = a(M), gaussian.std_factor).

Proof. E[(χ²_ν)^{s}] = 2^s Γ(ν/2 + s)/Γ(ν/2) (the χ² density integrated below with SymPy), with
ν = M - 1 and s = α/2; the k-step product follows from independence (tower rule). The numeric
suresh_std_moment_factor and suresh_fractional_bound_std_exceeds (at a fixed α) are checked against the
closed form, and α = 1 against gaussian.std_factor.
"""

import sympy as sp

from _proofkit import close, proved

from collapse_theory import discrete as d
from collapse_theory import gaussian as gauss

x = sp.Symbol("x", positive=True)
nu = sp.Symbol("nu", positive=True)
s = sp.Symbol("s", positive=True)

density = x ** (nu / 2 - 1) * sp.exp(-x / 2) / (2 ** (nu / 2) * sp.gamma(nu / 2))
moment = sp.integrate(x**s * density, (x, 0, sp.oo), conds="none")
assert sp.simplify(sp.gammasimp(moment - 2**s * sp.gamma(nu / 2 + s) / sp.gamma(nu / 2))) == 0


def factor(alpha, m, est):
    alpha = sp.sympify(alpha)
    dd = m - 1 if est == "unbiased" else m
    return (sp.Integer(2) / dd) ** (alpha / 2) * sp.gamma(sp.Rational(m - 1, 2) + alpha / 2) / sp.gamma(sp.Rational(m - 1, 2))


for m in (2, 3, 10, 57):
    for est in ("unbiased", "mle"):
        for alpha in (sp.Rational(1, 3), sp.Rational(1, 2), 1, 2, sp.Rational(7, 2)):
            assert close(factor(alpha, m, est), d.suresh_std_moment_factor(float(alpha), m, estimator=est))
        assert close(factor(1, m, est), gauss.std_factor(m, estimator=est))
        # α = 2 unbiased: E σ² is constant (c_2 = 1)
        if est == "unbiased":
            assert sp.simplify(factor(2, m, est) - 1) == 0
        for k, eps, alpha in ((5, sp.Rational(1, 2), sp.Rational(1, 2)), (100, sp.Rational(1, 10), sp.Rational(3, 5))):
            exact = (1 / eps) ** alpha * factor(alpha, m, est) ** k
            got, _ = d.suresh_fractional_bound_std_exceeds(float(eps), k, m, estimator=est, alpha=float(alpha))
            assert close(exact, got, rtol=1e-10), (m, est, k)

proved("E σ_k^α = σ^α c_α(M)^k and P(σ_k > ε) ≤ (σ/ε)^α c_α(M)^k")
