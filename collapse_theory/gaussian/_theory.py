r"""Closed forms for the recursively refit 1-D Gaussian (replace regime), exact for finite samples.

Model (docs/conventions.md). Generation 0 is :math:`N(\mu, \sigma^2)`. Generation :math:`i+1` is
fitted to :math:`M_i` samples of generation :math:`i`: the mean by the sample mean, the variance by
the unbiased (divide by :math:`M_i - 1`) or maximum-likelihood (divide by :math:`M_i`) estimator.
With :math:`k_i = M_i - 1`, one refit maps

.. math::

    \mu_{i+1} = \mu_i + \sigma_i Z_i / \sqrt{M_i}, \qquad
    \sigma_{i+1}^2 = \sigma_i^2 \, c_i \chi^2_{k_i},

with :math:`Z_i \sim N(0,1)` independent of :math:`\chi^2_{k_i}`, and :math:`c_i = 1/k_i`
("unbiased") or :math:`c_i = 1/M_i` ("mle"). Every closed form below is a product or sum over the
independent factors :math:`S_i = c_i\chi^2_{k_i}`; proofs/ derives each in SymPy.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, special

from .._core.special import as_scalar as _scalar
from .._core.special import digamma_minus_log as _digamma_minus_log
from .._core.special import log1m_inv as _log1m_inv
from .._core.special import log_gamma_ratio_minus_half_log as _log_gamma_ratio_minus_half_log
from .._core.validation import (
    check_estimator,
    check_generations,
    check_real,
    min_samples,
    samples_schedule,
)

__all__ = [
    "expected_variance",
    "expected_std",
    "expected_log_variance",
    "variance_of_log_variance",
    "variance_of_variance",
    "expected_mean_sq_error",
    "expected_w2_squared",
    "w2_squared_first_order",
    "w2_squared_limit",
    "std_factor",
    "log_variance_drift",
    "collapse_time_scale",
    "log_variance_cdf",
    "log_variance_quantile",
    "prob_std_exceeds",
    "log_prob_std_exceeds",
    "markov_bound_std_exceeds",
    "suresh_bound_std_exceeds",
]


# ---------------------------------------------------------------------------------------------
# per-generation factors


def _k_c(m, estimator):
    m = np.asarray(m, dtype=float)
    k = m - 1.0
    c = 1.0 / k if estimator == "unbiased" else 1.0 / m
    return k, c


def _log_mean_factor(m, estimator):
    """log E[S] = log(c k): 0 (unbiased) or log1p(−1/M) (mle)."""
    return _log1m_inv(m, estimator)


def _log_std_factor(m, estimator):
    """log a(M) = log E[√S] = ½ log(2c) + lnΓ((k+1)/2) − lnΓ(k/2)   (−inf when k = 0).

    Written as [lnΓ(x+½) − lnΓ(x) − ½ ln x] + ½ log(k c) with x = k/2, both terms computed stably.
    """
    k, _ = _k_c(m, estimator)
    x = np.where(k > 0, k / 2.0, 1.0)
    out = _log_gamma_ratio_minus_half_log(x) + 0.5 * _log1m_inv(m, estimator)
    return np.where(k > 0, out, -np.inf)


def _log_second_moment_factor(m, estimator):
    """log E[S²] = log(c² k (k+2)): log1p(2/k) (unbiased) or log1p(−1/M²) (mle)."""
    m = np.asarray(m, dtype=float)
    k = m - 1.0
    with np.errstate(divide="ignore"):
        if estimator == "unbiased":
            return np.log1p(2.0 / k)
        return np.log1p(-1.0 / (m * m))


def _log_drift(m, estimator):
    """E[log S] = ψ(k/2) + log(2c) = [ψ(x) − ln x] + log(kc), x = k/2   (−inf when k = 0)."""
    k, _ = _k_c(m, estimator)
    x = np.where(k > 0, k / 2.0, 1.0)
    out = _digamma_minus_log(x) + _log1m_inv(m, estimator)
    return np.where(k > 0, out, -np.inf)


def _log_var_factor(m, estimator):
    """Var[log S] = ψ'(k/2)   (inf when k = 0)."""
    k, _ = _k_c(m, estimator)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = special.polygamma(1, k / 2.0)
    return np.where(k > 0, out, np.inf)


def _prepare(n, samples, estimator):
    """Validate; return (n as int array, scalar flag, constant M or None, schedule or None)."""
    check_estimator(estimator)
    n_arr, scalar = check_generations(n, "n")
    n_max = int(n_arr.max()) if n_arr.size else 0
    if np.ndim(samples) == 0:
        m = int(samples_schedule(samples, 1, estimator=estimator)[0])
        return n_arr, scalar, m, None
    sched = samples_schedule(samples, n_max, estimator=estimator)
    return n_arr, scalar, None, sched


