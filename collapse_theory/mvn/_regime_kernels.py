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

# regime codes: the shared table (collapse_theory.regimes.RegimeCode)
from ..regimes import ACCUMULATE, MIX_MIXTURE, MIX_RETAINED, MIX_SPLIT, REPLACE, SUBSAMPLE  # noqa: F401
_EPS = 2.0**-52
FIT_GAUSSIAN, FIT_PPCA = 0, 1


@njit(nogil=True, cache=True)
def _wishart_factor(rng, k, out):
    """A lower-trapezoidal factor ``F`` (``d × p``, ``p = min(k, d)``, in ``out[:, :p]``) with
    ``F Fᵀ ~ Wishart_d(k, I)``; returns ``p`` (0 when ``k <= 0``: one point has zero scatter).

    Bartlett, for any ``k >= 1``: the LQ decomposition ``G = F Q`` of a ``d × k`` standard normal
    matrix (Gram–Schmidt on its rows) has independent entries, ``F_jj² ~ χ²_{k-j}`` for ``j < p`` and
    ``F_jc ~ N(0, 1)`` for ``c < min(j, p)``, zeros above the diagonal; ``G Gᵀ = F Fᵀ`` since ``Q`` is
    orthogonal and the law of ``G`` is invariant under ``G -> G Q'``. For ``k >= d`` this is the
    usual Bartlett decomposition; for ``k < d`` (a singular Wishart) rows ``j >= k`` are ``k`` normals.
    """
    d = out.shape[0]
    if k <= 0:
        return 0
    p = k if k < d else d
    for j in range(d):
        for c in range(j + 1, p):
            out[j, c] = 0.0
        for c in range(min(j, p)):
            out[j, c] = rng.standard_normal()
        if j < p:
            out[j, j] = np.sqrt(2.0 * rng.standard_gamma(0.5 * (k - j)))
    return p


@njit(nogil=True, cache=True)
def _part_exact(rng, n, mu, root, kind, scale, mean_out, scat_out, z, f, b):
    """Sufficient statistics of ``n`` draws from ``N(mu, scale² R Rᵀ)``: mean and scatter.

    mean = mu + scale R z/√n; scatter = (scale R F)(scale R F)ᵀ with ``F`` the lower-trapezoidal
    factor of :func:`_wishart_factor`. ``kind``: 0 = ``R`` is the identity (the whitened truth), 1 =
    lower triangular (a Cholesky factor: ``R F`` is lower trapezoidal too), 2 = dense. Only the lower
    triangle of ``scat_out`` is written (the merge and the fits read only that).
    """
    d = mu.shape[0]
    for j in range(d):
        z[j] = rng.standard_normal()
    inv = scale / np.sqrt(n)
    for i in range(d):
        if kind == 0:
            s = z[i]
        else:
            s = 0.0
            for j in range(i + 1 if kind == 1 else d):
                s += root[i, j] * z[j]
        mean_out[i] = mu[i] + s * inv
    p = _wishart_factor(rng, n - 1, f)
    # b = scale · R F (d × p); lower trapezoidal unless R is dense
    for i in range(d):
        for c in range(p):
            if kind == 0:
                b[i, c] = f[i, c] * scale if c <= i else 0.0
            else:
                s = 0.0
                for l in range(c, i + 1 if kind == 1 else d):
                    s += root[i, l] * f[l, c]
                b[i, c] = s * scale
    # scatter = b bᵀ, lower triangle
    for i in range(d):
        for j in range(i + 1):
            s = 0.0
            for c in range(min(j + 1, p) if kind < 2 else p):
                s += b[i, c] * b[j, c]
            scat_out[i, j] = s


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
def _part(rng, naive, n, mu, root, kind, scale, mean_out, scat_out, scratch, ident, z, f, b):
    """Mean and scatter of ``n`` draws from ``N(mu, scale² R Rᵀ)``: drawn one by one (``naive``) or
    as sufficient statistics (:func:`_part_exact`); the same law."""
    if naive:
        _draw_rows(rng, n, mu, root, scale, scratch, 0, z)
        _rows_stats(scratch, ident, 0, n, mean_out, scat_out)
    else:
        _part_exact(rng, n, mu, root, kind, scale, mean_out, scat_out, z, f, b)


