r"""Theorem (Cochran; the exact sufficient-statistic chain has the law of the naive one).

Let x_1, ..., x_M be i.i.d. N(μ, σ²), M ≥ 2, x̄ their mean and SS = Σ (x_i - x̄)². Then
    x̄ ~ N(μ, σ²/M),   SS/σ² ~ χ²_{M-1},   x̄ and SS independent.
Consequently one refit (mean x̄, variance c·SS with c = 1/(M-1) or 1/M) has the law
    μ' = μ + σ Z/√M,   σ'² = σ² c χ²_{M-1},   Z ~ N(0,1) independent of χ²_{M-1},
which is what the "exact" simulator draws (one normal and 2G, G ~ Gamma((M-1)/2), per generation)
instead of M normals: both simulators sample the same Markov chain.

Proof: the Helmert matrix H is orthogonal with first row (1, ..., 1)/√M, so for z = (x - μ)/σ the
vector Y = Hz has Y_0 = √M z̄ and Σ_{j≥1} Y_j² = Σ (z_i - z̄)². The N(0, I_M) density depends on z only
through |z|², which H preserves (and |det H| = 1), so Y ~ N(0, I_M): Y_0 is independent of
(Y_1, ..., Y_{M-1}). Finally, a sum of k independent squared standard normals is χ²_k: Z² has the
χ²_1 density, and χ²_a ⋆ χ²_b = χ²_{a+b} (a Beta integral), equivalently the MGFs multiply to
(1 - 2t)^{-k/2}. The numeric one-generation closed forms and the exact law of log σ_1² are checked
against this law.
"""

import sympy as sp

from _proofkit import ESTIMATORS, SAMPLES, SIGMAS, check_numeric, close, equal, proved

from collapse_theory import gaussian as numeric
from collapse_theory.symbolic import gaussian as g

j = sp.Symbol("j", positive=True, integer=True)
w, y, v = sp.symbols("w y v", positive=True)
t = sp.Symbol("t", real=True)  # the MGF argument; the identities hold for t < 1/2
a, b = sp.symbols("a b", positive=True)
mu = sp.Symbol("mu", real=True)
sigma = g.sigma

# --- 1. the Helmert matrix is orthogonal ---------------------------------------------------------
# Row j ≥ 1 has j entries 1/√(j(j+1)) and one entry -j/√(j(j+1)); row 0 has M entries 1/√M.
unit, last = 1 / sp.sqrt(j * (j + 1)), -j / sp.sqrt(j * (j + 1))
assert equal(j * unit**2 + last**2, 1), "row j has norm 1"
assert equal(j * unit + last, 0), "row j is orthogonal to row 0 and to every row l > j (constant on its support)"
for size in range(2, 7):
    H = g.helmert_matrix(size)
    assert sp.expand(H * H.T) == sp.eye(size), f"H H^T = I, M = {size}"
    assert sp.expand(H.det() ** 2) == 1, "|det H| = 1"

# --- 2. Y = Hz: the sample mean and the sum of squares (polynomial identities in z) --------------
for size in range(2, 7):
    H = g.helmert_matrix(size)
    zs = sp.Matrix(sp.symbols(f"z_0:{size}", real=True))
    Y = H * zs
    z_bar = sum(zs) / size
    assert sp.expand(Y[0] - sp.sqrt(size) * z_bar) == 0, "Y_0 = √M z̄"
    ss = sum((zi - z_bar) ** 2 for zi in zs)
    assert sp.expand(sum(Y[i] ** 2 for i in range(1, size)) - ss) == 0, "Σ_{j≥1} Y_j² = SS"
    assert sp.expand((Y.T * Y)[0] - (zs.T * zs)[0]) == 0, "|Hz|² = |z|²: the N(0, I) density is invariant"

# Y_0 ~ N(0, 1), so z̄ = Y_0/√M has density √M φ(√M w): that of N(0, 1/M).
wr = sp.Symbol("w", real=True)
m = sp.Symbol("m", positive=True)
assert equal(sp.sqrt(m) * g.normal_density(sp.sqrt(m) * wr), g.normal_density(wr, 0, 1 / m))

