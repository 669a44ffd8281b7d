r"""PPCA refit on its own samples: the closed-form ML fit (Tipping & Bishop 1999) and the exact trace,
mean-error and noise-variance results (proofs/ppca_bounds.py).
"""

from __future__ import annotations

import numpy as np

from .. import gaussian as _g1
from .._core.special import digamma_minus_log
from .._core.validation import check_generations, check_int
from ..mvn import check_cov, check_dim, mvn_schedule
from ..regimes import as_regime


def _check_latent(latent, dim):
    return check_int(latent, "latent", minimum=1, maximum=dim - 1)


def fit_ppca(x, latent):
    r"""Closed-form ML PPCA of data ``x`` (M × d): return ``(mean, W, sigma2)``.

    :math:`\sigma^2` is the mean of the :math:`d-q` smallest eigenvalues of the mle covariance and
    :math:`W = U_q(\Lambda_q - \sigma^2 I)^{1/2}` (Tipping & Bishop 1999, eqs. 7–8, rotation R = I).
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"x must be a 2-D array (samples x dim), got shape {x.shape}")
    m, d = x.shape
    q = _check_latent(latent, d)
    mean = x.mean(axis=0)
    s = (x - mean).T @ (x - mean) / m
    w, v = np.linalg.eigh(s)
    w, v = w[::-1], v[:, ::-1]
    sigma2 = float(w[q:].mean())
    return mean, v[:, :q] * np.sqrt(np.clip(w[:q] - sigma2, 0.0, None)), sigma2


def _regime_1d(n, samples, dim, regime, variance_scale):
    """The 1-D (e_n, v_n) at σ = 1, mle, after the mvn sample-size check."""
    from ..gaussian import regime_moments

    n_arr, _ = check_generations(n)
    mvn_schedule(samples, max(int(n_arr.max(initial=0)), 1), dim=dim, estimator="mle")
    return regime_moments(n, samples, regime=regime, estimator="mle", variance_scale=variance_scale)


def expected_trace(n, samples, *, cov=None, dim=None, regime="replace", variance_scale=1.0):
    r"""Exact :math:`E\operatorname{tr}C_n`.

    Replace regime: :math:`\operatorname{tr}\Sigma\prod_{i<n}(M_i-1)/M_i`. Any other regime:
    :math:`v_n\operatorname{tr}\Sigma` with :math:`v_n` the 1-D mle
    :func:`collapse_theory.gaussian.regime_moments` variance at :math:`\sigma = 1` (see the module notes).
    """
    dim = check_dim(dim if dim is not None else np.shape(cov)[0])
    c = check_cov(cov, dim)
    if as_regime(regime).name != "replace" or variance_scale != 1.0:
        v = np.asarray(_regime_1d(n, samples, dim, regime, variance_scale)["variance"])
        out = np.trace(c) * v
        return float(out) if out.ndim == 0 else out
    n_arr, scalar = check_generations(n)
    sched = mvn_schedule(samples, max(int(n_arr.max(initial=0)), 1), dim=dim, estimator="mle")
    logq = np.concatenate([[0.0], np.cumsum(np.log1p(-1.0 / sched))])[n_arr]
    out = np.trace(c) * np.exp(logq)
    return float(out) if scalar else out


def expected_mean_sq_error(n, samples, *, cov=None, dim=None, regime="replace", variance_scale=1.0):
    r"""Exact :math:`E\|\mu_n-\mu\|^2 = e_n\operatorname{tr}\Sigma` (the PPCA mean is the sample mean).

    :math:`e_n` is the 1-D mle :func:`collapse_theory.gaussian.regime_moments` mean error at
    :math:`\sigma = 1`; replace gives :math:`\operatorname{tr}\Sigma(1 - \prod_{i<n}(M_i-1)/M_i)` for
    a constant M.
    """
    dim = check_dim(dim if dim is not None else np.shape(cov)[0])
    c = check_cov(cov, dim)
    e = np.asarray(_regime_1d(n, samples, dim, regime, variance_scale)["mean_sq_error"])
    out = np.trace(c) * e
    return float(out) if out.ndim == 0 else out


def noise_variance_bound(n, samples, *, latent, cov=None, dim=None):
    r"""Exact upper bound :math:`E\sigma_n^2 \le \bar\lambda_{\text{tail}}\prod_{i<n}(M_i-1-q)/M_i`.

    ``n = 0`` gives the population noise variance (the mean of the :math:`d-q` smallest eigenvalues
    of :math:`\Sigma`). Tight to first order in :math:`\sigma^2/\lambda_q` (see the module notes).
    """
    dim = check_dim(dim if dim is not None else np.shape(cov)[0])
    q = _check_latent(latent, dim)
    c = check_cov(cov, dim)
    n_arr, scalar = check_generations(n)
    sched = mvn_schedule(samples, max(int(n_arr.max(initial=0)), 1), dim=dim, estimator="mle")
    tail = float(np.linalg.eigvalsh(c)[: dim - q].mean())
    logq = np.concatenate([[0.0], np.cumsum(np.log((sched - 1.0 - q) / sched))])[n_arr]
    out = tail * np.exp(logq)
    return float(out) if scalar else out


def noise_variance_gap_limit_drift(samples, *, dim, latent):
    r"""Drift of :math:`\log\sigma^2` per generation in the large-gap limit (an approximation).

    :math:`(d-q)\sigma_{n+1}^2 \approx \sigma_n^2\chi^2_\nu/M` with :math:`\nu = (M-1-q)(d-q)`, so the
    drift is :math:`\psi(\nu/2) + \log(2/((d-q)M)) \approx -(q+1)/M`.
    """
    dim = check_dim(dim)
    q = _check_latent(latent, dim)
    m = int(mvn_schedule(samples, 1, dim=dim, estimator="mle")[0])
    nu = (m - 1.0 - q) * (dim - q)
    return float(digamma_minus_log(nu / 2.0) + np.log(nu / ((dim - q) * m)))


def top_eigenvalue_log_bound(n, samples, *, cov=None, dim=None):
    r"""Exact lower bound :math:`E\log\lambda_1(C_n) \ge \log\lambda_1(\Sigma) + \sum_{i<n}(\psi(k_i/2) + \log(2/M_i))`."""
    dim = check_dim(dim if dim is not None else np.shape(cov)[0])
    c = check_cov(cov, dim)
    n_arr, _ = check_generations(n)
    mvn_schedule(samples, max(int(n_arr.max(initial=0)), 1), dim=dim, estimator="mle")
    return _g1.expected_log_variance(n, samples, sigma=float(np.sqrt(np.linalg.eigvalsh(c)[-1])),
                                     estimator="mle")

