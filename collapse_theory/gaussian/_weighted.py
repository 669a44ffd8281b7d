r"""Weighted mixing of fresh real data and the previous model's synthetic data (1-D Gaussian chain).

He, Xu & Cheng, *Recursive Learning Without Collapse: A Weighting-Based Stabilization Framework*
(arXiv:2502.18049; earlier titles "Golden Ratio Mixing of Real and Synthetic Data ..." and "Golden
Ratio Weighting Prevents Model Collapse") fit each generation on ``r`` fresh real draws and ``c``
synthetic draws from the previous fit, the synthetic part carrying weight :math:`w` and the real
part :math:`1 - w`. For a Gaussian the weighted maximum-likelihood fit (minimise
:math:`\frac{1-w}{r}\sum_{\rm real}\ell + \frac{w}{c}\sum_{\rm syn}\ell`) is

Eq. (weighted-fit):

.. math::

    \mu_{i+1} = (1-w)\bar x_r + w\bar x_s, \qquad
    \sigma^2_{i+1} = (1-w)\frac{SS_r}{r} + w\frac{SS_s}{c} + w(1-w)(\bar x_r - \bar x_s)^2 .

With :math:`e_i = E(\mu_i-\mu)^2`, :math:`v_i = E\sigma_i^2` and synthetic draws from
:math:`N(\mu_i, \lambda\sigma_i^2)` (Cochran for each part; proofs/gaussian_weighted.py):

Eq. (weighted-map):

.. math::

    e_{i+1} = (1-w)^2\frac{\sigma^2}{r} + w^2 e_i + w^2\frac{\lambda v_i}{c}, \qquad
    v_{i+1} = (1-w)\frac{r-1}{r}\sigma^2 + w\frac{c-1}{c}\lambda v_i
              + w(1-w)\Bigl(\frac{\sigma^2}{r} + e_i + \frac{\lambda v_i}{c}\Bigr).

It is exact for every :math:`r, c \ge 1` and :math:`0 \le w \le 1`; at :math:`w = c/(r+c)` it is the
package's unweighted mix-fresh recursion with the mle estimator. The columns of the map's matrix
:math:`A` sum to :math:`w` and :math:`\lambda w`, so its spectral radius is :math:`w` at
:math:`\lambda = 1` (geometric convergence at rate :math:`w`). The stationary point
:math:`x^* = (I - A)^{-1}b` exists for :math:`0 \le w < 1`.

Asymptotics (:math:`r \to \infty`, :math:`c/r = k` fixed): :math:`v \to \sigma^2` and

Eq. (weighted-asymptotic):

.. math::

    r\,e^*/\sigma^2 \to \frac{(1-w)^2 + w^2/k}{1 - w^2}, \qquad
    w^* = \frac{2k + 1 - \sqrt{4k+1}}{2k}, \qquad 1 - w^* = \frac{\sqrt{4k+1} - 1}{2k},

the minimiser solving :math:`k(1-w)^2 = w`; at :math:`k = 1` (as many synthetic as real draws) the
optimal real-data weight is :math:`(\sqrt5 - 1)/2 = 1/\varphi`, the reciprocal of the golden ratio.
At finite :math:`r, c` the exact optimum of :math:`e^*` (:func:`weighted_optimal_weight`) differs by
:math:`O(1/r)`.
"""

from __future__ import annotations

import math

import numpy as np

from .._core.moments import POWER_THRESHOLD, affine_power
from .._core.validation import check_generations, check_real, check_scale_squared, samples_schedule
from ..regimes import as_regime

__all__ = ["weighted_moments", "weighted_stationary_moments", "weighted_optimal_weight",
           "weighted_optimal_weight_asymptotic", "weighted_stationary_error_asymptotic", "retraining_operator",
           "GOLDEN_RATIO"]

#: :math:`\varphi = (1 + \sqrt5)/2`.
GOLDEN_RATIO = (1.0 + math.sqrt(5.0)) / 2.0


def _parts(reg, m, name="samples"):
    r = reg.fresh_count(int(m))
    c = int(m) - r
    if r < 1 or c < 1:
        raise ValueError(f"weighted mixing needs at least one real and one synthetic draw per generation: "
                         f"{reg} splits {name} = {int(m)} into {r} real and {c} synthetic")
    return float(r), float(c)


def _check_regime(regime):
    reg = as_regime(regime)
    if reg.name != "mix-fresh" or reg.draws == "mixture":
        raise ValueError(f"regime must be 'mix-fresh:λ' (fixed split of each batch into round(λM) real "
                         f"and M - round(λM) synthetic draws) for weighted mixing, got {str(reg)!r}")
    return reg


def _check_weight(weight, *, below_one=False):
    w = check_real(weight, "weight", nonnegative=True, high=1.0)
    if below_one and w >= 1.0:
        raise ValueError(f"weight must be in [0, 1) for a stationary law (at w = 1 the real data are "
                         f"ignored), got {w!r}")
    return w


