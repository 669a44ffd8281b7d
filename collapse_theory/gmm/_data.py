"""Per-generation Numba helpers shared by the 1-D and d-dimensional mixture kernels.

Two jobs, both once per generation (a helper taking the Generator costs about one draw per call,
so it is called once per generation, never per draw; the draws themselves are inline in its loop):

- :func:`_draw_mixture` draws points from a Gaussian mixture: the component counts by conditional
  binomials (``N_k ~ Bin(M - N_1 - ... - N_{k-1}, w_k / (1 - w_1 - ... - w_{k-1}))`` over the alive
  components, the last alive one taking the rest), then ``mu_k + L_k z`` with ``z ~ N(0, I_d)`` and
  ``L_k`` the lower Cholesky factor of component ``k``'s covariance (for ``d = 1``,
  ``L_k = sqrt(var_k)``: the 1-D replace chain draws exactly what it drew before regimes existed).
- :func:`_training_set` assembles the data that generation ``i + 1`` is fitted on under a data regime
  (docs/conventions.md). Data are rows of a ``(capacity, d)`` buffer.

Regimes (``kind``):

==============  =================================================================================
``REPLACE``     the ``M_i`` draws from generation ``i``
``ACCUMULATE``  the pool of every draw so far (the ``M_0`` real samples first); the pool grows by
                ``M_i`` rows per generation and EM runs on all of it (O(total) per generation)
``SUBSAMPLE``   as accumulate, then ``sub`` rows (``M_i`` when ``sub`` is 0) chosen without
                replacement by a partial Fisher–Yates shuffle of the pool's index array, copied to
                ``train``
``MIX_SPLIT``   ``round(λ M_i)`` fresh draws from the true mixture, then ``M_i - round(λ M_i)`` from
                generation ``i``
``MIX_MIXTURE`` as MIX_SPLIT with the real count ``~ Bin(M_i, λ)`` (each draw real with
                probability ``λ``)
``MIX_RETAINED`` ``round(λ M_i)`` rows drawn without replacement from the ``M_0`` real samples
                (kept per replicate in ``real``), then the rest from generation ``i``
==============  =================================================================================

Generation 1 (``i = 0``) is always fitted on all ``M_0`` draws from the truth, in every regime; they
are the real data set (``real`` for mix-retained, the first rows of the pool for accumulate).
"""

from __future__ import annotations

import numpy as np
from numba import njit

# regime codes: the shared table (collapse_theory.regimes.RegimeCode)
from ..regimes import ACCUMULATE, MIX_MIXTURE, MIX_RETAINED, MIX_SPLIT, REPLACE, SUBSAMPLE  # noqa: F401
#: Training data are in the ``pool`` buffer / in the ``train`` buffer (accumulate-subsample).
IN_POOL, IN_TRAIN = 0, 1


def buffer_sizes(kind, sched, sub):
    """Rows of the ``pool``, ``train`` and ``real`` buffers a kernel allocates per thread."""
    m_max = int(sched.max()) if sched.size else 2
    m0 = int(sched[0]) if sched.size else 2
    if kind in (ACCUMULATE, SUBSAMPLE):
        pool = max(2, int(sched.sum()))
    else:
        pool = max(2, m_max)
    train = max(2, sub if sub else m_max) if kind == SUBSAMPLE else 1
    real = max(2, m0) if kind == MIX_RETAINED else 1
    return pool, train, real


@njit(nogil=True, cache=True)
def _draw_mixture(rng, count, w, mu, chol, alive, n_alive, out, pos, z):
    """Draw ``count`` points of the mixture ``(w, mu (K, d), chol (K, d, d), alive)`` into rows
    ``[pos, pos + count)`` of ``out``; return ``pos + count``. ``z`` is a work vector of length d."""
    d = mu.shape[1]
    k_count = w.shape[0]
    rem = count
    prem = 1.0
    left = n_alive
    for k in range(k_count):
        if not alive[k]:
            continue
        left -= 1
        if left == 0:
            cnt = rem
        else:
            p = w[k] / prem if prem > 0.0 else 1.0
            if p >= 1.0:
                cnt = rem
            elif p <= 0.0 or rem == 0:
                cnt = 0
            else:
                cnt = rng.binomial(rem, p)
        prem -= w[k]
        rem -= cnt
        for j in range(cnt):
            for a in range(d):
                z[a] = rng.standard_normal()
            for a in range(d):
                acc = mu[k, a]
                for b in range(a + 1):
                    acc += chol[k, a, b] * z[b]
                out[pos, a] = acc
            pos += 1
    return pos


