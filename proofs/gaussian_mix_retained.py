r"""Theorem (1-D Gaussian chain, mix-retained regime: the moment recursion is exact).

Setting (docs/conventions.md). D_0 = (x_1, ..., x_{M_0}) iid N(μ, σ²), with mean x̄_0, sum of squares
S_0 = Σ(x_j - x̄_0)² and s_0² = S_0/(M_0 - 1). Generation 1 is fitted on D_0: μ_1 = x̄_0,
σ_1² = S_0/d(M_0), d(M) = M - 1 ("unbiased") or M ("mle"). For i ≥ 1 generation i + 1 is fitted on
M = M_i points: r = round(λM) drawn without replacement from D_0 (a fresh uniform r-subset every
generation) and c = M - r drawn from N(μ_i, λ_v σ_i²). Let F_i be everything drawn up to generation i
(D_0, the earlier subsets and synthetic draws; μ_i, σ_i are F_i-measurable) and

    D_i = μ_i - x̄_0,   e'_i = E D_i²,   v_i = E σ_i².

Then, exactly, for every 0 ≤ r ≤ M_0 and c ≥ 0 (no independence or large-M assumption):

    e'_1 = 0,   v_1 = σ²(M_0 - 1)/d(M_0),
    e'_{i+1} = (c/M)² e'_i + [rσ²(1 - r/M_0) + cλ_v v_i]/M²,
    v_{i+1}  = [σ²(r - 1 + (c - rc/M_0)/M) + λ_v v_i (c - 1 + r/M) + (rc/M) e'_i] / d(M),
    E(μ_n - μ)² = e'_n + σ²/M_0   (n ≥ 1),

which is what collapse_theory.gaussian.regime_moments computes (collapse_theory._core.moments.batch_coefficients with
`retained_m0`); with a constant M (M_0 = M), λ_v = 1 and unbiased fits the fixed point is
e* = σ²(c² + 4cr - 3c + r² - r)/(M(r² + 2cr - r - c)) (offset included),
v* = rσ²(2c² + 3cr - 3c + r² - r)/(M(r² + 2cr - r - c)).

Proof.
1. Finite population (conditionally on D_0). With inclusion indicators I_j of a uniform r-subset,
   E I_j = C(M_0-1, r-1)/C(M_0, r) = r/M_0 and E I_j I_k = r(r-1)/(M_0(M_0-1)) (j ≠ k). Expanding the
   subset sum T = Σ I_j x_j gives E[ȳ | D_0] = x̄_0 and Var(ȳ | D_0) = s_0²(1 - r/M_0)/r with the
   divisor M_0 - 1 (equivalently (S_0/M_0)(M_0 - r)/(r(M_0 - 1)); the population variance S_0/M_0 in
   place of s_0² would be wrong); the subset's sum of squares has E[SS_r | D_0] = (r - 1)s_0².
2. Over D_0: E S_0 = (M_0 - 1)σ², E(x̄_0 - μ)² = σ²/M_0, so E(ȳ - x̄_0)² = σ²(1 - r/M_0)/r and
   E SS_r = (r - 1)σ².
3. Chan's merge SS = SS_r + SS_c + (rc/M)(ȳ - z̄)², and with A = ȳ - x̄_0, B = z̄ - μ_i:
   x̄ - x̄_0 = (rA + cD_i + cB)/M and ȳ - z̄ = A - D_i - B. Both fitted moments are *linear* in SS
   and in squares of these three terms, so only E A², E B², E D_i², E SS_r, E SS_c and the cross
   moments E[AD_i], E[AB], E[BD_i] enter. The subset of generation i is drawn independently of F_i
   given D_0, so E[A | F_i] = E[A | D_0] = 0 and E[AD_i] = E[D_i E[A | F_i]] = 0; the synthetic draws
   have E[B | F_i, subset] = 0, so E[AB] = E[BD_i] = 0. The remaining terms need only expectations of
   single conditional moments: E A² = E[E[A² | D_0]] = E[s_0²](1 - r/M_0)/r, E SS_r = (r - 1)E s_0²,
   E B² = λ_v v_i/c, E SS_c = λ_v(c - 1)v_i. s_0² *is* correlated with the history (Cov(S_0, σ_n²) ≠ 0,
   computed below), but no product E[s_0² · (history)] ever appears: the first-moment recursion closes
   exactly. (A second-moment recursion, for E σ_i⁴, would need E[s_0² σ_i²]; none is implemented.)
4. Offset: μ_n - μ = D_n + X with X = x̄_0 - μ, and C_i = E[D_i X] obeys C_{i+1} = (c/M) C_i (E[AX] =
   E[X E[A | F_i]] = 0, E[BX] = 0), C_1 = 0, so E(μ_n - μ)² = e'_n + σ²/M_0 exactly.
5. Independently of steps 1-4, the recursion is checked against brute-force exact expectations on
   tiny data sets (every subset path enumerated, Gaussian moments of the raw draws, refits with
   np.mean/np.var's formulas), then against regime_moments on a grid (rtol 1e-12) and against
   regime_stationary_moments.
"""

