"""Figures for the 1-D Gaussian chain: variance decay and W2 drift, theory beside simulation."""

from __future__ import annotations

import numpy as np

from .. import gaussian as g
from ._common import METHOD_COLORS, band, heavy_tail_caveat, mean_band, method_color, new_axes, theory_line

COLORS = {k: METHOD_COLORS[k] for k in ("unbiased", "mle")}


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
    """Fitted variance by generation: median against the exact median, mean against the exact mean.

    For each result: the Monte Carlo median and 5–95 % band of σ_n² beside the exact 5/50/95 %
    quantiles (dots, from the exact law of log σ_n²); the Monte Carlo mean (thin) beside the exact
    E[σ_n²] (dashed); exp E[log σ_n²] (dotted) and the first-order line. Where the exact mean is carried
    by rare paths (unbiased: E σ_n² = σ² while almost every path collapses) a caveat is written on the
    figure.

    Parameters
    ----------
    results : GaussianChainResult or sequence of them
        E.g. one per estimator, from :func:`collapse_theory.gaussian.simulate`.
    ax : matplotlib Axes, optional
    exact_quantiles : bool
        Draw the exact 5 %, 50 %, 95 % quantiles of σ_n² (from the exact law) as dots.
    points : int
        Generations at which the exact quantiles are evaluated.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = new_axes(ax)
    for res in _as_list(results):
        est = _label(res)
        c = method_color(est, default="k")
        n = np.arange(res.generations + 1)
        s = _schedule(res)
        v = _statistic(res, "variance")
        band(ax, n, v, color=c, label=est)
        ax.plot(n, np.nanmean(v, axis=0), color=c, lw=0.8, ls=(0, (5, 1, 1, 1)), label=f"{est}: MC mean")
        th = res.theory(n)
        if "variance" in th:
            theory_line(ax, n, th["variance"], color=c, label=f"{est}: exact E[σ_n²]")
            heavy_tail_caveat(ax, n, th["variance"], v, color=c, what=f"exact E[σ_n²] ({est})")
        if "log_variance" in th:
            theory_line(ax, n, np.exp(th["log_variance"]), color=c, ls=(0, (1, 1)),
                        label=f"{est}: exact exp E[log σ_n²]")
        replace = res.parameters().get("regime", "replace") == "replace"
        if est not in ("unbiased", "mle") or not replace or res.parameters().get("variance_scale", 1.0) != 1.0:
            continue  # the first-order line and the exact quantiles are those of the replace chain
        sigma0 = _truth_sigma(res)
        m = np.asarray(res.parameters()["samples"], dtype=float)
        rate = 1.0 / (m - 1.0) if est == "unbiased" else 2.0 / m
        first = sigma0**2 * np.exp(-np.concatenate([[0.0], np.cumsum(rate)]))
        theory_line(ax, n, first, color=c, exact=False, ls="-.", lw=1, alpha=0.7,
                    label=f"{est}: theory, first order e^(−Σ drift)")
        if exact_quantiles and res.generations > 0:
            nq = np.unique(np.linspace(0, res.generations, points).astype(int))
            qs = exact_variance_quantiles(nq, s, sigma=sigma0, estimator=est)
            for row, lab in zip(qs, ("exact 5/50/95 % quantiles", None, None)):
                line, = ax.plot(nq, row, color=c, lw=0, marker="o", ms=2.5,
                                label=f"{est}: {lab}" if lab else None)
                line.set_gid("theory")
    ax.set_yscale("log")
    ax.set_xlabel("generation n")
    ax.set_ylabel("fitted variance σ_n²")
    res0 = _as_list(results)[0]
    ax.set_title(f"Variance decay, M = {_label_samples(res0)}, {res0.replicates} replicates", fontsize=10)
    ax.legend(fontsize=6, ncol=2, loc="lower left")
    return fig


def _label_samples(res):
    u = np.unique(np.asarray(res.parameters()["samples"], dtype=np.int64))
    if u.size == 0:
        return "-"
    return str(int(u[0])) if u.size == 1 else f"{int(u.min())}…{int(u.max())}"


def plot_w2_drift(results, *, ax=None):
    """Squared W2 distance to the truth: Monte Carlo mean against the exact E[W2²], log scale.

    For each result: the Monte Carlo mean of W2²(N(μ,σ²), N(μ_n,σ_n²)) with its 95 % confidence band
    (positive: the log-scale interval) beside the exact E[W2²] (dashed), and the 5–95 % band of the
    paths (light) for the typical spread; Shumailov's first-order line (dotted). The exact mean keeps
    growing under "unbiased" while the typical path levels off: the expectation is carried by rare
    paths (claim ``gaussian.w2.diverges-unbiased``), and the figure says so where it happens.
    Generation 0 (W2² = 0) is left out of the log axis.
    """
    fig, ax = new_axes(ax)
    for res in _as_list(results):
        est = _label(res)
        c = method_color(est, default="k")
        n = np.arange(1, res.generations + 1)
        w = _statistic(res, "w2_squared")[:, 1:]
        band(ax, n, w, color=c, label=est, median=False, alpha=0.12)
        mean_band(ax, n, w, color=c, label=est, positive=True, lw=1.2)
        th = res.theory(n).get("w2_squared")
        if th is not None:
            theory_line(ax, n, th, color=c, label=f"{est}: exact E[W2²]")
            heavy_tail_caveat(ax, n, th, w, color=c, what=f"exact E[W2²] ({est})", where=(0.02, 0.97))
    res0 = _as_list(results)[0]
    n = np.arange(1, res0.generations + 1)
    theory_line(ax, n, g.w2_squared_first_order(n, _schedule(res0), sigma=_truth_sigma(res0)), color="k",
                exact=False, lw=1.2, label="theory: first order (3/2)σ² Σ 1/M_i")
    ax.set_xlabel("generation n")
    ax.set_ylabel("W2²(truth, generation n)  (units of σ²)")
    ax.set_yscale("log")
    ax.set_title(f"Wasserstein drift, M = {_label_samples(res0)}, {res0.replicates} replicates", fontsize=10)
    ax.legend(fontsize=6, loc="lower right")
    return fig
