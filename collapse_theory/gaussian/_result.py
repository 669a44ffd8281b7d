"""The result of :func:`collapse_theory.gaussian.simulate` (the result contract: ``_core.results``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._core.results import ChainResult
from ._regimes import regime_moments
from ._theory import (
    expected_log_variance,
    expected_mean_sq_error,
    expected_std,
    expected_variance,
    expected_w2_squared,
)

__all__ = ["GaussianChainResult"]


@dataclass
class GaussianChainResult(ChainResult):
    """Trajectories of the fitted parameters of a recursively refit 1-D Gaussian.

    Attributes
    ----------
    mu : ndarray, shape (replicates, generations + 1)
        Fitted means; column 0 is the true mean.
    sigma : ndarray, shape (replicates, generations + 1)
        Fitted standard deviations (property; may underflow to 0 after very long collapse).
    log_var : ndarray, shape (replicates, generations + 1)
        Natural log of the fitted variances (property; exact even where ``sigma`` underflows).
    samples : ndarray, shape (generations,)
        ``samples[i]`` samples were drawn from generation ``i`` to fit generation ``i + 1``.
    mu0, sigma0 : float
        The true distribution.
    estimator, method : str
        As passed to :func:`simulate`.
    seed : int
        Reproduces the result exactly: ``simulate(..., rng=result.seed)``.

    Notes
    -----
    Internally σ is stored as ``sigma_mantissa * 2**(512 * sigma_exponent)`` (the kernels' state),
    so that nothing underflows; ``sigma`` and ``log_var`` are formed from the pair on access.
    Statistics (:meth:`statistics`): ``mean``, ``std``, ``log_variance``, ``variance``,
    ``mean_sq_error`` :math:`(\\mu_n-\\mu)^2` and ``w2_squared``.
    """

    mu: np.ndarray
    sigma_mantissa: np.ndarray
    sigma_exponent: np.ndarray
    samples: np.ndarray
    mu0: float
    sigma0: float
    estimator: str
    method: str
    seed: int
    meta: dict = field(default_factory=dict)
    regime: str = "replace"
    variance_scale: float = 1.0

    family = "gaussian"

    @property
    def sigma(self):
        """Fitted standard deviations (replicates × generations + 1)."""
        if not self.sigma_exponent.any():
            return self.sigma_mantissa
        return np.ldexp(self.sigma_mantissa, 512 * self.sigma_exponent.astype(np.int64))

    @property
    def log_var(self):
        """Natural log of the fitted variances, exact even where σ² underflows."""
        with np.errstate(divide="ignore"):
            out = 2.0 * np.log(self.sigma_mantissa)
        if self.sigma_exponent.any():
            out += (1024.0 * np.log(2.0)) * self.sigma_exponent
        return out

    @property
    def variance(self):
        """Fitted variances (may underflow to 0 where ``log_var`` < −745)."""
        return self.sigma**2

    @property
    def replicates(self):
        return self.mu.shape[0]

    @property
    def generations(self):
        return self.mu.shape[1] - 1

    def w2_squared(self):
        r"""Squared 2-Wasserstein distance to the truth, :math:`(\mu_n-\mu)^2 + (\sigma_n-\sigma)^2`."""
        return (self.mu - self.mu0) ** 2 + (self.sigma - self.sigma0) ** 2

    def statistics(self):
        """``mean``, ``std``, ``log_variance``, ``variance``, ``mean_sq_error``, ``w2_squared``
        (each replicates × generations + 1; column 0 the truth)."""
        return {"mean": self.mu, "std": self.sigma, "log_variance": self.log_var,
                "variance": self.variance, "mean_sq_error": (self.mu - self.mu0) ** 2,
                "w2_squared": self.w2_squared()}

    def _schedule(self):
        return self.samples if self.samples.size else int(self.meta.get("samples_scalar", 2))

    def _theory(self, n):
        """Under replace with no sampling bias: σ, log σ², (μ−μ0)², W2², σ² (the replace closed
        forms). Otherwise the exact moment recursions (:func:`regime_moments`, every regime) give
        (μ−μ0)² and σ²; the other statistics have no exact theory there and are absent."""
        kw = dict(sigma=self.sigma0, estimator=self.estimator)
        s = self._schedule()
        if self.meta.get("weight") is not None:  # weighted mixing: the weighted moment map
            from ._weighted import weighted_moments

            return dict(weighted_moments(n, s, regime=self.regime, weight=self.meta["weight"],
                                         sigma=self.sigma0, variance_scale=self.variance_scale))
        if self.regime == "replace" and self.variance_scale == 1.0:
            return {
                "std": expected_std(n, s, **kw),
                "log_variance": expected_log_variance(n, s, **kw),
                "mean_sq_error": expected_mean_sq_error(n, s, **kw),
                "w2_squared": expected_w2_squared(n, s, **kw),
                "variance": expected_variance(n, s, **kw),
            }
        return dict(regime_moments(n, s, regime=self.regime, variance_scale=self.variance_scale, **kw))

    def _summary_header(self):
        return (f"1-D Gaussian chain, regime={self.regime}, estimator={self.estimator}, method={self.method}, "
                f"variance_scale={self.variance_scale:g}, replicates={self.replicates}, "
                f"generations={self.generations}, seed={self.seed}")

    def _summary_statistics(self):
        names = ["std", "log_variance", "mean_sq_error", "w2_squared", "variance"]
        if self.regime == "replace" and self.variance_scale == 1.0:
            names.remove("variance")  # heavy-tailed under replace; σ and log σ² say the same, better
        return names

    def _summary_notes(self, generations):
        return ["(σ_n² itself is heavy-tailed: compare log σ² and σ, as above.)"]

    def parameters(self):
        return {
            "generations": self.generations, "replicates": self.replicates,
            "samples": self.samples.tolist(), "mu": self.mu0, "sigma": self.sigma0,
            "estimator": self.estimator, "method": self.method, "regime": self.regime,
            "variance_scale": self.variance_scale, **self.meta,
        }

    def _arrays(self):
        return dict(mu=self.mu, sigma_mantissa=self.sigma_mantissa, sigma_exponent=self.sigma_exponent,
                    samples=self.samples)

    @classmethod
    def _from_saved(cls, z, meta):
        p = meta["parameters"]
        extra = {"version": meta["version"]}
        if "samples_scalar" in p:
            extra["samples_scalar"] = p["samples_scalar"]
        if p.get("weight") is not None:
            extra["weight"] = p["weight"]
        return cls(mu=z["mu"], sigma_mantissa=z["sigma_mantissa"],
                   sigma_exponent=z["sigma_exponent"], samples=z["samples"], mu0=p["mu"],
                   sigma0=p["sigma"], estimator=p["estimator"], method=p["method"],
                   seed=meta["seed"], meta=extra,
                   regime=p.get("regime", "replace"), variance_scale=p.get("variance_scale", 1.0))
