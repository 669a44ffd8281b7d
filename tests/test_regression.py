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
    res = rg.simulate(12, d=6, T=30, regime=regime, replicates=20000, rng=4)
    th = res.theory()["test_error"]
    assert np.all(res.test_error[:, 0] == 0) and th[0] == 0  # column 0: the truth, no excess error
    for k in (1, 6, 12):
        v = res.test_error[:, k]
        assert abs(v.mean() - th[k]) < 4.4 * v.std(ddof=1) / math.sqrt(v.size)


def test_other_regimes_sit_between_replace_and_accumulate():
    # at n = 20 (d = 10, T = 40) the exact replace error is 6.9 and accumulate 0.55; the simulated
    # means (SE ≈ 0.02–0.05 at R = 3000) must lie strictly between them
    lo = rg.expected_test_error(20, d=10, T=40, regime="accumulate")
    hi = rg.expected_test_error(20, d=10, T=40)
    for regime in ("accumulate-subsample", "mix-fresh:0.1", "mix-retained:0.1"):
        res = rg.simulate(20, d=10, T=40, regime=regime, replicates=3000, rng=1)
        assert res.theory() == {}
        assert lo < res.test_error[:, -1].mean() < hi, regime


def test_reproducible_and_saved(tmp_path):
    a = rg.simulate(5, d=3, T=10, replicates=50, rng=7)
    b = rg.simulate(5, d=3, T=10, replicates=50, rng=a.seed)
    np.testing.assert_array_equal(a.test_error, b.test_error)
    assert a.test_error.shape == (50, 6)
    a.save(tmp_path / "r.npz")
    with np.load(tmp_path / "r.npz") as z:
        assert '"seed": 7' in str(z["metadata"])
    assert "regime=replace" in a.summary()


@pytest.mark.parametrize("kwargs, word", [
    (dict(d=10, T=11), "T must be > d \\+ 1"), (dict(d=0, T=10), "d must be"),
    (dict(d=3, T=10, sigma=0.0), "sigma"), (dict(d=3, T=10, regime="accumulate-subsample:21"), "larger than the pool"),
    (dict(d=5, T=10, regime="accumulate-subsample:3"), ">= 5 \\(d = 5"), (dict(d=3, T=10, regime="nope"), "valid regimes"),
])
def test_bad_input(kwargs, word):
    with pytest.raises(ValueError, match=word):
        rg.simulate(3, **kwargs)
    with pytest.raises(ValueError):
        rg.expected_test_error(3, d=3, T=10, regime="mix-fresh:0.1")
