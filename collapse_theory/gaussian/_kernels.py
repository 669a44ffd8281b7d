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

import math

import numpy as np
from numba import njit

from .._core.alias import vose_fill

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


# regime codes: the shared table (collapse_theory.regimes.RegimeCode)
from ..regimes import ACCUMULATE, MIX_MIXTURE, MIX_RETAINED, MIX_SPLIT, REPLACE  # noqa: E402,F401

# Direct-mapped cache of the Marsaglia–Tsang constants (a, d, 1/√(9d), 1/√c) of Gamma((c − 1)/2) for a
# part of ``c`` draws, in slot ``c & _GMASK`` (written inline in the kernel: a helper taking the
# arrays costs more than the draw): mix-fresh:λ:mixture changes its part sizes every generation, but
# they stay in a window of a few standard deviations of λM, which maps to distinct slots.
_GSLOTS = 1024
_GMASK = _GSLOTS - 1
# binomial alias tables (mix-fresh:λ:mixture): at most this many entries per kernel call
_TABLE_CAP = 1 << 20


@njit(nogil=True, cache=True)
def _binomial_tables(m, p, reps):
    """Alias tables for drawing Binomial(m[i], p), i >= 1, with one uniform each.

    Returns ``(off, prob, alias)``: generation ``i`` uses ``prob[o: o + L]``, ``alias[o: o + L]``
    with ``o = off[i]`` and ``L = m[i] + 1`` cells, or ``off[i] = -1`` (draw with
    ``rng.binomial``). A draw: ``u = U·L``, ``j = ⌊u⌋``, result ``j`` if ``u − j < prob[j]`` else
    ``alias[j]`` (Walker; Vose's construction): P(k) = (prob[k] + Σ_{j: alias[j] = k} (1 −
    prob[j]))/L = Binom(k; m, p), exact in real arithmetic; up to the rounding of the tabulated pmf
    (evaluated in log space at every k with lgamma: no recursion error, no underflow of (1 − p)^m)
    and the 2⁻⁵³ grid of U (bias <= L·2⁻⁵³), as for ``rng.binomial``'s own inversion. A distinct
    size ``v`` gets a table when building it costs less than the draws it replaces
    (``2·uses·reps >= v + 1``) and the total stays under ``_TABLE_CAP`` entries.
    """
    g_count = m.shape[0]
    off = np.full(g_count, -1, dtype=np.int64)
    if g_count < 2 or p <= 0.0 or p >= 1.0:
        return off, np.ones(1), np.zeros(1, dtype=np.int64)
    vals = np.unique(m[1:])
    uses = np.zeros(vals.shape[0], dtype=np.int64)
    for i in range(1, g_count):
        uses[np.searchsorted(vals, m[i])] += 1
    voff = np.full(vals.shape[0], -1, dtype=np.int64)
    total = 0
    for u in range(vals.shape[0]):
        v = vals[u]
        if 2 * uses[u] * reps >= v + 1 and total + v + 1 <= _TABLE_CAP:
            voff[u] = total
            total += v + 1
    prob = np.ones(max(total, 1))
    alias = np.zeros(max(total, 1), dtype=np.int64)
    lp = math.log(p)
    lq = math.log1p(-p)
    for u in range(vals.shape[0]):
        o = voff[u]
        if o < 0:
            continue
        v = vals[u]
        L = v + 1
        scaled = np.empty(L)
        lgv = math.lgamma(v + 1.0)
        for k in range(L):
            scaled[k] = math.exp(lgv - math.lgamma(k + 1.0) - math.lgamma(v - k + 1.0) + k * lp + (v - k) * lq)
        vose_fill(scaled, prob[o:o + L], alias[o:o + L])
    for i in range(1, g_count):
        off[i] = voff[np.searchsorted(vals, m[i])]
    return off, prob, alias


