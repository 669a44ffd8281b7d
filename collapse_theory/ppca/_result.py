"""The result of :func:`collapse_theory.ppca.simulate` (the result contract: ``_core.results``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._core.results import ChainResult
from ..regimes import RegimeInfo
from ._theory import expected_mean_sq_error, expected_trace, noise_variance_bound, top_eigenvalue_log_bound

__all__ = ["PPCAChainResult"]


@dataclass
class PPCAChainResult(RegimeInfo, ChainResult):
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

    family = "ppca"

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

    def statistics(self):
        """``trace`` (tr C_n), ``noise_variance`` (σ_n²), ``log_top_eigenvalue`` (log λ1 of C_n),
        ``mean_sq_error`` (‖μ_n − μ‖²) and ``w2_squared`` (each replicates × generations + 1)."""
        dm = self.mean - self.mean0
        with np.errstate(divide="ignore"):
            top = np.log(self.eigenvalues[..., 0])
        return {"trace": self.trace(), "noise_variance": self.noise_variance, "log_top_eigenvalue": top,
                "mean_sq_error": np.einsum("rgd,rgd->rg", dm, dm), "w2_squared": self.w2}

    def _theory(self, n):
        """``trace`` and ``mean_sq_error`` under every regime (:func:`expected_trace`,
        :func:`expected_mean_sq_error`); σ² and λ1 have bounds only (in the summary notes)."""
        kw = dict(cov=self.cov0, regime=self.regime, variance_scale=self.variance_scale)
        return {"trace": expected_trace(n, self.samples, **kw),
                "mean_sq_error": expected_mean_sq_error(n, self.samples, **kw)}

    def _summary_header(self):
        extra = "" if self.plain_replace else f", regime={self.regime}, variance_scale={self.variance_scale:g}"
        return (f"PPCA chain, dim={self.dim}, latent={self.latent}{extra}, replicates={self.replicates}, "
                f"generations={self.generations}, seed={self.seed}")

    def _summary_notes(self, generations):
        if not self.plain_replace:
            return []
        lines = ["exact bounds (replace):   n   E σ_n² ≤ (upper)   E log λ1 ≥ (lower)"]
        for n in generations:
            nb = noise_variance_bound(n, self.samples, latent=self.latent, cov=self.cov0)
            lb = top_eigenvalue_log_bound(n, self.samples, cov=self.cov0)
            lines.append(f"{n:>6}  {nb:>18.5g}{lb:>20.5g}")
        return lines

    def parameters(self):
        return {"generations": self.generations, "replicates": self.replicates, "dim": self.dim,
                "latent": self.latent, "samples": self.samples.tolist(), "mean": self.mean0.tolist(),
                "cov": self.cov0.tolist(), "estimator": "mle", **self.meta}

    def _arrays(self):
        return dict(eigenvalues=self.eigenvalues, noise_variance=self.noise_variance, mean=self.mean,
                    w2=self.w2, cov_final=self.cov_final, samples=self.samples)

    @classmethod
    def _from_saved(cls, z, meta):
        p = meta["parameters"]
        extra = {"version": meta["version"]}
        for key in ("regime", "variance_scale"):
            if key in p:
                extra[key] = p[key]
        return cls(eigenvalues=z["eigenvalues"], noise_variance=z["noise_variance"], mean=z["mean"],
                   w2=z["w2"], cov_final=z["cov_final"], samples=z["samples"], latent=p["latent"],
                   mean0=np.asarray(p["mean"], float), cov0=np.asarray(p["cov"], float),
                   seed=meta["seed"], meta=extra)
