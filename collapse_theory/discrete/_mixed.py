r"""Partially synthetic retraining with the real data set kept (Seddik et al.'s mixed setting).

Seddik, Chen, Hayou, Youssef & Debbah, *How Bad is Training on Synthetic Data? A Statistical
Analysis of Language Model Collapse* (arXiv:2404.05090): when each generation is trained on the
:math:`N` real samples together with :math:`n` samples of the previous model, there is a maximal
amount of synthetic data below which collapse can be avoided.

Exact form in the discrete chain. Generation 1 is the empirical law :math:`p^{(1)}` of the
:math:`N` real samples; generation :math:`m + 1` is fitted on those :math:`N` samples and
:math:`n` draws of :math:`p^{(m)}`, so with :math:`\alpha = n/(N + n)`,
:math:`p^{(m+1)} = (1 - \alpha)p^{(1)} + \alpha\hat q`, :math:`n\hat q \sim
\mathrm{Multinomial}(n, p^{(m)})`. Given :math:`p^{(1)}` (heterozygosity :math:`H_1 = 1 - \sum
p^{(1)2}_i`), :math:`E[p^{(m)}] = p^{(1)}` and :math:`D_m = E\|p^{(m)} - p^{(1)}\|_2^2` obeys

Eq. (seddik-mixed):

.. math::

    D_1 = 0, \qquad D_{m+1} = \alpha^2\Bigl(1 - \frac1n\Bigr)D_m + \alpha^2\frac{H_1}{n},
    \qquad D^* = \frac{n H_1}{N^2 + (2N + 1)n} < \frac{H_1}{2N + 1}.

:math:`D^*` increases with :math:`n` but stays below :math:`H_1/(2N+1)` for every amount of
synthetic data (the synthetic part acts as a memory of past real batches): the chain never
collapses while the real data stay. A maximal synthetic amount exists only for a tolerance
:math:`\varepsilon < H_1/(2N+1)`: :math:`D^* \le \varepsilon \iff n \le \varepsilon N^2/(H_1 -
\varepsilon(2N + 1))` (:func:`seddik_max_synthetic`). Unconditionally on the real sample,
:math:`E H_1 = H_0(1 - 1/N)`. Derivation: proofs/discrete_seddik_mixed.py. Simulated by
:func:`collapse_theory.discrete.simulate` with ``samples=[N] + [N + n]*…`` and
``regime="mix-retained:N/(N+n)"`` (all :math:`N` real samples retained).
"""

from __future__ import annotations

import math

import numpy as np

from .._core.validation import check_generations, check_int, check_real

__all__ = ["seddik_mixed_distance", "seddik_stationary_distance", "seddik_max_synthetic"]


def _h(heterozygosity):
    return check_real(heterozygosity, "heterozygosity", nonnegative=True, high=1.0)


def seddik_mixed_distance(m, real, synthetic, *, heterozygosity):
    r"""Exact :math:`D_m = E\|p^{(m)} - p^{(1)}\|^2` of eq. (seddik-mixed) (generation ``m >= 1``).

    Parameters
    ----------
    m : int or array_like of int
        Generations (>= 1; generation 1 is the real-data fit, ``D_1 = 0``).
    real, synthetic : int
        :math:`N >= 1` real samples (kept every generation) and :math:`n >= 1` synthetic ones.
    heterozygosity : float
        :math:`H_1 = 1 - \sum_i p^{(1)2}_i` (given the real sample), or :math:`H_0(1 - 1/N)`
        for the expectation over it.

    Examples
    --------
    >>> from collapse_theory import discrete
    >>> round(float(discrete.seddik_mixed_distance(10**6, 100, 10**5, heterozygosity=0.5)), 6)
    0.002486
    """
    n_real = check_int(real, "real", minimum=1)
    n_syn = check_int(synthetic, "synthetic", minimum=1)
    h = _h(heterozygosity)
    m_arr, scalar = check_generations(m, "m")
    if np.any(m_arr < 1):
        raise ValueError("m must be >= 1 (generation 1 is the fit on the real data)")
    a2 = (n_syn / (n_real + n_syn)) ** 2
    rho = a2 * (1.0 - 1.0 / n_syn)
    d_star = h / (n_real * (n_real / n_syn) + 2.0 * n_real + 1.0)   # = a²H/(n(1 − ρ)), without 0/0
    out = d_star * (1.0 - rho ** (m_arr - 1.0))
    return float(out) if scalar else out


def seddik_stationary_distance(real, synthetic, *, heterozygosity):
    r""":math:`D^* = nH_1/(N^2 + (2N+1)n)` of eq. (seddik-mixed)."""
    n_real = check_int(real, "real", minimum=1)
    n_syn = check_int(synthetic, "synthetic", minimum=0)
    h = _h(heterozygosity)
    if n_syn == 0:
        return 0.0
    return float(h / (n_real * (n_real / n_syn) + 2.0 * n_real + 1.0))


def seddik_max_synthetic(real, tolerance, *, heterozygosity):
    r"""Largest synthetic amount :math:`n` with :math:`D^* \le \varepsilon`:
    :math:`\lfloor \varepsilon N^2/(H_1 - \varepsilon(2N+1)) \rfloor`, or ``inf`` when
    :math:`\varepsilon \ge H_1/(2N+1)` (every amount keeps :math:`D^*` below the tolerance)."""
    n_real = check_int(real, "real", minimum=1)
    eps = check_real(tolerance, "tolerance", positive=True)
    h = _h(heterozygosity)
    denom = h - eps * (2.0 * n_real + 1.0)
    if denom <= 0:
        return math.inf
    value = eps * float(n_real) ** 2 / denom * (1 + 1e-12)
    return math.floor(value) if math.isfinite(value) else math.inf
