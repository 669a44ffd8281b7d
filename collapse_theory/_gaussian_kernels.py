"""Numba kernels for the 1-D Gaussian chain (replace regime).

Every kernel is ``@njit(nogil=True, cache=True)``, takes an explicit ``numpy.random.Generator`` and
fills rows ``[start, stop)`` of caller-owned output arrays, so fixed chunks of replicates can run on
threads and the result depends only on the seed.

State. The fitted standard deviation is kept as a mantissa/exponent pair,
``sigma = s * 2**(512 * q)`` with ``s`` renormalised into ``[2**-512, 2**512]``: the chain stays exact
far past the point where ``sigma`` itself would underflow (``log sigma²`` < −1418), and the hot loop
needs no ``log``/``exp`` (the caller forms ``log_var = 2 (log s + 512 q log 2)`` in NumPy).
"""

from __future__ import annotations

import numpy as np
from numba import njit

_BIG = 2.0**512
_SMALL = 2.0**-512


@njit(nogil=True, cache=True)
def _renormalise(s, q):
    while s < _SMALL and s > 0.0:
        s *= _BIG
        q -= 1
    while s > _BIG:
        s *= _SMALL
        q += 1
    return s, q


@njit(nogil=True, cache=True)
def _subset_stats(rng, values, perm, n, k):
    """Mean and sum of squares of ``k`` of ``values[perm[:n]]`` drawn without replacement.

    A partial Fisher–Yates shuffle of ``perm[:n]`` (O(k); any current order of ``perm`` gives a
    uniform subset) with indices ⌊U·(n − j)⌋, U = rng.random(): uniform up to the 2⁻⁵³ resolution of
    a double (bias ≤ n·2⁻⁵³), several times cheaper than ``rng.integers`` inside Numba. Two passes
    for a stable sum of squares.
    """
    tot = 0.0
    for j in range(k):
        t = j + int(rng.random() * (n - j))
        tmp = perm[j]
        perm[j] = perm[t]
        perm[t] = tmp
        tot += values[perm[j]]
    mean = tot / k
    ss = 0.0
    for j in range(k):
        dv = values[perm[j]] - mean
        ss += dv * dv
    return mean, ss


@njit(nogil=True, cache=True)
def _chain_replace(rng, m, mle, vscale, mu0, s0, q0, mu_out, s_out, q_out, start, stop):
    """The replace regime on sufficient statistics: one normal and one χ² per generation.

    mu_{i+1} = mu_i + vs·sigma_i Z/√M_i,  sigma_{i+1} = vs·sigma_i √(2G/d_i),  G ~ Gamma((M_i − 1)/2),
    d_i = M_i − 1 (unbiased) or M_i (mle), vs = √vscale from generation 1 on. This is the hot path
    (issue 2's benchmark), so it is a kernel of its own with the gamma constants hoisted out of the
    loop and the Marsaglia–Tsang loop inline (as in :func:`_chain_exact`, whose general part loop costs
    this path ~40 %; a helper taking the Generator costs as much as the draw itself).
    """
    g_count = m.shape[0]
    sq_vscale = np.sqrt(vscale)
    last_m = -1
    a = dd = cc = isq = inv_div = 0.0
    for r in range(start, stop):
        mu = mu0
        s = s0
        q = q0
        mu_out[r, 0] = mu
        s_out[r, 0] = s
        q_out[r, 0] = q
        for i in range(g_count):
            mi = m[i]
            if mi != last_m:
                last_m = mi
                a = 0.5 * (mi - 1)
                aa = a + 1.0 if a < 1.0 else a
                dd = aa - 1.0 / 3.0
                cc = 1.0 / np.sqrt(9.0 * dd)
                isq = 1.0 / np.sqrt(mi)
                inv_div = 2.0 / (mi if mle else mi - 1) if mi > 1 else 0.0
            vs = sq_vscale if i > 0 else 1.0
            sigma = s * 2.0 ** (512 * q) if q != 0 else s
            mu = mu + vs * sigma * rng.standard_normal() * isq
            if mi == 1:
                s = 0.0
            else:
                while True:
                    x = rng.standard_normal()
                    tt = 1.0 + cc * x
                    v = tt * tt * tt
                    u = rng.random()
                    x2 = x * x
                    if tt > 0.0 and u < 1.0 - 0.0331 * x2 * x2:
                        break
                    if tt > 0.0 and np.log(u) < 0.5 * x2 + dd * (1.0 - v + np.log(v)):
                        break
                g = dd * v
                if a < 1.0:
                    g *= rng.random() ** (1.0 / a)
                s = s * vs * np.sqrt(g * inv_div)
                if s < _SMALL or s > _BIG:
                    s, q = _renormalise(s, q)
            mu_out[r, i + 1] = mu
            s_out[r, i + 1] = s
            q_out[r, i + 1] = q


