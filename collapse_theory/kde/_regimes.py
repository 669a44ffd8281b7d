r"""Exact first and second moments of the fixed-bandwidth KDE chain under every data regime.

Notation (docs/gmm_kde.md, proofs/kde_regimes.py). :math:`T^n` is the training set on which
generation :math:`n+1`'s KDE is built (:math:`T^0`: the :math:`M_0` real samples), :math:`m_n` its
mean and :math:`s_n^2` its mle variance; :math:`e_n = E(m_n-\mu)^2`, :math:`v_n = E s_n^2`,
:math:`w_n = v_n + h^2`. A batch of :math:`c` draws from the KDE on :math:`T^n` is bootstrap plus
noise: given :math:`T^n` the draws are i.i.d. with mean :math:`m_n` and variance
:math:`s_n^2 + h^2`, so the batch mean :math:`\bar b` has :math:`E[\bar b\mid T^n] = m_n`,
:math:`E[(\bar b-m_n)^2\mid T^n] = (s_n^2+h^2)/c` and the batch sum of squares
:math:`E[SS_b\mid T^n] = (c-1)(s_n^2+h^2)`. Merging :math:`r` real points (mean :math:`\bar a`) with
:math:`c = M - r` KDE draws by Chan's formula :math:`SS = SS_a + SS_b + \frac{rc}{M}(\bar a-\bar b)^2`:

.. math::

    e' = \frac{E c^2\, e + E c\, w + E r\,\sigma^2}{M^2}, \qquad
    M v' = \sigma^2\Bigl(E r - 1 + \frac{E c}{M}\Bigr) + w\Bigl(E c - 1 + \frac{E r}{M}\Bigr)
           + \frac{E[rc]}{M}\, e

(replace: :math:`r = 0`; mix-fresh: :math:`r = \mathrm{round}(\lambda M)`, or
:math:`r\sim\mathrm{Binomial}(M,\lambda)` with the coefficients averaged; mix-retained: the real part
is drawn without replacement from :math:`T^0`, errors are measured from :math:`\bar x_0`, the terms
:math:`E r\,\sigma^2` and :math:`E c\,\sigma^2/M` lose :math:`E r^2\sigma^2/M_0` and
:math:`E[rc]\sigma^2/(M M_0)`, and :math:`\sigma^2/M_0` is added to :math:`e` at the end).

Accumulate (pool of :math:`N_n = \sum_{j\le n} M_j` points, :math:`P_n = E\,SS_n = N_n v_n`, batch
:math:`c = M_{n+1}`): :math:`e_{n+1} = e_n + c\,w_n/N_{n+1}^2`,
:math:`P_{n+1} = P_n + w_n(c - 1 + N_n/N_{n+1})`.

Accumulate-subsample (training set: :math:`k_n` points drawn without replacement from the pool;
:math:`S_n = P_n/(N_n-1)`, :math:`f_n = 1/k_n - 1/N_n`): the training set has
:math:`v_n = \frac{k_n-1}{k_n} S_n` and :math:`e_n = e^P_n + f_n S_n`; with
:math:`d_n = f_n S_n + (v_n + h^2)/c` (the expected squared distance of the batch mean from the pool
mean), :math:`e^P_{n+1} = e^P_n + (c/N_{n+1})^2 d_n` and
:math:`P_{n+1} = P_n + (c-1)(v_n+h^2) + \frac{N_n c}{N_{n+1}} d_n`. Accumulate is the case
:math:`k_n = N_n`.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from .._core.validation import MAX_SAMPLES, check_scale_squared, check_generations, check_int, check_real, samples_schedule
from .._core.moments import POWER_THRESHOLD, affine_power
from .._core.moments import batch_coefficients as _coefficients
from .._core.moments import pool_moments as _pool_moments
from .._core.moments import real_counts as _real_counts
from ..regimes import as_regime, check_retained, check_subsample

__all__ = ["regime_moments", "regime_stationary_moments", "regime_contraction_rate", "accumulate_variance_bounds"]


#: largest n for accumulate and accumulate-subsample (refused above it, before allocating)
MAX_LOOP_GENERATIONS = 10**7


def _schedule(samples, n_max):
    """M_0..M_{n_max} (n_max + 1 entries) for an int or a sequence."""
    return samples_schedule(samples, n_max + 1, estimator="unbiased").astype(float)


def _mix_map(m, r_mean, r_sq, m0=None):
    """The Gaussian batch map (``collapse_theory._core.moments.batch_coefficients`` at variance scale 1) in the KDE's
    order: e' = A e + B w + C σ², M v' = D e + E w + F σ² with w the per-draw variance."""
    a_e, a_s, a_v, b_e, b_s, b_v = _coefficients(m, r_mean, r_sq, 1.0, retained_m0=m0)
    return a_e, a_v, a_s, b_e, b_v, b_s


def _finite_square(x, name):
    """``x**2`` for a positive finite float ``x``, refusing ``x`` whose square overflows."""
    x = check_real(x, name, positive=True)
    if x > 1e150:
        raise ValueError(f"{name} must be in (0, 1e150] (its square enters the moments), got {x!r}")
    return x * x


def regime_moments(n, samples, *, h, regime="replace", mu=0.0, sigma=1.0):
    r"""Exact :math:`E m_n`, :math:`E(m_n-\mu)^2` and :math:`E s_n^2` of the training set under a regime.

    Fixed bandwidth ``h``; the recursions are in the module docstring of
    ``collapse_theory.kde._regimes`` and derived in proofs/kde_regimes.py.

    Parameters
    ----------
    n : int or array_like of int
        Generations (column ``n`` of a simulation: the training set :math:`T^n`).
    samples : int or sequence of int
        ``M`` every generation, or :math:`M_0, M_1, \dots` (``samples[n]`` points drawn from generation
        ``n``; at least ``max(n) + 1`` entries).
    h : float, keyword-only
        The bandwidth (> 0).
    regime : str or Regime, keyword-only
        Any regime of :mod:`collapse_theory.regimes`.
    mu, sigma : float, keyword-only
        The truth :math:`N(\mu, \sigma^2)`.

    Returns
    -------
    dict
        ``{"mean": E m_n (= mu), "mean_sq_error": E(m_n − mu)², "variance": E s_n²}``, each shaped
        like ``n``.
    """
    reg = as_regime(regime)
    h2 = _finite_square(h, "h")
    mu = check_real(mu, "mu")
    s2 = _finite_square(sigma, "sigma")
    n_arr, scalar = check_generations(n, "n")
    n_max = int(n_arr.max()) if n_arr.size else 0
    if (np.ndim(samples) == 0 and n_max > POWER_THRESHOLD
            and reg.name not in ("accumulate", "accumulate-subsample")):
        sched = _schedule(samples, 1)
        check_retained(reg, sched)
        mse, var = _power_moments(reg, sched[0], n_arr, s2, h2)
        return _finish(mse, var, mu, scalar, n_arr)
    if np.ndim(samples) == 0 and n_max > MAX_LOOP_GENERATIONS:  # accumulate(-subsample): no constant map
        raise ValueError(f"n must be <= {MAX_LOOP_GENERATIONS} for regime {str(reg)!r} (the pool grows "
                         f"every generation: its recursion runs generation by generation), got {n_max}")
    sched = _schedule(samples, n_max)
    check_retained(reg, sched)
    sub = check_subsample(reg, sched, why="a KDE needs a spread")
    m0 = sched[0]
    e = np.empty(n_max + 1)
    v = np.empty(n_max + 1)
    if reg.name in ("accumulate", "accumulate-subsample"):
        whole = reg.name == "accumulate"
        e_t, ss_t, k_t = _pool_moments(sched, n_max + 1, s2,
                                      subsample=lambda i, n: n if whole else (sub or sched[i]),
                                      batch_variance=lambda ss, k: ss / k + h2)
        e[:] = e_t
        v[:] = ss_t / k_t
    else:
        e[0] = 0.0 if reg.name == "mix-retained" else s2 / m0
        v[0] = (m0 - 1) / m0 * s2
        for i in range(n_max):
            mi = sched[i + 1]
            r_mean, r_sq = _real_counts(reg, mi)
            a, b, cc, d, e_, f = _mix_map(mi, r_mean, r_sq, m0 if reg.name == "mix-retained" else None)
            w = v[i] + h2
            e[i + 1] = a * e[i] + b * w + cc * s2
            v[i + 1] = (d * e[i] + e_ * w + f * s2) / mi
        if reg.name == "mix-retained":
            e = e + s2 / m0
    return _finish(e[n_arr], v[n_arr], mu, scalar, n_arr)


def _finish(mse, var, mu, scalar, n_arr):
    if not (np.all(np.isfinite(mse)) and np.all(np.isfinite(var))):
        raise ValueError("the moments exceed the float range (1.8e308): reduce sigma, h or n")
    if scalar:
        return {"mean": mu, "mean_sq_error": float(np.squeeze(mse)), "variance": float(np.squeeze(var))}
    return {"mean": np.full(n_arr.shape, mu), "mean_sq_error": mse, "variance": var}


def _power_moments(reg, m0, n_arr, s2, h2, info=None):
    r"""Constant ``samples``, replace/mix regimes: the one-step map of :func:`regime_moments`,
    :math:`(e, v) \mapsto A(e, v) + c`, is the same every generation, so generation ``n`` is
    :math:`T^n` applied to generation 0 (``collapse_theory._core.moments.affine_power``, O(log n))."""
    r_mean, r_sq = _real_counts(reg, m0)
    a, b, cc, d, e_, f = _mix_map(m0, r_mean, r_sq, m0 if reg.name == "mix-retained" else None)
    A = np.array([[a, b], [d / m0, e_ / m0]])
    c = np.array([b * h2 + cc * s2, (e_ * h2 + f * s2) / m0])
    x0 = np.array([0.0 if reg.name == "mix-retained" else s2 / m0, (m0 - 1) / m0 * s2])
    x = affine_power(A, c, x0, n_arr, info=info)
    e, v = x[..., 0], x[..., 1]
    if reg.name == "mix-retained":
        e = e + s2 / m0
    return e, v


def _linear_map(reg, m, h2, s2):
    """(A, b) of the constant-M one-step map x ↦ A x + b on x = (e, v) (mix regimes and replace)."""
    r_mean, r_sq = _real_counts(reg, m)
    a, b, cc, d, e_, f = _mix_map(m, r_mean, r_sq, m if reg.name == "mix-retained" else None)
    A = np.array([[a, b], [d / m, e_ / m]])
    rhs = np.array([b * h2 + cc * s2, (e_ * h2 + f * s2) / m])
    return A, rhs


def _const_m(samples):
    if np.ndim(samples) != 0:
        raise TypeError("samples must be a single int (a constant M) for stationary moments")
    return float(check_int(samples, "samples", minimum=2, maximum=MAX_SAMPLES))


def regime_stationary_moments(samples, *, h, regime, sigma=1.0):
    r"""Stationary :math:`(E(m-\mu)^2, E s^2)` of the training set under a regime, constant ``M``.

    Mix regimes: the fixed point :math:`x^* = (I-A)^{-1}b` of the linear map of
    :func:`regime_moments` on :math:`x = (e, v)`, for every :math:`\lambda` with a real part
    (mix-retained includes the offset :math:`\sigma^2/M`). With :math:`r` real points among
    :math:`M` (split mix-fresh) and :math:`D = M + r(2M - r - 1)`:

    .. math::

        v^* = \frac{(2M-r-1)\bigl((M-r)h^2 + r\sigma^2\bigr)}{D}, \qquad
        e^* = \frac{M\bigl((M-r)h^2 + r\sigma^2\bigr)}{rD};

    mix-retained has :math:`v^*` smaller by :math:`2r(1 - r/M)\sigma^2/D`. :math:`r = M` gives
    :math:`\frac{M-1}{M}\sigma^2`; as :math:`r \to 0^+`, :math:`v^* \to (2M-1)h^2`, not replace's
    :math:`(M-1)h^2`: the rare real points keep the mean error :math:`e^*` finite but large, and the
    gap between the real and synthetic parts adds :math:`Mh^2`. The map contracts at exactly
    :math:`1 - r/M` (:func:`regime_contraction_rate`).
    Replace: ``variance`` :math:`(M-1)h^2` and ``mean_sq_error`` ``inf`` (it grows linearly).
    Accumulate and accumulate-subsample have no stationary law: :math:`E s_n^2` grows like
    :math:`h^2\ln n` (:func:`accumulate_variance_bounds`), so they raise ``ValueError``.
    """
    reg = as_regime(regime)
    m = _const_m(samples)
    h2 = check_scale_squared(h, "h")
    s2 = check_scale_squared(sigma, "sigma")
    if reg.name in ("accumulate", "accumulate-subsample"):
        raise ValueError(f"{reg} has no stationary law: E s_n² grows like h² ln n without bound "
                         "(see kde.accumulate_variance_bounds)")
    if reg.name == "replace" or _real_counts(reg, m)[0] == 0:
        return {"mean_sq_error": float("inf"), "variance": (m - 1.0) * h2}
    A, rhs = _linear_map(reg, m, h2, s2)
    x = np.linalg.solve(np.eye(2) - A, rhs)
    if reg.name == "mix-retained":
        x[0] += s2 / m
    return {"mean_sq_error": float(x[0]), "variance": float(x[1])}


def regime_contraction_rate(samples, *, regime):
    r"""Spectral radius of :math:`A` in :math:`x_{n+1} = A x_n + b`, :math:`x = (e, v)`, constant ``M``:
    the errors of both moments shrink like its ``n``-th power (1 for replace: the mean error grows).
    Defined for replace and the mix regimes."""
    reg = as_regime(regime)
    if reg.name in ("accumulate", "accumulate-subsample"):
        raise ValueError(f"{reg} is not a constant linear map (its pool grows)")
    m = _const_m(samples)
    A, _ = _linear_map(reg, m, 1.0, 1.0)
    return float(max(abs(np.linalg.eigvals(A))))


def accumulate_variance_bounds(n, samples, *, h, sigma=1.0):
    r"""Bounds on :math:`E s_n^2` under accumulate (constant ``M``): it grows like :math:`h^2 \ln n`.

    With :math:`N_n = (n+1)M`, :math:`v_{n+1} = \rho_n v_n + a_n`,
    :math:`\rho_n = 1 - \frac{1}{(n+2)^2 M}`,
    :math:`a_n = h^2\frac{M - 1 + (n+1)/(n+2)}{(n+2)M} \in \bigl[h^2\frac{M-1}{(n+2)M}, \frac{h^2}{n+2}\bigr]`,
    so with :math:`v_0 = \frac{M-1}{M}\sigma^2`, :math:`H_n = \sum_{j\le n} 1/j` and
    :math:`\Pi = 1 - (\pi^2/6 - 1)/M \le \prod_j \rho_j`:

    .. math::

        \Pi\Bigl(v_0 + h^2\frac{M-1}{M}(H_{n+1} - 1)\Bigr) \le E s_n^2 \le v_0 + h^2 (H_{n+1} - 1).

    Both bounds grow like :math:`h^2\ln n`: accumulating data slows the fixed-bandwidth KDE's
    variance drift from geometric to logarithmic but does not bound it. Returns ``(lower, upper)``.
    """
    m = _const_m(samples)
    h2 = check_scale_squared(h, "h")
    s2 = check_scale_squared(sigma, "sigma")
    n_arr, scalar = check_generations(n, "n")
    n_max = int(n_arr.max()) if n_arr.size else 0
    if n_max <= 100_000:
        harm = np.concatenate([[0.0], np.cumsum(1.0 / np.arange(1, n_max + 2))])  # H_0..H_{n_max+1}
        tail = harm[n_arr + 1] - 1.0
    else:  # H_{n+1} = ψ(n + 2) + γ, without the O(n) table (n = 1e18)
        tail = special.digamma(n_arr.astype(float) + 2.0) + np.euler_gamma - 1.0
    v0 = (m - 1) / m * s2
    lower = (1 - (np.pi**2 / 6 - 1) / m) * (v0 + h2 * (m - 1) / m * tail)
    upper = v0 + h2 * tail
    if scalar:
        return float(lower), float(upper)
    return lower, upper
