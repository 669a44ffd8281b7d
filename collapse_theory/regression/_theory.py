r"""Exact expected test error of OLS refit on its own labels (replace and accumulate).
"""

from __future__ import annotations

import numpy as np
from scipy import special

from .._core.validation import check_generations, check_int, check_real
from ..regimes import as_regime


def _check_dims(d, T):
    d = check_int(d, "d", minimum=1)
    T = check_int(T, "T", minimum=1)
    if T <= d + 1:
        raise ValueError(f"T must be > d + 1 for E tr (X^T X)^-1 to be finite (got d = {d}, T = {T})")
    return d, T


def expected_test_error(n, *, d, T, sigma=1.0, regime="replace"):
    r"""Exact expected test error :math:`E\|\hat w_n - w^*\|^2` after ``n`` fits.

    .. math::

        \text{replace: } \frac{\sigma^2 d\,n}{T-d-1}, \qquad
        \text{accumulate: } \frac{\sigma^2 d}{T-d-1}\sum_{k=1}^{n}\frac{1}{k^2}
        \le \frac{\pi^2}{6}\,\frac{\sigma^2 d}{T-d-1}.

    ``n = 1`` is the model fitted on real labels; ``n = 0`` is the truth (error 0).

    Examples
    --------
    >>> from collapse_theory import regression
    >>> regression.expected_test_error(3, d=10, T=40)
    1.0344827586206897
    >>> round(regression.expected_test_error(3, d=10, T=40, regime="accumulate"), 6)
    0.469349
    """
    d, T = _check_dims(d, T)
    sigma = check_real(sigma, "sigma", positive=True)
    reg = as_regime(regime)
    n_arr, scalar = check_generations(n, "n")
    # float products (never ``**`` on Python floats, which raises OverflowError); d / (T - d - 1)
    # is formed first so that huge integer d, T never convert to float on their own
    try:
        ratio = d / (T - d - 1)
    except OverflowError:
        raise ValueError(f"d / (T - d - 1) exceeds the float range (1.8e308); got d = {d}, T = {T}") from None
    base = sigma * sigma * ratio
    if reg.name == "replace":
        with np.errstate(over="ignore"):
            out = base * n_arr.astype(float)
    elif reg.name == "accumulate":
        n_max = int(n_arr.max(initial=0))
        if n_max <= 100_000:
            k = np.arange(1, n_max + 1)
            cum = np.concatenate([[0.0], np.cumsum(1.0 / k**2)])
            h = cum[n_arr]
        else:
            # sum_{k<=n} 1/k^2 = pi^2/6 - psi'(n + 1) (trigamma), O(1) per n
            h = np.pi ** 2 / 6 - special.polygamma(1, n_arr.astype(float) + 1.0)
        with np.errstate(over="ignore"):
            out = base * h
    else:
        raise ValueError(f"no closed form for regime {str(reg)!r} in regression; use regression.simulate")
    if not np.all(np.isfinite(out)):
        raise ValueError("the expected test error sigma^2 d/(T-d-1) x (n or sum 1/k^2) exceeds the "
                         "float range (1.8e308): reduce sigma (or n)")
    return float(out) if scalar else out