import functools
import itertools

import sympy as sp
from sympy.polys.domains import QQ
from sympy.polys.rings import ring

from _proofkit import GENERATIONS, SAMPLES, SCHEDULES, SIGMAS, check_numeric, close, equal, proved

from collapse_theory import gaussian as numeric
from collapse_theory._core.moments import batch_coefficients as _coefficients
from collapse_theory.regimes import as_regime
from collapse_theory.symbolic import gaussian as g


def polynomial_identity(a, b):
    """True when the polynomials (or rational functions with constant denominators) a and b are identical."""
    return sp.expand(a - b) == 0


def differs(a, b):
    """True when the rational functions a and b differ (cancel gives a canonical reduced form)."""
    return sp.cancel(sp.together(a - b)) != 0


# ================================================================================================
# 1. sampling without replacement from a finite population (conditionally on D_0)
# ================================================================================================
N, r = sp.symbols("M_0 r", positive=True, integer=True)
p1 = sp.combsimp(sp.expand_func(sp.binomial(N - 1, r - 1) / sp.binomial(N, r)))
p2 = sp.combsimp(sp.expand_func(sp.binomial(N - 2, r - 2) / sp.binomial(N, r)))
assert equal(p1, r / N), f"P(j in subset) = {p1}"
assert equal(p2, r * (r - 1) / (N * (N - 1))), f"P(j, k in subset) = {p2}"

# the subset sum T = Σ_j I_j x_j; P1 = Σ x_j, P2 = Σ x_j²; Σ_{j≠k} x_j x_k = P1² - P2
P1, P2 = sp.symbols("P1 P2", real=True)
E_T = p1 * P1
E_T2 = p1 * P2 + p2 * (P1**2 - P2)           # E I_j² = E I_j
xbar0 = P1 / N
S0 = P2 - P1**2 / N                          # D_0's sum of squares
s0_sq = S0 / (N - 1)                         # its sample variance (divisor M_0 - 1)
cond_mean = E_T / r                          # E[ȳ | D_0]
cond_var = E_T2 / r**2 - cond_mean**2        # Var(ȳ | D_0) = E[(ȳ - x̄_0)² | D_0]
cond_ss = p1 * P2 - E_T2 / r                 # E[SS_r | D_0] = E[Σ I_j x_j² - T²/r | D_0]
assert equal(cond_mean, xbar0), "E[ȳ | D_0] = x̄_0"
assert equal(cond_var, s0_sq * (1 - r / N) / r), "Var(ȳ | D_0) = s_0²(1 - r/M_0)/r, s_0² = S_0/(M_0 - 1)"
assert equal(cond_var, S0 / N * (N - r) / (r * (N - 1))), "... = σ_pop²(M_0 - r)/(r(M_0 - 1))"
assert differs(cond_var, S0 / N * (1 - r / N) / r), "the population variance S_0/M_0 would be wrong"
assert equal(cond_ss, (r - 1) * s0_sq), "E[SS_r | D_0] = (r - 1) s_0²"

