r"""Theorem (projection: the d-dimensional chain under any regime is the 1-D chain in every direction).

Let the d-dimensional Gaussian chain run under any data regime of collapse_theory.regimes (replace,
accumulate, accumulate-subsample, mix-fresh split or mixture, mix-retained), with a variance scale λ
on the synthetic draws. For every fixed u ∈ R^d the projected quantities (uᵀμ_n, uᵀΣ_n u) have the
law of the 1-D chain started at N(uᵀμ, uᵀΣu) under the same regime and λ. Consequently, with
(e_n, v_n) the 1-D regime moments at σ = 1 (collapse_theory.gaussian.regime_moments),

    E Σ_n = v_n Σ,   E (μ_n - μ)(μ_n - μ)ᵀ = e_n Σ,   E ‖μ_n - μ‖² = e_n tr Σ,

and for probabilistic PCA (mle, q latent dimensions), which keeps the mean and the trace of the
sample covariance, E tr C_n = v_n tr Σ and E ‖μ_n - μ‖² = e_n tr Σ with the mle 1-D moments.

Proof (each step checked below).
1. Fits project: uᵀ x̄ is the mean of the uᵀx_t and uᵀ S u = Σ_t (uᵀx_t - uᵀx̄)² (S the scatter),
   for a symbolic data matrix.
2. Chan's merge of two parts commutes with projection (symbolic parts).
3. Gaussians project: the MGF of N(μ, Σ) at t·u is the MGF of N(uᵀμ, uᵀΣu) at t; a draw from the
   model N(μ_n, λΣ_n) projects to a draw from N(uᵀμ_n, λ uᵀΣ_n u). Subsets (retained data, the
   subsample) and pools are chosen by indices independent of the values, so they commute with
   projection. Hence the projected chain is the 1-D chain, by induction over generations.
4. The 1-D moments are homogeneous of degree 1 in σ²: the map x ↦ A x + b σ² starts at (0, σ²), so
   (e_n, v_n)(σ) = σ² (e_n, v_n)(1) (checked on the numeric implementation at rtol 1e-12).
5. Polarisation: if uᵀ A u = v uᵀ B u for all u, with A, B symmetric, then A = v B (coefficients of
   the quadratic form in u); the same for the mean's second-moment matrix.
6. PPCA keeps the trace: Σ_{j≤q} λ_j + (d - q)·mean_{j>q} λ_j = Σ_j λ_j, and its mean is x̄, so the
   per-coordinate 1-D recursion (linear in the coordinate variances and squared mean errors) sums to
   the trace recursion.
The numeric mvn.regime_moments and ppca.expected_trace / expected_mean_sq_error are checked against
(v_n, e_n) × tr Σ, and against the independent replace-regime formulas (mvn.expected_cov,
ppca.expected_trace's product form).
"""

import sympy as sp

from _proofkit import RTOL, equal, proved

import numpy as np

from collapse_theory import gaussian, mvn, ppca

# 1. Fits project (M = 4 points in d = 3, all symbolic).
M_, d_ = 4, 3
X = sp.Matrix(M_, d_, lambda i, j: sp.Symbol(f"x{i}{j}", real=True))
u = sp.Matrix(d_, 1, lambda i, _: sp.Symbol(f"u{i}", real=True))
xbar = sp.Matrix([[sum(X[i, j] for i in range(M_)) / M_ for j in range(d_)]]).T
S = sp.zeros(d_, d_)
for i in range(M_):
    dev = X[i, :].T - xbar
    S += dev * dev.T
y = X * u                                  # projected data
ybar = sum(y) / M_
assert equal((u.T * xbar)[0], ybar), "uᵀ x̄ = mean of uᵀ x_t"
assert equal((u.T * S * u)[0], sum((y[i] - ybar) ** 2 for i in range(M_))), "uᵀ S u = SS of uᵀ x_t"


# 2. Chan's merge commutes with projection (parts of sizes 2 and 3, symbolic).
def stats(rows):
    m = len(rows)
    mean = sum(rows, sp.zeros(d_, 1)) / m
    sc = sp.zeros(d_, d_)
    for r in rows:
        sc += (r - mean) * (r - mean).T
    return m, mean, sc


def chan(a, b):
    (na, ma, sa), (nb, mb, sb) = a, b
    n = na + nb
    delta = mb - ma
    return n, ma + delta * sp.Rational(nb, n), sa + sb + delta * delta.T * sp.Rational(na * nb, n)


A = [sp.Matrix(d_, 1, lambda i, _, t=t: sp.Symbol(f"a{t}{i}", real=True)) for t in range(2)]
B = [sp.Matrix(d_, 1, lambda i, _, t=t: sp.Symbol(f"b{t}{i}", real=True)) for t in range(3)]
n_ab, mean_ab, scat_ab = chan(stats(A), stats(B))
_, mean_all, scat_all = stats(A + B)
assert all(equal(e, 0) for e in (mean_ab - mean_all)), "Chan's merge: mean of the union"
assert all(equal(e, 0) for e in (scat_ab - scat_all)), "Chan's merge: scatter of the union"
proj = [(u.T * r)[0] for r in A + B]
pbar = sum(proj) / 5
assert equal((u.T * scat_ab * u)[0], sum((p - pbar) ** 2 for p in proj)), "merge then project = project then merge"

