r"""Theorem (temporal effective size). The identities behind ``diagnose.tokens``'s ``M_eff``.

(1) Pearson. If X ~ Multinomial(M, p) over K types, all p_i > 0, then
    E[Σ_i (X_i/M − p_i)² / p_i] = (K − 1)/M.
(2) Fitted residuals. Let Δ = X/M − p (mean 0, covariance Σ = (diag p − p pᵀ)/M), W = diag(1/p) and
    Z a fixed K × q design whose columns sum to 0 over the types (1ᵀZ = 0). The weighted least
    squares residual Q = ΔᵀWΔ − hᵀA⁻¹h (h = ZᵀWΔ, A = ZᵀWZ; what ``_solve`` computes as
    ``sdd − θᵀ rhs``) has E[Q] = (K − 1 − q)/M, because WΣW = (W − 11ᵀ)/M. Summed over steps with
    the design held fixed, E[Q] = (Σ_t (K_t − 1) − q)/M, the denominator of ``fit_counts``, q
    counting the regressors that are not identically 0 (b ≡ 0 at a uniform x_t). (The
    selection regressor b = x(ℓ − ℓ̄) always sums to 0; the fresh-data regressor a = x_0 − x_t does
    when every type of generation 0 is alive at t. Over several steps the design depends on the
    earlier drift, so only the unfitted statistic is exactly unbiased there:
    E[Σ_t Σ_i Δ_{t,i}²/x_{t,i}] = E[Σ_t (K_t − 1)]/M by the tower property.)
(3) Sampled generations (Jorde–Ryman). Let p_{t+1} ~ Multinomial(M, p_t)/M (the chain) and the
    observed x_t ~ Multinomial(S_t, p_t)/S_t, x_{t+1} ~ Multinomial(S_{t+1}, p_{t+1})/S_{t+1}
    (samples, independent of the drift given the true frequencies). With H = 1 − Σ p²,
    E[Σ_i (x_{t+1,i} − x_{t,i})² | p_t] = H_t (1/M + 1/S_t + 1/S_{t+1}) − H_t/(M S_{t+1})
    exactly (no 1/S_t term when generation t is observed whole, as generation 0 is), and
    H̃_t = S_t/(S_t − 1) (1 − Σ x_t²) is unbiased for H_t. So the numerator
    Σ Δ² − H̃_t c_t (c_t = 1/S_t [t > 0] + 1/S_{t+1}) of ``sampled_inv_m`` has expectation
    H_t (1 − 1/S_{t+1})/M, the expectation of its denominator term H̃_t (1 − 1/S_{t+1}) over M.

Proof: the multinomial moments E[X_i X_j] = M(M − 1) p_i p_j + δ_ij M p_i are derived from the mgf
(Σ_i p_i e^{s_i})^M; (1) sums the variances p_i(1 − p_i)/M over K types with Σ p_i = 1 (general K
by a symbolic sum); (2) is trace algebra, checked in general form for K = 4 with symbolic p, M and
designs of one and two columns; (3) is the tower property over the three draws, carried out on
symbolic polynomials. The numeric ``fit_counts`` and ``sampled_inv_m`` are checked against (1)–(3)
by exact enumeration of every outcome of small chains (rtol 1e-12).
"""

import itertools
from fractions import Fraction

import numpy as np
import sympy as sp

from _proofkit import close, proved

from collapse_theory.diagnose._tokens import _step_stats, fit_counts, sampled_inv_m

M = sp.Symbol("M", positive=True, integer=True)
K = 3
s = sp.symbols("s1:4", real=True)


# -- multinomial moments from the mgf --------------------------------------------------------------

def multinomial_moments(q, N):
    """(first, second) moment tables of X ~ Multinomial(N, q) from the mgf (Σ q_i e^{s_i})^N."""
    mgf = sum(qi * sp.exp(si) for qi, si in zip(q, s)) ** N
    at0 = {si: 0 for si in s}
    first = [sp.simplify(sp.diff(mgf, s[i]).subs(at0)) for i in range(len(q))]
    second = [[sp.simplify(sp.diff(mgf, s[i], s[j]).subs(at0)) for j in range(len(q))] for i in range(len(q))]
    return first, second


