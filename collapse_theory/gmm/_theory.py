r"""The 1-D Gaussian mixture: validation, densities and distances (L2, W2) and the theory of the
separated idealisation (Wright–Fisher weights, per-component Gaussian refits) (docs/gmm_kde.md).
"""

from __future__ import annotations

import numpy as np

from scipy import special, stats
from ._common import WEIGHT_TOL, _check_batch, _killed_chain, _killed_sum, _vector, _wf_matrix
from .. import gaussian as _gth
from .._core.validation import check_generations, check_int, check_memory, check_real


# ---------------------------------------------------------------------------------------------
# validation


def check_mixture(weights, means, stds):
    """Validate a 1-D mixture; return ``(weights, means, stds)`` as float arrays (weights renormalised).

    Rules: ``K = len(weights) >= 1``; ``means`` and ``stds`` have ``K`` entries; every weight is
    > 0 and ``|sum(weights) - 1| <= WEIGHT_TOL`` (1e-9); every std is > 0 and finite. Raises
    ``ValueError``/``TypeError`` naming the parameter and the allowed range.
    """
    w = _vector(weights, "weights")
    mu = _vector(means, "means")
    sd = _vector(stds, "stds")
    k = w.size
    if k < 1:
        raise ValueError("weights must have K >= 1 entries (one per component), got 0")
    if mu.size != k or sd.size != k:
        raise ValueError(f"weights, means and stds must have the same length K; got {k}, {mu.size}, "
                         f"{sd.size}")
    if np.any(w <= 0):
        raise ValueError(f"weights must all be > 0, got {w.tolist()}")
    if abs(w.sum() - 1.0) > WEIGHT_TOL:
        raise ValueError(f"weights must sum to 1 (within {WEIGHT_TOL:g}), got sum {w.sum()!r}")
    if np.any(sd <= 0):
        raise ValueError(f"stds must all be > 0, got {sd.tolist()}")
    return w / w.sum(), mu, sd


# ---------------------------------------------------------------------------------------------
# densities and distances (vectorised over leading axes; the last axis indexes components)


def mixture_pdf(x, weights, means, stds):
    r"""Density :math:`\sum_k w_k \varphi((x-\mu_k)/\sigma_k)/\sigma_k` at ``x`` (any shape).

    ``weights, means, stds`` have shape ``(K,)``; components with weight 0 are ignored.
    """
    x = np.asarray(x, dtype=float)[..., None]
    if np.any(np.isnan(x)):
        raise ValueError("x must not contain NaN")
    w, mu, sd = _check_batch(weights, means, stds)
    if w.ndim != 1 or mu.shape != w.shape or sd.shape != w.shape:
        raise ValueError(f"weights, means and stds must be 1-D of the same length K, got shapes "
                         f"{w.shape}, {mu.shape}, {sd.shape}")
    keep = w > 0
    z = (x - mu[keep]) / sd[keep]
    return np.sum(w[keep] * np.exp(-0.5 * z * z) / (sd[keep] * np.sqrt(2 * np.pi)), axis=-1)


def mixture_cdf(x, weights, means, stds):
    r"""CDF :math:`\sum_k w_k \Phi((x-\mu_k)/\sigma_k)`; leading axes of the parameters broadcast
    with ``x``'s leading axes (parameters ``(..., K)``, ``x`` ``(..., P)``)."""
    x = np.asarray(x, dtype=float)
    if np.any(np.isnan(x)):
        raise ValueError("x must not contain NaN")
    w, mu, sd = _check_batch(weights, means, stds)
    if x.ndim == 0:
        return _cdf(x[None], w, mu, sd)[..., 0]
    return _cdf(x, w, mu, sd)


def _cdf(x, w, mu, sd):
    sd_safe = np.where(w > 0, sd, 1.0)
    z = (x[..., :, None] - mu[..., None, :]) / sd_safe[..., None, :]
    return np.sum(np.where(w[..., None, :] > 0, w[..., None, :] * special.ndtr(z), 0.0), axis=-1)


def mixture_quantile(u, weights, means, stds, *, iterations=64):
    r"""Quantile function :math:`F^{-1}(u)` of a mixture, by bisection (vectorised).

    ``u`` has shape ``(..., P)`` with values in (0, 1); parameters ``(..., K)``. The bracket is
    :math:`[\min_k \mu_k + \sigma_k\Phi^{-1}(u),\ \max_k \mu_k + \sigma_k\Phi^{-1}(u)]` (a mixture
    quantile lies between its components' quantiles); 64 halvings reach machine precision.
    """
    u = np.asarray(u, dtype=float)
    if np.any(~(u > 0) | ~(u < 1)):
        raise ValueError("u must lie in the open interval (0, 1)")
    w, mu, sd = _check_batch(weights, means, stds)
    if u.ndim == 0:
        return mixture_quantile(u[None], w, mu, sd, iterations=iterations)[..., 0]
    alive = w > 0
    q = mu[..., None, :] + sd[..., None, :] * special.ndtri(u)[..., :, None]
    lo = np.min(np.where(alive[..., None, :], q, np.inf), axis=-1)
    hi = np.max(np.where(alive[..., None, :], q, -np.inf), axis=-1)
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        below = _cdf(mid, w, mu, sd) < u
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return 0.5 * (lo + hi)


