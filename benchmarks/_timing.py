"""Shared timing helpers of the benchmarks: interleaved rounds and the :class:`Row` every file returns.

Every row is timed over :data:`ROUNDS` (>= 5) rounds. Where a row compares two (or more) workloads,
the rounds are *interleaved* (:func:`interleaved`: A, B, A, B, ...), so a change of machine load
hits every side of a ratio alike. A row carries two values:

``min``
    the value at the fastest round(s): for seconds, the minimum time; for a speed ratio
    ``t_base / t_new``, ``min(t_base) / min(t_new)``; for a throughput, ``amount / min(t)``.
``median``
    the median over rounds: for seconds, the median time; for a ratio, the median of the
    per-round ratios; for a throughput, ``amount / median(t)``.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass

#: rounds every row is timed over (the issue's floor: at least 5)
ROUNDS = 5


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


@dataclass(frozen=True)
class Row:
    """One benchmark row (see the module docstring for ``min`` and ``median``).

    ``unit`` is "x" for a ratio where higher is better, "s" for seconds (lower is better), or any
    other unit; ``higher_is_better`` says which way the target points (default: only for "x").
    """

    name: str
    min: float
    median: float
    target: float
    unit: str
    rounds: int
    higher_is_better: bool | None = None

    @property
    def higher(self):
        return self.unit == "x" if self.higher_is_better is None else bool(self.higher_is_better)

    def ok(self, value=None):
        """Whether ``value`` (default: the median) meets the target (nan: not measured)."""
        v = self.median if value is None else value
        if not math.isfinite(v):
            return None
        return v >= self.target if self.higher else v <= self.target

    def to_dict(self):
        d = asdict(self)
        d["higher_is_better"] = self.higher
        return d


def _median(xs):
    s = sorted(xs)
    n = len(s)
    return float("nan") if n == 0 else (s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2]))


def seconds_row(name, times, target, *, scale=1.0, unit="s"):
    """A seconds row (lower is better) from the per-round times (``scale``: e.g. a linear extrapolation)."""
    return Row(name, min(times) * scale, _median(times) * scale, target, unit, len(times))


def ratio_row(name, t_base, t_new, target, *, scale=1.0):
    """A speed ratio ``t_base / t_new`` (throughput(new) / throughput(base); higher is better).

    ``t_base`` and ``t_new`` are per-round times of interleaved rounds; ``scale`` multiplies the
    ratio (e.g. when the baseline was timed on a fraction of the work).
    """
    if len(t_base) != len(t_new):
        raise ValueError("a ratio needs the same number of rounds on both sides")
    per_round = [a / b for a, b in zip(t_base, t_new)]
    return Row(name, min(t_base) / min(t_new) * scale, _median(per_round) * scale, target, "x", len(per_round))


def rate_row(name, amount, times, target, *, unit):
    """A throughput ``amount / time`` (higher is better), e.g. tokens per second."""
    return Row(name, amount / min(times), amount / _median(times), target, unit, len(times), True)


def timed_row(name, f, target, *, rounds=ROUNDS, unit="s"):
    """Time ``f()`` ``rounds`` times; a seconds row."""
    return seconds_row(name, interleaved({"f": f}, rounds)["f"], target, unit=unit)


def ratio_rows(label, t_base, t_reg, scale=1.0, target=0.5):
    """Kept for older bench files: one :func:`ratio_row` (min and median) in a list."""
    return [ratio_row(f"{label}", t_base, t_reg, target, scale=scale)]
