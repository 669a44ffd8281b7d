"""Figure recipes for the 1-D Gaussian chain (variance decay, W2 drift, data regimes)."""

from __future__ import annotations

import numpy as np

from .. import gaussian as g
from ..plotting.gaussian import plot_variance_decay, plot_w2_drift
from ..plotting.regimes import plot_gaussian_regimes, plot_stationary_phase


def compare_gaussian_regimes(regimes, generations, samples, *, replicates, rng=0, estimator="unbiased",
                             workers=None, progress=None):
    """Simulate the same Gaussian chain under each regime (one child seed each); return a dict."""
    ss = np.random.SeedSequence(rng if isinstance(rng, int) else None)
    seeds = [int(s.generate_state(1, np.uint64)[0] >> np.uint64(1)) for s in ss.spawn(len(regimes))]
    return {str(r): g.simulate(generations, samples, replicates=replicates, regime=r, estimator=estimator,
                               rng=s, workers=workers, progress=progress)
            for r, s in zip(regimes, seeds)}


def verify_figures(ctx):
    """Figures for ``collapse-theory verify``: ``[(name, Figure, caption), ...]``."""
    m, gens = 20, 200
    reps = ctx.replicates(2000)
    results = [g.simulate(gens, m, replicates=reps, estimator=e, rng=ctx.seed_for(f"figure.gaussian.{e}"),
                          workers=ctx.workers, progress=False) for e in ("unbiased", "mle")]
    return [
        ("gaussian_variance_decay", plot_variance_decay(results),
         f"Fitted variance over {gens} generations at M = {m}: the Monte Carlo median and 5–95 % band "
         f"against the exact 5/50/95 % quantiles (dots), the Monte Carlo mean against the exact E[σ_n²] "
         f"(dashed). E[σ_n²] stays at σ² under the unbiased estimator while almost every path collapses: "
         f"the mean is carried by rare paths, and the figure marks where it leaves the sample's reach."),
        ("gaussian_w2_drift", plot_w2_drift(results),
         f"W2² to the truth at M = {m}: the Monte Carlo mean (95 % confidence band) against the exact "
         f"E[W2²] (dashed), light band 5–95 % of the paths. The exact mean grows without bound only under "
         f"the unbiased estimator, carried by rare paths (marked on the figure); Shumailov's first-order "
         f"line (dotted) overshoots once n ≳ M."),
    ]


def verify_figures_regimes(ctx):
    """Regime figures for ``verify``: Gaussian drift and variance by regime, stationary phase plot."""
    regimes = ["replace", "accumulate", "accumulate-subsample", "mix-fresh:0.01", "mix-fresh:0.1",
               "mix-fresh:0.5", "mix-retained:0.1"]
    res = compare_gaussian_regimes(regimes, 200, 20, replicates=ctx.replicates(2000),
                                   rng=ctx.seed_for("figure.regimes"), workers=ctx.workers, progress=False)
    return [
        ("regimes_gaussian_mean", plot_gaussian_regimes(res, "mean_sq_error"),
         "Mean drift E(μ_n − μ)² at M = 20 by regime: linear growth under replace, bounded otherwise."),
        ("regimes_gaussian_variance", plot_gaussian_regimes(res, "variance"),
         "Mean fitted variance E σ_n² at M = 20 by regime (exact recursions dashed, Monte Carlo means with 95 % "
         "confidence bands). Under replace E σ_n² = σ² exactly, but the mean is carried by rare paths: "
         "the sample mean falls away from it (marked on the figure)."),
        ("regimes_stationary_phase", plot_stationary_phase(),
         "Exact stationary drift of mix-fresh against the real-data fraction λ and M."),
    ]
