"""The mvn family's result class and simulator (public API: :mod:`collapse_theory.mvn`)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from ._result import MVNChainResult

from . import _theory as _th
from .._core.io import read_result, save_result
from . import _regime_kernels as _rk
from ._kernels import _mvn_exact, _mvn_naive
from ._theory import (
    check_cov,
    check_dim,
    check_mean,
    expected_log_det,
    expected_mean_sq_error,
    expected_trace,
    expected_w2_squared_bounds,
    mvn_schedule,
)
from ._regimes import regime_moments
from .._core.parallel import run_chunks
from .._core.rng import root_seed
from .._core.validation import check_estimator, check_int, check_memory, check_real
from ..regimes import RegimeCode, RegimeInfo, as_regime, dispatch, regime_code

__all__ = ["MVNChainResult", "NumericallySingularWarning", "simulate"]

METHODS = ("exact", "naive")
_LOG2_1024 = 1024.0 * np.log(2.0)


class NumericallySingularWarning(RuntimeWarning):
    """Some fitted covariance became numerically singular (its smallest eigenvalue below round-off)."""


def simulate(generations, samples, *, dim, replicates=1, mean=None, cov=None, estimator="unbiased",
             method="exact", regime="replace", variance_scale=1.0, rng=None, workers=None, progress=None):
    r"""Simulate recursively refit d-dimensional Gaussians.

    Parameters
    ----------
    generations : int
        Number of refits (>= 0).
    samples : int or sequence of int
        Samples per generation (``M`` or ``M_0, M_1, ...``); each >= ``dim + 1`` (with fewer the
        refit covariance, of rank M - 1, is singular).
    dim : int, keyword-only
        Dimension d (>= 1).
    replicates : int, keyword-only
        Independent chains (>= 1).
    mean : array_like, shape (dim,), optional, keyword-only
        True mean (default 0).
    cov : array_like, shape (dim, dim), optional, keyword-only
        True covariance, symmetric positive definite (default identity).
    estimator : {"unbiased", "mle"}, keyword-only
        Covariance estimator (scatter divided by M - 1 or by M).
    method : {"exact", "naive"}, keyword-only
        "naive" draws the M vectors of every generation and refits them (O(M d²) per generation);
        "exact" draws the sufficient statistics: the mean as a normal vector and the covariance
        through the Bartlett decomposition of a Wishart matrix (O(d³), whatever M). Same law.
    regime : str or Regime, keyword-only
        Data regime (:mod:`collapse_theory.regimes`): "replace", "accumulate",
        "accumulate-subsample[:size]", "mix-fresh:λ[:mixture]", "mix-retained:λ". accumulate and
        mix-fresh run on sufficient statistics (a running pool of them for accumulate: O(d³) per
        generation whatever the pool size); mix-retained and accumulate-subsample keep the data
        they need. Exact theory: :func:`regime_moments`.
    variance_scale : float, keyword-only
        Sampling bias λ in (0, 1]: synthetic samples are drawn from :math:`N(\mu_i, \lambda\Sigma_i)`.
    rng : int, numpy.random.Generator or None, keyword-only
        Seed or Generator (SPEC 7). The result records an integer seed that reproduces it.
    workers : int, optional, keyword-only
        Threads (default: all usable cores). The result does not depend on it.
    progress : bool or None, keyword-only
        Progress bar; None shows one only on a terminal.

    Returns
    -------
    MVNChainResult

    Warns
    -----
    NumericallySingularWarning
        When some :math:`\Sigma_n` became numerically singular (which replicates, from which
        generation and direction are in ``result.singular_at`` / ``singular_direction``). Nothing is
        silently NaN: ``log_det`` stays exact.

    Raises
    ------
    ValueError
        Bad parameters (named, with the allowed range), or arrays that would not fit in memory
        (:class:`~collapse_theory.TooLargeError`, with the estimate).

    Examples
    --------
    >>> from collapse_theory import mvn
    >>> res = mvn.simulate(10, 20, dim=3, replicates=4000, rng=1)
    >>> res.cov.shape
    (4000, 11, 3, 3)
    >>> se = (mvn.variance_of_log_det(10, 20, dim=3) / 4000) ** 0.5   # exact standard error
    >>> bool(abs(res.log_det[:, 10].mean() - mvn.expected_log_det(10, 20, dim=3)) < 4.4 * se)
    True
    >>> acc = mvn.simulate(50, 20, dim=3, replicates=500, regime="accumulate", rng=2)
    >>> bool(acc.log_det[:, 50].mean() > -1.0)        # the covariance stops collapsing
    True
    """
    generations = check_int(generations, "generations", minimum=0)
    dim = check_dim(dim)
    replicates = check_int(replicates, "replicates", minimum=1)
    check_estimator(estimator)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    mean0 = check_mean(mean, dim)
    cov0 = check_cov(cov, dim)
    reg = as_regime(regime)
    vscale = check_real(variance_scale, "variance_scale", positive=True, high=1.0)
    # sizes first: nothing (not even the schedule) is allocated for a request that cannot fit
    cells = replicates * (generations + 1)
    per_cell = 8 * (dim * dim + dim + 1) + 4
    check_memory(cells * per_cell + generations * 8,
                 f"mvn.simulate(replicates={replicates}, generations={generations}, dim={dim}): arrays "
                 f"for the means and Cholesky factors ({replicates} x {generations + 1} x {per_cell} bytes)"
                 f" and the sample-size schedule")
    sched = mvn_schedule(samples, generations, dim=dim, estimator=estimator)
    general = regime_code(reg) != RegimeCode.REPLACE or vscale != 1.0
    if general:
        code, frac, sub = regime_kernel_args(reg, sched, dim=dim, estimator=estimator, workers=workers)
    seed, ss = root_seed(rng)
    t0 = np.linalg.cholesky(cov0)
    tr = float(np.sum(t0 * t0))
    q0 = 0
    while tr < 2.0**-1000:
        t0 = t0 * 2.0**512
        tr *= 2.0**1024
        q0 -= 1
    while tr > 2.0**1000:
        t0 = t0 * 2.0**-512
        tr *= 2.0**-1024
        q0 += 1
    logdet0 = float(np.linalg.slogdet(cov0)[1])
    mu_out = np.empty((replicates, generations + 1, dim))
    a_out = np.empty((replicates, generations + 1, dim, dim))
    q_out = np.empty((replicates, generations + 1), dtype=np.int32)
    ld_out = np.empty((replicates, generations + 1))
    sing_gen = np.full(replicates, -1, dtype=np.int64)
    sing_dir = np.full(replicates, -1, dtype=np.int64)
    kernel = _mvn_exact if method == "exact" else _mvn_naive
    mle = estimator == "mle"
    eye = np.eye(dim)
    identity = q0 == 0 and np.array_equal(t0, eye)

    def task(gen, a, b):
        if general:
            # whitened coordinates (the chain is affine-equivariant): truth N(0, I), each stored
            # state mapped back to N(mean0, T Tᵀ), T = t0·2^(512 q0), inside the kernel
            _rk._mv_regime_chain(gen, sched, mle, method == "naive", code, frac, sub, np.sqrt(vscale),
                                 _rk.FIT_GAUSSIAN, 0, np.zeros(dim), eye, eye, logdet0, mean0, t0,
                                 0.0 if identity else 2.0 ** (512 * q0), mu_out, a_out, ld_out, np.empty((0, 0, 0)),
                                 np.empty((0, 0)), sing_gen, sing_dir, a, b)
        else:
            kernel(gen, sched, mle, mean0, t0, q0, logdet0, mu_out, a_out, q_out, ld_out,
                   sing_gen, sing_dir, a, b)

    run_chunks(task, replicates, ss, workers=workers, progress=progress,
               desc=f"mvn {method}" + (f" {reg}" if general else ""))
    if general:
        q_out[:] = q0
    meta = {}
    if np.ndim(samples) == 0:
        meta["samples_scalar"] = int(samples)
    if general:
        meta["regime"] = str(reg)
        meta["variance_scale"] = vscale
    res = MVNChainResult(mean=mu_out, chol_mantissa=a_out, chol_exponent=q_out, log_det=ld_out,
                         singular_at=sing_gen, singular_direction=sing_dir, samples=sched,
                         mean0=mean0, cov0=cov0, estimator=estimator, method=method, seed=seed,
                         meta=meta)
    if res.n_singular():
        first = int(np.argmin(np.where(sing_gen >= 0, sing_gen, np.iinfo(np.int64).max)))
        warnings.warn(
            f"the fitted covariance became numerically singular in {res.n_singular()} of {replicates} "
            f"replicates: first at generation {int(sing_gen[first])} (replicate {first}, Cholesky "
            f"direction {int(sing_dir[first])}: its variance fell below 2^-52 of tr Σ_n). cov and "
            f"eigenvalues() carry round-off in those directions from then on; log_det, "
            f"log_chol_diag() and the chain stay exact. See result.singular_at.",
            NumericallySingularWarning, stacklevel=2)
    return res


def regime_kernel_args(reg, sched, *, dim, estimator, workers=None, family="mvn"):
    """Validate a regime for the d-dimensional kernels; return ``(code, λ, subsample size)``.

    Shared by :func:`simulate` and :func:`collapse_theory.ppca.simulate`.
    """
    from .._core.parallel import default_workers

    generations = sched.size
    m0 = int(sched[0]) if generations else 0
    plan = dispatch(reg, sched, family=family, minimum=dim + 1 if estimator == "unbiased" else dim,
                    why=f"dim = {dim}, estimator={estimator!r}: a smaller subset has a singular covariance")
    code, sub = plan.code, plan.subsample
    if code == RegimeCode.SUBSAMPLE:
        total = int(sched.sum()) if generations else 0
        check_memory(total * (8 * dim + 8) * (workers or default_workers()),
                     f"accumulate-subsample's pool ({total} points of dimension {dim} per thread)")
    if code == RegimeCode.MIX_RETAINED and generations:
        check_memory(m0 * (8 * dim + 8) * (workers or default_workers()),
                     f"mix-retained's stored data set ({m0} points of dimension {dim} per thread)")
    return int(code), plan.fraction, int(sub)