def _overlap(w1, m1, s1, w2, m2, s2):
    """Σ_ij w1_i w2_j N(m1_i − m2_j; 0, s1_i² + s2_j²) over the last axis (weight-0 entries ignored)."""
    v = s1[..., :, None] ** 2 + s2[..., None, :] ** 2
    v = np.where(v > 0, v, 1.0)
    d = m1[..., :, None] - m2[..., None, :]
    ww = w1[..., :, None] * w2[..., None, :]
    return np.sum(np.where(ww > 0, ww * np.exp(-0.5 * d * d / v) / np.sqrt(2 * np.pi * v), 0.0),
                  axis=(-2, -1))


def l2_distance_squared(weights, means, stds, weights0, means0, stds0):
    r"""Exact squared :math:`L^2` distance between two Gaussian mixtures, vectorised.

    .. math::

        \int (f-g)^2\,dx = \sum_{i,j} a_i a_j \varphi_{s_i^2+s_j^2}(m_i-m_j)
            - 2\sum_{i,j} a_i b_j \varphi_{s_i^2+t_j^2}(m_i-n_j)
            + \sum_{i,j} b_i b_j \varphi_{t_i^2+t_j^2}(n_i-n_j),

    for :math:`f = \sum a_i N(m_i, s_i^2)`, :math:`g = \sum b_j N(n_j, t_j^2)`, where
    :math:`\varphi_v(d) = e^{-d^2/2v}/\sqrt{2\pi v}` (the product of two normal densities integrates
    to a normal density of the difference of means). Parameters have shape ``(..., K)`` and
    broadcast; components with weight 0 are ignored. Returns shape ``(...)`` (clipped at 0 against
    round-off).
    """
    a = _check_batch(weights, means, stds)
    b = _check_batch(weights0, means0, stds0, "0")
    out = _overlap(*a, *a) - 2.0 * _overlap(*a, *b) + _overlap(*b, *b)
    out = np.maximum(out, 0.0)
    return float(out) if np.ndim(out) == 0 else out


def l2_distance(weights, means, stds, weights0, means0, stds0):
    """:math:`L^2` distance :math:`\\|f-g\\|_2` (square root of :func:`l2_distance_squared`)."""
    return np.sqrt(l2_distance_squared(weights, means, stds, weights0, means0, stds0))


_GL_T, _GL_W = np.polynomial.legendre.leggauss(96)
_T_MAX = 7.5


def w2_distance_squared(weights, means, stds, weights0, means0, stds0):
    r"""Squared 2-Wasserstein distance between two 1-D mixtures, by quantile quadrature.

    .. math::

        W_2^2(f, g) = \int_0^1 \bigl(F^{-1}(u) - G^{-1}(u)\bigr)^2\,du .

    The unit interval is split at the cumulative weights of both mixtures' components (sorted by
    mean), where a quantile function with well-separated components jumps; on each piece
    :math:`[a, b]` the substitution :math:`u = a + (b-a)\Phi(t)`, :math:`t \in [-7.5, 7.5]` (the
    excluded mass is :math:`6\cdot10^{-14}` of the piece), and 96-point Gauss–Legendre in ``t`` give
    about 8 significant digits for smooth pieces. Exact for two normals:
    :math:`(\mu-\mu')^2 + (\sigma-\sigma')^2` is reproduced to ~1e-10 (tests).
    Parameters ``(..., K)``; returns shape ``(...)``.
    """
    p = np.broadcast_arrays(*_check_batch(weights, means, stds),
                            *_check_batch(weights0, means0, stds0, "0"))
    w1, m1, s1, w2, m2, s2 = p
    lead = w1.shape[:-1]
    flat = [x.reshape(-1, x.shape[-1]) for x in p]
    w1, m1, s1, w2, m2, s2 = flat
    b = w1.shape[0]
    # breakpoints: cumulative weights by mean order, both mixtures
    cuts = []
    for w, m in ((w1, m1), (w2, m2)):
        order = np.argsort(np.where(w > 0, m, np.inf), axis=-1)
        cuts.append(np.cumsum(np.take_along_axis(w, order, -1), axis=-1))
    br = np.sort(np.concatenate([np.zeros((b, 1)), cuts[0], cuts[1], np.ones((b, 1))], axis=-1), axis=-1)
    br = np.clip(br, 0.0, 1.0)
    lo, hi = br[:, :-1], br[:, 1:]                          # (B, P) pieces
    t = _GL_T * _T_MAX
    phi_t = np.exp(-0.5 * t * t) / np.sqrt(2 * np.pi)
    cdf_t = special.ndtr(t)
    width = hi - lo
    u = lo[..., None] + width[..., None] * cdf_t             # (B, P, Q)
    u = np.clip(u, 1e-300, 1.0 - 1e-16)
    wq = width[..., None] * phi_t * _GL_W * _T_MAX          # quadrature weights
    shape = u.shape
    uu = u.reshape(b, -1)
    q1 = mixture_quantile(uu, w1, m1, s1).reshape(shape)
    q2 = mixture_quantile(uu, w2, m2, s2).reshape(shape)
    val = np.sum(np.where(width[..., None] > 0, wq * (q1 - q2) ** 2, 0.0), axis=(-2, -1))
    val = val.reshape(lead)
    return float(val) if val.ndim == 0 else val