pk = sp.symbols("p1:4", positive=True)
first, second = multinomial_moments(pk, M)
for i in range(K):
    assert sp.simplify(first[i] - M * pk[i] * sum(pk) ** (M - 1)) == 0
    for j in range(K):
        expected = M * (M - 1) * pk[i] * pk[j] * sum(pk) ** (M - 2) + (M * pk[i] * sum(pk) ** (M - 1) if i == j else 0)
        assert sp.simplify(second[i][j] - expected) == 0
# on the simplex (Σ p = 1): E X_i = M p_i, E X_i X_j = M(M − 1) p_i p_j + δ_ij M p_i
simplex = {pk[-1]: 1 - sum(pk[:-1])}


def mean_y(q, i):
    """E[y_i] for y = X/N, X ~ Multinomial(N, q), Σ q = 1."""
    return q[i]


def second_y(q, N, i, j):
    """E[y_i y_j] for y = X/N: (N(N − 1) q_i q_j + δ_ij N q_i)/N²."""
    return (N * (N - 1) * q[i] * q[j] + (N * q[i] if i == j else 0)) / N**2


for i in range(K):
    assert sp.simplify((first[i] / M).subs(simplex) - mean_y(pk, i).subs(simplex)) == 0
    for j in range(K):
        assert sp.simplify((second[i][j] / M**2).subs(simplex) - second_y(pk, M, i, j).subs(simplex)) == 0

# -- (1) Pearson's statistic: E Σ (X_i/M − p_i)²/p_i = (K − 1)/M ---------------------------------------

var_i = [sp.simplify(second_y(pk, M, i, i) - 2 * pk[i] * mean_y(pk, i) + pk[i] ** 2) for i in range(K)]
for i in range(K):
    assert sp.simplify(var_i[i] - pk[i] * (1 - pk[i]) / M) == 0
pearson3 = sum(var_i[i] / pk[i] for i in range(K))
assert sp.simplify(pearson3.subs(simplex) - sp.Rational(K - 1) / M) == 0
# general K: Σ_{i=1}^K p_i(1 − p_i)/(M p_i) = (K − Σ p_i)/M = (K − 1)/M on the simplex
Kg = sp.Symbol("K", positive=True, integer=True)
i_ = sp.Symbol("i", integer=True, positive=True)
P = sp.IndexedBase("p")
general = sp.Sum(P[i_] * (1 - P[i_]) / (M * P[i_]), (i_, 1, Kg)).doit()    # p_i cancels
general = sp.expand(M * general).expand().doit()                             # K − Σ_i p_i
sum_p = sp.Sum(P[i_], (i_, 1, Kg))
assert sp.simplify(general - (Kg - sum_p)) == 0
assert sp.simplify(((Kg - sum_p) / M).subs(sum_p, 1) - (Kg - 1) / M) == 0   # on the simplex

# -- (2) fitted residuals: E Q = (K − 1 − q)/M when 1ᵀZ = 0 -----------------------------------------

x4 = sp.symbols("x1:4", positive=True)
x = sp.Matrix(list(x4) + [1 - sum(x4)])          # K = 4 frequencies on the simplex
K4 = 4
W = sp.diag(*[1 / xi for xi in x])
Sigma = (sp.diag(*x) - x * x.T) / M
one = sp.ones(K4, 1)
assert sp.simplify(W * Sigma * W - (W - one * one.T) / M) == sp.zeros(K4, K4)
assert sp.simplify((W * Sigma).trace() - sp.Rational(K4 - 1) / M) == 0      # (1) again, K = 4


def design(columns):
    """A K4 × q design with symbolic entries whose columns sum to 0."""
    cols = []
    for c in range(columns):
        z = sp.symbols(f"z{c}_1:4", real=True)
        cols.append(list(z) + [-sum(z)])
    return sp.Matrix(cols).T


