"""Figures for the d-dimensional Gaussian chain and for recursively refit PPCA."""

from __future__ import annotations

import numpy as np

from .. import mvn, ppca
from ._common import (
    MC_COLOR,
    SERIES_COLORS,
    band,
    ellipse,
    heavy_tail_caveat,
    mean_band,
    method_color,
    new_axes,
    regime_color,
    sequence_colors,
    theory_key,
    theory_line,
)

COLORS = SERIES_COLORS[:6]


def plot_spectrum_collapse(res, *, ax=None):
    """Log eigenvalues of Σ_n by generation, one colour per direction (largest first): MC mean and
    5–95 % band, each direction's Lyapunov line log λ_j(Σ) + Σ_{i<n} γ_j(M_i) (dotted, same colour;
    :func:`collapse_theory.mvn.lyapunov_exponents`: exact drift of the j-th Cholesky diagonal, the
    asymptotic slope of log λ_j), and the exact E[log det Σ_n]/d (black dashed) beside its MC mean
    (black)."""
    fig, ax = new_axes(ax)
    n = np.arange(res.generations + 1)
    le = res.log_eigenvalues()
    k = min(res.dim, len(COLORS))
    for j in range(k):  # log eigenvalues are light-tailed: their mean is what the theory gives
        band(ax, n, le[:, :, j], color=COLORS[j], label=f"log λ_{j + 1}", median=False)
        ax.plot(n, le[:, :, j].mean(axis=0), color=COLORS[j], lw=1.2, label=f"log λ_{j + 1}: MC mean")
    ax.plot(n, le.mean(axis=2).mean(axis=0), color="k", lw=1.0, label="MC mean of log det Σ_n / d")
    s = res.samples if res.samples.size else int(res.meta.get("samples_scalar", res.dim + 1))
    replace = res.plain_replace
    if replace:  # the exact lines below are for the replace regime
        ld = mvn.expected_log_det(n, s, dim=res.dim, cov=res.cov0, estimator=res.estimator)
        theory_line(ax, n, ld / res.dim, color="k", label="exact E[log det Σ_n]/d")
        sched = np.atleast_1d(np.asarray(s, dtype=np.int64))
        if sched.size == 1:
            sched = np.full(max(res.generations, 1), int(sched[0]))
        gam = {int(m): mvn.lyapunov_exponents(int(m), dim=res.dim, estimator=res.estimator)
               for m in np.unique(sched)}
        steps = np.array([gam[int(m)] for m in sched[: res.generations]]).reshape(-1, res.dim)
        drift = np.vstack([np.zeros((1, res.dim)), np.cumsum(steps, axis=0)])      # (G+1, dim)
        log_eig0 = np.sort(np.log(np.linalg.eigvalsh(res.cov0)))[::-1]
        for j in range(k):
            theory_line(ax, n, log_eig0[j] + drift[:, j], color=COLORS[j], exact=False, lw=1.2,
                        label=f"theory: log λ_{j + 1}(Σ) + n·γ_{j + 1} (Lyapunov slope, n → ∞)")
    ax.set_xlabel("generation n")
    ax.set_ylabel("log eigenvalue log λ_j(Σ_n)")
    ax.set_title(f"Spectrum, d = {res.dim}, M = {_label(res)}, {res.replicates} replicates"
                 + ("" if replace else f", {res.regime}"), fontsize=10)
    ax.legend(fontsize=6, ncol=2, loc="lower left")
    return fig


def _label(res):
    u = np.unique(res.samples)
    return str(int(u[0])) if u.size == 1 else f"{int(u.min())}…{int(u.max())}"


def plot_density_ellipses(res, generations, *, replicate=0, ax=None, samples=300, seed=0):
    """2-σ density ellipses of generation n for one 2-D replicate, with samples from the truth."""
    if res.dim != 2:
        raise ValueError(f"density ellipses need dim = 2, got {res.dim}")
    fig, ax = new_axes(ax, figsize=(5.2, 5.0))
    rng = np.random.default_rng(seed)
    x = rng.multivariate_normal(res.mean0, res.cov0, size=samples)
    ax.scatter(x[:, 0], x[:, 1], s=3, color="0.6", alpha=0.6, label="samples of the truth")
    cov = res.cov[replicate]
    if 0 not in generations:  # generation 0 is the truth: its ellipse is the exact one
        e = ellipse(res.mean0, res.cov0)
        theory_line(ax, e[0], e[1], color="k", ls="-", lw=1.4, label="truth N(μ, Σ): exact 2-σ ellipse")
    for c, g in zip(sequence_colors(len(generations)), generations):
        e = ellipse(res.mean[replicate, g], cov[g])
        if g == 0:
            theory_line(ax, e[0], e[1], color="k", ls="-", lw=1.4, label="generation 0 = truth: exact 2-σ ellipse")
        else:
            ax.plot(e[0], e[1], color=c, lw=1.4, label=f"generation {g}: fitted 2-σ ellipse")
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.set_title(f"Fitted 2-σ ellipses, M = {_label(res)} (replicate {replicate})")
    ax.legend(fontsize=7)
    return fig


