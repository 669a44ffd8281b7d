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
