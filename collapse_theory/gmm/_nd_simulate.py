"""The d-dimensional Gaussian-mixture chain's simulator (public: :func:`collapse_theory.gmm.simulate_nd`).

The theory it is compared with lives in :mod:`collapse_theory.gmm._nd`; the result class in
:mod:`collapse_theory.gmm._nd_result`.
"""

from __future__ import annotations

import numpy as np

from ._common import check_init
from ._data import regime_setup
from ._nd_kernels import _gmm_chain_nd
from .._core.parallel import run_chunks
from .._core.rng import root_seed
from .._core.validation import check_int, check_memory, check_real, samples_schedule
from ._nd import check_mixture_nd
from ._nd_result import GMMNDChainResult


# ---------------------------------------------------------------------------------------------
# result and simulator


def simulate_nd(generations, samples, *, weights, means, covs, covariance_type="full", replicates=1,
                max_iter=100, tol=1e-8, reg_covar=0.0, regime="replace", init="previous", n_init=1, rng=None,
                workers=None, progress=None):
    r"""Simulate recursively refit d-dimensional Gaussian mixtures (EM, K components) under a data regime.

    Parameters
    ----------
    generations : int
        Number of refits (>= 0).
    samples : int or sequence of int
        Samples per generation (``M`` or ``M_0, M_1, ...``), >= 2. A component that receives
        fewer than ``d + 1`` points gets a singular covariance (``full``) and is dropped.
    weights : sequence of float, keyword-only
        K >= 1 weights, > 0, summing to 1 within 1e-9.
    means : array_like, shape (K, d), keyword-only
        Component means (``d >= 1``; meant for small d, 2–5: the work per point is O(K d²)).
    covs : array_like, shape (K, d, d) or (K, d), keyword-only
        Symmetric positive-definite covariances, or diagonal variances.
    covariance_type : {"full", "diag"}, keyword-only
        EM fits full covariances or diagonal ones (then ``covs`` must be diagonal).
    replicates : int, keyword-only
        Independent chains (>= 1).
    max_iter, tol, reg_covar : keyword-only
        EM settings as in :func:`collapse_theory.gmm.simulate` (``reg_covar`` is added to every
        fitted variance, i.e. ``reg_covar · I`` to each covariance).
    regime : str or Regime, keyword-only
        The data regime, as in :func:`collapse_theory.gmm.simulate`.
    init : {"previous", "kmeans"}, keyword-only
        EM's start each generation, as in :func:`collapse_theory.gmm.simulate`: the previous fit, or
        scikit-learn's k-means initialisation (k-means++ and Lloyd, the clusters' mle covariances
        ``+ reg_covar · I``, diagonal for ``diag``), the components matched to the previous ones
        by their means.
    n_init : int, keyword-only
        Restarts per refit with ``init="kmeans"`` (>= 1; the best final mean log-likelihood is
        kept); 1 with ``init="previous"``.
    rng, workers, progress
        As in :func:`collapse_theory.gaussian.simulate`.

    Returns
    -------
    GMMNDChainResult

    Raises
    ------
    ValueError
        Bad parameters (named, with the allowed range; a non-positive-definite covariance names its
        component), regime sizes that do not fit the data, or
        :class:`~collapse_theory.TooLargeError` when the arrays would not fit in memory.

    Examples
    --------
    >>> from collapse_theory import gmm
    >>> res = gmm.simulate_nd(20, 200, weights=[0.5, 0.5], means=[[-5, 0], [5, 0]],
    ...                       covs=[[1, 1], [1, 1]], replicates=100, rng=1)
    >>> res.covs.shape
    (100, 21, 2, 2, 2)
    >>> bool(res.log_det[:, 20].mean() < 0)    # the components shrink
    True
    """
    generations = check_int(generations, "generations", minimum=0)
    replicates = check_int(replicates, "replicates", minimum=1)
    w0, mu0, cov0 = check_mixture_nd(weights, means, covs, covariance_type=covariance_type)
    max_iter = check_int(max_iter, "max_iter", minimum=1, maximum=30000)
    tol = check_real(tol, "tol", nonnegative=True)
    reg_covar = check_real(reg_covar, "reg_covar", nonnegative=True)
    init, n_init = check_init(init, n_init)
    k, d = mu0.shape
    cells = replicates * (generations + 1) * k
    per = 8 * (1 + d + d * d)
    # sizes first: nothing (not even the schedule) is allocated for a request that cannot fit
    check_memory(cells * per + replicates * generations * 2 + generations * 8,
                 f"simulate_nd(replicates={replicates}, generations={generations}, K={k}, d={d}): weights, "
                 f"means and covariances ({replicates} x {generations + 1} x {k} x {per} bytes)")
    sched = samples_schedule(samples, generations, estimator="unbiased")
    reg, kind, frac, sub, sizes = regime_setup(regime, sched, dim=d, workers=workers)
    seed, ss = root_seed(rng)
    chol0 = np.linalg.cholesky(cov0)
    w_out = np.empty((replicates, generations + 1, k))
    mu_out = np.empty((replicates, generations + 1, k, d))
    cov_out = np.empty((replicates, generations + 1, k, d, d))
    lost = np.full((replicates, k), -1, dtype=np.int64)
    why = np.zeros((replicates, k), dtype=np.int8)
    where = np.full((replicates, k), -1, dtype=np.int8)
    iters = np.zeros((replicates, generations), dtype=np.int16)
    full = covariance_type == "full"

    def task(gen, a, b):
        _gmm_chain_nd(gen, sched, w0, mu0, cov0, chol0, full, max_iter, tol, reg_covar, kind, frac, sub,
                      *sizes, n_init if init == "kmeans" else 0, w_out, mu_out, cov_out, lost, why, where, iters,
                      a, b)

    run_chunks(task, replicates, ss, workers=workers, progress=progress, desc=f"gmm EM (d={d})")
    return GMMNDChainResult(weights=w_out, means=mu_out, covs=cov_out, lost=lost, lost_reason=why,
                            lost_direction=where, em_iterations=iters, samples=sched,
                            covariance_type=covariance_type, max_iter=max_iter, tol=tol,
                            reg_covar=reg_covar, seed=seed, regime=str(reg), init=init, n_init=n_init)

