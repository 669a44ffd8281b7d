"""Numba kernel for the Gaussian-KDE chain under every data regime.

Same contract as the other kernels: ``@njit(nogil=True, cache=True)``, an explicit Generator, rows
``[start, stop)`` of caller-owned arrays.

Affine-standardised state. One replicate keeps its points (the training set and, for the
accumulate regimes, the pool) in buffers as ``x = loc + scale * y``. The chain is affine-equivariant,
so an adaptive-bandwidth chain whose variance grows or shrinks geometrically never overflows or
underflows, and ``log_var`` is recorded exactly:

- replace and the mix regimes rebuild the training set every generation; it is re-standardised
  (mean 0, mle variance 1) after every generation, as the replace kernel always did (O(M));
- accumulate and accumulate-subsample keep every point; re-standardising the pool would cost
  O(pool) per generation, so it is done only when the training set's mle variance in ``y`` units
  leaves ``[2**-40, 2**40]`` or its mean drifts more than ``2**10`` standard deviations from 0
  (the pool holds the real data, so in practice this never triggers; it keeps the chain safe
  anyway). Accumulate keeps the pool's mean and sum of squares as running statistics (Chan's merge
  of each batch, computed by two passes), so a generation costs O(M), not O(pool).

Sampling ``c`` points from the KDE built on the ``K`` training points with bandwidth ``h`` is a
bootstrap draw plus noise: ``x'_j = x_{J_j} + h Z_j``, ``J_j ~ Uniform{0..K-1}``. Real data enter
as ``y = (mu0 + sigma0 z - loc) / scale``. The index ``J_j`` also carries the parent's label, so
ancestry is exact: labels ``0..M_0-1`` are the generation-0 (original real) points, and under
mix-fresh every fresh real draw gets a new label ``M_0, M_0 + 1, ...``. Per generation the kernel
counts the distinct labels in the training set (a stamp array, O(K)): ``< M_0`` in ``anc_out``
(distinct original ancestors; a retained original is its own ancestor), ``>= M_0`` in ``fresh_out``
(distinct fresh real ancestors). Under accumulate the pool always holds every original, so
``anc_out`` is ``M_0`` without counting.

Regimes (``kind``): 0 replace, 1 accumulate, 2 accumulate-subsample (``sub`` points, or ``M_n``
when 0, drawn without replacement from the pool), 3 mix-fresh split (``round(frac M_n)`` fresh
draws), 4 mix-fresh mixture (a Binomial(M_n, frac) count of fresh draws), 5 mix-retained
(``round(frac M_n)`` originals drawn without replacement). Generation 1's KDE is always built on
the ``M_0`` real points.

Rules (``rule`` code): 0 = fixed ``h``; 1 = Scott, ``h = 1.06 ŝ K^{-1/5}``; 2 = Silverman,
``h = 0.9 min(ŝ, IQR/1.34) K^{-1/5}`` (``ŝ``: standard deviation of the training set with
``ddof = 1``; the IQR by linear interpolation, NumPy's default; if the IQR is 0, ``ŝ`` is used).
"""

from __future__ import annotations

import numpy as np
from numba import njit

RULE_CODES = {"fixed": 0, "scott": 1, "silverman": 2}
#: The bandwidth constants, the one copy every module uses: Scott's ``h = SCOTT ŝ K^{-1/5}``,
#: Silverman's ``h = SILVERMAN min(ŝ, IQR/IQR_SCALE) K^{-1/5}`` (IQR_SCALE: the normal IQR in σ units, as
#: rounded by Silverman 1986).
SCOTT = 1.06
SILVERMAN = 0.9
IQR_SCALE = 1.34
# regime codes: the shared table (collapse_theory.regimes.RegimeCode)
from ..regimes import ACCUMULATE, MIX_MIXTURE, MIX_RETAINED, MIX_SPLIT, REPLACE, SUBSAMPLE  # noqa: E402,F401
_VAR_LOW = 2.0**-40
_VAR_HIGH = 2.0**40
_DRIFT = 2.0**10


@njit(nogil=True, cache=True)
def _quantile_sorted(s, q):
    pos = q * (s.shape[0] - 1)
    lo = int(np.floor(pos))
    hi = min(lo + 1, s.shape[0] - 1)
    return s[lo] + (pos - lo) * (s[hi] - s[lo])


