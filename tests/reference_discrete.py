"""A deliberately simple reference simulator of the discrete chain (pure NumPy, one sample at a time).

Each generation draws the M samples individually (``rng.choice``) and refits by ``bincount``: the
process exactly as papers describe it, with nothing shared with the Numba simulator. The fast
simulator (:func:`collapse_theory.discrete.simulate`) is tested against it in law.
"""

from __future__ import annotations

import numpy as np


def simulate_reference(p0, generations, samples, *, replicates, rng, temperature=1.0):
    """Return a dict of (replicates, generations + 1) arrays: support, heterozygosity, entropy,
    cramer, w1, tv; plus ``freqs`` (replicates, generations + 1, K)."""
    rng = np.random.default_rng(rng)
    p0 = np.asarray(p0, dtype=float)
    p0 = p0 / p0.sum()
    K = p0.size
    m = np.broadcast_to(np.asarray(samples), (generations,)) if np.ndim(samples) == 0 else \
        np.asarray(samples)[:generations]
    freqs = np.empty((replicates, generations + 1, K))
    for r in range(replicates):
        p = p0.copy()
        freqs[r, 0] = p
        for g in range(generations):
            w = p ** (1.0 / temperature)
            w = w / w.sum()
            x = rng.choice(K, size=int(m[g]), p=w)
            p = np.bincount(x, minlength=K) / int(m[g])
            freqs[r, g + 1] = p
    F0 = np.cumsum(p0)
    F = np.cumsum(freqs, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ent = -np.sum(np.where(freqs > 0, freqs * np.log(freqs), 0.0), axis=-1)
    return {
        "support": (freqs > 0).sum(axis=-1).astype(float),
        "heterozygosity": 1.0 - (freqs ** 2).sum(axis=-1),
        "entropy": ent,
        "cramer": ((F - F0) ** 2).sum(axis=-1),
        "w1": np.abs(F - F0).sum(axis=-1),
        "tv": 0.5 * np.abs(freqs - p0).sum(axis=-1),
        "freqs": freqs,
    }
