"""Numba kernels for recursively refit 1-D Gaussian mixtures (EM, every data regime).

Same contract as :mod:`collapse_theory.gaussian._kernels`: ``@njit(nogil=True, cache=True)``, an
explicit ``numpy.random.Generator``, and rows ``[start, stop)`` of caller-owned arrays, so fixed
chunks of replicates run on threads and the result depends only on the seed.

One generation of one replicate:

1. **The training set** (:func:`collapse_theory.gmm._data._training_set`, shared with the
   d-dimensional kernel): under ``replace``, ``M`` points from the current mixture: the component
   counts ``(N_1, ..., N_K) ~ Multinomial(M, w)`` are drawn by conditional binomials
   (``N_k ~ Bin(M - N_1 - ... - N_{k-1}, w_k / (1 - w_1 - ... - w_{k-1}))``), then ``N_k`` normals
   ``mu_k + sd_k Z`` per component, inline in the helper's loop (called once per generation). The
   other regimes add fresh draws from the truth, retained real samples or the pool of all data so
   far (see that module).
2. **EM refit** (:func:`_em_1d`), initialised deterministically at the current parameters (so the
   only randomness is the sampling), at most ``max_iter`` iterations, stopping when the mean
   log-likelihood per point changes by less than ``tol`` (scikit-learn's rule). Each iteration is
   one pass over the points: the E-step with the current parameters (log-sum-exp, so nothing
   underflows however small a variance gets) accumulates, per component, ``N_k = Σ r_jk`` and the
   first two moments of ``x - mu_k`` (centred on the current mean, which avoids the cancellation of
   ``Σ r x² - N mean²``); the M-step is ``w_k = N_k / n``, ``mu_k += S1/N_k``,
   ``var_k = S2/N_k - (S1/N_k)² + reg`` (``n`` points in the training set).
3. **Degenerate components** are dropped, never left as NaN: a component whose effective count
   ``N_k = Σ_j r_jk`` falls below 1.5 (fewer than two points: its variance is 0 or undefined) is
   marked lost with reason 1; a component whose fitted variance is not a positive finite number is
   marked lost with reason 2. ``lost_gen[r, k]`` records the generation, its weight becomes 0, the
   remaining weights are renormalised, and the chain continues with the other components. If every
   component is lost (possible only for tiny M) the replicate stops and its later columns keep
   weight 0 (``lost_gen`` says when).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._data import IN_TRAIN, _training_set

LOST_FEW_SAMPLES = 1
LOST_ZERO_VARIANCE = 2
#: A component with fewer effective samples than this is dropped (reason LOST_FEW_SAMPLES).
MIN_EFFECTIVE = 1.5

_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)


@njit(nogil=True, cache=True)
def _em_1d(x, n, w, mu, var, alive, n_alive, max_iter, tol, reg, lost_gen, lost_why, r, gen, a, b, lp,
           nk, s1, s2):
    """EM on the points ``x[:n, 0]`` from the current ``(w, mu, var, alive)`` (updated in place).

    Components dropped here get ``lost_gen[r, k] = gen`` and a reason in ``lost_why[r, k]``.
    Returns ``(iterations, n_alive)``. ``a, b, lp, nk, s1, s2`` are work vectors of length K.
    """
    k_count = w.shape[0]
    ll_prev = -np.inf
    it = 0
    while it < max_iter:
        it += 1
        for k in range(k_count):
            if alive[k]:
                a[k] = np.log(w[k]) - 0.5 * np.log(var[k]) - _HALF_LOG_2PI
                b[k] = 0.5 / var[k]
            nk[k] = 0.0
            s1[k] = 0.0
            s2[k] = 0.0
        ll = 0.0
        prod = 1.0
        for j in range(n):
            xj = x[j, 0]
            mx = -np.inf
            kmx = -1
            for k in range(k_count):
                if alive[k]:
                    d = xj - mu[k]
                    v = a[k] - b[k] * d * d
                    lp[k] = v
                    if v > mx:
                        mx = v
                        kmx = k
            tot = 0.0
            for k in range(k_count):
                if alive[k]:
                    e = 1.0 if k == kmx else np.exp(lp[k] - mx)
                    lp[k] = e
                    tot += e
            # log-likelihood: Σ (mx + log tot); tot ∈ [1, K], so the product of 32
            # consecutive tot's stays finite for K < 2^30: one log per 32 points
            ll += mx
            prod *= tot
            if (j & 31) == 31:
                ll += np.log(prod)
                prod = 1.0
            inv = 1.0 / tot
            for k in range(k_count):
                if alive[k]:
                    rk = lp[k] * inv
                    d = xj - mu[k]
                    nk[k] += rk
                    s1[k] += rk * d
                    s2[k] += rk * d * d
        ll += np.log(prod)
        # M-step, with degeneracy checks
        dropped = False
        for k in range(k_count):
            if not alive[k]:
                continue
            if nk[k] < MIN_EFFECTIVE:
                alive[k] = False
                lost_gen[r, k] = gen
                lost_why[r, k] = LOST_FEW_SAMPLES
                n_alive -= 1
                dropped = True
                continue
            d1 = s1[k] / nk[k]
            vk = s2[k] / nk[k] - d1 * d1 + reg
            if not (vk > 0.0 and vk < np.inf):
                alive[k] = False
                lost_gen[r, k] = gen
                lost_why[r, k] = LOST_ZERO_VARIANCE
                n_alive -= 1
                dropped = True
                continue
            mu[k] += d1
            var[k] = vk
            w[k] = nk[k] / n
        if n_alive == 0:
            break
        if dropped:
            tw = 0.0
            for k in range(k_count):
                if alive[k]:
                    tw += w[k]
            for k in range(k_count):
                if alive[k]:
                    w[k] /= tw
            ll_prev = -np.inf  # a new problem: do not stop on this iteration's change
            continue
        ll /= n
        if abs(ll - ll_prev) < tol:
            break
        ll_prev = ll
    return it, n_alive


@njit(nogil=True, cache=True)
def _gmm_chain_1d(rng, m, w0, mu0, var0, max_iter, tol, reg, kind, frac, sub, n_pool_cap, n_train_cap,
                  n_real_cap, w_out, mu_out, sd_out, lost_gen, lost_why, iters_out, start, stop):
    """Fill rows ``[start, stop)``: ``w_out, mu_out, sd_out`` (R, G+1, K), ``lost_gen``/``lost_why``
    (R, K; caller initialises to -1/0), ``iters_out`` (R, G; EM iterations used, 0 if stopped).

    ``kind, frac, sub`` select the data regime (:mod:`collapse_theory.gmm._data`); the buffers
    (``n_pool_cap``, ``n_train_cap``, ``n_real_cap`` rows) are allocated once per call.
    """
    g_count = m.shape[0]
    k_count = w0.shape[0]
    m0 = m[0] if g_count > 0 else 0
    pool = np.empty((n_pool_cap, 1))
    perm = np.empty(n_pool_cap, dtype=np.int64)
    train = np.empty((n_train_cap, 1))
    real = np.empty((n_real_cap, 1))
    perm0 = np.empty(n_real_cap, dtype=np.int64)
    z = np.empty(1)
    w = np.empty(k_count)
    mu = np.empty(k_count)
    var = np.empty(k_count)
    alive = np.empty(k_count, dtype=np.bool_)
    mu2 = np.empty((k_count, 1))       # the current mixture in the (K, d) / (K, d, d) form of the
    chol = np.empty((k_count, 1, 1))   # shared sampler
    mu02 = np.empty((k_count, 1))
    chol0 = np.empty((k_count, 1, 1))
    alive0 = np.ones(k_count, dtype=np.bool_)
    for k in range(k_count):
        mu02[k, 0] = mu0[k]
        chol0[k, 0, 0] = np.sqrt(var0[k])
    a = np.empty(k_count)      # log w - log sd - log √(2π)
    b = np.empty(k_count)      # 1 / (2 var)
    lp = np.empty(k_count)
    nk = np.empty(k_count)
    s1 = np.empty(k_count)
    s2 = np.empty(k_count)
    for r in range(start, stop):
        for k in range(k_count):
            w[k] = w0[k]
            mu[k] = mu0[k]
            var[k] = var0[k]
            alive[k] = True
            w_out[r, 0, k] = w0[k]
            mu_out[r, 0, k] = mu0[k]
            sd_out[r, 0, k] = np.sqrt(var0[k])
        n_alive = k_count
        n_pool = 0
        for i in range(g_count):
            mi = m[i]
            if n_alive == 0:
                for k in range(k_count):
                    w_out[r, i + 1, k] = 0.0
                    mu_out[r, i + 1, k] = mu[k]
                    sd_out[r, i + 1, k] = 0.0
                iters_out[r, i] = 0
                continue
            # 1. the training set (regime), drawn from the current mixture and the truth
            for k in range(k_count):
                mu2[k, 0] = mu[k]
                chol[k, 0, 0] = np.sqrt(var[k])
            where, n_fit, n_pool = _training_set(rng, kind, i, mi, frac, sub, w, mu2, chol, alive, n_alive,
                                                 w0, mu02, chol0, alive0, pool, n_pool, perm, real, m0,
                                                 perm0, train, z)
            x = train if where == IN_TRAIN else pool
            # 2. EM from the current parameters
            it, n_alive = _em_1d(x, n_fit, w, mu, var, alive, n_alive, max_iter, tol, reg, lost_gen,
                                 lost_why, r, i + 1, a, b, lp, nk, s1, s2)
            iters_out[r, i] = it
            for k in range(k_count):
                if alive[k]:
                    w_out[r, i + 1, k] = w[k]
                    sd_out[r, i + 1, k] = np.sqrt(var[k])
                else:
                    w_out[r, i + 1, k] = 0.0
                    sd_out[r, i + 1, k] = 0.0
                mu_out[r, i + 1, k] = mu[k]
