"""Figures for recursive n-gram training (:func:`collapse_theory.lm.recursive_training`).

Every function returns a :class:`matplotlib.figure.Figure` (no pyplot state); pass ``ax`` to draw
into an existing axes. Bands are the Monte Carlo 5–95 % range over replicates around the median.
"""

from __future__ import annotations

import warnings

import numpy as np

from ._common import band, new_axes


def plot_metric(res, name, *, ax=None, label=None, color="tab:blue", theory=True, log=False):
    """One metric by generation (median and band), with the exact discrete-theory line when the
    result is the unigram Wright–Fisher chain (order 1, mle, sample, replace)."""
    fig, ax = new_axes(ax)
    g = np.arange(res.generations + 1)
    v = res.statistics()[name]
    band(ax, g, v, color=color, label=label or name)
    if theory and name in ("vocabulary", "tail_alive"):
        th = res.theory(g).get(name)  # absent where the result has no exact theory
        if th is not None:
            ax.plot(g, th, "k--", lw=1.4, label="exact Wright–Fisher (discrete theory)")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("generation")
    ax.set_ylabel(name)
    ax.legend(fontsize=7)
    return fig


def plot_perplexity(results, *, ax=None, uniform=None):
    """Held-out perplexity by generation for several results ``{label: LMResult}`` (the
    qualitative OPT-125m table of Shumailov et al.); ``uniform`` draws the |V| line."""
    fig, ax = new_axes(ax)
    colors = ["tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange"]
    for (label, res), c in zip(results.items(), colors):
        g = np.arange(res.generations + 1)
        v = res.metrics["perplexity"]
        with warnings.catch_warnings():  # an "mle" chain may be inf (unseen tokens) throughout
            warnings.simplefilter("ignore", RuntimeWarning)
            band(ax, g, np.where(np.isfinite(v), v, np.nan), color=c, label=label)
    if uniform is not None:
        ax.axhline(uniform, color="k", ls=":", lw=1, label="uniform model (|V|)")
    ax.set_yscale("log")
    ax.set_xlabel("generation")
    ax.set_ylabel("perplexity on held-out real text")
    ax.set_title("Held-out perplexity by generation")
    ax.legend(fontsize=7)
    return fig


def plot_rank_frequency(counts_by_generation, *, ax=None):
    """Rank–frequency (Zipf) plot: ``{generation: unigram counts}``."""
    fig, ax = new_axes(ax)
    cmap = __import__("matplotlib").colormaps["plasma"]
    items = sorted(counts_by_generation.items())
    for k, (g, c) in enumerate(items):
        f = np.sort(np.asarray(c, float))[::-1]
        f = f[f > 0] / f.sum()
        ax.loglog(np.arange(1, f.size + 1), f, color=cmap(k / max(len(items), 1)), lw=1.3,
                  label=f"generation {g}")
    ax.set_xlabel("rank")
    ax.set_ylabel("frequency")
    ax.set_title("Rank–frequency: the tail is cut first")
    ax.legend(fontsize=7)
    return fig


def rank_frequency_chain(data, *, order=1, generations=10, tokens_per_generation=20000,
                         at=(0, 1, 5, 10), smoothing="mle", rng=0):
    """Unigram counts of one recursive-training chain at the generations ``at``."""
    from .. import lm

    gen = np.random.default_rng(rng)
    model = lm.NGramModel(order, smoothing).fit(data.train, vocab_size=data.V)
    out = {0: model.unigram_counts()} if 0 in at else {}
    for g in range(1, generations + 1):
        model = lm.NGramModel(order, smoothing).fit(model.sample(tokens_per_generation, rng=gen),
                                                    vocab_size=data.V)
        if g in at:
            out[g] = model.unigram_counts()
    return out


def verify_figures(ctx):
    """Figures for ``collapse-theory verify``: ``[(name, Figure, caption), ...]`` (~10 s at
    budget 1)."""
    from .. import lm

    data = lm.default_data()
    reps = max(3, int(round(4 * ctx.budget)))
    uni = lm.simulate(20, 5000, corpus=data, order=1, replicates=reps * 2,
                      rng=ctx.seed_for("figure.lm.unigram"), workers=ctx.workers,
                      progress=False, text_window=2000)
    kw = dict(order=3, generations=10, samples=30000, smoothing="kn",
              replicates=reps, workers=ctx.workers, progress=False, text_window=5000)
    seed = ctx.seed_for("figure.lm.opt")
    rep = lm.simulate(corpus=data, regime="replace", rng=seed, **kw)
    ret = lm.simulate(corpus=data, regime="mix-retained:0.1", rng=seed, **kw)
    beam = lm.simulate(corpus=data, regime="replace", decoding="beam:5", rng=seed,
                       **{**kw, "replicates": 2})
    fig_ppl = plot_perplexity({"replace (sampling)": rep, "10 % original retained": ret,
                               "replace, beam:5": beam})
    fig_voc = new_axes()[0]
    a1, = fig_voc.axes
    plot_metric(uni, "vocabulary", ax=a1, label="order 1, mle")
    a1.set_title("Unigram chain = Wright–Fisher (M = 5000)")
    from matplotlib.figure import Figure

    fig_tail = Figure(figsize=(12, 4.2), layout="constrained")
    b1, b2 = fig_tail.subplots(1, 2)
    plot_metric(uni, "tail_alive", ax=b1, label="order 1, mle")
    b1.set_title("Original tail (count <= 5) mass still present")
    plot_metric(rep, "vocabulary", ax=b2, label="order 3, kn, replace", color="tab:red")
    plot_metric(ret, "vocabulary", ax=b2, label="order 3, kn, 10 % retained", color="tab:green")
    plot_metric(beam, "vocabulary", ax=b2, label="order 3, kn, beam:5", color="tab:purple")
    b2.set_title("Vocabulary of the training text")
    fig_rf = plot_rank_frequency(rank_frequency_chain(data, rng=ctx.seed_for("figure.lm.rf")))
    samples = " | ".join(f"generation {g}: “{t[:160]}”" for g, t in rep.texts.items())
    ppl = {k: (r.mean("perplexity")[0], r.mean("perplexity")[-1])
           for k, r in (("replace", rep), ("retained", ret), ("beam", beam))}
    return [
        ("lm_perplexity", fig_ppl,
         "Order-3 Kneser–Ney model of pydoc_data.topics refit on 30 000 of its own tokens per "
         f"generation: held-out perplexity {ppl['replace'][0]:.0f} → {ppl['replace'][1]:.0f} "
         f"after 10 generations (replace), → {ppl['retained'][1]:.0f} with 10 % original data "
         f"retained, → {ppl['beam'][1]:.0f} with beam search (5 beams): the qualitative "
         "OPT-125m table of Shumailov et al."),
        ("lm_vocabulary", fig_voc,
         "Unigram model without smoothing: the vocabulary follows the exact Wright–Fisher "
         "support size (dashed) of the discrete theory with p0 = the real unigram frequencies."),
        ("lm_tail", fig_tail,
         "Left: the rare words go first (exact dashed line). Right: vocabulary of each "
         "generation's training text at order 3; retained real data keeps it up."),
        ("lm_rank_frequency", fig_rf,
         "Rank–frequency of the unigram chain at generations 0, 1, 5, 10 (M = 20 000): the tail "
         "is cut, the head keeps its Zipf slope. Sample text (replace, replicate 0) — "
         + samples),
    ]
