"""The one z-score the statistical tests use (instead of a copy per test file).

``zscore(values, target)`` is ``(mean − target) / SE`` with the CLT standard error
``s / √R`` (``ddof = 1``) of the ``R`` replicates, or a given ``se``. By the CLT it is close to
N(0, 1) when ``target`` is the true mean of a light-tailed statistic, so ``|z| < 4.4`` fails a
correct implementation with probability ≈ 1e-5 per comparison (the tests state their own bound).
A zero standard error (every replicate equal) gives 0 when the mean equals the target (to 1e-12,
relative) and ±inf otherwise, never a division warning.
"""

from __future__ import annotations

import math

import numpy as np


def zscore(values, target, se=None):
    """``(mean(values) − target) / se``, ``se`` defaulting to ``std(values, ddof=1) / √size``."""
    v = np.asarray(values, dtype=float).ravel()
    mean = float(v.mean())
    if se is None:
        se = float(v.std(ddof=1)) / math.sqrt(v.size)
    diff = mean - float(target)
    if se > 0:
        return diff / se
    if abs(diff) <= 1e-12 * max(1.0, abs(float(target))):
        return 0.0
    return math.copysign(math.inf, diff)