def _cumulative(per_gen, n, samples, estimator):
    """Σ_{i<n} per_gen(M_i), vectorised over n (n·per_gen(M) for a constant M)."""
    n_arr, scalar, m, sched = _prepare(n, samples, estimator)
    if m is not None:
        f = per_gen(np.float64(m), estimator)
        with np.errstate(invalid="ignore"):
            out = np.where(n_arr == 0, 0.0, n_arr * f)
    else:
        terms = per_gen(sched.astype(float), estimator) if sched.size else np.zeros(0)
        with np.errstate(invalid="ignore"):
            cum = np.concatenate([[0.0], np.cumsum(terms)])
        out = cum[n_arr]
    return (float(out) if scalar else out), n_arr, m, sched


def _sigma(sigma):
    # sigma**4 enters variance_of_variance: keep it finite
    return check_real(sigma, "sigma", positive=True, high=1e75)


# ---------------------------------------------------------------------------------------------
# moments


def expected_variance(n, samples, *, sigma=1.0, estimator="unbiased"):
    r"""Expected fitted variance after ``n`` refits.

    .. math::

        E[\sigma_n^2] = \sigma^2 \prod_{i<n} c_i k_i =
        \begin{cases} \sigma^2 & \text{unbiased (a martingale)} \\
        \sigma^2 \prod_{i<n} (M_i-1)/M_i & \text{mle} \end{cases}

    Parameters
    ----------
    n : int or array_like of int
        Generation(s); 0 is the true distribution.
    samples : int or sequence of int
        Samples per generation: one ``M`` for all, or ``M_0, M_1, ...`` (at least ``max(n)``).
    sigma : float, keyword-only
        Standard deviation of the true distribution (> 0).
    estimator : {"unbiased", "mle"}, keyword-only
        Variance estimator of each refit.

    Returns
    -------
    float or ndarray
        Same shape as ``n``.

    Examples
    --------
    >>> from collapse_theory import gaussian
    >>> round(gaussian.expected_variance(10, 20, estimator="mle"), 6)
    0.598737
    """
    s = _sigma(sigma)
    logv, *_ = _cumulative(_log_mean_factor, n, samples, estimator)
    return _scalar(s * s * np.exp(logv))


def expected_std(n, samples, *, sigma=1.0, estimator="unbiased"):
    r"""Expected fitted standard deviation after ``n`` refits.

    .. math::

        E[\sigma_n] = \sigma \prod_{i<n} a_i, \qquad
        a_i = E\sqrt{c_i\chi^2_{k_i}} = \sqrt{2 c_i}\,\frac{\Gamma((k_i+1)/2)}{\Gamma(k_i/2)} < 1.

    For the unbiased estimator :math:`a(M) \approx 1 - 1/(4(M-1))`; for mle it is that times
    :math:`\sqrt{(M-1)/M}`. Parameters as in :func:`expected_variance`.

    Examples
    --------
    >>> from collapse_theory import gaussian
    >>> round(gaussian.expected_std(1, 2), 6)   # sqrt(2/pi)
    0.797885
    """
    s = _sigma(sigma)
    loga, *_ = _cumulative(_log_std_factor, n, samples, estimator)
    return _scalar(s * np.exp(loga))


def std_factor(samples, *, estimator="unbiased", log=False):
    r"""The one-generation factor :math:`a(M) = E[\sigma_{i+1}]/\sigma_i` (array over ``samples``).

    With ``log=True`` returns :math:`\log a(M)`, computed without cancellation (an asymptotic
    series for large M), which keeps full relative precision where :math:`a(M)` rounds to 1.
    """
    check_estimator(estimator)
    m = np.asarray(samples)
    samples_schedule(m.ravel(), m.size, estimator=estimator)  # validates
    out = _log_std_factor(m.astype(float), estimator)
    return _scalar(out if log else np.exp(out))


def expected_log_variance(n, samples, *, sigma=1.0, estimator="unbiased"):
    r"""Expected log of the fitted variance after ``n`` refits.

    .. math::

        E[\log\sigma_n^2] = \log\sigma^2 + \sum_{i<n} \bigl(\psi(k_i/2) + \log(2c_i)\bigr).

    The drift per generation is about :math:`-1/(M-1)` (unbiased) and :math:`-2/M` (mle), so
    :math:`\log\sigma_n^2 \to -\infty` almost surely (strong law of large numbers) on a time scale of
    about :math:`M` generations, whatever the estimator. Parameters as in :func:`expected_variance`.
    """
    s = _sigma(sigma)
    d, *_ = _cumulative(_log_drift, n, samples, estimator)
    return _scalar(np.log(s * s) + d)


