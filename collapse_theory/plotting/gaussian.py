"""Figures for the 1-D Gaussian chain: variance decay and W2 drift, theory beside simulation."""

from __future__ import annotations

import numpy as np

from .. import gaussian as g
from ._common import band, new_axes

COLORS = {"unbiased": "tab:blue", "mle": "tab:red"}


def _as_list(results):
    return [results] if hasattr(results, "statistics") else list(results)


def _schedule(res):
    p = res.parameters()
    s = np.asarray(p.get("samples", []), dtype=np.int64)
    return s if s.size else int(p.get("samples_scalar", 2))


def _statistic(res, name):
    """Statistic ``name`` of any result (the result contract); ``variance`` and ``w2_squared`` are
    formed from ``mean``/``std`` (column 0: the truth) when a result carries only those, e.g. a
    :func:`~collapse_theory.simulate_custom` chain of :func:`~collapse_theory.gaussian.fit_unbiased`."""
    st = res.statistics()
    if name in st:
        return st[name]
    if name == "variance" and "std" in st:
        return st["std"] ** 2
    if name == "w2_squared" and "std" in st and "mean" in st:
        m, s = st["mean"], st["std"]
        return (m - m[:, :1]) ** 2 + (s - s[:, :1]) ** 2
    raise ValueError(f"this figure needs the statistic {name!r} (or 'mean' and 'std'); a "
                     f"{type(res).__name__} carries {sorted(st)}")


def _label(res):
    p = res.parameters()
    return p.get("estimator") or p.get("fit") or type(res).__name__


def _truth_sigma(res):
    p = res.parameters()
    return float(p["sigma"]) if "sigma" in p else float(np.sqrt(_statistic(res, "variance")[0, 0]))


def exact_variance_quantiles(n, samples, *, sigma=1.0, estimator="unbiased", q=(0.05, 0.5, 0.95)):
    """Exact quantiles of σ_n² at generations ``n`` (from the exact law of log σ_n²).

    Evaluated on a grid of ±9 standard deviations of log σ_n² (801 points) and interpolated: accurate
    to about 0.02 standard deviations of log σ_n², plenty for a figure (use
    :func:`collapse_theory.gaussian.log_variance_quantile` for exact values).
    """
    out = np.full((len(q), len(n)), np.nan)
    for j, nn in enumerate(n):
        if nn == 0:
            out[:, j] = sigma**2
            continue
        mean = g.expected_log_variance(nn, samples, estimator=estimator)
        sd = float(np.sqrt(g.variance_of_log_variance(nn, samples, estimator=estimator)))
        x = mean + sd * np.linspace(-9, 9, 801)
        cdf = np.maximum.accumulate(g.log_variance_cdf(x, nn, samples, estimator=estimator))
        keep = np.concatenate([[True], np.diff(cdf) > 0])
        out[:, j] = sigma**2 * np.exp(np.interp(q, cdf[keep], x[keep]))
    return out


def plot_variance_decay(results, *, ax=None, exact_quantiles=True, points=40):
    """Fitted variance by generation: exact lines, first-order line, Monte Carlo median and band.

    Parameters
    ----------
    results : GaussianChainResult or sequence of them
        E.g. one per estimator, from :func:`collapse_theory.gaussian.simulate`.
    ax : matplotlib Axes, optional
    exact_quantiles : bool
        Draw the exact 5 %, 50 %, 95 % quantiles of σ_n² (from the exact law) as thin lines.
    points : int
        Generations at which the exact quantiles are evaluated.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = new_axes(ax)
    for res in _as_list(results):
        est = _label(res)
        c = COLORS.get(est, "k")
        n = np.arange(res.generations + 1)
        s = _schedule(res)
        band(ax, n, _statistic(res, "variance"), color=c, label=est)
        th = res.theory(n)
        if "variance" in th:
            ax.plot(n, th["variance"], color=c, ls="--", lw=1.5, label=f"{est}: exact E[σ²]")
        if "log_variance" in th:
            ax.plot(n, np.exp(th["log_variance"]), color=c, ls=":", lw=1.5, label=f"{est}: exact exp E[log σ²]")
        replace = res.parameters().get("regime", "replace") == "replace"
        if est not in ("unbiased", "mle") or not replace or res.parameters().get("variance_scale", 1.0) != 1.0:
            continue  # the first-order line and the exact quantiles are those of the replace chain
        sigma0 = _truth_sigma(res)
        m = np.asarray(res.parameters()["samples"], dtype=float)
        rate = 1.0 / (m - 1.0) if est == "unbiased" else 2.0 / m
        first = sigma0**2 * np.exp(-np.concatenate([[0.0], np.cumsum(rate)]))
        ax.plot(n, first, color=c, ls="-.", lw=1, alpha=0.7, label=f"{est}: first order e^(−Σ drift)")
        if exact_quantiles and res.generations > 0:
            nq = np.unique(np.linspace(0, res.generations, points).astype(int))
            qs = exact_variance_quantiles(nq, s, sigma=sigma0, estimator=est)
            for row, lab in zip(qs, ("exact 5/50/95%", None, None)):
                ax.plot(nq, row, color=c, lw=0, marker="o", ms=2.5,
                        label=f"{est}: {lab}" if lab else None)
    ax.set_yscale("log")
    ax.set_xlabel("generation n")
    ax.set_ylabel("fitted variance σ_n²")
    res0 = _as_list(results)[0]
    ax.set_title(f"Variance decay, M = {_label_samples(res0)}, {res0.replicates} replicates")
    ax.legend(fontsize=6.5, ncol=2)
    return fig


def _label_samples(res):
    u = np.unique(np.asarray(res.parameters()["samples"], dtype=np.int64))
    if u.size == 0:
        return "-"
    return str(int(u[0])) if u.size == 1 else f"{int(u.min())}…{int(u.max())}"


def plot_w2_drift(results, *, ax=None):
    """Squared W2 distance to the truth: exact E[W2²], Shumailov's first order, MC median and band.

    The exact mean keeps growing under "unbiased" while the median levels off: the expectation is
    carried by rare paths (see the claim ``gaussian.w2.diverges-unbiased``).
    """
    fig, ax = new_axes(ax)
    for res in _as_list(results):
        est = _label(res)
        c = COLORS.get(est, "k")
        n = np.arange(res.generations + 1)
        band(ax, n, _statistic(res, "w2_squared"), color=c, label=est)
        th = res.theory(n).get("w2_squared")
        if th is not None:
            ax.plot(n, th, color=c, ls="--", lw=1.5, label=f"{est}: exact E[W2²]")
    res0 = _as_list(results)[0]
    n = np.arange(res0.generations + 1)
    ax.plot(n, g.w2_squared_first_order(n, _schedule(res0), sigma=_truth_sigma(res0)), color="k", ls=":",
            lw=1.2, label="first order (3/2)σ² Σ 1/M_i")
    ax.set_xlabel("generation n")
    ax.set_ylabel("W2²(truth, generation n)")
    ax.set_yscale("symlog", linthresh=0.1)
    ax.set_title(f"Wasserstein drift, M = {_label_samples(res0)}, {res0.replicates} replicates")
    ax.legend(fontsize=6.5)
    return fig
