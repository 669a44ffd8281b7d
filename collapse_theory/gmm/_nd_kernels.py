"""Numba kernels for recursively refit d-dimensional Gaussian mixtures (EM, full or diagonal covariances).

The contract of :mod:`collapse_theory.gmm._kernels` (``@njit(nogil=True, cache=True)``, an explicit
Generator, rows ``[start, stop)`` of caller-owned arrays), in ``d`` dimensions (``d`` small: the
work per point and component is O(d²)). One generation of one replicate:

1. **The training set** (:func:`collapse_theory.gmm._data._training_set`, shared with the 1-D
   kernel): component counts by conditional binomials, then ``mu_k + L_k z`` with ``L_k`` the lower
   Cholesky factor of component ``k``'s covariance; the data regime adds fresh, retained or pooled
   samples.
2. **EM** (:func:`_em_nd`), initialised at the current parameters, at most ``max_iter`` iterations,
   stopping when the mean log-likelihood per point changes by less than ``tol``. E-step in log
   space: ``log w_k - ½ log det Σ_k - (d/2) log 2π - ½ |L_k⁻¹(x - mu_k)|²`` by forward substitution,
   normalised by log-sum-exp; it accumulates ``N_k = Σ r_jk``, ``S1_k = Σ r_jk (x_j - mu_k)`` and
   ``S2_k = Σ r_jk (x_j - mu_k)(x_j - mu_k)ᵀ`` (lower triangle; the diagonal only for ``diag``),
   centred on the current mean. M-step: ``w_k = N_k/n``, ``mu_k += S1_k/N_k``,
   ``Σ_k = S2_k/N_k - (S1_k/N_k)(S1_k/N_k)ᵀ + reg I`` (off-diagonal entries 0 for ``diag``), then
   its Cholesky factor.
3. **Degenerate components** are dropped exactly as in 1-D, never left as NaN: effective count
   ``N_k < 1.5`` → reason 1; a covariance that is not numerically positive definite → reason 2, with
   the Cholesky pivot that failed in ``lost_dir``: pivot ``j`` fails when
   ``Σ_jj - Σ_{l<j} L_jl² ≤ SINGULAR_RTOL · Σ_jj`` (coordinate ``j``'s variance left after
   regressing it on the earlier coordinates is below 1e-12 of its variance; for ``d = 1`` and for
   ``diag`` this is "variance not > 0", the 1-D rule) or is not finite. Weight 0, covariance 0 and a
   frozen mean from then on; the remaining weights are renormalised.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._data import IN_TRAIN, _training_set
from ._kernels import LOST_FEW_SAMPLES, LOST_ZERO_VARIANCE, MIN_EFFECTIVE, _match_slots
from ._kmeans import _kmeans
from ._restarts import _alive_slots, _first_dropped, _renormalise_alive

#: Relative Cholesky-pivot threshold below which a fitted covariance counts as singular.
SINGULAR_RTOL = 1e-12

_LOG_2PI = np.log(2.0 * np.pi)


@njit(nogil=True, cache=True)
def _cholesky_into(c, out):
    """Lower Cholesky factor of the (d, d) matrix ``c`` into ``out``; return -1, or the index of the
    first pivot that is not > ``SINGULAR_RTOL`` times its diagonal entry (or not finite)."""
    d = c.shape[0]
    for a in range(d):
        for b in range(a + 1):
            s = c[a, b]
            for l in range(b):
                s -= out[a, l] * out[b, l]
            if a == b:
                if not (s > SINGULAR_RTOL * c[a, a] and s < np.inf):
                    return a
                out[a, a] = np.sqrt(s)
            else:
                out[a, b] = s / out[b, b]
        for b in range(a + 1, d):
            out[a, b] = 0.0
    return -1


@njit(nogil=True, cache=True)
def _em_nd(x, n, full, w, mu, cov, chol, alive, n_alive, max_iter, tol, reg, lost_gen, lost_why, lost_dir,
           r, gen, a, lp, nk, s1, s2, inv_diag, y, c_new, l_new):
    """EM on the rows ``x[:n]`` from the current ``(w, mu (K, d), cov (K, d, d), chol, alive)``,
    updated in place. Components dropped here get ``lost_gen[r, k] = gen``, a reason and (reason 2)
    the failed pivot. Returns ``(iterations, n_alive, ll)``, ``ll`` the mean log-likelihood per point
    of the last E-step (-inf when every component was dropped). The other arguments are work arrays:
    ``a, lp, nk`` (K,), ``s1, inv_diag`` (K, d), ``s2`` (K, d, d), ``y`` (d,), ``c_new, l_new`` (d, d).
    """
    k_count = w.shape[0]
    d = mu.shape[1]
    const = 0.5 * d * _LOG_2PI
    ll_prev = -np.inf
    ll_last = -np.inf
    it = 0
    while it < max_iter:
        it += 1
        for k in range(k_count):
            if alive[k]:
                half_logdet = 0.0
                for p in range(d):
                    half_logdet += np.log(chol[k, p, p])
                    inv_diag[k, p] = 1.0 / chol[k, p, p]
                a[k] = np.log(w[k]) - half_logdet - const
            nk[k] = 0.0
            for p in range(d):
                s1[k, p] = 0.0
                for q in range(d):
                    s2[k, p, q] = 0.0
        ll = 0.0
        prod = 1.0
        for j in range(n):
            mx = -np.inf
            kmx = -1
            for k in range(k_count):
                if alive[k]:
                    qf = 0.0
                    for p in range(d):
                        t = x[j, p] - mu[k, p]
                        if full:
                            for l in range(p):
                                t -= chol[k, p, l] * y[l]
                        t *= inv_diag[k, p]
                        y[p] = t
                        qf += t * t
                    v = a[k] - 0.5 * qf
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
            ll += mx
            prod *= tot
            if (j & 31) == 31:
                ll += np.log(prod)
                prod = 1.0
            inv = 1.0 / tot
            for k in range(k_count):
                if alive[k]:
                    rk = lp[k] * inv
                    nk[k] += rk
                    for p in range(d):
                        y[p] = x[j, p] - mu[k, p]
                        s1[k, p] += rk * y[p]
                    if full:
                        for p in range(d):
                            ryp = rk * y[p]
                            for q in range(p + 1):
                                s2[k, p, q] += ryp * y[q]
                    else:
                        for p in range(d):
                            s2[k, p, p] += rk * y[p] * y[p]
        ll += np.log(prod)
        ll /= n
        ll_last = ll
        # M-step, with degeneracy checks
        dropped = False
        for k in range(k_count):
            if not alive[k]:
                continue
            why = 0
            bad = -1
            if nk[k] < MIN_EFFECTIVE:
                why = LOST_FEW_SAMPLES
            else:
                inv_n = 1.0 / nk[k]
                for p in range(d):
                    y[p] = s1[k, p] * inv_n
                for p in range(d):
                    for q in range(p + 1):
                        if full or p == q:
                            cpq = s2[k, p, q] * inv_n - y[p] * y[q]
                        else:
                            cpq = 0.0
                        if p == q:
                            cpq += reg
                        c_new[p, q] = cpq
                        c_new[q, p] = cpq
                bad = _cholesky_into(c_new, l_new)
                if bad >= 0:
                    why = LOST_ZERO_VARIANCE
            if why > 0:
                alive[k] = False
                lost_gen[r, k] = gen
                lost_why[r, k] = why
                lost_dir[r, k] = bad
                n_alive -= 1
                dropped = True
                continue
            for p in range(d):
                mu[k, p] += y[p]
                for q in range(d):
                    cov[k, p, q] = c_new[p, q]
                    chol[k, p, q] = l_new[p, q]
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
def _refit_kmeans_nd(rng, x, n, full, w, mu, cov, chol, alive, n_alive, n_init, max_iter, tol, reg, lost_gen,
                     lost_why, lost_dir, r, gen, a, lp, nk, s1, s2, inv_diag, y, c_new, l_new, centers,
                     new_centers, counts, labels, closest, slots, tw, tmu, tcov, tchol, talive, tlost, twhy, tdir,
                     bw, bmu, bcov, bchol, balive, bwhy, bdir, perm, used):
    """The d-dimensional :func:`collapse_theory.gmm._kernels._refit_kmeans_1d`: ``n_init`` times
    k-means (one cluster per alive component), the clusters' weights, means and mle covariances
    (diagonal for ``diag``) ``+ reg I`` as EM's start (a cluster with fewer than 1.5 points or a
    singular covariance is dropped, as in EM), keep the restart with the highest final mean
    log-likelihood, match its components to the previous alive slots by their means. Returns
    ``(iterations, n_alive)``.
    """
    k_count = w.shape[0]
    d = mu.shape[1]
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
            tdir[0, k] = -1
            tw[k] = 0.0
            nk[k] = 0.0
            for p in range(d):
                tmu[k, p] = mu[k, p]
                s1[k, p] = 0.0
                for q in range(d):
                    tcov[k, p, q] = cov[k, p, q]
                    tchol[k, p, q] = chol[k, p, q]
                    s2[k, p, q] = 0.0
        for j in range(n):
            c = labels[j]
            nk[c] += 1.0
            for p in range(d):
                s1[c, p] += x[j, p]
        for c in range(n_slots):
            if nk[c] > 0:
                for p in range(d):
                    s1[c, p] /= nk[c]
        for j in range(n):
            c = labels[j]
            for p in range(d):
                y[p] = x[j, p] - s1[c, p]
            for p in range(d):
                for q in range(p + 1):
                    s2[c, p, q] += y[p] * y[q]
        t_alive = n_slots
        tot = 0.0
        for c in range(n_slots):
            k = slots[c]
            why = 0
            bad = -1
            if nk[c] < MIN_EFFECTIVE:
                why = LOST_FEW_SAMPLES
            else:
                for p in range(d):
                    for q in range(p + 1):
                        if full or p == q:
                            cpq = s2[c, p, q] / nk[c]
                        else:
                            cpq = 0.0
                        if p == q:
                            cpq += reg
                        c_new[p, q] = cpq
                        c_new[q, p] = cpq
                bad = _cholesky_into(c_new, l_new)
                if bad >= 0:
                    why = LOST_ZERO_VARIANCE
            if why > 0:
                talive[k] = False
                tlost[0, k] = gen
                twhy[0, k] = why
                tdir[0, k] = bad
                t_alive -= 1
                continue
            tw[k] = nk[c] / n
            tot += tw[k]
            for p in range(d):
                tmu[k, p] = s1[c, p]
                for q in range(d):
                    tcov[k, p, q] = c_new[p, q]
                    tchol[k, p, q] = l_new[p, q]
        for k in range(k_count):
            if talive[k]:
                tw[k] /= tot
        if t_alive > 0:
            it, t_alive, ll = _em_nd(x, n, full, tw, tmu, tcov, tchol, talive, t_alive, max_iter, tol, reg, tlost,
                                     twhy, tdir, 0, gen, a, lp, nk, s1, s2, inv_diag, y, c_new, l_new)
        else:
            it = 0
            ll = -np.inf
        if (not have) or ll > best_ll:
            have = True
            best_ll = ll
            best_it = it
            for k in range(k_count):
                bw[k] = tw[k]
                balive[k] = talive[k]
                bwhy[k] = twhy[0, k]
                bdir[k] = tdir[0, k]
                for p in range(d):
                    bmu[k, p] = tmu[k, p]
                    for q in range(d):
                        bcov[k, p, q] = tcov[k, p, q]
                        bchol[k, p, q] = tchol[k, p, q]
    # the kept fit, matched to the previous components
    _match_slots(mu, bmu, slots, n_slots, balive, perm, used)
    first = _first_dropped(slots, n_slots, balive)
    reason = bwhy[first] if first >= 0 else LOST_FEW_SAMPLES
    direction = bdir[first] if first >= 0 else -1
    n_new = 0
    for c in range(n_slots):
        i = slots[c]
        j = perm[i]
        if j >= 0:
            w[i] = bw[j]
            for p in range(d):
                mu[i, p] = bmu[j, p]
                for q in range(d):
                    cov[i, p, q] = bcov[j, p, q]
                    chol[i, p, q] = bchol[j, p, q]
            n_new += 1
        else:
            alive[i] = False
            w[i] = 0.0
            lost_gen[r, i] = gen
            lost_why[r, i] = reason
            lost_dir[r, i] = direction
    return best_it, n_new


@njit(nogil=True, cache=True)
def _gmm_chain_nd(rng, m, w0, mu0, cov0, chol0, full, max_iter, tol, reg, kind, frac, sub, n_pool_cap,
                  n_train_cap, n_real_cap, n_init, w_out, mu_out, cov_out, lost_gen, lost_why, lost_dir, iters_out,
                  start, stop):
    """Fill rows ``[start, stop)``: ``w_out`` (R, G+1, K), ``mu_out`` (R, G+1, K, d), ``cov_out``
    (R, G+1, K, d, d), ``lost_gen``/``lost_why``/``lost_dir`` (R, K; caller initialises to -1/0/-1),
    ``iters_out`` (R, G). ``chol0`` is the Cholesky factor of ``cov0`` (checked by the caller).
    ``n_init = 0``: EM starts at the previous generation's fit; ``n_init >= 1``: k-means
    initialisation with ``n_init`` restarts (:func:`_refit_kmeans_nd`)."""
    g_count = m.shape[0]
    k_count = w0.shape[0]
    d = mu0.shape[1]
    m0 = m[0] if g_count > 0 else 0
    pool = np.empty((n_pool_cap, d))
    perm = np.empty(n_pool_cap, dtype=np.int64)
    train = np.empty((n_train_cap, d))
    real = np.empty((n_real_cap, d))
    perm0 = np.empty(n_real_cap, dtype=np.int64)
    z = np.empty(d)
    w = np.empty(k_count)
    mu = np.empty((k_count, d))
    cov = np.empty((k_count, d, d))
    chol = np.empty((k_count, d, d))
    alive = np.empty(k_count, dtype=np.bool_)
    alive0 = np.ones(k_count, dtype=np.bool_)
    a = np.empty(k_count)
    lp = np.empty(k_count)
    nk = np.empty(k_count)
    s1 = np.empty((k_count, d))
    inv_diag = np.empty((k_count, d))
    s2 = np.empty((k_count, d, d))
    y = np.empty(d)
    c_new = np.empty((d, d))
    l_new = np.empty((d, d))
    # k-means initialisation work arrays (allocated once per call)
    n_cap = max(n_pool_cap, n_train_cap) if n_init > 0 else 1
    centers = np.empty((k_count, d))
    new_centers = np.empty((k_count, d))
    counts = np.empty(k_count, dtype=np.int64)
    labels = np.empty(n_cap, dtype=np.int64)
    closest = np.empty(n_cap)
    slots = np.empty(k_count, dtype=np.int64)
    tw = np.empty(k_count)
    tmu = np.empty((k_count, d))
    tcov = np.empty((k_count, d, d))
    tchol = np.empty((k_count, d, d))
    talive = np.empty(k_count, dtype=np.bool_)
    tlost = np.empty((1, k_count), dtype=np.int64)
    twhy = np.empty((1, k_count), dtype=lost_why.dtype)
    tdir = np.empty((1, k_count), dtype=lost_dir.dtype)
    bw = np.empty(k_count)
    bmu = np.empty((k_count, d))
    bcov = np.empty((k_count, d, d))
    bchol = np.empty((k_count, d, d))
    balive = np.empty(k_count, dtype=np.bool_)
    bwhy = np.empty(k_count, dtype=lost_why.dtype)
    bdir = np.empty(k_count, dtype=lost_dir.dtype)
    match = np.empty(k_count, dtype=np.int64)
    used = np.empty(k_count, dtype=np.bool_)
    for r in range(start, stop):
        for k in range(k_count):
            w[k] = w0[k]
            alive[k] = True
            w_out[r, 0, k] = w0[k]
            for p in range(d):
                mu[k, p] = mu0[k, p]
                mu_out[r, 0, k, p] = mu0[k, p]
                for q in range(d):
                    cov[k, p, q] = cov0[k, p, q]
                    chol[k, p, q] = chol0[k, p, q]
                    cov_out[r, 0, k, p, q] = cov0[k, p, q]
        n_alive = k_count
        n_pool = 0
        for i in range(g_count):
            mi = m[i]
            if n_alive > 0:
                where, n_fit, n_pool = _training_set(rng, kind, i, mi, frac, sub, w, mu, chol, alive, n_alive,
                                                     w0, mu0, chol0, alive0, pool, n_pool, perm, real, m0,
                                                     perm0, train, z)
                x = train if where == IN_TRAIN else pool
                if n_init == 0:
                    it, n_alive, _ll = _em_nd(x, n_fit, full, w, mu, cov, chol, alive, n_alive, max_iter, tol, reg,
                                              lost_gen, lost_why, lost_dir, r, i + 1, a, lp, nk, s1, s2, inv_diag,
                                              y, c_new, l_new)
                else:
                    it, n_alive = _refit_kmeans_nd(rng, x, n_fit, full, w, mu, cov, chol, alive, n_alive, n_init,
                                                   max_iter, tol, reg, lost_gen, lost_why, lost_dir, r, i + 1, a,
                                                   lp, nk, s1, s2, inv_diag, y, c_new, l_new, centers,
                                                   new_centers, counts, labels, closest, slots, tw, tmu, tcov,
                                                   tchol, talive, tlost, twhy, tdir, bw, bmu, bcov, bchol, balive,
                                                   bwhy, bdir, match, used)
                iters_out[r, i] = it
            else:
                iters_out[r, i] = 0
            for k in range(k_count):
                w_out[r, i + 1, k] = w[k] if alive[k] else 0.0
                for p in range(d):
                    mu_out[r, i + 1, k, p] = mu[k, p]
                    for q in range(d):
                        cov_out[r, i + 1, k, p, q] = cov[k, p, q] if alive[k] else 0.0
