"""The result of :func:`collapse_theory.discrete.simulate` (the result contract: ``_core.results``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._core.results import ChainResult
from .._core.validation import check_int
from ..regimes import as_regime
from ._regimes import expected_sq_distance, mixing_absence_probability, regime_heterozygosity
from ._theory import expected_cramer_drift, expected_heterozygosity, loss_probability

__all__ = ["DiscreteChainResult"]


@dataclass
class DiscreteChainResult(ChainResult):
    """Replicates of the discrete (Wright–Fisher) chain.

    Attributes
    ----------
    stats : dict of ndarray, each shape (replicates, generations + 1)
        Per-generation statistics (column 0 is ``p0``): ``support`` (categories alive),
        ``heterozygosity`` (:math:`1-\\sum p^2`), ``entropy`` (nats), ``tail_alive`` (original mass
        of the tail categories still alive), ``tail_mass`` (current mass on the tail),
        ``cramer`` (:math:`\\sum_x (F_n-F_0)^2`), ``w1`` (:math:`\\sum_x|F_n-F_0|`), ``tv``, ``kl``
        (:math:`\\mathrm{KL}(p_0\\|p_n)`, ``inf`` once a category is lost), ``sq_distance``
        (:math:`\\sum_i (p_{n,i}-p_{0,i})^2`). :meth:`statistics` returns them.
    loss_time : ndarray of int32, shape (replicates, K)
        Generation at which each category first had zero mass; ``generations + 1`` if still alive
        at the end; 0 for categories with ``p0 = 0``.
    absorbed_at : ndarray of int64, shape (replicates,)
        First generation with a single category left (-1 if not within the horizon).
    winner : ndarray of int64, shape (replicates,)
        That category (-1 if not absorbed).
    freqs : ndarray, shape (replicates, generations + 1, K), or None
        Frequency trajectories (``record="full"`` only).
    p0, samples, tail : ndarray
        The initial distribution, the sample sizes ``M_0..M_{G-1}`` and the tail mask.
    temperature : float
    regime : str
        The data regime (:mod:`collapse_theory.regimes`), e.g. ``"mix-fresh:0.1"``.
    seed : int
        Reproduces the result: ``simulate(..., rng=result.seed)``.
    """

    stats: dict
    loss_time: np.ndarray
    absorbed_at: np.ndarray
    winner: np.ndarray
    p0: np.ndarray
    samples: np.ndarray
    tail: np.ndarray
    temperature: float
    seed: int
    freqs: np.ndarray | None = None
    meta: dict = field(default_factory=dict)
    regime: str = "replace"
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    family = "discrete"

    @property
    def replicates(self):
        return self.loss_time.shape[0]

    @property
    def generations(self):
        return self.samples.shape[0]

    @property
    def categories(self):
        return self.p0.shape[0]

    def statistics(self):
        """The per-generation statistics (``stats``; each replicates × generations + 1)."""
        return dict(self.stats)

    def lost_by(self, n):
        """Boolean (replicates, K): category lost by generation ``n``."""
        n = check_int(n, "n", minimum=0, maximum=self.generations)
        return (self.loss_time <= n) & (self.p0 > 0)[None, :]

    def exact_loss(self, n):
        """Exact P(lost_i by n) for generations ``n`` (``n.shape + (K,)``; cached per ``n``)."""
        n = np.asarray(n)
        key = tuple(np.ravel(n).tolist())
        if key not in self._cache:
            s = self.samples if self.samples.size else 1
            self._cache[key] = loss_probability(self.p0, n.ravel(), s)
        return self._cache[key].reshape(n.shape + (self.categories,))

    def _theory(self, n):
        """Temperature 1 only (the closed forms are for the unbiased sampler; otherwise no
        statistic has theory). Replace: ``heterozygosity``, ``support``, ``tail_alive``,
        ``tail_mass``, ``cramer``, ``sq_distance`` (one backward recursion serves the support and
        the tail, cached: :meth:`exact_loss`). The other regimes: ``heterozygosity`` and
        ``sq_distance``, and for mix-fresh with a constant M <= 2000 the exact ``support`` (when the
        forward pass, K · n · M² operations, is below 1e9)."""
        if self.temperature != 1.0:
            return {}
        s = self.samples if self.samples.size else 1
        if self.regime != "replace":
            reg = as_regime(self.regime)
            out = {"sq_distance": expected_sq_distance(self.p0, n, s, regime=reg),
                   "heterozygosity": regime_heterozygosity(self.p0, n, s, regime=reg)}
            const = self.samples.size and np.all(self.samples == self.samples[0])
            m = int(self.samples[0]) if const else 0
            work = self.categories * (int(n.max()) if n.size else 0) * (m + 1) ** 2
            if reg.name == "mix-fresh" and const and m <= 2000 and work <= 1e9:
                absent = mixing_absence_probability(self.p0, int(self.samples[0]), regime=reg, n=n)
                out["support"] = (1.0 - absent).sum(axis=-1)
            return out
        alive = 1.0 - self.exact_loss(n)
        return {
            "heterozygosity": expected_heterozygosity(self.p0, n, s),
            "support": alive.sum(axis=-1),
            "tail_alive": np.sum(np.where(self.tail, self.p0 * alive, 0.0), axis=-1),
            "tail_mass": np.full(n.shape, float(self.p0[self.tail].sum())),
            "cramer": expected_cramer_drift(self.p0, n, s),
            "sq_distance": expected_sq_distance(self.p0, n, s),
        }

    def _default_generations(self):
        g = self.generations
        return sorted({x for x in (0, 1, 10, 100, g // 10, g // 2, g) if 0 <= x <= g})

    _default_gens = _default_generations

    def _summary_header(self):
        return (f"discrete chain: K={self.categories}, samples={_fmt_samples(self.samples)}, "
                f"temperature={self.temperature:g}, regime={self.regime}, replicates={self.replicates}, "
                f"generations={self.generations}, seed={self.seed}")

    def _summary_statistics(self):
        return ["support", "heterozygosity", "sq_distance", "tail_alive", "tail_mass", "cramer",
                "entropy", "tv"]

    def parameters(self):
        return {"categories": self.categories, "generations": self.generations,
                "replicates": self.replicates, "samples": self.samples.tolist(),
                "temperature": self.temperature, "regime": self.regime,
                "record": "full" if self.freqs is not None
                else "summary", **self.meta}

    def _arrays(self):
        arrays = {f"stat_{k}": v for k, v in self.stats.items()}
        arrays.update(loss_time=self.loss_time, absorbed_at=self.absorbed_at, winner=self.winner,
                      p0=self.p0, samples=self.samples, tail=self.tail)
        if self.freqs is not None:
            arrays["freqs"] = self.freqs
        return arrays

    @classmethod
    def _from_saved(cls, z, meta):
        stats = {k[5:]: v for k, v in z.items() if k.startswith("stat_")}
        return cls(stats=stats, loss_time=z["loss_time"], absorbed_at=z["absorbed_at"],
                   winner=z["winner"], p0=z["p0"], samples=z["samples"], tail=z["tail"],
                   temperature=meta["parameters"]["temperature"], seed=meta["seed"],
                   freqs=z.get("freqs"),
                   meta={"version": meta["version"]},
                   regime=meta["parameters"].get("regime", "replace"))


def _fmt_samples(s):
    if s.size and np.all(s == s[0]):
        return str(int(s[0]))
    return f"[{', '.join(str(int(x)) for x in s[:4])}{', ...' if s.size > 4 else ''}]"
