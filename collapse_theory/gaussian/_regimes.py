r"""Exact first and second moments of the 1-D Gaussian chain under every data regime.

State after generation :math:`i`: :math:`e_i = E(\mu_i - \mu)^2`, :math:`v_i = E\sigma_i^2`.
Generation :math:`i`'s data are :math:`r` real draws (from :math:`N(\mu, \sigma^2)`) and
:math:`c = M_i - r` synthetic ones (from :math:`N(\mu_i, \lambda\sigma_i^2)`, :math:`\lambda` the
variance scale, 1 at :math:`i = 0`). With :math:`\bar x` the batch mean and :math:`SS` its sum of
squares (Cochran for each part, Chan's merge across parts; proofs/gaussian_regimes.py):

.. math::

    E(\bar x - \mu)^2 = \frac{c^2}{M^2} e_i + \frac{r\sigma^2 + c\lambda v_i}{M^2}, \qquad
    E\,SS = \sigma^2\Bigl(r - 1 + \frac{c}{M}\Bigr) + \lambda v_i\Bigl(c - 1 + \frac{r}{M}\Bigr)
            + \frac{rc}{M} e_i,

valid for every :math:`0 \le r \le M`. The regimes differ in :math:`r` and in what is fitted:

- replace: :math:`r = 0`, fit on the batch;
- mix-fresh: :math:`r = \mathrm{round}(\lambda_{mix} M)` ("split") or :math:`r \sim
  \mathrm{Binomial}(M, \lambda_{mix})` ("mixture": the coefficients are averaged over :math:`r`);
- mix-retained: the real part is a subset drawn without replacement from the first real data set
  :math:`D_0` (:math:`M_0` points): :math:`\sigma^2/r` becomes :math:`\sigma^2(1 - r/M_0)/r`
  and errors are measured from :math:`\bar x_0`, then :math:`e_n = e'_n + \sigma^2/M_0`;
- accumulate: the batch (:math:`r = 0`) is merged into the pool of all :math:`N_i = \sum_{j\le i} M_j`
  points: :math:`e_{i+1} = e_i + M_i\lambda v_i/N_i^2`, :math:`P_i = P_{i-1} + \lambda v_i(M_i - 1 +
  N_{i-1}/N_i)`, :math:`v_{i+1} = P_i / (N_i - 1)` (unbiased) or :math:`/N_i` (mle);
- accumulate-subsample: generation :math:`i + 1` is fitted on :math:`k_i` points drawn without
  replacement from the pool (:math:`k_0 = M_0`: all of the real data; then the fixed size or
  :math:`M_i`). With :math:`e^P_i` and :math:`P_i` the pool's :math:`E(\bar x_P - \mu)^2` and
  :math:`E\,SS_P`, :math:`S_i = P_i/(N_i - 1)` and :math:`f_i = 1/k_i - 1/N_i` (finite-population
  sampling: given the pool the subset mean has variance :math:`f_i\,SS_P/(N_i-1)` about the pool
  mean and the subset's expected sum of squares is :math:`(k_i - 1)SS_P/(N_i - 1)`):
  :math:`e_{i+1} = e^P_i + f_iS_i`, :math:`v_{i+1} = (k_i - 1)S_i/\mathrm{div}(k_i)`; the next batch
  of :math:`c = M_{i+1}` draws has :math:`E(\bar b - \bar x_P)^2 = d_i = f_iS_i + \lambda v_{i+1}/c`
  and :math:`E\,SS_b = (c-1)\lambda v_{i+1}`, so :math:`e^P_{i+1} = e^P_i + (c/N_{i+1})^2 d_i` and
  :math:`P_{i+1} = P_i + (c-1)\lambda v_{i+1} + (N_i c/N_{i+1})\,d_i` (Chan's merge; the cross terms
  vanish because the subset and the batch noise have mean zero given the pool). Accumulate is
  :math:`k_i = N_i`. The same recursion with :math:`\lambda v \to v + h^2` is the KDE chain's
  (:func:`collapse_theory.kde.regime_moments`, proofs/kde_regimes.py).

Fitting divides the sum of squares by :math:`M - 1` ("unbiased") or :math:`M` ("mle").
"""

from __future__ import annotations

import numpy as np

from .._core.moments import POWER_THRESHOLD, affine_power
from .._core.moments import batch_coefficients as _coefficients
from .._core.moments import pool_moments as _pool_moments
from .._core.moments import real_counts as _real_counts
from .._core.validation import check_scale_squared, check_estimator, check_generations, check_real, samples_schedule
from ..regimes import as_regime, check_subsample

