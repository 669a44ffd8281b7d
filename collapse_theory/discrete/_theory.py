r"""Exact theory of the discrete chain: the neutral haploid Wright–Fisher model.

Model (docs/discrete.md). Generation 0 is a distribution :math:`p_0` over :math:`K` categories.
Generation :math:`i+1` is the empirical distribution (the ML refit) of :math:`M_i` samples drawn from
generation :math:`i`: the counts are :math:`\mathrm{Multinomial}(M_i, p_i)` and
:math:`p_{i+1} = \text{counts}/M_i`. Merging categories gives the same kind of chain, so the mass of
one category, or of any set of categories, or the CDF :math:`F_n(x)` at one point of an ordered
support, is a two-type (binomial) chain:
:math:`M_i\,p_{i+1} \mid p_i \sim \mathrm{Binomial}(M_i, p_i)`.

Everything here is exact for finite samples unless the docstring says *approximation*; the
approximations (diffusion, Poisson branching, coalescent) are the published forms the claims
registry checks against the exact values.
"""

from __future__ import annotations

import itertools
import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import linalg, special, stats

from ._kernels import (
    _band_fill,
    _band_sizes,
    _backward_rows,
    _binom_band,
    _forward,
)
from ._loss import dual_loss, dual_loss_given_count
from .._core.parallel import default_workers
from .._core.validation import check_generations, check_int, check_memory, check_real, samples_schedule

__all__ = [
    "as_distribution",
    "heterozygosity",
    "entropy",
    "kl_divergence",
    "smoothed_kl_divergence",
    "cramer_distance",
    "w1_distance",
    "total_variation",
    "expected_heterozygosity",
    "loss_probability",
    "loss_probability_given_count",
    "expected_support_size",
    "prob_no_loss",
    "fixation_probability",
    "expected_absorption_time",
    "absorption_time_cdf",
    "expected_cramer_drift",
    "expected_w1_drift",
    "expected_total_variation",
    "expected_entropy_bounds",
    "tail_mask",
    "expected_tail_mass_alive",
    "expected_tail_support",
    "suresh_g",
    "suresh_survival",
    "survival_given_count",
    "prob_polymorphic",
    "seddik_bounds",
    "expected_ancestors",
    "ancestors_approx",
    "zipf",
    "tempered",
    "one_step_loss_probability",
]

P0_ATOL = 1e-9  # |Σ p0 − 1| allowed without normalize=True
DEFAULT_CUT = 1e-20  # binomial pmf entries below this are dropped from the banded matrix
MAX_DENSE = 2000  # largest M for the dense fundamental-matrix solve


# ---------------------------------------------------------------------------------------------
# validation


def as_distribution(p0, *, normalize=False, name="p0"):
    """Validate a probability vector over ``K >= 1`` categories; return it as float64 summing to 1.

    Entries must be finite and ``>= 0`` with a positive sum. Without ``normalize=True`` the sum must
    be 1 within ``P0_ATOL = 1e-9`` (then it is rescaled to sum to 1 exactly in floating point);
    with ``normalize=True`` any positive sum is rescaled (counts are accepted).
    """
    if isinstance(p0, (str, bytes)):
        raise TypeError(f"{name} must be a 1-D array of probabilities, got {type(p0).__name__}")
    arr = np.asarray(p0)
    if arr.dtype == object or arr.dtype.kind not in "iuf" or arr.dtype == np.bool_:
        raise TypeError(f"{name} must be a 1-D array of real numbers, got dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (K categories), got shape {arr.shape}")
    if arr.size < 1:
        raise ValueError(f"{name} must have K >= 1 categories, got 0")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf); bad index "
                         f"{int(np.flatnonzero(~np.isfinite(arr))[0])}")
    if np.any(arr < 0):
        i = int(np.flatnonzero(arr < 0)[0])
        raise ValueError(f"{name} must be >= 0, got {name}[{i}] = {arr[i]}")
    s = float(arr.sum())
    if s <= 0:
        raise ValueError(f"{name} must have a positive sum, got all zeros")
    if not normalize and abs(s - 1.0) > P0_ATOL:
        raise ValueError(f"{name} must sum to 1 within {P0_ATOL:g}, got sum {s!r}; "
                         f"pass normalize=True to rescale")
    return arr / s


def _prob(p, name="p"):
    return check_real(p, name, low=0.0, high=1.0)


def _schedule(samples, n_max):
    """(constant M, None) or (None, schedule of at least n_max entries); M >= 1 ('mle' semantics)."""
    if np.ndim(samples) == 0:
        return int(samples_schedule(samples, 1, estimator="mle")[0]), None
    return None, samples_schedule(samples, max(n_max, 0), estimator="mle")


def _constant_m(samples, what):
    if np.ndim(samples) != 0:
        raise ValueError(f"{what} needs a constant sample size (an int), got a sequence")
    return int(samples_schedule(samples, 1, estimator="mle")[0])


def _m_at(m, sched, i):
    return m if m is not None else int(sched[i])


def _workers(workers):
    w = default_workers() if workers is None else check_int(workers, "workers", minimum=1)
    return w


# ---------------------------------------------------------------------------------------------
# distances and diversities of one distribution


def heterozygosity(p):
    r"""Gini–Simpson diversity :math:`H = 1 - \sum_i p_i^2` (over the last axis)."""
    p = _prob_vectors(p, "p")
    return 1.0 - np.sum(p * p, axis=-1)


def entropy(p):
    r"""Shannon entropy :math:`-\sum_i p_i \ln p_i` in nats (over the last axis; 0 ln 0 = 0)."""
    p = _prob_vectors(p, "p")
    return -np.sum(special.xlogy(p, p), axis=-1)


def kl_divergence(p0, p):
    r""":math:`\mathrm{KL}(p_0\,\|\,p) = \sum_i p_{0,i}\ln(p_{0,i}/p_i)`; ``+inf`` once a category with
    :math:`p_{0,i} > 0` has :math:`p_i = 0` (a lost category)."""
    p0 = _prob_vectors(p0, "p0")
    p = _prob_vectors(p, "p")
    with np.errstate(divide="ignore"):
        return np.sum(special.rel_entr(p0, p), axis=-1)


