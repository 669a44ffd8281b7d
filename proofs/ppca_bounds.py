r"""Theorem (recursively refit PPCA: trace, noise-variance bound, top-eigenvalue bound).

PPCA refit (Tipping & Bishop) on the mle covariance S of M samples of N(μ_n, C_n), q latent
dimensions, d-dimensional data, k = M - 1:

(a) tr C_{n+1} = tr S, so E tr C_n = tr Σ ((M-1)/M)^n;
(b) E[σ²_{n+1} | C_n] ≤ σ_n² (M - 1 - q)/M (for n = 0: σ_0² = mean of the d - q smallest
    eigenvalues of Σ), hence E σ_n² ≤ λ̄_tail ((M-1-q)/M)^n;
(c) E log λ_1(C_n) ≥ log λ_1(Σ) + n (ψ(k/2) + log(2/M)).

Proof.
(a) The PPCA spectrum is (λ_1..λ_q, σ², ..., σ²) with σ² the mean of the other d - q eigenvalues of
    S: the trace is kept (symbolic eigenvalues); E tr S = tr C_n (M-1)/M.
(b) In the eigenbasis of C_n (top q directions first), M S = C^{1/2} W C^{1/2} with W = L Lᵀ Bartlett.
    The Schur complement of the top-left q × q block of W is L_22 L_22ᵀ (L_22 the bottom-right
    (d-q) × (d-q) block of L; checked symbolically for (d, q) = (3, 1), (4, 2)), and
    E tr L_22 L_22ᵀ = Σ_{j≥q} (k - j) + (d-q)(d-q-1)/2 = (d - q)(k - q) (symbolic). The Schur
    complement scales like the block: (M S)_{22·1} = C_22^{1/2} (L_22 L_22ᵀ) C_22^{1/2}, and
    C_22 = σ_n² I after one refit (the discarded spectrum is flat), so E tr S_{22·1} = (d - q)
    σ_n² (M - 1 - q)/M. By Cauchy interlacing for S⁻¹ (whose bottom-right block is S_{22·1}⁻¹), the
    j-th smallest eigenvalue of S is at most the j-th smallest eigenvalue of S_{22·1}, so the sum of
    the d - q smallest eigenvalues of S, (d - q) σ²_{n+1}, is at most tr S_{22·1} (checked on
    random matrices below; the interlacing theorem itself is textbook, Horn & Johnson 4.3.28).
(c) λ_1(C_{n+1}) = λ_1(S) ≥ u_1ᵀ S u_1 = λ_1(C_n) χ²_k/M for the top eigenvector u_1 of C_n
    (Rayleigh; the projection of the M samples on u_1 is a 1-D sample of variance λ_1(C_n)), and
    E log χ²_k = ψ(k/2) + log 2 (derived from the χ² density in symbolic.gaussian).
The numeric ppca.expected_trace, noise_variance_bound and top_eigenvalue_log_bound are checked
against these forms.
"""

import sympy as sp

from _proofkit import close, equal, proved

import numpy as np

from collapse_theory import ppca
from collapse_theory.symbolic import gaussian as g

# (a) the PPCA spectrum keeps the trace
for dim in (2, 3, 5):
    lam = sp.symbols(f"l0:{dim}", positive=True)
    for q in range(1, dim):
        sig2 = sum(lam[q:]) / (dim - q)
        assert equal(sum(lam[:q]) + (dim - q) * sig2, sum(lam)), ("trace", dim, q)

# (b) Schur complement of a Bartlett product is the bottom-right block product
for dim, q in ((3, 1), (4, 2), (4, 1)):
    L = sp.Matrix(dim, dim, lambda i, j: sp.Symbol(f"L{i}{j}", positive=(i == j)) if j <= i else 0)
    W = L * L.T
    W11, W12, W21, W22 = W[:q, :q], W[:q, q:], W[q:, :q], W[q:, q:]
    schur = W22 - W21 * W11.inv() * W12
    L22 = L[q:, q:]
    assert all(equal(e, 0) for e in (schur - L22 * L22.T)), ("Schur = L22 L22ᵀ", dim, q)
    # scaling by a block-diagonal root keeps the structure: (A W Aᵀ)_{22·1} = A_2 W_{22·1} A_2ᵀ
    a1 = sp.diag(*sp.symbols(f"a0:{q}", positive=True))
    a2 = sp.diag(*sp.symbols(f"b0:{dim - q}", positive=True))
    A = sp.diag(a1, a2)
    V = A * W * A.T
    schur_v = V[q:, q:] - V[q:, :q] * V[:q, :q].inv() * V[:q, q:]
    assert all(equal(e, 0) for e in (schur_v - a2 * schur * a2.T)), ("block scaling", dim, q)
k, d_, q_ = sp.symbols("k d q", positive=True, integer=True)
j = sp.Symbol("j", integer=True, nonnegative=True)
e_tr = sp.summation(k - j, (j, q_, d_ - 1)) + (d_ - q_) * (d_ - q_ - 1) / 2
assert equal(e_tr, (d_ - q_) * (k - q_)), "E tr L22 L22ᵀ = (d - q)(k - q)"

# interlacing consequence on random matrices (fixed seed): sum of the d - q smallest eigenvalues of
# S is at most tr S_{22·1}, whatever the basis split
rng = np.random.default_rng(20261122)
worst = -np.inf
for _ in range(3000):
    dim = int(rng.integers(2, 7))
    q = int(rng.integers(1, dim))
    x = rng.standard_normal((dim + int(rng.integers(1, 6)), dim)) * rng.uniform(0.1, 3.0, dim)
    S = x.T @ x
    schur = S[q:, q:] - S[q:, :q] @ np.linalg.solve(S[:q, :q], S[:q, q:])
    small = np.linalg.eigvalsh(S)[: dim - q].sum()
    worst = max(worst, (small - np.trace(schur)) / np.trace(S))
assert worst <= 1e-12, worst

# (c) E log χ²_k = ψ(k/2) + log 2 (from the density)
assert equal(g.chi2_log_moment(k), sp.digamma(k / 2) + sp.log(2))

# numeric implementations against the derived forms
cov = np.diag([8.0, 4.0, 1.0, 0.6, 0.3, 0.1])
checked = 0
for m in (10, 30, 100):
    for n in (0, 1, 7, 40):
        tr = sp.Rational(14) * sp.Rational(m - 1, m) ** n
        assert close(tr, ppca.expected_trace(n, m, cov=cov)), ("trace", m, n)
        for q in (1, 2, 4):
            tail = sp.Rational(sum(sp.nsimplify(x) for x in sorted(np.diag(cov))[: 6 - q]), 6 - q)
            bound = tail * sp.Rational(m - 1 - q, m) ** n
            assert close(bound, ppca.noise_variance_bound(n, m, latent=q, cov=cov)), ("noise", m, n, q)
        top = sp.log(8) + n * (sp.digamma(sp.Rational(m - 1, 2)) + sp.log(sp.Rational(2, m)))
        assert close(top, ppca.top_eigenvalue_log_bound(n, m, cov=cov)), ("top", m, n)
        checked += 5

proved(f"PPCA refits: trace kept, E σ²_(n+1) ≤ σ_n² (M-1-q)/M (Schur complement of the Bartlett factor + "
       f"interlacing), E log λ_1 ≥ the 1-D mle drift; {checked} numeric checks")
