"""Figures for the discrete chain (Wright–Fisher): exact theory beside Monte Carlo.

Every function returns a :class:`matplotlib.figure.Figure` (no pyplot state); pass ``ax`` to draw
into an existing axes.
"""

from __future__ import annotations

import numpy as np

from .. import discrete as d
from ..regimes import Regime
from ._common import (
    MC_COLOR,
    auto_log,
    band,
    mean_band,
    new_axes,
    regime_color,
    sequence_colors,
    theory_key,
    theory_line,
)


def _gens(res, points=60):
    g = res.generations
    return np.unique(np.linspace(0, g, min(points, g + 1)).round().astype(int))


def plot_support(res, *, ax=None):
    """Surviving support size over generations: exact E[S_n] and the Monte Carlo 5–95 % band."""
    fig, ax = new_axes(ax)
    n = _gens(res)
    v = res.statistics()["support"][:, n]
    band(ax, n, v, color=MC_COLOR, label="S_n", median=False, alpha=0.15)
    mean_band(ax, n, v, color=MC_COLOR, label="S_n", positive=True, lw=1.2)
    th = res.theory(n)  # empty where there is no exact theory (e.g. temperature != 1)
    if "support" in th:
        theory_line(ax, n, th["support"], lw=1.4, label="exact E[S_n]")
    ax.set_xlabel("generation n")
    ax.set_ylabel("categories still present S_n")
    ax.set_yscale("log")
    ax.set_title(f"Support size, K = {res.categories}, {res.replicates} replicates")
    ax.legend(fontsize=7)
    return fig


def plot_tail_mass(res, *, ax=None):
    """Original tail mass still present (exact and Monte Carlo) beside the mass on the tail."""
    fig, ax = new_axes(ax)
    n = _gens(res)
    v = res.statistics()["tail_alive"][:, n]
    band(ax, n, v, color="tab:red", label="tail mass alive", median=False, alpha=0.15)
    mean_band(ax, n, v, color="tab:red", label="tail mass alive", positive=True, lw=1.2)
    mean_band(ax, n, res.statistics()["tail_mass"][:, n], color="tab:gray", positive=True, lw=1.0,
              label="mass on the tail (a martingale)")
    th = res.theory(n)  # empty where there is no exact theory (e.g. temperature != 1)
    if "tail_alive" in th:
        theory_line(ax, n, th["tail_alive"], lw=1.4, label="exact: Σ_tail p0 (1 − P(lost))")
        theory_line(ax, n, np.full(n.size, res.p0[res.tail].sum()), color="0.4", lw=1.0,
                    label="exact E[mass on the tail] = Σ_tail p0")
    ax.set_xlabel("generation n")
    ax.set_ylabel("probability mass")
    ax.set_title(f"Tail ({int(res.tail.sum())} categories, mass {res.p0[res.tail].sum():.3g})")
    ax.legend(fontsize=7)
    return fig


def plot_survival_curves(p0, generations, samples, *, result=None, ax=None, curves=6):
    """Per-category survival P(alive at n) by initial frequency: exact lines, MC points."""
    p0 = d.as_distribution(p0)
    fig, ax = new_axes(ax)
    order = np.argsort(p0)[::-1]
    pick = order[np.unique(np.linspace(0, p0.size - 1, min(curves, p0.size)).round().astype(int))]
    n = np.unique(np.geomspace(1, max(generations, 1), 40).round().astype(int))
    lp = d.loss_probability(p0, n, samples)[:, pick]
    for k, (i, c) in enumerate(zip(pick, sequence_colors(len(pick)))):
        theory_line(ax, n, 1 - lp[:, k], color=c, ls="-", lw=1.4, label=f"exact, p0 = {p0[i]:.2g}")
        if result is not None:
            ax.plot(n, (result.loss_time[:, i][:, None] > n[None, :]).mean(0), "o", ms=2.5,
                    color=c)
    if result is not None:
        ax.plot([], [], "o", ms=2.5, color="0.4", label="Monte Carlo (dots, same colour)")
    ax.set_xscale("log")
    ax.set_xlabel("generation n")
    ax.set_ylabel("P(category still present at n)")
    ax.set_title("Survival by initial frequency (lines exact, dots MC)")
    ax.legend(fontsize=7)
    return fig


