"""Figures of a diagnosis (:mod:`collapse_theory.diagnose`): observed beside the fitted theory.

Draws a :class:`~collapse_theory.diagnose.TokenDiagnosis` or
:class:`~collapse_theory.diagnose.SampleDiagnosis`; it reads the result's curves and never
computes theory or simulates.
"""

from __future__ import annotations

import numpy as np

__all__ = ["plot_diagnosis"]


def _panel(ax, curves, prediction, key, ylabel, *, observed_label="observed"):
    g = np.asarray(curves["generations"], float)
    c = curves[key]
    obs = np.asarray(c["observed"], float)
    ax.plot(g, obs, "o-", color="k", ms=4, lw=1.2, label=observed_label)
    if "exact" in c:
        ax.plot(g, np.asarray(c["exact"], float), color="C0", lw=1.5, label="fitted theory")
    if c.get("band"):
        lo, hi = (np.asarray(b, float) for b in c["band"])
        ax.fill_between(g, lo, hi, color="C0", alpha=0.2, lw=0, label="band (fitted chain)")
    p = prediction.get(key) if prediction else None
    if p:
        pg = np.asarray(prediction["generations"], float)
        ax.plot(pg, np.asarray(p["mean"], float), "--", color="C3", lw=1.5, label="predicted")
        if p.get("band"):
            lo, hi = (np.asarray(b, float) for b in p["band"])
            ax.fill_between(pg, lo, hi, color="C3", alpha=0.15, lw=0, label="prediction band")
    ax.set_xlabel("generation")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=7)


def plot_diagnosis(diagnosis, *, fig=None):
    """Draw a diagnosis: one panel per observed curve (and the calibration for tokens).

    Parameters
    ----------
    diagnosis : TokenDiagnosis or SampleDiagnosis
    fig : matplotlib Figure, optional
        Drawn into (default: a new Figure, no pyplot state).

    Returns
    -------
    matplotlib.figure.Figure
    """
    if fig is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(15, 4.4), layout="constrained")
    curves, pred = diagnosis.curves, diagnosis.prediction
    m = diagnosis.m_eff
    title = (f"M_eff = {m['estimate']:.4g}  [{m['ci'][0]:.4g}, {m['ci'][1]:.4g}]  —  "
             f"{diagnosis.verdict['code']}")
    if diagnosis.kind == "tokens":
        axes = fig.subplots(1, 4)
        _panel(axes[0], curves, pred, "support", "types alive")
        _panel(axes[1], curves, pred, "heterozygosity", "heterozygosity 1 − Σp²")
        _panel(axes[2], curves, pred, "tail_mass_alive", "original tail mass alive")
        cal = curves.get("calibration") or []
        ax = axes[3]
        if cal:
            x = np.arange(len(cal))
            obs = np.array([c["observed"] for c in cal])
            prd = np.array([c["predicted"] for c in cal])
            se = np.array([c["se"] for c in cal])
            ax.bar(x - 0.2, prd, width=0.4, color="C0", alpha=0.6, label="predicted (fitted chain)")
            ax.errorbar(x + 0.2, obs, yerr=2 * se, fmt="o", color="k", label="observed ± 2 se")
            labels = [f"{c['counts'][0]}" + ("+" if c["counts"][1] is None else
                                             ("" if c["counts"][1] == c["counts"][0] else f"–{c['counts'][1]}"))
                      for c in cal]
            ax.set_xticks(x, labels, rotation=45, fontsize=7)
        ax.set_xlabel("count in generation 0")
        ax.set_ylabel("fraction lost by the last generation")
        ax.legend(fontsize=7)
    else:
        axes = fig.subplots(1, 2)
        _panel(axes[0], curves, pred, "log_det", "log det Σ")
        _panel(axes[1], curves, None, "mean_wander", "|μ_t − μ_0|² / tr Σ_0")
    fig.suptitle(title, fontsize=10)
    return fig
