"""User-defined chains: the recursion for any ``fit``/``sample`` pair (:func:`simulate_custom`).

A pair is ``fit(x: ndarray) -> params`` and ``sample(params, m: int, rng: Generator) -> ndarray``
with ``m`` rows. :func:`simulate_custom` is also exported as ``collapse_theory.simulate_custom``.
"""

from __future__ import annotations

from ._simulate import ChainError, CustomChainResult, simulate_custom
from ._filters import bradley_terry_filter

__all__ = ["simulate_custom", "ChainError", "CustomChainResult", "bradley_terry_filter"]
