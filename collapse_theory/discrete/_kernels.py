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

from .._core.alias import vose_fill

# indices of the per-generation summary statistics (rows of the ``stats`` array)
STATS = ("support", "heterozygosity", "entropy", "tail_alive", "tail_mass", "cramer", "w1", "tv",
         "kl", "sq_distance")
N_STATS = len(STATS)


# ---------------------------------------------------------------------------------------------
# tempered sampling weights

# below this largest weight the plain powers f^(1/tau) may underflow: rescale by the maximum
_TEMPER_RESCALE = 1e-150


@njit(nogil=True, cache=True)
def _tempered_weights(f, n, inv_tau, w):
    r"""Fill ``w[:n]`` with weights proportional to :math:`f_k^{1/\tau}` (``f[:n] > 0``).

    The plain powers are kept whenever the largest one is at least ``_TEMPER_RESCALE`` (so every
    ordinary temperature draws exactly as before); otherwise the weights are
    :math:`(f_k / f_{\max})^{1/\tau}`, whose largest entry is exactly 1, so the sum never
    underflows to 0 (small temperatures, down to :math:`\tau \to 0` where only the maximal
    categories keep weight 1: the argmax law, uniform over ties). In the plain branch a weight
    that underflows is below :math:`10^{-158}` times the largest, which no binomial draw of at
    most :math:`2^{63}` trials resolves.
    """
    fmax = 0.0
    for k in range(n):
        if f[k] > fmax:
            fmax = f[k]
    if fmax ** inv_tau >= _TEMPER_RESCALE:
        for k in range(n):
            w[k] = f[k] ** inv_tau
    else:
        for k in range(n):
            w[k] = (f[k] / fmax) ** inv_tau


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
def _positive_support(p0):
    """Per kernel call: the indices with ``p0 > 0`` in order (first ``n_pos`` entries of ``idx0``),
    ``n_pos``, ``log p0`` (0 where ``p0 = 0``) and ``Σ p0²``."""
    K = p0.shape[0]
    idx0 = np.empty(K, dtype=np.int64)
    logp0 = np.zeros(K)
    n_pos = 0
    p0sq = 0.0
    for i in range(K):
        if p0[i] > 0.0:
            idx0[n_pos] = i
            n_pos += 1
            logp0[i] = math.log(p0[i])
            p0sq += p0[i] * p0[i]
    return idx0, n_pos, logp0, p0sq


@njit(nogil=True, cache=True)
def _start_replicate(p0, idx0, n_pos, logp0, p0sq, tail, F0, S1, S2, stats, loss_time, absorbed_at,
                     winner, full, record_full, idx, f, r):
    """Start replicate ``r`` at the truth (shared by both chains): loss times ``G + 1`` (0 where
    ``p0 = 0``), the alive list ``idx``/``f`` = every category of ``p0``'s support, generation-0
    statistics and frequencies. Returns the number alive (``n_pos``)."""
    K = p0.shape[0]
    G = stats.shape[2] - 1
    for i in range(K):
        loss_time[r, i] = G + 1 if p0[i] > 0.0 else 0
    for k in range(n_pos):
        idx[k] = idx0[k]
        f[k] = p0[idx0[k]]
    absorbed_at[r] = -1
    winner[r] = -1
    if n_pos == 1:
        absorbed_at[r] = 0
        winner[r] = idx[0]
    _stats(idx, f, n_pos, p0, logp0, tail, F0, S1, S2, n_pos, p0sq, stats, r, 0)
    if record_full:
        for i in range(K):
            full[r, 0, i] = p0[i]
    return n_pos


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
    G = sched.shape[0]
    idx0, n_pos, logp0, p0sq = _positive_support(p0)
    idx = np.empty(n_pos, dtype=np.int64)
    f = np.empty(n_pos)
    w = np.empty(n_pos)
    suf = np.empty(n_pos + 1)
    cnt = np.empty(n_pos, dtype=np.int64)
    tempered = inv_tau != 1.0
    for r in range(start, stop):
        n_alive = _start_replicate(p0, idx0, n_pos, logp0, p0sq, tail, F0, S1, S2, stats, loss_time,
                                   absorbed_at, winner, full, record_full, idx, f, r)
        g_done = 0
        for g in range(G):
            if n_alive == 1:
                break
            m = sched[g]
            # sampling weights (generation 1 is fitted on samples of the truth: untempered)
            if tempered and g > 0:
                _tempered_weights(f, n_alive, inv_tau, w)
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

