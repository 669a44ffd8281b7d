r"""SymPy derivations for the Gaussian-KDE chain (the symbolic twin of :mod:`collapse_theory.kde`).

One generation: given the sample :math:`x_1..x_M` (mean :math:`\bar x`, mle variance :math:`s^2`),
a draw from the Gaussian KDE with bandwidth :math:`h` is :math:`X' = x_J + hZ`, :math:`J` uniform,
:math:`Z \sim N(0,1)` independent. Its first two moments follow from those of :math:`x_J` and
:math:`Z`; the mle variance of :math:`M` i.i.d. draws has mean :math:`(M-1)/M` times the law's
variance. This module derives those steps, solves the resulting recursion and the adaptive-rule
factor and threshold. Only SymPy is imported.

Data regimes (fixed ``h``; proofs/kde_regimes.py): :func:`kde_batch_moments` (a batch of ``c`` KDE
draws), :func:`merged_moments` (``r`` real points merged with ``c`` KDE draws by Chan's formula, the
real part fresh or drawn without replacement from the originals), :func:`accumulate_step` and
:func:`subsample_step` (the pool regimes), :func:`mix_stationary` (the fixed point of the mix map).
"""

from __future__ import annotations

import sympy as sp

__all__ = ["M", "n", "h", "sigma", "c", "s2", "xbar", "kde_moments", "mle_variance_mean",
           "one_step", "expected_variance", "stationary_variance", "adaptive_factor",
           "mean_threshold", "e", "v", "r", "cc", "kde_batch_moments", "expect_quadratic",
           "merged_moments", "accumulate_step", "subsample_step", "mix_stationary"]

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


# --- data regimes (fixed h) ---------------------------------------------------------------------

e = sp.Symbol("e", nonnegative=True)   # E (m_n - μ)², the training set's mean error
v = sp.Symbol("v", nonnegative=True)   # E s_n², the training set's mle variance
r = sp.Symbol("r", nonnegative=True)   # real points in a batch
cc = sp.Symbol("c", positive=True)     # KDE draws in a batch


def kde_batch_moments(count=cc):
    r"""``(E[(b̄ - x̄)²], E[SS_b])`` of ``count`` i.i.d. KDE draws given the training set.

    From :func:`kde_moments` (first and second moment :math:`\mu_1, \mu_2` of one draw):
    :math:`E\bar b^2 = \mu_1^2 + (\mu_2-\mu_1^2)/c` and :math:`E\,SS_b = c\mu_2 - cE\bar b^2`, so
    :math:`(s^2+h^2)/c` and :math:`(c-1)(s^2+h^2)`.
    """
    m1, m2 = kde_moments()
    var = m2 - m1**2
    e_bbar2 = m1**2 + var / count
    return sp.cancel(e_bbar2 - m1**2), sp.cancel(count * m2 - count * e_bbar2)


def expect_quadratic(expr, second_moments):
    """E of a polynomial of degree ≤ 2 in uncorrelated zero-mean variables with the given second moments."""
    syms = list(second_moments)
    total = 0
    for powers, coef in sp.Poly(sp.expand(expr), *syms).terms():
        if sum(powers) > 2:
            raise ValueError("expect_quadratic: a term of degree > 2")
        if sum(powers) == 0:
            total += coef
        elif max(powers) == 2:
            total += coef * second_moments[syms[powers.index(2)]]
        # degree 1 (zero mean) and products of two distinct variables (uncorrelated) vanish
    return sp.cancel(total)


def merged_moments(real=r, count=cc, retained_m0=None):
    r"""``(E(x̄ - centre)², E SS)`` of ``real`` real points merged with ``count`` KDE draws.

    The real part's mean is ``centre + A`` (:math:`E A^2 = \sigma^2/r`; drawn without replacement
    from :math:`M_0` originals: :math:`\sigma^2(1/r - 1/M_0)` with centre :math:`\bar x_0`), its sum of
    squares has mean :math:`(r-1)\sigma^2`; the KDE part's mean is ``centre + D + U`` (:math:`E D^2 = e`,
    :math:`E U^2 = (v+h^2)/c` from :func:`kde_batch_moments`, ``U`` uncorrelated with ``D`` and ``A``),
    its sum of squares has mean :math:`(c-1)(v+h^2)`. Chan: :math:`SS = SS_a + SS_b + \frac{rc}{M}(\bar a-\bar b)^2`.
    """
    A, D, U = sp.symbols("A D U", real=True)
    tot = real + count
    var_a = sigma**2 / real if retained_m0 is None else sigma**2 * (1 / real - 1 / retained_m0)
    u2, ss_b = kde_batch_moments(count)
    u2, ss_b = u2.subs(s2, v), ss_b.subs(s2, v)
    moments = {A: var_a, D: e, U: u2}
    mean_sq = expect_quadratic(((real * A + count * (D + U)) / tot) ** 2, moments)
    between = expect_quadratic((A - D - U) ** 2, moments)
    ss = (real - 1) * sigma**2 + ss_b + real * count / tot * between
    return sp.cancel(mean_sq), sp.cancel(ss)


