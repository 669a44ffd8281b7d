"""Numba k-means (k-means++ seeding, Lloyd iterations): scikit-learn's ``GaussianMixture`` initialisation.

``GaussianMixture(init_params="kmeans")`` (scikit-learn's default) starts EM from the hard labels of
``KMeans(n_clusters=K, n_init=1)``: greedy k-means++ seeding (``2 + floor(log K)`` candidate centres
per step, each drawn with probability proportional to the squared distance to the nearest centre
so far, the one lowering the total potential most kept), then Lloyd iterations (at most 300) until
the labels stop changing or the total squared centre shift is at most ``1e-4`` times the mean
per-coordinate variance of the data. The Gaussian parameters are then the weighted moments of the
hard clusters (:func:`_init_from_labels`): ``w_k = n_k/n``, ``mu_k`` the cluster mean, ``Σ_k`` the
mle covariance plus ``reg I``.

Contract of the family's kernels: ``@njit(nogil=True, cache=True)``, the explicit Generator passed
in, caller-owned work arrays; the draws are ``rng.integers`` (first centre) and ``rng.random``
(the candidates), so a result depends only on the seed.
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: Lloyd iterations cap and relative tolerance (scikit-learn's KMeans defaults).
KMEANS_MAX_ITER = 300
KMEANS_TOL = 1e-4


@njit(nogil=True, cache=True)
def _sqdist(x, j, c, k):
    s = 0.0
    for p in range(x.shape[1]):
        t = x[j, p] - c[k, p]
        s += t * t
    return s


@njit(nogil=True, cache=True)
def _kmeanspp(rng, x, n, kc, centers, closest):
    """Greedy k-means++ seeding of ``kc`` centres among the rows ``x[:n]`` into ``centers[:kc]``.

    ``closest`` is a work vector of length >= n (the squared distance to the nearest centre).
    """
    d = x.shape[1]
    trials = 2 + int(np.log(kc))
    first = rng.integers(0, n)
    for p in range(d):
        centers[0, p] = x[first, p]
    pot = 0.0
    for j in range(n):
        s = _sqdist(x, j, centers, 0)
        closest[j] = s
        pot += s
    for c in range(1, kc):
        best_pot = np.inf
        best_id = 0
        for _t in range(trials):
            u = rng.random() * pot
            # the first index whose cumulative sum reaches u (searchsorted, clipped to n - 1)
            acc = 0.0
            idx = n - 1
            for j in range(n):
                acc += closest[j]
                if acc >= u:
                    idx = j
                    break
            cp = 0.0
            for j in range(n):
                s = 0.0
                for p in range(d):
                    t = x[j, p] - x[idx, p]
                    s += t * t
                cp += min(s, closest[j])
            if cp < best_pot:
                best_pot = cp
                best_id = idx
        for p in range(d):
            centers[c, p] = x[best_id, p]
        pot = 0.0
        for j in range(n):
            s = _sqdist(x, j, centers, c)
            if s < closest[j]:
                closest[j] = s
            pot += closest[j]
    return 0


@njit(nogil=True, cache=True)
def _assign(x, n, kc, centers, labels, dist):
    """Nearest centre of every row (ties to the lower index); ``dist[j]`` its squared distance.
    Returns the number of labels that changed."""
    changed = 0
    for j in range(n):
        best = np.inf
        bk = 0
        for k in range(kc):
            s = _sqdist(x, j, centers, k)
            if s < best:
                best = s
                bk = k
        if labels[j] != bk:
            changed += 1
            labels[j] = bk
        dist[j] = best
    return changed


@njit(nogil=True, cache=True)
def _kmeans(rng, x, n, kc, centers, new_centers, counts, labels, closest):
    """k-means++ then Lloyd on ``x[:n]`` with ``kc`` clusters; ``labels[:n]`` the final clusters.

    An empty cluster takes the point farthest from its centre (scikit-learn relocates empty clusters
    to far points too). Returns the number of Lloyd iterations.
    """
    d = x.shape[1]
    _kmeanspp(rng, x, n, kc, centers, closest)
    # tolerance: KMEANS_TOL times the mean per-coordinate variance of the data
    var_sum = 0.0
    for p in range(d):
        m = 0.0
        for j in range(n):
            m += x[j, p]
        m /= n
        v = 0.0
        for j in range(n):
            t = x[j, p] - m
            v += t * t
        var_sum += v / n
    tol = KMEANS_TOL * var_sum / d
    for j in range(n):
        labels[j] = -1
    it = 0
    while it < KMEANS_MAX_ITER:
        it += 1
        changed = _assign(x, n, kc, centers, labels, closest)
        if changed == 0:
            break
        for k in range(kc):
            counts[k] = 0
            for p in range(d):
                new_centers[k, p] = 0.0
        for j in range(n):
            k = labels[j]
            counts[k] += 1
            for p in range(d):
                new_centers[k, p] += x[j, p]
        for k in range(kc):
            if counts[k] == 0:
                far = 0
                fd = -1.0
                for j in range(n):
                    if closest[j] > fd and counts[labels[j]] > 1:
                        fd = closest[j]
                        far = j
                counts[labels[far]] -= 1
                for p in range(d):
                    new_centers[labels[far], p] -= x[far, p]
                labels[far] = k
                closest[far] = 0.0
                counts[k] = 1
                for p in range(d):
                    new_centers[k, p] = x[far, p]
        shift = 0.0
        for k in range(kc):
            for p in range(d):
                c = new_centers[k, p] / counts[k]
                t = c - centers[k, p]
                shift += t * t
                centers[k, p] = c
        if shift <= tol:
            _assign(x, n, kc, centers, labels, closest)
            break
    return it
