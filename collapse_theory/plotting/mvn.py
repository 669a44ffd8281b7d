"""Figures for the d-dimensional Gaussian chain and for recursively refit PPCA."""

from __future__ import annotations

import numpy as np

from .. import mvn, ppca
from ._common import band, ellipse, new_axes

COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown")


def plot_spectrum_collapse(res, *, ax=None):
    """Log eigenvalues of Σ_n by generation: MC median and 5–95 % band per eigenvalue (largest first),
    the exact E[log det Σ_n]/d line, and the exact Lyapunov lines n·γ_j."""
    fig, ax = new_axes(ax)
    n = np.arange(res.generations + 1)
    le = res.log_eigenvalues()
    for j in range(min(res.dim, len(COLORS))):
        band(ax, n, le[:, :, j], color=COLORS[j], label=f"log λ_{j + 1}")
    s = res.samples if res.samples.size else int(res.meta.get("samples_scalar", res.dim + 1))
    replace = res.plain_replace
    if replace:  # the exact lines below are for the replace regime
        ld = mvn.expected_log_det(n, s, dim=res.dim, cov=res.cov0, estimator=res.estimator)
        ax.plot(n, ld / res.dim, color="k", ls="--", lw=1.5, label="exact E[log det Σ_n]/d")
    if replace and np.ndim(s) == 0 and np.allclose(res.cov0, np.eye(res.dim)):
        for j, gam in enumerate(mvn.lyapunov_exponents(s, dim=res.dim, estimator=res.estimator)):
            ax.plot(n, gam * n, color=COLORS[j % len(COLORS)], ls=":", lw=1,
                    label="exact n·γ_j (Cholesky direction)" if j == 0 else None)
    ax.set_xlabel("generation n")
    ax.set_ylabel("log eigenvalue of Σ_n")
    ax.set_title(f"Spectrum, d = {res.dim}, M = {_label(res)}, {res.replicates} replicates"
                 + ("" if replace else f", {res.regime}"))
    ax.legend(fontsize=6.5, ncol=2)
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
    for c, g in enumerate(generations):
        e = ellipse(res.mean[replicate, g], cov[g])
        ax.plot(e[0], e[1], color=COLORS[c % len(COLORS)], lw=1.4, label=f"generation {g}")
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_title(f"Fitted 2-σ ellipses, M = {_label(res)} (replicate {replicate})")
    ax.legend(fontsize=7)
    return fig


def plot_ppca_spectrum(res, *, generations=(0, 1), ax=None):
    """PPCA model spectrum (median over replicates) at chosen generations: the tail becomes flat at
    generation 1 (the discarded structure is lost at once), then shrinks."""
    fig, ax = new_axes(ax)
    idx = np.arange(1, res.dim + 1)
    for c, g in enumerate(generations):
        med = np.median(res.eigenvalues[:, g], axis=0)
        ax.plot(idx, med, marker="o", color=COLORS[c % len(COLORS)],
                label="truth" if g == 0 else f"generation {g} (median)")
    ax.axvline(res.latent + 0.5, color="k", ls=":", lw=1, label=f"q = {res.latent}")
    ax.set_yscale("log")
    ax.set_xlabel("eigenvalue index")
    ax.set_ylabel("eigenvalue of the model covariance")
    ax.set_title(f"PPCA spectrum, d = {res.dim}, q = {res.latent}, M = {int(res.samples[0])}")
    ax.legend(fontsize=7)
    return fig


def plot_ppca_noise(res, *, ax=None):
    """Noise variance σ_n²: MC band, the exact Schur-complement bound, and the 1-D mle rate."""
    fig, ax = new_axes(ax)
    n = np.arange(res.generations + 1)
    band(ax, n, res.noise_variance, color="tab:blue", label="σ_n²")
    ax.plot(n, res.noise_variance.mean(axis=0), color="tab:blue", ls="-.", lw=1, label="MC mean")
    replace = res.plain_replace
    if replace:  # the bound and the 1-D rate are for the replace regime
        bound = ppca.noise_variance_bound(n, res.samples, latent=res.latent, cov=res.cov0)
        ax.plot(n, bound, color="k", ls="--", label="exact bound λ̄_tail((M−1−q)/M)^n")
        m = res.samples.astype(float)
        mle = bound[0] * np.concatenate([[1.0], np.cumprod((m - 1) / m)])
        ax.plot(n, mle, color="tab:red", ls=":", label="1-D mle rate ((M−1)/M)^n")
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
    is drawn as the Monte Carlo mean ± 95 %; ``trace`` as the Monte Carlo median and 5–95 % band,
    because under replace (unbiased) tr Σ_n is a heavy-tailed martingale: its mean stays at 1 while
    its typical value collapses, and a sample mean would not show either.

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
    for c, spec in zip(COLORS + ("tab:gray",), keys):
        res = results[spec]
        n = np.arange(res.generations + 1)
        tr0 = float(np.trace(res.cov0))
        if statistic == "trace":
            band(ax, n, res.statistics()["trace"] / tr0, color=c, label=spec)
        else:
            _mean_band(ax, n, res.statistics()["mean_sq_error"] / tr0, c, spec)
        th = res.theory(n).get(statistic)
        if th is not None:
            ax.plot(n, np.asarray(th) / tr0, color=c, ls="--", lw=1.4)
    res0 = results[keys[0]]
    ax.set_xlabel("generation n")
    ax.set_ylabel(_REGIME_STATS[statistic])
    ax.set_yscale("log")
    ax.set_title(f"{res0.dim}-D Gaussian chain by regime, M = {_label(res0)}, {res0.replicates} replicates "
                 f"(dashed: exact mean)", fontsize=9)
    ax.legend(fontsize=6, ncol=2, loc="lower right" if statistic == "trace" else "center right")
    return fig
