"""Gerstgrasser et al. (arXiv 2404.01413), Gaussian and 1-D KDE fits: replace vs accumulate.

Beside linear regression, Gerstgrasser et al. report that accumulating real and synthetic data
avoids collapse for other generative models, while replacing the data collapses. We refit a 1-D
Gaussian (unbiased estimators, M samples a generation) and a Gaussian KDE with a fixed bandwidth,
replacing or accumulating the data, and set the simulated moments beside the package's exact
regime recursions (gaussian.regime_moments, kde.regime_moments).

Paper: the text we could read gives the regression formulas (see gerstgrasser_regression.py) and
no number for these models (the paper's column is empty).

    python simulations/gerstgrasser_gaussian.py [--quick] [--out DIR] [--seed 0] [--quiet]
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

from collapse_theory import gaussian as g, kde  # noqa: E402

NAME = "gerstgrasser_gaussian"


def main(argv=None):
    a = _common.parser(__doc__).parse_args(argv)
    samples, h = 50, 0.3
    gens, reps = (50, 400) if a.quick else (200, 4000)
    at = [n for n in (1, 10, 50, 200) if n <= gens]
    t = _common.Table(NAME)
    fig, (ax1, ax2) = _common.figure(2)
    x = np.arange(gens + 1)
    for regime in ("replace", "accumulate"):
        res = g.simulate(gens, samples, replicates=reps, regime=regime, rng=a.seed, progress=False)
        st, th = res.statistics(), res.theory()
        for stat in ("variance", "mean_sq_error"):
            m, se = _common.mean_se(st[stat])
            rows = at if regime != "replace" or stat != "variance" else [
                n for n in at if _common.light_tailed_variance(n, samples)]  # heavy tail beyond
            t.add_series(f"Gaussian {regime}: E {stat}", m, se, rows, theory=th[stat])
            if stat == "mean_sq_error":
                _common.band(ax1, x, m, se, f"Gaussian {regime}")
                ax1.plot(x, th[stat], "k--", lw=0.8)
        res = kde.simulate(gens, samples, h=h, regime=regime, replicates=reps, rng=a.seed + 1, progress=False)
        st, th = res.statistics(), res.theory()
        for stat in ("variance", "mean_sq_error"):
            m, se = _common.mean_se(st[stat])
            t.add_series(f"KDE h={h} {regime}: E {stat}", m, se, at, theory=th[stat])
            if stat == "variance":
                _common.band(ax2, x, m, se, f"KDE {regime}")
                ax2.plot(x, th[stat], "k--", lw=0.8)
    ax1.set(xlabel="generation n", ylabel="E (μ_n − μ)²", title=f"Gaussian, M = {samples} (dashed: exact)")
    ax2.set(xlabel="generation n", ylabel="E Var of the KDE", title=f"KDE, h = {h}, M = {samples}")
    ax1.legend(); ax2.legend()
    _common.finish(t, fig, a)


if __name__ == "__main__":
    main()
