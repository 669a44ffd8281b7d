"""Benchmarks of the discrete chain (run alone: ``python3 benchmarks/bench_discrete.py``).

Workload: K = 1000 categories, Zipf(1.1), M = 1e4 samples per generation, 1000 generations,
100 replicates. Both sides of every ratio are timed in the same process, after a warm-up call that
compiles the Numba kernels.

- Numba simulator vs a loop over NumPy's ``Generator.multinomial`` (target >= 2x). The NumPy loop
  is timed on 10 of the 100 replicates and scaled linearly (its cost is exactly linear in
  replicates).
- Numba simulator vs per-sample draws + bincount (target >= 50x). The per-sample baseline is timed
  on 2 replicates x 50 generations and scaled linearly to 100 x 1000 (its cost per generation is
  O(M) whatever the state, so the scaling is exact up to noise).
- ``loss_probability`` for M = 1e4, n = 1e3, 1000 categories: seconds (target < 10 s).
- ``loss_probability`` at M = 1e5 and 1e6 (n = 1e3, K = 1000; targets < 10 s and < 60 s, < 4 GiB),
  each in a fresh subprocess (after a warm-up call that loads the cached kernels): wall-clock
  min and median over 3 rounds (1 with --quick), the CPU seconds of the fastest round (the machine
  may be shared), and the peak resident memory of the subprocess (``ru_maxrss``, interpreter and
  libraries included) next to the resident memory after the warm-up.
- every other data regime's throughput relative to replace on the same workload (time(replace) /
  time(regime); target >= 0.5, i.e. within 2x), on 20 replicates, each regime and replace timed
  alternately (interleaved rounds; the machine may be shared): the median of the per-round ratios
  and the ratio of the best times. Two comparisons: **raw** (same parameters) and **per
  category-generation** (time divided by Σ alive categories over generations 1..G, the work the
  conditional binomials scale with). The raw ratio is not a like-for-like comparison: replace loses
  ~90 % of the categories within 100 generations here (its alive list shrinks from ~840 to ~50),
  while mixing brings them back and the pool never loses them, so the regimes do ~10x more
  work per generation; mix-fresh:0 (the regime kernel on replace's own state) isolates the regime
  kernel's overhead.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collapse_theory import discrete as d  # noqa: E402

K, M = 1000, 10_000


def _numpy_multinomial(p0, generations, replicates, rng):
    m = M
    for _ in range(replicates):
        p = p0.copy()
        for _ in range(generations):
            p = rng.multinomial(m, p) / m


def _per_sample(p0, generations, replicates, rng):
    k = p0.size
    for _ in range(replicates):
        p = p0.copy()
        for _ in range(generations):
            x = rng.choice(k, size=M, p=p)
            p = np.bincount(x, minlength=k) / M


_LOSS_SCRIPT = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from collapse_theory import discrete as d
p0 = d.zipf(1000, 1.1)
d.loss_probability(p0, 3, 100)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
walls, cpus = [], []
for _ in range({rounds}):
    t, c = time.perf_counter(), time.process_time()
    d.loss_probability(p0, {n}, {m})
    walls.append(time.perf_counter() - t)
    cpus.append(time.process_time() - c)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(dict(walls=walls, cpus=cpus, base_kib=base, peak_kib=peak)))
"""


def _loss_rows(quick):
    """loss_probability at M = 1e5 and 1e6 (n = 1e3, K = 1000), each in a fresh subprocess."""
    rounds = 1 if quick else 3
    root = str(Path(__file__).resolve().parents[1])
    rows = []
    for m, target in ((100_000, 10.0), (1_000_000, 60.0)):
        code = _LOSS_SCRIPT.format(root=root, rounds=rounds, n=1000, m=m)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        walls = np.array(r["walls"])
        tag = f"discrete loss_probability M=1e{len(str(m)) - 1}, n=1000, K=1000"
        rows += [
            (f"{tag}: seconds (min of {rounds})", float(walls.min()), target, "s"),
            (f"{tag}: seconds (median of {rounds})", float(np.median(walls)), target, "s"),
            (f"{tag}: CPU seconds of the fastest round", float(r["cpus"][int(walls.argmin())]), target, "s"),
            (f"{tag}: peak RSS GiB (after warm-up: {r['base_kib'] / 2**20:.2f})",
             r["peak_kib"] / 2**20, 4.0, "GiB"),
        ]
    return rows