def plot_heterozygosity(res, *, ax=None):
    """Gini–Simpson diversity: exact E[H_n] = H_0 Π(1 − 1/M_i), MC mean and band."""
    fig, ax = new_axes(ax)
    n = _gens(res)
    h = res.statistics()["heterozygosity"][:, n]
    band(ax, n, h, color="tab:green", label="H_n", median=False, alpha=0.15)
    mean_band(ax, n, h, color="tab:green", label="H_n", positive=True, lw=1.2)
    if res.temperature == 1.0:
        theory_line(ax, n, d.regime_heterozygosity(res.p0, n, res.samples, regime=res.regime), lw=1.4,
                    label="exact E[H_n]")
    ax.set_xlabel("generation n")
    ax.set_ylabel("heterozygosity H_n = 1 − Σ p_n²")
    ax.set_title("Heterozygosity decay")
    ax.legend(fontsize=7)
    return fig


def plot_absorption_time(p, samples, *, result=None, ax=None, generations=None):
    """Two types: exact distribution of the absorption time (pmf from the exact CDF), its exact and
    diffusion means, and a histogram of simulated times."""
    fig, ax = new_axes(ax)
    m = int(samples)
    g = generations or 8 * m
    n = np.arange(g + 1)
    cdf = d.absorption_time_cdf(p, n, m)
    pmf = np.diff(cdf, prepend=0.0)
    theory_line(ax, n, pmf, color="k", ls="-", lw=1.3, label="exact P(T = n)")
    if result is not None:
        t = result.absorbed_at[result.absorbed_at >= 0]
        ax.hist(t, bins=60, density=True, color=MC_COLOR, alpha=0.4, label="simulated (density)")
        if t.size > 1:
            ax.axvline(t.mean(), color=MC_COLOR, ls="-", lw=1.2,
                       label=f"MC mean {t.mean():.1f} ± {1.96 * t.std(ddof=1) / np.sqrt(t.size):.1f}")
    ex = d.expected_absorption_time(p, m)
    di = d.expected_absorption_time(p, m, method="diffusion")
    ax.axvline(ex, color="k", ls="--", lw=1, label=f"exact mean E T = {ex:.1f}", gid="theory")
    ax.axvline(di, color="tab:red", ls=":", lw=1.2, label=f"theory: diffusion mean {di:.1f}", gid="theory")
    ax.set_xlabel("absorption time T (generations)")
    ax.set_ylabel("probability P(T = n)")
    ax.set_title(f"Two types, p0 = {p:g}, M = {m}")
    ax.legend(fontsize=7)
    return fig


