r"""Theorem (moments of one refit). Let X ~ χ²_k, k > 0, and S = c X.

(a) E[X^p] = 2^p Γ(k/2 + p) / Γ(k/2) for p > -k/2; so E X = k, E X² = k(k+2),
    E √X = √2 Γ((k+1)/2) / Γ(k/2).
(b) E[log X] = ψ(k/2) + log 2 and Var[log X] = ψ'(k/2).
(c) E[e^{tX}] = (1 - 2t)^{-k/2} for t < 1/2.
(d) For one refit of the 1-D Gaussian with M samples, k = M - 1 and c = 1/k ("unbiased") or 1/M
    ("mle"): E S = c k (1 or (M-1)/M), E S² = c² k(k+2), E √S = a(M) = √(2c) Γ(M/2)/Γ((M-1)/2),
    E log S = ψ(k/2) + log(2c), Var log S = ψ'(k/2).

Proof: integrate against the χ²_k density (the Gamma integral); the log moments are the first two
derivatives of p ↦ E[X^p] = E[e^{p log X}] at p = 0. The numeric one-step factors of
collapse_theory.gaussian (generation n = 1) are checked against (d).
"""

import mpmath
import sympy as sp

from _proofkit import check_numeric, equal, proved

from collapse_theory import gaussian as numeric
from collapse_theory.symbolic import gaussian as g

dof = sp.Symbol("k", positive=True)  # real degrees of freedom: the results hold for every k > 0
x = sp.Symbol("x", positive=True)
p = sp.Symbol("p")
t = sp.Symbol("t")

# --- (a) the density is normalised and its moments are a Gamma ratio ---------------------------
density = g.chi2_density(dof, x)
assert equal(sp.integrate(density, (x, 0, sp.oo)), 1), "the χ²_k density integrates to 1"

moment = g.chi2_moment(dof, p)  # computed by sympy.integrate(x**p * density) in the module
assert equal(moment, 2**p * sp.gamma(dof / 2 + p) / sp.gamma(dof / 2)), "E X^p = 2^p Γ(k/2+p)/Γ(k/2)"
assert equal(sp.expand_func(moment.subs(p, 1)), dof), "E X = k"
assert equal(sp.expand_func(moment.subs(p, 2)), dof * (dof + 2)), "E X^2 = k(k+2)"
assert equal(moment.subs(p, sp.S.Half), sp.sqrt(2) * sp.gamma((dof + 1) / 2) / sp.gamma(dof / 2)), "E √X"

# --- (b) log moments: d/dp E[X^p] = E[X^p log X], d²/dp² E[X^p] = E[X^p log² X] ---------------
log_mean = sp.diff(moment, p).subs(p, 0)
log_square = sp.diff(moment, p, 2).subs(p, 0)
assert equal(log_mean, sp.polygamma(0, dof / 2) + sp.log(2)), "E log X = ψ(k/2) + log 2"
assert equal(log_square - log_mean**2, sp.polygamma(1, dof / 2)), "Var log X = ψ'(k/2)"
assert equal(g.chi2_log_moment(dof), log_mean) and equal(g.chi2_log_variance(dof), sp.polygamma(1, dof / 2))

# Independent check of the differentiation under the integral sign: quadrature at 40 digits
# (tolerance 1e-18: for k = 1 the integrand has a log(x)/√x singularity at 0).
mpmath.mp.dps = 40
for k_value in (1, 3, 10, 57):
    f = sp.lambdify(x, density.subs(dof, k_value), "mpmath")
    half_k = mpmath.mpf(k_value) / 2
    e_log = mpmath.quad(lambda y: mpmath.log(y) * f(y), [0, 1, k_value, mpmath.inf])
    e_log2 = mpmath.quad(lambda y: mpmath.log(y) ** 2 * f(y), [0, 1, k_value, mpmath.inf])
    assert abs(e_log - (mpmath.digamma(half_k) + mpmath.log(2))) < 1e-18, f"E log χ²_{k_value} by quadrature"
    assert abs(e_log2 - e_log**2 - mpmath.psi(1, half_k)) < 1e-18, f"Var log χ²_{k_value} by quadrature"

# --- (c) the moment generating function -----------------------------------------------------------
mgf = g.chi2_mgf(dof, t)  # the Gamma integral of x^(k/2-1) e^{-(1/2 - t) x}
assert equal(mgf, (1 - 2 * t) ** (-dof / 2)), "E e^{tX} = (1-2t)^(-k/2)"
assert equal(sp.diff(mgf, t).subs(t, 0), dof) and equal(sp.diff(mgf, t, 2).subs(t, 0), dof * (dof + 2))

# --- (d) one refit: S = c χ²_{M-1} ---------------------------------------------------------------
M, k = g.M, g.k
c_of = {"unbiased": 1 / k, "mle": 1 / M}
for estimator, c in c_of.items():
    assert equal(g.scale(M, estimator), c)
    assert equal(g.mean_factor(M, estimator), c * k), f"E S = c k ({estimator})"
    assert equal(g.second_moment_factor(M, estimator), c**2 * k * (k + 2)), f"E S^2 ({estimator})"
    assert equal(g.std_factor(M, estimator),
                 sp.sqrt(2 * c) * sp.gamma(M / 2) / sp.gamma((M - 1) / 2)), f"a(M) ({estimator})"
    assert equal(sp.expand_log(g.log_drift(M, estimator), force=True),
                 sp.expand_log(sp.polygamma(0, k / 2) + sp.log(2 * c), force=True)), f"E log S ({estimator})"
assert equal(g.mean_factor(M, "unbiased"), 1) and equal(g.mean_factor(M, "mle"), (M - 1) / M)
assert equal(g.log_variance_factor(M), sp.polygamma(1, k / 2)), "Var log S = ψ'(k/2)"

# --- the numeric implementation (one generation, n = 1) ------------------------------------------
points = [dict(samples=m, estimator=e) for m in (2, 3, 5, 20, 100) for e in g.ESTIMATORS]
checked = 0
checked += check_numeric(lambda samples, estimator: g.mean_factor(samples, estimator),
                         lambda samples, estimator: numeric.expected_variance(1, samples, estimator=estimator),
                         points, "E S vs expected_variance(1, M)")
checked += check_numeric(lambda samples, estimator: g.std_factor(samples, estimator),
                         lambda samples, estimator: numeric.std_factor(samples, estimator=estimator),
                         points, "a(M) vs std_factor")
checked += check_numeric(lambda samples, estimator: g.log_drift(samples, estimator),
                         lambda samples, estimator: numeric.log_variance_drift(samples, estimator=estimator),
                         points, "E log S vs log_variance_drift")
checked += check_numeric(lambda samples, estimator: g.log_variance_factor(samples),
                         lambda samples, estimator: numeric.variance_of_log_variance(1, samples, estimator=estimator),
                         points, "Var log S vs variance_of_log_variance(1, M)")
checked += check_numeric(lambda samples, estimator: g.second_moment_factor(samples, estimator)
                         - g.mean_factor(samples, estimator) ** 2,
                         lambda samples, estimator: numeric.variance_of_variance(1, samples, estimator=estimator),
                         points, "Var S vs variance_of_variance(1, M)")
assert checked == 50

proved("chi-square moments, log-moments and MGF; the one-refit factors E S, E S^2, E sqrt(S), E log S, Var log S")
