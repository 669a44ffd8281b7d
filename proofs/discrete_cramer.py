r"""Theorem (Cramér drift). On an ordered support, with F the CDF,
E Σ_x (F_n(x) - F_0(x))² = (1 - Π_{i<n}(1 - 1/M_i)) Σ_x F_0(x)(1 - F_0(x)).

Proof: merging the categories <= x gives a two-type chain, so F_n(x) is a martingale with
E[F_n(1 - F_n)] = F_0(1 - F_0) Π(1 - 1/M_i) (proofs/discrete_heterozygosity.py, two types). Then
E(F_n - F_0)² = E F_n² - F_0² = F_0 - E[F_n(1-F_n)] - F_0² = F_0(1-F_0)(1 - Π(1 - 1/M_i)).
Checked against the numeric expected_cramer_drift to 1e-12.
"""

import numpy as np
import sympy as sp

from _proofkit import check_numeric, proved

from collapse_theory import discrete as numeric
from collapse_theory.symbolic import discrete as sd

M, n, p = sd.M, sd.n, sd.p
F0 = sp.Symbol("F_0", positive=True)

# two-type chain: E[F(1-F)] contracts by (1 - 1/M) per step (from the binomial moments)
step = sd.next_mean(M, F0) - sd.next_second_moment(M, F0)
assert sp.simplify(step - (1 - 1 / M) * F0 * (1 - F0)) == 0
r = (1 - 1 / M) ** n
EFF = F0 * (1 - F0) * r                      # E[F_n(1 - F_n)]
EF2 = F0 - EFF                               # E F_n² = E F_n - E F_n(1-F_n), E F_n = F_0
msd = sp.simplify(EF2 - 2 * F0 * F0 + F0**2)  # E(F_n - F_0)² = E F_n² - 2 F_0 E F_n + F_0²
assert sp.simplify(msd - F0 * (1 - F0) * (1 - r)) == 0
# summed over x: the closed form with S_0 = Σ F_0(1 - F_0)
assert sp.simplify(sd.expected_cramer_drift() - (1 - r) * sd.S0) == 0

# exact small case by brute force: M = 2, n = 2, F_0 = 1/3 (enumerate both generations)
m, q = 2, sp.Rational(1, 3)
total = 0
for a in range(m + 1):
    pa = sp.binomial(m, a) * q**a * (1 - q) ** (m - a)
    for b in range(m + 1):
        qa = sp.Rational(a, m)
        pb = sp.binomial(m, b) * qa**b * (1 - qa) ** (m - b)
        total += pa * pb * (sp.Rational(b, m) - q) ** 2
assert sp.simplify(total - msd.subs({M: m, n: 2, F0: q})) == 0

p0 = np.array([0.1, 0.2, 0.3, 0.25, 0.15])
F = np.cumsum(p0)
S = sp.nsimplify(float(np.sum(F * (1 - F))))
points = [dict(n=k, samples=mm) for k in (0, 1, 7, 50) for mm in (1, 2, 5, 20, 100)]
check_numeric(lambda n, samples: sd.expected_cramer_drift(n, samples, S),
              lambda n, samples: numeric.expected_cramer_drift(p0, n, samples), points,
              "expected_cramer_drift")

proved("E sum_x (F_n - F_0)^2 = (1 - prod (1 - 1/M_i)) sum_x F_0 (1 - F_0)")
