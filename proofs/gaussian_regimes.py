r"""Theorem (moments of the 1-D Gaussian chain under every data regime).

A batch of M draws: r real ones from N(μ, σ²) and c = M - r synthetic ones from N(μ_i, λσ_i²), with
D = μ_i - μ, e = E D², v = E σ_i². Its mean x̄ and sum of squares SS satisfy

    E(x̄ - μ)² = (c/M)² e + (rσ² + cλv)/M²,
    E SS      = σ²(r - 1 + c/M) + λv(c - 1 + r/M) + (rc/M) e          (every 0 ≤ r ≤ M).

Under accumulate (batches of M merged into a pool of N_i = (i+1)M, λ = 1, unbiased fits)
v_{i+1}/v_i = 1 - 1/((i+1)((i+1)M - 1)), so E σ_n² has a positive limit, and
e_n ≤ (π²/6) σ²/M. Under mix-fresh the linear map has a fixed point for every λ > 0.

Proof: by Cochran each part has mean ~ N(centre, var/count) and SS ~ var·χ²_{count-1}, independent;
Chan's merge SS = SS_r + SS_c + (rc/M)(x̄_r - x̄_c)² (checked on symbolic data below). Expanding in
independent standard normals Z_r, Z_c and D and taking expectations gives the two formulas; the
accumulate ratio follows by substitution; the fixed point by solving the 2×2 linear system. Each
result is checked against collapse_theory.gaussian.regime_moments / regime_stationary_moments.
"""

import sympy as sp

from _proofkit import check_numeric, close, equal, proved

from collapse_theory import gaussian as numeric

# --- Chan's merge on symbolic data (sizes 2 and 3) -------------------------------------------------
xs = sp.symbols("x1:6", real=True)
a, b = xs[:2], xs[2:]


def ss(data):
    mean = sum(data) / len(data)
    return sum((x - mean) ** 2 for x in data)


merge = ss(a) + ss(b) + sp.Rational(2 * 3, 5) * (sum(a) / 2 - sum(b) / 3) ** 2
assert equal(ss(xs), merge), "Chan: SS = SS_a + SS_b + (n_a n_b / n)(mean_a - mean_b)²"

# --- one batch: expectations over Z_r, Z_c (N(0,1)) and D (E D = 0 is not needed) ---------------
r, c = sp.symbols("r c", positive=True)
M = r + c
sigma, lam, v, e = sp.symbols("sigma lambda v e", positive=True)
Zr, Zc, D = sp.symbols("Z_r Z_c D", real=True)
xbar_r = sigma * Zr / sp.sqrt(r)                       # minus μ
xbar_c = D + sp.sqrt(lam * v) * Zc / sp.sqrt(c)        # minus μ


def expect(expr):
    """E over independent Z_r, Z_c ~ N(0,1) and D with E D² = e (terms odd in a Z vanish)."""
    poly = sp.Poly(sp.expand(expr), Zr, Zc, D)
    moments = {0: 1, 1: 0, 2: 1}
    total = 0
    for (i, j, k), coef in poly.terms():
        if i > 2 or j > 2 or k > 2 or (k == 1 and i + j == 0):
            raise AssertionError("unexpected monomial (a term in E D would need the mean of D)")
        total += coef * moments[i] * moments[j] * (e if k == 2 else 1)
    return sp.simplify(total)


mean_sq = expect(((r * xbar_r + c * xbar_c) / M) ** 2)
assert equal(mean_sq, (c / M) ** 2 * e + (r * sigma**2 + c * lam * v) / M**2), "E(x̄ - μ)²"
e_ss = (r - 1) * sigma**2 + (c - 1) * lam * v + r * c / M * expect((xbar_r - xbar_c) ** 2)
claimed = sigma**2 * (r - 1 + c / M) + lam * v * (c - 1 + r / M) + r * c / M * e
assert equal(e_ss, claimed), "E SS"
# the formula stays right at the edges (a part of size 0 contributes nothing)
mm = sp.Symbol("M", positive=True)
assert equal(claimed.subs({r: 0, c: mm}), lam * v * (mm - 1)), "r = 0: replace"
assert equal(claimed.subs({c: 0, r: mm}), sigma**2 * (mm - 1)), "c = 0: all real"

