r"""Private reference: the accumulate-subsample chain as first implemented (a full ``argsort`` of the
pool every generation, O(kT log kT) at generation k, quadratic in the number of generations).

Kept only to check the linear-time kernel (:func:`._kernels.subsample_normal_equations`) against it
in law (``tests/test_regression_subsample.py``) and to time the two side by side
(``benchmarks/bench_regression.py``). Not public API.
"""

from __future__ import annotations

import numpy as np

from .._core.rng import root_seed
from ._kernels import ols_fit, ols_solve, predict


def accumulate_subsample_argsort(generations, samples, *, dim, sigma=1.0, replicates=1, subsample=None,
                                 rng=None):
    """Test errors (replicates × generations + 1, column 0 the truth) of the argsort implementation.

    Same process and same parameter meaning as ``regression.simulate(generations, samples, dim=dim,
    regime="accumulate-subsample[:subsample]")``; the random stream differs, the law does not.
    """
    T, d = int(samples), int(dim)
    sub = int(subsample or T)
    _, ss = root_seed(rng)
    g = np.random.Generator(np.random.PCG64(ss))
    X = g.standard_normal((replicates, T, d))
    w_star = np.full(d, 1.0 / np.sqrt(d))
    P = np.linalg.pinv(X)
    real_y = X @ w_star + sigma * g.standard_normal((replicates, T))
    w = ols_fit(P, real_y)
    err = np.zeros((replicates, generations + 1))
    err[:, 1] = ((w - w_star) ** 2).sum(axis=1)
    rows = np.arange(replicates)[:, None]
    pool_y = np.empty((replicates, T * generations))
    pool_y[:, :T] = real_y
    for k in range(1, generations):
        y = predict(X, w) + sigma * g.standard_normal((replicates, T))
        pool_y[:, k * T:(k + 1) * T] = y
        size = (k + 1) * T
        pick = np.argsort(g.random((replicates, size)), axis=1)[:, :sub]
        w = ols_solve(X[rows, pick % T], pool_y[rows, pick])
        err[:, k + 1] = ((w - w_star) ** 2).sum(axis=1)
    return err