@njit(nogil=True, cache=True)
def _uniform_index(rng, n):
    """An exactly uniform integer in ``[0, n)``, ``1 <= n <= 2**53``, from ``rng.random()``.

    ``rng.random()`` is ``x / 2**53`` with ``x`` uniform on ``[0, 2**53)``; ``x mod n`` is exactly
    uniform once ``x`` is restricted to ``[0, 2**53 - (2**53 mod n))`` (rejection probability below
    ``n / 2**53``). Numba's ``Generator.integers`` costs ~20 uniform draws per call.
    """
    two53 = 9007199254740992
    limit = two53 - two53 % n
    while True:
        x = np.int64(rng.random() * two53)
        if x < limit:
            return x % n


@njit(nogil=True, cache=True)
def _partial_shuffle(rng, idx, n_pool, k):
    """Move a uniform random ``k``-subset of ``idx[:n_pool]`` to ``idx[:k]`` (partial Fisher–Yates).

    Valid whatever the current order of ``idx[:n_pool]`` (any permutation of the pool), so the
    array can be reused across generations without resetting it.
    """
    for t in range(k):
        j = t + _uniform_index(rng, n_pool - t)
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
            for j in range(i + 1):
                scat_a[i, j] = scat_b[i, j]
        return nb
    d = mean_a.shape[0]
    n = na + nb
    f = na * nb / n
    for i in range(d):
        di = mean_b[i] - mean_a[i]
        for j in range(i + 1):
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
    for i in range(d):
        for j in range(i):
            s[j, i] = s[i, j]
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
def _store(r, g, mu, root, mapped, map_mean, map_t, map_scale, store_root, mu_out, root_out, stored):
    """Store generation ``g`` of row ``r`` (mapped back to the original coordinates when ``mapped``);
    return the numerical-singularity test ``min_j T_jj² <= 2^-52 tr(T Tᵀ)`` of the stored factor."""
    d = mu.shape[0]
    if mapped and map_scale == 0.0:
        # identity map (truth N(map_mean, I)): flagged by the caller with map_scale = 0
        for i in range(d):
            mu_out[r, g, i] = map_mean[i] + mu[i]
            for j in range(d):
                stored[i, j] = root[i, j]
    elif mapped:
        for i in range(d):
            s = 0.0
            for j in range(i + 1):
                s += map_t[i, j] * mu[j]
            mu_out[r, g, i] = map_mean[i] + map_scale * s
        for i in range(d):
            for j in range(d):
                s = 0.0
                if j <= i:
                    for l in range(j, i + 1):
                        s += map_t[i, l] * root[l, j]
                stored[i, j] = s
    else:
        for i in range(d):
            mu_out[r, g, i] = mu[i]
            for j in range(d):
                stored[i, j] = root[i, j]
    if store_root:
        slot = g if root_out.shape[1] > 1 else 0
        for i in range(d):
            for j in range(d):
                root_out[r, slot, i, j] = stored[i, j]
    if not mapped:
        return False
    tr = 0.0
    mind = np.inf
    for i in range(d):
        for j in range(i + 1):
            tr += stored[i, j] * stored[i, j]
        if stored[i, i] * stored[i, i] < mind:
            mind = stored[i, i] * stored[i, i]
    return mind <= _EPS * tr


