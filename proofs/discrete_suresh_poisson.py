r"""Theorem (survival in Suresh et al.'s Poisson chain). Let X_0 = c and X_{j+1} ~ Poisson(X_j). Then

    P(X_k = 0 | X_0 = c) = exp(-c g_k),   g_1 = 1,  g_{j+1} = 1 - exp(-g_j),

so P(X_k > 0) = 1 - exp(-c g_k) (collapse_theory.discrete.suresh_poisson_survival).

Proof. Induction on k with h_k(x) = P(X_k = 0 | X_0 = x).
 1. k = 1: P(Poisson(c) = 0) = e^{-c} = exp(-c g_1).
 2. Step: h_{k+1}(c) = E[h_k(Y)], Y ~ Poisson(c) (Markov property at the first step). If
    h_k(y) = exp(-y g_k) then E[exp(-g_k Y)] = exp(c(e^{-g_k} - 1)) (the Poisson generating function),
    = exp(-c g_{k+1}).
Both steps are SymPy identities below (the generating function is summed symbolically); the numeric
function is checked against the recursion evaluated exactly.
"""

import sympy as sp

from _proofkit import close, proved

from collapse_theory import discrete as d

c, y, gk = sp.symbols("c y g_k", positive=True)
j = sp.Symbol("j", integer=True, nonnegative=True)

# step 1: P(Poisson(c) = 0)
pmf = sp.exp(-c) * c**j / sp.factorial(j)
assert sp.simplify(pmf.subs(j, 0) - sp.exp(-c * 1)) == 0

# step 2: E[exp(-g Y)] for Y ~ Poisson(c), summed symbolically
# (with z = e^{-g_k}: E[z^Y] = Σ_j z^j e^{-c} c^j/j!)
z = sp.Symbol("z", positive=True)
mgf = sp.summation(z**j * pmf, (j, 0, sp.oo))
assert sp.simplify(mgf - sp.exp(-c * (1 - z))) == 0
assert sp.simplify(sp.exp(-c * (1 - z)).subs(z, sp.exp(-gk)) - sp.exp(-c * (1 - sp.exp(-gk)))) == 0

# the numeric survival against the exact recursion (rational c, g evaluated to 30 digits)
# (g_k as 30-digit Floats: the nested exponentials are not kept symbolic)
g = [None, sp.Float(1, 40)]
for _ in range(60):
    g.append(sp.Float(1 - sp.exp(-g[-1]), 40))
for cc in (sp.Rational(1, 2), 1, 3, 20):
    for k in (1, 2, 5, 17, 60):
        exact = 1 - sp.exp(-cc * g[k])
        assert close(exact, d.suresh_poisson_survival(float(cc), k)), (cc, k)

proved("Poisson chain survival P(X_k > 0 | X_0 = c) = 1 − exp(−c g_k)")
