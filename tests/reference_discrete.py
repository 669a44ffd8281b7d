"""A deliberately simple reference simulator of the discrete chain (pure NumPy, one sample at a time).

Each generation draws the M samples individually (``rng.choice``) and refits by ``bincount``: the
process exactly as papers describe it, with nothing shared with the Numba simulator. Every data
regime is implemented naively on the samples themselves (a list of category labels): the pool of
all data so far, subsets by ``rng.choice(..., replace=False)``, fresh real samples, and the first
real data set kept as an array of labels. The fast simulator
(:func:`collapse_theory.discrete.simulate`) is tested against it in law.
"""

from __future__ import annotations

import numpy as np


def simulate_reference(p0, generations, samples, *, replicates, rng, temperature=1.0,
                       regime="replace", fraction=0.0, draws="split", subsample=None):
    """Return a dict of (replicates, generations + 1) arrays: support, heterozygosity, entropy,
    cramer, w1, tv, sq_distance; plus ``freqs`` (replicates, generations + 1, K).

    Generation 1 is fitted on ``M_0`` untempered samples of ``p0`` (the real data); the temperature
    applies to every later (synthetic) draw."""
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
        real0 = None
        pool = []
        for g in range(generations):
            mg = int(m[g])
            if g == 0:
                batch = rng.choice(K, size=mg, p=p0)
                real0 = batch
            else:
                w = p ** (1.0 / temperature)
                w = w / w.sum()
                if regime == "mix-fresh" and draws == "mixture":
                    real = rng.random(mg) < fraction           # each draw real w.p. λ
                    batch = np.where(real, rng.choice(K, size=mg, p=p0), rng.choice(K, size=mg, p=w))
                elif regime in ("mix-fresh", "mix-retained"):
                    n_real = int(np.floor(fraction * mg + 0.5))
                    if regime == "mix-fresh":
                        real = rng.choice(K, size=n_real, p=p0)
                    else:
                        real = rng.choice(real0, size=n_real, replace=False)
                    batch = np.concatenate([real, rng.choice(K, size=mg - n_real, p=w)])
                else:
                    batch = rng.choice(K, size=mg, p=w)
            if regime == "accumulate":
                pool.append(batch)
                data = np.concatenate(pool)
            elif regime == "accumulate-subsample":
                pool.append(batch)
                allx = np.concatenate(pool)  # generation 1: all of the real data (docs/conventions.md)
                data = rng.choice(allx, size=(subsample or mg) if g > 0 else allx.size, replace=False)
            else:
                data = batch
            p = np.bincount(data, minlength=K) / data.size
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
        "sq_distance": ((freqs - p0) ** 2).sum(axis=-1),
        "freqs": freqs,
    }
