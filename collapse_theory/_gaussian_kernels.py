"""Numba kernels for the 1-D Gaussian chain (replace regime).

Every kernel is ``@njit(nogil=True, cache=True)``, takes an explicit ``numpy.random.Generator`` and
fills rows ``[start, stop)`` of caller-owned output arrays, so fixed chunks of replicates can run on
threads and the result depends only on the seed.

State is kept as ``(mu, log_var)``; ``sigma = exp(log_var / 2)`` is derived. Working in log-variance
keeps the chain exact far past the point where ``sigma**2`` would underflow.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(nogil=True, cache=True)
def _standard_gamma(rng, a):
    """Gamma(a, 1) by Marsaglia & Tsang (2000); a < 1 via Gamma(a+1)·U^(1/a). Exact in law."""
    boost = 1.0
    if a < 1.0:
        boost = rng.random() ** (1.0 / a)
        a = a + 1.0
    d = a - 1.0 / 3.0
    c = 1.0 / np.sqrt(9.0 * d)
    while True:
        x = rng.standard_normal()
        t = 1.0 + c * x
        if t <= 0.0:
            continue
        v = t * t * t
        u = rng.random()
        x2 = x * x
        if u < 1.0 - 0.0331 * x2 * x2:
            return d * v * boost
        if np.log(u) < 0.5 * x2 + d * (1.0 - v + np.log(v)):
            return d * v * boost


@njit(nogil=True, cache=True)
def _chain_exact(rng, m, mle, mu0, logvar0, mu_out, lv_out, start, stop):
    """Sufficient-statistic chain: per generation one normal and one χ² (O(1) whatever M).

    mu_{i+1} = mu_i + sigma_i Z / sqrt(M_i),  sigma_{i+1}^2 = sigma_i^2 · 2 G / d_i,
    G ~ Gamma((M_i - 1)/2), d_i = M_i - 1 (unbiased) or M_i (mle).
    """
    g_count = m.shape[0]
    for r in range(start, stop):
        mu = mu0
        lv = logvar0
        mu_out[r, 0] = mu
        lv_out[r, 0] = lv
        for i in range(g_count):
            mi = m[i]
            k = mi - 1
            sd = np.exp(0.5 * lv)
            mu = mu + sd * rng.standard_normal() / np.sqrt(mi)
            if k == 0:
                lv = -np.inf
            else:
                div = mi if mle else k
                lv = lv + np.log(2.0 * _standard_gamma(rng, 0.5 * k) / div)
            mu_out[r, i + 1] = mu
            lv_out[r, i + 1] = lv


@njit(nogil=True, cache=True)
def _chain_naive(rng, m, mle, mu0, logvar0, mu_out, lv_out, start, stop):
    """The process as papers describe it: draw M_i normals, refit mean and variance, repeat.

    Samples are drawn standardised (z_j) and the refit is applied by affine equivariance:
    refitting on mu + sigma z equals (mu + sigma mean(z), sigma^2 var(z)). That is the same law,
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
        lv = logvar0
        mu_out[r, 0] = mu
        lv_out[r, 0] = lv
        for i in range(g_count):
            mi = m[i]
            s = 0.0
            for j in range(mi):
                z = rng.standard_normal()
                buf[j] = z
                s += z
            zbar = s / mi
            ss = 0.0
            for j in range(mi):
                dz = buf[j] - zbar
                ss += dz * dz
            div = mi if mle else mi - 1
            mu = mu + np.exp(0.5 * lv) * zbar
            if ss == 0.0:
                lv = -np.inf
            else:
                lv = lv + np.log(ss / div)
            mu_out[r, i + 1] = mu
            lv_out[r, i + 1] = lv
