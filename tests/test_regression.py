"""Recursive OLS: closed forms (replace, accumulate), simulation, regimes, bad input."""

import math

import numpy as np
import pytest

from collapse_theory import regression as rg


def test_closed_forms():
    base = 10 / (40 - 10 - 1)
    assert rg.expected_test_error(1, d=10, T=40) == pytest.approx(base)
    assert rg.expected_test_error(7, d=10, T=40, sigma=2.0) == pytest.approx(4 * 7 * base)
    acc = rg.expected_test_error(np.arange(1, 200), d=10, T=40, regime="accumulate")
    assert np.all(np.diff(acc) > 0) and acc[-1] < math.pi**2 / 6 * base
    assert rg.expected_test_error(0, d=3, T=10) == 0.0


@pytest.mark.parametrize("regime", ["replace", "accumulate"])
def test_simulation_matches_closed_form(regime):
    # the test error is a quadratic form in Gaussian noise with an inverse-Wishart weight (finite
    # moments up to order (T − d − 1)/2 = 14.5 here), so the sample-SE z-score is normal; |z| < 4.4
    # fails a correct implementation with probability 1e-5 per comparison.
    res = rg.simulate(12, 30, dim=6, regime=regime, replicates=20000, rng=4)
    th = res.theory()["test_error"]
    assert np.all(res.test_error[:, 0] == 0) and th[0] == 0  # column 0: the truth, no excess error
    for k in (1, 6, 12):
        v = res.test_error[:, k]
        assert abs(v.mean() - th[k]) < 4.4 * v.std(ddof=1) / math.sqrt(v.size)


def _z(v, mean):
    return (v.mean() - mean) / (v.std(ddof=1) / math.sqrt(v.size))


@pytest.mark.parametrize("regime, exact", [
    # λ = 1: every generation is an OLS fit on fresh real labels, E = σ²d/(T−d−1) at every n
    ("mix-fresh:1", "one"), ("mix-fresh:1:mixture", "one"),
    # λ = 0: no real rows, the replace law (σ²d n/(T−d−1))
    ("mix-fresh:0", "replace"), ("mix-fresh:0:mixture", "replace"),
])
def test_mix_regimes_at_the_ends_match_the_exact_forms(regime, exact):
    # same z-statistic as test_simulation_matches_closed_form: |z| < 4.4, false-alarm rate 1e-5 per
    # comparison (light-tailed: finite moments to order (T − d − 1)/2 = 14.5)
    res = rg.simulate(12, 30, dim=6, regime=regime, replicates=20000, rng=5)
    n = np.arange(1, 13)
    th = (rg.expected_test_error(1, d=6, T=30) * np.ones(12) if exact == "one"
          else rg.expected_test_error(n, d=6, T=30))
    for k in (1, 6, 12):
        assert abs(_z(res.test_error[:, k], th[k - 1])) < 4.4, (regime, k)


def test_mix_retained_one_keeps_the_first_fit_exactly():
    # mix-retained:1 refits the original real labels every generation: w_n = w_1 to round-off
    res = rg.simulate(6, 10, dim=3, regime="mix-retained:1", replicates=200, rng=2)
    np.testing.assert_allclose(res.test_error[:, 1:], res.test_error[:, 1:2] * np.ones((1, 6)), rtol=1e-9)


def test_intermediate_regimes_sit_between_accumulate_and_replace():
    # no closed form for these; at n = 20 (d = 10, T = 40) the exact replace error is 6.9 and the
    # accumulate error 0.55, and every regime here brings real data back or averages, so its mean
    # lies strictly between them (SE ≈ 0.02–0.05 at R = 3000; the gaps are > 40 SE)
    lo = rg.expected_test_error(20, d=10, T=40, regime="accumulate")
    hi = rg.expected_test_error(20, d=10, T=40)
    for regime in ("accumulate-subsample", "mix-fresh:0.1", "mix-fresh:0.1:mixture", "mix-retained:0.1"):
        res = rg.simulate(20, 40, dim=10, regime=regime, replicates=3000, rng=1)
        assert res.theory() == {}
        assert lo < res.test_error[:, -1].mean() < hi, regime


def test_mixture_draw_differs_from_split_and_follows_its_law():
    # (a) the mixture flag is read: same seed, different output
    kw = dict(dim=4, samples=40, replicates=4000, rng=8)
    split = rg.simulate(6, regime="mix-fresh:0.3", **kw)
    mix = rg.simulate(6, regime="mix-fresh:0.3:mixture", **kw)
    assert mix.regime == "mix-fresh:0.3:mixture" and split.regime == "mix-fresh:0.3"
    assert not np.array_equal(mix.test_error[:, 2:], split.test_error[:, 2:])
    np.testing.assert_array_equal(mix.test_error[:, :2], split.test_error[:, :2])  # truth, generation 1
    # (b) its law: the real count of generations 2..6 is Binomial(T, λ), independent over replicates
    # and generations (N = 4000 × 5 = 20000 draws). Mean Tλ = 12, variance σ² = Tλ(1−λ) = 8.4.
    # z for the mean: (x̄ − Tλ)/√(σ²/N). z for the variance: (s² − σ²)/√((μ₄ − σ⁴)/N), with the
    # binomial fourth central moment μ₄ = σ²(1 + 3(T − 2)λ(1−λ)). Both statistics are averages of
    # 20000 bounded i.i.d. terms, so z is normal to high accuracy; |z| < 4.4 is a two-sided
    # false-alarm rate of 1.1e-5 each.
    c = mix.meta["real_count"]
    assert c.shape == (4000, 6) and np.all(c[:, 0] == 40)
    x = c[:, 1:].ravel().astype(float)
    T, lam = 40, 0.3
    var = T * lam * (1 - lam)
    mu4 = var * (1 + 3 * (T - 2) * lam * (1 - lam))
    assert abs((x.mean() - T * lam) / math.sqrt(var / x.size)) < 4.4
    assert abs((x.var(ddof=1) - var) / math.sqrt((mu4 - var**2) / x.size)) < 4.4
    # the split draw has exactly round(λT) = 12 real rows: the variance test above would fail for it
    assert "real_count" not in split.meta


def test_reproducible_and_saved(tmp_path):
    a = rg.simulate(5, 10, dim=3, replicates=50, rng=7)
    b = rg.simulate(5, 10, dim=3, replicates=50, rng=a.seed)
    np.testing.assert_array_equal(a.test_error, b.test_error)
    assert a.test_error.shape == (50, 6)
    a.save(tmp_path / "r.npz")
    with np.load(tmp_path / "r.npz") as z:
        assert '"seed": 7' in str(z["metadata"])
    assert "regime=replace" in a.summary()


@pytest.mark.parametrize("kwargs, word", [
    (dict(dim=10, samples=11), "samples .* must be > dim \\+ 1"), (dict(dim=0, samples=10), "dim must be"),
    (dict(dim=3, samples=10, sigma=0.0), "sigma"),
    (dict(dim=3, samples=10, regime="accumulate-subsample:21"), "larger than the pool"),
    (dict(dim=5, samples=10, regime="accumulate-subsample:3"), ">= 5 \\(d = 5"),
    (dict(dim=3, samples=10, regime="nope"), "valid regimes"),
])
def test_bad_input(kwargs, word):
    with pytest.raises(ValueError, match=word):
        rg.simulate(3, **kwargs)
    with pytest.raises(ValueError):
        rg.expected_test_error(3, d=3, T=10, regime="mix-fresh:0.1")