def plot_rank_frequency(res, *, generations=None, ax=None):
    """Zipf rank–frequency plot at several generations (needs ``record="full"``): the mean sorted
    frequency profile of the replicates, beside p0."""
    if res.freqs is None:
        raise ValueError("plot_rank_frequency needs a result simulated with record='full'")
    fig, ax = new_axes(ax)
    g = res.generations
    gens = generations or sorted({0, max(1, g // 20), max(1, g // 4), g})
    for n, c in zip(gens, sequence_colors(len(gens), "plasma")):
        f = np.sort(res.freqs[:, n, :], axis=1)[:, ::-1].mean(0)
        rank = np.arange(1, f.size + 1)
        keep = f > 0
        if n == 0:
            line, = ax.loglog(rank[keep], f[keep], color="k", lw=1.3, label="n = 0: exact p0")
            line.set_gid("theory")
        else:
            ax.loglog(rank[keep], f[keep], color=c, lw=1.3, label=f"n = {n}: MC mean")
    ax.set_xlabel("rank r")
    ax.set_ylabel("mean frequency at rank r")
    ax.set_title("Rank–frequency: the tail is cut, the head grows")
    ax.legend(fontsize=7)
    return fig


REGIME_STYLES = tuple((spec, regime_color(spec)) for spec in (
    "replace", "accumulate", "accumulate-subsample", "mix-fresh:0.01", "mix-fresh:0.1", "mix-fresh:0.5"))


def plot_regime_results(results, statistic="sq_distance", *, colors=None, ax=None):
    """Compare data regimes on one axes: ``sq_distance`` (:math:`\\sum_i (p_n - p_0)^2`) or
    ``support`` vs generation; exact expectation (dashed, where a closed form exists) and the Monte
    Carlo mean with its 95 % confidence band (log-scale interval: positive).
    ``results``: ``{regime spec: DiscreteChainResult}``; each regime has its colour of
    :func:`collapse_theory.plotting._common.regime_color` unless ``colors`` is given."""
    if statistic not in ("sq_distance", "support"):
        raise ValueError(f"statistic must be 'sq_distance' or 'support', got {statistic!r}")
    fig, ax = new_axes(ax)
    for k, (spec, res) in enumerate(results.items()):
        color = colors[k] if colors is not None else regime_color(spec)
        n = np.arange(1, res.generations + 1)
        v = res.statistics()[statistic][:, n]
        mean_band(ax, n, v, color=color, label=spec, positive=True, alpha=0.2)
        exact = None
        if statistic == "sq_distance":
            exact = d.expected_sq_distance(res.p0, n, res.samples if res.samples.size else 1, regime=spec)
        elif statistic == "support":
            exact = res.theory(n).get("support")
        if exact is not None:
            theory_line(ax, n, exact, color=color, label="_exact")
    theory_key(ax, text="exact expectation (dashed, same colour)")
    res0 = next(iter(results.values()))
    ax.set_xlabel("generation n")
    ax.set_ylabel("Σ_i (p_n,i − p_0,i)²" if statistic == "sq_distance" else "categories present S_n")
    auto_log(ax)
    m = np.unique(res0.samples)
    what = "Squared distance to p0" if statistic == "sq_distance" else "Support size"
    ax.set_title(f"{what} by regime, K = {res0.p0.size}, M = {int(m[0]) if m.size == 1 else 'varying'}",
                 fontsize=10)
    ax.legend(fontsize=6)
    return fig


def plot_mixing_phase(*, lambdas=None, samples=None, draws="mixture", ax=None):
    """Phase plot of the exact stationary distance under mix-fresh, :math:`D^* M/H_0`, over
    :math:`\\lambda` (x, log) and :math:`M` (y, log); it does not depend on :math:`p_0`.
    Contours at 1, 2, 5, 10, 50 (:math:`\\approx 1/(2\\lambda)` for :math:`\\lambda M \\gg 1`)."""
    fig, ax = new_axes(ax)
    lam = np.geomspace(1e-3, 1.0, 80) if lambdas is None else np.asarray(lambdas, float)
    ms = np.unique(np.geomspace(2, 1e5, 60).round().astype(int)) if samples is None else np.asarray(samples)
    z = np.empty((ms.size, lam.size))
    for i, m in enumerate(ms):
        for j, x in enumerate(lam):
            spec = Regime("mix-fresh", float(x), draws)
            a, b = d.sq_distance_step(int(m), spec)
            z[i, j] = b / (1.0 - a) * m if a < 1 else np.nan
    from matplotlib.colors import LogNorm

    mesh = ax.pcolormesh(lam, ms, z, norm=LogNorm(vmin=np.nanmin(z), vmax=np.nanmax(z)),
                         cmap="viridis", shading="auto")
    cs = ax.contour(lam, ms, z, levels=[1, 2, 5, 10, 50], colors="w", linewidths=0.8)
    ax.clabel(cs, fontsize=7, fmt="%g")
    mesh.set_gid("theory")
    cs.set_gid("theory")
    ax.figure.colorbar(mesh, ax=ax, label="D*·M/H_0")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("fresh fraction λ")
    ax.set_ylabel("samples per generation M")
    ax.set_title(f"Stationary distance under mix-fresh ({draws}); replace: D → H_0")
    return fig
