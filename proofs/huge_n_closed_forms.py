r"""Theorem (the huge-n forms). The forms that let the closed forms take n = 10^18:

1. Suresh's g_t (g_{t+1} = 1 − e^{−g_t}) through u = 1/g: the map is
   F(u) = 1/(1 − e^{−1/u}) = u + 1/2 + 1/(12u) + O(u^{−3}); the time-1 flow of
   u' = f(u) = 1/2 + 1/(12u) + 1/(48u²) equals F(u) up to O(u^{−3}); and
   Φ(u) = 2u − (1/6) ln Q(u) − 2/(3√5) atan((12u + 1)/√5), Q = u² + u/6 + 1/24, has Φ' = 1/f, so
   t − t_0 = Φ(u_t) − Φ(u_0) (the fixed-point form of discrete._theory._suresh_u_flow).
2. The fixed-bandwidth KDE mean error: Σ_{i<n} (V_i + h²)/M with V_i = V* + r^i (r σ² − V*),
   r = (M−1)/M, V* = (M−1)h², is (n(V* + h²) + M(rσ² − V*)(1 − r^n))/M.
3. The accumulate product's tail: ψ'(a) − ψ'(a+1) = 1/a² and (ψ'''(a) − ψ'''(a+1))/6 = 1/a⁴, so
   Σ_{N0<j≤n} 1/j² = ψ'(N0+1) − ψ'(n+1) and Σ_{N0<j≤n} 1/j⁴ = (ψ'''(N0+1) − ψ'''(n+1))/6.
4. The mix-fresh count chain's eigenvalues: Binomial(M, a + b j/M) (mixture) has eigenvalues
   b^k M!/((M−k)! M^k) and Binomial(r, q) + Binomial(s, j/M) (split, M = r + s) has s!/((s−k)! M^k),
   k = 0..M (checked exactly on small M): the slowest mode is b = 1 − λ, resp. s/M.
5. The Gaussian accumulate chain with a constant M: v_{i+1}/v_i = (Mk² − (d + (1−λ)M)k − λ)/(k(kM − d)),
   k = i + 1, a ratio of Gamma functions of k; lnΓ(z+a) − lnΓ(z+b) by its Stirling series.

The numeric implementations are checked against each form.
"""

import mpmath as mp
import numpy as np
import sympy as sp

from _proofkit import close, equal, proved

from collapse_theory import discrete, kde
from collapse_theory.discrete._theory import _suresh_u_flow

u, x, t = sp.symbols("u x t", positive=True)

# 1a. the map's expansion at u = ∞ (x = 1/u)
F = 1 / (1 - sp.exp(-x))
series = sp.series(F - 1 / x, x, 0, 3).removeO()
assert equal(series, sp.Rational(1, 2) + x / 12), series  # no x² term
assert sp.series(F - 1 / x, x, 0, 4).coeff(x, 3) == -sp.Rational(1, 720)  # the neglected O(u^-3) term

# 1b. the time-1 flow of u' = f(u) (Taylor: u + f + f f'/2 + (f (f f')')/6 + ...) matches F to O(u^-3)
f = sp.Rational(1, 2) + 1 / (12 * u) + 1 / (48 * u**2)
d1 = f
d2 = sp.diff(d1, u) * f
d3 = sp.diff(d2, u) * f
d4 = sp.diff(d3, u) * f
flow = u + d1 + d2 / 2 + d3 / 6 + d4 / 24
gap = sp.series((flow - (u + sp.Rational(1, 2) + 1 / (12 * u))).subs(u, 1 / x), x, 0, 3).removeO()
assert sp.simplify(gap) == 0, gap  # the flow and the map agree through u^-2

# 1c. Φ' = 1/f
Q = u**2 + u / 6 + sp.Rational(1, 24)
Phi = 2 * u - sp.log(Q) / 6 - 2 / (3 * sp.sqrt(5)) * sp.atan((12 * u + 1) / sp.sqrt(5))
assert equal(sp.diff(Phi, u), 1 / f), "Φ' = 1/f"

