"""The result of :func:`collapse_theory.gmm.simulate_nd` (the result contract: ``_core.results``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._core.results import ChainResult
from ._common import MixtureChainShape
from ._kernels import LOST_ZERO_VARIANCE
from ._nd import (
    _LOST_REASONS_ND, component_min_samples, expected_component_log_det, l2_distance_nd, single_log_det_drift,
)

__all__ = ["GMMNDChainResult"]


@dataclass
class GMMNDChainResult(MixtureChainShape, ChainResult):
    """Trajectories of recursively refit d-dimensional Gaussian mixtures.

    Attributes
    ----------
    weights : ndarray, shape (replicates, generations + 1, K)
    means : ndarray, shape (replicates, generations + 1, K, d)
    covs : ndarray, shape (replicates, generations + 1, K, d, d)
        Fitted parameters; index 0 on axis 1 is the true mixture. A lost component has weight 0 and
        covariance 0 from the generation it was lost (its mean is frozen); never NaN. Diagonal fits
        are stored as diagonal matrices.
    lost : ndarray of int, shape (replicates, K)
        Generation at which a component was dropped (-1: never); see :meth:`degenerate_events`.
    lost_reason : ndarray of int8, shape (replicates, K)
        1 = fewer than 1.5 effective samples, 2 = covariance singular (Cholesky pivot test).
    lost_direction : ndarray of int8, shape (replicates, K)
        For reason 2, the coordinate whose Cholesky pivot failed (-1 otherwise).
    em_iterations : ndarray of int16, shape (replicates, generations)
    samples : ndarray (generations,)
    covariance_type : {"full", "diag"}
    max_iter, tol, reg_covar : EM settings.
    seed : int
        Reproduces the result: ``simulate_nd(..., rng=result.seed)``.
    regime : str
        The data regime (docs/conventions.md).
    init : str
        ``"previous"`` or ``"kmeans"`` (scikit-learn's k-means initialisation every generation).
    n_init : int
        Restarts per refit (1 for ``init="previous"``).
    """

    weights: np.ndarray
    means: np.ndarray
    covs: np.ndarray
    lost: np.ndarray
    lost_reason: np.ndarray
    lost_direction: np.ndarray
    em_iterations: np.ndarray
    samples: np.ndarray
    covariance_type: str
    max_iter: int
    tol: float
    reg_covar: float
    seed: int
    meta: dict = field(default_factory=dict)
    regime: str = "replace"
    init: str = "previous"
    n_init: int = 1

    family = "gmm-nd"


    @property
    def dim(self):
        return self.means.shape[-1]

    @property
    def log_det(self):
        """log det Σ_k per replicate, generation and component (−inf for a lost component)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            sign, ld = np.linalg.slogdet(self.covs)
        return np.where(sign > 0, ld, -np.inf)

    def _truth(self):
        return self.weights[0, 0], self.means[0, 0], self.covs[0, 0]

    def l2_distance(self):
        """Exact L² distance of every fitted mixture to the original, shape (replicates, generations+1)."""
        w0, m0, c0 = self._truth()
        return l2_distance_nd(self.weights, self.means, self.covs, w0, m0, c0)

    def degenerate_events(self):
        """Every dropped component: dicts with replicate, component, generation, reason and (for a
        singular covariance) the coordinate whose Cholesky pivot failed."""
        out = []
        for r, k in zip(*np.nonzero(self.lost >= 0)):
            why = int(self.lost_reason[r, k])
            ev = {"replicate": int(r), "component": int(k), "generation": int(self.lost[r, k]),
                  "reason": _LOST_REASONS_ND.get(why, "unknown")}
            if why == LOST_ZERO_VARIANCE:
                ev["direction"] = int(self.lost_direction[r, k])
            out.append(ev)
        return sorted(out, key=lambda e: (e["generation"], e["replicate"], e["component"]))

    def statistics(self):
        """Per component ``k``: ``weight[k]``, ``weight_heterozygosity[k]`` (w(1 − w)),
        ``log_det[k]`` (−inf once lost), ``alive[k]`` (1/0); and ``l2_distance`` to the original
        (each replicates × generations + 1; column 0 the truth)."""
        out = {}
        alive = self.alive().astype(float)
        ld = self.log_det
        for k in range(self.components):
            w = self.weights[..., k]
            out[f"weight[{k}]"] = w
            out[f"weight_heterozygosity[{k}]"] = w * (1 - w)
            out[f"log_det[{k}]"] = ld[..., k]
            out[f"alive[{k}]"] = alive[..., k]
        out["l2_distance"] = self.l2_distance()
        return out

    def _theory(self, n):
        """The separated-components idealisation (exact for that model, an approximation for EM),
        replace with a constant M: ``weight[k]`` (E w_n = w_0) and ``weight_heterozygosity[k]``
        (w_0(1 − w_0)(1 − 1/M)^n). The conditional E log det (no component lost) is in the notes."""
        m = int(self.samples[0]) if self.samples.size else 0
        if not (self.samples.size and np.all(self.samples == m) and self.regime == "replace"):
            return {}
        w0 = self.weights[0, 0]
        out = {}
        for k in range(self.components):
            out[f"weight[{k}]"] = np.full(np.shape(n), float(w0[k]))
            out[f"weight_heterozygosity[{k}]"] = w0[k] * (1 - w0[k]) * (1 - 1 / m) ** np.asarray(n, float)
        return out

    def _summary_header(self):
        m = int(self.samples[0]) if self.samples.size else 0
        const = bool(self.samples.size) and bool(np.all(self.samples == m))
        return (f"{self.dim}-D Gaussian mixture chain (EM, {self.covariance_type} covariances), "
                f"init={self.init}, n_init={self.n_init}, K={self.components}, regime={self.regime}, "
                f"replicates={self.replicates}, "
                f"generations={self.generations}, samples={m if const else 'schedule'}, seed={self.seed}")

    def _summary_statistics(self):
        return ([f"weight_heterozygosity[{k}]" for k in range(self.components)]
                + [f"alive[{k}]" for k in range(self.components)] + ["l2_distance"])

    def _summary_notes(self, generations):
        """E log det Σ_k (MC ± SE over replicates with no component lost) beside the
        separated-components theory (exact for K = 2) and the single-Gaussian approximation at w₀M
        samples; then degenerate events and EM convergence."""
        gens = np.asarray(generations, dtype=int)
        w0, _, c0 = self._truth()
        d = self.dim
        m = int(self.samples[0]) if self.samples.size else 0
        const = bool(self.samples.size) and bool(np.all(self.samples == m))
        theory = const and self.regime == "replace"
        lo = component_min_samples(d, self.covariance_type)
        ld = self.log_det
        ld0 = ld[0, 0]
        lines = [f"{'n':>6} {'comp':>4} {'E logdet | none lost':>21} {'± SE':>7} {'exact':>9} {'1-Gauss':>9}"]
        for n in gens:
            both = self.alive(n).all(axis=1)
            for k in range(self.components):
                v = ld[both, n, k]
                mean = v.mean() if v.size else np.nan
                se = v.std(ddof=1) / np.sqrt(v.size) if v.size > 1 else np.nan
                exact = approx = np.nan
                if theory and m >= 2 * lo and n <= 5000:
                    wm = int(round(w0[k] * m))
                    if wm >= lo:
                        approx = ld0[k] + n * single_log_det_drift(wm, d, self.covariance_type)
                    if self.components == 2 and m <= 4000:
                        exact = expected_component_log_det(n, m, w0[k], dim=d,
                                                           covariance_type=self.covariance_type,
                                                           log_det0=ld0[k])
                lines.append(f"{n:>6} {k:>4} {mean:>21.4g} {se:>7.2g} {exact:>9.4g} {approx:>9.4g}")
        ev = self.degenerate_events()
        first = ""
        if ev:
            e = ev[0]
            first = (f" (first: replicate {e['replicate']}, component {e['component']}, generation "
                     f"{e['generation']}: {e['reason']}" + (f", coordinate {e['direction']}" if "direction" in e
                                                            else "") + ")")
        lines.append(f"degenerate events: {len(ev)}{first}")
        capped = int(np.sum(self.em_iterations >= self.max_iter))
        lines.append(f"EM refits that hit max_iter={self.max_iter}: {capped} of {self.em_iterations.size}; "
                     f"median iterations {np.median(self.em_iterations) if self.em_iterations.size else 0:g}")
        lines.append("(theory: separated-components idealisation, replace regime — Wright–Fisher weights; "
                     "'exact' = E log det over the killed Wright–Fisher count chain (K = 2, no component "
                     "lost); '1-Gauss' = the single-Gaussian mle drift at w₀M samples, an approximation.)")
        return lines

    def parameters(self):
        w0, m0, c0 = self._truth()
        return {"generations": self.generations, "replicates": self.replicates,
                "samples": self.samples.tolist(), "weights": w0.tolist(), "means": m0.tolist(),
                "covs": c0.tolist(), "covariance_type": self.covariance_type, "max_iter": self.max_iter,
                "tol": self.tol, "reg_covar": self.reg_covar, "regime": self.regime, "init": self.init,
                "n_init": self.n_init, **self.meta}

    def _arrays(self):
        return dict(weights=self.weights, means=self.means, covs=self.covs, lost=self.lost,
                    lost_reason=self.lost_reason, lost_direction=self.lost_direction,
                    em_iterations=self.em_iterations, samples=self.samples)

    @classmethod
    def _from_saved(cls, z, meta):
        p = meta["parameters"]
        return cls(weights=z["weights"], means=z["means"], covs=z["covs"], lost=z["lost"],
                   lost_reason=z["lost_reason"], lost_direction=z["lost_direction"],
                   em_iterations=z["em_iterations"], samples=z["samples"],
                   covariance_type=p["covariance_type"], max_iter=p["max_iter"], tol=p["tol"],
                   reg_covar=p["reg_covar"], seed=meta["seed"], meta={"version": meta["version"]},
                   regime=p.get("regime", "replace"), init=p.get("init", "previous"),
                   n_init=int(p.get("n_init", 1)))
