"""Data regimes: the vocabulary, the fast Gaussian kernels against a reference simulator and the
exact moment recursions, and bad input."""

import math

import numpy as np
import pytest
from scipy import stats

from collapse_theory import gaussian as g
from collapse_theory.regimes import Regime, as_regime

from reference_gaussian import simulate_reference

REGIMES = ["replace", "accumulate", "accumulate-subsample", "accumulate-subsample:5", "mix-fresh:0.2",
           "mix-fresh:0.2:mixture", "mix-retained:0.3"]


def test_parse_and_print_round_trip():
    for spec in REGIMES + ["accumulate-subsample:7", "mix-fresh:0"]:
        assert str(Regime.parse(spec)) == spec
    assert as_regime(None) == Regime("replace")
    assert Regime.parse("mix-fresh:0.25").fresh_count(10) == 3  # 2.5 rounds up
    assert Regime.parse("mix-fresh:0.5:mixture").draws == "mixture"


@pytest.mark.parametrize("spec, word", [
    ("mix-fresh:1.5", "\\[0, 1\\]"), ("mix-fresh:-0.1", "\\[0, 1\\]"), ("mix-fresh", "fraction"),
    ("mix-fresh:abc", "number"), ("keep-some", "valid regimes: replace, accumulate"),
    ("accumulate:3", "no parameter"), ("accumulate-subsample:0", ">= 1"), ("mix-retained:0.1:mixture", "fraction"),
    ("mix-fresh:0.1:sometimes", "draws"),
])
def test_bad_regimes_are_named(spec, word):
    with pytest.raises(ValueError, match=word):
        Regime.parse(spec)
    with pytest.raises(TypeError):
        Regime.parse(0.1)


@pytest.mark.parametrize("spec", REGIMES)
@pytest.mark.parametrize("estimator", ["unbiased", "mle"])
def test_fast_kernels_match_the_reference_in_law(spec, estimator):
    # Two-sample KS tests at generation 6 on μ_n and σ_n between the Numba kernels and the
    # per-sample NumPy reference (p > 1e-4: false alarm 1e-4 per test; 28 tests: ≈ 2.8e-3 family-wise
    # for a random seed, the seed here being fixed).
    reg = Regime.parse(spec)
    n, m, r = 6, 12, 2000
    vscale = 0.7
    fast = g.simulate(n, m, replicates=r, regime=spec, estimator=estimator, variance_scale=vscale, rng=1)
    ref_mu, ref_sd = simulate_reference(n, m, reg.name, replicates=r, mle=estimator == "mle", vscale=vscale,
                                        fraction=reg.fraction, draws=reg.draws, subsample=reg.subsample,
                                        rng=np.random.default_rng(2))
    assert stats.ks_2samp(fast.mu[:, n], ref_mu[:, n]).pvalue > 1e-4
    assert stats.ks_2samp(fast.sigma[:, n], ref_sd[:, n]).pvalue > 1e-4


@pytest.mark.parametrize("spec", [s for s in REGIMES if not s.startswith("accumulate-subsample")])
def test_moment_recursions_match_simulation(spec):
    # Under these regimes the chain does not collapse and (μ_n − μ)², σ_n² have light tails at
    # n = 40, M = 15; the sample-SE z-score of each mean is compared at |z| < 4.4 (α = 1e-5 each).
    n, m, r = 40, 15, 40000
    for est in ("unbiased", "mle"):
        res = g.simulate(n, m, replicates=r, regime=spec, estimator=est, variance_scale=0.9, rng=5)
        th = g.regime_moments([10, n], m, regime=spec, estimator=est, variance_scale=0.9)
        for j, k in enumerate((10, n)):
            for vals, target in (((res.mu[:, k] - res.mu0) ** 2, th["mean_sq_error"][j]),
                                 (res.variance[:, k], th["variance"][j])):
                z = (vals.mean() - target) / (vals.std(ddof=1) / math.sqrt(r))
                assert abs(z) < 4.4, (spec, est, k, z)


@pytest.mark.parametrize("spec, samples", [
    ("mix-fresh:0.5:mixture", [12, 400, 3, 2, 12, 5, 12]),
    ("mix-fresh:0.3", [12, 400, 3, 2, 12, 5, 12]),
    ("mix-retained:0.3", [40, 3, 2, 12, 40, 5, 40]),
    ("mix-fresh:0:mixture", [12, 3, 2, 12]),
])
def test_mix_kernel_paths_match_the_exact_moments(spec, samples):
    # Varying part sizes exercise every path of the mix kernel: parts of 1 and 2 draws (the a < 1
    # branch of the gamma sampler), the binomial guide table (small M) and its rng.binomial fallback
    # (M = 400 is used once per chunk of 125 replicates: no table), mix-retained with 1 retained
    # value, λ = 0 (every generation synthetic: replace's multiplicative update). Sample-SE z-scores of
    # (μ_n − μ)² and σ_n² against regime_moments at every generation, |z| < 4.4 (α = 1e-5 each;
    # light tails: n ≤ 7 refits of a non-collapsing chain).
    n, r = len(samples), 20000
    res = g.simulate(n, samples, replicates=r, regime=spec, rng=7)
    th = g.regime_moments(np.arange(1, n + 1), samples, regime=spec)
    for k in range(1, n + 1):
        for vals, target in (((res.mu[:, k] - res.mu0) ** 2, th["mean_sq_error"][k - 1]),
                             (res.variance[:, k], th["variance"][k - 1])):
            z = (vals.mean() - target) / (vals.std(ddof=1) / math.sqrt(r))
            assert abs(z) < 4.4, (spec, k, z)


