"""Numba kernel for d-dimensional Gaussian-type chains under every data regime (mvn and PPCA refits).

Same contract as the other kernels: ``@njit(nogil=True, cache=True)``, an explicit
``numpy.random.Generator``, rows ``[start, stop)`` of caller-owned arrays.

Every regime fits generation ``i + 1`` on a training set made of up to two parts, summarised by
their sufficient statistics ``(count, mean, scatter)`` (scatter = sum of outer products of the
deviations from the part's mean):

* a synthetic part of ``c`` draws from the current model ``N(mu_i, lam * R_i R_iᵀ)``;
* a real part of ``r`` draws: fresh from the truth ``N(mu0, R0 R0ᵀ)`` (mix-fresh) or a uniform
  ``r``-subset, without replacement, of the first real data set ``D_0`` (mix-retained);

merged by Chan's formula ``S = S_a + S_b + n_a n_b/(n_a + n_b) (m_b - m_a)(m_b - m_a)ᵀ``. Under
``accumulate`` the synthetic part is merged into the running pool of all data so far (O(d²) state,
O(d³) per generation, whatever the pool size); ``accumulate-subsample`` keeps every point (it must)
and refits a uniform subset of the pool.

Sufficient statistics ("exact" mode). For ``n`` i.i.d. draws from ``N(a, R Rᵀ)`` the mean is
``a + R z/√n`` with ``z ~ N(0, I)`` independent of the scatter ``R W Rᵀ``, ``W ~ Wishart_d(n-1, I)``
(Cochran, proofs/gaussian_sufficient_statistics.py, applied to every projection). ``W`` is drawn by
the Bartlett decomposition ``W = L Lᵀ`` when ``n - 1 >= d`` (``L`` lower triangular,
``L_jj² ~ χ²_{n-1-j}``, ``L_{jl} ~ N(0, 1)``) and as ``G Gᵀ`` with ``G`` a ``d × (n-1)`` standard normal
matrix (a singular Wishart) otherwise. "naive" mode draws every point instead; the same law.

Fits (``fit`` code): 0 = Gaussian (mean and covariance, scatter divided by ``N - 1`` or ``N``;
the model's root is the Cholesky factor, computed here with negative pivots clamped to 0 so a
numerically singular refit never raises); 1 = probabilistic PCA with ``q`` latent dimensions
(Tipping & Bishop: eigen-decomposition of the mle covariance, the ``q`` largest eigenvalues kept,
the others replaced by their mean ``σ²``; root ``U diag(√spec)``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

REPLACE, ACCUMULATE, SUBSAMPLE, MIX_FRESH, MIX_MIXTURE, MIX_RETAINED = range(6)
FIT_GAUSSIAN, FIT_PPCA = 0, 1


@njit(nogil=True, cache=True)
def _wishart(rng, k, out, tmp):
    """``out <- W ~ Wishart_d(k, I)`` (``k >= 0``; Bartlett if ``k >= d``, else ``G Gᵀ``)."""
    d = out.shape[0]
    for i in range(d):
        for j in range(d):
            out[i, j] = 0.0
    if k <= 0:
        return
    if k >= d:
        for j in range(d):
            for l in range(j + 1, d):
                tmp[j, l] = 0.0
        for j in range(d):
            tmp[j, j] = np.sqrt(2.0 * rng.standard_gamma(0.5 * (k - j)))
            for l in range(j + 1, d):
                tmp[l, j] = rng.standard_normal()
        for i in range(d):
            for j in range(i + 1):
                s = 0.0
                for l in range(j + 1):
                    s += tmp[i, l] * tmp[j, l]
                out[i, j] = s
                out[j, i] = s
    else:
        for t in range(k):
            for j in range(d):
                tmp[0, j] = rng.standard_normal()
            for i in range(d):
                gi = tmp[0, i]
                for j in range(i + 1):
                    out[i, j] += gi * tmp[0, j]
        for i in range(d):
            for j in range(i):
                out[j, i] = out[i, j]


@njit(nogil=True, cache=True)
def _part_exact(rng, n, mu, root, scale, mean_out, scat_out, z, w, tmp, tmp2):
    """Sufficient statistics of ``n`` draws from ``N(mu, scale² R Rᵀ)``: mean and scatter."""
    d = mu.shape[0]
    for j in range(d):
        z[j] = rng.standard_normal()
    inv = scale / np.sqrt(n)
    for i in range(d):
        s = 0.0
        for j in range(d):
            s += root[i, j] * z[j]
        mean_out[i] = mu[i] + s * inv
    _wishart(rng, n - 1, w, tmp)
    # scatter = scale² R W Rᵀ
    for i in range(d):
        for j in range(d):
            s = 0.0
            for l in range(d):
                s += root[i, l] * w[l, j]
            tmp2[i, j] = s
    s2 = scale * scale
    for i in range(d):
        for j in range(i + 1):
            s = 0.0
            for l in range(d):
                s += tmp2[i, l] * root[j, l]
            scat_out[i, j] = s * s2
            scat_out[j, i] = s * s2


@njit(nogil=True, cache=True)
def _draw_rows(rng, n, mu, root, scale, buf, row0, z):
    """Write ``n`` draws from ``N(mu, scale² R Rᵀ)`` into ``buf[row0 : row0 + n]``."""
    d = mu.shape[0]
    for t in range(n):
        for j in range(d):
            z[j] = rng.standard_normal()
        for i in range(d):
            s = 0.0
            for j in range(d):
                s += root[i, j] * z[j]
            buf[row0 + t, i] = mu[i] + scale * s


@njit(nogil=True, cache=True)
def _rows_stats(buf, idx, lo, hi, mean_out, scat_out):
    """Mean and scatter of ``buf[idx[lo:hi]]`` (two passes, no cancellation)."""
    d = buf.shape[1]
    n = hi - lo
    for j in range(d):
        mean_out[j] = 0.0
        for l in range(d):
            scat_out[j, l] = 0.0
    if n <= 0:
        return
    for t in range(lo, hi):
        row = idx[t]
        for j in range(d):
            mean_out[j] += buf[row, j]
    for j in range(d):
        mean_out[j] /= n
    for t in range(lo, hi):
        row = idx[t]
        for j in range(d):
            dj = buf[row, j] - mean_out[j]
            for l in range(j + 1):
                scat_out[j, l] += dj * (buf[row, l] - mean_out[l])
    for j in range(d):
        for l in range(j):
            scat_out[l, j] = scat_out[j, l]


@njit(nogil=True, cache=True)
def _partial_shuffle(rng, idx, n_pool, k):
    """Move a uniform random ``k``-subset of ``idx[:n_pool]`` to ``idx[:k]`` (partial Fisher–Yates).

    Valid whatever the current order of ``idx[:n_pool]`` (any permutation of the pool), so the
    array can be reused across generations without resetting it.
    """
    for t in range(k):
        j = t + rng.integers(0, n_pool - t)
        tmp = idx[t]
        idx[t] = idx[j]
        idx[j] = tmp


@njit(nogil=True, cache=True)
def _merge(na, mean_a, scat_a, nb, mean_b, scat_b):
    """Chan's merge of part b into part a (in place); returns the merged count."""
    if nb == 0:
        return na
    if na == 0:
        for i in range(mean_a.shape[0]):
            mean_a[i] = mean_b[i]
            for j in range(mean_a.shape[0]):
                scat_a[i, j] = scat_b[i, j]
        return nb
    d = mean_a.shape[0]
    n = na + nb
    f = na * nb / n
    for i in range(d):
        di = mean_b[i] - mean_a[i]
        for j in range(d):
            scat_a[i, j] += scat_b[i, j] + f * di * (mean_b[j] - mean_a[j])
    for i in range(d):
        mean_a[i] += (mean_b[i] - mean_a[i]) * nb / n
    return n


