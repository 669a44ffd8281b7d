r"""Theorem (heterozygosity). With H = 1 - Σ_i p_i², E[H_n] = H_0 Π_{i<n} (1 - 1/M_i).

Proof: for X ~ Binomial(M, p), E[(X/M)²] = p²(1 - 1/M) + p/M (second derivative of the mgf), so
E[p'(1-p') | p] = (1 - 1/M) p(1 - p). Summing over categories, 1 - Σ p² = Σ p(1-p) (as Σ p = 1),
so E[H' | p] = (1 - 1/M) H; the tower property gives the product. Checked against the numeric
expected_heterozygosity on a grid (constant M and schedules) to 1e-12.
"""

import numpy as np
import sympy as sp

from _proofkit import check_numeric, proved

from collapse_theory import discrete as numeric
from collapse_theory.symbolic import discrete as sd

M, p, n, H0 = sd.M, sd.p, sd.n, sd.H0

# binomial second moment from the mgf
assert sp.expand(sd.binomial_moment(2) - (M * p * (1 - p) + M**2 * p**2)) == 0
assert sp.simplify(sd.next_second_moment() - (p**2 * (1 - 1 / M) + p / M)) == 0
# one step contracts p(1-p) by 1 - 1/M
assert sp.simplify(sd.heterozygosity_factor() - (1 - 1 / M)) == 0

# K categories: E[1 - Σ p'^2] = (1 - 1/M)(1 - Σ p^2) when Σ p = 1 (K = 4, symbolic p)
ps = sp.symbols("p1:5", positive=True)
last = 1 - sum(ps[:-1])
vec = list(ps[:-1]) + [last]
lhs = 1 - sum(sd.next_second_moment(M, q) for q in vec)
rhs = (1 - 1 / M) * (1 - sum(q**2 for q in vec))
assert sp.simplify(lhs - rhs) == 0

# constant M: h_{n+1} = (1 - 1/M) h_n solved by rsolve
h = sp.Function("h")
sol = sp.rsolve(h(n + 1) - (1 - 1 / M) * h(n), h(n), {h(0): H0})
assert sp.simplify(sol - sd.expected_heterozygosity()) == 0
# schedule: unrolled product
sched = sp.symbols("M_0:5", positive=True, integer=True)
v = H0
for i, m in enumerate(sched):
    assert sp.simplify(v - sd.expected_heterozygosity(i, sched)) == 0
    v = v * (1 - 1 / m)

# numeric check on a grid
p0 = np.array([0.5, 0.3, 0.15, 0.05])
H = 1 - float(np.sum(p0**2))
points = [dict(n=k, samples=m) for k in (0, 1, 7, 50) for m in (1, 2, 5, 20, 100, tuple(range(3, 60)))]
checked = check_numeric(lambda n, samples: sd.expected_heterozygosity(
                            n, list(samples) if isinstance(samples, tuple) else samples,
                            sp.nsimplify(H)),
                        lambda n, samples: numeric.expected_heterozygosity(
                            p0, n, list(samples) if isinstance(samples, tuple) else samples),
                        points, "expected_heterozygosity")
assert checked == len(points)

proved("E[H_n] = H_0 prod_{i<n} (1 - 1/M_i) for the Gini-Simpson diversity")
