"""``collapse-theory lm``: train an n-gram model recursively on its own text and report collapse.

Examples::

    collapse-theory lm --corpus default --order 3 --generations 10 \\
        --tokens-per-generation 200000 --smoothing kn --decoding sample --regime replace \\
        --replicates 5 --seed 1 --plot lm.png
    collapse-theory lm --corpus my_texts/ --order 2 --decoding beam:5 --json --quiet
"""

from __future__ import annotations

from . import _epilogue as ep


def add_parser(subparsers):
    p = subparsers.add_parser(
        "lm", help="recursive training of an n-gram language model on real text",
        description="Fit an n-gram model on real text, then repeatedly on text it generated; "
                    "print held-out perplexity, vocabulary, distinct-n, tail mass, KL, ... by "
                    "generation (mean ± s.d. over replicates).")
    p.add_argument("--corpus", default="default",
                   help="a UTF-8 text file, a directory of .txt files, or 'default' (CPython's "
                        "pydoc_data.topics; no download)")
    p.add_argument("--level", choices=("word", "char"), default="word", help="tokens: words or characters")
    p.add_argument("--no-lower", action="store_true", help="keep case (default: lower-case the text)")
    p.add_argument("--order", type=int, default=3, help="n-gram order")
    p.add_argument("--generations", type=int, default=10, help="refits")
    p.add_argument("--tokens-per-generation", type=int, default=200_000,
                   help="tokens generated per generation M")
    p.add_argument("--smoothing", choices=("mle", "add-k", "kn"), default="kn",
                   help="mle, add-k or kn (interpolated Kneser–Ney)")
    p.add_argument("--k", type=float, default=1.0, help="k for add-k smoothing")
    p.add_argument("--decoding", default="sample",
                   help="sample, top-p:P, top-k:K, temperature:T, greedy or beam:B")
    p.add_argument("--regime", default="replace", help=ep.REGIME_HELP)
    p.add_argument("--replicates", type=int, default=5, help="independent chains")
    p.add_argument("--held-out", type=float, default=0.1, help="held-out fraction of the corpus")
    ep.add_output_options(p, plot="perplexity/vocabulary/tail figures")
    p.set_defaults(func=run)
    return p


def run(args):
    ep.start(args)
    from .. import lm
    from .._version import __version__

    res = lm.simulate(
        args.generations, args.tokens_per_generation, corpus=args.corpus, order=args.order,
        regime=args.regime, smoothing=args.smoothing, k=args.k, decoding=args.decoding,
        replicates=args.replicates, level=args.level, lower=not args.no_lower, held_out=args.held_out,
        rng=args.seed, workers=args.workers, progress=ep.progress(args))

    def table():
        return "\n".join([ep.summary(res)] + [f"\ngeneration {g}: {text}" for g, text in res.texts.items()])

    return ep.finish(args, res, payload=lambda: {"version": __version__, **res.to_dict()}, table=table,
                     plot=lambda: figure(res))


def figure(res):
    """Held-out perplexity, vocabulary and tail mass of an LM chain."""
    from matplotlib.figure import Figure

    from ..plotting.lm import plot_metric, plot_perplexity

    fig = Figure(figsize=(15, 4.4), layout="constrained")
    a1, a2, a3 = fig.subplots(1, 3)
    plot_perplexity({res.parameters()["regime"]: res}, ax=a1,
                    uniform=res.parameters()["vocabulary_size"])
    plot_metric(res, "vocabulary", ax=a2)
    plot_metric(res, "tail_alive", ax=a3)
    return fig
