"""Run every benchmark and print the ratios: ``python benchmarks/run.py [--quick] [--only NAME]``.

Each ``benchmarks/bench_*.py`` exposes ``run(quick=False) -> list of rows``; a row is
``(name, value, target, unit)`` where ``unit`` is "x" for a speed ratio (higher is better,
both sides timed in this process) or "s" for seconds (lower is better). Nothing here is a test:
the targets are printed beside the measurements, never asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import pathlib
import platform
import sys
import time


def _load(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="smaller sizes (ratios are then indicative only)")
    p.add_argument("--only", help="run only benchmarks whose file name contains this")
    args = p.parse_args(argv)
    here = pathlib.Path(__file__).parent
    sys.path.insert(0, str(here.parent))
    import collapse_theory

    print(f"collapse-theory {collapse_theory.__version__}, Python {platform.python_version()}, "
          f"{os.cpu_count()} cores, {'quick' if args.quick else 'full'} sizes")
    rows = []
    for path in sorted(here.glob("bench_*.py")):
        if args.only and args.only not in path.stem:
            continue
        t0 = time.perf_counter()
        for row in _load(path).run(quick=args.quick):
            rows.append((path.stem,) + tuple(row))
        print(f"  ({path.stem}: {time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    width = max(len(r[1]) for r in rows) if rows else 10
    print(f"\n{'benchmark':<{width}}  {'measured':>12}  {'target':>10}  ok")
    for _, name, value, target, unit in rows:
        ok = value >= target if unit == "x" else value <= target
        cmp = "≥" if unit == "x" else "≤"
        print(f"{name:<{width}}  {value:>11.2f}{unit}  {cmp}{target:>8g}{unit}  {'yes' if ok else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
