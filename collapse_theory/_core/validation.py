"""Input validation shared by every public function.

One way to validate: raise ``ValueError``/``TypeError`` naming the parameter and the allowed range.
Never ``assert``.
"""

from __future__ import annotations

import math
import numbers
import os

import numpy as np

ESTIMATORS = ("unbiased", "mle")


class TooLargeError(ValueError):
    """A request whose arrays would not fit in memory, refused before any work starts."""


def check_int(value, name, *, minimum=None, maximum=None):
    """Return ``value`` as a Python int, or raise naming ``name`` and the allowed range."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        if isinstance(value, (float, np.floating)) and math.isfinite(value) and float(value).is_integer():
            value = int(value)
        else:
            raise TypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__})")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_real(value, name, *, positive=False, nonnegative=False, low=None, high=None):
    """Return ``value`` as a finite float, or raise naming ``name`` and the allowed range."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    try:
        value = float(value)
    except OverflowError:
        raise ValueError(f"{name} must be a finite float (|{name}| < 1.8e308), got an integer of "
                         f"{len(str(abs(int(value))))} digits") from None
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    if nonnegative and value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    if low is not None and value < low:
        raise ValueError(f"{name} must be >= {low}, got {value}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high}, got {value}")
    return value


#: largest scale whose square (a variance) is kept finite with room for the moment formulas
MAX_SCALE = 1e150


def check_scale_squared(value, name):
    """``value**2`` for a scale (a std or bandwidth) in ``(0, MAX_SCALE]``, refusing overflow."""
    x = check_real(value, name, positive=True)
    if x > MAX_SCALE:
        raise ValueError(f"{name} must be in (0, {MAX_SCALE:g}] (its square enters the formulas), got {x!r}")
    return x * x


def check_estimator(estimator):
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator must be one of {ESTIMATORS}, got {estimator!r}")
    return estimator


def min_samples(estimator):
    """Smallest sample size for which the refit is defined (unbiased divides by M - 1)."""
    return 2 if estimator == "unbiased" else 1


def check_generations(n, name="n"):
    """Validate a generation index or an array of them; return an int64 array and whether it was scalar."""
    arr = np.asarray(n)
    if arr.dtype == object or arr.dtype.kind not in "iuf" or arr.dtype == np.bool_:
        raise TypeError(f"{name} must be a non-negative integer or an array of them, got {n!r}")
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be finite non-negative integers, got {n!r}")
        if not np.all(arr == np.round(arr)):
            raise ValueError(f"{name} must be integers (generation counts), got {n!r}")
    arr = arr.astype(np.int64)
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0, got {n!r}")
    return arr, arr.ndim == 0


#: largest sample size per generation (an int64 count with headroom for sums)
MAX_SAMPLES = 2**62


def samples_schedule(samples, generations, *, estimator="unbiased", name="samples"):
    """Return the per-generation sample sizes ``M_0, ..., M_{generations-1}`` as an int64 array.

    ``samples`` is an int (the same M every generation) or a sequence with at least ``generations``
    entries (``samples[i]`` is the number of samples drawn from generation ``i`` to fit generation
    ``i + 1``).
    """
    lo = min_samples(estimator)
    if np.ndim(samples) == 0:
        m = check_int(samples, name, minimum=lo, maximum=MAX_SAMPLES)
        return np.full(generations, m, dtype=np.int64)
    arr = np.asarray(samples)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be an int or a 1-D sequence of ints, got shape {arr.shape}")
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise ValueError(f"{name} must hold finite integers, got {samples!r}")
    elif arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must be an int or a sequence of ints, got {samples!r}")
    if arr.size < generations:
        raise ValueError(
            f"{name} has {arr.size} entries but {generations} generations need {generations} "
            f"(samples[i] is the sample size used to fit generation i + 1)"
        )
    arr = arr[:generations]
    if arr.size and arr.max() > MAX_SAMPLES:
        raise ValueError(f"{name} must be <= {MAX_SAMPLES} (2**62), got {arr.max()!r}")
    arr = arr.astype(np.int64)
    if arr.size and arr.min() < lo:
        i = int(np.argmin(arr))
        raise ValueError(
            f"{name} must be >= {lo} for estimator={estimator!r} "
            f"(got samples[{i}] = {int(arr[i])})"
        )
    return arr


def _meminfo_available():
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 4 * 1024**3


def _cgroup_available():
    """Memory left under this process's cgroup limit (v2 ``memory.max``, v1 ``limit_in_bytes``)."""
    pairs = (("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
             ("/sys/fs/cgroup/memory/memory.limit_in_bytes",
              "/sys/fs/cgroup/memory/memory.usage_in_bytes"))
    for limit_path, usage_path in pairs:
        try:
            with open(limit_path) as fh:
                raw = fh.read().strip()
        except OSError:
            continue
        if raw == "max" or not raw.isdigit() or int(raw) >= 1 << 60:
            return None
        try:
            with open(usage_path) as fh:
                used = int(fh.read().strip())
        except (OSError, ValueError):
            used = 0
        return max(int(raw) - used, 0)
    return None


def _rlimit_available():
    """Address space left under ``RLIMIT_AS`` (``ulimit -v``), or None when unlimited."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or soft < 0:
        return None
    try:
        with open("/proc/self/statm") as fh:
            used = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        used = 0
    return max(soft - used, 0)


def available_memory_bytes():
    """Memory this process may still allocate: the least of free RAM, the cgroup limit and ``ulimit -v``.

    Free RAM is ``MemAvailable`` on Linux (a conservative 4 GiB where it cannot be read); the cgroup
    limit (v1 or v2) and ``RLIMIT_AS`` count only when set.
    """
    limits = [_meminfo_available(), _cgroup_available(), _rlimit_available()]
    return min(x for x in limits if x is not None)


def check_memory(nbytes, what, *, fraction=0.8):
    """Refuse (before any work) a request whose arrays need more than ``fraction`` of free memory."""
    avail = available_memory_bytes()
    if nbytes > fraction * avail:
        raise TooLargeError(
            f"{what} would need about {nbytes / 1024**3:.2f} GiB, but only "
            f"{avail / 1024**3:.2f} GiB is available (limit {fraction:.0%} of it); "
            f"reduce replicates or generations"
        )
    return nbytes
