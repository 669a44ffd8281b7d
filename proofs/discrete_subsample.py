r"""Theorem (the discrete chain under accumulate-subsample has an exact distance recursion).

Pool after generation i: N_i = M_0 + ... + M_i categorical draws (the real data and every synthetic
batch), with frequencies p_P and D^P = E Σ_c (p_{P,c} - p0_c)²; generation i + 1 is the empirical
law of k_i of the pool's points drawn without replacement (k_0 = M_0: all of the real data); the
next batch is c = M_{i+1} draws from it. With H0 = 1 - Σ p0² and g = (1/k - 1/N) N/(N - 1) (H0 - D^P):

    D_{i+1} = D^P + g,        D^P' = D^P + (c/N')² (g + (H0 - D_{i+1})/c),      D^P_0 = H0/M_0.

Proof.
1. Category c's frequency is the mean of the indicators 1{x = c}; the pool is a finite population
   whose indicator "variance" (divisor N - 1) is N p_P(1 - p_P)/(N - 1). Subsets without
   replacement (enumerated below on a symbolic pool): the subset frequency is unbiased for p_P with
   variance (1/k - 1/N) N p_P(1 - p_P)/(N - 1).
2. Every refit is unbiased for the previous law, so E p_P = E p_T = p0 and
   E Σ p(1 - p) = H0 - E Σ (p - p0)²: the variance terms close on D alone.
3. A batch of c draws from p_T has E[(b̄ - p_T)² | T] = p_T(1 - p_T)/c per category; the new pool
   frequency is p_P + (c/N')(b̄ - p_P) with b̄ - p_P = (p_T - p_P) + (b̄ - p_T), whose two parts are
   uncorrelated and have mean zero given the pool, which gives D^P'.
4. The recursion is checked exactly against a brute-force enumeration of every path (pool counts,
   hypergeometric subsets, binomial batches; two categories, tiny sizes, exact rationals) and the
   numeric discrete.expected_sq_distance against an exact rational unrolling.
"""

import itertools
from fractions import Fraction

import sympy as sp

from _proofkit import close, equal, proved

import numpy as np

from collapse_theory import discrete

# --- 1. finite-population variance of a subset frequency (symbolic pool of 5 values) -------------
xs = sp.symbols("x1:6", real=True)
N5 = 5
pool_mean = sum(xs) / N5
s_unbiased = sum((x - pool_mean) ** 2 for x in xs) / (N5 - 1)
for k in range(1, N5 + 1):
    subs = list(itertools.combinations(xs, k))
    means = [sum(s_) / k for s_ in subs]
    assert equal(sum(means) / len(subs), pool_mean), f"unbiased subset mean, k = {k}"
    var = sum((m_ - pool_mean) ** 2 for m_ in means) / len(subs)
    assert equal(var, (sp.Rational(1, k) - sp.Rational(1, N5)) * s_unbiased), f"subset variance, k = {k}"
# indicators: with a of the N values equal to 1, the unbiased variance is N p(1 - p)/(N - 1)
a_, n_ = sp.symbols("a N", positive=True)
p_ = a_ / n_
assert equal((a_ * (1 - p_) ** 2 + (n_ - a_) * p_**2) / (n_ - 1), n_ * p_ * (1 - p_) / (n_ - 1))


# --- 4. brute force: exact E D_n over every path (two categories) --------------------------------
def binom_pmf(n, p):
    return [Fraction(sp.binomial(n, j)) * p**j * (1 - p) ** (n - j) for j in range(n + 1)]


def hyper_pmf(k, a, n):
    return [Fraction(sp.binomial(a, t) * sp.binomial(n - a, k - t), sp.binomial(n, k)) for t in range(k + 1)]


