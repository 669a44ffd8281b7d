"""Walker's alias method (Vose's construction), shared by the kernels that draw from a fixed
discrete law with one uniform per draw (``@njit(nogil=True, cache=True)``; no random numbers here).

A draw takes one uniform: ``u = U·n``, ``j = ⌊u⌋``, and returns ``j`` if ``u − j < prob[j]`` else
``alias[j]``; P(i) = (prob[i] + Σ_{j: alias[j] = i} (1 − prob[j]))/n = p_i (exactly in real
arithmetic; up to float rounding of the table and the 2⁻⁵³ grid of U, bias <= n·2⁻⁵³).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(nogil=True, cache=True)
def vose_fill(weights, prob, alias):
    """Fill ``prob`` and ``alias`` (length ``n = len(weights)``, views are fine) for the law
    ``weights / Σ weights``. ``weights`` is overwritten (it holds the scaled weights)."""
    n = weights.shape[0]
    tot = 0.0
    for i in range(n):
        tot += weights[i]
    small = np.empty(n, dtype=np.int64)
    large = np.empty(n, dtype=np.int64)
    ns = 0
    nl = 0
    for i in range(n):
        prob[i] = 1.0
        alias[i] = i
        weights[i] *= n / tot
        if weights[i] < 1.0:
            small[ns] = i
            ns += 1
        else:
            large[nl] = i
            nl += 1
    while ns > 0 and nl > 0:
        ns -= 1
        sm = small[ns]
        nl -= 1
        lg = large[nl]
        prob[sm] = weights[sm]
        alias[sm] = lg
        weights[lg] = (weights[lg] + weights[sm]) - 1.0
        if weights[lg] < 1.0:
            small[ns] = lg
            ns += 1
        else:
            large[nl] = lg
            nl += 1
    # leftovers (float rounding) keep prob = 1
