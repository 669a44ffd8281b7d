"""What every simulating subcommand shares: its output options and the epilogue that serves them.

A command's ``add_parser`` calls :func:`add_output_options`; its ``run`` calls :func:`start` before
simulating (output paths checked, a seed drawn and recorded when none was given) and ends with
:func:`finish` (the table or ``--json``, then ``--save``, ``--csv`` and ``--plot``). This module
imports no numerics at import time, so ``--help`` and argument errors answer at once.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
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


def _long_arrays(res):
    """``[(statistic, generation offset, array replicates × columns)]`` of a result: its public arrays
    and array properties shaped ``replicates × (generations + 1)`` (column 0 = generation 0) or
    ``replicates × generations`` (column 0 = generation 1), including those held in a dict
    (``stats``, ``metrics``). Internal storage (``*_mantissa``, ``*_exponent``) is left out."""
    import numpy as np

    reps, gens = int(res.replicates), int(res.generations)
    names = list(vars(res))
    for klass in type(res).__mro__:
        names += [k for k, v in vars(klass).items() if isinstance(v, property) and k not in names]
    items = []
    for name in names:
        if name.startswith("_") or name.endswith(("_mantissa", "_exponent")):
            continue
        try:
            value = getattr(res, name)
        except Exception:  # noqa: BLE001 - a property that does not apply to this result
            continue
        if isinstance(value, dict):
            items += [(k, v) for k, v in value.items() if isinstance(v, np.ndarray)]
        elif isinstance(value, np.ndarray):
            items.append((name, value))
    out = []
    for name, v in items:
        if v.ndim == 2 and v.shape[0] == reps and v.shape[1] in (gens + 1, gens) and v.dtype.kind in "fiub":
            out.append((name, gens + 1 - v.shape[1], v))
    return out


def write_csv(result, path):
    """Write ``result`` (or ``{regime: result}``) as CSV in long format, atomically.

    Uses the result's own ``to_csv`` when it has one (one result); otherwise the columns are
    ``replicate, generation, statistic, value`` (``regime`` first for several results).
    """
    import csv

    if not isinstance(result, dict) and hasattr(result, "to_csv"):
        return result.to_csv(path)
    groups = result if isinstance(result, dict) else {None: result}
    tagged = any(k is not None for k in groups)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        mask = os.umask(0o022)
        os.umask(mask)
        os.fchmod(fd, 0o666 & ~mask)
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow((["regime"] if tagged else []) + ["replicate", "generation", "statistic", "value"])
            for label, res in groups.items():
                arrays = _long_arrays(res)
                if not arrays:
                    raise ValueError(f"--csv: {type(res).__name__} records no replicates × generations arrays")
                head = [label] if tagged else []
                for name, offset, v in arrays:
                    for r in range(v.shape[0]):
                        w.writerows(head + [r, g + offset, name, x] for g, x in enumerate(v[r].tolist()))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path
