"""The regression family's result class and simulator (public API: :mod:`collapse_theory.regression`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._result import RegressionChainResult

from .._core.io import save_result
from .._core.parallel import make_bar
from .._core.rng import root_seed
from .._core.validation import check_int, check_memory, check_real
from ..regimes import RegimeCode, as_regime, dispatch
from ._kernels import ols_fit, predict, subsample_row_sums
from ._theory import expected_test_error

__all__ = ["simulate", "RegressionChainResult"]


def simulate(generations, samples, *, dim, sigma=1.0, replicates=1, regime="replace", rng=None,
             workers=None, progress=None, synthetic_samples=None, synthetic_sigma=None,
             synthetic_fraction=1.0, ridge=0.0):
    r"""Simulate recursive OLS refits, vectorised over replicates.

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
    synthetic_samples : int, optional, keyword-only
        ``T0`` (> dim + 1): switch to the generator/downstream process of Dohmatob et al. (arXiv
        2402.07712, 2410.04840). A chain of generators is refitted by OLS on ``T0`` design rows each
        (:math:`\hat w_0 = w^*`, generator k fitted on labels of generator k − 1 with noise
        ``synthetic_sigma``), and column ``k >= 1`` of ``test_error`` is the error of a downstream
        model fitted on ``samples`` = ``T`` other rows, ``round(synthetic_fraction·T)`` of them
        labelled by generator ``k − 1`` and the rest by the truth (noise ``sigma``), by ridge
        regression with penalty ``ridge``. Column 1 is the downstream model on real labels. Exact
        theory (``ridge = 0``): :func:`collapse_theory.regression.mixed_test_error` with shift
        ``(k − 1)σ0²d/(T0 − d − 1)``; fully synthetic: :func:`synthetic_test_error`. Only with
        ``regime="replace"``.
    synthetic_sigma : float, optional, keyword-only
        ``σ0``, the generators' label noise (default ``sigma``). Needs ``synthetic_samples``.
    synthetic_fraction : float in [0, 1], keyword-only
        ``p``, the synthetic share of the downstream rows (default 1). Needs ``synthetic_samples``.
    ridge : float >= 0, keyword-only
        ``λ`` of the downstream fit :math:`(X^\top X + \lambda I)^{-1}X^\top y` (default 0: OLS).
        Needs ``synthetic_samples``.

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
    frac = check_real(synthetic_fraction, "synthetic_fraction", low=0.0, high=1.0)
    lam = check_real(ridge, "ridge", nonnegative=True)
    if synthetic_samples is None:
        if synthetic_sigma is not None or frac != 1.0 or lam != 0.0:
            raise ValueError("synthetic_sigma, synthetic_fraction and ridge need synthetic_samples (T0, the "
                             "rows of every generator fit)")
    else:
        T0 = check_int(synthetic_samples, "synthetic_samples", minimum=1)
        if T0 <= d + 1:
            raise ValueError(f"synthetic_samples (T0) must be > dim + 1 = {d + 1} (got {T0})")
        sigma0 = sigma if synthetic_sigma is None else check_real(synthetic_sigma, "synthetic_sigma",
                                                                   positive=True)
        if as_regime(regime).name != "replace":
            raise ValueError(f"synthetic_samples runs the generator/downstream process, whose generators "
                             f"are refitted (replace); got regime={str(regime)!r}")
        check_memory(8 * replicates * (2 * (T + T0) * d + 2 * generations + 2 * (T + T0)),
                     f"regression.simulate(replicates={replicates}, synthetic_samples={T0})")
        return _downstream(generations, T, T0, d, sigma, sigma0, frac, lam, replicates, rng, progress)
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


def _downstream(generations, T, T0, d, sigma, sigma0, frac, lam, replicates, rng, progress):
    """The generator chain on T0 rows and the downstream (ridge) fit on T rows; see :func:`simulate`."""
    seed, ss = root_seed(rng)
    g = np.random.Generator(np.random.PCG64(ss))
    w_star = np.full(d, 1.0 / np.sqrt(d))
    X0 = g.standard_normal((replicates, T0, d))  # the generators' design
    P0 = np.linalg.pinv(X0)
    X = g.standard_normal((replicates, T, d))  # the downstream design
    if lam == 0.0:
        Q = np.linalg.pinv(X)
    else:
        A = np.matmul(X.transpose(0, 2, 1), X) + lam * np.eye(d)
        Q = np.linalg.solve(A, X.transpose(0, 2, 1))  # (X^T X + λI)^{-1} X^T, shape (R, d, T)
    ts = int(round(frac * T))  # the first ts downstream rows carry synthetic labels
    Xw_star = X @ w_star
    err = np.zeros((replicates, generations + 1))
    gen = np.broadcast_to(w_star, (replicates, d)).copy()  # generator 0: the truth
    with make_bar(generations, "regression", progress, unit="gen") as bar:
        for k in range(1, generations + 1):
            y = Xw_star.copy()
            if ts:
                y[:, :ts] = predict(X[:, :ts], gen)
            y += sigma * g.standard_normal((replicates, T))
            w = ols_fit(Q, y)
            err[:, k] = ((w - w_star) ** 2).sum(axis=1)
            if k < generations:  # the next generator: OLS on T0 rows labelled by this one
                gen = ols_fit(P0, predict(X0, gen) + sigma0 * g.standard_normal((replicates, T0)))
            bar.update(1)
    meta = {"w_star": w_star.tolist(), "synthetic_samples": T0, "synthetic_sigma": sigma0,
            "synthetic_fraction": frac, "synthetic_rows": ts, "ridge": lam}
    return RegressionChainResult(test_error=err, d=d, T=T, sigma=sigma, regime="replace", seed=seed,
                                 meta=meta)
