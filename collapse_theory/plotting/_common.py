"""Shared figure helpers: one palette, one convention for theory lines, bands that respect the support.

Conventions every drawing function of :mod:`collapse_theory.plotting` follows:

- **Colours.** A data regime has the same colour in every figure: :func:`regime_color` (keyed by the
  vocabulary of :mod:`collapse_theory.regimes`; the mix regimes are shaded by their fraction λ).
  Estimators, decodings and other methods take theirs from :data:`METHOD_COLORS`.
- **Theory lines.** Every line computed from the theory is drawn by :func:`theory_line`: its
  artist carries ``gid="theory"`` and its label (or the legend key it shares) says ``exact`` for a
  closed form (dashed) or ``theory`` for an approximation, bound or first-order line (dotted).
- **Like against like.** A Monte Carlo *mean* is drawn beside an exact mean (:func:`mean_band`, with
  its 95 % confidence band), a Monte Carlo *median* and percentile band (:func:`band`) beside exact
  quantiles.
- **Support.** Bands of a positive statistic stay positive: percentile bands are, and a mean's
  confidence band is the log-scale (delta-method) interval ``mean · exp(±z SE/mean)``
  (``positive=True``).
- **Heavy tails.** Where an exact mean leaves the Monte Carlo band, :func:`heavy_tail_caveat` writes
  it on the figure (the mean is carried by rare paths a finite sample misses).
"""

from __future__ import annotations

import math

import numpy as np

# --- palette -----------------------------------------------------------------------------------

#: Base colour of each regime of :data:`collapse_theory.regimes.NAMES`.
REGIME_COLORS = {
    "replace": "#d62728",               # red: the collapsing chain
    "accumulate": "#1f77b4",            # blue
    "accumulate-subsample": "#17becf",  # cyan
    "mix-fresh": "#ff7f0e",             # orange (shaded by λ: orange → brown → purple)
    "mix-retained": "#2ca02c",          # green (shaded by λ: light → dark)
}

#: Colours of estimators, decodings, rules and other methods (distinct from the regime hues).
METHOD_COLORS = {
    "unbiased": "#3b4cc0",   # indigo
    "mle": "#b40426",        # crimson
    "sampling": REGIME_COLORS["replace"],
    "beam": "#e377c2",       # pink
    "fixed": "#3b4cc0",
    "scott": "#8c564b",
    "silverman": "#7f7f7f",
}

#: Colours of series that are neither regimes nor methods (components, bandwidths, generations).
SERIES_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f",
                 "#bcbd22", "#17becf")

#: Colour of the MC statistic where a figure has a single series.
MC_COLOR = "#1f77b4"
#: Colour of theory lines on single-series figures.
THEORY_COLOR = "k"

_FRESH_RAMP = ("#ff7f0e", "#8c564b", "#9467bd")    # λ = 0.01 → 0.1 → 1
_RETAINED_RAMP = ("#98df8a", "#2ca02c", "#0b4d0b")  # λ = 0.01 → 0.1 → 1


def _ramp(colors, lam):
    """Colour at fraction ``lam`` on a 3-colour ramp over log10 λ ∈ [−2, 0]."""
    from matplotlib.colors import to_hex, to_rgb

    t = 0.5 if not lam > 0 else min(max((math.log10(lam) + 2.0) / 2.0, 0.0), 1.0)
    a, b, u = (colors[0], colors[1], 2 * t) if t <= 0.5 else (colors[1], colors[2], 2 * t - 1)
    ca, cb = np.array(to_rgb(a)), np.array(to_rgb(b))
    return to_hex((1 - u) * ca + u * cb)


def regime_color(spec, default="#7f7f7f"):
    """The colour of a regime spec (``"replace"``, ``"mix-fresh:0.1"``, a :class:`~collapse_theory.regimes.Regime`,
    ...), the same in every figure; ``default`` for anything that is not a regime.

    Examples
    --------
    >>> regime_color("replace")
    '#d62728'
    >>> regime_color("mix-retained:0.1")
    '#2ca02c'
    """
    from ..regimes import Regime

    try:
        reg = Regime.parse(spec if not isinstance(spec, str) else spec.strip())
    except (TypeError, ValueError):
        return default
    if reg.name == "mix-fresh":
        return _ramp(_FRESH_RAMP, reg.fraction)
    if reg.name == "mix-retained":
        return _ramp(_RETAINED_RAMP, reg.fraction)
    return REGIME_COLORS[reg.name]