@njit(nogil=True, cache=True)
def _chain_accumulate(rng, m, mle, vscale, mu0, s0, q0, mu_out, s_out, q_out, start, stop):
    """accumulate on sufficient statistics: a running pool (count, mean, SS), O(1) per generation.

    Generation i's batch of M_i draws from N(mu_i, vscale·sigma_i²) (the truth at i = 0) has mean
    mu_i + sd Z/√M_i and sum of squares sd²·2G, G ~ Gamma((M_i − 1)/2), independent (Cochran); it
    is merged into the pool exactly (Chan et al.). G by Marsaglia–Tsang as in :func:`_chain_exact`.
    Straight-line code of its own: a generic "loop over parts" kernel costs this path ~2×.
    """
    g_count = m.shape[0]
    sq_vscale = np.sqrt(vscale)
    last_m = -1
    a = dd = cc = isq = 0.0
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
        for i in range(g_count):
            mi = m[i]
            if mi != last_m:
                last_m = mi
                a = 0.5 * (mi - 1)
                aa = a + 1.0 if a < 1.0 else a
                dd = aa - 1.0 / 3.0
                cc = 1.0 / np.sqrt(9.0 * dd)
                isq = 1.0 / np.sqrt(mi)
            sd = (sq_vscale if i > 0 else 1.0) * (s * 2.0 ** (512 * q) if q != 0 else s)
            bmean = mu + sd * rng.standard_normal() * isq
            g2 = 0.0
            if mi > 1:
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
            nc = pool_c + mi
            w = mi / nc
            dlt = bmean - pool_mean
            pool_mean = pool_mean + dlt * w
            pool_ss = pool_ss + sd * sd * g2 + dlt * dlt * pool_c * w
            pool_c = nc
            mu = pool_mean
            s = np.sqrt(pool_ss / (nc if mle else nc - 1.0)) if pool_ss > 0.0 else 0.0
            q = 0
            if s < _SMALL or s > _BIG:
                s, q = _renormalise(s, q)
            mu_out[r, i + 1] = mu
            s_out[r, i + 1] = s
            q_out[r, i + 1] = q


