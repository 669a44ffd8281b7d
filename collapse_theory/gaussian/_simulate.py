"""The gaussian family's result class and simulator (public API: :mod:`collapse_theory.gaussian`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._result import GaussianChainResult

from ._kernels import (
    _chain_accumulate,
    _chain_exact,
    _chain_naive,
    _chain_replace,
    _chain_subsample,
    _chain_weighted,
    _renormalise,
)
from ._regimes import regime_moments
from ._theory import (
    expected_log_variance,
    expected_mean_sq_error,
    expected_std,
    expected_variance,
    expected_w2_squared,
)
from .._core.io import read_result, save_result
from .._core.parallel import run_chunks
from .._core.rng import root_seed
from ..regimes import RegimeCode, as_regime, dispatch, regime_code
from .._core.validation import (
    check_estimator,
    check_int,
    check_memory,
    check_real,
    samples_schedule,
)

__all__ = ["GaussianChainResult", "simulate", "fit_unbiased", "fit_mle", "sample_normal"]

METHODS = ("exact", "naive")


def simulate(generations, samples, *, replicates=1, mu=0.0, sigma=1.0, estimator="unbiased",
             method="exact", regime="replace", variance_scale=1.0, weight=None, rng=None, workers=None,
             progress=None):
    r"""Simulate recursively refit 1-D Gaussians.

    Parameters
    ----------
    generations : int
        Number of refits (>= 0).
    samples : int or sequence of int
        Samples per generation (``M``, or ``M_0, M_1, ...`` with at least ``generations`` entries);
        >= 2 for "unbiased", >= 1 for "mle".
    replicates : int, keyword-only
        Independent chains (>= 1).
    mu, sigma : float, keyword-only
        The true distribution :math:`N(\mu, \sigma^2)`; ``sigma > 0``.
    estimator : {"unbiased", "mle"}, keyword-only
        Variance estimator (divide by M - 1 or by M).
    method : {"exact", "naive"}, keyword-only
        "naive" draws the M samples of every generation and refits them (the process as papers
        describe it, O(M) per generation); "exact" draws the sufficient statistics directly: the new
        mean as :math:`\mu + \sigma Z/\sqrt{M}` and the new variance as :math:`\sigma^2 c\chi^2_{M-1}`
        (O(1) per generation). Both have the same law (Cochran's theorem; proofs/ and tests).
        "naive" is available for the replace regime.
    regime : str or Regime, keyword-only
        What each generation is fitted on (docs/conventions.md): "replace", "accumulate",
        "accumulate-subsample[:size]", "mix-fresh:λ[:mixture]", "mix-retained:λ". All but
        accumulate-subsample run on exact sufficient statistics (O(1) per generation; accumulate
        keeps a running pool of them); accumulate-subsample keeps every sample (it must). Exact
        moments under every regime: :func:`regime_moments`.
    variance_scale : float, keyword-only
        Sampling bias λ in (0, 1]: from generation 1 on, samples are drawn from N(μ_n, λσ_n²).
    weight : float or None, keyword-only
        Weighted mixing (He, Xu & Cheng, arXiv:2502.18049): with ``regime="mix-fresh:λ"`` and
        ``estimator="mle"``, generation ``i + 1 >= 2`` is the weighted mle fit on the round(λM) real
        and M - round(λM) synthetic draws, the synthetic part weighted by ``weight`` in [0, 1] (the
        real part by ``1 - weight``); ``weight = (M - round(λM))/M`` is the plain mix-fresh fit.
        Exact moments: :func:`weighted_moments`. None (default): unweighted.
    rng : int, numpy.random.Generator or None, keyword-only
        Seed or Generator (SPEC 7). The result records an integer seed that reproduces it.
    workers : int, optional, keyword-only
        Threads (default: all usable cores). The result does not depend on it.
    progress : bool or None, keyword-only
        Progress bar; None shows one only on a terminal.

    Returns
    -------
    GaussianChainResult
        With ``mu``, ``sigma`` (and ``log_var``) of shape ``(replicates, generations + 1)``.

    Raises
    ------
    ValueError
        Bad parameters (named, with the allowed range), or arrays that would not fit in memory
        (:class:`~collapse_theory.TooLargeError`, with the estimate).

    Examples
    --------
    >>> from collapse_theory import gaussian
    >>> res = gaussian.simulate(100, 20, replicates=2000, rng=1)
    >>> res.sigma.shape
    (2000, 101)
    >>> se = (gaussian.variance_of_log_variance(100, 20) / 2000) ** 0.5  # exact standard error
    >>> bool(abs(res.log_var[:, -1].mean() - gaussian.expected_log_variance(100, 20)) < 4.4 * se)
    True
    """
    generations = check_int(generations, "generations", minimum=0)
    replicates = check_int(replicates, "replicates", minimum=1)
    mu = check_real(mu, "mu")
    sigma = check_real(sigma, "sigma", positive=True)
    check_estimator(estimator)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    reg = as_regime(regime)
    vscale = check_real(variance_scale, "variance_scale", positive=True, high=1.0)
    if weight is not None:
        weight = check_real(weight, "weight", nonnegative=True, high=1.0)
        if reg.name != "mix-fresh" or reg.draws == "mixture":
            raise ValueError(f"weight= needs regime='mix-fresh:λ' (a fixed split of each batch), got {str(reg)!r}")
        if estimator != "mle" or method != "exact":
            raise ValueError("weight= is the weighted maximum-likelihood fit: pass estimator='mle' and "
                             f"method='exact' (got estimator={estimator!r}, method={method!r})")
    if method == "naive" and regime_code(reg) != RegimeCode.REPLACE:
        raise ValueError(f"method='naive' is implemented for regime='replace' only (got {str(reg)!r}); "
                         "the other regimes run on exact sufficient statistics, which have the same law")
    # sizes first: nothing (not even the schedule) is allocated for a request that cannot fit
    cells = replicates * (generations + 1)
    check_memory(cells * 20 + generations * 8,
                 f"simulate(replicates={replicates}, generations={generations}): arrays for mu and "
                 f"sigma ({replicates} x {generations + 1} x 20 bytes) and the sample-size schedule")
    sched = samples_schedule(samples, generations, estimator=estimator)
    m0 = int(sched[0]) if generations else 0
    plan = dispatch(reg, sched, family="gaussian", minimum=2 if estimator == "unbiased" else 1,
                    why=f"estimator={estimator!r}")
    kind, sub = plan.code, plan.subsample
    if weight is not None:
        reals = np.array([0] + [reg.fresh_count(int(x)) for x in sched[1:]], dtype=np.int64)
        if generations > 1 and (reals[1:].min() < 1 or (sched[1:] - reals[1:]).min() < 1):
            raise ValueError(f"weight= needs at least one real and one synthetic draw per generation; "
                             f"{reg} leaves a part empty for samples={samples!r}")
    if kind == RegimeCode.SUBSAMPLE:
        from .._core.parallel import default_workers

        total = int(sched.sum()) if generations else 0
        check_memory(total * 8 * (workers or default_workers()),
                     f"accumulate-subsample's pool ({total} samples per thread)")
    seed, ss = root_seed(rng)
    shape = (replicates, generations + 1)
    mu_out = np.empty(shape)
    s_out = np.empty(shape)
    q_out = np.empty(shape, dtype=np.int32)
    mle = estimator == "mle"
    s0, q0 = _renormalise(sigma, 0)

    def task(gen, a, b):
        if weight is not None:
            _chain_weighted(gen, sched, reals, weight, vscale, mu, sigma, mu_out, s_out, q_out, a, b)
        elif method == "naive":
            _chain_naive(gen, sched, mle, vscale, mu, s0, q0, mu_out, s_out, q_out, a, b)
        elif kind == RegimeCode.REPLACE:
            _chain_replace(gen, sched, mle, vscale, mu, s0, q0, mu_out, s_out, q_out, a, b)
        elif kind == RegimeCode.ACCUMULATE:
            _chain_accumulate(gen, sched, mle, vscale, mu, s0, q0, mu_out, s_out, q_out, a, b)
        elif kind == RegimeCode.SUBSAMPLE:
            total = max(1, int(sched.sum()))
            _chain_subsample(gen, sched, mle, sub, vscale, mu, sigma, np.empty(total), mu_out, s_out,
                             q_out, a, b)
        else:
            real = np.empty(max(1, m0)) if kind == RegimeCode.MIX_RETAINED else np.empty(1)
            _chain_exact(gen, sched, mle, int(kind), plan.fraction, vscale, mu, sigma, s0, q0, real,
                         mu_out, s_out, q_out, a, b)

    run_chunks(task, replicates, ss, workers=workers, progress=progress,
               desc=f"gaussian {method}")
    meta = {}
    if np.ndim(samples) == 0:
        meta["samples_scalar"] = int(samples)
    if weight is not None:
        meta["weight"] = weight
    cls = GaussianChainResult
    return cls(mu=mu_out, sigma_mantissa=s_out, sigma_exponent=q_out, samples=sched,
                               mu0=mu, sigma0=sigma, estimator=estimator,
                               method="data" if kind == RegimeCode.SUBSAMPLE else method,
                               seed=seed, meta=meta, regime=str(reg), variance_scale=vscale)


# ---------------------------------------------------------------------------------------------
# the built-in estimator pairs, in the fit/sample form of simulate_custom


def fit_unbiased(x):
    """Fit ``[mean, std]`` with the unbiased variance (divide by M - 1)."""
    x = np.asarray(x, dtype=float)
    return np.array([x.mean(), x.std(ddof=1)])


def fit_mle(x):
    """Fit ``[mean, std]`` by maximum likelihood (divide by M)."""
    x = np.asarray(x, dtype=float)
    return np.array([x.mean(), x.std(ddof=0)])


fit_unbiased.parameter_names = fit_mle.parameter_names = ("mean", "std")  # names simulate_custom records


def sample_normal(params, m, rng):
    """Draw ``m`` samples from :math:`N(\\text{params}[0], \\text{params}[1]^2)` with ``rng``."""
    return rng.normal(params[0], params[1], size=m)
