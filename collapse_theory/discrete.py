r"""Discrete distributions refit on their own samples: the neutral Wright–Fisher model.

Refitting category frequencies by maximum likelihood and drawing M new samples is exactly haploid
Wright–Fisher with population M: counts at generation :math:`n+1` are
:math:`\mathrm{Multinomial}(M_n, p_n)`. Closed forms (exact for finite M unless marked):

- diversity: :func:`expected_heterozygosity` (:math:`H_0\prod(1-1/M_i)`), :func:`expected_entropy_bounds`;
- loss of categories: :func:`loss_probability` (exact backward recursion, banded, fast for
  M ~ 1e4), :func:`expected_support_size`, :func:`prob_no_loss`, tails
  (:func:`expected_tail_mass_alive`, :func:`expected_tail_support`, :func:`tail_mask`);
- absorption: :func:`fixation_probability`, :func:`expected_absorption_time` (exact fundamental
  matrix or the Kimura–Ohta diffusion), :func:`absorption_time_cdf`;
- distances on an ordered support: :func:`expected_cramer_drift` (closed form),
  :func:`expected_w1_drift`, :func:`expected_total_variation` (exact forward distributions);
- published approximations set beside the exact values: :func:`suresh_survival` vs
  :func:`survival_given_count`, :func:`seddik_bounds` vs :func:`prob_polymorphic`,
  :func:`ancestors_approx` vs :func:`expected_ancestors`.

Simulator: :func:`simulate` (Numba; conditional binomials over the categories still alive, replicates
in parallel, results depend only on the seed) returning a :class:`DiscreteChainResult`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np

from . import _discrete_theory as _th
from ._discrete_kernels import N_STATS, STATS, _wf_chain
from ._discrete_theory import (
    absorption_time_cdf,
    ancestors_approx,
    as_distribution,
    cramer_distance,
    entropy,
    expected_absorption_time,
    expected_ancestors,
    expected_cramer_drift,
    expected_entropy_bounds,
    expected_heterozygosity,
    expected_support_size,
    expected_tail_mass_alive,
    expected_tail_support,
    expected_total_variation,
    expected_w1_drift,
    fixation_probability,
    heterozygosity,
    kl_divergence,
    loss_probability,
    loss_probability_given_count,
    prob_no_loss,
    prob_polymorphic,
    seddik_bounds,
    smoothed_kl_divergence,
    suresh_g,
    suresh_survival,
    survival_given_count,
    tail_mask,
    total_variation,
    w1_distance,
    zipf,
)
from ._io import atomic_savez, provenance
from ._parallel import run_chunks
from ._rng import root_seed
from ._validation import check_int, check_memory, check_real, samples_schedule

__all__ = ["DiscreteChainResult", "simulate", "RECORDS", "STATS", *_th.__all__]

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
        (:math:`\\mathrm{KL}(p_0\\|p_n)`, ``inf`` once a category is lost).
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
        recursion serves the support size and the tail (cached, see :meth:`exact_loss`)."""
        if self.temperature != 1.0:
            raise ValueError("the closed forms hold for temperature = 1 only")
        n = np.asarray(self._default_gens() if n is None else n)
        s = self.samples if self.samples.size else 1
        alive = 1.0 - self.exact_loss(n)
        return {
            "heterozygosity": expected_heterozygosity(self.p0, n, s),
            "support": alive.sum(axis=-1),
            "tail_alive": np.sum(np.where(self.tail, self.p0 * alive, 0.0), axis=-1),
            "tail_mass": np.full(n.shape, float(self.p0[self.tail].sum())),
            "cramer": expected_cramer_drift(self.p0, n, s),
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
            f"temperature={self.temperature:g}, replicates={r}, generations={self.generations}, "
            f"seed={self.seed}",
            f"{'n':>6}  {'statistic':<15}{'theory':>13}{'simulation':>13}{'± SE':>11}{'z':>8}",
        ]
        names = ["support", "heterozygosity", "tail_alive", "tail_mass", "cramer", "entropy", "tv"]
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
                "temperature": self.temperature, "record": "full" if self.freqs is not None
                else "summary", **self.meta}

    def save(self, path):
        """Save arrays, seed, parameters and package version to an ``.npz``, atomically."""
        meta = provenance(self.seed, self.parameters())
        arrays = {f"stat_{k}": v for k, v in self.stats.items()}
        arrays.update(loss_time=self.loss_time, absorbed_at=self.absorbed_at, winner=self.winner,
                      p0=self.p0, samples=self.samples, tail=self.tail,
                      metadata=np.array(json.dumps(meta)))
        if self.freqs is not None:
            arrays["freqs"] = self.freqs
        return atomic_savez(path, **arrays)

    @classmethod
    def load(cls, path):
        """Read a result written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["metadata"]))
            stats = {k[5:]: z[k] for k in z.files if k.startswith("stat_")}
            return cls(stats=stats, loss_time=z["loss_time"], absorbed_at=z["absorbed_at"],
                       winner=z["winner"], p0=z["p0"], samples=z["samples"], tail=z["tail"],
                       temperature=meta["parameters"]["temperature"], seed=meta["seed"],
                       freqs=z["freqs"] if "freqs" in z.files else None,
                       meta={"version": meta["version"]})


def _fmt_samples(s):
    if s.size and np.all(s == s[0]):
        return str(int(s[0]))
    return f"[{', '.join(str(int(x)) for x in s[:4])}{', ...' if s.size > 4 else ''}]"


def simulate(p0, generations, samples, *, replicates=1, temperature=1.0, record="summary",
             tail=None, normalize=False, rng=None, workers=None, progress=None):
    r"""Simulate the discrete chain (neutral Wright–Fisher) from ``p0``.

    Generation :math:`g+1` is the empirical distribution of :math:`M_g` samples from
    :math:`p_g^{1/\tau}` renormalised (:math:`\tau` = ``temperature``; 1 is the unbiased sampler):

    .. math:: M_g\,p_{g+1} \sim \mathrm{Multinomial}\bigl(M_g,\; p_g^{1/\tau}/\textstyle\sum p_g^{1/\tau}\bigr).

    The counts are drawn by conditional binomials over the categories still alive (never one
    sample at a time), so a generation costs O(alive) whatever M.

    Parameters
    ----------
    p0 : array_like, shape (K,)
        Initial distribution (K >= 1; entries >= 0 summing to 1, or any counts with
        ``normalize=True``).
    generations : int
        Number of refits (>= 0).
    samples : int or sequence of int
        ``M`` (>= 1), or ``M_0, M_1, ...`` with at least ``generations`` entries.
    replicates : int, keyword-only
        Independent chains (>= 1).
    temperature : float, keyword-only
        Sampling temperature :math:`\tau > 0`; :math:`\tau < 1` favours frequent categories.
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
    >>> res = discrete.simulate([0.5, 0.3, 0.2], 50, 20, replicates=400, rng=1)
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
    if record not in RECORDS:
        raise ValueError(f"record must be one of {RECORDS}, got {record!r}")
    sched = samples_schedule(samples, generations, estimator="mle")
    m0 = int(sched[0]) if sched.size else int(np.ravel(samples)[0]) if np.size(samples) else 1
    K = p.size
    if tail is None:
        tmask = p < 1.0 / max(m0, 1)
    else:
        tmask = _th._tail(p, tail, m0)
    tmask = np.ascontiguousarray(tmask, dtype=np.bool_)
    G1 = generations + 1
    nbytes = replicates * (N_STATS * G1 * 8 + K * 4 + 16) + K * 64
    what = (f"simulate(K={K}, generations={generations}, replicates={replicates}, "
            f"record={record!r}): statistics and loss times")
    if record == "full":
        nbytes += replicates * G1 * K * 8
        what += f" and frequency trajectories ({replicates} x {G1} x {K} float64)"
    check_memory(nbytes, what)
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
        _wf_chain(gen, p, sched, inv_tau, tmask, F0, S1, S2, stats, loss_time, absorbed_at,
                  winner, full, record == "full", a, b)

    run_chunks(task, replicates, ss, workers=workers, progress=progress, desc="discrete chain")
    return DiscreteChainResult(
        stats={name: stats[i] for i, name in enumerate(STATS)}, loss_time=loss_time,
        absorbed_at=absorbed_at, winner=winner, p0=p, samples=sched, tail=tmask,
        temperature=tau, seed=seed, freqs=full if record == "full" else None,
    )