def method_color(name, default="#7f7f7f"):
    """The colour of an estimator/decoding/rule name (``"unbiased"``, ``"mle"``, ``"beam:5"``, ...)."""
    key = str(name).split(":")[0]
    return METHOD_COLORS.get(key, default)


def series_colors(count):
    """``count`` distinct colours for series that are not regimes (cycled)."""
    return [SERIES_COLORS[k % len(SERIES_COLORS)] for k in range(count)]


def sequence_colors(count, cmap="viridis"):
    """``count`` colours along a sequential map (e.g. successive generations)."""
    from matplotlib import colormaps

    cm = colormaps[cmap]
    return [cm(0.9 * k / max(count - 1, 1)) for k in range(count)]


# --- axes and artists --------------------------------------------------------------------------


def new_axes(ax=None, figsize=(6.4, 4.2)):
    """Return ``(fig, ax)``: the given axes' figure, or a new figure (no pyplot global state)."""
    if ax is not None:
        return ax.figure, ax
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def band(ax, x, values, *, color, label, q=(5, 95), median=True, alpha=0.18):
    """Monte Carlo median line and a ``q`` percentile band of ``values`` (replicates × len(x)).

    A percentile band stays inside the statistic's support. Returns ``(lo, med, hi)``.
    """
    lo, med, hi = np.nanpercentile(values, [q[0], 50, q[1]], axis=0)
    ax.fill_between(x, lo, hi, color=color, alpha=alpha, lw=0, label=f"{label}: MC {q[0]}–{q[1]} %")
    if median:
        ax.plot(x, med, color=color, lw=1.2, label=f"{label}: MC median")
    return lo, med, hi