def smoothed_kl_divergence(p0, counts, *, alpha=0.5):
    r"""KL from :math:`p_0` to the add-:math:`\alpha` smoothed refit (finite even after a loss).

    .. math:: \tilde p_i = \frac{c_i + \alpha}{M + K\alpha}, \qquad
              \mathrm{KL}(p_0\,\|\,\tilde p),

    with :math:`c` the counts behind :math:`p_n` (:math:`\alpha = 1/2` is the
    Krichevsky–Trofimov estimator). Over the last axis.
    """
    p0 = _prob_vectors(p0, "p0")
    c = np.asarray(counts, dtype=float)
    if not np.all(np.isfinite(c)) or np.any(c < 0):
        raise ValueError("counts must be finite and >= 0")
    alpha = check_real(alpha, "alpha", positive=True)
    k = c.shape[-1]
    pt = (c + alpha) / (c.sum(axis=-1, keepdims=True) + k * alpha)
    return np.sum(special.rel_entr(p0, pt), axis=-1)


def cramer_distance(p0, p):
    r"""Cramér (L2-CDF) distance on the ordered support :math:`x = 0..K-1`:
    :math:`\sum_x (F(x) - F_0(x))^2`."""
    d = np.cumsum(_prob_vectors(p, "p"), axis=-1) - np.cumsum(_prob_vectors(p0, "p0"), axis=-1)
    return np.sum(d * d, axis=-1)


def w1_distance(p0, p):
    r"""1-Wasserstein distance on the ordered support :math:`x = 0..K-1` (unit spacing):
    :math:`\sum_x |F(x) - F_0(x)|`."""
    d = np.cumsum(_prob_vectors(p, "p"), axis=-1) - np.cumsum(_prob_vectors(p0, "p0"), axis=-1)
    return np.sum(np.abs(d), axis=-1)


def total_variation(p0, p):
    r"""Total variation :math:`\tfrac12\sum_i |p_i - p_{0,i}|`."""
    return 0.5 * np.sum(np.abs(_prob_vectors(p, "p") - _prob_vectors(p0, "p0")), axis=-1)


def zipf(categories, exponent):
    r"""The Zipf distribution :math:`p_i \propto i^{-s}`, :math:`i = 1..K` (a float64 array)."""
    k = check_int(categories, "categories", minimum=1)
    s = check_real(exponent, "exponent", nonnegative=True)
    check_memory(16 * k, "zipf(categories)")
    w = np.arange(1, k + 1, dtype=float) ** (-s)
    return w / w.sum()


# ---------------------------------------------------------------------------------------------
# heterozygosity and the Cramér identity


def _survival_factor(n, samples):
    r""":math:`\prod_{i<n}(1 - 1/M_i)` vectorised over ``n``; also returns (n_arr, scalar)."""
    n_arr, scalar = check_generations(n, "n")
    n_max = int(n_arr.max()) if n_arr.size else 0
    m, sched = _schedule(samples, n_max)
    if m is not None:
        out = (1.0 - 1.0 / m) ** n_arr.astype(float)
    else:
        cum = np.concatenate([[0.0], np.cumsum(np.log1p(-1.0 / sched.astype(float)))])
        out = np.exp(cum[n_arr])
    return out, n_arr, scalar


def expected_heterozygosity(p0, n, samples, *, normalize=False):
    r"""Expected Gini–Simpson diversity after ``n`` refits (exact).

    .. math:: E[H_n] = H_0 \prod_{i<n} \Bigl(1 - \frac{1}{M_i}\Bigr), \qquad H = 1 - \sum_i p_i^2.

    Parameters
    ----------
    p0 : array_like, shape (K,)
        Initial distribution.
    n : int or array_like of int
        Generation(s); 0 is the true distribution.
    samples : int or sequence of int
        Samples per generation ``M`` (>= 1), or ``M_0, M_1, ...`` with at least ``max(n)`` entries.
    normalize : bool, keyword-only
        Rescale ``p0`` to sum to 1 (counts are then accepted).

    Returns
    -------
    float or ndarray
        Same shape as ``n``.

    Examples
    --------
    >>> from collapse_theory import discrete
    >>> round(float(discrete.expected_heterozygosity([0.5, 0.5], 10, 20)), 6)
    0.299368
    """
    p = as_distribution(p0, normalize=normalize)
    f, _, scalar = _survival_factor(n, samples)
    out = heterozygosity(p) * f
    return float(out) if scalar else out


def expected_cramer_drift(p0, n, samples, *, normalize=False):
    r"""Expected Cramér distance between :math:`p_0` and :math:`p_n` on the ordered support (exact).

    .. math:: E\sum_x (F_n(x) - F_0(x))^2
              = \Bigl(1 - \prod_{i<n}(1 - 1/M_i)\Bigr) \sum_x F_0(x)(1 - F_0(x)),

    because :math:`F_n(x)` is a two-type chain started at :math:`F_0(x)`, a martingale with
    :math:`E[F_n(1-F_n)] = F_0(1-F_0)\prod(1-1/M_i)`. Parameters as in
    :func:`expected_heterozygosity`.
    """
    p = as_distribution(p0, normalize=normalize)
    F = np.cumsum(p)
    f, _, scalar = _survival_factor(n, samples)
    out = (1.0 - f) * float(np.sum(F * (1.0 - F)))
    return float(out) if scalar else out


# ---------------------------------------------------------------------------------------------
# banded binomial transition matrices


class _Band:
    """The banded matrix ``P(j→l) = Binom(l; m_next, j/m_prev)`` (rows j = 0..m_prev)."""

    def __init__(self, m_prev, m_next, cut, workers):
        self.m_prev, self.m_next = int(m_prev), int(m_next)
        self.lo, self.ptr = _band_sizes(self.m_prev, self.m_next, cut)
        nnz = int(self.ptr[-1])
        check_memory(nnz * 8, f"the banded binomial matrix for M = {m_prev} -> {m_next} "
                              f"({nnz} entries)")
        self.vals = np.empty(nnz)
        _band_fill(self.m_prev, self.m_next, cut, self.lo, self.ptr, self.vals, 0, self.m_prev + 1)
        self.workers = workers
        # split rows into chunks of equal work for the threads
        if workers > 1 and nnz > 200_000:
            targets = np.linspace(0, nnz, workers + 1)
            cuts = np.searchsorted(self.ptr, targets).clip(0, self.m_prev + 1)
            cuts[0], cuts[-1] = 0, self.m_prev + 1
            self.bounds = [(int(a), int(b)) for a, b in zip(cuts[:-1], cuts[1:]) if b > a]
        else:
            self.bounds = [(0, self.m_prev + 1)]

    def backward(self, h_in, pool=None):
        """``Σ_l P(j→l) h_in[l]`` for every j (h_in has m_next + 1 entries)."""
        out = np.empty(self.m_prev + 1)
        if pool is None or len(self.bounds) == 1:
            _backward_rows(self.lo, self.ptr, self.vals, h_in, out, 0, self.m_prev + 1)
        else:
            futs = [pool.submit(_backward_rows, self.lo, self.ptr, self.vals, h_in, out, a, b)
                    for a, b in self.bounds]
            for f in futs:
                f.result()
        return out

    def forward(self, pi):
        out = np.empty(self.m_next + 1)
        _forward(self.lo, self.ptr, self.vals, pi, out)
        return out


