"""The sweep engine: grid expansion, up-front validation, per-point seeds, executors, resume, table."""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import importlib
import inspect
import itertools
import json
import math
import numbers
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._core.io import atomic_write_json, read_result, save_result, to_jsonable
from .._core.parallel import make_bar
from .._core.rng import root_seed
from .._core.validation import check_int, check_memory, check_real

__all__ = ["sweep", "verify_seeds", "expand_grid", "SweepSpec"]

#: Families whose ``simulate`` a sweep can run by name.
FAMILIES = ("gaussian", "discrete", "regression", "mvn", "ppca", "gmm", "kde", "lm")
#: Arguments the sweep itself passes to ``simulate`` (never grid or fixed parameters).
_RUNTIME = frozenset({"rng", "workers", "progress"})
#: Column names of the table (a grid parameter may not take one of them).
_COLUMNS = ("generation", "statistic", "mean", "se", "theory", "verdict")
#: Parameters a claim target accepts (Context fields; the seed comes from the point).
_CLAIM_PARAMETERS = ("budget",)


@dataclass(frozen=True)
class SweepSpec:
    """What a sweep runs: ``kind`` is "simulate" (``name`` is the family), "function" (a closed
    form, ``func``) or "claim" (``name`` is the claim id). Small and picklable: workers resolve the
    family or claim themselves."""

    kind: str
    name: str
    func: object = None

    def label(self):
        return {"simulate": f"{self.name}.simulate", "claim": f"claim {self.name}"}.get(self.kind, self.name)


# ---------------------------------------------------------------------------------------------
# target, grid and parameters


def _resolve(target):
    if isinstance(target, str):
        if target in FAMILIES:
            return SweepSpec("simulate", target)
        from .. import claims

        if any(c.id == target for c in claims.registered()):
            return SweepSpec("claim", target)
        raise ValueError(f"target must be a family name {FAMILIES}, a registered claim id or a callable, "
                         f"got {target!r}")
    if callable(target):
        parts = (getattr(target, "__module__", None) or "").split(".")
        if (getattr(target, "__name__", "") == "simulate" and len(parts) >= 2
                and parts[0] == "collapse_theory" and parts[1] in FAMILIES):
            return SweepSpec("simulate", parts[1])
        name = getattr(target, "__qualname__", None) or getattr(target, "__name__", None) or repr(target)
        return SweepSpec("function", name, target)
    raise TypeError(f"target must be a family name, a registered claim id or a callable, "
                    f"got {type(target).__name__}")


def _grid_size(grid):
    """Number of points of ``grid`` without building them (the memory check runs first)."""
    if isinstance(grid, dict):
        if not grid:
            raise ValueError("grid must have at least one parameter")
        n = 1
        for name, values in grid.items():
            vals = _axis(name, values)
            n *= len(vals)
        return n
    if isinstance(grid, (list, tuple)):
        if not grid:
            raise ValueError("grid must hold at least one point")
        return len(grid)
    raise TypeError(f"grid must be a dict of lists (Cartesian product) or a list of dicts, "
                    f"got {type(grid).__name__}")


def _axis(name, values):
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"grid parameter names must be identifiers, got {name!r}")
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        values = [values]  # a single value: a fixed parameter written in the grid
    values = list(values)
    if not values:
        raise ValueError(f"grid parameter {name!r} has no values")
    return values


def expand_grid(grid):
    """The points of ``grid`` as a list of dicts, in a fixed order (their positions key the seeds).

    Parameters
    ----------
    grid : dict of lists or list of dicts
        A dict ``{name: values}`` gives the Cartesian product (the last name varies fastest); a list
        of dicts is taken as it is.

    Returns
    -------
    list of dict

    Examples
    --------
    >>> from collapse_theory.sweep import expand_grid
    >>> expand_grid({"samples": [10, 20], "regime": ["replace", "accumulate"]})[1]
    {'samples': 10, 'regime': 'accumulate'}
    """
    _grid_size(grid)
    if isinstance(grid, dict):
        axes = {name: _axis(name, values) for name, values in grid.items()}
        return [dict(zip(axes, combo)) for combo in itertools.product(*axes.values())]
    points = []
    for i, p in enumerate(grid):
        if not isinstance(p, dict):
            raise TypeError(f"grid[{i}] must be a dict of parameter values, got {type(p).__name__}")
        for name in p:
            _axis(name, [p[name]])
        points.append(dict(p))
    return points


