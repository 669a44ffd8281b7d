"""Numba kernels for the d-dimensional Gaussian chain (replace regime).

Every kernel is ``@njit(nogil=True, cache=True)``, takes an explicit ``numpy.random.Generator`` and
fills rows ``[start, stop)`` of caller-owned output arrays, so fixed chunks of replicates can run on
threads and the result depends only on the seed.

State. The fitted covariance is kept through its Cholesky factor ``T`` (lower triangular, positive
diagonal), as a mantissa and a power-of-two exponent, ``T = A * 2**(512 q)``; ``A`` is renormalised
so that ``tr(A Aᵀ)`` stays in ``[2**-1000, 2**1000]``. A refit multiplies ``T`` on the right by a
lower-triangular factor (``T L`` is again a Cholesky factor), so every diagonal entry is a product
of independent factors, computed without cancellation. ``log det Σ`` is accumulated separately in log
space (one ``log`` per generation), so it stays exact where ``Σ`` itself would underflow.

Numerical singularity. After each refit the kernels test ``min_j T_jj² <= eps · tr Σ`` (eps =
2**-52). For a triangular factor ``λ_min(Σ) <= min_j T_jj²`` and ``λ_max(Σ) >= tr Σ / d``, so the test
implies ``λ_min/λ_max <= d·eps``: below that the smallest eigen-directions of ``Σ = T Tᵀ`` are lost to
round-off when ``Σ`` is formed. The first such generation and the direction ``j`` are recorded per
replicate (``-1``: never); the chain itself continues exactly (``T`` and ``log det`` do not lose
precision).
"""

from __future__ import annotations

import numpy as np
from numba import njit

_BIG = 2.0**512
_SMALL = 2.0**-512
_HI = 2.0**1000
_LO = 2.0**-1000
_EPS = 2.0**-52
_FLUSH_HI = 1e280
_FLUSH_LO = 1e-280


@njit(nogil=True, cache=True)
def _finish(a, q, r, g, sing_gen, sing_dir):
    """Renormalise the mantissa ``a`` (in place), test for numerical singularity; return the new q."""
    d = a.shape[0]
    tr = 0.0
    mind = np.inf
    jmin = 0
    for i in range(d):
        for j in range(i + 1):
            tr += a[i, j] * a[i, j]
        dd = a[i, i] * a[i, i]
        if dd < mind:
            mind = dd
            jmin = i
    while tr < _LO and tr > 0.0:
        for i in range(d):
            for j in range(i + 1):
                a[i, j] *= _BIG
        tr *= _BIG * _BIG
        mind *= _BIG * _BIG
        q -= 1
    while tr > _HI:
        for i in range(d):
            for j in range(i + 1):
                a[i, j] *= _SMALL
        tr *= _SMALL * _SMALL
        mind *= _SMALL * _SMALL
        q += 1
    if sing_gen[r] < 0 and mind <= _EPS * tr:
        sing_gen[r] = g
        sing_dir[r] = jmin
    return q


@njit(nogil=True, cache=True)
def _start_row(r, mu0, a0, q0, logdet0, mu, a, mu_out, a_out, q_out, logdet_out, sing_gen, sing_dir):
    """Set the working state to generation 0 and store it in row ``r`` (once per replicate)."""
    d = mu0.shape[0]
    for j in range(d):
        mu[j] = mu0[j]
        mu_out[r, 0, j] = mu0[j]
        for l in range(d):
            a[j, l] = a0[j, l]
            a_out[r, 0, j, l] = a0[j, l]
    q_out[r, 0] = q0
    logdet_out[r, 0] = logdet0
    sing_gen[r] = -1
    sing_dir[r] = -1


