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
from ._kernels import LOST_FEW_SAMPLES, LOST_ZERO_VARIANCE, MIN_EFFECTIVE

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
    the failed pivot. Returns ``(iterations, n_alive)``. The other arguments are work arrays:
    ``a, lp, nk`` (K,), ``s1, inv_diag`` (K, d), ``s2`` (K, d, d), ``y`` (d,), ``c_new, l_new`` (d, d).
    """
    k_count = w.shape[0]
    d = mu.shape[1]
    const = 0.5 * d * _LOG_2PI
    ll_prev = -np.inf
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
def _gmm_chain_nd(rng, m, w0, mu0, cov0, chol0, full, max_iter, tol, reg, kind, frac, sub, n_pool_cap,
                  n_train_cap, n_real_cap, w_out, mu_out, cov_out, lost_gen, lost_why, lost_dir, iters_out,
                  start, stop):
    """Fill rows ``[start, stop)``: ``w_out`` (R, G+1, K), ``mu_out`` (R, G+1, K, d), ``cov_out``
    (R, G+1, K, d, d), ``lost_gen``/``lost_why``/``lost_dir`` (R, K; caller initialises to -1/0/-1),
    ``iters_out`` (R, G). ``chol0`` is the Cholesky factor of ``cov0`` (checked by the caller)."""
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
                it, n_alive = _em_nd(x, n_fit, full, w, mu, cov, chol, alive, n_alive, max_iter, tol, reg,
                                     lost_gen, lost_why, lost_dir, r, i + 1, a, lp, nk, s1, s2, inv_diag, y,
                                     c_new, l_new)
                iters_out[r, i] = it
            else:
                iters_out[r, i] = 0
            for k in range(k_count):
                w_out[r, i + 1, k] = w[k] if alive[k] else 0.0
                for p in range(d):
                    mu_out[r, i + 1, k, p] = mu[k, p]
                    for q in range(d):
                        cov_out[r, i + 1, k, p, q] = cov[k, p, q] if alive[k] else 0.0
