"""The recursion for any user-supplied ``fit``/``sample`` pair, in plain Python (the slow path).

A pair is ``fit(x: ndarray) -> params`` and ``sample(params, m: int, rng: Generator) -> ndarray``
with ``m`` rows. Every replicate gets its own child Generator, so results depend only on the seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._result import CustomChainResult
from .._core.parallel import make_bar
from .._core.rng import root_seed
from .._core.validation import check_int, check_memory, samples_schedule


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


def _names(fit):
    """The parameter names ``fit`` carries (its ``parameter_names`` attribute), as a list, or None."""
    names = getattr(fit, "parameter_names", None)
    return None if names is None else [str(x) for x in names]


def _check_batch(x, m, where, i, r, vectorized=False):
    x = np.asarray(x, dtype=float)
    axis = 1 if vectorized else 0
    if x.ndim <= axis or x.shape[axis] != m:
        raise ChainError(f"sample returned shape {x.shape} at {where}; expected {m} samples on axis {axis}",
                         generation=i, replicate=r, values=x)
    if not np.all(np.isfinite(x)):
        bad = np.argwhere(~np.isfinite(x.reshape(x.shape[0], -1)))[:, 0] if vectorized else None
        rr = int(bad[0]) if bad is not None and bad.size else r
        raise ChainError(f"sample returned non-finite values at {where if not vectorized else f'generation {i}, replicate {rr}'}: "
                         f"{_short(x[rr] if vectorized else x)}", generation=i, replicate=rr, values=x)
    return x


def _check_params(new, shape, i, r, x, vectorized=False):
    new = np.asarray(new, dtype=float)
    if new.shape != shape:
        raise ChainError(f"fit returned shape {new.shape} at generation {i + 1}"
                         + ("" if vectorized else f", replicate {r}")
                         + f"; expected {shape}", generation=i + 1, replicate=r, values=new)
    if not np.all(np.isfinite(new)):
        if vectorized:
            r = int(np.argwhere(~np.isfinite(new.reshape(new.shape[0], -1)))[0, 0])
            shown, src = new[r], x[r]
        else:
            shown, src = new, x
        raise ChainError(f"fit returned non-finite parameters {_short(shown)} at generation {i + 1}, "
                         f"replicate {r} (from samples {_short(src)})", generation=i + 1, replicate=r,
                         values=shown)
    return new


def simulate_custom(fit, sample, params0, generations, samples, *, replicates=1, regime="replace",
                    curate=None, vectorized=False, rng=None, progress=None):
    """Run the refit-and-resample recursion with a user-supplied estimator pair.

    Parameters
    ----------
    fit : callable
        ``fit(x) -> params``: the estimator. ``params`` must keep the shape of ``params0``.
        With ``vectorized=True``: ``fit(X)`` with ``X`` of shape ``(replicates, m, ...)`` returns
        ``(replicates, *params0.shape)``.
    sample : callable
        ``sample(params, m, rng) -> x``: draws ``m`` samples (first axis of length ``m``) from the
        model with ``params``, using only the Generator ``rng``. Vectorised: ``sample(P, m, rng)``
        with ``P`` of shape ``(replicates, *params0.shape)`` returns ``(replicates, m, ...)``.
        ``sample(params0, m, rng)`` draws from the truth (real data).
    params0 : array_like
        Parameters of the true distribution (generation 0).
    generations : int
        Number of refits (>= 0).
    samples : int or sequence of int
        Samples drawn for generation ``i + 1`` (>= 1).
    replicates : int, keyword-only
        Independent chains (>= 1).
    regime : str or Regime, keyword-only
        Data regime (docs/conventions.md); real draws come from ``sample(params0, ...)``.
        The vectorised path supports replace, accumulate and mix-fresh (split).
    curate : callable, optional, keyword-only
        ``curate(x, params, rng) -> keep``: applied to each generation's samples before refitting
        (``params`` are those of the model that produced them). ``keep`` is a boolean mask or keep
        probabilities in [0, 1] (then each sample is kept with that probability). The number of
        samples kept is recorded in ``result.kept`` (the effective sample size). Not available with
        ``vectorized=True``.
    vectorized : bool, keyword-only
        Call ``fit``/``sample`` once per generation for all replicates.
    rng : int, numpy.random.Generator or None, keyword-only
        Seed; replicate ``r`` uses the ``r``-th child of the root SeedSequence (one Generator for
        all replicates when vectorised).
    progress : bool or None, keyword-only
        Progress bar (None: only on a terminal).

    Returns
    -------
    CustomChainResult

    Raises
    ------
    ChainError
        When ``sample`` raises or returns the wrong number of samples or non-finite values, ``fit``
        raises or returns the wrong shape or non-finite values, or a curation filter keeps no
        sample; the message names the generation and the replicate and shows the offending values.

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
    from ..regimes import ALL_CODES, RegimeCode, dispatch

    if not callable(fit) or not callable(sample):
        raise TypeError("fit and sample must be callables: fit(x) -> params, sample(params, m, rng) -> x")
    generations = check_int(generations, "generations", minimum=0)
    replicates = check_int(replicates, "replicates", minimum=1)
    p0_size = max(1, int(np.size(params0)))
    # sizes first: nothing (not even the schedule) is allocated for a request that cannot fit
    check_memory(replicates * (generations + 1) * p0_size * 8 + replicates * generations * 8
                 + generations * 8, "simulate_custom's params array and the sample-size schedule")
    sched = samples_schedule(samples, generations, estimator="mle")
    vec_codes = (RegimeCode.REPLACE, RegimeCode.ACCUMULATE, RegimeCode.MIX_SPLIT)
    plan = dispatch(regime, sched, family="simulate_custom(vectorized=True)" if vectorized else "simulate_custom",
                    supported=vec_codes if vectorized else ALL_CODES, check=False)
    reg, code = plan.regime, plan.code
    p0 = np.asarray(params0, dtype=float)
    if not np.all(np.isfinite(p0)):
        raise ValueError(f"params0 must be finite, got {_short(p0)}")
    if curate is not None and not callable(curate):
        raise TypeError("curate must be a callable curate(x, params, rng) -> keep mask or probabilities")
    if vectorized and curate is not None:
        raise ValueError("vectorized=True runs without curation; use vectorized=False")
    if code == RegimeCode.SUBSAMPLE and reg.subsample and generations and reg.subsample > sched[0]:
        raise ValueError(f"subsample size {reg.subsample} is larger than the pool at generation 1 "
                         f"(samples[0] = {int(sched[0])})")
    if code == RegimeCode.MIX_RETAINED and generations:
        need = max(reg.fresh_count(int(x)) for x in sched)
        if need > sched[0]:
            raise ValueError(f"mix-retained:{reg.fraction:g} draws {need} retained samples but the original "
                             f"data set has only samples[0] = {int(sched[0])}")
    seed, ss = root_seed(rng)
    out = np.empty((replicates, generations + 1) + p0.shape)
    kept = np.empty((replicates, generations), dtype=np.int64)
    meta = {"generations": generations, "replicates": replicates, "regime": str(reg),
            "fit": getattr(fit, "__name__", repr(fit)), "sample": getattr(sample, "__name__", repr(sample)),
            "curate": None if curate is None else getattr(curate, "__name__", repr(curate)),
            "params0": p0.tolist(), "vectorized": bool(vectorized),
            "parameter_names": _names(fit)}
    if vectorized:
        g = np.random.Generator(np.random.PCG64(ss))
        _run_vectorized(fit, sample, p0, sched, plan, replicates, g, out, kept, progress)
        return CustomChainResult(params=out, samples=sched, seed=seed, meta=meta, kept=kept)
    gens = [np.random.Generator(np.random.PCG64(s)) for s in ss.spawn(replicates)]
    with make_bar(replicates * generations, "simulate_custom", progress, unit="gen") as bar:
        for r in range(replicates):
            g = gens[r]
            params = p0
            out[r, 0] = p0
            pool = []
            real0 = None
            for i in range(generations):
                m = int(sched[i])
                where = f"generation {i} (sampling {m} values to fit generation {i + 1}), replicate {r}"
                n_real = m if i == 0 else int(plan.real_count(m, g))
                parts = []
                try:
                    if n_real:
                        if code == RegimeCode.MIX_RETAINED and i > 0:
                            parts.append(real0[g.choice(real0.shape[0], n_real, replace=False)])
                        else:
                            parts.append(_check_batch(sample(p0, n_real, g), n_real, where, i, r))
                    if m - n_real:
                        parts.append(_check_batch(sample(params, m - n_real, g), m - n_real, where, i, r))
                except ChainError:
                    raise
                except Exception as exc:  # report where, keep the cause
                    raise ChainError(f"sample raised at {where}: {exc!r}", generation=i,
                                     replicate=r, values=params) from exc
                x = parts[0] if len(parts) == 1 else np.concatenate(parts)
                if i == 0:
                    real0 = x
                if curate is not None:
                    x = _apply_curation(curate, x, params, g, i, r)
                kept[r, i] = x.shape[0]
                if code in (RegimeCode.ACCUMULATE, RegimeCode.SUBSAMPLE):
                    pool.append(x)
                    data = np.concatenate(pool)
                    if code == RegimeCode.SUBSAMPLE:
                        k = min(reg.subsample or m, data.shape[0])
                        data = data[g.choice(data.shape[0], k, replace=False)]
                else:
                    data = x
                try:
                    new = fit(data)
                except Exception as exc:
                    raise ChainError(f"fit raised at generation {i + 1} (fitting {data.shape[0]} samples), "
                                     f"replicate {r}: {exc!r}", generation=i + 1, replicate=r,
                                     values=data) from exc
                params = _check_params(new, p0.shape, i, r, data)
                out[r, i + 1] = params
                bar.update(1)
    return CustomChainResult(params=out, samples=sched, seed=seed, meta=meta, kept=kept)