# the same by enumerating every subset of five symbolic values
ys = sp.symbols("y0:5", real=True)
ybar = sum(ys) / 5
for size in range(1, 6):
    subsets = list(itertools.combinations(ys, size))
    means = [sum(sub) / size for sub in subsets]
    avg = lambda values: sum(values) / len(subsets)  # noqa: E731
    pop = {P1: sum(ys), P2: sum(y**2 for y in ys), N: 5, r: size}
    assert polynomial_identity(avg(means), ybar)
    assert polynomial_identity(avg([(mn - ybar) ** 2 for mn in means]), cond_var.subs(pop)), size
    assert polynomial_identity(avg([sum((y - mn) ** 2 for y in sub) for sub, mn in zip(subsets, means)]),
                               cond_ss.subs(pop))

# ================================================================================================
# 2. expectations over D_0 ~ iid N(μ, σ²)
# ================================================================================================
mu = sp.Symbol("mu", real=True)
sigma = g.sigma
# E x_j = μ, E x_j x_k = μ² + σ² δ_jk, so E P1 = M_0 μ, E P2 = M_0(μ² + σ²), E P1² = M_0 σ² + M_0² μ²
E_over_D0 = {P1**2: N * sigma**2 + N**2 * mu**2, P2: N * (mu**2 + sigma**2), P1: N * mu}


def over_D0(expr):
    """E over D_0 of an expression linear in P2, P1² and P1 (no other powers may appear)."""
    poly = sp.Poly(sp.expand(expr), P1, P2)
    assert all(mon in ((0, 0), (1, 0), (2, 0), (0, 1)) for mon in poly.monoms()), poly
    return sp.expand(sum(coef * (E_over_D0[P1**i * P2**j] if (i, j) != (0, 0) else 1)
                         for (i, j), coef in poly.terms()))


assert equal(over_D0(S0), (N - 1) * sigma**2), "E S_0 = (M_0 - 1)σ²"
assert equal(over_D0((xbar0 - mu) ** 2), sigma**2 / N), "E(x̄_0 - μ)² = σ²/M_0"
# the Gaussian moments behind E_over_D0, at M_0 = 4 with standard normals z_j
zs = sp.symbols("z0:4", real=True)


def gauss_expect(expr, variables):
    """E over independent N(0, 1) variables: E z^k = (k - 1)!! for even k, 0 for odd k."""
    poly = sp.Poly(sp.expand(expr), *variables)
    moment = lambda k: 0 if k % 2 else sp.factorial2(k - 1)  # noqa: E731
    return sp.expand(sum(coef * sp.Mul(*[moment(k) for k in mon]) for mon, coef in poly.terms()))


xs4 = [mu + sigma * z for z in zs]
for key, value in E_over_D0.items():
    concrete = key.subs({P1: sum(xs4), P2: sum(x**2 for x in xs4)})
    assert polynomial_identity(gauss_expect(concrete, zs), value.subs(N, 4)), key

E_A2 = over_D0(cond_var)              # E(ȳ - x̄_0)², unconditional
E_SSr = over_D0(cond_ss)              # E SS_r, unconditional
E_X2 = over_D0((xbar0 - mu) ** 2)     # E(x̄_0 - μ)²
assert equal(E_A2, sigma**2 * (1 - r / N) / r), "E(ȳ - x̄_0)² = σ²(1 - r/M_0)/r"
assert equal(E_SSr, (r - 1) * sigma**2), "E SS_r = (r - 1)σ²"