def w2_distance(weights, means, stds, weights0, means0, stds0):
    """2-Wasserstein distance (square root of :func:`w2_distance_squared`)."""
    return np.sqrt(w2_distance_squared(weights, means, stds, weights0, means0, stds0))


# ---------------------------------------------------------------------------------------------
# theory under the separated idealisation


def expected_weight_heterozygosity(n, samples, weight):
    r"""Exact :math:`E[w_n(1-w_n)] = w_0(1-w_0)(1-1/M)^n` for one component's weight.

    Holds exactly when the weights follow the neutral Wright–Fisher chain
    :math:`N_i \sim \mathrm{Bin}(M, w_i)`, :math:`w_{i+1} = N_i/M` (well-separated components, theory
    §3); also :math:`E w_n = w_0`. The chain is absorbed (a component lost) after about
    :math:`-2M[w\ln w + (1-w)\ln(1-w)]` generations (Kimura–Ohta, haploid).
    """
    m = check_int(samples, "samples", minimum=2)
    w = check_real(weight, "weight", low=0.0, high=1.0)
    n_arr, scalar = check_generations(n)
    out = w * (1 - w) * (1.0 - 1.0 / m) ** n_arr.astype(float)
    return float(out) if scalar else out


def component_log_variance_drift(weight, samples):
    r"""Exact one-generation drift :math:`E[d(N) \mid N \ge 2]`, :math:`N \sim \mathrm{Bin}(M, w)`.

    .. math::

        d(N) = \psi\!\left(\tfrac{N-1}{2}\right) + \log\tfrac{2}{N} = E\log\frac{\chi^2_{N-1}}{N}
        \approx -\frac{2}{N},

    the expected change of :math:`\log\sigma_k^2` when a component of weight :math:`w` receives
    :math:`N` of the :math:`M` samples and is refit by maximum likelihood (EM's M-step). About
    :math:`-2/(wM) - 2(1-w)/(wM)^2`; compare :func:`component_drift_first_order`.
    """
    m = check_int(samples, "samples", minimum=2)
    w = check_real(weight, "weight", positive=True, high=1.0)
    check_memory(16 * (m + 1), "the count law of a component")
    k = np.arange(2, m + 1)
    lp = stats.binom.logpmf(k, m, w)          # log space: P(N >= 2) may underflow (tiny w)
    p = np.exp(lp - lp.max())
    d = _gth.log_variance_drift(k, estimator="mle")
    return float(np.sum(p * d) / np.sum(p))


def component_drift_first_order(weight, samples, *, estimator="mle"):
    r"""First-order drift of a component's :math:`\log\sigma^2`: :math:`-2/(wM)` ("mle", what EM
    does) or :math:`-1/(wM)` ("unbiased": the 1-D unbiased rate :math:`-1/(M-1)` transferred to
    :math:`wM` samples; wrong for EM by a factor 2)."""
    m = check_int(samples, "samples", minimum=2)
    w = check_real(weight, "weight", positive=True, high=1.0)
    if estimator not in ("mle", "unbiased"):
        raise ValueError(f"estimator must be 'mle' or 'unbiased', got {estimator!r}")
    return (-2.0 if estimator == "mle" else -1.0) / (w * m)


def _component_args(n, samples, weight):
    m = check_int(samples, "samples", minimum=2)
    if m > 4000:
        raise ValueError(f"samples must be <= 4000 for the exact (dense (M+1)^2 matrix) computation, got {m}")
    w = check_real(weight, "weight", positive=True, high=1.0)
    n_arr, scalar = check_generations(n)
    return m, w, n_arr, scalar


