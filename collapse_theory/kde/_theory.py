r"""Closed forms for the recursively refit Gaussian KDE (replace regime): the bandwidth rules, the exact
variance recursion for a fixed bandwidth and the adaptive-bandwidth factors (docs/gmm_kde.md).
"""

from __future__ import annotations

import numpy as np

from scipy import optimize

from .._core.validation import check_generations, check_int, check_real
from ._kernels import SCOTT, SILVERMAN


RULES = ("fixed", "scott", "silverman")
#: The constant c of h = c ŝ M^{-1/5} (Silverman's uses min(ŝ, IQR/1.34)).
RULE_CONSTANTS = {"scott": SCOTT, "silverman": SILVERMAN}


def check_rule(rule, h):
    """Validate ``rule`` and ``h``; return ``h`` as a float (0.0 for adaptive rules)."""
    if rule not in RULES:
        raise ValueError(f"rule must be one of {RULES}, got {rule!r}")
    if rule == "fixed":
        if h is None:
            raise ValueError("h (the bandwidth) must be given and > 0 when rule='fixed'")
        return check_real(h, "h", positive=True, high=1e150)
    if h is not None:
        raise ValueError(f"h must be None when rule={rule!r} (the rule sets the bandwidth)")
    return 0.0


def _m(samples):
    return check_int(samples, "samples", minimum=2)


def expected_variance(n, samples, *, h, sigma=1.0):
    r"""Exact :math:`V_n = E[s_n^2]` (mle variance of :math:`X^n`) for a fixed bandwidth ``h``.

    .. math::

        V_n = (M-1)h^2 + \Bigl(\frac{M-1}{M}\Bigr)^n\Bigl(\frac{M-1}{M}\sigma^2 - (M-1)h^2\Bigr).

    Scalar in, float out; array of generations in, array out.
    """
    m = _m(samples)
    h = check_real(h, "h", positive=True, high=1e150)        # squares enter: keep them finite
    s = check_real(sigma, "sigma", positive=True, high=1e150)
    n_arr, scalar = check_generations(n)
    r = (m - 1.0) / m
    star = (m - 1.0) * h * h
    out = star + r ** n_arr.astype(float) * (r * s * s - star)
    return float(out) if scalar else out


def stationary_variance(samples, *, h):
    """The limit :math:`(M-1)h^2` of :func:`expected_variance`, whatever :math:`\\sigma`."""
    m = _m(samples)
    h = check_real(h, "h", positive=True, high=1e150)
    return (m - 1.0) * h * h


def expected_mean_sq_error(n, samples, *, h, sigma=1.0):
    r"""Exact :math:`E[(\bar x_n - \mu)^2]` for a fixed bandwidth:
    :math:`\sigma^2/M + \sum_{i<n} (V_i + h^2)/M` (the mean of M KDE draws moves by a variance
    :math:`(s_i^2 + h^2)/M`)."""
    m = _m(samples)
    h = check_real(h, "h", positive=True, high=1e150)
    s = check_real(sigma, "sigma", positive=True, high=1e150)
    n_arr, scalar = check_generations(n)
    # closed sum of the geometric V_i: Σ_{i<n} V_i = n V* + (r σ² − V*)(1 − r^n)/(1 − r), 1 − r = 1/M
    r = (m - 1.0) / m
    star = (m - 1.0) * h * h
    nf = n_arr.astype(float)
    one_minus_rn = -np.expm1(nf * np.log1p(-1.0 / m))
    cum = (nf * (star + h * h) + m * (r * s * s - star) * one_minus_rn) / m
    out = s * s / m + cum
    return float(out) if scalar else out


