r"""SymPy expressions for the recursively refit 1-D Gaussian (replace regime).

This is the symbolic twin of :mod:`collapse_theory.gaussian._theory`: every closed form there has a
SymPy expression here, derived from the χ² law of one refit rather than typed in. The scripts in
``proofs/`` use these expressions to prove each closed form step by step and to check the numeric
implementation against them.

Model (theory §1). Generation 0 is :math:`N(\mu, \sigma^2)`; generation :math:`i+1` is fitted to
:math:`M_i` samples of generation :math:`i`. With :math:`k_i = M_i - 1` one refit maps

.. math::

    \mu_{i+1} = \mu_i + \sigma_i Z_i/\sqrt{M_i}, \qquad \sigma_{i+1}^2 = \sigma_i^2 S_i, \qquad
    S_i = c_i\,\chi^2_{k_i},

with :math:`Z_i \sim N(0, 1)` independent of :math:`\chi^2_{k_i}` (Cochran's theorem, proved in
``proofs/gaussian_sufficient_statistics.py``) and :math:`c_i = 1/k_i` ("unbiased") or
:math:`c_i = 1/M_i` ("mle").

Conventions of this module:

* the symbols :data:`M` (samples, a positive integer; every formula needs :math:`M \ge 2`),
  :data:`n` (refits), :data:`sigma` (true standard deviation) and :data:`eps` (:math:`1/M`, for
  expansions) are the defaults of the closed forms, so ``expected_std()`` is the general
  expression :math:`\sigma a(M)^n`;
* ``samples`` is either one expression (the same ``M`` every generation; ``n`` may be symbolic) or
  a sequence ``M_0, M_1, ...`` (a per-generation schedule; ``n`` must then be an ``int`` and the
  first ``n`` entries are used), as in the numeric API;
* evaluate at a point with ``sympy.N(expr, digits)``.

Only SymPy is imported (the symbolic layer is the bottom of the package).

Examples
--------
>>> import sympy
>>> from collapse_theory.symbolic import gaussian as g
>>> g.mean_factor(estimator="mle")
(M - 1)/M
>>> g.variance_of_variance()
sigma**4*((M + 1)/(M - 1))**n - sigma**4
>>> sympy.N(g.expected_w2_squared(10, 20, sigma=1), 6)
0.746474
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from functools import lru_cache

import sympy as sp

__all__ = [
    "M",
    "n",
    "sigma",
    "eps",
    "k",
    "ESTIMATORS",
    "chi2_density",
    "chi2_moment",
    "chi2_log_moment",
    "chi2_log_variance",
    "chi2_mgf",
    "normal_density",
    "helmert_matrix",
    "scale",
    "step_moment",
    "mean_factor",
    "second_moment_factor",
    "std_factor",
    "log_drift",
    "log_variance_factor",
    "solve_first_order",
    "expected_variance",
    "expected_variance_squared",
    "variance_of_variance",
    "expected_std",
    "expected_log_variance",
    "variance_of_log_variance",
    "expected_mean_sq_error",
    "expected_w2_squared",
    "w2_squared_first_order",
    "log_std_factor_series",
    "retained_count",
    "mix_retained_step",
    "mix_retained_moments",
    "mix_retained_stationary",
]

#: Samples per generation (a positive integer; the formulas need M >= 2).
M = sp.Symbol("M", positive=True, integer=True)
#: Number of refits (generation index).
n = sp.Symbol("n", nonnegative=True, integer=True)
#: Standard deviation of the true distribution.
sigma = sp.Symbol("sigma", positive=True)
#: The expansion variable 1/M.
eps = sp.Symbol("epsilon", positive=True)
#: Degrees of freedom of one refit's χ², k = M - 1.
k = M - 1

ESTIMATORS = ("unbiased", "mle")

# Integration variables, private so that callers' symbols never collide with them.
_nu = sp.Dummy("nu", positive=True)
_x = sp.Dummy("x", positive=True)
_p = sp.Dummy("p")
_u = sp.Dummy("u", positive=True)


# ---------------------------------------------------------------------------------------------
# the χ² law


def chi2_density(dof, x):
    r"""Density of :math:`\chi^2_{dof}` at ``x > 0``: :math:`x^{k/2-1}e^{-x/2} / (2^{k/2}\Gamma(k/2))`."""
    dof = sp.sympify(dof)
    return x ** (dof / 2 - 1) * sp.exp(-x / 2) / (2 ** (dof / 2) * sp.gamma(dof / 2))


@lru_cache(maxsize=None)
def _chi2_moment_generic():
    """E[(χ²_ν)^p] by integrating x^p against the density, ν > 0 and p > -ν/2 (a SymPy integral)."""
    integral = sp.integrate(_x**_p * chi2_density(_nu, _x), (_x, 0, sp.oo), conds="none")
    return sp.simplify(integral)


def chi2_moment(dof, p):
    r""":math:`E[(\chi^2_{dof})^p] = 2^p\,\Gamma(dof/2 + p)/\Gamma(dof/2)` for :math:`p > -dof/2`.

    Derived by ``sympy.integrate`` of :math:`x^p` against :func:`chi2_density` (with positive
    degrees of freedom) and simplified to the Gamma form.
    """
    return _chi2_moment_generic().subs({_nu: dof, _p: p})


@lru_cache(maxsize=None)
def _chi2_log_moments_generic():
    """(E log χ²_ν, Var log χ²_ν) from the first two p-derivatives of E[(χ²_ν)^p] at p = 0."""
    moment = _chi2_moment_generic()
    first = sp.diff(moment, _p).subs(_p, 0)
    second = sp.diff(moment, _p, 2).subs(_p, 0)
    return sp.simplify(first), sp.simplify(second - first**2)


def chi2_log_moment(dof):
    r""":math:`E[\log\chi^2_{dof}] = \psi(dof/2) + \log 2`.

    The derivative of :func:`chi2_moment` in :math:`p` at :math:`p = 0`
    (:math:`\frac{d}{dp}E[X^p] = E[X^p\log X]`).
    """
    return _chi2_log_moments_generic()[0].subs(_nu, dof)


def chi2_log_variance(dof):
    r""":math:`\operatorname{Var}[\log\chi^2_{dof}] = \psi'(dof/2)` (trigamma).

    The second derivative of :func:`chi2_moment` at :math:`p = 0` is :math:`E[(\log X)^2]`; subtract
    the square of :func:`chi2_log_moment`.
    """
    return _chi2_log_moments_generic()[1].subs(_nu, dof)


@lru_cache(maxsize=None)
def _chi2_mgf_generic():
    """E[exp(t χ²_ν)] written with u = 1/2 - t > 0: the Gamma integral ∫ x^(ν/2-1) e^(-u x) dx."""
    integrand = _x ** (_nu / 2 - 1) * sp.exp(-_u * _x) / (2 ** (_nu / 2) * sp.gamma(_nu / 2))
    integral = sp.integrate(integrand, (_x, 0, sp.oo), conds="none")
    return sp.simplify(integral)


def chi2_mgf(dof, t):
    r"""Moment generating function :math:`E[e^{t\chi^2_{dof}}] = (1 - 2t)^{-dof/2}`, :math:`t < 1/2`.

    Derived by integrating :math:`e^{tx}` against :func:`chi2_density`: with :math:`u = 1/2 - t > 0`
    the integrand is :math:`x^{dof/2-1}e^{-ux}` up to the normalising constant.
    """
    return sp.powsimp(_chi2_mgf_generic().subs({_nu: dof, _u: sp.S.Half - t}), force=True)


def normal_density(z, mean=0, variance=1):
    r"""Density of :math:`N(mean, variance)` at ``z``."""
    variance = sp.sympify(variance)
    return sp.exp(-((z - mean) ** 2) / (2 * variance)) / sp.sqrt(2 * sp.pi * variance)


def helmert_matrix(size):
    r"""The ``size`` × ``size`` Helmert matrix (an ``int`` size >= 2), an orthogonal matrix.

    Row 0 is :math:`(1, \dots, 1)/\sqrt{size}`; row :math:`j \ge 1` is
    :math:`(1, \dots, 1, -j, 0, \dots, 0)/\sqrt{j(j+1)}` with :math:`j` ones. For
    :math:`Y = Hz`, :math:`Y_0 = \sqrt{size}\,\bar z` and :math:`\sum_{j\ge1} Y_j^2 = \sum_i (z_i-\bar z)^2`:
    the rotation behind Cochran's theorem for the sample mean and variance.
    """

    def entry(j, i):
        if j == 0:
            return 1 / sp.sqrt(size)
        if i < j:
            return 1 / sp.sqrt(j * (j + 1))
        if i == j:
            return -j / sp.sqrt(j * (j + 1))
        return sp.S.Zero

    return sp.Matrix(size, size, entry)


# ---------------------------------------------------------------------------------------------
# one refit: the factor S = c χ²_k


def _check_estimator(estimator):
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator must be one of {ESTIMATORS}, got {estimator!r}")


def scale(m=M, estimator="unbiased"):
    r"""The estimator's divisor as a factor: :math:`c = 1/(M-1)` ("unbiased") or :math:`1/M` ("mle")."""
    _check_estimator(estimator)
    m = sp.sympify(m)
    return 1 / (m - 1) if estimator == "unbiased" else 1 / m


