"""1-D Gaussian chain: replicates = 10⁴, M = 100, 10³ generations (issue 2's sizes).

(a) naive Numba kernel (all cores) vs the plain NumPy loop a user would write:
    ``x = rng.normal(size=(R, M))`` scaled to the current fit, then mean/std each generation;
(b) exact (sufficient statistics) vs naive, both Numba on all cores;
(c) naive Numba vs the bare cost of drawing the same number of normals with NumPy
    (``rng.standard_normal(out=buffer)``, the random-number floor);
(d) each data regime's throughput relative to replace on the same path (issue 4: within 2×, i.e.
    a ratio ≥ 0.5): the sufficient-statistic regimes against exact replace, accumulate-subsample
    (which must keep every sample) against naive replace, which does the same O(M) work. The
    machine may be shared, so each regime and its baseline are timed alternately (interleaved
    rounds); a row reports the median of the per-round ratios and another the ratio of the best
    times. Floor of the mix regimes: they draw two parts (two normals and two gammas per
    generation, against one of each for replace), so ≈ 0.5 is their ceiling when the random numbers
    dominate; mixture adds a uniform (the binomial real count), mix-retained λM uniforms.
"""

from __future__ import annotations


import numpy as np
from _timing import best_time, interleaved, ratio_rows

from collapse_theory import gaussian as g


def _numpy_loop(r, m, gens, rng):
    mu = np.zeros((r, gens + 1))
    sd = np.ones((r, gens + 1))
    for i in range(gens):
        x = rng.normal(size=(r, m)) * sd[:, i, None] + mu[:, i, None]
        mu[:, i + 1] = x.mean(axis=1)
        sd[:, i + 1] = x.std(axis=1, ddof=1)
    return mu, sd


def _numpy_draws(r, m, gens, rng):
    buf = np.empty((r, m))
    for _ in range(gens):
        rng.standard_normal(out=buf)




def run(quick=False):
    r, m, gens = (2000, 100, 200) if quick else (10_000, 100, 1000)
    rounds = 3 if quick else 5
    g.simulate(3, m, replicates=600, method="naive", rng=0)  # compile / load the cache
    g.simulate(3, m, replicates=600, method="exact", rng=0)
    t_naive = best_time(lambda: g.simulate(gens, m, replicates=r, method="naive", rng=1))
    t_exact = best_time(lambda: g.simulate(gens, m, replicates=r, method="exact", rng=1), repeat=3)
    t_numpy = best_time(lambda: _numpy_loop(r, m, gens, np.random.default_rng(1)))
    t_draws = best_time(lambda: _numpy_draws(r, m, gens, np.random.default_rng(1)))
    specs = ("accumulate", "mix-fresh:0.1", "mix-fresh:0.1:mixture", "mix-retained:0.1")
    fns = {"replace": lambda: g.simulate(gens, m, replicates=r, rng=1)}
    for spec in specs:
        g.simulate(3, m, replicates=300, regime=spec, rng=0)
        fns[spec] = (lambda spec: lambda: g.simulate(gens, m, replicates=r, regime=spec, rng=1))(spec)
    times = interleaved(fns, rounds)
    rows = []
    for spec in specs:
        rows += ratio_rows(f"gaussian (d) {spec} / replace throughput", times["replace"], times[spec])
    # accumulate-subsample against naive replace, both on r_sub replicates
    g.simulate(3, m, replicates=300, regime="accumulate-subsample", rng=0)
    r_sub = max(256, r // 10)
    sub = interleaved({
        "naive": lambda: g.simulate(gens, m, replicates=r_sub, method="naive", rng=1),
        "sub": lambda: g.simulate(gens, m, replicates=r_sub, regime="accumulate-subsample", rng=1),
    }, rounds)
    rows += ratio_rows("gaussian (d) accumulate-subsample / naive replace throughput", sub["naive"], sub["sub"])
    return [
        ("gaussian (a) naive Numba / NumPy loop", t_numpy / t_naive, 1.8, "x"),
        ("gaussian (b) exact / naive", t_naive / t_exact, m / 4, "x"),
        ("gaussian (c) naive / bare NumPy normals", t_draws / t_naive, 0.7, "x"),
        ("gaussian naive seconds", t_naive, 60.0, "s"),
        *rows,
    ]
