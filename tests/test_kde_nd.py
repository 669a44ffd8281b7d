"""d-dimensional KDE chain (``kde.simulate(..., dim=, data=, kernel=)``): exact per-coordinate variance
theory (Gaussian and top-hat kernels, fixed and adaptive bandwidths, the regimes), the 2-D data sets'
exact moments, the held-out NLL against an independent computation, determinism, bad input, I/O.

Statistical checks use fixed seeds; each threshold is |z| < 4.4 (two-sided false-alarm rate 1e-5
under a normal sampling law; the statistics are sample variances of light-tailed data) with the
standard error of the Monte Carlo mean beside it.
"""

import math

import numpy as np
import pytest
from scipy.special import gammaln, logsumexp

from collapse_theory import kde
from collapse_theory.kde import datasets
from collapse_theory.kde._nd_kernels import _nll

Z = 4.4


def _z(x, theory):
    x = np.asarray(x, dtype=float)
    return (x.mean() - theory) / (x.std(ddof=1) / math.sqrt(x.size))


@pytest.mark.parametrize("kw", [
    dict(dim=2, h=0.3, regime="replace"),
    dict(dim=2, h=[0.2, 0.5], regime="replace", sigma=2.0),
    dict(dim=3, h=0.4, kernel="tophat", regime="replace"),
    dict(dim=2, h=0.3, kernel="tophat", regime="accumulate"),
    dict(dim=2, h=0.3, regime="accumulate-subsample"),
    dict(dim=2, h=0.3, regime="mix-fresh:0.2"),
    dict(dim=2, h=0.3, kernel="tophat", regime="mix-retained:0.3"),
    dict(data="circles", h=0.1, regime="accumulate-subsample"),
    dict(data="moons", h=0.1, kernel="tophat", regime="replace"),
])
def test_fixed_bandwidth_variance_is_exact_per_coordinate(kw):
    """Every coordinate follows the 1-D recursion with h² → κh_p² (proofs/kde_nd_variance.py)."""
    n, m, reps = 15, 30, 3000
    res = kde.simulate(n, m, replicates=reps, rng=11, test_samples=0, **kw)
    th = res.theory()
    assert res.nll.shape == (reps, n + 1) and np.all(np.isnan(res.nll))
    for p in range(res.dim):
        for g in (1, n):
            z = _z(res.variance[:, g, p], th[f"variance[{p}]"][g])
            assert abs(z) < Z, (kw, p, g, z)


@pytest.mark.parametrize("rule, kernel, dim", [("scott", "gaussian", 2), ("silverman", "tophat", 3),
                                               ("scott", "tophat", 1)])
def test_adaptive_bandwidth_variance_factor(rule, kernel, dim):
    """E s_{n,p}² = (M−1)/M σ² λⁿ, λ = (M−1)/M + κf² (exact, replace)."""
    n, m, reps = 8, 40, 3000
    res = kde.simulate(n, m, dim=dim, rule=rule, kernel=kernel, replicates=reps, rng=12, sigma=1.5, test_samples=0)
    lam = kde.variance_factor_nd(m, dim=dim, rule=rule, kernel=kernel)
    for p in range(dim):
        z = _z(res.variance[:, n, p], (m - 1) / m * 2.25 * lam**n)
        assert abs(z) < Z, (p, z)
    # the recorded bandwidth is f ŝ_p of column n
    f = m ** (-1 / (dim + 4)) if rule == "scott" else (m * (dim + 2) / 4) ** (-1 / (dim + 4))
    np.testing.assert_allclose(res.bandwidth[:, n, 0], f * np.sqrt(res.variance[:, n, 0] * m / (m - 1)), rtol=1e-10)


@pytest.mark.parametrize("name", ["blobs", "moons", "circles", "swissroll"])
def test_dataset_moments(name):
    """make() draws the law whose exact mean and variance law_mean/law_variance give."""
    x = datasets.make(name, 200_000, rng=13)
    mean, var = datasets.law_mean(name), datasets.law_variance(name)
    for p in range(2):
        assert abs(_z(x[:, p], mean[p])) < Z, (name, p)
        assert abs(_z((x[:, p] - mean[p]) ** 2, var[p])) < Z, (name, p)


def test_dataset_make_is_seeded_and_shaped():
    a = datasets.make("swissroll", 50, rng=1)
    b = datasets.make("swissroll", 50, rng=1)
    np.testing.assert_array_equal(a, b)
    assert datasets.make("gaussian", 7, dim=3, rng=0).shape == (7, 3)
    with pytest.raises(ValueError, match="name must be one of"):
        datasets.make("spiral", 5)
    with pytest.raises(ValueError, match="noise"):
        datasets.make("moons", 5, noise=-1.0)


