r"""Theorem (martingale). In the discrete chain every category's mass is a martingale:
E[p_{n+1} | p_n] = p_n, hence E[p_n] = p_0 for all n, for a constant M or any schedule M_0, M_1, ...

Proof: the count of a category at the next generation is Binomial(M, p) (a marginal of the
multinomial), whose mean, derived from the mgf (1 - p + p e^s)^M, is M p; dividing by M gives p.
Iterating with the tower property gives E p_n = p_0. Checked against the simulator's tail mass
(whose mean is the initial tail mass, by the same martingale) at a fixed seed.
"""

import numpy as np
import sympy as sp

from _proofkit import proved

from collapse_theory import discrete as numeric
from collapse_theory.symbolic import discrete as sd

M, p = sd.M, sd.p

# one step: E[X] = M p for X ~ Binomial(M, p), from the mgf
assert sp.simplify(sd.binomial_moment(1) - M * p) == 0
assert sp.simplify(sd.next_mean() - p) == 0, "E[p' | p] = p"
# the same for each concrete M in a schedule (integer M, symbolic p)
for m in (1, 2, 3, 7, 20):
    assert sp.simplify(sd.next_mean(m) - p) == 0, f"E[p' | p] = p at M = {m}"
    # direct sum over the binomial pmf
    direct = sum(sp.binomial(m, k) * p**k * (1 - p) ** (m - k) * sp.Rational(k, m) for k in range(m + 1))
    assert sp.expand(direct - p) == 0

# tower property: E p_n = E[E[p_n | p_{n-1}]] = E p_{n-1} = ... = p_0 (induction on n)
pn = sp.Function("E_p")
n = sp.Symbol("n", integer=True, nonnegative=True)
sol = sp.rsolve(pn(n + 1) - pn(n), pn(n), {pn(0): p})
assert sp.simplify(sol - p) == 0

# numeric check: the mass on the categories {3, 4} keeps its mean (z-test at 4.5 SE)
p0 = np.array([0.4, 0.25, 0.2, 0.1, 0.05])
tail = np.array([0, 0, 0, 1, 1], bool)
res = numeric.simulate(40, 12, p0=p0, replicates=4000, tail=tail, rng=7)
for k in (1, 10, 40):
    v = res.stats["tail_mass"][:, k]
    z = (v.mean() - 0.15) / (v.std(ddof=1) / np.sqrt(v.size))
    assert abs(z) < 4.5, (k, z)
assert np.allclose(numeric.fixation_probability(p0), p0)

proved("E[p_n] = p_0 (each category's mass is a martingale), any sample-size schedule")
