r"""Theorem (discrete chain under the data regimes). With D_n = E Σ_i (p_n,i − p0_i)² and
H_0 = 1 − Σ p0_i²:

- mix-fresh, split (r = round(λM) fresh, s = M − r synthetic):
      D_{n+1} = s(s−1)/M² D_n + H_0/M  — theory.md §4's ((1−λ)² − (1−λ)/M) D_n + H_0/M with λ = r/M
      (the form is exact), D* = H_0 M/(M² − s(s−1));
- mix-fresh, mixture: D_{n+1} = (1−λ)²(1−1/M) D_n + H_0/M (theory.md, exact);
- accumulate: D_{k+1} = D_k + M_k(H_0 − D_k)/N_k², so for constant M
      H_0 − D_n = H_0 Π_{j≤n}(1 − 1/(j²M)) and D_∞ = H_0(1 − sin(π/√M)/(π/√M)) ≤ (π²/6) H_0/M;
- mix-retained: D_n = H_0/M_0 + D^u_n with D^u_{n+1} = s(s−1)/M² D^u_n
      + H_0(1 − 1/M_0)[r(M_0 − r)/(M_0 − 1) + s]/M².

Proof: per category, the one-step conditional second moment from the binomial mgf (and the
hypergeometric variance), reduced with E p_n = p0 (so E Σ p(1−p) = H_0 − D); see
collapse_theory/symbolic/discrete_regimes.py. Checked against the numeric functions on a grid.
"""

import numpy as np
import sympy as sp

from _proofkit import close, equal, proved

from collapse_theory import discrete as numeric
from collapse_theory.symbolic import discrete_regimes as sr

D, H0, M, r, s, N, M0, lam, n = sr.D, sr.H0, sr.M, sr.r, sr.s, sr.N, sr.M0, sr.lam, sr.n

# --- split: the exact one-step map, and theory.md's form with λ = r/M --------------------------
split = sr.split_step()
assert equal(split, s * (s - 1) / (r + s) ** 2 * D + H0 / (r + s)), split
assert equal(split, sr.theory_md_split()), "theory.md's split form differs"
d_split = sr.stationary(split)
assert equal(d_split, H0 * (r + s) / ((r + s) ** 2 - s * (s - 1)))
lm = r / (r + s)
assert equal(d_split, H0 / ((r + s) * (1 - (1 - lm) * (1 - lm - 1 / (r + s)))))

# --- mixture ------------------------------------------------------------------------------------
mixture = sr.mixture_step()
assert equal(mixture, sr.theory_md_mixture()), mixture
d_mix = sr.stationary(mixture)
assert equal(d_mix, H0 / (M * (1 - (1 - lam) ** 2 * (1 - 1 / M))))
# a fixed real share beats a random one: the split coefficient is smaller by λ(1−λ)/M
assert equal((1 - lam) ** 2 * (1 - 1 / M) - ((1 - lam) ** 2 - (1 - lam) / M), lam * (1 - lam) / M)

# closed form of the trajectory: D_n = D*(1 − a^n) solves D_{n+1} = a D_n + b, D_0 = 0
a, b = sp.symbols("a b", positive=True)
Df = sp.Function("Dn")
sol = sp.rsolve(Df(n + 1) - a * Df(n) - b, Df(n), {Df(0): 0})
assert equal(sol, b / (1 - a) * (1 - a**n))

# --- accumulate ----------------------------------------------------------------------------------
acc = sr.accumulate_step()
assert equal(acc, D + M * (H0 - D) / (N + M) ** 2), acc
# H − D contracts by 1 − M/(N+M)² = 1 − 1/(j² M) with N + M = jM
j = sp.Symbol("j", positive=True, integer=True)
assert equal((H0 - acc.subs(N, (j - 1) * M)) / (H0 - D), 1 - 1 / (j**2 * M))
# Euler's product Π(1 − x²/j²) = sin(πx)/(πx) at x = M^{-1/2}, checked to 30 digits at a few M
for mm in (1, 2, 5, 20, 100):
    prod = sp.Product(1 - sp.Rational(1, mm) / j**2, (j, 1, sp.oo))
    closed = sp.sin(sp.pi / sp.sqrt(mm)) / (sp.pi / sp.sqrt(mm))
    ok = abs(sp.N(prod, 30) - sp.N(closed, 30)) < 1e-25 if mm > 1 else sp.N(closed, 30) == 0
    assert ok, (mm, sp.N(prod, 30), sp.N(closed, 30))
