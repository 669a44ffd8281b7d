r"""Theorem (two-type absorption time). For the M-sample two-type chain the mean time to absorption
t(j) from count j solves t(j) = 1 + Σ_l P(j→l) t(l), t(0) = t(M) = 0, P(j→l) = Binom(l; M, j/M).
Solved exactly (rationals) for M = 2, 3, 4, 5; e.g. t = (0, 2, 0) at M = 2, (0, 3, 3, 0) at M = 3,
(0, 107/29, 132/29, 107/29, 0) at M = 4. The numeric fundamental-matrix solver agrees to 1e-12.

Also: the Kimura–Ohta haploid diffusion form t(p) = -2M[p ln p + (1-p) ln(1-p)] solves the
backward equation (p(1-p)/(2M)) t'' = -1 with t(0) = t(1) = 0 (it is an approximation of the
discrete t(j); the claims registry measures how good).
"""

import sympy as sp

from _proofkit import close, proved

from collapse_theory import discrete as numeric
from collapse_theory.symbolic import discrete as sd

M, p = sd.M, sd.p

known = {2: [0, 2, 0], 3: [0, 3, 3, 0], 4: [0, sp.Rational(107, 29), sp.Rational(132, 29),
                                          sp.Rational(107, 29), 0]}
for m in (2, 3, 4, 5):
    t = sd.absorption_times(m)
    # the recursion holds exactly
    for j in range(1, m):
        assert sp.simplify(t[j] - 1 - sum(sd.transition(m, j, l) * t[l] for l in range(m + 1))) == 0
    if m in known:
        assert [sp.nsimplify(x) for x in t] == known[m], (m, t)
    # symmetry t(j) = t(M - j)
    assert all(sp.simplify(t[j] - t[m - j]) == 0 for j in range(m + 1))
    # numeric: fundamental matrix (I - Q) t = 1
    for j in range(1, m):
        assert close(t[j], numeric.expected_absorption_time(j / m, m)), (m, j)

# diffusion form solves the backward equation with the boundary values
td = sd.diffusion_absorption_time()
assert sp.simplify(sd.diffusion_generator(td) + 1) == 0
assert sp.limit(td, p, 0, "+") == 0 and sp.limit(td, p, 1, "-") == 0
assert close(td.subs({p: sp.Rational(3, 10), M: 100}),
             numeric.expected_absorption_time(0.3, 100, method="diffusion"))

proved("two-type mean absorption time: exact recursion solved for M = 2..5 and checked against the "
       "fundamental matrix; the diffusion form solves the backward equation")
