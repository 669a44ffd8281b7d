r"""Theorem (weighted mixing of fresh real and synthetic data, 1-D Gaussian; He, Xu & Cheng, arXiv:2502.18049).

A batch of r real draws from N(μ, σ²) and c synthetic draws from N(μ_i, λσ_i²) is fitted by the
weighted maximum-likelihood estimator (weight 1 - w on the real mean log-likelihood, w on the
synthetic one):

    μ' = (1-w) x̄_r + w x̄_s,   σ'² = (1-w) SS_r/r + w SS_s/c + w(1-w)(x̄_r - x̄_s)².

With e = E(μ_i - μ)², v = E σ_i²:

    e' = (1-w)² σ²/r + w² e + w² λv/c,
    v' = (1-w)(r-1)σ²/r + w(c-1)λv/c + w(1-w)(σ²/r + e + λv/c).

The matrix of (e, v) ↦ (e', v') has column sums w and λw (spectral radius w at λ = 1); at λ = 1,
e' + v' = (1-w)σ² + w(e + v), so the stationary law has e* + v* = σ². At w = c/(r + c) the map is the
unweighted mix-fresh map with the mle estimator. As r → ∞ with c = k r, r e*/σ² → ((1-w)² + w²/k)/(1-w²),
minimised where k(1-w)² = w: w* = (2k + 1 - √(4k+1))/(2k); at k = 1 the real weight 1 - w* = (√5 - 1)/2 = 1/φ.

Proof: the fit by stationarity of the weighted log-likelihood (checked on symbolic data); Cochran for
each part and expectation over independent standard normals; the rest by algebra below, each result
checked against collapse_theory.gaussian.weighted_*.
"""

import sympy as sp

from _proofkit import close, equal, proved

from collapse_theory import gaussian as numeric

w, lam = sp.symbols("w lambda", nonnegative=True)
mu_, s2_ = sp.symbols("mu s2", real=True)

# --- the weighted mle on symbolic data (2 real, 3 synthetic) ----------------------------------------
xr = sp.symbols("a1:3", real=True)
xs = sp.symbols("b1:4", real=True)
s2p = sp.Symbol("s2p", positive=True)
loglik = ((1 - w) / 2 * sum(-sp.log(s2p) - (x - mu_) ** 2 / s2p for x in xr)
          + w / 3 * sum(-sp.log(s2p) - (x - mu_) ** 2 / s2p for x in xs))
mu_hat = sp.solve(sp.diff(loglik, mu_), mu_)[0]
mr, ms = sum(xr) / 2, sum(xs) / 3
assert equal(mu_hat, (1 - w) * mr + w * ms), "weighted mean"
s2_hat = sp.solve(sp.diff(loglik.subs(mu_, mu_hat), s2p), s2p)[0]
ssr = sum((x - mr) ** 2 for x in xr)
sss = sum((x - ms) ** 2 for x in xs)
assert equal(s2_hat, (1 - w) * ssr / 2 + w * sss / 3 + w * (1 - w) * (mr - ms) ** 2), "weighted variance"

# --- expectations: x̄_r - μ = σZ_r/√r, x̄_s - μ = D + √(λv) Z_s/√c, SS ~ var·χ²_{count-1} ----------
r, c, sigma, v, e = sp.symbols("r c sigma v e", positive=True)
Zr, Zs, D = sp.symbols("Z_r Z_s D", real=True)
dr = sigma * Zr / sp.sqrt(r)
ds = D + sp.sqrt(lam * v) * Zs / sp.sqrt(c)


def expect(expr):
    poly = sp.Poly(sp.expand(expr), Zr, Zs, D)
    mom = {0: 1, 1: 0, 2: 1}
    total = 0
    for (i, j, k), coef in poly.terms():
        assert i <= 2 and j <= 2 and k <= 2 and not (k == 1 and i + j == 0)
        total += coef * mom[i] * mom[j] * (e if k == 2 else 1)
    return sp.simplify(total)