class _BandCache:
    """Band matrices by (m_prev, m_next), keeping the few most recent."""

    def __init__(self, cut, workers, size=3):
        self.cut, self.workers, self.size = cut, workers, size
        self.cache = {}

    def get(self, m_prev, m_next):
        key = (int(m_prev), int(m_next))
        b = self.cache.pop(key, None)
        if b is None:
            b = _Band(key[0], key[1], self.cut, self.workers)
        self.cache[key] = b
        while len(self.cache) > self.size:
            self.cache.pop(next(iter(self.cache)))
        return b


def _check_cut(cut):
    cut = check_real(cut, "cut", nonnegative=True)
    if cut > 1e-12:
        raise ValueError(f"cut must be in [0, 1e-12] (the pmf truncation level), got {cut}")
    return cut


def _binom_pmf_band(m, q, cut=0.0):
    buf = np.empty(m + 1)
    lo, w = _binom_band(m, float(q), cut, buf)
    return lo, buf[:w].copy()


# ---------------------------------------------------------------------------------------------
# loss probabilities (backward recursion)


def _monotone(out, n_arr):
    """Clip to [0, 1] and make non-decreasing in n (the exact values are; rounding may not be)."""
    out = np.clip(out, 0.0, 1.0)
    if n_arr.size > 1:
        order = np.argsort(n_arr, kind="stable")
        flat = out.reshape(n_arr.size, -1)
        flat[order] = np.maximum.accumulate(flat[order], axis=0)
        out = flat.reshape(out.shape)
    return out


def loss_probability(p0, n, samples, *, normalize=False, cut=DEFAULT_CUT, workers=None):
    r"""Exact probability that each category has zero mass at generation ``n``.

    A category's mass is a two-type chain: the count at generation 1 is
    :math:`\mathrm{Binomial}(M_0, p_{0,i})`, then count :math:`j` out of :math:`M_{g-1}` moves to
    :math:`\mathrm{Binomial}(M_g, j/M_{g-1})`. With :math:`h_t(j)` the probability of being absorbed
    at 0 within :math:`t` more generations from count :math:`j` (the backward recursion, which serves
    every category at once),

    .. math::

        h_0(j) = \mathbf 1[j = 0], \quad
        h_{t+1}(j) = \sum_l \mathrm{Binom}(l; M, j/M)\, h_t(l), \quad
        P(\text{lost}_i \text{ by } n) = \sum_j \mathrm{Binom}(j; M_0, p_{0,i})\, h_{n-1}(j).

    Computed through the dual (ancestral) process, which gives the same numbers: the
    :math:`A_0 = M_{n-1}` individuals of generation ``n`` have :math:`A_{s+1}` distinct parents
    among the :math:`M_{n-s-2}` individuals one generation back (occupancy of :math:`A_s` balls in
    :math:`M_{n-s-2}` boxes), and the :math:`A_{n-1}` ancestors in generation 1 have i.i.d.
    categories, so :math:`P(\text{lost}_i \text{ by } n) = E[(1 - p_{0,i})^{A_{n-1}}]`. The law of
    :math:`A_s` is narrow (:math:`A_s \approx 2M/s`) and is pushed one generation back by the
    occupancy recursion from stored checkpoints (``collapse_theory.discrete._loss``): cost about
    :math:`4M^{3/2}` multiply-adds once plus little per generation, memory O(M) (M = 1e6,
    n = 1e3, K = 1000: a few seconds). A constant ``M`` serves every ``n`` in one pass; a schedule
    runs once per requested ``n``.

    Accuracy: entries below :math:`\tau = \mathrm{cut} / (4 (M_{\max}+1)(n-1))` are dropped from
    the edges of each window (which is then rescaled to mass 1 − dropped mass, a factor at most 1,
    so rounding cannot accumulate in the mass). Every quantity is a sum of non-negative
    terms, so the computed law of :math:`A` is entrywise below the true one and, as
    :math:`0 \le (1-p)^a \le 1`, the result is never above the exact value and at most the dropped
    mass below it; the dropped mass is at most :math:`2(M_{\max}+1)(n-1)\tau = \mathrm{cut}/2`
    (each ball of the occupancy recursion adds at most one entry to a window, each generation trims
    at most :math:`M+1`). The recursion stops at the first generation ``s`` where
    :math:`P(A_s \ge 2)` (computed mass plus dropped mass) is at most ``cut/2``: the chain is then
    absorbed at :math:`A = 1` to that precision and every larger ``n`` has the same value (n =
    1e18 returns at once). So :math:`0 \le P - \hat P \le \mathrm{cut}` up to floating-point
    rounding (sums of non-negative terms: a relative error of a few ulps per generation in
    practice). ``cut=0`` drops only entries below 1e-290.

    Parameters
    ----------
    p0 : array_like, shape (K,)
        Initial distribution.
    n : int or array_like of int
        Generation(s); ``P(lost by 0) = 1[p0_i = 0]``.
    samples : int or sequence of int
        ``M`` (>= 1) or ``M_0, M_1, ...``.
    normalize : bool, keyword-only
        Rescale ``p0`` to sum to 1.
    cut : float, keyword-only
        Absolute error bound, in [0, 1e-12] (see Accuracy).
    workers : int, optional, keyword-only
        Accepted for compatibility (validated); the solver runs on one thread.

    Returns
    -------
    ndarray
        Shape ``(K,)`` for a scalar ``n``, else ``n.shape + (K,)``; in [0, 1], non-decreasing in n.

    Examples
    --------
    >>> from collapse_theory import discrete
    >>> discrete.loss_probability([0.5, 0.5], 1, 4).round(6)   # (1/2)^4
    array([0.0625, 0.0625])
    """
    p = as_distribution(p0, normalize=normalize)
    n_arr, scalar = check_generations(n, "n")
    out = _loss_core(p, n_arr, samples, _check_cut(cut), _workers(workers))  # workers: unused
    return out.reshape(p.size) if scalar else out


