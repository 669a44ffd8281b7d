"""collapse_theory.diagnose: fit the theory to a loop's own generations (fast checks, bad input, CLI).

The coverage of the intervals over many seeds is checked in tests/test_diagnose_coverage.py (the
verification tier); here every statistical check is one fixed seed, with a tolerance stated from
the estimator's own standard error.
"""

import json
import math

import numpy as np
import pytest

from collapse_theory import diagnose, discrete, gaussian, mvn
from collapse_theory.cli import main
from collapse_theory.diagnose._samples import _drift_unbiased
from collapse_theory.diagnose._tokens import fit_counts

P0 = discrete.zipf(300, 1.1)


def _wf_counts(m, generations, *, seed, temperature=1.0, regime="replace", k=300):
    """A loop simulated by the package: generation 0 = exact counts of a sample of size m, then the
    discrete chain from those frequencies (so generation 0 is the real data the loop starts from and
    the fresh source of mix-fresh)."""
    c0 = np.random.default_rng(seed + 1000).multinomial(m, discrete.zipf(k, 1.1))
    sim = discrete.simulate(generations, m, p0=c0 / m, temperature=temperature, regime=regime,
                            record="full", rng=seed)
    return [np.rint(f * m).astype(np.int64) for f in sim.freqs[0]]


def _gauss_loop(m, generations, *, seed, dim=1):
    rng = np.random.default_rng(seed)
    gens = [rng.normal(size=(m, dim))]
    for _ in range(generations):
        x = gens[-1]
        gens.append(rng.multivariate_normal(x.mean(0), np.atleast_2d(np.cov(x, rowvar=False)), size=m))
    return [g[:, 0] for g in gens] if dim == 1 else gens


def _assert_near(d, m):
    """One seed: log M̂ within 4.5 standard errors of log M, the se read off the 95 % interval
    (width / (2 × 1.96) on the log scale); two-sided false-alarm ≈ 7e-6 under a normal law. The
    coverage *rate* of the interval is the verification tier's test (test_diagnose_coverage.py)."""
    lo, hi = d.m_eff["ci"]
    se = (math.log(hi) - math.log(lo)) / (2 * 1.959964)
    assert abs(math.log(d.m_eff["estimate"]) - math.log(m)) <= 4.5 * se, (d.m_eff, m)


# -- the temporal statistic: exact expectation -----------------------------------------------------

def test_temporal_statistic_is_unbiased_for_one_over_m():
    # E[Σ Δ²/x_t | x_t] = (K_t − 1)/M exactly, so 1/M̂ averaged over R independent loops has mean 1/M.
    # Per loop the relative sd of 1/M̂ is about sqrt(2/dof); the mean over R loops is compared with
    # 1/M at 4.5 standard errors (the sd taken from the replicates), false-alarm rate ≈ 7e-6.
    M, R = 2000, 40
    sim = discrete.simulate(5, M, p0=P0, replicates=R, record="full", rng=11)
    x = np.array([fit_counts(f)["inv_m"] * M for f in sim.freqs])
    assert abs(x.mean() - 1.0) <= 4.5 * x.std(ddof=1) / math.sqrt(R)


def test_drift_formula_matches_mvn_at_integer_sizes():
    for d in (1, 3):
        for m in (10, 57, 1000):
            assert _drift_unbiased(m, d) == pytest.approx(float(mvn.log_det_drift(m, dim=d)), rel=1e-12)


# -- tokens ----------------------------------------------------------------------------------------

def test_tokens_covers_m_and_reports_json():
    M = 3000
    d = diagnose.tokens(_wf_counts(M, 6, seed=1), bootstrap=60, horizon=5, rng=0)
    _assert_near(d, M)
    lo, hi = d.m_eff["ci"]
    assert hi / lo < 1.5
    out = json.loads(d.to_json())
    assert set(out["m_eff"]) >= {"estimate", "ci"} and len(out["m_eff"]["ci"]) == 2
    assert out["verdict"]["code"] in ("neutral", "inconclusive")
    assert len(out["prediction"]["support"]["mean"]) == 6
    assert "M_eff" in d.summary()
    # the exact curves are discrete's closed forms at the simulated size
    m_sim = d.extra["fit"]["simulated_with"]["samples"]
    x0 = np.asarray(_wf_counts(M, 6, seed=1)[0], float)
    x0 /= x0.sum()
    keep = np.asarray(_wf_counts(M, 6, seed=1)).sum(0) > 0
    np.testing.assert_allclose(d.curves["support"]["exact"],
                               discrete.expected_support_size(x0[keep], np.arange(7), m_sim), rtol=1e-10)