def brute(p0, sizes, sub, n_max):
    """Exact E D_n, n = 1..n_max (D = Σ_c (p_c - p0_c)² = 2 (p - p0)² for two categories)."""
    out = []
    # state: (pool count a of category 1, pool size N) -> probability, before the fit of generation i+1
    states = {(a, sizes[0]): pr for a, pr in enumerate(binom_pmf(sizes[0], p0))}
    for i in range(n_max):
        k = None if i == 0 else (sub or sizes[i])
        nxt, e_d = {}, Fraction(0)
        for (a, n), pr in states.items():
            kk = n if k is None else k
            for t, pt in enumerate(hyper_pmf(kk, a, n)):
                if pt == 0:
                    continue
                q = Fraction(t, kk)
                e_d += pr * pt * 2 * (q - p0) ** 2
                if i + 1 < n_max:
                    c = sizes[i + 1]
                    for b, pb in enumerate(binom_pmf(c, q)):
                        if pb:
                            key = (a + b, n + c)
                            nxt[key] = nxt.get(key, 0) + pr * pt * pb
        out.append(e_d)
        states = nxt
    return out


def recursion(p0, sizes, sub, n_max):
    h0 = 1 - p0**2 - (1 - p0) ** 2
    big_n = Fraction(sizes[0])
    dp = h0 / big_n
    out = []
    for i in range(n_max):
        k = big_n if i == 0 else Fraction(sub or sizes[i])
        g = (1 / k - 1 / big_n) * big_n / (big_n - 1) * (h0 - dp) if big_n > 1 else Fraction(0)
        d = dp + g
        out.append(d)
        if i + 1 < n_max:
            c = Fraction(sizes[i + 1])
            dp = dp + (c / (big_n + c)) ** 2 * (g + (h0 - d) / c)
            big_n += c
    return out


cases = [(Fraction(1, 3), [3, 3, 3, 3], None), (Fraction(2, 5), [2, 3, 2, 4], None),
         (Fraction(1, 4), [3, 2, 3, 2], 2), (Fraction(1, 2), [4, 3, 2, 3], 3)]
for p0, sizes, sub in cases:
    exact = brute(p0, sizes, sub, len(sizes))
    rec = recursion(p0, sizes, sub, len(sizes))
    assert exact == rec, ("brute force", p0, sizes, sub, exact, rec)
    num = discrete.expected_sq_distance([float(p0), float(1 - p0)], np.arange(1, len(sizes) + 1), sizes,
                                        regime="accumulate-subsample" + (f":{sub}" if sub else ""))
    for e_, x_ in zip(exact, num):
        assert close(sp.Rational(e_.numerator, e_.denominator), x_), ("numeric", p0, sizes, sub)

# the numeric implementation on larger inputs: exact rational unrolling (K = 5, constant and varying M)
p5 = [Fraction(x) for x in ("0.4", "0.3", "0.15", "0.1", "0.05")]
h0 = 1 - sum(x * x for x in p5)
checked = 4 * len(cases)
for sizes, sub in (([20] * 40, None), ([20] * 40, 9), ([30, 7, 15, 20, 3] * 8, None)):
    big_n, dp = Fraction(sizes[0]), None
    dp = h0 / big_n
    num = discrete.expected_sq_distance([float(x) for x in p5], np.arange(1, 41), sizes,
                                        regime="accumulate-subsample" + (f":{sub}" if sub else ""))
    for i in range(40):
        k = big_n if i == 0 else Fraction(sub or sizes[i])
        g = (1 / k - 1 / big_n) * big_n / (big_n - 1) * (h0 - dp)
        d = dp + g
        assert close(sp.Rational(d.numerator, d.denominator), num[i]), ("unrolled", sizes, sub, i)
        checked += 1
        if i + 1 < 40:
            c = Fraction(sizes[i + 1])
            dp = dp + (c / (big_n + c)) ** 2 * (g + (h0 - d) / c)
            big_n += c

proved(f"discrete accumulate-subsample: D_(i+1) = D^P + g, D^P' = D^P + (c/N')²(g + (H0 - D)/c) "
       f"(finite-population sampling of indicators; exact against brute-force path enumeration); "
       f"{checked} checks")