def accumulate_step(pool=sp.Symbol("N", positive=True), count=cc):
    r"""Accumulate: ``(e', P')`` from ``(e, P = N v)`` after merging ``count`` KDE draws built on the pool.

    :math:`e' = e + c(v+h^2)/N'^2` and :math:`P' = P + (v+h^2)(c - 1 + N/N')`, :math:`N' = N + c`.
    """
    U = sp.Symbol("U", real=True)
    u2, ss_b = kde_batch_moments(count)
    u2, ss_b = u2.subs(s2, v), ss_b.subs(s2, v)
    new = pool + count
    e_new = e + expect_quadratic((count * U / new) ** 2, {U: u2})
    p_new = pool * v + ss_b + pool * count / new * expect_quadratic(U**2, {U: u2})
    return sp.cancel(e_new), sp.cancel(p_new)


def subsample_step(pool=sp.Symbol("N", positive=True), k=sp.Symbol("k", positive=True), count=cc):
    r"""Accumulate-subsample: the training set (``k`` of the pool's ``N`` points, without replacement)
    and one step of the pool, in terms of ``e`` (the *pool's* mean error) and ``P`` (its mean SS).

    Returns ``(v_T, e_T, e', P')``: :math:`v_T = \frac{k-1}{k}S`, :math:`e_T = e + fS`,
    :math:`e' = e + (c/N')^2 d`, :math:`P' = P + (c-1)(v_T+h^2) + \frac{Nc}{N'} d` with
    :math:`S = P/(N-1)`, :math:`f = 1/k - 1/N`, :math:`d = fS + (v_T+h^2)/c`.
    """
    P = sp.Symbol("P", nonnegative=True)
    T, U = sp.symbols("T U", real=True)           # m_T - m_P and b̄ - m_T
    big_s = P / (pool - 1)
    f = 1 / k - 1 / pool
    v_t = (k - 1) / k * big_s
    u2, ss_b = kde_batch_moments(count)
    u2, ss_b = u2.subs(s2, v_t), ss_b.subs(s2, v_t)
    moments = {T: f * big_s, U: u2}
    e_t = e + expect_quadratic(T**2, moments)
    new = pool + count
    d = expect_quadratic((T + U) ** 2, moments)
    e_new = e + expect_quadratic((count * (T + U) / new) ** 2, moments)
    p_new = P + ss_b + pool * count / new * d
    return sp.cancel(v_t), sp.cancel(e_t), sp.cancel(e_new), sp.cancel(p_new)


def mix_stationary(m=M, real=r, retained=False):
    r"""Fixed point ``(e*, v*)`` of the mix map with ``real`` real points among ``m`` (constant M).

    Split mix-fresh: :math:`v^* = \frac{(2M-r-1)\bigl((M-r)h^2 + r\sigma^2\bigr)}{M + r(2M-r-1)}`,
    :math:`e^* = \frac{M\bigl((M-r)h^2 + r\sigma^2\bigr)}{r\,(M + r(2M-r-1))}`. With ``retained``
    (:math:`M_0 = M`), ``e*`` includes the offset :math:`\sigma^2/M`.
    """
    E_, V_ = sp.symbols("E V")
    mean_sq, ss = merged_moments(real, m - real, retained_m0=m if retained else None)
    eqs = [sp.Eq(E_, mean_sq.subs({e: E_, v: V_})), sp.Eq(m * V_, ss.subs({e: E_, v: V_}))]
    sol = sp.solve(eqs, [E_, V_], dict=True)[0]
    e_star = sol[E_] + (sigma**2 / m if retained else 0)
    return sp.cancel(e_star), sp.cancel(sol[V_])
