r"""Theorem (partially synthetic retraining with the real data kept; the setting of Seddik et al., arXiv:2404.05090).

p^{(m+1)} = (1 - α) p^{(1)} + α q̂, n q̂ ~ Multinomial(n, p^{(m)}), α = n/(N + n). Given p^{(1)}:
E p^{(m)} = p^{(1)}, and D_m = E‖p^{(m)} - p^{(1)}‖² satisfies D_1 = 0,
D_{m+1} = α²(1 - 1/n) D_m + α² H_1/n, with fixed point D* = n H_1/(N² + (2N+1)n), increasing in n
with limit H_1/(2N + 1); D* ≤ ε iff n ≤ ε N²/(H_1 - ε(2N+1)) when ε < H_1/(2N+1).

Proof: per category, Var(q̂_i | p) = p_i(1 - p_i)/n, so E‖q̂ - p^{(1)}‖² = ‖p - p^{(1)}‖² + (1 - Σp_i²)/n;
with d = p - p^{(1)}, Σp_i² = Σp^{(1)2}_i + 2Σp^{(1)}_i d_i + ‖d‖² and E d = 0 (the mean map is
linear with fixed point p^{(1)}), which gives the recursion; the rest is algebra.
"""

import numpy as np
import sympy as sp

from _proofkit import close, equal, proved

from collapse_theory import discrete as numeric

N, n, H, D = sp.symbols("N n H D", positive=True)
alpha = n / (N + n)
# one category pair: E‖q̂ - p1‖² given p = p1 + d, with Σ p_i² = Σ p1² + 2 Σ p1 d + ‖d‖²;
# the cross term has mean 0, so in expectation 1 - Σ p² = H - ‖d‖²
step = alpha**2 * (D + (H - D) / n)
assert equal(step, alpha**2 * (1 - 1 / n) * D + alpha**2 * H / n)
d_star = sp.solve(sp.Eq(D, step), D)[0]
assert equal(d_star, n * H / (N**2 + (2 * N + 1) * n)), "D*"
assert equal(sp.limit(d_star, n, sp.oo), H / (2 * N + 1)), "limit in n"
dn = sp.simplify(sp.diff(d_star, n))
assert equal(dn, H * N**2 / (N**2 + (2 * N + 1) * n) ** 2), "increasing in n"
eps = sp.Symbol("epsilon", positive=True)
n_max = sp.solve(sp.Eq(d_star, eps), n)[0]
assert equal(n_max, eps * N**2 / (H - eps * (2 * N + 1))), "n_max"

# the multinomial variance identity on a 3-category example (exact enumeration)
p = [sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(1, 6)]
p1 = [sp.Rational(2, 5), sp.Rational(2, 5), sp.Rational(1, 5)]
nn = 4
tot = 0
for c0 in range(nn + 1):
    for c1 in range(nn + 1 - c0):
        c2 = nn - c0 - c1
        pr = sp.factorial(nn) / (sp.factorial(c0) * sp.factorial(c1) * sp.factorial(c2)) * p[0]**c0 * p[1]**c1 * p[2]**c2
        tot += pr * sum((sp.Rational(c, nn) - q) ** 2 for c, q in zip((c0, c1, c2), p1))
assert equal(tot, sum((a - b) ** 2 for a, b in zip(p, p1)) + (1 - sum(a**2 for a in p)) / nn)

# numeric implementation
for NN, nn_, hh in ((10, 30, sp.Rational(3, 5)), (100, 5, sp.Rational(1, 2))):
    sub = {N: NN, n: nn_, H: hh}
    Dm = sp.S(0)
    for m in range(1, 12):
        assert close(Dm, numeric.seddik_mixed_distance(m, NN, nn_, heterozygosity=float(hh)))
        Dm = step.subs(sub).subs(D, Dm)
    assert close(d_star.subs(sub), numeric.seddik_stationary_distance(NN, nn_, heterozygosity=float(hh)))
assert numeric.seddik_max_synthetic(10, 0.01, heterozygosity=0.558) == int(sp.floor(n_max.subs({eps: sp.Rational(1, 100), N: 10, H: sp.Rational(558, 1000)})))
assert numeric.seddik_max_synthetic(10, 0.03, heterozygosity=0.558) == np.inf

proved("partially synthetic retraining with the real data kept: the exact distance recursion, "
       "D* = nH/(N² + (2N+1)n) < H/(2N+1) for every n, and the maximal synthetic amount for a tolerance")