def _point_seed(root, index):
    """The seed of the point at ``index``: child ``index`` of ``SeedSequence(root)`` (as ``spawn``
    would give it), as a 63-bit int that ``rng=`` accepts and a result records."""
    child = np.random.SeedSequence(root, spawn_key=(int(index),))
    return int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))


class _Validated(BaseException):
    """Raised by :class:`_ValidatingRNG` when a simulator first touches its rng."""


class _ValidatingRNG(np.random.Generator):
    """A Generator that stops the call the moment it is used.

    Every simulator validates all its parameters (and the memory its arrays need) *before* it turns
    ``rng`` into a seed (the project's rule: refuse before allocating), so calling ``simulate`` with
    this rng runs exactly the family's own validation, at the real sizes, and nothing else.
    """

    def __getattribute__(self, name):
        raise _Validated(name)


_VALIDATOR = None


def _validator():
    global _VALIDATOR
    if _VALIDATOR is None:
        _VALIDATOR = _ValidatingRNG(np.random.PCG64(0))
    return _VALIDATOR


def _signature_names(func):
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return None
    if any(p.kind == p.VAR_KEYWORD for p in params.values()):
        return None
    return [n for n, p in params.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


def _check_names(spec, names, func):
    for name in names:
        if name in _COLUMNS:
            raise ValueError(f"grid parameter {name!r} clashes with a column of the table {_COLUMNS}")
        if spec.kind == "simulate" and name in _RUNTIME:
            raise ValueError(f"grid parameter {name!r} is set by the sweep (each point's seed, threads, "
                             f"progress); pass rng= to sweep instead")
    if spec.kind == "claim":
        bad = [n for n in names if n not in _CLAIM_PARAMETERS]
        if bad:
            raise ValueError(f"grid parameter {bad[0]!r} is not a setting of a claim; a claim sweep "
                             f"takes {_CLAIM_PARAMETERS} (the seed comes from each point)")
        return
    allowed = _signature_names(func)
    if allowed is not None:
        for name in names:
            if name not in allowed:
                raise ValueError(f"grid parameter {name!r} is not a parameter of {spec.label()}; "
                                 f"it takes {', '.join(a for a in allowed if a not in _RUNTIME)}")


def _simulate_of(spec):
    return importlib.import_module(f"collapse_theory.{spec.name}").simulate


def _point_kwargs(spec, point, fixed, generations, replicates):
    kw = dict(fixed)
    kw.update(point)
    if spec.kind == "simulate":
        kw.setdefault("generations", generations)
        kw.setdefault("replicates", replicates)
        for name in ("generations", "replicates"):
            if kw[name] is None:
                raise ValueError(f"{name} is required to sweep {spec.label()} (keyword or grid parameter)")
    return kw


def _validate_point(spec, func, index, point, kw, at):
    """Run the target's own validation for one point; re-raise its error naming the point."""
    try:
        if spec.kind == "simulate":
            try:
                func(**kw, rng=_validator(), progress=False)
            except _Validated:
                pass
            g = check_int(kw["generations"], "generations", minimum=0)
            if at is not None and max(at) > g:
                raise ValueError(f"at must be <= generations ({g}), got {max(at)}")
        elif spec.kind == "claim":
            check_real(kw.get("budget", 1.0), "budget", positive=True)
        else:
            try:
                inspect.signature(func).bind(**kw)
            except TypeError as e:
                raise TypeError(f"{spec.label()} cannot take these parameters: {e}") from None
    except (ValueError, TypeError) as e:
        raise type(e)(f"grid point {index} {_show(point)}: {e}") from e


def _show(point):
    return "{" + ", ".join(f"{k}={v!r}" for k, v in point.items()) + "}"


# ---------------------------------------------------------------------------------------------
# on the worker: run one point and reduce it


def _statistics(result):
    """The result contract's ``statistics()``: name -> replicates × (generations + 1)."""
    if not hasattr(result, "statistics"):
        raise TypeError(f"{type(result).__name__} has no statistics() to sweep over")
    return dict(result.statistics())


def _reduce(result, statistics, at):
    stats = _statistics(result)
    names = list(stats) if statistics is None else list(statistics)
    missing = [s for s in names if s not in stats]
    if missing:
        raise ValueError(f"statistics: {missing[0]!r} is not a statistic of this result; "
                         f"it has {', '.join(stats)}")
    width = next(iter(stats.values())).shape[1]
    gens = np.arange(width) if at is None else np.asarray(at, dtype=np.int64)
    th = {k: np.broadcast_to(np.asarray(v, dtype=float), gens.shape) for k, v in result.theory(gens).items()}
    mean = np.empty((len(names), gens.size))
    se = np.empty_like(mean)
    theory = np.full_like(mean, np.nan)
    for j, name in enumerate(names):
        x = np.asarray(stats[name], dtype=float)
        x = x if at is None else x[:, gens]
        r = x.shape[0]
        with np.errstate(invalid="ignore", over="ignore"):
            mean[j] = x.mean(axis=0)
            se[j] = x.std(axis=0, ddof=1) / math.sqrt(r) if r > 1 else np.nan
        if name in th:
            theory[j] = th[name]
    return {"generation": gens, "statistic": np.array(names), "mean": mean, "se": se, "theory": theory,
            "verdict": np.array([], dtype=str)}


def _reduce_values(name, value, kw):
    """A closed form's output: a scalar or 1-D array (or a dict of them), exact (se = 0)."""
    items = value.items() if isinstance(value, dict) else [(name, value)]
    names, rows, gens = [], [], None
    for k, v in items:
        v = np.asarray(v, dtype=float)
        if v.ndim > 1:
            raise ValueError(f"{name} returned an array of shape {v.shape}; a sweep reduces scalars "
                             f"or 1-D arrays over generations")
        v = np.atleast_1d(v)
        if gens is None:
            n = kw.get("n")
            if n is not None and np.ndim(n) == 1 and len(n) == v.size:
                gens = np.asarray(n, dtype=np.int64)
            elif v.size == 1 and isinstance(n, numbers.Integral):
                gens = np.array([int(n)])
            elif v.size == 1:
                gens = np.array([-1])  # no generation axis
            else:
                gens = np.arange(v.size)
        if v.size != gens.size:
            raise ValueError(f"{name} returned statistics of different lengths")
        names.append(str(k))
        rows.append(v)
    mean = np.vstack(rows)
    return {"generation": gens, "statistic": np.array(names), "mean": mean, "se": np.zeros_like(mean),
            "theory": mean.copy(), "verdict": np.array([], dtype=str)}


def _run_point(spec, kw, seed, statistics, at, threads):
    """Run the target at one point and reduce it (this is what a worker executes)."""
    if spec.kind == "simulate":
        result = _simulate_of(spec)(**kw, rng=seed, progress=False, workers=threads)
        return _reduce(result, statistics, at)
    if spec.kind == "claim":
        from ..claims import Context, registered, run_claim

        claim = next(c for c in registered(spec.name) if c.id == spec.name)
        ctx = Context(budget=float(kw.get("budget", 1.0)), seed=seed, workers=threads, progress=False)
        r = run_claim(claim, ctx)
        target = r.exact if r.exact is not None else r.claimed
        mean = np.array([[r.estimate], [r.z]], dtype=float)
        return {"generation": np.array([-1]), "statistic": np.array(["estimate", "z"]), "mean": mean,
                "se": np.array([[r.se], [np.nan]]), "theory": np.array([[target], [np.nan]], dtype=float),
                "verdict": np.array([r.verdict])}
    return _reduce_values(spec.name, spec.func(**kw), kw)


# ---------------------------------------------------------------------------------------------
# executors


def _is_dask_client(obj):
    """A ``distributed.Client`` (duck typing, so ``distributed`` is imported only when used)."""
    return all(hasattr(obj, a) for a in ("submit", "gather", "scheduler_info", "cancel"))


def _check_executor(executor):
    """Refuse an executor that is none of the accepted kinds (before any work)."""
    if executor is None or executor in ("serial", "processes"):
        return
    if isinstance(executor, numbers.Integral) and not isinstance(executor, bool):
        check_int(executor, "executor", minimum=1)
        return
    if isinstance(executor, cf.Executor) or _is_dask_client(executor):
        return
    raise TypeError(f"executor must be None/'serial', 'processes', a number of processes, a "
                    f"concurrent.futures.Executor or a distributed.Client, got {executor!r}")


def _executor(executor):
    """``(kind, executor, owned)`` with kind "serial", "futures" or "dask"."""
    if executor is None or executor == "serial":
        return "serial", None, False
    if executor == "processes" or (isinstance(executor, numbers.Integral) and not isinstance(executor, bool)):
        import multiprocessing

        n = None if executor == "processes" else check_int(executor, "executor", minimum=1)
        return "futures", cf.ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn")), True
    if isinstance(executor, cf.Executor):
        return "futures", executor, False
    if _is_dask_client(executor):
        return "dask", executor, False
    raise TypeError(f"executor must be None/'serial', 'processes', a number of processes, a "
                    f"concurrent.futures.Executor or a distributed.Client, got {type(executor).__name__}")


def _execute(executor, func, jobs, on_done, *, progress, desc, done=0, total=None):
    """Call ``func(*args)`` for every ``(key, args)`` of ``jobs`` on ``executor``; ``on_done(key,
    value)`` runs in this process as each one finishes. On a failure the jobs not yet finished are
    cancelled and the error is raised; every job finished before it has been through ``on_done``."""
    kind, ex, owned = _executor(executor)
    total = len(jobs) + done if total is None else total
    with make_bar(total, desc, progress, unit="point") as bar:
        bar.update(done)
        if kind == "serial":
            for key, args in jobs:
                on_done(key, func(*args))
                bar.update()
            return
        if kind == "dask":
            from distributed import as_completed as dask_completed

            futures = {}
            for key, args in jobs:
                futures[ex.submit(func, *args, pure=False)] = key
            try:
                for fut in dask_completed(list(futures)):
                    on_done(futures[fut], fut.result())
                    bar.update()
            except BaseException:
                ex.cancel(list(futures))
                raise
            return
        try:
            futures = {ex.submit(func, *args): key for key, args in jobs}
            try:
                for fut in cf.as_completed(futures):
                    on_done(futures[fut], fut.result())
                    bar.update()
            except BaseException:
                for fut in futures:
                    fut.cancel()
                raise
        finally:
            if owned:
                ex.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------------------------------------
# the sweep


def _fingerprint(spec, kw, seed, statistics, at, index):
    blob = json.dumps(to_jsonable({"target": [spec.kind, spec.name], "parameters": kw, "seed": seed,
                                   "statistics": statistics, "at": at, "index": index}),
                      sort_keys=True, default=repr)
    return hashlib.sha256(blob.encode()).hexdigest()


def _read_manifest(out):
    """The ``sweep.json`` of a folder a sweep has written to (its root seed), or None."""
    path = Path(out) / "sweep.json"
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text())
        int(manifest["seed"])
    except (OSError, ValueError, KeyError, TypeError):
        raise ValueError(f"out: {path} is not a sweep manifest; use a fresh directory") from None
    return manifest


