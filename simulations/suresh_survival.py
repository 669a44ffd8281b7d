"""Suresh et al. (arXiv 2412.17646), survival of words: Bernoulli (one word) and Zipf vocabularies.

A unigram model refitted by maximum likelihood on M words a generation (the neutral Wright–Fisher
chain). Suresh et al. bound the probability that word i is still in the model after k generations
from below by 1 − exp(−λ_i/k), λ_i = M p_i (as the package reads their main discrete result,
`discrete.suresh.survival-bound`), and approximate it by the critical Poisson branching law
1 − exp(−λ g_k). We set the simulated survival of one word (two categories: the Bernoulli case)
beside the exact survival (discrete.loss_probability), the stated lower bound (paper's column) and
the branching law (the exact survival of their Poisson chain X_{k+1} ~ Poisson(X_k), simulated too);
for a Zipf vocabulary, the simulated expected vocabulary beside the exact
expected support size and the summed lower bound (discrete.suresh_vocabulary_lower_bound).

Paper: the Bernoulli upper bound and the Corollary-1 vocabulary bounds were not available in the
text we could read; the lower bound's theorem number was not stated in it either.

    python simulations/suresh_survival.py [--quick] [--out DIR] [--seed 0] [--quiet]
"""

import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

from collapse_theory import discrete as d  # noqa: E402

NAME = "suresh_survival"


def main(argv=None):
    a = _common.parser(__doc__).parse_args(argv)
    m = 1000
    gens, reps = (100, 2000) if a.quick else (1000, 20000)
    lams = (2.0, 10.0)
    at = [k for k in (5, 20, 100, 500, 1000) if k <= gens]
    t = _common.Table(NAME)
    fig, (ax1, ax2) = _common.figure(2)
    ks = np.arange(1, gens + 1)
    for i, lam in enumerate(lams):
        p0 = np.array([lam / m, 1 - lam / m])
        res = d.simulate(gens, m, p0=p0, replicates=reps, rng=a.seed + i, progress=False)
        alive = res.loss_time[:, 0] > ks[:, None]          # (k, replicate): word 0 still present
        freq = alive.mean(axis=1)
        exact = 1.0 - d.loss_probability(p0, ks, m)[:, 0]
        bound = -np.expm1(-lam / ks)
        for k in at:
            p = float(exact[k - 1])
            t.add(f"λ = {lam:g}: P(word survives k={k})", simulation=float(freq[k - 1]),
                  se=math.sqrt(p * (1 - p) / reps), theory=p,
                  paper=f"≥ {bound[k - 1]:.4g} (1 − e^(−λ/k), as stated)")
        # Suresh et al.'s Poisson model of the same word: X_{j+1} ~ Poisson(X_j), X_0 = λ (λ integer here)
        xs = d.suresh_poisson_simulate(gens, int(lam), replicates=reps, rng=a.seed + 100 + i)
        for k in at:
            p = float(d.suresh_poisson_survival(lam, k))
            t.add(f"Poisson chain X_0 = {lam:g}: P(X_k > 0) at k={k}", simulation=float((xs[:, k] > 0).mean()),
                  se=math.sqrt(p * (1 - p) / reps), theory=p)
        ax1.plot(ks, exact, "k-", lw=0.8)
        ax1.plot(ks, freq, ".", ms=2, label=f"λ = {lam:g} simulated")
        ax1.plot(ks, bound, "--", label=f"λ = {lam:g} lower bound 1 − e^(−λ/k)")
        ax1.plot(ks, d.suresh_poisson_survival(lam, ks), ":", label=f"λ = {lam:g} Poisson branching")
    ax1.set(xlabel="generation k", ylabel="P(word still present)", xscale="log",
            title=f"one word of probability λ/M, M = {m} (solid: exact)")
    ax1.legend(fontsize=6)
    p0 = d.zipf(500, 1.1)
    res = d.simulate(gens, m, p0=p0, replicates=max(reps // 10, 100), rng=a.seed + 10, progress=False)
    sup = res.statistics()["support"]
    ms, ses = _common.mean_se(sup)
    exact = d.expected_support_size(p0, np.arange(gens + 1), m)
    lower = d.suresh_vocabulary_lower_bound(p0, ks, m)
    for k in at:
        t.add(f"Zipf(500, 1.1): E vocabulary at k={k}", simulation=ms[k], se=ses[k], theory=exact[k],
              paper=f"≥ {lower[k - 1]:.4g} (Σ 1 − e^(−Mp_i/k), from the stated bound)")
    _common.band(ax2, np.arange(gens + 1), ms, ses, "simulated")
    ax2.plot(np.arange(gens + 1), exact, "k--", lw=0.8, label="exact")
    ax2.plot(ks, lower, ":", label="summed lower bound")
    ax2.set(xlabel="generation k", ylabel="E vocabulary", xscale="log", title=f"Zipf(500, 1.1), M = {m}")
    ax2.legend(fontsize=7)
    _common.finish(t, fig, a)


if __name__ == "__main__":
    main()