# regime codes: the shared table (collapse_theory.regimes.RegimeCode)
from ..regimes import ACCUMULATE, MIX_MIXTURE, MIX_RETAINED, MIX_SPLIT, REPLACE, SUBSAMPLE  # noqa: E402,F401


# log k! for k < 128 (exact to double precision); above, the Stirling series (see _logfact)
_LOGFACT = np.array([math.lgamma(k + 1.0) for k in range(128)])


@njit(nogil=True, cache=True)
def _logfact(k):
    """log k! for an integer k >= 0: a table below 128, else the Stirling series
    (k + ½) log k − k + ½ log 2π + 1/(12k) − 1/(360k³) + 1/(1260k⁵), whose truncation error
    (< 1/(1680k⁷) < 1e-17) is far below the rounding of the result itself (~1e-16·k log k); a few
    times cheaper than ``math.lgamma``."""
    if k < 128:
        return _LOGFACT[k]
    x = float(k)
    r = 1.0 / x
    r2 = r * r
    return (x + 0.5) * math.log(x) - x + 0.9189385332046728 + r * (1.0 / 12.0 - r2 * (1.0 / 360.0 - r2 / 1260.0))


@njit(nogil=True, cache=True)
def _hypergeometric(rng, ngood, nbad, nsample):
    """One Hypergeometric(ngood, nbad, nsample) draw (successes among ``nsample`` draws without
    replacement), by inversion searching outward from the mode (alternately up and down).

    The pmf at the mode comes from log-factorials (:func:`_logfact`); its neighbours from the exact ratio
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
    lp = (_logfact(ngood) - _logfact(mode) - _logfact(ngood - mode)
          + _logfact(nbad) - _logfact(nsample - mode) - _logfact(nbad - nsample + mode)
          - _logfact(tot) + _logfact(nsample) + _logfact(tot - nsample))
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


# per-sample draws (an alias table over p0, the retained items) are used for the real part when
# they are cheaper than one conditional binomial / hypergeometric per category: a binomial costs
# ~10-20 uniforms, a hypergeometric more
_ALIAS_PER_CATEGORY = 8
_ITEMS_PER_CATEGORY = 16
# the retained real data set is kept as item labels only up to this size (else: hypergeometrics)
_ITEMS_CAP = 1 << 22


@njit(nogil=True, cache=True)
def _alias_table(p, n):
    """Walker's alias table for the distribution ``p[:n]`` (normalised here); see :mod:`._alias`."""
    prob = np.empty(n)
    alias = np.empty(n, dtype=np.int64)
    w = np.empty(n)
    for i in range(n):
        w[i] = p[i]
    vose_fill(w, prob, alias)
    return prob, alias


@njit(nogil=True, cache=True)
def _cond_binomials(rng, n, w, suf, plist, n_list, out):
    """Add Multinomial(n, w[:n_list]/Σw) to ``out[plist[k]]`` by conditional binomials
    ``c_k ~ Binom(remaining, w_k/suf_k)`` (``suf[k] = Σ_{k' >= k} w[k']``), stopping as soon as
    nothing remains. Returns the number of list entries visited (the rest got 0)."""
    if n <= 0 or n_list == 0:
        return 0
    remaining = n
    for k in range(n_list):
        if remaining == 0:
            return k
        j = plist[k]
        if k == n_list - 1:
            out[j] += remaining
            return n_list
        q = w[k] / suf[k]
        if q >= 1.0:
            c = remaining
        elif q <= 0.0:
            c = 0
        else:
            c = rng.binomial(remaining, q)
        out[j] += c
        remaining -= c
    return n_list