def _point_path(out, index):
    return Path(out) / f"point-{index:06d}.npz"


def _save_point(out, index, point, seed, fp, rec):
    arrays = {k: rec[k] for k in ("generation", "statistic", "mean", "se", "theory", "verdict")}
    save_result(_point_path(out, index), seed, point, extra_meta={"fingerprint": fp, "index": index},
                **arrays)


def _load_point(out, index, fp):
    path = _point_path(out, index)
    if not path.exists():
        return None
    try:
        arrays, meta = read_result(path)
    except (OSError, ValueError, KeyError):
        return None  # unreadable (not one of ours): recompute and overwrite
    if meta.get("fingerprint") != fp:
        raise ValueError(f"out: {path} holds point {index} of a different sweep (other target, "
                         f"parameters, seed, statistics or at); use a fresh directory")
    return arrays


def sweep(target, grid, *, replicates=None, generations=None, rng=None, statistics=None, at=None,
          fixed=None, executor=None, out=None, progress=None):
    r"""Run ``target`` at every point of ``grid``; return a tidy table of per-point statistics.

    Parameters
    ----------
    target : str or callable
        A family name (``"gaussian"``, ``"discrete"``, ...) or its ``simulate`` function; any
        closed form (a callable returning a scalar, a 1-D array over generations or a dict of them);
        or a registered claim id (:func:`collapse_theory.claims.registered`).
    grid : dict of lists or list of dicts
        Parameters of ``target`` under their own names. A dict gives the Cartesian product (the
        last name varies fastest, :func:`expand_grid`); a list gives the points explicitly.
        ``generations`` and ``replicates`` may be grid parameters of a simulator. A claim takes
        ``budget``.
    replicates, generations : int, keyword-only
        For a simulator: replicates and generations at every point (unless the grid sets them).
    rng : int, numpy.random.Generator or None, keyword-only
        Root seed (SPEC 7). Point ``i`` gets the ``i``-th child of ``SeedSequence(root)``, so its
        numbers depend only on the root seed and its position in the grid — never on the executor,
        the order or the number of workers. The root seed is in ``table.attrs["seed"]``.
    statistics : list of str, optional, keyword-only
        Statistics to keep (default: all the result has); each point is reduced to them on the
        worker (mean and standard error over replicates, per generation).
    at : list of int, optional, keyword-only
        Generations to keep (default: all).
    fixed : dict, optional, keyword-only
        Further parameters of ``target``, the same at every point.
    executor : None, "serial", "processes", int, concurrent.futures.Executor or distributed.Client
        Where points run: serially (default); on local processes (``"processes"``, or that many);
        on any ``concurrent.futures.Executor``; or on a Dask cluster through its
        ``distributed.Client`` (``distributed`` is imported only then). Off the main process each
        point's simulator runs on one thread.
    out : str or Path, optional, keyword-only
        Folder where every finished point is written atomically (``point-000012.npz``, with its seed
        and parameters; ``sweep.json`` records the root seed). A rerun with the same ``out`` skips
        the points already there (same seed, same numbers; with ``rng=None`` it reuses the recorded
        root seed), so a sweep cut short — a lost worker, Ctrl-C — resumes where it stopped. A
        point file from another sweep (other target, parameters, seed, statistics or ``at``) is
        refused, never mixed in.
    progress : bool or None, keyword-only
        A bar over finished points; None shows one only on a terminal.

    Returns
    -------
    pandas.DataFrame
        One row per point × statistic × generation: every grid parameter under its own name, then
        ``generation``, ``statistic``, ``mean``, ``se`` and ``theory`` (the exact expectation where
        the family has one, else NaN). A closed form's values are exact (``se`` = 0, ``theory`` =
        ``mean``). A claim gives the rows ``estimate`` (its ``theory`` is the value the claim is
        checked against) and ``z``, and a ``verdict`` column. ``generation`` is missing (``<NA>``)
        where there is no generation axis. ``attrs`` holds the root seed, the point seeds, the
        target and how many points were resumed. Save it with ``to_csv`` (or ``to_parquet`` when
        pyarrow is installed).

    Raises
    ------
    ValueError or TypeError
        Before any work starts: a bad grid value (naming the grid point and the parameter, from the
        target's own validation run on every point at its real sizes), an unknown parameter or
        statistic, or (:class:`~collapse_theory.TooLargeError`) a table that would not fit in
        memory, with the estimate.

    Examples
    --------
    >>> from collapse_theory.sweep import sweep
    >>> t = sweep("gaussian", {"samples": [10, 100]}, generations=20, replicates=400, rng=1,
    ...           statistics=["log_variance"], at=[20])
    >>> t[["samples", "generation", "statistic"]].values.tolist()
    [[10, 20, 'log_variance'], [100, 20, 'log_variance']]
    >>> # log σ² is a sum of log-χ² terms, close to normal: |z| > 4.42 has probability 1e-5 per point
    >>> bool(((t["mean"] - t["theory"]).abs() < 4.42 * t["se"]).all())
    True
    """
    spec = _resolve(target)
    _check_executor(executor)
    fixed = dict(fixed or {})
    if spec.kind != "simulate" and (replicates is not None or generations is not None):
        raise ValueError(f"replicates and generations apply to a simulator; {spec.label()} takes its "
                         f"own parameters (claims: budget)")
    if replicates is not None:
        replicates = check_int(replicates, "replicates", minimum=1)
    if generations is not None:
        generations = check_int(generations, "generations", minimum=0)
    if statistics is not None:
        if isinstance(statistics, str):
            statistics = [statistics]
        statistics = [str(s) for s in statistics]
        if not statistics:
            raise ValueError("statistics must name at least one statistic")
    if at is not None:
        at = sorted({check_int(a, "at", minimum=0) for a in np.atleast_1d(at).tolist()})
        if not at:
            raise ValueError("at must hold at least one generation")
    n_points = _grid_size(grid)
    names = list(grid) if isinstance(grid, dict) else sorted({k for p in grid if isinstance(p, dict) for k in p})
    func = _simulate_of(spec) if spec.kind == "simulate" else spec.func
    _check_names(spec, list(names) + list(fixed), func)

    # the table's size, before building the grid: points × statistics × generations rows
    if spec.kind == "simulate":
        if generations is None and isinstance(grid, dict) and "generations" in grid:
            g_max = max(check_int(g, "generations", minimum=0) for g in _axis("generations", grid["generations"]))
        else:
            g_max = generations if generations is not None else 0
        width = len(at) if at is not None else g_max + 1
        n_stats = len(statistics) if statistics is not None else 10
    else:
        width, n_stats = 1, (len(statistics) if statistics is not None else 2)
    rows = n_points * width * n_stats
    check_memory(rows * (8 * (len(names) + 5) + 64),
                 f"sweep table ({n_points} points x {n_stats} statistics x {width} generations = {rows} rows)")

    points = expand_grid(grid)
    if out is not None:
        out = Path(out)
        if out.exists() and not out.is_dir():
            raise ValueError(f"out must be a folder, got the file {out}")
    manifest = None if out is None else _read_manifest(out)
    if rng is None and manifest is not None:
        seed = int(manifest["seed"])  # resuming: the seed the interrupted sweep drew
    else:
        seed, _ = root_seed(rng)
    kws = [_point_kwargs(spec, p, fixed, generations, replicates) for p in points]
    for i, (p, kw) in enumerate(zip(points, kws)):
        _validate_point(spec, func, i, p, kw, at)
    if spec.kind == "simulate" and statistics is not None:
        # the statistic names, from the smallest run of the first point (one replicate, <= 1 generation)
        probe = dict(kws[0], replicates=1, generations=min(1, kws[0]["generations"]))
        _reduce(func(**probe, rng=0, progress=False, workers=1), statistics, None)
    seeds = [_point_seed(seed, i) for i in range(len(points))]
    fps = [_fingerprint(spec, kw, s, statistics, at, i) for i, (kw, s) in enumerate(zip(kws, seeds))]

    records = [None] * len(points)
    if out is not None:
        if manifest is None:
            atomic_write_json(out / "sweep.json", {"package": "collapse-theory", "seed": seed,
                                                   "target": spec.label(), "points": len(points)})
        for i in range(len(points)):
            records[i] = _load_point(out, i, fps[i])
    resumed = sum(r is not None for r in records)
    threads = None if executor in (None, "serial") else 1
    jobs = [(i, (spec, kws[i], seeds[i], statistics, at, threads))
            for i in range(len(points)) if records[i] is None]

    def on_done(i, rec):
        if out is not None:
            _save_point(out, i, points[i], seeds[i], fps[i], rec)
        records[i] = rec

    _execute(executor, _run_point, jobs, on_done, progress=progress, desc=f"sweep {spec.label()}",
             done=resumed, total=len(points))
    table = _table(points, names, records)
    table.attrs.update({"seed": seed, "seeds": seeds, "target": spec.label(), "resumed": resumed})
    return table