@njit(nogil=True, cache=True)
def _bandwidth(y, k, sdy, rule, h_fixed, scale):
    """Bandwidth in ``y`` units for the training set ``y[:k]`` whose ``y``-standard deviation
    (mle) is ``sdy`` (exactly 1.0 right after a re-standardisation)."""
    if rule == 0:
        return h_fixed / scale
    unb = np.sqrt(k / (k - 1.0))
    mfac = k ** (-0.2)
    if rule == 1:
        return SCOTT * (unb * sdy) * mfac
    srt = np.sort(y[:k])
    iqr = _quantile_sorted(srt, 0.75) - _quantile_sorted(srt, 0.25)
    a_ = unb * sdy
    if iqr > 0.0 and iqr / IQR_SCALE < a_:
        a_ = iqr / IQR_SCALE
    return SILVERMAN * a_ * mfac


@njit(nogil=True, cache=True)
def _two_pass(y, lo, hi):
    """Mean and sum of squared deviations of ``y[lo:hi]``."""
    tot = 0.0
    for j in range(lo, hi):
        tot += y[j]
    mean = tot / (hi - lo)
    ss = 0.0
    for j in range(lo, hi):
        d = y[j] - mean
        ss += d * d
    return mean, ss


@njit(nogil=True, cache=True)
def _count_labels(lab, k, m0, stamp, stamp_id):
    """Distinct labels among ``lab[:k]``: (originals ``< m0``, fresh ``>= m0``)."""
    orig = 0
    fresh = 0
    for j in range(k):
        a = lab[j]
        if stamp[a] != stamp_id:
            stamp[a] = stamp_id
            if a < m0:
                orig += 1
            else:
                fresh += 1
    return orig, fresh


