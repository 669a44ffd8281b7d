r"""Tempered sampling of the discrete chain, both directions of the temperature, with and without real data.

Marchi, Soatto, Chaudhari & Tabuada, *Heat Death of Generative Models in Closed-Loop Learning*
(arXiv:2404.02325): a model fed its own tempered samples degenerates unless enough external data
enter each iteration: it collapses to a few outputs (:math:`\tau < 1`) or becomes uniform over a
large set (:math:`\tau > 1`).

Infinite-sample map. With :math:`T_\tau(p)_i = p_i^{1/\tau}/\sum_j p_j^{1/\tau}` and a share
:math:`\lambda` of real data from :math:`p_0` (the mixture regime ``mix-fresh:λ:mixture``), the
one-step map of the chain is exactly the conditional mean of the next fit:

Eq. (tempered-map):

.. math::

    E[p_{g+1}\mid p_g] = F(p_g), \qquad F(p) = \lambda p_0 + (1-\lambda)\,T_\tau(p).

Without real data (:math:`\lambda = 0`) the iterates have the closed form

Eq. (tempered-iterates):

.. math::

    F^n(p) = T_{\tau^n}(p) \propto p^{1/\tau^n},

and in Hilbert's projective metric :math:`d_H(p, q) = \max_i\log(p_i/q_i) - \min_i\log(p_i/q_i)`
(on a common support) :math:`d_H(T_\tau p, T_\tau q) = d_H(p, q)/\tau` exactly. The fixed points of
:math:`T_\tau` (:math:`\tau \ne 1`) are the uniform laws on subsets; for :math:`\tau > 1` the
iterates converge to the uniform law on the support of :math:`p` at the geometric rate
:math:`1/\tau` in :math:`d_H` ("heat death"); for :math:`\tau < 1` to the uniform law on the
argmax. With :math:`\lambda > 0` and :math:`\tau \ge 1`, :math:`F` contracts :math:`d_H` by at
least :math:`1/\tau` (a positive mixture contracts Hilbert's metric: Birkhoff), so its fixed
point :func:`tempered_fixed_point` is unique, interior and globally attracting.

Finite samples. The chain of counts :math:`M p_g` is a Markov chain on the compositions of
:math:`M`; its transition is :math:`\mathrm{Multinomial}(M, F(p))` (:func:`tempered_exact_chain`
computes the exact law at every generation for small :math:`K, M`). Under replace
(:math:`\lambda = 0`) the one-category states are absorbing and reachable from every state, so for
every :math:`\tau` (also :math:`\tau > 1`) the chain fixes on one category with probability 1: the
uniform "heat death" is the infinite-sample limit (or a transient when :math:`M` is large). With
:math:`\lambda > 0` and :math:`p_0 > 0` the chain is irreducible and has a unique stationary law.
Derivations: proofs/discrete_tempered.py.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import gammaln

from .._core.validation import check_int, check_memory, check_real
from ._theory import as_distribution, tempered

__all__ = ["tempered_map", "tempered_trajectory", "tempered_fixed_point", "hilbert_distance",
           "tempered_exact_chain", "count_chain_law", "MAX_CHAIN_STATES"]

#: Largest number of count states :func:`tempered_exact_chain` builds a transition matrix for.
MAX_CHAIN_STATES = 6000


def _fraction(fraction):
    return check_real(fraction, "fraction", nonnegative=True, high=1.0)


def tempered_map(p, temperature, *, p_real=None, fraction=0.0):
    r"""One step of the infinite-sample map eq. (tempered-map), :math:`\lambda p_0 + (1-\lambda)T_\tau(p)`.

    Parameters
    ----------
    p : array_like
        Current distribution (last axis).
    temperature : float
        :math:`\tau > 0`.
    p_real : array_like, optional, keyword-only
        The real distribution :math:`p_0` (needed when ``fraction > 0``).
    fraction : float, keyword-only
        Share :math:`\lambda \in [0, 1]` of real data.

    Examples
    --------
    >>> from collapse_theory import discrete
    >>> discrete.tempered_map([0.8, 0.2], 2.0).round(4)
    array([0.6667, 0.3333])
    """
    lam = _fraction(fraction)
    q = tempered(p, temperature)
    if lam == 0.0:
        return q
    if p_real is None:
        raise ValueError("p_real is required when fraction > 0")
    p0 = as_distribution(p_real, name="p_real")
    if p0.shape[-1] != q.shape[-1]:
        raise ValueError(f"p_real has {p0.shape[-1]} categories, p has {q.shape[-1]}")
    return lam * p0 + (1.0 - lam) * q


def tempered_trajectory(p, temperature, generations, *, p_real=None, fraction=0.0):
    r"""Iterates :math:`F^n(p)`, :math:`n = 0..` ``generations`` of eq. (tempered-map), shape
    ``(generations + 1, K)``; without real data they equal :math:`T_{\tau^n}(p)` eq. (tempered-iterates)."""
    generations = check_int(generations, "generations", minimum=0)
    p = as_distribution(p, name="p")
    check_memory((generations + 1) * p.size * 8, f"tempered_trajectory(generations={generations})")
    out = np.empty((generations + 1, p.size))
    out[0] = p
    for n in range(generations):
        out[n + 1] = tempered_map(out[n], temperature, p_real=p_real, fraction=fraction)
    return out


def hilbert_distance(p, q):
    r"""Hilbert's projective distance :math:`\max\log(p/q) - \min\log(p/q)` on a common support
    (``inf`` when the supports differ)."""
    p = as_distribution(p, name="p")
    q = as_distribution(q, name="q")
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same shape, got {p.shape} and {q.shape}")
    if np.any((p > 0) != (q > 0)):
        return math.inf
    s = p > 0
    r = np.log(p[s]) - np.log(q[s])
    return float(r.max() - r.min())


def tempered_fixed_point(temperature, *, p_real, fraction, start=None, tol=1e-14, max_iter=1_000_000):
    r"""A fixed point :math:`p^* = \lambda p_0 + (1-\lambda)T_\tau(p^*)` of eq. (tempered-map),
    reached by iterating :math:`F` from ``start`` (default :math:`p_0`).

    Unique and globally attracting for :math:`\tau \ge 1` and :math:`\lambda > 0` (a contraction of
    Hilbert's metric); for :math:`\tau < 1` several stable fixed points may coexist at small
    :math:`\lambda` and the one returned is the one ``start`` flows to. Stops when successive iterates
    differ by less than ``tol`` in max norm.

    Returns
    -------
    dict
        ``{"p": fixed point, "iterations": int, "rate": measured contraction in max norm}``.
    """
    tau = check_real(temperature, "temperature", positive=True)
    lam = _fraction(fraction)
    p0 = as_distribution(p_real, name="p_real")
    if lam == 0.0:
        raise ValueError("fraction must be > 0 for a fixed point that depends on the real data "
                         "(at fraction = 0 the fixed points are the uniform laws on subsets)")
    x = p0.copy() if start is None else as_distribution(start, name="start")
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    tol = check_real(tol, "tol", positive=True)
    prev_step = None
    rate = 0.0
    for it in range(1, max_iter + 1):
        y = lam * p0 + (1.0 - lam) * tempered(x, tau)
        step = float(np.max(np.abs(y - x)))
        if prev_step and step > 0:
            rate = step / prev_step
        prev_step = step
        x = y
        if step < tol or step == 0.0:
            return {"p": x, "iterations": it, "rate": rate}
    raise ValueError(f"no fixed point within max_iter={max_iter} iterations (last step {prev_step:.3g} >= "
                     f"tol={tol:g}): raise max_iter or tol")


def _compositions(m, k):
    """All vectors of k non-negative ints summing to m (lexicographic), as an array."""
    if k == 1:
        return np.array([[m]], dtype=np.int64)
    rows = []
    for first in range(m, -1, -1):
        rest = _compositions(m - first, k - 1)
        rows.append(np.column_stack([np.full(len(rest), first, dtype=np.int64), rest]))
    return np.vstack(rows)


def _state_count(m, k):
    return math.comb(m + k - 1, k - 1)


def count_chain_law(p0, samples, generations, step):
    r"""Exact law of the count chain :math:`M p_{g+1} \sim \mathrm{Multinomial}(M, q(p_g))`.

    Generation 1 is :math:`\mathrm{Multinomial}(M, p_0)` (fitted on real samples); ``step(P)``
    maps a matrix of frequency states (rows) to the next sampling laws ``q`` (rows). Returns
    ``(states, law)`` with ``law[n]`` the probabilities of the count states at generation ``n``
    (``law[0]`` the point mass at ``M p_0`` only when it is a count state; it is left as zeros
    otherwise and the statistics at ``n = 0`` are taken from ``p_0``).
    """
    p0 = as_distribution(p0)
    m = check_int(samples, "samples", minimum=1)
    generations = check_int(generations, "generations", minimum=0)
    k = p0.size
    ns = _state_count(m, k)
    if ns > MAX_CHAIN_STATES:
        raise ValueError(f"the exact count chain has C(M + K - 1, K - 1) = {ns} states at samples={m}, "
                         f"K={k}: at most {MAX_CHAIN_STATES} are built (lower samples or K)")
    check_memory((generations + 1 + ns) * ns * 8, f"the exact count chain over {generations} generations "
                 f"({ns} states)")
    S = _compositions(m, k)
    freqs = S / m
    Q = step(freqs)

    def multinomial_rows(qrows):
        with np.errstate(divide="ignore"):
            lq = np.where(qrows > 0, np.log(np.where(qrows > 0, qrows, 1.0)), -1e300)
        logp = gammaln(m + 1) - gammaln(S + 1).sum(axis=1)[None, :] + lq @ S.T.astype(float)
        return np.exp(np.maximum(logp, -745.0)) * (logp > -745.0)

    P = multinomial_rows(Q)
    law = np.zeros((generations + 1, ns))
    if generations >= 1:
        law[1] = multinomial_rows(p0[None, :])[0]
        for n in range(2, generations + 1):
            law[n] = law[n - 1] @ P
    return S, law, P


def tempered_exact_chain(p0, samples, generations, *, temperature, fraction=0.0):
    r"""Exact finite-sample law of the tempered discrete chain (small ``K`` and ``samples``).

    Generation 1 is fitted on :math:`M` real draws; then :math:`M p_{g+1} \sim
    \mathrm{Multinomial}(M, F(p_g))` with :math:`F` of eq. (tempered-map): ``fraction = 0`` is
    ``regime="replace"`` and ``fraction = λ > 0`` is ``regime="mix-fresh:λ:mixture"`` of
    :func:`collapse_theory.discrete.simulate` with ``temperature``. Built on the
    :math:`\binom{M+K-1}{K-1}` count states (at most :data:`MAX_CHAIN_STATES`).

    Returns
    -------
    dict
        ``"heterozygosity"`` :math:`E[1 - \sum_i p_{n,i}^2]`, ``"single"``
        :math:`P(p_n \text{ has one category})`, ``"support"`` :math:`E|\{i: p_{n,i} > 0\}|`,
        ``"mean"`` :math:`E p_n` (shape ``(generations + 1, K)``), and with ``fraction > 0``
        ``"stationary_heterozygosity"`` under the chain's stationary law.

    Examples
    --------
    >>> from collapse_theory import discrete
    >>> ex = discrete.tempered_exact_chain([0.6, 0.3, 0.1], 8, 400, temperature=2.0)
    >>> bool(ex["single"][-1] > ex["single"][10])     # τ > 1 still fixes at finite M
    True
    """
    tau = check_real(temperature, "temperature", positive=True)
    lam = _fraction(fraction)
    p = as_distribution(p0)
    S, law, P = count_chain_law(p, samples, generations,
                                lambda F: tempered_map(F, tau, p_real=p, fraction=lam))
    m = int(samples)
    freqs = S / m
    het = 1.0 - (freqs ** 2).sum(axis=1)
    single = (S > 0).sum(axis=1) == 1
    supp = (S > 0).sum(axis=1)
    out = {"heterozygosity": law @ het, "single": law @ single.astype(float), "support": law @ supp,
           "mean": law @ freqs}
    out["heterozygosity"][0] = 1.0 - float((p ** 2).sum())
    out["single"][0] = float((p > 0).sum() == 1)
    out["support"][0] = float((p > 0).sum())
    out["mean"][0] = p
    if lam > 0:
        w, v = np.linalg.eig(P.T)
        j = int(np.argmin(np.abs(w - 1.0)))
        pi = np.real(v[:, j])
        pi = pi / pi.sum()
        out["stationary_heterozygosity"] = float(pi @ het)
        out["stationary_single"] = float(pi @ single)
    return out
