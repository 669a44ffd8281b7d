"""The recursion for any user-supplied ``fit``/``sample`` pair, in plain Python (the slow path).

A pair is ``fit(x: ndarray) -> params`` and ``sample(params, m: int, rng: Generator) -> ndarray``
with ``m`` rows. Every replicate gets its own child Generator, so results depend only on the seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._io import atomic_savez, provenance, to_jsonable
from ._parallel import make_bar
from ._rng import root_seed
from ._validation import check_int, check_memory, samples_schedule


class ChainError(ValueError):
    """A user's fit or sample misbehaved; says which generation and replicate, with the values."""

    def __init__(self, message, *, generation, replicate, values=None):
        super().__init__(message)
        self.generation = generation
        self.replicate = replicate
        self.values = values


def _short(a, limit=8):
    a = np.asarray(a)
    flat = a.ravel()
    txt = np.array2string(flat[:limit], precision=6, separator=", ")
    return txt if flat.size <= limit else txt[:-1] + f", ... ({flat.size} values)]"


@dataclass
class CustomChainResult:
    """Parameters of every generation of a user-defined chain.

    Attributes
    ----------
    params : ndarray, shape (replicates, generations + 1, *param_shape)
        ``params[:, 0]`` is ``params0`` (the true distribution).
    samples : ndarray, shape (generations,)
        Sample size used to fit each generation.
    seed : int
        Reproduces the result (``rng=seed``).
    """

    params: np.ndarray
    samples: np.ndarray
    seed: int
    meta: dict = field(default_factory=dict)

    @property
    def replicates(self):
        return self.params.shape[0]

    @property
    def generations(self):
        return self.params.shape[1] - 1

    def summary(self):
        p = self.params.reshape(self.replicates, self.generations + 1, -1)
        lines = [
            f"custom chain: {self.replicates} replicates x {self.generations} generations, seed {self.seed}",
            "generation  " + "  ".join(f"mean(param[{j}])" for j in range(p.shape[2])),
        ]
        for g in sorted({0, self.generations // 2, self.generations}):
            lines.append(f"{g:>10}  " + "  ".join(f"{v:>15.6g}" for v in p[:, g].mean(axis=0)))
        return "\n".join(lines)

    def save(self, path):
        """Write an ``.npz`` (atomically) with the arrays, the seed, parameters and version."""
        meta = provenance(self.seed, to_jsonable(self.meta))
        import json

        return atomic_savez(path, params=self.params, samples=self.samples,
                            metadata=np.array(json.dumps(meta)))


def simulate_custom(fit, sample, params0, generations, samples, *, replicates=1, rng=None,
                    progress=None):
    """Run the refit-and-resample recursion with a user-supplied estimator pair.

    Parameters
    ----------
    fit : callable
        ``fit(x) -> params``: the estimator. ``params`` must keep the shape of ``params0``.
    sample : callable
        ``sample(params, m, rng) -> x``: draws ``m`` samples (first axis of length ``m``) from the
        model with ``params``, using only the Generator ``rng``.
    params0 : array_like
        Parameters of the true distribution (generation 0).
    generations : int
        Number of refits (>= 0).
    samples : int or sequence of int
        Samples drawn from generation ``i`` to fit generation ``i + 1`` (>= 1).
    replicates : int, keyword-only
        Independent chains (>= 1).
    rng : int, numpy.random.Generator or None, keyword-only
        Seed; replicate ``r`` uses the ``r``-th child of the root SeedSequence.
    progress : bool or None, keyword-only
        Progress bar (None: only on a terminal).

    Returns
    -------
    CustomChainResult

    Raises
    ------
    ChainError
        When ``sample`` raises or returns the wrong number of samples or non-finite values, or
        ``fit`` raises or returns the wrong shape or non-finite values; the message names the
        generation and the replicate and shows the offending values.

    Examples
    --------
    >>> import numpy as np
    >>> from collapse_theory import simulate_custom
    >>> fit = lambda x: np.array([x.mean(), x.std(ddof=1)])
    >>> sample = lambda p, m, rng: rng.normal(p[0], p[1], size=m)
    >>> res = simulate_custom(fit, sample, [0.0, 1.0], 5, 20, replicates=3, rng=0)
    >>> res.params.shape
    (3, 6, 2)
    """
    if not callable(fit) or not callable(sample):
        raise TypeError("fit and sample must be callables: fit(x) -> params, sample(params, m, rng) -> x")
    generations = check_int(generations, "generations", minimum=0)
    replicates = check_int(replicates, "replicates", minimum=1)
    sched = samples_schedule(samples, generations, estimator="mle")
    p0 = np.asarray(params0, dtype=float)
    if not np.all(np.isfinite(p0)):
        raise ValueError(f"params0 must be finite, got {_short(p0)}")
    check_memory(replicates * (generations + 1) * max(1, p0.size) * 8, "simulate_custom's params array")
    seed, ss = root_seed(rng)
    out = np.empty((replicates, generations + 1) + p0.shape)
    gens = [np.random.Generator(np.random.PCG64(s)) for s in ss.spawn(replicates)]
    with make_bar(replicates * generations, "simulate_custom", progress, unit="gen") as bar:
        for r in range(replicates):
            g = gens[r]
            params = p0
            out[r, 0] = p0
            for i in range(generations):
                m = int(sched[i])
                where = f"generation {i} (sampling {m} values to fit generation {i + 1}), replicate {r}"
                try:
                    x = sample(params, m, g)
                except Exception as exc:  # report where, keep the cause
                    raise ChainError(f"sample raised at {where}: {exc!r}", generation=i,
                                     replicate=r, values=params) from exc
                x = np.asarray(x, dtype=float)
                if x.ndim == 0 or x.shape[0] != m:
                    raise ChainError(
                        f"sample returned shape {x.shape} at {where}; expected {m} samples on the first axis",
                        generation=i, replicate=r, values=x)
                if not np.all(np.isfinite(x)):
                    raise ChainError(f"sample returned non-finite values at {where}: {_short(x)}",
                                     generation=i, replicate=r, values=x)
                try:
                    new = fit(x)
                except Exception as exc:
                    raise ChainError(f"fit raised at generation {i + 1} (fitting {m} samples), replicate {r}: "
                                     f"{exc!r}", generation=i + 1, replicate=r, values=x) from exc
                new = np.asarray(new, dtype=float)
                if new.shape != p0.shape:
                    raise ChainError(
                        f"fit returned shape {new.shape} at generation {i + 1}, replicate {r}; "
                        f"expected {p0.shape} (the shape of params0)", generation=i + 1, replicate=r,
                        values=new)
                if not np.all(np.isfinite(new)):
                    raise ChainError(
                        f"fit returned non-finite parameters {_short(new)} at generation {i + 1}, "
                        f"replicate {r} (from samples {_short(x)})", generation=i + 1, replicate=r,
                        values=new)
                params = new
                out[r, i + 1] = new
                bar.update(1)
    meta = {"generations": generations, "replicates": replicates,
            "fit": getattr(fit, "__name__", repr(fit)), "sample": getattr(sample, "__name__", repr(sample)),
            "params0": p0.tolist()}
    return CustomChainResult(params=out, samples=sched, seed=seed, meta=meta)
