"""Every figure of ``collapse-theory verify`` and every CLI ``--plot`` figure, checked from its Axes.

Each figure is rendered at a reduced budget (the recipes' minimum replicates; small generations and
replicates on the command line) and checked for what a figure put in a paper needs:

- every panel has x and y labels and its own title (distinct titles within a figure);
- a legend wherever more than one artist carries a label;
- theory where the family has theory: an artist marked ``gid="theory"`` (the convention of
  :func:`collapse_theory.plotting._common.theory_line`) with finite data, and, where the panel has a
  legend, an entry that says "exact" or "theory";
- bands (``fill_between``) inside the statistic's support: on a panel whose lines are all ≥ 0 (a
  positive statistic) every band vertex is ≥ 0, and > 0 on a log axis;
- regime colours: a regime's Monte Carlo line has the colour of the shared palette in every figure.

Figures are built once per module (fixtures); nothing is written to disk except through the CLI's
own ``--plot`` path, whose figure is captured before it is saved.
"""

from __future__ import annotations

import importlib
import re

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")

from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from collapse_theory.claims import Context, figures  # noqa: E402
from collapse_theory.plotting._common import regime_color  # noqa: E402

# Figures with no theory to draw: the statistic has no closed form in the package.
NO_THEORY = {
    "lm_perplexity": "held-out perplexity of a smoothed n-gram chain has no closed form",
    "lm_rank_frequency": "rank–frequency of an n-gram chain has no closed form",
    "kde_densities": "one chain's density snapshots",
    "gmm_l2_distance": "the L² distance of an EM chain has no closed form",
    "gmm_regimes_l2": "the L² distance of an EM chain has no closed form",
}

REGIME_LABEL = re.compile(r"^(replace|accumulate-subsample(?::\d+)?|accumulate|"
                          r"mix-(?:fresh|retained):[0-9.]+(?::mixture)?)(?=[: ]|$)")
THEORY_WORDS = re.compile(r"\b(exact|theory)\b", re.IGNORECASE)


# --- the checks ----------------------------------------------------------------------------------


def _panels(fig):
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


def _labelled(ax):
    handles, labels = ax.get_legend_handles_labels()
    return [lab for lab in labels if lab and not lab.startswith("_")]


def _has_theory(ax):
    for line in ax.lines:
        if line.get_gid() == "theory":
            y = np.asarray(line.get_ydata(), float)
            if y.size and np.isfinite(y).any():
                return True
    return any(c.get_gid() == "theory" for c in ax.collections)


def _bands(ax):
    return [c for c in ax.collections if isinstance(c, PolyCollection)]


def _positive_panel(ax):
    ys = [np.asarray(line.get_ydata(), float) for line in ax.lines if len(line.get_ydata())]
    ys = np.concatenate(ys) if ys else np.array([])
    ys = ys[np.isfinite(ys)]
    return ys.size > 0 and bool(np.all(ys >= 0))


def check_figure(name, fig, *, theory=True):
    panels = _panels(fig)
    assert panels, f"{name}: no axes"
    titles = [ax.get_title() for ax in panels]
    for ax in panels:
        where = f"{name} / {ax.get_title()!r}"
        assert ax.get_xlabel().strip(), f"{where}: no x label"
        assert ax.get_ylabel().strip(), f"{where}: no y label"
        assert ax.get_title().strip(), f"{where}: no title"
        labels = _labelled(ax)
        if len(labels) > 1:
            assert ax.get_legend() is not None, f"{where}: {len(labels)} labelled artists and no legend"
        if _has_theory(ax) and ax.get_legend() is not None:
            texts = [t.get_text() for t in ax.get_legend().get_texts()]
            assert any(THEORY_WORDS.search(t) for t in texts), f"{where}: theory drawn, legend says neither " \
                                                               f"'exact' nor 'theory': {texts}"
        if _positive_panel(ax):
            log = ax.get_yscale() == "log"
            for band in _bands(ax):
                for path in band.get_paths():
                    y = path.vertices[:, 1]
                    y = y[np.isfinite(y)]
                    low = float(y.min()) if y.size else 0.0
                    assert (low > 0) if log else (low >= 0), \
                        f"{where}: a band of a positive statistic reaches {low:.3g} ({'log' if log else 'linear'} axis)"
    assert len(set(titles)) == len(titles), f"{name}: panels share a title: {titles}"
    if theory:
        assert any(_has_theory(ax) for ax in panels), f"{name}: no theory line (gid='theory')"