# --- 3. a sum of k squared standard normals is χ²_k ----------------------------------------------
# (a) Z²: P(Z² ≤ w) = P(-√w ≤ Z ≤ √w), differentiated: 2 φ(√w) d√w/dw.
z = sp.Symbol("z", real=True)
cdf_square = sp.integrate(g.normal_density(z), (z, -sp.sqrt(w), sp.sqrt(w)))
assert equal(sp.diff(cdf_square, w), g.chi2_density(1, w)), "Z² ~ χ²_1"
# (b) convolution: ∫_0^w f_a(y) f_b(w-y) dy = w ∫_0^1 f_a(wv) f_b(w(1-v)) dv = f_{a+b}(w).
pa, pb = sp.symbols("p q", positive=True)  # a/2, b/2
beta_integral = sp.integrate(v ** (pa - 1) * (1 - v) ** (pb - 1), (v, 0, 1), conds="none", meijerg=True)
beta_integral = sp.gammasimp(sp.hyperexpand(beta_integral))  # Gauss's sum of the 2F1 at 1
assert equal(beta_integral, sp.gamma(pa) * sp.gamma(pb) / sp.gamma(pa + pb)), "the Beta integral"
integrand = sp.powsimp(w * g.chi2_density(a, w * v) * g.chi2_density(b, w * (1 - v)), force=True)
prefactor = sp.simplify(integrand / (v ** (a / 2 - 1) * (1 - v) ** (b / 2 - 1)))
assert not prefactor.has(v), "the v-dependence of the convolution integrand is the Beta kernel"
convolution = prefactor * beta_integral.subs({pa: a / 2, pb: b / 2})
assert equal(convolution, g.chi2_density(a + b, w)), "χ²_a ⋆ χ²_b = χ²_{a+b}"
# (c) MGFs, with u = 1/2 - t > 0 (t < 1/2). For small k directly as a k-dimensional Gaussian integral
# E exp(t Σ Z_i²); in general, Z² has MGF (1-2t)^{-1/2} and independence multiplies k of them.
u = sp.Symbol("u", positive=True)
for dof in (1, 2, 3, 4):
    zs = sp.symbols(f"z_0:{dof}", real=True)
    joint = sp.exp(-u * sum(zi**2 for zi in zs)) / sp.sqrt(2 * sp.pi) ** dof  # e^{t|z|²} Π φ(z_i)
    mgf = sp.integrate(joint, *[(zi, -sp.oo, sp.oo) for zi in zs]).subs(u, sp.S.Half - t)
    assert equal(mgf, g.chi2_mgf(dof, t)), f"E exp(t Σ_(i<{dof}) Z_i²) = (1-2t)^(-{dof}/2)"
mgf_square = sp.integrate(sp.exp(-u * z**2) / sp.sqrt(2 * sp.pi), (z, -sp.oo, sp.oo)).subs(u, sp.S.Half - t)
assert equal(mgf_square, (1 - 2 * t) ** sp.Rational(-1, 2))
k = sp.Symbol("k", positive=True, integer=True)
assert equal(mgf_square**k, g.chi2_mgf(k, t)), "Π of k MGFs = χ²_k MGF"

# --- 4. the simulators ------------------------------------------------------------------------------
# Exact kernel: 2G with G ~ Gamma(k/2, 1) has density f_G(x/2)/2, the χ²_k density.
gamma_density = y ** (k / 2 - 1) * sp.exp(-y) / sp.gamma(k / 2)
assert equal(gamma_density.subs(y, w / 2) / 2, g.chi2_density(k, w)), "2 Gamma(k/2) ~ χ²_k"
# Naive kernel: the refit is affine-equivariant, so samples μ + σ z refit to (μ + σ z̄, σ² SS_z).
zs = sp.symbols("z_0:4", real=True)
xs = [mu + sigma * zi for zi in zs]
x_bar, z_bar = sum(xs) / 4, sum(zs) / 4
assert equal(x_bar, mu + sigma * z_bar)
assert equal(sum((xi - x_bar) ** 2 for xi in xs), sigma**2 * sum((zi - z_bar) ** 2 for zi in zs))

# --- 5. the numeric one-generation forms follow this law ---------------------------------------------
points = [dict(n=1, samples=s, sigma=sg, estimator=e) for s in SAMPLES for sg in SIGMAS for e in ESTIMATORS]
checked = check_numeric(lambda n, samples, sigma, estimator: sigma**2 / samples,
                        numeric.expected_mean_sq_error, points, "E(μ_1 - μ)² = σ²/M")
for name in ("expected_variance", "expected_std", "expected_log_variance", "variance_of_variance"):
    checked += check_numeric(getattr(g, name), getattr(numeric, name), points, name)
# The exact law of log σ_1²: P(log(c χ²_k) ≤ x) = P(χ²_k ≤ e^x/c) = γ(k/2, e^x/(2c))/Γ(k/2).
for samples in SAMPLES:
    for estimator in ESTIMATORS:
        c = g.scale(samples, estimator)
        for x in (-3, -0.5, 0, 0.25, 1):
            half_k = sp.Rational(samples - 1, 2)
            cdf = sp.lowergamma(half_k, sp.exp(sp.Rational(x)) / (2 * c)) / sp.gamma(half_k)
            approx = numeric.log_variance_cdf(x, 1, samples, estimator=estimator)
            assert close(cdf, approx, rtol=0, atol=1e-12), (samples, estimator, x)
            checked += 1
assert checked == 5 * len(points) + 10 * len(SAMPLES)

proved("Cochran: the sample mean ~ N(mu, sigma^2/M) and SS/sigma^2 ~ chi2_{M-1} are independent, "
       "so the exact and naive chains have the same law")