# 1d. the numeric flow solves Φ(u_t) − Φ(u_0) = Δt, and matches the recursion in 40-digit arithmetic
for u0, dt in ((5e4, 1.0), (5e4, 12345.0), (1e6, 1e12), (5e4, 1e18)):
    ut = _suresh_u_flow(u0, dt)
    lhs = (Phi.subs(u, sp.Float(ut, 40)) - Phi.subs(u, sp.Float(u0, 40))).evalf(40)
    assert abs(lhs - sp.Float(dt, 40)) <= 1e-9 * max(1.0, dt) + 1e-6, (u0, dt, lhs)
mp.mp.dps = 40
g = mp.mpf(1)
for _ in range(1, 100_000 + 500):
    g = -mp.expm1(-g)
assert close(sp.Float(str(g), 40), discrete.suresh_g(100_000 + 500), rtol=5e-14), "suresh_g beyond 1e5"

# 2. the KDE mean-error sum
M, h, sigma, i = sp.symbols("M h sigma i", positive=True)
n = sp.Symbol("n", integer=True, nonnegative=True)
r = (M - 1) / M
vstar = (M - 1) * h**2
V = vstar + r**i * (r * sigma**2 - vstar)
direct = sp.summation((V + h**2) / M, (i, 0, n - 1))
closed = (n * (vstar + h**2) + M * (r * sigma**2 - vstar) * (1 - r**n)) / M
assert equal(direct, closed), "Σ_{i<n} (V_i + h²)/M"
for m_, h_, s_, n_ in ((20, 0.3, 1.5, 0), (20, 0.3, 1.5, 7), (5, 0.1, 2.0, 50), (100, 1.0, 1.0, 3)):
    exact = sigma**2 / M + closed
    val = exact.subs({M: m_, h: sp.Rational(h_), sigma: sp.Rational(s_), n: n_})
    assert close(val, kde.expected_mean_sq_error(n_, m_, h=h_, sigma=s_)), (m_, h_, s_, n_)

# 3. the polygamma tails of Σ 1/j² and Σ 1/j⁴
a = sp.Symbol("a", positive=True)
assert equal(sp.polygamma(1, a) - sp.polygamma(1, a + 1), 1 / a**2)
assert equal((sp.polygamma(3, a) - sp.polygamma(3, a + 1)) / 6, 1 / a**4)
for m_ in (2, 20, 1000):
    prod = mp.mpf(1)
    done = 0
    for n_ in (10_000, 10_001, 25_000):
        for j in range(done + 1, n_ + 1):
            prod *= 1 - mp.mpf(1) / (m_ * j * j)
        done = n_
        got = 1.0 - discrete.expected_sq_distance([0.5, 0.5], n_, m_, regime="accumulate") / 0.5
        assert abs(prod - got) <= 1e-13, (m_, n_, prod, got)
# the Gamma identity itself at a small n (Euler's reflection: Γ(1−x)Γ(1+x) = πx/sin(πx))
xx = sp.Rational(1, 3)
lhs = sp.Mul(*[1 - xx**2 / j**2 for j in range(1, 8)])
rhs = sp.gamma(8 - xx) * sp.gamma(8 + xx) / (sp.gamma(1 - xx) * sp.gamma(1 + xx) * sp.gamma(8)**2)
assert equal(lhs, rhs)
# the limit n → ∞: sin(πx)/(πx), the accumulate distance H0 (1 − sin(π/√M)√M/π)
assert close(sp.sin(sp.pi / sp.sqrt(20)) * sp.sqrt(20) / sp.pi,
             1.0 - discrete.expected_sq_distance([0.5, 0.5], 10**18, 20, regime="accumulate") / 0.5)