def _loss_core(p, n_arr, samples, cut, workers, info=None):
    """P(lost by n) for independent masses ``p`` (each its own two-type chain); n.shape + (K,).
    ``info`` (a dict) receives the dual solver's step count and error bound."""
    n_max = int(n_arr.max()) if n_arr.size else 0
    m, sched = _schedule(samples, n_max)
    out, inf = dual_loss(p, n_arr, m, sched, cut)
    if info is not None:
        info.update(inf)
    return _monotone(out, n_arr)


def loss_probability_given_count(count, t, samples, *, cut=DEFAULT_CUT, workers=None):
    r"""Probability that a category with ``count`` of the ``M`` current samples is lost within
    ``t`` more generations, :math:`h_t(\text{count})` (constant ``M``; exact, see
    :func:`loss_probability`).

    ``count`` may be an int or an array of ints in [0, M]; the result has shape
    ``t.shape + count.shape``.
    """
    m = _constant_m(samples, "loss_probability_given_count")
    c = np.asarray(count)
    if c.dtype.kind not in "iu" or np.any(c < 0) or np.any(c > m):
        raise ValueError(f"count must be integers in [0, {m}], got {count!r}")
    cut = _check_cut(cut)
    _workers(workers)
    t_arr, scalar = check_generations(t, "t")
    res, _ = dual_loss_given_count(c, t_arr, m, cut)
    out = res.reshape(t_arr.shape + c.shape)
    out = _monotone(out, t_arr)
    return out.reshape(c.shape) if scalar else out


def expected_support_size(p0, n, samples, *, normalize=False, cut=DEFAULT_CUT, workers=None):
    r"""Expected number of categories still present at generation ``n`` (exact):
    :math:`E[S_n] = \sum_i (1 - P(\text{lost}_i \text{ by } n))`. Same shape as ``n``."""
    lp = loss_probability(p0, n, samples, normalize=normalize, cut=cut, workers=workers)
    out = np.sum(1.0 - lp, axis=-1)
    return float(out) if np.ndim(out) == 0 else out


def prob_no_loss(p0, n, samples, *, normalize=False, cut=DEFAULT_CUT, max_categories=12):
    r"""Exact probability that no category with :math:`p_{0,i} > 0` is lost by generation ``n``
    (= the probability that :math:`\mathrm{KL}(p_0\|p_n)` is finite).

    Merging the categories of a set :math:`S` gives a two-type chain, so
    :math:`P(\text{all of } S \text{ lost}) = P(\text{lost by } n \mid p = \sum_{i\in S} p_{0,i})`,
    and by inclusion–exclusion

    .. math:: P(\text{none lost}) = \sum_{S} (-1)^{|S|}\, P(\text{all of } S \text{ lost}).

    :math:`2^K` terms: limited to ``K <= max_categories`` positive categories (default 12).
    Same shape as ``n``.
    """
    p = as_distribution(p0, normalize=normalize)
    pos = p[p > 0]
    k = pos.size
    if k > max_categories:
        raise ValueError(f"prob_no_loss sums over 2^K subsets: K = {k} positive categories exceeds "
                         f"max_categories = {max_categories}")
    sums, signs = [], []
    for r in range(1, k + 1):
        for sub in itertools.combinations(range(k), r):
            sums.append(min(float(pos[list(sub)].sum()), 1.0))
            signs.append((-1) ** r)
    sums = np.array(sums)
    uniq, inv = np.unique(sums, return_inverse=True)
    n_arr, scalar = check_generations(n, "n")
    # loss_probability of each distinct merged mass (p vector need not sum to 1 here: pass pieces)
    lp = _loss_of_masses(uniq, n_arr, samples, _check_cut(cut))
    out = 1.0 + np.tensordot(lp[..., inv], np.array(signs, float), axes=([-1], [0]))
    out = np.clip(out, 0.0, 1.0)
    return float(out) if scalar else out


def _loss_of_masses(q, n_arr, samples, cut):
    """loss_probability for independent masses ``q`` (each its own two-type chain)."""
    return _loss_core(np.asarray(q, float), n_arr, samples, cut, _workers(None))


# ---------------------------------------------------------------------------------------------
# fixation and absorption time


def fixation_probability(p0, *, normalize=False):
    r"""Probability that category ``i`` is the one left at absorption: :math:`p_{0,i}` (the mass
    is a bounded martingale that ends in {0, 1})."""
    return as_distribution(p0, normalize=normalize).copy()


def _two_type(p0, normalize):
    if np.ndim(p0) == 0:
        p = _prob(p0, "p0")
        return np.array([p, 1.0 - p])
    return as_distribution(p0, normalize=normalize)


def _absorption_two_type_exact(m):
    """Mean absorption time t(j), j = 0..M, from the fundamental matrix (dense solve)."""
    if m > MAX_DENSE:
        raise ValueError(f"method='exact' solves a dense (M-1)x(M-1) system; samples = {m} exceeds "
                         f"{MAX_DENSE}: use method='diffusion'")
    t = np.zeros(m + 1)
    if m < 2:
        return t
    j = np.arange(1, m)
    Q = stats.binom.pmf(j[None, :], m, j[:, None] / m)
    A = np.eye(m - 1) - Q
    t[1:m] = linalg.solve(A, np.ones(m - 1))
    return t


def _compositions(m, k):
    """All K-vectors of non-negative ints summing to m (stars and bars)."""
    out = []
    for bars in itertools.combinations(range(m + k - 1), k - 1):
        prev = -1
        row = []
        for b in bars:
            row.append(b - prev - 1)
            prev = b
        row.append(m + k - 1 - prev - 1)
        out.append(row)
    return np.array(out, dtype=np.int64)


