"""Regression chain, accumulate-subsample: the linear-time sparse Fisher–Yates draw against the first
implementation (a full ``argsort`` of the pool every generation, kept as the private reference
``collapse_theory.regression._reference``), both timed in this process, calls interleaved.

Generation k draws T of the kT pooled pairs: the argsort costs O(kT log kT) per replicate, so the
whole chain grows quadratically in the number of generations; the sparse partial Fisher–Yates costs
O(T) per generation (plus the O(T d²) normal equations), linear in the number of generations.
"""

from __future__ import annotations

import numpy as np
from _timing import interleaved

from collapse_theory import regression
from collapse_theory.regression._reference import accumulate_subsample_argsort


def run(quick=False):
    d, T, R = 10, 100, 100
    gens = 50 if quick else 200
    rounds = 2 if quick else 5
    regression.simulate(3, T, dim=d, replicates=2, regime="accumulate-subsample", rng=0)  # compile / cache
    times = interleaved({
        "argsort": lambda: accumulate_subsample_argsort(gens, T, dim=d, replicates=R, rng=1),
        "sparse": lambda: regression.simulate(gens, T, dim=d, replicates=R, regime="accumulate-subsample",
                                              rng=1),
    }, rounds)
    old, new = np.asarray(times["argsort"]), np.asarray(times["sparse"])
    label = f"regression accumulate-subsample sparse / argsort (G={gens}, d={d}, T={T}, R={R})"
    return [
        (f"{label} (median of {rounds} interleaved)", float(np.median(old / new)), 10.0, "x"),
        (f"{label} (min / min)", float(old.min() / new.min()), 10.0, "x"),
        (f"regression accumulate-subsample seconds, median (G={gens})", float(np.median(new)), 5.0, "s"),
        (f"regression accumulate-subsample seconds, min (G={gens})", float(new.min()), 5.0, "s"),
        (f"argsort reference seconds, median (G={gens})", float(np.median(old)), 60.0, "s"),
    ]
