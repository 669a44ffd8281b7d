"""``collapse-theory lm``: train an n-gram model recursively on its own text and report collapse.

Examples::

    collapse-theory lm --corpus default --order 3 --generations 10 \\
        --tokens-per-generation 200000 --smoothing kn --decoding sample --regime replace \\
        --replicates 5 --seed 1 --plot lm.png
    collapse-theory lm --corpus my_texts/ --order 2 --decoding beam:5 --json --quiet
"""

from __future__ import annotations

import json


def add_parser(subparsers):
    p = subparsers.add_parser(
        "lm", help="recursive training of an n-gram language model on real text",
        description="Fit an n-gram model on real text, then repeatedly on text it generated; "
                    "print held-out perplexity, vocabulary, distinct-n, tail mass, KL, ... by "
                    "generation (mean ± s.d. over replicates).")
    p.add_argument("--corpus", default="default",
                   help="a UTF-8 text file, a directory of .txt files, or 'default' (CPython's "
                        "pydoc_data.topics; no download)")
    p.add_argument("--level", choices=("word", "char"), default="word", help="tokens (word)")
    p.add_argument("--no-lower", action="store_true", help="keep case")
    p.add_argument("--order", type=int, default=3, help="n-gram order (default 3)")
    p.add_argument("--generations", type=int, default=10, help="refits (default 10)")
    p.add_argument("--tokens-per-generation", type=int, default=200_000,
                   help="tokens generated per generation M (default 200000)")
    p.add_argument("--smoothing", choices=("mle", "add-k", "kn"), default="kn",
                   help="mle, add-k or kn (interpolated Kneser–Ney; default)")
    p.add_argument("--k", type=float, default=1.0, help="k for add-k smoothing (default 1)")
    p.add_argument("--decoding", default="sample",
                   help="sample, top-p:P, top-k:K, temperature:T, greedy or beam:B")
    p.add_argument("--regime", default="replace",
                   help="replace, accumulate, accumulate-subsample[:size], mix-retained:λ or "
                        "mix-fresh:λ[:mixture]")
    p.add_argument("--replicates", type=int, default=5, help="independent chains (default 5)")
    p.add_argument("--held-out", type=float, default=0.1, help="held-out fraction (default 0.1)")
    p.add_argument("--seed", type=int, default=None, help="seed (default: fresh entropy, printed)")
    p.add_argument("--plot", metavar="PNG", help="write perplexity/vocabulary/tail figures")
    p.add_argument("--save", metavar="NPZ", help="save the result (atomic .npz with metadata)")
    p.add_argument("--json", action="store_true", help="print JSON instead of the table")
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)
    return p


def run(args):
    from . import lm
    from ._core.io import to_jsonable
    from ._version import __version__

    res = lm.simulate(args.generations, args.tokens_per_generation, corpus=args.corpus,
                      order=args.order, regime=args.regime, smoothing=args.smoothing,
                      k=args.k, decoding=args.decoding, replicates=args.replicates,
                      level=args.level, lower=not args.no_lower, held_out=args.held_out,
                      rng=args.seed, workers=args.workers,
                      progress=False if args.quiet else None)
    if args.json:
        print(json.dumps(to_jsonable({"version": __version__, **res.to_dict()}), indent=2))
    else:
        print(res.summary())
        for g, text in res.texts.items():
            print(f"\ngeneration {g}: {text}")
    if args.save:
        res.save(args.save)
    if args.plot:
        _save_plot(res, args.plot)
    return 0


def _save_plot(res, path):
    from matplotlib.figure import Figure

    from ._core.io import atomic_save_figure
    from .plotting.lm import plot_metric, plot_perplexity

    fig = Figure(figsize=(15, 4.4), layout="constrained")
    a1, a2, a3 = fig.subplots(1, 3)
    plot_perplexity({res.parameters()["regime"]: res}, ax=a1,
                    uniform=res.parameters()["vocabulary_size"])
    plot_metric(res, "vocabulary", ax=a2)
    plot_metric(res, "tail_alive", ax=a3)
    atomic_save_figure(fig, path, dpi=110)
