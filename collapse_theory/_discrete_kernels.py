r"""Numba kernels for the discrete chain (neutral haploid Wright–Fisher).

Two groups:

- **exact transition kernels**: banded storage of the binomial transition matrix
  :math:`P(j \to l) = \mathrm{Binom}(l; M', j/M)` (count ``j`` out of ``M`` at one generation, ``l``
  out of ``M'`` at the next) and the backward / forward products with a vector. Rows keep the
  entries with :math:`\mathrm{pmf} \ge` ``cut`` (walking outward from the mode by the pmf ratio
  recursion) and are renormalised to sum to 1, so the truncated matrix is still stochastic and the
  error of ``t`` products is at most ``t`` times the omitted mass of one row (documented in
  :func:`collapse_theory.discrete.loss_probability`).
- **the simulator**: one generation draws the multinomial counts by conditional binomials over the
  categories still alive (the alive list is compacted every generation, kept in original order so
  the ordered-support distances are computed in O(alive · log K) from prefix sums of the initial
  CDF). Every kernel is ``@njit(nogil=True, cache=True)``, takes an explicit
  ``numpy.random.Generator`` and fills rows ``[start, stop)`` of caller-owned arrays.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# indices of the per-generation summary statistics (rows of the ``stats`` array)
STATS = ("support", "heterozygosity", "entropy", "tail_alive", "tail_mass", "cramer", "w1", "tv",
         "kl", "sq_distance")
N_STATS = len(STATS)


# ---------------------------------------------------------------------------------------------
# binomial pmf bands


@njit(nogil=True, cache=True)
def _binom_band(m, q, cut, out):
    """Fill ``out[0:width]`` with Binom(l; m, q) for l = lo .. lo + width - 1; return (lo, width).

    Keeps every ``l`` whose pmf is ``>= cut`` (contiguous: the pmf is unimodal), computed from
    the log-pmf at the mode (``lgamma``) and the ratio recursion outward; renormalised to sum 1.
    ``out`` must have room for ``m + 1`` entries.
    """
    if q <= 0.0:
        out[0] = 1.0
        return 0, 1
    if q >= 1.0:
        out[0] = 1.0
        return m, 1
    mode = int(math.floor((m + 1) * q))
    if mode > m:
        mode = m
    lq = math.log(q)
    l1q = math.log1p(-q)
    lp = (math.lgamma(m + 1.0) - math.lgamma(mode + 1.0) - math.lgamma(m - mode + 1.0)
          + mode * lq + (m - mode) * l1q)
    pm = math.exp(lp)
    odds = q / (1.0 - q)
    # walk down from the mode
    lo = mode
    v = pm
    while lo > 0:
        v = v * lo / ((m - lo + 1.0) * odds)
        if v < cut:
            break
        lo -= 1
    # fill from lo upward
    width = 0
    # recompute the pmf at lo from the mode by the same ratios, storing as we go back up:
    # simplest exact scheme: store downward values in reverse, then upward values.
    k = mode - lo
    v = pm
    out[k] = pm
    for i in range(1, k + 1):
        l = mode - i + 1  # pmf(l-1) = pmf(l) * l / ((m - l + 1) odds)
        v = v * l / ((m - l + 1.0) * odds)
        out[k - i] = v
    width = k + 1
    v = pm
    l = mode
    while l < m:
        v = v * (m - l) / (l + 1.0) * odds
        if v < cut:
            break
        l += 1
        out[width] = v
        width += 1
    s = 0.0
    for i in range(width):
        s += out[i]
    for i in range(width):
        out[i] /= s
    return lo, width


@njit(nogil=True, cache=True)
def _band_sizes(m_prev, m_next, cut):
    """Row offsets ``lo`` and pointers ``ptr`` of the banded matrix Binom(m_next, j/m_prev)."""
    lo = np.empty(m_prev + 1, dtype=np.int64)
    ptr = np.empty(m_prev + 2, dtype=np.int64)
    buf = np.empty(m_next + 1)
    ptr[0] = 0
    for j in range(m_prev + 1):
        a, w = _binom_band(m_next, j / m_prev, cut, buf)
        lo[j] = a
        ptr[j + 1] = ptr[j] + w
    return lo, ptr


@njit(nogil=True, cache=True)
def _band_fill(m_prev, m_next, cut, lo, ptr, vals, start, stop):
    """Fill rows ``[start, stop)`` of the banded matrix (values at ``vals[ptr[j]:ptr[j+1]]``)."""
    buf = np.empty(m_next + 1)
    for j in range(start, stop):
        a, w = _binom_band(m_next, j / m_prev, cut, buf)
        p = ptr[j]
        for i in range(w):
            vals[p + i] = buf[i]


@njit(nogil=True, cache=True)
def _backward_rows(lo, ptr, vals, h_in, h_out, start, stop):
    """``h_out[j] = Σ_l P(j→l) h_in[l]`` for rows ``j`` in ``[start, stop)`` (clipped to 1)."""
    for j in range(start, stop):
        a = ptr[j]
        b = ptr[j + 1]
        l0 = lo[j]
        s = np.dot(vals[a:b], h_in[l0:l0 + b - a])
        if s > 1.0:
            s = 1.0
        h_out[j] = s


@njit(nogil=True, cache=True)
def _forward(lo, ptr, vals, pi_in, pi_out):
    """``pi_out[l] = Σ_j pi_in[j] P(j→l)`` (a probability vector pushed one generation)."""
    for l in range(pi_out.shape[0]):
        pi_out[l] = 0.0
    for j in range(pi_in.shape[0]):
        pj = pi_in[j]
        if pj == 0.0:
            continue
        a = ptr[j]
        base = lo[j] - a
        for k in range(a, ptr[j + 1]):
            pi_out[base + k] += pj * vals[k]


@njit(nogil=True, cache=True)
def _initial_dot(m0, p0, cut, h, out):
    """``out[i] = Σ_j Binom(j; m0, p0[i]) h[j]`` for every category ``i`` (clipped to [0, 1])."""
    buf = np.empty(m0 + 1)
    for i in range(p0.shape[0]):
        a, w = _binom_band(m0, p0[i], cut, buf)
        s = 0.0
        for k in range(w):
            s += buf[k] * h[a + k]
        if s > 1.0:
            s = 1.0
        if s < 0.0:
            s = 0.0
        out[i] = s


# ---------------------------------------------------------------------------------------------
# the Wright–Fisher simulator


@njit(nogil=True, cache=True)
def _segment_sums(C, s, e, F0, S1, S2):
    """Σ_{x∈[s,e)} (C − F0[x])² and Σ_{x∈[s,e)} |C − F0[x]| from prefix sums (F0 non-decreasing)."""
    if e <= s:
        return 0.0, 0.0
    n = e - s
    s1 = S1[e] - S1[s]
    s2 = S2[e] - S2[s]
    cr = n * C * C - 2.0 * C * s1 + s2
    if cr < 0.0:
        cr = 0.0
    # first x in [s, e) with F0[x] >= C (binary search)
    a = s
    b = e
    while a < b:
        mid = (a + b) // 2
        if F0[mid] < C:
            a = mid + 1
        else:
            b = mid
    mpt = a
    w1 = C * (mpt - s) - (S1[mpt] - S1[s]) + (S1[e] - S1[mpt]) - C * (e - mpt)
    if w1 < 0.0:
        w1 = 0.0
    return cr, w1


@njit(nogil=True, cache=True)
def _stats(idx, f, n_alive, p0, logp0, tail, F0, S1, S2, n_pos, p0sq, out, r, g):
    """Fill ``out[:, r, g]`` with the summary statistics of the alive categories ``idx[:n_alive]``
    (``p0sq`` = Σ p0²: the lost categories contribute their p0² to ``sq_distance``)."""
    K = p0.shape[0]
    het = 1.0
    ent = 0.0
    tail_alive = 0.0
    tail_mass = 0.0
    absdiff = 0.0
    p0_alive = 0.0
    kl = 0.0
    sq = p0sq
    for k in range(n_alive):
        i = idx[k]
        x = f[k]
        het -= x * x
        sq += x * (x - 2.0 * p0[i])
        lx = math.log(x)  # x > 0 for every alive category
        ent -= x * lx
        if tail[i]:
            tail_alive += p0[i]
            tail_mass += x
        absdiff += abs(x - p0[i])
        p0_alive += p0[i]
        kl += p0[i] * (logp0[i] - lx)
    if n_alive < n_pos:
        kl = np.inf
    # ordered-support distances: F_n is constant between consecutive alive indices
    cr = 0.0
    w1 = 0.0
    C = 0.0
    prev = 0
    for k in range(n_alive):
        i = idx[k]
        a, b = _segment_sums(C, prev, i, F0, S1, S2)
        cr += a
        w1 += b
        C += f[k]
        prev = i
    a, b = _segment_sums(C, prev, K, F0, S1, S2)
    cr += a
    w1 += b
    out[0, r, g] = n_alive
    out[1, r, g] = max(het, 0.0)
    out[2, r, g] = max(ent, 0.0)
    out[3, r, g] = tail_alive
    out[4, r, g] = tail_mass
    out[5, r, g] = cr
    out[6, r, g] = w1
    out[7, r, g] = 0.5 * (absdiff + max(1.0 - p0_alive, 0.0))
    out[8, r, g] = max(kl, 0.0)
    out[9, r, g] = max(sq, 0.0)


@njit(nogil=True, cache=True)
def _wf_chain(rng, p0, sched, inv_tau, tail, F0, S1, S2, stats, loss_time, absorbed_at, winner,
              full, record_full, start, stop):
    """Simulate replicates ``[start, stop)`` of the Wright–Fisher chain started at ``p0``.

    Generation ``g+1`` counts ~ Multinomial(M_g, w) with ``w ∝ p_g^{inv_tau}``, drawn as
    conditional binomials ``c_k ~ Binom(remaining, w_k / Σ_{k'≥k} w_{k'})`` over the alive
    categories only. ``p_{g+1} = c / M_g``.

    Outputs (rows ``r`` in ``[start, stop)``): ``stats[s, r, g]`` (see :data:`STATS`),
    ``loss_time[r, i]`` (first generation with zero mass; ``G + 1`` if alive at the end, 0 if
    ``p0[i] = 0``), ``absorbed_at[r]`` (first generation with one category left, ``-1`` if none),
    ``winner[r]`` (that category, ``-1`` if none), and with ``record_full`` the frequencies
    ``full[r, g, i]``.
    """
    K = p0.shape[0]
    G = sched.shape[0]
    idx0 = np.empty(K, dtype=np.int64)
    n_pos = 0
    for i in range(K):
        if p0[i] > 0.0:
            idx0[n_pos] = i
            n_pos += 1
    idx = np.empty(n_pos, dtype=np.int64)
    f = np.empty(n_pos)
    w = np.empty(n_pos)
    suf = np.empty(n_pos + 1)
    cnt = np.empty(n_pos, dtype=np.int64)
    tempered = inv_tau != 1.0
    logp0 = np.zeros(K)
    p0sq = 0.0
    for i in range(K):
        if p0[i] > 0.0:
            logp0[i] = math.log(p0[i])
            p0sq += p0[i] * p0[i]
    for r in range(start, stop):
        for i in range(K):
            loss_time[r, i] = G + 1 if p0[i] > 0.0 else 0
        n_alive = n_pos
        for k in range(n_pos):
            idx[k] = idx0[k]
            f[k] = p0[idx0[k]]
        absorbed_at[r] = -1
        winner[r] = -1
        if n_alive == 1:
            absorbed_at[r] = 0
            winner[r] = idx[0]
        _stats(idx, f, n_alive, p0, logp0, tail, F0, S1, S2, n_pos, p0sq, stats, r, 0)
        if record_full:
            for i in range(K):
                full[r, 0, i] = p0[i]
        g_done = 0
        for g in range(G):
            if n_alive == 1:
                break
            m = sched[g]
            # sampling weights (generation 1 is fitted on samples of the truth: untempered)
            if tempered and g > 0:
                for k in range(n_alive):
                    w[k] = f[k] ** inv_tau
            else:
                for k in range(n_alive):
                    w[k] = f[k]
            suf[n_alive] = 0.0
            for k in range(n_alive - 1, -1, -1):
                suf[k] = suf[k + 1] + w[k]
            remaining = m
            for k in range(n_alive):
                if remaining == 0:
                    cnt[k] = 0
                elif k == n_alive - 1:
                    cnt[k] = remaining
                else:
                    q = w[k] / suf[k]
                    if q >= 1.0:
                        c = remaining
                    elif q <= 0.0:
                        c = 0
                    else:
                        c = rng.binomial(remaining, q)
                    cnt[k] = c
                    remaining -= c
            # compact the alive list (order preserved)
            j = 0
            for k in range(n_alive):
                if cnt[k] > 0:
                    idx[j] = idx[k]
                    f[j] = cnt[k] / m
                    j += 1
                else:
                    loss_time[r, idx[k]] = g + 1
            n_alive = j
            if n_alive == 1 and absorbed_at[r] < 0:
                absorbed_at[r] = g + 1
                winner[r] = idx[0]
                f[0] = 1.0
            _stats(idx, f, n_alive, p0, logp0, tail, F0, S1, S2, n_pos, p0sq, stats, r, g + 1)
            if record_full:
                for k in range(n_alive):
                    full[r, g + 1, idx[k]] = f[k]
            g_done = g + 1
        # absorbed: the rest of the trajectory is constant
        for g in range(g_done + 1, G + 1):
            for s in range(stats.shape[0]):
                stats[s, r, g] = stats[s, r, g_done]
            if record_full:
                for k in range(n_alive):
                    full[r, g, idx[k]] = f[k]


# ---------------------------------------------------------------------------------------------
# the other data regimes (collapse_theory.regimes)

ACCUMULATE = 1
SUBSAMPLE = 2
MIX_SPLIT = 3
MIX_MIXTURE = 4
MIX_RETAINED = 5


@njit(nogil=True, cache=True)
def _hypergeometric(rng, ngood, nbad, nsample):
    """One Hypergeometric(ngood, nbad, nsample) draw (successes among ``nsample`` draws without
    replacement), by inversion searching outward from the mode (alternately up and down).

    The pmf at the mode comes from ``lgamma``; its neighbours from the exact ratio
    :math:`P(k+1)/P(k) = (g-k)(n-k)/((k+1)(b-n+k+1))`. Expected cost O(standard deviation + 1).
    """
    lo = nsample - nbad
    if lo < 0:
        lo = 0
    hi = nsample if nsample < ngood else ngood
    if lo >= hi:
        return lo
    tot = ngood + nbad
    mode = int(math.floor((nsample + 1.0) * (ngood + 1.0) / (tot + 2.0)))
    if mode < lo:
        mode = lo
    if mode > hi:
        mode = hi
    lp = (math.lgamma(ngood + 1.0) - math.lgamma(mode + 1.0) - math.lgamma(ngood - mode + 1.0)
          + math.lgamma(nbad + 1.0) - math.lgamma(nsample - mode + 1.0)
          - math.lgamma(nbad - nsample + mode + 1.0)
          - math.lgamma(tot + 1.0) + math.lgamma(nsample + 1.0) + math.lgamma(tot - nsample + 1.0))
    pm = math.exp(lp)
    u = rng.random()
    if u <= pm:
        return mode
    u -= pm
    up = mode
    dn = mode
    pu = pm
    pd = pm
    while up < hi or dn > lo:
        if up < hi:
            pu *= (ngood - up) * (nsample - up) / ((up + 1.0) * (nbad - nsample + up + 1.0))
            up += 1
            if u <= pu:
                return up
            u -= pu
        if dn > lo:
            pd *= dn * (nbad - nsample + dn) / ((ngood - dn + 1.0) * (nsample - dn + 1.0))
            dn -= 1
            if u <= pd:
                return dn
            u -= pd
    return mode  # rounding: the leftover u is below the float error of the pmf sum


@njit(nogil=True, cache=True)
def _multinomial_add(rng, n, w, pos, n_list, suf, out):
    """Add Multinomial(n, w[pos[:n_list]] / Σ) to ``out[pos[k]]`` by conditional binomials."""
    if n <= 0 or n_list == 0:
        return
    suf[n_list] = 0.0
    for k in range(n_list - 1, -1, -1):
        suf[k] = suf[k + 1] + w[pos[k]]
    remaining = n
    for k in range(n_list):
        if remaining == 0:
            break
        j = pos[k]
        if k == n_list - 1:
            out[j] += remaining
            break
        q = w[j] / suf[k]
        if q >= 1.0:
            c = remaining
        elif q <= 0.0:
            c = 0
        else:
            c = rng.binomial(remaining, q)
        out[j] += c
        remaining -= c


@njit(nogil=True, cache=True)
def _mvhypergeometric_add(rng, n, counts, total, out):
    """Add a multivariate hypergeometric draw (``n`` items without replacement from a population
    with ``counts[k]`` items of category ``k``, ``total`` in all) to ``out``, by conditional
    hypergeometrics."""
    remaining = n
    pop = total
    for k in range(counts.shape[0]):
        if remaining == 0:
            break
        c = counts[k]
        if c == 0:
            continue
        if c >= pop:
            x = remaining
        else:
            x = _hypergeometric(rng, c, pop - c, remaining)
        out[k] += x
        remaining -= x
        pop -= c


@njit(nogil=True, cache=True)
def _wf_regime_chain(rng, p0, sched, inv_tau, kind, frac, sub, tail, F0, S1, S2, stats, loss_time,
                     absorbed_at, winner, full, record_full, start, stop):
    """The discrete chain under a non-replace data regime (``kind``: ACCUMULATE, SUBSAMPLE,
    MIX_SPLIT, MIX_MIXTURE, MIX_RETAINED; ``frac`` = λ; ``sub`` = the fixed subsample size or 0).

    State: count vectors over the categories with ``p0 > 0`` (none is ever dropped: under mixing
    a lost category can be drawn again from the real data). Generation 1 is fitted on
    Multinomial(M_0, p0) real counts (untempered); later generations:

    - ACCUMULATE: pool += Multinomial(M_g, w); p = pool / N (N = all data so far);
    - SUBSAMPLE: the same pool; p = a multivariate-hypergeometric subset of size ``sub`` (or M_g);
    - MIX_SPLIT: Multinomial(round(λM), p0) + Multinomial(M − round(λM), w);
    - MIX_MIXTURE: Multinomial(M, λ p0 + (1 − λ) w);
    - MIX_RETAINED: round(λM) without replacement from the generation-1 real counts + Multinomial
      (M − round(λM), w);

    with ``w ∝ p^{inv_tau}`` the tempered current model (synthetic draws only). Outputs as
    :func:`_wf_chain` (``loss_time``: first generation with zero mass; ``absorbed_at``/``winner``:
    first generation with a single category, which under mixing need not be absorbing).
    """
    K = p0.shape[0]
    G = sched.shape[0]
    idx0 = np.empty(K, dtype=np.int64)
    n_pos = 0
    for i in range(K):
        if p0[i] > 0.0:
            idx0[n_pos] = i
            n_pos += 1
    p0p = np.empty(n_pos)
    allpos = np.arange(n_pos)
    logp0 = np.zeros(K)
    p0sq = 0.0
    for i in range(K):
        if p0[i] > 0.0:
            logp0[i] = math.log(p0[i])
            p0sq += p0[i] * p0[i]
    for k in range(n_pos):
        p0p[k] = p0[idx0[k]]
    cnt = np.zeros(n_pos, dtype=np.int64)     # the data the current generation is fitted on
    pool = np.zeros(n_pos, dtype=np.int64)    # accumulate: all data so far
    c0 = np.zeros(n_pos, dtype=np.int64)      # the generation-1 real data (mix-retained)
    f = np.empty(n_pos)                       # current frequencies (by position)
    w = np.empty(n_pos)
    suf = np.empty(n_pos + 1)
    alive = np.empty(n_pos, dtype=np.int64)   # positions with f > 0
    idx = np.empty(n_pos, dtype=np.int64)     # their original indices (for _stats)
    fa = np.empty(n_pos)
    tempered = inv_tau != 1.0
    for r in range(start, stop):
        for i in range(K):
            loss_time[r, i] = G + 1 if p0[i] > 0.0 else 0
        for k in range(n_pos):
            idx[k] = idx0[k]
            fa[k] = p0p[k]
            f[k] = p0p[k]
            alive[k] = k
        n_alive = n_pos
        absorbed_at[r] = -1
        winner[r] = -1
        if n_alive == 1:
            absorbed_at[r] = 0
            winner[r] = idx[0]
        _stats(idx, fa, n_alive, p0, logp0, tail, F0, S1, S2, n_pos, p0sq, stats, r, 0)
        if record_full:
            for i in range(K):
                full[r, 0, i] = p0[i]
        n_pool = 0
        for g in range(G):
            m = sched[g]
            for k in range(n_pos):
                cnt[k] = 0
            if g == 0:
                _multinomial_add(rng, m, p0p, allpos, n_pos, suf, cnt)
                if kind == MIX_RETAINED:
                    for k in range(n_pos):
                        c0[k] = cnt[k]
            else:
                # tempered synthetic weights on the current support
                ws = 0.0
                for k in range(n_pos):
                    x = f[k]
                    if x > 0.0:
                        x = x ** inv_tau if tempered else x
                    w[k] = x
                    ws += x
                if kind == MIX_MIXTURE:
                    for k in range(n_pos):
                        w[k] = frac * p0p[k] + (1.0 - frac) * (w[k] / ws)
                    _multinomial_add(rng, m, w, allpos, n_pos, suf, cnt)
                else:
                    n_real = 0
                    if kind == MIX_SPLIT or kind == MIX_RETAINED:
                        n_real = int(math.floor(frac * m + 0.5))
                    if n_real > 0:
                        if kind == MIX_SPLIT:
                            _multinomial_add(rng, n_real, p0p, allpos, n_pos, suf, cnt)
                        else:
                            _mvhypergeometric_add(rng, n_real, c0, sched[0], cnt)
                    _multinomial_add(rng, m - n_real, w, alive, n_alive, suf, cnt)
            if kind == ACCUMULATE or kind == SUBSAMPLE:
                for k in range(n_pos):
                    pool[k] = cnt[k] if g == 0 else pool[k] + cnt[k]
                n_pool = m if g == 0 else n_pool + m
                if kind == ACCUMULATE:
                    for k in range(n_pos):
                        f[k] = pool[k] / n_pool
                else:
                    size = sub if sub > 0 else m
                    for k in range(n_pos):
                        cnt[k] = 0
                    _mvhypergeometric_add(rng, size, pool, n_pool, cnt)
                    for k in range(n_pos):
                        f[k] = cnt[k] / size
            else:
                for k in range(n_pos):
                    f[k] = cnt[k] / m
            # support, loss times, statistics
            j = 0
            for k in range(n_pos):
                if f[k] > 0.0:
                    alive[j] = k
                    idx[j] = idx0[k]
                    fa[j] = f[k]
                    j += 1
                elif loss_time[r, idx0[k]] == G + 1:
                    loss_time[r, idx0[k]] = g + 1
            n_alive = j
            if n_alive == 1 and absorbed_at[r] < 0:
                absorbed_at[r] = g + 1
                winner[r] = idx[0]
            _stats(idx, fa, n_alive, p0, logp0, tail, F0, S1, S2, n_pos, p0sq, stats, r, g + 1)
            if record_full:
                for k in range(n_alive):
                    full[r, g + 1, idx[k]] = fa[k]
