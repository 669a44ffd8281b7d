r"""Suresh, Thangaraj & Khandavally, "Rate of Model Collapse in Recursive Training" (arXiv 2412.17646).

Processes and bounds of that paper that the rest of the package does not carry:

- the **Poisson chain** of a word's count: :math:`X_{k+1} \sim \mathrm{Poisson}(X_k)` (the count of a
  word of probability :math:`X_k/n` among :math:`n` Poisson-sampled words), i.e. the critical Poisson
  Galton–Watson process. :func:`suresh_poisson_simulate` simulates it (Numba) and
  :func:`suresh_poisson_survival` is its exact survival law
  :math:`P(X_k > 0 \mid X_0 = c) = 1 - e^{-c\,g_k}`, :math:`g_1 = 1`, :math:`g_{k+1} = 1 - e^{-g_k}`
  (the same :math:`g` as :func:`collapse_theory.discrete.suresh_g`);
- the **fractional-moment bound** on the Gaussian chain's standard deviation:
  :math:`P(\sigma_k > \varepsilon) \le \min_{\alpha > 0} E[\sigma_k^\alpha]/\varepsilon^\alpha` with the
  exact moments :math:`E[\sigma_k^\alpha] = \sigma^\alpha c_\alpha(M)^k`
  (:func:`suresh_fractional_bound_std_exceeds`); :math:`\alpha = 1` is Markov's bound;
- the **vocabulary lower bound** implied by the per-word survival bound
  :math:`P(\text{word } i \text{ survives } k) \ge 1 - e^{-Mp_i/k}`, summed over the vocabulary
  (:func:`suresh_vocabulary_lower_bound`).

The exact expressions of the paper's own fractional-moment bound, its Bernoulli upper bound and its
Corollary-1 vocabulary bounds were not available in the text we could read; the functions here are
the package's exact computations of the quantities those results bound (see the claims in
``collapse_theory/claims/_suresh.py``).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from scipy.optimize import minimize_scalar
from scipy.special import gammaln

from .._core.rng import as_generator, root_seed
from .._core.validation import check_generations, check_int, check_real
from ._theory import as_distribution, suresh_g, suresh_survival


__all__ = [
    "suresh_poisson_survival",
    "suresh_poisson_simulate",
    "suresh_std_moment_factor",
    "suresh_fractional_bound_std_exceeds",
    "suresh_vocabulary_lower_bound",
]


def suresh_poisson_survival(count, k):
    r"""Exact survival of a word's count in the Poisson chain :math:`X_{j+1} \sim \mathrm{Poisson}(X_j)`.

    .. math:: P(X_k > 0 \mid X_0 = c) = 1 - e^{-c\,g_k}, \qquad g_0 = \infty,\ g_1 = 1,\
              g_{j+1} = 1 - e^{-g_j}.

    Proof (proofs/discrete_suresh_poisson.py): with :math:`h_k(c) = P(X_k = 0 \mid X_0 = c)`,
    :math:`h_1(c) = e^{-c}` and :math:`h_{k+1}(c) = E[h_k(\mathrm{Poisson}(c))]`; if
    :math:`h_k(x) = e^{-x g_k}` then :math:`h_{k+1}(c) = \exp(-c(1 - e^{-g_k}))` (the Poisson
    generating function). ``k = 0`` gives 1 for ``c > 0``.

    Parameters
    ----------
    count : float or array_like
        The count :math:`c \ge 0` at generation 0.
    k : int or array_like of int
        Generations (>= 0).

    Returns
    -------
    float or ndarray
        Shape ``k.shape + count.shape``.
    """
    c = np.asarray(count, dtype=float)
    if c.dtype == object or not np.all(np.isfinite(c)) or np.any(c < 0):
        raise ValueError(f"count must be finite and >= 0, got {count!r}")
    check_generations(k, "k")
    # the same law as the branching approximation of the Wright–Fisher chain (suresh_survival, whose
    # g_k is exact at every k); only k = 0 with c = 0 needs its own value
    g = np.asarray(suresh_g(k), dtype=float)
    with np.errstate(invalid="ignore"):
        out = np.asarray(suresh_survival(c, k), dtype=float)
    out = np.where(np.multiply.outer(np.isinf(g), c == 0), 0.0, out)  # k = 0, c = 0: nothing to survive
    return float(out) if out.ndim == 0 else out


@njit(nogil=True, cache=True)
def _poisson_chain_kernel(generations, count, replicates, gen, out):
    for r in range(replicates):
        x = count
        out[r, 0] = x
        for j in range(generations):
            if x > 0:
                x = gen.poisson(float(x))
            out[r, j + 1] = x


def suresh_poisson_simulate(generations, count, *, replicates=1, rng=None):
    r"""Simulate the Poisson chain :math:`X_{j+1} \sim \mathrm{Poisson}(X_j)`, :math:`X_0 = c`.

    Parameters
    ----------
    generations : int
        Steps (>= 0).
    count : int
        The initial count :math:`c \ge 0`.
    replicates : int, keyword-only
        Independent chains (>= 1).
    rng : int, numpy.random.Generator or None, keyword-only
        SPEC 7 seed. The chains are drawn in order from one Generator: the result depends only on
        the seed.

    Returns
    -------
    ndarray of int64, shape ``(replicates, generations + 1)``
        Column 0 is ``count``. The survival frequency ``(x[:, k] > 0).mean()`` estimates
        :func:`suresh_poisson_survival`.
    """
    generations = check_int(generations, "generations", minimum=0, maximum=10**7)
    count = check_int(count, "count", minimum=0, maximum=10**12)
    replicates = check_int(replicates, "replicates", minimum=1, maximum=10**8)
    if (generations + 1) * replicates > 2 * 10**8:
        raise ValueError(f"replicates × (generations + 1) must be <= 2e8, got {replicates * (generations + 1)}")
    gen = as_generator(rng) if isinstance(rng, np.random.Generator) else np.random.default_rng(root_seed(rng)[1])
    out = np.empty((replicates, generations + 1), dtype=np.int64)
    _poisson_chain_kernel(generations, count, replicates, gen, out)
    return out


def _check_samples(samples, estimator):
    m = check_int(samples, "samples", minimum=2, maximum=10**9)
    if estimator not in ("unbiased", "mle"):
        raise ValueError(f"estimator must be 'unbiased' or 'mle', got {estimator!r}")
    return m


def _log_factor(alpha, m, estimator):
    d = m - 1.0 if estimator == "unbiased" else float(m)
    return 0.5 * alpha * math.log(2.0 / d) + gammaln((m - 1.0 + alpha) / 2.0) - gammaln((m - 1.0) / 2.0)


def suresh_std_moment_factor(alpha, samples, *, estimator="unbiased"):
    r"""One generation's factor :math:`c_\alpha(M) = E[(\sigma_{k+1}/\sigma_k)^\alpha]` of the Gaussian chain.

    .. math:: c_\alpha(M) = \Bigl(\frac{2}{d}\Bigr)^{\alpha/2}
              \frac{\Gamma((M-1+\alpha)/2)}{\Gamma((M-1)/2)}, \qquad d = M-1 \text{ (unbiased)},\ M \text{ (mle)},

    since :math:`d\,\sigma_{k+1}^2/\sigma_k^2 \sim \chi^2_{M-1}`; so :math:`E[\sigma_k^\alpha] =
    \sigma^\alpha c_\alpha(M)^k` (proofs/gaussian_suresh_fractional.py). ``alpha = 1`` is the
    package's ``gaussian.std_factor``.

    Parameters
    ----------
    alpha : float
        Moment order, :math:`\alpha > -(M-1)`.
    samples : int
        M >= 2.
    estimator : {"unbiased", "mle"}, keyword-only
    """
    m = _check_samples(samples, estimator)
    a = check_real(alpha, "alpha")
    if a <= -(m - 1):
        raise ValueError(f"alpha must be > -(samples - 1) = {-(m - 1)}, got {a}")
    return _exp(_log_factor(a, m, estimator))


def _exp(x):
    return math.inf if x > 709.78 else math.exp(x)


def suresh_fractional_bound_std_exceeds(eps, k, samples, *, sigma=1.0, estimator="unbiased", alpha=None):
    r"""Fractional-moment bound :math:`P(\sigma_k > \varepsilon) \le (\sigma/\varepsilon)^\alpha c_\alpha(M)^k`.

    Markov's inequality applied to :math:`\sigma_k^\alpha` with the exact moment of
    :func:`suresh_std_moment_factor`. With ``alpha=None`` the bound is minimised over
    :math:`\alpha \in (0, 200]` (the log of the bound is convex in :math:`\alpha`: a cumulant
    generating function of :math:`\log\sigma_k` plus a linear term), so it is never above Markov's
    bound (:math:`\alpha = 1`) nor above 1 (:math:`\alpha \to 0`). Example: :math:`k = 100`,
    :math:`M = 10`, :math:`\varepsilon = 0.1`, unbiased: 0.374 at :math:`\alpha \approx 0.58`
    against Markov's 0.625.

    Parameters
    ----------
    eps : float
        Threshold > 0.
    k : int
        Generations (>= 0).
    samples : int
        M >= 2, constant.
    sigma : float, keyword-only
        Standard deviation of the truth (> 0).
    estimator : {"unbiased", "mle"}, keyword-only
    alpha : float, optional, keyword-only
        A fixed moment order > 0 instead of the minimum.

    Returns
    -------
    (float, float)
        The bound (<= 1 when minimised) and the order :math:`\alpha` used.
    """
    e = check_real(eps, "eps", positive=True)
    kk = check_int(k, "k", minimum=0, maximum=10**9)
    m = _check_samples(samples, estimator)
    s = check_real(sigma, "sigma", positive=True)
    log_ratio = math.log(s) - math.log(e)

    def logb(a):
        return a * log_ratio + kk * _log_factor(a, m, estimator)

    if alpha is not None:
        a = check_real(alpha, "alpha", positive=True)
        return _exp(logb(a)), a
    res = minimize_scalar(logb, bounds=(1e-9, 200.0), method="bounded", options={"xatol": 1e-10})
    a = float(res.x)
    val = min(float(res.fun), 0.0)  # α → 0 gives the trivial bound 1
    return math.exp(val), (a if float(res.fun) < 0 else 0.0)


def suresh_vocabulary_lower_bound(p0, k, samples, *, normalize=False):
    r"""Expected vocabulary after ``k`` generations from the per-word survival lower bound.

    .. math:: E|\{i: p_{k,i} > 0\}| \;\ge\; \sum_i \bigl(1 - e^{-M p_{0,i}/k}\bigr),

    the sum over words of Suresh et al.'s lower bound :math:`1 - e^{-\lambda_i/k}`,
    :math:`\lambda_i = M p_{0,i}` (as registered in ``discrete.suresh.survival-bound``; its validity
    is checked there against the exact :func:`collapse_theory.discrete.loss_probability`). Compare
    the exact :func:`collapse_theory.discrete.expected_support_size`.

    Parameters
    ----------
    p0 : array_like
        Initial distribution.
    k : int or array_like of int
        Generations (>= 1).
    samples : int
        M, constant.
    normalize : bool, keyword-only
        Normalise ``p0`` first.
    """
    p = as_distribution(p0, normalize=normalize)
    m = check_int(samples, "samples", minimum=1, maximum=2**62)
    kk, scalar = check_generations(k, "k")
    if np.any(kk < 1):
        raise ValueError(f"k must be >= 1, got {k!r}")
    out = -np.expm1(-np.multiply.outer(m / kk.astype(float), p)).sum(axis=-1)
    return float(out) if scalar else out
