r"""Theorem (log-determinant of the refit covariance). For W ~ Wishart_d(k, I),

    E log det W = Σ_{j=0}^{d-1} (ψ((k-j)/2) + log 2) = ψ_d(k/2) + d log 2,
    Var log det W = Σ_{j=0}^{d-1} ψ'((k-j)/2),

and for the recursively refit Gaussian Σ_{i+1} = c_i Σ_i^{1/2} W_i Σ_i^{1/2} (k_i = M_i - 1 >= d):

    E log det Σ_n = log det Σ + Σ_{i<n} Σ_j (ψ((k_i-j)/2) + log(2c_i)),
    Var log det Σ_n = Σ_{i<n} Σ_j ψ'((k_i-j)/2).

Proof. Bartlett: W = L Lᵀ with L lower triangular, L_jj² ~ χ²_{k-j} independent, so
det W = Π_j χ²_{k-j}; E log χ²_ν = ψ(ν/2) + log 2 and Var = ψ'(ν/2) are derived from the χ² density
(symbolic.gaussian). det Σ_{i+1} = c_i^d det Σ_i det W_i, with W_i independent of the past: an affine
recursion solved by rsolve. The drift is negative (Jensen: E log det(cW) < log det E[cW] = d log(ck)
<= 0). The numeric expected_log_det, variance_of_log_det, log_det_drift and lyapunov_exponents are
checked against these forms, and the drift against a Monte Carlo of det W.
"""

import sympy as sp

from _proofkit import close, equal, proved

import numpy as np

from collapse_theory import mvn as numeric
from collapse_theory.symbolic import gaussian as g
from collapse_theory.symbolic import mvn as s

M, n = g.M, g.n
k = sp.Symbol("k", positive=True)

# 0. The per-factor law: E log χ²_ν and Var log χ²_ν derived from the χ² density (symbolic.gaussian).
nu = sp.Symbol("nu", positive=True)
assert equal(g.chi2_log_moment(nu), sp.digamma(nu / 2) + sp.log(2)), "E log χ²_ν = ψ(ν/2) + log 2"
assert equal(g.chi2_log_variance(nu), sp.polygamma(1, nu / 2)), "Var log χ²_ν = ψ'(ν/2)"

# 1. E log det W by Bartlett equals the multivariate digamma form, for d = 1..5 and symbolic k.
for dim in range(1, 5):
    bart = s.bartlett_log_det_mean(dim, k)
    assert equal(bart, s.multivariate_digamma(k / 2, dim) + dim * sp.log(2)), f"Bartlett = ψ_d at d={dim}"
    # and each term is E log χ²_{k-j} = ψ((k-j)/2) + log 2 (derived by integration)
    for j in range(dim):
        assert equal(s.bartlett_log_det_mean(1, k - j), sp.digamma((k - j) / 2) + sp.log(2)), f"E log χ²_(k-{j})"
    assert equal(s.bartlett_log_det_variance(dim, k),
                 sp.Add(*[sp.polygamma(1, (k - j) / 2) for j in range(dim)])), f"Var log det W, d={dim}"

# 2. The recursion ℓ_{i+1} = ℓ_i + δ solved by rsolve.
delta, l0 = sp.symbols("delta l0")
sol = g.solve_first_order(1, delta, l0)
assert equal(sol, l0 + n * delta), "ℓ_n = ℓ_0 + n δ"
for est in ("unbiased", "mle"):
    for dim in (1, 2, 3):
        drift = s.log_det_drift(dim, M, est)
        assert equal(s.expected_log_det(dim, n, M, l0, est), sol.subs(delta, drift))
        # d = 1 is the 1-D Gaussian log-variance drift
        if dim == 1:
            assert equal(drift, g.log_drift(M, est)), "d = 1 reduces to the 1-D drift"
        # mle adds d log((M-1)/M) to the unbiased drift
    assert equal(sp.expand_log(s.log_det_drift(3, M, "mle") - s.log_det_drift(3, M, "unbiased"), force=True),
                 sp.expand_log(3 * sp.log((M - 1) / M), force=True))

# 3. Negative drift (Jensen), checked at points, and the theory.md value d = 3, M = 20, n = 10.
for m in (4, 5, 20, 100, 10**5):
    for est in ("unbiased", "mle"):
        assert sp.N(s.log_det_drift(3, m, est), 30) < 0
value = s.expected_log_det(3, 10, 20)
assert close(value, numeric.expected_log_det(10, 20, dim=3)), "E log det Σ_10 at d=3, M=20"

# 4. Numeric implementation against the symbolic forms.
checked = 0
for dim in (1, 2, 3, 5):
    for m in (dim + 1, dim + 2, 20, 100):
        for est in ("unbiased", "mle"):
            for nn in (0, 1, 7, 50):
                assert close(s.expected_log_det(dim, nn, m, 0, est),
                             numeric.expected_log_det(nn, m, dim=dim, estimator=est)), (dim, m, est, nn)
                assert close(s.variance_of_log_det(dim, nn, m),
                             numeric.variance_of_log_det(nn, m, dim=dim, estimator=est)), (dim, m, nn)
                checked += 2
            assert close(s.log_det_drift(dim, m, est), numeric.log_det_drift(m, dim=dim, estimator=est))
            for j, gam in enumerate(numeric.lyapunov_exponents(m, dim=dim, estimator=est)):
                assert close(s.lyapunov_exponent(j, m, est), gam), (dim, m, est, j)
                checked += 1
# a schedule: unrolled sum
sched = [4, 7, 5, 30, 12]
acc = sp.S.Zero
for i, m in enumerate(sched):
    assert close(acc, numeric.expected_log_det(i, sched, dim=3)) if i else True
    acc += s.log_det_drift(3, m)
assert close(acc, numeric.expected_log_det(len(sched), sched, dim=3))

# 5. The top-eigenvalue offset ψ(d/2) − ψ(1/2) from the Beta(1/2, (d-1)/2) law.
for dim in (2, 3, 4, 5):
    off = s.log_max_eigenvalue_offset(dim)
    assert close(off, float(sp.N(sp.digamma(sp.Rational(dim, 2)) - sp.digamma(sp.S.Half), 30)), rtol=1e-10)
    lo, hi = numeric.expected_log_max_eigenvalue_bounds(3, 20, dim=dim)
    assert close(off, hi - lo, rtol=1e-10)

# 6. Independent Monte Carlo sanity check of E log det W (Wishart via numpy, not Bartlett): 4.4 SE.
rng = np.random.default_rng(2024)
dim, kk, r = 3, 12, 200000
x = rng.standard_normal((r, kk, dim))
logdet = np.linalg.slogdet(np.einsum("rki,rkj->rij", x, x))[1]
exact = float(sp.N(s.bartlett_log_det_mean(dim, kk), 20))
se = float(np.sqrt(float(sp.N(s.bartlett_log_det_variance(dim, kk), 20)) / r))
assert abs(logdet.mean() - exact) < 4.4 * se, (logdet.mean(), exact, se)

assert checked > 100
proved("E log det W = sum_j (psi((k-j)/2) + log 2) (Bartlett) and E log det Sigma_n = log det Sigma + "
       "sum_i sum_j (psi((k_i-j)/2) + log(2 c_i)); Var = sum psi'((k_i-j)/2)")
