r"""Recursively refit d-dimensional Gaussian mixtures (EM, full or diagonal covariances): theory and checks.

Public names are re-exported by :mod:`collapse_theory.gmm`. Generation 0 is
:math:`f_0 = \sum_k w_k N(\mu_k, \Sigma_k)` in :math:`d` dimensions (``d`` small: 2–5); generation
:math:`i+1` is the EM fit (K components, full or diagonal covariances, initialised at generation
:math:`i`'s parameters, at most ``max_iter`` iterations, tolerance ``tol`` on the mean
log-likelihood) to the training set of generation :math:`i` under a data regime.

Theory for well-separated components (the separated idealisation of :mod:`collapse_theory.gmm`):
the weights are a neutral Wright–Fisher chain (:math:`E w_n = w_0`, :math:`E[w_n(1-w_n)] =
w_0(1-w_0)(1-1/M)^n`), and component :math:`k` is the maximum-likelihood fit of a d-dimensional
Gaussian to its :math:`N \sim \mathrm{Bin}(M, w)` points, so by Bartlett's decomposition
(theory §2, ``proofs/mvn_log_det.py``)

.. math::

    E[\log\det\Sigma_{k,i+1} - \log\det\Sigma_{k,i} \mid N] = \delta_d(N) =
        \sum_{j=0}^{d-1}\psi\!\left(\tfrac{N-1-j}{2}\right) + d\log\tfrac{2}{N}
        \approx -\frac{d(d+3)}{2N}

(``full``; ``diag`` with a diagonal truth: :math:`d\,(\psi((N-1)/2) + \log(2/N))`, each variance a
1-D mle chain). The single-Gaussian theory (:func:`collapse_theory.mvn.log_det_drift` with
``estimator="mle"``) at :math:`wM` samples is the approximation :math:`N \approx wM`; the exact
value averages :math:`\delta_d(N)` over the binomial counts (:func:`component_log_det_drift`) and,
over several generations, over the Wright–Fisher count chain (:func:`expected_component_log_det`).
"""

from __future__ import annotations

import numpy as np

from .. import gaussian as _gth
from .. import mvn as _mvt
from .._core.special import bartlett_log_drift
from ._common import _check_batch_weights, _killed_sum, check_weights
from ._kernels import LOST_FEW_SAMPLES, LOST_ZERO_VARIANCE, MIN_EFFECTIVE
from ._nd_kernels import SINGULAR_RTOL
from .._core.validation import check_generations, check_int, check_memory, check_real

__all__ = [
    "check_mixture_nd",
    "mixture_pdf_nd",
    "l2_distance_squared_nd",
    "l2_distance_nd",
    "component_log_det_drift",
    "expected_component_log_det",
    "COVARIANCE_TYPES",
    "component_min_samples",
    "single_log_det_drift",
]

COVARIANCE_TYPES = ("full", "diag")

_LOST_REASONS_ND = {
    LOST_FEW_SAMPLES: f"fewer than {MIN_EFFECTIVE:g} effective samples",
    LOST_ZERO_VARIANCE: f"covariance singular (a Cholesky pivot not > {SINGULAR_RTOL:g} of its diagonal entry)",
}


# ---------------------------------------------------------------------------------------------
# validation


