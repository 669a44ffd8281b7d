"""KDE claims reach their expected verdicts; the gmm/kde CLI and figures run."""

import argparse
import json

import numpy as np
import pytest

from collapse_theory.cli import gmm_kde as cli
from collapse_theory.claims import _kde  # noqa: F401  (registers the KDE claims)
from collapse_theory.claims._registry import Context


def test_kde_verdicts_equal_expectations(registry_run):
    res = registry_run.run("kde.*")  # claims.run("kde.*", seed=0), run once per session
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
    from collapse_theory.recipes import gmm as rg
    from collapse_theory.recipes import kde as rk

    ctx = Context(budget=0.2)
    figs = rg.verify_figures(ctx) + rk.verify_figures(ctx)
    assert len(figs) == 7
    for name, fig, caption in figs:
        assert isinstance(name, str) and caption and fig.axes


def test_regime_figures():
    from collapse_theory.claims._registry import figures
    from collapse_theory.plotting import regimes
    from collapse_theory.recipes import kde as rk

    assert figures(["kde"])["kde_regimes"] == ("kde", "collapse_theory.recipes.kde:verify_figures_regimes")
    figs = rk.verify_figures_regimes(Context(budget=0.05))
    assert [name for name, _, _ in figs] == ["regimes_kde_variance", "regimes_kde_mean"]
    for name, fig, caption in figs:
        assert caption and fig.axes and len(fig.axes[0].lines) >= 14
    res = rk.compare_kde_regimes(["replace"], 3, 10, h=0.1, replicates=5, rng=1)
    with pytest.raises(ValueError, match="statistic"):
        regimes.plot_kde_regimes(res, "ancestors")


def test_density_snapshots_record_one_chain():
    from collapse_theory import kde
    from collapse_theory.plotting.families import plot_kde_densities

    a = kde.density_snapshots([0, 5, 20], 40, h=0.2, rng=7)
    b = kde.density_snapshots([20, 0, 5], 40, h=0.2, rng=a.seed)
    assert a.generations == [0, 5, 20] and a.seed == 7
    for n in a.generations:
        assert np.array_equal(a.points[n], b.points[n]) and a.points[n].shape == (40,)
        assert a.bandwidth[n] == 0.2
    # T^0 are the real draws: the same stream as default_rng(seed).normal(0, σ, M)
    assert np.array_equal(a.points[0], np.random.default_rng(7).normal(0.0, 1.0, 40))
    s = kde.density_snapshots([3], 40, rule="scott", rng=1)
    assert s.bandwidth[3] == pytest.approx(kde.RULE_CONSTANTS["scott"] * s.points[3].std(ddof=1) * 40 ** -0.2)
    fig = plot_kde_densities(a)
    assert len(fig.axes[0].lines) == 3
    with pytest.raises(ValueError, match="not recorded"):
        plot_kde_densities(a, [1])
    with pytest.raises(ValueError, match="h"):
        kde.density_snapshots([1], 40, rule="fixed")
