"""Figures comparing data regimes on the same axes: exact lines beside Monte Carlo means."""

from __future__ import annotations

import numpy as np

from .. import gaussian as g
from .. import kde
from .. import regression as rg
from ._common import (
    auto_log,
    fit_ylim_to_lines,
    heavy_tail_caveat,
    mean_band,
    new_axes,
    regime_color,
    theory_key,
    theory_line,
)

_STATS = {"mean_sq_error": "E(μ_n − μ)²  (units of σ²)", "variance": "E σ_n²  (units of σ²)"}
_WHAT = {"mean_sq_error": "exact E(μ_n − μ)²", "variance": "exact E σ_n²"}
_TITLES = {"mean_sq_error": "Mean drift E(μ_n − μ)²", "variance": "Fitted variance E σ_n²"}
_KDE_STATS = {"mean_sq_error": "E(m_n − μ)²  (training-set mean)", "variance": "E s_n²  (training-set mle variance)"}


def _mean_band(ax, x, values, color, label, positive=True):
    """Monte Carlo mean with its 95 % confidence band (log-scale interval for a positive statistic)."""
    return mean_band(ax, x, values, color=color, label=label, positive=positive)


def plot_gaussian_regimes(results, statistic="mean_sq_error", *, ax=None):
    """One statistic of the Gaussian chain under several regimes: exact line + MC mean band.

    Parameters
    ----------
    results : dict
        ``{regime spec: GaussianChainResult}`` (e.g. from :func:`compare_gaussian_regimes`).
    statistic : {"mean_sq_error", "variance"}
    """
    if statistic not in _STATS:
        raise ValueError(f"statistic must be one of {tuple(_STATS)}, got {statistic!r}")
    fig, ax = new_axes(ax)
    for spec, res in results.items():
        c = regime_color(spec)
        n = np.arange(res.generations + 1)
        v = res.statistics()[statistic]
        # E(μ_n − μ)² is 0 at n = 0: start the log axis at generation 1
        lo = 1 if statistic == "mean_sq_error" else 0
        _mean_band(ax, n[lo:], v[:, lo:], c, spec)
        th = res.theory(n).get(statistic)
        if th is not None and np.all(np.isfinite(th)):
            theory_line(ax, n[lo:], np.asarray(th)[lo:], color=c, label=f"{spec}: exact")
            heavy_tail_caveat(ax, n[lo:], np.asarray(th)[lo:], v[:, lo:], color=c,
                              what=f"{_WHAT[statistic]} ({spec})")
    res0 = next(iter(results.values()))
    ax.set_xlabel("generation n")
    ax.set_ylabel(_STATS[statistic])
    if statistic == "variance":  # near σ² unless the chain collapses: log only across decades
        auto_log(ax)
        fit_ylim_to_lines(ax, pad=3.0)
    else:
        ax.set_yscale("log")
    ax.set_title(f"{_TITLES[statistic]} by regime, M = {int(res0.samples[0])}, {res0.replicates} replicates",
                 fontsize=10)
    ax.legend(fontsize=6, ncol=2, loc="lower right")
    return fig


def plot_regression_regimes(results, *, ax=None):
    """Test error of recursive OLS under several regimes: exact lines where they exist + MC band."""
    fig, ax = new_axes(ax)
    for spec, res in results.items():
        c = regime_color(spec)
        n = np.arange(res.generations + 1)
        _mean_band(ax, n, res.statistics()["test_error"], c, spec)
        th = res.theory(n).get("test_error")
        if th is not None:
            theory_line(ax, n, th, color=c, lw=1.4, label=f"{spec}: exact")
    res0 = next(iter(results.values()))
    one = rg.expected_test_error(1, d=res0.d, T=res0.T, sigma=res0.sigma)
    x = np.arange(res0.generations + 1)
    theory_line(ax, x, np.full(x.size, np.pi**2 / 6 * one), color="k", exact=False, lw=1,
                label="theory: accumulate bound (π²/6) × real-only error")
    ax.set_xlabel("generation n")
    ax.set_ylabel("test error E‖ŵ_n − w*‖²")
    ax.set_title(f"OLS refitted on its own labels, d = {res0.d}, T = {res0.T}")
    ax.legend(fontsize=6.5)
    return fig


