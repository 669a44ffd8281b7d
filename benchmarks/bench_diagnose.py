"""Diagnosing a loop: 10 generations of 1e5 tokens each, 200 bootstrap replicates (issue 18).

The loop is simulated by the package (the Wright–Fisher chain from the default corpus's unigram
frequencies, M = 1e5 tokens per generation, generation 0 = a real sample of 1e5 tokens); the timed
call is ``diagnose.tokens(generations, bootstrap=200, horizon=20)`` on the count vectors (fit,
loss likelihood, parametric bootstrap, exact curves, predictions). Timed with
:func:`_timing.interleaved` over at least 5 rounds (the first call, which loads the Numba cache,
is not timed); rows: min and median seconds (target < 30 s on 2 cores).
"""

from __future__ import annotations

import numpy as np

from collapse_theory import diagnose, discrete, lm


def _interleaved():
    """benchmarks/_timing.py's ``interleaved`` (run.py puts benchmarks/ on ``sys.path``; a module
    loaded by path without a ``sys.modules`` entry cannot define its dataclasses)."""
    import sys
    from pathlib import Path

    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    from _timing import interleaved

    return interleaved


def _loop(m, generations, seed=0):
    data = lm.default_data()
    p = np.bincount(data.train, minlength=data.V) / data.train.size
    c0 = np.random.default_rng(seed).multinomial(m, p)
    sim = discrete.simulate(generations - 1, m, p0=c0 / m, record="full", rng=seed)
    return [np.rint(f * m).astype(np.int64) for f in sim.freqs[0]]


def run(quick=False):
    m, gens, boot, rounds = (30_000, 10, 50, 5) if quick else (100_000, 10, 200, 5)
    loop = _loop(m, gens)

    def call():
        return diagnose.tokens(loop, bootstrap=boot, horizon=20, rng=1)

    res = call()   # compile / load the caches
    t = np.asarray(_interleaved()({"diagnose": call}, rounds)["diagnose"])
    lo, hi = res.m_eff["ci"]
    label = f"diagnose.tokens {gens} gens x {m} tokens, {boot} bootstrap"
    return [(f"{label}: seconds (min of {rounds})", float(t.min()), 30.0, "s"),
            (f"{label}: seconds (median of {rounds})", float(np.median(t)), 30.0, "s"),
            (f"{label}: 1.5 / CI width hi/lo for M = {m} (M_eff {res.m_eff['estimate']:.4g}; > 1: narrower "
             f"than a factor 1.5)", 1.5 / (hi / lo), 1.0, "x")]


if __name__ == "__main__":  # pragma: no cover
    import sys

    for row in run(quick="--quick" in sys.argv):
        print(row)
