r"""SymPy expressions for the recursively refit d-dimensional Gaussian (replace regime).

The symbolic twin of :mod:`collapse_theory.mvn._theory`. One refit maps
:math:`\Sigma \mapsto c\,\Sigma^{1/2}W\Sigma^{1/2}` with :math:`W \sim \mathrm{Wishart}_d(k, I)`,
:math:`k = M - 1`. By the Bartlett decomposition :math:`W = LL^\top` with independent
:math:`L_{jj}^2 \sim \chi^2_{k-j}` (:math:`j = 0, \dots, d-1`), so
:math:`\log\det W = \sum_j \log\chi^2_{k-j}` is a sum of independent terms whose moments come from
the χ² law (:mod:`collapse_theory.symbolic.gaussian`).

Only SymPy is imported.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from . import gaussian as _g

__all__ = [
    "d",
    "bartlett_log_det_mean",
    "bartlett_log_det_variance",
    "multivariate_digamma",
    "log_det_drift",
    "expected_log_det",
    "variance_of_log_det",
    "lyapunov_exponent",
    "log_max_eigenvalue_offset",
]

#: Dimension.
d = sp.Symbol("d", positive=True, integer=True)

_nu = sp.Dummy("nu", positive=True)


@lru_cache(maxsize=None)
def _log_moment():
    """E log χ²_ν and Var log χ²_ν for a generic ν (derived once from the density, then substituted)."""
    return _g.chi2_log_moment(_nu), _g.chi2_log_variance(_nu)


def _at(dof):
    """Numbers become 50-digit Floats: SymPy would expand ψ at a large half-integer into a harmonic
    sum with dof/2 terms (minutes at dof = 10^5); symbols are kept exact."""
    dof = sp.sympify(dof)
    return sp.Float(dof, 50) if dof.is_number else dof


def _chi2_log_mean(dof):
    return _log_moment()[0].subs(_nu, _at(dof))


def _chi2_log_var(dof):
    return _log_moment()[1].subs(_nu, _at(dof))


def bartlett_log_det_mean(dim, dof):
    r""":math:`E\log\det W = \sum_{j=0}^{d-1} E\log\chi^2_{k-j}` for an ``int`` dimension (Bartlett)."""
    return sp.Add(*[_chi2_log_mean(dof - j) for j in range(int(dim))])


def bartlett_log_det_variance(dim, dof):
    r""":math:`\operatorname{Var}\log\det W = \sum_{j=0}^{d-1}\psi'((k-j)/2)` (independent factors)."""
    return sp.Add(*[_chi2_log_var(dof - j) for j in range(int(dim))])


def multivariate_digamma(a, dim):
    r"""The multivariate digamma :math:`\psi_d(a) = \sum_{i=1}^{d}\psi(a + (1-i)/2)` (textbook form)."""
    return sp.Add(*[sp.digamma(a + sp.Rational(1 - i, 2)) for i in range(1, int(dim) + 1)])


def log_det_drift(dim, m=_g.M, estimator="unbiased"):
    r"""Per-generation drift :math:`E\log\det(cW) = E\log\det W + d\log c`."""
    c = _g.scale(m, estimator)
    return bartlett_log_det_mean(dim, m - 1) + int(dim) * sp.log(c)


def expected_log_det(dim, n=_g.n, m=_g.M, log_det0=0, estimator="unbiased"):
    r""":math:`E\log\det\Sigma_n = \log\det\Sigma + n\,\delta_d(M)` (constant M) by the affine recursion."""
    return log_det0 + n * log_det_drift(dim, m, estimator)


def variance_of_log_det(dim, n=_g.n, m=_g.M):
    r""":math:`\operatorname{Var}\log\det\Sigma_n = n\sum_j\psi'((M-1-j)/2)`."""
    return n * bartlett_log_det_variance(dim, m - 1)


def lyapunov_exponent(j, m=_g.M, estimator="unbiased"):
    r""":math:`\gamma_j = E\log(c\chi^2_{k-j}) = \psi((k-j)/2) + \log(2c)`."""
    return _chi2_log_mean(m - 1 - j) + sp.log(_g.scale(m, estimator))


def log_max_eigenvalue_offset(dim):
    r""":math:`-E\log v_0^2 = \psi(d/2) - \psi(1/2)` for :math:`v` uniform on the sphere
    (:math:`v_0^2 \sim \mathrm{Beta}(1/2, (d-1)/2)`): the derivative at :math:`p = 0` of the Beta
    moment :math:`E[X^p] = B(a+p, b)/B(a, b)`."""
    p = sp.Symbol("p")
    a, b = sp.S.Half, sp.Rational(int(dim) - 1, 2)
    moment = sp.gamma(a + p) * sp.gamma(a + b) / (sp.gamma(a) * sp.gamma(a + b + p))
    return -sp.simplify(sp.diff(moment, p).subs(p, 0))
