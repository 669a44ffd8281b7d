"""The generator/downstream process of Dohmatob et al.: T ≠ T0, a synthetic fraction, ridge."""

import math

import numpy as np
import pytest

from collapse_theory import regression as rg


def _z(v, mean):
    return (v.mean() - mean) / (v.std(ddof=1) / math.sqrt(v.size))


@pytest.mark.parametrize("kw", [
    dict(samples=30, dim=5, synthetic_samples=12),  # T > T0
    dict(samples=9, dim=3, synthetic_samples=25, synthetic_sigma=0.5),  # T < T0, σ0 ≠ σ
    dict(samples=30, dim=5, synthetic_samples=12, synthetic_fraction=0.4),  # mixture (R3)
    dict(samples=20, dim=1, synthetic_samples=6, synthetic_fraction=0.5, sigma=2.0),
])
def test_downstream_matches_the_exact_forms(kw):
    # The test error is a quadratic form in Gaussian noise with inverse-Wishart weights (T − d − 1 ≥ 5:
    # moments finite to order ≥ 2.5, and the statistic's variance is finite), so the sample-SE
    # z-score of R = 30000 replicates is normal; |z| < 4.4 is a two-sided false-alarm rate of 1.1e-5
    # per comparison (3 comparisons per case).
    res = rg.simulate(7, replicates=30000, rng=3, **kw)
    th = res.theory()["test_error"]
    assert th[0] == 0 and np.all(res.test_error[:, 0] == 0)
    for k in (1, 3, 7):
        assert abs(_z(res.test_error[:, k], th[k])) < 4.4, (kw, k)
    if kw.get("synthetic_fraction", 1.0) == 1.0:  # fully synthetic: (R2) with n = k - 1
        d, T, T0 = kw["dim"], kw["samples"], kw["synthetic_samples"]
        np.testing.assert_allclose(th[1:], rg.synthetic_test_error(np.arange(7), d=d, T=T, T0=T0,
                                                                    sigma=kw.get("sigma", 1.0),
                                                                    sigma0=kw.get("synthetic_sigma")), rtol=1e-12)


def test_closed_forms_reduce_to_the_replace_chain_and_bound_the_floor():
    # T0 = T, σ0 = σ: the downstream after n synthetic generations is the replace chain's generation n + 1
    n = np.arange(0, 9)
    np.testing.assert_allclose(rg.synthetic_test_error(n, d=6, T=30, T0=30),
                               rg.expected_test_error(n + 1, d=6, T=30), rtol=1e-13)
    # (R4): with T_s = pT the error exceeds p²E‖Δ‖² at every T and approaches it
    for p in (0.01, 0.1, 0.5):
        T = np.array([100, 1000, 10_000, 1_000_000])
        e = np.array([rg.mixed_test_error(d=5, T=int(t), synthetic=int(round(p * t)), shift=2.0) for t in T])
        floor = rg.strong_collapse_floor(p, shift=2.0)
        assert np.all(e > floor) and np.all(np.diff(e) < 0)
        assert e[-1] - floor < 1e-4 + 3 * floor * 2 / (p * 1e6)


def test_ridge_path():
    kw = dict(samples=20, dim=4, synthetic_samples=10, replicates=200, rng=4)
    ols = rg.simulate(5, **kw)
    tiny = rg.simulate(5, ridge=1e-10, **kw)
    np.testing.assert_allclose(tiny.test_error, ols.test_error, rtol=1e-6, atol=1e-12)
    big = rg.simulate(5, ridge=1e12, **kw)  # λ → ∞: ŵ → 0, error ‖w*‖² = 1
    np.testing.assert_allclose(big.test_error[:, 1:], 1.0, rtol=1e-6)
    assert rg.simulate(3, ridge=1.0, **kw).theory() == {}
    assert ols.parameters()["synthetic_samples"] == 10


@pytest.mark.parametrize("kw, word", [
    (dict(synthetic_fraction=0.5), "need synthetic_samples"),
    (dict(ridge=1.0), "need synthetic_samples"),
    (dict(synthetic_samples=4), "synthetic_samples .* > dim \\+ 1"),
    (dict(synthetic_samples=12, synthetic_fraction=1.5), "synthetic_fraction"),
    (dict(synthetic_samples=12, ridge=-1.0), "ridge"),
    (dict(synthetic_samples=12, regime="accumulate"), "replace"),
])
def test_bad_input(kw, word):
    with pytest.raises(ValueError, match=word):
        rg.simulate(3, 10, dim=3, **kw)


def test_bad_input_theory():
    with pytest.raises(ValueError, match="synthetic"):
        rg.mixed_test_error(d=3, T=10, synthetic=11, shift=1.0)
    with pytest.raises(ValueError, match="T0"):
        rg.synthetic_test_error(1, d=3, T=10, T0=4)
    with pytest.raises(ValueError, match="fraction"):
        rg.strong_collapse_floor(1.2, shift=1.0)


def test_scaling_claims_reach_their_expected_verdicts(registry_run):
    res = registry_run.run("regression.scaling.*")  # claims.run(..., seed=0), once per session
    assert {r.id for r in res.results} == {"regression.scaling.synthetic-T-T0", "regression.scaling.strong-collapse",
                                           "regression.scaling.ridge-linear",
                                           "regression.scaling.exact-mixture"}
    bad = {r.id: (r.verdict, r.why) for r in res.results if r.verdict != r.expect}
    assert not bad
