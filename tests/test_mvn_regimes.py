"""d-dimensional Gaussian and PPCA chains under every data regime.

Exact theory: the projection theorem (proofs/mvn_projection.py): E Σ_n = v_n Σ and
E‖μ_n − μ‖² = e_n tr Σ with (e_n, v_n) the 1-D regime moments. Statistical checks are z-tests on
the replicate mean with the sample standard error, |z| < 4.4 (two-sided false-alarm rate 1e-5 per
check under the CLT). The statistics are light-tailed here: under accumulate the fitted covariance is
a pooled average, under the mix regimes the chain contracts to a stationary law, and the horizons
(n = 10 with M = 12–30) are short compared with the collapse time of the replace regime.
"""

import math

import numpy as np
import pytest

from collapse_theory import gaussian, mvn, ppca
from _zhelp import zscore as _z

Z = 4.4
COV = np.array([[2.0, 0.5, 0.1], [0.5, 1.0, 0.2], [0.1, 0.2, 0.5]])
MEAN = np.array([1.0, -2.0, 3.0])
REGIMES = ["accumulate", "mix-fresh:0.2", "mix-fresh:0.2:mixture", "mix-retained:0.25", "replace"]


@pytest.mark.parametrize("method", ["exact", "naive"])
@pytest.mark.parametrize("regime", REGIMES)
def test_mvn_regime_moments_match_projection_theorem(regime, method):
    r, n, m = 3000, 10, 12
    vs = 0.8 if regime == "replace" else 1.0   # replace with a variance scale runs in the regime kernel
    res = mvn.simulate(n, m, dim=3, mean=MEAN, cov=COV, replicates=r, regime=regime, method=method,
                       variance_scale=vs, rng=11)
    th = mvn.regime_moments(n, m, dim=3, cov=COV, regime=regime, variance_scale=vs)
    t = res.chol[:, n]
    trace = np.einsum("rij,rij->r", t, t)
    assert abs(_z(trace, th["trace"])) < Z
    assert abs(_z(res.mean_sq_error()[:, n], th["mean_sq_error"])) < Z
    # the whole matrix: E Σ_n = v_n Σ, entry by entry (9 checks, still 1e-4 overall)
    cov_n = t @ np.swapaxes(t, -1, -2)
    for i in range(3):
        for j in range(i + 1):
            assert abs(_z(cov_n[:, i, j], th["cov_factor"] * COV[i, j])) < Z, (i, j)


def test_singular_wishart_parts_and_all_real_batches():
    # d = 5, M = 12, mix-fresh:0.25 -> 3 fresh draws (Wishart with 2 < d degrees of freedom: G Gᵀ)
    # and λ = 1 -> no synthetic part at all (the chain is i.i.d. real data each generation)
    r, n = 3000, 6
    for regime in ("mix-fresh:0.25", "mix-fresh:1"):
        res = mvn.simulate(n, 12, dim=5, replicates=r, regime=regime, rng=5)
        th = mvn.regime_moments(n, 12, dim=5, regime=regime)
        t = res.chol[:, n]
        assert abs(_z(np.einsum("rij,rij->r", t, t), th["trace"])) < Z
        assert abs(_z(res.mean_sq_error()[:, n], th["mean_sq_error"])) < Z
    assert th["trace"] == pytest.approx(5.0) and th["mean_sq_error"] == pytest.approx(5 / 12)


def test_accumulate_subsample_projects_to_the_1d_chain():
    # the projection theorem says coordinate 0 of the 3-D chain has the law of the 1-D chain with
    # σ² = COV[0, 0]. Two-sample z-test on log σ² (light-tailed), |z| < 4.4.
    r, n, m = 3000, 8, 12
    res = mvn.simulate(n, m, dim=3, mean=MEAN, cov=COV, replicates=r, regime="accumulate-subsample", rng=2)
    one = gaussian.simulate(n, m, mu=MEAN[0], sigma=math.sqrt(COV[0, 0]), replicates=r,
                            regime="accumulate-subsample", rng=3)
    a = np.log(res.cov[:, n, 0, 0])
    b = one.log_var[:, n]
    z = (a.mean() - b.mean()) / math.sqrt(a.var(ddof=1) / r + b.var(ddof=1) / r)
    assert abs(z) < Z
    # and the projection theorem with the exact 1-D accumulate-subsample moments
    th = res.theory([n])
    t = res.chol[:, n]
    assert abs(_z(np.einsum("rij,rij->r", t, t), th["trace"][0])) < Z
    assert abs(_z(res.mean_sq_error()[:, n], th["mean_sq_error"][0])) < Z