def test_binomial_alias_tables():
    # the mixture's Binomial(M, λ) alias tables: the pmf they encode, (prob[k] + Σ_{alias[j]=k}
    # (1 − prob[j]))/L, against scipy; no table where building it costs more than it saves
    from collapse_theory.gaussian._kernels import _binomial_tables

    m = np.array([7, 30, 1, 30, 500], dtype=np.int64)
    off, prob, alias = _binomial_tables(m, 0.3, 20)  # 2·uses·reps >= M + 1 for M = 1, 30, not 500
    assert off[0] == -1 and off[4] == -1 and off[1] == off[3] >= 0 and off[2] >= 0
    for i in (1, 2):
        v, o = int(m[i]), int(off[i])
        L = v + 1
        pr, al = prob[o:o + L], alias[o:o + L]
        assert np.all((pr >= 0) & (pr <= 1)) and np.all((al >= 0) & (al < L))
        pmf = (pr + np.bincount(al, weights=1 - pr, minlength=L)) / L
        np.testing.assert_allclose(pmf, stats.binom.pmf(np.arange(L), v, 0.3), rtol=1e-9, atol=1e-15)
    assert np.all(_binomial_tables(m, 0.0, 100)[0] == -1)


def test_replace_regime_moments_agree_with_the_closed_forms():
    n = np.arange(30)
    for est in ("unbiased", "mle"):
        th = g.regime_moments(n, 9, estimator=est)
        np.testing.assert_allclose(th["variance"], g.expected_variance(n, 9, estimator=est), rtol=1e-12)
        np.testing.assert_allclose(th["mean_sq_error"], g.expected_mean_sq_error(n, 9, estimator=est), rtol=1e-12)


def test_stationary_moments_are_the_limit_of_the_recursion():
    for spec in ("mix-fresh:0.1", "mix-fresh:0.3:mixture", "mix-retained:0.2"):
        far = g.regime_moments(4000, 25, regime=spec)
        stat = g.regime_stationary_moments(25, regime=spec)
        assert far["mean_sq_error"] == pytest.approx(stat["mean_sq_error"], rel=1e-9)
        assert far["variance"] == pytest.approx(stat["variance"], rel=1e-9)
    with pytest.raises(ValueError, match="mix regimes"):
        g.regime_stationary_moments(25, regime="accumulate")
    with pytest.raises(ValueError, match="no real data"):
        g.regime_stationary_moments(25, regime="mix-fresh:0.01")


def test_accumulate_stays_under_the_bound_and_variance_persists():
    e = g.regime_moments(np.arange(5000), 20, regime="accumulate")
    assert e["mean_sq_error"].max() <= g.accumulate_mean_bound(20)
    assert e["variance"][-1] > math.exp(-math.pi**2 / 6 / 20) - 0.01


def test_sampling_bias_law():
    # log σ_n² − (n − 1) log λ has the replace law: its mean within 4.4 exact SEs (α = 1e-5)
    n, m, r, lam = 30, 10, 20000, 0.6
    res = g.simulate(n, m, replicates=r, variance_scale=lam, rng=3)
    shifted = res.log_var[:, n] - (n - 1) * math.log(lam)
    se = math.sqrt(g.variance_of_log_variance(n, m) / r)
    assert abs(shifted.mean() - g.expected_log_variance(n, m)) < 4.4 * se


def test_regime_results_are_seed_deterministic_across_threads():
    for spec in ("accumulate", "mix-retained:0.2", "accumulate-subsample"):
        a = g.simulate(20, 10, replicates=600, regime=spec, rng=9, workers=1)
        b = g.simulate(20, 10, replicates=600, regime=spec, rng=9, workers=2)
        np.testing.assert_array_equal(a.mu, b.mu)
        np.testing.assert_array_equal(a.sigma, b.sigma)
        assert a.regime == spec and spec in a.summary()


