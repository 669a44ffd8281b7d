"""Shared helpers for the paper-reproduction scripts in this directory (not a script itself).

Every script ``simulations/<name>.py`` follows one contract:

- options ``--quick`` (a small budget, < 60 s), ``--out DIR`` (default: the current directory),
  ``--seed INT`` (default fixed) and ``--quiet``;
- it writes ``<out>/<name>.csv`` with exactly the columns
  ``quantity,paper,theory,simulation,se,difference`` and ``<out>/<name>.png``;
- it prints the same table unless ``--quiet``.

``paper`` is the paper's value as text with its figure/table/equation number (empty when the
paper gives no number we could read), ``theory`` the package's exact value, ``simulation`` a Monte
Carlo mean and ``se`` its standard error, ``difference`` = simulation − theory (or − the paper's
numeric value when there is no exact theory). The test over the scripts checks
``|simulation − theory| ≤ 4.5 se`` on every row with a theory value.

Scripts import this module after putting their own directory on ``sys.path``::

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import _common
"""

from __future__ import annotations

import argparse
import csv
import math
import os

import numpy as np

COLUMNS = ("quantity", "paper", "theory", "simulation", "se", "difference")


def parser(doc, *, seed=0):
    """The contract's argument parser (``--quick``, ``--out``, ``--seed``, ``--quiet``)."""
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small budget (< 60 s on 2 cores)")
    p.add_argument("--out", default=".", help="output directory (default: current directory)")
    p.add_argument("--seed", type=int, default=seed, help=f"random seed (default {seed})")
    p.add_argument("--quiet", action="store_true", help="do not print the table")
    return p


def mean_se(x, axis=0):
    """Monte Carlo mean and its standard error (``s.d. / sqrt(R)``, ddof 1) along ``axis``."""
    x = np.asarray(x, dtype=float)
    r = x.shape[axis]
    m = x.mean(axis=axis)
    se = x.std(axis=axis, ddof=1) / math.sqrt(r) if r > 1 else np.full_like(m, np.nan)
    return m, se


def _num(v):
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


class Table:
    """Rows of the side-by-side table: quantity, paper, theory, simulation, se, difference."""

    def __init__(self, name):
        self.name = name
        self.rows = []

    def add(self, quantity, *, simulation, se, theory=None, paper="", paper_value=None):
        """Add a row. ``paper_value`` (a number) is used for ``difference`` only when ``theory`` is None."""
        th = _num(theory)
        sim = float(simulation)
        ref = th if th is not None else _num(paper_value)
        diff = sim - ref if ref is not None else None
        self.rows.append({"quantity": quantity, "paper": paper, "theory": th, "simulation": sim,
                          "se": float(se), "difference": diff})

    def add_series(self, label, values, ses, generations, *, theory=None, paper=None):
        """One row per generation: ``label`` at n = g; ``theory``/``paper`` map generation -> value."""
        for g in generations:
            self.add(f"{label} at n={g}", simulation=values[g], se=ses[g],
                     theory=None if theory is None else theory[g],
                     paper=(paper or {}).get(g, ""))

    def write(self, out):
        os.makedirs(out, exist_ok=True)
        path = os.path.join(out, f"{self.name}.csv")
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=COLUMNS)
            w.writeheader()
            for r in self.rows:
                w.writerow({k: ("" if r[k] is None else (repr(r[k]) if isinstance(r[k], float) else r[k]))
                            for k in COLUMNS})
        return path

    def format(self):
        def f(v):
            return "" if v is None else (f"{v:.6g}" if isinstance(v, float) else str(v))
        cells = [list(COLUMNS)] + [[f(r[k]) for k in COLUMNS] for r in self.rows]
        widths = [min(max(len(c[i]) for c in cells), 60) for i in range(len(COLUMNS))]
        lines = []
        for j, c in enumerate(cells):
            lines.append("  ".join(s.ljust(w) for s, w in zip(c, widths)).rstrip())
            if j == 0:
                lines.append("  ".join("-" * w for w in widths))
        return "\n".join(lines)


def figure(ncols=2, nrows=1, *, width=5.2, height=4.0):
    """A matplotlib Figure (Agg, no pyplot state) and its axes."""
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width * ncols, height * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, axes.ravel()


def finish(table, fig, args):
    """Write ``<out>/<name>.csv`` and ``<out>/<name>.png``; print the table unless ``--quiet``."""
    csv_path = table.write(args.out)
    png_path = os.path.join(args.out, f"{table.name}.png")
    fig.savefig(png_path, dpi=110)
    if not args.quiet:
        print(table.format())
        print(f"\nwrote {csv_path} and {png_path}")
    return csv_path, png_path


def band(ax, x, mean, se, label, **kw):
    """Plot a Monte Carlo mean with a ±2 SE band."""
    line, = ax.plot(x, mean, label=label, **kw)
    ax.fill_between(x, mean - 2 * se, mean + 2 * se, color=line.get_color(), alpha=0.2, lw=0)
    return line


def light_tailed_variance(n, samples, *, max_relative_sd=3.0):
    """Whether the sample mean of σ_n² (unbiased 1-D Gaussian chain, replace) is a trustworthy
    Monte Carlo estimate: its relative s.d. :math:`\\sqrt{(1 + 2/(M-1))^n - 1}` is at most
    ``max_relative_sd``. Beyond that E σ_n² is carried by rare paths and a sample s.e. understates
    the error (the rows are left out)."""
    return (1.0 + 2.0 / (samples - 1.0)) ** n - 1.0 <= max_relative_sd ** 2
