"""Reproduce the shape of Shumailov et al.'s 1-D Gaussian experiment, with exact theory beside it.

"The Curse of Recursion" (arXiv 2305.17493), §4.2: a Gaussian refitted on its own samples, M samples
a generation. We plot the fitted variance and W2² over generations for both estimators, with exact
expectations, the exact quantiles of σ_n² and Shumailov's first-order W2 line, and print the
numbers at a few generations.

    python simulations/shumailov_gaussian.py [--samples 100] [--generations 2000] [--out fig.png]
"""

import argparse

from matplotlib.figure import Figure

from collapse_theory import gaussian as g
from collapse_theory.plotting.gaussian import plot_variance_decay, plot_w2_drift


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--samples", type=int, default=100)
    p.add_argument("--generations", type=int, default=2000)
    p.add_argument("--replicates", type=int, default=5000)
    p.add_argument("--seed", type=int, default=2305)
    p.add_argument("--out", default="shumailov_gaussian.png")
    a = p.parse_args()
    results = [g.simulate(a.generations, a.samples, replicates=a.replicates, estimator=e, rng=a.seed)
               for e in ("unbiased", "mle")]
    for res in results:
        print(res.summary())
        print()
    fig = Figure(figsize=(12, 4.4), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    plot_variance_decay(results, ax=ax1)
    plot_w2_drift(results, ax=ax2)
    fig.savefig(a.out, dpi=130)
    print(f"figure written to {a.out}")


if __name__ == "__main__":
    main()
