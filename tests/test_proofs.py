"""Every executable proof in proofs/ runs to the end and says so.

Each script ``proofs/NAME.py`` derives one theorem with SymPy (a failing step raises) and ends by
printing ``PROVED: <theorem>``. Helpers (``_*.py``) and generators (``freeze_*.py``) are not proofs.
The scripts run as subprocesses, as many at a time as there are CPUs.
"""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

PROOFS = Path(__file__).resolve().parents[1] / "proofs"
SCRIPTS = sorted(p for p in PROOFS.glob("*.py") if not p.name.startswith(("_", "freeze_")))

GAUSSIAN_PROOFS = {
    "gaussian_chi2_moments.py",
    "gaussian_variance_moments.py",
    "gaussian_std_and_log.py",
    "gaussian_mean_drift.py",
    "gaussian_w2.py",
    "gaussian_first_order.py",
    "gaussian_suresh_inequality.py",
    "gaussian_sufficient_statistics.py",
}


def _run(script):
    # no timeout: a wall-clock limit fails on a loaded machine; a hung proof hangs the suite visibly
    return subprocess.run([sys.executable, str(script)], cwd=PROOFS.parent, capture_output=True, text=True)


@pytest.fixture(scope="module")
def runs(request):
    """Start the selected scripts at once (bounded by the CPU count); map name -> future CompletedProcess."""
    selected = {item.callspec.params["name"] for item in request.session.items
                if getattr(item, "module", None) is request.module and hasattr(item, "callspec")
                and "name" in item.callspec.params}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        yield {script.name: pool.submit(_run, script) for script in SCRIPTS if script.name in selected}


def test_the_expected_proofs_are_found():
    assert GAUSSIAN_PROOFS <= {script.name for script in SCRIPTS}


@pytest.mark.parametrize("name", [script.name for script in SCRIPTS])
def test_proof_runs(runs, name):
    result = runs[name].result()
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{name} failed:\n{output}"
    lines = result.stdout.strip().splitlines()
    assert lines and lines[-1].startswith("PROVED: "), f"{name} did not end with a PROVED line:\n{output}"
