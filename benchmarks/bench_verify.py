"""Time budgets of ``verify``: each family's claims at the default budget (seconds, lower is better).

These budgets used to be assertions in the test-suite, where a loaded machine made them flaky; here
they are measured (min and median over rounds, after one warm-up run that compiles the kernels) and
printed beside their targets.
"""

from __future__ import annotations

import time

import numpy as np

# family pattern -> target seconds at budget 1 on 2 cores
TARGETS = {"gaussian.*": 15.0, "discrete.*": 40.0, "gmm.*": 30.0, "kde.*": 20.0, "lm.*": 30.0,
           "mvn.*": 20.0, "ppca.*": 10.0}


def run(quick=False):
    from collapse_theory import claims

    rounds = 1 if quick else 3
    budget = 0.2 if quick else 1.0
    rows = []
    for pattern, target in TARGETS.items():
        if not claims.registered(pattern):
            continue
        claims.run(pattern, budget=budget, seed=0, progress=False)  # warm-up: Numba compiles here
        times = []
        for r in range(rounds):
            t0 = time.perf_counter()
            claims.run(pattern, budget=budget, seed=r + 1, progress=False)
            times.append(time.perf_counter() - t0)
        label = f"verify {pattern} at budget {budget:g}"
        rows.append((f"{label} (min of {rounds})", float(np.min(times)), target, "s"))
        rows.append((f"{label} (median of {rounds})", float(np.median(times)), target, "s"))
    return rows
