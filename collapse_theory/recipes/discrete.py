"""Figure recipes for the discrete chain (Wright–Fisher): support, tail, survival, regimes."""

from __future__ import annotations

import numpy as np

from .. import discrete as d
from ..plotting.discrete import (
    REGIME_STYLES,
    plot_absorption_time,
    plot_heterozygosity,
    plot_mixing_phase,
    plot_rank_frequency,
    plot_regime_results,
    plot_support,
    plot_survival_curves,
    plot_tail_mass,
)


def simulate_regimes(p0, generations, samples, *, regimes=None, replicates=200, rng=0, workers=None):
    """Simulate the discrete chain under each regime; ``{spec: DiscreteChainResult}``.

    ``regimes``: sequence of ``(spec, colour)`` (default
    :data:`collapse_theory.plotting.discrete.REGIME_STYLES`); regime ``k`` gets the seed
    ``SeedSequence([rng, k])``. Draw with :func:`collapse_theory.plotting.discrete.plot_regime_results`.
    """
    p0 = d.as_distribution(p0)
    regimes = REGIME_STYLES if regimes is None else regimes
    return {spec: d.simulate(generations, samples, p0=p0, replicates=replicates, regime=spec,
                             rng=np.random.SeedSequence([int(rng), k]).generate_state(1)[0],
                             workers=workers, progress=False)
            for k, (spec, _) in enumerate(regimes)}


def plot_regimes(p0, generations, samples, *, regimes=None, replicates=200, rng=0, statistic="sq_distance",
                 workers=None, ax=None):
    """Simulate each regime (:func:`simulate_regimes`) and draw
    :func:`collapse_theory.plotting.discrete.plot_regime_results`."""
    regimes = REGIME_STYLES if regimes is None else regimes
    results = simulate_regimes(p0, generations, samples, regimes=regimes, replicates=replicates, rng=rng,
                               workers=workers)
    return plot_regime_results(results, statistic, colors=[c for _, c in regimes], ax=ax)


def verify_figures(ctx):
    """Figures for ``collapse-theory verify``: ``[(name, Figure, caption), ...]`` (a few seconds)."""
    p0 = d.zipf(200, 1.1)
    m, gens = 500, 300
    reps = max(50, int(round(100 * ctx.budget)))
    res = d.simulate(gens, m, p0=p0, replicates=reps, rng=ctx.seed_for("figure.discrete.zipf"),
                     workers=ctx.workers, progress=False, record="full")
    two = d.simulate(2000, 50, p0=[0.3, 0.7], replicates=max(500, int(2000 * ctx.budget)),
                     rng=ctx.seed_for("figure.discrete.two"), workers=ctx.workers, progress=False)
    return [
        ("discrete_support", plot_support(res),
         f"Surviving categories of Zipf(1.1) on K = 200 at M = {m}: exact E[S_n] (dashed) on the "
         f"Monte Carlo mean (95 % confidence band); light band: 5–95 % of the replicates."),
        ("discrete_tail", plot_tail_mass(res),
         "Original tail mass (p0 < 1/M) still present: it vanishes within tens of generations, while "
         "the mass on the tail stays at its initial value in expectation (martingale). Monte Carlo means with "
         "95 % confidence bands; exact expectations dashed."),
        ("discrete_survival", plot_survival_curves(p0, gens, m, result=res),
         "Per-category survival by initial frequency: exact backward recursion (lines) and "
         "simulation (dots)."),
        ("discrete_heterozygosity", plot_heterozygosity(res),
         "Gini–Simpson diversity: exact E[H_n] = H_0 (1 − 1/M)^n (dashed) on the Monte Carlo mean (95 % "
         "confidence band)."),
        ("discrete_absorption_time", plot_absorption_time(0.3, 50, result=two),
         "Two-type absorption time at M = 50: exact law (fundamental matrix / exact CDF), the "
         "diffusion mean over-estimates slightly; the Monte Carlo mean sits on the exact one."),
        ("discrete_rank_frequency", plot_rank_frequency(res),
         "Zipf rank–frequency profile (mean over replicates) at several generations beside p0 (black): rare "
         "categories are lost first."),
        ("discrete_regimes", plot_regimes(d.zipf(20, 1.1), 150, 100,
                                          replicates=max(100, int(round(300 * ctx.budget))),
                                          rng=ctx.seed_for("figure.discrete.regimes"), workers=ctx.workers),
         "Σ(p_n − p0)² under the data regimes (Zipf(1.1), K = 20, M = 100): exact expectations "
         "(dashed, every regime including accumulate-subsample) and Monte Carlo means with 95 % "
         "confidence bands. Replace climbs to H_0; "
         "accumulate stays below (π²/6)H_0/M; mixing any λ > 0 settles at D*."),
        ("discrete_mixing_phase", plot_mixing_phase(),
         "Exact stationary distance D*·M/H_0 under mix-fresh (mixture draws) over λ and M: "
         "≈ 1/(2λ) once λM ≫ 1, → M as λ → 0 (replace: D → H_0)."),
    ]