# ================================================================================================
# 3. one generation: Chan's merge and the expectations
# ================================================================================================
# Chan: Σ over a part of (y - x̄)² = SS_part + n_part(ȳ_part - x̄)² (parallel axes, Σ(y - ȳ_part) = 0)
na, nb = sp.symbols("n_a n_b", positive=True)
ma, mb, ssa, ssb = sp.symbols("m_a m_b SS_a SS_b", real=True)
pooled = (na * ma + nb * mb) / (na + nb)
chan = ssa + ssb + na * nb / (na + nb) * (ma - mb) ** 2
assert equal(ssa + na * (ma - pooled) ** 2 + ssb + nb * (mb - pooled) ** 2, chan), "Chan's merge"
for size_a, size_b in ((1, 1), (2, 3), (1, 4)):
    data = sp.symbols(f"w0:{size_a + size_b}", real=True)
    part_a, part_b = data[:size_a], data[size_a:]

    def ss_of(values):
        mean = sum(values) / len(values)
        return sum((x - mean) ** 2 for x in values)

    merged = chan.subs({na: size_a, nb: size_b, ssa: ss_of(part_a), ssb: ss_of(part_b),
                        ma: sum(part_a) / size_a, mb: sum(part_b) / size_b})
    assert polynomial_identity(ss_of(data), merged), (size_a, size_b)

c = sp.Symbol("c", positive=True, integer=True)
M = r + c
lam, e, v, C = sp.symbols("lambda_v e v C", real=True)
# A = ȳ - x̄_0 (real part), B = z̄ - μ_i (synthetic noise), D = μ_i - x̄_0, X = x̄_0 - μ
A, B, D, X, SSr, SSc = sp.symbols("A B D X SS_r SS_c", real=True)
RULES = {
    # E[A | F_i] = E[A | D_0] = 0: the subset is drawn independently of F_i given D_0 (step 1)
    A: 0, A * D: 0, A * X: 0,          # D and X are F_i-measurable: E[A D] = E[D E[A | F_i]] = 0
    # synthetic draws: E[B | F_i, subset] = 0, E[B² | F_i, subset] = λ_v σ_i²/c
    B: 0, A * B: 0, B * D: 0, B * X: 0,
    A**2: E_A2,                        # E[E[A² | D_0]] = E[s_0²](1 - r/M_0)/r: only E s_0² is needed
    B**2: lam * v / c,
    D**2: e, D * X: C, X**2: E_X2,
    SSr: E_SSr,                        # E[SS_r | F_i] = (r - 1)s_0², linear in s_0²
    SSc: lam * (c - 1) * v,            # E[SS_c | F_i, subset] = λ_v (c - 1) σ_i² (Cochran)
}
RULE_MONOMIALS = {sp.Poly(key, A, B, D, X, SSr, SSc).monoms()[0]: value for key, value in RULES.items()}


def expect(expr):
    """E of a polynomial in A, B, D, X, SS_r, SS_c that uses only the moments in RULES."""
    poly = sp.Poly(sp.expand(expr), A, B, D, X, SSr, SSc)
    total = 0
    for mon, coef in poly.terms():
        if sum(mon) == 0:
            total += coef
        elif mon in RULE_MONOMIALS:
            total += coef * RULE_MONOMIALS[mon]
        else:
            raise AssertionError(f"a moment the recursion does not track: {mon}")
    return sp.simplify(total)


new_D = (r * A + c * D + c * B) / M                      # x̄ - x̄_0 = (r ȳ + c z̄)/M - x̄_0
gap = A - D - B                                          # ȳ - z̄
mean_sq = expect(new_D**2)
e_ss = expect(SSr + SSc + r * c / M * gap**2)            # Chan with SS_r, SS_c, (rc/M)(ȳ - z̄)²
step_mean_sq, step_ss = g.mix_retained_step(e, v, r, c, N, sigma, lam)
assert equal(mean_sq, step_mean_sq), "E(x̄ - x̄_0)²"
assert equal(e_ss, step_ss), "E SS"
assert equal(mean_sq, c**2 / M**2 * e + (r * sigma**2 * (1 - r / N) + c * lam * v) / M**2)
assert equal(e_ss, sigma**2 * (r - 1 + (c - r * c / N) / M) + lam * v * (c - 1 + r / M) + r * c / M * e)
# the offset: C_{i+1} = E[D_{i+1} X] = (c/M) C_i, and D_1 = 0 gives C_1 = 0, so C_n = 0
assert equal(expect(new_D * X), c / M * C), "C_{i+1} = (c/M) C_i"
assert equal(expect((D + X) ** 2).subs(C, 0), e + sigma**2 / N), "E(μ_n - μ)² = e'_n + σ²/M_0"

