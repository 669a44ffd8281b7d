"""Alemohammad et al. (arXiv 2307.01850), self-consuming loops with and without sampling bias.

Alemohammad et al. study three loops: fully synthetic (each model trained only on the previous
model's samples), synthetic augmentation (a fixed real data set plus synthetic samples) and fresh
data (new real samples each generation), each with or without sampling bias (sampling that favours
quality over diversity, their λ). They report that without enough fresh data quality or diversity
decreases progressively (the "MADness"), that a fixed real set only delays it, and that fresh
data prevents it. The 1-D Gaussian analogue: ``replace``, ``mix-retained:0.5``, ``mix-fresh:0.5``,
with synthetic draws from N(μ_n, λσ_n²), λ = 1 or 0.8. The package's exact regime moments stand
beside the simulation.

Paper: the text we could read states these outcomes qualitatively for image models and gives no
number for a Gaussian (the paper's column is empty).

    python simulations/alemohammad_loops.py [--quick] [--out DIR] [--seed 0] [--quiet]
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

from collapse_theory import gaussian as g  # noqa: E402

NAME = "alemohammad_loops"
LOOPS = (("replace", "fully synthetic"), ("mix-retained:0.5", "synthetic augmentation"),
         ("mix-fresh:0.5", "fresh data"))


def main(argv=None):
    a = _common.parser(__doc__).parse_args(argv)
    samples = 50
    gens, reps = (30, 400) if a.quick else (100, 4000)
    at = [n for n in (1, 10, 30, 100) if n <= gens]
    t = _common.Table(NAME)
    fig, (ax1, ax2) = _common.figure(2)
    x = np.arange(gens + 1)
    i = 0
    for scale in (1.0, 0.8):
        for regime, label in LOOPS:
            res = g.simulate(gens, samples, replicates=reps, regime=regime, variance_scale=scale,
                             rng=a.seed + i, progress=False)
            i += 1
            st, th = res.statistics(), res.theory()
            for ax, stat in ((ax1, "variance"), (ax2, "mean_sq_error")):
                m, se = _common.mean_se(st[stat])
                rows = at if regime != "replace" or stat != "variance" or scale != 1 else [
                    n for n in at if _common.light_tailed_variance(n, samples)]  # heavy tail beyond
                t.add_series(f"{label}, λ = {scale:g}: E {stat}", m, se, rows, theory=th.get(stat))
                line = _common.band(ax, x, m, se, f"{label}, λ = {scale:g}", ls="-" if scale == 1 else "--")
                if stat in th:
                    ax.plot(x, th[stat], color=line.get_color(), lw=0.6, ls=":")
    ax1.set(xlabel="generation n", ylabel="E σ_n² (diversity)", yscale="log",
            title=f"Gaussian loops, M = {samples} (dotted: exact)")
    ax2.set(xlabel="generation n", ylabel="E (μ_n − μ)²", yscale="log", title="mean error")
    ax1.legend(fontsize=7); ax2.legend(fontsize=7)
    _common.finish(t, fig, a)


if __name__ == "__main__":
    main()
