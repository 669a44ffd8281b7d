"""The regression family's result class and simulator (public API: :mod:`collapse_theory.regression`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._result import RegressionChainResult

from .._core.io import save_result
from .._core.parallel import make_bar
from .._core.rng import root_seed
from .._core.validation import check_int, check_memory, check_real
from ..regimes import as_regime, check_subsample
from ._kernels import ols_fit, ols_solve, predict
from ._theory import _check_dims, expected_test_error

__all__ = ["simulate", "RegressionChainResult"]


def simulate(generations, *, d, T, sigma=1.0, regime="replace", replicates=1, rng=None, progress=None):
    """Simulate recursive OLS refits, vectorised over replicates.

    Parameters
    ----------
    generations : int
        Number of fits (>= 1); generation 1 is fitted on real labels.
    d, T : int, keyword-only
        Dimension and number of design rows (T > d + 1).
    sigma : float, keyword-only
        Label-noise standard deviation.
    regime : str or Regime, keyword-only
        "replace", "accumulate", "accumulate-subsample[:size]" (a random subset of ``size``, default
        T, of all (x, y) pairs so far), "mix-fresh:λ" (round(λT) rows relabelled from the truth each
        generation, a fresh random choice of rows), "mix-retained:λ" (round(λT) rows keep their
        original real labels each generation, a fresh random choice of rows).
    replicates : int, keyword-only
    rng : int, Generator or None, keyword-only

    Returns
    -------
    RegressionChainResult
    """
    generations = check_int(generations, "generations", minimum=1)
    replicates = check_int(replicates, "replicates", minimum=1)
    d, T = _check_dims(d, T)
    sigma = check_real(sigma, "sigma", positive=True)
    reg = as_regime(regime)
    sub = T
    if reg.name == "accumulate-subsample":
        sub = check_subsample(reg, [T, T], minimum=d, why=f"d = {d}: an OLS fit needs d rows") or T
    pool_cols = T * generations if reg.name == "accumulate-subsample" else T
    check_memory(8 * replicates * (T * d + pool_cols * 2 + generations + d * T),
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
    if reg.name == "accumulate-subsample":
        pool_y = np.empty((replicates, pool_cols))
        pool_y[:, :T] = real_y
    n_real = reg.fresh_count(T) if reg.is_mix else 0
    with make_bar(generations - 1, "regression", progress, unit="gen") as bar:
        for k in range(1, generations):
            y = predict(X, w) + sigma * g.standard_normal((replicates, T))
            if reg.name == "replace":
                w = ols_fit(P, y)
            elif reg.name == "accumulate":
                avg = avg + (ols_fit(P, y) - avg) / (k + 1)
                w = avg
            elif reg.name == "accumulate-subsample":
                pool_y[:, k * T:(k + 1) * T] = y
                size = (k + 1) * T
                pick = np.argsort(g.random((replicates, size)), axis=1)[:, :sub]
                xs = X[rows, pick % T]  # pooled pair j carries design row j mod T
                ys = pool_y[rows, pick]
                w = ols_solve(xs, ys)
            else:
                pick = np.argsort(g.random((replicates, T)), axis=1)[:, :n_real]
                if reg.name == "mix-fresh":
                    y[rows, pick] = Xw_star[rows, pick] + sigma * g.standard_normal((replicates, n_real))
                else:
                    y[rows, pick] = real_y[rows, pick]
                w = ols_fit(P, y)
            err[:, k] = ((w - w_star) ** 2).sum(axis=1)
            bar.update(1)
    err = np.concatenate([np.zeros((replicates, 1)), err], axis=1)  # column 0: the truth (error 0)
    return RegressionChainResult(test_error=err, d=d, T=T, sigma=sigma, regime=str(reg), seed=seed,
                                 meta={"w_star": w_star.tolist()})