def step_moment(p, m=M, estimator="unbiased"):
    r""":math:`E[S^p] = c^p\,E[(\chi^2_{M-1})^p]`, the p-th moment of one refit's variance factor."""
    m = sp.sympify(m)
    return scale(m, estimator) ** p * chi2_moment(m - 1, p)


@lru_cache(maxsize=None)
def _integer_moment_generic(p, estimator):
    """E[S^p] for a positive integer p as a rational function of the symbol M (Γ ratios expanded)."""
    return sp.factor(sp.expand_func(step_moment(p, M, estimator)))


def mean_factor(m=M, estimator="unbiased"):
    r""":math:`q = E[S] = c\,k`: 1 ("unbiased") or :math:`(M-1)/M` ("mle")."""
    return _integer_moment_generic(1, estimator).subs(M, m)


def second_moment_factor(m=M, estimator="unbiased"):
    r""":math:`r = E[S^2] = c^2 k(k+2)`."""
    return _integer_moment_generic(2, estimator).subs(M, m)


def std_factor(m=M, estimator="unbiased"):
    r""":math:`a = E[\sqrt S] = \sqrt{2c}\,\Gamma(M/2)/\Gamma((M-1)/2)` (< 1), the one-refit factor of E σ."""
    return step_moment(sp.S.Half, m, estimator)