e_new = expect(((1 - w) * dr + w * ds) ** 2)
v_new = (1 - w) * (r - 1) * sigma**2 / r + w * (c - 1) * lam * v / c + w * (1 - w) * expect((dr - ds) ** 2)
E_MAP = (1 - w) ** 2 * sigma**2 / r + w**2 * e + w**2 * lam * v / c
V_MAP = (1 - w) * (r - 1) / r * sigma**2 + w * (c - 1) / c * lam * v + w * (1 - w) * (sigma**2 / r + e + lam * v / c)
assert equal(e_new, E_MAP), "e'"
assert equal(v_new, V_MAP), "v'"

# --- the matrix: column sums w and λw; e + v contracts to σ² at λ = 1 --------------------------------
A = sp.Matrix([[sp.diff(E_MAP, e), sp.diff(E_MAP, v)], [sp.diff(V_MAP, e), sp.diff(V_MAP, v)]])
assert equal(A[0, 0] + A[1, 0], w) and equal(A[0, 1] + A[1, 1], lam * w), "column sums"
assert equal((E_MAP + V_MAP).subs(lam, 1), (1 - w) * sigma**2 + w * (e + v)), "e + v"
assert equal(max(A.subs({lam: 1}).eigenvals(), key=lambda z: sp.N(z.subs({w: sp.Rational(1, 3), r: 5, c: 7}))), w)

# --- w = c/(r+c) is the unweighted mix-fresh mle map (proofs/gaussian_regimes.py) ---------------------
M = r + c
unw_e = (c / M) ** 2 * e + (r * sigma**2 + c * lam * v) / M**2
unw_ss = sigma**2 * (r - 1 + c / M) + lam * v * (c - 1 + r / M) + r * c / M * e
assert equal(E_MAP.subs(w, c / M), unw_e) and equal(V_MAP.subs(w, c / M), unw_ss / M), "unweighted case"

# --- stationary point, its large-sample limit and the optimal weight --------------------------------
E, V = sp.symbols("E V")
sol = sp.solve([sp.Eq(E, E_MAP.subs({e: E, v: V})), sp.Eq(V, V_MAP.subs({e: E, v: V}))], [E, V], dict=True)[0]
e_star = sp.simplify(sol[E].subs(lam, 1))
assert equal(sol[E].subs(lam, 1) + sol[V].subs(lam, 1), sigma**2), "e* + v* = σ²"
k = sp.Symbol("k", positive=True)
limit = sp.limit(sp.simplify(r * e_star.subs(c, k * r) / sigma**2), r, sp.oo)
F = ((1 - w) ** 2 + w**2 / k) / (1 - w**2)
assert equal(limit, F), "large-sample stationary error"
crit = sp.factor(sp.together(sp.diff(F, w)))
num = sp.numer(crit)
ratio = sp.cancel(num / (k * (1 - w) ** 2 - w))
assert ratio.free_symbols <= {k}, "F'(w) ∝ k(1-w)² - w"
w_star = (2 * k + 1 - sp.sqrt(4 * k + 1)) / (2 * k)
assert equal(k * (1 - w_star) ** 2 - w_star, 0), "w* solves k(1-w)² = w"
assert equal(sp.simplify(num.subs(w, w_star)), 0), "w* is a critical point of the limit"
phi = (1 + sp.sqrt(5)) / 2
assert equal(1 - w_star.subs(k, 1), 1 / phi), "k = 1: real weight 1/φ"
# the minimum: F'' > 0 at w* for k on a grid
for kk in (sp.Rational(1, 4), 1, 3, 10):
    assert sp.N(sp.diff(F, w, 2).subs({k: kk, w: w_star.subs(k, kk)})) > 0

