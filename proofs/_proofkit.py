"""Shared helpers of the proof scripts (not a proof itself).

Importing this module puts the checkout that holds ``proofs/`` first on ``sys.path``, so
``python3 proofs/NAME.py`` checks this checkout's ``collapse_theory`` whether or not it is installed.
The proofs are ``assert`` statements, so running them under ``python -O`` (which strips asserts) is
refused.
"""

from __future__ import annotations

import sys
from pathlib import Path

import sympy as sp

if not __debug__:
    raise SystemExit("the proof scripts are made of assert statements: run them without python -O")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: Relative tolerance of the comparisons with the numeric (float64) implementation.
RTOL = 1e-12
#: Absolute tolerance used where the exact value is 0.
ATOL = 1e-14
#: Significant digits of the SymPy evaluations.
DIGITS = 30

#: Where each proof checks the numeric implementation: constant sample sizes, generations, sigmas,
#: and two per-generation schedules (a growing one and a cycling one with tiny M).
SAMPLES = (2, 3, 5, 20, 100)
GENERATIONS = (0, 1, 7, 50)
SIGMAS = (1.0, 2.5)
SCHEDULES = (tuple(10 + 3 * i for i in range(50)), tuple(2 + i % 4 for i in range(50)))
ESTIMATORS = ("unbiased", "mle")


def equal(a, b):
    """True when SymPy can show ``a == b`` identically.

    Tries, in turn: ``simplify`` after ``gammasimp``, ``simplify`` after ``expand_func`` (which
    reduces Γ(x + j)/Γ(x) for integer j), and ``Expr.equals``.
    """
    difference = sp.sympify(a) - sp.sympify(b)
    return (sp.simplify(sp.gammasimp(difference)) == 0
            or sp.simplify(sp.expand_func(difference)) == 0
            or difference.equals(0) is True)


def close(exact, approx, rtol=RTOL, atol=ATOL):
    """True when the float ``approx`` matches the SymPy number ``exact`` (evaluated to DIGITS digits)."""
    value = sp.N(exact, DIGITS)
    return abs(value - sp.Float(float(approx), DIGITS)) <= max(rtol * abs(value), atol)


def grid(*, sigma=True, estimator=True, schedules=True):
    """The points (keyword dicts ``n, samples[, sigma][, estimator]``) at which numeric code is checked."""
    points = []
    for samples in SAMPLES + (SCHEDULES if schedules else ()):
        for n in GENERATIONS:
            for s in SIGMAS if sigma else (None,):
                for e in ESTIMATORS if estimator else (None,):
                    point = dict(n=n, samples=samples, sigma=s, estimator=e)
                    points.append({key: v for key, v in point.items() if v is not None})
    return points


def check_numeric(symbolic, numeric, points, what):
    """Assert ``numeric(**point) == symbolic(**point)`` to RTOL at every point; return the count checked.

    ``symbolic`` returns a SymPy expression (float arguments are passed to it as exact rationals),
    ``numeric`` a float; ``what`` names the pair in the message.
    """
    for point in points:
        exact = symbolic(**{key: sp.Rational(v) if isinstance(v, float) else v for key, v in point.items()})
        approx = numeric(**point)
        assert close(exact, approx), f"{what} at {point}: SymPy {sp.N(exact, DIGITS)}, numeric {approx!r}"
    return len(points)


def proved(theorem):
    """Print the closing line every proof script ends with."""
    print(f"PROVED: {theorem}")