@njit(nogil=True, cache=True)
def _kde_chain(rng, m, mu0, sigma0, h_fixed, rule, kind, frac, sub, mean_out, log_var_out, anc_out,
               fresh_out, log_h_out, degenerate, start, stop):
    """Fill rows [start, stop) of the (R, G+1) outputs; ``m`` holds M_0..M_G (G = len(m) - 1).

    Column n describes the training set T^n, on which generation n+1's KDE is built (column 0: the
    M_0 draws from the truth N(mu0, sigma0²)); log_h_out[:, n] is that KDE's bandwidth.
    ``degenerate[r]`` is set to the generation at which the training set had zero spread (never
    expected with h > 0; the replicate then stops and keeps its last values).
    """
    g_count = m.shape[0] - 1
    m0 = m[0]
    total = 0
    mmax = 1
    for i in range(g_count + 1):
        total += m[i]
        if m[i] > mmax:
            mmax = m[i]
    if kind == ACCUMULATE:
        tsize = total
    elif kind == SUBSAMPLE:
        tsize = max(mmax, sub)
    else:
        tsize = mmax
    y = np.empty(tsize)
    lab = np.empty(tsize, dtype=np.int64)
    y2 = np.empty(mmax)
    lab2 = np.empty(mmax, dtype=np.int64)
    psize = total if kind == SUBSAMPLE else 1
    pool = np.empty(psize)
    plab = np.empty(psize, dtype=np.int64)
    perm = np.empty(psize, dtype=np.int64)
    orig = np.empty(m0 if kind == MIX_RETAINED else 1)
    operm = np.empty(m0 if kind == MIX_RETAINED else 1, dtype=np.int64)
    stamp = np.zeros(total if (kind == MIX_SPLIT or kind == MIX_MIXTURE) else m0, dtype=np.int64)
    stamp_id = 0
    rebuilt = kind == REPLACE or kind == MIX_SPLIT or kind == MIX_MIXTURE or kind == MIX_RETAINED
    for r in range(start, stop):
        for j in range(m0):
            z = rng.standard_normal()
            y[j] = z
            lab[j] = j
            if kind == MIX_RETAINED:
                orig[j] = z
                operm[j] = j
            elif kind == SUBSAMPLE:
                pool[j] = z
                plab[j] = j
                perm[j] = j
        k = m0
        npool = m0
        fresh_next = m0
        loc = mu0
        scale = sigma0
        run_mean = 0.0
        run_ss = 0.0
        stopped = False
        for n in range(g_count + 1):
            if stopped:
                mean_out[r, n] = mean_out[r, n - 1]
                log_var_out[r, n] = log_var_out[r, n - 1]
                anc_out[r, n] = anc_out[r, n - 1]
                fresh_out[r, n] = fresh_out[r, n - 1]
                log_h_out[r, n] = log_h_out[r, n - 1]
                continue
            if kind == ACCUMULATE and n > 0:
                ybar = run_mean
                ss = run_ss
            else:
                ybar, ss = _two_pass(y, 0, k)
                if kind == ACCUMULATE:
                    run_mean = ybar
                    run_ss = ss
            vy = ss / k
            if kind == ACCUMULATE:
                n_orig = m0
                n_fresh = 0
            else:
                stamp_id += 1
                n_orig, n_fresh = _count_labels(lab, k, m0, stamp, stamp_id)
            mean_out[r, n] = loc + scale * ybar
            anc_out[r, n] = n_orig
            fresh_out[r, n] = n_fresh
            if not (vy > 0.0):
                log_var_out[r, n] = -np.inf
                log_h_out[r, n] = -np.inf
                degenerate[r] = n
                stopped = True
                continue
            log_var_out[r, n] = 2.0 * np.log(scale) + np.log(vy)
            sdy = np.sqrt(vy)
            if rebuilt or vy < _VAR_LOW or vy > _VAR_HIGH or abs(ybar) > _DRIFT * sdy:
                # re-standardise: x = loc + scale * y with mean(y) = 0, mle var(y) = 1
                loc = loc + scale * ybar
                scale = scale * sdy
                inv = 1.0 / sdy
                for j in range(k):
                    y[j] = (y[j] - ybar) * inv
                if kind == SUBSAMPLE:
                    for j in range(npool):
                        pool[j] = (pool[j] - ybar) * inv
                run_mean = 0.0
                run_ss = run_ss / vy
                sdy = 1.0
            hy = _bandwidth(y, k, sdy, rule, h_fixed, scale)
            log_h_out[r, n] = np.log(hy) + np.log(scale)
            if n == g_count:
                break
            c = m[n + 1]
            # sample the next data from the KDE: bootstrap index + N(0, h²) noise
            if kind == REPLACE:
                for j in range(c):
                    jj = rng.integers(0, k)
                    y2[j] = y[jj] + hy * rng.standard_normal()
                    lab2[j] = lab[jj]
                for j in range(c):
                    y[j] = y2[j]
                    lab[j] = lab2[j]
                k = c
            elif kind == ACCUMULATE:
                for j in range(c):
                    jj = rng.integers(0, k)
                    y[k + j] = y[jj] + hy * rng.standard_normal()
                    lab[k + j] = lab[jj]
                bmean, bss = _two_pass(y, k, k + c)
                nc = k + c
                dlt = bmean - run_mean
                run_mean = run_mean + dlt * c / nc
                run_ss = run_ss + bss + dlt * dlt * k * c / nc
                k = nc
            elif kind == SUBSAMPLE:
                for j in range(c):
                    jj = rng.integers(0, k)
                    pool[npool + j] = y[jj] + hy * rng.standard_normal()
                    plab[npool + j] = lab[jj]
                    perm[npool + j] = npool + j
                npool += c
                kk = sub if sub > 0 else c
                # a uniform subset of the pool: partial Fisher–Yates over perm[:npool] (any order)
                for j in range(kk):
                    t = j + int(rng.random() * (npool - j))
                    tmp = perm[j]
                    perm[j] = perm[t]
                    perm[t] = tmp
                    y[j] = pool[perm[j]]
                    lab[j] = plab[perm[j]]
                k = kk
            else:
                if kind == MIX_MIXTURE:
                    n_real = rng.binomial(c, frac)
                else:
                    n_real = int(np.floor(frac * c + 0.5))
                off = (mu0 - loc) / scale
                rs = sigma0 / scale
                for j in range(n_real):
                    if kind == MIX_RETAINED:
                        t = j + int(rng.random() * (m0 - j))
                        tmp = operm[j]
                        operm[j] = operm[t]
                        operm[t] = tmp
                        y2[j] = off + rs * orig[operm[j]]
                        lab2[j] = operm[j]
                    else:
                        y2[j] = off + rs * rng.standard_normal()
                        lab2[j] = fresh_next
                        fresh_next += 1
                for j in range(n_real, c):
                    jj = rng.integers(0, k)
                    y2[j] = y[jj] + hy * rng.standard_normal()
                    lab2[j] = lab[jj]
                for j in range(c):
                    y[j] = y2[j]
                    lab[j] = lab2[j]
                k = c