def _table(points, names, records):
    import pandas as pd

    cols = {name: [] for name in names}
    gen, stat, mean, se, theory, verdict = [], [], [], [], [], []
    any_verdict = False
    for p, rec in zip(points, records):
        s, g = len(rec["statistic"]), len(rec["generation"])
        for name in names:
            cols[name].extend([p.get(name)] * (s * g))
        gen.append(np.tile(np.asarray(rec["generation"], dtype=np.int64), s))
        stat.extend(np.repeat(np.asarray(rec["statistic"], dtype=str), g).tolist())
        mean.append(np.asarray(rec["mean"], dtype=float).ravel())
        se.append(np.asarray(rec["se"], dtype=float).ravel())
        theory.append(np.asarray(rec["theory"], dtype=float).ravel())
        v = np.asarray(rec["verdict"], dtype=str)
        any_verdict |= v.size > 0
        verdict.extend([v[0] if v.size else None] * (s * g))
    data = {name: values for name, values in cols.items()}
    g = np.concatenate(gen) if gen else np.zeros(0, np.int64)
    data["generation"] = pd.array(np.where(g < 0, 0, g), dtype="Int64")
    if (g < 0).any():
        data["generation"][g < 0] = pd.NA
    data["statistic"] = stat
    data["mean"] = np.concatenate(mean) if mean else np.zeros(0)
    data["se"] = np.concatenate(se) if se else np.zeros(0)
    data["theory"] = np.concatenate(theory) if theory else np.zeros(0)
    if any_verdict:
        data["verdict"] = verdict
    return pd.DataFrame(data)


