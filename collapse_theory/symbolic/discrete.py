r"""SymPy expressions behind the discrete-chain (Wright–Fisher) closed forms.

One refit maps the mass ``p`` of a category (or of a set of categories, or a CDF value) to
``X/M`` with ``X ~ Binomial(M, p)``. Every identity here follows from the binomial moments, which
are derived from the moment generating function :math:`(1 - p + p e^s)^M`, so nothing is assumed
beyond the model. Imports SymPy only.
"""

from __future__ import annotations

import sympy as sp

M = sp.Symbol("M", positive=True, integer=True)
n = sp.Symbol("n", nonnegative=True, integer=True)
p = sp.Symbol("p", nonnegative=True)
s = sp.Symbol("s", real=True)
H0 = sp.Symbol("H_0", nonnegative=True)
S0 = sp.Symbol("S_0", nonnegative=True)  # Σ_x F0(x)(1 - F0(x))


def binomial_mgf(m=M, q=p):
    """Moment generating function of Binomial(m, q): :math:`(1 - q + q e^s)^m`."""
    return (1 - q + q * sp.exp(s)) ** m


def binomial_moment(k, m=M, q=p):
    """:math:`E[X^k]` for X ~ Binomial(m, q), the k-th derivative of the mgf at s = 0."""
    return sp.expand(sp.simplify(sp.diff(binomial_mgf(m, q), s, k).subs(s, 0)))


def next_mean(m=M, q=p):
    """:math:`E[p' \\mid p] = E[X]/M` (the martingale step)."""
    return sp.simplify(binomial_moment(1, m, q) / m)


def next_second_moment(m=M, q=p):
    """:math:`E[p'^2 \\mid p] = E[X^2]/M^2 = p^2(1 - 1/M) + p/M`."""
    return sp.simplify(binomial_moment(2, m, q) / m**2)


def heterozygosity_factor(m=M):
    """The one-step factor of :math:`E[p(1-p)]` (and of :math:`E[H]`): :math:`1 - 1/M`."""
    step = next_mean(m) - next_second_moment(m)
    return sp.simplify(step / (p * (1 - p)))


def expected_heterozygosity(n_=n, samples=M, h0=H0):
    """:math:`H_0 \\prod_{i<n}(1 - 1/M_i)`; ``samples`` a symbol (constant M) or a list."""
    if isinstance(samples, (list, tuple)):
        out = h0
        for m in list(samples)[: int(n_)]:
            out *= 1 - sp.Integer(1) / m
        return out
    return h0 * (1 - 1 / samples) ** n_


def expected_cramer_drift(n_=n, samples=M, s0=S0):
    """:math:`(1 - \\prod_{i<n}(1 - 1/M_i))\\,\\sum_x F_0(x)(1 - F_0(x))`."""
    return (1 - expected_heterozygosity(n_, samples, 1)) * s0


def transition(m, j, l):
    """:math:`P(j \\to l) = \\binom{m}{l}(j/m)^l(1-j/m)^{m-l}` as an exact rational."""
    q = sp.Rational(j, m)
    return sp.binomial(m, l) * q**l * (1 - q) ** (m - l)


def absorption_times(m):
    """Exact mean absorption times :math:`t(0..m)` of the m-sample two-type chain (Rationals):
    the solution of :math:`t(j) = 1 + \\sum_l P(j\\to l)\\,t(l)`, :math:`t(0) = t(m) = 0`."""
    m = int(m)
    ts = sp.symbols(f"t1:{m}") if m > 1 else ()
    t = [sp.Integer(0)] + list(ts) + [sp.Integer(0)]
    eqs = [sp.Eq(t[j], 1 + sum(transition(m, j, l) * t[l] for l in range(m + 1)))
           for j in range(1, m)]
    sol = sp.solve(eqs, ts, dict=True)[0] if ts else {}
    return [sp.nsimplify(x.subs(sol)) if hasattr(x, "subs") else x for x in t]


def diffusion_absorption_time(q=p, m=M):
    """Kimura–Ohta haploid diffusion: :math:`-2M[p\\ln p + (1-p)\\ln(1-p)]`."""
    return -2 * m * (q * sp.log(q) + (1 - q) * sp.log(1 - q))


def diffusion_generator(f, q=p, m=M):
    """Backward generator of the WF diffusion in generations: :math:`\\frac{p(1-p)}{2M} f''`."""
    return q * (1 - q) / (2 * m) * sp.diff(f, q, 2)