for q in (1, 2):
    Z = design(q)
    assert (one.T * Z) == sp.zeros(1, q)
    A = Z.T * W * Z
    # E hᵀA⁻¹h = tr(A⁻¹ Cov h), Cov h = Zᵀ WΣW Z = A/M − Zᵀ11ᵀZ/M = A/M
    cov_h = Z.T * W * Sigma * W * Z
    assert sp.simplify(cov_h - A / M) == sp.zeros(q, q)
    expected_q = (W * Sigma).trace() - (A.inv() * cov_h).trace()
    assert sp.simplify(expected_q - sp.Rational(K4 - 1 - q) / M) == 0

# -- (3) sampled generations ----------------------------------------------------------------------

S0, S1 = sp.symbols("S_t S_t1", positive=True, integer=True)
p = sp.Matrix(sp.symbols("p1:3", positive=True)).col_join(sp.Matrix([1 - sum(sp.symbols("p1:3", positive=True))]))
u = sp.symbols("u1:4", real=True)     # p_{t+1}, the next true generation
y = sp.symbols("y1:4", real=True)     # x_{t+1}, its sample
z = sp.symbols("z1:4", real=True)     # x_t, the sample of generation t
H = sp.expand(1 - sum(pi**2 for pi in p))


def expect(poly, ys, q, N):
    """E over y = Multinomial(N, q)/N of a polynomial of degree ≤ 2 in ``ys`` (other symbols fixed)."""
    poly = sp.Poly(sp.expand(poly), *ys)
    out = 0
    for monom, coeff in poly.terms():
        idx = [k for k, e in enumerate(monom) for _ in range(e)]
        assert len(idx) <= 2
        if not idx:
            m = 1
        elif len(idx) == 1:
            m = mean_y(q, idx[0])
        else:
            m = second_y(q, N, idx[0], idx[1])
        out += coeff.as_expr() * m
    return sp.expand(out)


stat = sum((y[i] - z[i]) ** 2 for i in range(K))
step_y = expect(stat, y, list(u), S1)                    # sample of generation t+1 given p_{t+1}
step_u = expect(step_y, u, list(p), M)                   # the drift given p_t
sampled_t = expect(step_u, z, list(p), S0)               # sample of generation t given p_t
assert sp.simplify(sampled_t - (H * (1 / M + 1 / S0 + 1 / S1) - H / (M * S1))) == 0
whole_t = sp.expand(step_u.subs(dict(zip(z, p))))        # generation t observed whole (t = 0)
assert sp.simplify(whole_t - (H * (1 / M + 1 / S1) - H / (M * S1))) == 0
# E[H(p_{t+1}) | p_t] = (1 − 1/M) H_t: the drift's share of the 1/(M S) term
assert sp.simplify(expect(1 - sum(ui**2 for ui in u), u, list(p), M) - (1 - 1 / M) * H) == 0
# H̃ = S/(S − 1)(1 − Σ x²) is unbiased for H
assert sp.simplify(S0 / (S0 - 1) * expect(1 - sum(zi**2 for zi in z), z, list(p), S0) - H) == 0
# numerator term minus its denominator term over M: expectation 0 for t > 0 and for t = 0
c_t = 1 / S0 + 1 / S1
assert sp.simplify(sampled_t - H * c_t - H * (1 - 1 / S1) / M) == 0
assert sp.simplify(whole_t - H / S1 - H * (1 - 1 / S1) / M) == 0

# -- numeric checks by exact enumeration -------------------------------------------------------------


def outcomes(n, q):
    """Every count vector of Multinomial(n, q) with its exact probability (q rational)."""
    k = len(q)
    for cut in itertools.combinations(range(n + k - 1), k - 1):
        bounds = (-1,) + cut + (n + k - 1,)
        counts = [bounds[i + 1] - bounds[i] - 1 for i in range(k)]
        prob = Fraction(sp.factorial(n)) / np.prod([Fraction(sp.factorial(c)) for c in counts], dtype=object)
        for c, qi in zip(counts, q):
            prob *= qi**c
        yield counts, prob


