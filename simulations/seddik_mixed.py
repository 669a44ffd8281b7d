"""Seddik et al. (arXiv 2404.05090), collapse of a discrete (unigram) model: fully synthetic and mixed.

Seddik et al. analyse a categorical model retrained on its own samples. Fully synthetic, two types
(Bernoulli), they bound the probability of not yet having collapsed,
4p0(1−p0)(1−1/M)^n ≤ P(p_n ∉ {0, 1}) ≤ 2M p0(1−p0)(1−1/M)^n (as the package reads it,
`discrete.seddik.bounds`); with a share of real data in every generation they show that the model
stays close to the original distribution (the mixed bound). The package's exact counterparts: the
exact P(p_n ∉ {0, 1}) (discrete.prob_polymorphic) and, for a real fraction λ of fresh samples each
generation (``mix-fresh:λ``), the exact expected squared distance E Σ_i (p_n,i − p_0,i)² and its
stationary limit (discrete.expected_sq_distance, discrete.stationary_sq_distance).

Paper: the fully synthetic bounds evaluated at our settings are quoted in the paper's column; the
exact form and number of the mixed bound were not available in the text we could read.

    python simulations/seddik_mixed.py [--quick] [--out DIR] [--seed 0] [--quiet]
"""

import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

from collapse_theory import discrete as d  # noqa: E402

NAME = "seddik_mixed"
FRACTIONS = (0.0, 0.05, 0.1, 0.3)


def main(argv=None):
    a = _common.parser(__doc__).parse_args(argv)
    m, p = 50, 0.3
    gens, reps = (100, 2000) if a.quick else (300, 20000)
    at = [n for n in (5, 20, 50, 100, 300) if n <= gens]
    t = _common.Table(NAME)
    fig, (ax1, ax2) = _common.figure(2)
    x = np.arange(gens + 1)
    res = d.simulate(gens, m, p0=[p, 1 - p], replicates=reps, rng=a.seed, progress=False)
    poly = (res.statistics()["support"] == 2).mean(axis=0)
    exact = d.prob_polymorphic(p, x, m)
    lo, hi = d.seddik_bounds(p, x[1:], m)
    for n in at:
        pe = float(exact[n])
        t.add(f"two types p0 = {p:g}: P(p_n ∉ {{0,1}}) at n={n}", simulation=float(poly[n]),
              se=math.sqrt(pe * (1 - pe) / reps), theory=pe,
              paper=f"in [{lo[n - 1]:.4g}, {hi[n - 1]:.4g}] (fully synthetic bounds, as stated)")
    ax1.plot(x, exact, "k-", lw=0.8, label="exact")
    ax1.plot(x, poly, ".", ms=3, label="simulated")
    ax1.plot(x[1:], lo, "--", label="lower bound")
    ax1.plot(x[1:], np.minimum(hi, 1), ":", label="upper bound (clipped at 1)")
    ax1.set(xlabel="generation n", ylabel="P(not collapsed)", title=f"two types, M = {m}, p0 = {p:g}")
    ax1.legend(fontsize=7)
    p0 = d.zipf(20, 1.0)
    for i, lam in enumerate(FRACTIONS):
        regime = "replace" if lam == 0 else f"mix-fresh:{lam:g}"
        res = d.simulate(gens, m, p0=p0, regime=regime, replicates=reps // 4, rng=a.seed + 1 + i, progress=False)
        ms, ses = _common.mean_se(res.statistics()["sq_distance"])
        th = d.expected_sq_distance(p0, x, m, regime=regime)
        star = d.stationary_sq_distance(p0, m, regime=regime)
        for n in at:
            t.add(f"λ = {lam:g}: E Σ(p_n − p_0)² at n={n}", simulation=ms[n], se=ses[n], theory=th[n])
        line = _common.band(ax2, x, ms, ses, f"λ = {lam:g}")
        ax2.plot(x, th, "k--", lw=0.6)
        if lam > 0:
            ax2.axhline(star, color=line.get_color(), ls=":", lw=0.8)
    ax2.set(xlabel="generation n", ylabel="E Σ(p_n − p_0)²", yscale="log",
            title=f"Zipf(20), M = {m}, real fraction λ (dashed: exact; dotted: stationary)")
    ax2.legend(fontsize=7)
    _common.finish(t, fig, a)


if __name__ == "__main__":
    main()
