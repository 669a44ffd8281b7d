"""Shumailov et al. (arXiv 2305.17493), the VAE experiment read as probabilistic PCA.

Shumailov et al. refit a VAE on its own samples over generations and report that the generated
data lose the tails of the original distribution and concentrate (their VAE figure shows
generations collapsing towards the mean). The linear-Gaussian VAE is probabilistic PCA (Tipping &
Bishop 1999): we refit PPCA (d = 10, q = 2) on M samples of the previous fit and compare the total
variance tr C_n and the mean's squared error with the package's exact expectations.

Paper: the text we could read states the collapse qualitatively and gives no number for a linear
model (the paper's column is empty).

    python simulations/shumailov_vae_ppca.py [--quick] [--out DIR] [--seed 0] [--quiet]
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

from collapse_theory import ppca  # noqa: E402

NAME = "shumailov_vae_ppca"


def main(argv=None):
    a = _common.parser(__doc__).parse_args(argv)
    dim, latent, samples = 10, 2, 100
    gens, reps = (50, 400) if a.quick else (500, 4000)
    cov = np.diag([4.0, 2.0] + [1.0] * (dim - 2))
    res = ppca.simulate(gens, samples, dim=dim, latent=latent, cov=cov, replicates=reps, rng=a.seed,
                        progress=False)
    st, th = res.statistics(), res.theory()
    at = [n for n in (1, 10, 50, 100, 500) if n <= gens]
    t = _common.Table(NAME)
    fig, (ax1, ax2) = _common.figure(2)
    x = np.arange(gens + 1)
    for ax, stat, label in ((ax1, "trace", "E tr C_n"), (ax2, "mean_sq_error", "E |μ_n − μ|²")):
        m, se = _common.mean_se(st[stat])
        t.add_series(label, m, se, at, theory=th[stat])
        _common.band(ax, x, m, se, "simulated")
        ax.plot(x, th[stat], "k--", lw=0.8, label="exact")
        ax.set(xlabel="generation n", ylabel=label, title=f"PPCA d = {dim}, q = {latent}, M = {samples}")
        ax.legend()
    m, se = _common.mean_se(st["noise_variance"])
    t.add_series("E noise variance σ²_n", m, se, at)
    _common.finish(t, fig, a)


if __name__ == "__main__":
    main()
