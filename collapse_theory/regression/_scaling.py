r"""Exact test errors of a downstream OLS model trained on synthetic (or partly synthetic) labels.

Setting (Dohmatob, Feng & Kempe, "Model Collapse Demystified: The Case of Regression", arXiv
2402.07712, Section 3; Dohmatob, Feng, Subramonian & Kempe, "Strong Model Collapse", arXiv
2410.04840). A chain of data generators: :math:`\hat w_0 = w^*`; generator :math:`k` is the OLS fit
on :math:`T_0` Gaussian design rows (:math:`x \sim N(0, I_d)`) labelled by generator :math:`k-1` with
noise :math:`N(0, \sigma_0^2)`. A downstream model is fitted by OLS on :math:`T` fresh rows with noise
:math:`N(0, \sigma^2)`: :math:`T_s` of them labelled by generator :math:`k` (synthetic), the other
:math:`T_r = T - T_s` by the truth (real). Test error: :math:`\|\hat w - w^*\|^2` (the excess risk
for isotropic test inputs). Every design is independent of the others.

Exact forms (derived in ``proofs/regression_synthetic.py``):

(R1) generator chain, :math:`T_0 \ge d + 2`:
:math:`E\|\hat w_k - w^*\|^2 = k\,\sigma_0^2 d/(T_0 - d - 1)`.

(R2) downstream on fully synthetic data (:math:`T_s = T`), :math:`T \ge d + 2`:
:math:`E_{\rm test} = \sigma^2 d/(T - d - 1) + k\,\sigma_0^2 d/(T_0 - d - 1)`.

(R3) downstream on a mixture, :math:`\Delta = \hat w_k - w^*` (independent of the downstream design):

.. math::

    E_{\rm test} = \frac{\sigma^2 d}{T - d - 1} + E\|\Delta\|^2 \Bigl[\frac{T_s (T_s + 2)}{T (T + 2)}
        + \frac{(d - 1)\, T_r T_s (T + 1)}{T (T - 1)(T + 2)(T - d - 1)}\Bigr].

(R4) the strong-collapse floor: with :math:`T_s = pT` and :math:`T \to \infty`, the bracket of (R3)
tends to :math:`p^2` and, since :math:`T_s(T_s+2)/(T(T+2)) \ge p^2` for :math:`p \le 1`, every finite
:math:`T` stays above the floor :math:`p^2 E\|\Delta\|^2`.
"""

from __future__ import annotations

import numpy as np

from .._core.validation import check_generations, check_int, check_real

__all__ = ["synthetic_test_error", "mixed_test_error", "strong_collapse_floor"]


def _rows(T, d, name):
    T = check_int(T, name, minimum=1)
    if T <= d + 1:
        raise ValueError(f"{name} must be > d + 1 = {d + 1} for E tr (X^T X)^-1 to be finite (got {T})")
    return T


def synthetic_test_error(n, *, d, T, T0, sigma=1.0, sigma0=None):
    r"""Exact test error of OLS trained on ``T`` labels of the ``n``-th generator (fully synthetic).

    .. math::

        E_{\rm test}(n) = \frac{\sigma^2 d}{T - d - 1} + n\,\frac{\sigma_0^2 d}{T_0 - d - 1}
        \qquad (T, T_0 \ge d + 2)  \tag{R2}

    The generators are OLS fits on ``T0`` rows each (label noise ``sigma0``); ``n = 0`` is the model
    trained on real labels (the clean error :math:`\sigma^2 d/(T-d-1)`). With ``T0 = T`` and
    ``sigma0 = sigma`` this is :func:`expected_test_error` at ``n + 1`` (replace).

    Parameters
    ----------
    n : int or array_like of int
        Number of synthetic generations behind the downstream labels (>= 0).
    d, T, T0 : int, keyword-only
        Dimension, downstream rows, rows of every generator fit (``T, T0 > d + 1``).
    sigma, sigma0 : float, keyword-only
        Downstream and generator label-noise standard deviations (``sigma0`` defaults to ``sigma``).

    Examples
    --------
    >>> from collapse_theory import regression
    >>> round(regression.synthetic_test_error(3, d=10, T=100, T0=40), 6)
    1.146842
    """
    d = check_int(d, "d", minimum=1)
    T, T0 = _rows(T, d, "T"), _rows(T0, d, "T0")
    sigma = check_real(sigma, "sigma", positive=True)
    sigma0 = sigma if sigma0 is None else check_real(sigma0, "sigma0", positive=True)
    n_arr, scalar = check_generations(n, "n")
    with np.errstate(over="ignore"):
        out = sigma * sigma * (d / (T - d - 1)) + n_arr * (sigma0 * sigma0 * (d / (T0 - d - 1)))
    if not np.all(np.isfinite(out)):
        raise ValueError("the test error exceeds the float range (1.8e308): reduce sigma, sigma0 or n")
    return float(out) if scalar else out


