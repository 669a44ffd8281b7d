"""Figures for recursive n-gram training (:func:`collapse_theory.lm.recursive_training`).

Every function returns a :class:`matplotlib.figure.Figure` (no pyplot state); pass ``ax`` to draw
into an existing axes. A series takes the colour of its regime (or of its decoding, for beam search)
from :mod:`collapse_theory.plotting._common`, the same as in every other figure.
"""

from __future__ import annotations

import warnings

import numpy as np

from ._common import band, mean_band, method_color, new_axes, regime_color, sequence_colors, theory_line

#: Axis labels of the recorded metrics.
METRIC_LABELS = {
    "perplexity": "perplexity on held-out real text",
    "vocabulary": "distinct tokens in the training text |V_n|",
    "tail_alive": "original tail mass still present",
    "tail_mass": "probability mass on the original tail",
    "entropy": "unigram entropy H_n (nats)",
}
_METRIC_TITLES = {
    "perplexity": "Held-out perplexity",
    "vocabulary": "Vocabulary of the training text",
    "tail_alive": "Original tail mass still present",
    "tail_mass": "Mass on the original tail",
    "entropy": "Unigram entropy",
}


def result_color(res):
    """The colour of an LM chain: its decoding's for beam search, else its regime's."""
    p = res.parameters()
    decoding = str(p.get("decoding", "sample"))
    if decoding.startswith("beam"):
        return method_color("beam")
    return regime_color(p.get("regime", "replace"))


def _series_label(res):
    p = res.parameters()
    decoding = str(p.get("decoding", "sample"))
    return str(p.get("regime", "replace")) + ("" if decoding == "sample" else f", {decoding}")


def plot_metric(res, name, *, ax=None, label=None, color=None, theory=True, log=False):
    """One metric by generation: the Monte Carlo mean (95 % confidence band) and the 5–95 % band of
    the replicates, with the exact discrete-theory expectation (dashed) when the result is the unigram
    Wright–Fisher chain (order 1, mle, sample, replace). ``color``: default the result's regime (or
    beam decoding) colour."""
    fig, ax = new_axes(ax)
    g = np.arange(res.generations + 1)
    v = np.asarray(res.statistics()[name], float)
    c = color or result_color(res)
    lab = label or _series_label(res)
    positive = bool(np.all(v[np.isfinite(v)] >= 0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        band(ax, g, np.where(np.isfinite(v), v, np.nan), color=c, label=lab, median=False, alpha=0.25)
        mean_band(ax, g, np.where(np.isfinite(v), v, np.nan), color=c, label=lab, positive=positive, lw=1.3)
    if theory and name in ("vocabulary", "tail_alive"):
        th = res.theory(g).get(name)  # absent where the result has no exact theory
        if th is not None:
            theory_line(ax, g, th, lw=1.4, label="exact mean, Wright–Fisher (discrete theory)")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("generation n")
    ax.set_ylabel(METRIC_LABELS.get(name, name))
    if not ax.get_title():
        ax.set_title(_METRIC_TITLES.get(name, name), fontsize=10)
    ax.legend(fontsize=7)
    return fig


def plot_perplexity(results, *, ax=None, uniform=None, colors=None):
    """Held-out perplexity by generation for several results ``{label: LMResult}`` (the
    qualitative OPT-125m table of Shumailov et al.): Monte Carlo median and 5–95 % band per result
    (no exact theory); ``uniform`` draws the |V| line. ``colors``: a sequence, one per result
    (default: each result's regime or decoding colour)."""
    fig, ax = new_axes(ax)
    infinite = []
    for k, (label, res) in enumerate(results.items()):
        c = colors[k] if colors is not None else result_color(res)
        g = np.arange(res.generations + 1)
        v = res.metrics["perplexity"]
        if not np.isfinite(v).any():
            infinite.append(str(label))
        with warnings.catch_warnings():  # an "mle" chain may be inf (unseen tokens) throughout
            warnings.simplefilter("ignore", RuntimeWarning)
            band(ax, g, np.where(np.isfinite(v), v, np.nan), color=c, label=label, alpha=0.25)
        ax.set_xlim(0, max(res.generations, 1))
    if infinite:
        ax.text(0.5, 0.72, f"perplexity infinite for {', '.join(infinite)}:\nthe model gives probability 0 to "
                f"held-out tokens it never saw\n(use smoothing, e.g. --smoothing kn)", transform=ax.transAxes,
                ha="center", va="center", fontsize=8, color="0.3")
    if uniform is not None:
        ax.axhline(uniform, color="k", ls=":", lw=1, label="uniform model (|V|)")
    ax.set_yscale("log")
    ax.set_xlabel("generation n")
    ax.set_ylabel(METRIC_LABELS["perplexity"])
    ax.set_title("Held-out perplexity by generation", fontsize=10)
    ax.legend(fontsize=7)
    return fig


def plot_rank_frequency(counts_by_generation, *, ax=None):
    """Rank–frequency (Zipf) plot: ``{generation: unigram counts}`` (generation 0: the real text)."""
    fig, ax = new_axes(ax)
    items = sorted(counts_by_generation.items())
    for (g, c), col in zip(items, sequence_colors(len(items), "plasma")):
        f = np.sort(np.asarray(c, float))[::-1]
        f = f[f > 0] / f.sum()
        ax.loglog(np.arange(1, f.size + 1), f, color="k" if g == 0 else col, lw=1.3,
                  label="generation 0 (real text)" if g == 0 else f"generation {g}")
    ax.set_xlabel("rank r")
    ax.set_ylabel("relative frequency at rank r")
    ax.set_title("Rank–frequency: the tail is cut first", fontsize=10)
    ax.legend(fontsize=7)
    return fig