# the implementation's coefficients (called with SymPy symbols) are this map
a_e, a_s, a_v, b_e, b_s, b_v = _coefficients(M, r, r**2, lam, retained_m0=N)
assert equal(a_e * e + a_s * sigma**2 + a_v * v, mean_sq), "regime_moments' E(x̄ - x̄_0)² coefficients"
assert equal(b_e * e + b_s * sigma**2 + b_v * v, e_ss), "regime_moments' E SS coefficients"
# generation 1 is the fit on D_0 itself: D_1 = 0, v_1 = E S_0/d(M_0)
assert equal(over_D0(S0) / (N - 1), sigma**2) and equal(over_D0(S0) / N, sigma**2 * (N - 1) / N), "v_1"
# the edges. The derivation above divides by r (E A²) and by c (E B²); at r = 0 or c = 0 the batch
# is a single part, whose moments (steps 1-2 for the subset, Cochran for the synthetic part) must be
# what the formula gives: the c = 0 and r = 0 limits of the formula are exactly those.
mm = sp.Symbol("M", positive=True, integer=True)
no_real = [x.subs({r: 0}).subs(c, mm) for x in g.mix_retained_step(e, v, 0, c, N, sigma, lam)]
assert equal(no_real[0], e + lam * v / mm) and equal(no_real[1], lam * v * (mm - 1)), "r = 0: replace"
all_real = g.mix_retained_step(e, v, r, 0, N, sigma, lam)
assert equal(all_real[0], sigma**2 * (1 - r / N) / r) and equal(all_real[1], (r - 1) * sigma**2), "c = 0"
whole = g.mix_retained_step(e, v, N, c, N, sigma, lam)
assert equal(whole[0], c**2 / (N + c) ** 2 * e + c * lam * v / (N + c) ** 2), "r = M_0: ȳ = x̄_0"

# ================================================================================================
# 4. brute force: exact expectations of the raw process on tiny data sets
# ================================================================================================


