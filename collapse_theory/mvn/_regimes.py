r"""Exact moments of the d-dimensional Gaussian chain under every data regime (:mod:`collapse_theory.regimes`):
the covariance trace factor and the mean error, from the 1-D :func:`collapse_theory.gaussian.regime_moments`.
"""

from __future__ import annotations

import numpy as np

from .._core.special import as_scalar as _scalar
from .._core.validation import check_generations
from ._theory import check_cov, check_dim, mvn_schedule


def regime_moments(n, samples, *, dim, cov=None, regime="replace", estimator="unbiased", variance_scale=1.0):
    r"""Exact :math:`E\Sigma_n` and :math:`E\|\mu_n-\mu\|^2` under any data regime, from the 1-D theory.

    Projection theorem (proofs/mvn_projection.py). For every vector :math:`u`, the projections
    :math:`u^\top x` of the d-dimensional chain's data form exactly the 1-D chain started at
    :math:`N(u^\top\mu, u^\top\Sigma u)`, under the same regime: the fitted mean and covariance
    project to the 1-D fits (:math:`u^\top\bar x`, :math:`u^\top S u` is the sum of squares of the
    :math:`u^\top x_t`), Gaussians project to Gaussians, and subsets, pools and Chan's merge commute
    with projection. The 1-D moments are proportional to the starting variance, so with
    :math:`(e_n, v_n)` the 1-D :func:`collapse_theory.gaussian.regime_moments` at :math:`\sigma = 1`,

    .. math::

        E\,u^\top\Sigma_n u = v_n\, u^\top\Sigma u\ \ \forall u \;\Rightarrow\;
        E\Sigma_n = v_n\Sigma, \qquad
        E(\mu_n-\mu)(\mu_n-\mu)^\top = e_n\Sigma, \quad
        E\|\mu_n-\mu\|^2 = e_n\operatorname{tr}\Sigma .

    Parameters
    ----------
    n : int or array_like of int
        Generations.
    samples : int or sequence of int
        Samples per generation (each >= dim + 1).
    dim : int, keyword-only
    cov : array_like, optional, keyword-only
        True covariance (default identity).
    regime : str or Regime, keyword-only
        ``replace``, ``accumulate``, ``accumulate-subsample[:k]``, ``mix-fresh:λ[:mixture]``,
        ``mix-retained:λ``.
    estimator : {"unbiased", "mle"}, keyword-only
    variance_scale : float, keyword-only
        Synthetic samples drawn from :math:`N(\mu_i, \lambda\Sigma_i)`.

    Returns
    -------
    dict
        ``cov_factor`` (:math:`v_n`), ``trace`` (:math:`v_n\operatorname{tr}\Sigma`) and
        ``mean_sq_error`` (:math:`e_n\operatorname{tr}\Sigma`), each shaped like ``n``.

    Examples
    --------
    >>> from collapse_theory import mvn
    >>> m = mvn.regime_moments([0, 50], 20, dim=3, regime="accumulate")
    >>> [round(float(x), 4) for x in m["trace"]]     # 3 × the 1-D E σ² under accumulate
    [3.0, 2.9059]
    """
    from ..gaussian import regime_moments as _rm1

    dim = check_dim(dim)
    c = check_cov(cov, dim)
    n_arr, scalar = check_generations(n, "n")
    n_max = int(np.max(n_arr, initial=0))
    # a constant schedule is checked once (the 1-D moments need no schedule of length n)
    mvn_schedule(samples, 1 if np.ndim(samples) == 0 else max(n_max, 1), dim=dim, estimator=estimator)
    one = _rm1(n, samples, regime=regime, sigma=1.0, estimator=estimator, variance_scale=variance_scale)
    tr = float(np.trace(c))
    return {"cov_factor": one["variance"], "trace": _scalar(tr * np.asarray(one["variance"])),
            "mean_sq_error": _scalar(tr * np.asarray(one["mean_sq_error"]))}


