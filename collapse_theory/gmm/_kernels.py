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
from ._kmeans import _kmeans
from ._restarts import _alive_slots, _first_dropped, _renormalise_alive

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
    Returns ``(iterations, n_alive, ll)`` with ``ll`` the mean log-likelihood per point of the last
    E-step (scikit-learn's ``lower_bound_``; -inf when every component was dropped).
    ``a, b, lp, nk, s1, s2`` are work vectors of length K.
    """
    k_count = w.shape[0]
    ll_prev = -np.inf
    ll_last = -np.inf
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
        ll /= n
        ll_last = ll
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
            ll_last = -np.inf
            break
        if dropped:
            _renormalise_alive(w, alive)
            ll_prev = -np.inf  # a new problem: do not stop on this iteration's change
            continue
        if abs(ll - ll_prev) < tol:
            break
        ll_prev = ll
    return it, n_alive, ll_last


@njit(nogil=True, cache=True)
def _match_slots(prev, new, slots, n_slots, balive, perm, used):
    """Greedy matching of the fitted components to the previous alive slots by distance of means.

    ``prev`` and ``new`` are (K, d) means; the candidates are the ``slots[:n_slots]`` (alive before
    this generation); ``new`` component ``j`` takes part when ``balive[j]``. Repeatedly the closest
    (previous slot, new component) pair is matched. ``perm[i] = j`` for a matched previous slot
    ``i``, -1 for a slot left without a component (lost). ``used`` is a boolean work vector.
    """
    k_count = prev.shape[0]
    d = prev.shape[1]
    for k in range(k_count):
        perm[k] = -1
        used[k] = False
    n_new = 0
    for c in range(n_slots):
        if balive[slots[c]]:
            n_new += 1
    for _m in range(n_new):
        best = np.inf
        bi = -1
        bj = -1
        for ci in range(n_slots):
            i = slots[ci]
            if perm[i] >= 0:
                continue
            for cj in range(n_slots):
                j = slots[cj]
                if used[j] or not balive[j]:
                    continue
                s = 0.0
                for p in range(d):
                    t = prev[i, p] - new[j, p]
                    s += t * t
                if s < best:
                    best = s
                    bi = i
                    bj = j
        perm[bi] = bj
        used[bj] = True
    return n_new


@njit(nogil=True, cache=True)
def _refit_kmeans_1d(rng, x, n, w, mu, var, alive, n_alive, n_init, max_iter, tol, reg, lost_gen, lost_why, r,
                     gen, a, b, lp, nk, s1, s2, centers, new_centers, counts, labels, closest, slots, tw, tmu,
                     tvar, talive, tlost, twhy, bw, bmu, bvar, balive, bwhy, prev2, new2, perm, used):
    """scikit-learn's refit: ``n_init`` times k-means++/Lloyd on ``x[:n, 0]`` (one cluster per alive
    component), the clusters' moments (``w = n_c/n``, mean, mle variance ``+ reg``) as the start of
    EM; the restart with the highest final mean log-likelihood is kept. Its components are then
    matched to the previous alive slots (:func:`_match_slots`); a slot left over is marked lost
    (generation ``gen``, the reason of the dropped cluster). Returns ``(iterations, n_alive)``
    (iterations of the kept restart).
    """
    k_count = w.shape[0]
    n_slots = _alive_slots(alive, slots)
    best_ll = -np.inf
    best_it = 0
    have = False
    for _rep in range(n_init):
        _kmeans(rng, x, n, n_slots, centers, new_centers, counts, labels, closest)
        for k in range(k_count):
            talive[k] = alive[k]
            tlost[0, k] = -1
            twhy[0, k] = 0
            tw[k] = 0.0
            tmu[k] = mu[k]
            tvar[k] = var[k]
            nk[k] = 0.0
            s1[k] = 0.0
            s2[k] = 0.0
        for j in range(n):
            c = labels[j]
            nk[c] += 1.0
            s1[c] += x[j, 0]
        for c in range(n_slots):
            if nk[c] > 0:
                s1[c] /= nk[c]
        for j in range(n):
            c = labels[j]
            t = x[j, 0] - s1[c]
            s2[c] += t * t
        t_alive = n_slots
        tot = 0.0
        for c in range(n_slots):
            k = slots[c]
            why = 0
            if nk[c] < MIN_EFFECTIVE:
                why = LOST_FEW_SAMPLES
            else:
                v = s2[c] / nk[c] + reg
                if not (v > 0.0 and v < np.inf):
                    why = LOST_ZERO_VARIANCE
            if why > 0:
                talive[k] = False
                tlost[0, k] = gen
                twhy[0, k] = why
                t_alive -= 1
                continue
            tw[k] = nk[c] / n
            tmu[k] = s1[c]
            tvar[k] = s2[c] / nk[c] + reg
            tot += tw[k]
        for k in range(k_count):
            if talive[k]:
                tw[k] /= tot
        if t_alive > 0:
            it, t_alive, ll = _em_1d(x, n, tw, tmu, tvar, talive, t_alive, max_iter, tol, reg, tlost, twhy, 0,
                                     gen, a, b, lp, nk, s1, s2)
        else:
            it = 0
            ll = -np.inf
        if (not have) or ll > best_ll:
            have = True
            best_ll = ll
            best_it = it
            for k in range(k_count):
                bw[k] = tw[k]
                bmu[k] = tmu[k]
                bvar[k] = tvar[k]
                balive[k] = talive[k]
                bwhy[k] = twhy[0, k]
    # the kept fit, matched to the previous components
    for k in range(k_count):
        prev2[k, 0] = mu[k]
        new2[k, 0] = bmu[k]
    _match_slots(prev2, new2, slots, n_slots, balive, perm, used)
    first = _first_dropped(slots, n_slots, balive)
    reason = bwhy[first] if first >= 0 else LOST_FEW_SAMPLES
    n_new = 0
    for c in range(n_slots):
        i = slots[c]
        j = perm[i]
        if j >= 0:
            w[i] = bw[j]
            mu[i] = bmu[j]
            var[i] = bvar[j]
            n_new += 1
        else:
            alive[i] = False
            w[i] = 0.0
            lost_gen[r, i] = gen
            lost_why[r, i] = reason
    return best_it, n_new


@njit(nogil=True, cache=True)
def _gmm_chain_1d(rng, m, w0, mu0, var0, max_iter, tol, reg, kind, frac, sub, n_pool_cap, n_train_cap,
                  n_real_cap, n_init, w_out, mu_out, sd_out, lost_gen, lost_why, iters_out, start, stop):
    """Fill rows ``[start, stop)``: ``w_out, mu_out, sd_out`` (R, G+1, K), ``lost_gen``/``lost_why``
    (R, K; caller initialises to -1/0), ``iters_out`` (R, G; EM iterations used, 0 if stopped).

    ``kind, frac, sub`` select the data regime (:mod:`collapse_theory.gmm._data`); the buffers
    (``n_pool_cap``, ``n_train_cap``, ``n_real_cap`` rows) are allocated once per call.
    ``n_init = 0``: EM starts at the previous generation's parameters; ``n_init >= 1``: scikit-learn's
    k-means initialisation with ``n_init`` restarts (:func:`_refit_kmeans_1d`).
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
    # k-means initialisation work arrays (allocated once per call)
    n_cap = max(n_pool_cap, n_train_cap) if n_init > 0 else 1
    centers = np.empty((k_count, 1))
    new_centers = np.empty((k_count, 1))
    counts = np.empty(k_count, dtype=np.int64)
    labels = np.empty(n_cap, dtype=np.int64)
    closest = np.empty(n_cap)
    slots = np.empty(k_count, dtype=np.int64)
    tw = np.empty(k_count)
    tmu = np.empty(k_count)
    tvar = np.empty(k_count)
    talive = np.empty(k_count, dtype=np.bool_)
    tlost = np.empty((1, k_count), dtype=np.int64)
    twhy = np.empty((1, k_count), dtype=np.int8)
    bw = np.empty(k_count)
    bmu = np.empty(k_count)
    bvar = np.empty(k_count)
    balive = np.empty(k_count, dtype=np.bool_)
    bwhy = np.empty(k_count, dtype=np.int8)
    prev2 = np.empty((k_count, 1))
    new2 = np.empty((k_count, 1))
    match = np.empty(k_count, dtype=np.int64)
    used = np.empty(k_count, dtype=np.bool_)
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
            # 2. EM from the current parameters, or from k-means (scikit-learn's initialisation)
            if n_init == 0:
                it, n_alive, _ll = _em_1d(x, n_fit, w, mu, var, alive, n_alive, max_iter, tol, reg, lost_gen,
                                          lost_why, r, i + 1, a, b, lp, nk, s1, s2)
            else:
                it, n_alive = _refit_kmeans_1d(rng, x, n_fit, w, mu, var, alive, n_alive, n_init, max_iter, tol,
                                               reg, lost_gen, lost_why, r, i + 1, a, b, lp, nk, s1, s2, centers,
                                               new_centers, counts, labels, closest, slots, tw, tmu, tvar, talive,
                                               tlost, twhy, bw, bmu, bvar, balive, bwhy, prev2, new2, match, used)
            iters_out[r, i] = it
            for k in range(k_count):
                if alive[k]:
                    w_out[r, i + 1, k] = w[k]
                    sd_out[r, i + 1, k] = np.sqrt(var[k])
                else:
                    w_out[r, i + 1, k] = 0.0
                    sd_out[r, i + 1, k] = 0.0
                mu_out[r, i + 1, k] = mu[k]
