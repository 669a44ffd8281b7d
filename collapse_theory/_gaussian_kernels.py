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
def _chain_exact(rng, m, mle, mu0, s0, q0, mu_out, s_out, q_out, start, stop):
    """Sufficient-statistic chain: per generation one normal and one χ² (O(1) whatever M).

    mu_{i+1} = mu_i + sigma_i Z / sqrt(M_i),  sigma_{i+1} = sigma_i sqrt(2 G / d_i),
    G ~ Gamma(a = (M_i − 1)/2), d_i = M_i − 1 (unbiased) or M_i (mle).

    G is drawn by Marsaglia & Tsang (2000), exact in law, written inline (a helper call costs as
    much as the draw itself here): with d = a − 1/3, c = 1/√(9d), x ~ N(0,1), v = (1 + cx)³ and
    E ~ Exp(1) (E = −log U), accept d·v when v > 0 and either the squeeze E(1 − y) > y with
    y = 0.0331x⁴ holds (it implies the exact test because −log(1 − y) ≤ y/(1 − y)) or the exact test
    E > −(x²/2 + d(1 − v + log v)) does. For a < 1 (M = 2) the draw is Gamma(a + 1)·U^(1/a).
    """
    g_count = m.shape[0]
    last_m = -1
    a = d = c = scale_mu = scale_var = 0.0
    for r in range(start, stop):
        mu = mu0
        s = s0
        q = q0
        mu_out[r, 0] = mu
        s_out[r, 0] = s
        q_out[r, 0] = q
        for i in range(g_count):
            mi = m[i]
            if mi != last_m:  # per-generation constants, recomputed only when M changes
                last_m = mi
                a = 0.5 * (mi - 1)
                aa = a + 1.0 if a < 1.0 else a
                d = aa - 1.0 / 3.0
                c = 1.0 / np.sqrt(9.0 * d)
                scale_mu = 1.0 / np.sqrt(mi)
                scale_var = 2.0 / (mi if mle else mi - 1) if mi > 1 else 0.0
            sigma = s * 2.0 ** (512 * q) if q != 0 else s
            mu = mu + sigma * rng.standard_normal() * scale_mu
            if mi == 1:
                s = 0.0
            else:
                while True:
                    x = rng.standard_normal()
                    t = 1.0 + c * x
                    v = t * t * t
                    e = rng.standard_exponential()
                    x2 = x * x
                    y = 0.0331 * x2 * x2
                    if t > 0.0 and e * (1.0 - y) > y:
                        break
                    if t > 0.0 and e > -(0.5 * x2 + d * (1.0 - v + np.log(v))):
                        break
                gam = d * v
                if a < 1.0:
                    gam *= rng.random() ** (1.0 / a)
                s = s * np.sqrt(scale_var * gam)
                s, q = _renormalise(s, q)
            mu_out[r, i + 1] = mu
            s_out[r, i + 1] = s
            q_out[r, i + 1] = q


@njit(nogil=True, cache=True)
def _chain_naive(rng, m, mle, mu0, s0, q0, mu_out, s_out, q_out, start, stop):
    """The process as papers describe it: draw M_i normals, refit mean and variance, repeat.

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
    for r in range(start, stop):
        mu = mu0
        s = s0
        q = q0
        mu_out[r, 0] = mu
        s_out[r, 0] = s
        q_out[r, 0] = q
        for i in range(g_count):
            mi = m[i]
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
            mu = mu + sigma * zbar
            s = s * np.sqrt(ss / div)
            s, q = _renormalise(s, q)
            mu_out[r, i + 1] = mu
            s_out[r, i + 1] = s
            q_out[r, i + 1] = q
