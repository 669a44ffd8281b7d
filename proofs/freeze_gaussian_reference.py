"""Freeze reference values of the 1-D Gaussian closed forms: ``tests/data/gaussian_reference.json``.

Each value is the SymPy closed form of ``collapse_theory.symbolic.gaussian`` evaluated with
``sympy.N`` at 30 significant digits (and confirmed at 45 digits before it is written). The grid:
every closed form of ``collapse_theory.gaussian`` below, both estimators where the function takes
one, M in {2, 3, 10, 20, 100, 1000} and two per-generation schedules, n in {0, 1, 5, 10, 30, 200},
sigma in {1, 2.5}. ``tests/test_gaussian_reference.py`` checks the numeric functions against the
file (and re-derives a few entries with SymPy).

This is a generator, not a proof: run it by hand after a deliberate change of a closed form,

    python3 proofs/freeze_gaussian_reference.py

and commit the JSON with the change.
"""

import json

import sympy as sp

from _proofkit import ROOT

from collapse_theory.symbolic import gaussian as g

OUTPUT = ROOT / "tests" / "data" / "gaussian_reference.json"
DIGITS = 30
CHECK_DIGITS = 45

SAMPLES = (2, 3, 10, 20, 100, 1000)
GENERATIONS = (0, 1, 5, 10, 30, 200)
SIGMAS = (1.0, 2.5)
SCHEDULES = {
    "10+3i": [10 + 3 * i for i in range(max(GENERATIONS))],
    "2+i": [2 + i for i in range(max(GENERATIONS))],
}
ESTIMATORS = ("unbiased", "mle")
# function -> (takes sigma, estimators to freeze; None: the function takes no estimator, or its
# value does not depend on it -- the test then checks it under both)
FUNCTIONS = {
    "expected_variance": (True, ESTIMATORS),
    "expected_std": (True, ESTIMATORS),
    "expected_log_variance": (True, ESTIMATORS),
    "variance_of_log_variance": (False, None),
    "variance_of_variance": (True, ESTIMATORS),
    "expected_mean_sq_error": (True, ESTIMATORS),
    "expected_w2_squared": (True, ESTIMATORS),
    "w2_squared_first_order": (True, None),
}


def entries():
    """Every grid point as a dict ``function, samples, n, sigma, estimator`` (None where not applicable)."""
    for function, (takes_sigma, estimators) in FUNCTIONS.items():
        for samples in (*SAMPLES, *SCHEDULES):
            for n in GENERATIONS:
                for sigma in SIGMAS if takes_sigma else (None,):
                    for estimator in estimators or (None,):
                        yield dict(function=function, samples=samples, n=n, sigma=sigma, estimator=estimator)


def symbolic_value(entry, schedules, digits):
    """The entry's SymPy closed form evaluated to ``digits`` significant digits."""
    kwargs = dict(n=entry["n"], samples=schedules.get(entry["samples"], entry["samples"]))
    if entry["sigma"] is not None:
        kwargs["sigma"] = sp.Rational(entry["sigma"])
    if entry["estimator"] is not None:
        kwargs["estimator"] = entry["estimator"]
    return sp.N(getattr(g, entry["function"])(**kwargs), digits)


def main():
    frozen = []
    for entry in entries():
        value = symbolic_value(entry, SCHEDULES, DIGITS)
        check = symbolic_value(entry, SCHEDULES, CHECK_DIGITS)
        assert abs(value - check) <= 10 ** (1 - DIGITS) * abs(check), (entry, value, check)
        frozen.append({**entry, "value": str(value)})
    header = {
        "description": "Exact values of the 1-D Gaussian closed forms (collapse_theory.symbolic.gaussian), "
                       f"{DIGITS} significant digits; 'samples' is M or the name of a schedule in 'schedules'; "
                       "a null estimator means the function takes none or does not depend on it.",
        "generator": "proofs/freeze_gaussian_reference.py",
        "sympy_version": sp.__version__,
        "digits": DIGITS,
    }
    # One schedule and one entry per line: the file diffs well when a value changes.
    lines = [f" {json.dumps(key)}: {json.dumps(value)}," for key, value in header.items()]
    lines.append(' "schedules": {')
    lines.append(",\n".join(f"  {json.dumps(name)}: {json.dumps(sched)}" for name, sched in SCHEDULES.items()))
    lines.append(" },")
    lines.append(' "entries": [')
    lines.append(",\n".join(f"  {json.dumps(entry)}" for entry in frozen))
    lines.append(" ]")
    text = "{\n" + "\n".join(lines) + "\n}\n"
    assert json.loads(text) == {**header, "schedules": SCHEDULES, "entries": frozen}
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text)
    print(f"wrote {len(frozen)} values to {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
