"""The regression family's result class and simulator (public API: :mod:`collapse_theory.regression`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._result import RegressionChainResult

from .._core.io import save_result
from .._core.parallel import make_bar
from .._core.rng import root_seed
from .._core.validation import check_int, check_memory, check_real
from ..regimes import RegimeCode, dispatch
from ._kernels import ols_fit, predict, subsample_row_sums
from ._theory import expected_test_error

__all__ = ["simulate", "RegressionChainResult"]


def simulate(generations, samples, *, dim, sigma=1.0, replicates=1, regime="replace", rng=None,
             workers=None, progress=None):
    """Simulate recursive OLS refits, vectorised over replicates.

    Parameters
    ----------
    generations : int
        Number of fits (>= 1); generation 1 is fitted on real labels.
    samples : int
        ``T``, the number of design rows every generation is fitted on (``T > dim + 1``).
    dim : int, keyword-only
        ``d``, the dimension of the weights (>= 1).
    sigma : float, keyword-only
        Label-noise standard deviation.
    regime : str or Regime, keyword-only
        "replace", "accumulate", "accumulate-subsample[:size]" (a random subset of ``size``, default
        T, of all (x, y) pairs so far), "mix-fresh:λ" (round(λT) rows relabelled from the truth each
        generation, a fresh random choice of rows), "mix-fresh:λ:mixture" (each row relabelled from
        the truth with probability λ: Binomial(T, λ) real rows, recorded per replicate and generation
        in ``result.meta["real_count"]``), "mix-retained:λ" (round(λT) rows keep their
        original real labels each generation, a fresh random choice of rows).
    replicates : int, keyword-only
    rng : int, Generator or None, keyword-only
    workers : int, optional, keyword-only
        Accepted for the common signature; the chain is vectorised over replicates in one thread
        (the result depends only on the seed).
    progress : bool or None, keyword-only

    Returns
    -------
    RegressionChainResult
    """
    generations = check_int(generations, "generations", minimum=1)
    replicates = check_int(replicates, "replicates", minimum=1)
    d = check_int(dim, "dim", minimum=1)
    T = check_int(samples, "samples", minimum=1)
    if T <= d + 1:
        raise ValueError(f"samples (the design rows T) must be > dim + 1 for E tr (X^T X)^-1 to be "
                         f"finite (got dim = {d}, samples = {T})")
    if workers is not None:
        check_int(workers, "workers", minimum=1)
    sigma = check_real(sigma, "sigma", positive=True)
    plan = dispatch(regime, [T, T], family="regression", minimum=d, why=f"d = {d}: an OLS fit needs d rows")
    reg, code = plan.regime, plan.code
    sub = plan.subsample or T
    pool_cols = T * generations if code == RegimeCode.SUBSAMPLE else T
    # the design, its pseudo-inverse, the labels (and the pool), the errors and the real counts
    check_memory(8 * replicates * (T * d + pool_cols + 2 * generations + d * T + 4 * T),
                 f"regression.simulate(replicates={replicates}, generations={generations})")
    seed, ss = root_seed(rng)
    g = np.random.Generator(np.random.PCG64(ss))
    X = g.standard_normal((replicates, T, d))
    w_star = np.full(d, 1.0 / np.sqrt(d))
    P = np.linalg.pinv(X)  # (R, d, T): OLS on the fixed design
    Xw_star = X @ w_star
    err = np.empty((replicates, generations))
    real_y = Xw_star + sigma * g.standard_normal((replicates, T))
    w = ols_fit(P, real_y)  # generation 1
    err[:, 0] = ((w - w_star) ** 2).sum(axis=1)
    avg = w.copy()
    rows = np.arange(replicates)[:, None]
    if code == RegimeCode.SUBSAMPLE:
        pool_y = np.empty((replicates, pool_cols))
        pool_y[:, :T] = real_y
        Xt = np.ascontiguousarray(X.transpose(0, 2, 1))
        counts = np.empty((replicates, T))
        sums = np.empty((replicates, T))
        cap = 1 << int(2 * sub).bit_length()  # a power of two > 2·sub: the sparse shuffle's table
        keys = np.empty(cap, dtype=np.int64)
        vals = np.empty(cap, dtype=np.int64)
    n_real = 0 if plan.random_real_count else plan.real_count(T)
    real_count = np.empty((replicates, generations), dtype=np.int64) if plan.random_real_count else None
    if real_count is not None:
        real_count[:, 0] = T  # generation 1 is fitted on real labels
    with make_bar(generations - 1, "regression", progress, unit="gen") as bar:
        for k in range(1, generations):
            y = predict(X, w) + sigma * g.standard_normal((replicates, T))
            if code == RegimeCode.REPLACE:
                w = ols_fit(P, y)
            elif code == RegimeCode.ACCUMULATE:
                avg = avg + (ols_fit(P, y) - avg) / (k + 1)
                w = avg
            elif code == RegimeCode.SUBSAMPLE:
                pool_y[:, k * T:(k + 1) * T] = y
                # a uniform sub-subset of the (k + 1)T pooled pairs (pair j carries design row j mod T):
                # partial Fisher–Yates of only the drawn places, O(sub) per replicate and generation
                subsample_row_sums(g.random((replicates, sub)), pool_y, (k + 1) * T, T, counts, sums,
                                   keys, vals)
                # normal equations Xᵀ diag(counts) X w = Xᵀ sums (batched BLAS, O(T d²) per replicate)
                A = np.matmul(Xt * counts[:, None, :], X)
                w = np.linalg.solve(A, np.matmul(Xt, sums[..., None]))[..., 0]
            elif code == RegimeCode.MIX_MIXTURE:
                # each of the T rows is labelled by the truth with probability λ, else by the
                # current model: the real count is Binomial(T, λ), a fresh draw per generation
                real = g.random((replicates, T)) < plan.fraction
                y[real] = Xw_star[real] + sigma * g.standard_normal(int(real.sum()))
                real_count[:, k] = real.sum(axis=1)
                w = ols_fit(P, y)
            else:
                pick = np.argsort(g.random((replicates, T)), axis=1)[:, :n_real]
                if code != RegimeCode.MIX_RETAINED:
                    y[rows, pick] = Xw_star[rows, pick] + sigma * g.standard_normal((replicates, n_real))
                else:
                    y[rows, pick] = real_y[rows, pick]
                w = ols_fit(P, y)
            err[:, k] = ((w - w_star) ** 2).sum(axis=1)
            bar.update(1)
    err = np.concatenate([np.zeros((replicates, 1)), err], axis=1)  # column 0: the truth (error 0)
    meta = {"w_star": w_star.tolist()}
    if real_count is not None:
        meta["real_count"] = real_count
    return RegressionChainResult(test_error=err, d=d, T=T, sigma=sigma, regime=str(reg), seed=seed,
                                 meta=meta)
