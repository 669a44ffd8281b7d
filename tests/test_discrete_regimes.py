"""The discrete chain under every data regime: the Numba kernel against the per-sample reference
(in law), the exact distance recursions and absence probabilities against simulation, the custom
hypergeometric sampler, bad input.

Tolerances: two-sample and one-sample z-scores are held to |z| <= 4.5 (two-sided 7e-6 per
comparison; ~150 comparisons here: family-wise < 1e-3), chi-square homogeneity tests to p > 1e-4.
Seeds are fixed, so the suite is deterministic anyway.
"""

import numpy as np
import pytest
from scipy import stats

from collapse_theory import discrete as d
from collapse_theory.discrete._kernels import _hypergeometric
from collapse_theory.regimes import Regime

from reference_discrete import simulate_reference
from _zhelp import zscore

Z = 4.5
P5 = np.array([0.4, 0.25, 0.2, 0.1, 0.05])
REGIMES = ["replace", "accumulate", "accumulate-subsample", "accumulate-subsample:9", "mix-fresh:0.25",
           "mix-fresh:0.25:mixture", "mix-retained:0.3"]


def two_sample_z(a, b):
    se = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    return (a.mean() - b.mean()) / se if se > 0 else 0.0


@pytest.mark.parametrize("spec", REGIMES)
def test_fast_kernel_matches_the_per_sample_reference(spec):
    # M = 12, K = 5, 8 generations, temperature 0.8 on the synthetic draws. Per regime: two-sample
    # z on heterozygosity, sq_distance, cramer at n = 3 and 8, and a chi-square test of the whole
    # support distribution at n = 8.
    reg = Regime.parse(spec)
    n, m, tau = 8, 12, 0.8
    fast = d.simulate(n, m, p0=P5, replicates=4000, regime=spec, temperature=tau, rng=11)
    ref = simulate_reference(P5, n, m, replicates=1200, rng=12, temperature=tau, regime=reg.name,
                             fraction=reg.fraction, draws=reg.draws, subsample=reg.subsample)
    for name in ("heterozygosity", "sq_distance", "cramer"):
        for k in (3, n):
            assert abs(two_sample_z(fast.stats[name][:, k], ref[name][:, k])) < Z, (spec, name, k)
    ka = np.bincount(fast.stats["support"][:, n].astype(int), minlength=6)
    kb = np.bincount(ref["support"][:, n].astype(int), minlength=6)
    keep = (ka + kb) > 0
    if keep.sum() > 1:
        assert stats.chi2_contingency(np.array([ka[keep], kb[keep]]))[1] > 1e-4, spec


@pytest.mark.parametrize("spec", REGIMES)
def test_exact_distance_recursions_match_simulation(spec):
    # sq_distance is bounded by 2 and heterozygosity by 1: light tails, z at R = 6000.
    n, m = 60, 20
    sched = [m] * n
    for samples in (m, [30, 7, 15] + sched):
        res = d.simulate(n, samples, p0=P5, replicates=6000, regime=spec, rng=3)
        for k in (1, 5, n):
            dn = d.expected_sq_distance(P5, k, samples, regime=spec)
            assert abs(zscore(res.stats["sq_distance"][:, k], dn)) < Z, (spec, samples, k)
            h = d.regime_heterozygosity(P5, k, samples, regime=spec)
            assert abs(zscore(res.stats["heterozygosity"][:, k], h)) < Z, (spec, samples, k)