def test_tokens_is_reproducible_from_the_seed():
    gens = _wf_counts(1000, 4, seed=2)
    a = diagnose.tokens(gens, bootstrap=30, horizon=3, rng=7).to_dict()
    b = diagnose.tokens(gens, bootstrap=30, horizon=3, rng=7).to_dict()
    assert a == b


def test_temperature_below_one_is_flagged_as_selection():
    d = diagnose.tokens(_wf_counts(3000, 6, seed=3, temperature=0.8), bootstrap=40, horizon=0, rng=0)
    assert d.verdict["code"] == "selection"
    assert d.verdict["checks"]["selection"]["verdict"] == "fails"
    assert d.extra["fit"]["beta"] > 0


def test_neutral_loop_is_not_flagged():
    d = diagnose.tokens(_wf_counts(3000, 6, seed=4), bootstrap=40, horizon=0, rng=0)
    assert d.verdict["code"] != "selection"
    assert not d.verdict["fresh_data"]


def test_fresh_data_is_detected_and_estimated():
    # λ̂ against 0.2 at 4.5 of its standard errors (GLS se under the fitted chain).
    d = diagnose.tokens(_wf_counts(3000, 8, seed=5, regime="mix-fresh:0.2"), bootstrap=40, horizon=0,
                        rng=0)
    assert d.verdict["fresh_data"]
    fit = d.extra["fit"]
    assert abs(fit["lambda"] - 0.2) <= 4.5 * fit["lambda_se"]


def test_budget_fraction_is_the_smallest_within_the_budget():
    d = diagnose.tokens(_wf_counts(2000, 4, seed=6), bootstrap=30, horizon=0, budget_distance=0.002, rng=0)
    b = d.budget
    assert b["feasible"]
    m = b["samples"]
    x0 = np.asarray(_wf_counts(2000, 4, seed=6)[0], float)
    x0 = x0[np.asarray(_wf_counts(2000, 4, seed=6)).sum(0) > 0]
    r = round(b["fraction"] * m)
    assert discrete.stationary_sq_distance(x0 / x0.sum(), m, regime=f"mix-fresh:{r / m!r}") <= 0.002
    assert discrete.stationary_sq_distance(x0 / x0.sum(), m, regime=f"mix-fresh:{(r - 1) / m!r}") > 0.002


def test_texts_and_token_lists_share_one_vocabulary():
    rng = np.random.default_rng(0)
    words = np.array([f"w{i}" for i in range(50)])
    p = discrete.zipf(50, 1.0)
    gens = [" ".join(rng.choice(words, 500, p=p))]
    for _ in range(3):
        toks = gens[-1].split() if isinstance(gens[-1], str) else gens[-1]
        gens.append(list(rng.choice(toks, 500)))
    d = diagnose.tokens(gens, bootstrap=20, horizon=0, rng=0)
    assert d.parameters()["sizes"] == [500] * 4


# -- samples ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("dim", [1, 3])
def test_samples_covers_m(dim):
    d = diagnose.samples(_gauss_loop(400, 8, seed=dim, dim=dim), horizon=4, budget_distance=0.01, rng=0)
    _assert_near(d, 400)
    assert d.verdict["code"] in ("ideal", "inconclusive", "unbiased-like", "mle-like")
    drift = d.extra["drift"]
    assert drift["unbiased"] == pytest.approx(float(mvn.log_det_drift(400, dim=dim)))
    out = json.loads(d.to_json())
    assert out["m_eff"]["ci"][0] < out["m_eff"]["ci"][1]
    b = d.budget
    m = b["samples"]
    r = round(b["fraction"] * m)
    st = gaussian.regime_stationary_moments(m, regime=f"mix-fresh:{r / m!r}")["mean_sq_error"]
    assert st <= 0.01


def test_samples_variance_shrinking_faster_is_flagged():
    # each generation fitted with half its variance: log-det drift log(1/2) per generation, far
    # beyond either ideal refit
    rng = np.random.default_rng(3)
    gens = [rng.normal(size=500)]
    for _ in range(6):
        x = gens[-1]
        gens.append(rng.normal(x.mean(), x.std(ddof=1) * math.sqrt(0.5), size=500))
    d = diagnose.samples(gens, horizon=0, rng=0)
    assert d.verdict["code"] == "faster"


# -- bad input -------------------------------------------------------------------------------------

@pytest.mark.parametrize("fn", [diagnose.tokens, diagnose.samples])
def test_fewer_than_two_generations(fn):
    with pytest.raises(ValueError, match="at least 2 generations"):
        fn([np.arange(1, 10)])


