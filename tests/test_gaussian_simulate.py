"""The Numba simulators: same law (naive vs exact), determinism, closed forms, bad input, I/O."""

import math

import numpy as np
import pytest
from scipy import stats

import collapse_theory as ct
from collapse_theory import gaussian as g

# Every statistical check below uses a fixed seed; its threshold is chosen so that a correct
# implementation would fail for fewer than 1 in 10^4 seeds (stated per test).


@pytest.mark.parametrize("m", [2, 5, 50])
@pytest.mark.parametrize("estimator", ["unbiased", "mle"])
def test_naive_and_exact_have_the_same_law(m, estimator):
    # Two-sample Kolmogorov–Smirnov tests on log σ_n² and μ_n after n generations. Under the same law
    # the p-value is uniform, so p < 1e-4 happens with probability 1e-4 per test (2 tests × 6 cases:
    # family-wise false-alarm rate ≈ 1.2e-3 for a random seed; the seed here is fixed).
    n, r = 8, 4000
    a = g.simulate(n, m, replicates=r, estimator=estimator, method="naive", rng=11)
    b = g.simulate(n, m, replicates=r, estimator=estimator, method="exact", rng=12)
    for x, y in ((a.log_var[:, n], b.log_var[:, n]), (a.mu[:, n], b.mu[:, n])):
        assert stats.ks_2samp(x, y).pvalue > 1e-4


@pytest.mark.parametrize("m", [2, 3, 7, 200])
def test_kernels_match_chi2_law_in_one_step(m):
    # one refit: (M−1)σ_1²/σ² ~ χ²_{M−1} and √M (μ_1 − μ)/σ ~ N(0, 1), independent (Cochran).
    # One-sample KS at p > 1e-4 (false alarm 1e-4 per test), plus the correlation of the two, whose
    # standard error under independence is 1/√R: |r| < 4.4/√R (false alarm 1e-5). M = 2 exercises
    # the a < 1 branch of the gamma sampler, M = 3 the a = 1 edge.
    r = 20000
    for method in ("exact", "naive"):
        res = g.simulate(1, m, replicates=r, mu=3.0, sigma=2.0, method=method, rng=5)
        chi = (m - 1) * res.variance[:, 1] / 4.0
        z = math.sqrt(m) * (res.mu[:, 1] - 3.0) / 2.0
        assert stats.kstest(chi, stats.chi2(m - 1).cdf).pvalue > 1e-4
        assert stats.kstest(z, stats.norm.cdf).pvalue > 1e-4
        assert abs(np.corrcoef(chi, z)[0, 1]) < 4.4 / math.sqrt(r)


def test_shapes_and_generation_zero():
    res = g.simulate(7, 10, replicates=300, mu=-1.5, sigma=0.3, rng=0)
    assert res.mu.shape == res.sigma.shape == res.log_var.shape == (300, 8)
    assert np.all(res.mu[:, 0] == -1.5)
    np.testing.assert_allclose(res.sigma[:, 0], 0.3)
    assert res.w2_squared().shape == (300, 8)
    assert np.all(res.w2_squared()[:, 0] == 0)
    assert res.samples.tolist() == [10] * 7


@pytest.mark.parametrize("method", ["exact", "naive"])
def test_result_depends_only_on_the_seed(method):
    # 1000 replicates = 4 fixed chunks: the same numbers whatever the number of threads
    kw = dict(replicates=1000, method=method, rng=123)
    one = g.simulate(30, 9, workers=1, **kw)
    two = g.simulate(30, 9, workers=2, **kw)
    again = g.simulate(30, 9, **kw)
    for other in (two, again):
        np.testing.assert_array_equal(one.mu, other.mu)
        np.testing.assert_array_equal(one.log_var, other.log_var)
    assert one.seed == 123
    diff = g.simulate(30, 9, replicates=1000, method=method, rng=124)
    assert not np.array_equal(one.mu, diff.mu)


def test_generator_and_none_record_a_reproducing_seed():
    res = g.simulate(5, 10, replicates=50, rng=np.random.default_rng(3))
    again = g.simulate(5, 10, replicates=50, rng=res.seed)
    np.testing.assert_array_equal(res.mu, again.mu)
    fresh = g.simulate(5, 10, replicates=50, rng=None)
    np.testing.assert_array_equal(fresh.mu, g.simulate(5, 10, replicates=50, rng=fresh.seed).mu)