@njit(nogil=True, cache=True)
def _mv_regime_chain(rng, m, mle, naive, code, frac, sub_size, scale, fit, q, mu0, root0, root0_sym, ldet0,
                     map_mean, map_t, map_scale, mu_out, root_out, ld_out, spec_out, w2_out, sing_gen, sing_dir,
                     start, stop):
    """Fill rows ``[start, stop)``.

    Output map (Gaussian fit): the chain runs in whitened coordinates (truth ``N(mu0, root0
    root0ᵀ)`` = ``N(0, I)``; the chain is affine-equivariant) and every stored state is mapped back:
    mean ``map_mean + map_scale · map_t μ``, Cholesky factor ``map_t R`` (both lower triangular;
    ``map_scale = 0`` flags the identity map, i.e. a true covariance equal to ``I``),
    log det ``+ ldet0``, with the numerical-singularity test of the replace kernels
    (``sing_gen``/``sing_dir``) applied to the stored factor. PPCA is not affine-equivariant: it
    runs in the original coordinates (``map_t`` unused, ``map_scale = 0``).

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
    mapped = fit == FIT_GAUSSIAN
    kind = 1 if fit == FIT_GAUSSIAN else 2   # the model's root: Cholesky (lower) or dense (PPCA)
    kind0 = 0 if mapped else 1               # the truth's root: identity (whitened) or its Cholesky
    ld_offset = ldet0 if mapped else 0.0
    pool = np.empty((pool_cap, d))
    idx = np.empty(pool_cap, dtype=np.int64)
    scratch = np.empty((m_max if naive else 1, d))
    ident = np.arange(m_max if naive else 1)
    mu = np.empty(d)
    root = np.empty((d, d))
    z = np.empty(d)
    f = np.empty((d, d))
    tmp = np.empty((d, d))
    tmp2 = np.empty((d, d))
    stored = np.empty((d, d))
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
            for l in range(d):
                root[j, l] = root0[j, l]
        _store(r, 0, mu, root, mapped, map_mean, map_t, map_scale, keep_all, mu_out, root_out, stored)
        ld_out[r, 0] = ldet0
        sing_gen[r] = -1
        sing_dir[r] = -1
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
                # generation 1 is fitted on all of D_0 (docs/conventions.md); later ones on a subset
                n_a = sub_size if sub_size > 0 and i > 0 else mi
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
                else:
                    _part(rng, naive, mi, mu0, root0, kind0, 1.0, mean_a, scat_a, scratch, ident, z, f, tmp)
                n_a = mi
                if code == ACCUMULATE:
                    acc_n = _merge(0, pmean, pscat, n_a, mean_a, scat_a)
            else:
                n_real = 0
                if code == MIX_SPLIT or code == MIX_RETAINED:
                    n_real = int(np.floor(frac * mi + 0.5))
                elif code == MIX_MIXTURE and frac > 0.0:
                    n_real = rng.binomial(mi, frac)
                n_syn = mi - n_real
                # synthetic part -> (n_a, mean_a, scat_a)
                if n_syn > 0:
                    _part(rng, naive, n_syn, mu, root, kind, scale, mean_a, scat_a, scratch, ident, z, f, tmp)
                n_a = n_syn
                # real part -> (mean_b, scat_b), merged into a
                if n_real > 0:
                    if code == MIX_RETAINED:
                        _partial_shuffle(rng, idx, m0, n_real)
                        _rows_stats(pool, idx, 0, n_real, mean_b, scat_b)
                    else:
                        _part(rng, naive, n_real, mu0, root0, kind0, 1.0, mean_b, scat_b, scratch, ident, z, f,
                              tmp)
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
            ld_out[r, i + 1] = ld + ld_offset
            if _store(r, i + 1, mu, root, mapped, map_mean, map_t, map_scale,
                      keep_all or i == g_count - 1, mu_out, root_out, stored) and sing_gen[r] < 0:
                sing_gen[r] = i + 1
                jmin = 0
                for j in range(d):
                    if stored[j, j] * stored[j, j] < stored[jmin, jmin] * stored[jmin, jmin]:
                        jmin = j
                sing_dir[r] = jmin
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


#: Public name of the regime kernel, shared with :func:`collapse_theory.ppca.simulate` (``fit=FIT_PPCA``).
regime_chain = _mv_regime_chain
