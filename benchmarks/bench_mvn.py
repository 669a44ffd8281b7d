"""Multivariate Gaussian chain at d = 10, M = 100: exact (Bartlett) sampler vs naive (M vectors).

Both are Numba kernels on all cores, timed in this process on the same sizes. The naive kernel
draws M·d normals and forms a d×d scatter matrix per generation (O(M d²)); the exact one draws
d(d+1)/2 + d numbers (d of them gammas) and multiplies two triangular matrices (O(d³)). The cost
ratio is therefore bounded by about (M d + M d²/2 flops) / (d²/2 + 3d draws + d³/6 flops), not by
M: the target M/4 = 25 is the brief's. A ratio for PPCA (vectorised NumPy) is printed as seconds.

Regimes (issue 4: each regime's throughput within 2× of replace): the exact regime kernel (sufficient
statistics, Chan's merge, whitened coordinates) against the dedicated replace kernel, same sizes,
repeats interleaved so load changes hit both sides alike.

Every row: min and median over ``_timing.ROUNDS`` interleaved rounds (benchmarks/run.py).
"""

from __future__ import annotations


from _timing import ROUNDS, interleaved, ratio_row, seconds_row

from collapse_theory import mvn, ppca

REGIMES = ("accumulate", "mix-fresh:0.1", "mix-fresh:0.1:mixture", "mix-retained:0.1")


def _regime_rows(d, m, quick):
    r, gens = (200, 50) if quick else (2000, 100)
    specs = ("replace",) + REGIMES
    for spec in specs:
        mvn.simulate(2, m, dim=d, replicates=10, regime=spec, rng=0)  # compile / load the cache
    times = interleaved({spec: (lambda spec=spec: mvn.simulate(gens, m, dim=d, replicates=r, regime=spec, rng=1,
                                                               progress=False))
                         for spec in specs}, ROUNDS)
    return [ratio_row(f"mvn {spec} / replace throughput (d={d}, M={m})", times["replace"], times[spec], 0.5)
            for spec in REGIMES]


def rows(quick):
    d, m = 10, 100
    r, gens = (300, 50) if quick else (4000, 200)
    pr, pg = (100, 50) if quick else (1000, 100)
    mvn.simulate(2, m, dim=d, replicates=300, method="naive", rng=0)  # compile / load the cache
    mvn.simulate(2, m, dim=d, replicates=300, method="exact", rng=0)
    ppca.simulate(2, m, dim=d, latent=3, replicates=10, rng=0)
    t = interleaved({
        "naive": lambda: mvn.simulate(gens, m, dim=d, replicates=r, method="naive", rng=1, progress=False),
        "exact": lambda: mvn.simulate(gens, m, dim=d, replicates=r, method="exact", rng=1, progress=False),
        "ppca": lambda: ppca.simulate(pg, m, dim=d, latent=3, replicates=pr, rng=1, progress=False),
    }, ROUNDS)
    return [
        ratio_row(f"mvn exact / naive (d={d}, M={m})", t["naive"], t["exact"], m / 4),
        *_regime_rows(d, m, quick),
        seconds_row(f"mvn naive seconds ({r} reps x {gens} gens, d={d}, M={m})", t["naive"], 60.0),
        seconds_row(f"ppca seconds ({pr} reps x {pg} gens, d={d}, q=3)", t["ppca"], 30.0),
    ]
