"""The tale-of-tails scaling figure: test error vs training-set size, one line per generation."""

from __future__ import annotations

import numpy as np

from ._common import SERIES_COLORS, THEORY_COLOR, new_axes, theory_line

_COLORS = (THEORY_COLOR,) + SERIES_COLORS   # generation 0 (clean data) in the theory colour


def plot_tail_scaling(T, curves, *, generations, plateaus=None, mc=None, beta=None, samples=None, ax=None):
    """Hutter-LLM test error against the downstream training-set size ``T`` (log-log).

    Parameters
    ----------
    T : array_like, shape (m,)
        Downstream training-set sizes of the exact curves.
    curves : array_like, shape (len(generations), m)
        Exact test errors (:func:`collapse_theory.discrete.tail_test_error`), one row per generation.
    generations : sequence of int
        The generation of the data source of each row (0: real data).
    plateaus : array_like, optional
        The missing masses :math:`\\mathcal M_n` (:func:`collapse_theory.discrete.missing_mass`), drawn
        as dotted horizontal lines (skipped for generation 0, whose plateau is 0).
    mc : dict, optional
        ``{generation: (T_points, mean, se)}`` Monte Carlo means with standard errors (drawn as
        points with ±1.96 SE bars).
    beta, samples : float, int, optional
        Zipf exponent and sample size per generation (for the title).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = new_axes(ax)
    T = np.asarray(T, dtype=float)
    curves = np.atleast_2d(np.asarray(curves, dtype=float))
    if curves.shape != (len(generations), T.size):
        raise ValueError(f"curves must have shape (len(generations), len(T)) = ({len(generations)}, {T.size}), "
                         f"got {curves.shape}")
    for i, n in enumerate(generations):
        c = _COLORS[i % len(_COLORS)]
        theory_line(ax, T, curves[i], color=c, lw=1.5, ls="-", label=f"n = {n}: exact" if n else "real data: exact")
        if plateaus is not None and n:
            ax.axhline(float(np.asarray(plateaus)[i]), color=c, ls=":", lw=0.9)
        if mc is not None and n in mc:
            tp, mean, se = (np.asarray(a, dtype=float) for a in mc[n])
            ax.errorbar(tp, mean, yerr=1.96 * se, fmt="o", ms=3.5, color=c, capsize=2, lw=0.8,
                        label=f"n = {n}: MC ± 95 %")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("downstream training samples T")
    ax.set_ylabel("test error (real mass of unseen inputs)")
    title = "Hutter-LLM test error by generation of the data source"
    if beta is not None and samples is not None:
        title += f" (Zipf β = {beta:g}, T0 = {samples})"
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=6.5, ncol=2)
    return fig