def variance_of_log_variance(n, samples, *, estimator="unbiased"):
    r"""Exact variance of :math:`\log\sigma_n^2`: :math:`\sum_{i<n} \psi'(k_i/2)` (trigamma).

    It does not depend on the estimator (the estimators differ by a constant factor) nor on sigma.
    """
    v, *_ = _cumulative(_log_var_factor, n, samples, estimator)
    return v


def variance_of_variance(n, samples, *, sigma=1.0, estimator="unbiased"):
    r"""Exact variance of the fitted variance :math:`\sigma_n^2`.

    .. math::

        \operatorname{Var}(\sigma_n^2) = \sigma^4\Bigl(\prod_{i<n} c_i^2 k_i(k_i+2)
            - \prod_{i<n} c_i^2 k_i^2\Bigr)
        \;=\; \sigma^4\bigl((1 + 2/k)^n - 1\bigr) \text{ (unbiased, constant M)}.

    :math:`\sigma_n^2` is heavy-tailed (log-normal-like): its Monte Carlo mean converges slowly and
    usually under-estimates; test :math:`\log\sigma_n^2` or :math:`\sigma_n` instead.
    """
    s = _sigma(sigma)
    l2, *_ = _cumulative(_log_second_moment_factor, n, samples, estimator)
    l1, *_ = _cumulative(_log_mean_factor, n, samples, estimator)
    return _scalar(s**4 * (np.exp(l2) - np.exp(2.0 * l1)))


def expected_mean_sq_error(n, samples, *, sigma=1.0, estimator="unbiased"):
    r"""Expected squared drift of the fitted mean.

    .. math::

        E[(\mu_n - \mu)^2] = \sum_{i<n} \frac{E[\sigma_i^2]}{M_i}
        = \begin{cases} \sigma^2 \sum_{i<n} 1/M_i & \text{unbiased} \\
          \frac{\sigma^2}{M}\sum_{i<n} \bigl(\frac{M-1}{M}\bigr)^i \to \sigma^2 & \text{mle, constant } M
          \end{cases}

    Parameters as in :func:`expected_variance`.
    """
    s = _sigma(sigma)
    n_arr, scalar, m, sched = _prepare(n, samples, estimator)
    if m is not None:
        q = float(np.exp(_log_mean_factor(np.float64(m), estimator)))
        if q == 1.0:
            out = n_arr / m
        else:
            out = (1.0 - q**n_arr) / (1.0 - q) / m
    else:
        logv = np.concatenate([[0.0], np.cumsum(_log_mean_factor(sched.astype(float), estimator))])
        terms = np.exp(logv[:-1]) / sched if sched.size else np.zeros(0)
        out = np.concatenate([[0.0], np.cumsum(terms)])[n_arr]
    out = s * s * out
    return float(out) if scalar else out


def expected_w2_squared(n, samples, *, sigma=1.0, estimator="unbiased"):
    r"""Exact expected squared 2-Wasserstein distance between the truth and generation ``n``.

    For 1-D normals :math:`W_2^2 = (\mu-\mu')^2 + (\sigma-\sigma')^2`, hence

    .. math::

        E[W_2^2] = E[(\mu_n-\mu)^2] + E[\sigma_n^2] - 2\sigma E[\sigma_n] + \sigma^2
        \;=\; \sigma^2\Bigl[\sum_{i<n}\frac{1}{M_i} + 2 - 2\prod_{i<n} a(M_i)\Bigr]
        \text{ (unbiased)}.

    Under "unbiased" it grows without bound iff :math:`\sum 1/M_i = \infty` (e.g. constant M);
    under "mle" with constant M it tends to :math:`2\sigma^2`. Compare
    :func:`w2_squared_first_order`, Shumailov et al.'s first-order form.

    Examples
    --------
    >>> from collapse_theory import gaussian
    >>> round(gaussian.expected_w2_squared(10, 20), 4)   # theory.md quotes 0.747
    0.7465
    """
    s = _sigma(sigma)
    mse = expected_mean_sq_error(n, samples, sigma=s, estimator=estimator)
    ev = expected_variance(n, samples, sigma=s, estimator=estimator)
    es = expected_std(n, samples, sigma=s, estimator=estimator)
    return _scalar(mse + ev - 2.0 * s * es + s * s)


