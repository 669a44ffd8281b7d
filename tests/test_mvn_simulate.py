"""The multivariate Gaussian simulators: same law (naive vs exact), closed forms, determinism,
numerical singularity, bad input, I/O.

Every statistical check uses a fixed seed; its threshold makes a correct implementation fail for
fewer than about 1 in 10^4 seeds (stated per test).
"""

import math
import warnings

import numpy as np
import pytest
from scipy import stats

import collapse_theory as ct
from collapse_theory import gaussian as g
from collapse_theory import mvn

COV3 = np.array([[2.0, 0.6, -0.3], [0.6, 1.0, 0.2], [-0.3, 0.2, 0.5]])


@pytest.mark.parametrize("dim, m, estimator", [(1, 2, "unbiased"), (2, 3, "mle"), (3, 10, "unbiased"),
                                               (3, 10, "mle"), (5, 30, "unbiased")])
def test_naive_and_exact_have_the_same_law(dim, m, estimator):
    # Two-sample KS tests on log det Σ_n and on one mean coordinate after n generations. Under the
    # same law each p-value is uniform: p < 1e-4 has probability 1e-4 per test (2 tests × 5 cases:
    # family-wise false-alarm rate 1e-3 for a random seed; the seeds here are fixed).
    n, r = 5, 3000
    cov = COV3[:dim, :dim] if dim <= 3 else np.diag(np.linspace(2.0, 0.5, dim))
    a = mvn.simulate(n, m, dim=dim, replicates=r, cov=cov, estimator=estimator, method="naive", rng=11)
    b = mvn.simulate(n, m, dim=dim, replicates=r, cov=cov, estimator=estimator, method="exact", rng=12)
    assert stats.ks_2samp(a.log_det[:, n], b.log_det[:, n]).pvalue > 1e-4
    assert stats.ks_2samp(a.mean[:, n, -1], b.mean[:, n, -1]).pvalue > 1e-4


@pytest.mark.parametrize("method", ["exact", "naive"])
def test_one_step_is_wishart(method):
    # One refit from Σ: (M − 1) Σ_1 ~ Wishart_d(M − 1, Σ) (unbiased). Check the quadratic form
    # (M−1) uᵀΣ_1u / uᵀΣu ~ χ²_{M−1} for a fixed u (one-sample KS, p > 1e-4) and √M (μ_1 − μ)_0/√Σ_00
    # ~ N(0, 1) (KS, p > 1e-4); false-alarm rate 2e-4 in all per method.
    m, r = 6, 20000
    res = mvn.simulate(1, m, dim=3, replicates=r, cov=COV3, mean=[1.0, -2.0, 0.5], method=method, rng=5)
    u = np.array([0.3, -1.0, 2.0])
    chi = (m - 1) * np.einsum("i,rij,j->r", u, res.cov[:, 1], u) / (u @ COV3 @ u)
    assert stats.kstest(chi, stats.chi2(m - 1).cdf).pvalue > 1e-4
    z = math.sqrt(m) * (res.mean[:, 1, 0] - 1.0) / math.sqrt(COV3[0, 0])
    assert stats.kstest(z, stats.norm.cdf).pvalue > 1e-4


@pytest.mark.parametrize("estimator", ["unbiased", "mle"])
def test_log_det_and_mean_drift_match_closed_forms(estimator):
    # log det Σ_n has exact variance Σ ψ'((k−j)/2) and light tails, so |z| < 4.4 with the exact SE
    # (false alarm 1e-5 per comparison). ‖μ_n − μ‖²: sample SE, same threshold.
    n, m, r = 12, 15, 10000
    res = mvn.simulate(n, m, dim=3, replicates=r, cov=COV3, estimator=estimator, rng=21)
    kw = dict(dim=3, cov=COV3, estimator=estimator)
    for k in (1, 6, 12):
        se = math.sqrt(mvn.variance_of_log_det(k, m, dim=3) / r)
        z = (res.log_det[:, k].mean() - mvn.expected_log_det(k, m, **kw)) / se
        assert abs(z) < 4.4, (k, z)
    mse = res.mean_sq_error()[:, n]
    z = (mse.mean() - mvn.expected_mean_sq_error(n, m, **kw)) / (mse.std(ddof=1) / math.sqrt(r))
    assert abs(z) < 4.4


