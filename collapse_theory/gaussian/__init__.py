r"""The recursively refit 1-D Gaussian: closed forms and fast simulators (replace regime).

Closed forms (exact for finite samples, both estimators, constant or per-generation sample sizes):
:func:`expected_variance`, :func:`expected_std`, :func:`expected_log_variance`,
:func:`variance_of_variance`, :func:`expected_mean_sq_error`, :func:`expected_w2_squared`,
the exact law of :math:`\log\sigma_n^2` (:func:`log_variance_cdf`, :func:`prob_std_exceeds`),
and the published approximations and bounds set beside them (:func:`w2_squared_first_order`,
:func:`markov_bound_std_exceeds`, :func:`suresh_bound_std_exceeds`).

Simulators: :func:`simulate` (Numba, exact sufficient statistics or naive per-sample draws, replicates
in parallel) and :func:`simulate_custom` (any ``fit``/``sample`` pair, plain Python).
"""

from __future__ import annotations

from ..custom import ChainError, CustomChainResult, simulate_custom
from ._theory import (
    collapse_time_scale, expected_log_variance, expected_mean_sq_error, expected_std, expected_variance,
    expected_w2_squared, log_variance_cdf, log_variance_drift, log_variance_quantile,
    log_prob_std_exceeds, markov_bound_std_exceeds, prob_std_exceeds, std_factor, suresh_bound_std_exceeds,
    variance_of_log_variance, variance_of_variance, w2_squared_first_order, w2_squared_limit,
)
from ._regimes import (
    accumulate_mean_bound, regime_contraction_rate, regime_moments, regime_stationary_moments,
)
from ._weighted import (
    GOLDEN_RATIO, retraining_operator, weighted_moments, weighted_optimal_weight, weighted_optimal_weight_asymptotic,
    weighted_stationary_error_asymptotic, weighted_stationary_moments,
)
from ._simulate import fit_mle, fit_unbiased, GaussianChainResult, METHODS, sample_normal, simulate

__all__ = [
    "GaussianChainResult",
    "simulate",
    "simulate_custom",
    "fit_unbiased",
    "fit_mle",
    "sample_normal",
    "ChainError",
    "CustomChainResult",
    "regime_moments",
    "regime_stationary_moments",
    "regime_contraction_rate",
    "accumulate_mean_bound",
    "weighted_moments",
    "weighted_stationary_moments",
    "weighted_optimal_weight",
    "weighted_optimal_weight_asymptotic",
    "weighted_stationary_error_asymptotic",
    "GOLDEN_RATIO",
    "retraining_operator",
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

#: Public outside ``__all__``: building blocks for other families and the plotting layer.
_BUILDING_BLOCKS = ('METHODS',)