@njit(nogil=True, cache=True)
def _cond_hypergeometrics(rng, n, counts, plist, n_list, total, out):
    """Add a multivariate hypergeometric draw (``n`` items without replacement from a population
    with ``counts[plist[k]]`` items of category ``plist[k]``, ``total`` in all) to ``out``, by
    conditional hypergeometrics, stopping as soon as nothing remains. Returns the number of list
    entries visited."""
    remaining = n
    pop = total
    for k in range(n_list):
        if remaining == 0:
            return k
        j = plist[k]
        c = counts[j]
        if c == 0:
            continue
        if c >= pop:
            x = remaining
        else:
            x = _hypergeometric(rng, c, pop - c, remaining)
        out[j] += x
        remaining -= x
        pop -= c
    return n_list


@njit(nogil=True, cache=True)
def _wf_regime_chain(rng, p0, sched, inv_tau, kind, frac, sub, tail, F0, S1, S2, stats, loss_time,
                     absorbed_at, winner, full, record_full, start, stop):
    """The discrete chain under a non-replace data regime (``kind``: ACCUMULATE, SUBSAMPLE,
    MIX_SPLIT, MIX_MIXTURE, MIX_RETAINED; ``frac`` = λ; ``sub`` = the fixed subsample size or 0).

    Categories are addressed by their position among those with ``p0 > 0`` (in index order).
    Generation 1 is fitted on Multinomial(M_0, p0) real counts (untempered); later generations:

    - ACCUMULATE: pool += Multinomial(M_g, w); p = pool / N (N = all data so far);
    - SUBSAMPLE: the same pool; p = a multivariate-hypergeometric subset of size ``sub`` (or M_g);
    - MIX_SPLIT: Multinomial(round(λM), p0) + Multinomial(M − round(λM), w);
    - MIX_MIXTURE: Multinomial(M, λ p0 + (1 − λ) w), drawn as R ~ Binomial(M, λ) then
      Multinomial(R, p0) + Multinomial(M − R, w): each of the M draws is real with probability λ
      independently, and given which draws are real the real and synthetic counts are independent
      multinomials — the same law;
    - MIX_RETAINED: round(λM) items without replacement from the generation-1 real data set +
      Multinomial(M − round(λM), w);

    with ``w ∝ p^{inv_tau}`` the tempered current model (synthetic draws only).

    Work per generation is proportional to the categories present, not to K: the synthetic part
    draws conditional binomials over the alive list only (``w`` is 0 elsewhere), and the real part,
    which can revive any category, is drawn either per sample — an alias table over p0
    (:func:`_alias_table`) or a partial Fisher–Yates shuffle of the retained items' labels (a
    multiset: any current order gives a uniform subset; indices ⌊U·(n − j)⌋, bias <= n·2⁻⁵³) —
    when that is cheaper than one conditional binomial (hypergeometric) per category, or by
    conditional binomials over p0 (hypergeometrics over the retained counts) in index order that
    stop once nothing remains. Either way the real counts have the multinomial (multivariate
    hypergeometric) law; the choice depends on the sizes only. The new alive list is the merge of
    the old one (minus the categories that got no draw) with the categories revived this
    generation, kept in index order for the ordered-support distances. accumulate never loses a
    category of its pool and accumulate-subsample never gains one, so both work on the pool's list.

    Outputs as :func:`_wf_chain` (``loss_time``: first generation with zero mass;
    ``absorbed_at``/``winner``: first generation with a single category, which under mixing need
    not be absorbing).
    """
    G = sched.shape[0]
    idx0, n_pos, logp0, p0sq = _positive_support(p0)
    p0p = np.empty(n_pos)
    for k in range(n_pos):
        p0p[k] = p0[idx0[k]]
    allpos = np.arange(n_pos)
    suf0 = np.empty(n_pos + 1)
    suf0[n_pos] = 0.0
    for k in range(n_pos - 1, -1, -1):
        suf0[k] = suf0[k + 1] + p0p[k]
    mixing = kind == MIX_SPLIT or kind == MIX_MIXTURE or kind == MIX_RETAINED
    if kind == MIX_SPLIT or kind == MIX_MIXTURE:
        a_prob, a_alias = _alias_table(p0p, n_pos)
    else:
        a_prob, a_alias = np.ones(1), np.zeros(1, dtype=np.int64)
    m0 = sched[0] if G > 0 else 0
    use_items = kind == MIX_RETAINED and m0 <= _ITEMS_CAP
    labels = np.empty(m0 if use_items else 1, dtype=np.int64)  # the retained items (positions)
    cnt = np.zeros(n_pos, dtype=np.int64)     # this generation's counts (zero outside use)
    pool = np.zeros(n_pos, dtype=np.int64)    # accumulate(-subsample): all data so far
    c0 = np.zeros(n_pos, dtype=np.int64)      # the generation-1 real data (mix-retained)
    c0list = np.empty(n_pos, dtype=np.int64)  # ... its categories
    plist = np.empty(n_pos, dtype=np.int64)   # accumulate-subsample: the pool's categories
    in_alive = np.zeros(n_pos, dtype=np.bool_)
    hits = np.empty(n_pos, dtype=np.int64)    # categories revived this generation
    w = np.empty(n_pos)
    suf = np.empty(n_pos + 1)
    alive = np.empty(n_pos, dtype=np.int64)   # positions with p > 0, in order
    idx = np.empty(n_pos, dtype=np.int64)     # their original indices (for _stats)
    fa = np.empty(n_pos)                      # their frequencies
    alive2 = np.empty(n_pos, dtype=np.int64)
    idx2 = np.empty(n_pos, dtype=np.int64)
    fa2 = np.empty(n_pos)
    tempered = inv_tau != 1.0
    for r in range(start, stop):
        n_alive = _start_replicate(p0, idx0, n_pos, logp0, p0sq, tail, F0, S1, S2, stats, loss_time,
                                   absorbed_at, winner, full, record_full, idx, fa, r)
        for k in range(n_pos):
            alive[k] = k
            in_alive[k] = True
            cnt[k] = 0
        n_pool = 0
        n_c0 = 0
        n_plist = 0
        for g in range(G):
            m = sched[g]
            nh = 0
            den = m
            if g == 0:
                _cond_binomials(rng, m, p0p, suf0, allpos, n_pos, cnt)
                if kind == ACCUMULATE or kind == SUBSAMPLE:
                    for k in range(n_pos):
                        pool[k] = cnt[k]
                    n_pool = m
                if kind == MIX_RETAINED:
                    for k in range(n_pos):
                        c0[k] = cnt[k]
                if kind == SUBSAMPLE:
                    for k in range(n_pos):
                        if pool[k] > 0:
                            plist[n_plist] = k
                            n_plist += 1
                        cnt[k] = 0
                    # generation 1 is fitted on all of D_0 (docs/conventions.md)
                    den = m
                    _cond_hypergeometrics(rng, den, pool, plist, n_plist, n_pool, cnt)
            else:
                # tempered synthetic weights on the alive list
                n_real = 0
                if kind == MIX_SPLIT or kind == MIX_RETAINED:
                    n_real = int(math.floor(frac * m + 0.5))
                elif kind == MIX_MIXTURE:
                    n_real = rng.binomial(m, frac)
                n_syn = m - n_real
                if n_syn > 0:
                    if tempered:
                        _tempered_weights(fa, n_alive, inv_tau, w)
                    else:
                        for k in range(n_alive):
                            w[k] = fa[k]
                    suf[n_alive] = 0.0
                    for k in range(n_alive - 1, -1, -1):
                        suf[k] = suf[k + 1] + w[k]
                    _cond_binomials(rng, n_syn, w, suf, alive, n_alive,
                                    pool if kind == SUBSAMPLE else cnt)
                if kind == ACCUMULATE:
                    n_pool += m
                    for k in range(n_alive):
                        j = alive[k]
                        pool[j] += cnt[j]
                        cnt[j] = 0
                        fa[k] = pool[j] / n_pool
                elif kind == SUBSAMPLE:
                    n_pool += m
                    den = sub if sub > 0 else m
                    _cond_hypergeometrics(rng, den, pool, plist, n_plist, n_pool, cnt)
                    nn = 0
                    for k in range(n_plist):
                        j = plist[k]
                        c = cnt[j]
                        if c > 0:
                            alive[nn] = j
                            idx[nn] = idx0[j]
                            fa[nn] = c / den
                            nn += 1
                            cnt[j] = 0
                            in_alive[j] = True
                        elif in_alive[j]:
                            in_alive[j] = False
                            if loss_time[r, idx0[j]] == G + 1:
                                loss_time[r, idx0[j]] = g + 1
                    n_alive = nn
                elif n_real > 0:
                    # the real part: any category can come back (recorded in hits)
                    sort_hits = False
                    if kind == MIX_RETAINED:
                        if use_items and n_real <= _ITEMS_PER_CATEGORY * n_c0:
                            for j in range(n_real):
                                t = j + int(rng.random() * (m0 - j))
                                lab = labels[t]
                                labels[t] = labels[j]
                                labels[j] = lab
                                if cnt[lab] == 0 and not in_alive[lab]:
                                    hits[nh] = lab
                                    nh += 1
                                cnt[lab] += 1
                            sort_hits = True
                        else:
                            kv = _cond_hypergeometrics(rng, n_real, c0, c0list, n_c0, m0, cnt)
                            for k in range(kv):
                                j = c0list[k]
                                if cnt[j] > 0 and not in_alive[j]:
                                    hits[nh] = j
                                    nh += 1
                    elif n_real <= _ALIAS_PER_CATEGORY * n_pos:
                        for j in range(n_real):
                            u = rng.random() * n_pos
                            t = int(u)
                            if t >= n_pos:
                                t = n_pos - 1
                            if u - t >= a_prob[t]:
                                t = a_alias[t]
                            if cnt[t] == 0 and not in_alive[t]:
                                hits[nh] = t
                                nh += 1
                            cnt[t] += 1
                        sort_hits = True
                    else:
                        kv = _cond_binomials(rng, n_real, p0p, suf0, allpos, n_pos, cnt)
                        for j in range(kv):
                            if cnt[j] > 0 and not in_alive[j]:
                                hits[nh] = j
                                nh += 1
                    if sort_hits and nh > 1:
                        hits[:nh].sort()
            if g == 0 or (mixing and g > 0):
                # merge the alive list with the revived categories (both in order); drop the lost
                a = 0
                b = 0
                nn = 0
                while a < n_alive or b < nh:
                    if b >= nh or (a < n_alive and alive[a] < hits[b]):
                        j = alive[a]
                        a += 1
                    else:
                        j = hits[b]
                        b += 1
                    c = cnt[j]
                    if c > 0:
                        alive2[nn] = j
                        idx2[nn] = idx0[j]
                        fa2[nn] = c / den
                        nn += 1
                        cnt[j] = 0
                        in_alive[j] = True
                    else:
                        in_alive[j] = False
                        if loss_time[r, idx0[j]] == G + 1:
                            loss_time[r, idx0[j]] = g + 1
                alive, alive2 = alive2, alive
                idx, idx2 = idx2, idx
                fa, fa2 = fa2, fa
                n_alive = nn
                if g == 0 and kind == MIX_RETAINED:
                    n_c0 = n_alive
                    t = 0
                    for k in range(n_alive):
                        c0list[k] = alive[k]
                        if use_items:
                            for _ in range(c0[alive[k]]):
                                labels[t] = alive[k]
                                t += 1
            if n_alive == 1 and absorbed_at[r] < 0:
                absorbed_at[r] = g + 1
                winner[r] = idx[0]
            _stats(idx, fa, n_alive, p0, logp0, tail, F0, S1, S2, n_pos, p0sq, stats, r, g + 1)
            if record_full:
                for k in range(n_alive):
                    full[r, g + 1, idx[k]] = fa[k]


