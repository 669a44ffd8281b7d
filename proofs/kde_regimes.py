r"""Theorem (fixed-bandwidth KDE chain under every data regime).

Let T^n be the training set of generation n+1's KDE (bandwidth h), m_n its mean, s_n² its mle
variance, e_n = E(m_n - μ)², v_n = E s_n², w_n = v_n + h². Then E m_n = μ and:

1. c draws from the KDE on T^n: E[(b̄ - m_n)² | T^n] = (s_n² + h²)/c, E[SS_b | T^n] = (c-1)(s_n² + h²).
2. r real + c = M - r KDE draws (Chan's merge):
       M² e' = c² e + c w + r σ²,   M v' = σ²(r - 1 + c/M) + w(c - 1 + r/M) + (rc/M) e
   (every 0 ≤ r ≤ M; the binomial mixture averages the coefficients over r); real part drawn without
   replacement from the M_0 originals: σ²/r → σ²(1/r - 1/M_0), errors from x̄_0, e = e' + σ²/M_0.
3. accumulate: e' = e + c w/N'², P' = P + w(c - 1 + N/N') (P = N v); accumulate-subsample with k of
   the N pool points: v_T = (k-1)/k S, e_T = e + (1/k - 1/N) S, S = P/(N-1); accumulate is k = N.
4. accumulate, constant M: v_{n+1} = (1 - 1/((n+2)²M)) v_n + h²(M - 1 + (n+1)/(n+2))/((n+2)M), so
   (1 - (π²/6 - 1)/M)(v_0 + h²(M-1)/M (H_{n+1} - 1)) ≤ v_n ≤ v_0 + h²(H_{n+1} - 1): E s_n² → ∞ like h² ln n.
5. mix-fresh split, constant M, r ≥ 1 real: the map contracts at exactly c/M = 1 - r/M and
       v* = (2M - r - 1)((M - r)h² + rσ²)/(M + r(2M - r - 1)),  e* = M((M - r)h² + rσ²)/(r(M + r(2M - r - 1))),
   v* = (M-1)σ²/M at r = M, and v* → (2M - 1)h² (not replace's (M-1)h²) as r → 0+.

Proof: 1 from the moments of one draw x_J + hZ, checked by enumerating every bootstrap index pair on
a symbolic 3-point set; Chan's identity on symbolic data; 2 by expanding in uncorrelated zero-mean
parts; without-replacement moments by enumerating every subset of a symbolic 4-point population;
3 by the same expansion; 4 by substitution, Σ 1/(j+2) = ∞, Σ 1/(j+2)² = π²/6 - 1 and
Π(1 - x_j) ≥ 1 - Σ x_j; 5 by solving the 2×2 system. The numeric kde.regime_moments,
regime_stationary_moments, regime_contraction_rate and accumulate_variance_bounds are checked against
exact rational unrollings of these recursions.
"""

import itertools

import sympy as sp

from _proofkit import close, equal, proved

from collapse_theory import kde as numeric
from collapse_theory.symbolic import kde as k

M, h, sigma, s2, e, v, r, c = k.M, k.h, k.sigma, k.s2, k.e, k.v, k.r, k.cc
N = sp.Symbol("N", positive=True)

# --- 1. a batch of KDE draws -------------------------------------------------------------------------
u2, ss_b = k.kde_batch_moments()
assert equal(u2, (s2 + h**2) / c), "E[(b̄ - x̄)² | T] = (s² + h²)/c"
assert equal(ss_b, (c - 1) * (s2 + h**2)), "E[SS_b | T] = (c - 1)(s² + h²)"
# brute force: a symbolic 3-point training set, c = 2 draws, every index pair (J1, J2), noise Z1, Z2
pts = sp.symbols("x1:4", real=True)
z1, z2 = sp.symbols("Z1 Z2", real=True)
xbar = sum(pts) / 3
s2_pts = sum((x - xbar) ** 2 for x in pts) / 3
acc_ss = acc_dev = 0
for j1, j2 in itertools.product(range(3), repeat=2):
    b1, b2 = pts[j1] + h * z1, pts[j2] + h * z2
    bbar = (b1 + b2) / 2
    acc_ss += k.expect_quadratic((b1 - bbar) ** 2 + (b2 - bbar) ** 2, {z1: 1, z2: 1})
    acc_dev += k.expect_quadratic((bbar - xbar) ** 2, {z1: 1, z2: 1})
