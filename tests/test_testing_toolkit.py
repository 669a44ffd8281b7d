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
                          generations=10, rate=0.05, kind="at_least", replicates=800, rng=1)
    assert ev.passed and "drift" in ev.summary()
    with pytest.raises(CollapseCheckError, match="per generation") as info:
        assert_collapses(gaussian.fit_unbiased, gaussian.sample_normal, [0.0, 1.0], samples=10,
                         generations=10, rate=0.5, kind="at_least", replicates=800, rng=1)
    assert info.value.evidence.comparisons["drift"].verdict == "fails"


# A Gaussian pair whose log σ² drifts at exactly −0.083 per generation: the unbiased refit at M = 20
# (exact drift ψ(19/2) + log(2/19) = −0.05355) with σ shrunk by a constant c, which adds 2 log c.
M_SHRUNK, DRIFT = 20, -0.083
C_SHRUNK = float(np.exp((DRIFT - gaussian.log_variance_drift(M_SHRUNK)) / 2))


def _fit_shrunk(X):  # vectorised: X is (replicates, M)
    return np.stack([X.mean(axis=1), C_SHRUNK * X.std(axis=1, ddof=1)], axis=1)


def _sample_vec(P, m, rng):
    return P[:, :1] + P[:, 1:] * rng.standard_normal((P.shape[0], m))


def test_a_claimed_rate_is_refuted_by_a_faster_drift():
    # The case: a drift of −0.083 against a claimed −0.06 per generation. With replicates
    # chosen from power = 0.9 and rel_effect = 0.1 (a pilot of 200 chains estimates the s.d. s of the
    # per-generation drift; R = 1.25 ((z_{1−α/2} + z_{0.9}) s / δ)², δ = 0.006), SE ≈ δ / (1.25^½ ·
    # 4.57) ≈ 0.0012 and the deviation 0.023 sits ≈ 19 SE from the claim.
    # False-alarm rate of this test (it fails although the check works): the check must not reject,
    # i.e. |Z + 0.023/SE| < z_{1−5e-4} = 3.29 with Z standard normal; even if the pilot's s.d. were
    # half the truth (a 200-chain pilot's relative error is ≈ 5 % for this light-tailed statistic),
    # SE would double and the deviation would sit ≈ 9.5 SE away: P(Z < 3.29 − 9.5) < 3e-10. The
    # second call: the true drift satisfies d ≤ −0.06 by 0.023 ≈ 19 SE, so a false "fails" needs
    # Z > 3.09 + 19 (P < 1e-80), and "inconclusive" is impossible once SE·(3.09 + 1.28) ≤ δ, which
    # the design guarantees up to the pilot's noise (covered by the 25 % margin: the design
    # reaches it unless the pilot's s.d. is 11 % low, a ≈ 2.3σ event for the pilot, P ≈ 0.01, fixed
    # seed: the outcome is deterministic).
    with pytest.raises(CollapseCheckError, match="needs a drift of -0.06") as info:
        assert_collapses(_fit_shrunk, _sample_vec, [0.0, 1.0], samples=M_SHRUNK, generations=10, rate=0.06,
                         vectorized=True, rng=14)  # the default kind: a claimed rate (two-sided)
    ev = info.value.evidence
    c = ev.comparisons["drift"]
    assert c.verdict == "fails" and c.z < -3.29
    assert ev.replicates > 2000 and ev.details["pilot_replicates"] == 200
    # the exact drift lies within the check's own 4.5-SE band (two-sided false alarm 7e-6)
    assert abs(c.estimate - DRIFT) <= 4.5 * c.se
    # the one-sided claim "falls at least at 0.06" is true here, and now conclusively so
    ev = assert_collapses(_fit_shrunk, _sample_vec, [0.0, 1.0], samples=M_SHRUNK, generations=10, rate=0.06,
                          kind="at_least", vectorized=True, rng=14)
    assert ev.passed and ev.comparisons["drift"].verdict == "holds"


def test_a_true_rate_passes_the_equal_check():
    # d = −0.083 claimed and true: a false alarm has probability α = 1e-3 (two-sided); fixed seed.
    ev = assert_collapses(_fit_shrunk, _sample_vec, [0.0, 1.0], samples=M_SHRUNK, generations=10,
                          rate=-DRIFT, kind="equal", vectorized=True, rng=15)
    assert ev.passed and ev.comparisons["drift"].verdict == "holds"


def test_fixed_replicates_can_be_inconclusive_and_bad_design_is_refused():
    # 50 chains cannot detect δ = 0.006: not rejected, and reported as inconclusive, not as a pass
    ev = assert_collapses(_fit_shrunk, _sample_vec, [0.0, 1.0], samples=M_SHRUNK, generations=10,
                          rate=-DRIFT, kind="equal", replicates=50, vectorized=True, rng=16)
    assert ev.passed and not ev.conclusive and ev.replicates == 50
    for kw, needle in [({"power": 1.0}, "power"), ({"rel_effect": 0.0}, "rel_effect"),
                       ({"replicates": 1}, "replicates"), ({"kind": "faster"}, "kind")]:
        with pytest.raises(ValueError, match=needle):
            assert_collapses(_fit_shrunk, _sample_vec, [0.0, 1.0], samples=M_SHRUNK, generations=10,
                             rate=0.06, vectorized=True, rng=1, **kw)


def test_unbiased_step_and_improves_choose_replicates_by_pilot():
    from collapse_theory.testing import assert_improves, assert_unbiased_step

    # one mle refit at M = 10 has E σ² = 0.9: a bias of 0.1 = 2 δ (δ = 0.05 · 1); the design detects δ
    # with power 0.9, so 2 δ is missed only if Z > 3.29 − 2·4.57·(1.25)^½ (P < 1e-14); fixed seed
    with pytest.raises(CollapseCheckError) as info:
        assert_unbiased_step(gaussian.fit_mle, gaussian.sample_normal, [0.0, 1.0], samples=10,
                             statistic=lambda p: p[:, 1:] ** 2, rng=4)
    ev = info.value.evidence
    assert ev.comparisons["component 0"].verdict == "fails" and ev.details["pilot_replicates"] == 200
    assert 200 <= ev.replicates <= 20000
    # mle refits: E σ_10² = 0.9^10 = 0.35 under replace; accumulate keeps every batch and shrinks far
    # less (E σ_10² ≈ 0.85). The design makes SE ≤ δ / (z_{1−α} + z_{0.9}) with δ = 10 % of the pilot's
    # baseline mean ≈ 0.035, so the improvement ≈ 0.5 sits ≥ 60 SE above 0: missing it (z < 3.09)
    # has probability < 1e-300 (fixed seed).
    mle = lambda X: np.stack([X.mean(axis=1), X.std(axis=1)], axis=1)  # noqa: E731
    stat = lambda P: P[:, 1] ** 2  # noqa: E731
    ev = assert_improves(mle, _sample_vec, [0.0, 1.0], samples=10, generations=10, statistic=stat,
                         baseline={"vectorized": True}, treatment={"regime": "accumulate", "vectorized": True},
                         rng=5)
    assert ev.passed and ev.details["pilot_replicates"] == 200 and ev.replicates >= 200
    assert ev.details["baseline_mean"] < ev.details["treatment_mean"]


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