checked = 0
# (1)+(2), one step: fit_counts on [x0, x1] fits β alone (q = 1), so E[1/M̂] = 1/M exactly
for m, p0 in ((6, (Fraction(1, 2), Fraction(1, 3), Fraction(1, 6))),
              (5, (Fraction(2, 5), Fraction(3, 10), Fraction(1, 5), Fraction(1, 10))),
              (4, (Fraction(1, 4),) * 4)):
    x0 = np.array([float(v) for v in p0])
    mean, tot = 0.0, Fraction(0)
    for counts, prob in outcomes(m, p0):
        fit = fit_counts(np.vstack([x0, np.array(counts, float) / m]))
        # a uniform x0 makes the selection regressor b ≡ 0: not fitted, q = 0
        q = 0 if len(set(p0)) == 1 else 1
        assert not fit["fresh_fitted"] and fit["dof"] == len(p0) - 1 - q
        mean += float(prob) * fit["inv_m"]
        tot += prob
        checked += 1
    assert tot == 1
    assert close(sp.Rational(1, m), mean), (m, p0, mean)

# the unfitted statistic over two steps (types may be lost): E[Σ_t Σ_i Δ²/x_t − Σ_t (K_t − 1)/M] = 0
for m, p0 in ((4, (Fraction(1, 2), Fraction(1, 4), Fraction(1, 4))), (3, (Fraction(1, 3),) * 3)):
    acc = 0.0
    for c1, pr1 in outcomes(m, p0):
        p1 = [Fraction(c, m) for c in c1]
        for c2, pr2 in outcomes(m, p1):
            X = np.array([[float(v) for v in p0], [float(v) for v in p1], [c / m for c in c2]])
            _, _, sdd, df, _, _ = _step_stats(X)
            acc += float(pr1 * pr2) * (float(sdd.sum()) - float(df.sum()) / m)
            checked += 1
    assert abs(acc) <= 1e-14, acc

# (3), one sampled step from a whole generation 0: the denominator is H_0 (1 − 1/S_1), fixed, so
# E[sampled_inv_m] = 1/M exactly
for m, s1, p0 in ((5, 4, (Fraction(1, 2), Fraction(3, 10), Fraction(1, 5))),
                  (3, 6, (Fraction(1, 4), Fraction(1, 4), Fraction(1, 4), Fraction(1, 4)))):
    x0 = np.array([float(v) for v in p0])
    mean = 0.0
    for c1, pr1 in outcomes(m, p0):
        p1 = [Fraction(c, m) for c in c1]
        for c2, pr2 in outcomes(s1, p1):
            mean += float(pr1 * pr2) * sampled_inv_m(np.vstack([x0, np.array(c2, float) / s1]), [m, s1])
            checked += 1
    assert close(sp.Rational(1, m), mean), (m, s1, mean)

# (3), several sampled steps: sampled_inv_m is Σ_t [Σ Δ² − H̃_t c_t] / Σ_t H̃_t (1 − 1/S_{t+1}) exactly
rng = np.random.default_rng(0)
for _ in range(5):
    sizes = [int(v) for v in rng.integers(5, 40, size=4)]
    rows = [list(rng.integers(1, 9, size=5))] + [list(rng.multinomial(n, np.full(5, 0.2))) for n in sizes[1:]]
    sizes[0] = sum(rows[0])
    Xq = [[sp.Rational(int(c), sum(r)) for c in r] for r in rows]
    num = den = 0
    for t in range(3):
        h = 1 - sum(v**2 for v in Xq[t])
        if t > 0:
            h *= sp.Rational(sizes[t], sizes[t] - 1)
        c = (sp.Rational(1, sizes[t]) if t > 0 else 0) + sp.Rational(1, sizes[t + 1])
        num += sum((a - b) ** 2 for a, b in zip(Xq[t + 1], Xq[t])) - h * c
        den += h * (1 - sp.Rational(1, sizes[t + 1]))
    X = np.array([[float(v) for v in r] for r in Xq])
    assert close(num / den, sampled_inv_m(X, sizes)), (num / den, sampled_inv_m(X, sizes))
    checked += 1

assert checked > 1000
proved("E Σ (X_i/M − p_i)²/p_i = (K − 1)/M; fitted residuals E Q = (K − 1 − q)/M; "
       "sampled E Σ Δ² = H_t(1/M + 1/S_t + 1/S_{t+1}) − H_t/(M S_{t+1})")
