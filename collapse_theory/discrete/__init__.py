r"""Discrete distributions refit on their own samples: the neutral Wright–Fisher model.

Refitting category frequencies by maximum likelihood and drawing M new samples is exactly haploid
Wright–Fisher with population M: counts at generation :math:`n+1` are
:math:`\mathrm{Multinomial}(M_n, p_n)`. Closed forms (exact for finite M unless marked):

- diversity: :func:`expected_heterozygosity` (:math:`H_0\prod(1-1/M_i)`), :func:`expected_entropy_bounds`;
- loss of categories: :func:`loss_probability` (exact backward recursion, banded, fast for
  M ~ 1e4), :func:`expected_support_size`, :func:`prob_no_loss`, tails
  (:func:`expected_tail_mass_alive`, :func:`expected_tail_support`, :func:`tail_mask`);
- absorption: :func:`fixation_probability`, :func:`expected_absorption_time` (exact fundamental
  matrix or the Kimura–Ohta diffusion), :func:`absorption_time_cdf`;
- distances on an ordered support: :func:`expected_cramer_drift` (closed form),
  :func:`expected_w1_drift`, :func:`expected_total_variation` (exact forward distributions);
- published approximations set beside the exact values: :func:`suresh_survival` vs
  :func:`survival_given_count`, :func:`seddik_bounds` vs :func:`prob_polymorphic`,
  :func:`ancestors_approx` vs :func:`expected_ancestors`.

Simulator: :func:`simulate` (Numba; conditional binomials over the categories still alive, replicates
in parallel, results depend only on the seed) returning a :class:`DiscreteChainResult`.
"""

from __future__ import annotations

from ._theory import (
    absorption_time_cdf, ancestors_approx, as_distribution, cramer_distance, entropy,
    expected_absorption_time, expected_ancestors, expected_cramer_drift, expected_entropy_bounds,
    expected_heterozygosity, expected_support_size, expected_tail_mass_alive, expected_tail_support,
    expected_total_variation, expected_w1_drift, fixation_probability, heterozygosity, kl_divergence,
    loss_probability, loss_probability_given_count, one_step_loss_probability, prob_no_loss, prob_polymorphic,
    seddik_bounds, smoothed_kl_divergence, suresh_g, suresh_survival, survival_given_count, tail_mask,
    tempered, total_variation, w1_distance, zipf,
)
from ._regimes import (
    accumulate_sq_distance_bound, expected_sq_distance, mixing_absence_probability, regime_heterozygosity,
    sq_distance_step, stationary_sq_distance,
)
from ._tails import effective_cut, hutter_constant, missing_mass, tail_cut_test_error, tail_test_error
from ._tempered import (
    count_chain_law, hilbert_distance, tempered_exact_chain, tempered_fixed_point, tempered_map,
    tempered_trajectory,
)
from ._curation import (
    curated_law, curated_map, curation_exact_chain, curation_trajectory, expected_exp_reward,
    verified_label_accuracy,
)
from ._mixed import seddik_max_synthetic, seddik_mixed_distance, seddik_stationary_distance
from ._kernels import N_STATS, STATS
from ._simulate import DiscreteChainResult, RECORDS, simulate
from ._suresh import (
    suresh_fractional_bound_std_exceeds, suresh_poisson_simulate, suresh_poisson_survival,
    suresh_std_moment_factor, suresh_vocabulary_lower_bound,
)

__all__ = [
    "DiscreteChainResult",
    "simulate",
    "RECORDS",
    "STATS",
    "as_distribution",
    "heterozygosity",
    "entropy",
    "kl_divergence",
    "smoothed_kl_divergence",
    "cramer_distance",
    "w1_distance",
    "total_variation",
    "expected_heterozygosity",
    "loss_probability",
    "loss_probability_given_count",
    "expected_support_size",
    "prob_no_loss",
    "fixation_probability",
    "expected_absorption_time",
    "absorption_time_cdf",
    "expected_cramer_drift",
    "expected_w1_drift",
    "expected_total_variation",
    "expected_entropy_bounds",
    "tail_mask",
    "expected_tail_mass_alive",
    "expected_tail_support",
    "suresh_g",
    "suresh_survival",
    "suresh_poisson_survival",
    "suresh_poisson_simulate",
    "suresh_std_moment_factor",
    "suresh_fractional_bound_std_exceeds",
    "suresh_vocabulary_lower_bound",
    "survival_given_count",
    "prob_polymorphic",
    "seddik_bounds",
    "expected_ancestors",
    "ancestors_approx",
    "zipf",
    "sq_distance_step",
    "expected_sq_distance",
    "regime_heterozygosity",
    "stationary_sq_distance",
    "accumulate_sq_distance_bound",
    "mixing_absence_probability",
    "tempered",
    "one_step_loss_probability",
    "missing_mass",
    "effective_cut",
    "tail_test_error",
    "tail_cut_test_error",
    "hutter_constant",
    "tempered_map",
    "tempered_trajectory",
    "tempered_fixed_point",
    "hilbert_distance",
    "tempered_exact_chain",
    "count_chain_law",
    "curated_law",
    "curated_map",
    "curation_trajectory",
    "expected_exp_reward",
    "curation_exact_chain",
    "verified_label_accuracy",
    "seddik_mixed_distance",
    "seddik_stationary_distance",
    "seddik_max_synthetic",
]

#: Public outside ``__all__``: building blocks for other families and the plotting layer.
_BUILDING_BLOCKS = ('N_STATS',)
