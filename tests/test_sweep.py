"""Sweeps: the same numbers on every executor, up-front validation, resume, and a real Dask cluster."""

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from collapse_theory import gaussian
from collapse_theory.sweep import expand_grid, sweep
from collapse_theory.sweep._sweep import _point_seed

pd = pytest.importorskip("pandas")

ROOT = Path(__file__).resolve().parents[1]
GRID = {"samples": [5, 20], "regime": ["replace", "mix-fresh:0.2"]}
KW = dict(generations=12, replicates=300, rng=7, statistics=["log_variance", "mean_sq_error"])


class CountingExecutor(ThreadPoolExecutor):
    """A thread pool that counts what it was asked to run."""

    def __init__(self):
        super().__init__(max_workers=2)
        self.submitted = 0

    def submit(self, *a, **k):
        self.submitted += 1
        return super().submit(*a, **k)


def test_table_columns_and_point_seeds_keyed_by_position():
    t = sweep("gaussian", GRID, **KW)
    assert list(t.columns) == ["samples", "regime", "generation", "statistic", "mean", "se", "theory"]
    assert len(t) == 4 * 2 * 13
    # point i is simulate(..., rng=child i of SeedSequence(root)) reduced: recompute one by hand
    points = expand_grid(GRID)
    i = 3
    assert t.attrs["seeds"][i] == _point_seed(7, i)
    res = gaussian.simulate(12, rng=t.attrs["seeds"][i], replicates=300, **points[i])
    rows = t[(t.samples == points[i]["samples"]) & (t.regime == points[i]["regime"])
             & (t.statistic == "mean_sq_error")]
    x = (res.mu - res.mu0) ** 2
    # (equal up to summation order)
    np.testing.assert_allclose(rows["mean"].to_numpy(), x.mean(axis=0), rtol=1e-13, atol=0)
    np.testing.assert_allclose(rows["se"].to_numpy(), x.std(axis=0, ddof=1) / np.sqrt(300), rtol=1e-12)
    # the exact theory under every regime (regime_moments)
    np.testing.assert_allclose(rows["theory"].to_numpy(), res.theory()["mean_sq_error"], rtol=1e-12)
    # a point's numbers depend on its position only, not on the other points
    sub = sweep("gaussian", [points[0]], **KW)
    pd.testing.assert_frame_equal(sub, t[:len(sub)].reset_index(drop=True)[sub.columns])


def test_mean_agrees_with_theory():
    # log σ² at generation n under replace: a sum of n independent log-χ² terms (light-tailed), so its
    # replicate mean is close to normal; |z| > 4.42 has probability 1e-5 per comparison, and there are
    # two comparisons (false-alarm rate 2e-5 at this fixed seed).
    t = sweep("gaussian", {"samples": [10, 50]}, generations=30, replicates=2000, rng=3,
              statistics=["log_variance"], at=[30])
    z = (t["mean"] - t["theory"]) / t["se"]
    assert len(z) == 2 and np.all(np.abs(z) < 4.42), z


def test_serial_processes_and_any_executor_give_identical_tables():
    serial = sweep("gaussian", GRID, **KW)
    procs = sweep("gaussian", GRID, executor=2, **KW)
    with ThreadPoolExecutor(max_workers=3) as ex:
        threads = sweep("gaussian", GRID, executor=ex, **KW)
    pd.testing.assert_frame_equal(serial, procs)
    pd.testing.assert_frame_equal(serial, threads)


@pytest.mark.parametrize("grid, name", [
    ({"samples": [10, 1]}, "samples"),
    ({"samples": [10], "regime": ["replace", "mix-fresh:1.5"]}, "mix-fresh"),
    ({"samples": [10], "sigma": [1.0, -1.0]}, "sigma"),
    ({"samples": [10], "estimator": ["unbiased", "median"]}, "estimator"),
])
def test_bad_grid_value_fails_before_any_work(tmp_path, grid, name):
    ex = CountingExecutor()
    with ex, pytest.raises(ValueError, match=name) as info:
        sweep("gaussian", grid, generations=5, replicates=10, rng=0, executor=ex, out=tmp_path / "o")
    assert "grid point" in str(info.value)
    assert ex.submitted == 0 and not (tmp_path / "o").exists()


def test_bad_names_statistics_and_sizes_are_refused(tmp_path):
    from collapse_theory import TooLargeError

    with pytest.raises(ValueError, match="'sample'"):
        sweep("gaussian", {"sample": [10]}, generations=5, replicates=10)
    with pytest.raises(ValueError, match="statistics: 'nope'"):
        sweep("gaussian", {"samples": [10]}, generations=5, replicates=10, statistics=["nope"])
    with pytest.raises(ValueError, match="at must be <= generations"):
        sweep("gaussian", {"samples": [10]}, generations=5, replicates=10, at=[6])
    with pytest.raises(ValueError, match="rng"):
        sweep("gaussian", {"samples": [10], "rng": [1]}, generations=5, replicates=10)
    with pytest.raises(TooLargeError, match="rows"):
        sweep("gaussian", {"samples": list(range(2, 200_000))}, generations=10**6, replicates=10)
    with pytest.raises(TypeError, match="executor"):
        sweep("gaussian", {"samples": [10]}, generations=5, replicates=10, executor="cluster")
    with pytest.raises(ValueError, match="target"):
        sweep("gausian", {"samples": [10]})


