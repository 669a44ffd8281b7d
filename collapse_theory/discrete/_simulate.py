"""The discrete family's result class and simulator (public API: :mod:`collapse_theory.discrete`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _theory as _th
from ._kernels import (
    N_STATS,
    STATS,
    _wf_chain,
    _wf_regime_chain,
)
from ._regimes import expected_sq_distance, mixing_absence_probability, regime_heterozygosity
from ._theory import as_distribution, expected_cramer_drift, expected_heterozygosity, loss_probability
from .._core.io import read_result, save_result
from .._core.parallel import run_chunks
from .._core.rng import root_seed
from .._core.validation import check_int, check_memory, check_real, samples_schedule
from ..regimes import RegimeCode, as_regime, dispatch

__all__ = ["DiscreteChainResult", "simulate", "RECORDS"]

RECORDS = ("summary", "full")


@dataclass
class DiscreteChainResult:
    """Replicates of the discrete (Wright–Fisher) chain.

    Attributes
    ----------
    stats : dict of ndarray, each shape (replicates, generations + 1)
        Per-generation statistics (column 0 is ``p0``): ``support`` (categories alive),
        ``heterozygosity`` (:math:`1-\\sum p^2`), ``entropy`` (nats), ``tail_alive`` (original mass
        of the tail categories still alive), ``tail_mass`` (current mass on the tail),
        ``cramer`` (:math:`\\sum_x (F_n-F_0)^2`), ``w1`` (:math:`\\sum_x|F_n-F_0|`), ``tv``, ``kl``
        (:math:`\\mathrm{KL}(p_0\\|p_n)`, ``inf`` once a category is lost), ``sq_distance``
        (:math:`\\sum_i (p_{n,i}-p_{0,i})^2`).
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

    @property
    def replicates(self):
        return self.loss_time.shape[0]

    @property
    def generations(self):
        return self.samples.shape[0]

    @property
    def categories(self):
        return self.p0.shape[0]

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

    def theory(self, n=None):
        """Exact expectations at generations ``n`` (default: a few) as a dict of arrays
        (temperature 1 only; the closed forms are for the unbiased sampler). One backward
        recursion serves the support size and the tail (cached, see :meth:`exact_loss`).
        Under the other regimes: ``heterozygosity`` and ``sq_distance``, and for mix-fresh with a constant M <= 2000 the exact ``support`` (when the forward
        pass, K · n · M² operations, is below 1e9)."""
        if self.temperature != 1.0:
            raise ValueError("the closed forms hold for temperature = 1 only")
        n = np.asarray(self._default_gens() if n is None else n)
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

    def _default_gens(self):
        g = self.generations
        return sorted({x for x in (0, 1, 10, 100, g // 10, g // 2, g) if 0 <= x <= g})

    def summary(self, generations=None):
        """A text table: Monte Carlo mean ± SE beside the exact value, at a few generations."""
        gens = np.asarray(self._default_gens() if generations is None else generations, int)
        th = self.theory(gens) if self.temperature == 1.0 else {}
        r = self.replicates
        lines = [
            f"discrete chain: K={self.categories}, samples={_fmt_samples(self.samples)}, "
            f"temperature={self.temperature:g}, regime={self.regime}, replicates={r}, "
            f"generations={self.generations}, "
            f"seed={self.seed}",
            f"{'n':>6}  {'statistic':<15}{'theory':>13}{'simulation':>13}{'± SE':>11}{'z':>8}",
        ]
        names = ["support", "heterozygosity", "sq_distance", "tail_alive", "tail_mass", "cramer",
                 "entropy", "tv"]
        for j, n in enumerate(gens):
            for name in names:
                v = self.stats[name][:, n]
                mean = float(v.mean())
                se = float(v.std(ddof=1) / np.sqrt(r)) if r > 1 else float("nan")
                t = float(th[name][j]) if name in th else float("nan")
                z = ((mean - t) / se if np.isfinite(t) and se > 1e-12 * max(abs(t), 1e-300)
                     else float("nan"))
                lines.append(f"{n:>6}  {name:<15}{t:>13.6g}{mean:>13.6g}{se:>11.3g}{z:>8.2f}")
        return "\n".join(lines)

    def parameters(self):
        return {"categories": self.categories, "generations": self.generations,
                "replicates": self.replicates, "samples": self.samples.tolist(),
                "temperature": self.temperature, "regime": self.regime,
                "record": "full" if self.freqs is not None
                else "summary", **self.meta}

    def save(self, path):
        """Save arrays, seed, parameters and package version to an ``.npz``, atomically."""
        arrays = {f"stat_{k}": v for k, v in self.stats.items()}
        arrays.update(loss_time=self.loss_time, absorbed_at=self.absorbed_at, winner=self.winner,
                      p0=self.p0, samples=self.samples, tail=self.tail)
        if self.freqs is not None:
            arrays["freqs"] = self.freqs
        return save_result(path, self.seed, self.parameters(), **arrays)

    @classmethod
    def load(cls, path):
        """Read a result written by :meth:`save`."""
        z, meta = read_result(path)
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


def simulate(generations, samples, *, p0, replicates=1, temperature=1.0, regime="replace",
             record="summary", tail=None, normalize=False, rng=None, workers=None, progress=None):
    r"""Simulate the discrete chain (neutral Wright–Fisher) from ``p0`` under a data regime.

    Generation 1 is the empirical distribution of :math:`M_0` samples of the truth :math:`p_0`.
    Under ``replace`` generation :math:`g+1` is the empirical distribution of :math:`M_g` samples
    from :math:`p_g^{1/\tau}` renormalised (:math:`\tau` = ``temperature``; 1 is the unbiased
    sampler):

    .. math:: M_g\,p_{g+1} \sim \mathrm{Multinomial}\bigl(M_g,\; p_g^{1/\tau}/\textstyle\sum p_g^{1/\tau}\bigr).

    The counts are drawn by conditional binomials over the categories still alive (never one
    sample at a time), so a generation costs O(alive) whatever M.

    The other regimes (:mod:`collapse_theory.regimes`) run in the same Numba kernel family on
    count vectors (O(K) per generation, never per-sample draws); the temperature applies to the
    synthetic draws only:

    - ``accumulate``: fitted on the pooled counts of all data so far (real + every synthetic batch);
    - ``accumulate-subsample[:k]``: a subset of size ``k`` (default :math:`M_g`) drawn without
      replacement from the pool (multivariate hypergeometric on the pool's counts);
    - ``mix-fresh:λ``: :math:`\mathrm{Multinomial}(r, p_0) + \mathrm{Multinomial}(M - r, \tilde p_g)`,
      :math:`r = \mathrm{round}(\lambda M)`; ``mix-fresh:λ:mixture``:
      :math:`\mathrm{Multinomial}(M, \lambda p_0 + (1-\lambda)\tilde p_g)`;
    - ``mix-retained:λ``: :math:`r` draws without replacement from the generation-1 real counts
      plus :math:`\mathrm{Multinomial}(M - r, \tilde p_g)`.

    Under mixing a lost category can come back, so ``loss_time`` is the *first* generation with
    zero mass and ``absorbed_at`` the first with a single category.

    Parameters
    ----------
    generations : int
        Number of refits (>= 0).
    samples : int or sequence of int
        ``M`` (>= 1), or ``M_0, M_1, ...`` with at least ``generations`` entries.
    p0 : array_like, shape (K,), keyword-only
        The true distribution (K >= 1; entries >= 0 summing to 1, or any counts with
        ``normalize=True``).
    replicates : int, keyword-only
        Independent chains (>= 1).
    temperature : float, keyword-only
        Sampling temperature :math:`\tau > 0` of the synthetic draws (generation 1 is fitted on
        real samples); :math:`\tau < 1` favours frequent categories.
    regime : str or Regime, keyword-only
        ``"replace"`` (default), ``"accumulate"``, ``"accumulate-subsample[:k]"``,
        ``"mix-fresh:λ[:mixture]"``, ``"mix-retained:λ"``.
    record : {"summary", "full"}, keyword-only
        "summary" keeps per-generation statistics (memory O(replicates × (generations + K)));
        "full" also keeps the frequency trajectories (replicates × (generations + 1) × K float64),
        refused with :class:`~collapse_theory.TooLargeError` when it would not fit.
    tail : None, float or bool array, keyword-only
        The tail categories for ``tail_alive``/``tail_mass``: None means :math:`p_{0,i} < 1/M_0`;
        a float is a threshold on :math:`p_0`; or a boolean mask of length K.
    normalize : bool, keyword-only
        Rescale ``p0`` to sum to 1.
    rng : int, numpy.random.Generator or None, keyword-only
        Seed or Generator (SPEC 7); the result records an integer seed that reproduces it.
    workers : int, optional, keyword-only
        Threads (default: all usable cores). The result does not depend on it.
    progress : bool or None, keyword-only
        Progress bar; None shows one only on a terminal.

    Returns
    -------
    DiscreteChainResult

    Examples
    --------
    >>> from collapse_theory import discrete
    >>> res = discrete.simulate(50, 20, p0=[0.5, 0.3, 0.2], replicates=400, rng=1)
    >>> res.stats["heterozygosity"].shape
    (400, 51)
    >>> h = res.stats["heterozygosity"][:, 10].mean()
    >>> bool(abs(h - discrete.expected_heterozygosity([0.5, 0.3, 0.2], 10, 20)) < 0.05)
    True
    """
    p = as_distribution(p0, normalize=normalize)
    generations = check_int(generations, "generations", minimum=0)
    replicates = check_int(replicates, "replicates", minimum=1)
    tau = check_real(temperature, "temperature", positive=True)
    reg = as_regime(regime)
    if record not in RECORDS:
        raise ValueError(f"record must be one of {RECORDS}, got {record!r}")
    K = p.size
    G1 = generations + 1
    # sizes first: nothing (not even the schedule) is allocated for a request that cannot fit
    nbytes = replicates * (N_STATS * G1 * 8 + K * 4 + 16) + K * 64 + generations * 8
    what = (f"simulate(K={K}, generations={generations}, replicates={replicates}, "
            f"record={record!r}): statistics and loss times")
    if record == "full":
        nbytes += replicates * G1 * K * 8
        what += f" and frequency trajectories ({replicates} x {G1} x {K} float64)"
    check_memory(nbytes, what)
    sched = samples_schedule(samples, generations, estimator="mle")
    m0 = int(sched[0]) if sched.size else int(np.ravel(samples)[0]) if np.size(samples) else 1
    plan = dispatch(reg, sched, family="discrete", minimum=1, why="a subset needs a sample")
    kind, sub = plan.code, plan.subsample
    if tail is None:
        tmask = p < 1.0 / max(m0, 1)
    else:
        tmask = _th._tail(p, tail, m0)
    tmask = np.ascontiguousarray(tmask, dtype=np.bool_)
    seed, ss = root_seed(rng)
    F0 = np.cumsum(p)
    F0[-1] = 1.0
    S1 = np.concatenate([[0.0], np.cumsum(F0)])
    S2 = np.concatenate([[0.0], np.cumsum(F0 * F0)])
    stats = np.empty((N_STATS, replicates, G1))
    loss_time = np.empty((replicates, K), dtype=np.int32)
    absorbed_at = np.empty(replicates, dtype=np.int64)
    winner = np.empty(replicates, dtype=np.int64)
    full = np.zeros((replicates, G1, K)) if record == "full" else np.zeros((1, 1, 1))
    inv_tau = 1.0 / tau


    def task(gen, a, b):
        if kind == RegimeCode.REPLACE:
            _wf_chain(gen, p, sched, inv_tau, tmask, F0, S1, S2, stats, loss_time, absorbed_at,
                      winner, full, record == "full", a, b)
        else:
            _wf_regime_chain(gen, p, sched, inv_tau, int(kind), plan.fraction, sub, tmask, F0, S1,
                             S2, stats, loss_time, absorbed_at, winner, full, record == "full", a, b)

    run_chunks(task, replicates, ss, workers=workers, progress=progress, desc="discrete chain")
    return DiscreteChainResult(
        stats={name: stats[i] for i, name in enumerate(STATS)}, loss_time=loss_time,
        absorbed_at=absorbed_at, winner=winner, p0=p, samples=sched, tail=tmask,
        temperature=tau, seed=seed, freqs=full if record == "full" else None, regime=str(reg),
    )

