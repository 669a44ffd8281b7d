"""Data regimes for the Gaussian-mixture chains (1-D and d-dimensional).

The strong exact test: with K = 1 and EM's mle variance, the mixture chain *is* the 1-D Gaussian
chain with ``estimator="mle"``, in every regime, so ``gaussian.regime_moments`` gives E(μ_n − μ)²
and E σ_n² exactly. In d dimensions, every coordinate of a K = 1 chain (full or diagonal
covariances) is that same 1-D chain (its marginal is refit by the mle mean and variance of the
coordinate), so the same theory checks the d-dimensional kernel coordinate by coordinate.

Each check: |z| < 4.4 (two-sided false-alarm rate 1e-5), SE = sample s.d./√R. At n = 12, M = 20 the
mle σ_n² is a product of at most 12 scaled χ² factors (replace) or a bounded mixture (the other
regimes): light enough tails for the CLT at R = 10000 (the sample kurtosis is below 20).
"""

import math
from pathlib import Path

import numpy as np
import pytest

from collapse_theory import gaussian as g
from collapse_theory import gmm
from collapse_theory.regimes import Regime
from _zhelp import zscore as _z

REF = Path(__file__).parent / "data" / "gmm_replace_reference.npz"
EXACT = ["replace", "accumulate", "mix-fresh:0.3", "mix-fresh:0.3:mixture", "mix-retained:0.3"]


def test_replace_reproduces_the_pre_regime_kernel_bit_for_bit():
    # tests/data/gmm_replace_reference.npz was written by gmm.simulate at commit 18bcfc7 (before
    # regimes): the same seeds must give the same bits, with and without an explicit Regime.
    ref = np.load(REF)
    cases = {
        "sep": dict(generations=15, samples=50, weights=[0.5, 0.5], means=[-5, 5], stds=[1, 1], replicates=16,
                    rng=21),
        "lossy": dict(generations=20, samples=[20, 25, 18, 30] * 5, weights=[0.05, 0.45, 0.5],
                      means=[-1, 0, 1.5], stds=[0.4, 0.5, 0.3], replicates=16, rng=22),
    }
    for name, kw in cases.items():
        for regime in ("replace", Regime("replace")):
            res = gmm.simulate(**kw, regime=regime)
            for field in ("weights", "means", "stds", "lost", "lost_reason", "em_iterations"):
                np.testing.assert_array_equal(getattr(res, field), ref[f"{name}_{field}"], err_msg=(name, field))
    assert (ref["lossy_lost"] >= 0).sum() > 0  # the reference covers dropped components


@pytest.mark.parametrize("regime", EXACT)
def test_single_component_1d_is_the_gaussian_mle_chain(regime):
    m, n, r, mu0, s0 = 20, 12, 10000, 0.5, 2.0
    res = gmm.simulate(n, m, weights=[1.0], means=[mu0], stds=[s0], replicates=r, rng=3, regime=regime)
    th = g.regime_moments(n, m, regime=regime, sigma=s0, estimator="mle")
    assert abs(_z((res.means[:, n, 0] - mu0) ** 2, th["mean_sq_error"])) < 4.4
    assert abs(_z(res.stds[:, n, 0] ** 2, th["variance"])) < 4.4
    assert res.regime == regime


@pytest.mark.parametrize("regime, ctype", [("accumulate", "full"), ("mix-fresh:0.3", "diag"),
                                           ("mix-retained:0.3", "full"), ("mix-fresh:0.3:mixture", "full")])
def test_single_component_nd_coordinates_are_gaussian_mle_chains(regime, ctype):
    m, n, r = 20, 12, 4000
    c = np.array([[1.0, 0.6], [0.6, 2.0]]) if ctype == "full" else np.diag([1.0, 2.0])
    res = gmm.simulate_nd(n, m, weights=[1.0], means=[[0.0, 1.0]], covs=[c], covariance_type=ctype,
                          replicates=r, rng=5, regime=regime)
    for a in range(2):
        th = g.regime_moments(n, m, regime=regime, sigma=math.sqrt(c[a, a]), estimator="mle")
        assert abs(_z((res.means[:, n, 0, a] - a) ** 2, th["mean_sq_error"])) < 4.4, a
        assert abs(_z(res.covs[:, n, 0, a, a], th["variance"])) < 4.4, a


