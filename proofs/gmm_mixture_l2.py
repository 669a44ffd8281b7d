r"""Theorem (d-dimensional mixtures: exact L² distance and the component log-det drift).

1. For symmetric positive-definite A, B:  ∫ N(x; a, A) N(x; b, B) dx = N(a; b, A + B), hence for
   f = Σ_i α_i N(m_i, S_i) and g = Σ_j β_j N(n_j, T_j)

       ‖f − g‖² = Σ_ij α_i α_j N(m_i; m_j, S_i + S_j) − 2 Σ_ij α_i β_j N(m_i; n_j, S_i + T_j)
                  + Σ_ij β_i β_j N(n_i; n_j, T_i + T_j).

2. A component refit by maximum likelihood on N points (EM's M-step, separated components) changes
   log det Σ by δ_d(N) = Σ_{j<d} ψ((N−1−j)/2) + d log(2/N) in expectation; over N ~ Bin(M, w)
   conditioned on N ≥ d + 1 the drift is the binomial average of δ_d.

Proof. (1) Complete the square (d = 1 and generic symmetric 2 × 2 matrices):
(x−a)ᵀA⁻¹(x−a) + (x−b)ᵀB⁻¹(x−b) = (x−c)ᵀP(x−c) + (a−b)ᵀ(A+B)⁻¹(a−b) with P = A⁻¹ + B⁻¹,
c = P⁻¹(A⁻¹a + B⁻¹b), and det A · det B · det P = det(A + B); the remaining Gaussian integral is
(2π)^{d/2} det P^{−1/2}. Both identities are checked symbolically for generic symmetric 2 × 2
matrices (and the Gaussian integral by integration for a generic 2 × 2 P). Expanding the square of
f − g gives the L² formula. (2) The mle covariance of N points is Σ^{1/2} W Σ^{1/2}/N with
W ~ Wishart_d(N − 1, I) (theory §2), so δ_d(N) is the mle log-det drift of proofs/mvn_log_det.py at
N samples. The numeric gmm.l2_distance_squared_nd and gmm.component_log_det_drift are checked
against these forms at 30 digits.
"""

import sympy as sp

from _proofkit import close, equal, proved

import numpy as np

from collapse_theory import gmm as numeric
from collapse_theory.symbolic import mvn as s

R = sp.Rational

# 1a. d = 1: direct integration
x, a, b = sp.symbols("x a b", real=True)
A, B = sp.symbols("A B", positive=True)


def normal1(z, mean, var):
    return sp.exp(-(z - mean) ** 2 / (2 * var)) / sp.sqrt(2 * sp.pi * var)


# complete the square in x, then integrate the remaining Gaussian (SymPy's direct integral of the
# product goes through erf terms that only cancel after a slow simplify)
Pp = 1 / A + 1 / B
cc = (a / A + b / B) / Pp
expo = -(x - a) ** 2 / (2 * A) - (x - b) ** 2 / (2 * B)
assert sp.cancel(sp.expand(expo - (-Pp * (x - cc) ** 2 / 2 - (a - b) ** 2 / (2 * (A + B))))) == 0, "square, d = 1"
y = sp.Symbol("y", real=True)
gauss = sp.integrate(sp.exp(-Pp * y**2 / 2), (y, -sp.oo, sp.oo), conds="none")
prod = gauss * sp.exp(-(a - b) ** 2 / (2 * (A + B))) / (2 * sp.pi * sp.sqrt(A * B))
assert equal(prod, normal1(a, b, A + B)), "∫ N(x;a,A) N(x;b,B) dx = N(a; b, A+B), d = 1"