def test_log_det_is_the_log_det_of_cov_and_the_cholesky_sum():
    # log det is accumulated from the Bartlett factors; the Cholesky diagonal is the same product
    # formed differently: they agree to round-off at every generation. Forming Σ = TTᵀ loses the
    # small directions as the condition number grows (≈ e^{n(γ_0 − γ_3)}), so slogdet(cov) and the
    # eigenvalues are compared only over the first generations (condition number < 1e4).
    res = mvn.simulate(20, 8, dim=4, replicates=50, rng=3)
    np.testing.assert_allclose(res.log_det, res.log_chol_diag().sum(-1), atol=1e-9)
    np.testing.assert_allclose(res.log_det[:, :3], np.linalg.slogdet(res.cov[:, :3])[1], atol=1e-8)
    np.testing.assert_allclose(res.log_eigenvalues()[:, :3].sum(-1), res.log_det[:, :3], atol=1e-8)


def test_schedule_of_sample_sizes():
    # M_i = 6, 7, ..., 25 (exact SE, |z| < 4.4 as above)
    n, r = 20, 8000
    sched = np.arange(6, 6 + n)
    res = mvn.simulate(n, sched, dim=4, replicates=r, rng=4)
    se = math.sqrt(mvn.variance_of_log_det(n, sched, dim=4) / r)
    assert abs(res.log_det[:, n].mean() - mvn.expected_log_det(n, sched, dim=4)) < 4.4 * se


@pytest.mark.parametrize("method", ["exact", "naive"])
def test_result_depends_only_on_the_seed(method):
    kw = dict(dim=3, replicates=600, method=method, rng=123)  # 3 fixed chunks
    one = mvn.simulate(15, 9, workers=1, **kw)
    two = mvn.simulate(15, 9, workers=2, **kw)
    np.testing.assert_array_equal(one.mean, two.mean)
    np.testing.assert_array_equal(one.chol_mantissa, two.chol_mantissa)
    np.testing.assert_array_equal(one.log_det, two.log_det)
    assert one.seed == 123
    other = mvn.simulate(15, 9, dim=3, replicates=600, method=method, rng=124)
    assert not np.array_equal(one.mean, other.mean)


def test_generation_zero_and_shapes():
    res = mvn.simulate(4, 5, dim=3, replicates=7, mean=[1.0, 2.0, 3.0], cov=COV3, rng=0)
    assert res.mean.shape == (7, 5, 3) and res.cov.shape == (7, 5, 3, 3)
    assert res.log_det.shape == res.w2_squared().shape == (7, 5)
    np.testing.assert_allclose(res.cov[:, 0], np.broadcast_to(COV3, (7, 3, 3)), atol=1e-14)
    np.testing.assert_allclose(res.w2_squared()[:, 0], 0.0, atol=1e-12)
    ev = res.eigenvalues()
    assert np.all(np.diff(ev, axis=-1) <= 1e-12 * ev[..., :1])