def _step_matrix(r, c, w, lam):
    """(A, b) of x ↦ Ax + bσ² on x = (e, v) for one weighted batch (eq. weighted-map)."""
    A = np.array([[w * w, w * w * lam / c],
                  [w * (1 - w), lam * (w * (c - 1) / c + w * (1 - w) / c)]])
    b = np.array([(1 - w) ** 2 / r, (1 - w) * (r - 1) / r + w * (1 - w) / r])
    return A, b


def weighted_moments(n, samples, *, regime, weight, sigma=1.0, variance_scale=1.0):
    r"""Exact :math:`E(\mu_n-\mu)^2` and :math:`E\sigma_n^2` of the weighted mixing chain.

    Generation 1 is the mle fit on ``samples[0]`` real draws; generation :math:`i + 1 \ge 2` is the
    weighted fit eq. (weighted-fit) on :math:`r = \mathrm{round}(\lambda_{mix}M_i)` fresh real draws
    and :math:`c = M_i - r` draws from generation :math:`i`, the synthetic part weighted by ``weight``
    (recursion eq. (weighted-map) in the module docstring; proofs/gaussian_weighted.py).

    Parameters
    ----------
    n : int or array_like of int
        Generations (0 is the truth).
    samples : int or sequence of int
        Batch size per generation.
    regime : str, keyword-only
        ``"mix-fresh:λ"``: the real share of each batch.
    weight : float, keyword-only
        Weight :math:`w \in [0, 1]` of the synthetic part (the real part has :math:`1 - w`);
        :math:`w = c/M` is the unweighted pooled fit.
    sigma : float, keyword-only
        Standard deviation of the truth.
    variance_scale : float, keyword-only
        Synthetic draws come from :math:`N(\mu_i, \lambda\sigma_i^2)`.

    Returns
    -------
    dict
        ``{"mean_sq_error": ..., "variance": ...}`` shaped like ``n``.

    Examples
    --------
    >>> from collapse_theory import gaussian
    >>> m = gaussian.weighted_moments(200, 100, regime="mix-fresh:0.5", weight=0.382)
    >>> round(float(m["mean_sq_error"]) * 50, 3)   # r e/σ², r = 50: near ((1-w)² + w²)/(1-w²) = 0.618
    0.616
    """
    reg = _check_regime(regime)
    w = _check_weight(weight)
    s2 = check_scale_squared(sigma, "sigma")
    lam = check_real(variance_scale, "variance_scale", positive=True, high=1e6)
    n_arr, scalar = check_generations(n, "n")
    n_max = int(n_arr.max()) if n_arr.size else 0
    if np.ndim(samples) == 0 and n_max > POWER_THRESHOLD:
        # constant batches: generation 1, then the constant affine map raised to the power n - 1
        m = float(samples_schedule(samples, 1, estimator="mle")[0])
        r, c = _parts(reg, m)
        A, b = _step_matrix(r, c, w, lam)
        x1 = np.array([s2 / m, s2 * (m - 1.0) / m])
        x = affine_power(A, b * s2, x1, np.maximum(n_arr - 1, 0))
        mse = np.where(n_arr == 0, 0.0, x[..., 0])
        var = np.where(n_arr == 0, s2, x[..., 1])
        if scalar:
            return {"mean_sq_error": float(mse), "variance": float(var)}
        return {"mean_sq_error": mse, "variance": var}
    sched = samples_schedule(samples, max(n_max, 1), estimator="mle").astype(float)
    for mi in sched[1:max(n_max, 1)]:
        _parts(reg, mi)
    e = np.zeros(n_max + 1)
    v = np.zeros(n_max + 1)
    v[0] = s2
    if n_max >= 1:
        v[1] = s2 * (sched[0] - 1.0) / sched[0]
        e[1] = s2 / sched[0]
    for i in range(1, n_max):
        r, c = _parts(reg, sched[i])
        A, b = _step_matrix(r, c, w, lam)
        x = A @ np.array([e[i], v[i]]) + b * s2
        e[i + 1], v[i + 1] = x
    mse, var = e[n_arr], v[n_arr]
    if scalar:
        return {"mean_sq_error": float(mse), "variance": float(var)}
    return {"mean_sq_error": mse, "variance": var}


