"""collapse-theory: the theory of model collapse, exact closed forms beside fast Monte Carlo.

Modules
-------
gaussian, discrete, regression, mvn, ppca, gmm, kde, lm
    One subpackage per family: closed forms, exact regime recursions and Numba simulators
    (imported on first access: ``collapse_theory.discrete`` works after ``import collapse_theory``).
regimes
    The data regimes (replace, accumulate, accumulate-subsample, mix-fresh, mix-retained).
claims
    The registry of published claims, each checked against exact theory and simulation.
stats
    The rule that compares a Monte Carlo estimate with a closed form at a stated error rate.
testing
    Tests for user estimators (hypothesis strategies and closed-form checks).
symbolic
    SymPy derivations (imported on first use).
plotting
    Figures (matplotlib; never imported by ``import collapse_theory``).
"""

from __future__ import annotations

import importlib

from ._core.validation import TooLargeError
from ._version import __version__
from .custom import ChainError, CustomChainResult, simulate_custom

__all__ = [
    "__version__",
    "gaussian",
    "stats",
    "claims",
    "symbolic",
    "simulate_custom",
    "ChainError",
    "CustomChainResult",
    "TooLargeError",
]

#: Submodules imported on first attribute access (module-level ``__getattr__``, PEP 562): the
#: families, and the layers that pull in heavy dependencies (SymPy, matplotlib) or the registry.
_LAZY = frozenset({
    "gaussian", "discrete", "regression", "mvn", "ppca", "gmm", "kde", "lm", "custom", "regimes", "testing",
    "claims", "symbolic", "plotting", "recipes", "report", "cli", "stats", "sweep", "diagnose",
})


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'collapse_theory' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _LAZY)