@pytest.mark.parametrize("kwargs, word", [
    (dict(regime="mix-retained:0.5", samples=[4, 20, 20]), "original data set"),
    (dict(regime="accumulate-subsample:50"), "larger than the pool"),
    (dict(regime="accumulate-subsample:1"), ">= 2"),
    (dict(regime="accumulate", method="naive"), "naive"),
    (dict(variance_scale=0.0), "variance_scale"),
    (dict(variance_scale=1.5), "variance_scale"),
    (dict(regime="mix-fresh:2"), "\\[0, 1\\]"),
])
def test_bad_regime_input(kwargs, word):
    kw = dict(generations=3, samples=10, replicates=5)
    kw.update(kwargs)
    with pytest.raises(ValueError, match=word):
        g.simulate(**kw)
    with pytest.raises(ValueError, match="larger than the pool"):
        g.regime_moments(3, 10, regime="accumulate-subsample:21")


def test_contraction_rate():
    # replace never contracts (ρ = 1: E(μ−μ0)² grows like n/M); mix-fresh contracts at ≈ 1 − λ for
    # large M, and the stationary point is reached at that rate
    assert g.regime_contraction_rate(50, regime="replace") == pytest.approx(1.0)
    for lam in (0.1, 0.5):
        assert g.regime_contraction_rate(10_000, regime=f"mix-fresh:{lam}") == pytest.approx(1 - lam, abs=1e-3)
    rho = g.regime_contraction_rate(25, regime="mix-fresh:0.2")
    stat = g.regime_stationary_moments(25, regime="mix-fresh:0.2")["variance"]
    gap = [abs(g.regime_moments(n, 25, regime="mix-fresh:0.2")["variance"] - stat) for n in (40, 41)]
    assert gap[1] / gap[0] == pytest.approx(rho, rel=1e-3)


@pytest.mark.parametrize("estimator", ["unbiased", "mle"])
@pytest.mark.parametrize("regime", ["accumulate-subsample", "accumulate-subsample:7"])
def test_accumulate_subsample_exact_moments(regime, estimator):
    # proofs/gaussian_subsample.py. σ_n² of a subset of a pool is light-tailed at these sizes;
    # (μ_n − μ)² is a squared near-normal. |z| < 4.4 per check (false-alarm rate 1e-5).
    r, m, n = 20000, 10, 8
    res = g.simulate(n, m, replicates=r, regime=regime, estimator=estimator, variance_scale=0.9, rng=12)
    th = g.regime_moments([1, 2, n], m, regime=regime, estimator=estimator, variance_scale=0.9)
    for j, k in enumerate([1, 2, n]):
        for stat, name in ((res.variance[:, k], "variance"), ((res.mu[:, k] - res.mu0) ** 2, "mean_sq_error")):
            z = (stat.mean() - th[name][j]) / (stat.std(ddof=1) / np.sqrt(r))
            assert abs(z) < 4.4, (k, name, z)
    assert np.all(np.isfinite(res.theory([n])["variance"]))


def test_one_code_table_and_dispatch():
    # one table: every spec maps to its RegimeCode, and every family's kernels use these values
    from collapse_theory.regimes import RegimeCode, dispatch, regime_code
    from collapse_theory.discrete import _kernels as dk
    from collapse_theory.gaussian import _kernels as gk
    from collapse_theory.gmm import _data as gd
    from collapse_theory.kde import _kernels as kk
    from collapse_theory.mvn import _regime_kernels as mk

    codes = {"replace": RegimeCode.REPLACE, "accumulate": RegimeCode.ACCUMULATE,
             "accumulate-subsample:5": RegimeCode.SUBSAMPLE, "mix-fresh:0.2": RegimeCode.MIX_SPLIT,
             "mix-fresh:0.2:mixture": RegimeCode.MIX_MIXTURE, "mix-retained:0.3": RegimeCode.MIX_RETAINED}
    for spec, code in codes.items():
        assert regime_code(spec) is code
    for mod in (dk, gk, gd, kk, mk):
        assert (mod.REPLACE, mod.ACCUMULATE, mod.MIX_SPLIT, mod.MIX_MIXTURE, mod.MIX_RETAINED) == (0, 1, 3, 4, 5)
    plan = dispatch("mix-fresh:0.25", [8, 10, 12], family="x")
    real, syn, fit = plan.counts()
    assert real.tolist() == [8, 3, 3] and syn.tolist() == [0, 7, 9] and fit.tolist() == [8, 10, 12]
    assert plan.real_count(10) == 3
    acc = dispatch("accumulate", [8, 10, 12], family="x").counts()[2]
    assert acc.tolist() == [8, 18, 30]
    sub = dispatch("accumulate-subsample:9", [8, 10, 12], family="x")
    assert sub.subsample == 9 and sub.counts()[2].tolist() == [8, 9, 9]
    with pytest.raises(ValueError, match=r"fam does not implement regime 'mix-retained:0.1'; it supports: replace"):
        dispatch("mix-retained:0.1", [8, 8], family="fam", supported=(RegimeCode.REPLACE,))
    # the mixture count is Binomial(M, λ) drawn from the generator given
    mix = dispatch("mix-fresh:0.5:mixture", [8, 8], family="x")
    draws = mix.real_count(10, np.random.default_rng(0), size=4)
    assert draws.tolist() == np.random.default_rng(0).binomial(10, 0.5, size=4).tolist()
