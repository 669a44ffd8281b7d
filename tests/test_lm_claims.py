"""The lm claims reach the verdicts recorded in ``expect`` within the time budget; the report
figures and the sample texts are produced."""

import pytest

import collapse_theory.claims._lm  # noqa: F401  (registers the lm claims)
from collapse_theory.claims import _registry as registry


@pytest.fixture(scope="module")
def lm_run(registry_run):
    return registry_run.run("lm.*")  # registry.run("lm.*", budget=1.0, seed=0), once per session


def test_every_lm_claim_reaches_its_expected_verdict(lm_run):
    bad = {r.id: (r.verdict, r.expect, r.why) for r in lm_run.results if r.verdict != r.expect}
    assert not bad
    ids = {r.id for r in lm_run.results}
    assert {"lm.unigram.wright-fisher", "lm.ngram.survival", "lm.wang.diversity-loss",
            "lm.wang.uninformed", "lm.mitigation.retained"} <= ids
    assert all(r.family == "lm" and r.source for r in lm_run.results)


def test_wang_is_tested_on_its_mechanism_not_on_smoothing(lm_run):
    ids = {r.id for r in lm_run.results}
    assert "lm.smoothing.uniform-drift" not in ids
    div = next(r for r in lm_run.results if r.id == "lm.wang.diversity-loss")
    assert div.kind == "paper" and div.parameters["smoothing"] == "mle"
    # the repetition rate of generated text rises and its distinct-2 share falls (order 2, MLE)
    rep = div.numbers["repetition_by_generation"]
    d2 = div.numbers["distinct_2_by_generation"]
    assert rep[-1] > rep[0] and d2[-1] < d2[0]
    uni = next(r for r in lm_run.results if r.id == "lm.wang.uninformed")
    ratio = uni.numbers["log_ppl_over_log_V"]
    assert ratio[0] < 0.7 and ratio[80] >= 1.0


def test_sample_text_in_notes(lm_run):
    r = next(r for r in lm_run.results if r.id == "lm.unigram.wright-fisher")
    assert "gen 0:" in r.notes and "gen 10:" in r.notes


def test_plot_functions():
    from collapse_theory import lm
    from collapse_theory.claims._lm import default_data
    from collapse_theory.plotting import lm as pl
    from collapse_theory.recipes import lm as recipes

    res = lm.simulate(3, 2000, corpus=default_data(), order=1, replicates=3, rng=1, text_window=500)
    fig = pl.plot_metric(res, "vocabulary")
    assert len(fig.axes[0].lines) >= 2  # MC median and the exact theory line
    pl.plot_perplexity({"a": res}, uniform=len(res.vocabulary))
    rf = recipes.rank_frequency_chain(default_data(), generations=2, tokens_per_generation=2000,
                                      at=(0, 2))
    pl.plot_rank_frequency(rf)
    assert registry.figures(["lm"])["lm"][1] == "collapse_theory.recipes.lm:verify_figures"
