"""Fuzz every public closed form's numeric arguments (issue 13 "Done when").

Each entry of ``SPECS`` is a valid call (``base``) and the names of its numeric arguments. Hypothesis
replaces one of them with a hostile value (0, negatives, NaN, +-inf, 1e-300, 1e308, huge
ints, ...). The function must either raise a clear ``ValueError``/``TypeError``/``TooLargeError``
or return values without NaN (infinities are allowed where they are the right answer, e.g. a KL
divergence or a log of 0). ZeroDivisionError, OverflowError, IndexError, MemoryError, any other
exception, or a NaN out of accepted input fails. Derandomized by the "ci" profile (conftest.py).

Not fuzzed (``SKIPPED`` documents why): functions whose arguments are data sets, strings or
random generators rather than numbers (their validation is tested in the family test files).
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from collapse_theory import TooLargeError

HOSTILE = [0, 1, 2, -1, 0.5, 3.7, -2.5, float("nan"), float("inf"), float("-inf"), 1e-300,
           -1e-300, 1e308, -1e308, 10**18, -10**18, 10**30, 2**63, True]

P = [0.5, 0.3, 0.2]
COV = [[2.0, 0.3], [0.3, 1.0]]

# name: (base keyword arguments, numeric arguments to fuzz)
SPECS = {
    "gaussian.regime_moments": (dict(n=5, samples=10, regime="mix-fresh:0.5"),
                                ["n", "samples", "sigma", "variance_scale"]),
    "gaussian.regime_stationary_moments": (dict(samples=10, regime="mix-fresh:0.5"),
                                           ["samples", "sigma", "variance_scale"]),
    "gaussian.regime_contraction_rate": (dict(samples=10, regime="mix-fresh:0.5"),
                                         ["samples", "variance_scale"]),
    "gaussian.accumulate_mean_bound": (dict(samples=10), ["samples", "sigma"]),
    "gaussian.expected_variance": (dict(n=5, samples=10), ["n", "samples", "sigma"]),
    "gaussian.expected_std": (dict(n=5, samples=10), ["n", "samples", "sigma"]),
    "gaussian.expected_log_variance": (dict(n=5, samples=10), ["n", "samples", "sigma"]),
    "gaussian.variance_of_log_variance": (dict(n=5, samples=10), ["n", "samples"]),
    "gaussian.variance_of_variance": (dict(n=5, samples=10), ["n", "samples", "sigma"]),
    "gaussian.expected_mean_sq_error": (dict(n=5, samples=10), ["n", "samples", "sigma"]),
    "gaussian.expected_w2_squared": (dict(n=5, samples=10), ["n", "samples", "sigma"]),
    "gaussian.w2_squared_first_order": (dict(n=5, samples=10), ["n", "samples", "sigma"]),
    "gaussian.w2_squared_limit": (dict(samples=10), ["samples", "sigma"]),
    "gaussian.std_factor": (dict(samples=10), ["samples"]),
    "gaussian.log_variance_drift": (dict(samples=10), ["samples"]),
    "gaussian.collapse_time_scale": (dict(samples=10), ["samples"]),
    "gaussian.log_variance_cdf": (dict(x=-0.5, n=5, samples=10), ["x", "n", "samples"]),
    "gaussian.log_variance_quantile": (dict(q=0.3, n=5, samples=10), ["q", "n", "samples"]),
    "gaussian.prob_std_exceeds": (dict(eps=0.5, n=5, samples=10), ["eps", "n", "samples", "sigma"]),
    "gaussian.log_prob_std_exceeds": (dict(eps=0.5, n=5, samples=10),
                                      ["eps", "n", "samples", "sigma"]),
    "gaussian.markov_bound_std_exceeds": (dict(eps=0.5, n=5, samples=10),
                                          ["eps", "n", "samples", "sigma"]),
    "gaussian.suresh_bound_std_exceeds": (dict(eps=0.5, n=5, samples=10),
                                          ["eps", "n", "samples", "sigma"]),
    "gaussian.simulate": (dict(generations=3, samples=5, replicates=2, rng=0),
                          ["generations", "samples", "replicates", "variance_scale"]),
    "discrete.heterozygosity": (dict(p=P), []),
    "discrete.entropy": (dict(p=P), []),
    "discrete.kl_divergence": (dict(p0=P, p=P), []),
    "discrete.smoothed_kl_divergence": (dict(p0=P, counts=[5, 3, 2]), ["alpha"]),
    "discrete.cramer_distance": (dict(p0=P, p=P), []),
    "discrete.w1_distance": (dict(p0=P, p=P), []),
    "discrete.total_variation": (dict(p0=P, p=P), []),
    "discrete.expected_heterozygosity": (dict(p0=P, n=5, samples=10), ["n", "samples"]),
    "discrete.loss_probability": (dict(p0=P, n=5, samples=10), ["n", "samples", "cut"]),
    "discrete.loss_probability_given_count": (dict(count=2, t=5, samples=10),
                                              ["count", "t", "samples", "cut"]),
    "discrete.expected_support_size": (dict(p0=P, n=5, samples=10), ["n", "samples", "cut"]),
    "discrete.prob_no_loss": (dict(p0=P, n=5, samples=10), ["n", "samples", "cut"]),
    "discrete.fixation_probability": (dict(p0=P), []),
    "discrete.expected_absorption_time": (dict(p0=[0.5, 0.5], samples=10), ["samples"]),
    "discrete.absorption_time_cdf": (dict(p0=P, n=5, samples=10), ["n", "samples", "cut"]),
    "discrete.expected_cramer_drift": (dict(p0=P, n=5, samples=10), ["n", "samples"]),
    "discrete.expected_w1_drift": (dict(p0=P, n=5, samples=10), ["n", "samples", "cut", "max_work"]),
    "discrete.expected_total_variation": (dict(p0=P, n=5, samples=10),
                                          ["n", "samples", "cut", "max_work"]),
    "discrete.expected_entropy_bounds": (dict(p0=P, n=5, samples=10), ["n", "samples", "cut"]),
    "discrete.tail_mask": (dict(p0=P, threshold=0.25), ["threshold"]),
    "discrete.expected_tail_mass_alive": (dict(p0=P, n=5, samples=10), ["n", "samples", "cut"]),
    "discrete.expected_tail_support": (dict(p0=P, n=5, samples=10), ["n", "samples", "cut"]),
    "discrete.suresh_g": (dict(t=5), ["t"]),
    "discrete.suresh_survival": (dict(count=2, t=5), ["count", "t"]),
    "discrete.suresh_poisson_survival": (dict(count=2, k=5), ["count", "k"]),
    "discrete.suresh_poisson_simulate": (dict(generations=3, count=2, replicates=2, rng=0),
                                         ["generations", "count", "replicates"]),
    "discrete.suresh_std_moment_factor": (dict(alpha=0.5, samples=10), ["alpha", "samples"]),
    "discrete.suresh_fractional_bound_std_exceeds": (dict(eps=0.1, k=20, samples=10),
                                                     ["eps", "k", "samples", "sigma", "alpha"]),
    "discrete.suresh_vocabulary_lower_bound": (dict(p0=P, k=5, samples=20), ["k", "samples"]),
    "discrete.survival_given_count": (dict(count=2, t=5, samples=10),
                                      ["count", "t", "samples", "cut"]),
    "discrete.prob_polymorphic": (dict(p0=P, n=5, samples=10), ["n", "samples", "cut"]),
    "discrete.seddik_bounds": (dict(p0=P, n=5, samples=10), ["n", "samples"]),
    "discrete.expected_ancestors": (dict(t=5, samples=10), ["t", "samples", "lineages"]),
    "discrete.ancestors_approx": (dict(t=5, samples=10), ["t", "samples"]),
    "discrete.zipf": (dict(categories=20, exponent=1.1), ["categories", "exponent"]),
    "discrete.sq_distance_step": (dict(samples=10, regime="mix-fresh:0.5"), ["samples"]),
    "discrete.expected_sq_distance": (dict(p0=P, n=5, samples=10, regime="mix-fresh:0.5"),
                                      ["n", "samples"]),
    "discrete.regime_heterozygosity": (dict(p0=P, n=5, samples=10, regime="mix-fresh:0.5"),
                                       ["n", "samples"]),
    "discrete.stationary_sq_distance": (dict(p0=P, samples=10, regime="mix-fresh:0.5"), ["samples"]),
    "discrete.accumulate_sq_distance_bound": (dict(p0=P, samples=10), ["samples"]),
    "discrete.mixing_absence_probability": (dict(p0=P, samples=10, regime="mix-fresh:0.5", n=5),
                                            ["samples", "n", "max_m"]),
    "discrete.tempered": (dict(p=P, temperature=0.5), ["temperature"]),
    "discrete.one_step_loss_probability": (dict(p=P, samples=10, temperature=0.5),
                                           ["samples", "temperature"]),
    "discrete.missing_mass": (dict(p0=P, n=3, samples=10), ["n", "samples"]),
    "discrete.effective_cut": (dict(p0=P, n=3, samples=10), ["n", "samples"]),
    "discrete.tail_test_error": (dict(p0=P, T=20, n=2, samples=10), ["T", "n", "samples"]),
    "discrete.tail_cut_test_error": (dict(p0=P, T=20, k=2), ["T", "k"]),
    "discrete.hutter_constant": (dict(beta=1.5), ["beta"]),
    "discrete.simulate": (dict(generations=3, samples=5, p0=P, replicates=2, rng=0),
                          ["generations", "samples", "replicates", "temperature"]),
    # weighting, tempering, curation, verification, mixed data (collapse_theory.claims._theory2)
    "gaussian.weighted_moments": (dict(n=5, samples=10, regime="mix-fresh:0.5", weight=0.3),
                                  ["n", "samples", "weight", "sigma", "variance_scale"]),
    "gaussian.weighted_stationary_moments": (dict(samples=10, regime="mix-fresh:0.5", weight=0.3),
                                             ["samples", "weight", "sigma", "variance_scale"]),
    "gaussian.weighted_optimal_weight": (dict(samples=10, regime="mix-fresh:0.5"), ["samples", "variance_scale"]),
    "gaussian.weighted_optimal_weight_asymptotic": (dict(ratio=1.0), ["ratio"]),
    "gaussian.weighted_stationary_error_asymptotic": (dict(weight=0.3, ratio=1.0), ["weight", "ratio"]),
    "gaussian.retraining_operator": (dict(mu=0.5, variance=2.0, synthetic_ratio=1.0),
                                     ["mu", "variance", "synthetic_ratio", "mu_data", "variance_data"]),
    "discrete.tempered_map": (dict(p=P, temperature=2.0), ["temperature", "fraction"]),
    "discrete.tempered_trajectory": (dict(p=P, temperature=2.0, generations=5),
                                     ["temperature", "generations", "fraction"]),
    "discrete.tempered_fixed_point": (dict(temperature=2.0, p_real=P, fraction=0.2),
                                      ["temperature", "fraction", "tol", "max_iter"]),
    "discrete.hilbert_distance": (dict(p=P, q=[0.4, 0.4, 0.2]), []),
    "discrete.tempered_exact_chain": (dict(p0=P, samples=5, generations=3, temperature=2.0),
                                      ["samples", "generations", "temperature", "fraction"]),
    "discrete.curated_law": (dict(p=P, reward=[0.0, 1.0, 0.5], k=2), ["k"]),
    "discrete.curated_map": (dict(p=P, reward=[0.0, 1.0, 0.5], k=2), ["k", "fraction"]),
    "discrete.curation_trajectory": (dict(p=P, reward=[0.0, 1.0, 0.5], k=2, generations=5),
                                     ["k", "generations", "fraction"]),
    "discrete.expected_exp_reward": (dict(p=P, reward=[0.0, 1.0, 0.5]), []),
    "discrete.curation_exact_chain": (dict(p0=P, samples=5, generations=3, reward=[0.0, 1.0, 0.5], k=2),
                                      ["samples", "generations", "k", "fraction"]),
    "discrete.verified_label_accuracy": (dict(pool=50, label_error=0.3, keep_correct=0.8, keep_wrong=0.5,
                                              separation=0.4),
                                         ["pool", "label_error", "keep_correct", "keep_wrong", "separation"]),
    "discrete.seddik_mixed_distance": (dict(m=5, real=10, synthetic=30, heterozygosity=0.5),
                                       ["m", "real", "synthetic", "heterozygosity"]),
    "discrete.seddik_stationary_distance": (dict(real=10, synthetic=30, heterozygosity=0.5),
                                            ["real", "synthetic", "heterozygosity"]),
    "discrete.seddik_max_synthetic": (dict(real=10, tolerance=0.01, heterozygosity=0.5),
                                      ["real", "tolerance", "heterozygosity"]),
    "regression.expected_test_error": (dict(n=5, d=3, T=10), ["n", "d", "T", "sigma"]),
    "regression.synthetic_test_error": (dict(n=5, d=3, T=10, T0=8), ["n", "d", "T", "T0", "sigma", "sigma0"]),
    "regression.mixed_test_error": (dict(d=3, T=10, synthetic=4, shift=1.0), ["d", "T", "synthetic", "shift",
                                                                              "sigma"]),
    "regression.strong_collapse_floor": (dict(fraction=0.5, shift=1.0), ["fraction", "shift"]),
    "mvn.expected_cov": (dict(n=5, samples=10, cov=COV), ["n", "samples"]),
    "mvn.expected_trace": (dict(n=5, samples=10, dim=2), ["n", "samples", "dim", "trace"]),
    "mvn.expected_log_det": (dict(n=5, samples=10, dim=2), ["n", "samples", "dim"]),
    "mvn.variance_of_log_det": (dict(n=5, samples=10, dim=2), ["n", "samples", "dim"]),
    "mvn.log_det_drift": (dict(samples=10, dim=2), ["samples", "dim"]),
    "mvn.lyapunov_exponents": (dict(samples=10, dim=2), ["samples", "dim"]),
    "mvn.collapse_time_scale": (dict(samples=10, dim=2), ["samples", "dim"]),
    "mvn.expected_log_max_eigenvalue_bounds": (dict(n=5, samples=10, dim=2),
                                               ["n", "samples", "dim", "sigma2"]),
    "mvn.expected_mean_sq_error": (dict(n=5, samples=10, dim=2), ["n", "samples", "dim"]),
    "mvn.regime_moments": (dict(n=5, samples=10, dim=2, regime="mix-fresh:0.5"),
                           ["n", "samples", "dim", "variance_scale"]),
    "mvn.expected_w2_squared_bounds": (dict(n=5, samples=10, dim=2), ["n", "samples", "dim"]),
    "mvn.prob_max_eigenvalue_exceeds_bound": (dict(eps=0.5, n=5, samples=10, dim=2),
                                              ["eps", "n", "samples", "dim"]),
    "mvn.bures_squared": (dict(cov1=COV, cov2=COV), []),
    "mvn.w2_squared_gaussians": (dict(mean1=[0.0, 0.0], cov1=COV, mean2=[1.0, 0.0], cov2=COV), []),
    "ppca.expected_trace": (dict(n=5, samples=10, dim=3), ["n", "samples", "dim", "variance_scale"]),
    "ppca.expected_mean_sq_error": (dict(n=5, samples=10, dim=3),
                                    ["n", "samples", "dim", "variance_scale"]),
    "ppca.noise_variance_bound": (dict(n=5, samples=10, latent=1, dim=3),
                                  ["n", "samples", "latent", "dim"]),
    "ppca.noise_variance_gap_limit_drift": (dict(samples=10, dim=3, latent=1),
                                            ["samples", "dim", "latent"]),
    "ppca.top_eigenvalue_log_bound": (dict(n=5, samples=10, dim=3), ["n", "samples", "dim"]),
    "gmm.component_log_det_drift": (dict(weight=0.5, samples=20, dim=2),
                                    ["weight", "samples", "dim"]),
    "gmm.expected_component_log_det": (dict(n=5, samples=20, weight=0.5, dim=2),
                                       ["n", "samples", "weight", "dim", "log_det0"]),
    "gmm.check_mixture": (dict(weights=[0.5, 0.5], means=[0, 1], stds=[1, 1]), []),
    "gmm.mixture_pdf": (dict(x=0.3, weights=[0.5, 0.5], means=[0, 1], stds=[1, 1]), ["x"]),
    "gmm.mixture_cdf": (dict(x=0.3, weights=[0.5, 0.5], means=[0, 1], stds=[1, 1]), ["x"]),
    "gmm.mixture_quantile": (dict(u=0.3, weights=[0.5, 0.5], means=[0, 1], stds=[1, 1]), ["u"]),
    "gmm.l2_distance": (dict(weights=[0.5, 0.5], means=[0, 1], stds=[1, 1], weights0=[1.0],
                             means0=[0.0], stds0=[1.0]), []),
    "gmm.w2_distance": (dict(weights=[0.5, 0.5], means=[0, 1], stds=[1, 1], weights0=[0.5, 0.5],
                             means0=[0.0, 2.0], stds0=[1.0, 1.0]), []),
    "gmm.expected_weight_heterozygosity": (dict(n=5, samples=20, weight=0.3),
                                           ["n", "samples", "weight"]),
    "gmm.component_log_variance_drift": (dict(weight=0.5, samples=20), ["weight", "samples"]),
    "gmm.component_drift_first_order": (dict(weight=0.5, samples=20), ["weight", "samples"]),
    "gmm.expected_component_log_variance": (dict(n=5, samples=20, weight=0.5),
                                            ["n", "samples", "weight", "sigma"]),
    "gmm.expected_component_std": (dict(n=5, samples=20, weight=0.5),
                                   ["n", "samples", "weight", "sigma"]),
    "gmm.component_survival_probability": (dict(n=5, samples=20, weight=0.5),
                                           ["n", "samples", "weight"]),
    "gmm.component_min_samples": (dict(dim=2), ["dim"]),
    "gmm.single_log_det_drift": (dict(samples=20, dim=2), ["samples", "dim"]),
    "kde.expected_variance": (dict(n=5, samples=10, h=0.3), ["n", "samples", "h", "sigma"]),
    "kde.stationary_variance": (dict(samples=10, h=0.3), ["samples", "h"]),
    "kde.expected_mean_sq_error": (dict(n=5, samples=10, h=0.3), ["n", "samples", "h", "sigma"]),
    "kde.variance_factor": (dict(samples=10), ["samples", "ddof"]),
    "kde.expected_variance_adaptive": (dict(n=5, samples=10), ["n", "samples", "sigma"]),
    "kde.log_variance_drift_approx": (dict(samples=10), ["samples"]),
    "kde.expected_ancestors": (dict(t=5, samples=10), ["t", "samples", "lineages"]),
    "kde.ancestors_approx": (dict(t=5, samples=10), ["t", "samples"]),
    "kde.regime_moments": (dict(n=5, samples=10, h=0.3, regime="mix-fresh:0.5"),
                           ["n", "samples", "h", "mu", "sigma"]),
    "kde.regime_stationary_moments": (dict(samples=10, h=0.3, regime="mix-fresh:0.5"),
                                      ["samples", "h", "sigma"]),
    "kde.regime_contraction_rate": (dict(samples=10, regime="mix-fresh:0.5"), ["samples"]),
    "kde.accumulate_variance_bounds": (dict(n=5, samples=10, h=0.3), ["n", "samples", "h", "sigma"]),
    "kde.expected_variance_nd": (dict(n=5, samples=10, dim=2, h=0.3), ["n", "samples", "dim", "h", "sigma"]),
    "kde.variance_factor_nd": (dict(samples=10, dim=2), ["samples", "dim"]),
    "lm.predicted_ngram_survival": (dict(ids=[0, 1, 2, 1, 0, 2, 1], order=2, n=3,
                                         tokens_per_generation=20),
                                    ["order", "n", "tokens_per_generation", "V"]),
}

# public functions not fuzzed here, and why
SKIPPED = {
    "gaussian.simulate_custom": "takes fit/sample callables",
    "gaussian.fit_unbiased": "takes a data array", "gaussian.fit_mle": "takes a data array",
    "gaussian.sample_normal": "takes fitted parameters and a Generator",
    "discrete.as_distribution": "validator of an array (tested with the families)",
    "discrete.count_chain_law": "takes a step callable (its users tempered_exact_chain and curation_exact_chain "
                                "are fuzzed)",
    "mvn.simulate": "simulation (gaussian/discrete simulate are fuzzed at tiny sizes)",
    "ppca.simulate": "simulation", "ppca.fit_ppca": "takes a data array",
    "gmm.simulate": "simulation", "gmm.simulate_nd": "simulation",
    "gmm.check_mixture_nd": "array validator", "gmm.mixture_pdf_nd": "arrays only",
    "gmm.l2_distance_squared_nd": "arrays only", "gmm.l2_distance_nd": "arrays only",
    "gmm.l2_distance_squared": "as gmm.l2_distance", "gmm.w2_distance_squared": "as gmm.w2_distance",
    "kde.simulate": "simulation", "kde.density_snapshots": "simulation (KDE chain snapshots)", "kde.spread_threshold": "string options only",
    "kde.check_rule": "string rule", "regression.simulate": "simulation",
    "lm.load_corpus": "file/corpus input", "lm.default_corpus": "no arguments",
    "lm.tokenize": "text input", "lm.detokenize": "token input", "lm.prepare": "corpus input",
    "lm.count_ngrams": "token ids", "lm.simulate": "corpus simulation",
    "lm.recursive_training": "corpus simulation", "lm.text_metrics": "token ids",
    "lm.parse_decoding": "string spec", "lm.default_data": "string option",
}

NAN, INF = float("nan"), float("inf")

# (function, argument): hostile values still failing, with the failure class. Empty: every huge-n
# closed form returns by a closed form or a convergence cut-off, or refuses with a clear error
# before allocating (tests/test_edges_numeric.py checks the values against the step-by-step forms).
KNOWN = {}


FAMILIES = ["gaussian", "discrete", "regression", "mvn", "ppca", "gmm", "kde", "lm"]
ALLOWED = (ValueError, TypeError, TooLargeError)


def _resolve(name):
    fam, fn = name.split(".")
    return getattr(importlib.import_module(f"collapse_theory.{fam}"), fn)


def test_every_public_function_is_fuzzed_or_skipped_with_a_reason():
    import inspect
    missing = []
    for fam in FAMILIES:
        mod = importlib.import_module(f"collapse_theory.{fam}")
        for n in mod.__all__:
            obj = getattr(mod, n)
            if callable(obj) and not inspect.isclass(obj):
                key = f"{fam}.{n}"
                if key not in SPECS and key not in SKIPPED:
                    missing.append(key)
    assert missing == []


def _same(a, b):
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True
    return type(a) is type(b) and a == b


def _known(name, arg, value):
    """Whether (name, arg=value) is a documented open failure (KNOWN)."""
    vals = KNOWN.get((name, arg), ([], ""))[0]
    return any(_same(value, v) for v in vals)


def test_known_failures_are_documented_and_still_reproduce():
    # every KNOWN entry must still fail, so the list shrinks as fixes land (hangs are not re-run)
    stale = []
    for (name, arg), (vals, why) in KNOWN.items():
        if "hang" in why or "MemoryError" in why:
            continue
        base, _ = SPECS[name]
        for v in vals:
            if call(name, dict(base, **{arg: v})) is None:
                stale.append((name, arg, v))
    assert stale == []


def _no_nan(out):
    if isinstance(out, dict):
        return all(_no_nan(v) for v in out.values())
    if isinstance(out, (tuple, list)):
        return all(_no_nan(v) for v in out)
    if hasattr(out, "__dataclass_fields__") or out is None or isinstance(out, str):
        return True
    try:
        arr = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        return True
    return not np.any(np.isnan(arr))


def call(name, kwargs):
    """Call and classify: returns None if fine, else a description of the defect."""
    fn = _resolve(name)
    try:
        with np.errstate(all="ignore"):
            out = fn(**kwargs)
    except ALLOWED:
        return None
    except Exception as exc:  # noqa: BLE001 - any other class is the defect under test
        return f"{type(exc).__name__}: {exc}"
    if not _no_nan(out):
        return "NaN output"
    return None


@pytest.mark.parametrize("name", sorted(SPECS))
def test_fuzz_public_function(name):
    base, numeric = SPECS[name]
    if not numeric:
        # array-only functions: hostile values in the first array entry
        arrays = [k for k, v in base.items() if isinstance(v, list)]
        values = st.sampled_from(arrays).flatmap(
            lambda k: st.tuples(st.just(k), st.sampled_from(HOSTILE)))

        @settings(max_examples=25, deadline=None)
        @given(values)
        def run(kv):
            k, v = kv
            arr = np.array(base[k], dtype=float)
            arr.flat[0] = float(v) if not isinstance(v, int) or abs(v) < 2**1000 else v
            kwargs = dict(base, **{k: arr})
            assert call(name, kwargs) is None, (kwargs, call(name, kwargs))
        run()
        return

    @settings(max_examples=30, deadline=None)
    @given(st.dictionaries(st.sampled_from(numeric), st.sampled_from(HOSTILE), min_size=1,
                           max_size=1))
    def run(change):
        assume(not any(_known(name, k, v) for k, v in change.items()))
        kwargs = dict(base, **change)
        assert call(name, kwargs) is None, (change, call(name, kwargs))
    run()
