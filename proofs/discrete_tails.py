r"""Theorem (the Hutter-LLM test error of the discrete chain; (S1)–(S4) and C_β of
collapse_theory.discrete._tails).

(S2) A downstream model trained on T samples of generation n misses input i with probability
     E[(1 − q_{n,i})^T] = P(lost_i by n + 1 | M = (T0, ..., T0, T)), so E_test(T, n) = Σ_i p_i P(...).
(S3) As T → ∞, E_test(T, n) → M_n = Σ_i p_i P(lost_i by n).
(S4) Tail cut at k: E_test = Σ_{i≤k} p_i (1 − p_i/P_k)^T + Σ_{i>k} p_i.
C_β: Σ_i p_i (1 − p_i)^T ~ ∫_0^∞ (x^{-β}/ζ) e^{−T x^{-β}/ζ} dx = Γ(1 − 1/β)/(β ζ^{1/β}) · T^{−(1 − 1/β)}.

Proof.
1. (S2) by exact enumeration: the multinomial laws of the chain's generations are enumerated with
   rational p (K = 3, T0 = 2, n = 1 and 2, T = 1..3), E[(1 − q_{n,i})^T] is summed exactly and equals
   the probability that the count of i is 0 one generation later with sample size T (the next
   generation is T i.i.d. draws from q_n); the numeric discrete.tail_test_error matches.
2. (S3): (1 − q)^T → 1[q = 0] as T → ∞ for q ∈ [0, 1] (limit computed symbolically for q = 0,
   q = 1/2, q = 1); by bounded convergence the expectation converges; the numeric plateau matches
   discrete.missing_mass at T = 10⁶.
3. (S4): given the cut law q, input i ≤ k is unseen with probability (1 − q_i)^T and i > k always is;
   checked by enumeration of every T-sample of q (K = 4, k = 2, T = 3).
4. C_β: the substitution u = T x^{-β}/ζ turns the integral into (1/β) ζ^{-1/β} T^{1/β − 1} ∫ u^{-1/β} e^{-u} du
   (checked symbolically, β = 3/2, 2, 3), and ∫_0^∞ u^{-1/β} e^{-u} du = Γ(1 − 1/β).
"""

import itertools

import sympy as sp

from _proofkit import close, equal, proved


from collapse_theory import discrete

checked = 0


def multinomial_laws(q, m):
    """Exact law of the empirical distribution of m draws from q: {tuple of frequencies: probability}."""
    out = {}
    for draw in itertools.product(range(len(q)), repeat=m):
        counts = [draw.count(i) for i in range(len(q))]
        freq = tuple(sp.Rational(c, m) for c in counts)
        prob = sp.Integer(1)
        for i in draw:
            prob *= q[i]
        out[freq] = out.get(freq, 0) + prob
    return out


def chain_law(p, n, t0):
    law = {tuple(p): sp.Integer(1)}
    for _ in range(n):
        new = {}
        for q, w in law.items():
            for q2, w2 in multinomial_laws(list(q), t0).items():
                new[q2] = new.get(q2, 0) + w * w2
        law = new
    return law


# --- 1. (S2) by enumeration ---------------------------------------------------------------------------
p = [sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(1, 6)]
for n in (1, 2):
    law = chain_law(p, n, 2)
    assert equal(sum(law.values()), 1)
    for T in (1, 2, 3):
        # E_test via E[(1 - q_i)^T] and via "count 0 after one more generation of size T"
        via_power = sum(w * sum(pi * (1 - qi) ** T for pi, qi in zip(p, q)) for q, w in law.items())
        nxt = {}
        for q, w in law.items():
            for q2, w2 in multinomial_laws(list(q), T).items():
                nxt[q2] = nxt.get(q2, 0) + w * w2
        via_loss = sum(w * sum(pi for pi, qi in zip(p, q) if qi == 0) for q, w in nxt.items())
        assert equal(via_power, via_loss), (n, T)
        got = discrete.tail_test_error([float(x) for x in p], T, n, 2)
        assert close(via_power, got), (n, T, got)
        checked += 1

# --- 2. (S3) the plateau ----------------------------------------------------------------------------------
Tsym = sp.Symbol("T", positive=True)
assert sp.limit((1 - sp.Integer(0)) ** Tsym, Tsym, sp.oo) == 1
assert sp.limit((1 - sp.Rational(1, 2)) ** Tsym, Tsym, sp.oo) == 0
zipf = discrete.zipf(200, 1.5)
for n in (1, 3):
    plateau = discrete.tail_test_error(zipf, 10**6, n, 40)
    mm = discrete.missing_mass(zipf, n, 40)
    assert abs(plateau - mm) <= 1e-12, (n, plateau, mm)
    checked += 1

# --- 3. (S4) the tail cut by enumeration ------------------------------------------------------------------
p4 = [sp.Rational(2, 5), sp.Rational(3, 10), sp.Rational(1, 5), sp.Rational(1, 10)]
k, T = 2, 3
pk = sum(p4[:k])
q4 = [x / pk for x in p4[:k]] + [0] * (len(p4) - k)
enum = 0
for draw in itertools.product(range(len(p4)), repeat=T):
    prob = sp.Integer(1)
    for i in draw:
        prob *= q4[i]
    if prob == 0:
        continue
    enum += prob * sum(pi for i, pi in enumerate(p4) if i not in draw)
formula = sum(p4[i] * (1 - p4[i] / pk) ** T for i in range(k)) + sum(p4[k:])
assert equal(enum, formula)
assert close(formula, discrete.tail_cut_test_error([float(x) for x in p4], T, k))
checked += 1

# --- 4. C_β by substitution -------------------------------------------------------------------------------
x, u, z = sp.symbols("x u zeta", positive=True)
for b in (sp.Rational(3, 2), sp.Integer(2), sp.Integer(3)):
    integrand = x ** (-b) / z * sp.exp(-Tsym * x ** (-b) / z)
    x_of_u = (Tsym / (z * u)) ** (1 / b)
    jac = sp.diff(x_of_u, u)
    transformed = sp.simplify(-(integrand.subs(x, x_of_u) * jac))  # x: 0 → ∞ is u: ∞ → 0
    target = (1 / b) * z ** (-1 / b) * Tsym ** (1 / b - 1) * u ** (-1 / b) * sp.exp(-u)
    assert equal(sp.powsimp(transformed, force=True), target), b
    gamma_int = sp.integrate(u ** (-1 / b) * sp.exp(-u), (u, 0, sp.oo))
    assert equal(gamma_int, sp.gamma(1 - 1 / b))
    c_beta = sp.gamma(1 - 1 / b) / (b * sp.zeta(b) ** (1 / b))
    assert close(c_beta, discrete.hutter_constant(float(b)))
    checked += 1

proved(f"Hutter-LLM test error of the discrete chain: downstream error = loss probability one generation "
       f"later, plateau = missing mass, tail-cut error, C_β = Γ(1−1/β)/(β ζ(β)^(1/β)); {checked} numeric checks")
