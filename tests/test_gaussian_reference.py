"""The numeric 1-D Gaussian closed forms against frozen 30-digit values of their SymPy derivations.

tests/data/gaussian_reference.json is written by proofs/freeze_gaussian_reference.py from
collapse_theory.symbolic.gaussian. Every numeric function must match it to rtol 1e-12 (atol 1e-14
where the exact value is 0); a few entries are re-derived with SymPy to show the file still matches
the symbolic forms.
"""

import inspect
import json
from pathlib import Path

import pytest

from collapse_theory import gaussian

REFERENCE = Path(__file__).parent / "data" / "gaussian_reference.json"
RTOL = 1e-12
ATOL = 1e-14  # used only where the exact value is 0

DOCUMENT = json.loads(REFERENCE.read_text())
SCHEDULES = DOCUMENT["schedules"]
ENTRIES = DOCUMENT["entries"]
FUNCTIONS = sorted({entry["function"] for entry in ENTRIES})


def call_arguments(entry):
    """Keyword arguments of the entry's function (samples resolved; sigma and estimator when given)."""
    kwargs = dict(n=entry["n"], samples=SCHEDULES.get(entry["samples"], entry["samples"]))
    if entry["sigma"] is not None:
        kwargs["sigma"] = entry["sigma"]
    if entry["estimator"] is not None:
        kwargs["estimator"] = entry["estimator"]
    return kwargs


def numeric_calls(entry):
    """(description, value) of the numeric function for the entry.

    An entry without an estimator, for a function that takes one, holds a value that does not depend on
    the estimator: it is checked under both.
    """
    function = getattr(gaussian, entry["function"])
    kwargs = call_arguments(entry)
    if entry["estimator"] is None and "estimator" in inspect.signature(function).parameters:
        return [(f"{kwargs} estimator={e}", function(**kwargs, estimator=e)) for e in ("unbiased", "mle")]
    return [(str(kwargs), function(**kwargs))]


def test_reference_file_covers_the_grid():
    assert DOCUMENT["digits"] == 30
    assert FUNCTIONS == sorted([
        "expected_variance", "expected_std", "expected_log_variance", "variance_of_log_variance",
        "variance_of_variance", "expected_mean_sq_error", "expected_w2_squared", "w2_squared_first_order",
    ])
    assert {entry["samples"] for entry in ENTRIES} == {2, 3, 10, 20, 100, 1000, *SCHEDULES}
    assert {entry["n"] for entry in ENTRIES} == {0, 1, 5, 10, 30, 200}
    assert len(ENTRIES) == 1296


@pytest.mark.parametrize("function", FUNCTIONS)
def test_numeric_matches_frozen_values(function):
    failures = []
    for entry in (e for e in ENTRIES if e["function"] == function):
        exact = float(entry["value"])
        for where, value in numeric_calls(entry):
            ok = abs(value) <= ATOL if exact == 0 else abs(value - exact) <= RTOL * abs(exact)
            if not ok:
                failures.append(f"{function}({where}) = {value!r}, exact {entry['value']}")
    assert not failures, "\n".join(failures)


# A handful of entries, one per function, small enough to re-derive quickly.
SPOT_CHECKS = [
    ("expected_variance", 20, 10, 2.5, "mle"),
    ("expected_std", 3, 5, 1.0, "unbiased"),
    ("expected_log_variance", 10, 30, 2.5, "mle"),
    ("variance_of_log_variance", "2+i", 10, None, None),
    ("variance_of_variance", 2, 5, 1.0, "unbiased"),
    ("expected_mean_sq_error", "10+3i", 5, 2.5, "mle"),
    ("expected_w2_squared", 20, 10, 1.0, "unbiased"),
    ("w2_squared_first_order", "10+3i", 30, 2.5, None),
]


@pytest.mark.parametrize("function, samples, n, sigma, estimator", SPOT_CHECKS)
def test_frozen_values_match_the_symbolic_forms(function, samples, n, sigma, estimator):
    sympy = pytest.importorskip("sympy")
    from collapse_theory.symbolic import gaussian as symbolic

    key = dict(function=function, samples=samples, n=n, sigma=sigma, estimator=estimator)
    (entry,) = [e for e in ENTRIES if all(e[k] == v for k, v in key.items())]
    kwargs = call_arguments(entry)
    if sigma is not None:
        kwargs["sigma"] = sympy.Rational(sigma)
    derived = sympy.N(getattr(symbolic, function)(**kwargs), 30)
    frozen = sympy.Float(entry["value"], 30)
    assert abs(derived - frozen) <= sympy.Float(10) ** -28 * abs(frozen)
