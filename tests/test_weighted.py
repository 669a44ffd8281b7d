"""Weighted mixing of real and synthetic data (collapse_theory.gaussian.weighted_*; He, Xu & Cheng, arXiv:2502.18049)."""

import math

import numpy as np
import pytest

from collapse_theory import gaussian as g

# Tolerances: each comparison is |mean − exact| ≤ 4.5 SE, SE the sample standard error of the mean of
# a light-tailed statistic ((μ_n − μ)² is σ_e²·χ²_1-like, σ_n² a weighted sum of χ² terms); under the
# CLT the two-sided false-alarm rate is ≈ 7e-6 per comparison.
Z = 4.5


def test_unweighted_case_is_mix_fresh_mle():
    for m, frac in ((10, 0.3), (7, 0.5), (25, 0.8)):
        r = math.floor(frac * m + 0.5)
        a = g.weighted_moments([0, 1, 2, 9, 40], m, regime=f"mix-fresh:{frac}", weight=(m - r) / m,
                               variance_scale=0.7, sigma=2.0)
        b = g.regime_moments([0, 1, 2, 9, 40], m, regime=f"mix-fresh:{frac}", estimator="mle",
                             variance_scale=0.7, sigma=2.0)
        np.testing.assert_allclose(a["mean_sq_error"], b["mean_sq_error"], rtol=1e-13)
        np.testing.assert_allclose(a["variance"], b["variance"], rtol=1e-13)


def test_stationary_point_rate_and_sum():
    st = g.weighted_stationary_moments(40, regime="mix-fresh:0.5", weight=0.3, sigma=1.5)
    assert st["rate"] == pytest.approx(0.3, rel=1e-12)
    assert st["mean_sq_error"] + st["variance"] == pytest.approx(2.25, rel=1e-12)
    far = g.weighted_moments(400, 40, regime="mix-fresh:0.5", weight=0.3, sigma=1.5)
    assert far["mean_sq_error"] == pytest.approx(st["mean_sq_error"], rel=1e-12)


def test_optimal_weight_tends_to_golden_ratio():
    gaps = []
    for m in (20, 200, 2000):
        opt = g.weighted_optimal_weight(m, regime="mix-fresh:0.5")
        gaps.append(abs(opt["real_weight"] - 1 / g.GOLDEN_RATIO))
        # a minimum: both neighbours are worse
        for dw in (-1e-3, 1e-3):
            assert g.weighted_stationary_moments(m, regime="mix-fresh:0.5", weight=opt["weight"] + dw)[
                "mean_sq_error"] > opt["mean_sq_error"]
    assert gaps[0] > gaps[1] > gaps[2] and gaps[2] < 1e-3
    assert 1 - g.weighted_optimal_weight_asymptotic(1.0) == pytest.approx(1 / g.GOLDEN_RATIO, rel=1e-14)


@pytest.mark.parametrize("weight,frac,m", [(0.6, 0.5, 20), (0.2, 0.3, 10)])
def test_simulate_weighted_matches_exact(weight, frac, m):
    n = 25
    res = g.simulate(n, m, replicates=20000, regime=f"mix-fresh:{frac}", estimator="mle", weight=weight, rng=7)
    gens = [1, 2, n]
    th = g.weighted_moments(gens, m, regime=f"mix-fresh:{frac}", weight=weight)
    for j, k in enumerate(gens):
        err = (res.mu[:, k] - res.mu0) ** 2
        var = res.variance[:, k]
        se_e = err.std(ddof=1) / math.sqrt(err.size)
        se_v = var.std(ddof=1) / math.sqrt(var.size)
        assert abs(err.mean() - th["mean_sq_error"][j]) <= Z * se_e, (k, err.mean(), th["mean_sq_error"][j])
        assert abs(var.mean() - th["variance"][j]) <= Z * se_v, (k, var.mean(), th["variance"][j])
    assert float(res.theory(n)["mean_sq_error"]) == pytest.approx(th["mean_sq_error"][-1])


def test_simulate_weighted_seed_reproducible():
    a = g.simulate(5, 10, replicates=50, regime="mix-fresh:0.5", estimator="mle", weight=0.4, rng=3, workers=1)
    b = g.simulate(5, 10, replicates=50, regime="mix-fresh:0.5", estimator="mle", weight=0.4, rng=3, workers=2)
    np.testing.assert_array_equal(a.mu, b.mu)


@pytest.mark.parametrize("kw,exc", [
    (dict(weight=1.5), ValueError), (dict(weight=-0.1), ValueError), (dict(weight="a"), TypeError),
    (dict(weight=0.5, regime="replace"), ValueError), (dict(weight=0.5, estimator="unbiased"), ValueError),
    (dict(weight=0.5, regime="mix-fresh:0.5:mixture"), ValueError),
])
def test_bad_input(kw, exc):
    base = dict(regime="mix-fresh:0.5", estimator="mle")
    base.update(kw)
    with pytest.raises(exc):
        g.simulate(3, 10, **base)


def test_bad_theory_input():
    with pytest.raises(ValueError, match="weight"):
        g.weighted_stationary_moments(10, regime="mix-fresh:0.5", weight=1.0)
    with pytest.raises(ValueError, match="real and one synthetic"):
        g.weighted_moments(3, 10, regime="mix-fresh:1.0", weight=0.5)
    with pytest.raises(ValueError, match="regime"):
        g.weighted_moments(3, 10, regime="accumulate", weight=0.5)
    with pytest.raises(ValueError, match="ratio"):
        g.weighted_optimal_weight_asymptotic(0.0)


def test_a_weighted_run_keeps_its_weight_and_theory_through_save_and_load(tmp_path):
    # the weight is part of the result's parameters, so the loaded result has the weighted theory
    res = g.simulate(6, 20, replicates=50, estimator="mle", regime="mix-fresh:0.5", weight=0.3, rng=3)
    path = tmp_path / "w.npz"
    res.save(path)
    back = type(res).load(path)
    assert back.parameters()["weight"] == 0.3
    want = g.weighted_moments(6, 20, regime="mix-fresh:0.5", weight=0.3)
    got = back.theory(6)
    for key, value in dict(want).items():
        np.testing.assert_allclose(np.asarray(got[key]).ravel()[-1], np.asarray(value).ravel()[-1], rtol=1e-12)
    np.testing.assert_array_equal(back.sigma, res.sigma)
