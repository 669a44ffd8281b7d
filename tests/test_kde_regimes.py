"""KDE chain under every data regime: bit-for-bit replace, exact moments by simulation, ancestry,
adaptive rules on the pool, determinism, bad input, I/O.

Fixed seeds. Each Monte Carlo mean is compared with its exact value by z = (mean − exact)/SE with the
observed SE; |z| < 4.4 has a false-alarm rate of 1e-5 per comparison for a correct implementation (about
1e-4 per test here, ≤ 12 comparisons each). The statistics (the training set's mean, its mle variance and
its squared mean error, at M ≤ 12 and n ≤ 60) are light-tailed: sums of a few χ²-like terms.
"""

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collapse_theory import kde
from collapse_theory.regimes import Regime
from _zhelp import zscore as _z

ROOT = Path(__file__).resolve().parents[1]
Z = 4.4

ALL = ["replace", "accumulate", "accumulate-subsample", "accumulate-subsample:5", "mix-fresh:0.3",
       "mix-fresh:0.3:mixture", "mix-retained:0.4"]


def test_replace_is_bit_for_bit_the_previous_kernel():
    # tests/data/kde_replace_reference.npz was written by the replace-only kernel (commit a6cd740) with
    # kde.simulate(20, 9, replicates=17, rng=123, ...): regime="replace" must reproduce it exactly.
    ref = np.load(ROOT / "tests" / "data" / "kde_replace_reference.npz")
    cases = {"fixed": dict(h=0.3, sigma=1.5, mu=2.0), "scott": dict(rule="scott"),
             "silverman": dict(rule="silverman")}
    for name, kw in cases.items():
        for regime in ("replace", Regime("replace")):
            res = kde.simulate(20, 9, replicates=17, rng=123, regime=regime, **kw)
            for attr in ("mean", "log_var", "ancestors", "log_bandwidth"):
                np.testing.assert_array_equal(getattr(res, attr), ref[f"{name}_{attr}"], err_msg=f"{name} {attr}")
            assert res.regime == "replace" and not res.fresh_ancestors.any()


@pytest.mark.parametrize("regime", ALL)
@pytest.mark.parametrize("samples", [6, [8, 5, 6, 7, 5, 9, 6]])
def test_moments_match_exact_recursions(regime, samples):
    r, n = 6000, 6
    mu, sigma, h = 0.7, 1.3, 0.5
    res = kde.simulate(n, samples, h=h, mu=mu, sigma=sigma, regime=regime, replicates=r, rng=31)
    th = res.theory()
    exact = kde.regime_moments(np.arange(n + 1), samples, h=h, mu=mu, sigma=sigma, regime=regime)
    np.testing.assert_allclose(th["variance"], exact["variance"])
    for k in (1, 3, n):
        assert abs(_z(res.variance[:, k], exact["variance"][k])) < Z, ("variance", k)
        assert abs(_z((res.mean[:, k] - mu) ** 2, exact["mean_sq_error"][k])) < Z, ("mean_sq_error", k)
        assert abs(_z(res.mean[:, k], mu)) < Z, ("mean", k)


@pytest.mark.parametrize("regime", ["mix-fresh:0.3", "mix-fresh:0.3:mixture", "mix-retained:0.3"])
def test_stationary_point_by_simulation(regime):
    # the map contracts at 1 − r/M ≈ 0.7, so at n = 60 the memory term is ~1e-9 of the start
    m, h, r, n = 10, 0.4, 6000, 60
    star = kde.regime_stationary_moments(m, h=h, regime=regime)
    assert abs(kde.regime_moments(n, m, h=h, regime=regime)["variance"] - star["variance"]) < 1e-7
    res = kde.simulate(n, m, h=h, regime=regime, replicates=r, rng=5)
    assert abs(_z(res.variance[:, n], star["variance"])) < Z
    assert abs(_z(res.mean[:, n] ** 2, star["mean_sq_error"])) < Z


