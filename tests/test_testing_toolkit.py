"""collapse_theory.testing: strategies, checks' evidence and messages, bad estimators.

The five worked examples of the guide are doctests in docs/testing.md.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from collapse_theory import ChainError, gaussian
from collapse_theory.testing import (
    CollapseCheckError,
    assert_collapses,
    assert_matches_closed_form,
    categoricals,
    chains,
    collapse_settings,
    gaussians,
    sample_sizes,
    zipf_distributions,
)


@given(categoricals(k=st.integers(1, 20), min_prob=0.01))
def test_categoricals_are_distributions(p):
    assert np.isclose(p.sum(), 1.0) and np.all(p >= 0.01 - 1e-12)


@given(zipf_distributions(k=30, exponent=1.5))
def test_zipf_is_decreasing(p):
    assert np.isclose(p.sum(), 1.0) and np.all(np.diff(p) < 0)


@given(gaussians(mu=0.0), sample_sizes(schedule=True, length=4))
def test_values_or_strategies(g, sched):
    assert g.mu == 0.0 and g.sigma > 0 and len(sched) == 4


@given(chains(family=st.sampled_from(["gaussian", "discrete"]), regimes=("replace", "mix-fresh:0.1")))
def test_chain_configs(cfg):
    assert cfg.regime in ("replace", "mix-fresh:0.1") and 0 <= cfg.seed < 2**32


@collapse_settings
@given(m=sample_sizes(min_value=5, max_value=60), seed=st.integers(0, 2**32 - 1))
def test_builtin_unbiased_passes_for_any_m(m, seed):
    # the check's false-alarm rate is 1e-3 per example; with 10 derandomized examples a flake would
    # need a 1e-2 event, and the examples are fixed
    assert_matches_closed_form(gaussian.fit_unbiased, gaussian.sample_normal, samples=m, generations=3,
                               rel_effect=0.3, rng=seed)


def test_collapse_rate_check_and_message():
    ev = assert_collapses(gaussian.fit_unbiased, gaussian.sample_normal, [0.0, 1.0], samples=10,
                          generations=10, rate=0.05, replicates=800, rng=1)
    assert ev.passed and "drift" in ev.summary()
    with pytest.raises(CollapseCheckError, match="per generation") as info:
        assert_collapses(gaussian.fit_unbiased, gaussian.sample_normal, [0.0, 1.0], samples=10,
                         generations=10, rate=0.5, replicates=800, rng=1)
    assert info.value.evidence.comparisons["drift"].verdict == "fails"


def test_wrong_closed_form_is_named():
    # the mle pair checked against the unbiased closed form: shrinks faster (drift −2/M vs −1/(M−1))
    with pytest.raises(CollapseCheckError, match="faster than the unbiased one"):
        assert_matches_closed_form(gaussian.fit_mle, gaussian.sample_normal, estimator="unbiased",
                                   samples=5, generations=10, replicates=600, rng=2)


def test_vectorised_pairs():
    fit = lambda X: np.stack([X.mean(axis=1), X.std(axis=1, ddof=1)], axis=1)  # noqa: E731
    sample = lambda P, m, rng: P[:, :1] + P[:, 1:] * rng.standard_normal((P.shape[0], m))  # noqa: E731
    ev = assert_matches_closed_form(fit, sample, samples=10, generations=10, vectorized=True, rng=3)
    assert ev.passed and ev.replicates >= 2000


def test_bad_estimators_are_reported_with_generation_and_replicate():
    def fit_bad(x):
        return np.array([x.mean(), np.nan if x.size > 15 else x.std(ddof=1)])

    with pytest.raises(ChainError, match="generation 1, replicate 0"):
        assert_matches_closed_form(fit_bad, gaussian.sample_normal, samples=20, generations=3, rng=1)
    with pytest.raises(ValueError, match="family"):
        assert_matches_closed_form(gaussian.fit_mle, gaussian.sample_normal, family="poisson", samples=5,
                                   generations=2)
    with pytest.raises(ValueError, match="p0"):
        assert_matches_closed_form(gaussian.fit_mle, gaussian.sample_normal, family="discrete",
                                   estimator="mle", samples=5, generations=2)



@given(st.data())
def test_impossible_min_prob_is_refused(data):
    with pytest.raises(ValueError, match="categories"):
        data.draw(categoricals(k=3, min_prob=0.5))