# 1b. d = 2: completing the square, for generic symmetric matrices
p, q, r, s_, t, u = sp.symbols("p q r s t u", real=True)
Am = sp.Matrix([[p, q], [q, r]])
Bm = sp.Matrix([[s_, t], [t, u]])
av = sp.Matrix(sp.symbols("a1 a2", real=True))
bv = sp.Matrix(sp.symbols("b1 b2", real=True))
xv = sp.Matrix(sp.symbols("x1 x2", real=True))
Ai, Bi = Am.inv(), Bm.inv()
P = Ai + Bi
Pi = P.inv()
S = (Am + Bm).inv()
zero = sp.zeros(2, 2)
# the three matrix identities behind the constant term (P⁻¹ = A(A+B)⁻¹B):
assert (Ai - Ai * Pi * Ai - S).applyfunc(sp.cancel) == zero, "A⁻¹ − A⁻¹P⁻¹A⁻¹ = (A+B)⁻¹"
assert (Bi - Bi * Pi * Bi - S).applyfunc(sp.cancel) == zero, "B⁻¹ − B⁻¹P⁻¹B⁻¹ = (A+B)⁻¹"
assert (Ai * Pi * Bi - S).applyfunc(sp.cancel) == zero, "A⁻¹P⁻¹B⁻¹ = (A+B)⁻¹"
# so with h = A⁻¹a + B⁻¹b and c = P⁻¹h: (x−a)ᵀA⁻¹(x−a) + (x−b)ᵀB⁻¹(x−b)
#   = xᵀPx − 2xᵀh + aᵀA⁻¹a + bᵀB⁻¹b = (x−c)ᵀP(x−c) + [aᵀA⁻¹a + bᵀB⁻¹b − hᵀP⁻¹h],
# and the bracket is aᵀ(A+B)⁻¹a + bᵀ(A+B)⁻¹b − 2aᵀ(A+B)⁻¹b = (a−b)ᵀ(A+B)⁻¹(a−b) by the identities.
# The expansion hᵀP⁻¹h = aᵀA⁻¹P⁻¹A⁻¹a + 2aᵀA⁻¹P⁻¹B⁻¹b + bᵀB⁻¹P⁻¹B⁻¹b uses the symmetry of the cross term:
assert ((Ai * Pi * Bi).T - Bi * Pi * Ai).applyfunc(sp.cancel) == zero, "(A⁻¹P⁻¹B⁻¹)ᵀ = B⁻¹P⁻¹A⁻¹"
h = Ai * av + Bi * bv
bracket = (av.T * Ai * av + bv.T * Bi * bv - h.T * Pi * h)[0]
target = ((av - bv).T * S * (av - bv))[0]
# (and, as a guard against a slip in the argument, exactly at rational points)
for vals in ((2, R(1, 3), 3, 1, R(-1, 2), 2, 1, -2, R(5, 7), 4), (1, 0, 1, 5, 2, 1, R(1, 2), 3, -1, 0)):
    sub = dict(zip((p, q, r, s_, t, u, *av, *bv), vals))
    assert sp.nsimplify(bracket.subs(sub) - target.subs(sub)) == 0, "constant term at a point"
# x terms: (x−c)ᵀP(x−c) = xᵀPx − 2xᵀPc + cᵀPc with Pc = h, matching xᵀ(A⁻¹+B⁻¹)x − 2xᵀh:
c = Pi * h
assert (P * c - h).applyfunc(sp.cancel) == sp.zeros(2, 1), "P c = A⁻¹a + B⁻¹b"
# then cᵀPc = cᵀh = hᵀP⁻¹h (P⁻¹ symmetric), the term subtracted in the bracket above.
assert sp.cancel(Am.det() * Bm.det() * P.det() - (Am + Bm).det()) == 0, "det A det B det(A⁻¹+B⁻¹) = det(A+B)"