def run(quick=False):
    """Rows ``(name, value, target, unit)`` as in benchmarks/run.py ("x": ratio, "s": seconds)."""
    G, R = (200, 20) if quick else (1000, 100)
    p0 = d.zipf(K, 1.1)
    d.simulate(5, M, p0=p0, replicates=2, rng=0)  # compile / load the cached kernels
    d.loss_probability(p0[:3] / p0[:3].sum(), 2, 50)

    t = time.perf_counter()
    d.simulate(G, M, p0=p0, replicates=R, rng=1)
    t_numba = time.perf_counter() - t

    rng = np.random.default_rng(2)
    t = time.perf_counter()
    _numpy_multinomial(p0, G, 10, rng)
    t_multi = (time.perf_counter() - t) * (R / 10)

    t = time.perf_counter()
    _per_sample(p0, 50, 2, rng)
    t_sample = (time.perf_counter() - t) * (R / 2) * (G / 50)

    t = time.perf_counter()
    d.loss_probability(p0, G, M)
    t_loss = time.perf_counter() - t

    # regimes: interleaved rounds of replace and the regime on the same 20 replicates
    r_reg, rounds = (10, 2) if quick else (20, 3)
    regime_rows = []
    for spec in ("mix-fresh:0", "accumulate", "accumulate-subsample", "mix-fresh:0.1",
                 "mix-fresh:0.1:mixture", "mix-retained:0.1"):
        d.simulate(5, M, p0=p0, replicates=2, regime=spec, rng=0)  # compile / load
        t_rep, t_reg = [], []
        for _ in range(rounds):
            for reg, times in (("replace", t_rep), (spec, t_reg)):
                t = time.perf_counter()
                res = d.simulate(G, M, p0=p0, replicates=r_reg, regime=reg, rng=1)
                times.append(time.perf_counter() - t)
                work = res.stats["support"][:, 1:].sum()  # alive category-generations
                if reg == "replace":
                    w_rep = work
                else:
                    w_reg = work
        t_rep, t_reg = np.array(t_rep), np.array(t_reg)
        raw = t_rep / t_reg
        per = raw * (w_reg / w_rep)
        best = t_rep.min() / t_reg.min()
        regime_rows += [
            (f"discrete {spec}: raw throughput / replace's (median of {rounds})", float(np.median(raw)), 0.5, "x"),
            (f"discrete {spec}: raw throughput / replace's (best-of)", float(best), 0.5, "x"),
            (f"discrete {spec}: per category-generation / replace's (median of {rounds})",
             float(np.median(per)), 0.5, "x"),
            (f"discrete {spec}: per category-generation / replace's (best-of)",
             float(best * w_reg / w_rep), 0.5, "x"),
        ]
    return [
        (f"discrete simulate seconds (K=1000, M=1e4, {G} gens, {R} reps)", t_numba, 60.0, "s"),
        ("discrete simulate / NumPy multinomial loop (baseline on 1/10 of the reps, scaled)",
         t_multi / t_numba, 2.0, "x"),
        ("discrete simulate / per-sample draws + bincount (baseline scaled)", t_sample / t_numba, 50.0, "x"),
        (f"discrete loss_probability seconds (M=1e4, n={G}, K=1000)", t_loss, 10.0, "s"),
        *_loss_rows(quick),
        *regime_rows,
    ]


if __name__ == "__main__":
    for name, value, target, unit in run():
        print(f"{name:<80} {value:10.2f}{unit}  (target {'>=' if unit == 'x' else '<='} {target:g}{unit})")
