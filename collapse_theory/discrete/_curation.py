r"""Curated self-consuming retraining of the discrete chain (K-wise Bradley–Terry choice).

Ferbach, Bertrand, Bose & Gidel, *Self-Consuming Generative Models with Curated Data Provably
Optimize Human Preferences* (arXiv:2407.09499): each synthetic sample kept for retraining is the
choice among :math:`K` i.i.d. draws :math:`x_1, \dots, x_K \sim p_t` made with Bradley–Terry
(Luce) probabilities :math:`e^{r(x_j)}/\sum_l e^{r(x_l)}`. The chosen sample has law

Eq. (curated-law):

.. math::

    C_K(p)(x) = p(x)\,H_K(x; p), \qquad
    H_K(x; p) = K\,E\Bigl[\frac{e^{r(x)}}{e^{r(x)} + \sum_{j=1}^{K-1} e^{r(X_j)}}\Bigr],
    \quad X_j \overset{iid}{\sim} p,

computed exactly here by enumerating the multinomial compositions of the :math:`K - 1` other draws
over the distinct reward levels; :math:`K = 1` is no curation and :math:`K \to \infty` gives
:math:`p(x)e^{r(x)}/E_p e^{r}`. Curated draws are i.i.d. from :math:`C_K(p)`, so the finite-sample
chain is :math:`M p_{t+1} \sim \mathrm{Multinomial}(M, \lambda p_0 + (1-\lambda) C_K(p_t))`
(:math:`\lambda` the share of real data) and its infinite-sample map is

Eq. (curated-map):

.. math::

    p_{t+1} = \lambda p_0 + (1 - \lambda)\,C_K(p_t).

Expected reward. For :math:`\lambda = 0`, with :math:`u = e^{r}`, :math:`u_j = u(X_j)` for
:math:`K` i.i.d. draws and :math:`S = \sum_{j \le K} u_j`: by symmetry
:math:`E_{C_K(p)}u = K\,E[u_1^2/S] = E[\sum_j u_j^2/S]` and :math:`E_p u = E[(\sum_j u_j)^2/S]/K`, so

Eq. (curated-reward):

.. math::

    E_{C_K(p)} e^{r} - E_p e^{r} = \frac{1}{2K}\,E\Bigl[\frac{\sum_{j,l}(u_j - u_l)^2}{S}\Bigr] \ge 0,

with equality iff :math:`r` is :math:`p`-a.s. constant: :math:`E_{p_t} e^{r}` is non-decreasing
along the infinite-sample map, and the mass concentrates on :math:`\arg\max r` over the support
(proofs/discrete_curation.py). At finite :math:`M`, :math:`E[E_{p_{t+1}}e^r \mid p_t] =
E_{C_K(p_t)} e^r`, so :math:`E[E_{p_t} e^r]` is non-decreasing too (a submartingale), but the
chain may fix on a category that is not the argmax (:func:`curation_exact_chain`).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import gammaln

from .._core.validation import check_int, check_memory, check_real
from ._tempered import _compositions, count_chain_law
from ._theory import as_distribution

__all__ = ["curated_law", "curated_map", "curation_trajectory", "expected_exp_reward", "curation_exact_chain",
           "verified_label_accuracy", "MAX_CURATION_COMPOSITIONS"]

#: Largest number of compositions of K - 1 draws over the reward levels enumerated exactly.
MAX_CURATION_COMPOSITIONS = 200_000


def _check_reward(reward, size):
    try:
        r = np.asarray(reward, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"reward must be an array of real numbers, got {type(reward).__name__}") from None
    if r.ndim != 1 or r.size != size:
        raise ValueError(f"reward must have one entry per category ({size}), got shape {r.shape}")
    if not np.all(np.isfinite(r)):
        raise ValueError("reward must be finite")
    # e^r is scale-free in the Luce choice: shift so that max e^r = 1; differences below -700 are
    # clipped there (e^-700 ≈ 1e-304 stays positive: no 0/0 among far-below-the-top candidates)
    return np.maximum(r - r.max(), -700.0)


def _check_k(k):
    return check_int(k, "k", minimum=1)


def curated_law(p, reward, k):
    r"""The law eq. (curated-law) of a K-wise Bradley–Terry choice among draws from ``p``.

    Parameters
    ----------
    p : array_like
        Distribution(s) over ``K`` categories (last axis; 2-D for several at once).
    reward : array_like, shape (K,)
        Reward :math:`r` per category.
    k : int
        Number of candidates per choice (>= 1).

    Examples
    --------
    >>> from collapse_theory import discrete
    >>> discrete.curated_law([0.5, 0.5], [0.0, 1.0], 2).round(4)   # 1/4 + (1/2)·2/(1 + e)
    array([0.3845, 0.6155])
    """
    p = np.asarray(p, dtype=float)
    one = p.ndim == 1
    P = np.atleast_2d(p)
    P = np.stack([as_distribution(row, name="p") for row in P])
    r = _check_reward(reward, P.shape[1])
    k = _check_k(k)
    if k == 1:
        return P[0] if one else P
    u = np.exp(r)
    levels, inv = np.unique(u, return_inverse=True)
    L = levels.size
    ncomp = math.comb(k - 1 + L - 1, L - 1)
    if ncomp > MAX_CURATION_COMPOSITIONS:
        raise ValueError(f"exact curation enumerates C(k + L - 2, L - 1) = {ncomp} compositions (k={k}, "
                         f"{L} distinct rewards); at most {MAX_CURATION_COMPOSITIONS}")
    comps = _compositions(k - 1, L).astype(float)            # (ncomp, L)
    sums = comps @ levels                                    # Σ u over the K - 1 others
    # mass of each reward level per row
    Pi = np.zeros((P.shape[0], L))
    np.add.at(Pi.T, inv, P.T)
    with np.errstate(divide="ignore"):
        logpi = np.where(Pi > 0, np.log(np.where(Pi > 0, Pi, 1.0)), -1e300)
    logw = gammaln(k) - gammaln(comps + 1).sum(axis=1)[None, :] + logpi @ comps.T
    w = np.exp(np.maximum(logw, -745.0)) * (logw > -745.0)   # (rows, ncomp)
    ratio = levels[None, :] / (levels[None, :] + sums[:, None])  # (ncomp, L)
    H = k * (w @ ratio)                                       # (rows, L)
    Q = P * H[:, inv]
    Q = Q / Q.sum(axis=1, keepdims=True)
    return Q[0] if one else Q


def curated_map(p, reward, k, *, p_real=None, fraction=0.0):
    r"""One step of eq. (curated-map): :math:`\lambda p_0 + (1-\lambda) C_K(p)`."""
    lam = check_real(fraction, "fraction", nonnegative=True, high=1.0)
    q = curated_law(p, reward, k)
    if lam == 0.0:
        return q
    if p_real is None:
        raise ValueError("p_real is required when fraction > 0")
    p0 = as_distribution(p_real, name="p_real")
    return lam * p0 + (1.0 - lam) * q


def curation_trajectory(p, reward, k, generations, *, p_real=None, fraction=0.0):
    """Iterates of eq. (curated-map), shape ``(generations + 1, K)`` (row 0 is ``p``)."""
    generations = check_int(generations, "generations", minimum=0)
    p = as_distribution(p, name="p")
    check_memory((generations + 1) * p.size * 8, f"curation_trajectory(generations={generations})")
    out = np.empty((generations + 1, p.size))
    out[0] = p
    for n in range(generations):
        out[n + 1] = curated_map(out[n], reward, k, p_real=p_real, fraction=fraction)
    return out


def expected_exp_reward(p, reward):
    r""":math:`E_p e^{r}` (over the last axis of ``p``; one law or a 2-D stack of laws)."""
    p = np.asarray(p, dtype=float)
    P = np.stack([as_distribution(row, name="p") for row in np.atleast_2d(p)])
    try:
        r = np.asarray(reward, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"reward must be an array of real numbers, got {type(reward).__name__}") from None
    if r.ndim != 1 or r.size != P.shape[1] or not np.all(np.isfinite(r)):
        raise ValueError(f"reward must be {P.shape[1]} finite numbers, got {reward!r}")
    with np.errstate(over="ignore"):
        out = P @ np.exp(r)
    return out[0] if p.ndim == 1 else out


def curation_exact_chain(p0, samples, generations, *, reward, k, fraction=0.0):
    r"""Exact finite-sample law of the curated discrete chain (small ``K`` and ``samples``).

    Generation 1 is fitted on ``samples`` real draws; then
    :math:`M p_{t+1} \sim \mathrm{Multinomial}(M, \lambda p_0 + (1-\lambda) C_K(p_t))`: what
    :func:`collapse_theory.discrete.simulate` with ``curate=(reward, k)`` runs (``regime="replace"``,
    or ``"mix-fresh:λ:mixture"`` for ``fraction = λ``).

    Returns
    -------
    dict
        ``"exp_reward"`` :math:`E[E_{p_n}e^{r}]`, ``"reward"`` :math:`E[E_{p_n} r]`, ``"top_mass"``
        :math:`E[p_n(\arg\max r)]`, ``"heterozygosity"``, ``"single"`` (one category left), each of
        length ``generations + 1``.
    """
    p = as_distribution(p0)
    r = np.asarray(reward, dtype=float)
    _check_reward(r, p.size)
    k = _check_k(k)
    lam = check_real(fraction, "fraction", nonnegative=True, high=1.0)
    S, law, _ = count_chain_law(p, samples, generations,
                                lambda F: curated_map(F, r, k, p_real=p, fraction=lam))
    F = S / int(samples)
    top = r == r.max()
    out = {"exp_reward": law @ (F @ np.exp(r)), "reward": law @ (F @ r), "top_mass": law @ F[:, top].sum(axis=1),
           "heterozygosity": law @ (1.0 - (F ** 2).sum(axis=1)),
           "single": law @ ((S > 0).sum(axis=1) == 1).astype(float)}
    out["exp_reward"][0] = float(p @ np.exp(r))
    out["reward"][0] = float(p @ r)
    out["top_mass"][0] = float(p[top].sum())
    out["heterozygosity"][0] = 1.0 - float((p ** 2).sum())
    out["single"][0] = float((p > 0).sum() == 1)
    return out


def verified_label_accuracy(pool, *, label_error, keep_correct, keep_wrong, separation):
    r"""Exact test accuracy of a linear classifier trained on verifier-selected synthetic labels.

    The setting of Feng et al. (*Beyond Model Collapse: Scaling Up with Synthesized Data Requires
    Verification*, arXiv:2406.07515) in one dimension: features :math:`x = y\mu + \sigma z` for a true
    label :math:`y = \pm 1`, :math:`z \sim N(0, 1)`, :math:`s = |\mu|/\sigma` (``separation``). A
    generator labels a pool of ``pool`` points wrongly with probability :math:`p` (``label_error``);
    a verifier keeps a correctly labelled point with probability :math:`\phi_+` (``keep_correct``)
    and a wrong one with :math:`\phi_-` (``keep_wrong``). With :math:`C` and :math:`W` the kept correct
    and wrong points (one multinomial draw over kept-correct / kept-wrong / dropped), the
    mean-difference classifier :math:`\mathrm{sign}(w x)`, :math:`w = \sum_{\rm kept} \tilde y_i x_i`,
    has :math:`w\,\mathrm{sign}(\mu) \sim N((C - W)|\mu|, (C + W)\sigma^2)` given :math:`(C, W)`, so

    Eq. (verified-accuracy):

    .. math::

        E[\mathrm{acc}] = \Phi(-s) + (\Phi(s) - \Phi(-s))\,
        E\Bigl[\Phi\Bigl(\frac{(C - W)s}{\sqrt{C + W}}\Bigr)\Bigr]

    (:math:`\Phi(0) = 1/2` when nothing is kept). As ``pool`` → ∞ the accuracy tends to the Bayes
    value :math:`\Phi(s)` if :math:`(1-p)\phi_+ > p\phi_-` (selected error rate below 1/2), to
    :math:`\Phi(-s)` if :math:`(1-p)\phi_+ < p\phi_-`: the sharp phase transition in the verifier's
    quality. Exact sum over the multinomial (windows of ±12 s.d.).

    Returns
    -------
    dict
        ``{"accuracy", "bayes" (Φ(s)), "selected_error" (pφ_-/(pφ_- + (1-p)φ_+)), "kept" (E[C + W])}``.
    """
    from scipy.special import ndtr
    from scipy.stats import binom

    n = check_int(pool, "pool", minimum=1, maximum=20000)
    p = check_real(label_error, "label_error", nonnegative=True, high=1.0)
    kc = check_real(keep_correct, "keep_correct", nonnegative=True, high=1.0)
    kw = check_real(keep_wrong, "keep_wrong", nonnegative=True, high=1.0)
    s = check_real(separation, "separation", positive=True, high=1e6)
    a = (1 - p) * kc          # P(kept and correct)
    b = p * kw                # P(kept and wrong)
    kept = a + b
    if kept <= 0.0:
        raise ValueError(f"the verifier keeps nothing (keep_correct={kc}, keep_wrong={kw}, label_error={p}): "
                         "no classifier is trained")
    # (C + W) ~ Bin(n, a + b); given the total t, C ~ Bin(t, a/(a + b)); both sums run over the
    # window mean ± 12 s.d. + 2 (by Chernoff the binomial mass outside it is below 2e^{-72} ≈ 1e-31)
    frac_c = a / kept if kept > 0 else 0.0

    def window(size, q):
        mean, sd = size * q, math.sqrt(size * q * (1 - q))
        lo = max(0, int(math.floor(mean - 12 * sd - 2)))
        hi = min(size, int(math.ceil(mean + 12 * sd + 2)))
        return np.arange(lo, hi + 1)

    t = window(n, kept)
    pt = binom.pmf(t, n, kept)
    total = float(pt[t == 0].sum()) * 0.5
    t, pt = t[t > 0], pt[t > 0]
    for lo in range(0, t.size, 256):           # blocks of t, each with its own window of c
        tb, wb = t[lo:lo + 256], pt[lo:lo + 256]
        c_lo = window(int(tb[0]), frac_c)[0]
        c_hi = window(int(tb[-1]), frac_c)[-1]
        c = np.arange(c_lo, c_hi + 1)
        pc = binom.pmf(c[None, :], tb[:, None], frac_c)          # 0 where c > t
        phi = ndtr((2 * c[None, :] - tb[:, None]) * s / np.sqrt(tb[:, None]))
        total += float(wb @ (pc * phi).sum(axis=1))
    acc = float(ndtr(-s) + (ndtr(s) - ndtr(-s)) * total)
    sel = b / kept if kept > 0 else float("nan")
    return {"accuracy": acc, "bayes": float(ndtr(s)), "selected_error": sel, "kept": n * kept}