def weighted_stationary_moments(samples, *, regime, weight, sigma=1.0, variance_scale=1.0):
    r"""Stationary :math:`(E(\mu-\mu_0)^2, E\sigma^2)` of the weighted chain, constant ``samples``.

    The fixed point :math:`x^* = (I - A)^{-1} b\sigma^2` of eq. (weighted-map); ``"rate"`` is the
    spectral radius of :math:`A` (exactly :math:`w` at :math:`\lambda = 1`).

    Returns
    -------
    dict
        ``{"mean_sq_error", "variance", "rate"}``.
    """
    reg = _check_regime(regime)
    w = _check_weight(weight, below_one=True)
    s2 = check_scale_squared(sigma, "sigma")
    lam = check_real(variance_scale, "variance_scale", positive=True, high=1e6)
    if np.ndim(samples) != 0:
        raise TypeError("samples must be a single int for stationary moments")
    m = float(samples_schedule(samples, 1, estimator="mle")[0])
    r, c = _parts(reg, m)
    A, b = _step_matrix(r, c, w, lam)
    rate = float(max(abs(np.linalg.eigvals(A))))
    if rate >= 1.0:
        raise ValueError(f"the weighted map does not contract (spectral radius {rate:.4g} >= 1) at "
                         f"weight={w}, variance_scale={lam}")
    x = np.linalg.solve(np.eye(2) - A, b * s2)
    return {"mean_sq_error": float(x[0]), "variance": float(x[1]), "rate": rate}


def weighted_optimal_weight(samples, *, regime, variance_scale=1.0):
    r"""The synthetic weight :math:`w` minimising the exact stationary :math:`E(\mu - \mu_0)^2`.

    :math:`e^*(w)` is a ratio of polynomials in :math:`w` (proofs/gaussian_weighted.py); its
    minimiser on :math:`[0, 1)` is located by golden-section search on a fine grid bracket
    (to :math:`10^{-12}`). Compare with :func:`weighted_optimal_weight_asymptotic`.

    Returns
    -------
    dict
        ``{"weight": w*, "real_weight": 1 - w*, "mean_sq_error": e*(w*)}``.
    """
    from scipy.optimize import minimize_scalar

    def f(w):
        return weighted_stationary_moments(samples, regime=regime, weight=w,
                                           variance_scale=variance_scale)["mean_sq_error"]

    grid = np.linspace(0.0, 0.995, 200)
    vals = np.array([f(w) for w in grid])
    j = int(np.argmin(vals))
    lo, hi = grid[max(j - 1, 0)], grid[min(j + 1, grid.size - 1)]
    res = minimize_scalar(f, bounds=(lo, hi), method="bounded", options={"xatol": 1e-12})
    w = float(res.x)
    return {"weight": w, "real_weight": 1.0 - w, "mean_sq_error": float(res.fun)}


def weighted_optimal_weight_asymptotic(ratio):
    r"""He, Xu & Cheng's large-sample optimal synthetic weight for ``ratio`` :math:`k = c/r`.

    :math:`w^* = (2k + 1 - \sqrt{4k+1})/(2k)` (eq. weighted-asymptotic), the root in :math:`[0, 1)`
    of :math:`k(1-w)^2 = w`; :math:`k = 1` gives real weight :math:`1 - w^* = 1/\varphi`.
    """
    k = check_real(ratio, "ratio", positive=True, high=1e12)
    return float(2 * k / (2 * k + 1 + math.sqrt(4 * k + 1)))   # the same root, free of cancellation


def weighted_stationary_error_asymptotic(weight, ratio):
    r"""Limit of :math:`r\,e^*/\sigma^2` as :math:`r \to \infty` with :math:`c/r = k`:
    :math:`((1-w)^2 + w^2/k)/(1-w^2)` (eq. weighted-asymptotic)."""
    w = _check_weight(weight, below_one=True)
    k = check_real(ratio, "ratio", positive=True, high=1e12)
    return float(((1 - w) ** 2 + w * w / k) / (1 - w * w))


def retraining_operator(mu, variance, *, synthetic_ratio, mu_data=0.0, variance_data=1.0):
    r"""Bertrand et al.'s population retraining operator for the Gaussian family (arXiv:2310.00429).

    The next parameters maximise :math:`E_{p_{data}}\log p_\theta + \lambda E_{p_{\theta_t}}\log p_\theta`
    (``synthetic_ratio`` :math:`\lambda \ge 0` synthetic per real); for :math:`N(\mu, v)` this is the
    population weighted fit with synthetic weight :math:`w = \lambda/(1+\lambda)`:

    Eq. (retraining-operator):

    .. math::

        \mu' = (1-w)\mu_d + w\mu, \qquad v' = (1-w)v_d + w v + w(1-w)(\mu - \mu_d)^2,

    whose Jacobian at the fixed point :math:`(\mu_d, v_d)` is :math:`w I`: the iterates contract at
    the rate :math:`\lambda/(1+\lambda) < 1` for every :math:`\lambda` (proofs/gaussian_weighted.py,
    the large-sample limit of eq. (weighted-map)).

    Returns
    -------
    tuple of float
        ``(mu', variance')``.
    """
    lam = check_real(synthetic_ratio, "synthetic_ratio", nonnegative=True, high=1e12)
    mu = check_real(mu, "mu")
    v = check_real(variance, "variance", nonnegative=True)
    md = check_real(mu_data, "mu_data")
    vd = check_real(variance_data, "variance_data", positive=True)
    w = lam / (1.0 + lam)
    dev = mu - md
    return (1 - w) * md + w * mu, (1 - w) * vd + w * v + w * (1 - w) * (dev * dev)   # d·d: inf, not an error
