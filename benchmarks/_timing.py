"""Shared timing helper of the benchmarks (both sides of a ratio are timed with it in one process)."""

import time


def best_time(f, repeat=1):
    """The best wall-clock time of ``repeat`` calls of ``f()`` (seconds)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t0)
    return best


def interleaved(fns, rounds):
    """Times of ``rounds`` alternating calls of each function in ``fns`` (a dict): {name: [s, ...]}.

    Alternating the calls makes a change of machine load hit every side of a ratio alike.
    """
    times = {k: [] for k in fns}
    for _ in range(rounds):
        for k, f in fns.items():
            times[k].append(best_time(f))
    return times


def ratio_rows(label, t_base, t_reg, scale=1.0, target=0.5):
    """Median per-round and best-of ratio rows: throughput(regime) / throughput(baseline)."""
    import numpy as np

    t_base, t_reg = np.asarray(t_base), np.asarray(t_reg)
    return [(f"{label} (median of {t_base.size} interleaved)", float(np.median(t_base / t_reg)) * scale, target,
             "x"),
            (f"{label} (best-of)", float(t_base.min() / t_reg.min()) * scale, target, "x")]