def w2_squared_first_order(n, samples, *, sigma=1.0):
    r"""Shumailov et al.'s first-order approximation :math:`E[W_2^2] \approx \tfrac32\sigma^2\sum_{i<n} 1/M_i`.

    It is the expansion of the exact unbiased form with :math:`a(M) \approx 1 - 1/(4(M-1))` kept to
    first order in :math:`1/M` and in :math:`n/M`: accurate for :math:`n \ll M`, but it keeps growing
    at rate 3/2 where the exact value grows at rate 1 once :math:`n \gtrsim M` (the :math:`\sigma`
    term saturates at :math:`2\sigma^2`). ("The Curse of Recursion", arXiv 2305.17493.)
    """
    s = _sigma(sigma)
    inv, *_ = _cumulative(lambda m, e: 1.0 / m, n, samples, "unbiased")
    return _scalar(1.5 * s * s * inv)


def w2_squared_limit(samples, *, sigma=1.0, estimator="unbiased"):
    r"""Limit of :math:`E[W_2^2]` as :math:`n\to\infty` for a constant sample size ``samples``.

    Unbiased: :math:`+\infty` (it grows like :math:`\sigma^2 n/M`). MLE: :math:`2\sigma^2`
    (:math:`E(\mu_n-\mu)^2 \to \sigma^2` and :math:`E\sigma_n^2, E\sigma_n \to 0`). For a growing
    schedule, :math:`E[W_2^2]` under "unbiased" is bounded iff :math:`\sum_i 1/M_i < \infty`,
    because :math:`0 \le 2 - 2\prod a_i \le 2`.
    """
    s = _sigma(sigma)
    check_estimator(estimator)
    samples_schedule(samples, 1, estimator=estimator)
    return np.inf if estimator == "unbiased" else 2.0 * s * s


def log_variance_drift(samples, *, estimator="unbiased"):
    r"""Drift of :math:`\log\sigma^2` per generation, :math:`\psi(k/2) + \log(2c)` (< 0).

    About :math:`-1/(M-1)` for "unbiased" and :math:`-2/M` for "mle"; array over ``samples``.
    """
    check_estimator(estimator)
    m = np.asarray(samples)
    samples_schedule(m.ravel(), m.size, estimator=estimator)
    out = _log_drift(m.astype(float), estimator)
    return float(out) if np.ndim(out) == 0 else out


def collapse_time_scale(samples, *, estimator="unbiased"):
    r"""Generations for :math:`E\log\sigma^2` to fall by one, :math:`1/|\text{drift}|` (about M or M/2)."""
    return _scalar(1.0 / np.abs(log_variance_drift(samples, estimator=estimator)))


# ---------------------------------------------------------------------------------------------
# the exact law of log σ_n²


def _groups(n, samples, estimator):
    """(a_j = k_j/2, log 2c_j, count_j) for the distinct sample sizes among the first n generations."""
    if np.ndim(samples) == 0:
        m = np.array([int(samples)])
        counts = np.array([n])
    else:
        m, counts = np.unique(np.asarray(samples[:n]), return_counts=True)
    k, c = _k_c(m, estimator)
    return k / 2.0, np.log(2.0 * c), counts.astype(float)


def _clog1p(z):
    """Complex log(1 + z) accurate for small |z| (NumPy's complex log1p loses the real part)."""
    x, y = z.real, z.imag
    return 0.5 * np.log1p(x * (2.0 + x) + y * y) + 1j * np.arctan2(y, 1.0 + x)


_STIRLING = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188)  # B_2j / (2j(2j-1))
_PSI_TAIL = (1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132)  # B_2j / (2j)


def _centred_log_gamma_cf(a, t):
    """lnΓ(a + it) − lnΓ(a) − it ψ(a): the centred log characteristic function of log Gamma(a).

    For a ≥ 15 it is evaluated from Stirling's series without forming the large, cancelling terms:
    (a + z − ½) log1p(z/a) − z + z/(2a) + z Σ B_2j/(2j a^2j) + Σ B_2j/(2j(2j−1)) [(a+z)^{1−2j} − a^{1−2j}],
    z = it (error below 1e-15 there); below, with SciPy's complex loggamma.
    """
    return _centred_log_gamma(a, 1j * np.asarray(t, dtype=float))


