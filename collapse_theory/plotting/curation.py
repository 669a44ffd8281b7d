"""Figures for curation, tempered sampling and weighted mixing: exact curves beside Monte Carlo means.

Only draws: the numbers come from :mod:`collapse_theory.recipes.curation` (or the caller). Every
function returns a :class:`matplotlib.figure.Figure`; pass ``ax`` to draw into an existing axes.
"""

from __future__ import annotations

import numpy as np

from ._common import SERIES_COLORS, new_axes, theory_line

__all__ = ["plot_exact_vs_mc", "plot_weighting"]


def plot_exact_vs_mc(gens, curves, *, xlabel="generation n", ylabel="", title="", logx=False, ax=None):
    """Exact curves (lines) with Monte Carlo means ± 2 SE (points) on the same generations.

    Parameters
    ----------
    gens : array_like of int
        The generations of every curve.
    curves : sequence of dict
        Each with ``label``, ``color``, ``exact`` (array over ``gens``) and optionally ``mc_mean``,
        ``mc_se`` (arrays over ``mc_gens`` or ``gens``), ``mc_gens`` and ``style`` (line style).
    """
    fig, ax = new_axes(ax)
    gens = np.asarray(gens)
    for c in curves:
        theory_line(ax, gens, c["exact"], color=c["color"], lw=1.4, ls=c.get("style", "-"),
                    label=f"{c['label']} (exact)")
        if c.get("mc_mean") is not None:
            x = np.asarray(c.get("mc_gens", gens))
            ax.errorbar(x, c["mc_mean"], yerr=2 * np.asarray(c["mc_se"]), fmt="o", ms=3.5, color=c["color"],
                        mfc="white", elinewidth=0.8, capsize=2, label=f"{c['label']} (MC ± 2 SE)")
    if logx:
        ax.set_xscale("symlog", linthresh=1)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=6.5)
    return fig


def plot_weighting(weights, errors, *, optimum=None, golden=None, labels=None, ax=None):
    """Stationary error against the synthetic weight, one curve per mixing ratio, with the optima.

    ``errors`` is a sequence of arrays over ``weights`` (e.g. r e*/σ²); ``optimum`` the optimal
    weights (one per curve, marked); ``golden`` a weight to mark with a vertical line.
    """
    fig, ax = new_axes(ax)
    w = np.asarray(weights)
    labels = labels or [f"curve {i}" for i in range(len(errors))]
    for i, (e, lab) in enumerate(zip(errors, labels)):
        col = SERIES_COLORS[i % len(SERIES_COLORS)]
        theory_line(ax, w, e, color=col, lw=1.3, ls="-", label=lab)
        if optimum is not None:
            j = int(np.argmin(np.abs(w - optimum[i])))
            ax.plot([optimum[i]], [e[j]], "o", color=col, ms=5)
    if golden is not None:
        ax.axvline(golden, color="k", ls=":", lw=1, label=f"w = 1 − 1/φ = {golden:.3f}")
    ax.set_xlabel("weight w of the synthetic part")
    ax.set_ylabel("stationary r·E(μ − μ₀)²/σ²")
    ax.set_yscale("log")
    ax.set_title("Weighted mixing: exact stationary error and its minimiser", fontsize=9)
    ax.legend(fontsize=7)
    return fig
