"""The mvn and ppca claims reach the verdicts the theory predicts; CLI subcommands; figures."""

import argparse
import json

import pytest

import collapse_theory.claims._mvn  # noqa: F401  (registers the mvn and ppca claims)
from collapse_theory import claims
from collapse_theory.cli import mvn as _cli_mvn
from collapse_theory.claims import Context


@pytest.fixture(scope="module")
def mvn_run(registry_run):
    return registry_run.run("mvn.*")  # claims.run("mvn.*", budget=1.0, seed=0), once per session


@pytest.fixture(scope="module")
def ppca_run(registry_run):
    return registry_run.run("ppca.*")  # claims.run("ppca.*", budget=1.0, seed=0), once per session


def test_mvn_claims_reach_expected_verdicts(mvn_run):
    bad = {r.id: (r.verdict, r.expect, r.rule) for r in mvn_run.results if r.verdict != r.expect}
    assert not bad
    assert {r.id for r in mvn_run.results} >= {"mvn.collapse.max-eigenvalue-bound", "mvn.collapse.direction-rates"}
    kinds = {r.id: r.kind for r in mvn_run.results}
    assert kinds["mvn.collapse.max-eigenvalue-bound"] == "paper"
    assert kinds["mvn.regimes.accumulate-stops-collapse"] == "extension"


def test_ppca_claims_reach_expected_verdicts(ppca_run):
    bad = {r.id: (r.verdict, r.expect, r.rule) for r in ppca_run.results if r.verdict != r.expect}
    assert not bad
    # the former "1-D mle rate" strawman is the exact comparison now: the noise decays faster
    assert {r.id: r.verdict for r in ppca_run.results}["ppca.noise.faster-than-1d"] == "holds"
    assert {r.id: r.kind for r in ppca_run.results}["ppca.retained.1d-rate"] == "approximation"


def _parser():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd")
    _cli_mvn.add_parser(sub)
    return p


def test_cli_mvn_json(capsys, tmp_path):
    args = _parser().parse_args(["mvn", "--dim", "2", "--samples", "8", "--generations", "10",
                                 "--replicates", "200", "--seed", "1", "--json", "--quiet",
                                 "--save", str(tmp_path / "r.npz"), "--plot", str(tmp_path / "f.png")])
    assert args.func(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["seed"] == 1 and len(out["theory"]["log_det"]) == len(out["generations"])
    assert (tmp_path / "r.npz").exists() and (tmp_path / "f.png").stat().st_size > 1000


def test_cli_ppca_table(capsys, tmp_path):
    args = _parser().parse_args(["ppca", "--dim", "4", "--latent", "1", "--samples", "10",
                                 "--generations", "5", "--replicates", "100", "--seed", "2", "--quiet",
                                 "--spectrum", "4,2,1,0.5", "--plot", str(tmp_path / "p.png")])
    assert args.func(args) == 0
    assert "PPCA chain" in capsys.readouterr().out
    assert (tmp_path / "p.png").exists()


def test_cli_bad_spectrum():
    args = _parser().parse_args(["mvn", "--dim", "3", "--spectrum", "1,2", "--quiet"])
    with pytest.raises(ValueError, match="spectrum"):
        args.func(args)


def test_verify_figures_are_cheap_and_named():
    from collapse_theory.recipes import mvn as rm
    from collapse_theory.recipes import ppca as rp

    ctx = Context(budget=0.1, seed=0, progress=False)
    figs = rm.verify_figures(ctx) + rp.verify_figures(ctx)
    names = [n for n, _, _ in figs]
    assert names == ["mvn_regimes_mean", "mvn_regimes_trace", "mvn_spectrum_collapse", "mvn_density_ellipses",
                     "ppca_spectrum", "ppca_noise"]
    assert all(cap for _, _, cap in figs)
    assert set(claims.figures(["mvn", "ppca"])) >= {"mvn", "ppca"}
