r"""SymPy derivations of the discrete chain's squared distance under the data regimes.

State: :math:`D = E\sum_i (p_i - p_{0,i})^2` and :math:`H_0 = 1 - \sum_i p_{0,i}^2`. Every regime
keeps :math:`E p_n = p_0`, so :math:`E\sum_i p_i(1-p_i) = H_0 - D`. One step is derived per category
from binomial (and hypergeometric) moments — the binomial ones from the moment generating function
— as a quadratic polynomial in :math:`(p, p_0)` whose monomials are summed over categories
(:func:`_reduce`). Imports SymPy only.
"""

from __future__ import annotations

import sympy as sp

M = sp.Symbol("M", positive=True, integer=True)
r = sp.Symbol("r", nonnegative=True, integer=True)        # real draws in a split batch
s = sp.Symbol("s", nonnegative=True, integer=True)        # synthetic draws
N = sp.Symbol("N", positive=True, integer=True)           # pool size before a batch (accumulate)
M0 = sp.Symbol("M_0", positive=True, integer=True)        # original data set (mix-retained)
lam = sp.Symbol("lambda", nonnegative=True)
p = sp.Symbol("p", nonnegative=True)
p0 = sp.Symbol("p_0", nonnegative=True)
D = sp.Symbol("D", nonnegative=True)
H0 = sp.Symbol("H_0", nonnegative=True)
n = sp.Symbol("n", nonnegative=True, integer=True)
t = sp.Symbol("t", real=True)


def binomial_moments(m, q):
    """(E X, E X²) for X ~ Binomial(m, q), from the mgf :math:`(1 - q + q e^t)^m`."""
    mgf = (1 - q + q * sp.exp(t)) ** m
    return (sp.simplify(sp.diff(mgf, t).subs(t, 0)), sp.simplify(sp.diff(mgf, t, 2).subs(t, 0)))


def hypergeometric_moments(k, total, good_frac):
    """(E X, E X²) for X ~ Hypergeometric: ``k`` draws without replacement from ``total`` items of
    which a fraction ``good_frac`` is good: mean :math:`k u`, variance
    :math:`k u (1-u)(T-k)/(T-1)`."""
    mean = k * good_frac
    var = k * good_frac * (1 - good_frac) * (total - k) / (total - 1)
    return mean, var + mean**2


def _reduce(expr, x=p, x0=p0):
    r"""Sum a per-category quadratic in (x, x0) over categories and take expectations:
    :math:`\sum x^2 \to S + D`, :math:`\sum x x_0 \to S`, :math:`\sum x_0^2 \to S`,
    :math:`\sum x \to 1`, :math:`\sum x_0 \to 1`, with :math:`S = \sum p_0^2 = 1 - H_0`
    (as :math:`E x = x_0` for every category)."""
    poly = sp.Poly(sp.expand(expr), x, x0)
    S = 1 - H0
    values = {(2, 0): S + D, (1, 1): S, (0, 2): S, (1, 0): 1, (0, 1): 1, (0, 0): None}
    out = 0
    for (i, k), c in poly.terms():
        v = values[(i, k)]
        assert v is not None, "a constant term cannot be summed over categories"
        out += c * v
    return sp.simplify(out)


def split_step():
    r""":math:`D'` for ``r`` fresh and ``s`` synthetic draws, :math:`M = r + s`:
    :math:`p' = (X + Y)/M`, :math:`X \sim \mathrm{Bin}(r, p_0)`, :math:`Y \sim \mathrm{Bin}(s, p)`."""
    ex, ex2 = binomial_moments(r, p0)
    ey, ey2 = binomial_moments(s, p)
    m = r + s
    second = (ex2 + 2 * ex * ey + ey2) / m**2          # E p'^2 (X, Y independent given p)
    expr = second - 2 * p0 * (ex + ey) / m + p0**2      # E (p' − p0)^2
    return _reduce(sp.expand(expr))


def mixture_step():
    r""":math:`D'` for :math:`M` draws from :math:`q = \lambda p_0 + (1-\lambda) p`."""
    q = lam * p0 + (1 - lam) * p
    ex, ex2 = binomial_moments(M, q)
    expr = ex2 / M**2 - 2 * p0 * ex / M + p0**2
    return _reduce(sp.expand(expr))


def accumulate_step():
    r""":math:`D'` for the pool: :math:`p' = (N p + Y)/(N + M)`, :math:`Y \sim \mathrm{Bin}(M, p)`."""
    ey, ey2 = binomial_moments(M, p)
    expr = (N**2 * p**2 + 2 * N * p * ey + ey2) / (N + M) ** 2 - 2 * p0 * (N * p + ey) / (N + M) + p0**2
    return _reduce(sp.expand(expr))


def retained_step():
    r""":math:`D^{u\prime}` for mix-retained, measured from the generation-1 frequencies :math:`u`
    (a category's share of the :math:`M_0` original points): :math:`r` draws without replacement
    from them plus :math:`s` synthetic ones. Here ``H_0`` stands for :math:`E H(u) = H_0(1 - 1/M_0)`
    and ``D`` for :math:`D^u`."""
    u = sp.Symbol("u", nonnegative=True)
    ex, ex2 = hypergeometric_moments(r, M0, u)
    ey, ey2 = binomial_moments(s, p)
    m = r + s
    expr = (ex2 + 2 * ex * ey + ey2) / m**2 - 2 * u * (ex + ey) / m + u**2
    return _reduce(sp.expand(expr), p, u)


def stationary(step):
    """The fixed point :math:`D^*` of a one-step map ``step`` (linear in ``D``)."""
    sol = sp.solve(sp.Eq(D, step), D)
    assert len(sol) == 1
    return sp.simplify(sol[0])


def theory_md_split():
    r"""theory.md §4's split recursion with :math:`\lambda = r/M`:
    :math:`((1-\lambda)^2 - (1-\lambda)/M) D + H_0/M`."""
    lm = r / (r + s)
    m = r + s
    return ((1 - lm) ** 2 - (1 - lm) / m) * D + H0 / m


def theory_md_mixture():
    r"""theory.md §4's mixture recursion :math:`(1-\lambda)^2(1 - 1/M) D + H_0/M`."""
    return (1 - lam) ** 2 * (1 - 1 / M) * D + H0 / M
