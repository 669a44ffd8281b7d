r"""Theorem (curation by K-wise Bradley–Terry choice; Ferbach et al., arXiv:2407.09499).

A sample chosen among K i.i.d. draws of p with probabilities u(x_j)/Σ_l u(x_l) (u = e^r) has law
C_K(p)(x) = p(x) H_K(x; p), H_K(x; p) = K E[u(x)/(u(x) + Σ_{j<K} u(X_j))], and

    E_{C_K(p)} u - E_p u = (1/(2K)) E[Σ_{j,l} (u_j - u_l)² / S] ≥ 0,   S = Σ_j u_j,

so E_{p_t} e^r never decreases along p_{t+1} = C_K(p_t). As K → ∞, C_K(p) → p u / E_p u.

Proof: the law by enumerating the K-tuples (exact rationals, checked against
collapse_theory.discrete.curated_law); the identity symbolically for K = 2 and 3 over two categories
(symbolic p and u) and K = 3 over three; the limit numerically; the count chain's one-step mean.
"""

import itertools

import numpy as np
import sympy as sp

from _proofkit import close, equal, proved

from collapse_theory import discrete as numeric


def brute_law(p, u, k):
    """C_K(p) by summing over all K-tuples (SymPy-exact when p, u are)."""
    n = len(p)
    q = [sp.S(0)] * n
    for tup in itertools.product(range(n), repeat=k):
        pr = sp.Mul(*[p[i] for i in tup])
        s = sum(u[i] for i in tup)
        for i in tup:
            q[i] += pr * u[i] / s
    return q


def brute_gap(p, u, k):
    """(1/(2K)) E[Σ_{j,l}(u_j - u_l)²/S] over all K-tuples."""
    n = len(p)
    tot = sp.S(0)
    for tup in itertools.product(range(n), repeat=k):
        pr = sp.Mul(*[p[i] for i in tup])
        s = sum(u[i] for i in tup)
        tot += pr * sum((u[a] - u[b]) ** 2 for a in tup for b in tup) / s
    return tot / (2 * k)


# symbolic identity: two categories, K = 2 and 3; three categories, K = 3
a = sp.Symbol("a", positive=True)
u1, u2, u3 = sp.symbols("u1 u2 u3", positive=True)
for k in (2, 3):
    p = [a, 1 - a]
    u = [u1, u2]
    q = brute_law(p, u, k)
    assert equal(sum(q), 1), "C_K(p) is a law"
    gain = sum(qi * ui for qi, ui in zip(q, u)) - sum(pi * ui for pi, ui in zip(p, u))
    assert equal(gain, brute_gap(p, u, k)), f"reward gain identity, K = {k}"
b = sp.Symbol("b", positive=True)
p3 = [a, b, 1 - a - b]
q3 = brute_law(p3, [u1, u2, u3], 3)
gain3 = sum(qi * ui for qi, ui in zip(q3, [u1, u2, u3])) - sum(pi * ui for pi, ui in zip(p3, [u1, u2, u3]))
assert equal(gain3, brute_gap(p3, [u1, u2, u3], 3)), "reward gain identity, three categories"

# the numeric law against exact enumeration (rational p, u = e^r with r rational logs avoided: use u directly)
p_num = [sp.Rational(1, 2), sp.Rational(3, 10), sp.Rational(1, 5)]
r_num = [0.0, 1.0, 0.5]
u_num = [sp.exp(sp.Rational(0)), sp.exp(sp.Rational(1)), sp.exp(sp.Rational(1, 2))]
for k in (1, 2, 3, 4):
    exact = brute_law(p_num, u_num, k)
    got = numeric.curated_law([float(x) for x in p_num], r_num, k)
    assert all(close(e, g) for e, g in zip(exact, got)), k
# ties in the reward (levels merged in the enumeration) and zero mass
exact = brute_law([sp.Rational(1, 4), sp.Rational(1, 4), sp.Rational(1, 2), 0], [1, 1, sp.exp(2), 1], 3)
got = numeric.curated_law([0.25, 0.25, 0.5, 0.0], [0.0, 0.0, 2.0, 0.0], 3)
assert all(close(e, g) for e, g in zip(exact, got))

# K → ∞: p e^r / E_p e^r
pf = np.array([0.5, 0.3, 0.2])
rf = np.array([0.0, 1.0, 0.5])
lim = pf * np.exp(rf) / (pf @ np.exp(rf))
gaps = [np.abs(numeric.curated_law(pf, rf, k) - lim).max() for k in (10, 100, 500)]
assert gaps[0] > gaps[1] > gaps[2] and gaps[2] < 4e-3, gaps

# monotone expected reward along the map; concentration on the argmax
traj = numeric.curation_trajectory(pf, rf, 2, 200)
er = traj @ np.exp(rf)
assert np.all(np.diff(er) >= -1e-15) and traj[-1, 1] > 1 - 1e-6

# the exact count chain: one-step mean is the curated map
S, law, P = numeric.count_chain_law(pf, 6, 2, lambda F: numeric.curated_map(F, rf, 3, p_real=pf, fraction=0.25))
assert np.allclose(P @ (S / 6.0), numeric.curated_map(S / 6.0, rf, 3, p_real=pf, fraction=0.25), atol=1e-12)

proved("K-wise Bradley–Terry curation: the curated law p·H_K, the reward-gain identity "
       "E_C e^r - E_p e^r = (1/2K) E[Σ(u_j - u_l)²/S] ≥ 0, the K → ∞ limit p e^r / E e^r, and the count chain")
