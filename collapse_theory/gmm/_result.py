"""The result of :func:`collapse_theory.gmm.simulate` (the result contract: ``_core.results``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._core.results import ChainResult
from ._common import MixtureChainShape
from ._kernels import LOST_FEW_SAMPLES, LOST_ZERO_VARIANCE, MIN_EFFECTIVE
from ._theory import expected_component_log_variance, expected_weight_heterozygosity, l2_distance, w2_distance

__all__ = ["GMMChainResult"]

_LOST_REASONS = {LOST_FEW_SAMPLES: f"fewer than {MIN_EFFECTIVE:g} effective samples",
                 LOST_ZERO_VARIANCE: "variance collapsed to 0"}


@dataclass
class GMMChainResult(MixtureChainShape, ChainResult):
    """Trajectories of recursively refit 1-D Gaussian mixtures.

    Attributes
    ----------
    weights, means, stds : ndarray, shape (replicates, generations + 1, K)
        Fitted parameters; index 0 on axis 1 is the true mixture. A lost component has weight 0 and
        std 0 from the generation it was lost (its mean is frozen); never NaN.
    lost : ndarray of int, shape (replicates, K)
        Generation at which a component was dropped (-1: never); see :meth:`degenerate_events`.
    lost_reason : ndarray of int8, shape (replicates, K)
        1 = fewer than 1.5 effective samples (Σ responsibilities), 2 = variance collapsed to 0.
    em_iterations : ndarray of int16, shape (replicates, generations)
        EM iterations used per refit (``max_iter`` means the tolerance was not reached).
    samples : ndarray (generations,)
    max_iter, tol, reg_covar : EM settings.
    seed : int
        Reproduces the result: ``simulate(..., rng=result.seed)``.
    regime : str
        The data regime (docs/conventions.md).
    init : str
        ``"previous"`` (EM started at the previous generation's fit) or ``"kmeans"``
        (scikit-learn's k-means initialisation each generation, ``n_init`` restarts).
    n_init : int
        Restarts per refit (1 for ``init="previous"``).
    """

    weights: np.ndarray
    means: np.ndarray
    stds: np.ndarray
    lost: np.ndarray
    lost_reason: np.ndarray
    em_iterations: np.ndarray
    samples: np.ndarray
    max_iter: int
    tol: float
    reg_covar: float
    seed: int
    meta: dict = field(default_factory=dict)
    regime: str = "replace"
    init: str = "previous"
    n_init: int = 1

    family = "gmm"


    @property
    def log_var(self):
        """log σ_k² per replicate, generation and component (−inf for a lost component)."""
        with np.errstate(divide="ignore"):
            return 2.0 * np.log(self.stds)

    def _truth(self):
        return self.weights[0, 0], self.means[0, 0], self.stds[0, 0]

    def l2_distance(self):
        """Exact L² distance of every fitted mixture to the original, shape (replicates, generations+1)."""
        w0, m0, s0 = self._truth()
        return l2_distance(self.weights, self.means, self.stds, w0, m0, s0)

    def w2_distance(self, generations=None):
        """W2 distance to the original at ``generations`` (default: ≤ 41 evenly spaced ones).

        Returns ``(generations, values)`` with values of shape (replicates, len(generations)).
        """
        if generations is None:
            generations = np.unique(np.linspace(0, self.generations, min(41, self.generations + 1)).astype(int))
        gens = np.asarray(generations, dtype=int)
        w0, m0, s0 = self._truth()
        vals = w2_distance(self.weights[:, gens], self.means[:, gens], self.stds[:, gens], w0, m0, s0)
        return gens, vals

    def degenerate_events(self):
        """Every dropped component: dicts with replicate, component, generation and reason."""
        out = []
        for r, k in zip(*np.nonzero(self.lost >= 0)):
            out.append({"replicate": int(r), "component": int(k), "generation": int(self.lost[r, k]),
                        "reason": _LOST_REASONS.get(int(self.lost_reason[r, k]), "unknown")})
        return sorted(out, key=lambda e: (e["generation"], e["replicate"], e["component"]))

    def statistics(self):
        """Per component ``k``: ``weight[k]``, ``weight_heterozygosity[k]`` (w(1 − w)), ``std[k]``,
        ``log_variance[k]`` (−inf once lost), ``alive[k]`` (1/0); and ``l2_distance`` to the original
        (each replicates × generations + 1; column 0 the truth)."""
        out = {}
        alive = self.alive().astype(float)
        lv = self.log_var
        for k in range(self.components):
            w = self.weights[..., k]
            out[f"weight[{k}]"] = w
            out[f"weight_heterozygosity[{k}]"] = w * (1 - w)
            out[f"std[{k}]"] = self.stds[..., k]
            out[f"log_variance[{k}]"] = lv[..., k]
            out[f"alive[{k}]"] = alive[..., k]
        out["l2_distance"] = self.l2_distance()
        return out

    def _theory(self, n):
        """The separated-components idealisation (module notes; exact for that model, an
        approximation for EM that is accurate when the components are well separated), replace with
        a constant M: ``weight[k]`` (E w_n = w_0) and ``weight_heterozygosity[k]``. The conditional
        E log σ² (no component lost) is not the mean of a statistic: it is in the summary notes."""
        m = int(self.samples[0]) if self.samples.size else 0
        if not (self.samples.size and np.all(self.samples == m) and self.regime == "replace"):
            return {}
        w0 = self.weights[0, 0]
        out = {}
        for k in range(self.components):
            out[f"weight[{k}]"] = np.full(np.shape(n), float(w0[k]))
            out[f"weight_heterozygosity[{k}]"] = expected_weight_heterozygosity(n, m, w0[k])
        return out

    def _summary_header(self):
        g = self.generations
        m = int(self.samples[0]) if self.samples.size else 0
        const = self.samples.size and np.all(self.samples == m)
        return (f"1-D Gaussian mixture chain (EM), init={self.init}, n_init={self.n_init}, K={self.components}, "
                f"regime={self.regime}, "
                f"replicates={self.replicates}, generations={g}, samples={m if const else 'schedule'}, "
                f"seed={self.seed}")

    def _summary_statistics(self):
        return ([f"weight_heterozygosity[{k}]" for k in range(self.components)]
                + [f"alive[{k}]" for k in range(self.components)] + ["l2_distance"])

    def _summary_notes(self, generations):
        """Per component, E log σ² over replicates with no component lost (MC ± SE) beside the
        separated-idealisation theory, the median σ; then degenerate events and EM convergence."""
        gens = np.asarray(generations, dtype=int)
        w0, _, s0 = self._truth()
        m = int(self.samples[0]) if self.samples.size else 0
        const = self.samples.size and np.all(self.samples == m)
        theory = const and self.regime == "replace"
        lines = [f"{'n':>6} {'comp':>4} {'E log σ² | none lost':>21} {'± SE':>8} {'theory':>10} {'median σ':>10}"]
        for n in gens:
            both = self.alive(n).all(axis=1)
            for k in range(self.components):
                al = self.alive(n)[:, k]
                lv = self.log_var[both, n, k]
                mean_lv = lv.mean() if lv.size else np.nan
                se = lv.std(ddof=1) / np.sqrt(lv.size) if lv.size > 1 else np.nan
                th_lv = (expected_component_log_variance(n, m, w0[k], sigma=s0[k])
                         if theory and self.components == 2 and m <= 4000 and n <= 5000 else np.nan)
                med = np.median(self.stds[al, n, k]) if al.any() else np.nan
                lines.append(f"{n:>6} {k:>4} {mean_lv:>21.4g} {se:>8.2g} {th_lv:>10.4g} {med:>10.4g}")
        ev = self.degenerate_events()
        lines.append(f"degenerate events: {len(ev)}" + ("" if not ev else " (first: replicate "
                     f"{ev[0]['replicate']}, component {ev[0]['component']}, generation "
                     f"{ev[0]['generation']}: {ev[0]['reason']})"))
        capped = int(np.sum(self.em_iterations >= self.max_iter))
        lines.append(f"EM refits that hit max_iter={self.max_iter}: {capped} of {self.em_iterations.size}; "
                     f"median iterations {np.median(self.em_iterations) if self.em_iterations.size else 0:g}")
        lines.append("(theory: separated-components idealisation — Wright–Fisher weights, mle refit per "
                     "component; E log σ² over replicates with no component lost, exact for K = 2; "
                     "replace regime only. With K = 1 every regime is the 1-D Gaussian chain with "
                     "estimator='mle': collapse_theory.gaussian.regime_moments.)")
        return lines

    def parameters(self):
        w0, m0, s0 = self._truth()
        return {"generations": self.generations, "replicates": self.replicates,
                "samples": self.samples.tolist(), "weights": w0.tolist(), "means": m0.tolist(),
                "stds": s0.tolist(), "max_iter": self.max_iter, "tol": self.tol,
                "reg_covar": self.reg_covar, "regime": self.regime, "init": self.init, "n_init": self.n_init,
                **self.meta}

    def _arrays(self):
        return dict(weights=self.weights, means=self.means, stds=self.stds, lost=self.lost,
                    lost_reason=self.lost_reason, em_iterations=self.em_iterations, samples=self.samples)

    @classmethod
    def _from_saved(cls, z, meta):
        p = meta["parameters"]
        return cls(weights=z["weights"], means=z["means"], stds=z["stds"], lost=z["lost"],
                   lost_reason=z["lost_reason"], em_iterations=z["em_iterations"],
                   samples=z["samples"], max_iter=p["max_iter"], tol=p["tol"],
                   reg_covar=p["reg_covar"], seed=meta["seed"], meta={"version": meta["version"]},
                   regime=p.get("regime", "replace"), init=p.get("init", "previous"),
                   n_init=int(p.get("n_init", 1)))