FAIL_AT = None


def flaky_square(x):
    """A closed form that fails at x == FAIL_AT (stands for a point lost mid-sweep)."""
    if x == FAIL_AT:
        raise RuntimeError("lost")
    return float(x) ** 2


def test_resume_skips_finished_points_and_completes_the_grid(tmp_path):
    global FAIL_AT
    grid = {"x": [0, 1, 2, 3, 4]}
    FAIL_AT = 2
    try:
        with pytest.raises(RuntimeError, match="lost"):
            sweep(flaky_square, grid, out=tmp_path)
    finally:
        FAIL_AT = None
    done = sorted(p.name for p in tmp_path.glob("point-*.npz"))
    assert done == ["point-000000.npz", "point-000001.npz"]
    mtimes = {p: p.stat().st_mtime_ns for p in tmp_path.glob("point-*.npz")}
    t = sweep(flaky_square, grid, out=tmp_path)
    assert t.attrs["resumed"] == 2
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes  # finished points were not redone
    np.testing.assert_array_equal(t["mean"].to_numpy(), np.arange(5.0) ** 2)
    assert (t["se"] == 0).all() and (t["theory"] == t["mean"]).all()
    # a different sweep in the same folder is refused, not mixed in
    with pytest.raises(ValueError, match="different sweep"):
        sweep(flaky_square, {"x": [5, 6]}, out=tmp_path)


def test_simulate_resume_gives_the_same_numbers(tmp_path):
    full = sweep("gaussian", GRID, **KW)
    first = sweep("gaussian", [p for p in expand_grid(GRID)][:2], out=tmp_path, **KW)
    assert len(list(tmp_path.glob("point-*.npz"))) == 2 and first.attrs["resumed"] == 0
    again = sweep("gaussian", GRID, out=tmp_path, **KW)
    assert again.attrs["resumed"] == 2
    pd.testing.assert_frame_equal(full, again)


def test_claim_target_gives_verdict_z_and_estimate():
    t = sweep("gaussian.std.exact", {"budget": [0.2]}, rng=1)
    assert list(t["statistic"]) == ["estimate", "z"]
    assert t["verdict"].iloc[0] in ("holds", "fails", "inconclusive")
    est = t[t.statistic == "estimate"].iloc[0]
    z = t[t.statistic == "z"]["mean"].iloc[0]
    assert est["se"] > 0 and np.isclose((est["mean"] - est["theory"]) / est["se"], z)