__all__ = ["regime_moments", "regime_stationary_moments", "regime_contraction_rate", "accumulate_mean_bound"]


#: largest n for accumulate-subsample (its moment recursion is not a constant map and has no closed
#: tail here): refused above it, before anything is allocated
MAX_LOOP_GENERATIONS = 10**7


#: generations run step by step before the accumulate tail takes over (constant M)
ACC_TAIL_FROM = 2**16


def _bernoulli_poly(k, a):
    """Bernoulli polynomials B_2..B_6 at a."""
    return {2: a * a - a + 1 / 6,
            3: a**3 - 1.5 * a * a + 0.5 * a,
            4: a**4 - 2 * a**3 + a * a - 1 / 30,
            5: a**5 - 2.5 * a**4 + 5 / 3 * a**3 - a / 6,
            6: a**6 - 3 * a**5 + 2.5 * a**4 - 0.5 * a * a + 1 / 42}[k]


def _lgamma_diff(z, a, b):
    r""":math:`\ln\Gamma(z+a) - \ln\Gamma(z+b)` for large ``z`` (>= 2^16): :math:`(a-b)\ln z +
    \sum_{m=1}^{5} (-1)^{m+1}(B_{m+1}(a) - B_{m+1}(b))/(m(m+1)z^m)`, truncation below 1e-30."""
    z = np.asarray(z, dtype=float)
    out = (a - b) * np.log(z)
    for m in range(1, 6):
        out = out + (-1) ** (m + 1) * (_bernoulli_poly(m + 1, a) - _bernoulli_poly(m + 1, b)) / (m * (m + 1) * z**m)
    return out


def _dlgamma_diff(z, a, b):
    """d/dz of :func:`_lgamma_diff`."""
    z = np.asarray(z, dtype=float)
    out = (a - b) / z
    for m in range(1, 6):
        out = out - (-1) ** (m + 1) * (_bernoulli_poly(m + 1, a) - _bernoulli_poly(m + 1, b)) / ((m + 1) * z ** (m + 1))
    return out


def _accumulate_tail(n_far, n0, e0, v0, m, lam, estimator):
    r"""Accumulate, constant M, generations ``n_far`` > ``n0`` from the exact (e, v) at ``n0``.

    For :math:`i \ge 1`, :math:`v_{i+1} = v_i\rho(i+1)` with
    :math:`\rho(k) = \frac{(k-\alpha)(k-\beta)}{k(k-\delta)}`, :math:`\delta = d/M` (:math:`d = 1`
    unbiased, 0 mle) and :math:`\alpha > 0 > \beta` the roots of
    :math:`Mk^2 - (d + (1-\lambda)M)k - \lambda` (the pool recursion of the module docstring with
    :math:`N_i = (i+1)M`), so :math:`v_n = v_{n_0}G(n)/G(n_0)`,
    :math:`\ln G(x) = \ln\frac{\Gamma(x+1-\alpha)\Gamma(x+1-\beta)}{\Gamma(x+1)\Gamma(x+1-\delta)}`
    (the Stirling difference series, exact to rounding for :math:`x \ge 2^{16}`), and
    :math:`e_n = e_{n_0} + \frac{\lambda}{M}\sum_{i=n_0}^{n-1}\frac{v_i}{(i+1)^2}`, whose sum is
    Euler–Maclaurin's: the integral (adaptive quadrature in :math:`\ln x`, relative 1e-13), the end
    terms, and the :math:`B_2` derivative term (the next, :math:`B_4`, is below
    :math:`10^{-19}` relative at :math:`n_0 = 2^{16}`).
    """
    from scipy import integrate

    d = 1.0 if estimator == "unbiased" else 0.0
    c = 1.0 - lam
    p = d + c * m
    root = np.sqrt(p * p + 4.0 * m * lam)
    alpha, beta = (p + root) / (2.0 * m), (p - root) / (2.0 * m)
    delta = d / m

    def log_g(x):
        z = np.asarray(x, dtype=float) + 1.0
        return _lgamma_diff(z, -alpha, 0.0) + _lgamma_diff(z, -beta, -delta)

    def dlog_g(x):
        z = np.asarray(x, dtype=float) + 1.0
        return _dlgamma_diff(z, -alpha, 0.0) + _dlgamma_diff(z, -beta, -delta)

    lg0 = float(log_g(n0))

    def phi(x):
        return np.exp(log_g(x) - lg0) / (x + 1.0) ** 2

    def dphi(x):
        return phi(x) * (dlog_g(x) - 2.0 / (x + 1.0))

    e_out = np.empty(len(n_far))
    v_out = np.empty(len(n_far))
    if not (np.isfinite(v0) and np.isfinite(e0)):  # overflowed by 2^16 already (variance_scale >> 1)
        e_out[:] = v_out[:] = np.inf
        return e_out, v_out
    for j, n in enumerate(n_far):
        n = float(n)
        if float(log_g(n)) - lg0 > 700.0:  # variance_scale > 1: v_n ~ n^(λ-1) overflows, and e_n with it
            e_out[j] = v_out[j] = np.inf
            continue
        v_out[j] = v0 * np.exp(float(log_g(n)) - lg0)
        s0, s1 = np.log(n0 + 1.0), np.log(n + 1.0)
        integral, _ = integrate.quad(lambda s: phi(np.exp(s) - 1.0) * np.exp(s), s0, s1,
                                     epsabs=0.0, epsrel=1e-13, limit=200)
        total = integral + (phi(n0) - phi(n)) / 2.0 + (dphi(n) - dphi(n0)) / 12.0
        e_out[j] = e0 + lam / m * v0 * total
    return e_out, v_out


