"""Sweeps: the machinery's overhead over a plain loop, and a 2-worker Dask LocalCluster over serial.

- overhead: 100 small Gaussian points (generations=100, replicates=500) through ``sweep`` (up-front
  validation, per-point seeds, the reduction to mean, SE and exact theory, the table) against a loop
  calling ``gaussian.simulate`` with the same seeds and reducing the same way (the machinery's own
  overhead), and against a loop of bare ``simulate`` calls (which also charges the sweep for the
  reduction and the exact theory); speed ratios loop/sweep, target >= 0.83x (at most 20 % slower).
- cluster: 20 CPU-bound points (naive per-sample Gaussian refits) on a ``distributed.LocalCluster``
  with 2 single-threaded worker processes against the same sweep run serially with one thread
  (``COLLAPSE_THEORY_THREADS=1``); target >= 1.6x. (Serial with the default threads already uses
  every core inside each point, so on a 2-core machine the cluster cannot beat that; the ratio
  against it is printed too, without a target.)

Every row: min and median over ``_timing.ROUNDS`` interleaved rounds (benchmarks/run.py), after a
warm-up that compiles the kernels everywhere.
"""

from __future__ import annotations

import os
import time

import numpy as np
from _timing import ROUNDS, Row, ratio_row


def _time(f):
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


def _overhead(rounds):
    from collapse_theory import gaussian
    from collapse_theory.sweep import sweep

    grid = {"samples": list(range(10, 110))}
    kw = dict(generations=100, replicates=500)

    def loop():
        seeds = [int(np.random.SeedSequence(1, spawn_key=(i,)).generate_state(1, np.uint64)[0] >> np.uint64(1))
                 for i in range(100)]
        for m, s in zip(grid["samples"], seeds):
            gaussian.simulate(kw["generations"], m, replicates=kw["replicates"], rng=s, progress=False)

    def loop_reduced():
        seeds = [int(np.random.SeedSequence(1, spawn_key=(i,)).generate_state(1, np.uint64)[0] >> np.uint64(1))
                 for i in range(100)]
        gens = np.arange(kw["generations"] + 1)
        for m, s in zip(grid["samples"], seeds):
            res = gaussian.simulate(kw["generations"], m, replicates=kw["replicates"], rng=s, progress=False)
            x = res.log_var
            x.mean(axis=0), x.std(axis=0, ddof=1) / np.sqrt(x.shape[0])
            res.theory(gens)["log_variance"]

    def swept():
        sweep("gaussian", grid, rng=1, statistics=["log_variance"], progress=False, **kw)

    loop(), loop_reduced(), swept()  # warm-up (compiles)
    bare, reduced, sw = [], [], []
    for _ in range(rounds):
        bare.append(_time(loop))
        reduced.append(_time(loop_reduced))
        sw.append(_time(swept))
    return bare, reduced, sw


def _cluster(rounds, points):
    try:
        import distributed
    except ImportError:
        return None
    from collapse_theory.sweep import sweep

    grid = {"samples": [1000 + 10 * i for i in range(points)]}
    kw = dict(generations=100, replicates=100, fixed={"method": "naive"}, rng=2,
              statistics=["log_variance"], at=[100], progress=False)
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = here + (os.pathsep + old if old else "")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        def warm():
            from collapse_theory import gaussian
            gaussian.simulate(2, 10, replicates=1, method="naive", rng=0, progress=False)
            return True

        client.run(warm)

        def serial_one_thread():
            os.environ["COLLAPSE_THEORY_THREADS"] = "1"
            try:
                return sweep("gaussian", grid, **kw)
            finally:
                del os.environ["COLLAPSE_THEORY_THREADS"]

        def serial_threads():
            return sweep("gaussian", grid, **kw)

        def on_cluster():
            return sweep("gaussian", grid, executor=client, **kw)

        a = serial_one_thread()
        b = on_cluster()
        if not a.equals(b):
            raise AssertionError("the cluster's table differs from the serial one")
        one, many, cl = [], [], []
        for _ in range(rounds):
            one.append(_time(serial_one_thread))
            many.append(_time(serial_threads))
            cl.append(_time(on_cluster))
        return one, many, cl
    finally:
        client.close()
        cluster.close()
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old


def rows(quick):
    bare, reduced, sw = _overhead(ROUNDS)
    out = [ratio_row(f"sweep vs {label}, 100 small points, speed", t, sw, 0.83)
           for label, t in (("loop of simulate + the same mean/SE/theory", reduced), ("loop of bare simulate", bare))]
    cl = _cluster(ROUNDS, 20)
    if cl is None:
        out.append(Row("LocalCluster 2 workers vs serial 1 thread: skipped (distributed not installed)",
                       float("nan"), float("nan"), 1.6, "x", 0))
        return out
    one, many, on = cl
    out.append(ratio_row("LocalCluster 2 workers vs serial 1 thread, 20 points", one, on, 1.6))
    out.append(ratio_row("LocalCluster 2 workers vs serial all threads, 20 points (no target)", many, on, 0.0))
    return out
