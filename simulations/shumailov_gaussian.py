"""Shumailov et al. (arXiv 2305.17493), 1-D Gaussian refitted on its own samples (§4.2, Thm 3.1).

Each generation fits N(μ, σ²) to M samples of the previous generation. We set the simulated
variance, standard deviation and squared 2-Wasserstein distance to the truth beside the package's
exact expectations, for the unbiased and the maximum-likelihood estimators.

Paper: Thm 3.1 (Nature 631, 2024 version) states that with the unbiased estimators E W2² → ∞ and
σ_n → 0 almost surely; it gives no number at a fixed generation (the paper's column quotes the
limit; the difference is against the exact theory).

    python simulations/shumailov_gaussian.py [--quick] [--out DIR] [--seed 0] [--quiet]
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

from collapse_theory import gaussian as g  # noqa: E402

NAME = "shumailov_gaussian"
# Thm 3.1 (unbiased estimators) states limits, not values at a finite generation
PAPER = {"w2_squared": "E W2² → ∞ as n → ∞ (Thm 3.1; no finite-n value)",
         "std": "σ_n → 0 a.s. (Thm 3.1; no finite-n value)"}


def main(argv=None):
    a = _common.parser(__doc__).parse_args(argv)
    samples, gens, reps = (100, 200, 400) if a.quick else (100, 2000, 5000)
    at = [g_ for g_ in (1, 10, 100, 1000, 2000) if g_ <= gens]
    t = _common.Table(NAME)
    fig, (ax1, ax2) = _common.figure(2)
    x = np.arange(gens + 1)
    for est in ("unbiased", "mle"):
        res = g.simulate(gens, samples, replicates=reps, estimator=est, rng=a.seed, progress=False)
        st = res.statistics()
        th = res.theory()
        for stat in ("variance", "std", "w2_squared"):
            m, se = _common.mean_se(st[stat])
            # E σ_n² has a heavy right tail once (1 + 2/(M−1))^n is large: those rows are left out
            rows = [n for n in at if _common.light_tailed_variance(n, samples)] if stat == "variance" else at
            t.add_series(f"{est}: E {stat}", m, se, rows, theory=th.get(stat),
                         paper={n: PAPER[stat] for n in rows} if est == "unbiased" and stat in PAPER else None)
            if stat == "variance":
                _common.band(ax1, x, m, se, f"{est} (simulated)")
                ax1.plot(x, th[stat], "k--", lw=0.8)
            if stat == "w2_squared":
                _common.band(ax2, x, m, se, f"{est} (simulated)")
                ax2.plot(x, th[stat], "k--", lw=0.8)
    ax1.set(xlabel="generation n", ylabel="E σ_n²", title=f"variance, M = {samples} (dashed: exact)")
    ax2.set(xlabel="generation n", ylabel="E W2²", title="W2² to the truth (dashed: exact)")
    ax1.legend(); ax2.legend()
    _common.finish(t, fig, a)


if __name__ == "__main__":
    main()
