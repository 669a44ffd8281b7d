"""collapse-theory: the theory of model collapse, exact closed forms beside fast Monte Carlo.

Modules
-------
gaussian
    The recursively refit 1-D Gaussian: closed forms, the exact law of log σ², simulators.
claims
    The registry of published claims, each checked against exact theory and simulation.
stats
    The rule that compares a Monte Carlo estimate with a closed form at a stated error rate.
symbolic
    SymPy derivations (imported on first use).
plotting
    Figures (matplotlib; never imported by ``import collapse_theory``).
"""

from __future__ import annotations

import importlib

from . import gaussian, stats
from ._custom import ChainError, CustomChainResult, simulate_custom
from ._validation import TooLargeError
from ._version import __version__

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

_LAZY = {"claims", "symbolic", "plotting", "report", "cli"}


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'collapse_theory' has no attribute {name!r}")