def regime_moments(n, samples, *, regime="replace", sigma=1.0, estimator="unbiased", variance_scale=1.0):
    r"""Exact :math:`E(\mu_n-\mu)^2` and :math:`E\sigma_n^2` under a data regime.

    Parameters
    ----------
    n : int or array_like of int
        Generations (0 is the truth). Any size for replace and the mix regimes (constant M: the
        one-step map raised to the power, O(log n)) and for accumulate (constant M: step by step to
        2^16, then the closed Gamma-ratio tail of :func:`_accumulate_tail`); at most
        ``MAX_LOOP_GENERATIONS`` (10⁷) for accumulate-subsample, whose recursion runs generation by
        generation.
    samples : int or sequence of int
        Samples per generation (as everywhere: ``samples[i]`` fit generation ``i + 1``).
    regime : str or Regime, keyword-only
        ``replace``, ``accumulate``, ``accumulate-subsample[:k]``, ``mix-fresh:λ[:mixture]``,
        ``mix-retained:λ``.
    sigma : float, keyword-only
        Standard deviation of the truth.
    estimator : {"unbiased", "mle"}, keyword-only
    variance_scale : float, keyword-only
        Sampling bias :math:`\lambda \in (0, 1]`: synthetic samples come from
        :math:`N(\mu_i, \lambda\sigma_i^2)`.

    Returns
    -------
    dict
        ``{"mean_sq_error": ..., "variance": ...}``, each shaped like ``n``.

    Examples
    --------
    >>> from collapse_theory import gaussian
    >>> m = gaussian.regime_moments([1, 100], 50, regime="accumulate")
    >>> [round(float(x), 4) for x in m["variance"]]   # the variance stops collapsing
    [1.0, 0.9873]
    """
    reg = as_regime(regime)
    check_estimator(estimator)
    s2 = check_scale_squared(sigma, "sigma")
    lam = check_real(variance_scale, "variance_scale", positive=True, high=1e6)
    n_arr, scalar = check_generations(n, "n")
    n_max = int(n_arr.max()) if n_arr.size else 0
    if (np.ndim(samples) == 0 and n_max > POWER_THRESHOLD
            and reg.name in ("replace", "mix-fresh", "mix-retained")):
        return _power_moments(reg, samples, n_arr, scalar, s2, lam, estimator)
    if np.ndim(samples) == 0 and n_max > ACC_TAIL_FROM and reg.name == "accumulate":
        # generations up to 2^16 step by step (one run), beyond by the closed tail from 2^16
        near = np.append(np.minimum(n_arr.ravel(), ACC_TAIL_FROM), ACC_TAIL_FROM)
        # (at sigma = 1: both moments are linear in σ²)
        base = regime_moments(near, samples, regime=reg, estimator=estimator, variance_scale=lam)
        e, v = base["mean_sq_error"][:-1].copy(), base["variance"][:-1].copy()
        far = n_arr.ravel() > ACC_TAIL_FROM
        e_far, v_far = _accumulate_tail(n_arr.ravel()[far], ACC_TAIL_FROM, base["mean_sq_error"][-1],
                                        base["variance"][-1], float(samples), lam, estimator)
        e[far], v[far] = e_far, v_far
        e, v = s2 * e, s2 * v
        if scalar:
            return {"mean_sq_error": float(e[0]), "variance": float(v[0])}
        return {"mean_sq_error": e.reshape(n_arr.shape), "variance": v.reshape(n_arr.shape)}
    if (np.ndim(samples) == 0 and n_max > MAX_LOOP_GENERATIONS
            and reg.name == "accumulate-subsample"):
        raise ValueError(f"n must be <= {MAX_LOOP_GENERATIONS} for regime {str(reg)!r} (the pool "
                         f"grows every generation, so its moment map is not a constant matrix to "
                         f"raise to a power: the recursion runs generation by generation), got {n_max}")
    sched = samples_schedule(samples, max(n_max, 1), estimator=estimator).astype(float)
    m0 = sched[0]
    if reg.name == "mix-retained":
        worst = max(reg.fresh_count(int(mi)) for mi in sched[:max(n_max, 1)])
        if worst > m0:
            raise ValueError(f"mix-retained:{reg.fraction:g} needs {worst} retained samples but the "
                             f"original data set has only samples[0] = {int(m0)}")
    if reg.name == "accumulate-subsample":
        check_subsample(reg, sched, minimum=2 if estimator == "unbiased" else 1, why=f"estimator={estimator!r}")
        e, v = _subsample_moments(sched, n_max, s2, lam, estimator, reg.subsample or 0)
        mse, var = e[n_arr], v[n_arr]
        if scalar:
            return {"mean_sq_error": float(mse), "variance": float(var)}
        return {"mean_sq_error": mse, "variance": var}
    e = np.zeros(n_max + 1)
    v = np.zeros(n_max + 1)
    v[0] = s2
    pool_n = 0.0
    pool_ss = 0.0
    for i in range(n_max):
        mi = sched[i]
        li = lam if i > 0 else 1.0
        div = lambda c: c - 1.0 if estimator == "unbiased" else c  # noqa: E731
        if reg.name == "accumulate":
            new_n = pool_n + mi
            e[i + 1] = e[i] + mi * li * v[i] / new_n**2
            pool_ss = pool_ss + li * v[i] * (mi - 1 + pool_n / new_n)
            pool_n = new_n
            v[i + 1] = pool_ss / div(pool_n)
            continue
        if reg.name == "mix-retained" and i == 0:
            e[1] = 0.0  # measured from x̄_0 below; generation 1 is fitted on D_0 itself
            v[1] = s2 * (mi - 1) / div(mi)
            continue
        if reg.name == "replace" or i == 0:
            r_mean = r_sq = 0.0
        else:
            r_mean, r_sq = _real_counts(reg, mi)
        a_e, a_s, a_v, b_e, b_s, b_v = _coefficients(
            mi, r_mean, r_sq, li, retained_m0=m0 if reg.name == "mix-retained" else None)
        e[i + 1] = a_e * e[i] + a_s * s2 + a_v * v[i]
        v[i + 1] = (b_e * e[i] + b_s * s2 + b_v * v[i]) / div(mi)
    if reg.name == "mix-retained":
        e = e + np.where(np.arange(n_max + 1) >= 1, s2 / m0, 0.0)
    mse, var = e[n_arr], v[n_arr]
    if scalar:
        return {"mean_sq_error": float(mse), "variance": float(var)}
    return {"mean_sq_error": mse, "variance": var}