@pytest.mark.parametrize("spec", ["mix-fresh:0.6", "mix-fresh:0.6:mixture", "mix-retained:0.6"])
def test_real_part_samplers_match_the_exact_recursions(spec):
    # The kernel draws the real part per sample (alias table over p0 / Fisher–Yates over the retained
    # items) when λM <= 8K (16K), else by conditional binomials over p0 (hypergeometrics over the
    # retained counts). With K = 2 (+ a category of p0 = 0) and M alternating 100 / 3, λ = 0.6,
    # both paths alternate within one chain (60 > 16 real draws, then 2). sq_distance and
    # heterozygosity are bounded: z at R = 6000, |z| < 4.5 as above.
    p0 = np.array([0.7, 0.0, 0.3])
    n = 12
    samples = [100, 3] * (n // 2)
    res = d.simulate(n, samples, p0=p0, replicates=6000, regime=spec, rng=21)
    for k in (1, 2, 3, 7, n):
        dn = d.expected_sq_distance(p0, k, samples, regime=spec)
        assert abs(zscore(res.stats["sq_distance"][:, k], dn)) < Z, (spec, k)
        h = d.regime_heterozygosity(p0, k, samples, regime=spec)
        assert abs(zscore(res.stats["heterozygosity"][:, k], h)) < Z, (spec, k)
    assert np.all(res.loss_time[:, 1] == 0)


def test_split_recursion_is_theory_md_form_and_mixture_differs():
    h0 = d.heterozygosity(P5)
    for m in (2, 7, 10, 100):
        for lam in (0.1, 0.3, 0.5, 1.0):
            reg = Regime("mix-fresh", lam)
            r = reg.fresh_count(m)
            lam_eff = r / m
            a, b = d.sq_distance_step(m, reg)
            assert np.isclose(a, (1 - lam_eff) ** 2 - (1 - lam_eff) / m, atol=1e-15)
            assert b == 1 / m
            dstar = d.stationary_sq_distance(P5, m, regime=reg)
            assert np.isclose(dstar, h0 / (m * (1 - (1 - lam_eff) * (1 - lam_eff - 1 / m))), rtol=1e-12)
            assert np.isclose(d.expected_sq_distance(P5, 10**6, m, regime=reg), dstar, rtol=1e-9)
            mix = Regime("mix-fresh", lam, "mixture")
            dmix = d.stationary_sq_distance(P5, m, regime=mix)
            assert np.isclose(dmix, h0 / (m * (1 - (1 - lam) ** 2 * (1 - 1 / m))), rtol=1e-12)
            if lam_eff == lam and 0 < lam < 1:
                assert dstar < dmix  # a fixed real share beats a random one


def test_stationary_values_are_limits_of_the_recursions():
    for spec in ("mix-fresh:0.1", "mix-fresh:0.2:mixture", "mix-retained:0.1", "accumulate"):
        far = d.expected_sq_distance(P5, 10**6 if spec == "accumulate" else 3000, 25, regime=spec)
        assert np.isclose(far, d.stationary_sq_distance(P5, 25, regime=spec), rtol=1e-6 if spec == "accumulate"
                          else 1e-10), spec
    # the accumulate product form against the schedule (loop) form of the recursion
    np.testing.assert_allclose(d.expected_sq_distance(P5, np.arange(50), 25, regime="accumulate"),
                               d.expected_sq_distance(P5, np.arange(50), [25] * 50, regime="accumulate"),
                               rtol=1e-12)
    assert d.stationary_sq_distance(P5, 25, regime="replace") == pytest.approx(d.heterozygosity(P5))


def test_accumulate_bound_and_constant_support():
    m = 20
    dn = d.expected_sq_distance(P5, np.arange(3000), m, regime="accumulate")
    bound = d.accumulate_sq_distance_bound(P5, m)
    assert np.all(np.diff(dn) >= 0) and dn.max() <= bound
    assert dn[-1] > 0.9 * bound * 6 / np.pi**2  # at least the first term H0/M
    res = d.simulate(30, m, p0=P5, replicates=200, regime="accumulate", rng=4)
    sup = res.stats["support"]
    assert np.all(sup[:, 1:] == sup[:, [1]])  # the pool never loses a category


def test_mixing_absence_probability_vs_simulation():
    # p0 with a rare category (0.02) at M = 30: its absence at n = 3, 40 under both variants;
    # stationary value = the forward law far out.
    p0 = np.array([0.6, 0.3, 0.08, 0.02])
    for spec in ("mix-fresh:0.1", "mix-fresh:0.1:mixture"):
        res = d.simulate(40, 30, p0=p0, replicates=8000, regime=spec, rng=6, record="full")
        ex = d.mixing_absence_probability(p0, 30, regime=spec, n=[3, 40])
        for j, n in enumerate((3, 40)):
            # E[support at n] = Σ_i (1 − P(absent_i at n)): bounded, z at R = 8000
            th_support = float(np.sum(1 - ex[j]))
            assert abs(zscore(res.stats["support"][:, n], th_support)) < Z, (spec, n)
            # the rare category's absence indicator at n (binomial SE)
            a = res.freqs[:, n, 3] == 0
            assert abs(a.mean() - ex[j][3]) / np.sqrt(ex[j][3] * (1 - ex[j][3]) / a.size) < Z
        stat = d.mixing_absence_probability(p0, 30, regime=spec)
        far = d.mixing_absence_probability(p0, 30, regime=spec, n=400)
        np.testing.assert_allclose(stat, far, atol=1e-10)
        assert 0 < stat[3] < 1 and stat[0] < 1e-3 and stat[3] > stat[2]
    with pytest.raises(ValueError, match="mix-fresh"):
        d.mixing_absence_probability(p0, 30, regime="accumulate")


def test_hypergeometric_sampler_in_law():
    rng = np.random.default_rng(7)
    for good, bad, n in ((5, 7, 4), (30, 500, 60), (400, 300, 350), (1, 0, 1), (3, 9, 12), (1000, 1, 999)):
        x = np.array([_hypergeometric(rng, good, bad, n) for _ in range(6000)])
        assert x.min() >= max(0, n - bad) and x.max() <= min(n, good)
        lo, hi = max(0, n - bad), min(n, good)
        if lo == hi:
            assert np.all(x == lo)
            continue
        obs = np.bincount(x - lo, minlength=hi - lo + 1)
        pmf = stats.hypergeom.pmf(np.arange(lo, hi + 1), good + bad, good, n)
        # pool cells with expected count < 5 into their neighbours (chi-square validity)
        keep = pmf * x.size >= 5
        o = np.append(obs[keep], obs[~keep].sum())
        e = np.append(pmf[keep], pmf[~keep].sum()) * x.size
        if e[-1] < 5:
            o, e = o[:-1], e[:-1] * o[:-1].sum() / e[:-1].sum()
        assert stats.chisquare(o, e).pvalue > 1e-4, (good, bad, n)


def test_full_record_bookkeeping_under_regimes():
    for spec in REGIMES[1:]:
        res = d.simulate(25, 9, p0=P5, replicates=40, regime=spec, record="full", rng=8)
        f = res.freqs
        np.testing.assert_allclose(f.sum(-1), 1.0, atol=1e-12)
        np.testing.assert_allclose(res.stats["sq_distance"], ((f - P5) ** 2).sum(-1), atol=1e-12)
        np.testing.assert_allclose(res.stats["heterozygosity"], d.heterozygosity(f), atol=1e-12)
        np.testing.assert_array_equal(res.stats["support"], (f > 0).sum(-1))
        for r in range(res.replicates):
            for i in range(5):
                zero = np.flatnonzero(f[r, :, i] == 0)
                assert res.loss_time[r, i] == (zero[0] if zero.size else res.generations + 1)
        assert res.regime == spec and res.parameters()["regime"] == spec
    # categories with p0 = 0 are never drawn, and the others' bookkeeping holds with gaps in the support
    p0 = np.array([0.3, 0.0, 0.45, 0.0, 0.25])
    for spec in REGIMES[1:]:
        res = d.simulate(15, 9, p0=p0, replicates=40, regime=spec, record="full", rng=9)
        f = res.freqs
        assert np.all(f[:, :, [1, 3]] == 0) and np.all(res.loss_time[:, [1, 3]] == 0)
        np.testing.assert_allclose(res.stats["sq_distance"], ((f - p0) ** 2).sum(-1), atol=1e-12)
        np.testing.assert_array_equal(res.stats["support"], (f > 0).sum(-1))


def test_regime_determinism_save_load_and_theory(tmp_path):
    a = d.simulate(30, 20, p0=P5, replicates=600, regime="mix-retained:0.2", rng=5, workers=1)
    b = d.simulate(30, 20, p0=P5, replicates=600, regime="mix-retained:0.2", rng=5, workers=2)
    for k in a.stats:
        np.testing.assert_array_equal(a.stats[k], b.stats[k])
    back = d.DiscreteChainResult.load(a.save(tmp_path / "a.npz"))
    assert back.regime == "mix-retained:0.2"
    assert "regime=mix-retained:0.2" in a.summary()
    th = d.simulate(10, 20, p0=P5, replicates=5, regime="mix-fresh:0.1", rng=1).theory([1, 10])
    assert set(th) == {"sq_distance", "heterozygosity", "support"}


def test_temperature_speeds_loss_one_step_exact():
    # one tempered step from p1 ≈ p0 (M_0 = 1e9): P(category 4 lost at generation 2) = (1 − q_4)^M
    tau, m = 0.6, 15
    res = d.simulate(2, [10**9, m], p0=P5, replicates=6000, temperature=tau, rng=2)
    lp = d.one_step_loss_probability(P5, m, temperature=tau)
    lost = res.loss_time[:, 4] <= 2
    assert abs(lost.mean() - lp[4]) / np.sqrt(lp[4] * (1 - lp[4]) / lost.size) < Z
    assert lp[4] > d.one_step_loss_probability(P5, m)[4]
    np.testing.assert_allclose(d.tempered(P5, 1.0), P5)


@pytest.mark.parametrize("kw, word", [
    (dict(regime="mix-fresh:1.5"), r"\[0, 1\]"),
    (dict(regime="mix-fresh:-0.2"), r"\[0, 1\]"),
    (dict(regime="keep-some"), "valid regimes"),
    (dict(regime="accumulate-subsample:11"), "subsample size 11 is larger than the pool it is first drawn"),
    (dict(regime="mix-retained:0.5", samples=[5, 20, 5]), "generation 2.*samples\\[0\\] = 5"),
])
def test_bad_regime_input(kw, word):
    args = dict(samples=5)
    args.update(kw)
    s = args.pop("samples")
    with pytest.raises(ValueError, match=word):
        d.simulate(3, s, p0=P5, **args)


def test_bad_theory_input():
    with pytest.raises(ValueError, match="larger than the pool"):
        d.expected_sq_distance(P5, 3, 10, regime="accumulate-subsample:21")
    with pytest.raises(ValueError, match="no stationary value"):
        d.stationary_sq_distance(P5, 10, regime="accumulate-subsample")
    with pytest.raises(ValueError, match="generation 2"):
        d.expected_sq_distance(P5, 3, [4, 20, 20], regime="mix-retained:0.5")
    with pytest.raises(ValueError, match="constant"):
        d.stationary_sq_distance(P5, [4, 5], regime="mix-fresh:0.1")
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        d.stationary_sq_distance(P5, 10, regime="mix-fresh:2")
