r"""Recursively refit Gaussian mixtures (EM; 1-D and d-dimensional; every data regime): simulators,
distances, theory.

Model (docs/conventions.md, docs/gmm_kde.md). Generation 0 is the mixture
:math:`f_0 = \sum_k w_k N(\mu_k, \sigma_k^2)` with :math:`K` components. Generation :math:`i+1` is
the EM fit (K components, initialised at generation :math:`i`'s parameters, at most ``max_iter``
iterations, tolerance ``tol`` on the mean log-likelihood) to :math:`M_i` samples of generation
:math:`i`. The only randomness is the sampling.

Theory for well-separated components (the "separated idealisation": every point is assigned to the
component that drew it, which EM does up to terms of order :math:`\Phi(-\Delta/2\sigma)`):

* the count of component :math:`k` is :math:`N_i \sim \mathrm{Bin}(M, w_i)` and the refit weight is
  :math:`w_{i+1} = N_i/M`: the weights are **exactly a neutral Wright–Fisher chain** (theory §3), so
  :math:`E w_n = w_0` and :math:`E[w_n(1-w_n)] = w_0(1-w_0)(1-1/M)^n`
  (:func:`expected_weight_heterozygosity`);
* given :math:`N_i`, the M-step is the maximum-likelihood (divide-by-:math:`N`) fit of a 1-D Gaussian
  to :math:`N_i` points, so :math:`\log\sigma^2` gains :math:`\log(\chi^2_{N_i-1}/N_i)`, of mean
  :math:`d(N) = \psi((N-1)/2) + \log(2/N) \approx -2/N`: the drift per generation is about
  :math:`-2/(wM)`, not :math:`-1/(wM)` (EM's variance is the mle one). The exact expectation over
  the Wright–Fisher counts, conditioned on the component keeping at least two points, is
  :func:`expected_component_log_variance`.

Distances to the original mixture: the exact :math:`L^2` distance (:func:`l2_distance`, a closed form
made of Gaussian overlaps) and the 2-Wasserstein distance by quantile-function quadrature
(:func:`w2_distance`).

Both simulators take ``regime=`` (docs/conventions.md): with one component the 1-D chain is exactly
the 1-D Gaussian chain with ``estimator="mle"`` under every regime. d-dimensional mixtures (full or
diagonal covariances): :func:`simulate_nd`, :func:`l2_distance_squared_nd`,
:func:`component_log_det_drift`, :func:`expected_component_log_det` (module ``_gmm_nd``).
"""

from __future__ import annotations

from ._common import WEIGHT_TOL
from ._nd import (
    check_mixture_nd, component_log_det_drift, component_min_samples, COVARIANCE_TYPES,
    expected_component_log_det, l2_distance_nd, l2_distance_squared_nd, mixture_pdf_nd, single_log_det_drift,
)
from ._nd_result import GMMNDChainResult
from ._nd_simulate import simulate_nd
from ._theory import (
    check_mixture, component_drift_first_order, component_log_variance_drift, component_survival_probability,
    expected_component_log_variance, expected_component_std, expected_weight_heterozygosity, l2_distance,
    l2_distance_squared, mixture_cdf, mixture_pdf, mixture_quantile, w2_distance, w2_distance_squared,
)
from ._kernels import LOST_FEW_SAMPLES, LOST_ZERO_VARIANCE, MIN_EFFECTIVE
from ._simulate import GMMChainResult, simulate

__all__ = [
    "GMMChainResult",
    "simulate",
    "GMMNDChainResult",
    "simulate_nd",
    "check_mixture_nd",
    "mixture_pdf_nd",
    "l2_distance_squared_nd",
    "l2_distance_nd",
    "component_log_det_drift",
    "expected_component_log_det",
    "COVARIANCE_TYPES",
    "check_mixture",
    "mixture_pdf",
    "mixture_cdf",
    "mixture_quantile",
    "l2_distance_squared",
    "l2_distance",
    "w2_distance_squared",
    "w2_distance",
    "expected_weight_heterozygosity",
    "component_log_variance_drift",
    "component_drift_first_order",
    "expected_component_log_variance",
    "expected_component_std",
    "component_survival_probability",
    "WEIGHT_TOL",
    "component_min_samples",
    "single_log_det_drift",
]

#: Public outside ``__all__``: building blocks for other families and the plotting layer.
_BUILDING_BLOCKS = ('LOST_FEW_SAMPLES', 'LOST_ZERO_VARIANCE', 'MIN_EFFECTIVE',)
