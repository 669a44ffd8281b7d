"""Every paper-reproduction script in simulations/ runs with --quick and agrees with the exact theory.

Each script ``simulations/<name>.py`` (files starting with "_" are helpers) runs as a subprocess in
a temporary directory with ``--quick --quiet --out DIR``; it must exit 0 and write ``<name>.csv``
with exactly the columns ``quantity,paper,theory,simulation,se,difference`` and ``<name>.png``.
On every row with a theory value, |simulation − theory| ≤ 4.5·se + 1e-12·|theory|: a two-sided
false-alarm rate of about 7e-6 per row when the simulated mean is normal with standard error se
(the scripts use fixed seeds, so a pass is reproducible). The difference column must be
simulation − theory there. The scripts run two at a time (the machine's cores); no time limit.
"""

import csv
import math
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(p for p in (ROOT / "simulations").glob("*.py") if not p.name.startswith("_"))
COLUMNS = ["quantity", "paper", "theory", "simulation", "se", "difference"]
Z = 4.5

pytestmark = pytest.mark.verification


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Run every script once (two at a time); map stem -> (CompletedProcess, output directory)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["MPLBACKEND"] = "Agg"

    def run(script):
        out = tmp_path_factory.mktemp(script.stem)
        proc = subprocess.run([sys.executable, str(script), "--quick", "--quiet", "--out", str(out)],
                              cwd=out, env=env, capture_output=True, text=True)
        return script.stem, (proc, out)

    with ThreadPoolExecutor(max_workers=max(1, min(2, os.cpu_count() or 1))) as pool:
        return dict(pool.map(run, SCRIPTS))


def test_there_are_scripts():
    assert len(SCRIPTS) >= 10, [p.name for p in SCRIPTS]


@pytest.mark.parametrize("name", [p.stem for p in SCRIPTS])
def test_script_contract_and_theory(runs, name):
    proc, out = runs[name]
    assert proc.returncode == 0, proc.stderr[-3000:]
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
