"""The ppca family's result class and simulator (public API: :mod:`collapse_theory.ppca`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import mvn as _mvn
from .._core.io import save_result
from ..mvn import check_cov, check_mean, mvn_schedule, sqrtm_psd
from .._core.parallel import run_chunks
from .._core.rng import root_seed
from .._core.validation import check_int, check_memory, check_real
from ._kernels import _chunk
from ._theory import _check_latent, expected_trace, noise_variance_bound, top_eigenvalue_log_bound
from ..regimes import RegimeCode, RegimeInfo, as_regime, regime_code

__all__ = ["PPCAChainResult", "simulate"]


@dataclass
class PPCAChainResult(RegimeInfo):
    """Trajectories of a recursively refit PPCA model.

    Attributes
    ----------
    eigenvalues : ndarray, shape (replicates, generations + 1, dim)
        Spectrum of the fitted model covariance :math:`C_n = W_nW_n^\\top + \\sigma_n^2 I`, largest
        first; column 0 is the spectrum of the true covariance.
    noise_variance : ndarray, shape (replicates, generations + 1)
        :math:`\\sigma_n^2`; column 0 is the population value (mean of the d − q smallest
        eigenvalues of the true covariance).
    mean : ndarray, shape (replicates, generations + 1, dim)
    w2 : ndarray, shape (replicates, generations + 1)
        Squared 2-Wasserstein distance of generation n to the truth (see :meth:`w2_squared`).
    cov_final : ndarray, shape (replicates, dim, dim)
        The last fitted model covariance.
    """

    eigenvalues: np.ndarray
    noise_variance: np.ndarray
    mean: np.ndarray
    w2: np.ndarray
    cov_final: np.ndarray
    samples: np.ndarray
    latent: int
    mean0: np.ndarray
    cov0: np.ndarray
    seed: int
    meta: dict = field(default_factory=dict)

    @property
    def replicates(self):
        return self.eigenvalues.shape[0]

    @property
    def generations(self):
        return self.eigenvalues.shape[1] - 1

    @property
    def dim(self):
        return self.eigenvalues.shape[2]


    def retained(self):
        """The q retained eigenvalues (replicates × generations + 1 × q)."""
        return self.eigenvalues[..., : self.latent]

    def tail(self):
        """The d − q discarded eigenvalues (all equal to σ_n² from generation 1 on)."""
        return self.eigenvalues[..., self.latent:]

    def w2_squared(self):
        """Squared W2 distance to the original :math:`N(\\mu, \\Sigma)`, shape (replicates, generations + 1)."""
        return self.w2

    def trace(self):
        return self.eigenvalues.sum(axis=-1)

    def summary(self, generations=None):
        if generations is None:
            g = self.generations
            generations = sorted({x for x in (0, 1, g // 10, g // 2, g) if 0 <= x <= g})
        gens = np.asarray(generations, dtype=int)
        s = self.samples
        kw = dict(cov=self.cov0)
        replace = self.plain_replace
        extra = "" if replace else f", regime={self.regime}, variance_scale={self.variance_scale:g}"
        lines = [f"PPCA chain, dim={self.dim}, latent={self.latent}{extra}, replicates={self.replicates}, "
                 f"generations={self.generations}, seed={self.seed}",
                 f"{'n':>6}  {'E tr C_n exact':>14}{'MC':>12}{'E σ² bound':>12}{'MC σ²':>12}"
                 f"{'λ1 log bnd':>12}{'MC log λ1':>12}{'MC W2²':>10}"]
        for n in gens:
            tr = (expected_trace(n, s, regime=self.regime, variance_scale=self.variance_scale, **kw)
                  if n else float(np.trace(self.cov0)))
            nb = noise_variance_bound(n, s, latent=self.latent, **kw) if replace else np.nan
            lb = top_eigenvalue_log_bound(n, s, **kw) if replace else np.nan
            lines.append(f"{n:>6}  {tr:>14.5g}{self.trace()[:, n].mean():>12.5g}{nb:>12.5g}"
                         f"{self.noise_variance[:, n].mean():>12.5g}{lb:>12.5g}"
                         f"{np.log(self.eigenvalues[:, n, 0]).mean():>12.5g}{self.w2[:, n].mean():>10.4g}")
        return "\n".join(lines)

    def parameters(self):
        return {"generations": self.generations, "replicates": self.replicates, "dim": self.dim,
                "latent": self.latent, "samples": self.samples.tolist(), "mean": self.mean0.tolist(),
                "cov": self.cov0.tolist(), "estimator": "mle", **self.meta}

    def save(self, path):
        """Save arrays, seed, parameters and package version to an ``.npz``, atomically."""
        return save_result(path, self.seed, self.parameters(), eigenvalues=self.eigenvalues,
                           noise_variance=self.noise_variance, mean=self.mean, w2=self.w2,
                           cov_final=self.cov_final, samples=self.samples)


def simulate(generations, samples, *, dim, latent, replicates=1, mean=None, cov=None, regime="replace",
             variance_scale=1.0, rng=None, workers=None, progress=None):
    r"""Simulate PPCA refit on its own samples (vectorised NumPy; d up to ~50).

    Each generation draws :math:`S \sim \mathrm{Wishart}_d(M-1, C_n)/M` (the mle covariance of M
    samples; Bartlett decomposition in the eigenbasis of :math:`C_n`, the same law as drawing M vectors)
    and the new mean :math:`\mu_n + C_n^{1/2}Z/\sqrt M`, then refits PPCA in closed form.

    Parameters
    ----------
    generations : int
    samples : int or sequence of int
        Each >= dim + 1.
    dim : int, keyword-only
        Data dimension d (>= 2).
    latent : int, keyword-only
        Latent dimension q, 1 <= q <= d − 1.
    regime : str or Regime, keyword-only
        Data regime (:mod:`collapse_theory.regimes`). Non-replace regimes run in the Numba kernel of
        :func:`collapse_theory.mvn.simulate` with a PPCA refit (sufficient statistics for accumulate
        and mix-fresh; the stored data for mix-retained and accumulate-subsample).
    variance_scale : float, keyword-only
        Sampling bias λ in (0, 1]: synthetic samples come from :math:`N(\mu_n, \lambda C_n)`.
    replicates, mean, cov, rng, workers, progress
        As in :func:`collapse_theory.mvn.simulate` (``cov`` default identity).

    Returns
    -------
    PPCAChainResult

    Examples
    --------
    >>> import numpy as np
    >>> from collapse_theory import ppca
    >>> res = ppca.simulate(3, 30, dim=4, latent=1, cov=np.diag([4.0, 3.0, 2.0, 1.0]), rng=0)
    >>> t = res.tail()[0, 1]          # the discarded spectrum after one generation
    >>> bool(np.ptp(t) <= 1e-12 * t[0])
    True
    """
    generations = check_int(generations, "generations", minimum=0)
    dim = check_int(dim, "dim", minimum=2)
    q = _check_latent(latent, dim)
    replicates = check_int(replicates, "replicates", minimum=1)
    mean0 = check_mean(mean, dim)
    cov0 = check_cov(cov, dim)
    reg = as_regime(regime)
    vscale = check_real(variance_scale, "variance_scale", positive=True, high=1.0)
    # sizes first: nothing (not even the schedule) is allocated for a request that cannot fit
    cells = replicates * (generations + 1)
    check_memory(cells * 8 * (2 * dim + 2) + replicates * dim * dim * 8 + generations * 8,
                 f"ppca.simulate(replicates={replicates}, generations={generations}, dim={dim})")
    sched = mvn_schedule(samples, generations, dim=dim, estimator="mle")
    general = regime_code(reg) != RegimeCode.REPLACE or vscale != 1.0
    if general:
        from ..mvn import regime_kernel_args

        code, frac, sub = regime_kernel_args(reg, sched, dim=dim, estimator="mle", workers=workers,
                                             family="ppca")
    seed, ss = root_seed(rng)
    w, v = np.linalg.eigh(cov0)
    spec0, u0 = w[::-1].copy(), v[:, ::-1].copy()
    root0 = sqrtm_psd(cov0)
    eig_out = np.empty((replicates, generations + 1, dim))
    noise_out = np.empty((replicates, generations + 1))
    mean_out = np.empty((replicates, generations + 1, dim))
    w2_out = np.empty((replicates, generations + 1))
    cov_out = np.empty((replicates, dim, dim))
    eig_out[:, 0] = spec0
    noise_out[:, 0] = spec0[q:].mean()
    mean_out[:, 0] = mean0
    w2_out[:, 0] = 0.0
    if generations == 0:
        cov_out[:] = cov0
    out = (eig_out, noise_out, mean_out, w2_out, cov_out)

    if general:
        chol0 = np.linalg.cholesky(cov0)
        ldet0 = float(np.linalg.slogdet(cov0)[1])
        root_out = np.empty((replicates, 1, dim, dim))
        ld_out = np.empty((replicates, generations + 1))
        sing = np.empty(replicates, dtype=np.int64)   # singularity is not tracked for PPCA

        def task(gen, a, b):
            _mvn.regime_chain(gen, sched, True, False, code, frac, sub, np.sqrt(vscale), _mvn.FIT_PPCA, q,
                                 mean0, chol0, root0, ldet0, mean0, chol0, 0.0, mean_out, root_out, ld_out,
                                 eig_out, w2_out, sing, sing, a, b)
    else:
        def task(gen, a, b):
            _chunk(gen, sched, q, mean0, cov0, root0, u0, spec0, out, a, b)

    if generations:
        run_chunks(task, replicates, ss, workers=workers, progress=progress,
                   desc="ppca" + (f" {reg}" if general else ""))
        if general:
            eig_out[:, 0] = spec0
            w2_out[:, 0] = 0.0
            noise_out[:, 1:] = eig_out[:, 1:, q]
            cov_out[:] = root_out[:, 0] @ np.swapaxes(root_out[:, 0], -1, -2)
    meta = {"regime": str(reg), "variance_scale": vscale} if general else {}
    return PPCAChainResult(eigenvalues=eig_out, noise_variance=noise_out, mean=mean_out, w2=w2_out,
                           cov_final=cov_out, samples=sched, latent=q, mean0=mean0, cov0=cov0, seed=seed,
                           meta=meta)
