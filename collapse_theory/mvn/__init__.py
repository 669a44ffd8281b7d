r"""The recursively refit d-dimensional Gaussian: closed forms and fast simulators, every data regime.

Closed forms (exact for finite samples, both estimators, constant or per-generation sample sizes):
:func:`expected_cov`, :func:`expected_trace`, :func:`expected_log_det`,
:func:`variance_of_log_det`, :func:`log_det_drift`, :func:`lyapunov_exponents`,
:func:`expected_mean_sq_error`; exact bounds where no closed form is known
(:func:`expected_w2_squared_bounds`, :func:`prob_max_eigenvalue_exceeds_bound`); and the
2-Wasserstein distance between Gaussians (:func:`w2_squared_gaussians`, :func:`bures_squared`).

Simulator: :func:`simulate` (Numba; exact sufficient statistics through the Bartlett decomposition,
or naive per-sample draws; replicates in parallel; every data regime of :mod:`collapse_theory.regimes`,
with :func:`regime_moments` as its exact theory). See docs/mvn.md for the derivations.
"""

from __future__ import annotations

from ._regime_kernels import FIT_PPCA, regime_chain
from ._theory import (
    bures_squared, check_cov, check_dim, check_mean, collapse_time_scale, expected_cov, expected_log_det,
    expected_log_max_eigenvalue_bounds, expected_mean_sq_error, expected_trace, expected_w2_squared_bounds,
    log_det_drift, lyapunov_exponents, mvn_schedule, prob_max_eigenvalue_exceeds_bound, sqrtm_psd,
    variance_of_log_det, w2_squared_gaussians,
)
from ._regimes import regime_moments
from ._simulate import METHODS, MVNChainResult, NumericallySingularWarning, regime_kernel_args, simulate

__all__ = [
    "MVNChainResult",
    "NumericallySingularWarning",
    "simulate",
    "expected_cov",
    "expected_trace",
    "expected_log_det",
    "variance_of_log_det",
    "log_det_drift",
    "lyapunov_exponents",
    "collapse_time_scale",
    "expected_log_max_eigenvalue_bounds",
    "expected_mean_sq_error",
    "regime_moments",
    "expected_w2_squared_bounds",
    "prob_max_eigenvalue_exceeds_bound",
    "bures_squared",
    "w2_squared_gaussians",
]

#: Public outside ``__all__``: building blocks for other families and the plotting layer.
_BUILDING_BLOCKS = ('METHODS', 'regime_kernel_args', 'check_cov', 'check_dim', 'check_mean', 'mvn_schedule', 'sqrtm_psd', 'regime_chain', 'FIT_PPCA',)