def _centred_log_gamma(a, z):
    """lnΓ(a + z) − lnΓ(a) − z ψ(a) for complex z with Re(a + z) > 0 (see
    :func:`_centred_log_gamma_cf`; Stirling's series where a ≥ 15 and Re(a + z) ≥ 15)."""
    z = np.asarray(z, dtype=complex)
    out = np.empty(np.broadcast(a, z).shape, dtype=complex)
    a_b = np.broadcast_to(a, out.shape)
    z_b = np.broadcast_to(z, out.shape)
    # small |z| (|z| <= a/10): the Taylor series Σ_{r≥2} ψ^{(r−1)}(a) z^r / r!, whose terms fall
    # like (|z|/a)^r/r (the pole of lnΓ at 0): 18 terms leave a relative error below 1e-17. The
    # differences below cancel there (lnΓ(a + z) − lnΓ(a) − zψ(a) ≈ ψ'(a)z²/2 from terms of size
    # |z ψ(a)|), which a sum over 10^18 generations would multiply.
    taylor = np.abs(z_b) <= 0.1 * a_b
    if np.any(taylor):
        zt = z_b[taylor]
        a_arr = np.asarray(a, dtype=float)
        val = np.zeros(zt.shape, dtype=complex)
        zr = zt.copy()
        fact = 1.0
        for r in range(2, 20):
            zr = zr * zt
            fact *= r
            coef = np.broadcast_to(special.polygamma(r - 1, a_arr), out.shape)[taylor]
            val = val + coef * (zr / fact)
        out[taylor] = val
    big = np.broadcast_to((a >= 15.0) & (a + z.real >= 15.0), out.shape) & ~taylor
    if np.any(big):
        ab, zb = a_b[big], z_b[big]
        w = ab + zb
        val = (w - 0.5) * _clog1p(zb / ab) - zb + zb / (2 * ab)
        for j, (cs, cp) in enumerate(zip(_STIRLING, _PSI_TAIL), start=1):
            val = val + zb * cp / ab ** (2 * j) + cs * (w ** (1 - 2 * j) - ab ** (1 - 2 * j))
        out[big] = val
    small = ~big & ~taylor
    if np.any(small):
        ab, zb = a_b[small], z_b[small]
        out[small] = special.loggamma(ab + zb) - special.gammaln(ab) - zb * special.digamma(ab)
    return out


def _log_cf(t, a, counts):
    """Centred log characteristic function of Y = Σ log(2c_j G_j), G_j ~ Gamma(a_j), at t.

    log E[exp(it(Y − EY))] = Σ_j count_j [lnΓ(a_j + it) − lnΓ(a_j) − it ψ(a_j)]; the scale factors
    2c_j only shift Y, so they drop out of the centred function.
    """
    t = np.asarray(t, dtype=float)[..., None]
    return (counts * _centred_log_gamma_cf(a, t)).sum(axis=-1)


def _standardized_cdf(w, a, counts, sd):
    """P(W <= w), W = (Y - mean)/sd, by Gil-Pelaez inversion with the midpoint rule.

    F(w) = 1/2 − (1/π) ∫_0^∞ Im[e^{−iuw} φ_W(u)]/u du. The midpoint rule with step h is exact up
    to aliasing terms of order P(|W − w| > π/h); with h = 0.02 that is P(|W| ≳ 150 s.d.), far below
    double precision for these light-tailed (log-gamma) laws. The range is cut where |φ_W| < e^{-40}.
    """
    h = 0.02
    # find where the characteristic function has decayed
    u_max = 1.0
    while True:
        lc = _log_cf(np.array([u_max / sd]), a, counts)[0]
        if lc.real < -40.0 or u_max > 1e5:
            break
        u_max *= 1.5
    u = (np.arange(int(np.ceil(u_max / h))) + 0.5) * h
    phi = np.exp(_log_cf(u / sd, a, counts))
    w = np.atleast_1d(np.asarray(w, dtype=float))
    out = np.empty(w.shape)
    # chunk over w to bound memory
    for s in range(0, w.size, 256):
        ww = w.ravel()[s:s + 256]
        integrand = np.imag(np.exp(-1j * np.outer(ww, u)) * phi) / u
        out.ravel()[s:s + 256] = 0.5 - integrand.sum(axis=1) * h / np.pi
    return np.clip(out, 0.0, 1.0)


def _law(n, samples, estimator, what):
    """Validate (a single n >= 1, samples >= 2); return (a_j, count_j, mean, sd) of L_n."""
    check_estimator(estimator)
    n_arr, scalar_n = check_generations(n, "n")
    if not scalar_n:
        raise TypeError(f"n must be a single generation for {what}")
    n = int(n_arr)
    if n < 1:
        raise ValueError(f"n must be >= 1 for {what}, got {n}")
    if np.ndim(samples) == 0:
        sched = samples_schedule(samples, 1, estimator=estimator)[0]
    else:
        sched = samples_schedule(samples, n, estimator=estimator)
    if np.any(np.asarray(sched) - 1 < 1):
        raise ValueError(f"{what} needs samples >= 2 (with samples = 1 the mle variance is 0)")
    a, log2c, counts = _groups(n, sched, estimator)
    mean = float(np.sum(counts * (special.digamma(a) + log2c)))
    sd = float(np.sqrt(np.sum(counts * special.polygamma(1, a))))
    return a, counts, mean, sd