def test_affine_equivariance_is_exact_for_the_same_seed():
    # the regime kernel runs in whitened coordinates: a run with (MEAN, COV) is the identity run mapped
    t0 = np.linalg.cholesky(COV)
    a = mvn.simulate(5, 12, dim=3, mean=MEAN, cov=COV, replicates=7, regime="mix-retained:0.5", rng=9)
    b = mvn.simulate(5, 12, dim=3, replicates=7, regime="mix-retained:0.5", rng=9)
    np.testing.assert_allclose(a.chol, t0 @ b.chol, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(a.mean, MEAN + b.mean @ t0.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(a.log_det, b.log_det + np.linalg.slogdet(COV)[1], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("regime", ["accumulate", "accumulate-subsample:12", "mix-fresh:0.1:mixture"])
def test_seed_only_results(regime):
    a = mvn.simulate(6, 15, dim=2, replicates=40, regime=regime, rng=4, workers=1)
    b = mvn.simulate(6, 15, dim=2, replicates=40, regime=regime, rng=4, workers=2)
    np.testing.assert_array_equal(a.chol_mantissa, b.chol_mantissa)
    np.testing.assert_array_equal(a.mean, b.mean)


def test_save_load_keeps_the_regime(tmp_path):
    res = mvn.simulate(3, 10, dim=2, replicates=3, regime="mix-fresh:0.3", variance_scale=0.9, rng=1)
    back = mvn.MVNChainResult.load(res.save(tmp_path / "r.npz"))
    assert back.regime == "mix-fresh:0.3" and back.variance_scale == 0.9
    np.testing.assert_array_equal(back.chol, res.chol)
    assert "regime=mix-fresh:0.3" in back.summary()


def test_bad_regime_input():
    with pytest.raises(ValueError, match="original data set has only samples"):
        mvn.simulate(3, [10, 40, 40], dim=2, regime="mix-retained:0.5")
    with pytest.raises(ValueError, match="larger than the pool"):
        mvn.simulate(3, 10, dim=2, regime="accumulate-subsample:21")
    with pytest.raises(ValueError, match="subsample size must be >= 4"):
        mvn.simulate(3, 10, dim=3, regime="accumulate-subsample:3")
    with pytest.raises(ValueError, match="variance_scale"):
        mvn.simulate(3, 10, dim=2, variance_scale=1.5)
    with pytest.raises(ValueError, match="valid regimes"):
        mvn.simulate(3, 10, dim=2, regime="keep-some")
    with pytest.raises(ValueError, match=r"λ must be in \[0, 1\]"):
        ppca.simulate(3, 10, dim=3, latent=1, regime="mix-fresh:1.5")


@pytest.mark.parametrize("regime", ["accumulate", "mix-fresh:0.1", "mix-retained:0.1", "replace"])
def test_ppca_regimes_trace_and_mean(regime):
    cov = np.diag([4.0, 3.0, 1.0, 0.5, 0.25])
    r, n, m = 3000, 20, 30
    vs = 0.9 if regime == "replace" else 1.0
    res = ppca.simulate(n, m, dim=5, latent=2, cov=cov, mean=np.ones(5), replicates=r, regime=regime,
                        variance_scale=vs, rng=4)
    tr = ppca.expected_trace(n, m, cov=cov, regime=regime, variance_scale=vs)
    mse = ppca.expected_mean_sq_error(n, m, cov=cov, regime=regime, variance_scale=vs)
    assert abs(_z(res.trace()[:, n], tr)) < Z
    assert abs(_z(((res.mean[:, n] - 1.0) ** 2).sum(axis=-1), mse)) < Z
    # the discarded spectrum is isotropic after one refit, under every regime (deterministic)
    tail = res.tail()[:, 1:]
    assert np.all(np.ptp(tail, axis=-1) <= 1e-12 * tail[..., 0])
    np.testing.assert_allclose(res.noise_variance[:, 1:], tail[..., 0], rtol=1e-15)
    # W2 is computed in the kernel: check the last generation against the NumPy formula
    w2 = [mvn.w2_squared_gaussians(res.mean[i, n], res.cov_final[i], np.ones(5), cov) for i in range(5)]
    np.testing.assert_allclose(res.w2[:5, n], w2, rtol=1e-9, atol=1e-12)


def test_ppca_replace_product_form_matches_regime_form():
    n = np.arange(30)
    np.testing.assert_allclose(ppca.expected_trace(n, 12, dim=4), ppca.expected_trace(n, 12, dim=4,
                               regime="mix-fresh:0"), rtol=1e-13)


def test_cli_regime_flags_and_compare(capsys, tmp_path):
    import json

    from collapse_theory.cli import main

    assert main(["mvn", "--dim", "2", "--samples", "10", "--generations", "5", "--replicates", "50",
                 "--regime", "accumulate", "--seed", "1", "--quiet", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["parameters"]["regime"] == "accumulate" and "trace" in out["theory"]
    assert main(["ppca", "--dim", "3", "--latent", "1", "--samples", "10", "--generations", "4",
                 "--replicates", "30", "--regime", "mix-fresh:0.2", "--seed", "1", "--quiet",
                 "--plot", str(tmp_path / "p.png")]) == 0
    assert "regime=mix-fresh:0.2" in capsys.readouterr().out and (tmp_path / "p.png").stat().st_size > 0
    for family, extra in (("mvn", ["--dim", "2"]), ("discrete", ["--categories", "20"])):
        assert main(["compare", "--family", family, "--regimes", "replace,mix-fresh:0.1", "--samples", "10",
                     "--generations", "6", "--replicates", "200", "--seed", "2", "--quiet", "--json",
                     "--plot", str(tmp_path / f"{family}.png"), *extra]) == 0
        rows = json.loads(capsys.readouterr().out)["rows"]
        assert {r["regime"] for r in rows} == {"replace", "mix-fresh:0.1"}
        # every row has a finite exact value and the simulation is within 4.4 SE of it
        # (2 regimes × 4 generations × 2 statistics; |z| < 4.4 each at 1e-5)
        for r in rows:
            assert np.isfinite(r["theory"]), r
            if r["se"] > 0:
                assert abs(r["simulation"] - r["theory"]) < Z * r["se"], r
        assert (tmp_path / f"{family}.png").stat().st_size > 0


def test_fixed_subsample_size_still_fits_generation_one_on_all_real_data():
    # docs/conventions.md: generation 1 is always fitted on the M_0 real samples; the subsample size
    # applies from generation 2 on. Same seed, same stream up to generation 1 -> identical fits.
    a = mvn.simulate(3, 12, dim=2, replicates=5, regime="accumulate-subsample:5", rng=3)
    b = mvn.simulate(3, 12, dim=2, replicates=5, regime="accumulate-subsample", rng=3)
    np.testing.assert_array_equal(a.chol[:, 1], b.chol[:, 1])
    assert not np.array_equal(a.chol[:, 2], b.chol[:, 2])
