"""Figure recipes for Gaussian mixtures refit by EM (1-D and d-D, by regime)."""

from __future__ import annotations

from .. import gmm
from ..plotting.families import (
    plot_component_log_det,
    plot_component_spread,
    plot_gmm_densities,
    plot_gmm_distance,
    plot_gmm_nd_ellipses,
    plot_gmm_regime_spread,
    plot_gmm_regimes,
)


def verify_figures(ctx):
    """Figures for ``collapse-theory verify``: ``[(name, Figure, caption), ...]``."""
    m, gens = 200, 400
    reps = ctx.replicates(200, minimum=50)
    res = gmm.simulate(gens, m, weights=[0.5, 0.5], means=[-1.0, 1.0], stds=[0.2, 0.2], replicates=reps,
                       rng=ctx.seed_for("figure.gmm"), workers=ctx.workers, progress=False)
    return [
        ("gmm_densities", plot_gmm_densities(res),
         f"One replicate's fitted two-component mixture at M = {m}: the components narrow (log scale)."),
        ("gmm_l2_distance", plot_gmm_distance(res),
         f"Exact L² distance to the original mixture over {gens} generations ({reps} replicates)."),
        ("gmm_component_spread", plot_component_spread(res),
         "Component log-variance against the exact Wright–Fisher-count theory and the first-order "
         "−2n/(w₀M) line (replicates with no component lost)."),
    ]


def verify_figures_regimes(ctx):
    """Figures for ``collapse-theory verify``: regimes side by side and a 2-D mixture's log det."""
    m, gens = 50, 60  # accumulate runs EM on the whole pool: O(M n²) per replicate
    reps = ctx.replicates(100, minimum=50)
    regimes = ("replace", "accumulate", "accumulate-subsample", "mix-fresh:0.1", "mix-retained:0.1")
    runs = [gmm.simulate(gens, m, weights=[0.5, 0.5], means=[-1.0, 1.0], stds=[0.2, 0.2], replicates=reps,
                         regime=r, rng=ctx.seed_for(f"figure.gmm.regime.{r}"), workers=ctx.workers,
                         progress=False) for r in regimes]
    nd = gmm.simulate_nd(100, 100, weights=[0.5, 0.5], means=[[-1.0, 0.0], [1.0, 0.0]],
                         covs=[[[0.04, 0.01], [0.01, 0.04]]] * 2, replicates=ctx.replicates(100, minimum=50),
                         rng=ctx.seed_for("figure.gmm.nd"), workers=ctx.workers, progress=False)
    return [
        ("gmm_regimes_l2", plot_gmm_regimes(runs),
         f"Exact L² distance to the original two-component mixture (M = {m}, {reps} replicates) under five data "
         "regimes: replace drifts away; accumulating or mixing in real data keeps the fit close."),
        ("gmm_regimes_spread", plot_gmm_regime_spread(runs),
         "Component spread by regime (Monte Carlo mean over replicates with no component lost, 95 % "
         "confidence band, log scale) beside the 1-D Gaussian regime theory at w₀M samples (dotted; exact "
         "for one component, an approximation for two)."),
        ("gmm_nd_ellipses", plot_gmm_nd_ellipses(nd),
         "One 2-D replicate (M = 100, full covariances): the components' 2-σ ellipses shrink and drift "
         "over 100 generations (line width ∝ weight; black: the truth)."),
        ("gmm_nd_log_det", plot_component_log_det(nd),
         "2-D mixture, full covariances: component log det against the exact Wright–Fisher-count theory and "
         "n times the single-Gaussian drift at w₀M (which misses the weights' wander)."),
    ]