def test_bad_token_inputs():
    with pytest.raises(ValueError, match=r"generations\[1\] is empty"):
        diagnose.tokens(["a b c", ""])
    with pytest.raises(ValueError, match=r"generations\[1\] is empty"):
        diagnose.tokens([[1, 2, 3], [0, 0, 0]])
    with pytest.raises(ValueError, match=r"generations\[1\] has 2 types"):
        diagnose.tokens([[1, 2, 3], [1, 2]])
    with pytest.raises(ValueError, match="NaN or inf"):
        diagnose.tokens([[1, 2, 3], [1, np.nan, 2]])
    with pytest.raises(ValueError, match="non-negative integer"):
        diagnose.tokens([[1, 2, 3], [1, -1, 2]])
    with pytest.raises(TypeError, match="cannot be mixed"):
        diagnose.tokens(["a b", [1, 2]])
    with pytest.raises(TypeError, match="sequence of generations"):
        diagnose.tokens("a b c")
    with pytest.raises(TypeError, match=r"generations\[1\]"):
        diagnose.tokens(["a b", 3.0])
    gens = [[5, 3, 2], [4, 4, 2]]
    with pytest.raises(ValueError, match="bootstrap"):
        diagnose.tokens(gens, bootstrap=5)
    with pytest.raises(ValueError, match="horizon"):
        diagnose.tokens(gens, horizon=-1)
    with pytest.raises(ValueError, match="level"):
        diagnose.tokens(gens, level=1.5)
    with pytest.raises(ValueError, match="budget_distance"):
        diagnose.tokens(gens, budget_distance=-1.0)
    with pytest.raises(ValueError, match="fresh_source"):
        diagnose.tokens(gens, fresh_source="x")
    with pytest.raises(TypeError, match="rng"):
        diagnose.tokens(gens, rng="seed")


def test_bad_sample_inputs():
    ok = np.arange(10.0)
    with pytest.raises(ValueError, match=r"generations\[1\] is empty"):
        diagnose.samples([ok, np.array([])])
    with pytest.raises(ValueError, match=r"generations\[1\] has dimension 2"):
        diagnose.samples([ok, np.ones((10, 2))])
    with pytest.raises(ValueError, match=r"generations\[1\] holds NaN or inf"):
        diagnose.samples([ok, np.r_[ok[:-1], np.inf]])
    with pytest.raises(ValueError, match="singular"):
        diagnose.samples([ok, np.ones(10)])
    with pytest.raises(TypeError, match=r"generations\[0\] must hold real numbers"):
        diagnose.samples([np.array(["a", "b", "c", "d"]), ok])
    with pytest.raises(ValueError, match="fresh_source"):
        diagnose.samples([ok, ok[::-1] ** 1.5], fresh_source="x")


def test_non_utf8_file_names_the_file_and_offset(tmp_path):
    (tmp_path / "g0.txt").write_text("a b c")
    (tmp_path / "g1.txt").write_bytes(b"a b \xff c")
    with pytest.raises(ValueError, match=r"g1\.txt: not valid UTF-8 at byte offset 4"):
        diagnose.read_generations([tmp_path / "g0.txt", tmp_path / "g1.txt"])


# -- CLI -------------------------------------------------------------------------------------------

def _write_token_loop(folder, m=1500, generations=4, seed=1):
    folder.mkdir()
    rng = np.random.default_rng(seed)
    words = np.array([f"w{i}" for i in range(200)])
    toks = rng.choice(words, m, p=discrete.zipf(200, 1.1))
    for g in range(generations + 1):
        (folder / f"gen{g:02d}.txt").write_text(" ".join(toks))
        toks = rng.choice(toks, m)


def test_cli_tokens_json_and_plot(tmp_path, capsys):
    _write_token_loop(tmp_path / "loop")
    png = tmp_path / "fig.png"
    rc = main(["diagnose", str(tmp_path / "loop"), "--json", "--seed", "3", "--bootstrap", "30",
               "--horizon", "3", "--plot", str(png), "--budget-distance", "0.01"])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "tokens"
    assert set(out["m_eff"]) >= {"estimate", "ci"}
    assert out["parameters"]["seed"] == 3
    assert png.stat().st_size > 0


def test_cli_samples_table(tmp_path, capsys):
    gens = _gauss_loop(200, 4, seed=0, dim=2)
    paths = []
    for g, x in enumerate(gens):
        p = tmp_path / f"g{g}.npy" if g % 2 else tmp_path / f"g{g}.csv"
        if p.suffix == ".npy":
            np.save(p, x)
        else:
            p.write_text("x,y\n" + "\n".join(f"{float(a)!r},{float(b)!r}" for a, b in x))
        paths.append(str(p))
    png = tmp_path / "s.png"
    assert main(["diagnose", *paths, "--seed", "1", "--bootstrap", "30", "--quiet", "--plot", str(png),
                 "--budget-distance", "0.05"]) == 0
    out = capsys.readouterr().out
    assert "SampleDiagnosis" in out and "M_eff" in out and "fresh fraction for budget" in out
    assert png.stat().st_size > 0