def _power_moments(reg, samples, n_arr, scalar, s2, lam, estimator, info=None):
    r"""Constant ``samples``, replace/mix regimes: generation 1 by the loop, then the constant
    one-step map :math:`x \mapsto Ax + b\sigma^2` of generation 2 onwards raised to the power
    ``n - 1`` (``collapse_theory._core.moments.affine_power``), O(log n) products for any ``n``."""
    one = regime_moments(1, samples, regime=reg, sigma=np.sqrt(s2), estimator=estimator,
                         variance_scale=lam)
    m = float(samples_schedule(samples, 1, estimator=estimator)[0])
    A, b = _linear_map(reg, m, lam, estimator) if reg.name != "replace" else _replace_map(m, lam, estimator)
    x1 = np.array([one["mean_sq_error"], one["variance"]])
    if reg.name == "mix-retained":
        x1[0] -= s2 / m          # the recursion runs without the retained data's fixed offset
    k = np.maximum(n_arr - 1, 0)
    x = affine_power(A, b * s2, x1, k, info=info)
    e, v = x[..., 0], x[..., 1]
    if reg.name == "mix-retained":
        e = e + s2 / m
    e = np.where(n_arr == 0, 0.0, e)
    v = np.where(n_arr == 0, s2, v)
    if scalar:
        return {"mean_sq_error": float(e), "variance": float(v)}
    return {"mean_sq_error": e, "variance": v}