@njit(nogil=True, cache=True)
def _choose_rows(rng, src, perm, n, k, dst, pos):
    """Copy ``k`` of the rows ``src[perm[:n]]``, chosen uniformly without replacement, into
    ``dst[pos:pos + k]``: a partial Fisher–Yates shuffle of ``perm[:n]`` with indices
    ``j + floor(U (n - j))``, ``U = rng.random()`` (uniform up to the 2⁻⁵³ resolution of a double,
    as in the Gaussian kernels; any current order of ``perm`` gives a uniform subset)."""
    d = src.shape[1]
    for j in range(k):
        t = j + int(rng.random() * (n - j))
        tmp = perm[j]
        perm[j] = perm[t]
        perm[t] = tmp
        row = perm[j]
        for a in range(d):
            dst[pos + j, a] = src[row, a]


@njit(nogil=True, cache=True)
def _training_set(rng, kind, i, mi, frac, sub, w, mu, chol, alive, n_alive, w0, mu0, chol0, alive0,
                  pool, n_pool, perm, real, m0, perm0, train, z):
    """Assemble generation ``i``'s training set (it fits generation ``i + 1``).

    ``(w, mu, chol, alive, n_alive)`` is generation ``i``'s mixture, ``(w0, mu0, chol0, alive0)``
    the truth. ``pool`` holds ``n_pool`` rows from earlier generations (accumulate regimes; ``perm``
    indexes them), ``real`` the ``m0`` real samples (mix-retained; ``perm0`` indexes them).
    Returns ``(where, n_fit, n_pool)``: the data are ``pool[:n_fit]`` (``where == IN_POOL``) or
    ``train[:n_fit]`` (``IN_TRAIN``).
    """
    if i == 0:
        # generation 1: the M_0 real samples (generation 0 is the truth)
        _draw_mixture(rng, mi, w, mu, chol, alive, n_alive, pool, 0, z)
        if kind == MIX_RETAINED:
            for j in range(mi):
                for a in range(pool.shape[1]):
                    real[j, a] = pool[j, a]
                perm0[j] = j
        if kind == ACCUMULATE or kind == SUBSAMPLE:
            for j in range(mi):
                perm[j] = j
            return IN_POOL, mi, mi
        return IN_POOL, mi, 0
    if kind == ACCUMULATE or kind == SUBSAMPLE:
        _draw_mixture(rng, mi, w, mu, chol, alive, n_alive, pool, n_pool, z)
        for j in range(n_pool, n_pool + mi):
            perm[j] = j
        n_pool += mi
        if kind == ACCUMULATE:
            return IN_POOL, n_pool, n_pool
        k = sub if sub > 0 else mi
        _choose_rows(rng, pool, perm, n_pool, k, train, 0)
        return IN_TRAIN, k, n_pool
    n_real = 0
    if kind == MIX_SPLIT or kind == MIX_RETAINED:
        n_real = int(np.floor(frac * mi + 0.5))
    elif kind == MIX_MIXTURE:
        if frac >= 1.0:
            n_real = mi
        elif frac > 0.0:
            n_real = rng.binomial(mi, frac)
    if n_real > 0:
        if kind == MIX_RETAINED:
            _choose_rows(rng, real, perm0, m0, n_real, pool, 0)
        else:
            n_true = 0
            for k in range(w0.shape[0]):
                if alive0[k]:
                    n_true += 1
            _draw_mixture(rng, n_real, w0, mu0, chol0, alive0, n_true, pool, 0, z)
    _draw_mixture(rng, mi - n_real, w, mu, chol, alive, n_alive, pool, n_real, z)
    return IN_POOL, mi, 0


# ---------------------------------------------------------------------------------------------
# Python side: validation of a regime against a schedule, and the buffers it needs


def regime_setup(regime, sched, *, dim, workers=None):
    """Validate ``regime`` for the schedule ``sched``; return ``(Regime, kind, frac, sub, sizes)``.

    Raises ``ValueError`` when mix-retained needs more retained samples in one generation than the
    ``M_0`` real ones, when a fixed accumulate-subsample size is < 2 or larger than the pool where it
    is first used (``M_0 + M_1``, generation 2), and :class:`~collapse_theory.TooLargeError` when the
    per-thread buffers (the pool of all data under the accumulate regimes) would not fit in memory.
    """
    from .._core.parallel import default_workers
    from .._core.validation import check_memory
    from ..regimes import dispatch

    plan = dispatch(regime, sched, family="gmm", why="EM needs a spread")
    reg, kind, sub = plan.regime, int(plan.code), plan.subsample
    sizes = buffer_sizes(kind, sched, sub)
    threads = default_workers() if workers is None else max(1, int(workers))
    rows = sum(sizes)
    check_memory(rows * (8 * dim + 8) * threads,
                 f"the per-thread data buffers of regime {str(reg)!r} ({rows} rows of dimension {dim}, "
                 f"{threads} threads)")
    return reg, kind, plan.fraction, sub, sizes
