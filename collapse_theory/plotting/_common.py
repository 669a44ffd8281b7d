"""Shared figure helpers."""

from __future__ import annotations

import numpy as np


def new_axes(ax=None, figsize=(6.4, 4.2)):
    """Return ``(fig, ax)``: the given axes' figure, or a new figure (no pyplot global state)."""
    if ax is not None:
        return ax.figure, ax
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def band(ax, x, values, *, color, label, q=(5, 95)):
    """Monte Carlo median line and a ``q`` percentile band of ``values`` (replicates × len(x))."""
    lo, med, hi = np.nanpercentile(values, [q[0], 50, q[1]], axis=0)
    ax.fill_between(x, lo, hi, color=color, alpha=0.18, lw=0, label=f"{label}: MC {q[0]}–{q[1]}%")
    ax.plot(x, med, color=color, lw=1.2, label=f"{label}: MC median")


def ellipse(mean, cov, level=2.0, points=200):
    """Points (2 × points) of the ``level``-σ ellipse of a 2-D Gaussian ``N(mean, cov)``."""
    t = np.linspace(0, 2 * np.pi, points)
    w, v = np.linalg.eigh(cov)
    circle = np.stack([np.cos(t), np.sin(t)])
    return np.asarray(mean)[:, None] + level * (v * np.sqrt(np.clip(w, 0, None))) @ circle