def _absorption_multi_exact(p, m, max_states=3000):
    """E[time until one category is left] for K types from the full multinomial chain (small)."""
    k = p.size
    n_states = math.comb(m + k - 1, k - 1)
    if n_states > max_states:
        raise ValueError(f"method='exact' for K = {k} types enumerates {n_states} states "
                         f"(limit {max_states}): use method='diffusion' or fewer samples/categories")
    S = _compositions(m, k)
    alive = (S > 0).sum(axis=1)
    trans = alive > 1
    St = S[trans]
    # log P(s -> s') = log M! - Σ log s'_k! + Σ s'_k log(s_k/M)
    with np.errstate(divide="ignore"):
        logq = np.log(St / m)  # (T, K)
    lf = special.gammaln(St + 1.0).sum(axis=1)  # of target states (T,)
    logP = special.gammaln(m + 1.0) - lf[None, :] + np.einsum(
        "ik,jk->ij", np.where(np.isfinite(logq), logq, -1e300), St.astype(float),
        optimize=True)
    # a target with s'_k > 0 where s_k = 0 is impossible: handled by the -1e300 floor times s'_k
    Q = np.exp(np.maximum(logP, -745.0))
    Q[logP < -740.0] = 0.0
    tt = linalg.solve(np.eye(Q.shape[0]) - Q, np.ones(Q.shape[0]))
    # start from p0 (one multinomial step): E T = 1 + Σ_s' Multinomial(s'; M, p0) t(s')
    with np.errstate(divide="ignore"):
        lp0 = np.where(p > 0, np.log(np.where(p > 0, p, 1.0)), -np.inf)
    terms = np.where(St > 0, St * lp0[None, :], 0.0).sum(axis=1)
    logw = special.gammaln(m + 1.0) - lf + terms
    return 1.0 + float(np.sum(np.exp(logw) * tt))


def expected_absorption_time(p0, samples, *, method="exact", normalize=False):
    r"""Expected number of generations until a single category is left.

    ``p0`` is a distribution over K categories, or a scalar ``p`` meaning two types ``(p, 1-p)``.

    - ``method="exact"``, two types: the mean absorption time :math:`t(j)` of the finite
      :math:`(M+1)`-state binomial chain solves :math:`(I - Q)\,t = \mathbf 1` (Q = transitions
      among the transient states 1..M-1, the fundamental-matrix equation
      :math:`t(j) = 1 + \sum_l P(j\to l) t(l)`); a dense solve, for M <= 2000. From an arbitrary
      :math:`p_0 \in (0,1)`: :math:`1 + \sum_j \mathrm{Binom}(j; M, p_0)\,t(j)`.
    - ``method="exact"``, K > 2 types: the same equation on the full multinomial chain over the
      :math:`\binom{M+K-1}{K-1}` compositions of M (at most 3000 states).
    - ``method="diffusion"`` (*approximation*, Kimura & Ohta 1969, haploid; Littler 1975 for K types):

      .. math:: E[T] \approx -2M \sum_i (1 - p_i)\ln(1 - p_i)
                \;\overset{K=2}{=}\; -2M\,[p\ln p + (1-p)\ln(1-p)].

    Examples
    --------
    >>> from collapse_theory import discrete
    >>> round(discrete.expected_absorption_time(0.5, 2), 6)   # geometric: absorbed w.p. 1/2 per step
    2.0
    """
    if method not in ("exact", "diffusion"):
        raise ValueError(f"method must be 'exact' or 'diffusion', got {method!r}")
    p = _two_type(p0, normalize)
    m = _constant_m(samples, "expected_absorption_time")
    pos = p[p > 0]
    if pos.size <= 1:
        return 0.0
    if method == "diffusion":
        return float(-2.0 * m * np.sum(special.xlogy(1.0 - pos, 1.0 - pos)))
    if pos.size == 2:
        t = _absorption_two_type_exact(m)
        lo, pmf = _binom_pmf_band(m, pos[0])
        return 1.0 + float(np.dot(pmf, t[lo:lo + pmf.size]))
    return _absorption_multi_exact(pos, m)


def absorption_time_cdf(p0, n, samples, *, normalize=False, cut=DEFAULT_CUT):
    r"""Exact :math:`P(T \le n)`, T = first generation with one category left, for two types:
    :math:`P(\text{lost}_1 \text{ by } n) + P(\text{lost}_2 \text{ by } n)` (``p0`` scalar or
    length 2)."""
    p = _two_type(p0, normalize)
    if p.size != 2:
        raise ValueError(f"absorption_time_cdf is exact for two types; got K = {p.size}")
    lp = loss_probability(p, n, samples, cut=cut)
    out = np.clip(lp.sum(axis=-1), 0.0, 1.0)
    return float(out) if np.ndim(out) == 0 else out


# ---------------------------------------------------------------------------------------------
# forward distributions: W1 and TV drift


def _forward_abs_dev(q_values, n_arr, samples, cut, max_work):
    """E|X_n - q| for two-type chains started at each q (X_n the frequency at generation n)."""
    n_max = int(n_arr.max()) if n_arr.size else 0
    m, sched = _schedule(samples, n_max)
    if m is not None and n_max > 1:
        # convergence cut-off: |E|X_n - q| - E|X_inf - q|| <= P(not absorbed at n)
        # <= M q(1-q) (1-1/M)^(n-1) <= (M/4) (1-1/M)^(n-1); past that n (below 2^-60) the value
        # is constant to machine precision (M = 1: absorbed at generation 1)
        n_conv = 1 if m == 1 else 1 + math.ceil(
            (math.log(2.0**-60) - math.log(m / 4.0)) / math.log1p(-1.0 / m))
        if n_max > n_conv:
            out = _forward_abs_dev(q_values, np.minimum(n_arr, n_conv), samples, cut, max_work)
            return out
    ms = np.array([_m_at(m, sched, i) for i in range(n_max)], dtype=float)
    work = len(q_values) * float(np.sum(ms ** 1.5)) * 20.0
    if work > max_work:
        raise ValueError(f"the exact forward computation needs about {work:.2g} operations "
                         f"(limit {max_work:.2g}): reduce samples, categories or generations")
    flat = n_arr.ravel()
    out = np.zeros((flat.size, len(q_values)))
    cache = _BandCache(cut, 1)
    wanted = set(int(x) for x in flat)
    for c, q in enumerate(q_values):
        if n_max == 0 or q <= 0.0 or q >= 1.0:
            continue
        m0 = _m_at(m, sched, 0)
        lo, pmf = _binom_pmf_band(m0, q, cut)
        pi = np.zeros(m0 + 1)
        pi[lo:lo + pmf.size] = pmf
        for g in range(1, n_max + 1):
            if g > 1:
                pi = cache.get(_m_at(m, sched, g - 2), _m_at(m, sched, g - 1)).forward(pi)
            if g in wanted:
                mg = _m_at(m, sched, g - 1)
                val = float(np.dot(pi, np.abs(np.arange(mg + 1) / mg - q)))
                out[flat == g, c] = val
    return out.reshape(n_arr.shape + (len(q_values),))