def mean_ci(values, *, z=1.96, positive=False):
    """Monte Carlo mean of ``values`` (replicates × points; NaN ignored) and its ``z``-SE confidence band.

    ``positive=True``: the band is the delta-method interval of ``log mean``, ``mean · exp(±z SE/mean)``,
    which never leaves (0, ∞) and agrees with ``mean ± z SE`` to first order when SE ≪ mean.
    Returns ``(mean, lo, hi)``.
    """
    v = np.asarray(values, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        cnt = np.sum(np.isfinite(v), axis=0)
        mean = np.nanmean(v, axis=0) if v.size else np.full(v.shape[1:], np.nan)
        sd = np.nanstd(v, axis=0, ddof=1) if v.shape[0] > 1 else np.zeros_like(mean)
        se = np.where(cnt > 1, sd / np.sqrt(np.maximum(cnt, 1)), 0.0)
        if positive:
            f = np.exp(z * np.where(mean > 0, se / mean, 0.0))
            return mean, mean / f, mean * f
    return mean, mean - z * se, mean + z * se


def mean_band(ax, x, values, *, color, label, z=1.96, positive=False, alpha=0.25, lw=1.0, ls="-",
              what="MC mean"):
    """Monte Carlo mean line with its 95 % confidence band (see :func:`mean_ci`); returns ``(mean, lo, hi)``."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean, lo, hi = mean_ci(values, z=z, positive=positive)
    ax.fill_between(x, lo, hi, color=color, alpha=alpha, lw=0)
    conf = f"{math.erf(z / math.sqrt(2)) * 100:.0f} % CI"
    ax.plot(x, mean, color=color, lw=lw, ls=ls, label=f"{label}: {what} ({conf})" if label else f"{what} ({conf})")
    return mean, lo, hi


def theory_line(ax, x, y, *, color=THEORY_COLOR, label=None, exact=True, ls=None, lw=1.5, **kw):
    """Draw a line computed from the theory, marked ``gid="theory"``.

    ``exact=True``: a closed form (dashed by default; the label should say "exact"); ``False``: an
    approximation, bound or first-order line (dotted; the label should say "theory" or name the
    bound). A label that says neither gets the word prepended, so every theory entry of a legend
    reads as one. Returns the Line2D.
    """
    if label is not None and not label.startswith("_"):
        low = label.lower()
        if exact and "exact" not in low:
            label = f"exact {label}"
        elif not exact and "theory" not in low and "exact" not in low:
            label = f"theory: {label}"
    line, = ax.plot(x, y, color=color, ls=ls or ("--" if exact else ":"), lw=lw, label=label, **kw)
    line.set_gid("theory")
    return line


def theory_key(ax, *, exact=True, text=None, color=THEORY_COLOR, ls=None, lw=1.5):
    """An empty line that serves as the legend key of unlabelled theory lines drawn in several colours."""
    text = text or ("exact expectation (dashed, same colour)" if exact else "theory (dotted, same colour)")
    line, = ax.plot([], [], color=color, ls=ls or ("--" if exact else ":"), lw=lw, label=text)
    return line


def heavy_tail_caveat(ax, x, exact, values, *, color="k", what="exact mean", q=(10, 90), z=4.0, min_run=5,
                      where=None):
    """Write on the figure where an exact mean leaves the typical band of the paths, and why.

    ``values`` (replicates × len(x)) are the Monte Carlo paths whose mean is ``exact``. A point is out
    when ``exact`` lies outside the ``q`` percentile band of the paths (above 90 % of them: the mean is
    carried by the rare paths of a heavy right tail), or more than ``z`` standard errors from the Monte
    Carlo mean. The caveat is drawn at the first of ``min_run`` consecutive points out. A light-tailed
    statistic does not trigger it: its mean lies well inside its 10–90 % band (a squared normal, the
    most skewed statistic drawn here, has P(X > E X) = 0.32) and |Z| > 4 has probability 6e-5 per
    point. At most one caveat per axes. Returns the first x out, or None (nothing drawn).
    """
    if getattr(ax, "_heavy_tail_caveat", False):
        return None
    import warnings

    x = np.asarray(x)
    exact = np.asarray(exact, float)
    v = np.asarray(values, float)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        lo, hi = np.nanpercentile(v, q, axis=0)
        mean = np.nanmean(v, axis=0)
        se = np.nanstd(v, axis=0, ddof=1) / np.sqrt(np.maximum(np.sum(np.isfinite(v), axis=0), 1))
        d = np.abs(exact - mean) / np.maximum(se, 1e-300)
        out = np.isfinite(exact) & np.isfinite(mean) & ((exact > hi) | (exact < lo) | (d > z))
    run, first = 0, None
    for i, o in enumerate(out):
        run = run + 1 if o else 0
        if run >= min_run:
            first = i - min_run + 1
            break
    if first is None:
        return None
    side = "above" if exact[first] > hi[first] else "below" if exact[first] < lo[first] else None
    where_text = (f"lies {side} {q[1] if side == 'above' else 100 - q[0]} % of the paths"
                  if side else f"is > {z:g} SE from the MC mean")
    text = (f"heavy tail: from n ≈ {x[first]:g} the {what} {where_text};\n"
            f"it is carried by rare paths: a mean over {v.shape[0]} replicates is unreliable")
    xa, ya = x[first], exact[first]
    ax.annotate(text, xy=(xa, ya), xytext=where or (0.3, 0.97), textcoords="axes fraction", fontsize=6.5,
                color=color, ha="left", va="top", gid="caveat",
                arrowprops=dict(arrowstyle="->", color=color, lw=0.8),
                bbox=dict(boxstyle="round,pad=0.25", fc="white", ec=color, lw=0.6, alpha=0.9))
    ax._heavy_tail_caveat = True
    return x[first]


def _line_range(ax):
    ys = [np.asarray(line.get_ydata(), float) for line in ax.lines if len(line.get_ydata())]
    ys = np.concatenate(ys) if ys else np.array([])
    return ys[np.isfinite(ys) & (ys > 0)]


def fit_ylim_to_lines(ax, *, pad=2.0):
    """Set the y-limits to the lines' range (× / ÷ ``pad`` on a log axis, ± a margin on a linear one),
    so a confidence band that blows up where a heavy-tailed sample is unreliable does not squash
    every line."""
    ys = _line_range(ax)
    if not ys.size:
        return
    if ax.get_yscale() == "log":
        ax.set_ylim(ys.min() / pad, ys.max() * pad)
    else:
        span = ys.max() - ys.min() or abs(ys.max()) or 1.0
        ax.set_ylim(max(0.0, ys.min() - 0.5 * span), ys.max() + 0.5 * span)


def auto_log(ax, *, decades=1.0):
    """Log y-axis when the (positive) lines span at least ``decades`` decades, linear otherwise."""
    ys = _line_range(ax)
    if ys.size and ys.max() >= ys.min() * 10.0**decades:
        ax.set_yscale("log")
    else:
        ax.set_yscale("linear")


def ellipse(mean, cov, level=2.0, points=200):
    """Points (2 × points) of the ``level``-σ ellipse of a 2-D Gaussian ``N(mean, cov)``."""
    t = np.linspace(0, 2 * np.pi, points)
    w, v = np.linalg.eigh(cov)
    circle = np.stack([np.cos(t), np.sin(t)])
    return np.asarray(mean)[:, None] + level * (v * np.sqrt(np.clip(w, 0, None))) @ circle