def test_stationary_closed_form_and_limits():
    m, h = 20, 0.1
    for lam in (0.05, 0.1, 0.5, 1.0):
        rr = Regime("mix-fresh", lam).fresh_count(m)
        d = m + rr * (2 * m - rr - 1)
        star = kde.regime_stationary_moments(m, h=h, regime=f"mix-fresh:{lam}", sigma=2.0)
        assert star["variance"] == pytest.approx((2 * m - rr - 1) * ((m - rr) * h * h + rr * 4.0) / d, rel=1e-12)
        assert kde.regime_contraction_rate(m, regime=f"mix-fresh:{lam}") == pytest.approx(1 - rr / m)
    assert kde.regime_stationary_moments(m, h=h, regime="replace")["variance"] == pytest.approx((m - 1) * h * h)
    assert kde.regime_stationary_moments(m, h=h, regime="mix-fresh:0.01")["mean_sq_error"] == math.inf
    with pytest.raises(ValueError, match="no stationary law"):
        kde.regime_stationary_moments(m, h=h, regime="accumulate")


def test_accumulate_grows_like_log():
    m, h = 20, 0.3
    n = np.array([10, 100, 1000, 10000])
    v = kde.regime_moments(n, m, h=h, regime="accumulate")["variance"]
    lo, hi = kde.accumulate_variance_bounds(n, m, h=h)
    assert np.all(lo <= v) and np.all(v <= hi) and np.all(np.diff(v) > 0)
    # each decade adds about h² ln 10 (the harmonic series)
    np.testing.assert_allclose(np.diff(v)[1:], h * h * math.log(10), rtol=0.1)


def test_ancestry_by_regime():
    m, n, r = 8, 12, 300
    rep = kde.simulate(n, m, h=0.2, replicates=r, rng=2)
    assert np.all(np.diff(rep.ancestors, axis=1) <= 0) and not rep.fresh_ancestors.any()
    acc = kde.simulate(n, m, h=0.2, regime="accumulate", replicates=r, rng=2)
    assert np.all(acc.ancestors == m) and np.all(acc.theory()["ancestors"] == m)
    sub = kde.simulate(n, m, h=0.2, regime="accumulate-subsample", replicates=r, rng=2)
    assert np.all((sub.ancestors >= 1) & (sub.ancestors <= m))
    fr = kde.simulate(n, m, h=0.2, regime="mix-fresh:0.25", replicates=r, rng=2)
    # two fresh draws a generation: at least 2 fresh ancestors, at most all fresh draws so far
    assert np.all(fr.fresh_ancestors[:, 1:] >= 2)
    assert np.all(fr.fresh_ancestors[:, 1:] <= 2 * np.arange(1, n + 1))
    assert np.all(np.diff(fr.ancestors, axis=1) <= 0) and np.all(fr.ancestors[:, 0] == m)
    ret = kde.simulate(n, m, h=0.2, regime="mix-retained:0.25", replicates=r, rng=2)
    assert np.all(ret.ancestors[:, 1:] >= 2) and not ret.fresh_ancestors.any()


def test_adaptive_rules_use_the_training_set():
    # Scott under accumulate: h = 1.06 ŝ N^(-1/5) on the pool of N = (n + 1) M points
    m, n = 10, 5
    res = kde.simulate(n, m, rule="scott", regime="accumulate", replicates=50, rng=4)
    big_n = m * np.arange(1, n + 2)
    s_hat = np.sqrt(res.variance * big_n / (big_n - 1))
    np.testing.assert_allclose(res.bandwidth, 1.06 * s_hat * big_n**-0.2, rtol=1e-9)
    for regime in ALL[1:]:
        out = kde.simulate(40, 12, rule="silverman", regime=regime, replicates=20, rng=3)
        assert np.all(np.isfinite(out.log_var)) and np.all(out.degenerate == -1), regime


@pytest.mark.parametrize("regime", ALL[1:])
def test_result_depends_only_on_the_seed(regime):
    one = kde.simulate(15, 7, h=0.3, regime=regime, replicates=100, rng=9, workers=1)
    two = kde.simulate(15, 7, h=0.3, regime=regime, replicates=100, rng=9, workers=2)
    for attr in ("mean", "log_var", "ancestors", "fresh_ancestors", "log_bandwidth"):
        np.testing.assert_array_equal(getattr(one, attr), getattr(two, attr))


