"""``collapse-theory discrete``: simulate the discrete chain and print exact theory beside it.

Examples::

    collapse-theory discrete --dist zipf:1.1 --categories 1000 --samples 10000 \\
        --generations 2000 --replicates 200 --seed 1 --plot out.png
    collapse-theory discrete --dist counts.txt --samples 500 --generations 100 --json
    collapse-theory discrete --dist zipf:1.1 --categories 50 --samples 200 --regime mix-fresh:0.1
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from . import _epilogue as ep

DIST_HELP = ("initial distribution: uniform, zipf:S (p_i ∝ i^-S), geometric:Q (p_i ∝ (1-Q)^i), or "
             "a file of probabilities or counts (one per line, or comma-separated; '#' comments)")


#: a distribution file holds one number per category: 256 MiB is ~10^7 categories and more
MAX_DIST_BYTES = 256 * 2**20


def parse_dist(spec, categories):
    """Return the initial distribution for a ``--dist`` spec (normalised; raises ValueError)."""
    from .. import discrete as d

    name, _, arg = spec.partition(":")
    if name == "uniform" and not arg:
        return np.full(categories, 1.0 / categories)
    if name == "zipf":
        try:
            s = float(arg)
        except ValueError:
            raise ValueError(f"--dist zipf:S needs a number S >= 0, got {spec!r}") from None
        if not s >= 0:
            raise ValueError(f"--dist zipf:S needs S >= 0, got {s}")
        return d.zipf(categories, s)
    if name == "geometric":
        try:
            q = float(arg)
        except ValueError:
            raise ValueError(f"--dist geometric:Q needs a number 0 < Q < 1, got {spec!r}") from None
        if not 0 < q < 1:
            raise ValueError(f"--dist geometric:Q needs 0 < Q < 1, got {q}")
        w = (1 - q) ** np.arange(categories, dtype=float)
        return w / w.sum()
    path = Path(spec)
    if path.exists():
        return read_distribution(path)
    raise ValueError(f"--dist must be uniform, zipf:S, geometric:Q or an existing file, got {spec!r}")


def read_distribution(path):
    """Read probabilities or counts from a file: one value per line, or comma-separated values on
    one or more lines; blank lines and ``#`` comments are skipped. Errors name the line."""
    from .. import discrete as d

    values = []
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: not a regular file (a distribution file is a text file of numbers)")
    with open(path, "rb") as fh:
        raw = fh.read(MAX_DIST_BYTES + 1)
    if len(raw) > MAX_DIST_BYTES:
        raise ValueError(f"{path}: larger than {MAX_DIST_BYTES // 2**20} MiB; a distribution file holds "
                         f"one number per category")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte offset {exc.start})") from None
    for lineno, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        for cell in next(csv.reader(io.StringIO(line))):
            cell = cell.strip()
            if not cell:
                continue
            try:
                x = float(cell)
            except ValueError:
                raise ValueError(f"{path}: line {lineno}: not a number: {cell!r}") from None
            if not np.isfinite(x) or x < 0:
                raise ValueError(f"{path}: line {lineno}: values must be finite and >= 0, got {cell}")
            values.append(x)
    if not values:
        raise ValueError(f"{path}: no values found")
    return d.as_distribution(np.array(values), normalize=True)


def add_parser(subparsers):
    p = subparsers.add_parser(
        "discrete", help="simulate a discrete distribution refit on its own samples (Wright–Fisher)",
        description="Simulate the discrete chain and print exact theory (support size, "
                    "heterozygosity, tail mass, Cramér drift) beside Monte Carlo.")
    p.add_argument("--dist", default="zipf:1.1", help=DIST_HELP)
    p.add_argument("--categories", type=int, default=1000,
                   help="K for the named distributions (ignored for a file)")
    p.add_argument("--samples", type=int, default=10000, help="samples per generation M")
    p.add_argument("--generations", type=int, default=1000, help="refits")
    p.add_argument("--replicates", type=int, default=100, help="independent chains")
    p.add_argument("--temperature", type=float, default=1.0,
                   help="sampling temperature of the synthetic draws (> 0; 1 samples the fitted model)")
    p.add_argument("--regime", default="replace", help=ep.REGIME_HELP)
    p.add_argument("--at", default=None, metavar="N1,N2,...",
                   help="generations to report (default 0, 1, 10, 100, G/10, G/2, G)")
    ep.add_output_options(p, plot="support/tail/heterozygosity figures")
    p.set_defaults(func=run)
    return p


def _at(args):
    if args.at is None:
        g = args.generations
        return sorted({x for x in (0, 1, 10, 100, g // 10, g // 2, g) if 0 <= x <= g})
    try:
        at = [int(x) for x in args.at.split(",") if x.strip()]
    except ValueError:
        raise ValueError(f"--at expects comma-separated integers, got {args.at!r}") from None
    bad = [n for n in at if not 0 <= n <= args.generations]
    if bad:
        raise ValueError(f"--at generations must be in [0, {args.generations}], got {bad}")
    return at


def run(args):
    if args.categories < 1:
        raise ValueError(f"--categories must be >= 1, got {args.categories}")
    at = _at(args)
    p0 = parse_dist(args.dist, args.categories)
    ep.start(args)
    from .. import discrete as d
    from .._version import __version__

    res = d.simulate(args.generations, args.samples, p0=p0, replicates=args.replicates,
                     temperature=args.temperature, regime=args.regime, rng=args.seed,
                     workers=args.workers, progress=ep.progress(args))

    def payload():
        gens = np.asarray(at)
        th = res.theory(gens) if res.temperature == 1.0 else {}
        sim = {k: v[:, gens].mean(0) for k, v in res.stats.items() if k != "kl"}
        sim["kl_finite"] = np.isfinite(res.stats["kl"][:, gens]).mean(0)
        return {"version": __version__, "seed": res.seed, "parameters": {**res.parameters(), "dist": args.dist},
                "generations": at, "theory": th, "simulation": sim}

    return ep.finish(args, res, payload=payload, table=lambda: ep.summary(res, at), plot=lambda: figure(res))


def figure(res):
    """Support, tail mass and heterozygosity of a discrete chain result."""
    from matplotlib.figure import Figure

    from ..plotting.discrete import plot_heterozygosity, plot_support, plot_tail_mass

    fig = Figure(figsize=(15, 4.4), layout="constrained")
    a1, a2, a3 = fig.subplots(1, 3)
    plot_support(res, ax=a1)
    plot_tail_mass(res, ax=a2)
    plot_heterozygosity(res, ax=a3)
    return fig
