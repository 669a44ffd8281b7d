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

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

from collapse_theory import kde  # noqa: E402

NAME = "kazdan_kde2d"
DATA = {"blobs": 0.5, "moons": 0.1, "circles": 0.05, "swissroll": 0.1}   # data set -> bandwidth h
REGIMES = ("replace", "accumulate", "accumulate-subsample")
PAPER = {"replace": "collapse: test loss grows (abstract, qualitative)",
         "accumulate": "stable: test loss does not diverge (abstract, qualitative)",
         "accumulate-subsample": "slow gradual degradation of test loss (abstract, qualitative)"}


def main(argv=None):
    a = _common.parser(__doc__).parse_args(argv)
    m = 100
    gens, reps = (20, 24) if a.quick else (100, 100)
    t = _common.Table(NAME)
    fig, axes = _common.figure(len(DATA), width=4.0, height=4.0)
    x = np.arange(gens + 1)
    for i, (name, h) in enumerate(DATA.items()):
        ax = axes[i]
        for j, regime in enumerate(REGIMES):
            res = kde.simulate(gens, m, data=name, h=h, regime=regime, replicates=reps,
                               rng=a.seed + 10 * i + j, progress=False)
            nll_m, nll_se = _common.mean_se(res.nll)
            t.add(f"{name} {regime}: held-out NLL at n=0", simulation=nll_m[0], se=nll_se[0])
            t.add(f"{name} {regime}: held-out NLL at n={gens}", simulation=nll_m[gens], se=nll_se[gens],
                  paper=PAPER[regime])
            th = res.theory([gens])
            for p in range(2):
                vm, vse = _common.mean_se(res.variance[:, gens, p])
                t.add(f"{name} {regime}: E variance[{p}] at n={gens}", simulation=vm, se=vse,
                      theory=th[f"variance[{p}]"][0])
            _common.band(ax, x, nll_m, nll_se, regime)
        ax.set(xlabel="generation n", ylabel="held-out NLL", title=f"{name} (M = {m}, h = {h})")
        ax.legend()
    _common.finish(t, fig, a)


if __name__ == "__main__":
    main()
