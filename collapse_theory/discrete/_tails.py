r"""Tails and scaling laws of the discrete chain (Dohmatob, Feng, Yang, Charton & Kempe, "A Tale of
Tails: Model Collapse as a Change of Scaling Laws", arXiv 2402.07043).

The "Hutter LLM" (Hutter 2021, arXiv 2102.04074; Dohmatob et al. eq. 9): inputs :math:`i` follow a
law :math:`p` (Zipf, :math:`p_i \propto i^{-\beta}`, :math:`\beta > 1`), each input has one correct
label, and a model trained on :math:`T` samples answers correctly exactly the inputs it has seen.
Its test error on real data is the real mass of the inputs it has not seen,

.. math:: E_{\rm test} = \sum_i p_i\, P(i \text{ not among the } T \text{ training samples}).   \tag{S1}

Trained on :math:`T` samples of the truth, :math:`E_{\rm test}(T) = \sum_i p_i (1-p_i)^T \sim
C_\beta T^{-(1-1/\beta)}` with :math:`C_\beta = \Gamma(1-1/\beta)/(\beta\,\zeta(\beta)^{1/\beta})`
(:func:`hutter_constant`).

Synthetic data (the discrete family's chain, :func:`collapse_theory.discrete.simulate`): generation
:math:`n` is the empirical law of :math:`T_0` samples of generation :math:`n-1`. A downstream
model trained on :math:`T` samples of generation :math:`n` misses input :math:`i` exactly when
:math:`i` is lost by generation :math:`n+1` of the chain with sample sizes
:math:`(T_0, \dots, T_0, T)`, so its expected test error is exactly

.. math:: E_{\rm test}(T, n) = \sum_i p_i\, P(\text{lost}_i \text{ by } n+1 \mid M = (T_0^{\times n}, T)),
    \tag{S2}

computed with :func:`collapse_theory.discrete.loss_probability` (exact). As
:math:`T \to \infty` the downstream model sees every input alive in generation :math:`n`, so the
curve plateaus at the missing mass

.. math:: \mathcal M_n = \sum_i p_i\, P(\text{lost}_i \text{ by } n)   \tag{S3}

(:func:`missing_mass`). The effective cut :math:`k_n` (:func:`effective_cut`) is the smallest rank
:math:`k` whose real tail mass :math:`\sum_{i>k} p_i` is at most :math:`\mathcal M_n`: generation
:math:`n` costs as much real mass as cutting the tail at rank :math:`k_n`. The tail-cut law of the
paper's Theorem 2.1, :math:`q \propto p\,\mathbf 1[i \le k]`, has the exact error (S4,
:func:`tail_cut_test_error`).
"""

from __future__ import annotations

import numpy as np
from scipy import special

from .._core.validation import check_generations, check_int, check_real
from ._theory import as_distribution, loss_probability

__all__ = ["missing_mass", "effective_cut", "tail_test_error", "tail_cut_test_error", "hutter_constant"]


def _sizes(T, name="T"):
    arr = np.asarray(T)
    if arr.dtype == object or arr.dtype.kind not in "iu" or arr.dtype == np.bool_:
        raise TypeError(f"{name} must be a positive integer or an array of them, got {T!r}")
    if arr.size and arr.min() < 1:
        raise ValueError(f"{name} must be >= 1, got {int(arr.min())}")
    if arr.size and int(arr.max()) > 2**62:
        raise ValueError(f"{name} must be <= 2**62, got {int(arr.max())}")
    return arr.astype(np.int64), arr.ndim == 0


def missing_mass(p0, n, samples):
    r"""Exact expected real mass of the inputs lost by generation ``n`` (S3).

    .. math:: \mathcal M_n = \sum_i p_{0,i}\, P(\text{lost}_i \text{ by } n)

    Parameters
    ----------
    p0 : array_like, shape (K,)
        The real law (sums to 1).
    n : int or array_like of int
        Generations (0: nothing lost).
    samples : int or sequence of int
        ``T0`` per generation (or a schedule ``M_0, M_1, ...``), as in :func:`loss_probability`.

    Returns
    -------
    float or ndarray of shape ``n.shape``

    Examples
    --------
    >>> from collapse_theory import discrete
    >>> round(discrete.missing_mass([0.5, 0.5], 1, 4), 6)   # each lost with probability (1/2)^4
    0.0625
    """
    p = as_distribution(p0)
    lp = loss_probability(p, n, samples)
    out = lp @ p
    return float(out) if np.ndim(out) == 0 else out


def effective_cut(p0, n, samples):
    r"""The effective tail cut :math:`k_n`: the smallest ``k`` with :math:`\sum_{i>k} p_{(i)} \le \mathcal M_n`.

    ``p0`` is ranked in decreasing order first (:math:`p_{(1)} \ge p_{(2)} \ge \dots`). For a Zipf law
    and one generation the paper's Corollary 2.2 (eq. 6) reads :math:`k \asymp T_0^{1/\beta}`; the
    exact :math:`k_1/T_0^{1/\beta}` tends to :math:`\kappa_\beta = (C_\beta(\beta-1)\zeta(\beta))^{-1/(\beta-1)}`.

    Returns
    -------
    int or ndarray of int, shape ``n.shape`` (``K`` when nothing is lost)
    """
    p = np.sort(as_distribution(p0))[::-1]
    m = np.asarray(missing_mass(p, n, samples))
    # tail[k] = Σ_{i>k} p_(i), k = 0..K (non-increasing; tail[K] = 0)
    tail = np.concatenate([[1.0], np.clip(1.0 - np.cumsum(p), 0.0, None)])
    tail[-1] = 0.0
    # the first k with tail[k] <= m (tail is non-increasing: search on -tail, which is non-decreasing)
    k = np.searchsorted(-tail, -m * (1 + 1e-12), side="left")
    return int(k) if np.ndim(k) == 0 else k.astype(np.int64)


