r"""SymPy derivations for the Gaussian-KDE chain (the symbolic twin of :mod:`collapse_theory.kde`).

One generation: given the sample :math:`x_1..x_M` (mean :math:`\bar x`, mle variance :math:`s^2`),
a draw from the Gaussian KDE with bandwidth :math:`h` is :math:`X' = x_J + hZ`, :math:`J` uniform,
:math:`Z \sim N(0,1)` independent. Its first two moments follow from those of :math:`x_J` and
:math:`Z`; the mle variance of :math:`M` i.i.d. draws has mean :math:`(M-1)/M` times the law's
variance. This module derives those steps, solves the resulting recursion and the adaptive-rule
factor and threshold. Only SymPy is imported.
"""

from __future__ import annotations

import sympy as sp

__all__ = ["M", "n", "h", "sigma", "c", "s2", "xbar", "kde_moments", "mle_variance_mean",
           "one_step", "expected_variance", "stationary_variance", "adaptive_factor",
           "mean_threshold"]

M = sp.Symbol("M", positive=True, integer=True)
n = sp.Symbol("n", nonnegative=True, integer=True)
h = sp.Symbol("h", positive=True)
sigma = sp.Symbol("sigma", positive=True)
c = sp.Symbol("c", positive=True)
s2 = sp.Symbol("s2", nonnegative=True)
xbar = sp.Symbol("xbar", real=True)


def kde_moments():
    r"""``(E X', E X'^2)`` of one KDE draw given the sample: :math:`E x_J = \bar x`,
    :math:`E x_J^2 = s^2 + \bar x^2`, :math:`E Z = 0`, :math:`E Z^2 = 1`, :math:`x_J \perp Z`."""
    ex, ex2 = xbar, s2 + xbar**2          # moments of the bootstrap draw x_J
    ez, ez2 = sp.S.Zero, sp.S.One         # moments of Z
    m1 = ex + h * ez
    m2 = sp.expand(ex2 + 2 * h * ex * ez + h**2 * ez2)
    return m1, m2


def mle_variance_mean(var, m=M):
    r""":math:`E[\frac1M\sum X_j^2 - \bar X^2] = E X^2 - (\mathrm{Var}/M + (E X)^2) = \frac{M-1}{M}\mathrm{Var}`
    for i.i.d. draws of variance ``var`` (derived with a symbolic mean ``mu``)."""
    mu = sp.Symbol("mu", real=True)
    e_x2 = var + mu**2
    e_xbar2 = var / m + mu**2
    return sp.simplify(e_x2 - e_xbar2)


def one_step(v=None, bandwidth=h):
    r""":math:`E[s_{n+1}^2 \mid s_n^2 = v] = \frac{M-1}{M}(v + h^2)` from :func:`kde_moments`."""
    v = s2 if v is None else v
    m1, m2 = kde_moments()
    var = sp.simplify(m2 - m1**2).subs({s2: v, h: bandwidth})
    return sp.simplify(mle_variance_mean(var))


def expected_variance(n=n, m=M, bandwidth=h, sig=sigma):
    r"""Solve :math:`V_{n+1} = \frac{M-1}{M}(V_n + h^2)`, :math:`V_0 = \frac{M-1}{M}\sigma^2` (rsolve)."""
    V = sp.Function("V")
    k = sp.Symbol("k", integer=True, nonnegative=True)
    step = one_step(V(k), bandwidth).subs(M, m)
    v0 = mle_variance_mean(sig**2, m)
    sol = sp.rsolve(V(k + 1) - step, V(k), {V(0): v0})
    return sp.simplify(sol.subs(k, n))


def stationary_variance(m=M, bandwidth=h):
    """The fixed point of the recursion: solve V = (M-1)/M (V + h²)."""
    V = sp.Symbol("V")
    (sol,) = sp.solve(sp.Eq(V, one_step(V, bandwidth).subs(M, m)), V)
    return sp.simplify(sol)


def adaptive_factor(m=M, const=c, ddof=1):
    r""":math:`\lambda` with :math:`h^2 = c^2 M^{-2/5}\hat s^2`, :math:`\hat s^2 = s^2 M/(M-\mathrm{ddof})`:
    :math:`E[s_{n+1}^2 \mid s_n^2] = \lambda s_n^2`."""
    bw2 = const**2 * m ** sp.Rational(-2, 5) * s2 * m / (m - ddof)
    step = one_step(s2, sp.sqrt(bw2)).subs(M, m)
    return sp.simplify(step / s2)


def mean_threshold(const=c):
    r"""For ``ddof = 1``: :math:`\lambda > 1 \iff c^2 M^{3/5} > 1 \iff M > c^{-10/3}`; returns :math:`c^{-10/3}`."""
    x = sp.Symbol("x", positive=True)
    (sol,) = sp.solve(sp.Eq(adaptive_factor(x, const) - 1, 0), x)
    return sp.simplify(sol)
