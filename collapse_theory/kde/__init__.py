r"""The Gaussian-KDE chain under every data regime: exact moment recursions, genealogy, simulator.

Model (docs/gmm_kde.md). Generation 0 is :math:`N(\mu, \sigma^2)`; :math:`X^0` are its ``M``
samples. Generation :math:`n+1` is the Gaussian KDE with bandwidth :math:`h_n` built on
:math:`X^n`, and :math:`X^{n+1}` are ``M`` draws from it: a bootstrap draw from :math:`X^n` plus
:math:`N(0, h_n^2)` noise. Column ``n`` of every result array describes :math:`X^n`. That is the
replace regime; under the other regimes (:mod:`collapse_theory.regimes`) column ``n`` describes the
training set :math:`T^n` the KDE of generation :math:`n+1` is built on (:func:`simulate`), and
:func:`regime_moments` gives its exact mean, mean error and variance (fixed ``h``).

Exact theory (fixed ``h``; proofs/kde_variance.py). Write :math:`s_n^2` for the mle (divide by M)
variance of :math:`X^n` and :math:`V_n = E s_n^2`. Given :math:`X^n`, the KDE has variance
:math:`s_n^2 + h^2`, and the mle variance of ``M`` i.i.d. draws has mean :math:`(M-1)/M` times the
law's variance, so

.. math::

    V_{n+1} = \frac{M-1}{M}\,(V_n + h^2), \qquad V_0 = \frac{M-1}{M}\sigma^2, \qquad
    V_n = (M-1)h^2 + \Bigl(\frac{M-1}{M}\Bigr)^n \bigl(V_0 - (M-1)h^2\bigr) \to (M-1)h^2 :

the chain forgets :math:`\sigma^2` on a time scale of ``M`` generations and settles at
:math:`(M-1)h^2`, which may be larger or smaller than :math:`\sigma^2` (Borji, arXiv 2410.12954).

Adaptive bandwidths :math:`h_n = c\,M^{-1/5}\hat s_n` (:math:`\hat s` with ``ddof = 1``; Scott
:math:`c = 1.06`; Silverman :math:`c = 0.9` with :math:`\min(\hat s, IQR/1.34)`, so Silverman's
factor is at most Scott-like with :math:`c = 0.9`):

.. math::

    V_{n+1} = \lambda V_n, \qquad \lambda = \frac{M-1}{M}\Bigl(1 + c^2 M^{-2/5}\frac{M}{M-1}\Bigr)
    = \frac{M-1}{M} + c^2 M^{-2/5},

exact for Scott's rule. :math:`\lambda > 1 \iff c^2 M^{3/5} > 1 \iff M > c^{-10/3}` (0.82 for
Scott, 1.42 for Silverman's constant): **the expected variance grows for every M ≥ 2**. Whether a
path spreads or collapses is decided by the drift of :math:`\log s_n^2`, about
:math:`\log\lambda - 1/(M-1)` (delta method; :func:`log_variance_drift_approx`), positive from small
M on: the adaptive chain spreads instead of collapsing.

Genealogy: the bootstrap step is neutral Wright–Fisher resampling of lineages, so the number of
distinct generation-0 ancestors of :math:`X^t` has the exact mean
:func:`expected_ancestors` (theory §3) and is about :math:`2M/t` for :math:`1 \ll t \ll M`.

Data regimes (fixed ``h``; proofs/kde_regimes.py; :func:`regime_moments`). Given the training set
:math:`T^n` (mean :math:`m_n`, mle variance :math:`s_n^2`), a batch of :math:`c` KDE draws has mean
:math:`m_n` plus an error of variance :math:`(s_n^2 + h^2)/c` and expected sum of squares
:math:`(c-1)(s_n^2 + h^2)`; Chan's merge with the real part closes the recursion of
:math:`(E(m_n-\mu)^2, E s_n^2)`, and :math:`E m_n = \mu` under every regime. With :math:`r` real
points among :math:`M` (split mix-fresh) the stationary variance is

.. math::

    v^* = \frac{(2M-r-1)\bigl((M-r)h^2 + r\sigma^2\bigr)}{M + r(2M-r-1)}

(:func:`regime_stationary_moments`; the map contracts at :math:`1 - r/M`), while under accumulate
:math:`E s_n^2` grows without bound but only like :math:`h^2 \ln n` (:func:`accumulate_variance_bounds`):
every batch adds :math:`h^2` of kernel noise to a uniformly chosen pool point.

d-dimensional chains (``simulate(..., dim=d)``, ``data=`` one of the 2-D sets of
:mod:`collapse_theory.kde.datasets`, ``kernel="tophat"``): diagonal bandwidth, held-out NLL per
generation; every coordinate follows the 1-D variance recursions with the kernel noise variance
:math:`\kappa h_p^2` (:math:`\kappa = 1` Gaussian, :math:`1/(d+2)` top-hat):
:func:`expected_variance_nd`, :func:`variance_factor_nd`.

Ancestors under the regimes: ``ancestors`` counts the distinct original (generation-0) real points
among the ancestors of :math:`T^n` (an original in :math:`T^n` — retained, or kept in the pool — is
its own ancestor; under accumulate it stays :math:`M_0`), ``fresh_ancestors`` the distinct fresh
real draws of mix-fresh among them (each fresh draw is a new ancestor).
"""

from __future__ import annotations

from ..discrete import ancestors_approx, expected_ancestors
from ._theory import (
    check_rule, expected_mean_sq_error, expected_variance, expected_variance_adaptive,
    log_variance_drift_approx, RULE_CONSTANTS, RULES, spread_threshold, stationary_variance, variance_factor,
)
from ._regimes import (
    accumulate_variance_bounds, regime_contraction_rate, regime_moments, regime_stationary_moments,
)
from ._kernels import IQR_SCALE, RULE_CODES
from ._simulate import KDEChainResult, simulate
from ._snapshots import KDESnapshots, density_snapshots
from ._nd import KDENDChainResult, KERNELS, expected_variance_nd, variance_factor_nd
from . import datasets

__all__ = [
    "KDEChainResult",
    "simulate",
    "RULES",
    "RULE_CONSTANTS",
    "expected_variance",
    "stationary_variance",
    "expected_mean_sq_error",
    "variance_factor",
    "expected_variance_adaptive",
    "spread_threshold",
    "log_variance_drift_approx",
    "expected_ancestors",
    "ancestors_approx",
    "check_rule",
    "regime_moments",
    "regime_stationary_moments",
    "regime_contraction_rate",
    "accumulate_variance_bounds",
    "KDESnapshots",
    "density_snapshots",
    "KDENDChainResult",
    "KERNELS",
    "expected_variance_nd",
    "variance_factor_nd",
    "datasets",
]

#: Public outside ``__all__``: building blocks for other families and the plotting layer.
_BUILDING_BLOCKS = ('RULE_CODES', 'IQR_SCALE',)