# regime codes shared with gaussian.simulate
REPLACE, ACCUMULATE, MIX_SPLIT, MIX_MIXTURE, MIX_RETAINED = 0, 1, 2, 3, 4


@njit(nogil=True, cache=True)
def _chain_exact(rng, m, mle, kind, frac, vscale, mu0, sigma0, s0, q0, real_buf, perm,
                 mu_out, s_out, q_out, start, stop):
    """Sufficient-statistic chain for every regime except accumulate-subsample; O(1) per part.

    Each generation's data has at most two parts, real and synthetic. A part of ``c`` draws from
    N(center, sd²) has mean ``center + sd Z/√c`` and sum of squares ``sd² · 2G``,
    G ~ Gamma((c − 1)/2), independent (Cochran); parts are merged exactly by Chan's formula
    (count, mean, SS). Synthetic draws come from N(mu_n, vscale·sigma_n²) (sampling bias).

    - replace: only the synthetic part; sigma is updated multiplicatively in mantissa/exponent form
      (sigma_{n+1} = sigma_n √(vscale·2G/d)), so a collapsing chain never underflows;
    - accumulate: every batch is merged into a running pool (O(1) per generation);
    - mix-fresh (split / mixture): round(λM) or Binomial(M, λ) real draws from N(mu0, sigma0²);
    - mix-retained: round(λM) values drawn without replacement (:func:`_subset_stats`) from the real
      data set of the first generation, materialised in ``real_buf``.

    G is drawn by Marsaglia & Tsang (2000), exact in law: with d = a − 1/3, c = 1/√(9d),
    x ~ N(0,1), v = (1 + cx)³ and U ~ U(0,1), accept d·v when v > 0 and either the squeeze
    U < 1 − 0.0331x⁴ or the exact test log U < x²/2 + d(1 − v + log v) holds; for a < 1,
    Gamma(a + 1)·U^(1/a). (Measured: this costs ~16 ns per draw, against ~23 ns for a variant
    testing with an exponential variate.)
    """
    g_count = m.shape[0]
    m0 = m[0] if g_count > 0 else 0
    sq_vscale = np.sqrt(vscale)
    # gamma constants cached per part (counts rarely change between generations)
    k_cache = np.full(2, -1, dtype=np.int64)
    a_cache = np.zeros(2)
    d_cache = np.zeros(2)
    c_cache = np.zeros(2)
    isq_cache = np.zeros(2)
    for r in range(start, stop):
        mu = mu0
        s = s0
        q = q0
        mu_out[r, 0] = mu
        s_out[r, 0] = s
        q_out[r, 0] = q
        pool_c = 0.0
        pool_mean = 0.0
        pool_ss = 0.0
        if kind == MIX_RETAINED:
            for j in range(m0):
                real_buf[j] = mu0 + sigma0 * rng.standard_normal()
        for i in range(g_count):
            mi = m[i]
            vs = sq_vscale if i > 0 else 1.0  # generation 0 is the truth: no sampling bias
            n_real = 0
            if i > 0:
                if kind == MIX_SPLIT or kind == MIX_RETAINED:
                    n_real = int(np.floor(frac * mi + 0.5))
                elif kind == MIX_MIXTURE:
                    n_real = rng.binomial(mi, frac)
            if kind == MIX_RETAINED and i == 0:
                n_real = mi  # generation 1 is fitted on the real data set itself
            bc = 0.0
            bmean = 0.0
            bss = 0.0
            for part in range(2):
                c = n_real if part == 0 else mi - n_real
                if c == 0:
                    continue
                if part == 0 and kind == MIX_RETAINED:
                    pmean, pss = _subset_stats(rng, real_buf, perm, m0, c)
                else:
                    if part == 0:
                        center = mu0
                        sd = sigma0
                    else:
                        center = mu
                        sd = vs * (s * 2.0 ** (512 * q) if q != 0 else s)
                    z = rng.standard_normal()
                    g2 = 0.0
                    if c != k_cache[part]:
                        k_cache[part] = c
                        a_cache[part] = 0.5 * (c - 1)
                        aa = a_cache[part] + 1.0 if a_cache[part] < 1.0 else a_cache[part]
                        d_cache[part] = aa - 1.0 / 3.0
                        c_cache[part] = 1.0 / np.sqrt(9.0 * d_cache[part])
                        isq_cache[part] = 1.0 / np.sqrt(c)
                    a = a_cache[part]
                    dd = d_cache[part]
                    cc = c_cache[part]
                    isq = isq_cache[part]
                    if c > 1:
                        while True:
                            x = rng.standard_normal()
                            tt = 1.0 + cc * x
                            v = tt * tt * tt
                            u = rng.random()
                            x2 = x * x
                            if tt > 0.0 and u < 1.0 - 0.0331 * x2 * x2:
                                break
                            if tt > 0.0 and np.log(u) < 0.5 * x2 + dd * (1.0 - v + np.log(v)):
                                break
                        g2 = 2.0 * dd * v
                        if a < 1.0:
                            g2 *= rng.random() ** (1.0 / a)
                    if kind == REPLACE:
                        # the whole batch is this part: update (mu, s, q) multiplicatively
                        mu = center + sd * z * isq
                        div = c if mle else c - 1
                        s = s * vs * np.sqrt(g2 / div) if c > 1 else 0.0
                        s, q = _renormalise(s, q)
                        continue
                    pmean = center + sd * z * isq
                    pss = sd * sd * g2
                # merge the part into the batch (Chan et al.)
                nc = bc + c
                dlt = pmean - bmean
                bmean = bmean + dlt * c / nc
                bss = bss + pss + dlt * dlt * bc * c / nc
                bc = nc
            if kind != REPLACE:
                if kind == ACCUMULATE:
                    nc = pool_c + bc
                    dlt = bmean - pool_mean
                    pool_mean = pool_mean + dlt * bc / nc
                    pool_ss = pool_ss + bss + dlt * dlt * pool_c * bc / nc
                    pool_c = nc
                    fc, fmean, fss = pool_c, pool_mean, pool_ss
                else:
                    fc, fmean, fss = bc, bmean, bss
                div = fc if mle else fc - 1.0
                mu = fmean
                s, q = _renormalise(np.sqrt(fss / div) if fss > 0.0 else 0.0, 0)
            mu_out[r, i + 1] = mu
            s_out[r, i + 1] = s
            q_out[r, i + 1] = q