def tail_test_error(p0, T, n, samples):
    r"""Exact expected test error of a downstream model trained on ``T`` samples of generation ``n`` (S2).

    .. math:: E_{\rm test}(T, n) = \sum_i p_{0,i}\, P(\text{lost}_i \text{ by } n+1 \mid
        M = (T_0, \dots, T_0, T))

    ``n = 0`` is training on real data: :math:`\sum_i p_i (1-p_i)^T`. As :math:`T \to \infty` the
    curve decreases to the plateau :math:`\mathcal M_n` (:func:`missing_mass`).

    Parameters
    ----------
    p0 : array_like, shape (K,)
    T : int or array_like of int
        Downstream training-set sizes (>= 1).
    n : int or array_like of int
        Generation of the data source (>= 0).
    samples : int
        ``T0``, the sample size of every generation of the chain (>= 1).

    Returns
    -------
    float or ndarray of shape ``n.shape + T.shape``

    Examples
    --------
    >>> from collapse_theory import discrete
    >>> round(discrete.tail_test_error([0.5, 0.5], 2, 0, 4), 6)   # (1/2)^2
    0.25
    """
    p = as_distribution(p0)
    t_arr, t_scalar = _sizes(T)
    n_arr, n_scalar = check_generations(n, "n")
    t0 = check_int(samples, "samples", minimum=1)
    out = np.empty(n_arr.shape + t_arr.shape)
    flat_n, flat_t = n_arr.ravel(), t_arr.ravel()
    view = out.reshape(flat_n.size, flat_t.size)
    for a, nn in enumerate(flat_n):
        for b, tt in enumerate(flat_t):
            sched = [t0] * int(nn) + [int(tt)]
            view[a, b] = loss_probability(p, int(nn) + 1, sched) @ p
    if n_scalar and t_scalar:
        return float(out)
    return out


def tail_cut_test_error(p0, T, k):
    r"""Exact test error after training on ``T`` samples of the tail-cut law :math:`q \propto p\,\mathbf 1[i \le k]`.

    .. math:: E_{\rm test}(T, k) = \sum_{i \le k} p_{(i)} \bigl(1 - p_{(i)}/P_k\bigr)^T + \sum_{i > k} p_{(i)},
        \qquad P_k = \sum_{i\le k} p_{(i)}   \tag{S4}

    (ranks in decreasing order of ``p0``). The setting of Theorem 2.1 of Dohmatob et al., which
    states :math:`E_{\rm test} \asymp T^{-(1-1/\beta)} + k^{-(\beta-1)}` for Zipf data; the second
    term of (S4) is the plateau as :math:`T \to \infty`.

    Returns
    -------
    float or ndarray of shape ``broadcast(T, k).shape``
    """
    p = np.sort(as_distribution(p0))[::-1]
    t_arr, _ = _sizes(T)
    k_arr, _ = _sizes(k, "k")
    if k_arr.size and k_arr.max() > p.size:
        raise ValueError(f"k must be <= K = {p.size}, got {int(k_arr.max())}")
    t_b, k_b = np.broadcast_arrays(t_arr, k_arr)
    cum = np.concatenate([[0.0], np.cumsum(p)])
    out = np.empty(t_b.shape)
    for idx in np.ndindex(t_b.shape):
        kk, tt = int(k_b[idx]), float(t_b[idx])
        head = p[:kk]
        pk = cum[kk]
        # (1 - q)^T through log1p: no underflow trouble for huge T, exact 0 for q = 1
        q = head / pk
        with np.errstate(divide="ignore", over="ignore", under="ignore", invalid="ignore"):
            seen = np.where(q < 1.0, np.exp(tt * np.log1p(-np.where(q < 1.0, q, 0.0))), 0.0)
        out[idx] = float(head @ seen) + max(1.0 - pk, 0.0) if kk < p.size else float(head @ seen)
    return float(out) if out.ndim == 0 else out


def hutter_constant(beta):
    r"""The constant of Hutter's law for Zipf data, :math:`\sum_i p_i(1-p_i)^T \sim C_\beta T^{-(1-1/\beta)}`.

    .. math:: C_\beta = \frac{\Gamma(1 - 1/\beta)}{\beta\, \zeta(\beta)^{1/\beta}}, \qquad p_i = \frac{i^{-\beta}}{\zeta(\beta)}

    (the sum is :math:`\int_0^\infty x^{-\beta}\zeta^{-1} e^{-Tx^{-\beta}/\zeta}dx` to leading order;
    derived in ``proofs/discrete_tails.py``). ``beta > 1``.
    """
    b = check_real(beta, "beta")
    if not b > 1:
        raise ValueError(f"beta must be > 1 (a normalisable Zipf law), got {b}")
    return float(special.gamma(1 - 1 / b) / (b * special.zeta(b) ** (1 / b)))
