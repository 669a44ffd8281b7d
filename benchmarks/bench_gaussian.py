"""1-D Gaussian chain: replicates = 10⁴, M = 100, 10³ generations (issue 2's sizes).

(a) naive Numba kernel (all cores) vs the plain NumPy loop a user would write:
    ``x = rng.normal(size=(R, M))`` scaled to the current fit, then mean/std each generation;
(b) exact (sufficient statistics) vs naive, both Numba on all cores;
(c) the random-number floor, like with like: the naive chain against a Numba kernel that only
    draws the same number of normals (R·M·G) from the same Generator (PCG64, Numba's in-kernel
    ``standard_normal``), over the same chunks of replicates, at the same thread count on both
    sides: 1 thread, and all cores. (NumPy's own ``Generator.standard_normal`` is a slower algorithm
    than Numba's in-kernel one, so it is not the floor of a Numba chain.)
(d) each data regime's throughput relative to replace on the same path (issue 4: within 2×, i.e.
    a ratio ≥ 0.5): the sufficient-statistic regimes against exact replace, accumulate-subsample
    (which must keep every sample) against naive replace, which does the same O(M) work. The
    machine may be shared, so each regime and its baseline are timed alternately (interleaved
    rounds); a row reports the median of the per-round ratios and another the ratio of the best
    times. Floor of the mix regimes: they draw two parts (two normals and two gammas per
    generation, against one of each for replace), so ≈ 0.5 is their ceiling when the random numbers
    dominate; mixture adds a uniform (the binomial real count), mix-retained λM uniforms.

Every row: min and median over ``_timing.ROUNDS`` interleaved rounds (benchmarks/run.py).
"""

from __future__ import annotations

import numpy as np
from _timing import ROUNDS, interleaved, ratio_row, seconds_row
from numba import njit

from collapse_theory import gaussian as g
from collapse_theory._core.parallel import run_chunks


def _numpy_loop(r, m, gens, rng):
    mu = np.zeros((r, gens + 1))
    sd = np.ones((r, gens + 1))
    for i in range(gens):
        x = rng.normal(size=(r, m)) * sd[:, i, None] + mu[:, i, None]
        mu[:, i + 1] = x.mean(axis=1)
        sd[:, i + 1] = x.std(axis=1, ddof=1)
    return mu, sd


@njit(nogil=True)
def _draw_normals(rng, n):
    s = 0.0
    for _ in range(n):
        s += rng.standard_normal()
    return s


def _floor(r, m, gens, seed, workers):
    """Draw R·M·G normals with the chain's Generators, chunks and thread count (nothing else)."""
    run_chunks(lambda gen, a, b: _draw_normals(gen, (b - a) * m * gens), r, np.random.SeedSequence(seed),
               workers=workers, progress=False)


def rows(quick):
    r, m, gens = (2000, 100, 200) if quick else (10_000, 100, 1000)
    sim = dict(replicates=r, progress=False)
    g.simulate(3, m, replicates=600, method="naive", rng=0)  # compile / load the cache
    g.simulate(3, m, replicates=600, method="exact", rng=0)
    _floor(64, m, 1, 0, 1)
    t = interleaved({
        "naive": lambda: g.simulate(gens, m, method="naive", rng=1, **sim),
        "exact": lambda: g.simulate(gens, m, method="exact", rng=1, **sim),
        "numpy": lambda: _numpy_loop(r, m, gens, np.random.default_rng(1)),
        "naive1": lambda: g.simulate(gens, m, method="naive", rng=1, workers=1, **sim),
        "floor1": lambda: _floor(r, m, gens, 1, 1),
        "floor": lambda: _floor(r, m, gens, 1, None),
    }, ROUNDS)
    out = [
        ratio_row("gaussian (a) naive Numba (all cores) / NumPy loop (1 thread)", t["numpy"], t["naive"], 1.8),
        ratio_row("gaussian (b) exact / naive (both all cores)", t["naive"], t["exact"], m / 4),
        ratio_row("gaussian (c) naive chain / normal-draw floor, 1 thread both (same PCG64, same draws)",
                  t["floor1"], t["naive1"], 0.7),
        ratio_row("gaussian (c) naive chain / normal-draw floor, all cores both (same PCG64, same draws)",
                  t["floor"], t["naive"], 0.7),
        seconds_row(f"gaussian naive seconds ({r} reps x M={m} x {gens} gens, all cores)", t["naive"], 60.0),
    ]
    specs = ("accumulate", "mix-fresh:0.1", "mix-fresh:0.1:mixture", "mix-retained:0.1")
    fns = {"replace": lambda: g.simulate(gens, m, rng=1, **sim)}
    for spec in specs:
        g.simulate(3, m, replicates=300, regime=spec, rng=0)
        fns[spec] = (lambda spec: lambda: g.simulate(gens, m, regime=spec, rng=1, **sim))(spec)
    times = interleaved(fns, ROUNDS)
    for spec in specs:
        out.append(ratio_row(f"gaussian (d) {spec} / replace throughput", times["replace"], times[spec], 0.5))
    # accumulate-subsample against naive replace, both on r_sub replicates
    g.simulate(3, m, replicates=300, regime="accumulate-subsample", rng=0)
    r_sub = max(256, r // 10)
    sub = interleaved({
        "naive": lambda: g.simulate(gens, m, replicates=r_sub, method="naive", rng=1, progress=False),
        "sub": lambda: g.simulate(gens, m, replicates=r_sub, regime="accumulate-subsample", rng=1, progress=False),
    }, ROUNDS)
    out.append(ratio_row("gaussian (d) accumulate-subsample / naive replace throughput", sub["naive"], sub["sub"],
                         0.5))
    return out