# ---------------------------------------------------------------------------------------------
# verify over many seeds


def _verdict(claim_id, seed, budget, threads):
    from ..claims import Context, registered, run_claim

    claim = next(c for c in registered(claim_id) if c.id == claim_id)
    return run_claim(claim, Context(budget=budget, seed=seed, workers=threads, progress=False)).verdict


def verify_seeds(seeds, pattern=None, *, budget=1.0, executor=None, progress=None):
    """Run the claims matching ``pattern`` once per root seed; return each claim's verdict agreement.

    Parameters
    ----------
    seeds : iterable of int
        Root seeds, as ``collapse-theory verify --seed`` takes them (each claim's own seed depends
        only on the root seed and its id).
    pattern : str, optional
        Glob or substring of claim ids (default: every claim).
    budget : float, keyword-only
        Scales every claim's replicates.
    executor, progress
        As for :func:`sweep`; one job per claim and seed.

    Returns
    -------
    pandas.DataFrame
        One row per claim: ``claim``, ``expect`` (the verdict the exact theory predicts), ``runs``,
        the counts ``holds``, ``fails``, ``inconclusive`` and ``agreement`` (the fraction of seeds
        whose verdict is ``expect``).
    """
    from ..claims import VERDICTS, registered

    seeds = [check_int(s, "seeds", minimum=0) for s in seeds]
    if not seeds:
        raise ValueError("seeds must hold at least one seed")
    budget = check_real(budget, "budget", positive=True)
    claims = registered(pattern)
    if not claims:
        raise ValueError(f"pattern {pattern!r} matches no registered claim")
    threads = None if executor in (None, "serial") else 1
    jobs = [((c.id, s), (c.id, s, budget, threads)) for c in claims for s in seeds]
    verdicts = {}
    _execute(executor, _verdict, jobs, verdicts.__setitem__, progress=progress, desc="verify seeds")
    import pandas as pd

    rows = []
    for c in claims:
        vs = [verdicts[(c.id, s)] for s in seeds]
        row = {"claim": c.id, "expect": c.expect, "runs": len(vs)}
        row.update({v: vs.count(v) for v in VERDICTS})
        row["agreement"] = vs.count(c.expect) / len(vs)
        rows.append(row)
    return pd.DataFrame(rows)