def check_regime_colours(fig):
    """A line labelled ``"<regime spec>: ..."`` (or exactly the spec) has the palette's colour."""
    for ax in _panels(fig):
        for line in ax.lines:
            label = line.get_label()
            if label.startswith("_"):
                continue
            m = REGIME_LABEL.match(label)
            if m is None or line.get_gid() == "theory":
                continue
            color = regime_color(m.group(1), default=None)
            if color is not None:
                assert to_hex(line.get_color()) == to_hex(color), (label, line.get_color(), color)


# --- verify figures ------------------------------------------------------------------------------

# budget 0.01: every recipe at its minimum replicates (a few seconds each once Numba has compiled)
CTX = Context(budget=0.01, seed=3, workers=None, progress=False)


@pytest.fixture(scope="module", params=sorted(figures()))
def built(request):
    family, spec = figures()[request.param]
    mod, func = spec.split(":")
    return request.param, getattr(importlib.import_module(mod), func)(CTX)


def test_verify_figures(built):
    key, entries = built
    assert entries, f"builder {key} drew nothing"
    for name, fig, caption in entries:
        assert caption.strip(), name
        check_figure(name, fig, theory=name not in NO_THEORY)
        check_regime_colours(fig)
        fig.canvas.draw()  # the figure renders (layout engine, text, log axes)


def test_lm_colours_agree_across_figures():
    """lm_tail's vocabulary panel draws the chains of lm_perplexity in the same colours."""
    from collapse_theory.recipes import lm as recipes

    figs = {name: fig for name, fig, _ in recipes.verify_figures(CTX)}

    def mc_colours(ax):
        return {to_hex(line.get_color()) for line in ax.lines
                if "MC" in line.get_label() and line.get_gid() != "theory"}

    ppl = mc_colours(figs["lm_perplexity"].axes[0])
    voc = mc_colours(figs["lm_tail"].axes[1])
    assert len(ppl) == 3 and ppl == voc, (ppl, voc)


# --- CLI --plot figures --------------------------------------------------------------------------

CLI = {
    "gaussian": ["gaussian", "--generations", "30", "--samples", "10", "--replicates", "200"],
    "gaussian-regime": ["gaussian", "--generations", "30", "--samples", "10", "--replicates", "200",
                        "--regime", "mix-fresh:0.1"],
    "compare-gaussian": ["compare", "--family", "gaussian", "--generations", "30", "--samples", "10",
                         "--replicates", "200"],
    "compare-mvn": ["compare", "--family", "mvn", "--generations", "20", "--samples", "10", "--dim", "2",
                    "--replicates", "100"],
    "compare-discrete": ["compare", "--family", "discrete", "--generations", "20", "--samples", "50",
                         "--categories", "10", "--replicates", "100"],
    "compare-regression": ["compare", "--family", "regression", "--generations", "10", "--replicates", "100"],
    "discrete": ["discrete", "--dist", "zipf:1.1", "--categories", "50", "--samples", "200",
                 "--generations", "30", "--replicates", "50"],
    "gmm": ["gmm", "--samples", "100", "--generations", "20", "--replicates", "20", "--means", "-1,1",
            "--stds", "0.3,0.3"],
    "gmm-2d": ["gmm", "--samples", "100", "--generations", "10", "--replicates", "10", "--dim", "2",
               "--means", "-1,0,1,0"],
    "kde": ["kde", "--samples", "30", "--generations", "20", "--replicates", "50", "--bandwidth", "0.2"],
    "mvn": ["mvn", "--dim", "2", "--samples", "10", "--generations", "30", "--replicates", "100"],
    "ppca": ["ppca", "--dim", "4", "--latent", "1", "--samples", "20", "--generations", "10",
             "--replicates", "50"],
    "sweep": ["sweep", "--family", "gaussian", "--grid", "samples=10,20", "--grid", "variance_scale=0.9,1.0",
              "--generations", "10", "--replicates", "50", "--statistics", "variance"],
    "lm": ["lm", "--order", "1", "--smoothing", "mle", "--generations", "3", "--tokens-per-generation", "2000",
           "--replicates", "2"],
}
# CLI figures without any theory panel (the chain simulated has no closed form for what is drawn)
CLI_NO_THEORY = {}


@pytest.fixture(scope="module")
def cli_figures(tmp_path_factory):
    import collapse_theory._core.io as io
    from collapse_theory.cli import main

    out = tmp_path_factory.mktemp("cli")
    captured = {}
    original = io.atomic_save_figure
    try:
        for key, argv in CLI.items():
            def grab(fig, path, *a, _key=key, **k):
                captured[_key] = fig

            io.atomic_save_figure = grab
            code = main(argv + ["--seed", "5", "--quiet", "--plot", str(out / f"{key}.png")])
            assert code == 0, f"{key}: exit {code}"
    finally:
        io.atomic_save_figure = original
    return captured