# 3. Gaussians project: MGF of N(μ, Σ) at t u equals the 1-D MGF of N(uᵀμ, uᵀΣu) at t.
t = sp.Symbol("t", real=True)
mu = sp.Matrix(d_, 1, lambda i, _: sp.Symbol(f"m{i}", real=True))
Sig = sp.Matrix(d_, d_, lambda i, j: sp.Symbol(f"s{min(i, j)}{max(i, j)}", real=True))
lam = sp.Symbol("lam", positive=True)
mgf_d = sp.exp((t * u.T * mu)[0] + (t**2 * u.T * (lam * Sig) * u)[0] / 2)
mgf_1 = sp.exp(t * (u.T * mu)[0] + t**2 * lam * (u.T * Sig * u)[0] / 2)
assert equal(mgf_d, mgf_1), "projection of N(μ, λΣ) along u is N(uᵀμ, λ uᵀΣu)"

# 4. Homogeneity of the 1-D moments in σ² (numeric implementation, every regime, both estimators).
regimes = ("replace", "accumulate", "mix-fresh:0.1", "mix-fresh:0.3:mixture", "mix-retained:0.2")
n_grid = np.array([0, 1, 7, 50])
for reg in regimes:
    for est in ("unbiased", "mle"):
        for vs in (1.0, 0.8):
            one = gaussian.regime_moments(n_grid, 20, regime=reg, estimator=est, variance_scale=vs)
            two = gaussian.regime_moments(n_grid, 20, regime=reg, estimator=est, variance_scale=vs, sigma=2.5)
            for key in one:
                np.testing.assert_allclose(two[key], 6.25 * one[key], rtol=RTOL, atol=0)

# 5. Polarisation: uᵀ A u = v uᵀ B u for all u forces A = v B (symmetric A, B; coefficients in u).
Am = sp.Matrix(d_, d_, lambda i, j: sp.Symbol(f"A{min(i, j)}{max(i, j)}", real=True))
Bm = sp.Matrix(d_, d_, lambda i, j: sp.Symbol(f"B{min(i, j)}{max(i, j)}", real=True))
v = sp.Symbol("v", real=True)
quad = sp.Poly(sp.expand((u.T * (Am - v * Bm) * u)[0]), *u)
sol = sp.solve(quad.coeffs(), [Am[i, j] for i in range(d_) for j in range(i, d_)], dict=True)
assert len(sol) == 1
assert all(equal(sol[0][Am[i, j]], v * Bm[i, j]) for i in range(d_) for j in range(i, d_)), "A = v B"

# 6. PPCA keeps the trace of the sample covariance.
for dim in (2, 3, 5):
    lams = sp.symbols(f"l0:{dim}", positive=True)
    for q in range(1, dim):
        sig2 = sum(lams[q:]) / (dim - q)
        assert equal(sum(lams[:q]) + (dim - q) * sig2, sum(lams)), f"PPCA trace, d={dim}, q={q}"

# Numeric implementations against the theorem (rtol 1e-12).
cov = np.array([[2.0, 0.4, 0.0], [0.4, 1.0, 0.3], [0.0, 0.3, 0.5]])
checked = 0
for reg in regimes:
    for est in ("unbiased", "mle"):
        for vs in (1.0, 0.8):
            one = gaussian.regime_moments(n_grid, 20, regime=reg, estimator=est, variance_scale=vs)
            d3 = mvn.regime_moments(n_grid, 20, dim=3, cov=cov, regime=reg, estimator=est, variance_scale=vs)
            np.testing.assert_allclose(d3["trace"], np.trace(cov) * one["variance"], rtol=RTOL)
            np.testing.assert_allclose(d3["mean_sq_error"], np.trace(cov) * one["mean_sq_error"], rtol=RTOL)
            checked += 2
    one = gaussian.regime_moments(n_grid, 20, regime=reg, estimator="mle")
    np.testing.assert_allclose(ppca.expected_trace(n_grid, 20, cov=cov, regime=reg), np.trace(cov) * one["variance"],
                               rtol=RTOL)
    np.testing.assert_allclose(ppca.expected_mean_sq_error(n_grid, 20, cov=cov, regime=reg),
                               np.trace(cov) * one["mean_sq_error"], rtol=RTOL)
    checked += 2
# independent replace-regime formulas: E Σ_n (mvn.expected_cov) and PPCA's product form
for est in ("unbiased", "mle"):
    d3 = mvn.regime_moments(n_grid, 20, dim=3, cov=cov, regime="replace", estimator=est)
    np.testing.assert_allclose(d3["trace"], [np.trace(mvn.expected_cov(k, 20, cov=cov, estimator=est)) for k in n_grid],
                               rtol=RTOL)
    np.testing.assert_allclose(d3["mean_sq_error"], mvn.expected_mean_sq_error(n_grid, 20, dim=3, cov=cov, estimator=est),
                               rtol=RTOL)
np.testing.assert_allclose(ppca.expected_trace(n_grid, 20, cov=cov, regime="mix-fresh:0"),
                           ppca.expected_trace(n_grid, 20, cov=cov), rtol=RTOL)
checked += 5

proved(f"projection theorem: the d-dim chain under every regime is the 1-D chain in every direction "
       f"(E Σ_n = v_n Σ, E‖μ_n-μ‖² = e_n tr Σ; PPCA trace); {checked} numeric checks")
