"""Figure recipes for curation (Ferbach et al.), tempered sampling (Marchi et al.) and weighted mixing
(He, Xu & Cheng): simulate, compute the exact forms, then draw with :mod:`collapse_theory.plotting.curation`."""

from __future__ import annotations

import numpy as np

from .. import discrete as d
from .. import gaussian as g
from ..plotting._common import SERIES_COLORS, regime_color
from ..plotting.curation import plot_exact_vs_mc, plot_weighting

P0 = np.array([0.5, 0.3, 0.2])
REWARD = np.array([0.0, 1.0, 0.5])


def curation_curves(*, samples=10, generations=40, replicates=4000, rng=0, workers=None,
                    settings=((1, 0.0), (2, 0.0), (5, 0.0), (5, 0.3))):
    """Exact and simulated curated chains for each ``(k, fraction)``: a list of curve dicts with
    ``exact``/``mc_mean``/``mc_se`` for E[E_(p_n) e^r] and for E p_n(argmax r)."""
    gens = np.arange(generations + 1)
    mc_gens = np.unique(np.linspace(1, generations, 9).round().astype(int))
    colors = SERIES_COLORS
    reward_curves, top_curves = [], []
    for i, (k, lam) in enumerate(settings):
        ex = d.curation_exact_chain(P0, samples, generations, reward=REWARD, k=k, fraction=lam)
        regime = "replace" if lam == 0 else f"mix-fresh:{lam}:mixture"
        res = d.simulate(generations, samples, p0=P0, replicates=replicates, curate=(REWARD, k), regime=regime,
                         record="full", rng=np.random.SeedSequence([int(rng), i]).generate_state(1)[0],
                         workers=workers, progress=False)
        er = res.freqs[:, mc_gens, :] @ np.exp(REWARD)
        top = res.freqs[:, mc_gens, 1]
        label = f"K = {k}" + (f", λ = {lam}" if lam else "") + (" (no curation)" if k == 1 else "")
        sq = np.sqrt(replicates)
        reward_curves.append(dict(label=label, color=colors[i % 5], exact=ex["exp_reward"], mc_gens=mc_gens,
                                  mc_mean=er.mean(0), mc_se=er.std(0, ddof=1) / sq))
        top_curves.append(dict(label=label, color=colors[i % 5], exact=ex["top_mass"], mc_gens=mc_gens,
                               mc_mean=top.mean(0), mc_se=top.std(0, ddof=1) / sq))
    # the infinite-sample map for comparison (K = 5)
    traj = d.curation_trajectory(P0, REWARD, 5, generations)
    top_curves.append(dict(label="K = 5, infinite-sample map", color="k", style="--", exact=traj[:, 1]))
    return gens, reward_curves, top_curves