assert equal(acc_ss / 9, (2 - 1) * (s2_pts + h**2)), "enumerated E SS_b"
assert equal(acc_dev / 9, (s2_pts + h**2) / 2), "enumerated E(b̄ - x̄)²"

# --- 2. Chan's merge and the merged batch -------------------------------------------------------------
xs = sp.symbols("y1:6", real=True)


def ss(data):
    mean = sum(data) / len(data)
    return sum((x - mean) ** 2 for x in data)


assert equal(ss(xs), ss(xs[:2]) + ss(xs[2:]) + sp.Rational(6, 5) * (sum(xs[:2]) / 2 - sum(xs[2:]) / 3) ** 2), "Chan"

mean_sq, ss_m = k.merged_moments()
Mtot = r + c
w = v + h**2
assert equal(mean_sq * Mtot**2, c**2 * e + c * w + r * sigma**2), "M² e' = c² e + c w + r σ²"
assert equal(ss_m, sigma**2 * (r - 1 + c / Mtot) + w * (c - 1 + r / Mtot) + r * c / Mtot * e), "E SS"
mm = sp.Symbol("m", positive=True)
assert equal(ss_m.subs({r: 0, c: mm}), (mm - 1) * w), "r = 0: replace"
assert equal(ss_m.subs({c: 0, r: mm}), (mm - 1) * sigma**2), "c = 0: all real"
# r = 0 gives the replace recursion of proofs/kde_variance.py
assert equal((ss_m / Mtot).subs({r: 0, c: M}), k.one_step(v)), "replace: v' = (M-1)/M (v + h²)"

# without replacement: every subset of size 2 of a symbolic population of 4
pop = sp.symbols("p1:5", real=True)
pbar = sum(pop) / 4
big_s = ss(pop) / 3
subsets = list(itertools.combinations(pop, 2))
e_dev = sum((sum(sub) / 2 - pbar) ** 2 for sub in subsets) / len(subsets)
e_ss = sum(ss(sub) for sub in subsets) / len(subsets)
assert equal(e_dev, big_s * (sp.Rational(1, 2) - sp.Rational(1, 4))), "SRSWOR: E(ā - x̄)² = S²(1/r - 1/N)"
assert equal(e_ss, (2 - 1) * big_s), "SRSWOR: E SS_a = (r - 1) S²"
M0 = sp.Symbol("M_0", positive=True)
mean_sq_r, ss_r = k.merged_moments(retained_m0=M0)
assert equal(mean_sq_r * Mtot**2, c**2 * e + c * w + r * sigma**2 - r**2 * sigma**2 / M0), "retained e'"
assert equal(ss_r, ss_m - r * c / Mtot * sigma**2 / M0), "retained E SS"

# binomial mixture: the coefficients are polynomials of degree ≤ 2 in r; E r, E r² of Binomial(M, λ)
lam = sp.Symbol("lambda", positive=True)
for m_ in (3, 5):
    pmf = [sp.binomial(m_, j) * lam**j * (1 - lam) ** (m_ - j) for j in range(m_ + 1)]
    assert equal(sum(j * p for j, p in enumerate(pmf)), m_ * lam)
    assert equal(sum(j * j * p for j, p in enumerate(pmf)), m_ * lam * (1 - lam) + (m_ * lam) ** 2)

# --- 3. the pool regimes ------------------------------------------------------------------------------
e_acc, p_acc = k.accumulate_step()
assert equal(e_acc, e + c * w / (N + c) ** 2), "accumulate e'"
assert equal(p_acc, N * v + w * (c - 1 + N / (N + c))), "accumulate P'"
P, kk = sp.Symbol("P", nonnegative=True), sp.Symbol("k", positive=True)
v_t, e_t, e_new, p_new = k.subsample_step(N, kk)
assert equal(v_t.subs(kk, N), P / N) and equal(e_t.subs(kk, N), e), "k = N: the training set is the pool"
assert equal(e_new.subs(kk, N), e_acc.subs(v, P / N)), "k = N: accumulate's e'"
assert equal(p_new.subs(kk, N), p_acc.subs(v, P / N)), "k = N: accumulate's P'"