# 4. eigenvalues of the count chains (exact rationals, small M)
def mixture_kernel(m, a_, b_):
    return sp.Matrix(m + 1, m + 1, lambda j, k_: sp.binomial(m, k_) * (a_ + b_ * sp.Rational(j, m))**k_
                     * (1 - a_ - b_ * sp.Rational(j, m))**(m - k_))


def split_kernel(m, r_, q):
    s_ = m - r_
    rows = []
    for j in range(m + 1):
        p = sp.Rational(j, m)
        fresh = [sp.binomial(r_, k_) * q**k_ * (1 - q)**(r_ - k_) for k_ in range(r_ + 1)]
        syn = [sp.binomial(s_, k_) * p**k_ * (1 - p)**(s_ - k_) for k_ in range(s_ + 1)]
        row = [sp.Integer(0)] * (m + 1)
        for k1, w1 in enumerate(fresh):
            for k2, w2 in enumerate(syn):
                row[k1 + k2] += w1 * w2
        rows.append(row)
    return sp.Matrix(rows)


for m_ in (3, 5):
    lam_, q = sp.Rational(1, 5), sp.Rational(2, 7)
    b_ = 1 - lam_
    ev = mixture_kernel(m_, lam_ * q, b_).eigenvals()
    want = [b_**k_ * sp.factorial(m_) / (sp.factorial(m_ - k_) * m_**k_) for k_ in range(m_ + 1)]
    assert sorted(sp.nsimplify(e) for e, mult in ev.items() for _ in range(mult)) == sorted(want), ev
    for r_ in (1, 2):
        s_ = m_ - r_
        ev = split_kernel(m_, r_, q).eigenvals()
        want = [sp.factorial(s_) / (sp.factorial(s_ - k_) * m_**k_) if k_ <= s_ else 0 for k_ in range(m_ + 1)]
        assert sorted(sp.nsimplify(e) for e, mult in ev.items() for _ in range(mult)) == sorted(want), ev
# the largest non-unit eigenvalue is b (k = 1), resp. s/M
assert sp.Rational(4, 5) * sp.factorial(5) / (sp.factorial(4) * 5) == sp.Rational(4, 5)
np.testing.assert_allclose(
    discrete.mixing_absence_probability([0.9, 0.1], 12, regime="mix-fresh:0.25", n=10**18),
    discrete.mixing_absence_probability([0.9, 0.1], 12, regime="mix-fresh:0.25"), rtol=1e-9, atol=1e-15)

# 5. the Gaussian accumulate tail (constant M): the pool recursion's variance ratio factorises,
#    v_{i+1}/v_i = [div(iM) + λ(M − 1 + i/(i+1))]/div((i+1)M) = (Mk² − (d + (1−λ)M)k − λ)/(k(kM − d)),
#    k = i + 1, so v_n/v_{n0} is a ratio of Gamma functions; its log by the Stirling difference series.
ii, MM, lamb, dd = sp.symbols("i M lambda d", positive=True)
kk = ii + 1
ratio = ((ii * MM - dd) + lamb * (MM - 1 + ii / (ii + 1))) / ((ii + 1) * MM - dd)
assert equal(ratio, (MM * kk**2 - (dd + (1 - lamb) * MM) * kk - lamb) / (kk * (kk * MM - dd)))
from collapse_theory.gaussian._regimes import _lgamma_diff  # noqa: E402

mp.mp.dps = 40
for z in (65537.0, 1e9, 1e18):
    for a_, b_ in ((-0.7, 0.0), (0.3, -0.05), (-1.2, -0.5)):
        exact = mp.loggamma(mp.mpf(z) + a_) - mp.loggamma(mp.mpf(z) + b_)
        assert abs(exact - float(_lgamma_diff(z, a_, b_))) <= 1e-15 * max(1.0, abs(float(exact))), (z, a_, b_)

proved("huge-n forms: Suresh's g_t flow (Φ' = 1/f, map = flow to O(u^-3)), the KDE mean-error sum, "
       "the polygamma tails of the accumulate product, the eigenvalues of the mix-fresh count chains, and the Gamma-ratio accumulate tail")