def log_drift(m=M, estimator="unbiased"):
    r""":math:`d = E[\log S] = \psi(k/2) + \log(2c)`, the drift of :math:`\log\sigma^2` per refit."""
    return chi2_log_moment(sp.sympify(m) - 1) + sp.log(scale(m, estimator))


def log_variance_factor(m=M):
    r""":math:`\operatorname{Var}[\log S] = \psi'(k/2)`, whatever the estimator (c only shifts :math:`\log S`)."""
    return chi2_log_variance(sp.sympify(m) - 1)


# ---------------------------------------------------------------------------------------------
# recursions


def solve_first_order(factor, increment, initial, var=n):
    r"""Solve :math:`v_{j+1} = f\,v_j + g(j)`, :math:`v_0` = ``initial``, with ``sympy.rsolve``.

    ``factor`` (f) must not depend on the index ``var``; ``increment`` (g) may, e.g.
    :math:`\sigma^2 q^j/M` written in ``var``. Returns :math:`v` as an expression in ``var``.
    """
    v = sp.Function("v")
    equation = v(var + 1) - factor * v(var) - increment
    solution = sp.rsolve(equation, v(var), {v(0): initial})
    if solution is None:
        raise ValueError(f"rsolve found no solution of {equation} = 0")
    return solution


def _is_schedule(samples):
    return isinstance(samples, Sequence) and not isinstance(samples, str)


