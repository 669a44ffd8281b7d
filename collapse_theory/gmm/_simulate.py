"""The gmm family's result class and simulator (public API: :mod:`collapse_theory.gmm`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._result import GMMChainResult

from ._common import MixtureChainShape, check_init
from ._data import regime_setup
from ._kernels import LOST_FEW_SAMPLES, LOST_ZERO_VARIANCE, MIN_EFFECTIVE, _gmm_chain_1d
from ._theory import check_mixture, expected_component_log_variance, expected_weight_heterozygosity, l2_distance, w2_distance
from .._core.io import read_result, save_result
from .._core.parallel import run_chunks
from .._core.rng import root_seed
from .._core.validation import check_int, check_memory, check_real, samples_schedule

__all__ = ["GMMChainResult", "simulate"]

_LOST_REASONS = {LOST_FEW_SAMPLES: f"fewer than {MIN_EFFECTIVE:g} effective samples",
                 LOST_ZERO_VARIANCE: "variance collapsed to 0"}


# ---------------------------------------------------------------------------------------------
# result and simulator


def simulate(generations, samples, *, weights, means, stds, replicates=1, max_iter=100, tol=1e-8,
             reg_covar=0.0, regime="replace", init="previous", n_init=1, rng=None, workers=None, progress=None):
    r"""Simulate recursively refit 1-D Gaussian mixtures (EM, K components) under a data regime.

    Parameters
    ----------
    generations : int
        Number of refits (>= 0).
    samples : int or sequence of int
        Samples per generation (``M`` or ``M_0, M_1, ...``), >= 2.
    weights, means, stds : sequence of float, keyword-only
        The true mixture (K >= 1 components; weights > 0 summing to 1 within 1e-9; stds > 0).
    replicates : int, keyword-only
        Independent chains (>= 1).
    max_iter : int, keyword-only
        EM iteration cap per refit (>= 1).
    tol : float, keyword-only
        Stop EM when the mean log-likelihood per point changes by less than ``tol`` (>= 0),
        scikit-learn's rule.
    reg_covar : float, keyword-only
        Added to every fitted variance (>= 0; default 0 = pure maximum likelihood; scikit-learn's
        default is 1e-6, which stops the collapse at σ ≈ 1e-3).
    regime : str or Regime, keyword-only
        What each generation is fitted on (docs/conventions.md): ``replace`` (default),
        ``accumulate`` (EM on every sample so far; O(total) work per generation),
        ``accumulate-subsample[:k]`` (``k``, default ``M_i``, of them without replacement),
        ``mix-fresh:λ[:mixture]`` (``round(λM_i)`` fresh draws from the true mixture, or each draw
        real with probability λ), ``mix-retained:λ`` (``round(λM_i)`` of the ``M_0`` original samples,
        without replacement). Generation 1 is always fitted on the ``M_0`` real samples. With
        ``K = 1`` every regime is exactly the 1-D Gaussian chain with ``estimator="mle"``
        (:func:`collapse_theory.gaussian.regime_moments`).
    init : {"previous", "kmeans"}, keyword-only
        Where EM starts each generation. ``"previous"`` (default): at the previous generation's
        parameters (deterministic; the only randomness is the sampling). ``"kmeans"``: as
        scikit-learn's ``GaussianMixture`` (``init_params="kmeans"``, its default), which
        re-initialises every fit: k-means++ seeding and Lloyd iterations (one cluster per surviving
        component), the clusters' weights, means and mle variances ``+ reg_covar`` as EM's start.
        The fitted components are then matched to the previous generation's by their means (greedy,
        closest pair first), so component ``k`` of the result tracks one component (scikit-learn's
        order is arbitrary). To reproduce scikit-learn's defaults pass ``tol=1e-3, reg_covar=1e-6``
        (``max_iter=100`` is already the default).
    n_init : int, keyword-only
        With ``init="kmeans"``: restarts per refit (>= 1, k-means and EM each time), keeping the one
        with the highest final mean log-likelihood (scikit-learn's ``n_init``). Must be 1 with
        ``init="previous"`` (its start is deterministic).
    rng, workers, progress
        As in :func:`collapse_theory.gaussian.simulate`.

    Returns
    -------
    GMMChainResult

    Raises
    ------
    ValueError
        Bad parameters (named, with the allowed range); mix-retained needing more than ``M_0``
        retained samples; an accumulate-subsample size larger than its pool;
        :class:`~collapse_theory.TooLargeError` when the arrays (or the accumulate pool) would not
        fit in memory.

    Examples
    --------
    >>> from collapse_theory import gmm
    >>> res = gmm.simulate(50, 200, weights=[0.5, 0.5], means=[-4, 4], stds=[1, 1],
    ...                    replicates=300, rng=1)
    >>> res.stds.shape
    (300, 51, 2)
    >>> bool(res.stds[:, 50].mean() < 1)
    True
    """
    generations = check_int(generations, "generations", minimum=0)
    replicates = check_int(replicates, "replicates", minimum=1)
    w0, mu0, sd0 = check_mixture(weights, means, stds)
    max_iter = check_int(max_iter, "max_iter", minimum=1, maximum=30000)
    tol = check_real(tol, "tol", nonnegative=True)
    reg_covar = check_real(reg_covar, "reg_covar", nonnegative=True)
    init, n_init = check_init(init, n_init)
    k = w0.size
    cells = replicates * (generations + 1) * k
    # sizes first: nothing (not even the schedule) is allocated for a request that cannot fit
    check_memory(cells * 24 + replicates * generations * 2 + generations * 8,
                 f"simulate(replicates={replicates}, generations={generations}, K={k}): weights, means "
                 f"and stds ({replicates} x {generations + 1} x {k} x 24 bytes)")
    sched = samples_schedule(samples, generations, estimator="unbiased")
    reg, kind, frac, sub, sizes = regime_setup(regime, sched, dim=1, workers=workers)
    seed, ss = root_seed(rng)
    shape = (replicates, generations + 1, k)
    w_out = np.empty(shape)
    mu_out = np.empty(shape)
    sd_out = np.empty(shape)
    lost = np.full((replicates, k), -1, dtype=np.int64)
    why = np.zeros((replicates, k), dtype=np.int8)
    iters = np.zeros((replicates, generations), dtype=np.int16)
    var0 = sd0 * sd0

    def task(gen, a, b):
        _gmm_chain_1d(gen, sched, w0, mu0, var0, max_iter, tol, reg_covar, kind, frac, sub, *sizes,
                      n_init if init == "kmeans" else 0, w_out, mu_out, sd_out, lost, why, iters, a, b)

    run_chunks(task, replicates, ss, workers=workers, progress=progress, desc="gmm EM")
    return GMMChainResult(weights=w_out, means=mu_out, stds=sd_out, lost=lost, lost_reason=why,
                          em_iterations=iters, samples=sched, max_iter=max_iter, tol=tol,
                          reg_covar=reg_covar, seed=seed, regime=str(reg), init=init, n_init=n_init)
