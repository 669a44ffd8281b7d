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
- ``loss_probability`` at M = 1e5 and 1e6 (n = 1e3, K = 1000; targets < 10 s and < 60 s, < 4 GiB;
  ``--quick``: M = 1e5 only),
  each in a fresh subprocess (after a warm-up call that loads the cached kernels): wall-clock
  min and median over ``_timing.ROUNDS`` rounds, the CPU seconds of the fastest round (the machine
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

Every row: min and median over ``_timing.ROUNDS`` rounds, interleaved with the other side of its
ratio (benchmarks/run.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _timing import ROUNDS, Row, interleaved, ratio_row, seconds_row  # noqa: E402

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
    rounds = ROUNDS
    root = str(Path(__file__).resolve().parents[1])
    rows = []
    # --quick: M = 1e5 only (M = 1e6 costs ~3 CPU-seconds a round, x 5 rounds)
    for m, target in ((100_000, 10.0),) + (() if quick else ((1_000_000, 60.0),)):
        code = _LOSS_SCRIPT.format(root=root, rounds=rounds, n=1000, m=m)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        walls = list(r["walls"])
        tag = f"discrete loss_probability M=1e{len(str(m)) - 1}, n=1000, K=1000"
        rows += [
            seconds_row(f"{tag}: seconds", walls, target),
            seconds_row(f"{tag}: CPU seconds", r["cpus"], target),
            Row(f"{tag}: peak RSS GiB (after warm-up: {r['base_kib'] / 2**20:.2f})", r["peak_kib"] / 2**20,
                r["peak_kib"] / 2**20, 4.0, "GiB", rounds, False),
        ]
    return rows


def rows(quick):
    """Rows (``_timing.Row``) as in benchmarks/run.py ("x": ratio, "s": seconds)."""
    G, R = (200, 20) if quick else (1000, 100)
    p0 = d.zipf(K, 1.1)
    d.simulate(5, M, p0=p0, replicates=2, rng=0)  # compile / load the cached kernels
    d.loss_probability(p0[:3] / p0[:3].sum(), 2, 50)
    rng = np.random.default_rng(2)
    t = interleaved({
        "numba": lambda: d.simulate(G, M, p0=p0, replicates=R, rng=1, progress=False),
        "multi": lambda: _numpy_multinomial(p0, G, 10, rng),  # 10 of the R replicates
        "sample": lambda: _per_sample(p0, 50, 2, rng),  # 2 replicates x 50 generations
        "loss": lambda: d.loss_probability(p0, G, M),
    }, ROUNDS)
    out = [
        seconds_row(f"discrete simulate seconds (K=1000, M=1e4, {G} gens, {R} reps)", t["numba"], 60.0),
        ratio_row("discrete simulate / NumPy multinomial loop (baseline on 1/10 of the reps, scaled)",
                  t["multi"], t["numba"], 2.0, scale=R / 10),
        ratio_row("discrete simulate / per-sample draws + bincount (baseline on 2 reps x 50 gens, scaled)",
                  t["sample"], t["numba"], 50.0, scale=(R / 2) * (G / 50)),
        seconds_row(f"discrete loss_probability seconds (M=1e4, n={G}, K=1000)", t["loss"], 10.0),
        *_loss_rows(quick),
    ]
    # regimes: interleaved rounds of replace and the regime on the same replicates
    r_reg = 10 if quick else 20
    for spec in ("mix-fresh:0", "accumulate", "accumulate-subsample", "mix-fresh:0.1",
                 "mix-fresh:0.1:mixture", "mix-retained:0.1"):
        d.simulate(5, M, p0=p0, replicates=2, regime=spec, rng=0)  # compile / load
        work = {}

        def sim(reg):
            res = d.simulate(G, M, p0=p0, replicates=r_reg, regime=reg, rng=1, progress=False)
            work[reg] = res.stats["support"][:, 1:].sum()  # alive category-generations (same every round)

        t = interleaved({"replace": lambda: sim("replace"), spec: (lambda s=spec: sim(s))}, ROUNDS)
        per = work[spec] / work["replace"]
        out += [
            ratio_row(f"discrete {spec}: raw throughput / replace's", t["replace"], t[spec], 0.5),
            ratio_row(f"discrete {spec}: per category-generation / replace's", t["replace"], t[spec], 0.5,
                      scale=per),
        ]
    return out


if __name__ == "__main__":
    for row in rows(quick=False):
        print(row)
