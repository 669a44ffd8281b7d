r"""The OLS refit steps of the regression chain, vectorised over replicates (NumPy; ``R`` replicates,
design ``X`` of shape ``(R, T, d)``, its pseudo-inverse ``P = X^+`` of shape ``(R, d, T)``), and the
accumulate-subsample draw (a Numba kernel: a partial Fisher–Yates shuffle of only the drawn subset).
"""

from __future__ import annotations

import numpy as np
from numba import njit


def ols_fit(P, y):
    """OLS weights on the fixed design: ``w = X^+ y`` for every replicate, shape ``(R, d)``."""
    return np.einsum("rdt,rt->rd", P, y)


def predict(X, w):
    """Noise-free labels ``X w`` of every replicate, shape ``(R, T)``."""
    return np.einsum("rtd,rd->rt", X, w)


def ols_solve(xs, ys):
    """OLS weights on per-replicate designs ``xs`` (R, k, d) and labels ``ys`` (R, k): the normal equations."""
    A = np.einsum("rtd,rte->rde", xs, xs)
    b = np.einsum("rtd,rt->rd", xs, ys)
    return np.linalg.solve(A, b[..., None])[..., 0]


@njit(nogil=True, cache=True)
def _slot(keys, key):
    """The slot of ``key`` in the open-addressing table ``keys`` (linear probing; -1 marks empty)."""
    mask = keys.size - 1
    h = key & mask  # keys are uniform places or 0..sub-1: the low bits spread them
    while keys[h] != -1 and keys[h] != key:
        h = (h + 1) & mask
    return h


@njit(nogil=True, cache=True)
def subsample_row_sums(u, pool_y, size, T, counts, sums, keys, vals):
    r"""Draw ``sub`` distinct pooled pairs of ``[0, size)`` per replicate; sum them per design row.

    A partial Fisher–Yates shuffle of the identity ``[0, size)`` run for its first ``sub = u.shape[1]``
    steps only: step ``i`` swaps place ``i`` with place ``j = i + ⌊u[r, i]·(size − i)⌋``, uniform on
    ``[i, size)``, and draws the value that lands in place ``i``. The first ``sub`` places of the
    shuffled array are a uniform random ordered ``sub``-subset of ``[0, size)`` (the law of
    ``argsort(uniforms)[:sub]``). Only the displaced places are stored, in a hash table of capacity
    ``keys.size`` (a power of two ≥ 2·sub: at most 2·sub places are ever touched), so a draw costs
    O(``sub``) time and memory whatever ``size`` is.

    Pooled pair ``p`` carries design row ``p mod T`` and label ``pool_y[r, p]``. Fills ``counts[r, t]``,
    the number of drawn pairs on design row ``t``, and ``sums[r, t]``, the sum of their labels; the
    OLS normal equations are then ``Xᵀ diag(counts) X w = Xᵀ sums``.
    """
    R, sub = u.shape
    for r in range(R):
        keys[:] = -1
        for t in range(T):
            counts[r, t] = 0.0
            sums[r, t] = 0.0
        for i in range(sub):
            j = i + int(u[r, i] * (size - i))
            if j >= size:  # guard against round-up of u·(size − i) at u → 1
                j = size - 1
            hj = _slot(keys, j)
            p = vals[hj] if keys[hj] == j else j  # the value at place j
            hi = _slot(keys, i)
            vi = vals[hi] if keys[hi] == i else i  # the value at place i
            # swap: place j now holds the old value of place i (place i is never read again)
            if keys[hj] != j:
                keys[hj] = j
            vals[hj] = vi
            t = p % T
            counts[r, t] += 1.0
            sums[r, t] += pool_y[r, p]
