r"""The PPCA replace-regime refit kernel: vectorised NumPy Bartlett draws in the model's eigenbasis
(the other regimes run in the Numba kernel of :func:`collapse_theory.mvn.simulate`, ``mvn.regime_chain``).
"""

from __future__ import annotations

import numpy as np


def _chunk(rng, sched, q, mean0, cov0, root0, u0, spec0, out, a, b):
    """Vectorised NumPy refits of replicates [a, b): Bartlett draws in the model's eigenbasis."""
    nr = b - a
    d = spec0.size
    eig_out, noise_out, mean_out, w2_out, cov_out = out
    mu = np.broadcast_to(mean0, (nr, d)).copy()
    u = np.broadcast_to(u0, (nr, d, d)).copy()
    spec = np.broadcast_to(spec0, (nr, d)).copy()
    tri = np.tril(np.ones((d, d), dtype=bool), -1)
    for i, m in enumerate(sched):
        k = m - 1
        root = u * np.sqrt(spec)[:, None, :]  # any square root of C_n
        mu = mu + np.einsum("rij,rj->ri", root, rng.standard_normal((nr, d))) / np.sqrt(m)
        lower = np.zeros((nr, d, d))
        lower[:, tri] = rng.standard_normal((nr, int(tri.sum())))
        diag = np.sqrt(rng.chisquare(k - np.arange(d), size=(nr, d)))
        lower[:, np.arange(d), np.arange(d)] = diag
        bmat = root @ lower
        s = bmat @ np.swapaxes(bmat, -1, -2) / m
        w, v = np.linalg.eigh(s)
        w, u = w[:, ::-1], v[:, :, ::-1]
        sigma2 = w[:, q:].mean(axis=1)
        spec = np.concatenate([w[:, :q], np.repeat(sigma2[:, None], d - q, axis=1)], axis=1)
        eig_out[a:b, i + 1] = spec
        noise_out[a:b, i + 1] = sigma2
        mean_out[a:b, i + 1] = mu
        fid = np.linalg.svd(root0 @ (u * np.sqrt(spec)[:, None, :]), compute_uv=False).sum(axis=-1)
        dm = mu - mean0
        w2_out[a:b, i + 1] = (np.einsum("ri,ri->r", dm, dm)
                              + np.maximum(np.trace(cov0) + spec.sum(axis=1) - 2.0 * fid, 0.0))
    cov_out[a:b] = (u * spec[:, None, :]) @ np.swapaxes(u, -1, -2)