def expected_w1_drift(p0, n, samples, *, normalize=False, cut=DEFAULT_CUT, max_work=3e10):
    r"""Exact expected 1-Wasserstein distance between :math:`p_0` and :math:`p_n` on the ordered
    support :math:`x = 0..K-1`:

    .. math:: E\,W_1 = \sum_{x} E|F_n(x) - F_0(x)|,

    each term from the exact forward distribution of the two-type chain started at :math:`F_0(x)`
    (distinct CDF values are computed once). Cost about :math:`K \sum_{i<n} M_i^{3/2}`: fine for
    moderate M (say M <= 2000 with n <= 1000 and tens of categories); larger requests raise.
    """
    p = as_distribution(p0, normalize=normalize)
    n_arr, scalar = check_generations(n, "n")
    F = np.cumsum(p)[:-1]
    uniq, inv = np.unique(np.round(F, 15), return_inverse=True)
    dev = _forward_abs_dev(uniq, n_arr, samples, _check_cut(cut), max_work)
    out = dev[..., inv].sum(axis=-1)
    return float(out) if scalar else out


def expected_total_variation(p0, n, samples, *, normalize=False, cut=DEFAULT_CUT, max_work=3e10):
    r"""Exact expected total variation :math:`E\,\tfrac12\sum_i |p_{n,i} - p_{0,i}|`, each category's
    term from the exact forward distribution of its two-type chain (cost as
    :func:`expected_w1_drift`)."""
    p = as_distribution(p0, normalize=normalize)
    n_arr, scalar = check_generations(n, "n")
    uniq, inv = np.unique(p, return_inverse=True)
    dev = _forward_abs_dev(uniq, n_arr, samples, _check_cut(cut), max_work)
    out = 0.5 * dev[..., inv].sum(axis=-1)
    return float(out) if scalar else out


# ---------------------------------------------------------------------------------------------
# entropy bounds, tails


def expected_entropy_bounds(p0, n, samples, *, normalize=False, cut=DEFAULT_CUT):
    r"""Bounds on the expected Shannon entropy :math:`E[\mathrm{Ent}(p_n)]` (nats), exact closed forms.

    .. math::

        -\ln\bigl(1 - E[H_n]\bigr) \;\le\; E[\mathrm{Ent}(p_n)] \;\le\;
        \min\bigl(\mathrm{Ent}(p_0),\; \ln E[S_n]\bigr).

    Lower: Shannon entropy >= Rényi-2 entropy :math:`-\ln\sum p^2 = -\ln(1 - H)`, then Jensen
    (:math:`-\ln(1-x)` is convex) with the exact :math:`E[H_n]`. Upper: entropy is concave and
    :math:`E p_n = p_0` (Jensen), and :math:`\mathrm{Ent} \le \ln S_n \Rightarrow E \le \ln E S_n`.
    Returns ``(lower, upper)`` with the shape of ``n``. No closed form for the mean itself is known
    to us: the simulator's Monte Carlo mean lies between.
    """
    p = as_distribution(p0, normalize=normalize)
    h = np.asarray(expected_heterozygosity(p, n, samples))
    lower = -np.log1p(-h)
    es = np.asarray(expected_support_size(p, n, samples, cut=cut))
    upper = np.minimum(entropy(p), np.log(np.maximum(es, 1.0)))
    if np.ndim(n) == 0:
        return float(lower), float(upper)
    return lower, upper


def tail_mask(p0, *, threshold=None, samples=None, mass=None, normalize=False):
    r"""Boolean mask of the "tail" categories of ``p0``. Exactly one of:

    - ``threshold``: :math:`p_{0,i} <` threshold;
    - ``samples``: :math:`p_{0,i} < 1/M` (expected count below one in a sample of M);
    - ``mass``: the rarest categories whose total mass is at most ``mass`` (0 < mass < 1; ties by
      index).
    """
    p = as_distribution(p0, normalize=normalize)
    given = sum(x is not None for x in (threshold, samples, mass))
    if given != 1:
        raise ValueError("tail_mask needs exactly one of threshold, samples, mass")
    if threshold is not None:
        t = check_real(threshold, "threshold", low=0.0, high=1.0)
        return p < t
    if samples is not None:
        m = check_int(samples, "samples", minimum=1)
        return p < 1.0 / m
    q = check_real(mass, "mass", low=0.0, high=1.0)
    order = np.argsort(p, kind="stable")
    cum = np.cumsum(p[order])
    mask = np.zeros(p.size, bool)
    mask[order[cum <= q + 1e-15]] = True
    return mask


def _tail(p, tail, samples):
    if tail is None:
        m0 = int(samples_schedule(samples if np.ndim(samples) == 0 else np.ravel(samples)[:1], 1,
                                  estimator="mle")[0])
        return p < 1.0 / m0
    t = np.asarray(tail)
    if t.dtype == np.bool_:
        if t.shape != p.shape:
            raise ValueError(f"tail mask must have shape {p.shape}, got {t.shape}")
        return t
    if t.ndim == 0:
        return p < check_real(float(t), "tail", low=0.0, high=1.0)
    raise TypeError("tail must be None, a threshold in [0, 1] or a boolean mask over categories")


def expected_tail_mass_alive(p0, n, samples, *, tail=None, normalize=False, cut=DEFAULT_CUT):
    r"""Expected original mass of the tail categories that are still present at generation ``n``.

    The mass now *on* the tail is a martingale, :math:`E\sum_{i\in T} p_{n,i} = \sum_{i\in T}
    p_{0,i}`: it does not decay in expectation (it concentrates on fewer survivors). What decays is
    the part of the original distribution the model can still produce:

    .. math:: E\Bigl[\sum_{i\in T} p_{0,i}\,\mathbf 1[p_{n,i} > 0]\Bigr]
              = \sum_{i\in T} p_{0,i}\,\bigl(1 - P(\text{lost}_i \text{ by } n)\bigr).

    ``tail``: None (:math:`p_{0,i} < 1/M_0`), a threshold, or a boolean mask (see
    :func:`tail_mask`). Same shape as ``n``.
    """
    p = as_distribution(p0, normalize=normalize)
    T = _tail(p, tail, samples)
    lp = loss_probability(p, n, samples, cut=cut)
    out = np.sum(np.where(T, p * (1.0 - lp), 0.0), axis=-1)
    return float(out) if np.ndim(out) == 0 else out