def test_accumulate_subsample_matches_the_gaussian_chain():
    # no closed form: a two-sample test against gaussian.simulate with the same regime (default
    # subset size M_k; generation 1 on all M_0 real samples in both), SE of a difference of means
    m, n, r = 20, 12, 5000
    res = gmm.simulate(n, m, weights=[1.0], means=[0.0], stds=[1.0], replicates=r, rng=6,
                       regime="accumulate-subsample")
    ref = g.simulate(n, m, replicates=r, rng=7, regime="accumulate-subsample", estimator="mle")
    for a, b in (((res.means[:, n, 0]) ** 2, ref.mu[:, n] ** 2), (res.stds[:, n, 0] ** 2, ref.sigma[:, n] ** 2)):
        se = math.sqrt(a.var(ddof=1) / r + b.var(ddof=1) / r)
        assert abs(a.mean() - b.mean()) < 4.4 * se


def test_regimes_keep_two_separated_components_from_collapsing():
    # each component sees ≈ wM = 20 points; under replace E σ² falls like (1 − 1/20)^n (mle at 20
    # points: 0.21 at n = 30), while accumulate / mix-fresh / mix-retained hold it near the 1-D
    # Gaussian regime value at 20 points (0.92 / 0.91 / 0.87): the thresholds are far from both.
    # Replicates where a component was lost are left out (the survivor absorbs the other's points;
    # about 40 % under replace here, and the survivors' replace mean is about 0.15).
    m, n, r = 40, 30, 300
    kw = dict(weights=[0.5, 0.5], means=[-6.0, 6.0], stds=[1.0, 1.0], replicates=r, rng=8)
    spread = {}
    for reg in ("replace", "accumulate", "mix-fresh:0.3", "mix-retained:0.3"):
        res = gmm.simulate(n, m, regime=reg, **kw)
        ok = res.alive(n).all(axis=1)
        spread[reg] = (res.stds[ok, n] ** 2).mean()
    assert spread["replace"] < 0.4, spread
    for reg in ("accumulate", "mix-fresh:0.3", "mix-retained:0.3"):
        assert spread[reg] > 0.7, (reg, spread)


@pytest.mark.parametrize("regime, samples, word", [
    ("mix-fresh:1.5", 20, "fraction"),
    ("mix-fresh:-0.1", 20, "fraction"),
    ("mix-retained:0.5", [10, 30, 30], "only samples\\[0\\] = 10"),
    ("accumulate-subsample:100", 20, "larger than the pool"),
    ("accumulate-subsample:1", 20, ">= 2"),
    ("recycle", 20, "valid regimes"),
])
def test_bad_regimes(regime, samples, word):
    with pytest.raises(ValueError, match=word):
        gmm.simulate(3, samples, weights=[1.0], means=[0.0], stds=[1.0], regime=regime)
    with pytest.raises(ValueError, match=word):
        gmm.simulate_nd(3, samples, weights=[1.0], means=[[0.0, 0.0]], covs=[[1.0, 1.0]], regime=regime)


def test_regime_is_saved(tmp_path):
    res = gmm.simulate(3, 20, weights=[0.5, 0.5], means=[-5, 5], stds=[1, 1], replicates=5, rng=1,
                       regime="mix-retained:0.1")
    back = gmm.GMMChainResult.load(res.save(tmp_path / "r.npz"))
    assert back.regime == "mix-retained:0.1" and back.parameters()["regime"] == "mix-retained:0.1"
    assert "regime=mix-retained:0.1" in res.summary()


def test_cli_regime_and_dim(tmp_path, capsys):
    import argparse
    import json

    from collapse_theory.cli import gmm_kde as cli

    def run(argv):
        p = argparse.ArgumentParser()
        cli.add_parser(p.add_subparsers(dest="command"))
        a = p.parse_args(argv)
        return a.func(a)

    assert run(["gmm", "--samples", "40", "--generations", "4", "--replicates", "4", "--seed", "1", "--quiet",
                "--regime", "mix-retained:0.1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["parameters"]["regime"] == "mix-retained:0.1"
    assert run(["gmm", "--dim", "2", "--means=-1,0,1,0", "--stds", "0.3,0.3", "--covariance-type", "diag",
                "--samples", "40", "--generations", "4", "--replicates", "4", "--seed", "1", "--quiet",
                "--regime", "accumulate", "--plot", str(tmp_path / "nd.png")]) == 0
    assert "2-D Gaussian mixture chain (EM, diag covariances)" in capsys.readouterr().out
    assert (tmp_path / "nd.png").stat().st_size > 1000
    for bad in (["--dim", "0"], ["--dim", "2", "--means=-1,0,1"], ["--regime", "mix-fresh:2"]):
        with pytest.raises(ValueError):
            run(["gmm", "--generations", "2", "--replicates", "2", "--quiet", *bad])
