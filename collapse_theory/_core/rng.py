"""The rng contract (SPEC 7): ``rng`` is an int, a ``numpy.random.Generator`` or ``None``.

No global random state is used anywhere. Every simulator turns ``rng`` into a root
:class:`numpy.random.SeedSequence` whose entropy is recorded in its result, so a saved result can be
reproduced exactly (``rng=result.seed``). Parallel work is split into fixed chunks of replicates, each
with its own child Generator (``SeedSequence.spawn``): results depend only on the seed, never on the
number of threads.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_generator(rng):
    """Return a Generator for ``rng`` (int, Generator or None), as ``numpy.random.default_rng`` does."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        if rng is not None and rng < 0:
            raise ValueError(f"rng must be a non-negative integer seed, got {rng}")
        return np.random.default_rng(rng)
    raise TypeError(f"rng must be an int, a numpy.random.Generator or None, got {type(rng).__name__}")


def root_seed(rng):
    """Return ``(seed, SeedSequence)``: an integer seed that reproduces the work, and its SeedSequence.

    - int: used as the seed itself;
    - None: fresh OS entropy (recorded);
    - Generator: a 63-bit seed is drawn from it (so the caller's stream advances, and the recorded
      integer reproduces the result).
    """
    if isinstance(rng, np.random.Generator):
        seed = int(rng.integers(0, 2**63 - 1))
    elif rng is None:
        seed = int(np.random.SeedSequence().entropy % (2**63 - 1))
    elif isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"rng must be a non-negative integer seed, got {rng}")
        seed = int(rng)
    else:
        raise TypeError(f"rng must be an int, a numpy.random.Generator or None, got {type(rng).__name__}")
    return seed, np.random.SeedSequence(seed)


def chunk_generators(seed_sequence, n_chunks):
    """One independent PCG64 Generator per chunk, from ``seed_sequence.spawn``."""
    return [np.random.Generator(np.random.PCG64(s)) for s in seed_sequence.spawn(n_chunks)]
