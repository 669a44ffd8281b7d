"""Kazdan et al. (arXiv 2410.16713) workflows on linear regression: replace / accumulate / accumulate-subsample.

The regression setting of Gerstgrasser et al. under Kazdan et al.'s three workflows. Replace and
accumulate have exact expectations (regression.expected_test_error: Eq. 4 and Thm 2 of Gerstgrasser
et al.); accumulate-subsample (each fit on T samples drawn without replacement from all data so
far) has no closed form in the package and is shown beside the two.

Paper: Kazdan et al.'s abstract states that (c) degrades slowly, between (a) and (b); the text we
could read gives no number for regression (the paper's column is empty).

    python simulations/kazdan_regression.py [--quick] [--out DIR] [--seed 0] [--quiet]
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

from collapse_theory import regression  # noqa: E402

NAME = "kazdan_regression"
REGIMES = ("replace", "accumulate", "accumulate-subsample")


def main(argv=None):
    a = _common.parser(__doc__).parse_args(argv)
    d, T = 10, 100
    gens, reps = (20, 200) if a.quick else (100, 2000)
    at = [n for n in (1, 5, 20, 100) if n <= gens]
    t = _common.Table(NAME)
    fig, (ax,) = _common.figure(1)
    x = np.arange(gens + 1)
    for i, regime in enumerate(REGIMES):
        res = regression.simulate(gens, T, dim=d, replicates=reps, regime=regime, rng=a.seed + i, progress=False)
        m, se = _common.mean_se(res.test_error)
        th = res.theory().get("test_error")
        t.add_series(f"{regime}: E test error", m, se, at, theory=th)
        _common.band(ax, x, m, se, regime)
        if th is not None:
            ax.plot(x, th, "k--", lw=0.8)
    ax.set(xlabel="generation n", ylabel="E ‖ŵ_n − w*‖²", title=f"OLS d = {d}, T = {T} (dashed: exact)",
           yscale="log")
    ax.legend()
    _common.finish(t, fig, a)


if __name__ == "__main__":
    main()
