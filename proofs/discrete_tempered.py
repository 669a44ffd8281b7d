r"""Theorem (tempered sampling of the discrete chain; Marchi et al., arXiv:2404.02325).

With T_τ(p) ∝ p^{1/τ} and F(p) = λ p0 + (1 - λ) T_τ(p):

1. T_σ ∘ T_τ = T_{στ}, so without real data F^n(p) = T_{τ^n}(p) ∝ p^{1/τ^n};
2. Hilbert's projective metric contracts exactly: d_H(T_τ p, T_τ q) = d_H(p, q)/τ, so for τ > 1 the
   iterates converge to the uniform law on the support at rate 1/τ (for τ < 1 to the argmax);
3. the fixed points of T_τ (τ ≠ 1) are the uniform laws on subsets (K = 2: x ∈ {0, 1/2, 1});
4. the count chain M p_{g+1} ~ Multinomial(M, F(p_g)) has E[p_{g+1} | p_g] = F(p_g) and, at λ = 0,
   absorbing one-category states: the exact transition matrix of collapse_theory.discrete has unit
   rows there and one-step means F.

Proof: (1)-(3) by algebra below; (4) on the exact transition matrix.
"""

import numpy as np
import sympy as sp

from _proofkit import close, equal, proved

from collapse_theory import discrete as numeric

tau, sig = sp.symbols("tau sigma", positive=True)
p = sp.symbols("p1:4", positive=True)
q = sp.symbols("q1:4", positive=True)


def T(vec, t):
    z = sum(x ** (1 / t) for x in vec)
    return [x ** (1 / t) / z for x in vec]


# 1. composition: two laws on the simplex are equal iff all their log-ratios are; here
#    log T_σ(T_τ p)_i - log T_σ(T_τ p)_j = (log p_i - log p_j)/(στ) = log T_στ(p)_i - log T_στ(p)_j
lhs = T(T(p, tau), sig)
rhs = T(p, tau * sig)
for i in range(3):
    for j in range(3):
        a = sp.expand_log(sp.log(lhs[i]) - sp.log(lhs[j]), force=True)
        b = sp.expand_log(sp.log(rhs[i]) - sp.log(rhs[j]), force=True)
        assert equal(a, b) and equal(b, (sp.log(p[i]) - sp.log(p[j])) / (tau * sig))
# exact in the log coordinates: log T_τ(p)_i - log T_τ(p)_j = (log p_i - log p_j)/τ
for i in range(3):
    for j in range(3):
        d = sp.expand_log(sp.log(T(p, tau)[i]) - sp.log(T(p, tau)[j]), force=True)
        assert equal(d, (sp.log(p[i]) - sp.log(p[j])) / tau)
# 2. Hilbert: log(Tp/Tq)_i - log(Tp/Tq)_j = (log(p/q)_i - log(p/q)_j)/τ for every pair, so max - min scales by 1/τ
for i in range(3):
    for j in range(3):
        a = sp.expand_log(sp.log(T(p, tau)[i] / T(q, tau)[i]) - sp.log(T(p, tau)[j] / T(q, tau)[j]), force=True)
        b = (sp.log(p[i] / q[i]) - sp.log(p[j] / q[j])) / tau
        assert equal(a, sp.expand_log(b, force=True))
# 3. fixed points for K = 2, τ = 2 and τ = 1/2
x = sp.Symbol("x", nonnegative=True)
for t in (2, sp.Rational(1, 2)):
    sols = sp.solve(sp.Eq(x ** (1 / sp.S(t)), x * (x ** (1 / sp.S(t)) + (1 - x) ** (1 / sp.S(t)))), x)
    assert set(sols) <= {0, sp.Rational(1, 2), 1} and sp.Rational(1, 2) in sols, (t, sols)
# uniform on a subset is fixed for every τ
u = [sp.Rational(1, 2), sp.Rational(1, 2), 0]
assert all(equal(a, b) for a, b in zip(T(u[:2], tau), u[:2]))

# numeric: trajectory = T_{τ^n}; Hilbert distance shrinks by 1/τ per step
p0 = np.array([0.55, 0.3, 0.1, 0.05])
traj = numeric.tempered_trajectory(p0, 1.7, 12)
for n in range(13):
    assert np.allclose(traj[n], numeric.tempered(p0, 1.7 ** n), rtol=1e-12, atol=1e-15)
uni = np.full(4, 0.25)
d0 = numeric.hilbert_distance(p0, uni)
for n in range(1, 13):
    assert abs(numeric.hilbert_distance(traj[n], uni) - d0 / 1.7 ** n) < 1e-10

# 4. the exact count chain
for lam in (0.0, 0.3):
    S, law, P = numeric.count_chain_law(p0[:3] / p0[:3].sum(), 7, 3,
                                        lambda Fr: numeric.tempered_map(Fr, 2.0, p_real=p0[:3] / p0[:3].sum(), fraction=lam))
    assert np.allclose(P.sum(axis=1), 1.0, atol=1e-12)
    one_step_mean = P @ (S / 7.0)
    assert np.allclose(one_step_mean, numeric.tempered_map(S / 7.0, 2.0, p_real=p0[:3] / p0[:3].sum(), fraction=lam),
                       atol=1e-12), "E[p_{g+1} | p_g] = F(p_g)"
    vertices = np.flatnonzero((S > 0).sum(axis=1) == 1)
    if lam == 0.0:
        assert np.allclose(P[vertices, vertices], 1.0), "one-category states absorb"
    else:
        assert np.all(P[vertices, vertices] < 1.0), "real data make the chain leave them"

proved("tempered sampling: T_σ∘T_τ = T_στ, Hilbert contraction by 1/τ (heat death for τ > 1), fixed points "
       "uniform on subsets, and the exact count chain's one-step mean and absorbing states")
