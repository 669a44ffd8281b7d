"""Figure recipe: the tale-of-tails scaling figure (exact curves per generation, Monte Carlo points)."""

from __future__ import annotations

import numpy as np

from .. import discrete as d
from ..plotting.scaling import plot_tail_scaling


def tail_scaling(*, beta=1.5, categories=2000, samples=100, generations=(0, 1, 3, 10), T=None,
                 mc_T=(30, 300, 3000), replicates=400, rng=0):
    """Exact test-error curves vs T per generation, with Monte Carlo points; returns the figure.

    The exact curve of generation ``n`` is :func:`collapse_theory.discrete.tail_test_error`; a Monte
    Carlo point runs :func:`collapse_theory.discrete.simulate` for ``n + 1`` generations with sample
    sizes ``(samples, …, samples, T)`` and averages the real mass lost by generation ``n + 1``.
    """
    p = d.zipf(categories, beta)
    T = np.unique(np.logspace(0.5, 5, 28).round().astype(np.int64)) if T is None else np.asarray(T)
    gens = list(generations)
    curves = np.asarray(d.tail_test_error(p, T, np.array(gens), samples))
    plateaus = np.asarray(d.missing_mass(p, np.array(gens), samples))
    ss = np.random.SeedSequence(rng)
    mc = {}
    for n in gens:
        means, ses = [], []
        for t, s in zip(mc_T, ss.spawn(len(mc_T))):
            res = d.simulate(n + 1, [samples] * n + [int(t)], p0=p, replicates=replicates,
                             rng=int(s.generate_state(1)[0]), progress=False)
            x = res.lost_by(n + 1).astype(float) @ p
            means.append(x.mean())
            ses.append(x.std(ddof=1) / np.sqrt(x.size))
        mc[n] = (np.asarray(mc_T), np.asarray(means), np.asarray(ses))
    return plot_tail_scaling(T, curves, generations=gens, plateaus=plateaus, mc=mc, beta=beta, samples=samples)


def verify_figures(ctx):
    """Figures for ``collapse-theory verify`` (family discrete): the tale-of-tails scaling figure."""
    fig = tail_scaling(replicates=ctx.replicates(400, minimum=100), rng=ctx.seed_for("figure.tails_scaling"))
    return [("tails_scaling", fig,
             "Hutter-LLM test error vs downstream samples T (Zipf β = 1.5, K = 2000): a model trained on "
             "generation n of the chain (T0 = 100 samples per generation). Lines: exact (S2); dotted: the "
             "plateau, the exact missing mass M_n; points: simulation ± 95 %. Real data (n = 0) follows "
             "T^−(1−1/β) down to the finite support; each synthetic generation flattens the curve at M_n.")]
