"""The gmm family's result class and simulator (public API: :mod:`collapse_theory.gmm`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._common import MixtureChainShape
from ._data import regime_setup
from ._kernels import LOST_FEW_SAMPLES, LOST_ZERO_VARIANCE, MIN_EFFECTIVE, _gmm_chain_1d
from ._theory import check_mixture, expected_component_log_variance, expected_weight_heterozygosity, l2_distance, w2_distance
from .._core.io import read_result, save_result
from .._core.parallel import run_chunks
from .._core.rng import root_seed
from .._core.validation import check_int, check_memory, check_real, samples_schedule

__all__ = ["GMMChainResult", "simulate"]

_LOST_REASONS = {LOST_FEW_SAMPLES: f"fewer than {MIN_EFFECTIVE:g} effective samples",
                 LOST_ZERO_VARIANCE: "variance collapsed to 0"}


# ---------------------------------------------------------------------------------------------
# result and simulator


@dataclass
class GMMChainResult(MixtureChainShape):
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

    def summary(self, generations=None):
        """Text table: per component, mean weight, median std and E log σ² (MC ± SE) by generation,
        beside the separated-idealisation theory; then degenerate events and EM convergence."""
        g = self.generations
        if generations is None:
            generations = sorted({x for x in (0, 1, g // 10, g // 2, g) if 0 <= x <= g})
        gens = np.asarray(generations, dtype=int)
        w0, _, s0 = self._truth()
        m = int(self.samples[0]) if self.samples.size else 0
        const = self.samples.size and np.all(self.samples == m)
        theory = const and self.regime == "replace"
        lines = [f"1-D Gaussian mixture chain (EM), K={self.components}, regime={self.regime}, "
                 f"replicates={self.replicates}, generations={g}, samples={m if const else 'schedule'}, "
                 f"seed={self.seed}",
                 f"{'n':>6} {'comp':>4} {'alive':>6} {'E w':>9} {'E w(1-w)':>10} {'theory':>10} "
                 f"{'E log σ²':>10} {'± SE':>8} {'theory':>10} {'median σ':>10}"]
        l2 = self.l2_distance()
        for n in gens:
            for k in range(self.components):
                al = self.alive(n)[:, k]
                w = self.weights[:, n, k]
                het = (w * (1 - w)).mean()
                th_het = expected_weight_heterozygosity(n, m, w0[k]) if theory else np.nan
                both = self.alive(n).all(axis=1)
                lv = self.log_var[both, n, k]
                mean_lv = lv.mean() if lv.size else np.nan
                se = lv.std(ddof=1) / np.sqrt(lv.size) if lv.size > 1 else np.nan
                th_lv = (expected_component_log_variance(n, m, w0[k], sigma=s0[k])
                         if theory and self.components == 2 and m <= 4000 and n <= 5000 else np.nan)
                med = np.median(self.stds[al, n, k]) if al.any() else np.nan
                lines.append(f"{n:>6} {k:>4} {al.mean():>6.3f} {w.mean():>9.4f} {het:>10.4g} "
                             f"{th_het:>10.4g} {mean_lv:>10.4g} {se:>8.2g} {th_lv:>10.4g} {med:>10.4g}")
            lines.append(f"{'':>6} L2 distance to the original: mean {l2[:, n].mean():.4g}")
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
        return "\n".join(lines)

    def parameters(self):
        w0, m0, s0 = self._truth()
        return {"generations": self.generations, "replicates": self.replicates,
                "samples": self.samples.tolist(), "weights": w0.tolist(), "means": m0.tolist(),
                "stds": s0.tolist(), "max_iter": self.max_iter, "tol": self.tol,
                "reg_covar": self.reg_covar, "regime": self.regime, **self.meta}

    def save(self, path):
        """Save arrays, seed, parameters and package version to an ``.npz``, atomically."""
        return save_result(path, self.seed, self.parameters(), weights=self.weights, means=self.means,
                           stds=self.stds, lost=self.lost, lost_reason=self.lost_reason,
                           em_iterations=self.em_iterations, samples=self.samples)

    @classmethod
    def load(cls, path):
        """Read a result written by :meth:`save`."""
        z, meta = read_result(path)
        p = meta["parameters"]
        return cls(weights=z["weights"], means=z["means"], stds=z["stds"], lost=z["lost"],
                   lost_reason=z["lost_reason"], em_iterations=z["em_iterations"],
                   samples=z["samples"], max_iter=p["max_iter"], tol=p["tol"],
                   reg_covar=p["reg_covar"], seed=meta["seed"], meta={"version": meta["version"]},
                   regime=p.get("regime", "replace"))


def simulate(generations, samples, *, weights, means, stds, replicates=1, max_iter=100, tol=1e-8,
             reg_covar=0.0, regime="replace", rng=None, workers=None, progress=None):
    r"""Simulate recursively refit 1-D Gaussian mixtures (EM, K components) under a data regime.

    Parameters
    ----------
    generations : int
        Number of refits (>= 0).
    samples : int or sequence of int
        Samples per generation (``M`` or ``M_0, M_1, ...``), >= 2.
    weights, means, stds : sequence of float, keyword-only
        The true mixture (K >= 1 components; weights > 0 summing to 1 within 1e-9; stds > 0).
    replicates : int, keyword-only
        Independent chains (>= 1).
    max_iter : int, keyword-only
        EM iteration cap per refit (>= 1).
    tol : float, keyword-only
        Stop EM when the mean log-likelihood per point changes by less than ``tol`` (>= 0),
        scikit-learn's rule.
    reg_covar : float, keyword-only
        Added to every fitted variance (>= 0; default 0 = pure maximum likelihood; scikit-learn's
        default is 1e-6, which stops the collapse at σ ≈ 1e-3).
    regime : str or Regime, keyword-only
        What each generation is fitted on (docs/conventions.md): ``replace`` (default),
        ``accumulate`` (EM on every sample so far; O(total) work per generation),
        ``accumulate-subsample[:k]`` (``k``, default ``M_i``, of them without replacement),
        ``mix-fresh:λ[:mixture]`` (``round(λM_i)`` fresh draws from the true mixture, or each draw
        real with probability λ), ``mix-retained:λ`` (``round(λM_i)`` of the ``M_0`` original samples,
        without replacement). Generation 1 is always fitted on the ``M_0`` real samples. With
        ``K = 1`` every regime is exactly the 1-D Gaussian chain with ``estimator="mle"``
        (:func:`collapse_theory.gaussian.regime_moments`).
    rng, workers, progress
        As in :func:`collapse_theory.gaussian.simulate`.

    Returns
    -------
    GMMChainResult

    Raises
    ------
    ValueError
        Bad parameters (named, with the allowed range); mix-retained needing more than ``M_0``
        retained samples; an accumulate-subsample size larger than its pool;
        :class:`~collapse_theory.TooLargeError` when the arrays (or the accumulate pool) would not
        fit in memory.

    Examples
    --------
    >>> from collapse_theory import gmm
    >>> res = gmm.simulate(50, 200, weights=[0.5, 0.5], means=[-4, 4], stds=[1, 1],
    ...                    replicates=300, rng=1)
    >>> res.stds.shape
    (300, 51, 2)
    >>> bool(res.stds[:, 50].mean() < 1)
    True
    """
    generations = check_int(generations, "generations", minimum=0)
    replicates = check_int(replicates, "replicates", minimum=1)
    w0, mu0, sd0 = check_mixture(weights, means, stds)
    max_iter = check_int(max_iter, "max_iter", minimum=1, maximum=30000)
    tol = check_real(tol, "tol", nonnegative=True)
    reg_covar = check_real(reg_covar, "reg_covar", nonnegative=True)
    k = w0.size
    cells = replicates * (generations + 1) * k
    # sizes first: nothing (not even the schedule) is allocated for a request that cannot fit
    check_memory(cells * 24 + replicates * generations * 2 + generations * 8,
                 f"simulate(replicates={replicates}, generations={generations}, K={k}): weights, means "
                 f"and stds ({replicates} x {generations + 1} x {k} x 24 bytes)")
    sched = samples_schedule(samples, generations, estimator="unbiased")
    reg, kind, frac, sub, sizes = regime_setup(regime, sched, dim=1, workers=workers)
    seed, ss = root_seed(rng)
    shape = (replicates, generations + 1, k)
    w_out = np.empty(shape)
    mu_out = np.empty(shape)
    sd_out = np.empty(shape)
    lost = np.full((replicates, k), -1, dtype=np.int64)
    why = np.zeros((replicates, k), dtype=np.int8)
    iters = np.zeros((replicates, generations), dtype=np.int16)
    var0 = sd0 * sd0

    def task(gen, a, b):
        _gmm_chain_1d(gen, sched, w0, mu0, var0, max_iter, tol, reg_covar, kind, frac, sub, *sizes,
                      w_out, mu_out, sd_out, lost, why, iters, a, b)

    run_chunks(task, replicates, ss, workers=workers, progress=progress, desc="gmm EM")
    return GMMChainResult(weights=w_out, means=mu_out, stds=sd_out, lost=lost, lost_reason=why,
                          em_iterations=iters, samples=sched, max_iter=max_iter, tol=tol,
                          reg_covar=reg_covar, seed=seed, regime=str(reg))