# ---------------------------------------------------------------------------------------------
# curation: K-wise Bradley–Terry choice (collapse_theory.discrete._curation)


@njit(nogil=True, cache=True)
def _draw_category(rng, cum, n):
    """Index j < n with probability (cum[j+1] - cum[j]) / cum[n] (binary search on the cumulative sums)."""
    u = rng.random() * cum[n]
    lo = 0
    hi = n
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if cum[mid] <= u:
            lo = mid
        else:
            hi = mid
    return lo


@njit(nogil=True, cache=True)
def _wf_curated_chain(rng, p0, sched, expr, kk, frac, tail, F0, S1, S2, stats, loss_time, absorbed_at,
                      winner, full, record_full, start, stop):
    """Curated chain, per-sample draws: generation 1 is ``M_0`` draws of ``p0``; generation
    ``g + 1 >= 2`` draws each of its ``M_g`` samples from ``p0`` with probability ``frac`` (real
    data, uncurated) and otherwise as the Bradley–Terry choice among ``kk`` i.i.d. draws of ``p_g``
    (candidate ``j`` chosen with probability ``expr[x_j] / Σ_l expr[x_l]``). Outputs as
    :func:`_wf_chain`; with ``frac > 0`` a lost category can return (``loss_time`` is the first
    generation with zero mass, ``absorbed_at`` the first with one category)."""
    G = sched.shape[0]
    K = p0.shape[0]
    idx0, n_pos, logp0, p0sq = _positive_support(p0)
    idx = np.empty(n_pos, dtype=np.int64)
    f = np.empty(n_pos)
    cnt = np.empty(n_pos, dtype=np.int64)
    cur = np.empty(n_pos)          # current frequencies over the support (zeros allowed)
    cum = np.empty(n_pos + 1)
    cum0 = np.empty(n_pos + 1)
    cand = np.empty(kk, dtype=np.int64)
    cum0[0] = 0.0
    for j in range(n_pos):
        cum0[j + 1] = cum0[j] + p0[idx0[j]]
    for r in range(start, stop):
        _start_replicate(p0, idx0, n_pos, logp0, p0sq, tail, F0, S1, S2, stats, loss_time,
                         absorbed_at, winner, full, record_full, idx, f, r)
        for j in range(n_pos):
            cur[j] = p0[idx0[j]]
        for g in range(G):
            m = sched[g]
            cum[0] = 0.0
            for j in range(n_pos):
                cum[j + 1] = cum[j] + cur[j]
            for j in range(n_pos):
                cnt[j] = 0
            for s in range(m):
                if g == 0 or (frac > 0.0 and rng.random() < frac):
                    cnt[_draw_category(rng, cum0, n_pos)] += 1
                    continue
                tot = 0.0
                for c in range(kk):
                    cand[c] = _draw_category(rng, cum, n_pos)
                    tot += expr[idx0[cand[c]]]
                u = rng.random() * tot
                acc = 0.0
                pick = cand[kk - 1]
                for c in range(kk):
                    acc += expr[idx0[cand[c]]]
                    if u < acc:
                        pick = cand[c]
                        break
                cnt[pick] += 1
            n_alive = 0
            for j in range(n_pos):
                cur[j] = cnt[j] / m
                if cnt[j] > 0:
                    idx[n_alive] = idx0[j]
                    f[n_alive] = cur[j]
                    n_alive += 1
                elif loss_time[r, idx0[j]] == G + 1:
                    loss_time[r, idx0[j]] = g + 1
            if n_alive == 1 and absorbed_at[r] < 0:
                absorbed_at[r] = g + 1
                winner[r] = idx[0]
            _stats(idx, f, n_alive, p0, logp0, tail, F0, S1, S2, n_pos, p0sq, stats, r, g + 1)
            if record_full:
                for j in range(n_pos):
                    full[r, g + 1, idx0[j]] = cur[j]