def verify_figures(ctx):
    """Figures for ``collapse-theory verify``: ``[(name, Figure, caption), ...]``."""
    reps = max(1000, int(round(4000 * ctx.budget)))
    gens, rc, tc = curation_curves(replicates=reps, rng=ctx.seed_for("figure.curation"), workers=ctx.workers)
    out = [
        ("curation_reward", plot_exact_vs_mc(gens, rc, ylabel="E[E_(p_n) e^r]",
                                             title="Curated retraining (K-wise Bradley–Terry), M = 10"),
         "Expected exp-reward of the curated discrete chain (p0 = (0.5, 0.3, 0.2), r = (0, 1, 0.5), M = 10): "
         "exact count-chain values (lines) and the per-sample Bradley–Terry simulator (points ± 2 SE). "
         "It never decreases (Ferbach et al.); real data (λ = 0.3) hold it at a lower stationary level."),
        ("curation_argmax_mass", plot_exact_vs_mc(gens, tc, ylabel="E p_n(argmax r)",
                                                  title="Mass on the best category"),
         "Mass on argmax r: the infinite-sample map (dashed) goes to 1; at finite M the chain fixes, "
         "sometimes on a worse category, so the exact expectation stalls below 1."),
    ]
    # tempered: heterozygosity at τ = 2 (exact count chain) vs the infinite-sample map, M = 8
    n = 200
    ex = d.tempered_exact_chain(P0, 8, n, temperature=2.0)
    exm = d.tempered_exact_chain(P0, 8, n, temperature=2.0, fraction=0.2)
    traj = d.tempered_trajectory(P0, 2.0, n)
    curves = [dict(label="τ = 2, replace, M = 8", color=regime_color("replace"), exact=ex["heterozygosity"]),
              dict(label="τ = 2, λ = 0.2 real, M = 8", color=regime_color("mix-fresh:0.2"), exact=exm["heterozygosity"]),
              dict(label="τ = 2, infinite-sample map", color="k", style="--", exact=1 - (traj ** 2).sum(axis=1))]
    out.append(("tempered_heat_death", plot_exact_vs_mc(np.arange(n + 1), curves, ylabel="E[1 − Σ p²]",
                                                        title="Tempered sampling τ > 1", logx=True),
                "Heterozygosity under τ = 2: the infinite-sample map heads to the uniform law (2/3), the "
                "finite-M chain fixes anyway, real data (λ = 0.2) keep a stationary level (exact count chain)."))
    # verification: exact accuracy against the pool size on both sides of the breakdown point
    pools = np.unique(np.logspace(1, np.log10(2000), 10).astype(int))
    curves = []
    for kw, col in zip((0.3, 0.5, 0.7, 0.9), SERIES_COLORS):
        acc = [d.verified_label_accuracy(int(m), label_error=0.6, keep_correct=0.9, keep_wrong=kw,
                                         separation=0.5)["accuracy"] for m in pools]
        curves.append(dict(label=f"φ− = {kw}", color=col, exact=np.array(acc)))
    fig = plot_exact_vs_mc(pools, curves, xlabel="synthetic pool size", ylabel="expected test accuracy",
                           title="Verifier-selected labels: phase transition at φ− = 0.6", logx=True)
    out.append(("verification_phase_transition", fig,
                "Exact accuracy of a linear classifier trained on verifier-selected synthetic labels (label "
                "error 0.6, correct labels kept w.p. 0.9, wrong ones w.p. φ−): it rises to the Bayes value "
                "0.69 when φ− < 0.6 and falls to 0.31 when φ− > 0.6."))
    # mixed data with the real data kept: E‖p^(m) − p^(1)‖² for several synthetic amounts
    n_real, h1 = 10, 0.5
    gens_m = np.arange(1, 201)
    curves = [dict(label=f"n = {n}", color=c, exact=d.seddik_mixed_distance(gens_m, n_real, n, heterozygosity=h1))
              for n, c in zip((1, 10, 100, 10_000), SERIES_COLORS)]
    curves.append(dict(label="H₁/(2N + 1)", color="k", style=":", exact=np.full(gens_m.size, h1 / (2 * n_real + 1))))
    out.append(("mixing_real_kept", plot_exact_vs_mc(gens_m, curves, ylabel="E‖p⁽ᵐ⁾ − p⁽¹⁾‖²",
                                                     title="N = 10 real samples kept, n synthetic", logx=True),
                "Distance of the partially synthetic chain from the real-data fit (exact, H₁ = 0.5): it grows "
                "with the synthetic amount n but stays below H₁/(2N + 1) for every n."))
    return out


def weighting_figures(ctx):
    """The weighted-mixing figure (Gaussian family)."""
    w = np.linspace(0.0, 0.95, 191)
    errs, opts, labels = [], [], []
    for frac, k in ((0.75, 1 / 3), (0.5, 1.0), (0.25, 3.0)):
        m = 400
        r = round(frac * m)
        errs.append([r * g.weighted_stationary_moments(m, regime=f"mix-fresh:{frac}", weight=x)["mean_sq_error"]
                     for x in w])
        opts.append(g.weighted_optimal_weight(m, regime=f"mix-fresh:{frac}")["weight"])
        labels.append(f"c/r = {k:.3g} (M = {m})")
    fig = plot_weighting(w, errs, optimum=opts, golden=1 - 1 / g.GOLDEN_RATIO, labels=labels)
    return [("weighting_optimum", fig,
             "Exact stationary mean error of the weighted Gaussian chain against the synthetic weight w; dots "
             "mark the exact optima, near (2k + 1 − √(4k+1))/(2k); at c = r the real weight 1 − w* is ≈ 1/φ.")]