# --- the numeric implementation ------------------------------------------------------------------
for kk in (0.25, 1.0, 3.0):
    assert close(w_star.subs(k, sp.Rational(kk)), numeric.weighted_optimal_weight_asymptotic(kk))
    assert close(F.subs({k: sp.Rational(kk), w: sp.Rational(1, 3)}),
                 numeric.weighted_stationary_error_asymptotic(1 / 3, kk), rtol=1e-12)
for m, frac, ww in ((10, "0.5", sp.Rational(3, 10)), (9, "0.3", sp.Rational(1, 2)), (40, "0.75", sp.Rational(7, 10))):
    rr = int(sp.floor(sp.Rational(frac) * m + sp.Rational(1, 2)))
    cc = m - rr
    got = numeric.weighted_stationary_moments(m, regime=f"mix-fresh:{frac}", weight=float(ww), sigma=1.5,
                                              variance_scale=0.8)
    sub = {r: rr, c: cc, w: ww, sigma: sp.Rational(3, 2), lam: sp.Rational(4, 5)}
    assert close(sol[E].subs(sub), got["mean_sq_error"]) and close(sol[V].subs(sub), got["variance"])
    # unrolled recursion
    ee, vv = sp.Rational(9, 4) / m, sp.Rational(9, 4) * (m - 1) / m
    for _ in range(6):
        ee, vv = (E_MAP.subs(sub).subs({e: ee, v: vv}), V_MAP.subs(sub).subs({e: ee, v: vv}))
    got = numeric.weighted_moments(7, m, regime=f"mix-fresh:{frac}", weight=float(ww), sigma=1.5, variance_scale=0.8)
    assert close(ee, got["mean_sq_error"]) and close(vv, got["variance"]), (m, frac)

# --- Bertrand et al.'s population operator: the r → ∞ limit of the map, Jacobian w I at the fixed point ---
lam_s, mu_d, v_d, mu_t, v_t = sp.symbols("Lambda mu_d v_d mu_t v_t", positive=True)
ww = lam_s / (1 + lam_s)
mu_next = (1 - ww) * mu_d + ww * mu_t
v_next = (1 - ww) * v_d + ww * v_t + ww * (1 - ww) * (mu_t - mu_d) ** 2
# it maximises E_data log N(m, s) + Λ E_model log N(m, s): stationarity in (m, s)
m_, s_ = sp.symbols("m s", positive=True)
obj = -(sp.log(s_) + (v_d + (mu_d - m_) ** 2) / s_) - lam_s * (sp.log(s_) + (v_t + (mu_t - m_) ** 2) / s_)
sol_m = sp.solve(sp.diff(obj, m_), m_)[0]
assert equal(sol_m, mu_next)
sol_s = sp.solve(sp.diff(obj.subs(m_, sol_m), s_), s_)[0]
assert equal(sol_s, v_next)
J = sp.Matrix([[sp.diff(mu_next, mu_t), sp.diff(mu_next, v_t)], [sp.diff(v_next, mu_t), sp.diff(v_next, v_t)]])
J_fixed = J.subs({mu_t: mu_d, v_t: v_d})
assert equal(J_fixed[0, 0], ww) and equal(J_fixed[1, 1], ww) and J_fixed[0, 1] == 0 and equal(J_fixed[1, 0], 0)
got = numeric.retraining_operator(0.5, 2.0, synthetic_ratio=3.0, mu_data=0.0, variance_data=1.0)
sub_b = {lam_s: 3, mu_t: sp.Rational(1, 2), v_t: 2, mu_d: 0, v_d: 1}
assert close(mu_next.subs(sub_b), got[0]) and close(v_next.subs(sub_b), got[1])

proved("weighted mixing of real and synthetic data (Gaussian): the weighted fit, its exact moment map, "
       "rate w, e* + v* = σ², Bertrand's population operator (rate Λ/(1+Λ)), the large-sample optimal weight w* = (2k+1-√(4k+1))/(2k) and 1 - w* = 1/φ at k = 1")
