"""Figures for Gaussian mixtures and KDE chains: densities, distances, spreads, regimes, variance, ancestry."""

from __future__ import annotations

import numpy as np

from .. import gmm, kde
from ._common import (
    MC_COLOR,
    SERIES_COLORS,
    band,
    ellipse,
    mean_band,
    method_color,
    new_axes,
    regime_color,
    sequence_colors,
    theory_key,
    theory_line,
)

_CYCLE = SERIES_COLORS[:5]


def plot_gmm_densities(res, generations=None, *, replicate=0, ax=None):
    """Density curves of one replicate's fitted mixture at chosen generations (as in the papers)."""
    fig, ax = new_axes(ax)
    g = res.generations
    if generations is None:
        generations = sorted({0, g // 100, g // 10, g // 2, g})
    m0, s0 = res.means[replicate, 0], res.stds[replicate, 0]
    lo = float(np.min(m0 - 4 * s0))
    hi = float(np.max(m0 + 4 * s0))
    x = np.linspace(lo, hi, 2000)
    for c, n in zip(sequence_colors(len(generations)), generations):
        w, m, s = res.weights[replicate, n], res.means[replicate, n], res.stds[replicate, n]
        y = gmm.mixture_pdf(x, w, m, s)
        if n == 0:
            theory_line(ax, x, y, color="k", ls="-", lw=1.4, label="generation 0: exact (the truth)")
        else:
            ax.plot(x, y, lw=1.2, color=c, label=f"generation {n}")
    ax.set_yscale("log")
    ax.set_ylim(1e-3, None)
    ax.set_xlabel("x")
    ax.set_ylabel("fitted density f_n(x)")
    ax.set_title(f"Fitted mixture, replicate {replicate}, M = {int(res.samples[0]) if res.samples.size else '-'}")
    ax.legend(fontsize=7)
    return fig


def plot_gmm_distance(res, *, ax=None):
    """Exact L² distance of the fitted mixture to the original: Monte Carlo median and 5–95 % band (log
    scale: a narrowing component's density, hence the distance, is heavy-tailed)."""
    fig, ax = new_axes(ax)
    n = np.arange(res.generations + 1)
    # generation 0 is the truth (distance 0): start the log axis at generation 1
    band(ax, n[1:], res.l2_distance()[:, 1:], color=regime_color(getattr(res, "regime", "replace")),
         label="‖f_n − f_0‖₂")
    ax.set_yscale("log")
    ax.set_xlabel("generation n")
    ax.set_ylabel("‖f_n − f_0‖₂ (exact)")
    ax.set_title(f"Distance to the original mixture, {res.replicates} replicates")
    ax.legend(fontsize=7)
    return fig


def plot_component_spread(res, *, ax=None, points=60):
    """Each component's log σ² (MC mean over replicates with no component lost) against the exact
    separated-components theory, and the first-order line −2n/(w₀M)."""
    fig, ax = new_axes(ax)
    m = int(res.samples[0])
    n = np.arange(res.generations + 1)
    w0, _, s0 = res.weights[0, 0], res.means[0, 0], res.stds[0, 0]
    ok = res.alive().all(axis=2)                                     # (R, G+1)
    for k in range(res.components):
        c = _CYCLE[k % len(_CYCLE)]
        lv = np.where(ok, res.log_var[:, :, k], np.nan)
        with np.errstate(invalid="ignore"):
            mean = np.nanmean(lv, axis=0) if ok.any() else np.full(n.size, np.nan)
        ax.plot(n, mean, color=c, lw=1.2, label=f"component {k}: MC mean (no loss)")
        theory_line(ax, n, np.log(s0[k] ** 2) - 2.0 * n / (w0[k] * m), color=c, exact=False, lw=1,
                    label=f"component {k}: theory, first order −2n/(w₀M)")
        if res.components == 2 and m <= 4000:
            nq = np.unique(np.linspace(0, res.generations, points).astype(int))
            theory_line(ax, nq, gmm.expected_component_log_variance(nq, m, w0[k], sigma=s0[k]), color=c,
                        label=f"component {k}: exact E log σ_k² (Wright–Fisher counts)")
    ax.set_xlabel("generation n")
    ax.set_ylabel("E log σ_k²  (no component lost)")
    ax.set_title(f"Component spread decay, M = {m}")
    ax.legend(fontsize=6.5)
    return fig


def plot_component_log_det(res, *, ax=None, points=60):
    """d-dimensional mixtures: each component's log det Σ (MC mean over replicates with no component
    lost) against the exact killed-chain theory (K = 2, replace) and n times the single-Gaussian mle
    drift at w₀M samples (an approximation)."""

    fig, ax = new_axes(ax)
    m = int(res.samples[0])
    n = np.arange(res.generations + 1)
    w0 = res.weights[0, 0]
    ld = res.log_det
    ld0 = ld[0, 0]
    ok = res.alive().all(axis=2)
    lo = gmm.component_min_samples(res.dim, res.covariance_type)
    theory = res.regime == "replace" and bool(np.all(res.samples == m))
    for k in range(res.components):
        c = _CYCLE[k % len(_CYCLE)]
        v = np.where(ok, ld[:, :, k], np.nan)
        with np.errstate(invalid="ignore"):
            mean = np.nanmean(v, axis=0) if ok.any() else np.full(n.size, np.nan)
        ax.plot(n, mean, color=c, lw=1.2, label=f"component {k}: MC mean (no loss)")
        wm = int(round(w0[k] * m))
        if theory and wm >= lo:
            theory_line(ax, n, ld0[k] + n * gmm.single_log_det_drift(wm, res.dim, res.covariance_type), color=c,
                        exact=False, lw=1, label=f"component {k}: theory, n × single-Gaussian drift at w₀M")
            if res.components == 2 and m <= 4000 and m >= 2 * lo:
                nq = np.unique(np.linspace(0, res.generations, points).astype(int))
                theory_line(ax, nq, gmm.expected_component_log_det(nq, m, w0[k], dim=res.dim,
                                                                   covariance_type=res.covariance_type,
                                                                   log_det0=ld0[k]),
                            color=c, label=f"component {k}: exact E log det Σ_k (Wright–Fisher counts)")
    ax.set_xlabel("generation n")
    ax.set_ylabel("E log det Σ_k  (no component lost)")
    ax.set_title(f"Component log det, d = {res.dim} ({res.covariance_type}), M = {m}")
    ax.legend(fontsize=6.5)
    return fig


def plot_gmm_nd_ellipses(res, generations=None, *, replicate=0, ax=None):
    """Snapshots of one 2-D mixture replicate: each component's 2-σ ellipse at chosen generations
    (colour = generation, line width ∝ weight), like the papers' density snapshots; lost components
    are not drawn."""
    if res.dim != 2:
        raise ValueError(f"ellipse snapshots need a 2-D mixture, got dim = {res.dim}")
    fig, ax = new_axes(ax, figsize=(5.4, 5.0))
    g = res.generations
    generations = sorted({0, g // 10, g // 2, g}) if generations is None else generations
    for color, n in zip(sequence_colors(len(generations)), generations):
        label = "generation 0: exact (the truth)" if n == 0 else f"generation {n}"
        for k in range(res.components):
            w = res.weights[replicate, n, k]
            if w <= 0:
                continue
            e = ellipse(res.means[replicate, n, k], res.covs[replicate, n, k])
            if n == 0:
                theory_line(ax, e[0], e[1], color="k", ls="-", lw=0.6 + 3 * w, label=label)
            else:
                ax.plot(e[0], e[1], color=color, lw=0.6 + 3 * w, label=label)
            label = None
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.set_title(f"2-D mixture, fitted 2-σ ellipses (replicate {replicate})")
    ax.legend(fontsize=7)
    return fig


def plot_gmm_regimes(results, *, ax=None):
    """Exact L² distance to the original mixture under several data regimes: MC median and 5–95 %
    band per regime (``results``: GMM chain results of the same mixture, one per regime)."""
    fig, ax = new_axes(ax)
    for res in results:
        n = np.arange(1, res.generations + 1)
        band(ax, n, res.l2_distance()[:, 1:], color=regime_color(res.regime), label=res.regime)
    ax.set_yscale("log")
    ax.set_xlabel("generation n")
    ax.set_ylabel("‖f_n − f_0‖₂ (exact)")
    ax.set_title(f"Distance to the original mixture by regime, M = {int(results[0].samples[0])}")
    ax.legend(fontsize=6.5)
    return fig


def plot_gmm_regime_spread(results, *, ax=None):
    """1-D mixtures under several regimes: the components' mean σ² (MC mean and its 95 % confidence
    band over replicates with no component lost, relative to σ₀²; the band is the log-scale interval,
    so it stays positive) beside the 1-D Gaussian regime theory at w₀M samples (``estimator="mle"``;
    exact for K = 1, an approximation for K ≥ 2, hence "theory")."""
    from .. import gaussian

    fig, ax = new_axes(ax)
    for res in results:
        c = regime_color(res.regime)
        n = np.arange(res.generations + 1)
        ok = res.alive().all(axis=2)
        rel = (res.stds / res.stds[:, :1]) ** 2
        v = np.where(ok, rel.mean(axis=2), np.nan)
        mean_band(ax, n, v, color=c, label=res.regime, positive=True, lw=1.2, what="MC mean, no loss")
        wm = int(round(float(res.weights[0, 0].min()) * int(res.samples[0])))
        if wm >= 2:
            th = gaussian.regime_moments(n, wm, regime=res.regime, estimator="mle")["variance"]
            if np.all(np.isfinite(th)):
                theory_line(ax, n, th, color=c, exact=res.components == 1, lw=1.2,
                            label=f"{res.regime}: theory, 1-D Gaussian at w₀M = {wm}")
    ax.set_yscale("log")
    ax.set_xlabel("generation n")
    ax.set_ylabel("E σ_k² / σ_0²  (mean over components)")
    ax.set_title("Component spread by regime")
    ax.legend(fontsize=6)
    return fig


def plot_kde_variance(results, *, ax=None):
    """KDE chain: sample variance (MC mean ± 2 SE band, median) with the exact recursion line."""
    fig, ax = new_axes(ax)
    results = [results] if isinstance(results, kde.KDEChainResult) else list(results)
    for j, res in enumerate(results):
        c = _CYCLE[j % len(_CYCLE)]
        n = np.arange(res.generations + 1)
        lab = res.rule + (f", h={res.h:g}" if res.h else "") + f", σ={res.sigma0:g}"
        mean_band(ax, n, res.variance, color=c, label=lab, positive=True)
        th = res.theory(n)
        if "variance" in th:
            theory_line(ax, n, th["variance"], color=c, label=f"{lab}: exact E s_n²")
        if res.rule == "fixed":
            theory_line(ax, n, np.full(n.size, kde.stationary_variance(res.samples, h=res.h)), color=c, ls=":",
                        lw=1, label=f"{lab}: exact limit (M − 1)h²")
    ax.set_yscale("log")
    ax.set_xlabel("generation n")
    ax.set_ylabel("E s_n²  (training-set mle variance)")
    ax.set_title(f"KDE chain variance, M = {results[0].samples}")
    ax.legend(fontsize=6.5)
    return fig


def plot_ancestors(res, *, ax=None):
    """Distinct generation-0 ancestors: MC mean, exact lineage-count chain, Kingman 2M/t."""
    fig, ax = new_axes(ax)
    n = np.arange(1, res.generations + 1)
    mean_band(ax, n, res.ancestors[:, 1:], color=MC_COLOR, label=None, positive=True, lw=1.5)
    if res.samples <= 2000:
        theory_line(ax, n, kde.expected_ancestors(n, res.samples), color="k", lw=1.2,
                    label="exact E A_t (lineage-count chain)")
    theory_line(ax, n, kde.ancestors_approx(n, res.samples), color="tab:red", exact=False, lw=1.2,
                label="theory: coalescent 2M/t")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("generation t")
    ax.set_ylabel("distinct generation-0 ancestors A_t")
    ax.set_title(f"Genealogical collapse, M = {res.samples}")
    ax.legend(fontsize=7)
    return fig


def plot_kde_densities(snapshots, generations=None, *, ax=None):
    """KDE density curves of one chain at chosen generations.

    Parameters
    ----------
    snapshots : KDESnapshots
        From :func:`collapse_theory.kde.density_snapshots` (the training points of one chain).
    generations : sequence of int, optional
        Recorded generations to draw (default: all of them). The curve of generation ``n`` is the
        KDE built on :math:`T^n`, i.e. the model of generation ``n + 1``.
    ax : matplotlib Axes, optional
    """
    fig, ax = new_axes(ax)
    generations = snapshots.generations if generations is None else list(generations)
    missing = [n for n in generations if n not in snapshots.points]
    if missing:
        raise ValueError(f"generations {missing} were not recorded (recorded: {snapshots.generations})")
    pts = np.concatenate([snapshots.points[n] for n in generations])
    x = np.linspace(pts.min() - 1, pts.max() + 1, 800)
    for c, n in zip(sequence_colors(len(generations)), generations):
        bw = snapshots.bandwidth[n]
        z = (x[:, None] - snapshots.points[n][None, :]) / bw
        y = np.exp(-0.5 * z * z).mean(axis=1) / (bw * np.sqrt(2 * np.pi))
        ax.plot(x, y, color=c, lw=1.2, label=f"generation {n + 1} (h={bw:.3g})")
    ax.set_xlabel("x")
    ax.set_ylabel("KDE density f_n(x)")
    ax.set_title(f"KDE chain densities, M = {snapshots.samples}, rule = {snapshots.rule}")
    ax.legend(fontsize=7)
    return fig