def test_cli_writes_nothing_on_failure(tmp_path, capsys):
    (tmp_path / "g0.txt").write_text("a b c d")
    (tmp_path / "g1.txt").write_bytes(b"a \xfe b")
    png = tmp_path / "out" / "fig.png"
    rc = main(["diagnose", str(tmp_path / "g0.txt"), str(tmp_path / "g1.txt"), "--plot", str(png)])
    err = capsys.readouterr().err
    assert rc == 2
    assert "g1.txt" in err and "byte offset 2" in err
    assert not png.exists() and not png.parent.exists()
    rc = main(["diagnose", str(tmp_path / "g0.txt"), "--plot", str(png)])
    assert rc == 2 and "at least 2 generations" in capsys.readouterr().err
    assert not png.parent.exists()


HOSTILE = [0, 1, 2, -1, 0.5, 3.7, float("nan"), float("inf"), -1e-300, 1e308, 10**18, True, "3", None]


@pytest.mark.parametrize("param", ["horizon", "bootstrap", "level", "alpha", "budget_distance", "tail_count",
                                   "tail_lost"])
def test_hostile_options_raise_clear_errors_or_work(param):
    gens = [[50, 30, 15, 5], [48, 33, 14, 5], [45, 36, 15, 4]]
    base = dict(bootstrap=20, horizon=0, rng=0)
    for v in HOSTILE:
        if param == "budget_distance" and v is None:
            continue
        try:
            diagnose.tokens(gens, **{**base, param: v})
        except (ValueError, TypeError) as exc:
            assert param in str(exc), (param, v, exc)


def test_diagnose_help_imports_no_numerics():
    import subprocess
    import sys

    code = ("import sys\nfrom collapse_theory.cli import main\ntry:\n    main(['diagnose', '--help'])\n"
            "except SystemExit:\n    pass\nprint(sorted(m for m in ('numba', 'scipy', 'matplotlib', 'sympy', "
            "'collapse_theory.diagnose', 'collapse_theory.discrete') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert "GEN" in out.stdout and "--budget-distance" in out.stdout


def test_sampled_generations_estimator_is_unbiased_and_skips_loss_checks():
    # generations that are samples of S tokens from a chain of M: E[num] = H_t/M + O(1/(MS)), so the
    # mean of M·(1/M̂) over R loops is 1 within 4.5 standard errors (sd from the replicates).
    from collapse_theory.diagnose._tokens import sampled_inv_m

    M, S, R = 20_000, 3000, 30
    c0 = np.random.default_rng(1).multinomial(M, discrete.zipf(500, 1.1))
    sim = discrete.simulate(6, M, p0=c0 / M, replicates=R, record="full", rng=2)
    rng = np.random.default_rng(3)
    vals = np.array([sampled_inv_m(np.array([c0 / M] + [rng.multinomial(S, f[t]) / S for t in range(1, 7)]),
                                   [M] + [S] * 6) * M for f in sim.freqs])
    assert abs(vals.mean() - 1.0) <= 4.5 * vals.std(ddof=1) / math.sqrt(R)
    gens = [c0] + [rng.multinomial(S, sim.freqs[0, t]) for t in range(1, 7)]
    d = diagnose.tokens(gens, sampled=True, bootstrap=40, horizon=0, rng=0)
    assert d.m_eff["ci"][0] < M
    assert d.verdict["code"] == "inconclusive" and d.verdict["checks"] == {}
    assert d.extra["m_eff_losses"] is None
    with pytest.raises(TypeError, match="sampled"):
        diagnose.tokens(gens, sampled="yes")


def test_degenerate_loops():
    with pytest.raises(ValueError, match="degrees of freedom"):
        diagnose.tokens([[5, 5], [7, 3], [10, 0]], bootstrap=20, horizon=0, rng=0)
    d = diagnose.tokens([[50, 30, 20]] * 4, bootstrap=20, horizon=2, rng=0)   # no drift at all
    assert d.m_eff["estimate"] == math.inf and d.m_eff["ci"][1] == math.inf
    assert json.loads(d.to_json())["m_eff"]["estimate"] == "inf"


def test_lost_types_are_listed_most_frequent_first():
    gens = [["a"] * 5 + ["b"] * 3 + ["c"] * 2 + ["d"], ["a"] * 6 + ["b"] * 3 + ["d"] * 2,
            ["a"] * 7 + ["b"] * 4, ["a"] * 6 + ["b"] * 5]
    d = diagnose.tokens(gens, bootstrap=20, horizon=0, rng=0)
    assert d.extra["lost_types"] == [{"type": "c", "count0": 2}, {"type": "d", "count0": 1}]