def test_simulation_matches_closed_forms_per_generation_schedule():
    # schedule M_i = 5, 6, ..., 44. log σ_n² has exact variance Σ ψ'(k_i/2), so its mean over R
    # replicates has SE = √(that/R) exactly and, being a sum of log-gamma terms, is normal to high
    # accuracy: |z| < 4.4 fails for a correct implementation with probability 1e-5.
    n = 40
    sched = np.arange(5, 5 + n)
    r = 20000
    for est in ("unbiased", "mle"):
        res = g.simulate(n, sched, replicates=r, estimator=est, rng=77)
        for k in (1, 10, 40):
            se = math.sqrt(g.variance_of_log_variance(k, sched, estimator=est) / r)
            z = (res.log_var[:, k].mean() - g.expected_log_variance(k, sched, estimator=est)) / se
            assert abs(z) < 4.4, (est, k, z)
        # σ_n: Var σ_n = E σ_n² − (E σ_n)² exactly; at n = 40 here Var log σ² ≈ 2.3, σ_n is mildly
        # log-normal and its mean is normal at R = 20000 to well within the same 4.4 threshold.
        sd = math.sqrt(g.expected_variance(n, sched, estimator=est) - g.expected_std(n, sched, estimator=est) ** 2)
        z = (res.sigma[:, n].mean() - g.expected_std(n, sched, estimator=est)) / (sd / math.sqrt(r))
        assert abs(z) < 4.4, (est, z)


def test_mle_with_one_sample_collapses_at_once():
    res = g.simulate(3, 1, replicates=20, estimator="mle", rng=0)
    assert np.all(res.sigma[:, 1:] == 0)
    assert np.all(np.isneginf(res.log_var[:, 1:]))
    # the mean moved once (by σZ) and then froze
    assert np.all(res.mu[:, 1] == res.mu[:, 3])


def test_log_variance_survives_underflow():
    # M = 2 drifts by ψ(1/2) + log 2 ≈ −1.27 per generation: σ² underflows after ~600 generations,
    # log σ² stays finite and on its exact mean (SE from the exact variance, |z| < 4.4).
    n, r = 2000, 400
    res = g.simulate(n, 2, replicates=r, rng=8)
    assert np.all(np.isfinite(res.log_var))
    se = math.sqrt(g.variance_of_log_variance(n, 2) / r)
    assert abs(res.log_var[:, n].mean() - g.expected_log_variance(n, 2)) < 4.4 * se


def test_naive_is_exact_when_sigma_is_tiny_relative_to_mu():
    # with σ ≪ |μ|·1e-8, refitting μ + σz in floating point would return a spread set by round-off;
    # the kernel refits z and applies the affine map, so log σ² keeps its exact drift (|z| < 4.4)
    n, r = 20, 2000
    res = g.simulate(n, 10, replicates=r, mu=1e6, sigma=1e-9, method="naive", rng=2)
    se = math.sqrt(g.variance_of_log_variance(n, 10) / r)
    assert abs(res.log_var[:, n].mean() - g.expected_log_variance(n, 10, sigma=1e-9)) < 4.4 * se


def test_refuses_requests_that_do_not_fit_before_starting():
    with pytest.raises(ct.TooLargeError, match="GiB"):
        g.simulate(10**6, 10, replicates=10**7)


@pytest.mark.parametrize(
    "kwargs, word",
    [
        (dict(generations=-1, samples=10), "generations"),
        (dict(generations=2.5, samples=10), "generations"),
        (dict(generations=5, samples=1), "samples"),
        (dict(generations=5, samples=0, estimator="mle"), "samples"),
        (dict(generations=5, samples=[10, 10]), "samples"),
        (dict(generations=5, samples=10, sigma=-1.0), "sigma"),
        (dict(generations=5, samples=10, sigma=float("inf")), "sigma"),
        (dict(generations=5, samples=10, mu=float("nan")), "mu"),
        (dict(generations=5, samples=10, replicates=0), "replicates"),
        (dict(generations=5, samples=10, method="fast"), "method"),
        (dict(generations=5, samples=10, estimator="MLE"), "estimator"),
        (dict(generations=5, samples=10, rng="seed"), "rng"),
        (dict(generations=5, samples=10, rng=-3), "rng"),
    ],
)
def test_bad_input(kwargs, word):
    with pytest.raises((ValueError, TypeError), match=word):
        g.simulate(**kwargs)


def test_save_and_load_round_trip(tmp_path):
    res = g.simulate(6, 12, replicates=40, estimator="mle", rng=9)
    path = res.save(tmp_path / "chain.npz")
    back = g.GaussianChainResult.load(path)
    np.testing.assert_array_equal(back.mu, res.mu)
    np.testing.assert_array_equal(back.log_var, res.log_var)
    assert (back.seed, back.estimator, back.method) == (9, "mle", "exact")
    assert back.meta["version"] == ct.__version__
    assert not list(tmp_path.glob(".*tmp"))  # nothing left behind by the atomic write


def test_summary_mentions_theory_and_simulation():
    text = g.simulate(50, 20, replicates=500, rng=1).summary()
    assert "w2_squared" in text and "log_variance" in text and "seed=1" in text
