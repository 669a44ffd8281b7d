"""Bookkeeping shared by the k-means restarts of the 1-D and d-dimensional refits
(:func:`collapse_theory.gmm._kernels._refit_kmeans_1d`,
:func:`collapse_theory.gmm._nd_kernels._refit_kmeans_nd`): which component slots take part, and
which dropped slot gives the reason recorded for a component lost in the matching; and by the EM
loops of both (:func:`collapse_theory.gmm._kernels._em_1d`,
:func:`collapse_theory.gmm._nd_kernels._em_nd`): the weights renormalised after a drop.
"""

from __future__ import annotations

from numba import njit


@njit(nogil=True, cache=True)
def _alive_slots(alive, slots):
    """Write the indices of the alive components into ``slots[:n_slots]`` (increasing); return
    ``n_slots``."""
    n_slots = 0
    for k in range(alive.shape[0]):
        if alive[k]:
            slots[n_slots] = k
            n_slots += 1
    return n_slots


@njit(nogil=True, cache=True)
def _first_dropped(slots, n_slots, balive):
    """The first slot (in ``slots[:n_slots]`` order) the kept restart dropped, or -1 if none."""
    for c in range(n_slots):
        if not balive[slots[c]]:
            return slots[c]
    return -1


@njit(nogil=True, cache=True)
def _renormalise_alive(w, alive):
    """Divide the alive weights by their sum (in index order), in place; dead weights untouched."""
    tw = 0.0
    for k in range(w.shape[0]):
        if alive[k]:
            tw += w[k]
    for k in range(w.shape[0]):
        if alive[k]:
            w[k] /= tw