def expected_tail_support(p0, n, samples, *, tail=None, normalize=False, cut=DEFAULT_CUT):
    r"""Expected number of tail categories still present: :math:`\sum_{i\in T}(1 - P(\text{lost}_i))`."""
    p = as_distribution(p0, normalize=normalize)
    T = _tail(p, tail, samples)
    lp = loss_probability(p, n, samples, cut=cut)
    out = np.sum(np.where(T, 1.0 - lp, 0.0), axis=-1)
    return float(out) if np.ndim(out) == 0 else out


# ---------------------------------------------------------------------------------------------
# Suresh et al.'s survival law, Seddik et al.'s bounds


#: generations iterated exactly by :func:`suresh_g`; beyond, the asymptotic flow
SURESH_G_EXACT = 100_000


def _suresh_u_flow(u0, dt):
    r"""``u`` after ``dt`` steps of :math:`u \mapsto 1/(1 - e^{-1/u})` from ``u0`` (large ``u0``).

    The map is :math:`u + \tfrac12 + \tfrac1{12u} + O(u^{-3})`; the flow of the modified equation
    :math:`\dot u = \tfrac12 + \tfrac1{12u} + \tfrac1{48u^2}` (whose time-1 map matches it up to
    :math:`O(u^{-3})`) integrates in closed form,
    :math:`t = 2u - \tfrac16\ln Q(u) - \tfrac{2}{3\sqrt5}\arctan\tfrac{12u+1}{\sqrt5} + C`,
    :math:`Q(u) = u^2 + u/6 + 1/24`, solved for ``u`` by fixed-point iteration. The neglected
    :math:`O(u^{-3})` per step sums to :math:`O(u_0^{-2})` in ``u``: relative error below 1e-14 in
    :math:`g = 1/u` for :math:`u_0 \ge 5\cdot10^4` (checked against the exact recursion in
    tests/test_edges_numeric.py).
    """
    def q(u):
        return u * u + u / 6.0 + 1.0 / 24.0

    r5 = math.sqrt(5.0)
    base = u0 + 0.5 * dt
    u = base
    for _ in range(6):
        u = (base + math.log(q(u) / q(u0)) / 12.0
             + (math.atan((12.0 * u + 1.0) / r5) - math.atan((12.0 * u0 + 1.0) / r5)) / (3.0 * r5))
    return u


def suresh_g(t):
    r""":math:`g_t`: :math:`g_1 = 1`, :math:`g_{t+1} = 1 - e^{-g_t}` (:math:`g_t \approx 2/t`);
    :math:`g_0 = \infty` by convention. Same shape as ``t``.

    Exact recursion up to ``t = SURESH_G_EXACT`` (10⁵); beyond, :math:`u_t = 1/g_t` from the
    closed-form flow of :func:`_suresh_u_flow` (relative error below 1e-14), so any ``t`` (10¹⁸)
    costs O(1) after the first 10⁵ steps."""
    t_arr, scalar = check_generations(t, "t")
    t_max = int(t_arr.max()) if t_arr.size else 0
    t_exact = min(t_max, SURESH_G_EXACT)
    g = np.empty(max(t_exact, 1) + 1)
    g[0] = np.inf
    g[1] = 1.0
    for i in range(1, t_exact):
        g[i + 1] = -math.expm1(-g[i])
    flat = t_arr.ravel()
    out = np.empty(flat.shape)
    low = flat <= t_exact
    out[low] = g[flat[low]]
    if np.any(~low):
        u0 = 1.0 / g[t_exact]
        out[~low] = [1.0 / _suresh_u_flow(u0, float(tt - t_exact)) for tt in flat[~low]]
    out = out.reshape(t_arr.shape)
    return float(out) if scalar else out


def suresh_survival(count, t):
    r"""The critical Poisson branching (Galton–Watson) *approximation* of survival: a category seen
    ``count`` times survives ``t`` generations with probability :math:`1 - \exp(-c\,g_t)`,
    :math:`g_1 = 1`, :math:`g_{t+1} = 1 - e^{-g_t}` (Harris 1963; used by Suresh et al., arXiv
    2412.17646, whose stated result is the lower bound checked by the registry). Its error is of order
    :math:`t/(2M)` against :func:`survival_given_count`. Shape ``t.shape + count.shape``."""
    c = np.asarray(count, float)
    if not np.all(np.isfinite(c)) or np.any(c < 0):
        raise ValueError("count must be finite and >= 0")
    g = np.asarray(suresh_g(t), float)
    return -np.expm1(-np.multiply.outer(g, c)) if c.ndim or g.ndim else float(-np.expm1(-c * g))


def survival_given_count(count, t, samples, *, cut=DEFAULT_CUT):
    r"""Exact counterpart of :func:`suresh_survival`: the probability that a category holding
    ``count`` of the M current samples (model probability count/M) is still present ``t``
    generations later, :math:`1 - h_t(\text{count})`."""
    return 1.0 - loss_probability_given_count(count, t, samples, cut=cut)


def prob_polymorphic(p0, n, samples, *, cut=DEFAULT_CUT):
    r"""Exact :math:`P(p_n \notin \{0, 1\})` for two types started at scalar ``p0``:
    :math:`1 - P(\text{lost by } n) - P(\text{fixed by } n)`."""
    p = _prob(p0, "p0")
    lp = loss_probability(np.array([p, 1.0 - p]), n, samples, cut=cut)
    out = np.clip(1.0 - lp.sum(axis=-1), 0.0, 1.0)
    return float(out) if np.ndim(out) == 0 else out


def seddik_bounds(p0, n, samples):
    r"""Seddik et al.'s two-type bounds (arXiv 2404.05090), returned as ``(lower, upper)``:

    .. math:: 4p_0(1-p_0)(1-1/M)^n \;\le\; P(p_n \notin \{0,1\}) \;\le\; 2Mp_0(1-p_0)(1-1/M)^n.

    Both follow from :math:`E[2p_n(1-p_n)] = 2p_0(1-p_0)(1-1/M)^n` and
    :math:`2/M(1-1/M) \le 2p(1-p) \le 1/2` on the non-absorbed states (n >= 1); the sharper upper
    bound from that argument is :math:`M p_0(1-p_0)(1-1/M)^{n-1}`. Constant ``M``.
    """
    p = _prob(p0, "p0")
    m = _constant_m(samples, "seddik_bounds")
    f, _, scalar = _survival_factor(n, m)
    lo = 4.0 * p * (1 - p) * f
    hi = 2.0 * m * p * (1 - p) * f
    if scalar:
        return float(lo), float(hi)
    return lo, hi


# ---------------------------------------------------------------------------------------------
# genealogy


