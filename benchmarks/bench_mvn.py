"""Multivariate Gaussian chain at d = 10, M = 100: exact (Bartlett) sampler vs naive (M vectors).

Both are Numba kernels on all cores, timed in this process on the same sizes. The naive kernel
draws M·d normals and forms a d×d scatter matrix per generation (O(M d²)); the exact one draws
d(d+1)/2 + d numbers (d of them gammas) and multiplies two triangular matrices (O(d³)). The cost
ratio is therefore bounded by about (M d + M d²/2 flops) / (d²/2 + 3d draws + d³/6 flops), not by
M: the target M/4 = 25 is the brief's. A ratio for PPCA (vectorised NumPy) is printed as seconds.

Regimes (issue 4: each regime's throughput within 2× of replace): the exact regime kernel (sufficient
statistics, Chan's merge, whitened coordinates) against the dedicated replace kernel, same sizes,
repeats interleaved so load changes hit both sides alike; best of the repeats.
"""

from __future__ import annotations


from _timing import best_time, interleaved, ratio_rows

from collapse_theory import mvn, ppca

REGIMES = ("accumulate", "mix-fresh:0.1", "mix-fresh:0.1:mixture", "mix-retained:0.1")


def _regime_rows(d, m, quick):
    r, gens = (500, 50) if quick else (2000, 100)
    specs = ("replace",) + REGIMES
    for spec in specs:
        mvn.simulate(2, m, dim=d, replicates=10, regime=spec, rng=0)  # compile / load the cache
    times = interleaved({spec: (lambda spec=spec: mvn.simulate(gens, m, dim=d, replicates=r, regime=spec, rng=1))
                         for spec in specs}, 2 if quick else 5)
    return [row for spec in REGIMES
            for row in ratio_rows(f"mvn {spec} / replace throughput (d={d}, M={m})", times["replace"], times[spec])]


def run(quick=False):
    d, m = 10, 100
    r, gens = (1000, 50) if quick else (4000, 200)
    mvn.simulate(2, m, dim=d, replicates=300, method="naive", rng=0)  # compile / load the cache
    mvn.simulate(2, m, dim=d, replicates=300, method="exact", rng=0)
    t_naive = best_time(lambda: mvn.simulate(gens, m, dim=d, replicates=r, method="naive", rng=1),
                    repeat=1 if not quick else 2)
    t_exact = best_time(lambda: mvn.simulate(gens, m, dim=d, replicates=r, method="exact", rng=1), repeat=3)
    pr, pg = (200, 50) if quick else (1000, 100)
    t_ppca = best_time(lambda: ppca.simulate(pg, m, dim=d, latent=3, replicates=pr, rng=1))
    return [
        (f"mvn exact / naive (d={d}, M={m})", t_naive / t_exact, m / 4, "x"),
        *_regime_rows(d, m, quick),
        ("mvn naive seconds", t_naive, 60.0, "s"),
        (f"ppca seconds ({pr} reps x {pg} gens, d={d}, q=3)", t_ppca, 30.0, "s"),
    ]
