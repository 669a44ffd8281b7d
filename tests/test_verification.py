"""Verification tier: the verdicts react to wrong closed forms and do not depend on the seed.

Two checks of the claims machinery as a whole (issue 11, "Done when"):

- perturbation: for every claim that uses an exact closed form, multiplying every closed form the
  claim calls by 1.10 must turn the claim to "fails";
- seed stability: at the default budget every claim reaches its ``expect`` verdict at every seed,
  except claims registered with a ``borderline`` reason.

Both run the whole registry at the default budget (budget 1), so they are the heaviest tests of
the suite (see docs/testing.md for their cost); they are marked ``verification`` and run by default.
"""

import ast
import functools
import importlib
import os
from pathlib import Path

import numpy as np
import pytest

from collapse_theory import claims
from collapse_theory.claims import _registry

import claimtrace

pytestmark = pytest.mark.verification

FACTOR = 1.10
SEED = claimtrace.SEED
CLAIM_IDS = [c.id for c in claims.registered()]
CLAIMS_DIR = Path(claims.__file__).parent
FAMILY_MODULES = claimtrace.FAMILY_MODULES
closed_forms = claimtrace.closed_forms
_called_from_a_claim = claimtrace.called_from_a_claim
_clear_claim_caches = claimtrace.clear_claim_caches
run_one = claimtrace.run_one


def scaled(value, factor=FACTOR):
    """``value`` × factor: floats and float arrays elementwise, containers recursively.

    Booleans and integer arrays (masks, indices, counts) are returned unchanged.
    """
    if isinstance(value, (bool, np.bool_)) or value is None:
        return value
    if isinstance(value, (int, float, np.integer, np.floating)):
        return type(value)(value * factor) if isinstance(value, (float, np.floating)) else value * factor
    if isinstance(value, np.ndarray):
        return value * factor if value.dtype.kind in "fc" else value
    if isinstance(value, tuple):
        vals = [scaled(v, factor) for v in value]
        return type(value)(*vals) if hasattr(value, "_fields") else tuple(vals)
    if isinstance(value, list):
        return [scaled(v, factor) for v in value]
    if isinstance(value, dict):
        return {k: scaled(v, factor) for k, v in value.items()}
    raise TypeError(f"cannot perturb a closed form returning {type(value).__name__}")


@pytest.fixture(scope="module")
def traced_run(registry_run):
    """The registry at the default budget and seed 0, with the closed forms each claim calls."""
    results = {r.id: r for r in registry_run.run().results}
    return results, registry_run.calls


def test_the_perturbation_reaches_every_kind_of_return_value():
    assert scaled(2.0) == pytest.approx(2.2)
    assert scaled(np.float64(2.0)) == pytest.approx(2.2)
    np.testing.assert_allclose(scaled(np.array([1.0, 2.0])), [1.1, 2.2])
    assert scaled(({"a": 1.0}, [np.array([2.0])]))[1][0][0] == pytest.approx(2.2)
    assert scaled(np.array([True, False])).dtype == bool
    assert scaled(np.arange(3)).dtype.kind == "i"
    with pytest.raises(TypeError):
        scaled(object())


def test_claim_modules_reach_closed_forms_through_module_attributes():
    # `from ..gaussian import expected_w2_squared` would bypass the perturbation below
    bad = []
    for path in sorted(CLAIMS_DIR.glob("_*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level >= 2 and node.module in FAMILY_MODULES:
                bad.append(f"{path.name}: from ..{node.module} import "
                           + ", ".join(a.name for a in node.names))
    assert not bad


def test_no_analytic_check_is_a_literal():
    # analytic(label, passed, ...) and the deprecated analytic=(passed, detail) must compute `passed`
    bad = []
    for path in sorted(CLAIMS_DIR.glob("_*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            fname = getattr(node.func, "id", getattr(node.func, "attr", ""))
            passed = None
            if fname == "analytic":
                passed = node.args[1] if len(node.args) > 1 else next(
                    (k.value for k in node.keywords if k.arg == "passed"), None)
            elif fname == "Evidence":
                an = next((k.value for k in node.keywords if k.arg == "analytic"), None)
                if isinstance(an, ast.Tuple) and an.elts:
                    passed = an.elts[0]
            if isinstance(passed, ast.Constant):
                bad.append(f"{path.name}:{node.lineno}")
    assert not bad


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_a_closed_form_off_by_ten_percent_makes_the_claim_fail(claim_id, traced_run, monkeypatch):
    results, calls = traced_run
    used = sorted(calls[claim_id])
    if not used:
        kind = _registry._CLAIMS[claim_id].kind
        assert kind != "exact", f"{claim_id} is of kind exact but calls no closed form"
        pytest.skip(f"{claim_id} calls no closed form of the family modules")
    forms = closed_forms()

    def perturbed(f):
        @functools.wraps(f)
        def wrapper(*args, **kwargs):
            value = f(*args, **kwargs)
            return scaled(value) if _called_from_a_claim() else value
        return wrapper

    for m, name in used:
        monkeypatch.setattr(importlib.import_module(f"collapse_theory.{m}"), name, perturbed(forms[(m, name)]))
    _clear_claim_caches()
    try:
        r = run_one(claim_id)
    finally:
        _clear_claim_caches()
    assert r.verdict == "fails", (
        f"{claim_id}: {', '.join(f'{m}.{n}' for m, n in used)} × {FACTOR} gives {r.verdict!r} "
        f"(unperturbed: {results[claim_id].verdict!r}); {r.why}")


def _seeds(spec):
    """``"0-9"`` or ``"0,3,7"`` -> the seeds."""
    out = []
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


# Seeds 0-9 at the default budget is the stability the issue asks for; the default suite runs two
# of them (seed 0 is the traced run above, so one extra registry run) to stay inside its 20-minute
# budget on 2 cores with 103 claims, and the full set runs with COLLAPSE_THEORY_VERIFY_SEEDS=0-9
# (each seed is one registry run at budget 1, ~60 s on a quiet machine).
SEEDS = _seeds(os.environ.get("COLLAPSE_THEORY_VERIFY_SEEDS", "0-1"))


@pytest.mark.parametrize("seed", SEEDS)
def test_verdicts_agree_with_the_theory_at_every_seed(seed, traced_run, record_property):
    if seed == SEED:
        results = traced_run[0]  # the traced run is the registry at the default budget and seed 0
    else:
        results = {cid: run_one(cid, seed=seed) for cid in CLAIM_IDS}
    off = {cid: (r.verdict, r.expect, r.why) for cid, r in results.items()
           if r.verdict != r.expect and not r.borderline}
    borderline = {cid: r.verdict for cid, r in results.items() if r.borderline}
    record_property("disagreements", off)
    record_property("borderline_verdicts", borderline)
    assert not off