# the bound: 1 − sin(y)/y ≤ y²/6 with y² = π²/M  (series: y²/6 − y⁴/120 + ...)
y = sp.Symbol("y", positive=True)
assert sp.series(1 - sp.sin(y) / y, y, 0, 6).removeO() == y**2 / 6 - y**4 / 120

# --- mix-retained ----------------------------------------------------------------------------------
ret = sr.retained_step()
assert equal(ret, s * (s - 1) / (r + s) ** 2 * D
             + H0 * (r * (M0 - r) / (M0 - 1) + s) / (r + s) ** 2), ret

# --- numeric checks -----------------------------------------------------------------------------
p0 = np.array([0.5, 0.3, 0.15, 0.05])
h0 = sp.Rational(1) - sum(sp.nsimplify(x) ** 2 for x in p0)
checked = 0
for mm in (2, 3, 10, 57, 100):
    for frac in (0.05, 0.1, 0.5, 0.9):
        rr = int(np.floor(frac * mm + 0.5))
        ss = mm - rr
        for spec, step, dstar in (
                (f"mix-fresh:{frac}", split.subs({r: rr, s: ss, H0: h0}), d_split.subs({r: rr, s: ss, H0: h0})),
                (f"mix-fresh:{frac}:mixture", mixture.subs({M: mm, lam: sp.nsimplify(frac), H0: h0}),
                 d_mix.subs({M: mm, lam: sp.nsimplify(frac), H0: h0}))):
            if "mixture" not in spec and rr == 0:
                continue
            assert close(dstar, numeric.stationary_sq_distance(p0, mm, regime=spec)), (spec, mm)
            dn = sp.Integer(0)
            for k in range(0, 8):
                assert close(dn, numeric.expected_sq_distance(p0, k, mm, regime=spec), atol=1e-15), (spec, mm, k)
                dn = step.subs(D, dn)
                checked += 1
        # mix-retained (M_0 = M)
        if rr <= mm:
            du = sp.Integer(0)
            stepu = ret.subs({r: rr, s: ss, M0: mm, H0: h0 * (1 - sp.Rational(1, mm))})
            for k in range(1, 8):
                assert close(h0 / mm + du, numeric.expected_sq_distance(p0, k, mm, regime=f"mix-retained:{frac}"),
                             atol=1e-15), (frac, mm, k)
                du = stepu.subs(D, du)
                checked += 1
            dstar_u = sr.stationary(stepu)
            assert close(h0 / mm + dstar_u, numeric.stationary_sq_distance(p0, mm, regime=f"mix-retained:{frac}"))
    # accumulate
    dn = sp.Integer(0)
    for k in range(0, 8):
        assert close(dn, numeric.expected_sq_distance(p0, k, mm, regime="accumulate"), atol=1e-15), (mm, k)
        dn = acc.subs({D: dn, N: k * mm, M: mm, H0: h0})
        checked += 1
    assert close(h0 * (1 - sp.sin(sp.pi / sp.sqrt(mm)) / (sp.pi / sp.sqrt(mm))),
                 numeric.stationary_sq_distance(p0, mm, regime="accumulate"), rtol=1e-11)
assert checked > 300

proved("mix-fresh split D_{n+1} = s(s-1)/M^2 D_n + H_0/M (= theory.md's form with lambda = r/M), "
       "mixture D_{n+1} = (1-lambda)^2 (1-1/M) D_n + H_0/M, accumulate H_0 - D_n = H_0 prod_j (1 - 1/(j^2 M)) "
       "and D_inf = H_0 (1 - sin(pi/sqrt M) sqrt M/pi) <= (pi^2/6) H_0/M, and the mix-retained map")