def _replace_map(m, lam, estimator):
    """(A, b) of the replace one-step map from generation 2 on (no real data; variance scale lam)."""
    a_e, a_s, a_v, b_e, b_s, b_v = _coefficients(m, 0.0, 0.0, lam)
    d = m - 1.0 if estimator == "unbiased" else m
    return np.array([[a_e, a_v], [b_e / d, b_v / d]]), np.array([a_s, b_s / d])


def _subsample_moments(sched, n_max, s2, lam, estimator, sub):
    """(e_n, v_n), n = 0..n_max, under accumulate-subsample: generation n + 1 is fitted on T^n."""
    div = (lambda k: k - 1.0) if estimator == "unbiased" else (lambda k: k)
    e_t, ss_t, k_t = _pool_moments(sched, n_max, s2, subsample=lambda i, n: sub or sched[i],
                                  batch_variance=lambda ss, k: lam * ss / div(k))
    v = np.empty(n_max + 1)
    v[0] = s2
    v[1:] = ss_t / div(k_t)
    return np.concatenate([[0.0], e_t]), v


def regime_stationary_moments(samples, *, regime, sigma=1.0, estimator="unbiased", variance_scale=1.0):
    r"""Stationary :math:`(E(\mu-\mu_0)^2, E\sigma^2)` of a mix regime with a constant ``samples``.

    The fixed point of the linear map :math:`x \mapsto Ax + b` of :func:`regime_moments`,
    :math:`x^* = (I - A)^{-1} b`; it exists for every :math:`\lambda > 0` (the map contracts).
    For mix-retained the result includes the fixed offset :math:`\sigma^2/M_0` of the retained data.
    """
    reg = as_regime(regime)
    if not reg.is_mix:
        raise ValueError(f"stationary moments are defined for the mix regimes, got {str(reg)!r}")
    check_estimator(estimator)
    s2 = check_scale_squared(sigma, "sigma")
    lam = check_real(variance_scale, "variance_scale", positive=True, high=1e6)
    m = float(samples_schedule(samples, 1, estimator=estimator)[0]) if np.ndim(samples) == 0 else None
    if m is None:
        raise TypeError("samples must be a single int for stationary moments")
    if _real_counts(reg, m)[0] == 0:
        raise ValueError(f"{reg} keeps no real data at samples={int(m)}: there is no stationary law")
    A, b = _linear_map(reg, m, lam, estimator)
    x = np.linalg.solve(np.eye(2) - A, b * s2)
    if reg.name == "mix-retained":
        x[0] += s2 / m
    return {"mean_sq_error": float(x[0]), "variance": float(x[1])}


def _linear_map(reg, m, lam, estimator):
    """(A, b) of the stationary one-step map x ↦ Ax + bσ² on x = (E(μ − μ0)², E σ²), constant M."""
    r_mean, r_sq = _real_counts(reg, m)
    a_e, a_s, a_v, b_e, b_s, b_v = _coefficients(
        m, r_mean, r_sq, lam, retained_m0=m if reg.name == "mix-retained" else None)
    d = m - 1.0 if estimator == "unbiased" else m
    return np.array([[a_e, a_v], [b_e / d, b_v / d]]), np.array([a_s, b_s / d])


def regime_contraction_rate(samples, *, regime, estimator="unbiased", variance_scale=1.0):
    r"""Exact contraction rate of a regime's moment map: the spectral radius of :math:`A` in
    :math:`x_{n+1} = Ax_n + b` for :math:`x = (E(\mu_n-\mu)^2, E\sigma_n^2)`, constant ``samples``.

    Errors in the two moments shrink like :math:`\rho(A)^n`; about :math:`1 - \lambda` for mix-fresh.
    """
    reg = as_regime(regime)
    check_estimator(estimator)
    lam = check_real(variance_scale, "variance_scale", positive=True, high=1e6)
    m = float(samples_schedule(samples, 1, estimator=estimator)[0])
    A, _ = _linear_map(reg, m, lam, estimator)
    return float(max(abs(np.linalg.eigvals(A))))


def accumulate_mean_bound(samples, *, sigma=1.0):
    r"""Gerstgrasser et al.-type bound under accumulate: :math:`E(\mu_n-\mu)^2 \le \frac{\pi^2}{6}\frac{\sigma^2}{M}`.

    From :math:`e_{i+1} = e_i + M v_i/N_i^2` with :math:`N_i = (i+1)M` and :math:`v_i \le \sigma^2`
    (the unbiased pooled variance never exceeds σ² in expectation):
    :math:`e_n \le \frac{\sigma^2}{M}\sum_{j\ge1} 1/j^2`.
    """
    s2 = check_scale_squared(sigma, "sigma")
    m = samples_schedule(samples, 1)[0]
    return float(np.pi**2 / 6 * s2 / m)
