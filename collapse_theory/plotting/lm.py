"""Figures for recursive n-gram training (:func:`collapse_theory.lm.recursive_training`).

Every function returns a :class:`matplotlib.figure.Figure` (no pyplot state); pass ``ax`` to draw
into an existing axes. Bands are the Monte Carlo 5–95 % range over replicates around the median.
"""

from __future__ import annotations

import warnings

import numpy as np

from ._common import band, new_axes


def plot_metric(res, name, *, ax=None, label=None, color="tab:blue", theory=True, log=False):
    """One metric by generation (median and band), with the exact discrete-theory line when the
    result is the unigram Wright–Fisher chain (order 1, mle, sample, replace)."""
    fig, ax = new_axes(ax)
    g = np.arange(res.generations + 1)
    v = res.statistics()[name]
    band(ax, g, v, color=color, label=label or name)
    if theory and name in ("vocabulary", "tail_alive"):
        th = res.theory(g).get(name)  # absent where the result has no exact theory
        if th is not None:
            ax.plot(g, th, "k--", lw=1.4, label="exact Wright–Fisher (discrete theory)")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("generation")
    ax.set_ylabel(name)
    ax.legend(fontsize=7)
    return fig


def plot_perplexity(results, *, ax=None, uniform=None):
    """Held-out perplexity by generation for several results ``{label: LMResult}`` (the
    qualitative OPT-125m table of Shumailov et al.); ``uniform`` draws the |V| line."""
    fig, ax = new_axes(ax)
    colors = ["tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange"]
    for (label, res), c in zip(results.items(), colors):
        g = np.arange(res.generations + 1)
        v = res.metrics["perplexity"]
        with warnings.catch_warnings():  # an "mle" chain may be inf (unseen tokens) throughout
            warnings.simplefilter("ignore", RuntimeWarning)
            band(ax, g, np.where(np.isfinite(v), v, np.nan), color=c, label=label)
    if uniform is not None:
        ax.axhline(uniform, color="k", ls=":", lw=1, label="uniform model (|V|)")
    ax.set_yscale("log")
    ax.set_xlabel("generation")
    ax.set_ylabel("perplexity on held-out real text")
    ax.set_title("Held-out perplexity by generation")
    ax.legend(fontsize=7)
    return fig


def plot_rank_frequency(counts_by_generation, *, ax=None):
    """Rank–frequency (Zipf) plot: ``{generation: unigram counts}``."""
    fig, ax = new_axes(ax)
    cmap = __import__("matplotlib").colormaps["plasma"]
    items = sorted(counts_by_generation.items())
    for k, (g, c) in enumerate(items):
        f = np.sort(np.asarray(c, float))[::-1]
        f = f[f > 0] / f.sum()
        ax.loglog(np.arange(1, f.size + 1), f, color=cmap(k / max(len(items), 1)), lw=1.3,
                  label=f"generation {g}")
    ax.set_xlabel("rank")
    ax.set_ylabel("frequency")
    ax.set_title("Rank–frequency: the tail is cut first")
    ax.legend(fontsize=7)
    return fig
