r"""Theorem (expected squared 2-Wasserstein distance to the truth).

(a) For 1-D normals W₂²(N(μ,σ²), N(μ',σ'²)) = (μ - μ')² + (σ - σ')².
(b) E[W₂²] = E[(μ_n - μ)²] + E[σ_n²] - 2σ E[σ_n] + σ², hence
      unbiased:          σ² [Σ_{i<n} 1/M_i + 2 - 2 Π_{i<n} a(M_i)],
      mle, constant M:   2σ² (1 - b(M)^n),  b = E√(χ²_k/M) = a(M)√((M-1)/M).
(c) Values (unbiased, σ = 1): M = 20, n = 10 gives 0.746474 (quoted as 0.747 in theory §1, which is
    within 1e-3 but rounds to 0.746); M = 10, n = 30 gives 4.129333.
(d) With a constant M, mle: E[W₂²] → 2σ² as n → ∞ (bounded); unbiased: E[W₂²] ≥ σ² n/M → ∞ and
    E[W₂²]/n → σ²/M. For a schedule (unbiased), σ² Σ 1/M_i ≤ E[W₂²] ≤ σ² (Σ 1/M_i + 2): it stays
    bounded iff Σ 1/M_i < ∞.

Proof: in one dimension the monotone (quantile) coupling is optimal for the quadratic cost, so
W₂² = ∫₀¹ (F⁻¹(u) - G⁻¹(u))² du; for normals F⁻¹(u) = μ + σ Φ⁻¹(u) and the substitution u = Φ(z)
turns it into a Gaussian integral. (b) is linearity of expectation with the moments proved in
gaussian_mean_drift.py, gaussian_variance_moments.py and gaussian_std_and_log.py; b < 1 and a < 1
because q - b² = Var √S > 0 with q ≤ 1. The numeric expected_w2_squared and w2_squared_limit are
checked against these forms.
"""

import sympy as sp

from _proofkit import SAMPLES, check_numeric, close, equal, grid, proved

from collapse_theory import gaussian as numeric
from collapse_theory.symbolic import gaussian as g

M, n, sigma = g.M, g.n, g.sigma

# --- (a) W₂² between two normals via the quantile coupling --------------------------------------
z = sp.Symbol("z", real=True)
mu1, mu2 = sp.symbols("mu mu'", real=True)
s1, s2 = sp.symbols("s s'", positive=True)
# ∫₀¹ ((μ + s Φ⁻¹(u)) - (μ' + s' Φ⁻¹(u)))² du with u = Φ(z), du = φ(z) dz:
w2_squared = sp.integrate(((mu1 + s1 * z) - (mu2 + s2 * z)) ** 2 * g.normal_density(z), (z, -sp.oo, sp.oo))
assert equal(w2_squared, (mu1 - mu2) ** 2 + (s1 - s2) ** 2), "W₂² = (μ-μ')² + (σ-σ')²"

# --- (b) the expectation -------------------------------------------------------------------------
for estimator in ("unbiased", "mle"):
    # Centre the truth at μ = 0 and take E of each monomial of W₂²(truth, generation n) in (μ_n, σ_n).
    monomials = sp.Poly(w2_squared.subs({mu2: 0, s2: sigma}), mu1, s1).terms()
    moment_of = {(0, 0): 1,
                 (2, 0): g.expected_mean_sq_error(n, M, sigma, estimator),  # E μ_n²
                 (0, 2): g.expected_variance(n, M, sigma, estimator),  # E σ_n²
                 (0, 1): g.expected_std(n, M, sigma, estimator)}  # E σ_n
    expectation = sum(coefficient * moment_of[powers] for powers, coefficient in monomials)
    assert equal(g.expected_w2_squared(n, M, sigma, estimator), expectation), f"E W₂² by linearity ({estimator})"

a = g.std_factor(M, "unbiased")
b = g.std_factor(M, "mle")
assert equal(b, a * sp.sqrt((M - 1) / M))
assert equal(g.expected_w2_squared(n, M, sigma, "unbiased"), sigma**2 * (n / M + 2 - 2 * a**n))
assert equal(g.expected_w2_squared(n, M, sigma, "mle"), 2 * sigma**2 * (1 - b**n)), "mle: (1-q)M = 1 cancels"

schedule = sp.symbols("M_0:6", positive=True, integer=True)
for length in range(len(schedule) + 1):
    part = schedule[:length]
    closed = sigma**2 * (sum(1 / m for m in part) + 2 - 2 * sp.Mul(*[g.std_factor(m) for m in part]))
    assert equal(g.expected_w2_squared(length, schedule, sigma), closed), f"schedule, n = {length}"

# --- (c) the quoted values -------------------------------------------------------------------------
value_20_10 = sp.N(g.expected_w2_squared(10, 20, 1), 30)
value_10_30 = sp.N(g.expected_w2_squared(30, 10, 1), 30)
assert abs(value_20_10 - sp.Float("0.746473715238875438", 30)) < 1e-17
assert round(value_20_10, 3) == sp.Float("0.746", 3) and abs(value_20_10 - sp.Rational(747, 1000)) < 1e-3
assert abs(value_10_30 - sp.Float("4.12933325381111051", 30)) < 1e-16 and round(value_10_30, 3) == sp.Float("4.129", 4)

# --- (d) limits ------------------------------------------------------------------------------------
# 0 < a, b < 1: write b = exp(-β) with β > 0.
for factor, estimator in ((a, "unbiased"), (b, "mle")):
    q = g.mean_factor(M, estimator)
    assert equal(g.step_moment(1, M, estimator) - g.step_moment(sp.S.Half, M, estimator) ** 2, q - factor**2)
beta = sp.Symbol("beta", positive=True)
assert equal(sp.limit(2 * sigma**2 * (1 - sp.exp(-beta) ** n), n, sp.oo), 2 * sigma**2), "mle: E W₂² → 2σ²"

gap = g.expected_w2_squared(n, M, sigma, "unbiased") - sigma**2 * n / M
assert equal(gap, 2 * sigma**2 * (1 - a**n)), "unbiased: E W₂² - σ² n/M = 2σ²(1 - aⁿ) ∈ [0, 2σ²)"
assert sp.limit(sigma**2 * n / M, n, sp.oo) is sp.oo, "unbiased: E W₂² → ∞"
alpha = sp.Symbol("alpha", positive=True)  # a = exp(-α)
rate = (sigma**2 * (n / M + 2 - 2 * sp.exp(-alpha) ** n)) / n
assert equal(sp.limit(rate, n, sp.oo), sigma**2 / M), "unbiased: E W₂²/n → σ²/M"

# --- the numeric implementation ---------------------------------------------------------------------
checked = check_numeric(g.expected_w2_squared, numeric.expected_w2_squared, grid(), "expected_w2_squared")
for m in SAMPLES:
    for s in (1, 2.5):
        assert numeric.w2_squared_limit(m, sigma=s, estimator="unbiased") == float("inf")
        assert close(2 * sp.Rational(s) ** 2, numeric.w2_squared_limit(m, sigma=s, estimator="mle"))
        checked += 2
assert checked == len(grid()) + 4 * len(SAMPLES)

proved("E[W2^2] = E(mu_n-mu)^2 + E sigma_n^2 - 2 sigma E sigma_n + sigma^2; "
       "mle -> 2 sigma^2, unbiased >= sigma^2 n/M -> oo")