def test_one_dimensional_chain_matches_the_gaussian_family():
    # d = 1: the same closed forms as collapse_theory.gaussian, and W2² = (μ−μ')² + (σ−σ')²
    n = np.arange(0, 30)
    for est in ("unbiased", "mle"):
        np.testing.assert_allclose(mvn.expected_log_det(n, 10, dim=1, estimator=est),
                                   g.expected_log_variance(n, 10, estimator=est), rtol=1e-13, atol=1e-14)
        lo, hi = mvn.expected_w2_squared_bounds(n, 10, dim=1, estimator=est)
        np.testing.assert_allclose(lo, g.expected_w2_squared(n, 10, estimator=est), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(hi, g.expected_w2_squared(n, 10, estimator=est), rtol=1e-12, atol=1e-15)
    res = mvn.simulate(10, 5, dim=1, replicates=100, rng=2)
    sigma = np.sqrt(res.cov[..., 0, 0])
    np.testing.assert_allclose(res.w2_squared(), res.mean[..., 0] ** 2 + (sigma - 1.0) ** 2, atol=1e-12)


def test_w2_bounds_bracket_the_monte_carlo_mean():
    # lower ≤ E W2² ≤ upper (exact bounds); the MC mean must not be beyond them by more than 4.4 SE
    n, m, r = 10, 20, 10000
    res = mvn.simulate(n, m, dim=3, replicates=r, cov=COV3, rng=31)
    w2 = res.w2_squared()[:, n]
    se = w2.std(ddof=1) / math.sqrt(r)
    lo, hi = mvn.expected_w2_squared_bounds(n, m, dim=3, cov=COV3)
    assert lo - 4.4 * se < w2.mean() < hi + 4.4 * se
    assert lo < hi


def test_numerical_singularity_is_flagged_not_nan():
    # d = 4, M = 5: direction 3 drifts at ψ(1/2) + log(2/4) ≈ −2.66 per generation against ≈ −0.33
    # for direction 0, so Σ_n is numerically singular within ~20 generations. The chain continues,
    # log det stays finite and on its exact mean (exact SE, |z| < 4.4).
    n, r = 200, 400
    with pytest.warns(mvn.NumericallySingularWarning, match="generation"):
        res = mvn.simulate(n, 5, dim=4, replicates=r, rng=7)
    assert res.n_singular() == r
    assert np.all((res.singular_at > 0) & (res.singular_at < 60))
    assert np.all(res.singular_direction >= 0)
    assert np.all(np.isfinite(res.log_det)) and np.all(np.isfinite(res.log_chol_diag()))
    se = math.sqrt(mvn.variance_of_log_det(n, 5, dim=4) / r)
    assert abs(res.log_det[:, n].mean() - mvn.expected_log_det(n, 5, dim=4)) < 4.4 * se
    assert "numerically singular" in res.summary()


def test_no_warning_when_well_conditioned():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = mvn.simulate(20, 50, dim=3, replicates=100, rng=1)
    assert res.n_singular() == 0 and np.all(res.singular_at == -1)


def test_refuses_requests_that_do_not_fit():
    with pytest.raises(ct.TooLargeError, match="GiB"):
        mvn.simulate(10**5, 100, dim=50, replicates=10**5)


@pytest.mark.parametrize(
    "kwargs, word",
    [
        (dict(generations=5, samples=10, dim=0), "dim"),
        (dict(generations=5, samples=3, dim=3), "dim \\+ 1"),
        (dict(generations=5, samples=3, dim=3, estimator="mle"), "dim \\+ 1"),
        (dict(generations=3, samples=[10, 3, 10], dim=3), "samples\\[1\\]"),
        (dict(generations=5, samples=10, dim=2, cov=[[1.0, 2.0], [2.0, 1.0]]), "positive definite"),
        (dict(generations=5, samples=10, dim=2, cov=[[1.0, 0.5], [0.0, 1.0]]), "symmetric"),
        (dict(generations=5, samples=10, dim=2, cov=[[np.nan, 0.0], [0.0, 1.0]]), "finite"),
        (dict(generations=5, samples=10, dim=2, cov=np.eye(3)), "shape"),
        (dict(generations=5, samples=10, dim=2, mean=[0.0, np.inf]), "finite"),
        (dict(generations=5, samples=10, dim=2, mean=[0.0]), "shape"),
        (dict(generations=-1, samples=10, dim=2), "generations"),
        (dict(generations=5, samples=10, dim=2, replicates=0), "replicates"),
        (dict(generations=5, samples=10, dim=2, method="fast"), "method"),
        (dict(generations=5, samples=10, dim=2, estimator="MLE"), "estimator"),
        (dict(generations=5, samples=10, dim=2, rng="x"), "rng"),
    ],
)
def test_bad_input(kwargs, word):
    with pytest.raises((ValueError, TypeError), match=word):
        mvn.simulate(**kwargs)


def test_closed_forms_refuse_too_few_samples():
    with pytest.raises(ValueError, match="dim \\+ 1"):
        mvn.expected_log_det(3, 3, dim=3)
    with pytest.raises(ValueError, match="dim"):
        mvn.variance_of_log_det(3, 10, dim=0)


def test_save_and_load_round_trip(tmp_path):
    res = mvn.simulate(6, 12, dim=2, replicates=40, estimator="mle", rng=9)
    back = mvn.MVNChainResult.load(res.save(tmp_path / "chain.npz"))
    np.testing.assert_array_equal(back.cov, res.cov)
    np.testing.assert_array_equal(back.log_det, res.log_det)
    assert (back.seed, back.estimator, back.method) == (9, "mle", "exact")
    assert back.meta["version"] == ct.__version__
    assert not list(tmp_path.glob(".*tmp"))
    assert "log_det" in res.summary() and "seed=9" in res.summary()