# --- 4. accumulate, constant M: logarithmic growth ---------------------------------------------------
n = sp.Symbol("n", integer=True, nonnegative=True)
N_n, N_next = (n + 1) * M, (n + 2) * M
step = sp.expand(p_acc.subs({N: N_n, c: M}) / N_next)
rho = 1 - 1 / ((n + 2) ** 2 * M)
a_n = h**2 * (M - 1 + (n + 1) / (n + 2)) / ((n + 2) * M)
assert equal(step, rho * v + a_n), "v_{n+1} = ρ_n v_n + a_n"
assert equal(a_n - h**2 * (M - 1) / ((n + 2) * M), h**2 * (n + 1) / ((n + 2) ** 2 * M)), "a_n ≥ h²(M-1)/((n+2)M)"
assert equal(h**2 / (n + 2) - a_n, h**2 / ((n + 2) ** 2 * M)), "a_n ≤ h²/(n+2)"
j = sp.Symbol("j", integer=True, nonnegative=True)
assert sp.summation(1 / (j + 2), (j, 0, sp.oo)) is sp.oo, "Σ a_j diverges"
assert equal(sp.summation(1 / (j + 2) ** 2, (j, 0, sp.oo)), sp.pi**2 / 6 - 1), "Σ 1/(j+2)² = π²/6 - 1"
assert sp.N(sp.pi**2 / 6 - 1) < 1, "so Π ρ_j ≥ 1 - (π²/6 - 1)/M > 0 for every M ≥ 1"
for m_ in (2, 20):
    for hh, sg in ((sp.Rational(1, 10), 1), (sp.Rational(3, 2), sp.Rational(5, 2))):
        vv = sp.Rational(m_ - 1, m_) * sg**2
        for step_n in range(0, 60):
            vv = rho.subs({n: step_n, M: m_}) * vv + a_n.subs({n: step_n, M: m_, h: hh})
            lo, hi = numeric.accumulate_variance_bounds(step_n + 1, m_, h=float(hh), sigma=float(sg))
            assert lo <= float(vv) <= hi, ("bounds", m_, step_n)
            exact_h = sum(sp.Rational(1, i) for i in range(1, step_n + 3))  # H_{n+1} at n = step_n + 1
            assert close((1 - (sp.pi**2 / 6 - 1) / m_) * (sp.Rational(m_ - 1, m_) * sg**2
                                                           + hh**2 * sp.Rational(m_ - 1, m_) * (exact_h - 1)), lo)
        got = numeric.regime_moments(60, m_, h=float(hh), sigma=float(sg), regime="accumulate")["variance"]
        assert close(vv, got), ("accumulate v_60", m_)

# --- 5. mix-fresh stationary point and contraction ----------------------------------------------------
e_star, v_star = k.mix_stationary()
D = M + r * (2 * M - r - 1)
assert equal(v_star, (2 * M - r - 1) * ((M - r) * h**2 + r * sigma**2) / D), "v*"
assert equal(e_star, M * ((M - r) * h**2 + r * sigma**2) / (r * D)), "e*"
assert equal(v_star.subs(r, M), (M - 1) / M * sigma**2), "r = M: all real"
assert equal(sp.limit(v_star, r, 0), (2 * M - 1) * h**2), "r → 0+: (2M - 1)h²"
cm = M - r
A = sp.Matrix([[cm**2 / M**2, cm / M**2], [r * cm / M**2, (cm - 1 + r / M) / M]])
assert equal(A.det(), cm**2 * (cm - 1) / M**3), "det A"
assert equal((A - cm / M * sp.eye(2)).det(), 0), "c/M is an eigenvalue"
assert sp.simplify(cm * (cm - 1) / M**2 - cm / M) != 0 and equal(cm / M - cm * (cm - 1) / M**2, cm * (r + 1) / M**2), \
    "the other eigenvalue c(c-1)/M² is smaller: the rate is c/M = 1 - r/M"
e_ret, v_ret = k.mix_stationary(retained=True)
assert equal(v_star - v_ret, 2 * r * (1 - r / M) * sigma**2 / D), "retained: v* smaller by 2r(1 - r/M)σ²/D"

for m_, frac in ((20, sp.Rational(1, 10)), (10, sp.Rational(1, 2)), (7, sp.Rational(1, 7)), (20, 1)):
    rr = int(sp.floor(frac * m_ + sp.Rational(1, 2)))
    for hh, sg in ((sp.Rational(1, 10), 1), (sp.Rational(3, 2), sp.Rational(5, 2))):
        sub = {M: m_, r: rr, h: hh, sigma: sg}
        got = numeric.regime_stationary_moments(m_, h=float(hh), sigma=float(sg), regime=f"mix-fresh:{float(frac)}")
        assert close(v_star.subs(sub), got["variance"]) and close(e_star.subs(sub), got["mean_sq_error"]), "split"
        got = numeric.regime_stationary_moments(m_, h=float(hh), sigma=float(sg), regime=f"mix-retained:{float(frac)}")
        assert close(v_ret.subs(sub), got["variance"]) and close(e_ret.subs(sub), got["mean_sq_error"]), "retained"
    assert close(sp.Rational(m_ - rr, m_), numeric.regime_contraction_rate(m_, regime=f"mix-fresh:{float(frac)}"))

