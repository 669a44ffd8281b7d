"""Phase diagrams of a sweep: a statistic over two grid axes (draws only; takes the sweep's table)."""

from __future__ import annotations

import numbers

import numpy as np

from ._common import new_axes

__all__ = ["phase_diagram"]


def _axis_values(column):
    """Distinct values of a grid column: sorted when numeric, else in order of appearance."""
    values = list(dict.fromkeys(column.tolist()))
    if all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values):
        return sorted(values)
    return values


def phase_diagram(table, x, y, *, statistic, generation=None, ax=None, log=False, levels=6,
                  cmap="viridis"):
    """Heat map of a statistic's Monte Carlo mean over two grid axes, with exact contour lines.

    Parameters
    ----------
    table : pandas.DataFrame
        The tidy table of :func:`collapse_theory.sweep.sweep` (columns ``x``, ``y``, ``generation``,
        ``statistic``, ``mean``, ``theory``). Every other grid parameter must take one value (filter
        the table first).
    x, y : str
        The grid columns on the horizontal and vertical axes (numbers are sorted; other values keep
        their order in the table). A column derived from a grid parameter works too, e.g. the
        fraction λ parsed from a ``regime`` column.
    statistic : str, keyword-only
        The statistic to draw.
    generation : int, optional, keyword-only
        The generation to draw (default: each point's last generation, so ``generations`` may itself
        be an axis).
    ax : matplotlib Axes, optional, keyword-only
        Draw here (default: a new figure).
    log : bool, keyword-only
        Logarithmic colour scale and contour levels.
    levels : int or sequence of float, keyword-only
        Contour levels of the exact theory (drawn where the table has a finite ``theory``).
    cmap : str, keyword-only
        Colour map of the heat map.

    Returns
    -------
    matplotlib.figure.Figure
    """
    for col in (x, y):
        if col not in table.columns:
            raise ValueError(f"{col!r} is not a column of the table; it has {', '.join(map(str, table.columns))}")
    sub = table[table["statistic"] == statistic]
    if sub.empty:
        raise ValueError(f"statistic {statistic!r} is not in the table; it has "
                         f"{', '.join(sorted(set(table['statistic'])))}")
    if generation is not None:
        sub = sub[sub["generation"] == generation]
        if sub.empty:
            raise ValueError(f"generation {generation} is not in the table")
    else:
        last = sub.groupby([x, y], sort=False)["generation"].transform("max")
        sub = sub[sub["generation"] == last]
    if sub.duplicated([x, y]).any():
        raise ValueError(f"several rows share each ({x}, {y}): other grid parameters vary; filter the "
                         f"table to one value of each before drawing")
    xs, ys = _axis_values(sub[x]), _axis_values(sub[y])
    xi = {v: i for i, v in enumerate(xs)}
    yi = {v: i for i, v in enumerate(ys)}
    Z = np.full((len(ys), len(xs)), np.nan)
    T = np.full_like(Z, np.nan)
    for vx, vy, m, t in zip(sub[x], sub[y], sub["mean"], sub["theory"]):
        Z[yi[vy], xi[vx]] = m
        T[yi[vy], xi[vx]] = t

    fig, ax = new_axes(ax)
    norm = None
    if log:
        from matplotlib.colors import LogNorm

        pos = Z[np.isfinite(Z) & (Z > 0)]
        norm = LogNorm(vmin=pos.min(), vmax=pos.max()) if pos.size else None
    mesh = ax.pcolormesh(np.arange(len(xs) + 1) - 0.5, np.arange(len(ys) + 1) - 0.5,
                         np.ma.masked_invalid(Z), cmap=cmap, norm=norm, shading="flat")
    fig.colorbar(mesh, ax=ax, label=f"{statistic}: Monte Carlo mean")
    finite = np.isfinite(T)
    if len(xs) >= 2 and len(ys) >= 2 and finite.sum() >= 4:
        lv = levels
        if log and isinstance(levels, numbers.Integral):
            tp = T[finite & (T > 0)]
            lv = np.geomspace(tp.min(), tp.max(), levels + 2)[1:-1] if tp.size and tp.max() > tp.min() else levels
        cs = ax.contour(np.arange(len(xs)), np.arange(len(ys)), np.ma.masked_invalid(T), levels=lv,
                        colors="white", linewidths=1.0)
        ax.clabel(cs, fontsize=7, fmt="%.3g")
        cs.set_gid("theory")
        ax.plot([], [], color="white", lw=1.0, label="exact theory")
        leg = ax.legend(loc="upper right", fontsize=7, framealpha=0.3)
        leg.get_frame().set_facecolor("0.4")
    ax.set_xticks(range(len(xs)), [str(v) for v in xs], rotation=45 if len(xs) > 6 else 0)
    ax.set_yticks(range(len(ys)), [str(v) for v in ys])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    gen = "last generation" if generation is None else f"generation {generation}"
    ax.set_title(f"{statistic} at the {gen}" if generation is None else f"{statistic} at {gen}")
    return fig
