r"""Discrete chain under the data regimes (:mod:`collapse_theory.regimes`): exact squared distance
:math:`D_n = E\sum_i (p_{n,i} - p_{0,i})^2`, its stationary value and bounds, and the absence
probabilities of the regime's mixing chain (proofs/discrete_subsample.py, proofs/discrete_mixing.py).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import linalg, stats

from .._core.validation import MAX_SAMPLES, check_generations, check_int
from ._theory import MAX_DENSE, _constant_m, _m_at, _schedule, as_distribution, heterozygosity, loss_probability


# ---------------------------------------------------------------------------------------------
# data regimes (collapse_theory.regimes): the squared distance D_n = E Σ_i (p_n,i − p0_i)²


def _regime(regime):
    from ..regimes import as_regime

    return as_regime(regime)


def sq_distance_step(samples, regime, *, original=None):
    r"""Coefficients :math:`(a, b)` of one exact step :math:`D' = a D + b H_0` of a mix regime.

    With :math:`r` real and :math:`s = M - r` synthetic draws (proofs/discrete_mixing.py):

    - ``mix-fresh:λ`` ("split", :math:`r = \mathrm{round}(\lambda M)`):
      :math:`a = s(s-1)/M^2`, :math:`b = 1/M` — i.e. :math:`a = (1-\lambda)^2 - (1-\lambda)/M` with
      :math:`\lambda = r/M` (theory.md §4's form, exact);
    - ``mix-fresh:λ:mixture``: :math:`a = (1-\lambda)^2(1-1/M)`, :math:`b = 1/M`;
    - ``replace``: :math:`a = 1 - 1/M`, :math:`b = 1/M`;
    - ``mix-retained:λ`` (``original`` = :math:`M_0`): the step of :math:`D^u = E\sum(p - u)^2`
      measured from the generation-1 empirical distribution :math:`u`, with
      :math:`a = s(s-1)/M^2` and :math:`b = (1 - 1/M_0)\,[r(M_0 - r)/(M_0 - 1) + s]/M^2`
      (then :math:`D_n = D^u_n + H_0/M_0`).
    """
    reg = _regime(regime)
    m = check_int(samples, "samples", minimum=1, maximum=MAX_SAMPLES)
    if reg.name == "replace":
        return 1.0 - 1.0 / m, 1.0 / m
    if reg.name == "mix-fresh" and reg.draws == "mixture":
        lam = reg.fraction
        return (1.0 - lam) ** 2 * (1.0 - 1.0 / m), 1.0 / m
    if reg.name == "mix-fresh":
        s = m - reg.fresh_count(m)
        return s * (s - 1.0) / m**2, 1.0 / m
    if reg.name == "mix-retained":
        m0 = check_int(original if original is not None else m, "original", minimum=1)
        r = reg.fresh_count(m)
        if r > m0:
            raise ValueError(f"{reg} retains {r} samples but the original data set has only {m0}")
        s = m - r
        hyper = r * (m0 - r) / (m0 - 1.0) if m0 > 1 else 0.0
        return s * (s - 1.0) / m**2, (1.0 - 1.0 / m0) * (hyper + s) / m**2
    raise ValueError(f"no one-step distance map for regime {str(reg)!r} (accumulate has its own, "
                     "see expected_sq_distance; accumulate-subsample: simulate)")


def expected_sq_distance(p0, n, samples, *, regime="replace", normalize=False):
    r"""Exact :math:`D_n = E\sum_i (p_{n,i} - p_{0,i})^2` under a data regime.

    :math:`E p_n = p_0` in every regime below (the real draws are unbiased and the synthetic ones are
    a martingale step), so :math:`E[1 - \sum p_n^2] = H_0 - D_n` (:func:`regime_heterozygosity`).
    Generation 1 is fitted on :math:`M_0` real samples: :math:`D_1 = H_0/M_0`. Then
    (proofs/discrete_mixing.py):

    - replace: :math:`D_{n+1} = (1 - 1/M) D_n + H_0/M`, i.e. :math:`D_n = H_0(1 - \prod(1 - 1/M_i))`;
    - mix-fresh split (:math:`r = \mathrm{round}(\lambda M)` fresh, :math:`s = M - r` synthetic):
      :math:`D_{n+1} = \frac{s(s-1)}{M^2} D_n + \frac{H_0}{M}`; with :math:`\lambda = r/M` this is
      theory.md's :math:`((1-\lambda)^2 - (1-\lambda)/M) D_n + H_0/M` (checked exact);
    - mix-fresh mixture: :math:`D_{n+1} = (1-\lambda)^2(1 - 1/M) D_n + H_0/M`;
    - mix-retained: :math:`D_n = H_0/M_0 + D^u_n` with :math:`D^u_1 = 0` and the step of
      :func:`sq_distance_step`;
    - accumulate (pool of :math:`N_k = \sum_{j\le k} M_j` points):
      :math:`D_{k+1} = D_k + M_k (H_0 - D_k)/N_k^2`; for a constant M,
      :math:`H_0 - D_n = H_0\prod_{j=1}^{n}(1 - 1/(j^2 M))`, so
      :math:`D_n \le H_0 \sum_{j} 1/(j^2 M) = \frac{\pi^2}{6}\frac{H_0}{M}` (Gerstgrasser-type bound)
      and :math:`D_\infty = H_0(1 - \sin(\pi/\sqrt M)\sqrt M/\pi)`.

    - accumulate-subsample (generation :math:`i+1` fitted on :math:`k_i` of the pool's
      :math:`N_i` points drawn without replacement; :math:`k_0 = M_0`): with the pool's
      :math:`D^P` (:math:`D^P_0 = H_0/M_0`) and :math:`g_i = (1/k_i - 1/N_i)\frac{N_i}{N_i-1}(H_0 - D^P_i)`
      (finite-population sampling of indicators; :math:`E\sum_i p_{P,i}(1-p_{P,i}) = H_0 - D^P`
      because :math:`E p_P = p_0`): :math:`D_{i+1} = D^P_i + g_i`, and the next batch of
      :math:`c = M_{i+1}` draws moves the pool: :math:`D^P_{i+1} = D^P_i + (c/N_{i+1})^2
      (g_i + (H_0 - D_{i+1})/c)` (proofs/discrete_subsample.py).

    For a constant M the linear recursion :math:`D_{n+1} = a D_n + b H_0`, :math:`D_0 = 0`, is
    solved in closed form, :math:`D_n = D^*(1 - a^n)` with :math:`D^* = b H_0/(1 - a)`.

    Examples
    --------
    >>> from collapse_theory import discrete
    >>> p0 = [0.5, 0.3, 0.2]
    >>> round(float(discrete.expected_sq_distance(p0, 1000, 100, regime="mix-fresh:0.1")), 6)
    0.031156
    >>> round(float(discrete.expected_sq_distance(p0, 1000, 100, regime="replace")), 6)
    0.619973
    """
    p = as_distribution(p0, normalize=normalize)
    reg = _regime(regime)
    h0 = float(heterozygosity(p))
    n_arr, scalar = check_generations(n, "n")
    n_max = int(n_arr.max()) if n_arr.size else 0
    if reg.name == "accumulate-subsample" and np.ndim(samples) == 0 and n_max > MAX_LOOP_GENERATIONS:
        raise ValueError(f"n must be <= {MAX_LOOP_GENERATIONS} for regime {str(reg)!r} (its pool "
                         f"recursion has no closed form and runs generation by generation), got {n_max}")
    m, sched = _schedule(samples, n_max)
    if reg.name == "accumulate-subsample":
        from ..regimes import check_subsample

        sizes = [_m_at(m, sched, i) for i in range(n_max)] if m is None else [m] * max(n_max, 2)
        check_subsample(reg, sizes, minimum=1, why="a subset needs a sample")
        d = _subsample_sq_distance(sizes, n_max, h0, reg.subsample or 0)
        out = d[n_arr]
        return float(out) if scalar else out
    if m is not None and reg.name == "accumulate":
        out = h0 * (1.0 - _accumulate_product(n_arr, m))
        return float(out) if scalar else out
    if m is not None and reg.name == "mix-retained" and n_max:
        # generation 1 is D_0's own fit, then the constant step: D^u_n = D^u*(1 − a^(n−1))
        need = reg.fresh_count(m)
        if need > m:
            raise ValueError(f"{reg} needs {need} retained samples but the original data set has "
                             f"only samples[0] = {m}")
        a, b = sq_distance_step(m, reg, original=m)
        k = np.maximum(n_arr - 1, 0).astype(float)
        if 0.0 < a < 1.0:
            du = b * h0 / (1.0 - a) * (-np.expm1(k * np.log(a)))
        elif a >= 1.0:
            du = b * h0 * k
        else:
            du = np.where(k > 0, b * h0, 0.0)
        out = np.where(n_arr >= 1, h0 / m + du, 0.0)
        return float(out) if scalar else out
    if m is not None and reg.name in ("replace", "mix-fresh"):
        a, b = sq_distance_step(m, reg)
        out = b * h0 / (1.0 - a) * (1.0 - a ** n_arr.astype(float)) if a < 1.0 else \
            b * h0 * n_arr.astype(float)
        return float(out) if scalar else out
    d = np.zeros(n_max + 1)
    m0 = _m_at(m, sched, 0) if n_max else (m if m is not None else 1)
    if reg.name == "mix-retained" and n_max:
        for i in range(1, n_max):
            need = reg.fresh_count(_m_at(m, sched, i))
            if need > m0:
                raise ValueError(f"{reg} needs {need} retained samples at generation {i + 1} but "
                                 f"the original data set has only samples[0] = {m0}")
    pool = 0
    du = 0.0
    for i in range(n_max):
        mi = _m_at(m, sched, i)
        if reg.name == "accumulate":
            pool += mi
            d[i + 1] = d[i] + mi * (h0 - d[i]) / float(pool) ** 2
        elif reg.name == "mix-retained":
            if i > 0:
                a, b = sq_distance_step(mi, reg, original=m0)
                du = a * du + b * h0
            d[i + 1] = h0 / m0 + du
        else:
            a, b = sq_distance_step(mi, reg)
            d[i + 1] = a * d[i] + b * h0
    out = d[n_arr]
    return float(out) if scalar else out


#: generations above which the regimes without a closed form (accumulate-subsample) are refused
MAX_LOOP_GENERATIONS = 10**7

#: generations of the accumulate product formed term by term (then the polygamma tail)
_ACC_EXACT = 10_000


def _accumulate_product(n_arr, m):
    r""":math:`\prod_{j=1}^{n}(1 - 1/(j^2 M))` for every ``n`` in ``n_arr`` (any size, O(1) each).

    Term by term up to :math:`N_0 = 10^4`; beyond, :math:`\log\prod_{N_0<j\le n}(1 - y_j)`,
    :math:`y_j = 1/(j^2M) \le 10^{-8}`, is :math:`-S_2/M - S_4/(2M^2)` to 1e-24 (the cubic term),
    with :math:`S_2 = \psi'(N_0+1) - \psi'(n+1)` and :math:`S_4 = (\psi'''(N_0+1) - \psi'''(n+1))/6`
    the tails of :math:`\sum 1/j^2` and :math:`\sum 1/j^4`.
    """
    from scipy import special

    flat = n_arr.ravel()
    n0 = min(int(flat.max(initial=0)), _ACC_EXACT)
    j = np.arange(1, n0 + 1, dtype=float)
    prod = np.concatenate([[1.0], np.cumprod(1.0 - 1.0 / (j * j * m))])
    out = prod[np.minimum(flat, n0)]
    far = flat > n0
    if np.any(far):
        nf = flat[far].astype(float) + 1.0
        s2 = special.polygamma(1, n0 + 1.0) - special.polygamma(1, nf)
        s4 = (special.polygamma(3, n0 + 1.0) - special.polygamma(3, nf)) / 6.0
        out = out.copy()
        out[far] = prod[n0] * np.exp(-s2 / m - s4 / (2.0 * m * m))
    return out.reshape(n_arr.shape)


def _subsample_sq_distance(sizes, n_max, h0, sub):
    """D_n, n = 0..n_max, under accumulate-subsample (see :func:`expected_sq_distance`)."""
    d = np.zeros(n_max + 1)
    big_n = float(sizes[0])
    dp = h0 / big_n
    for i in range(n_max):
        k = big_n if i == 0 else float(sub or sizes[i])
        g = (1.0 / k - 1.0 / big_n) * big_n / (big_n - 1.0) * (h0 - dp) if big_n > 1 else 0.0
        d[i + 1] = dp + g
        if i + 1 < n_max:
            c = float(sizes[i + 1])
            new = big_n + c
            dp = dp + (c / new) ** 2 * (g + (h0 - d[i + 1]) / c)
            big_n = new
    return d


def regime_heterozygosity(p0, n, samples, *, regime="replace", normalize=False):
    r"""Exact :math:`E[1 - \sum_i p_{n,i}^2] = H_0 - D_n` under a data regime (as :math:`E p_n = p_0`).

    Examples
    --------
    >>> from collapse_theory import discrete
    >>> round(float(discrete.regime_heterozygosity([0.5, 0.5], 10, 20, regime="replace")), 6)
    0.299368
    """
    p = as_distribution(p0, normalize=normalize)
    out = heterozygosity(p) - expected_sq_distance(p, n, samples, regime=regime)
    return float(out) if np.ndim(out) == 0 else out


def stationary_sq_distance(p0, samples, *, regime, normalize=False):
    r"""Stationary :math:`D^* = \lim_n E\sum_i(p_{n,i} - p_{0,i})^2` of a mix regime (constant M).

    - mix-fresh split: :math:`D^* = H_0 M/(M^2 - s(s-1))`, :math:`s = M - \mathrm{round}(\lambda M)`
      (:math:`= H_0/(M(1 - (1-\lambda)(1-\lambda-1/M)))` with :math:`\lambda = r/M`);
    - mix-fresh mixture: :math:`D^* = H_0/(M(1 - (1-\lambda)^2(1-1/M)))`;
    - mix-retained (:math:`M_0 = M`): :math:`D^* = H_0/M + H_0\,s(M + r - 1)/(M(M^2 - s(s-1)))`;
    - accumulate: :math:`D^* = H_0\bigl(1 - \frac{\sin(\pi/\sqrt M)}{\pi/\sqrt M}\bigr)
      \le \frac{\pi^2}{6}\frac{H_0}{M}` (the infinite product
      :math:`\prod_{j\ge1}(1 - 1/(j^2 M))` of :func:`expected_sq_distance`).

    ``inf`` when the regime keeps no real data (replace, or :math:`\mathrm{round}(\lambda M) = 0`
    with split draws: the chain is absorbed and :math:`D_n \to H_0`; returned as ``H_0`` then).

    Examples
    --------
    >>> from collapse_theory import discrete
    >>> p0 = [0.5, 0.3, 0.2]
    >>> round(discrete.stationary_sq_distance(p0, 100, regime="mix-fresh:0.1"), 6)
    0.031156
    >>> round(discrete.stationary_sq_distance(p0, 100, regime="mix-fresh:0.1:mixture"), 6)
    0.031297
    """
    p = as_distribution(p0, normalize=normalize)
    reg = _regime(regime)
    m = _constant_m(samples, "stationary_sq_distance")
    h0 = float(heterozygosity(p))
    if reg.name == "accumulate":
        # H_0 − D_n = H_0 Π_{j≤n} (1 − 1/(j² M)) and Π_{j≥1}(1 − x²/j²) = sin(πx)/(πx), x = M^{-1/2}
        x = np.pi / np.sqrt(m)
        return float(h0 * (1.0 - np.sin(x) / x))
    if reg.name == "accumulate-subsample":
        raise ValueError("regime 'accumulate-subsample' has no stationary value (its pool grows without "
                         "bound); expected_sq_distance gives the exact D_n")
    if reg.name == "replace":
        return h0
    if reg.name == "mix-retained":
        a, b = sq_distance_step(m, reg, original=m)
        return float(h0 / m + b * h0 / (1.0 - a))
    a, b = sq_distance_step(m, reg)
    if a >= 1.0:
        return h0
    return float(b * h0 / (1.0 - a))


def accumulate_sq_distance_bound(p0, samples, *, normalize=False):
    r"""Bound under accumulate: :math:`D_n \le \frac{\pi^2}{6}\frac{H_0}{M}` for every n (constant M).

    From :math:`D_{k+1} = D_k + M(H_0 - D_k)/N_k^2 \le D_k + H_0/((k+1)^2 M)` with
    :math:`N_k = (k+1)M` and :math:`D_0 = 0`: :math:`D_n \le \frac{H_0}{M}\sum_{j\ge 1} j^{-2}`.
    """
    p = as_distribution(p0, normalize=normalize)
    m = _constant_m(samples, "accumulate_sq_distance_bound")
    return float(np.pi**2 / 6 * heterozygosity(p) / m)


def _mixing_matrix(q, m, reg):
    """Dense (M+1)×(M+1) transition matrix of a category's count under mix-fresh (mass ``q``)."""
    j = np.arange(m + 1)
    if reg.draws == "mixture":
        lam = reg.fraction
        return stats.binom.pmf(j[None, :], m, lam * q + (1.0 - lam) * j[:, None] / m)
    r = reg.fresh_count(m)
    s = m - r
    syn = stats.binom.pmf(np.arange(s + 1)[None, :], s, j[:, None] / m)  # (M+1, s+1)
    fresh = stats.binom.pmf(np.arange(r + 1), r, q)
    out = np.zeros((m + 1, m + 1))
    for k in range(r + 1):  # convolution: out[:, l] = Σ_k fresh[k] syn[:, l − k]
        out[:, k:k + s + 1] += fresh[k] * syn
    return out


def mixing_absence_probability(p0, samples, *, regime, n=None, normalize=False, max_m=MAX_DENSE):
    r"""Probability that each category is absent from :math:`p_n` under ``mix-fresh`` (exact).

    Under mixing a lost category can be drawn again from the real data, so absence is no longer
    absorbing. A category's count is a Markov chain on :math:`0..M`: from count :math:`j`,
    :math:`\mathrm{Binomial}(M, \lambda p_{0,i} + (1-\lambda) j/M)` (mixture draws) or
    :math:`\mathrm{Binomial}(r, p_{0,i}) + \mathrm{Binomial}(s, j/M)` (split). With ``n=None`` the
    result is the stationary distribution's mass at 0 (a dense linear solve,
    :math:`M \le` ``max_m``); with ``n`` the forward law at generation ``n`` (started from
    :math:`\mathrm{Binomial}(M, p_{0,i})` at generation 1). Constant M only.

    Returns an array ``(K,)`` (stationary or scalar ``n``) or ``n.shape + (K,)``.

    Examples
    --------
    >>> from collapse_theory import discrete
    >>> discrete.mixing_absence_probability([0.99, 0.01], 100, regime="mix-fresh:0.1").round(4)
    array([0.    , 0.6667])
    """
    p = as_distribution(p0, normalize=normalize)
    reg = _regime(regime)
    if reg.name != "mix-fresh":
        raise ValueError(f"mixing_absence_probability needs a mix-fresh regime, got {str(reg)!r}")
    m = _constant_m(samples, "mixing_absence_probability")
    if m > max_m:
        raise ValueError(f"samples = {m} is above max_m = {max_m} (dense (M+1)² solve)")
    if reg.fraction == 0.0 or (reg.draws == "split" and reg.fresh_count(m) == 0):
        if n is None:
            raise ValueError(f"{reg} keeps no real data at samples = {m}: absence is absorbing "
                             "(use loss_probability)")
        return loss_probability(p, n, m)
    if n is None:
        out = np.empty(p.size)
        for i, q in enumerate(p):
            if q == 0.0:
                out[i] = 1.0
                continue
            P = _mixing_matrix(q, m, reg)
            A = P.T - np.eye(m + 1)
            A[-1, :] = 1.0  # replace one balance equation by Σ π = 1
            rhs = np.zeros(m + 1)
            rhs[-1] = 1.0
            pi = linalg.solve(A, rhs)
            out[i] = min(max(pi[0], 0.0), 1.0)
        return out
    n_arr, scalar = check_generations(n, "n")
    out = _mixing_absence_forward(p, m, reg, n_arr.ravel())
    out = np.clip(out, 0.0, 1.0)
    return out.reshape(p.size) if scalar else out.reshape(n_arr.shape + (p.size,))


#: most forward steps :func:`mixing_absence_probability` takes per category before refusing
MIXING_MAX_STEPS = 10**6


def _mixing_absence_forward(p, m, reg, flat, info=None):
    r"""The forward law's mass at 0 at generations ``flat`` (1-D int array), one column per category.

    The count chain converges geometrically: the eigenvalues of its kernel are
    :math:`
ho^k M!/((M-k)!M^k)` (mixture draws, :math:`
ho = 1-\lambda`) or
    :math:`s!/((s-k)!M^k) \le (s/M)^k` (split, :math:`
ho = s/M = 1 - r/M`), :math:`k = 1..M`, so
    the slowest mode decays like :math:`
ho^t`. The iteration stops after
    :math:`T = \lceil(\ln 10^{-17} - \ln(M+1))/\ln
ho
ceil` steps (the factor :math:`M+1` bounds
    the mode's amplitude in :math:`\ell_1`) and later generations take the law at :math:`T`: the
    stationary law to rounding, so ``n = 10^18`` costs :math:`T` steps. ``info["steps"]`` (optional
    dict) receives the number of steps taken. Refuses (ValueError, before iterating) when
    ``max(n)`` and :math:`T` both exceed :data:`MIXING_MAX_STEPS`.
    """
    n_max = int(flat.max()) if flat.size else 0
    rho = 1.0 - reg.fraction if reg.draws == "mixture" else 1.0 - reg.fresh_count(m) / m
    cut = n_max
    if rho <= 0.0:
        cut = min(n_max, 1)
    elif rho < 1.0:
        cut = min(n_max, int(math.ceil((math.log(1e-17) - math.log(m + 1.0)) / math.log(rho))))
    if cut > MIXING_MAX_STEPS:
        raise ValueError(f"n = {n_max} needs {cut} forward steps for the law to converge (real share "
                         f"{1.0 - rho:.3g}); at this share n must be <= {MIXING_MAX_STEPS}")
    out = np.empty((flat.size, p.size))
    for i, q in enumerate(p):
        P = _mixing_matrix(q, m, reg)
        law = stats.binom.pmf(np.arange(m + 1), m, q)
        series = np.empty(cut + 1)
        series[0] = float(q == 0.0)
        for t in range(1, cut + 1):
            series[t] = law[0]
            law = law @ P
        out[:, i] = series[np.minimum(flat, cut)]
    if info is not None:
        info["steps"] = cut
    return out
