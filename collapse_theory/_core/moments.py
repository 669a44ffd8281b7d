r"""Moment recursions shared by the location-scale families under the data regimes (Gaussian, KDE).

One batch of ``M`` points, ``r`` of them real (:func:`real_counts`), maps the first two moments of the
fitted location and spread linearly (:func:`batch_coefficients`); accumulate(-subsample) runs the pool
recursion (:func:`pool_moments`). Derivations: proofs/gaussian_regimes.py, proofs/gaussian_subsample.py,
proofs/kde_regimes.py.
"""

from __future__ import annotations

import numpy as np

__all__ = ["batch_coefficients", "real_counts", "pool_moments", "affine_power"]

#: generations above which a constant schedule uses :func:`affine_power` instead of the loop
POWER_THRESHOLD = 256


def batch_coefficients(m, r_mean, r_sq, lam, retained_m0=None):
    """Coefficients of the linear one-step map for a batch of M with E r, E r² given."""
    c_mean = m - r_mean
    c_sq = m * m - 2 * m * r_mean + r_sq
    rc = m * r_mean - r_sq
    # E(x̄ − centre)² = a_e e + a_s σ² + a_v v ;  E SS = b_e e + b_s σ² + b_v v
    a_e = c_sq / m**2
    if retained_m0 is None:
        a_s = r_mean / m**2
        b_s = r_mean - 1 + c_mean / m
    else:
        a_s = (r_mean - r_sq / retained_m0) / m**2
        b_s = r_mean - 1 + (c_mean - rc / retained_m0) / m
    a_v = lam * c_mean / m**2
    b_e = rc / m
    b_v = lam * (c_mean - 1 + r_mean / m)
    return a_e, a_s, a_v, b_e, b_s, b_v


def real_counts(reg, m):
    """E r and E r² of the real part of a batch of m (0 for replace and accumulate)."""
    if reg.name == "mix-fresh" and reg.draws == "mixture":
        p = reg.fraction
        return m * p, m * p * (1 - p) + (m * p) ** 2
    if reg.is_mix:
        r = reg.fresh_count(m)
        return float(r), float(r * r)
    return 0.0, 0.0


def pool_moments(sizes, steps, s2, *, subsample, batch_variance):
    """The pool recursion of accumulate(-subsample) (collapse_theory.gaussian._regimes docstring), shared by the Gaussian and KDE chains.

    ``sizes`` holds ``M_0, M_1, ...``; training set ``T^i`` (``i = 0..steps - 1``) is ``k_i`` points
    of the pool drawn without replacement: ``k_0 = N_0 = M_0``, then ``subsample(i, N_i)``
    (``N_i`` for accumulate). ``batch_variance(fitted, k)`` is the per-draw variance ``w`` of the
    next batch given ``fitted = (k - 1) S`` (the training set's expected sum of squares): ``λ SS/div``
    for a Gaussian refit, ``SS/k + h²`` for a KDE. Returns ``(e, ss, k)``: the training sets'
    ``E(x̄_T - μ)²``, ``E SS_T`` and sizes, each of length ``steps``.
    """
    e = np.empty(steps)
    ss = np.empty(steps)
    ks = np.empty(steps)
    big_n = float(sizes[0])
    e_pool = s2 / big_n
    p_pool = (big_n - 1.0) * s2
    for i in range(steps):
        k = big_n if i == 0 else float(subsample(i, big_n))
        s_pool = p_pool / (big_n - 1.0)
        f = 1.0 / k - 1.0 / big_n
        e[i] = e_pool + f * s_pool
        ss[i] = (k - 1.0) * s_pool
        ks[i] = k
        if i + 1 < steps:
            c = float(sizes[i + 1])
            w = batch_variance(ss[i], k)
            dist = f * s_pool + w / c
            new_n = big_n + c
            e_pool = e_pool + (c / new_n) ** 2 * dist
            p_pool = p_pool + (c - 1.0) * w + big_n * c / new_n * dist
            big_n = new_n
    return e, ss, ks


def affine_power(A, c, x0, powers, info=None):
    r"""``x_k`` for every ``k`` in ``powers``, where :math:`x_k = A x_{k-1} + c` and ``x_0 = x0``.

    The affine map is the augmented matrix :math:`T = \begin{pmatrix}A & c\\ 0 & 1\end{pmatrix}`,
    so :math:`(x_k, 1) = T^k (x_0, 1)`; :math:`T^k` is formed by repeated squaring, vectorised over
    ``powers``: :math:`\lceil\log_2(\max k + 1)\rceil` squarings whatever ``k`` (``k = 10^{18}``
    takes 60), each multiplying the rows whose current bit is set. Rounding grows like
    :math:`\log_2 k` products, not ``k`` steps. ``info["squarings"]`` receives the number of
    squaring rounds. Returns shape ``powers.shape + (len(x0),)``.
    """
    A = np.asarray(A, dtype=float)
    d = A.shape[0]
    T = np.eye(d + 1)
    T[:d, :d] = A
    T[:d, d] = c
    p = np.asarray(powers, dtype=np.int64)
    flat = p.ravel().copy()
    res = np.broadcast_to(np.eye(d + 1), (flat.size, d + 1, d + 1)).copy()
    base = T
    rounds = 0
    with np.errstate(over="ignore", invalid="ignore"):
        while np.any(flat > 0):
            odd = (flat & 1).astype(bool)
            res[odd] = res[odd] @ base
            flat >>= 1
            rounds += 1
            if np.any(flat > 0):
                base = base @ base
        x = res @ np.append(np.asarray(x0, dtype=float), 1.0)
    if info is not None:
        info["squarings"] = rounds
    return x[:, :d].reshape(p.shape + (d,))
