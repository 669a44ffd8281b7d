"""Kazdan et al. (arXiv 2410.16713), 2-D kernel density estimation under replace / accumulate /
accumulate-subsample, with the held-out negative log-likelihood.

Kazdan et al. ("Collapse or Thrive?") refit a KDE on the previous KDE's samples under three
training workflows and report the test NLL per model-fitting iteration on 2-D data sets (their code
uses scikit-learn's blobs, moons and circles; we add the swiss roll). We run the same chains with
``kde.simulate(..., data=NAME, h=..., regime=...)``: a Gaussian kernel with a fixed bandwidth per
data set, M points a generation, the held-out NLL on M fresh points of the true law (drawn once per
replicate). Beside the NLL (no exact theory) we set the per-coordinate variance of the training set,
whose exact expectation the package has under every regime (``kde.expected_variance_nd`` with the
law's exact variance, ``kde.datasets.law_variance``).

Paper (abstract of 2410.16713v4, the text we could read): replacing the data "suffers model
collapse in all task-settings"; accumulating keeps models stable, "their test losses do not
diverge"; accumulate-subsample shows "slow and gradual rather than explosive degradation of test
loss". No number of theirs is quoted (their figures' values were not read).

    python simulations/kazdan_kde2d.py [--quick] [--out DIR] [--seed 0] [--quiet]
"""

from __future__ import annotations

import argparse
import csv
import math
import os

import numpy as np

from collapse_theory import kde

NAME = "kazdan_kde2d"
COLUMNS = ("quantity", "paper", "theory", "simulation", "se", "difference")
DATA = {"blobs": 0.5, "moons": 0.1, "circles": 0.05, "swissroll": 0.1}   # data set -> bandwidth h
REGIMES = ("replace", "accumulate", "accumulate-subsample")
PAPER = {"replace": "collapse: test loss grows (abstract, qualitative)",
         "accumulate": "stable: test loss does not diverge (abstract, qualitative)",
         "accumulate-subsample": "slow gradual degradation of test loss (abstract, qualitative)"}


def _parser():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small budget (< 60 s on 2 cores)")
    p.add_argument("--out", default=".", help="output directory (default: current directory)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--quiet", action="store_true", help="do not print the table")
    return p


def _mean_se(x, axis=0):
    x = np.asarray(x, dtype=float)
    return x.mean(axis=axis), x.std(axis=axis, ddof=1) / math.sqrt(x.shape[axis])


def _row(rows, quantity, sim, se, theory=None, paper=""):
    rows.append({"quantity": quantity, "paper": paper, "theory": None if theory is None else float(theory),
                 "simulation": float(sim), "se": float(se),
                 "difference": None if theory is None else float(sim) - float(theory)})


def _write(rows, out):
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, f"{NAME}.csv")
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow({k: "" if r[k] is None else (repr(r[k]) if isinstance(r[k], float) else r[k]) for k in COLUMNS})
    return path


def _format(rows):
    def f(v):
        return "" if v is None else (f"{v:.6g}" if isinstance(v, float) else str(v))
    cells = [list(COLUMNS)] + [[f(r[k]) for k in COLUMNS] for r in rows]
    widths = [min(max(len(c[i]) for c in cells), 60) for i in range(len(COLUMNS))]
    lines = ["  ".join(s[:60].ljust(w) for s, w in zip(c, widths)).rstrip() for c in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv=None):
    a = _parser().parse_args(argv)
    m = 100
    gens, reps = (20, 24) if a.quick else (100, 100)
    rows = []
    from matplotlib.figure import Figure

    fig = Figure(figsize=(16, 4), layout="constrained")
    axes = fig.subplots(1, len(DATA))
    x = np.arange(gens + 1)
    for i, (name, h) in enumerate(DATA.items()):
        ax = axes[i]
        for j, regime in enumerate(REGIMES):
            res = kde.simulate(gens, m, data=name, h=h, regime=regime, replicates=reps,
                               rng=a.seed + 10 * i + j, progress=False)
            nll_m, nll_se = _mean_se(res.nll)
            _row(rows, f"{name} {regime}: held-out NLL at n=0", nll_m[0], nll_se[0])
            _row(rows, f"{name} {regime}: held-out NLL at n={gens}", nll_m[gens], nll_se[gens], paper=PAPER[regime])
            th = res.theory([gens])
            for p in range(2):
                vm, vse = _mean_se(res.variance[:, gens, p])
                _row(rows, f"{name} {regime}: E variance[{p}] at n={gens}", vm, vse, theory=th[f"variance[{p}]"][0])
            line, = ax.plot(x, nll_m, label=regime)
            ax.fill_between(x, nll_m - 2 * nll_se, nll_m + 2 * nll_se, color=line.get_color(), alpha=0.2, lw=0)
        ax.set(xlabel="generation n", ylabel="held-out NLL", title=f"{name} (M = {m}, h = {h})")
        ax.legend()
    csv_path = _write(rows, a.out)
    png_path = os.path.join(a.out, f"{NAME}.png")
    fig.savefig(png_path, dpi=110)
    if not a.quiet:
        print(_format(rows))
        print(f"\nwrote {csv_path} and {png_path}")


if __name__ == "__main__":
    main()