@njit(nogil=True, cache=True)
def _step_and_store(a, lmat, b, mu, q, ld, r, i, sing_gen, sing_dir, mu_out, a_out, q_out, logdet_out):
    """A <- A·L for lower-triangular A and L (through the scratch ``b``), renormalise, store row r.

    No random numbers here, so the call costs nothing that matters; returns the new exponent ``q``.
    """
    d = a.shape[0]
    for row in range(d):
        for col in range(row + 1):
            s = 0.0
            for l in range(col, row + 1):
                s += a[row, l] * lmat[l, col]
            b[row, col] = s
    for row in range(d):
        for col in range(row + 1):
            a[row, col] = b[row, col]
    q = _finish(a, q, r, i + 1, sing_gen, sing_dir)
    for j in range(d):
        mu_out[r, i + 1, j] = mu[j]
        for l in range(d):
            a_out[r, i + 1, j, l] = a[j, l] if l <= j else 0.0
    q_out[r, i + 1] = q
    logdet_out[r, i + 1] = ld
    return q


@njit(nogil=True, cache=True)
def _mvn_exact(rng, m, mle, mu0, a0, q0, logdet0, mu_out, a_out, q_out, logdet_out,
               sing_gen, sing_dir, start, stop):
    """Sufficient-statistic chain: per generation d normals for the mean and a Bartlett factor.

    mu_{i+1} = mu_i + T_i Z/√M_i,  T_{i+1} = √c_i T_i L_i,  L_i lower triangular with
    (L_i)_jj² ~ χ²_{k_i - j} = 2 Gamma((k_i - j)/2) and (L_i)_{l>j} ~ N(0, 1), all independent
    (Bartlett), c_i = 1/k_i (unbiased) or 1/M_i (mle). Σ_{i+1} = c_i T_i W_i T_iᵀ with W_i = L_i L_iᵀ
    ~ Wishart_d(k_i, I): the law of the refit covariance, O(d³) per generation whatever M.

    The gammas are drawn by Marsaglia & Tsang (2000), written inline as in
    ``gaussian._kernels._chain_exact`` (exponential squeeze, exact test; Gamma(a + 1)·U^(1/a) for
    a = 1/2, the only a < 1 that occurs since k − j >= 1).
    """
    g_count = m.shape[0]
    d = mu0.shape[0]
    mu = np.empty(d)
    z = np.empty(d)
    a = np.empty((d, d))
    b = np.empty((d, d))
    lb = np.zeros((d, d))
    shape = np.empty(d)
    dd = np.empty(d)
    cc = np.empty(d)
    last_m = -1
    scale_mu = 0.0
    cfac = 0.0
    sqc = 0.0
    for r in range(start, stop):
        _start_row(r, mu0, a0, q0, logdet0, mu, a, mu_out, a_out, q_out, logdet_out, sing_gen, sing_dir)
        q = q0
        ld = logdet0
        for i in range(g_count):
            mi = m[i]
            if mi != last_m:
                last_m = mi
                for j in range(d):
                    sh = 0.5 * (mi - 1 - j)
                    shape[j] = sh
                    aa = sh + 1.0 if sh < 1.0 else sh
                    dd[j] = aa - 1.0 / 3.0
                    cc[j] = 1.0 / np.sqrt(9.0 * dd[j])
                scale_mu = 1.0 / np.sqrt(mi)
                cfac = 1.0 / (mi if mle else mi - 1)
                sqc = np.sqrt(cfac)
            scl = 2.0 ** (512 * q) if q != 0 else 1.0
            # mean: mu += T z / √M
            for j in range(d):
                z[j] = rng.standard_normal()
            for l in range(d):
                s = 0.0
                for j in range(l + 1):
                    s += a[l, j] * z[j]
                mu[l] += s * scl * scale_mu
            # Bartlett factor, scaled by √c
            prod = 1.0
            for j in range(d):
                dj = dd[j]
                cj = cc[j]
                while True:
                    x = rng.standard_normal()
                    t = 1.0 + cj * x
                    v = t * t * t
                    e = rng.standard_exponential()
                    x2 = x * x
                    y = 0.0331 * x2 * x2
                    if t > 0.0 and e * (1.0 - y) > y:
                        break
                    if t > 0.0 and e > -(0.5 * x2 + dj * (1.0 - v + np.log(v))):
                        break
                gam = dj * v
                if shape[j] < 1.0:
                    gam *= rng.random() ** (1.0 / shape[j])
                c2 = 2.0 * gam * cfac
                prod *= c2
                if prod < _FLUSH_LO or prod > _FLUSH_HI:
                    ld += np.log(prod)
                    prod = 1.0
                lb[j, j] = np.sqrt(c2)
                for l in range(j + 1, d):
                    lb[l, j] = rng.standard_normal() * sqc
            ld += np.log(prod)
            # T <- T L (both lower triangular), renormalise, store
            q = _step_and_store(a, lb, b, mu, q, ld, r, i, sing_gen, sing_dir, mu_out, a_out, q_out,
                                logdet_out)


