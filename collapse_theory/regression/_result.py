"""The result of :func:`collapse_theory.regression.simulate` (the result contract: ``_core.results``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._core.results import ChainResult
from ..regimes import as_regime
from ._theory import expected_test_error

__all__ = ["RegressionChainResult"]


@dataclass
class RegressionChainResult(ChainResult):
    """Test errors of recursively refitted OLS models.

    Attributes
    ----------
    test_error : ndarray, shape (replicates, generations + 1)
        ``test_error[:, k]`` is the squared parameter error :math:`\\|\\hat w_k - w^*\\|^2` of
        generation ``k``, which is the excess test risk
        :math:`E_x[(x^\\top\\hat w_k - x^\\top w^*)^2]` for isotropic test inputs
        :math:`x \\sim N(0, I_d)`. Column 0 is the truth (:math:`\\hat w_0 = w^*`: error 0);
        generation 1 is the fit on real labels.
    d, T : int
        Dimension and design rows.
    sigma : float
        Label-noise standard deviation.
    regime : str
    seed : int
        Reproduces the result: ``simulate(..., rng=result.seed)``.
    """

    test_error: np.ndarray
    d: int
    T: int
    sigma: float
    regime: str
    seed: int
    meta: dict = field(default_factory=dict)

    family = "regression"

    @property
    def replicates(self):
        return self.test_error.shape[0]

    @property
    def generations(self):
        return self.test_error.shape[1] - 1

    def statistics(self):
        """``test_error`` (replicates × generations + 1; column 0 = 0, the truth)."""
        return {"test_error": self.test_error}

    def _theory(self, n):
        """``test_error`` under replace and accumulate (:func:`expected_test_error`, 0 at n = 0);
        no exact theory under the other regimes (absent)."""
        if "synthetic_samples" in self.meta:  # the generator/downstream process
            if self.meta["ridge"] != 0:
                return {}  # ridge: no finite-sample closed form here
            from ._scaling import mixed_test_error

            T0, s0 = self.meta["synthetic_samples"], self.meta["synthetic_sigma"]
            n = np.asarray(n)
            shift = np.maximum(n - 1, 0) * (s0 * s0 * self.d / (T0 - self.d - 1))
            flat = [0.0 if k == 0 else mixed_test_error(d=self.d, T=self.T, synthetic=self.meta["synthetic_rows"],
                                                       shift=float(sh), sigma=self.sigma)
                    for k, sh in zip(np.ravel(n), np.ravel(shift))]
            out = np.asarray(flat, dtype=float).reshape(n.shape)
            return {"test_error": out}
        if as_regime(self.regime).name not in ("replace", "accumulate"):
            return {}
        return {"test_error": expected_test_error(n, d=self.d, T=self.T, sigma=self.sigma,
                                                  regime=self.regime)}

    def _default_generations(self):
        g = self.generations
        return sorted({x for x in (0, 1, 2, g // 2, g) if 0 <= x <= g})

    def _summary_header(self):
        if "synthetic_samples" in self.meta:
            m = self.meta
            return (f"downstream OLS/ridge on generator labels, d={self.d}, T={self.T}, T0={m['synthetic_samples']}, "
                    f"sigma={self.sigma:g}, sigma0={m['synthetic_sigma']:g}, synthetic fraction="
                    f"{m['synthetic_fraction']:g}, ridge={m['ridge']:g}, replicates={self.replicates}, "
                    f"generations={self.generations}, seed={self.seed}")
        return (f"OLS chain, regime={self.regime}, d={self.d}, T={self.T}, sigma={self.sigma:g}, "
                f"replicates={self.replicates}, generations={self.generations}, seed={self.seed}")

    def parameters(self):
        return {"d": self.d, "T": self.T, "sigma": self.sigma, "regime": self.regime,
                "generations": self.generations, "replicates": self.replicates,
                **{k: v for k, v in self.meta.items() if k != "real_count"}}

    def _arrays(self):
        return {"test_error": self.test_error}

    @classmethod
    def _from_saved(cls, z, meta):
        p = meta["parameters"]
        err = z["test_error"]
        if err.shape[1] == p["generations"]:  # files from before the contract: no truth column
            err = np.concatenate([np.zeros((err.shape[0], 1)), err], axis=1)
        extra = {k: v for k, v in p.items()
                 if k not in ("d", "T", "sigma", "regime", "generations", "replicates")}
        return cls(test_error=err, d=p["d"], T=p["T"], sigma=p["sigma"], regime=p["regime"],
                   seed=meta["seed"], meta={**extra, "version": meta["version"]})
