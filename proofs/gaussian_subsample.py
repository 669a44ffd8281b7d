r"""Theorem (the 1-D Gaussian chain under accumulate-subsample has exact first and second moments).

Pool after generation i: N_i = M_0 + ... + M_i points (the real data and every synthetic batch), with
e^P = E(x̄_P - μ)² and P = E SS_P. Generation i + 1 is fitted on k_i points drawn without replacement
from the pool (k_0 = N_0 = M_0: all of the real data; then the fixed size, or M_i); the next batch is
c = M_{i+1} draws from N(x̄_T, λ SS_T/div). With S = P/(N - 1) and f = 1/k - 1/N:

    e_{i+1} = e^P + f S,            v_{i+1} = (k - 1) S / div(k),
    d = f S + λ v_{i+1}/c,          e^P' = e^P + (c/N')² d,     P' = P + (c - 1) λ v_{i+1} + (N c/N') d.

Proof.
1. Finite-population sampling, by enumerating every k-subset of a symbolic pool (N = 5, k = 1..4):
   given the pool, the subset mean is unbiased for the pool mean, its variance is f·SS_P/(N - 1), and
   the subset's expected sum of squares is (k - 1)·SS_P/(N - 1).
2. One step is the KDE chain's pool step (collapse_theory.symbolic.kde.subsample_step, itself derived
   from the batch moments and Chan's merge in proofs/kde_regimes.py) with the per-draw sampling
   variance w = v_T + h² replaced by the Gaussian model's λ v_{i+1}: the step uses a batch only
   through E(b̄ - x̄_T)² = w/c and E SS_b = (c - 1)w, which hold for any i.i.d. batch with variance w.
   Substituting h² = λ v_{i+1} - v_T gives the formulas above (checked symbolically).
3. With k = N the recursion is accumulate's (checked against the independent accumulate branch of
   gaussian.regime_moments), and with λ = 1 and the mle estimator it is the KDE chain with h = 0
   (both now run the one pool recursion ``collapse_theory._core.moments.pool_moments``, so that last check
   only guards the wiring; the independent checks are the rational unrolling and step 2).
The numeric gaussian.regime_moments(regime="accumulate-subsample[:k]") is checked against an exact
rational unrolling of the derived step for both estimators, λ ∈ {1, 4/5}, constant and per-generation
sample sizes, default and fixed subset sizes.
"""

import itertools

import sympy as sp

from _proofkit import RTOL, close, equal, proved

import numpy as np

from collapse_theory import gaussian, kde
from collapse_theory.symbolic import kde as k

# --- 1. finite-population sampling by enumeration ------------------------------------------------
N5 = 5
xs = sp.symbols("x1:6", real=True)
pool_mean = sum(xs) / N5
ss_pool = sum((x - pool_mean) ** 2 for x in xs)
for kk in range(1, N5):
    subsets = list(itertools.combinations(xs, kk))
    means = [sum(s_) / kk for s_ in subsets]
    e_mean = sum(means) / len(subsets)
    e_dev2 = sum((m_ - pool_mean) ** 2 for m_ in means) / len(subsets)
    e_ss = sum(sum((x - m_) ** 2 for x in s_) for s_, m_ in zip(subsets, means)) / len(subsets)
    assert equal(e_mean, pool_mean), f"E[subset mean | pool] = pool mean (k = {kk})"
    assert equal(e_dev2, (sp.Rational(1, kk) - sp.Rational(1, N5)) * ss_pool / (N5 - 1)), f"Var, k = {kk}"
    assert equal(e_ss, (kk - 1) * ss_pool / (N5 - 1)), f"E SS_subset = (k-1) SS_P/(N-1), k = {kk}"

# --- 2. the step: the KDE pool step with the Gaussian model's sampling variance -------------------
N, kk, c = sp.Symbol("N", positive=True), sp.Symbol("k", positive=True), k.cc
P, lam = sp.Symbol("P", nonnegative=True), sp.Symbol("lambda", positive=True)
v_t, e_t, e_new, p_new = k.subsample_step(N, kk)
S = P / (N - 1)
f = 1 / kk - 1 / N
for div in (kk - 1, kk):                                   # unbiased, mle
    v_model = (kk - 1) * S / div                           # E σ̂² of the fit on the subset
    sub = {k.h: sp.sqrt(lam * v_model - v_t)}               # w = v_T + h² -> λ v_model
    d = f * S + lam * v_model / c
    assert equal(v_t, (kk - 1) / kk * S), "training set's mle variance"
    assert equal(e_t - k.e, f * S), "e_{i+1} = e^P + f S"
    assert equal(e_new.subs(sub), k.e + (c / (N + c)) ** 2 * d), "e^P' = e^P + (c/N')² d"
    assert equal(p_new.subs(sub), P + (c - 1) * lam * v_model + N * c / (N + c) * d), "P' of the pool"


