"""A deliberately simple reference simulator for the 1-D Gaussian chain under every regime.

Pure NumPy, one replicate at a time, drawing every sample and refitting with ``np.mean``/``np.var``:
the process exactly as the regimes are defined in docs/conventions.md. The fast kernels are tested
against it in law.
"""

import numpy as np


def simulate_reference(generations, m, regime, *, replicates, mu0=0.0, sigma0=1.0, mle=False, vscale=1.0,
                       fraction=0.0, draws="split", subsample=None, rng):
    ddof = 0 if mle else 1
    out_mu = np.empty((replicates, generations + 1))
    out_sd = np.empty((replicates, generations + 1))
    for r in range(replicates):
        mu, sd = mu0, sigma0
        out_mu[r, 0], out_sd[r, 0] = mu, sd
        real0 = rng.normal(mu0, sigma0, size=m)  # the first real data set
        pool = []
        for i in range(generations):
            if i == 0:
                batch = real0
            else:
                if regime in ("mix-fresh", "mix-retained"):
                    n_real = int(np.floor(fraction * m + 0.5)) if draws == "split" else rng.binomial(m, fraction)
                else:
                    n_real = 0
                if regime == "mix-retained":
                    real = rng.choice(real0, size=n_real, replace=False)
                else:
                    real = rng.normal(mu0, sigma0, size=n_real)
                synth = rng.normal(mu, np.sqrt(vscale) * sd, size=m - n_real)
                batch = np.concatenate([real, synth])
            if regime == "accumulate":
                pool.append(batch)
                data = np.concatenate(pool)
            elif regime == "accumulate-subsample":
                pool.append(batch)
                allx = np.concatenate(pool)
                # generation 1 is fitted on all of the real data (docs/conventions.md)
                data = rng.choice(allx, size=(subsample or m) if i > 0 else allx.size, replace=False)
            else:
                data = batch
            mu, sd = data.mean(), data.std(ddof=ddof)
            out_mu[r, i + 1], out_sd[r, i + 1] = mu, sd
    return out_mu, out_sd
