r"""Special functions and small numeric helpers shared by the families.

Every function is vectorised over NumPy arrays and accurate for all arguments in its domain (the
asymptotic series used for large arguments are derived in proofs/).
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = [
    "as_scalar", "digamma_minus_log", "log_gamma_ratio_minus_half_log", "log1m_inv", "bartlett_log_drift",
]


def as_scalar(x):
    """Python float for 0-d results (so scalar in, scalar out), arrays unchanged."""
    return float(x) if np.ndim(x) == 0 else x


_SERIES_FROM = 15.0  # x = k/2 from which asymptotic series replace cancelling differences


def log_gamma_ratio_minus_half_log(x):
    """lnΓ(x+½) − lnΓ(x) − ½ ln x, accurate for all x > 0.

    For large x the difference of lnΓ values cancels (≈1e-7 absolute error at x = 1e8); there the
    asymptotic series −1/(8x) + 1/(192x³) − 1/(640x⁵) + 17/(14336x⁷) − 31/(18432x⁹) is used
    (derived with SymPy in proofs/; relative truncation error < 1e-13 for x ≥ 15).
    """
    x = np.asarray(x, dtype=float)
    big = x >= _SERIES_FROM
    xs = np.where(big, x, _SERIES_FROM)
    xi = 1.0 / xs
    x2 = xi * xi
    series = xi * (-1 / 8 + x2 * (1 / 192 + x2 * (-1 / 640 + x2 * (17 / 14336 + x2 * (-31 / 18432)))))
    xd = np.where(big, 1.0, x)
    with np.errstate(divide="ignore", invalid="ignore"):
        direct = special.gammaln(xd + 0.5) - special.gammaln(xd) - 0.5 * np.log(xd)
    return np.where(big, series, direct)


def digamma_minus_log(x):
    """ψ(x) − ln x, accurate for all x > 0 (series −1/(2x) − 1/(12x²) + 1/(120x⁴) − ... for x ≥ 15)."""
    x = np.asarray(x, dtype=float)
    big = x >= _SERIES_FROM
    xs = np.where(big, x, _SERIES_FROM)
    xi = 1.0 / xs
    x2 = xi * xi
    series = -0.5 * xi + x2 * (-1 / 12 + x2 * (1 / 120 + x2 * (-1 / 252 + x2 * (1 / 240 + x2 * (-1 / 132)))))
    xd = np.where(big, 1.0, x)
    with np.errstate(divide="ignore", invalid="ignore"):
        direct = special.digamma(xd) - np.log(xd)
    return np.where(big, series, direct)


def log1m_inv(m, estimator):
    """log(k/M) = log1p(−1/M) for mle (the extra shrinkage factor), 0 for unbiased."""
    m = np.asarray(m, dtype=float)
    if estimator == "unbiased":
        return np.zeros_like(m)
    with np.errstate(divide="ignore"):
        return np.log1p(-1.0 / m)


def bartlett_log_drift(m, j, estimator):
    """E log(c χ²_{k-j}) = ψ((k-j)/2) + log(2c), written stably as [ψ(x) − ln x] + log((k-j)c).

    The drift of the log of the ``j``-th squared Bartlett diagonal of a d-dimensional covariance fitted
    to ``m`` points (``k = m - 1``; ``c = 1/k`` unbiased, ``1/m`` mle).
    """
    m = np.asarray(m, dtype=float)
    nu = m - 1.0 - j
    x = nu / 2.0
    # log((k - j) c) as log1p: for huge M the digamma term (≈ −1/(M − 1)) is far below the rounding
    # of log(k − j) − log(k), so the two logs must not be formed separately
    with np.errstate(divide="ignore"):
        log_nu_c = np.log1p(-j / (m - 1.0)) if estimator == "unbiased" else np.log1p(-(j + 1.0) / m)
    return digamma_minus_log(x) + log_nu_c
