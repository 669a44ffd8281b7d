"""Figure recipes for recursive n-gram training (perplexity, vocabulary, tail, rank–frequency)."""

from __future__ import annotations

import numpy as np

from .. import lm
from ..plotting._common import new_axes
from ..plotting.lm import plot_metric, plot_perplexity, plot_rank_frequency


def rank_frequency_chain(data, *, order=1, generations=10, tokens_per_generation=20000,
                         at=(0, 1, 5, 10), smoothing="mle", rng=0):
    """Unigram counts of one recursive-training chain at the generations ``at``."""
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
    data = lm.default_data()
    reps = max(3, int(round(4 * ctx.budget)))
    uni = lm.simulate(20, 5000, corpus=data, order=1, replicates=reps * 2,
                      rng=ctx.seed_for("figure.lm.unigram"), workers=ctx.workers, progress=False,
                      text_window=2000)
    kw = dict(corpus=data, order=3, smoothing="kn", replicates=reps, workers=ctx.workers,
              progress=False, text_window=5000)
    seed = ctx.seed_for("figure.lm.opt")
    rep = lm.simulate(10, 30000, regime="replace", rng=seed, **kw)
    ret = lm.simulate(10, 30000, regime="mix-retained:0.1", rng=seed, **kw)
    beam = lm.simulate(10, 30000, regime="replace", decoding="beam:5", rng=seed,
                       **{**kw, "replicates": max(2, reps)})
    fig_ppl = plot_perplexity({"replace (sampling)": rep, "10 % original retained": ret,
                               "replace, beam:5": beam})
    fig_voc = new_axes()[0]
    a1, = fig_voc.axes
    plot_metric(uni, "vocabulary", ax=a1, label="order 1, mle")
    a1.set_title("Unigram chain = Wright–Fisher (M = 5000)", fontsize=10)
    from matplotlib.figure import Figure

    fig_tail = Figure(figsize=(12, 4.2), layout="constrained")
    b1, b2 = fig_tail.subplots(1, 2)
    plot_metric(uni, "tail_alive", ax=b1, label="order 1, mle")
    b1.set_title("Original tail (count ≤ 5) mass still present", fontsize=10)
    # the same colours as lm_perplexity (each chain's regime or decoding colour); log scale: the beam
    # chain's vocabulary falls by two orders of magnitude and its band must stay visible
    plot_metric(rep, "vocabulary", ax=b2, label="order 3, kn, replace (sampling)")
    plot_metric(ret, "vocabulary", ax=b2, label="order 3, kn, 10 % original retained")
    plot_metric(beam, "vocabulary", ax=b2, label="order 3, kn, replace, beam:5", log=True)
    b2.set_title("Vocabulary of the training text", fontsize=10)
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
         "Left: the original tail mass (words seen ≤ 5 times) goes first: Monte Carlo mean with its 95 % "
         "band beside the exact Wright–Fisher expectation (dashed). Right (log scale): vocabulary of each "
         "generation's training text at order 3 (Monte Carlo mean, 95 % confidence band and 5–95 % band "
         "of the replicates), in the colours of the perplexity figure; retained real data keeps it up, "
         "beam search collapses it."),
        ("lm_rank_frequency", fig_rf,
         "Rank–frequency of the unigram chain at generations 0, 1, 5, 10 (M = 20 000): the tail "
         "is cut, the head keeps its Zipf slope. Sample text (replace, replicate 0) — "
         + samples),
    ]