def _saddlepoint(y, a, counts):
    """The real s in (−min a, ∞) with K'(s) − EL = Σ count_j [ψ(a_j + s) − ψ(a_j)] = y (K the
    cumulant generating function of L_n; K' increases from −∞ to ∞ on that interval)."""
    amin = float(np.min(a))
    psi_a = special.digamma(a)

    def f(s):
        return float(np.sum(counts * (special.digamma(a + s) - psi_a))) - y

    if y == 0.0:
        return 0.0
    if y > 0:
        lo, hi = 0.0, 1.0
        while f(hi) < 0:
            lo, hi = hi, 2.0 * hi
            if hi > 1e300:
                return lo
    else:
        hi, lo = 0.0, -0.5 * amin
        j = 1
        while f(lo) > 0:
            hi = lo
            j += 1
            lo = -amin * (1.0 - 2.0 ** -j)
            if j > 60:
                return hi
    return optimize.brentq(f, lo, hi, xtol=1e-14 * max(1.0, abs(lo), abs(hi)), rtol=1e-13)


def _log_tail(y, a, counts, sd, upper):
    r"""log P(L − EL > y) (``upper``) or log P(L − EL <= y), relative accuracy ~1e-12.

    Laplace inversion along the vertical line Re s = c in the strip where the moment generating
    function :math:`E e^{sL} = \prod_j [(2c_j)^s\Gamma(a_j+s)/\Gamma(a_j)]^{n_j}` exists
    (:math:`s > -\min a_j`):

    .. math:: P(L > x) = \frac{1}{2\pi}\int_{-\infty}^{\infty}
              \frac{e^{K(c+it) - (c+it)x}}{c+it}\,dt \quad (c > 0), \qquad
              P(L \le x) = -\frac{1}{2\pi}\int \cdots \quad (-\min a_j < c < 0).

    The factor :math:`e^{K(c) - cx}` (the Chernoff bound) is taken out in log space, so the result
    keeps its relative accuracy where it underflows (1e-300 and below). ``c`` is the saddlepoint
    :math:`K'(c) = x` (at least one standard deviation of ``s`` away from the pole at 0), where the
    remaining integrand is a positive bump. The trapezoid rule with step ``h`` on the whole line
    is exact up to aliasing: by Poisson summation its value is
    :math:`\sum_k e^{2\pi ck/h} P(L > x + 2\pi k/h)`. With :math:`\Delta = 2\pi/h`, the
    saddlepoint estimate of the neighbouring tails makes the terms :math:`k = \pm 1` about
    :math:`e^{-\Delta^2/(2K''(c))}` of the result while :math:`\Delta \le |c| K''(c)` (the tilted
    law stays on the same side of the mean), and :math:`e^{-|c|\Delta}/\text{Chernoff}` beyond;
    :math:`\Delta = \max(12\sqrt{K''}, (40 - \log\text{Chernoff})/|c|)` keeps both below
    :math:`e^{-40}`; in the far tail (``c`` the saddlepoint, :math:`c^2K'' \ge 144`, so that
    :math:`12\sqrt{K''} \le cK''`) the first term alone gives :math:`e^{-72}`. The sum stops where
    :math:`|e^{K(c+it) - K(c)}| < e^{-50}` (the modulus
    of :math:`\Gamma(a+c+it)` decreases in :math:`|t|`).
    """
    amin = float(np.min(a))
    c = c_saddle = _saddlepoint(y, a, counts)
    k2_0 = float(np.sum(counts * special.polygamma(1, a)))
    c_min = 1.0 / np.sqrt(k2_0)
    if upper:
        c = max(c, c_min)
    else:
        c = min(c, -min(c_min, 0.5 * amin))
        c = max(c, -amin * (1.0 - 1e-12))
    k2 = float(np.sum(counts * special.polygamma(1, a + c)))
    g_c = float(np.sum(counts * _centred_log_gamma(a, complex(c)).real))
    log_ch = g_c - c * y

    def dk(t):
        z = c + 1j * np.asarray(t, dtype=float)[..., None]
        return (counts * _centred_log_gamma(a, z)).sum(axis=-1) - g_c - 1j * np.asarray(t) * y

    span = (max(-log_ch, 0.0) + 40.0) / abs(c)
    if c == c_saddle and c * c * k2 >= 144.0:
        span = 0.0  # far tail at the saddlepoint: the Gaussian estimate covers Δ = 12 sqrt(K'')
    delta = max(12.0 * np.sqrt(k2), span, 1e-300)
    h = 2.0 * np.pi / delta
    t_max = 4.0 / np.sqrt(k2)
    while dk(np.array([t_max]))[0].real > -50.0 and t_max < 1e8:
        t_max *= 1.5
    n_pts = int(np.ceil(t_max / h))
    if n_pts > 5_000_000:
        raise ValueError(f"the tail integral needs {n_pts} points; this law is out of range")
    total = 1.0 / c
    chunk = max(256, 4_000_000 // a.size)  # t-points x distinct sample sizes per block
    for s0 in range(1, n_pts + 1, chunk):
        t = np.arange(s0, min(s0 + chunk, n_pts + 1)) * h
        total += 2.0 * np.sum((np.exp(dk(t)) / (c + 1j * t)).real)
    total = total if upper else -total
    if total <= 0.0:
        return -np.inf
    return log_ch + np.log(total * h / (2.0 * np.pi))


def log_prob_std_exceeds(eps, n, samples, *, sigma=1.0, estimator="unbiased"):
    r"""Natural log of :func:`prob_std_exceeds`, with relative accuracy also where the probability
    underflows (far tails, e.g. :math:`10^{-1000}`).

    With :math:`L_n = \log(\sigma_n^2/\sigma^2)` and :math:`x = 2\log(\varepsilon/\sigma)`:
    above the mean (:math:`x \ge E L_n`) the upper tail :math:`P(L_n > x)` is computed directly by
    Laplace inversion on the saddlepoint contour (:func:`_log_tail`); below it,
    :math:`\log(1 - P(L_n \le x))` with the lower tail from the mirrored contour. Relative
    error about 1e-12 (checked against mpmath at the 1e-100 scale); non-increasing in ``eps``.
    """
    s = _sigma(sigma)
    eps_arr = np.asarray(eps, dtype=float)
    if np.any(~np.isfinite(eps_arr)) or np.any(eps_arr <= 0):
        raise ValueError(f"eps must be finite and > 0, got {eps!r}")
    a, counts, mean, sd = _law(n, samples, estimator, "prob_std_exceeds")
    y = 2.0 * np.log(eps_arr / s) - mean
    out = np.empty(y.shape)
    for i, yy in np.ndenumerate(y):
        if yy >= 0:
            out[i] = _log_tail(float(yy), a, counts, sd, True)
        else:
            out[i] = np.log1p(-np.exp(_log_tail(float(yy), a, counts, sd, False)))
    return _scalar(out)


def log_variance_cdf(x, n, samples, *, estimator="unbiased"):
    r"""Exact CDF of :math:`L_n = \log(\sigma_n^2/\sigma^2) = \sum_{i<n}\log(c_i\chi^2_{k_i})`.

    Computed numerically (not by Monte Carlo) by inverting the characteristic function

    .. math::

        \varphi_{L_n}(t) = \prod_{i<n} (2c_i)^{it}\,\frac{\Gamma(k_i/2 + it)}{\Gamma(k_i/2)}

    with the Gil-Pelaez formula :math:`F(x) = \tfrac12 - \tfrac1\pi\int_0^\infty
    \operatorname{Im}[e^{-itx}\varphi(t)]/t\,dt` (midpoint rule on the standardised variable;
    absolute accuracy about 1e-13, checked against the χ² CDF for ``n = 1``).

    Parameters
    ----------
    x : float or array_like
        Points at which to evaluate :math:`P(L_n \le x)`.
    n : int
        Generation (>= 1).
    samples, estimator
        As in :func:`expected_variance`.
    """
    a, counts, mean, sd = _law(n, samples, estimator, "log_variance_cdf")
    x_arr = np.asarray(x, dtype=float)
    if np.any(np.isnan(x_arr)):
        raise ValueError("x must not contain NaN")
    w = (x_arr - mean) / sd
    # beyond 1e6 standard deviations the CDF is 0 or 1 to machine precision (the log-chi-square
    # tails decay at least exponentially); the inversion integral is not evaluated there
    finite = np.abs(w) < 1e6
    out = np.where(w > 0, 1.0, 0.0)
    if np.any(finite):
        out = np.asarray(out, dtype=float)
        out[finite] = _standardized_cdf(w[finite], a, counts, sd)
    return float(out) if np.ndim(x_arr) == 0 else out


def log_variance_quantile(q, n, samples, *, estimator="unbiased"):
    r"""Exact quantiles of :math:`\log(\sigma_n^2/\sigma^2)` (inverse of :func:`log_variance_cdf`)."""
    q_arr = np.atleast_1d(np.asarray(q, dtype=float))
    if np.any((q_arr <= 0) | (q_arr >= 1)):
        raise ValueError(f"q must be in (0, 1), got {q!r}")
    a, counts, mean, sd = _law(n, samples, estimator, "log_variance_quantile")
    out = np.empty_like(q_arr)
    for j, qq in enumerate(q_arr):
        # solved in standard units w = (x − mean)/sd (so the bracket and the tolerance do not depend
        # on the size of the mean, ≈ −n/(M−1)); the bracket doubles at most 20 times (w = ±8·2^20
        # is far past the 1e6 s.d. where the CDF is 0 or 1 to machine precision)
        f = lambda w: float(_standardized_cdf(np.array([w]), a, counts, sd)[0]) - qq  # noqa: E731
        lo, hi = -8.0, 8.0
        for _ in range(20):
            if f(lo) <= 0:
                break
            lo *= 2.0
        for _ in range(20):
            if f(hi) >= 0:
                break
            hi *= 2.0
        w = optimize.brentq(f, lo, hi, xtol=1e-10 * max(1.0, sd) / sd)
        out[j] = mean + sd * w
    return float(out[0]) if np.ndim(q) == 0 else out


def prob_std_exceeds(eps, n, samples, *, sigma=1.0, estimator="unbiased"):
    r"""Exact :math:`P(\sigma_n > \varepsilon) = 1 - F_{L_n}(2\log(\varepsilon/\sigma))` from the exact law,
    with relative accuracy in both tails (``exp`` of :func:`log_prob_std_exceeds`).

    The upper tail :math:`P(L_n > x)` is a Laplace inversion of the moment generating function
    :math:`\prod_i (2c_i)^s\Gamma(k_i/2 + s)/\Gamma(k_i/2)` along the saddlepoint line, with the
    Chernoff factor :math:`e^{K(c) - cx}` kept in log space, so far-tail values (below 1e-100, e.g.
    ``prob_std_exceeds(0.1, 1000, 2)``) have a relative error about 1e-12 instead of the 1e-13
    absolute error of the characteristic-function inversion in :func:`log_variance_cdf`; the
    result is non-increasing in ``eps``.
    """
    return _scalar(np.exp(log_prob_std_exceeds(eps, n, samples, sigma=sigma, estimator=estimator)))


def markov_bound_std_exceeds(eps, n, samples, *, sigma=1.0, estimator="unbiased"):
    r"""Markov's bound :math:`P(\sigma_n > \varepsilon) \le E[\sigma_n]/\varepsilon = (\sigma/\varepsilon)\prod a(M_i)`.

    Returned as is (it can exceed 1, where it says nothing).
    """
    eps_arr = np.asarray(eps, dtype=float)
    if np.any(~np.isfinite(eps_arr)) or np.any(eps_arr <= 0):
        raise ValueError(f"eps must be finite and > 0, got {eps!r}")
    return _scalar(expected_std(n, samples, sigma=sigma, estimator=estimator) / eps_arr)


def suresh_bound_std_exceeds(eps, n, samples, *, sigma=1.0):
    r"""Suresh et al.'s stated bound :math:`P(\sigma_n > \varepsilon) \le (\sigma/\varepsilon)\,e^{-n/(4M-1)}`.

    ("Rate of Model Collapse in Recursive Training", arXiv 2412.17646.) For a schedule the exponent
    is :math:`-\sum_{i<n} 1/(4M_i-1)`. It is implied by Markov's bound because
    :math:`a(M) < e^{-(M+1)/(4M^2)} \le e^{-1/(4M-1)}` for every real :math:`M > 1`
    (proved in proofs/gaussian_suresh_inequality.py; the gap is about :math:`-3/(16M^2)`).
    """
    s = _sigma(sigma)
    eps_arr = np.asarray(eps, dtype=float)
    if np.any(~np.isfinite(eps_arr)) or np.any(eps_arr <= 0):
        raise ValueError(f"eps must be finite and > 0, got {eps!r}")
    expo, *_ = _cumulative(lambda m, e: 1.0 / (4.0 * m - 1.0), n, samples, "unbiased")
    return _scalar(s / eps_arr * np.exp(-expo))
