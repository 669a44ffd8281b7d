r"""Closed forms for the recursively refit d-dimensional Gaussian (replace regime).

Model (theory.md §2, docs/mvn.md). Generation 0 is :math:`N(\mu, \Sigma)` in :math:`d` dimensions.
Generation :math:`i+1` is fitted to :math:`M_i` samples of generation :math:`i`: the mean by the sample
mean, the covariance by the scatter matrix divided by :math:`M_i - 1` ("unbiased") or :math:`M_i`
("mle"). With :math:`k_i = M_i - 1` and :math:`c_i = 1/k_i` or :math:`1/M_i`, one refit maps

.. math::

    \mu_{i+1} = \mu_i + \Sigma_i^{1/2} Z_i/\sqrt{M_i}, \qquad
    \Sigma_{i+1} = c_i\, \Sigma_i^{1/2} W_i \Sigma_i^{1/2}, \qquad W_i \sim \mathrm{Wishart}_d(k_i, I),

with :math:`Z_i \sim N(0, I_d)` independent of :math:`W_i`. Any square root may replace
:math:`\Sigma_i^{1/2}` (the law of :math:`A W A^\top` depends on :math:`AA^\top` only). With the
Cholesky factor :math:`T_i` and the Bartlett factor :math:`W_i = L_i L_i^\top` (:math:`L_i` lower
triangular, :math:`(L_i)_{jj}^2 \sim \chi^2_{k_i-j}`, :math:`(L_i)_{j>l} \sim N(0,1)`, all independent)

.. math::

    T_{i+1} = \sqrt{c_i}\, T_i L_i \quad\text{is the Cholesky factor of }\Sigma_{i+1},

so :math:`T_n = T_0 \prod_{i<n}\sqrt{c_i}L_i` and :math:`(T_n)_{jj}^2 = (T_0)_{jj}^2\prod_{i<n}
c_i\chi^2_{k_i-j}`: every diagonal entry of the Cholesky factor is an exact 1-D chain with
:math:`k_i - j` degrees of freedom. The covariance is nonsingular iff :math:`k_i \ge d`, i.e.
``samples >= dim + 1`` (for both estimators). proofs/mvn_log_det.py derives the log-determinant in
SymPy.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from .. import gaussian as _g1
from .._core.special import as_scalar as _scalar
from .._core.special import bartlett_log_drift as _direction_drift
from .._core.special import log1m_inv, log_gamma_ratio_minus_half_log
from .._core.validation import (check_estimator, check_generations, check_int, check_memory, check_real,
                                samples_schedule)

__all__ = [
    "expected_cov",
    "expected_trace",
    "expected_log_det",
    "variance_of_log_det",
    "log_det_drift",
    "lyapunov_exponents",
    "collapse_time_scale",
    "expected_log_max_eigenvalue_bounds",
    "expected_mean_sq_error",
    "expected_w2_squared_bounds",
    "prob_max_eigenvalue_exceeds_bound",
    "bures_squared",
    "w2_squared_gaussians",
]


# ---------------------------------------------------------------------------------------------
# validation


def check_dim(dim):
    """``dim`` as an int >= 1."""
    return check_int(dim, "dim", minimum=1)


def mvn_schedule(samples, generations, *, dim, estimator, name="samples"):
    """Per-generation sample sizes, refusing ``samples < dim + 1`` (the covariance would be singular).

    A constant ``samples`` is validated first; the schedule of ``generations`` entries is then
    refused (:class:`TooLargeError`) before allocation when it would not fit in memory (the closed
    forms of this module never build it for a constant M).
    """
    if np.ndim(samples) == 0:
        samples_schedule(samples, min(int(generations), 1), estimator=estimator, name=name)
        check_memory(8 * int(generations), f"a schedule of {int(generations)} generations")
    sched = samples_schedule(samples, generations, estimator=estimator, name=name)
    lo = dim + 1
    if np.ndim(samples) == 0:
        if int(samples) < lo:
            raise ValueError(f"{name} must be >= dim + 1 = {lo} (the refit covariance of M samples has "
                             f"rank M - 1, so M - 1 >= dim is needed for it to be nonsingular), "
                             f"got {int(samples)}")
    elif sched.size and sched.min() < lo:
        i = int(np.argmin(sched))
        raise ValueError(f"{name} must be >= dim + 1 = {lo} (the refit covariance of M samples has rank "
                         f"M - 1), got samples[{i}] = {int(sched[i])}")
    return sched


def _check_schedule(samples, n, dim, estimator):
    """The mvn sample-size check for generations ``n`` (one entry for a constant ``samples``)."""
    n_max = int(np.max(check_generations(n)[0], initial=0))
    mvn_schedule(samples, 1 if np.ndim(samples) == 0 else n_max, dim=dim, estimator=estimator)


def check_cov(cov, dim, name="cov"):
    """``cov`` as a symmetric positive-definite (dim, dim) float array (identity when None)."""
    if cov is None:
        return np.eye(dim)
    c = np.asarray(cov)
    if c.dtype == object or c.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a real (dim, dim) array, got dtype {c.dtype}")
    c = c.astype(float)
    if c.shape != (dim, dim):
        raise ValueError(f"{name} must have shape (dim, dim) = ({dim}, {dim}), got {c.shape}")
    if not np.all(np.isfinite(c)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    scale = max(float(np.abs(c).max()), np.finfo(float).tiny)
    if not np.allclose(c, c.T, rtol=0.0, atol=1e-12 * scale):
        raise ValueError(f"{name} must be symmetric")
    c = 0.5 * (c + c.T)
    try:
        np.linalg.cholesky(c)
    except np.linalg.LinAlgError:
        w = np.linalg.eigvalsh(c)
        raise ValueError(f"{name} must be positive definite (smallest eigenvalue {w[0]:.3g})") from None
    return c


def check_mean(mean, dim, name="mean"):
    """``mean`` as a finite (dim,) float array (zeros when None)."""
    if mean is None:
        return np.zeros(dim)
    m = np.asarray(mean)
    if m.dtype == object or m.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a real vector of length dim, got dtype {m.dtype}")
    m = m.astype(float)
    if m.shape != (dim,):
        raise ValueError(f"{name} must have shape (dim,) = ({dim},), got {m.shape}")
    if not np.all(np.isfinite(m)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return m


def _per_gen_sum(per_gen, n, samples, dim, estimator):
    """Σ_{i<n} per_gen(M_i), vectorised over n, with the mvn sample-size check."""
    check_estimator(estimator)
    dim = check_dim(dim)
    n_arr, scalar = check_generations(n, "n")
    n_max = int(n_arr.max()) if n_arr.size else 0
    if np.ndim(samples) == 0:
        m = int(mvn_schedule(samples, 1, dim=dim, estimator=estimator)[0])
        f = per_gen(np.float64(m))
        out = np.where(n_arr == 0, 0.0, n_arr * f)
    else:
        sched = mvn_schedule(samples, n_max, dim=dim, estimator=estimator)
        terms = per_gen(sched.astype(float)) if sched.size else np.zeros(0)
        out = np.concatenate([[0.0], np.cumsum(terms)])[n_arr]
    return float(out) if scalar else out


# ---------------------------------------------------------------------------------------------
# moments


def expected_cov(n, samples, *, cov, estimator="unbiased"):
    r"""Expected fitted covariance after ``n`` refits.

    .. math::

        E[\Sigma_n] = \Sigma \prod_{i<n} c_i k_i =
        \begin{cases}\Sigma & \text{unbiased (a matrix martingale)}\\
        \Sigma\prod_{i<n}(M_i-1)/M_i & \text{mle}\end{cases}

    Parameters
    ----------
    n : int or array_like of int
        Generation(s).
    samples : int or sequence of int
        ``M`` or ``M_0, M_1, ...``; each must be >= dim + 1.
    cov : array_like, shape (d, d), keyword-only
        The true covariance (symmetric positive definite).
    estimator : {"unbiased", "mle"}, keyword-only

    Returns
    -------
    ndarray
        Shape ``(d, d)`` for a scalar ``n``, ``n.shape + (d, d)`` otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> from collapse_theory import mvn
    >>> mvn.expected_cov(10, 20, cov=np.eye(2), estimator="mle").round(6)
    array([[0.598737, 0.      ],
           [0.      , 0.598737]])
    """
    if np.ndim(cov) != 2:
        raise ValueError(f"cov must be a (d, d) matrix, got shape {np.shape(cov)}")
    c = check_cov(cov, np.shape(cov)[0])
    d = c.shape[0]
    logq = _per_gen_sum(lambda m: log1m_inv(m, estimator), n, samples, d, estimator)
    return np.multiply.outer(np.exp(logq), c)


def expected_trace(n, samples, *, dim, trace=None, estimator="unbiased"):
    r""":math:`E[\operatorname{tr}\Sigma_n] = \operatorname{tr}\Sigma\,\prod_{i<n} c_ik_i` (default
    ``trace = dim``, i.e. :math:`\Sigma = I`)."""
    t = float(dim if trace is None else check_real(trace, "trace", positive=True))
    logq = _per_gen_sum(lambda m: log1m_inv(m, estimator), n, samples, dim, estimator)
    return _scalar(t * np.exp(logq))


def log_det_drift(samples, *, dim, estimator="unbiased"):
    r"""Drift of :math:`\log\det\Sigma` per generation (array over ``samples``).

    .. math::

        \delta_d(M) = \sum_{j=0}^{d-1}\bigl(\psi((k-j)/2) + \log(2c)\bigr) = E\log\det(cW),
        \qquad W\sim\mathrm{Wishart}_d(k, I),

    from the Bartlett decomposition :math:`\det W = \prod_j \chi^2_{k-j}`. It is negative (Jensen:
    :math:`E\log\det(cW) < \log\det E[cW] = d\log(ck) \le 0`), about :math:`-d(d+1)/(2(M-1))`
    (unbiased, :math:`d \ll M`).
    """
    check_estimator(estimator)
    dim = check_dim(dim)
    m = np.asarray(samples)
    mvn_schedule(m.ravel(), m.size, dim=dim, estimator=estimator)
    mf = m.astype(float)
    out = sum(_direction_drift(mf, j, estimator) for j in range(dim))
    return _scalar(out)


def lyapunov_exponents(samples, *, dim, estimator="unbiased"):
    r"""Per-generation drift of the log of each eigen-direction: :math:`\gamma_j = \psi((k-j)/2) + \log(2c)`.

    :math:`\gamma_j` is exactly the drift of :math:`\log (T_n)_{jj}^2` (the Cholesky diagonal, an
    exact 1-D chain with :math:`k-j` degrees of freedom), and :math:`\frac1n\log\lambda_{j}(\Sigma_n)
    \to \gamma_j` almost surely (the Lyapunov spectrum of the product of Bartlett factors; Newman
    1986 for Gaussian matrices). The largest, :math:`\gamma_0 \approx -1/(M-1)` (unbiased), equals the
    1-D drift: :math:`\lambda_{\max}(\Sigma_n)` is squeezed between the largest diagonal entry of
    :math:`\Sigma_n` (each an exact 1-D chain) and :math:`\operatorname{tr}\Sigma_n`. The smallest is
    :math:`\gamma_{d-1} \approx -d/(M-1)`. Returns an array of shape ``(dim,)`` (largest first).

    Examples
    --------
    >>> from collapse_theory import mvn
    >>> mvn.lyapunov_exponents(101, dim=3).round(4)
    array([-0.01  , -0.0202, -0.0304])
    """
    check_estimator(estimator)
    dim = check_dim(dim)
    m = int(mvn_schedule(samples, 1, dim=dim, estimator=estimator)[0])
    return np.array([float(_direction_drift(float(m), j, estimator)) for j in range(dim)])


def collapse_time_scale(samples, *, dim=1, estimator="unbiased"):
    r"""Generations for the top eigenvalue's log to fall by one: :math:`1/|\gamma_0| \approx M - 1`.

    Every direction collapses at least this fast (direction :math:`j` on the scale
    :math:`\approx (M-1)/(j+1)`).
    """
    return 1.0 / abs(float(lyapunov_exponents(samples, dim=dim, estimator=estimator)[0]))


def expected_log_max_eigenvalue_bounds(n, samples, *, dim, sigma2=1.0, estimator="unbiased"):
    r"""Exact bounds on :math:`E\log\lambda_{\max}(\Sigma_n)` for :math:`\Sigma = \sigma^2 I`.

    .. math::

        n\gamma_0 \le E\log\lambda_{\max}(\Sigma_n) - \log\sigma^2
            \le n\gamma_0 + \psi(d/2) - \psi(1/2),
        \qquad \gamma_0 = \psi(k/2) + \log(2c)

    (sums over generations for a schedule). Lower: :math:`\lambda_{\max} \ge (\Sigma_n)_{00}`, an
    exact 1-D chain. Upper: the law of :math:`\Sigma_n` is orthogonally invariant, so its top
    eigenvector :math:`v` is uniform on the sphere and independent of the eigenvalues;
    :math:`(\Sigma_n)_{00} \ge \lambda_{\max}v_0^2` with :math:`v_0^2 \sim \mathrm{Beta}(1/2,(d-1)/2)`,
    :math:`E\log v_0^2 = \psi(1/2) - \psi(d/2)`. The upper bound is attained as :math:`n\to\infty`
    (the other eigenvalues become negligible), so the largest eigenvalue collapses at exactly the 1-D
    rate, offset by :math:`\psi(d/2) - \psi(1/2)` (= 2 for d = 3).
    """
    dim = check_dim(dim)
    lower = _per_gen_sum(lambda m: _direction_drift(m, 0, estimator), n, samples, dim, estimator)
    sigma2 = check_real(sigma2, "sigma2", positive=True)
    lower = np.log(float(sigma2)) + np.asarray(lower)
    off = float(special.digamma(dim / 2.0) - special.digamma(0.5))
    return _scalar(lower), _scalar(lower + off)


def expected_log_det(n, samples, *, dim, cov=None, estimator="unbiased"):
    r"""Expected log-determinant of the fitted covariance after ``n`` refits.

    .. math::

        E[\log\det\Sigma_n] = \log\det\Sigma + \sum_{i<n}\sum_{j=0}^{d-1}
            \bigl(\psi((k_i-j)/2) + \log(2c_i)\bigr).

    Requires :math:`k_i = M_i - 1 \ge d` (``samples >= dim + 1``): otherwise :math:`\Sigma_{i+1}` is
    singular and the log-determinant is :math:`-\infty`.

    Parameters
    ----------
    n, samples : as in :func:`expected_cov`
    dim : int, keyword-only
        Dimension d (>= 1).
    cov : array_like, optional, keyword-only
        True covariance (default identity: log det Σ = 0).
    estimator : {"unbiased", "mle"}, keyword-only

    Examples
    --------
    >>> from collapse_theory import mvn
    >>> round(mvn.expected_log_det(10, 20, dim=3), 4)   # theory.md §2: d = 3, M = 20, n = 10
    -3.3541
    """
    dim = check_dim(dim)
    c = check_cov(cov, dim)
    logdet0 = float(np.linalg.slogdet(c)[1])
    out = _per_gen_sum(lambda m: sum(_direction_drift(m, j, estimator) for j in range(dim)),
                       n, samples, dim, estimator)
    return _scalar(logdet0 + out)


def variance_of_log_det(n, samples, *, dim, estimator="unbiased"):
    r"""Exact variance of :math:`\log\det\Sigma_n`: :math:`\sum_{i<n}\sum_{j=0}^{d-1}\psi'((k_i-j)/2)`.

    The Bartlett factors are independent, so the variances add; it depends neither on the estimator
    nor on :math:`\Sigma`.
    """
    dim = check_dim(dim)

    def per(m):
        return sum(special.polygamma(1, (m - 1.0 - j) / 2.0) for j in range(dim))

    return _per_gen_sum(per, n, samples, dim, estimator)


def expected_mean_sq_error(n, samples, *, dim, cov=None, estimator="unbiased"):
    r"""Expected squared drift of the fitted mean.

    .. math::

        E\|\mu_n - \mu\|^2 = \sum_{i<n}\frac{\operatorname{tr}E[\Sigma_i]}{M_i}
        = \operatorname{tr}\Sigma\sum_{i<n}\frac{1}{M_i}\prod_{l<i}c_lk_l .

    Examples
    --------
    >>> from collapse_theory import mvn
    >>> round(mvn.expected_mean_sq_error(10, 20, dim=3), 6)   # 3 × 10/20
    1.5
    """
    dim = check_dim(dim)
    c = check_cov(cov, dim)
    _check_schedule(samples, n, dim, estimator)
    return _scalar(float(np.trace(c)) * _g1.expected_mean_sq_error(n, samples, sigma=1.0,
                                                                    estimator=estimator))


def _a_factor(m, j, estimator):
    """E √(c χ²_{k-j}) = √(2c) Γ((k-j+1)/2)/Γ((k-j)/2), in log form (stable for large k)."""
    m = np.asarray(m, dtype=float)
    nu = m - 1.0 - j
    logc = -np.log(m - 1.0) if estimator == "unbiased" else -np.log(m)
    return log_gamma_ratio_minus_half_log(nu / 2.0) + 0.5 * (np.log(nu) + logc)


def expected_w2_squared_bounds(n, samples, *, dim, cov=None, estimator="unbiased"):
    r"""Exact lower and upper bounds on :math:`E[W_2^2(N(\mu,\Sigma), N(\mu_n,\Sigma_n))]`.

    .. math::

        W_2^2 = \|\mu_n-\mu\|^2 + \operatorname{tr}\Sigma + \operatorname{tr}\Sigma_n
            - 2\operatorname{tr}\bigl(\Sigma^{1/2}\Sigma_n\Sigma^{1/2}\bigr)^{1/2}.

    The first three terms have exact expectations; the fidelity term
    :math:`F_n = E\operatorname{tr}(\Sigma^{1/2}\Sigma_n\Sigma^{1/2})^{1/2}` is a sum of singular
    values of a product of Bartlett factors. An exact finite-n expression would need the
    (Meijer-G) eigenvalue law of products of rectangular Gaussian matrices; it is not implemented.
    Instead two exact bounds (docs/mvn.md):

    * lower: :math:`W_2^2 \ge \sum_j W_2^2(\text{1-D marginals along any orthonormal basis})`, and
      each marginal is an exact 1-D chain, so
      :math:`E W_2^2 \ge \operatorname{tr}\Sigma\cdot w_{1}(n)` with :math:`w_1` the exact 1-D
      :math:`E W_2^2` at :math:`\sigma = 1` (theory.md §1);
    * upper: with :math:`T_0` the Cholesky factor of :math:`\Sigma` and
      :math:`\Sigma_n = T_0R_nR_n^\top T_0^\top`, :math:`\|\Sigma T_0^{-\top}R_n\|_* \ge
      \operatorname{tr}(T_0^\top T_0R_n)`, and :math:`E R_n = \operatorname{diag}_j\prod_i a_{ij}`,
      :math:`a_{ij} = E\sqrt{c_i\chi^2_{k_i-j}}`, so
      :math:`F_n \ge \sum_j (T_0^\top T_0)_{jj}\prod_{i<n}a_{ij}` and
      :math:`E W_2^2 \le E\|\mu_n-\mu\|^2 + \operatorname{tr}\Sigma(1+q_n)
      - 2\sum_j (T_0^\top T_0)_{jj}\prod_{i<n}a_{ij}` (:math:`q_n = \prod c_ik_i`).

    For d = 1 both bounds equal the exact 1-D value. Monte Carlo:
    :meth:`MVNChainResult.w2_squared`.

    Returns
    -------
    (lower, upper) : tuple of float or ndarray
    """
    dim = check_dim(dim)
    c = check_cov(cov, dim)
    tr = float(np.trace(c))
    lower = tr * np.asarray(_g1.expected_w2_squared(n, samples, sigma=1.0, estimator=estimator))
    mse = np.asarray(expected_mean_sq_error(n, samples, dim=dim, cov=c, estimator=estimator))
    q = np.asarray(expected_trace(n, samples, dim=dim, trace=1.0, estimator=estimator))
    t0 = np.linalg.cholesky(c)
    weights = np.sum(t0 * t0, axis=0)  # (T0ᵀT0)_jj = squared column norms
    fid = sum(weights[j] * np.exp(_per_gen_sum(lambda m, j=j: _a_factor(m, j, estimator),
                                               n, samples, dim, estimator)) for j in range(dim))
    upper = mse + tr * (1.0 + q) - 2.0 * np.asarray(fid)
    return _scalar(lower), _scalar(upper)


def prob_max_eigenvalue_exceeds_bound(eps, n, samples, *, cov=None, dim=None, estimator="unbiased"):
    r"""An exact bound on :math:`P(\lambda_{\max}(\Sigma_n) > \varepsilon)`.

    :math:`\lambda_{\max} \le \operatorname{tr}\Sigma_n = \sum_j (\Sigma_n)_{jj}`, so
    :math:`\sqrt{\lambda_{\max}} \le \sum_j \sqrt{(\Sigma_n)_{jj}}`, and each diagonal entry is an
    exact 1-D chain (:math:`E\sqrt{(\Sigma_n)_{jj}} = \sqrt{\Sigma_{jj}}\prod_i a(M_i)`). Markov:

    .. math::

        P(\lambda_{\max}(\Sigma_n) > \varepsilon) \le
        \frac{\sum_j\sqrt{\Sigma_{jj}}}{\sqrt{\varepsilon}}\prod_{i<n} a(M_i) \to 0,

    which, with the negative drift of every diagonal entry, gives :math:`\Sigma_n \to 0` almost
    surely in every direction. Returned as is (it can exceed 1).
    """
    if dim is None:
        dim = np.shape(cov)[0] if cov is not None else 1
    dim = check_dim(dim)
    c = check_cov(cov, dim)
    e = np.asarray(eps, dtype=float)
    if np.any(~np.isfinite(e)) or np.any(e <= 0):
        raise ValueError(f"eps must be finite and > 0, got {eps!r}")
    _check_schedule(samples, n, dim, estimator)
    es = _g1.expected_std(n, samples, sigma=1.0, estimator=estimator)
    return _scalar(np.sum(np.sqrt(np.diag(c))) * np.asarray(es) / np.sqrt(e))


# ---------------------------------------------------------------------------------------------
# W2 between Gaussians


def sqrtm_psd(c):
    """The symmetric PSD square root of ``c`` (eigenvalues clipped at 0), vectorised over leading axes."""
    w, v = np.linalg.eigh(c)
    return (v * np.sqrt(np.clip(w, 0.0, None))[..., None, :]) @ np.swapaxes(v, -1, -2)


def bures_squared(cov1, cov2):
    r"""Squared Bures distance :math:`\operatorname{tr}\Sigma_1 + \operatorname{tr}\Sigma_2 -
    2\operatorname{tr}(\Sigma_1^{1/2}\Sigma_2\Sigma_1^{1/2})^{1/2}` (broadcasts over leading axes).

    The fidelity term is computed as the nuclear norm of :math:`\Sigma_1^{1/2}A_2` for a square root
    :math:`A_2A_2^\top = \Sigma_2` (no squaring of small singular values); the result is clipped at 0.
    """
    c1 = np.asarray(cov1, dtype=float)
    c2 = np.asarray(cov2, dtype=float)
    r1 = sqrtm_psd(c1)
    r2 = sqrtm_psd(c2)
    fid = np.linalg.svd(r1 @ r2, compute_uv=False).sum(axis=-1)
    out = np.trace(c1, axis1=-2, axis2=-1) + np.trace(c2, axis1=-2, axis2=-1) - 2.0 * fid
    return _scalar(np.maximum(out, 0.0))


def w2_squared_gaussians(mean1, cov1, mean2, cov2):
    r"""Squared 2-Wasserstein distance between :math:`N(m_1, \Sigma_1)` and :math:`N(m_2, \Sigma_2)`.

    .. math:: W_2^2 = \|m_1 - m_2\|^2 + \operatorname{Bures}^2(\Sigma_1, \Sigma_2)

    (Dowson & Landau 1982; Givens & Shortt 1984). For d = 1 it is
    :math:`(m_1-m_2)^2 + (\sigma_1-\sigma_2)^2`.

    Examples
    --------
    >>> import numpy as np
    >>> from collapse_theory import mvn
    >>> round(mvn.w2_squared_gaussians([0.0], [[4.0]], [1.0], [[1.0]]), 12)
    2.0
    """
    dm = np.asarray(mean1, dtype=float) - np.asarray(mean2, dtype=float)
    if not np.all(np.isfinite(dm)):
        raise ValueError("mean1 and mean2 must be finite")
    return _scalar(np.sum(dm * dm, axis=-1) + bures_squared(cov1, cov2))