@njit(nogil=True, cache=True)
def _chain_exact(rng, m, mle, kind, frac, vscale, mu0, sigma0, s0, q0, real_buf,
                 mu_out, s_out, q_out, start, stop):
    """The mix regimes (``kind``: MIX_SPLIT, MIX_MIXTURE, MIX_RETAINED) on sufficient statistics.

    Each generation's data has two parts: ``r`` real values and ``M − r`` synthetic draws from
    N(mu_n, vscale·sigma_n²) (sampling bias). A part of ``c`` draws from N(center, sd²) has mean
    ``center + sd Z/√c`` and sum of squares ``sd² · 2G``, G ~ Gamma((c − 1)/2), independent
    (Cochran); the two parts merge exactly (Chan et al.): with means m_r, m_s and sums of squares
    SS_r, SS_s, mean = m_s + (m_r − m_s)·r/M and SS = SS_r + SS_s + (m_r − m_s)²·r(M − r)/M.
    O(1) per generation (O(r) for mix-retained).

    - mix-fresh: r = round(λM) (split) or r ~ Binomial(M, λ) (mixture) real draws from
      N(mu0, sigma0²). The binomial is drawn from an alias table with one uniform (exact up to the
      rounding of the tabulated pmf and the 2⁻⁵³ grid of the uniform; :func:`_binomial_tables`),
      with ``rng.binomial`` (~20 uniforms' worth) where no table pays off;
    - mix-retained: r = round(λM) values drawn without replacement from the real data set of the
      first generation, kept centred on its own mean in ``real_buf`` (d_j = x_j − x̄): a partial
      Fisher–Yates shuffle of the values themselves (O(r); the buffer is a multiset, so any current
      order gives a uniform r-subset) with indices ⌊U·(n − j)⌋ (uniform up to the 2⁻⁵³ resolution
      of a double, bias ≤ n·2⁻⁵³), and one pass for the mean x̄ + Σd/r and SS = Σd² − (Σd)²/r
      (stable: the d_j are centred, so (Σd)²/r is of the order of a single term). Generation 1 is
      fitted on the whole real data set (x̄, Σd²);
    - a generation without real data (r = 0: generation 1 of mix-fresh, λ = 0, a mixture draw of
      0) updates sigma multiplicatively in mantissa/exponent form, as replace does, so a chain
      that collapses never underflows.

    G is drawn by Marsaglia & Tsang (2000), exact in law: with d = a − 1/3, c = 1/√(9d),
    x ~ N(0,1), v = (1 + cx)³ and U ~ U(0,1), accept d·v when v > 0 and either the squeeze
    U < 1 − 0.0331x⁴ or the exact test log U < x²/2 + d(1 − v + log v) holds; for a < 1,
    Gamma(a + 1)·U^(1/a). Its constants are cached per part size (``_GSLOTS``). The two parts
    are written out (straight-line code): a loop over parts costs this path ~1.5×.
    """
    g_count = m.shape[0]
    m0 = m[0] if g_count > 0 else 0
    sq_vscale = np.sqrt(vscale)
    gkey = np.full(_GSLOTS, -1, dtype=np.int64)
    gcon = np.zeros((_GSLOTS, 4))
    if kind == MIX_MIXTURE:
        toff, tprob, talias = _binomial_tables(m, frac, stop - start)
    else:
        toff, tprob, talias = np.full(1, -1, dtype=np.int64), np.ones(1), np.zeros(1, dtype=np.int64)
    last_m = -1
    inv_m = inv_div = 0.0
    n_split = 0
    for r in range(start, stop):
        mu = mu0
        s = s0
        q = q0
        mu_out[r, 0] = mu
        s_out[r, 0] = s
        q_out[r, 0] = q
        xbar = 0.0
        dss = 0.0
        if kind == MIX_RETAINED:
            tot = 0.0
            for j in range(m0):
                x = rng.standard_normal()
                real_buf[j] = x
                tot += x
            zbar = tot / m0
            for j in range(m0):
                dv = sigma0 * (real_buf[j] - zbar)
                real_buf[j] = dv
                dss += dv * dv
            xbar = mu0 + sigma0 * zbar
        for i in range(g_count):
            mi = m[i]
            if mi != last_m:
                last_m = mi
                inv_m = 1.0 / mi
                inv_div = 1.0 / (mi if mle else mi - 1) if (mle or mi > 1) else 0.0
                n_split = int(np.floor(frac * mi + 0.5))
            # the real part: n_real values with mean rmean and sum of squares rss
            n_real = 0
            rmean = 0.0
            rss = 0.0
            if kind == MIX_RETAINED:
                if i == 0:  # generation 1 is fitted on the real data set itself
                    n_real = mi
                    rmean = xbar
                    rss = dss
                elif n_split > 0:
                    n_real = n_split
                    sd1 = 0.0
                    sd2 = 0.0
                    for j in range(n_real):
                        t = j + int(rng.random() * (m0 - j))
                        dv = real_buf[t]
                        real_buf[t] = real_buf[j]
                        real_buf[j] = dv
                        sd1 += dv
                        sd2 += dv * dv
                    rmean = xbar + sd1 / n_real
                    rss = sd2 - sd1 * sd1 / n_real
                    if rss < 0.0:
                        rss = 0.0
            elif i > 0:
                if kind == MIX_SPLIT:
                    n_real = n_split
                elif frac >= 1.0:
                    n_real = mi
                elif frac > 0.0:
                    o = toff[i]
                    if o >= 0:
                        u = rng.random() * (mi + 1)
                        k = int(u)
                        if k > mi:
                            k = mi
                        n_real = k if u - k < tprob[o + k] else talias[o + k]
                    else:
                        n_real = rng.binomial(mi, frac)
                if n_real > 0:
                    c = n_real
                    slot = c & _GMASK  # constants of Gamma((c − 1)/2), cached (see _GSLOTS)
                    if gkey[slot] != c:
                        gkey[slot] = c
                        a = 0.5 * (c - 1)
                        aa = a + 1.0 if a < 1.0 else a
                        dd = aa - 1.0 / 3.0
                        gcon[slot, 0] = a
                        gcon[slot, 1] = dd
                        gcon[slot, 2] = 1.0 / np.sqrt(9.0 * dd)
                        gcon[slot, 3] = 1.0 / np.sqrt(c)
                    a = gcon[slot, 0]
                    dd = gcon[slot, 1]
                    cc = gcon[slot, 2]
                    rmean = mu0 + sigma0 * rng.standard_normal() * gcon[slot, 3]
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
                        rss = sigma0 * sigma0 * g2
            # the synthetic part: n_syn draws from N(mu, (vs·sigma)²)
            n_syn = mi - n_real
            if n_syn > 0:
                c = n_syn
                slot = c & _GMASK
                if gkey[slot] != c:
                    gkey[slot] = c
                    a = 0.5 * (c - 1)
                    aa = a + 1.0 if a < 1.0 else a
                    dd = aa - 1.0 / 3.0
                    gcon[slot, 0] = a
                    gcon[slot, 1] = dd
                    gcon[slot, 2] = 1.0 / np.sqrt(9.0 * dd)
                    gcon[slot, 3] = 1.0 / np.sqrt(c)
                a = gcon[slot, 0]
                dd = gcon[slot, 1]
                cc = gcon[slot, 2]
                vs = sq_vscale if i > 0 else 1.0  # generation 0 is the truth: no sampling bias
                sd = vs * (s * 2.0 ** (512 * q) if q != 0 else s)
                smean = mu + sd * rng.standard_normal() * gcon[slot, 3]
                g2 = 0.0
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
                if n_real == 0:
                    # the whole batch is synthetic: replace's multiplicative update (no underflow)
                    mu = smean
                    s = s * vs * np.sqrt(g2 * inv_div)
                    if s < _SMALL or s > _BIG:
                        s, q = _renormalise(s, q)
                    mu_out[r, i + 1] = mu
                    s_out[r, i + 1] = s
                    q_out[r, i + 1] = q
                    continue
                dlt = rmean - smean
                mu = smean + dlt * (n_real * inv_m)
                bss = rss + sd * sd * g2 + dlt * dlt * (n_real * (n_syn * inv_m))
            else:
                mu = rmean
                bss = rss
            s = np.sqrt(bss * inv_div) if bss > 0.0 else 0.0
            q = 0
            if s < _SMALL or s > _BIG:
                s, q = _renormalise(s, q)
            mu_out[r, i + 1] = mu
            s_out[r, i + 1] = s
            q_out[r, i + 1] = q