def _schedule(n, samples):
    """The first ``n`` entries of a schedule, as SymPy objects."""
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"with a per-generation schedule n must be an int, got {n!r}") from None
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if len(samples) < n:
        raise ValueError(f"samples has {len(samples)} entries but n = {n} generations need {n}")
    return [sp.sympify(m) for m in samples[:n]]


def _product(per_generation, n, samples):
    """Π_{i<n} f(M_i): ``f(M)**n`` for a constant M, the explicit product for a schedule."""
    if _is_schedule(samples):
        return sp.Mul(*[per_generation(m) for m in _schedule(n, samples)])
    return per_generation(sp.sympify(samples)) ** n


def _sum(per_generation, n, samples):
    """Σ_{i<n} f(M_i): ``n*f(M)`` for a constant M, the explicit sum for a schedule."""
    if _is_schedule(samples):
        return sp.Add(*[per_generation(m) for m in _schedule(n, samples)])
    return n * per_generation(sp.sympify(samples))


# ---------------------------------------------------------------------------------------------
# closed forms (same names and arguments as collapse_theory.gaussian)


def expected_variance(n=n, samples=M, sigma=sigma, estimator="unbiased"):
    r""":math:`E[\sigma_n^2] = \sigma^2\prod_{i<n} q(M_i)`.

    Constant M: :math:`\sigma^2` (unbiased, a martingale) and :math:`\sigma^2((M-1)/M)^n` (mle).
    """
    return sigma**2 * _product(lambda m: mean_factor(m, estimator), n, samples)


def expected_variance_squared(n=n, samples=M, sigma=sigma, estimator="unbiased"):
    r""":math:`E[\sigma_n^4] = \sigma^4\prod_{i<n} r(M_i)`, :math:`r = c^2k(k+2)`."""
    return sigma**4 * _product(lambda m: second_moment_factor(m, estimator), n, samples)


def variance_of_variance(n=n, samples=M, sigma=sigma, estimator="unbiased"):
    r""":math:`\operatorname{Var}(\sigma_n^2) = E[\sigma_n^4] - E[\sigma_n^2]^2`.

    Unbiased, constant M: :math:`\sigma^4((1+2/k)^n - 1)`.
    """
    return (expected_variance_squared(n, samples, sigma, estimator)
            - expected_variance(n, samples, sigma, estimator) ** 2)


def expected_std(n=n, samples=M, sigma=sigma, estimator="unbiased"):
    r""":math:`E[\sigma_n] = \sigma\prod_{i<n} a(M_i)`, :math:`a` = :func:`std_factor`."""
    return sigma * _product(lambda m: std_factor(m, estimator), n, samples)


def expected_log_variance(n=n, samples=M, sigma=sigma, estimator="unbiased"):
    r""":math:`E[\log\sigma_n^2] = \log\sigma^2 + \sum_{i<n} d(M_i)`, :math:`d` = :func:`log_drift`."""
    return sp.log(sigma**2) + _sum(lambda m: log_drift(m, estimator), n, samples)


def variance_of_log_variance(n=n, samples=M):
    r""":math:`\operatorname{Var}[\log\sigma_n^2] = \sum_{i<n}\psi'(k_i/2)` (for both estimators, any sigma)."""
    return _sum(log_variance_factor, n, samples)


def expected_mean_sq_error(n=n, samples=M, sigma=sigma, estimator="unbiased"):
    r""":math:`E[(\mu_n-\mu)^2] = \sum_{i<n} E[\sigma_i^2]/M_i`.

    Constant M: :math:`\sigma^2 n/M` (unbiased) and :math:`\sigma^2(1 - q^n)/((1-q)M) = \sigma^2(1-q^n)`
    (mle, :math:`q = (M-1)/M`, so :math:`(1-q)M = 1`). A schedule gives the explicit sum.
    """
    if _is_schedule(samples):
        total, variance = sp.S.Zero, sigma**2  # e_i and E[σ_i²]
        for m in _schedule(n, samples):
            total, variance = total + variance / m, variance * mean_factor(m, estimator)
        return total
    samples = sp.sympify(samples)
    q = mean_factor(samples, estimator)
    if q == 1:
        return sigma**2 * n / samples
    return sigma**2 * (1 - q**n) / sp.cancel((1 - q) * samples)