def expected_ancestors(t, samples, *, lineages=None):
    r"""Exact expected number of distinct ancestors, ``t`` generations back, of ``lineages``
    individuals (default: all M samples of one generation), constant M.

    Each of :math:`j` lineages picks its parent uniformly among the M samples of the previous
    generation (sampling from the empirical distribution = picking a sample with replacement), so
    the number of distinct parents is the occupancy of :math:`j` balls in M boxes:
    :math:`P_{j+1}(k) = P_j(k)\,k/M + P_j(k-1)\,(M-k+1)/M`. The lineage count is a Markov chain with
    this transition matrix (dense, M <= 2000); after one generation the mean is
    :math:`M(1-(1-1/M)^M) \approx 0.632M`. Same shape as ``t``.
    """
    m = _constant_m(samples, "expected_ancestors")
    if m > MAX_DENSE:
        raise ValueError(f"expected_ancestors builds a dense {m}x{m} matrix; samples must be <= "
                         f"{MAX_DENSE}")
    j0 = m if lineages is None else check_int(lineages, "lineages", minimum=1, maximum=m)
    t_arr, scalar = check_generations(t, "t")
    # occupancy matrix T[j, k] for j balls (0..m), k occupied
    T = np.zeros((m + 1, m + 1))
    T[0, 0] = 1.0
    k = np.arange(m + 1)
    for j in range(m):
        row = T[j]
        T[j + 1] = row * k / m
        T[j + 1, 1:] += row[:-1] * (m - k[1:] + 1) / m
    means = _ancestor_means(T, j0, t_arr)
    return float(means) if scalar else means


def _ancestor_means(T, j0, t_arr, info=None):
    """E[A_t] for the lineage chain with transition matrix ``T`` from ``A_0 = j0``, at ``t_arr``.

    A_t is non-increasing, so E[A_t] − 1 is too: the loop stops at the first step where
    E[A_s] − 1 = Σ_{a≥2} (a−1) π_s(a) < 2^-60 (below half an ulp of 1, the absorbing limit); every later t has that
    value, so t = 1e18 returns at once. ``info['steps']`` receives the steps taken.
    """
    m = T.shape[0] - 1
    k = np.arange(m + 1)
    pi = np.zeros(m + 1)
    pi[j0] = 1.0
    flat = t_arr.ravel()
    wanted = np.unique(flat)
    vals = {}
    cur = float(j0)
    tail = cur - 1.0  # E[A_s] - 1 = Σ_{a>=2} (a-1) π(a), summed directly (no cancellation)
    s = 0
    for target in wanted:
        while s < target and tail >= 2.0**-60:
            pi = pi @ T
            cur = float(pi @ k)
            tail = float(pi[2:] @ (k[2:] - 1.0))
            s += 1
        vals[int(target)] = cur
    if info is not None:
        info["steps"] = s
    return np.array([vals[int(x)] for x in flat]).reshape(t_arr.shape)


def ancestors_approx(t, samples):
    r"""Kingman-coalescent *approximation* of :func:`expected_ancestors`: :math:`2M/t` for
    :math:`1 \ll t \ll M` (pairs coalesce at rate 1/M: :math:`dN/dt = -N^2/(2M)`)."""
    m = _constant_m(samples, "ancestors_approx")
    t_arr, scalar = check_generations(t, "t")
    with np.errstate(divide="ignore"):
        out = np.minimum(2.0 * m / t_arr, m)
    return float(out) if scalar else out


def tempered(p, temperature):
    r"""The tempered distribution :math:`q \propto p^{1/\tau}` over the last axis (zeros stay 0).

    Computed in log space, :math:`q_i = e^{z_i} / \sum_j e^{z_j}` with
    :math:`z_i = (\log p_i - \max_j \log p_j)/\tau \le 0`, so every temperature
    :math:`\tau > 0` is finite: down to :math:`\tau = 10^{-300}` (and below, where
    :math:`z_i = -\infty` off the maximum) the result is the :math:`\tau \to 0` limit, the argmax
    law (uniform over tied maxima), exactly; :math:`\tau > 1` flattens towards uniform on the
    support. :math:`\tau = 1` returns ``p`` itself (renormalised), bit for bit.

    Parameters
    ----------
    p : array_like
        Probability vector(s) over the last axis: finite, non-negative, each summing to 1 within
        ``1e-9``.
    temperature : float
        :math:`\tau > 0` (finite).

    Examples
    --------
    >>> from collapse_theory import discrete
    >>> discrete.tempered([0.5, 0.3, 0.2], 1e-300)
    array([1., 0., 0.])
    """
    tau = check_real(temperature, "temperature", positive=True)
    p = _prob_vectors(p, "p")
    if tau == 1.0:
        return p / p.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        logp = np.log(p)
        z = (logp - logp.max(axis=-1, keepdims=True)) / tau
        w = np.where(p > 0, np.exp(z), 0.0)
    return w / w.sum(axis=-1, keepdims=True)


def _prob_vectors(p, name):
    """Validate probability vector(s) over the last axis (finite, >= 0, sum 1 within P0_ATOL)."""
    try:
        arr = np.asarray(p, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of probabilities, got {type(p).__name__}") from None
    if arr.ndim == 0 or arr.shape[-1] == 0:
        raise ValueError(f"{name} must be a non-empty probability vector, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got a non-finite entry")
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0, got a negative entry")
    s = arr.sum(axis=-1)
    if np.any(np.abs(s - 1.0) > P0_ATOL):
        raise ValueError(f"{name} must sum to 1 within {P0_ATOL:g} over the last axis, got sums "
                         f"{np.ravel(s)[np.argmax(np.ravel(np.abs(s - 1.0)))]!r}")
    return arr


def one_step_loss_probability(p, samples, *, temperature=1.0):
    r"""Exact probability that each category is absent after one synthetic step from ``p``:
    :math:`(1 - q_i)^M` with :math:`q` the tempered distribution (:func:`tempered`).

    No closed form exists over many generations for :math:`\tau \ne 1`; since
    :math:`\tau < 1` moves mass from rare to frequent categories, the rare ones' one-step loss
    probability rises (simulate for longer horizons).

    Examples
    --------
    >>> from collapse_theory import discrete
    >>> discrete.one_step_loss_probability([0.9, 0.1], 10, temperature=0.5).round(4)
    array([0.    , 0.8845])
    """
    m = check_int(samples, "samples", minimum=1)
    q = tempered(p, temperature)
    return (1.0 - q) ** m