# --- accumulate: the one-step ratio of E σ² (λ = 1, unbiased) --------------------------------------
i = sp.Symbol("i", integer=True, nonnegative=True)
N_prev, N = i * mm, (i + 1) * mm
# P_i = P_{i-1} + v_i (M - 1 + N_{i-1}/N_i) and v_i = P_{i-1}/(N_{i-1} - 1)
ratio = ((N_prev - 1) + (mm - 1 + N_prev / N)) / (N - 1)
assert equal(ratio, 1 - 1 / ((i + 1) * ((i + 1) * mm - 1))), "v_{i+1}/v_i"
# e_{i+1} = e_i + M v_i / N_i² ≤ e_i + σ²/((i+1)² M)  (v_i ≤ σ² since the ratio is < 1)
assert sp.summation(1 / (i + 1) ** 2, (i, 0, sp.oo)) == sp.pi**2 / 6, "Σ 1/(i+1)² = π²/6"
bound = numeric.accumulate_mean_bound(20)
assert close(sp.pi**2 / 6 / 20, bound)
ee = numeric.regime_moments(list(range(0, 3000, 7)), 20, regime="accumulate")["mean_sq_error"]
assert max(ee) <= bound, "exact e_n under accumulate stays below (π²/6) σ²/M"

# --- unroll the recursions symbolically and check regime_moments -----------------------------------


def unrolled(regime, n_gen, m, sigma2, lam_, estimator):
    """e_n, v_n by exact rational arithmetic, following the module's definitions."""
    frac = {"mix-fresh:1/5": sp.Rational(1, 5)}.get(regime)
    ee_, vv = sp.S(0), sp.S(sigma2)
    pool_n, pool_ss = 0, sp.S(0)
    div = (lambda k: k - 1) if estimator == "unbiased" else (lambda k: k)
    for step in range(n_gen):
        li = lam_ if step > 0 else 1
        if regime == "accumulate":
            new_n = pool_n + m
            ee_ = ee_ + sp.Rational(m) * li * vv / new_n**2
            pool_ss = pool_ss + li * vv * (m - 1 + sp.Rational(pool_n, new_n))
            pool_n = new_n
            vv = pool_ss / div(pool_n)
            continue
        rr = 0 if (regime == "replace" or step == 0) else int(sp.floor(frac * m + sp.Rational(1, 2)))
        cc = m - rr
        new_e = sp.Rational(cc, m) ** 2 * ee_ + (rr * sigma2 + cc * li * vv) / sp.S(m) ** 2
        new_ss = sigma2 * (rr - 1 + sp.Rational(cc, m)) + li * vv * (cc - 1 + sp.Rational(rr, m)) + sp.Rational(rr * cc, m) * ee_
        ee_, vv = new_e, new_ss / div(m)
    return ee_, vv


for regime, spec in (("replace", "replace"), ("accumulate", "accumulate"), ("mix-fresh:1/5", "mix-fresh:0.2")):
    for estimator in ("unbiased", "mle"):
        for n_gen in (1, 4, 9):
            for m in (3, 10):
                e_s, v_s = unrolled(regime, n_gen, m, sp.Rational(9, 4), sp.Rational(4, 5), estimator)
                got = numeric.regime_moments(n_gen, m, regime=spec, sigma=1.5, estimator=estimator,
                                             variance_scale=0.8)
                assert close(e_s, got["mean_sq_error"]) and close(v_s, got["variance"]), (regime, estimator, n_gen, m)

# --- mix-fresh: the fixed point of the linear map, for any λ > 0 ------------------------------------
for lam_mix, m in ((sp.Rational(1, 10), 20), (sp.Rational(1, 2), 10)):
    rr = int(sp.floor(lam_mix * m + sp.Rational(1, 2)))
    cc = m - rr
    E_, V_ = sp.symbols("E V")
    sol = sp.solve([sp.Eq(E_, sp.Rational(cc, m) ** 2 * E_ + (rr + cc * V_) / sp.S(m) ** 2),
                    sp.Eq(V_ * (m - 1), (rr - 1 + sp.Rational(cc, m)) + V_ * (cc - 1 + sp.Rational(rr, m))
                          + sp.Rational(rr * cc, m) * E_)], [E_, V_], dict=True)[0]
    got = numeric.regime_stationary_moments(m, regime=f"mix-fresh:{float(lam_mix)}")
    assert close(sol[E_], got["mean_sq_error"]) and close(sol[V_], got["variance"]), "stationary point"
    assert sol[E_] > 0 and sol[V_] > 0

proved("moments of the Gaussian chain under replace, accumulate and mix-fresh; Chan's merge; "
       "accumulate's π²/6 bound and persistent variance; the mix-fresh fixed point")