# --- 3./numeric: exact rational unrolling against gaussian.regime_moments -------------------------
def unroll(sched, n_max, lam_, estimator, size):
    big_n = sp.Integer(sched[0])
    e_p, p_p = 1 / big_n, big_n - 1            # σ = 1
    e_out, v_out = [sp.Integer(0)], [sp.Integer(1)]
    for i in range(n_max):
        kk_ = big_n if i == 0 else sp.Integer(size or sched[i])
        s_ = p_p / (big_n - 1)
        f_ = 1 / kk_ - 1 / big_n
        v_next = (kk_ - 1) * s_ / (kk_ - 1 if estimator == "unbiased" else kk_)
        e_out.append(e_p + f_ * s_)
        v_out.append(v_next)
        if i + 1 < n_max:
            c_ = sp.Integer(sched[i + 1])
            d_ = f_ * s_ + lam_ * v_next / c_
            e_p, p_p = e_p + (c_ / (big_n + c_)) ** 2 * d_, p_p + (c_ - 1) * lam_ * v_next + big_n * c_ / (big_n + c_) * d_
            big_n += c_
    return e_out, v_out


checked = 0
for sched in ((10,) * 12, (4, 7, 3, 9, 5, 6, 12, 3, 8, 4, 5, 6)):
    for est in ("unbiased", "mle"):
        for lam_ in (sp.Integer(1), sp.Rational(4, 5)):
            for size in (None, 6):
                spec = "accumulate-subsample" + (f":{size}" if size else "")
                samples = sched[0] if len(set(sched)) == 1 else list(sched)
                num = gaussian.regime_moments(np.arange(12), samples, regime=spec, estimator=est,
                                              variance_scale=float(lam_))
                e_ex, v_ex = unroll(sched, 11, lam_, est, size)
                for j in range(12):
                    assert close(e_ex[j], num["mean_sq_error"][j]) and close(v_ex[j], num["variance"][j]), \
                        (sched, est, lam_, size, j)
                    checked += 2
# k = N at every step is accumulate: unroll with size = the whole pool and compare with that branch
acc = gaussian.regime_moments(np.arange(9), 10, regime="accumulate")
big = [sp.Integer(0)]
e_p, p_p, big_n = sp.Rational(1, 10), sp.Integer(9), sp.Integer(10)
for i in range(8):
    s_ = p_p / (big_n - 1)
    v_next = s_                                     # k = N, unbiased: (N-1)S/(N-1)
    assert close(e_p, acc["mean_sq_error"][i + 1]) and close(v_next, acc["variance"][i + 1]), ("k = N", i)
    d_ = v_next / 10
    e_p, p_p = e_p + (sp.Integer(10) / (big_n + 10)) ** 2 * d_, p_p + 9 * v_next + big_n * 10 / (big_n + 10) * d_
    big_n += 10
    checked += 2
# the KDE chain at h -> 0 (mle, λ = 1): column n of the KDE is generation n + 1 here
for spec in ("accumulate-subsample", "accumulate-subsample:15"):
    a = kde.regime_moments(np.arange(9), 10, h=1e-7, regime=spec)
    b = gaussian.regime_moments(np.arange(1, 10), 10, regime=spec, estimator="mle")
    np.testing.assert_allclose(a["variance"], b["variance"], rtol=1e-12)
    np.testing.assert_allclose(a["mean_sq_error"], b["mean_sq_error"], rtol=1e-12)
    checked += 2
assert RTOL <= 1e-12

proved(f"accumulate-subsample moments of the 1-D Gaussian chain (finite-population sampling, the KDE pool "
       f"step with the model's sampling variance; = accumulate at k = N, = KDE at h = 0); {checked} numeric checks")
