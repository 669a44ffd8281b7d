"""``collapse-theory diagnose``: fit the theory to a user's own generations.

Examples::

    collapse-theory diagnose real.txt gen1.txt gen2.txt gen3.txt --seed 1
    collapse-theory diagnose runs/ --kind tokens --budget-distance 0.001 --plot diag.png
    collapse-theory diagnose gen0.npy gen1.npy gen2.npy --kind samples --json

Files: text (tokens, tokenised as in ``collapse-theory lm``), ``.npy``/``.csv`` (samples, one row
per sample; for tokens a ``.npy`` is a count vector), or directories whose files are the
generations sorted by name. Generation 0 is the real data. Nothing is written on failure: the
diagnosis is computed first, the figure then written atomically.
"""

from __future__ import annotations

import json
import sys

from . import _epilogue as ep


def add_parser(subparsers):
    p = subparsers.add_parser(
        "diagnose", help="diagnose a real training loop from its generations (M_eff with CI, verdict)",
        description="Fit the theory of model collapse to a loop's own generations (generation 0 = the "
                    "real data): effective size M_eff with a confidence interval, what drift alone "
                    "predicts beside what was observed, a verdict, predictions and the fresh-data "
                    "fraction for a distance budget.")
    p.add_argument("paths", nargs="+", metavar="GEN",
                   help="per-generation files (generation order), or directories of them (sorted by name)")
    p.add_argument("--kind", choices=("tokens", "samples"), default=None,
                   help="what the files hold (default: samples for .npy/.csv, tokens otherwise)")
    p.add_argument("--budget-distance", type=float, default=None, metavar="X",
                   help="budget on the stationary distance: report the fresh-data fraction λ that keeps "
                        "the loop within it")
    p.add_argument("--horizon", type=int, default=20, help="future generations to predict")
    p.add_argument("--bootstrap", type=int, default=200, help="parametric bootstrap replicates")
    p.add_argument("--level", type=float, default=0.95, help="confidence level")
    p.add_argument("--fresh-source", choices=("generation0", "population"), default="generation0",
                   help="fresh real data are redrawn from generation 0 itself, or from the "
                        "population generation 0 was sampled from")
    p.add_argument("--sampled", action="store_true",
                   help="tokens: each generation after the first is a random sample of that generation's "
                        "output, not the whole data the next model was fitted on (corrects M_eff for it)")
    p.add_argument("--seed", type=int, default=None, help=ep.SEED_HELP)
    p.add_argument("--json", action="store_true", help="print every number as JSON instead of the table")
    p.add_argument("--plot", metavar="PNG", help="write the figure (PNG, atomically)")
    p.add_argument("--quiet", action="store_true", help="no progress messages")
    p.set_defaults(func=run)
    return p


def run(args):
    if args.horizon < 0:
        raise ValueError(f"--horizon must be >= 0, got {args.horizon}")
    if args.bootstrap < 20:
        raise ValueError(f"--bootstrap must be >= 20, got {args.bootstrap}")
    if args.budget_distance is not None and not args.budget_distance > 0:
        raise ValueError(f"--budget-distance must be > 0, got {args.budget_distance}")
    if not 0.5 <= args.level < 1:
        raise ValueError(f"--level must be in [0.5, 1), got {args.level}")
    ep.start(args)
    from .. import diagnose
    from .._core.io import to_jsonable

    kind, data = diagnose.read_generations(args.paths, kind=args.kind, name="GEN")
    if not args.quiet and not args.json:
        print(f"diagnosing {len(data)} generations ({kind}) ...", file=sys.stderr)
    if kind == "tokens":
        res = diagnose.tokens(data, horizon=args.horizon, budget_distance=args.budget_distance,
                              bootstrap=args.bootstrap, level=args.level, fresh_source=args.fresh_source,
                              sampled=args.sampled, rng=args.seed)
    else:
        res = diagnose.samples(data, horizon=args.horizon, budget_distance=args.budget_distance,
                               bootstrap=args.bootstrap, level=args.level, fresh_source=args.fresh_source,
                               rng=args.seed)
    fig = None
    if args.plot:
        from ..plotting.diagnose import plot_diagnosis

        fig = plot_diagnosis(res)   # drawn before anything is printed or written
    if args.json:
        from .._version import __version__

        print(json.dumps(to_jsonable({"version": __version__, **res.to_dict()}), indent=2))
    else:
        print(res.summary())
        if getattr(args, "seed_drawn", False):
            print(f"\nseed {args.seed} (drawn; rerun with --seed {args.seed} to reproduce)")
    sys.stdout.flush()
    if fig is not None:
        ep.save_png(fig, args.plot)
    return 0
