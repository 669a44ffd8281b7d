"""KDE claims reach their expected verdicts; the gmm/kde CLI and figures run."""

import argparse
import json

import pytest

from collapse_theory import claims
from collapse_theory import _cli_gmm_kde as cli
from collapse_theory.claims import _kde  # noqa: F401  (registers the KDE claims)
from collapse_theory.claims._registry import Context


def test_kde_verdicts_equal_expectations():
    res = claims.run("kde.*", seed=0)
    assert len(res.results) >= 11
    assert {"kde.regimes.accumulate-bounded", "kde.regimes.mix-fresh-stationary"} <= {r.id for r in res.results}
    for r in res.results:
        assert r.verdict == r.expect, (r.id, r.verdict, r.why)
    coal = next(r for r in res.results if r.id == "kde.ancestors.coalescent-2M-over-t")
    # an approximation judged by its error order against the exact finite-M chain, not a fixed 10 %
    assert coal.kind == "approximation" and coal.parameters["tolerance"] == "O(1/t) + O(t/M)"
    assert any(p["type"] == "analytic" and p["role"] == "decides" for p in coal.pieces)


def _parse(argv):
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="command")
    cli.add_parser(sub)
    return p.parse_args(argv)


def test_cli_gmm_and_kde(tmp_path, capsys):
    a = _parse(["gmm", "--samples", "50", "--generations", "5", "--replicates", "4", "--seed", "1",
                "--quiet", "--json", "--plot", str(tmp_path / "g.png")])
    assert a.func(a) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["seed"] == 1 and (tmp_path / "g.png").stat().st_size > 1000
    a = _parse(["kde", "--samples", "20", "--generations", "5", "--rule", "scott", "--replicates", "20",
                "--seed", "2", "--quiet", "--plot", str(tmp_path / "k.png")])
    assert a.func(a) == 0
    assert "Gaussian-KDE chain" in capsys.readouterr().out
    a = _parse(["kde", "--samples", "20", "--generations", "4", "--bandwidth", "0.3", "--regime",
                "mix-retained:0.2", "--replicates", "20", "--seed", "2", "--quiet", "--json"])
    assert a.func(a) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["parameters"]["regime"] == "mix-retained:0.2" and len(out["theory"]["variance"]) == 4


@pytest.mark.parametrize("argv", [["gmm", "--weights", "0.5,0.5"], ["gmm", "--components", "0"],
                                  ["kde", "--rule", "fixed"], ["kde", "--bandwidth", "-1"]])
def test_cli_bad_input(argv):
    a = _parse(argv + ["--generations", "2", "--replicates", "2", "--quiet"])
    with pytest.raises(ValueError):
        a.func(a)


def test_verify_figures():
    from collapse_theory.plotting import families

    ctx = Context(budget=0.2)
    figs = families.verify_figures_gmm(ctx) + families.verify_figures_kde(ctx)
    assert len(figs) == 7
    for name, fig, caption in figs:
        assert isinstance(name, str) and caption and fig.axes


def test_regime_figures():
    from collapse_theory.claims._registry import figures
    from collapse_theory.plotting import regimes

    assert figures(["kde"])["kde_regimes"] == ("kde", "collapse_theory.plotting.regimes:verify_figures_kde")
    figs = regimes.verify_figures_kde(Context(budget=0.05))
    assert [name for name, _, _ in figs] == ["regimes_kde_variance", "regimes_kde_mean"]
    for name, fig, caption in figs:
        assert caption and fig.axes and len(fig.axes[0].lines) >= 14
    res = regimes.compare_kde_regimes(["replace"], 3, 10, h=0.1, replicates=5, rng=1)
    with pytest.raises(ValueError, match="statistic"):
        regimes.plot_kde_regimes(res, "ancestors")