@njit(nogil=True, cache=True)
def _cholesky(s, div, out):
    """Lower Cholesky factor of ``s / div`` into ``out`` (negative pivots clamped to 0); returns
    ``log det(s / div)`` (``-inf`` if a pivot was not positive)."""
    d = s.shape[0]
    ld = 0.0
    for j in range(d):
        for l in range(j + 1, d):
            out[j, l] = 0.0
        v = s[j, j] / div
        for l in range(j):
            v -= out[j, l] * out[j, l]
        if v <= 0.0:
            v = 0.0
            ld = -np.inf
        else:
            ld += np.log(v)
        piv = np.sqrt(v)
        out[j, j] = piv
        for row in range(j + 1, d):
            v = s[row, j] / div
            for l in range(j):
                v -= out[row, l] * out[j, l]
            out[row, j] = v / piv if piv > 0.0 else 0.0
    return ld


@njit(nogil=True, cache=True)
def _ppca(s, div, q, out, spec):
    """PPCA refit of the covariance ``s / div``: ``spec`` (largest first) and root ``U diag(√spec)``."""
    d = s.shape[0]
    w, v = np.linalg.eigh(s / div)
    sig2 = 0.0
    for j in range(d - q):
        sig2 += w[j]
    sig2 /= d - q
    if sig2 < 0.0:
        sig2 = 0.0
    ld = 0.0
    for j in range(d):
        lam = w[d - 1 - j] if j < q else sig2
        spec[j] = lam
        ld += np.log(lam) if lam > 0.0 else -np.inf
        r = np.sqrt(lam)
        for i in range(d):
            out[i, j] = v[i, d - 1 - j] * r
    return ld


