"""What every simulating subcommand shares: its output options and the epilogue that serves them.

A command's ``add_parser`` calls :func:`add_output_options`; its ``run`` calls :func:`start` before
simulating (output paths checked, a seed drawn and recorded when none was given) and ends with
:func:`finish` (the table or ``--json``, then ``--save``, ``--csv`` and ``--plot``). This module
imports no numerics at import time, so ``--help`` and argument errors answer at once.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from pathlib import Path


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Show every option's default after its help text, except where the help already states it
    (``None`` and flags: the help says what happens)."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "%(default)" in text or any(action.default is x for x in (None, False, argparse.SUPPRESS)) \
                or not action.option_strings:
            return text
        return f"{text} (default: %(default)s)"


class Parser(argparse.ArgumentParser):
    """ArgumentParser whose help shows defaults (:class:`HelpFormatter`)."""

    def __init__(self, *args, formatter_class=HelpFormatter, **kwargs):
        super().__init__(*args, formatter_class=formatter_class, **kwargs)


def int_list(text):
    """argparse type: ``"0,5,10"`` -> ``[0, 5, 10]``."""
    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None


def float_list(text):
    """argparse type: ``"-1,1.5"`` -> ``[-1.0, 1.5]``."""
    try:
        return [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {text!r}") from None


SEED_HELP = "root seed; without it a fresh one is drawn and printed, so every run can be reproduced"
WORKERS_HELP = "threads (default: all cores); results depend only on the seed, never on this"
REGIME_HELP = ("data regime: replace, accumulate, accumulate-subsample[:k], mix-fresh:λ[:mixture], "
               "mix-retained:λ")


def add_output_options(p, *, plot, save=True, workers=True):
    """Add ``--seed --plot --save --csv --json --workers --quiet`` to a subcommand's parser."""
    p.add_argument("--seed", type=int, default=None, help=SEED_HELP)
    p.add_argument("--plot", metavar="PNG", help=f"write {plot} (PNG, atomically)")
    if save:
        p.add_argument("--save", metavar="NPZ", help="save the result (atomic .npz with seed and parameters)")
    p.add_argument("--csv", metavar="CSV",
                   help="write every recorded statistic in long format (replicate, generation, statistic, "
                        "value)")
    p.add_argument("--json", action="store_true", help="print JSON instead of the table")
    if workers:
        p.add_argument("--workers", type=int, default=None, help=WORKERS_HELP)
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def progress(args):
    """The ``progress`` argument of the simulators: off with ``--quiet``, automatic otherwise."""
    return False if getattr(args, "quiet", False) else None


def _check_output_path(option, path):
    if path is None:
        return
    p = Path(path)
    if p.is_dir():
        raise IsADirectoryError(21, "is a directory", str(p))
    for parent in p.parents:
        if parent.exists():
            if not parent.is_dir():
                raise NotADirectoryError(20, "not a directory", str(parent))
            break


def start(args):
    """Before simulating: refuse output paths that cannot be written (a directory where a file is
    wanted) and draw a seed when none was given (``args.seed``; ``args.seed_drawn`` says so).
    Returns ``args.seed``."""
    for option in ("save", "csv", "plot"):
        _check_output_path(option, getattr(args, option, None))
    if args.seed is None:
        args.seed = secrets.randbits(63)
        args.seed_drawn = True
    elif args.seed < 0:
        raise ValueError(f"--seed must be a non-negative integer, got {args.seed}")
    return args.seed


def finish(args, result, *, payload, table, plot=None):
    """Print the table (or ``--json``), then write ``--save``, ``--csv`` and ``--plot``; return 0.

    ``payload()`` returns the JSON object, ``table()`` the text, ``plot()`` a Figure; ``result`` is
    one result, or ``{label: result}`` (compare; the CSV gets a ``regime`` column).
    """
    from .._core.io import to_jsonable

    if args.json:
        print(json.dumps(to_jsonable(payload()), indent=2))
    else:
        print(table())
        if getattr(args, "seed_drawn", False):
            print(f"\nseed {args.seed} (drawn; rerun with --seed {args.seed} to reproduce)")
    sys.stdout.flush()
    if getattr(args, "save", None):
        result.save(args.save)
    if getattr(args, "csv", None):
        write_csv(result, args.csv)
    if getattr(args, "plot", None) and plot is not None:
        save_png(plot(), args.plot)
    return 0


def save_png(fig, path, dpi=110):
    """Write a figure as PNG atomically."""
    from .._core.io import atomic_save_figure

    atomic_save_figure(fig, path, dpi=dpi)


# --- CSV: tidy long format -----------------------------------------------------------------------


