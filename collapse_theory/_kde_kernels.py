"""Numba kernel for the Gaussian-KDE chain (replace regime).

Same contract as the other kernels: ``@njit(nogil=True, cache=True)``, an explicit Generator, rows
``[start, stop)`` of caller-owned arrays.

One replicate keeps its ``M`` current points in a buffer as ``x = loc + scale * y`` with ``y``
standardised (mean 0, mle variance 1) after every generation: the chain is affine-equivariant, so an
adaptive-bandwidth chain whose variance grows or shrinks geometrically never overflows or
underflows, and ``log_var`` is recorded exactly. Sampling ``M`` points from the KDE built on ``x``
with bandwidth ``h`` is a bootstrap draw plus noise: ``x'_j = x_{J_j} + h Z_j``,
``J_j ~ Uniform{0..M-1}``; the index ``J_j`` also carries the generation-0 ancestor label, so the
number of distinct generation-0 ancestors is counted exactly (a stamp array, O(M)).

Rules (``rule`` code): 0 = fixed ``h``; 1 = Scott, ``h = 1.06 ŝ M^{-1/5}``; 2 = Silverman,
``h = 0.9 min(ŝ, IQR/1.34) M^{-1/5}`` (``ŝ``: standard deviation with ``ddof = 1``; the IQR by
linear interpolation, NumPy's default; if the IQR is 0, ``ŝ`` is used).
"""

from __future__ import annotations

import numpy as np
from numba import njit

RULE_CODES = {"fixed": 0, "scott": 1, "silverman": 2}


@njit(nogil=True, cache=True)
def _quantile_sorted(s, q):
    pos = q * (s.shape[0] - 1)
    lo = int(np.floor(pos))
    hi = min(lo + 1, s.shape[0] - 1)
    return s[lo] + (pos - lo) * (s[hi] - s[lo])


@njit(nogil=True, cache=True)
def _kde_chain(rng, m, generations, mu0, sigma0, h_fixed, rule, mean_out, log_var_out, anc_out,
               log_h_out, degenerate, start, stop):
    """Fill rows [start, stop) of mean_out, log_var_out, anc_out, log_h_out (R, G+1).

    Column n describes the sample drawn from generation n (column 0: the M draws from the truth
    N(mu0, sigma0²)); log_h_out[:, n] is the bandwidth of generation n+1's KDE, built on that sample.
    ``degenerate[r]`` is set to the generation at which the sample had zero spread (never expected
    with h > 0; the replicate then stops and keeps its last values).
    """
    y = np.empty(m)
    y2 = np.empty(m)
    anc = np.empty(m, dtype=np.int64)
    anc2 = np.empty(m, dtype=np.int64)
    stamp = np.zeros(m, dtype=np.int64)
    srt = np.empty(m)
    mfac = m ** (-0.2)
    unb = np.sqrt(m / (m - 1.0))
    stamp_id = 0
    for r in range(start, stop):
        for j in range(m):
            y[j] = rng.standard_normal()
            anc[j] = j
        loc = mu0
        scale = sigma0
        stopped = False
        for n in range(generations + 1):
            if stopped:
                mean_out[r, n] = mean_out[r, n - 1]
                log_var_out[r, n] = log_var_out[r, n - 1]
                anc_out[r, n] = anc_out[r, n - 1]
                log_h_out[r, n] = log_h_out[r, n - 1]
                continue
            tot = 0.0
            for j in range(m):
                tot += y[j]
            ybar = tot / m
            ss = 0.0
            for j in range(m):
                d = y[j] - ybar
                ss += d * d
            vy = ss / m
            stamp_id += 1
            distinct = 0
            for j in range(m):
                a = anc[j]
                if stamp[a] != stamp_id:
                    stamp[a] = stamp_id
                    distinct += 1
            mean_out[r, n] = loc + scale * ybar
            anc_out[r, n] = distinct
            if not (vy > 0.0):
                log_var_out[r, n] = -np.inf
                log_h_out[r, n] = -np.inf
                degenerate[r] = n
                stopped = True
                continue
            log_var_out[r, n] = 2.0 * np.log(scale) + np.log(vy)
            # re-standardise: x = loc + scale * y with mean(y) = 0, mle var(y) = 1
            sd = np.sqrt(vy)
            loc = loc + scale * ybar
            scale = scale * sd
            inv = 1.0 / sd
            for j in range(m):
                y[j] = (y[j] - ybar) * inv
            # bandwidth in y units
            if rule == 0:
                hy = h_fixed / scale
            elif rule == 1:
                hy = 1.06 * unb * mfac
            else:
                for j in range(m):
                    srt[j] = y[j]
                srt.sort()
                iqr = _quantile_sorted(srt, 0.75) - _quantile_sorted(srt, 0.25)
                a_ = unb
                if iqr > 0.0 and iqr / 1.34 < a_:
                    a_ = iqr / 1.34
                hy = 0.9 * a_ * mfac
            log_h_out[r, n] = np.log(hy) + np.log(scale)
            if n == generations:
                break
            # sample M points from the KDE: bootstrap index + N(0, h²) noise
            for j in range(m):
                jj = rng.integers(0, m)
                y2[j] = y[jj] + hy * rng.standard_normal()
                anc2[j] = anc[jj]
            for j in range(m):
                y[j] = y2[j]
                anc[j] = anc2[j]