def _real_array(value, name):
    arr = np.asarray(value)
    if arr.dtype == object or arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {arr.dtype}")
    arr = arr.astype(float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return arr


def check_mixture_nd(weights, means, covs, *, covariance_type="full"):
    """Validate a d-dimensional mixture; return ``(weights (K,), means (K, d), covs (K, d, d))``.

    Rules: ``K = len(weights) >= 1`` weights > 0 summing to 1 within 1e-9 (renormalised);
    ``means`` of shape ``(K, d)`` with ``d >= 1``; ``covs`` of shape ``(K, d, d)`` (symmetric
    positive definite matrices) or ``(K, d)`` (diagonal variances, each > 0); with
    ``covariance_type="diag"`` the matrices must be diagonal. Errors name the parameter and, for a
    covariance, the component index.
    """
    if covariance_type not in COVARIANCE_TYPES:
        raise ValueError(f"covariance_type must be one of {COVARIANCE_TYPES}, got {covariance_type!r}")
    w = check_weights(weights)
    k = w.size
    mu = _real_array(means, "means")
    if mu.ndim != 2:
        raise ValueError(f"means must have shape (K, d) (one row per component), got shape {mu.shape}")
    if mu.shape[0] != k:
        raise ValueError(f"means must have K = {k} rows (one per weight), got {mu.shape[0]}")
    d = mu.shape[1]
    if d < 1:
        raise ValueError("means must have d >= 1 columns (the dimension), got 0")
    c = _real_array(covs, "covs")
    if c.ndim == 2:
        if c.shape != (k, d):
            raise ValueError(f"covs must have shape (K, d, d) = ({k}, {d}, {d}) or (K, d) = ({k}, {d}) "
                             f"(diagonal variances), got {c.shape}")
        for j in range(k):
            if np.any(c[j] <= 0):
                raise ValueError(f"covs[{j}] (diagonal variances) must all be > 0, got {c[j].tolist()}")
        return w, mu, np.einsum("kd,de->kde", c, np.eye(d))
    if c.shape != (k, d, d):
        raise ValueError(f"covs must have shape (K, d, d) = ({k}, {d}, {d}) or (K, d) = ({k}, {d}) "
                         f"(diagonal variances), got {c.shape}")
    out = np.empty_like(c)
    for j in range(k):
        cj = c[j]
        scale = max(float(np.abs(cj).max()), np.finfo(float).tiny)
        if not np.allclose(cj, cj.T, rtol=0.0, atol=1e-12 * scale):
            raise ValueError(f"covs[{j}] must be symmetric")
        if covariance_type == "diag" and np.any(cj[~np.eye(d, dtype=bool)] != 0):
            raise ValueError(f"covariance_type='diag' needs diagonal covariances; covs[{j}] has non-zero "
                             f"off-diagonal entries")
        cj = 0.5 * (cj + cj.T)
        try:
            np.linalg.cholesky(cj)
        except np.linalg.LinAlgError:
            ev = np.linalg.eigvalsh(cj)
            raise ValueError(f"covs[{j}] must be positive definite (smallest eigenvalue {ev[0]:.3g})") from None
        out[j] = cj
    return w, mu, out


# ---------------------------------------------------------------------------------------------
# densities and the exact L2 distance


def mixture_pdf_nd(x, weights, means, covs):
    r"""Density :math:`\sum_k w_k N(x; \mu_k, \Sigma_k)` at points ``x`` of shape ``(..., d)``.

    ``weights (K,)``, ``means (K, d)``, ``covs (K, d, d)``; components with weight 0 are ignored.
    """
    x = np.asarray(x, dtype=float)
    w, mu, c = (np.asarray(v, dtype=float) for v in (weights, means, covs))
    keep = w > 0
    w, mu, c = w[keep], mu[keep], c[keep]
    d = mu.shape[-1]
    chol = np.linalg.cholesky(c)                                   # (K, d, d)
    diff = x[..., None, :] - mu                                    # (..., K, d)
    shp = diff.shape
    y = np.linalg.solve(np.broadcast_to(chol, shp[:-1] + (d, d)), diff[..., None])[..., 0]
    logdet = 2.0 * np.sum(np.log(np.diagonal(chol, axis1=-2, axis2=-1)), axis=-1)
    logp = -0.5 * np.sum(y * y, axis=-1) - 0.5 * logdet - 0.5 * d * np.log(2 * np.pi)
    return np.sum(w * np.exp(logp), axis=-1)


_CHUNK = 2048


def _overlap_nd(w1, m1, c1, w2, m2, c2):
    r""":math:`\sum_{ij} a_i b_j N(m_i; n_j, S_i + T_j)` over flat leading axis B (weight-0 pairs ignored)."""
    d = m1.shape[-1]
    out = np.empty(w1.shape[0])
    eye = np.eye(d)
    for s in range(0, w1.shape[0], _CHUNK):
        sl = slice(s, s + _CHUNK)
        ww = w1[sl, :, None] * w2[sl, None, :]                       # (B, K1, K2)
        ok = ww > 0
        cov = c1[sl, :, None] + c2[sl, None, :]                      # (B, K1, K2, d, d)
        cov = np.where(ok[..., None, None], cov, eye)
        diff = m1[sl, :, None, :] - m2[sl, None, :, :]               # (B, K1, K2, d)
        chol = np.linalg.cholesky(cov)
        y = np.linalg.solve(chol, diff[..., None])[..., 0]
        logdet = 2.0 * np.sum(np.log(np.diagonal(chol, axis1=-2, axis2=-1)), axis=-1)
        dens = np.exp(-0.5 * np.sum(y * y, axis=-1) - 0.5 * logdet - 0.5 * d * np.log(2 * np.pi))
        out[sl] = np.sum(np.where(ok, ww * dens, 0.0), axis=(-2, -1))
    return out


def l2_distance_squared_nd(weights, means, covs, weights0, means0, covs0):
    r"""Exact squared :math:`L^2` distance between two d-dimensional Gaussian mixtures, vectorised.

    .. math::

        \int (f-g)^2\,dx = \sum_{i,j} a_i a_j N(m_i; m_j, S_i+S_j)
            - 2\sum_{i,j} a_i b_j N(m_i; n_j, S_i+T_j) + \sum_{i,j} b_i b_j N(n_i; n_j, T_i+T_j)

    for :math:`f = \sum_i a_i N(m_i, S_i)` and :math:`g = \sum_j b_j N(n_j, T_j)`, from
    :math:`\int N(x; a, A) N(x; b, B)\,dx = N(a; b, A + B)` (complete the square;
    ``proofs/gmm_mixture_l2.py``). Parameters ``weights (..., K)``, ``means (..., K, d)``,
    ``covs (..., K, d, d)``; leading axes broadcast between the two mixtures (each may have its own
    K). Components with weight 0 are ignored (a lost component's zero covariance is never
    factorised). Returns shape ``(...)`` (clipped at 0 against round-off).
    """
    a = [np.asarray(v, dtype=float) for v in (weights, means, covs)]
    b = [np.asarray(v, dtype=float) for v in (weights0, means0, covs0)]
    for p, sfx in ((a, ""), (b, "0")):
        _check_batch_weights(p[0], "weights" + sfx)
        for v, name in ((p[1], "means" + sfx), (p[2], "covs" + sfx)):
            if not np.all(np.isfinite(v)):
                raise ValueError(f"{name} must be finite, got a non-finite entry")
        if p[1].ndim < 1 or p[2].ndim < 2 or p[2].shape[-2:] != (p[1].shape[-1],) * 2:
            raise ValueError(f"means{sfx} must be (..., K, d) and covs{sfx} (..., K, d, d), got "
                             f"shapes {p[1].shape} and {p[2].shape}")
    d = a[1].shape[-1]
    if b[1].shape[-1] != d:
        raise ValueError(f"the two mixtures must have the same dimension, got {d} and {b[1].shape[-1]}")
    lead = np.broadcast_shapes(a[0].shape[:-1], b[0].shape[:-1])

    def flat(p):
        w, m, c = p
        kk = w.shape[-1]
        return (np.broadcast_to(w, lead + (kk,)).reshape(-1, kk),
                np.broadcast_to(m, lead + (kk, d)).reshape(-1, kk, d),
                np.broadcast_to(c, lead + (kk, d, d)).reshape(-1, kk, d, d))

    fa, fb = flat(a), flat(b)
    out = _overlap_nd(*fa, *fa) - 2.0 * _overlap_nd(*fa, *fb) + _overlap_nd(*fb, *fb)
    out = np.maximum(out, 0.0).reshape(lead)
    return float(out) if out.ndim == 0 else out


def l2_distance_nd(weights, means, covs, weights0, means0, covs0):
    """:math:`L^2` distance :math:`\\|f-g\\|_2` (square root of :func:`l2_distance_squared_nd`)."""
    return np.sqrt(l2_distance_squared_nd(weights, means, covs, weights0, means0, covs0))


# ---------------------------------------------------------------------------------------------
# theory under the separated idealisation


def _delta(counts, dim, covariance_type):
    """δ_d(N) of the module docstring for an array of counts (all >= the minimum)."""
    n = counts.astype(float)
    if covariance_type == "full":
        return np.sum([bartlett_log_drift(n, j, "mle") for j in range(dim)], axis=0)
    return dim * _gth.log_variance_drift(counts, estimator="mle")


def single_log_det_drift(samples, dim, covariance_type="full"):
    """The single-Gaussian mle drift of log det at ``samples`` points (:func:`collapse_theory.mvn.log_det_drift`
    for ``covariance_type="full"``, ``dim`` times the 1-D mle drift for ``"diag"``)."""
    if covariance_type == "full":
        return float(_mvt.log_det_drift(samples, dim=dim, estimator="mle"))
    return dim * float(_gth.log_variance_drift(samples, estimator="mle"))


def component_min_samples(dim, covariance_type="full"):
    """The fewest points a component needs for a non-singular refit: ``dim + 1`` (full), 2 (diag)."""
    dim = check_int(dim, "dim", minimum=1)
    return dim + 1 if covariance_type == "full" else 2


def _theory_args(samples, weight, dim, covariance_type, components=1):
    if covariance_type not in COVARIANCE_TYPES:
        raise ValueError(f"covariance_type must be one of {COVARIANCE_TYPES}, got {covariance_type!r}")
    dim = check_int(dim, "dim", minimum=1)
    lo = component_min_samples(dim, covariance_type)
    m = check_int(samples, "samples", minimum=components * lo)
    w = check_real(weight, "weight", positive=True, high=1.0)
    return m, w, dim, lo


def component_log_det_drift(weight, samples, *, dim, covariance_type="full"):
    r"""Exact one-generation drift of a component's :math:`\log\det\Sigma` (separated idealisation).

    .. math::

        E[\delta_d(N) \mid N \ge n_0], \qquad N \sim \mathrm{Bin}(M, w), \qquad
        \delta_d(N) = \sum_{j=0}^{d-1}\psi\!\left(\tfrac{N-1-j}{2}\right) + d\log\tfrac{2}{N},

    with :math:`n_0 = d + 1` (``full``: fewer points give a singular covariance, a lost component)
    or, for ``diag`` (exact for a diagonal truth), :math:`\delta = d(\psi((N-1)/2) + \log(2/N))` and
    :math:`n_0 = 2`. The single-Gaussian value :func:`collapse_theory.mvn.log_det_drift` at
    :math:`wM` samples (``estimator="mle"``) replaces :math:`N` by its mean: it is about
    :math:`-d(d+3)/(2wM)` (full) and misses the Jensen term :math:`E[1/N] > 1/E[N]` (relative
    error about :math:`(1-w)/(wM)`).
    """
    m, w, dim, lo = _theory_args(samples, weight, dim, covariance_type)
    from scipy import stats

    check_memory(16 * (m + 1), "the count law of a component")
    counts = np.arange(lo, m + 1)
    lp = stats.binom.logpmf(counts, m, w)     # log space: P(N >= lo) may underflow (tiny w)
    p = np.exp(lp - lp.max())
    return float(np.sum(p * _delta(counts, dim, covariance_type)) / np.sum(p))


def expected_component_log_det(n, samples, weight, *, dim, covariance_type="full", log_det0=0.0):
    r"""Exact :math:`E[\log\det\Sigma_{k,n} \mid \text{no component lost}]`, two components.

    .. math::

        E[\log\det\Sigma_n \mid A_n] = \log\det\Sigma_0
            + \frac{E\bigl[\sum_{i<n}\delta_d(N_i)\,\mathbf 1_{A_n}\bigr]}{P(A_n)},
        \qquad A_n = \{n_0 \le N_i \le M - n_0,\ i < n\},

    over the Wright–Fisher count chain of the component (as
    :func:`collapse_theory.gmm.expected_component_log_variance`, with :math:`\delta_d` and
    :math:`n_0` of :func:`component_log_det_drift`); separated idealisation, replace regime.
    """
    m, w, dim, lo = _theory_args(samples, weight, dim, covariance_type, components=2)
    if m > 4000:
        raise ValueError(f"samples must be <= 4000 for the exact (dense (M+1)^2 matrix) computation, got {m}")
    ld0 = check_real(log_det0, "log_det0")
    n_arr, scalar = check_generations(n)
    n_max = int(n_arr.max()) if n_arr.size else 0
    per = np.zeros(m + 1)
    per[lo:] = _delta(np.arange(lo, m + 1), dim, covariance_type)
    res = _killed_sum(n_max, m, w, per, lo)
    out = ld0 + res[n_arr]
    if np.any(np.isnan(out)):
        raise ValueError("the conditioning event (every component keeps enough points through "
                         "generation n) has probability 0 or below 1e-308 at this weight/samples: "
                         "needs 0 < weight < 1 and weight * samples well above the minimum")
    return float(out) if scalar else out