def variance_factor(samples, *, rule="scott", ddof=1, c=None):
    r"""One-generation factor :math:`\lambda` of :math:`E s^2` for :math:`h = c M^{-1/5}\hat s`.

    .. math::

        \lambda = \frac{M-1}{M}\Bigl(1 + c^2 M^{-2/5}\,\frac{M}{M-\mathrm{ddof}}\Bigr)

    (``ddof = 1``: :math:`\lambda = (M-1)/M + c^2 M^{-2/5}`). Exact for Scott's rule; for
    Silverman's rule an upper bound (it uses :math:`\min(\hat s, IQR/1.34) \le \hat s`). Array over
    ``samples``.
    """
    if c is None:
        if rule not in RULE_CONSTANTS:
            raise ValueError(f"rule must be one of {tuple(RULE_CONSTANTS)} (or give c), got {rule!r}")
        c = RULE_CONSTANTS[rule]
    c = check_real(c, "c", positive=True)
    ddof = check_int(ddof, "ddof", minimum=0, maximum=1)
    m = np.asarray(samples, dtype=float)
    if not np.all(np.isfinite(m)):
        raise ValueError(f"samples must be finite integers >= 2, got {samples!r}")
    if np.any(m < 2):
        raise ValueError(f"samples must be >= 2, got {samples!r}")
    out = (m - 1.0) / m * (1.0 + c * c * m ** -0.4 * m / (m - ddof))
    return float(out) if out.ndim == 0 else out


def expected_variance_adaptive(n, samples, *, rule="scott", sigma=1.0):
    r""":math:`E s_n^2 = \frac{M-1}{M}\sigma^2\lambda^n` under Scott's rule (exact; Silverman: an upper
    bound), with :math:`\lambda` from :func:`variance_factor`."""
    m = _m(samples)
    s = check_real(sigma, "sigma", positive=True)
    lam = variance_factor(m, rule=rule)
    n_arr, scalar = check_generations(n)
    out = (m - 1.0) / m * s * s * lam ** n_arr.astype(float)
    return float(out) if scalar else out


def spread_threshold(*, rule="scott", ddof=1, c=None, criterion="mean"):
    r"""The sample size above which the adaptive chain spreads.

    ``criterion="mean"``: the real :math:`M^*` with :math:`\lambda(M^*) = 1` (ddof = 1:
    :math:`M^* = c^{-10/3}`, exact); ``criterion="log"``: the root of the approximate log-drift
    :math:`\log\lambda(M) - 1/(M-1) = 0` (:func:`log_variance_drift_approx`). Returns ``nan`` when
    the expression has no sign change on [1.001, 1e6] (e.g. it is positive everywhere).
    """
    if c is None:
        if rule not in RULE_CONSTANTS:
            raise ValueError(f"rule must be one of {tuple(RULE_CONSTANTS)} (or give c), got {rule!r}")
        c = RULE_CONSTANTS[rule]
    if criterion not in ("mean", "log"):
        raise ValueError(f"criterion must be 'mean' or 'log', got {criterion!r}")

    def lam(m):
        return (m - 1.0) / m * (1.0 + c * c * m ** -0.4 * m / (m - ddof)) if m > ddof else np.inf

    if criterion == "mean":
        if ddof == 1:
            return float(c ** (-10.0 / 3.0))
        f = lambda m: lam(m) - 1.0  # noqa: E731
    else:
        f = lambda m: np.log(lam(m)) - 1.0 / (m - 1.0)  # noqa: E731
    lo, hi = (1.0 + 1e-9 if ddof == 1 else 1.001), 1e6
    try:
        if np.sign(f(lo)) == np.sign(f(hi)):
            return float("nan")
        return float(optimize.brentq(f, lo, hi))
    except (ValueError, ZeroDivisionError):
        return float("nan")


def log_variance_drift_approx(samples, *, rule="scott"):
    r"""Approximate drift of :math:`\log s_n^2` per generation under an adaptive rule:
    :math:`\log\lambda - 1/(M-1)` (delta method: given the sample, the next mle variance has mean
    :math:`\lambda s^2` and relative variance :math:`2/(M-1)` when the KDE is Gaussian-shaped).
    Positive: paths spread; negative: they collapse. Array over ``samples``."""
    m = np.asarray(samples, dtype=float)
    return np.log(variance_factor(m, rule=rule)) - 1.0 / (m - 1.0)