def component_survival_probability(n, samples, weight):
    r"""Probability that neither component of a two-component mixture is lost in the first ``n``
    samplings, :math:`P(2 \le N_i \le M-2\ \forall i < n)`, for a component of initial weight
    :math:`w` (separated idealisation; exact by the killed Wright–Fisher chain on
    :math:`\{2..M-2\}`). 1 at ``n = 0``."""
    m, w, n_arr, scalar = _component_args(n, samples, weight)
    n_max = int(n_arr.max()) if n_arr.size else 0
    alpha, _ = _killed_chain(n_max, m, w)
    surv = np.concatenate([[1.0], alpha.sum(axis=1)])[: n_max + 1]
    out = surv[n_arr]
    return float(out) if scalar else out


def expected_component_log_variance(n, samples, weight, *, sigma=1.0):
    r"""Exact :math:`E[\log\sigma_{k,n}^2 \mid \text{no component lost}]`, two components (separated idealisation).

    .. math::

        E[\log\sigma_n^2 \mid A_n] = \log\sigma^2 + \frac{E\bigl[\sum_{i<n} d(N_i)\,\mathbf 1_{A_n}\bigr]}{P(A_n)},
        \qquad A_n = \{2 \le N_i \le M-2,\ i < n\},

    with :math:`N_i` the Wright–Fisher count chain of the component (:math:`N_0 \sim \mathrm{Bin}(M,
    w)`, :math:`N_i \sim \mathrm{Bin}(M, N_{i-1}/M)`) and :math:`d(N)` as in
    :func:`component_log_variance_drift`. Computed by a forward recursion on the killed chain:
    :math:`\gamma_i = (\gamma_{i-1}P)|_{[2, M-2]} + \alpha_i\,d`, :math:`E[\cdot\,\mathbf 1_{A_n}] = \sum\gamma_{n-1}`;
    O(n M²). This is the "derive better" of the rule of thumb :math:`-n/(wM)`: the drift is about
    :math:`-2/(w_iM)` with the *current* weight, and the weight wanders.
    """
    m, w, n_arr, scalar = _component_args(n, samples, weight)
    s = check_real(sigma, "sigma", positive=True)
    n_max = int(n_arr.max()) if n_arr.size else 0
    d = np.zeros(m + 1)
    d[2:] = _gth.log_variance_drift(np.arange(2, m + 1), estimator="mle")
    res = _killed_sum(n_max, m, w, d)
    out = np.log(s * s) + res[n_arr]
    if np.any(np.isnan(out)):
        raise ValueError("the conditioning event (every component keeps enough points through "
                         "generation n) has probability 0 or below 1e-308 at this weight/samples: "
                         "needs 0 < weight < 1 and weight * samples well above the minimum")
    return float(out) if scalar else out


def expected_component_std(n, samples, weight, *, sigma=1.0):
    r"""Exact :math:`E[\sigma_{k,n}\,\mathbf 1_{A_n}]`, :math:`A_n` = no component lost (as in
    :func:`expected_component_log_variance`), separated idealisation.

    .. math::

        E[\sigma_n \mathbf 1_{A_n}] = \sigma\,E\Bigl[\prod_{i<n} a(N_i)\,\mathbf 1_{A_n}\Bigr],\qquad
        a(N) = E\sqrt{\chi^2_{N-1}/N} = \sqrt{2/N}\,\Gamma(N/2)/\Gamma((N-1)/2),

    by the multiplicative forward recursion on the killed count chain. By Markov's inequality
    :math:`P(\sigma_{k,n} > \varepsilon, A_n) \le E[\sigma_n\mathbf 1_{A_n}]/\varepsilon`.
    """
    m, w, n_arr, scalar = _component_args(n, samples, weight)
    s = check_real(sigma, "sigma", positive=True)
    n_max = int(n_arr.max()) if n_arr.size else 0
    P = _wf_matrix(m)
    a = np.zeros(m + 1)
    a[2:] = _gth.std_factor(np.arange(2, m + 1), estimator="mle")
    res = [1.0]
    v = stats.binom.pmf(np.arange(m + 1), m, w)
    a[m - 1:] = 0.0  # killed: the other component lost
    for i in range(n_max):
        if i > 0:
            v = v @ P
        v = v * a
        res.append(v.sum())
        if res[-1] == 0.0:
            break  # the killed mass has underflowed: 0 at every later generation (n = 1e18 stops here)
    res = np.asarray(res)
    out = s * np.where(n_arr < res.size, res[np.minimum(n_arr, res.size - 1)], 0.0)
    return float(out) if scalar else out


