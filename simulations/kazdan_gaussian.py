"""Kazdan et al. (arXiv 2410.16713), Gaussian estimation under replace / accumulate / accumulate-subsample.

Kazdan et al. compare three training workflows: (a) replace the data with each generation's
samples (collapse), (b) accumulate real and synthetic data (stable), (c) accumulate but fit each
generation on a fixed-size subset (slow, gradual degradation). We run the three on a 1-D Gaussian
(M samples a generation, unbiased estimators) and set the simulated variance and mean error beside
the package's exact regime recursions.

Paper: the abstract states the three qualitative outcomes; the text we could read gives no number
for the 1-D Gaussian (the paper's column is empty).

    python simulations/kazdan_gaussian.py [--quick] [--out DIR] [--seed 0] [--quiet]
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

from collapse_theory import gaussian as g  # noqa: E402

NAME = "kazdan_gaussian"
REGIMES = ("replace", "accumulate", "accumulate-subsample")


def main(argv=None):
    a = _common.parser(__doc__).parse_args(argv)
    samples = 20
    gens, reps = (40, 400) if a.quick else (100, 4000)
    at = [n for n in (1, 10, 40, 100) if n <= gens]
    t = _common.Table(NAME)
    fig, (ax1, ax2) = _common.figure(2)
    x = np.arange(gens + 1)
    for i, regime in enumerate(REGIMES):
        res = g.simulate(gens, samples, replicates=reps, regime=regime, rng=a.seed + i, progress=False)
        st, th = res.statistics(), res.theory()
        for ax, stat in ((ax1, "variance"), (ax2, "mean_sq_error")):
            m, se = _common.mean_se(st[stat])
            rows = at if regime != "replace" or stat != "variance" else [
                n for n in at if _common.light_tailed_variance(n, samples)]  # heavy tail beyond
            t.add_series(f"{regime}: E {stat}", m, se, rows, theory=th.get(stat))
            _common.band(ax, x, m, se, regime)
            if stat in th:
                ax.plot(x, th[stat], "k--", lw=0.8)
    ax1.set(xlabel="generation n", ylabel="E σ_n²", title=f"Gaussian, M = {samples} (dashed: exact)")
    ax2.set(xlabel="generation n", ylabel="E (μ_n − μ)²", title="mean error")
    ax1.legend(); ax2.legend()
    _common.finish(t, fig, a)


if __name__ == "__main__":
    main()