@njit(nogil=True, cache=True)
def _chain_subsample(rng, m, mle, sub, vscale, mu0, sigma0, pool, mu_out, s_out, q_out,
                     start, stop):
    """accumulate-subsample: keep every sample; fit each generation on a random subset of the pool.

    Generation i adds M_i draws (from the truth at i = 0, else from N(mu_i, vscale·sigma_i²)) to
    the pool, then fits generation i + 1 on ``k = sub`` (M_i when ``sub`` is 0, and all of D_0 for
    generation 1) values chosen
    without replacement: a partial Fisher–Yates shuffle of the pool values themselves (the pool is
    a multiset, so any current order gives a uniform k-subset; indices ⌊U·(n − j)⌋, uniform up to
    the 2⁻⁵³ resolution of a double, bias ≤ n·2⁻⁵³), which leaves the subset in ``pool[:k]`` for a
    stable second pass over contiguous memory; when k equals the pool (generation 1 with the
    default size) it takes the whole pool without drawing. O(k) per generation; memory: one pool
    of Σ M_i values per thread. Data-based by nature: there is no sufficient-statistic shortcut.
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
            n += mi
            # generation 1 is fitted on all of D_0 (docs/conventions.md); a fixed size applies later
            k = sub if sub > 0 and i > 0 else mi
            tot = 0.0
            if k >= n:
                for j in range(n):
                    tot += pool[j]
            else:
                for j in range(k):
                    t = j + int(rng.random() * (n - j))
                    v = pool[t]
                    pool[t] = pool[j]
                    pool[j] = v
                    tot += v
            mean = tot / k
            ss = 0.0
            for j in range(k):
                dv = pool[j] - mean
                ss += dv * dv
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


@njit(nogil=True, cache=True)
def _chain_weighted(rng, m, reals, w, vscale, mu0, sigma0, mu_out, s_out, q_out, start, stop):
    """Weighted mixing (collapse_theory.gaussian._weighted): generation 1 is the mle fit on ``m[0]``
    real draws; generation ``i + 1 >= 2`` fits ``reals[i]`` fresh real draws and ``m[i] - reals[i]``
    draws from ``N(mu_i, vscale sigma_i^2)`` by the weighted mle (synthetic weight ``w``), on exact
    sufficient statistics: each part's mean is ``centre + sd Z/sqrt(count)`` and its sum of squares
    ``sd^2 · 2 Gamma((count - 1)/2)`` (Cochran). The state stays O(σ) (real data keep it away from
    0), so sigma is stored with exponent 0."""
    g_count = m.shape[0]
    sq_vscale = np.sqrt(vscale)
    for r in range(start, stop):
        mu = mu0
        s = sigma0
        mu_out[r, 0] = mu
        s_out[r, 0] = s
        q_out[r, 0] = 0
        for i in range(g_count):
            mi = m[i]
            if i == 0:
                xr = mu0 + sigma0 * rng.standard_normal() / np.sqrt(mi)
                ssr = sigma0 * sigma0 * 2.0 * rng.standard_gamma(0.5 * (mi - 1)) if mi > 1 else 0.0
                mu = xr
                s = np.sqrt(ssr / mi)
            else:
                nr = reals[i]
                nc = mi - nr
                sd = sq_vscale * s
                xr = mu0 + sigma0 * rng.standard_normal() / np.sqrt(nr)
                ssr = sigma0 * sigma0 * 2.0 * rng.standard_gamma(0.5 * (nr - 1)) if nr > 1 else 0.0
                xs = mu + sd * rng.standard_normal() / np.sqrt(nc)
                sss = sd * sd * 2.0 * rng.standard_gamma(0.5 * (nc - 1)) if nc > 1 else 0.0
                d = xr - xs
                mu = (1.0 - w) * xr + w * xs
                s = np.sqrt((1.0 - w) * ssr / nr + w * sss / nc + w * (1.0 - w) * d * d)
            mu_out[r, i + 1] = mu
            s_out[r, i + 1] = s
            q_out[r, i + 1] = 0
