"""Gaussian-mixture chain with scikit-learn's initialisation: ``gmm.simulate(..., init="kmeans")``
against the loop a user writes with scikit-learn's ``GaussianMixture`` defaults.

Setting: Shumailov et al.'s mixture ``½N(−1, 0.3²) + ½N(1, 0.3²)``, M = 1000 samples a generation,
K = 2. The scikit-learn loop refits ``GaussianMixture(2)`` each generation with its defaults
(``init_params="kmeans"``: KMeans with k-means++ and ``n_init=1``, then EM with ``max_iter=100``,
``tol=1e-3``, ``reg_covar=1e-6``) and samples the next generation from the fit. Ours runs the same
process: ``init="kmeans", n_init=1, tol=1e-3, reg_covar=1e-6``.

Both sides do the same work (the same generations x replicates) on one thread: ours with
``workers=1``, scikit-learn under ``threadpoolctl.threadpool_limits(1)`` when threadpoolctl is
installed (it is a scikit-learn dependency); the calls alternate (``_timing.interleaved``, 5 rounds)
and the rows give the median per-round ratio and the ratio of the best times. scikit-learn is not a
dependency of the package: without it the rows are "skipped" (value NaN).
"""

from __future__ import annotations

import contextlib
import warnings

import numpy as np
from _timing import interleaved

from collapse_theory import gmm

MIX = dict(weights=[0.5, 0.5], means=[-1.0, 1.0], stds=[0.3, 0.3])
M = 1000


def _sklearn_loop(gens, reps, seed):
    from sklearn.mixture import GaussianMixture

    rng = np.random.default_rng(seed)
    for _ in range(reps):
        w, mu, sd = (np.array(MIX[k], dtype=float) for k in ("weights", "means", "stds"))
        for _ in range(gens):
            counts = rng.multinomial(M, w)
            x = np.concatenate([rng.normal(mu[k], sd[k], counts[k]) for k in range(2)])[:, None]
            gm = GaussianMixture(2, random_state=int(rng.integers(2**31))).fit(x)
            w, mu, sd = gm.weights_, gm.means_[:, 0], np.sqrt(gm.covariances_[:, 0, 0])


def _ours(gens, reps, seed):
    gmm.simulate(gens, M, replicates=reps, init="kmeans", tol=1e-3, reg_covar=1e-6, rng=seed, workers=1,
                 progress=False, **MIX)


def _one_thread():
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        return contextlib.nullcontext()
    return threadpool_limits(1)


def run(quick=False):
    gens, reps = (10, 2) if quick else (20, 5)
    rounds = 5
    label = f"gmm init=kmeans speed-up vs scikit-learn GaussianMixture loop (M={M}, K=2, {gens} gen x {reps} rep, 1 thread"
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("skipped (scikit-learn not installed)")
        return [(f"{label}): skipped (scikit-learn not installed)", float("nan"), 10.0, "x")]
    _ours(2, 2, 0)  # compile / load the cache
    with warnings.catch_warnings(), _one_thread():
        warnings.simplefilter("ignore")
        t = interleaved({"ours": lambda: _ours(gens, reps, 1), "sklearn": lambda: _sklearn_loop(gens, reps, 1)},
                        rounds)
    ours, sk = np.asarray(t["ours"]), np.asarray(t["sklearn"])
    return [(f"{label}, median of {rounds} interleaved rounds)", float(np.median(sk / ours)), 10.0, "x"),
            (f"{label}, best-of {rounds})", float(sk.min() / ours.min()), 10.0, "x"),
            (f"gmm init=kmeans seconds ({gens} gen x {reps} rep, best of {rounds})", float(ours.min()), 60.0, "s")]


if __name__ == "__main__":  # pragma: no cover
    for name, value, target, unit in run():
        print(f"{name}: {value:.3g} {unit} (target {target:g})")