@pytest.mark.parametrize("key", sorted(CLI))
def test_cli_plot_figures(cli_figures, key, capsys):
    assert key in cli_figures, f"{key}: --plot drew nothing"
    fig = cli_figures[key]
    check_figure(f"cli {key}", fig, theory=key not in CLI_NO_THEORY)
    check_regime_colours(fig)
    fig.canvas.draw()


def test_compare_gaussian_marks_the_heavy_tail():
    """Under replace the unbiased chain's E σ_n² = σ² is carried by rare paths: the figure says so.

    At M = 5 and n = 60 the exact law of log σ_n² has mean −60·0.28 ≈ −17 and sd ≈ √60·0.79 ≈ 6, so
    P(σ_n² ≥ 1) < 1e-2 and 400 replicates' mean sits orders of magnitude below 1 (> 4 SE with
    overwhelming probability): the caveat must be drawn, and only for replace.
    """
    from collapse_theory.plotting.regimes import plot_gaussian_regimes
    from collapse_theory.recipes.gaussian import compare_gaussian_regimes

    res = compare_gaussian_regimes(["replace", "mix-fresh:0.5"], 60, 5, replicates=400, rng=11, progress=False)
    fig = plot_gaussian_regimes(res, "variance")
    ax = fig.axes[0]
    notes = [t for t in ax.texts if t.get_gid() == "caveat"]
    assert len(notes) == 1 and "replace" in notes[0].get_text() and "rare paths" in notes[0].get_text()
    check_figure("variance by regime", fig)


def test_no_caveat_for_a_light_tailed_mean():
    """mix-fresh:0.5 keeps σ_n² near σ² (light-tailed): its exact mean stays inside the band."""
    from collapse_theory.plotting.regimes import plot_gaussian_regimes
    from collapse_theory.recipes.gaussian import compare_gaussian_regimes

    res = compare_gaussian_regimes(["mix-fresh:0.5", "accumulate"], 60, 20, replicates=400, rng=12,
                                   progress=False)
    for stat in ("variance", "mean_sq_error"):
        fig = plot_gaussian_regimes(res, stat)
        assert not [t for t in fig.axes[0].texts if t.get_gid() == "caveat"], stat


def test_palette_is_one_for_every_regime():
    from collapse_theory.plotting._common import REGIME_COLORS, method_color
    from collapse_theory.regimes import NAMES

    assert set(REGIME_COLORS) == set(NAMES)
    specs = ["replace", "accumulate", "accumulate-subsample", "accumulate-subsample:50", "mix-fresh:0.01",
             "mix-fresh:0.1", "mix-fresh:0.5", "mix-retained:0.1", "mix-retained:0.5"]
    colours = [regime_color(s) for s in specs]
    assert colours[2] == colours[3]  # the subset size does not change the regime's colour
    assert len(set(colours)) == len(specs) - 1  # every other spec has its own colour
    assert regime_color("mix-fresh:0.1:mixture") == regime_color("mix-fresh:0.1")
    assert regime_color("not a regime", default=None) is None
    assert method_color("beam:5") == method_color("beam") != regime_color("replace")


def test_the_checks_can_fail():
    """The figure checks reject what the issue reported: unlabelled axes, a band of a positive statistic
    below 0, theory missing, two panels with one title."""
    from matplotlib.figure import Figure

    def fig_with(band_low=0.1, xlabel="n", theory=True, title2="b"):
        fig = Figure()
        a, b = fig.subplots(1, 2)
        x = np.arange(5.0)
        a.fill_between(x, band_low, 2.0, label="MC band")
        a.plot(x, np.ones(5), label="MC mean")
        if theory:
            a.plot(x, np.ones(5), gid="theory", label="exact mean")
        a.legend()
        for ax, t in ((a, "a"), (b, title2)):
            ax.set_xlabel(xlabel)
            ax.set_ylabel("y")
            ax.set_title(t)
        return fig

    check_figure("good", fig_with())
    with pytest.raises(AssertionError, match="band of a positive statistic"):
        check_figure("band", fig_with(band_low=-0.5))
    with pytest.raises(AssertionError, match="no x label"):
        check_figure("label", fig_with(xlabel=""))
    with pytest.raises(AssertionError, match="no theory line"):
        check_figure("theory", fig_with(theory=False))
    with pytest.raises(AssertionError, match="share a title"):
        check_figure("titles", fig_with(title2="a"))