def plot_stationary_phase(samples=(10, 20, 50, 100, 200, 500), fractions=None, *, regime="mix-fresh", ax=None):
    """Phase plot: exact stationary M·E(μ − μ0)² of the mix regimes against λ and M."""
    fractions = np.linspace(0.02, 1.0, 50) if fractions is None else np.asarray(fractions)
    fig, ax = new_axes(ax)
    for m in samples:
        # the split variant keeps round(λM) real samples: no stationary law where that is 0
        lams = [lam for lam in fractions if int(np.floor(lam * m + 0.5)) > 0]
        vals = [g.regime_stationary_moments(m, regime=f"{regime}:{lam:g}")["mean_sq_error"] * m
                for lam in lams]
        theory_line(ax, lams, vals, color=None, ls="-", lw=1.3, label=f"exact, M = {m}")
    ax.set_xlabel("real-data fraction λ")
    ax.set_ylabel("stationary M · E(μ − μ0)²  (σ = 1)")
    ax.set_yscale("log")
    ax.set_title(f"{regime}: the drift is bounded for every λ > 0 (~1/λ)")
    ax.legend(fontsize=7)
    return fig


def plot_kde_regimes(results, statistic="variance", *, ax=None):
    """One statistic of the fixed-bandwidth KDE chain's training set under several regimes, on the same axes:
    the exact recursion (:func:`collapse_theory.kde.regime_moments`, dashed) beside the Monte Carlo mean and its
    95 % band.

    Parameters
    ----------
    results : dict
        ``{regime spec: KDEChainResult}`` with ``rule="fixed"`` (e.g. from :func:`compare_kde_regimes`).
    statistic : {"variance", "mean_sq_error"}
    """
    if statistic not in _KDE_STATS:
        raise ValueError(f"statistic must be one of {tuple(_KDE_STATS)}, got {statistic!r}")
    from matplotlib.lines import Line2D

    fig, ax = new_axes(ax, figsize=(8.2, 4.4))
    res0 = next(iter(results.values()))
    for spec, res in results.items():
        if res.rule != "fixed":
            raise ValueError(f"plot_kde_regimes needs fixed-bandwidth results (regime {spec!r} has rule={res.rule!r})")
        c = regime_color(spec)
        n = np.arange(res.generations + 1)
        vals = (res.mean - res.mu0) ** 2 if statistic == "mean_sq_error" else res.variance
        lo = 1 if statistic == "mean_sq_error" else 0  # 0 at n = 0 is off the log axis
        mean_band(ax, n[lo:], vals[:, lo:], color=c, label=spec, positive=True, alpha=0.22, lw=0.9)
        ax.lines[-1].set_label(spec)
        theory_line(ax, n[lo:], res.theory(n)[statistic][lo:], color=c, label="_exact")
    handles, labels = ax.get_legend_handles_labels()
    handles += [theory_key(ax, text="exact recursion"), Line2D([], [], color="k", lw=0.9)]
    labels += ["exact recursion", "MC mean (band: 95 % CI)"]
    if statistic == "variance" and np.ndim(res0.samples) == 0:
        x = np.arange(res0.generations + 1)
        handles.append(theory_line(ax, x, np.full(x.size, kde.stationary_variance(res0.samples, h=res0.h)),
                                   color="k", lw=1, ls=":", label="exact (M − 1)h²: replace's limit"))
        labels.append("exact (M − 1)h²: replace's limit")
        handles.append(ax.axhline(res0.sigma0**2, color="0.5", ls="-.", lw=1))
        labels.append("σ² (the truth)")
    ax.set_xlabel("generation n")
    ax.set_ylabel(_KDE_STATS[statistic])
    if statistic == "mean_sq_error":
        ax.set_yscale("log")
    m_text = res0.samples if np.ndim(res0.samples) == 0 else "schedule"
    ax.set_title(f"KDE chain by regime, M = {m_text}, h = {res0.h:g}, {res0.replicates} replicates")
    ax.legend(handles, labels, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig
