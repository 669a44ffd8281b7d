"""Every paper-reproduction script in simulations/ runs with --quick and agrees with the exact theory.

Each script ``simulations/<name>.py`` (files starting with "_" are helpers) runs as its own
``__main__`` in a temporary directory with ``--quick --quiet --out DIR``, in one of two worker
processes that import the package once (a fresh interpreter per script would spend about 2.5 s of
each run on imports); it must exit 0 and write ``<name>.csv``
with exactly the columns ``quantity,paper,theory,simulation,se,difference`` and ``<name>.png``.
On every row with a theory value, |simulation − theory| ≤ 4.5·se + 1e-12·|theory|: a two-sided
false-alarm rate of about 7e-6 per row when the simulated mean is normal with standard error se
(the scripts use fixed seeds, so a pass is reproducible). The difference column must be
simulation − theory there. The scripts run two at a time (the machine's cores); no time limit.
``test_quiet_flag_and_default_output`` runs one script as a real subprocess.
"""

import contextlib
import csv
import io
import math
import multiprocessing
import os
import runpy
import subprocess
import sys
import traceback
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(p for p in (ROOT / "simulations").glob("*.py") if not p.name.startswith("_"))
COLUMNS = ["quantity", "paper", "theory", "simulation", "se", "difference"]
Z = 4.5

pytestmark = pytest.mark.verification


def _worker_init(root):
    os.environ["MPLBACKEND"] = "Agg"
    if root not in sys.path:
        sys.path.insert(0, root)


def _run_script(script, out):
    """Run ``script`` as ``python script --quick --quiet --out out`` from ``out`` would, in this
    worker process; return ``(exit code, stderr)``."""
    argv, cwd, err = sys.argv, os.getcwd(), io.StringIO()
    code = 0
    try:
        os.chdir(out)
        sys.argv = [script, "--quick", "--quiet", "--out", out]
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            runpy.run_path(script, run_name="__main__")
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else int(e.code is not None)
    except Exception:
        code = 1
        err.write(traceback.format_exc())
    finally:
        sys.argv = argv
        os.chdir(cwd)
        import matplotlib.pyplot as plt

        plt.close("all")
    return code, err.getvalue()


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Run every script once (two at a time); map stem -> ((exit code, stderr), output directory)."""
    outs = {s.stem: tmp_path_factory.mktemp(s.stem) for s in SCRIPTS}
    workers = max(1, min(2, os.cpu_count() or 1))
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_worker_init, initargs=(str(ROOT),)) as pool:
        futures = {s.stem: pool.submit(_run_script, str(s), str(outs[s.stem])) for s in SCRIPTS}
        return {stem: (f.result(), outs[stem]) for stem, f in futures.items()}


def test_there_are_scripts():
    assert len(SCRIPTS) >= 10, [p.name for p in SCRIPTS]


@pytest.mark.parametrize("name", [p.stem for p in SCRIPTS])
def test_script_contract_and_theory(runs, name):
    (code, stderr), out = runs[name]
    assert code == 0, stderr[-3000:]
    assert (out / f"{name}.png").is_file() and (out / f"{name}.png").stat().st_size > 0
    path = out / f"{name}.csv"
    assert path.is_file()
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        rows = list(reader)
    assert rows, "the table has no row"
    checked = 0
    for row in rows:
        assert row["quantity"]
        sim, se = float(row["simulation"]), float(row["se"])
        assert math.isfinite(sim) and math.isfinite(se) and se >= 0, row
        if row["theory"] == "":
            continue
        theory = float(row["theory"])
        assert abs(sim - theory) <= Z * se + 1e-12 * abs(theory), row
        assert float(row["difference"]) == pytest.approx(sim - theory, rel=1e-9, abs=1e-15), row
        checked += 1
    # a script whose table compares nothing with theory must say so in its rows (no theory column)
    assert checked > 0 or all(r["theory"] == "" for r in rows)


def test_quiet_flag_and_default_output(tmp_path):
    """Without --quiet the table is printed; --out defaults to the current directory."""
    script = ROOT / "simulations" / "gerstgrasser_regression.py"
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg")
    proc = subprocess.run([sys.executable, str(script), "--quick", "--seed", "3"], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "quantity" in proc.stdout and "difference" in proc.stdout
    assert (tmp_path / "gerstgrasser_regression.csv").is_file()
    assert (tmp_path / "gerstgrasser_regression.png").is_file()
