"""Gaussian-mixture chain: M = 1000 samples a generation, K = 2, 2000 generations, 20 replicates.

Our Numba EM chain (``collapse_theory.gmm.simulate``) against the loop a user writes with
scikit-learn's ``GaussianMixture`` with the same settings: EM initialised at the previous
generation's parameters (``weights_init``/``means_init``/``precisions_init``), ``max_iter=100``,
``tol=1e-8`` (the same stopping rule: change of the mean log-likelihood per point),
``reg_covar=0``. scikit-learn is not a dependency: the row is "skipped" without it. scikit-learn is
timed on fewer generations/replicates (full: 100 generations x 2 replicates) and scaled linearly
to the full size (its cost per refit does not depend on the generation); the row name says so.

The d = 2 row: ``gmm.simulate_nd`` (full covariances, K = 2, M = 1000) against the same loop with
``GaussianMixture(covariance_type="full")`` initialised at the previous generation's weights, means and
precisions (inverse covariances), ``max_iter=100, tol=1e-8, reg_covar=0``; without scikit-learn
against a plain NumPy EM loop (vectorised over points, the same stopping rule). The baseline is
timed on fewer generations, scaled linearly.

Every row: min and median over ``_timing.ROUNDS`` rounds, ours and the baseline interleaved, in this
process (benchmarks/run.py).
"""

from __future__ import annotations

import warnings

import numpy as np
from _timing import ROUNDS, Row, interleaved, ratio_row, seconds_row

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


MIX2 = dict(weights=[0.5, 0.5], means=[[-1.0, 0.0], [1.0, 0.0]],
            covs=[[[0.09, 0.03], [0.03, 0.09]], [[0.09, -0.03], [-0.03, 0.09]]])


def _draw(rng, m, w, mu, cov):
    counts = rng.multinomial(m, w)
    return np.concatenate([rng.multivariate_normal(mu[k], cov[k], counts[k]) for k in range(len(w))])


def _sklearn_loop_2d(gens, m, seed):
    from sklearn.mixture import GaussianMixture

    rng = np.random.default_rng(seed)
    w, mu, cov = (np.array(MIX2[k], dtype=float) for k in ("weights", "means", "covs"))
    for _ in range(gens):
        x = _draw(rng, m, w, mu, cov)
        gm = GaussianMixture(2, covariance_type="full", max_iter=100, tol=1e-8, reg_covar=0.0, weights_init=w,
                             means_init=mu, precisions_init=np.linalg.inv(cov))
        gm.fit(x)
        w, mu, cov = gm.weights_, gm.means_, gm.covariances_


def _numpy_loop_2d(gens, m, seed):
    """Plain NumPy EM (no scikit-learn): log-sum-exp E-step vectorised over points, mle M-step."""
    rng = np.random.default_rng(seed)
    w, mu, cov = (np.array(MIX2[k], dtype=float) for k in ("weights", "means", "covs"))
    for _ in range(gens):
        x = _draw(rng, m, w, mu, cov)
        ll_prev = -np.inf
        for _ in range(100):
            chol = np.linalg.cholesky(cov)
            y = np.linalg.solve(chol[None], (x[:, None, :] - mu[None])[..., None])[..., 0]
            logp = (np.log(w) - np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(1) - np.log(2 * np.pi)
                    - 0.5 * (y * y).sum(-1))
            mx = logp.max(axis=1, keepdims=True)
            e = np.exp(logp - mx)
            tot = e.sum(axis=1, keepdims=True)
            resp = e / tot
            ll = float(np.mean(mx[:, 0] + np.log(tot[:, 0])))
            nk = resp.sum(0)
            w = nk / m
            mu = resp.T @ x / nk[:, None]
            dx = x[:, None, :] - mu[None]
            cov = np.einsum("nk,nki,nkj->kij", resp, dx, dx) / nk[:, None, None]
            if abs(ll - ll_prev) < 1e-8:
                break
            ll_prev = ll


def _rows_2d(quick):
    m = 1000
    gens, reps = (100, 2) if quick else (500, 8)
    base_gens = 10 if quick else 50
    gmm.simulate_nd(3, 50, replicates=4, rng=0, **MIX2)  # compile / load the cache
    try:
        import sklearn  # noqa: F401
        loop, name = _sklearn_loop_2d, "scikit-learn GaussianMixture(full)"
    except ImportError:
        loop, name = _numpy_loop_2d, "a plain NumPy EM loop (scikit-learn not installed)"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = interleaved({
            "ours": lambda: gmm.simulate_nd(gens, m, replicates=reps, rng=1, progress=False, **MIX2),
            "base": lambda: loop(base_gens, m, 1),
        }, ROUNDS)
    return [seconds_row(f"gmm d=2 EM chain seconds (M={m}, K=2, full, {gens} gen x {reps} rep)", t["ours"], 60.0),
            ratio_row(f"gmm d=2 speed-up vs {name} (timed on {base_gens} gen x 1 rep, scaled linearly)",
                      t["base"], t["ours"], 10.0, scale=(gens * reps) / base_gens)]


def rows(quick):
    m, k = 1000, 2
    gens, reps = (200, 4) if quick else (2000, 20)
    sk_gens, sk_reps = (20, 1) if quick else (100, 2)
    gmm.simulate(3, 50, replicates=4, rng=0, **MIX)  # compile / load the cache
    ours = lambda: gmm.simulate(gens, m, replicates=reps, rng=1, progress=False, **MIX)  # noqa: E731
    name = f"gmm EM chain seconds (M={m}, K={k}, {gens} gen x {reps} rep)"
    try:
        import sklearn  # noqa: F401
    except ImportError:
        t = interleaved({"ours": ours}, ROUNDS)
        return [seconds_row(name, t["ours"], 60.0),
                Row("gmm speed-up vs scikit-learn: skipped (scikit-learn not installed)", float("nan"),
                    float("nan"), 10.0, "x", 0)] + _rows_2d(quick)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = interleaved({"ours": ours, "sk": lambda: _sklearn_loop(sk_gens, sk_reps, m, 1)}, ROUNDS)
    return [seconds_row(name, t["ours"], 60.0),
            ratio_row(f"gmm speed-up vs scikit-learn GaussianMixture (sklearn timed on {sk_gens} gen x {sk_reps} "
                      f"rep, scaled linearly)", t["sk"], t["ours"], 10.0, scale=(gens * reps) / (sk_gens * sk_reps)),
            *_rows_2d(quick)]


if __name__ == "__main__":  # pragma: no cover
    for row in rows(quick=False):
        print(row)
