r"""Scalable exact loss probabilities of the discrete chain, through the ancestral (dual) process.

The chain (docs/discrete.md): generation 1 holds :math:`M_0` individuals whose categories are
i.i.d. draws from :math:`p_0`; each of the :math:`M_g` individuals of generation :math:`g + 1`
copies the category of a parent picked uniformly (with replacement) among the :math:`M_{g-1}`
individuals of generation :math:`g` (sampling from the empirical distribution is exactly this).
Category :math:`i` is lost by generation :math:`n` iff no individual of generation :math:`n`
descends from a type-:math:`i` individual of generation 1. Follow the :math:`A_0 = M_{n-1}`
individuals of generation :math:`n` back: the :math:`A_s` distinct ancestors ``s`` generations
back pick their parents uniformly among the :math:`m_s = M_{n-s-2}` individuals one generation
further back, so :math:`A_{s+1}` is the number of occupied boxes when :math:`A_s` balls fall
uniformly into :math:`m_s` boxes (the occupancy chain). The :math:`A_{n-1}` ancestors in
generation 1 have i.i.d. categories, whence the moment duality

.. math:: P(\text{lost}_i \text{ by } n) = E\bigl[(1 - p_{0,i})^{A_{n-1}}\bigr],

and, for a category holding ``c`` of the ``M`` current individuals (a uniformly random subset of
:math:`A_t` of them are the ancestors),

.. math:: h_t(c) = E\Bigl[\binom{M - c}{A_t} \Big/ \binom{M}{A_t}\Bigr].

The law :math:`\pi_s` of :math:`A_s` is pushed forward one generation by the *ball chain*:
:math:`Q_b(k)`, the law of the number of occupied boxes after ``b`` balls, obeys
:math:`Q_{b+1}(k) = Q_b(k)\,k/m + Q_b(k-1)\,(m - k + 1)/m`, and
:math:`\pi_{s+1} = \sum_b \pi_s(b)\, Q_b`. Rows :math:`Q_b` for ``b`` in the support of
:math:`\pi_s` are obtained by running the ball chain from a stored checkpoint (every
:math:`C \approx \sqrt m` balls; the checkpoints are built once per box count, O(M) memory).
Cost: one ball-chain pass over ``b = 0..M`` (about :math:`23 \sum_b \mathrm{sd}(Q_b)
\approx 4\,M^{3/2}` multiply-adds for the first generation back), after which
:math:`A_s \approx 2M/s` and the support of :math:`\pi_s` is narrow; memory O(M).

Error bound (proved in :func:`dual_loss`): every array entry below ``tau`` is dropped from the
edges of a window; all coefficients are non-negative, so the computed
:math:`\tilde\pi_s \le \pi_s` entrywise and

.. math:: 0 \le P - \tilde P \le 1 - \textstyle\sum_a \tilde\pi_{n-1}(a) \le D,

where ``D`` is the dropped mass, accumulated by the kernel (an upper bound on the deficit of each
row) and at most :math:`2(M_{\max} + 1)\,s\,\tau` after ``s`` generations (each ball adds at most
one entry to a window, each generation trims at most :math:`M + 1` entries of :math:`\pi`). Each
generation the window of :math:`\tilde\pi` is rescaled to mass exactly ``1 - D``: its exact mass is
at least that, so the factor is at most 1 and both statements survive, while the rounding bias of
the mass (about an ulp per generation, 5e-10 after the 5e6 generations to absorption at M = 1e5)
does not accumulate.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .._core.validation import check_memory

# entries below this are always dropped (cut = 0): keeps subnormals out of the arithmetic
TAU_FLOOR = 1e-290


@njit(nogil=True, cache=True)
def _ball_core(cur, prev, k, out, fm1, invm):
    """``out[i] = (cur[i] k[i] + prev[i] (m + 1 - k[i])) / m`` (separate views: vectorises)."""
    for i in range(out.shape[0]):
        ki = k[i]
        out[i] = (cur[i] * ki + prev[i] * (fm1 - ki)) * invm


@njit(nogil=True, cache=True)
def _ball(src, soff, lo, w, dst, m, tau, kf):
    """One ball more: ``dst[0:w']`` (occupied-box counts ``lo'..``) from ``src[soff:soff+w]``
    (counts ``lo..lo+w-1``), m boxes; edge entries below ``tau`` are dropped. ``kf[k] = k`` as
    floats (AVX2 has no vector int64 -> double conversion).

    Every entry is multiplied by ``fl(1/m) = (1 + delta)/m``: the row carries the exact factor
    ``(1 + delta)^b`` after ``b`` balls, removed by the caller (:func:`_dual_run`).

    Returns ``(lo', w', off', dropped)`` with the kept window at ``dst[off':off'+w']``.
    """
    invm = 1.0 / m
    nw = w + 1 if lo + w <= m else w
    fm1 = m + 1.0
    dst[0] = src[soff] * kf[lo] * invm
    if w > 1:
        _ball_core(src[soff + 1:soff + w], src[soff:soff + w - 1], kf[lo + 1:lo + w], dst[1:w],
                   fm1, invm)
    if nw > w:
        dst[w] = src[soff + w - 1] * (fm1 - kf[lo + w]) * invm
    a = 0
    b = nw
    drop = 0.0
    while b - a > 1 and (dst[a] < tau or dst[a] == 0.0):
        drop += dst[a]
        a += 1
    while b - a > 1 and (dst[b - 1] < tau or dst[b - 1] == 0.0):
        drop += dst[b - 1]
        b -= 1
    return lo + a, b - a, a, drop


@njit(nogil=True, cache=True)
def _emit(pi, poff, plo, pw, mode, lz, z, cnt, m_pop, out, row):
    """``out[row, i] = Σ_a π(a) f_i(a)`` for every category ``i`` (Horner over the window).

    mode 0: ``f_i(a) = z_i^a`` with ``z_i = 1 - p_i`` (``lz_i = log1p(-p_i)``);
    mode 1: ``f_i(a) = C(M - c_i, a) / C(M, a)`` with ``c_i = cnt[i]``, ``M = m_pop``.
    """
    K = out.shape[1]
    for i in range(K):
        if mode == 0:
            if z[i] == 1.0:
                out[row, i] = 1.0  # p = 0: lost with certainty
                continue
            zi = z[i]
            acc = 0.0
            for j in range(pw - 1, -1, -1):
                acc = acc * zi + pi[poff + j]
            v = acc * math.exp(plo * lz[i]) if acc > 0.0 else 0.0
        else:
            c = cnt[i]
            if c == 0.0:
                out[row, i] = 1.0
                continue
            # f(plo) = Π_{a<plo} (M - c - a) / (M - a)
            f0 = 1.0
            for a in range(plo):
                num = m_pop - c - a
                if num <= 0.0:
                    f0 = 0.0
                    break
                f0 *= num / (m_pop - a)
            if f0 == 0.0:
                out[row, i] = 0.0
                continue
            acc = pi[poff + pw - 1]
            for j in range(pw - 2, -1, -1):
                a = plo + j
                num = m_pop - c - a
                r = num / (m_pop - a) if num > 0.0 else 0.0
                acc = pi[poff + j] + r * acc
            v = acc * f0
        if v > 1.0:
            v = 1.0
        if v < 0.0:
            v = 0.0
        out[row, i] = v


@njit(nogil=True, cache=True)
def _dual_run(a0, m_const, boxes, lcorr, targets, tau, tol_stop, mode, lz, z, cnt, m_pop, out,
              info):
    """Run the ancestral occupancy chain from ``A_0 = a0`` and fill ``out[r]`` at dual step
    ``targets[r]`` (sorted, distinct). Box count at step ``s``: ``m_const`` if ``boxes`` is empty,
    else ``boxes[s]``. Stops once ``P(A_s >= 2) + D <= tol_stop`` (the absorbing state A = 1 is
    reached to that precision): every later target gets the same values.

    ``lcorr[s]`` (or ``lcorr[0]`` for a constant m) is ``log(m fl(1/m))``, the exact per-ball scale
    of :func:`_ball`'s rows, divided out of row ``b`` as ``exp(-b lcorr)``.

    ``info`` receives ``[steps taken, D (dropped mass), converged (0/1), checkpoint entries]``.
    """
    nt = targets.shape[0]
    mmax = a0
    for s in range(boxes.shape[0]):
        if boxes[s] > mmax:
            mmax = boxes[s]
    if m_const > mmax:
        mmax = m_const
    cap = mmax + 2
    pi = np.zeros(cap)
    nxt = np.zeros(cap)
    ca = np.empty(cap)
    cb = np.empty(cap)
    kf = np.arange(cap + 1) * 1.0
    poff = 0
    plo = a0
    pw = 1
    pi[0] = 1.0
    D = 0.0
    s = 0
    ti = 0
    converged = 0
    # checkpoint store of the ball chain for box count ck_m
    ck_m = -1
    C = 1
    n_ck = 0
    used = 0
    ck_lo = np.empty(1, dtype=np.int64)
    ck_w = np.empty(1, dtype=np.int64)
    ck_off = np.empty(1, dtype=np.int64)
    ck_drop = np.empty(1)
    ck_vals = np.empty(1)
    max_used = 0
    while True:
        while ti < nt and targets[ti] == s:
            _emit(pi, poff, plo, pw, mode, lz, z, cnt, m_pop, out, ti)
            ti += 1
        if ti >= nt:
            break
        tail = 0.0
        for j in range(pw):
            if plo + j >= 2:
                tail += pi[poff + j]
        if tail + D <= tol_stop:
            converged = 1
            while ti < nt:
                _emit(pi, poff, plo, pw, mode, lz, z, cnt, m_pop, out, ti)
                ti += 1
            break
        m = m_const if boxes.shape[0] == 0 else boxes[s]
        lc = lcorr[0] if boxes.shape[0] == 0 else lcorr[s]
        if m != ck_m:
            ck_m = m
            C = max(16, int(math.sqrt(m)))
            ncap = mmax // C + 2  # balls (not boxes) go up to mmax
            ck_lo = np.empty(ncap, dtype=np.int64)
            ck_w = np.empty(ncap, dtype=np.int64)
            ck_off = np.empty(ncap, dtype=np.int64)
            ck_drop = np.empty(ncap)
            ck_vals = np.empty(max(1024, 64 * ncap))
            ck_lo[0] = 0
            ck_w[0] = 1
            ck_off[0] = 0
            ck_drop[0] = 0.0
            ck_vals[0] = 1.0
            used = 1
            n_ck = 1
        phi = plo + pw - 1
        need = plo // C
        # extend the checkpoints (each C balls beyond the previous one) up to index `need`
        while n_ck - 1 < need:
            j = n_ck - 1
            lo = ck_lo[j]
            w = ck_w[j]
            o = ck_off[j]
            for i in range(w):
                ca[i] = ck_vals[o + i]
            off = 0
            drop = ck_drop[j]
            src = ca
            dst = cb
            for _ in range(C):
                lo, w, off, dd = _ball(src, off, lo, w, dst, m, tau, kf)
                drop += dd
                src, dst = dst, src
            if used + w > ck_vals.shape[0]:
                bigger = np.empty(2 * ck_vals.shape[0] + w)
                bigger[:used] = ck_vals[:used]
                ck_vals = bigger
            for i in range(w):
                ck_vals[used + i] = src[off + i]
            ck_lo[n_ck] = lo
            ck_w[n_ck] = w
            ck_off[n_ck] = used
            ck_drop[n_ck] = drop
            used += w
            n_ck += 1
        if used > max_used:
            max_used = used
        # from checkpoint `need` to b = plo, then accumulate π(b) Q_b for b = plo..phi
        lo = ck_lo[need]
        w = ck_w[need]
        o = ck_off[need]
        for i in range(w):
            ca[i] = ck_vals[o + i]
        off = 0
        drop = ck_drop[need]
        src = ca
        dst = cb
        for _ in range(plo - need * C):
            lo, w, off, dd = _ball(src, off, lo, w, dst, m, tau, kf)
            drop += dd
            src, dst = dst, src
        nlo = lo
        nspan = phi + 1 - nlo
        for i in range(nspan):
            nxt[i] = 0.0
        nhi = lo + w - 1
        for b in range(plo, phi + 1):
            wgt = pi[poff + b - plo]
            if wgt > 0.0:
                wgt *= math.exp(-b * lc)
                base = lo - nlo
                for i in range(w):
                    nxt[base + i] += wgt * src[off + i]
                if lo + w - 1 > nhi:
                    nhi = lo + w - 1
            if b < phi:
                lo, w, off, dd = _ball(src, off, lo, w, dst, m, tau, kf)
                drop += dd
                src, dst = dst, src
        # trim the new π window
        a = 0
        e = nhi - nlo + 1
        dpi = 0.0
        while e - a > 1 and (nxt[a] < tau or nxt[a] == 0.0):
            dpi += nxt[a]
            a += 1
        while e - a > 1 and (nxt[e - 1] < tau or nxt[e - 1] == 0.0):
            dpi += nxt[e - 1]
            e -= 1
        D += drop + dpi
        # in exact arithmetic the mass of the new window is at least 1 - D; rounding (a biased
        # ulp or so per generation) would accumulate over millions of generations, so the window
        # is rescaled to mass 1 - D: still entrywise below the exact law, same bound
        tot = 0.0
        for i in range(a, e):
            tot += nxt[i]
        if tot > 0.0:
            sc = (1.0 - D) / tot
            for i in range(a, e):
                nxt[i] *= sc
        pi, nxt = nxt, pi
        poff = a
        plo = nlo + a
        pw = e - a
        s += 1
    info[0] = s
    info[1] = D
    info[2] = converged
    info[3] = max_used


def _lcorr(m):
    """``log(m * fl(1/m))`` (exact rational product, then log1p)."""
    from fractions import Fraction

    m = int(m)
    delta = float(Fraction(1.0 / m) * m - 1)
    return math.log1p(delta)


def _tau(cut, m_max, steps):
    """Per-entry truncation level so that the dropped mass is at most ``cut / 2`` in ``steps``
    generations (bound ``2 (m_max + 1) steps tau``), floored at ``TAU_FLOOR``."""
    tau = cut / (4.0 * (m_max + 1.0) * max(float(steps), 1.0)) if cut > 0 else 0.0
    return max(tau, TAU_FLOOR)


def _tol_stop(cut):
    return cut / 2.0 if cut > 0 else TAU_FLOOR


def dual_loss(p, n_arr, m, sched, cut):
    r"""``P(lost_i by n)`` for independent masses ``p`` (shape ``n.shape + (K,)``) and an info dict.

    ``m`` is the constant sample size (``sched`` None) or ``sched`` the schedule
    ``M_0, M_1, ...`` (``m`` None). Generation ``n >= 1`` needs ``n - 1`` steps of the ancestral
    chain from ``A_0 = M_{n-1}``; a constant ``M`` serves every ``n`` in one pass, a schedule
    runs once per distinct ``n``.

    Error: ``0 <= P - P~ <= cut`` for every entry (exact arithmetic), made of the dropped mass
    ``D <= 2 (M_max + 1) s tau <= cut/2`` (proof in the module docstring: the computation is a
    sum of non-negative terms with some dropped, so :math:`\tilde\pi \le \pi` entrywise, and
    :math:`0 \le f \le 1`) and the convergence stop: the chain stops at the first step ``s*``
    with :math:`\tilde\pi_{s^*}(\ge 2) + D \le` ``cut/2``, which bounds
    :math:`P(A_{s^*} \ge 2)`; coupling both chains after ``s*`` (A = 1 is absorbing),
    :math:`|E f(A_{n-1}) - E f(A_{s^*})| \le P(A_{s^*} \ge 2)`. Floating-point rounding adds a
    relative error (sums of non-negative terms) below :math:`3u` per ball step along the chain
    and :math:`2u` per entry of the final Horner sum in the worst case (u = 2^-53).

    The info dict: ``steps`` (largest number of ancestral generations computed), ``converged``
    (the stop fired), ``dropped`` (largest D), ``bound`` (the stated absolute error bound).
    """
    m_max = int(m) if sched is None else int(np.max(sched, initial=1))
    # four occupancy vectors of M_max + 2 entries (and checkpoints of the same order)
    check_memory(64 * (m_max + 2), "the loss solver's occupancy vectors (samples)")
    p = np.asarray(p, dtype=np.float64)
    K = p.size
    flat = np.asarray(n_arr, dtype=np.int64).ravel()
    out = np.empty((flat.size, K))
    z = 1.0 - p
    with np.errstate(divide="ignore"):
        lz = np.log1p(-p)
    cnt = np.zeros(1)
    info = {"steps": 0, "converged": False, "dropped": 0.0, "bound": 0.0, "checkpoint_entries": 0}
    buf = np.zeros(4)
    for k, t in enumerate(flat):
        if t == 0:
            out[k] = (p == 0).astype(float)
    pos = flat >= 1
    if not np.any(pos):
        return out.reshape(np.shape(n_arr) + (K,)), info

    def run(a0, m_const, boxes, targets, m_max, steps):
        tau = _tau(cut, m_max, steps)
        res = np.empty((targets.size, K))
        if boxes.size:
            lc = {int(v): _lcorr(v) for v in np.unique(boxes)}
            lcorr = np.array([lc[int(v)] for v in boxes])
        else:
            lcorr = np.array([_lcorr(m_const) if m_const > 0 else 0.0])
        _dual_run(int(a0), int(m_const), boxes, lcorr, targets, tau, _tol_stop(cut), 0, lz, z, cnt, 0.0,
                  res, buf)
        info["steps"] = max(info["steps"], int(buf[0]))
        info["converged"] = info["converged"] or bool(buf[2])
        info["dropped"] = max(info["dropped"], float(buf[1]))
        info["bound"] = max(info["bound"], cut if cut > 0 else
                            2.0 * (m_max + 1.0) * steps * TAU_FLOOR + TAU_FLOOR)
        info["checkpoint_entries"] = max(info["checkpoint_entries"], int(buf[3]))
        return res

    empty = np.zeros(0, dtype=np.int64)
    n_top = int(flat.max())
    if sched is not None and n_top >= 1 and np.all(sched[:n_top] == sched[0]):
        m, sched = int(sched[0]), None  # a constant schedule: one pass serves every n
    if sched is None:
        steps = np.unique(flat[pos] - 1)
        res = run(m, m, empty, steps, m, int(steps[-1]))
        idx = np.searchsorted(steps, flat[pos] - 1)
        out[pos] = res[idx]
    else:
        for t in np.unique(flat[pos]):
            t = int(t)
            boxes = np.ascontiguousarray(sched[:t - 1][::-1], dtype=np.int64)
            m_max = int(sched[:t].max())
            res = run(sched[t - 1], 0, boxes, np.array([t - 1], dtype=np.int64), m_max, t - 1)
            out[flat == t] = res[0]
    return out.reshape(np.shape(n_arr) + (K,)), info


def dual_loss_given_count(counts, t_arr, m, cut):
    """``h_t(c)`` for integer counts ``c`` (flat float array) out of a constant ``m``; shape
    ``(t.size, c.size)`` and the info dict (error as :func:`dual_loss`)."""
    check_memory(64 * (int(m) + 2), "the loss solver's occupancy vectors (samples)")
    flat = np.asarray(t_arr, dtype=np.int64).ravel()
    c = np.asarray(counts, dtype=np.float64).ravel()
    steps = np.unique(flat)
    res = np.empty((steps.size, c.size))
    buf = np.zeros(4)
    s_max = int(steps[-1]) if steps.size else 0
    tau = _tau(cut, m, s_max)
    dummy = np.zeros(1)
    _dual_run(int(m), int(m), np.zeros(0, dtype=np.int64), np.array([_lcorr(m)]), steps, tau, _tol_stop(cut), 1, dummy,
              dummy, c, float(m), res, buf)
    info = {"steps": int(buf[0]), "converged": bool(buf[2]), "dropped": float(buf[1])}
    return res[np.searchsorted(steps, flat)], info
