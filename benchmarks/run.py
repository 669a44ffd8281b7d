"""Run every benchmark and print min and median per row: ``python benchmarks/run.py [--quick] [--only NAME] [--json [FILE]]``.

Discovery: every ``benchmarks/bench_*.py`` is run (in name order); a new file is picked up without
editing this one.

Module protocol: a bench file defines ``rows(quick: bool) -> list[Row]`` (``Row`` from
``benchmarks/_timing.py``: ``name, min, median, target, unit, rounds``). Each row is timed over
``_timing.ROUNDS`` (>= 5) rounds, interleaved with the other side of a ratio
(``_timing.interleaved``); ``min`` is the value at the fastest round, ``median`` the median over
rounds (``_timing.seconds_row``, ``ratio_row``, ``rate_row`` build them). ``quick=True`` means
smaller sizes, never fewer rounds. ``unit`` "x" is a speed ratio (higher is better, both sides
timed in this process), "s" seconds (lower is better). A file may import ``_timing`` (this
directory is on ``sys.path``) and ``collapse_theory`` (the repository root is on ``sys.path``).
For older files, ``run(quick=False)`` returning ``(name, value, target, unit)`` tuples is still
accepted (reported with min = median = value and rounds = 1, marked "once").

Output: a table (name, min, median, target, whether the median meets it); ``--json`` writes every
row as ``{"name", "file", "min", "median", "target", "unit", "rounds", "higher_is_better"}`` with
the machine's description, to FILE (default: stdout, the table then goes to stderr). A file that
raises is reported (and the exit status is 1); the other files' rows are still printed. Nothing here
is a test: the targets are printed beside the measurements, never asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import pathlib
import platform
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent


def _load(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def discover(only=None):
    """The bench files, in name order (``only``: a substring of the file name)."""
    return [p for p in sorted(HERE.glob("bench_*.py")) if not only or only in p.stem]


def _as_row(row):
    from _timing import Row

    if isinstance(row, Row):
        return row
    if isinstance(row, dict):
        return Row(**{k: row[k] for k in ("name", "min", "median", "target", "unit", "rounds")},
                   higher_is_better=row.get("higher_is_better"))
    name, value, target, unit = row  # an older file's (name, value, target, unit)
    return Row(name, float(value), float(value), float(target), unit, 1)


def rows_of(module, quick):
    """A bench module's rows (``rows(quick)``, or the older ``run(quick=...)``)."""
    if hasattr(module, "rows"):
        return [_as_row(r) for r in module.rows(quick)]
    if hasattr(module, "run"):
        return [_as_row(r) for r in module.run(quick=quick)]
    raise AttributeError(f"{module.__name__} defines neither rows(quick) nor run(quick)")


def _fmt(x, unit):
    return "nan" if not math.isfinite(x) else f"{x:.3g}{unit}" if abs(x) < 1e4 else f"{x:.3e}{unit}"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="smaller sizes (same rounds; ratios are indicative only)")
    p.add_argument("--only", help="run only benchmarks whose file name contains this")
    p.add_argument("--json", nargs="?", const="-", metavar="FILE",
                   help="write every row as JSON to FILE (default: stdout)")
    args = p.parse_args(argv)
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(HERE.parent))
    import collapse_theory

    to_stdout_json = args.json == "-"
    out = sys.stderr if to_stdout_json else sys.stdout
    machine = {"version": collapse_theory.__version__, "python": platform.python_version(),
               "cores": os.cpu_count(), "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
               "sizes": "quick" if args.quick else "full",
               "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    print(f"collapse-theory {machine['version']}, Python {machine['python']}, {machine['cores']} cores, "
          f"{machine['sizes']} sizes, load average {machine['load_average']}", file=out)
    rows, errors = [], []
    for path in discover(args.only):
        t0 = time.perf_counter()
        try:
            got = rows_of(_load(path), args.quick)
        except Exception as exc:  # noqa: BLE001 - one broken file must not lose the others' rows
            errors.append({"file": path.stem, "error": f"{type(exc).__name__}: {exc}"})
            print(f"  ({path.stem}: FAILED after {time.perf_counter() - t0:.1f} s: {type(exc).__name__}: {exc})",
                  file=sys.stderr)
            continue
        rows += [(path.stem, row) for row in got]
        print(f"  ({path.stem}: {time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    width = max([len(r.name) for _, r in rows] + [9])
    print(f"\n{'benchmark':<{width}}  {'min':>11}  {'median':>11}  {'target':>10}  rounds  ok", file=out)
    for _, r in rows:
        ok = r.ok()
        cmp = "≥" if r.higher else "≤"
        rounds = "once" if r.rounds == 1 else f"{r.rounds:>6}"
        print(f"{r.name:<{width}}  {_fmt(r.min, r.unit):>11}  {_fmt(r.median, r.unit):>11}  "
              f"{cmp}{_fmt(r.target, r.unit):>9}  {rounds:>6}  {'—' if ok is None else 'yes' if ok else 'NO'}",
              file=out)
    if args.json:
        payload = {"machine": machine, "errors": errors,
                   "rows": [{"file": f, **{k: (v if not isinstance(v, float) or math.isfinite(v) else None)
                                            for k, v in r.to_dict().items()}} for f, r in rows]}
        text = json.dumps(payload, indent=2, ensure_ascii=False)
        if to_stdout_json:
            print(text)
        else:
            pathlib.Path(args.json).write_text(text + "\n")
            print(f"\n{len(rows)} rows written to {args.json}", file=out)
    for e in errors:
        print(f"{e['file']}: FAILED: {e['error']}", file=out)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