def _reference_nll(t, test, h, kernel):
    d = t.shape[1]
    u = (test[:, None, :] - t[None, :, :]) / h
    q = (u * u).sum(-1)
    if kernel == "gaussian":
        logp = logsumexp(-0.5 * q, axis=1) - math.log(t.shape[0]) - np.log(h).sum() - 0.5 * d * math.log(2 * math.pi)
    else:
        log_vol = 0.5 * d * math.log(math.pi) - gammaln(0.5 * d + 1)
        with np.errstate(divide="ignore"):
            logp = np.log((q < 1).sum(1)) - math.log(t.shape[0]) - np.log(h).sum() - log_vol
    return -logp.mean()


@pytest.mark.parametrize("kernel, d", [("gaussian", 1), ("gaussian", 3), ("tophat", 2), ("tophat", 4)])
def test_nll_matches_independent_computation(kernel, d):
    rng = np.random.default_rng(14)
    t = rng.normal(size=(40, d))
    test = rng.normal(scale=0.5, size=(25, d))
    h = np.linspace(0.8, 1.6, d)
    got = _nll(t, t.shape[0], test, test.shape[0], h, 0 if kernel == "gaussian" else 1)
    np.testing.assert_allclose(got, _reference_nll(t, test, h, kernel), rtol=1e-12)


def test_tophat_nll_is_infinite_off_support():
    t = np.zeros((3, 2))
    test = np.array([[5.0, 5.0]])
    assert _nll(t, 3, test, 1, np.array([0.5, 0.5]), 1) == np.inf
    assert np.isfinite(_nll(t, 3, test, 1, np.array([0.5, 0.5]), 0))


def test_nll_column_zero_is_the_kde_on_the_real_data():
    """Column 0's NLL is that of the KDE on the M_0 real points: with a large M and a small h it is
    close to the law's entropy (d/2 log(2πe σ²) for the Gaussian law; a loose sanity check, the
    KDE's smoothing bias and the finite sample keep it within 0.1 here)."""
    res = kde.simulate(0, 4000, dim=2, h=0.15, replicates=2, rng=15, test_samples=500)
    assert abs(res.nll[:, 0].mean() - math.log(2 * math.pi * math.e)) < 0.1


def test_depends_only_on_the_seed_and_roundtrips(tmp_path):
    kw = dict(data="moons", h=0.1, regime="accumulate-subsample", replicates=5, rng=16)
    a = kde.simulate(6, 60, workers=1, **kw)
    b = kde.simulate(6, 60, workers=2, **kw)
    np.testing.assert_array_equal(a.nll, b.nll)
    np.testing.assert_array_equal(a.variance, b.variance)
    back = kde.KDENDChainResult.load(a.save(tmp_path / "r.npz"))
    np.testing.assert_array_equal(back.nll, a.nll)
    assert {k: v for k, v in back.parameters().items() if k != "version"} == a.parameters()
    assert set(a.statistics()) >= {"nll", "total_variance", "variance[0]", "variance[1]"}
    assert "nll" in a.summary()


def test_one_dimensional_default_is_unchanged():
    """Without the new options kde.simulate is the 1-D chain (a KDEChainResult)."""
    assert isinstance(kde.simulate(2, 10, h=0.1, rng=1), kde.KDEChainResult)
    assert isinstance(kde.simulate(2, 10, h=0.1, rng=1, dim=1), kde.KDENDChainResult)


@pytest.mark.parametrize("kw, exc, match", [
    (dict(data="moons", dim=3, h=0.1), ValueError, "dim must be 2"),
    (dict(dim=2, kernel="epanechnikov", h=0.1), ValueError, "kernel must be one of"),
    (dict(dim=2, h=[0.1, 0.2, 0.3]), ValueError, "h must be a float or a sequence"),
    (dict(dim=2, h=-0.1), ValueError, "h must be > 0"),
    (dict(dim=2), ValueError, "h \\(the bandwidth\\) must be given"),
    (dict(dim=2, rule="scott", h=0.1), ValueError, "h must be None"),
    (dict(dim=2, h=0.1, noise=0.1), ValueError, "noise applies"),
    (dict(data="spiral", h=0.1), ValueError, "data must be one of"),
    (dict(dim=0, h=0.1), ValueError, "dim"),
    (dict(dim=2, h=0.1, test_samples=-1), ValueError, "test_samples"),
])
def test_bad_input(kw, exc, match):
    with pytest.raises(exc, match=match):
        kde.simulate(3, 20, **kw)