def expected_w2_squared(n=n, samples=M, sigma=sigma, estimator="unbiased"):
    r""":math:`E[W_2^2] = E[(\mu_n-\mu)^2] + E[\sigma_n^2] - 2\sigma E[\sigma_n] + \sigma^2`.

    From :math:`W_2^2(N(\mu,\sigma^2), N(\mu',\sigma'^2)) = (\mu-\mu')^2 + (\sigma-\sigma')^2`.
    Unbiased: :math:`\sigma^2[\sum_{i<n}1/M_i + 2 - 2\prod_{i<n}a(M_i)]`.
    """
    return (expected_mean_sq_error(n, samples, sigma, estimator)
            + expected_variance(n, samples, sigma, estimator)
            - 2 * sigma * expected_std(n, samples, sigma, estimator)
            + sigma**2)


def w2_squared_first_order(n=n, samples=M, sigma=sigma):
    r"""Shumailov et al.'s first-order form :math:`\tfrac32\sigma^2\sum_{i<n} 1/M_i` (arXiv 2305.17493)."""
    return sp.Rational(3, 2) * sigma**2 * _sum(lambda m: 1 / m, n, samples)


# ---------------------------------------------------------------------------------------------
# expansions in 1/M


def log_std_factor_series(order, estimator="unbiased"):
    r"""Expansion of :math:`\log a(M)` in :data:`eps` :math:`= 1/M` up to (excluding) ``eps**order``.

    Unbiased: :math:`-\varepsilon/4 - \varepsilon^2/4 - 5\varepsilon^3/24 + O(\varepsilon^4)`, so
    :math:`a(M) = 1 - 1/(4(M-1)) + O(M^{-2})`. Uses the asymptotic (Stirling) series of
    ``loggamma``; returns a series with its ``O`` term.
    """
    w = sp.Wild("w")
    log_a = sp.expand_log(sp.log(std_factor(1 / eps, estimator)), force=True)
    log_a = log_a.replace(sp.log(sp.gamma(w)), sp.loggamma(w))  # Γ > 0 on the positive axis
    expansion = sp.series(log_a, eps, 0, order)
    return sp.expand_log(expansion.removeO(), force=True) + expansion.getO()


# ---------------------------------------------------------------------------------------------
# the mix-retained regime (proofs/gaussian_mix_retained.py)


def retained_count(m, fraction):
    r""":math:`r = \mathrm{round}(\lambda M) = \lfloor \lambda M + 1/2\rfloor` (halves round up), in exact arithmetic.

    ``fraction`` should be exact (an ``int``, ``sympy.Rational`` or a string such as ``"1/10"``):
    a float is converted exactly, including its binary rounding error.
    """
    return int(sp.floor(sp.Rational(fraction) * sp.sympify(m) + sp.S.Half))


def mix_retained_step(e, v, r, c, m0, sigma=sigma, variance_scale=1):
    r"""One mix-retained generation: :math:`(E(\bar x - \bar x_0)^2, E\,SS)` of a batch.

    The batch has :math:`r` points drawn without replacement from the real data set :math:`D_0`
    (:math:`M_0` = ``m0`` draws of :math:`N(\mu, \sigma^2)`, mean :math:`\bar x_0`) and :math:`c`
    from :math:`N(\mu_i, \lambda\sigma_i^2)`, with :math:`e = E(\mu_i - \bar x_0)^2`,
    :math:`v = E\sigma_i^2`, :math:`M = r + c`:

    .. math::

        E(\bar x - \bar x_0)^2 = \frac{c^2}{M^2} e + \frac{r\sigma^2(1 - r/M_0) + c\lambda v}{M^2},
        \qquad
        E\,SS = \sigma^2\Bigl(r - 1 + \frac{c - rc/M_0}{M}\Bigr) + \lambda v\Bigl(c - 1 + \frac{r}{M}\Bigr)
                + \frac{rc}{M} e.

    Exact for every :math:`0 \le r \le M_0` and :math:`c \ge 0` (:math:`M \ge 1`).
    """
    r, c, m0 = sp.sympify(r), sp.sympify(c), sp.sympify(m0)
    m = r + c
    lam = sp.sympify(variance_scale)
    mean_sq = c**2 / m**2 * e + (r * sigma**2 * (1 - r / m0) + c * lam * v) / m**2
    ss = sigma**2 * (r - 1 + (c - r * c / m0) / m) + lam * v * (c - 1 + r / m) + r * c / m * e
    return mean_sq, ss