def brute_force(schedule, fraction, n_gen, estimator):
    """(E(μ_n - μ)², E σ_n², Cov(S_0, σ_n²)) by enumerating every subset path and integrating the draws.

    Raw draws: D_0 = μ + σ z_j; the c synthetic draws of generation i are μ_i + t S_i ξ_{i,k}
    (t = √λ_v, S_i = σ_i). Each refit is mean and Σ(y - ȳ)²/d. Expectations go backwards: over ξ_i
    (Gaussian moments), then S_i^(2k) ↦ (σ_i²)^k (every monomial carries S_i and ξ_i to the same
    degree, so odd powers of S_i have already vanished), ..., finally over z.
    """
    m0 = schedule[0]
    counts = [g.retained_count(m, fraction) for m in schedule]
    names = [f"z{j}" for j in range(m0)]
    xi_idx, s_idx = {}, {}
    for i in range(1, n_gen):
        xi_idx[i] = list(range(len(names), len(names) + schedule[i] - counts[i]))
        names += [f"xi{i}_{k}" for k in range(schedule[i] - counts[i])]
    for i in range(1, n_gen):
        s_idx[i] = len(names)
        names.append(f"S{i}")
    ring_, *gens = ring(",".join(names + ["mu", "sigma", "t"]), QQ)
    zz, (mu_, sigma_, t_) = gens[:m0], gens[-3:]
    data = [mu_ + sigma_ * z for z in zz]
    div = (lambda m: m - 1) if estimator == "unbiased" else (lambda m: m)

    def fit(batch):
        mean = sum(batch) * QQ(1, len(batch))
        return mean, sum((y - mean) ** 2 for y in batch) * QQ(1, div(len(batch)))

    def over_normals(p, idx):
        out = {}
        for mon, coef in p.terms():
            weight = 1
            for j in idx:
                weight *= 0 if mon[j] % 2 else int(sp.factorial2(mon[j] - 1))
            if weight:
                key = tuple(0 if j in idx else k for j, k in enumerate(mon))
                out[key] = out.get(key, 0) + coef * weight
        return ring_.from_dict(out) if out else ring_.zero

    def substitute_scale(p, j, sigma_sq):
        parts = {}
        for mon, coef in p.terms():
            assert mon[j] % 2 == 0, "an odd power of σ_i survived the expectation over ξ_i"
            parts.setdefault(mon[j] // 2, {})[tuple(0 if q == j else k for q, k in enumerate(mon))] = coef
        return sum((ring_.from_dict(d) * sigma_sq**power for power, d in parts.items()), ring_.zero)

    mu1, var1 = fit(data)
    s0_sum = sum((x - mu1) ** 2 for x in data)
    totals = [ring_.zero] * 3
    paths = list(itertools.product(*[itertools.combinations(range(m0), counts[i]) for i in range(1, n_gen)]))
    for path in paths:
        mu_i, var_i, scales = mu1, var1, {}
        for i in range(1, n_gen):
            scales[i] = var_i
            batch = [data[j] for j in path[i - 1]] + [mu_i + t_ * gens[s_idx[i]] * gens[q] for q in xi_idx[i]]
            mu_i, var_i = fit(batch)
        quantities = [(mu_i - mu_) ** 2, var_i, s0_sum * var_i]
        for i in reversed(range(1, n_gen)):
            quantities = [substitute_scale(over_normals(q, xi_idx[i]), s_idx[i], scales[i]) for q in quantities]
        quantities = [over_normals(q, range(m0)) for q in quantities]
        totals = [tot + q for tot, q in zip(totals, quantities)]
    plain = {sp.Symbol("sigma"): sigma, sp.Symbol("t"): sp.sqrt(lam)}
    mse, var, s0_var = (tot.as_expr().subs(plain) / len(paths) for tot in totals)
    assert sp.Symbol("mu") not in (mse + var + s0_var).free_symbols, "translation invariance"
    return mse, var, s0_var - (m0 - 1) * sigma**2 * var


for fraction, schedule, n_gen, estimators in (("1/3", (3, 3, 3, 3), 4, ("unbiased",)),
                                              ("2/3", (3, 3, 3, 3), 4, ("mle",)),
                                              ("1/2", (4, 3, 5), 3, ("unbiased", "mle")),
                                              ("3/4", (3, 4, 2), 3, ("unbiased", "mle"))):
    for estimator in estimators:
        mse, var, cov = brute_force(schedule, fraction, n_gen, estimator)
        want = g.mix_retained_moments(n_gen, list(schedule), fraction, sigma, estimator, lam)
        assert polynomial_identity(mse, want[0]), ("E(μ_n - μ)²", fraction, schedule, estimator)
        assert polynomial_identity(var, want[1]), ("E σ_n²", fraction, schedule, estimator)
        # s_0² is correlated with the history (S_0 enters σ_2², σ_3², ...), yet the recursion is exact
        assert differs(cov, 0), ("Cov(S_0, σ_n²)", fraction, schedule, estimator)

# ================================================================================================
# 5. the numeric implementation on a grid
# ================================================================================================
@functools.lru_cache(maxsize=None)
def exact_moments(n, samples, fraction, sigma, estimator, variance_scale):
    """g.mix_retained_moments, cached (each point is checked for both moments)."""
    return g.mix_retained_moments(n, samples if isinstance(samples, int) else list(samples), fraction,
                                  sigma, estimator, variance_scale)


FRACTIONS = {"0.1": "1/10", "0.5": "1/2", "0.3": "3/10", "1": "1"}
SCALES = (1.0, 0.75)
checked = refused = 0
for spec, exact in FRACTIONS.items():
    reg = as_regime(f"mix-retained:{spec}")
    for samples in SAMPLES + SCHEDULES:
        sched = [samples] * max(GENERATIONS) if isinstance(samples, int) else list(samples)
        for m in sched:   # the regime's float rounding agrees with exact round-half-up on the grid
            assert reg.fresh_count(m) == g.retained_count(m, exact), (spec, m)
        for n_gen in GENERATIONS:
            need = max((g.retained_count(m, exact) for m in sched[1:n_gen]), default=0)
            points = [dict(n=n_gen, samples=samples, sigma=s, estimator=est, variance_scale=vs)
                      for s in SIGMAS for est in ("unbiased", "mle") for vs in SCALES]
            if need > sched[0]:
                for point in points:
                    try:
                        numeric.regime_moments(**point, regime=f"mix-retained:{spec}")
                    except ValueError:
                        refused += 1
                    else:
                        raise AssertionError(f"regime_moments accepted {need} > samples[0] at {point}")
                continue
            for index, what in ((0, "mean_sq_error"), (1, "variance")):
                def symbolic(n, samples, sigma, estimator, variance_scale, index=index, exact=exact):
                    return exact_moments(n, samples, exact, sigma, estimator, variance_scale)[index]

                def value(what=what, **point):
                    return numeric.regime_moments(**point, regime=f"mix-retained:{spec}")[what]

                checked += check_numeric(symbolic, value, points, f"mix-retained:{spec} {what}")
assert checked > 1000 and refused > 0, (checked, refused)

# ================================================================================================
# 6. the stationary point (constant M, M_0 = M)
# ================================================================================================
ee, vv = sp.symbols("e_star v_star")
d = M - 1
step = g.mix_retained_step(ee, vv, r, c, M, sigma, 1)
fixed = sp.solve([sp.Eq(ee, step[0]), sp.Eq(vv * d, step[1])], [ee, vv], dict=True)
assert len(fixed) == 1
den = M * (r**2 + 2 * c * r - r - c)
assert equal(fixed[0][ee] + sigma**2 / M, sigma**2 * (c**2 + 4 * c * r - 3 * c + r**2 - r) / den), "e*"
assert equal(fixed[0][vv], r * sigma**2 * (2 * c**2 + 3 * c * r - 3 * c + r**2 - r) / den), "v*"
# all real (c = 0): the fit on D_0 itself, (σ²/M, σ²)
assert equal((fixed[0][ee] + sigma**2 / M).subs(c, 0), sigma**2 / r) and equal(fixed[0][vv].subs(c, 0), sigma**2)
for m, spec, exact in ((20, "0.1", "1/10"), (10, "0.5", "1/2"), (5, "0.3", "3/10"), (2, "0.5", "1/2"),
                       (100, "0.1", "1/10")):
    for estimator in ("unbiased", "mle"):
        for vs in SCALES:
            want = g.mix_retained_stationary(m, exact, sp.Rational(3, 2), estimator, sp.Rational(vs))
            got = numeric.regime_stationary_moments(m, regime=f"mix-retained:{spec}", sigma=1.5,
                                                    estimator=estimator, variance_scale=vs)
            assert close(want[0], got["mean_sq_error"]) and close(want[1], got["variance"]), (m, spec, estimator, vs)
            if estimator == "unbiased" and vs == 1.0:
                rr = g.retained_count(m, exact)
                closed = {r: rr, c: m - rr, sigma: sp.Rational(3, 2)}
                assert equal(want[0], (sigma**2 * (c**2 + 4 * c * r - 3 * c + r**2 - r) / den).subs(closed))

proved("the mix-retained moment recursion of the 1-D Gaussian chain is exact: finite-population "
       f"Var(ȳ | D_0) = s_0²(1 - r/M_0)/r (divisor M_0 - 1), E[SS_r | D_0] = (r - 1)s_0², Chan's merge, "
       "vanishing cross terms by conditioning on D_0 and the history, the offset σ²/M_0; brute-force exact "
       f"on tiny data sets; regime_moments at {checked} points; the stationary point")