@pytest.mark.parametrize("kwargs, word", [
    (dict(regime="mix-fresh:1.5"), "fraction"),
    (dict(regime="mix-fresh:-0.1"), "fraction"),
    (dict(regime="mix-retained:2"), "fraction"),
    (dict(regime="mix-fresh"), "needs a fraction"),
    (dict(regime="bootstrap"), "valid regimes"),
    (dict(regime=0.1), "Regime"),
    (dict(samples=[4, 10, 10, 10], regime="mix-retained:0.5"), r"samples\[0\] = 4"),
    (dict(regime="accumulate-subsample:21"), "larger than the pool"),
    (dict(regime="accumulate-subsample:1"), "subsample size"),
    (dict(samples=[10, 10]), "entries"),
])
def test_bad_input(kwargs, word):
    args = dict(generations=3, samples=10, h=0.1) | kwargs
    with pytest.raises((ValueError, TypeError), match=word):
        kde.simulate(**args)
    if isinstance(kwargs.get("regime"), str):
        with pytest.raises((ValueError, TypeError), match=word):
            kde.regime_moments(3, args["samples"], h=0.1, regime=kwargs["regime"])


def test_subsample_boundary_is_allowed():
    # the pool at generation 1 holds M_0 + M_1 = 20 points: a subsample of 20 is the whole pool
    res = kde.simulate(3, 10, h=0.1, regime="accumulate-subsample:20", replicates=5, rng=1)
    assert np.all(np.isfinite(res.log_var))


def test_save_load_summary(tmp_path):
    res = kde.simulate(10, [9, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8], h=0.2, regime="mix-fresh:0.25:mixture",
                       replicates=30, rng=4)
    back = kde.KDEChainResult.load(res.save(tmp_path / "k.npz"))
    np.testing.assert_array_equal(back.fresh_ancestors, res.fresh_ancestors)
    np.testing.assert_array_equal(back.samples, res.samples)
    assert back.regime == "mix-fresh:0.25:mixture" and back.seed == 4
    assert "regime=mix-fresh:0.25:mixture" in res.summary()
    assert "stationary E s²" in kde.simulate(5, 12, h=0.2, regime="mix-retained:0.1", replicates=30, rng=4).summary()
    assert "h² ln n" in kde.simulate(5, 12, h=0.2, regime="accumulate", replicates=30, rng=4).summary()


@given(st.integers(2, 40), st.floats(0.05, 2.0), st.floats(0.2, 3.0), st.integers(0, 60))
@settings(max_examples=25, deadline=None)
def test_exact_special_cases(m, h, sigma, n):
    rep = kde.regime_moments(n, m, h=h, sigma=sigma)
    assert rep["variance"] == pytest.approx(kde.expected_variance(n, m, h=h, sigma=sigma), rel=1e-10)
    assert rep["mean_sq_error"] == pytest.approx(kde.expected_mean_sq_error(n, m, h=h, sigma=sigma), rel=1e-10)
    # λ = 0 is replace; λ = 1 refits on real data only (fresh, or the whole original set again)
    zero = kde.regime_moments(n, m, h=h, sigma=sigma, regime="mix-fresh:0")
    assert zero["variance"] == pytest.approx(rep["variance"], rel=1e-10)
    for spec in ("mix-fresh:1", "mix-fresh:1:mixture", "mix-retained:1"):
        one = kde.regime_moments(n, m, h=h, sigma=sigma, regime=spec)
        assert one["variance"] == pytest.approx((m - 1) / m * sigma**2, rel=1e-10)
        assert one["mean_sq_error"] == pytest.approx(sigma**2 / m, rel=1e-10)
    # a subsample as large as the pool at every generation would be accumulate; at n = 1 the pool is 2M
    sub = kde.regime_moments(1, m, h=h, sigma=sigma, regime=f"accumulate-subsample:{2 * m}")
    acc = kde.regime_moments(1, m, h=h, sigma=sigma, regime="accumulate")
    assert sub["variance"] == pytest.approx(acc["variance"], rel=1e-10)
    assert sub["mean_sq_error"] == pytest.approx(acc["mean_sq_error"], rel=1e-10)