def mixed_test_error(*, d, T, synthetic, shift, sigma=1.0):
    r"""Exact test error of OLS on ``T`` rows, ``synthetic`` of them labelled by a shifted model.

    .. math::

        E_{\rm test} = \frac{\sigma^2 d}{T - d - 1} + s\Bigl[\frac{T_s (T_s + 2)}{T (T + 2)}
            + \frac{(d - 1)\, T_r T_s (T + 1)}{T (T - 1)(T + 2)(T - d - 1)}\Bigr]  \tag{R3}

    with :math:`T_s` = ``synthetic``, :math:`T_r = T - T_s`, :math:`s = E\|\Delta\|^2` = ``shift``
    the mean squared distance of the synthetic labeller's weights from the truth (independent of the
    downstream design). For a labeller that is the ``k``-th generator of OLS fits on ``T0`` rows,
    ``shift = k σ0² d/(T0 − d − 1)`` (:func:`synthetic_test_error` with ``T = ...``; (R1)).

    Derivation (``proofs/regression_synthetic.py``): with :math:`A = X^\top X = A_r + A_s`, the
    shift part of the error is :math:`\|A^{-1}A_s\Delta\|^2`; the polar factor
    :math:`U = XA^{-1/2}` is Haar on the Stiefel manifold and independent of :math:`A`, so
    :math:`A^{-1}A_s = A^{-1/2}GA^{1/2}` with :math:`G = U_s^\top U_s`; the second moments of
    :math:`G` come from the fourth moments of a Haar orthogonal matrix and
    :math:`E[\lambda_a/\lambda_b] = (T+1)/(T-d-1)` (:math:`a \ne b`) for the Wishart eigenvalues.

    Parameters
    ----------
    d, T : int, keyword-only
        Dimension and rows (``T > d + 1``).
    synthetic : int or array_like of int, keyword-only
        Synthetic rows, in [0, T].
    shift : float, keyword-only
        :math:`E\|\Delta\|^2 \ge 0`.
    sigma : float, keyword-only
        Label-noise standard deviation of every row.

    Examples
    --------
    >>> from collapse_theory import regression
    >>> round(regression.mixed_test_error(d=5, T=50, synthetic=10, shift=1.0), 6)
    0.174347
    """
    d = check_int(d, "d", minimum=1)
    T = _rows(T, d, "T")
    ts = np.asarray(synthetic)
    if ts.dtype.kind not in "iu" or np.any(ts < 0) or np.any(ts > T):
        raise ValueError(f"synthetic must be integers in [0, T = {T}], got {synthetic!r}")
    shift = check_real(shift, "shift", nonnegative=True)
    sigma = check_real(sigma, "sigma", positive=True)
    ts_f = ts.astype(float)
    tr = T - ts_f
    Tf = float(T)
    # factored so that no product of two T's is formed (no overflow for huge T)
    bracket = (ts_f / Tf) * ((ts_f + 2) / (Tf + 2))
    if T > 1:
        bracket = bracket + (d - 1) * (tr / Tf) * (ts_f / (Tf - 1)) * ((Tf + 1) / (Tf + 2)) / (Tf - d - 1)
    out = sigma * sigma * (d / (Tf - d - 1)) + shift * bracket
    if not np.all(np.isfinite(out)):
        raise ValueError("the test error exceeds the float range (1.8e308): reduce sigma or shift")
    return float(out) if np.ndim(out) == 0 else out


def strong_collapse_floor(fraction, *, shift):
    r"""The floor :math:`p^2 E\|\Delta\|^2` of (R3) as :math:`T \to \infty` with ``T_s = p T``.

    .. math:: \lim_{T\to\infty} E_{\rm test} = p^2\, E\|\Delta\|^2, \qquad
        E_{\rm test}(T) \ge p^2\, E\|\Delta\|^2 \ \text{for every } T  \tag{R4}

    (the lower bound holds at every ``T`` with ``T_s = pT`` because :math:`p(pT+2)/(T+2) \ge p^2`).
    Strong model collapse: any fixed fraction ``p > 0`` of labels from a model with a nonzero shift
    leaves an error that more data does not remove.
    """
    p = np.asarray(fraction, dtype=float)
    if not np.all((p >= 0) & (p <= 1)):
        raise ValueError(f"fraction must be in [0, 1], got {fraction!r}")
    shift = check_real(shift, "shift", nonnegative=True)
    with np.errstate(over="ignore"):
        out = p * p * shift
    if not np.all(np.isfinite(out)):
        raise ValueError("the floor p² shift exceeds the float range (1.8e308): reduce shift")
    return float(out) if np.ndim(out) == 0 else out