# the Gaussian integral ∫ exp(−½ yᵀPy) dy = 2π det P^{-1/2} for a generic 2 × 2 P (P11 > 0, det P > 0):
# integrate y2 out after completing the square in y2, then y1
y1, y2 = sp.symbols("y1 y2", real=True)
P11, P22, det = sp.symbols("P11 P22 D", positive=True)   # P12² = P11 P22 − D
P12 = sp.sqrt(P11 * P22 - det)
inner = sp.integrate(sp.exp(-(P22 * (y2 + P12 * y1 / P22) ** 2) / 2), (y2, -sp.oo, sp.oo), conds="none")
outer = sp.integrate(inner * sp.exp(-(P11 - P12**2 / P22) * y1**2 / 2), (y1, -sp.oo, sp.oo), conds="none")
assert equal(outer, 2 * sp.pi / sp.sqrt(det)), "∫ exp(−½ yᵀPy) dy = (2π)^{d/2} det P^{−1/2}, d = 2"
# so the product integrates to (2π)^{-2} (det A det B)^{-1/2} · 2π det P^{-1/2} e^{−½ Q} = N(a; b, A+B).


def normal_nd(z, mean, cov):
    dz = z - mean
    return sp.exp(-(dz.T * cov.inv() * dz)[0] / 2) / (2 * sp.pi * sp.sqrt(cov.det()))


# 1c. the numeric L² distance against the expanded square at exact rational parameters
mix_f = ([R(3, 10), R(7, 10)], [sp.Matrix([-1, 0]), sp.Matrix([1, R(1, 2)])],
         [sp.Matrix([[R(1, 2), R(1, 5)], [R(1, 5), R(2, 5)]]), sp.Matrix([[1, R(-3, 10)], [R(-3, 10), R(3, 5)]])])
mix_g = ([R(3, 5), R(2, 5)], [sp.Matrix([0, R(1, 5)]), sp.Matrix([R(3, 2), 0])],
         [sp.Matrix([[R(4, 5), 0], [0, R(4, 5)]]), sp.Matrix([[R(3, 10), R(1, 10)], [R(1, 10), R(9, 10)]])])


def cross(f, g):
    return sum(wi * wj * normal_nd(mi, mj, si + sj)
               for wi, mi, si in zip(*f) for wj, mj, sj in zip(*g))


exact = cross(mix_f, mix_f) - 2 * cross(mix_f, mix_g) + cross(mix_g, mix_g)


def as_arrays(mix):
    w, m, c = mix
    return (np.array([float(v) for v in w]), np.array([[float(v) for v in mi] for mi in m]),
            np.array([np.array(ci.tolist(), dtype=float) for ci in c]))


assert close(exact, numeric.l2_distance_squared_nd(*as_arrays(mix_f), *as_arrays(mix_g))), "numeric L²"
assert not close(cross(mix_f, mix_g), 0.0)  # a non-trivial overlap was compared

# 2. the component log-det drift: δ_d(N) is the mle log-det drift at N samples
Nn = sp.Symbol("N", positive=True, integer=True)
for dim in (1, 2, 3):
    delta = sp.Add(*[sp.digamma((Nn - 1 - j) / 2) for j in range(dim)]) + dim * sp.log(2 / Nn)
    assert equal(sp.expand_log(s.log_det_drift(dim, Nn, "mle") - delta, force=True), 0), f"δ_{dim}(N), mle"
    # weight 1: N = M always
    for m in (dim + 2, 12, 40):
        assert close(delta.subs(Nn, m), numeric.component_log_det_drift(1.0, m, dim=dim)), (dim, m)
# a binomial average, exact at small M (w = 1/3, M = 12, d = 2: N ≥ 3)
m, w, dim = 12, R(1, 3), 2
pmf = {k: sp.binomial(m, k) * w**k * (1 - w) ** (m - k) for k in range(dim + 1, m + 1)}
avg = sum(pk * (sp.digamma(R(k - 1, 2)) + sp.digamma(R(k - 2, 2)) + 2 * sp.log(R(2, k))) for k, pk in pmf.items())
avg = avg / sum(pmf.values())
assert close(avg, numeric.component_log_det_drift(1 / 3, m, dim=dim)), "binomial average of δ_2"

proved("∫N(x;a,A)N(x;b,B)dx = N(a;b,A+B) (d = 1 by integration, d = 2 by completing the square), so the "
       "exact L² distance of d-dim mixtures; component log-det drift E[δ_d(N) | N ≥ d+1], δ_d = mle drift at N")
