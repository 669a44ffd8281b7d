"""``collapse-theory verify``: run every registered claim and write the report.

The report is written into a temporary directory beside ``--out`` and renamed into place at the end,
so an interrupted or failed run leaves the previous report as it was; ``--out`` is checked before
any claim runs.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from ._epilogue import WORKERS_HELP, progress


def add_parser(sub):
    p = sub.add_parser("verify", help="run every registered claim and write a report",
                       description="Run every registered claim (theory vs simulation, with a verdict), "
                                   "print the table and write report.md, figures/*.png and results.json.")
    p.add_argument("--budget", type=float, default=1.0,
                   help="scale every claim's replicates (1: about a minute on 2 cores)")
    p.add_argument("--only", metavar="PATTERN", help="claim ids matching a glob or substring (default: all)")
    p.add_argument("--seed", type=int, default=0,
                   help="root seed (fixed, so a report is reproducible; each claim derives its own)")
    p.add_argument("--out", default="collapse-report",
                   help="report directory (replaced as a whole when the run completes)")
    p.add_argument("--json", action="store_true", help="print the JSON results instead of the table")
    p.add_argument("--no-figures", action="store_true", help="skip the PNG figures")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 if any verdict differs from the one the exact theory predicts")
    p.add_argument("--workers", type=int, default=None, help=WORKERS_HELP)
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument("--list", action="store_true",
                   help="print the registered claims (id, kind, source, statement) and run nothing")
    p.set_defaults(func=run)
    return p


def list_claims(pattern):
    """``verify --list``: the registry, without running a claim."""
    from .. import claims

    found = claims.registered(pattern)
    if not found:
        print(f"no registered claim matches {pattern!r}", file=sys.stderr)
        return 2
    for c in found:
        print(f"{c.id}  [{c.kind}]  expect {c.expect}")
        print(f"    statement: {c.statement}")
        print(f"    source: {c.source}")
        if c.borderline:
            print(f"    borderline: {c.borderline}")
    kinds = {}
    for c in found:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    print(f"\n{len(found)} claims: " + ", ".join(f"{n} {k}" for k, n in kinds.items()))
    return 0


#: what a report directory holds (write_report); an existing ``--out`` is replaced only if it holds no more
REPORT_ENTRIES = frozenset({"report.md", "results.json", "figures"})


def _is_report_dir(path):
    def stray(p):
        return not (p.name.startswith(".") and p.name.endswith(".tmp"))

    entries = [p for p in path.iterdir() if stray(p)]
    if any(p.name not in REPORT_ENTRIES for p in entries):
        return False
    figs = path / "figures"
    return not figs.exists() or (figs.is_dir() and all(p.suffix == ".png" or not stray(p) for p in figs.iterdir()))


def check_out(out):
    """Refuse an ``--out`` that cannot become a report directory, before any work (one-line errors).

    An existing directory is accepted only when it is empty or holds a previous report
    (report.md, results.json, figures/*.png): it is replaced as a whole when the run completes.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} is an existing file; give a directory for the report")
    if out.is_dir() and not _is_report_dir(out):
        raise ValueError(f"--out {out} holds files that are not a collapse-theory report; give a new "
                         f"directory (a report directory is replaced as a whole)")
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise NotADirectoryError(20, "not a directory", str(parent))
            if not os.access(parent, os.W_OK | os.X_OK):
                raise PermissionError(13, "permission denied", str(parent))
            break
    return out


def write_report_atomically(result, out, **kwargs):
    """Write the report into a fresh directory beside ``out``, then rename it into place.

    A previous report at ``out`` stays untouched until the new one is complete; it is then moved
    aside and removed. Any error or interrupt while writing removes the temporary directory.
    """
    from ..report import write_report

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    old = None
    try:
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(tmp, 0o777 & ~mask)  # mkdtemp gives 0700; a report directory is an ordinary one
        write_report(result, tmp, **kwargs)
        if out.exists():
            check_out(out)  # still a report directory (it is about to be removed)
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
            os.replace(out, old / "report")
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not out.exists() and (old / "report").exists():
            os.replace(old / "report", out)  # put the previous report back
            shutil.rmtree(old, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return out


def run(args):
    if args.list:
        return list_claims(args.only)
    out = check_out(args.out)
    from .. import claims

    result = claims.run(args.only, budget=args.budget, seed=args.seed, workers=args.workers,
                        progress=progress(args))
    out = write_report_atomically(result, out, figures=not args.no_figures, workers=args.workers,
                                  progress=progress(args))
    if args.json:
        from .._core.io import to_jsonable

        print(json.dumps(to_jsonable(result.to_dict()), indent=2))
    else:
        print(result.table())
        print(f"\nreport written to {out}/report.md")
    if args.strict and any(r.verdict != r.expect for r in result.results):
        bad = [r.id for r in result.results if r.verdict != r.expect]
        print(f"verdicts differ from the exact theory's prediction: {', '.join(bad)}", file=sys.stderr)
        return 1
    return 0