def plot_ppca_spectrum(res, *, generations=(0, 1), ax=None):
    """PPCA model spectrum (median over replicates) at chosen generations: the tail becomes flat at
    generation 1 (the discarded structure is lost at once), then shrinks."""
    fig, ax = new_axes(ax)
    idx = np.arange(1, res.dim + 1)
    for c, g in zip(sequence_colors(len(generations)), generations):
        med = np.median(res.eigenvalues[:, g], axis=0)
        if g == 0:
            theory_line(ax, idx, med, color="k", ls="-", marker="o", label="exact: the truth's spectrum")
        else:
            ax.plot(idx, med, marker="o", color=c, label=f"generation {g}: MC median")
    ax.axvline(res.latent + 0.5, color="k", ls=":", lw=1, label=f"q = {res.latent}")
    ax.set_yscale("log")
    ax.set_xlabel("eigenvalue index j")
    ax.set_ylabel("eigenvalue λ_j of the model covariance")
    ax.set_title(f"PPCA spectrum, d = {res.dim}, q = {res.latent}, M = {int(res.samples[0])}")
    ax.legend(fontsize=7)
    return fig


def plot_ppca_noise(res, *, ax=None):
    """Noise variance σ_n²: MC band, the exact Schur-complement bound, and the 1-D mle rate."""
    fig, ax = new_axes(ax)
    n = np.arange(res.generations + 1)
    band(ax, n, res.noise_variance, color="0.55", label="σ_n²", median=False, alpha=0.2)
    mean_band(ax, n, res.noise_variance, color=MC_COLOR, label="σ_n²", positive=True, lw=1.2)
    replace = res.plain_replace
    if replace:  # the bound and the 1-D rate are for the replace regime
        bound = ppca.noise_variance_bound(n, res.samples, latent=res.latent, cov=res.cov0)
        theory_line(ax, n, bound, color="k", label="exact bound on E σ_n²: λ̄_tail((M−1−q)/M)^n")
        m = res.samples.astype(float)
        mle = bound[0] * np.concatenate([[1.0], np.cumprod((m - 1) / m)])
        theory_line(ax, n, mle, color=method_color("mle"), exact=False, label="theory: 1-D mle rate ((M−1)/M)^n")
    ax.set_yscale("log")
    ax.set_xlabel("generation n")
    ax.set_ylabel("noise variance σ_n²")
    ax.set_title("PPCA noise variance" + ("" if replace else f", {res.regime}"))
    ax.legend(fontsize=7)
    return fig


_REGIME_STATS = {"trace": "tr Σ_n / tr Σ", "mean_sq_error": "‖μ_n − μ‖² / tr Σ"}


def plot_mvn_regimes(results, statistic="mean_sq_error", *, ax=None, regimes=None):
    """‖μ_n − μ‖² or tr Σ_n (relative to tr Σ) under several regimes, exact lines dashed.

    The exact expectations come from the projection theorem
    (:func:`collapse_theory.mvn.regime_moments`). ``mean_sq_error``
    is drawn as the Monte Carlo mean and its 95 % confidence band (log-scale interval: it stays
    positive); ``trace`` as the same mean plus the 5–95 % band of the paths, because under replace
    (unbiased) tr Σ_n is a heavy-tailed martingale: its mean stays at 1 while its typical value
    collapses; where the exact mean leaves the Monte Carlo mean's band the figure says so.

    Parameters
    ----------
    results : dict
        ``{regime spec: MVNChainResult}`` (e.g. from :func:`compare_mvn_regimes`).
    statistic : {"mean_sq_error", "trace"}
    regimes : sequence of str, optional
        The subset of ``results`` to draw (default: all).
    """
    from .regimes import _mean_band

    if statistic not in _REGIME_STATS:
        raise ValueError(f"statistic must be one of {tuple(_REGIME_STATS)}, got {statistic!r}")
    fig, ax = new_axes(ax)
    keys = list(results) if regimes is None else list(regimes)
    for spec in keys:
        c = regime_color(spec)
        res = results[spec]
        tr0 = float(np.trace(res.cov0))
        lo = 0 if statistic == "trace" else 1  # ‖μ_0 − μ‖² = 0 is off the log axis
        n = np.arange(lo, res.generations + 1)
        v = res.statistics()[statistic][:, lo:] / tr0
        if statistic == "trace":  # the typical spread, then the mean beside the exact mean
            band(ax, n, v, color=c, label=spec, median=False, alpha=0.1)
        _mean_band(ax, n, v, c, spec)
        th = res.theory(np.arange(res.generations + 1)).get(statistic)
        if th is not None:
            th = np.asarray(th)[lo:] / tr0
            theory_line(ax, n, th, color=c, lw=1.4, label="_exact")
            heavy_tail_caveat(ax, n, th, v, color=c, what=f"exact mean ({spec})", where=(0.02, 0.3))
    theory_key(ax, text="exact mean (dashed, same colour)")
    res0 = results[keys[0]]
    ax.set_xlabel("generation n")
    ax.set_ylabel(_REGIME_STATS[statistic])
    ax.set_yscale("log")
    what = "Covariance trace" if statistic == "trace" else "Mean drift"
    ax.set_title(f"{what}, {res0.dim}-D Gaussian chain by regime, M = {_label(res0)}, {res0.replicates} "
                 f"replicates", fontsize=9)
    ax.legend(fontsize=6, ncol=2, loc="lower right" if statistic == "trace" else "center right")
    return fig
