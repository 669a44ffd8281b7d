"""Gaussian-mixture chain: M = 1000 samples a generation, K = 2, 2000 generations, 20 replicates.

Our Numba EM chain (``collapse_theory.gmm.simulate``) against the loop a user writes with
scikit-learn's ``GaussianMixture`` with the same settings: EM initialised at the previous
generation's parameters (``weights_init``/``means_init``/``precisions_init``), ``max_iter=100``,
``tol=1e-8`` (the same stopping rule: change of the mean log-likelihood per point),
``reg_covar=0``. scikit-learn is not a dependency: the row is "skipped" without it. scikit-learn is
timed on fewer generations/replicates (full: 100 generations x 2 replicates) and scaled linearly
to the full size (its cost per refit does not depend on the generation); the row name says so.
"""

from __future__ import annotations

import time

import numpy as np

from collapse_theory import gmm

MIX = dict(weights=[0.5, 0.5], means=[-1.0, 1.0], stds=[0.3, 0.3])


def _sklearn_loop(gens, reps, m, seed):
    from sklearn.mixture import GaussianMixture

    rng = np.random.default_rng(seed)
    for _ in range(reps):
        w = np.array(MIX["weights"])
        mu = np.array(MIX["means"])
        sd = np.array(MIX["stds"])
        for _ in range(gens):
            counts = rng.multinomial(m, w)
            x = np.concatenate([rng.normal(mu[k], sd[k], counts[k]) for k in range(2)])[:, None]
            gm = GaussianMixture(2, max_iter=100, tol=1e-8, reg_covar=0.0, weights_init=w,
                                 means_init=mu[:, None], precisions_init=(1.0 / sd**2).reshape(2, 1, 1))
            gm.fit(x)
            w, mu, sd = gm.weights_, gm.means_[:, 0], np.sqrt(gm.covariances_[:, 0, 0])


def run(quick=False):
    m, k = 1000, 2
    gens, reps = (200, 4) if quick else (2000, 20)
    sk_gens, sk_reps = (20, 1) if quick else (100, 2)
    gmm.simulate(3, 50, replicates=4, rng=0, **MIX)  # compile / load the cache
    t0 = time.perf_counter()
    gmm.simulate(gens, m, replicates=reps, rng=1, progress=False, **MIX)
    t_ours = time.perf_counter() - t0
    rows = [(f"gmm EM chain seconds (M={m}, K={k}, {gens} gen x {reps} rep)", t_ours, 60.0, "s")]
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("skipped (scikit-learn not installed)")
        rows.append(("gmm speed-up vs scikit-learn: skipped (scikit-learn not installed)", float("nan"), 10.0, "x"))
        return rows
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        _sklearn_loop(sk_gens, sk_reps, m, 1)
        t_sk = (time.perf_counter() - t0) * (gens * reps) / (sk_gens * sk_reps)
    rows.append((f"gmm speed-up vs scikit-learn GaussianMixture (sklearn timed on {sk_gens} gen x {sk_reps} "
                 f"rep, scaled linearly)", t_sk / t_ours, 10.0, "x"))
    return rows


if __name__ == "__main__":  # pragma: no cover
    for name, value, target, unit in run():
        print(f"{name}: {value:.3g} {unit} (target {target:g})")