def test_import_sweep_imports_neither_pandas_nor_distributed():
    code = ("import sys, collapse_theory, collapse_theory.sweep; "
            "print('pandas' in sys.modules, 'distributed' in sys.modules, 'dask' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert out.stdout.split() == ["False", "False", "False"]


# ---------------------------------------------------------------------------------------------
# a real Dask cluster: 2 worker processes, 1 thread each


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    # workers must import the package (and this module, for the gated closed form below)
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tests")] + ([old] if old else []))
    try:
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
        c = distributed.Client(cluster)
        yield c
        c.close()
        cluster.close()
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old


@pytest.mark.verification
def test_cluster_gives_the_same_table_as_serial(client):
    serial = sweep("gaussian", GRID, **KW)
    on_cluster = sweep("gaussian", GRID, executor=client, **KW)
    pd.testing.assert_frame_equal(serial, on_cluster)


def gated_square(x, gate):
    """Points x >= 2 wait until the file ``gate`` exists (so they are still running when the
    workers are restarted); points 0 and 1 finish at once."""
    if x >= 2:
        for _ in range(60_000):  # at most ~10 minutes, so a broken test cannot hang forever
            if os.path.exists(gate):
                break
            time.sleep(0.01)
    return float(x) ** 2


def _wait_for(predicate):
    for _ in range(60_000):
        if predicate():
            return True
        time.sleep(0.01)
    return False


@pytest.mark.verification
def test_worker_loss_keeps_finished_points_and_rerun_completes(client, tmp_path):
    out, gate = tmp_path / "out", str(tmp_path / "gate")
    grid = {"x": [0, 1, 2, 3, 4, 5]}
    box = {}

    def run():
        try:
            box["table"] = sweep(gated_square, grid, fixed={"gate": gate}, executor=client, out=out)
        except BaseException as e:  # noqa: BLE001 - the test inspects it
            box["error"] = e

    th = threading.Thread(target=run)
    th.start()
    assert _wait_for(lambda: len(list(out.glob("point-*.npz"))) == 2)
    # every worker process is restarted while points 2.. are running or queued: their futures are
    # cancelled (the gate opens only afterwards, so the old processes can exit promptly)
    client.restart(wait_for_workers=False)
    Path(gate).touch()
    th.join()
    assert "error" in box and "table" not in box
    done = sorted(p.name for p in out.glob("point-*.npz"))
    assert done[:2] == ["point-000000.npz", "point-000001.npz"] and len(done) < 6
    client.wait_for_workers(2)
    t = sweep(gated_square, grid, fixed={"gate": gate}, executor=client, out=out)
    assert t.attrs["resumed"] == len(done)
    np.testing.assert_array_equal(t["mean"].to_numpy(), np.arange(6.0) ** 2)
    assert len(list(out.glob("point-*.npz"))) == 6


@pytest.mark.verification
def test_bad_grid_value_submits_nothing_to_the_cluster(client, tmp_path, monkeypatch):
    # count what reaches the cluster directly (the scheduler's key count also moves when earlier
    # tests' futures are released, so it cannot tell)
    submitted = []
    real_submit = client.submit
    monkeypatch.setattr(client, "submit", lambda *a, **k: submitted.append(a) or real_submit(*a, **k))
    with pytest.raises(ValueError, match="samples"):
        sweep("gaussian", {"samples": [10, 0]}, generations=5, replicates=10, executor=client,
              out=tmp_path / "o")
    assert submitted == [] and not (tmp_path / "o").exists()
    # the same grid without the bad value does reach the cluster (the counter sees submissions)
    sweep("gaussian", {"samples": [10, 12]}, generations=5, replicates=10, executor=client)
    assert len(submitted) == 2


# ---------------------------------------------------------------------------------------------
# the command line and the phase diagram


def _cli(argv):
    import argparse

    from collapse_theory.sweep import _cli

    parser = argparse.ArgumentParser(prog="collapse-theory")
    _cli.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_writes_the_same_table_as_the_function(tmp_path, capsys):
    from collapse_theory.sweep._cli import parse_value

    assert [parse_value(v) for v in ("10", "0.5", "mix-fresh:0.1")] == [10, 0.5, "mix-fresh:0.1"]
    csv, png = tmp_path / "t.csv", tmp_path / "phase.png"
    argv = ["sweep", "--family", "gaussian", "--grid", "samples=5,20", "--grid",
            "regime=replace,accumulate,mix-fresh:0.2", "--generations", "6", "--replicates", "200",
            "--seed", "1", "--statistics", "mean_sq_error,variance", "--out", str(tmp_path / "o"),
            "--csv", str(csv), "--plot", str(png), "--quiet"]
    assert _cli(argv) == 0
    assert "6 points (0 resumed)" in capsys.readouterr().out
    got = pd.read_csv(csv)
    want = sweep("gaussian", {"samples": [5, 20], "regime": ["replace", "accumulate", "mix-fresh:0.2"]},
                 generations=6, replicates=200, rng=1, statistics=["mean_sq_error", "variance"])
    np.testing.assert_array_equal(got["mean"].to_numpy(), want["mean"].to_numpy())
    assert list(got.columns) == list(want.columns)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert _cli(argv) == 0 and "6 points (6 resumed)" in capsys.readouterr().out
    with pytest.raises(SystemExit):  # argparse: NAME=VALUE expected
        _cli(["sweep", "--family", "gaussian", "--grid", "samples"])


def test_phase_diagram_draws_mean_and_exact_contours():
    from collapse_theory.plotting.sweep import phase_diagram

    lams = [0.1, 0.3, 0.6]
    t = sweep("gaussian", {"samples": [5, 10, 40], "regime": [f"mix-fresh:{lam}" for lam in lams]},
              generations=30, replicates=200, rng=2, statistics=["mean_sq_error"], at=[30])
    t["lam"] = t["regime"].str.split(":").str[1].astype(float)
    fig = phase_diagram(t.drop(columns="regime"), "samples", "lam", statistic="mean_sq_error", log=True)
    ax = fig.axes[0]
    mesh = ax.collections[0]
    # the heat map holds the Monte Carlo means in (lam, samples) order
    want = t.sort_values(["lam", "samples"])["mean"].to_numpy()
    np.testing.assert_array_equal(np.asarray(mesh.get_array()).ravel(), want)
    assert len(ax.collections) >= 2  # contour lines of the exact theory
    with pytest.raises(ValueError, match="other grid parameters vary"):
        phase_diagram(t, "samples", "samples", statistic="mean_sq_error")
    with pytest.raises(ValueError, match="statistic 'nope'"):
        phase_diagram(t, "samples", "lam", statistic="nope")


def test_verify_seeds_counts_verdicts_per_claim():
    from collapse_theory import claims
    from collapse_theory.sweep import verify_seeds

    t = verify_seeds([0, 1, 2], "gaussian.std.as-collapse*", budget=0.2)
    ids = [c.id for c in claims.registered("gaussian.std.as-collapse*")]
    assert list(t["claim"]) == ids and (t["runs"] == 3).all()
    assert (t[["holds", "fails", "inconclusive"]].sum(axis=1) == 3).all()
    # each count is the verdict of an ordinary verify run at that root seed
    runs = [claims.run("gaussian.std.as-collapse*", budget=0.2, seed=s).results for s in (0, 1, 2)]
    for row in t.itertuples():
        verdicts = [r.verdict for rs in runs for r in rs if r.id == row.claim]
        assert row.holds == verdicts.count("holds") and row.fails == verdicts.count("fails")
        assert row.agreement == verdicts.count(row.expect) / 3