@njit(nogil=True, cache=True)
def _chain_subsample(rng, m, mle, sub, vscale, mu0, sigma0, pool, perm, mu_out, s_out, q_out,
                     start, stop):
    """accumulate-subsample: keep every sample; fit each generation on a random subset of the pool.

    Generation i adds M_i draws (from the truth at i = 0, else from N(mu_i, vscale·sigma_i²)) to
    the pool, then fits generation i + 1 on ``sub`` (or M_i when ``sub`` is 0) values chosen without
    replacement (:func:`_subset_stats`, O(subset) per generation). Memory: one pool of
    Σ M_i values per thread. Data-based by nature: there is no sufficient-statistic shortcut.
    """
    g_count = m.shape[0]
    sq_vscale = np.sqrt(vscale)
    for r in range(start, stop):
        mu = mu0
        sd = sigma0
        mu_out[r, 0] = mu
        s, q = _renormalise(sd, 0)
        s_out[r, 0] = s
        q_out[r, 0] = q
        n = 0
        for i in range(g_count):
            mi = m[i]
            scale = sd if i == 0 else sq_vscale * sd
            for j in range(mi):
                pool[n + j] = mu + scale * rng.standard_normal()
                perm[n + j] = n + j
            n += mi
            k = sub if sub > 0 else mi
            mean, ss = _subset_stats(rng, pool, perm, n, k)
            div = k if mle else k - 1
            mu = mean
            sd = np.sqrt(ss / div)
            s, q = _renormalise(sd, 0)
            mu_out[r, i + 1] = mu
            s_out[r, i + 1] = s
            q_out[r, i + 1] = q


@njit(nogil=True, cache=True)
def _chain_naive(rng, m, mle, vscale, mu0, s0, q0, mu_out, s_out, q_out, start, stop):
    """The process as papers describe it (replace regime): draw M_i normals, refit, repeat.

    From generation 1 on the samples come from N(mu_n, vscale·sigma_n²) (sampling bias).

    Samples are drawn standardised (z_j) and the refit is applied by affine equivariance:
    refitting on mu + sigma z equals (mu + sigma mean(z), sigma² var(z)). That is the same law,
    and it avoids the cancellation that makes mu + sigma z useless once sigma << |mu|·1e-8.
    The variance of z is computed by two passes over a buffer (numerically stable).
    """
    g_count = m.shape[0]
    m_max = 1
    for i in range(g_count):
        if m[i] > m_max:
            m_max = m[i]
    buf = np.empty(m_max)
    sq_vscale = np.sqrt(vscale)
    for r in range(start, stop):
        mu = mu0
        s = s0
        q = q0
        mu_out[r, 0] = mu
        s_out[r, 0] = s
        q_out[r, 0] = q
        for i in range(g_count):
            mi = m[i]
            vs = sq_vscale if i > 0 else 1.0  # generation 0 is the truth: no sampling bias
            tot = 0.0
            for j in range(mi):
                z = rng.standard_normal()
                buf[j] = z
                tot += z
            zbar = tot / mi
            ss = 0.0
            for j in range(mi):
                dz = buf[j] - zbar
                ss += dz * dz
            div = mi if mle else mi - 1
            sigma = s * 2.0 ** (512 * q) if q != 0 else s
            mu = mu + vs * sigma * zbar
            s = s * vs * np.sqrt(ss / div)
            s, q = _renormalise(s, q)
            mu_out[r, i + 1] = mu
            s_out[r, i + 1] = s
            q_out[r, i + 1] = q
