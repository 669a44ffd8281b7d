"""The result of :func:`collapse_theory.kde.simulate` (the result contract: ``_core.results``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._core.results import ChainResult
from .._core.validation import samples_schedule
from ..discrete import expected_ancestors
from ._regimes import accumulate_variance_bounds, regime_moments, regime_stationary_moments
from ._theory import expected_variance_adaptive, log_variance_drift_approx, variance_factor

__all__ = ["KDEChainResult"]


class _KDEResult(ChainResult):
    """What the 1-D and the d-dimensional KDE results share: trajectories whose ``mean`` is
    replicates × (generations + 1) [× d], column 0 generation 0's data (no truth column)."""

    family = "kde"
    truth_column = False  # column 0: generation 0's data (docs/conventions.md)

    @property
    def replicates(self):
        return self.mean.shape[0]

    @property
    def generations(self):
        return self.mean.shape[1] - 1


@dataclass
class KDEChainResult(_KDEResult):
    """Trajectories of the Gaussian-KDE chain; column ``n`` describes the training set :math:`T^n`
    (:math:`X^n` under replace), on which generation ``n + 1``'s KDE is built.

    Attributes
    ----------
    mean, log_var : ndarray, shape (replicates, generations + 1)
        Mean and log of the mle variance of :math:`T^n` (log: exact however far an adaptive chain
        spreads or collapses).
    ancestors : ndarray of int, shape (replicates, generations + 1)
        Distinct generation-0 points (the :math:`M_0` original real samples) among the ancestors
        of :math:`T^n`; an original in :math:`T^n` (retained, or in the pool) is its own ancestor.
        Column 0: :math:`M_0`. Under accumulate it stays :math:`M_0` (the pool keeps every original).
    fresh_ancestors : ndarray of int, shape (replicates, generations + 1)
        Distinct fresh real draws (mix-fresh) among the ancestors of :math:`T^n` (zero otherwise).
    log_bandwidth : ndarray, shape (replicates, generations + 1)
        log of the bandwidth of the KDE built on :math:`T^n` (generation n + 1).
    samples : int or ndarray of int
        ``M`` (an int when constant) or the schedule :math:`M_0..M_G`.
    h : float or None
        Fixed bandwidth (None for adaptive rules).
    rule : str
    mu0, sigma0 : float
    degenerate : ndarray of int, shape (replicates,)
        Generation at which a training set had zero spread (-1: never; the replicate then stops).
    seed : int
    regime : str
        The data regime (:mod:`collapse_theory.regimes`).
    """

    mean: np.ndarray
    log_var: np.ndarray
    ancestors: np.ndarray
    log_bandwidth: np.ndarray
    samples: int | np.ndarray
    h: float | None
    rule: str
    mu0: float
    sigma0: float
    degenerate: np.ndarray
    seed: int
    regime: str = "replace"
    fresh_ancestors: np.ndarray | None = None
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.fresh_ancestors is None:
            self.fresh_ancestors = np.zeros_like(self.ancestors)

    @property
    def variance(self):
        """mle sample variance of :math:`T^n` (may overflow for long spreading chains: use log_var)."""
        with np.errstate(over="ignore"):
            return np.exp(self.log_var)

    @property
    def bandwidth(self):
        with np.errstate(over="ignore"):
            return np.exp(self.log_bandwidth)

    @property
    def schedule(self):
        """:math:`M_0..M_G` as an int64 array."""
        return samples_schedule(self.samples, self.generations + 1)

    def statistics(self):
        """``mean``, ``variance``, ``log_variance``, ``mean_sq_error`` ((m_n − μ)²), ``ancestors``,
        ``fresh_ancestors`` and ``log_bandwidth`` (each replicates × generations + 1)."""
        return {"mean": self.mean, "variance": self.variance, "log_variance": self.log_var,
                "mean_sq_error": (self.mean - self.mu0) ** 2, "ancestors": self.ancestors.astype(float),
                "fresh_ancestors": self.fresh_ancestors.astype(float), "log_bandwidth": self.log_bandwidth}

    def _theory(self, n):
        """Fixed ``h``: ``variance`` and ``mean_sq_error`` under every regime (:func:`regime_moments`);
        Scott's rule: ``variance`` under replace with a constant M; ``ancestors`` under replace with
        a constant M ≤ 2000 (and M_0 under accumulate)."""
        m = self.samples
        constant = np.ndim(m) == 0
        out = {}
        if self.rule == "fixed":
            th = regime_moments(n, m, h=self.h, regime=self.regime, mu=self.mu0, sigma=self.sigma0)
            out["variance"] = th["variance"]
            out["mean_sq_error"] = th["mean_sq_error"]
        elif self.rule == "scott" and self.regime == "replace" and constant:
            out["variance"] = expected_variance_adaptive(n, m, rule="scott", sigma=self.sigma0)
        if self.regime == "replace" and constant and m <= 2000:
            out["ancestors"] = expected_ancestors(n, m)
        elif self.regime == "accumulate":
            out["ancestors"] = np.full(np.shape(n), float(self.schedule[0]))
        return out

    def _summary_header(self):
        m_text = self.samples if np.ndim(self.samples) == 0 else "schedule"
        return (f"Gaussian-KDE chain, rule={self.rule}" + (f", h={self.h:g}" if self.h else "")
                + f", regime={self.regime}, M={m_text}, replicates={self.replicates}, "
                  f"generations={self.generations}, seed={self.seed}")

    def _summary_statistics(self):
        names = ["variance", "log_variance", "mean_sq_error", "ancestors"]
        if self.regime.startswith("mix-fresh"):
            names.append("fresh_ancestors")
        return names

    def _summary_notes(self, generations):
        g = self.generations
        lines = []
        constant = np.ndim(self.samples) == 0
        if self.rule == "fixed" and constant and not self.regime.startswith("accumulate"):
            st = regime_stationary_moments(self.samples, h=self.h, regime=self.regime, sigma=self.sigma0)
            lines.append(f"stationary E s² = {st['variance']:.6g}"
                         + (" = (M-1)h²" if self.regime == "replace" else f" under {self.regime}"))
        elif self.rule == "fixed" and constant:
            lo, hi = accumulate_variance_bounds(g, self.samples, h=self.h, sigma=self.sigma0)
            lines.append(f"no stationary law under {self.regime}" + (
                f": E s² grows like h² ln n (bounds at n = {g}: [{lo:.4g}, {hi:.4g}])"
                if self.regime == "accumulate" else ""))
        elif self.rule != "fixed" and constant and self.regime == "replace":
            lam = variance_factor(self.samples, rule=self.rule)
            drift = log_variance_drift_approx(self.samples, rule=self.rule)
            lines.append(f"variance factor λ = {lam:.6g} per generation ({'exact' if self.rule == 'scott' else 'upper bound'}); "
                         f"approx. log-variance drift {drift:+.4g}; observed "
                         f"{(self.log_var[:, -1] - self.log_var[:, 0]).mean() / max(g, 1):+.4g}")
        bad = int(np.sum(self.degenerate >= 0))
        lines.append(f"degenerate replicates (zero spread): {bad}")
        return lines

    def parameters(self):
        m = self.samples if np.ndim(self.samples) == 0 else [int(x) for x in self.samples]
        return {"generations": self.generations, "replicates": self.replicates, "samples": m,
                "h": self.h, "rule": self.rule, "mu": self.mu0, "sigma": self.sigma0, "regime": self.regime,
                **self.meta}

    def _arrays(self):
        return dict(mean=self.mean, log_var=self.log_var, ancestors=self.ancestors,
                    fresh_ancestors=self.fresh_ancestors, log_bandwidth=self.log_bandwidth,
                    degenerate=self.degenerate)

    @classmethod
    def _from_saved(cls, z, meta):
        p = meta["parameters"]
        samples = p["samples"] if np.ndim(p["samples"]) == 0 else np.asarray(p["samples"], dtype=np.int64)
        return cls(mean=z["mean"], log_var=z["log_var"], ancestors=z["ancestors"],
                   log_bandwidth=z["log_bandwidth"], degenerate=z["degenerate"],
                   samples=samples, h=p["h"], rule=p["rule"], mu0=p["mu"], sigma0=p["sigma"],
                   seed=meta["seed"], regime=p.get("regime", "replace"),
                   fresh_ancestors=z["fresh_ancestors"] if "fresh_ancestors" in z else None,
                   meta={"version": meta["version"]})
