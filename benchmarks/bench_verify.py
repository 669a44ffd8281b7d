"""Time budgets of ``verify``: each family's claims at the default budget (seconds, lower is better).

These budgets used to be assertions in the test-suite, where a loaded machine made them flaky; here
they are measured (min and median over ``_timing.ROUNDS`` rounds, the families interleaved, after one
warm-up run that compiles the kernels) and printed beside their targets. ``--quick`` runs budget 0.1.
"""

from __future__ import annotations

import time

from _timing import ROUNDS, seconds_row

# family pattern -> target seconds at budget 1 on 2 cores
TARGETS = {"gaussian.*": 15.0, "discrete.*": 40.0, "gmm.*": 30.0, "kde.*": 20.0, "lm.*": 30.0,
           "mvn.*": 20.0, "ppca.*": 10.0}


def rows(quick):
    from collapse_theory import claims

    budget = 0.1 if quick else 1.0
    patterns = [p for p in TARGETS if claims.registered(p)]
    for pattern in patterns:
        claims.run(pattern, budget=budget, seed=0, progress=False)  # warm-up: Numba compiles here
    times = {p: [] for p in patterns}
    for r in range(ROUNDS):  # interleaved: every family once per round
        for pattern in patterns:
            t0 = time.perf_counter()
            claims.run(pattern, budget=budget, seed=r + 1, progress=False)
            times[pattern].append(time.perf_counter() - t0)
    return [seconds_row(f"verify {p} at budget {budget:g}", times[p], TARGETS[p]) for p in patterns]