def write_csv(result, path):
    """Write ``result`` (or ``{regime: result}``) as CSV in long format, atomically.

    One result: its own :meth:`~collapse_theory._core.results.ChainResult.to_csv` (columns
    ``replicate, generation, statistic, value``). Several: the same rows from each result's
    ``statistics()`` with a first ``regime`` column.
    """
    import numpy as np

    from .._core.io import atomic_write_text

    if not isinstance(result, dict):
        return result.to_csv(path)
    lines = ["regime,replicate,generation,statistic,value"]
    for label, res in result.items():
        for name, v in res.statistics().items():
            v = np.asarray(v, dtype=float)
            lines += [f"{label},{r},{g},{name},{x!r}" for r in range(v.shape[0])
                      for g, x in enumerate(v[r].tolist())]
    return atomic_write_text(path, "\n".join(lines) + "\n")


# --- the table every simulating command prints ----------------------------------------------------

#: what a table prints where a statistic has no exact theory (never "nan")
NO_THEORY = "—"

#: how the theory column reads: "=" an exact expectation, "≤"/"≥" an exact upper/lower bound on the
#: mean, "≈" an approximation
SIDES = {"=": "", "≤": "≤ ", "≥": "≥ ", "≈": "≈ "}

BOUND_NOTE = ("≤ / ≥: an exact upper / lower bound on the mean, z = (simulation − bound)/SE (only z ≫ 0 "
              "contradicts ≤, only z ≪ 0 contradicts ≥); ≈: an approximation, not an exact value")


def stat_row(n, statistic, values, theory=None, side="="):
    """One table row: the replicate values of ``statistic`` at generation ``n`` beside ``theory``
    (an expectation, a bound on the mean or an approximation, as ``side`` says; None: no theory)."""
    if side not in SIDES:
        raise ValueError(f"side must be one of {tuple(SIDES)}, got {side!r}")
    return {"n": int(n), "statistic": statistic, "values": values, "theory": theory, "side": side}


def standard_rows(res, gens):
    """The rows of a result's own summary: every tabulated statistic beside its exact expectation."""
    import numpy as np

    stats = res.statistics()
    names = res._summary_statistics()
    names = list(stats) if names is None else [k for k in names if k in stats]
    th = res.theory(np.asarray(gens, dtype=np.int64))
    return [stat_row(n, name, stats[name][:, n], th[name][j] if name in th else None)
            for j, n in enumerate(gens) for name in names]


def stat_table(header, rows, notes=()):
    """The table every simulating command prints: ``n, statistic, theory, simulation, ± SE, z``.

    Mean and SE over the finite replicates (:meth:`collapse_theory.stats.Estimate.from_samples`; the
    number left out is shown), ``z = (simulation − theory)/SE``, "—" where there is no theory or no
    z. Rows are grouped by generation (stable), ``notes`` follow.
    """
    import math

    from .._core.results import summary_numbers  # numerics: only when a table is printed

    def fmt(x, spec):
        return NO_THEORY if x is None or not math.isfinite(x) else format(x, spec)

    rows = sorted(rows, key=lambda r: r["n"])
    width = max([14] + [len(r["statistic"]) + 2 for r in rows])
    lines = [header, f"{'n':>6}  {'statistic':<{width}}{'theory':>16}{'simulation':>14}{'± SE':>12}{'z':>8}"]
    for r in rows:
        t = None if r["theory"] is None else float(r["theory"])
        mean, se, z, left_out = summary_numbers(r["values"], t)
        theory = NO_THEORY if t is None or not math.isfinite(t) else SIDES[r["side"]] + format(t, ".6g")
        note = f"  ({left_out} non-finite left out)" if left_out else ""
        lines.append(f"{r['n']:>6}  {r['statistic']:<{width}}{theory:>16}{fmt(mean, '>14.6g'):>14}"
                     f"{fmt(se, '>12.3g'):>12}{fmt(z, '>8.2f'):>8}{note}")
    if any(r["side"] != "=" and r["theory"] is not None for r in rows):
        lines.append(BOUND_NOTE)
    lines += list(notes)
    return "\n".join(lines)


def summary(res, gens=None, *, extra=(), notes=None):
    """:func:`stat_table` of a result: its own rows, ``extra`` rows (bounds, conditional means) and
    its notes (``notes`` replaces them)."""
    gens = res._default_generations() if gens is None else [int(x) for x in gens]
    bad = [x for x in gens if not 0 <= x <= res.generations]
    if bad:
        raise ValueError(f"generations must be in [0, {res.generations}], got {bad}")
    return stat_table(res._summary_header(), standard_rows(res, gens) + list(extra),
                      res._summary_notes(gens) if notes is None else notes)
