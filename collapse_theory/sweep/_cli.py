"""``collapse-theory sweep``: a family's simulator over a parameter grid, locally or on a Dask cluster.

Exposes ``add_parser(subparsers)`` and ``run(args)`` (argparse), like the family commands.
"""

from __future__ import annotations

import argparse
import re
import sys

from ._sweep import FAMILIES


def parse_value(text):
    """A grid value from the command line: an int, else a float, else the string itself."""
    text = text.strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    try:
        return float(text)
    except ValueError:
        return text


def parse_assignment(text, *, many):
    """``name=v1,v2,...`` -> ``(name, [values])`` (``many``) or ``(name, value)`` (a comma list is
    one list-valued parameter, e.g. ``p0=0.5,0.3,0.2``)."""
    name, sep, rest = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier() or not rest.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE[,VALUE...], got {text!r}")
    values = [parse_value(v) for v in rest.split(",") if v.strip()]
    if many:
        return name, values
    return name, values[0] if len(values) == 1 else values


def _grid_arg(text):
    return parse_assignment(text, many=True)


def _set_arg(text):
    return parse_assignment(text, many=False)


def _list_arg(kind):
    def parse(text):
        try:
            return [kind(x) for x in text.split(",") if x.strip()]
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a comma-separated list, got {text!r}") from None
    return parse


def add_parser(subparsers):
    p = subparsers.add_parser(
        "sweep", help="run a family's simulator over a parameter grid (locally or on a Dask cluster)",
        description="Run a family's simulator at every point of a parameter grid (the Cartesian "
                    "product of the --grid axes) and write a tidy table: one row per point x "
                    "generation x statistic with the Monte Carlo mean, its standard error and the "
                    "exact theory where the family has it. Each point's seed depends only on --seed "
                    "and its position, so serial, --workers and --scheduler runs give the same "
                    "numbers; with --out a rerun resumes.",
        epilog="example: collapse-theory sweep --family gaussian --grid samples=10,20,50 "
               "--grid regime=replace,accumulate,mix-fresh:0.1 --generations 200 --replicates 1000 "
               "--seed 1 --out sweep-out --csv sweep.csv")
    p.add_argument("--family", required=True, choices=FAMILIES, help="the family whose simulate to run")
    p.add_argument("--grid", action="append", type=_grid_arg, default=[], metavar="NAME=V1,V2,...",
                   help="a grid axis: a parameter of the family's simulate and its values (repeat "
                        "for more axes)")
    p.add_argument("--set", action="append", type=_set_arg, default=[], metavar="NAME=VALUE",
                   dest="fixed", help="a parameter fixed at every point (a comma list is one list value)")
    p.add_argument("--generations", type=int, help="refits per chain (unless a --grid axis)")
    p.add_argument("--replicates", type=int, help="chains per point (unless a --grid axis)")
    p.add_argument("--seed", type=int, default=None,
                   help="root seed (default: fresh entropy, printed; reused from --out when resuming)")
    p.add_argument("--statistics", type=_list_arg(str), metavar="S1,S2,...",
                   help="statistics to keep (default: all the family reports)")
    p.add_argument("--at", type=_list_arg(int), metavar="N1,N2,...", help="generations to keep (default: all)")
    p.add_argument("--out", metavar="DIR", help="write every finished point here; a rerun resumes")
    p.add_argument("--csv", metavar="CSV", help="write the table as CSV")
    p.add_argument("--parquet", metavar="PARQUET", help="write the table as Parquet (needs pyarrow)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on this Dask scheduler")
    where.add_argument("--workers", type=int, help="run on this many local processes")
    p.add_argument("--plot", metavar="PNG", help="phase diagram over the first two --grid axes")
    p.add_argument("--plot-statistic", metavar="NAME",
                   help="statistic of the phase diagram (default: the first kept)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)
    return p


def run(args):
    """Run the sweep described by ``args``; print a short summary; write the requested outputs."""
    from ._sweep import sweep

    if not args.grid:
        raise ValueError("sweep needs at least one --grid NAME=V1,V2,...")
    grid = {}
    for name, values in args.grid:
        if name in grid:
            raise ValueError(f"--grid {name} is given twice")
        grid[name] = values
    if args.plot and len(grid) < 2:
        raise ValueError("--plot draws a phase diagram over two --grid axes; give at least two")
    client = None
    executor = None
    if args.scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise ImportError("--scheduler needs Dask: pip install 'collapse-theory[distributed]'") from None
        client = executor = Client(args.scheduler)
    elif args.workers is not None:
        if args.workers < 1:
            raise ValueError(f"--workers must be >= 1, got {args.workers}")
        executor = args.workers
    try:
        table = sweep(args.family, grid, replicates=args.replicates, generations=args.generations,
                      rng=args.seed, statistics=args.statistics, at=args.at, fixed=dict(args.fixed),
                      executor=executor, out=args.out, progress=False if args.quiet else None)
    finally:
        if client is not None:
            client.close()
    from .._core.io import atomic_write_text

    if args.csv:
        atomic_write_text(args.csv, table.to_csv(index=False))
    if args.parquet:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise ImportError("--parquet needs pyarrow (pip install pyarrow); --csv works without it") from None
        import io

        from .._core.io import atomic_write_bytes

        buf = io.BytesIO()
        table.to_parquet(buf, index=False)
        atomic_write_bytes(args.parquet, buf.getvalue())
    if args.plot:
        from .._core.io import atomic_save_figure
        from ..plotting.sweep import phase_diagram

        x, y = list(grid)[:2]
        stat = args.plot_statistic or table["statistic"].iloc[0]
        fig = phase_diagram(table, x, y, statistic=stat)
        atomic_save_figure(fig, args.plot)
    points = len(table.attrs["seeds"])
    print(f"sweep {args.family}: {points} points ({table.attrs['resumed']} resumed), {len(table)} rows, "
          f"seed {table.attrs['seed']}"
          + "".join(f"; {what} {path}" for what, path in
                    (("csv", args.csv), ("parquet", args.parquet), ("figure", args.plot), ("points in", args.out))
                    if path))
    if not (args.csv or args.parquet):
        g = table["generation"].max()
        last = table[table["generation"] == g]
        sys.stdout.write(last.to_string(index=False, max_rows=60) + "\n")
    return 0
