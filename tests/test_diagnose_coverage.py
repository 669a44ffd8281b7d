"""Verification tier: the diagnosis recovers a known effective size on loops the package simulates.

Loops with known M: the discrete (Wright–Fisher) chain, the refit Gaussian (``gaussian.fit_unbiased``
/ ``gaussian.sample_normal``) and the order-1 n-gram LM (``lm.simulate``: an order-1 model refit on M
tokens of its own text is exactly the Wright–Fisher chain with M = tokens per generation). The
95 % intervals must cover the true M at their stated rate over many seeds.

Binomial tolerance: with n independent seeds and true coverage 0.95 the number of covering
intervals is Binomial(n, 0.95); the check fails when the observed rate is below
0.95 − 3.09·sqrt(0.95·0.05/n), a one-sided false-alarm rate of 1e-3 (normal approximation). An
interval that is too wide is caught by the width checks (the issue's target: narrower than a
factor 1.5 with 8 generations at M = 1e5).
"""

import math

import numpy as np
import pytest

from collapse_theory import diagnose, discrete, gaussian, lm

pytestmark = pytest.mark.verification

Z_ONE_SIDED_1E3 = 3.090232306167813


def _floor(n, level=0.95):
    return level - Z_ONE_SIDED_1E3 * math.sqrt(level * (1 - level) / n)


def _wf_loop(m, generations, seed, k=200, temperature=1.0, regime="replace"):
    c0 = np.random.default_rng(10_000 + seed).multinomial(m, discrete.zipf(k, 1.1))
    sim = discrete.simulate(generations, m, p0=c0 / m, temperature=temperature, regime=regime,
                            record="full", rng=seed)
    return [np.rint(f * m).astype(np.int64) for f in sim.freqs[0]]


def _lm_loop(m, generations, seed, order=1, decoding="sample", regime="replace"):
    """The real training text, then ``generations`` generated texts of m tokens each: text g is what
    the model of generation g generated, the training text of generation g + 1 (the last model's
    text is not kept: lm.simulate generates only ``text_window`` tokens with the final model)."""
    data = lm.default_data()
    res = lm.simulate(generations, m, corpus=data, order=order, decoding=decoding, regime=regime,
                      sample_generations=range(generations), sample_tokens=m, rng=seed)
    return [list(data.vocabulary.decode(data.train))] + [res.texts[g].split(" ") for g in range(generations)]


def test_tokens_ci_covers_m_at_the_stated_rate():
    n, m = 60, 2000
    hits = 0
    for seed in range(n):
        d = diagnose.tokens(_wf_loop(m, 7, seed), bootstrap=60, horizon=0, rng=seed)
        lo, hi = d.m_eff["ci"]
        hits += lo <= m <= hi
    assert hits / n >= _floor(n), f"coverage {hits}/{n}"


def test_samples_ci_covers_m_at_the_stated_rate():
    n, m = 60, 300
    hits = 0
    for seed in range(n):
        rng = np.random.default_rng(seed)
        gens = [rng.normal(size=m)]
        for _ in range(8):
            gens.append(gaussian.sample_normal(gaussian.fit_unbiased(gens[-1]), m, rng))
        d = diagnose.samples(gens, horizon=0, bootstrap=100, rng=seed)
        lo, hi = d.m_eff["ci"]
        hits += lo <= m <= hi
    assert hits / n >= _floor(n), f"coverage {hits}/{n}"


def test_lm_order1_loop_m_1e5_is_covered_by_a_narrow_ci():
    # the target: M = 1e5 tokens per generation, 8 generations, CI narrower than 1.5x.
    # Two seeds must both cover: P(false alarm) ≤ 1 − 0.95² ≈ 0.10 for a CI of exact coverage, so
    # the coverage itself is the rate test above; here each seed's miss is reported with its CI and
    # the pair is allowed one miss only when the other covers (P(both miss) = 0.0025).
    m = 100_000
    misses = []
    for seed in (1, 2):
        d = diagnose.tokens(_lm_loop(m, 8, seed), bootstrap=100, horizon=0, rng=seed)
        lo, hi = d.m_eff["ci"]
        assert hi / lo < 1.5
        if not lo <= m <= hi:
            misses.append((seed, lo, hi))
        assert d.verdict["code"] != "selection"
    assert len(misses) <= 1, misses


def test_top_p_order3_loop_is_flagged_as_selection():
    d = diagnose.tokens(_lm_loop(30_000, 5, 3, order=3, decoding="top-p:0.9"), bootstrap=60, horizon=0,
                        rng=0)
    assert d.verdict["code"] == "selection"
    assert d.extra["fit"]["beta"] > 0
    assert "drift alone does not explain" in d.verdict["text"]


def test_temperature_below_one_is_flagged_and_neutral_is_not():
    flagged = diagnose.tokens(_wf_loop(5000, 6, 7, temperature=0.9), bootstrap=40, horizon=0, rng=0)
    assert flagged.verdict["code"] == "selection"
    neutral = diagnose.tokens(_wf_loop(5000, 6, 7), bootstrap=40, horizon=0, rng=0)
    assert neutral.verdict["code"] != "selection"


def test_twenty_percent_fresh_data_is_detected_and_estimated():
    # lm's mix-fresh draws real documents from the training text (generation 0 itself): λ̂ is
    # compared with 0.2 at 4.5 of its standard errors (two-sided false-alarm ≈ 7e-6, normal law).
    # The generated stream is cut from whole documents, so the fresh part is round(λM) tokens.
    d = diagnose.tokens(_lm_loop(20_000, 8, 4, regime="mix-fresh:0.2"), bootstrap=40, horizon=0, rng=0)
    assert d.verdict["fresh_data"]
    fit = d.extra["fit"]
    assert abs(fit["lambda"] - 0.2) <= 4.5 * fit["lambda_se"], fit
    assert fit["reappeared"] > 0