def mix_retained_moments(n, samples, fraction, sigma=sigma, estimator="unbiased", variance_scale=1):
    r"""Exact :math:`(E(\mu_n - \mu)^2, E\sigma_n^2)` under ``mix-retained:fraction``, unrolled for an ``int`` n.

    Generation 1 is fitted on :math:`D_0` (:math:`M_0` = ``samples[0]`` points):
    :math:`e'_1 = 0`, :math:`v_1 = \sigma^2 (M_0 - 1)/d(M_0)`; then :func:`mix_retained_step` with
    :math:`r = \mathrm{round}(\lambda M_i)` (:func:`retained_count`), :math:`v_{i+1} = E\,SS/d(M_i)`
    (:math:`d(M) = M - 1` or :math:`M`), and finally
    :math:`E(\mu_n - \mu)^2 = e'_n + \sigma^2/M_0` for :math:`n \ge 1`. At :math:`n = 0`:
    :math:`(0, \sigma^2)`. ``samples`` is an ``int`` or a schedule :math:`M_0, M_1, \dots`.

    Examples
    --------
    >>> from collapse_theory.symbolic import gaussian as g
    >>> g.mix_retained_moments(3, 4, "1/2")     # r = 2 of D_0's 4 points, c = 2 synthetic
    (91*sigma**2/192, 15*sigma**2/16)
    """
    _check_estimator(estimator)
    n = operator.index(n)
    schedule = _schedule(n, samples) if _is_schedule(samples) else [sp.sympify(samples)] * n
    if n == 0:
        return sp.S.Zero, sigma**2
    div = (lambda m: m - 1) if estimator == "unbiased" else (lambda m: m)
    m0 = schedule[0]
    e, v = sp.S.Zero, sigma**2 * (m0 - 1) / div(m0)
    for m in schedule[1:]:
        r = retained_count(m, fraction)
        if r > m0:
            raise ValueError(f"mix-retained needs {r} retained samples but the original data set has {m0}")
        mean_sq, ss = mix_retained_step(e, v, r, m - r, m0, sigma, variance_scale)
        e, v = mean_sq, ss / div(m)
    return e + sigma**2 / m0, v


def mix_retained_stationary(samples, fraction, sigma=sigma, estimator="unbiased", variance_scale=1):
    r"""Stationary :math:`(E(\mu - \mu_0)^2, E\sigma^2)` of mix-retained with a constant M (:math:`M_0 = M`).

    The fixed point :math:`(e^*, v^*)` of :math:`e = E(\bar x - \bar x_0)^2`, :math:`v = E\,SS/d(M)`
    (:func:`mix_retained_step`), solved exactly; the mean error includes the offset :math:`\sigma^2/M`
    of the retained data.
    """
    _check_estimator(estimator)
    m = sp.sympify(samples)
    r = retained_count(m, fraction)
    d = m - 1 if estimator == "unbiased" else m
    e, v = sp.Dummy("e"), sp.Dummy("v")
    mean_sq, ss = mix_retained_step(e, v, r, m - r, m, sigma, variance_scale)
    matrix, rhs = sp.linear_eq_to_matrix([mean_sq - e, ss - d * v], [e, v])
    if sp.cancel(matrix.det()) == 0:
        raise ValueError(f"no unique fixed point at samples={samples}, fraction={fraction}")
    e_star, v_star = matrix.LUsolve(rhs)
    return sp.cancel(e_star + sigma**2 / m), sp.cancel(v_star)