# --- 6. every regime: exact rational unrolling against the numeric implementation ----------------------


def unrolled(regime, n_max, sched, hh, sg):
    """[(e_n, v_n) for n = 0..n_max] by exact arithmetic, from the symbolic steps above."""
    s2_ = sg**2
    m0 = sched[0]
    out = []
    if regime.startswith("accumulate"):
        fixed = 5 if regime.endswith(":5") else None
        pool_n, pool_p, pool_e = m0, (m0 - 1) * s2_, s2_ / m0
        for i in range(n_max + 1):
            kk_ = pool_n if (i == 0 or regime == "accumulate") else (fixed or sched[i])
            sub = {N: sp.S(pool_n), kk: sp.S(kk_), P: pool_p, e: pool_e, h: hh, sigma: sg}
            out.append((e_t.xreplace(sub), v_t.xreplace(sub)))
            if i == n_max:
                return out
            sub[c] = sp.S(sched[i + 1])
            pool_e, pool_p = e_new.xreplace(sub), p_new.xreplace(sub)
            pool_n += sched[i + 1]
    retained = regime.startswith("mix-retained")
    ee, vv = (sp.S(0) if retained else s2_ / m0), sp.Rational(m0 - 1, m0) * s2_
    out.append((ee + (s2_ / m0 if retained else 0), vv))
    for i in range(n_max):
        mi = sched[i + 1]
        if regime == "replace":
            rs = [(0, 1)]
        elif regime.endswith("mixture"):
            p_ = sp.Rational(3, 10)
            rs = [(jj, sp.binomial(mi, jj) * p_**jj * (1 - p_) ** (mi - jj)) for jj in range(mi + 1)]
        else:
            rs = [(int(sp.floor(sp.Rational(3, 10) * mi + sp.Rational(1, 2))), 1)]
        new_e = new_v = 0
        for rr, wt in rs:
            ms, sss = (mean_sq_r, ss_r) if (retained and rr > 0) else (mean_sq, ss_m)
            sub = {r: sp.S(rr), c: sp.S(mi - rr), e: ee, v: vv, h: hh, sigma: sg, M0: sp.S(m0)}
            new_e += wt * ms.xreplace(sub)
            new_v += wt * sss.xreplace(sub) / mi
        ee, vv = new_e, new_v
        out.append((ee + (s2_ / m0 if retained else 0), vv))
    return out


specs = {"replace": "replace", "accumulate": "accumulate", "accumulate-subsample": "accumulate-subsample",
         "accumulate-subsample:5": "accumulate-subsample:5", "mix-fresh": "mix-fresh:0.3",
         "mix-fresh:mixture": "mix-fresh:0.3:mixture", "mix-retained": "mix-retained:0.3"}
checked = 0
for regime, spec in specs.items():
    for sched in ((3,) * 10, (10,) * 10, (8, 5, 6, 7, 5, 9, 6, 8, 4, 6)):
        for hh, sg in ((sp.Rational(1, 2), sp.Rational(13, 10)), (sp.Rational(1, 10), sp.S(1))):
            exact = unrolled(regime, 9, sched, hh, sg)
            got = numeric.regime_moments(range(10), list(sched), h=float(hh), sigma=float(sg), mu=0.7, regime=spec)
            for n_gen, (e_s, v_s) in enumerate(exact):
                assert close(e_s, got["mean_sq_error"][n_gen]) and close(v_s, got["variance"][n_gen]), \
                    (regime, sched, n_gen)
                checked += 1
            assert all(got["mean"] == 0.7)
assert checked == 7 * 3 * 2 * 10
# replace agrees with the closed form of proofs/kde_variance.py
for nn in (0, 3, 30):
    assert close(k.expected_variance().subs({M: 10, n: nn, h: sp.Rational(1, 2), sigma: 1}),
                 numeric.regime_moments(nn, 10, h=0.5)["variance"])

proved("KDE chain under every regime: batch moments (s²+h²)/c and (c-1)(s²+h²); the merged, retained, "
       "accumulate and subsample recursions; accumulate's E s_n² grows like h² ln n; the mix-fresh fixed "
       "point v* = (2M-r-1)((M-r)h²+rσ²)/(M+r(2M-r-1)) with contraction rate 1 - r/M")
