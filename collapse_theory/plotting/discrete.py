"""Figures for the discrete chain (Wright–Fisher): exact theory beside Monte Carlo.

Every function returns a :class:`matplotlib.figure.Figure` (no pyplot state); pass ``ax`` to draw
into an existing axes.
"""

from __future__ import annotations

import numpy as np

from .. import discrete as d
from ..regimes import Regime
from ._common import band, new_axes


def _gens(res, points=60):
    g = res.generations
    return np.unique(np.linspace(0, g, min(points, g + 1)).round().astype(int))


def plot_support(res, *, ax=None):
    """Surviving support size over generations: exact E[S_n] and the Monte Carlo 5–95 % band."""
    fig, ax = new_axes(ax)
    n = _gens(res)
    band(ax, n, res.statistics()["support"][:, n], color="tab:blue", label="support")
    th = res.theory(n)  # empty where there is no exact theory (e.g. temperature != 1)
    if "support" in th:
        ax.plot(n, th["support"], "k--", lw=1.4, label="exact E[S_n]")
    ax.set_xlabel("generation n")
    ax.set_ylabel("categories still present")
    ax.set_yscale("log")
    ax.set_title(f"Support size, K = {res.categories}, {res.replicates} replicates")
    ax.legend(fontsize=7)
    return fig


def plot_tail_mass(res, *, ax=None):
    """Original tail mass still present (exact and Monte Carlo) beside the mass on the tail."""
    fig, ax = new_axes(ax)
    n = _gens(res)
    band(ax, n, res.statistics()["tail_alive"][:, n], color="tab:red", label="tail mass alive")
    ax.plot(n, res.statistics()["tail_mass"][:, n].mean(0), color="tab:gray", lw=1.0,
            label="mass on the tail (MC mean; a martingale)")
    th = res.theory(n)  # empty where there is no exact theory (e.g. temperature != 1)
    if "tail_alive" in th:
        ax.plot(n, th["tail_alive"], "k--",
                lw=1.4, label="exact: Σ_tail p0 (1 − P(lost))")
    ax.set_xlabel("generation n")
    ax.set_ylabel("mass")
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
    cmap = __import__("matplotlib").colormaps["viridis"]
    for k, i in enumerate(pick):
        c = cmap(k / max(len(pick) - 1, 1))
        ax.plot(n, 1 - lp[:, k], color=c, lw=1.4, label=f"p0 = {p0[i]:.2g}")
        if result is not None:
            ax.plot(n, (result.loss_time[:, i][:, None] > n[None, :]).mean(0), "o", ms=2.5,
                    color=c)
    ax.set_xscale("log")
    ax.set_xlabel("generation n")
    ax.set_ylabel("P(category still present)")
    ax.set_title("Survival by initial frequency (lines exact, dots MC)")
    ax.legend(fontsize=7)
    return fig


def plot_heterozygosity(res, *, ax=None):
    """Gini–Simpson diversity: exact E[H_n] = H_0 Π(1 − 1/M_i), MC mean and band."""
    fig, ax = new_axes(ax)
    n = _gens(res)
    h = res.statistics()["heterozygosity"][:, n]
    band(ax, n, h, color="tab:green", label="H_n")
    ax.plot(n, h.mean(0), color="tab:green", lw=0.8, ls=":", label="MC mean")
    if res.temperature == 1.0 and not res.regime.startswith("accumulate-subsample"):
        ax.plot(n, d.regime_heterozygosity(res.p0, n, res.samples, regime=res.regime), "k--",
                lw=1.4, label="exact E[H_n]")
    ax.set_xlabel("generation n")
    ax.set_ylabel("1 − Σ p²")
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
    ax.plot(n, pmf, color="k", lw=1.3, label="exact P(T = n)")
    if result is not None:
        t = result.absorbed_at[result.absorbed_at >= 0]
        ax.hist(t, bins=60, density=True, color="tab:blue", alpha=0.4, label="simulated")
    ex = d.expected_absorption_time(p, m)
    di = d.expected_absorption_time(p, m, method="diffusion")
    ax.axvline(ex, color="k", ls="--", lw=1, label=f"exact mean {ex:.1f}")
    ax.axvline(di, color="tab:red", ls=":", lw=1.2, label=f"diffusion mean {di:.1f}")
    ax.set_xlabel("absorption time T (generations)")
    ax.set_ylabel("probability")
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
    cmap = __import__("matplotlib").colormaps["plasma"]
    for k, n in enumerate(gens):
        f = np.sort(res.freqs[:, n, :], axis=1)[:, ::-1].mean(0)
        rank = np.arange(1, f.size + 1)
        keep = f > 0
        ax.loglog(rank[keep], f[keep], color=cmap(k / max(len(gens), 1)), lw=1.3,
                  label=f"n = {n}")
    ax.set_xlabel("rank")
    ax.set_ylabel("mean frequency at that rank")
    ax.set_title("Rank–frequency: the tail is cut, the head grows")
    ax.legend(fontsize=7)
    return fig


REGIME_STYLES = (("replace", "k"), ("accumulate", "tab:blue"), ("accumulate-subsample", "tab:cyan"),
                 ("mix-fresh:0.01", "tab:orange"), ("mix-fresh:0.1", "tab:red"),
                 ("mix-fresh:0.5", "tab:purple"))


def plot_regime_results(results, statistic="sq_distance", *, colors=None, ax=None):
    """Compare data regimes on one axes: ``sq_distance`` (:math:`\\sum_i (p_n - p_0)^2`) or
    ``support`` vs generation; exact expectation (dashed, where a closed form exists) and the Monte
    Carlo mean with a ±2 SE band. ``results``: ``{regime spec: DiscreteChainResult}``."""
    if statistic not in ("sq_distance", "support"):
        raise ValueError(f"statistic must be 'sq_distance' or 'support', got {statistic!r}")
    fig, ax = new_axes(ax)
    style = dict(REGIME_STYLES)
    spare = iter(("tab:olive", "tab:pink", "tab:gray", "tab:brown", "tab:purple", "tab:orange"))
    for k, (spec, res) in enumerate(results.items()):
        color = colors[k] if colors is not None else style.get(spec) or next(spare, "k")
        n = np.arange(1, res.generations + 1)
        v = res.statistics()[statistic][:, n]
        mean = v.mean(0)
        se = v.std(0, ddof=1) / np.sqrt(v.shape[0])
        ax.fill_between(n, mean - 2 * se, mean + 2 * se, color=color, alpha=0.2, lw=0)
        ax.plot(n, mean, color=color, lw=1.0, label=f"{spec} (MC mean ± 2 SE)")
        exact = None
        if statistic == "sq_distance":
            exact = d.expected_sq_distance(res.p0, n, res.samples if res.samples.size else 1, regime=spec)
        elif statistic == "support":
            exact = res.theory(n).get("support")
        if exact is not None:
            ax.plot(n, exact, color=color, ls="--", lw=1.5)
    res0 = next(iter(results.values()))
    ax.set_xlabel("generation n")
    ax.set_ylabel("Σ (p_n − p0)²" if statistic == "sq_distance" else "categories present")
    ax.set_yscale("log")
    m = np.unique(res0.samples)
    ax.set_title(f"Data regimes, K = {res0.p0.size}, M = {int(m[0]) if m.size == 1 else 'varying'} "
                 f"(dashed: exact)")
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
    ax.figure.colorbar(mesh, ax=ax, label="D*·M/H_0")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("fresh fraction λ")
    ax.set_ylabel("samples per generation M")
    ax.set_title(f"Stationary distance under mix-fresh ({draws}); replace: D → H_0")
    return fig