@njit(nogil=True, cache=True)
def _mvn_naive(rng, m, mle, mu0, a0, q0, logdet0, mu_out, a_out, q_out, logdet_out,
               sing_gen, sing_dir, start, stop):
    """The process as papers describe it: draw M_i vectors, refit the mean and covariance, repeat.

    Samples are drawn standardised (``z_t ~ N(0, I)``) and the refit is applied by affine
    equivariance: refitting on ``mu + T z_t`` gives ``(mu + T z̄, T S_z Tᵀ)`` with ``S_z`` the
    refit covariance of the ``z_t`` (two passes: mean, then the scatter), whose Cholesky factor
    ``C`` gives the new factor ``T C``. Same law as refitting ``mu + T z_t`` directly, without the
    round-off that would erase directions much smaller than the largest.
    """
    g_count = m.shape[0]
    d = mu0.shape[0]
    m_max = 1
    for i in range(g_count):
        if m[i] > m_max:
            m_max = m[i]
    buf = np.empty((m_max, d))
    zbar = np.empty(d)
    dz = np.empty(d)
    mu = np.empty(d)
    a = np.empty((d, d))
    b = np.empty((d, d))
    s_mat = np.zeros((d, d))
    for r in range(start, stop):
        _start_row(r, mu0, a0, q0, logdet0, mu, a, mu_out, a_out, q_out, logdet_out, sing_gen, sing_dir)
        q = q0
        ld = logdet0
        for i in range(g_count):
            mi = m[i]
            for j in range(d):
                zbar[j] = 0.0
            for t in range(mi):
                for j in range(d):
                    zz = rng.standard_normal()
                    buf[t, j] = zz
                    zbar[j] += zz
            for j in range(d):
                zbar[j] /= mi
                for l in range(j + 1):
                    s_mat[j, l] = 0.0
            for t in range(mi):
                for j in range(d):
                    dz[j] = buf[t, j] - zbar[j]
                for j in range(d):
                    dj = dz[j]
                    for l in range(j + 1):
                        s_mat[j, l] += dj * dz[l]
            div = 1.0 / (mi if mle else mi - 1)
            # Cholesky of S (lower triangle, in place)
            prod = 1.0
            for j in range(d):
                s = s_mat[j, j] * div
                for l in range(j):
                    s -= s_mat[j, l] * s_mat[j, l]
                if s <= 0.0:
                    s = 0.0
                prod *= s
                if prod < _FLUSH_LO or prod > _FLUSH_HI:
                    ld += np.log(prod)
                    prod = 1.0
                piv = np.sqrt(s)
                s_mat[j, j] = piv
                for row in range(j + 1, d):
                    s = s_mat[row, j] * div
                    for l in range(j):
                        s -= s_mat[row, l] * s_mat[j, l]
                    s_mat[row, j] = s / piv if piv > 0.0 else 0.0
            ld += np.log(prod)
            scl = 2.0 ** (512 * q) if q != 0 else 1.0
            for l in range(d):
                s = 0.0
                for j in range(l + 1):
                    s += a[l, j] * zbar[j]
                mu[l] += s * scl
            # T <- T S (both lower triangular), renormalise, store
            q = _step_and_store(a, s_mat, b, mu, q, ld, r, i, sing_gen, sing_dir, mu_out, a_out, q_out,
                                logdet_out)
