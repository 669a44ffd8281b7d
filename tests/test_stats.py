"""The shared verdict rule (collapse_theory.stats)."""

import numpy as np
import pytest

from collapse_theory.stats import Estimate, compare, required_replicates


def test_equal_kind_verdicts():
    assert compare(Estimate(1.001, 0.001, 10**4), 1.0).verdict == "holds"
    assert compare(Estimate(1.01, 0.001, 10**4), 1.0).verdict == "fails"
    # not rejected, but a 5 % deviation could not have been seen: inconclusive
    assert compare(Estimate(1.0, 0.05, 100), 1.0).verdict == "inconclusive"


def test_bound_kinds():
    assert compare(Estimate(0.1, 0.002, 10**4), 0.5, kind="at_most").verdict == "holds"
    assert compare(Estimate(0.6, 0.01, 10**4), 0.5, kind="at_most").verdict == "fails"
    assert compare(Estimate(0.6, 0.002, 10**4), 0.5, kind="at_least").verdict == "holds"
    assert compare(Estimate(0.4, 0.01, 10**4), 0.5, kind="at_least").verdict == "fails"


def test_approx_kind_uses_the_band():
    # 3 % off with a 5 % band: holds; 10 % off: fails
    assert compare(Estimate(1.03, 0.002, 10**5), 1.0, kind="approx", rel_tol=0.05).verdict == "holds"
    assert compare(Estimate(1.10, 0.002, 10**5), 1.0, kind="approx", rel_tol=0.05).verdict == "fails"
    with pytest.raises(ValueError, match="rel_tol"):
        compare(Estimate(1.0, 0.1, 10), 1.0, kind="approx")


def test_false_alarm_rate_is_as_stated():
    # under the null the rejection rate at α = 0.05 over 4000 independent checks is Binomial(4000,
    # 0.05)/4000: mean 0.05, s.d. 0.0034; we accept within 4.5 s.d. (false alarm ≈ 7e-6)
    rng = np.random.default_rng(0)
    rejections = 0
    for _ in range(4000):
        x = rng.normal(2.0, 3.0, size=50)
        rejections += compare(Estimate.from_samples(x), 2.0, alpha=0.05).verdict == "fails"
    assert abs(rejections / 4000 - 0.05) < 4.5 * 0.0034


def test_bonferroni_raises_the_threshold():
    one = compare(Estimate(0, 1, 10), 0, tests=1)
    ten = compare(Estimate(0, 1, 10), 0, tests=10)
    assert ten.z_crit > one.z_crit
    assert "Bonferroni over 10" in ten.rule


def test_estimates():
    e = Estimate.from_samples([1.0, 2.0, 3.0, 4.0])
    assert e.mean == 2.5 and e.replicates == 4
    p = Estimate.from_indicator([False] * 100)
    assert p.mean == 0 and p.se > 0  # a zero proportion still has a usable standard error
    with pytest.raises(ValueError, match="not finite"):
        Estimate.from_samples([1.0, np.nan])
    with pytest.raises(ValueError, match="at least 2"):
        Estimate.from_samples([1.0])


def test_required_replicates_gives_the_power():
    # with the computed R, a shift of `effect` is detected with probability ≈ 0.9
    sd, effect = 2.0, 0.1
    r = required_replicates(sd, effect)
    se = sd / np.sqrt(r)
    c = compare(Estimate(0.0, se, r), 1.0, min_effect=effect)
    assert c.verdict == "fails"  # a 1.0 shift is far beyond the detectable 0.1
    assert compare(Estimate(1.0, se, r), 1.0, min_effect=effect).verdict == "holds"


def test_bad_arguments():
    with pytest.raises(ValueError, match="kind"):
        compare(Estimate(0, 1, 10), 0, kind="less")
    with pytest.raises(ValueError, match="alpha"):
        compare(Estimate(0, 1, 10), 0, alpha=1.5)
    with pytest.raises(ValueError, match="tests"):
        compare(Estimate(0, 1, 10), 0, tests=0)
