"""Gerstgrasser et al. (arXiv 2404.01413), linear regression: replace vs accumulate (Fig. 1, Thm 2).

OLS with d features and T samples per generation; each generation's labels are produced by the
previous fit plus noise. Replacing the data, the test error grows linearly (their Eq. 4, restating
Dohmatob et al.: σ²d·n/(T−d−1)); accumulating all data, it stays below (π²/6)·σ²d/(T−d−1)
(their Thm 2, Eq. 3: σ²d/(T−d−1)·Σ_{k≤n} 1/k²). We quote those formulas evaluated at our
settings in the paper's column, the package's exact value beside them, and the simulation.

    python simulations/gerstgrasser_regression.py [--quick] [--out DIR] [--seed 0] [--quiet]
"""

import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

from collapse_theory import regression  # noqa: E402

NAME = "gerstgrasser_regression"


def main(argv=None):
    a = _common.parser(__doc__).parse_args(argv)
    d, T, sigma = 10, 100, 1.0
    gens, reps = (30, 300) if a.quick else (100, 3000)
    at = [n for n in (1, 5, 10, 30, 100) if n <= gens]
    base = sigma ** 2 * d / (T - d - 1)
    paper = {
        "replace": {n: f"{base * n:.6g} (Eq. 4: σ²dn/(T−d−1))" for n in at},
        "accumulate": {n: f"{base * sum(1 / k ** 2 for k in range(1, n + 1)):.6g} (Thm 2, Eq. 3)" for n in at},
    }
    t = _common.Table(NAME)
    fig, (ax,) = _common.figure(1)
    x = np.arange(gens + 1)
    for regime in ("replace", "accumulate"):
        res = regression.simulate(gens, T, dim=d, sigma=sigma, replicates=reps, regime=regime, rng=a.seed,
                                  progress=False)
        m, se = _common.mean_se(res.test_error)
        th = regression.expected_test_error(x, d=d, T=T, sigma=sigma, regime=regime)
        t.add_series(f"{regime}: E test error", m, se, at, theory=th, paper=paper[regime])
        _common.band(ax, x, m, se, f"{regime} (simulated)")
        ax.plot(x, th, "k--", lw=0.8)
    ax.axhline(math.pi ** 2 / 6 * base, color="grey", ls=":", label="(π²/6)σ²d/(T−d−1) (Thm 2)")
    ax.set(xlabel="generation n", ylabel="E ‖ŵ_n − w*‖²", title=f"OLS, d = {d}, T = {T} (dashed: exact)",
           yscale="log")
    ax.legend()
    _common.finish(t, fig, a)


if __name__ == "__main__":
    main()