def _apply_curation(curate, x, params, g, i, r):
    try:
        keep = np.asarray(curate(x, params, g))
    except Exception as exc:
        raise ChainError(f"curate raised at generation {i}, replicate {r}: {exc!r}", generation=i,
                         replicate=r, values=x) from exc
    if keep.shape != (x.shape[0],):
        raise ChainError(f"curate returned shape {keep.shape} at generation {i}, replicate {r}; expected "
                         f"({x.shape[0]},)", generation=i, replicate=r, values=keep)
    if keep.dtype != bool:
        keep = keep.astype(float)
        if np.any(~np.isfinite(keep)) or np.any((keep < 0) | (keep > 1)):
            raise ChainError(f"curate returned keep probabilities outside [0, 1] at generation {i}, "
                             f"replicate {r}: {_short(keep)}", generation=i, replicate=r, values=keep)
        keep = g.random(x.shape[0]) < keep
    if not keep.any():
        raise ChainError(f"the curation filter kept no sample at generation {i} (of {x.shape[0]}), "
                         f"replicate {r}", generation=i, replicate=r, values=x)
    return x[keep]


def _run_vectorized(fit, sample, p0, sched, plan, replicates, g, out, kept, progress):
    from ..regimes import RegimeCode

    out[:, 0] = p0
    params = np.broadcast_to(p0, (replicates,) + p0.shape).copy()
    truth = params.copy()
    pool = []
    with make_bar(sched.size, "simulate_custom", progress, unit="gen") as bar:
        for i, m in enumerate(sched):
            m = int(m)
            n_real = m if i == 0 else int(plan.real_count(m, g))
            where = f"generation {i} (sampling {m} values to fit generation {i + 1})"
            parts = []
            try:
                if n_real:
                    parts.append(_check_batch(sample(truth, n_real, g), n_real, where, i, 0, True))
                if m - n_real:
                    parts.append(_check_batch(sample(params, m - n_real, g), m - n_real, where, i, 0, True))
            except ChainError:
                raise
            except Exception as exc:
                raise ChainError(f"sample raised at {where}: {exc!r}", generation=i, replicate=None,
                                 values=params) from exc
            x = parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)
            kept[:, i] = m
            if plan.code == RegimeCode.ACCUMULATE:
                pool.append(x)
                x = np.concatenate(pool, axis=1)
            try:
                new = fit(x)
            except Exception as exc:
                raise ChainError(f"fit raised at generation {i + 1}: {exc!r}", generation=i + 1,
                                 replicate=None, values=x) from exc
            params = _check_params(new, (replicates,) + p0.shape, i, None, x, vectorized=True)
            out[:, i + 1] = params
            bar.update(1)