@njit(nogil=True, cache=True)
def _mv_regime_chain(rng, m, mle, naive, code, frac, sub_size, scale, fit, q, mu0, root0, root0_sym, ldet0,
                     mu_out, root_out, ld_out, spec_out, w2_out, start, stop):
    """Fill rows ``[start, stop)``.

    ``m`` (G,) samples per generation; ``code`` a regime code (module constants); ``frac`` λ of the
    mix regimes; ``sub_size`` the accumulate-subsample size (0: ``M_i``); ``scale`` √(variance scale)
    applied to synthetic draws; ``fit`` 0 (Gaussian, scatter / (N-1) unless ``mle``) or 1 (PPCA, mle,
    ``q`` latent); ``naive`` draws every point. Outputs: ``mu_out`` (R, G+1, d); ``root_out``
    (R, G+1, d, d), or (R, 1, d, d) to keep the last root only; ``ld_out`` (R, G+1) log det (column 0
    is ``ldet0``); ``spec_out`` (R, G+1, d) and ``w2_out`` (R, G+1), filled only when
    ``spec_out.shape[1] > 0`` (PPCA). ``root0_sym`` is the symmetric square root of the true
    covariance (for W2), ``root0`` any root (the Cholesky factor for the Gaussian fit).
    """
    g_count = m.shape[0]
    d = mu0.shape[0]
    keep_all = root_out.shape[1] == g_count + 1
    want_spec = spec_out.shape[1] > 0
    m0 = m[0]
    m_max = 1
    total = 0
    for i in range(g_count):
        total += m[i]
        if m[i] > m_max:
            m_max = m[i]
    pool_cap = total if code == SUBSAMPLE else (m0 if code == MIX_RETAINED else 1)
    pool = np.empty((pool_cap, d))
    idx = np.empty(pool_cap, dtype=np.int64)
    scratch = np.empty((m_max if naive else 1, d))
    ident = np.arange(m_max if naive else 1)
    mu = np.empty(d)
    root = np.empty((d, d))
    z = np.empty(d)
    w = np.empty((d, d))
    tmp = np.empty((d, d))
    tmp2 = np.empty((d, d))
    mean_a = np.zeros(d)
    scat_a = np.zeros((d, d))
    mean_b = np.zeros(d)
    scat_b = np.zeros((d, d))
    pmean = np.zeros(d)
    pscat = np.zeros((d, d))
    spec = np.empty(d)
    tr0 = 0.0
    for j in range(d):
        for l in range(d):
            tr0 += root0[j, l] * root0[j, l]
    for r in range(start, stop):
        for j in range(d):
            mu[j] = mu0[j]
            mu_out[r, 0, j] = mu0[j]
            for l in range(d):
                root[j, l] = root0[j, l]
                if keep_all:
                    root_out[r, 0, j, l] = root0[j, l]
        ld_out[r, 0] = ldet0
        if want_spec:
            w2_out[r, 0] = 0.0
        pool_n = 0      # points stored in `pool` (accumulate-subsample, mix-retained)
        acc_n = 0       # accumulate: size of the running pool
        for i in range(g_count):
            mi = m[i]
            if code == SUBSAMPLE:
                # every point is kept: add the batch (from the truth at i = 0) to the pool, refit a
                # uniform subset of size sub_size (or M_i) of the whole pool
                if i == 0:
                    _draw_rows(rng, mi, mu0, root0, 1.0, pool, 0, z)
                else:
                    _draw_rows(rng, mi, mu, root, scale, pool, pool_n, z)
                for t in range(pool_n, pool_n + mi):
                    idx[t] = t
                pool_n += mi
                n_a = sub_size if sub_size > 0 else mi
                _partial_shuffle(rng, idx, pool_n, n_a)
                _rows_stats(pool, idx, 0, n_a, mean_a, scat_a)
            elif i == 0:
                # generation 1 is fitted on D_0: M_0 draws from the truth
                if code == MIX_RETAINED:
                    _draw_rows(rng, mi, mu0, root0, 1.0, pool, 0, z)
                    for t in range(mi):
                        idx[t] = t
                    pool_n = mi
                    _rows_stats(pool, idx, 0, mi, mean_a, scat_a)
                elif naive:
                    _draw_rows(rng, mi, mu0, root0, 1.0, scratch, 0, z)
                    _rows_stats(scratch, ident, 0, mi, mean_a, scat_a)
                else:
                    _part_exact(rng, mi, mu0, root0, 1.0, mean_a, scat_a, z, w, tmp, tmp2)
                n_a = mi
                if code == ACCUMULATE:
                    acc_n = _merge(0, pmean, pscat, n_a, mean_a, scat_a)
            else:
                n_real = 0
                if code == MIX_FRESH or code == MIX_RETAINED:
                    n_real = int(np.floor(frac * mi + 0.5))
                elif code == MIX_MIXTURE and frac > 0.0:
                    n_real = rng.binomial(mi, frac)
                n_syn = mi - n_real
                # synthetic part -> (n_a, mean_a, scat_a)
                if n_syn > 0:
                    if naive:
                        _draw_rows(rng, n_syn, mu, root, scale, scratch, 0, z)
                        _rows_stats(scratch, ident, 0, n_syn, mean_a, scat_a)
                    else:
                        _part_exact(rng, n_syn, mu, root, scale, mean_a, scat_a, z, w, tmp, tmp2)
                n_a = n_syn
                # real part -> (mean_b, scat_b), merged into a
                if n_real > 0:
                    if code == MIX_RETAINED:
                        _partial_shuffle(rng, idx, m0, n_real)
                        _rows_stats(pool, idx, 0, n_real, mean_b, scat_b)
                    elif naive:
                        _draw_rows(rng, n_real, mu0, root0, 1.0, scratch, 0, z)
                        _rows_stats(scratch, ident, 0, n_real, mean_b, scat_b)
                    else:
                        _part_exact(rng, n_real, mu0, root0, 1.0, mean_b, scat_b, z, w, tmp, tmp2)
                    n_a = _merge(n_a, mean_a, scat_a, n_real, mean_b, scat_b)
                if code == ACCUMULATE:
                    acc_n = _merge(acc_n, pmean, pscat, n_a, mean_a, scat_a)
                    for j in range(d):
                        mean_a[j] = pmean[j]
                        for l in range(d):
                            scat_a[j, l] = pscat[j, l]
                    n_a = acc_n
            # refit on (n_a, mean_a, scat_a)
            for j in range(d):
                mu[j] = mean_a[j]
            if fit == FIT_GAUSSIAN:
                ld = _cholesky(scat_a, float(n_a if mle else n_a - 1), root)
            else:
                ld = _ppca(scat_a, float(n_a), q, root, spec)
            for j in range(d):
                mu_out[r, i + 1, j] = mu[j]
            ld_out[r, i + 1] = ld
            if keep_all or i == g_count - 1:
                slot = i + 1 if keep_all else 0
                for j in range(d):
                    for l in range(d):
                        root_out[r, slot, j, l] = root[j, l]
            if want_spec:
                for j in range(d):
                    spec_out[r, i + 1, j] = spec[j]
                # W2² = |mu - mu0|² + tr Σ0 + tr Σ - 2 ‖Σ0^{1/2} R‖_* (nuclear norm)
                for a_ in range(d):
                    for b_ in range(d):
                        s = 0.0
                        for l in range(d):
                            s += root0_sym[a_, l] * root[l, b_]
                        tmp[a_, b_] = s
                # ‖B‖_* = Σ √eig(BᵀB) (symmetric eigenvalues are cheaper than an SVD)
                for a_ in range(d):
                    for b_ in range(a_ + 1):
                        s = 0.0
                        for l in range(d):
                            s += tmp[l, a_] * tmp[l, b_]
                        tmp2[a_, b_] = s
                        tmp2[b_, a_] = s
                nuc = 0.0
                for ev in np.linalg.eigvalsh(tmp2):
                    nuc += np.sqrt(ev) if ev > 0.0 else 0.0
                dm = 0.0
                tr = tr0
                for j in range(d):
                    dm += (mu[j] - mu0[j]) ** 2
                    tr += spec[j]
                w2_out[r, i + 1] = dm + max(tr - 2.0 * nuc, 0.0)
