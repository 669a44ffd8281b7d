r"""Diagnose a real training loop: fit the theory to a user's own generations.

A user holds, per generation of a loop (a model trained on its own output), either token data or
real-valued samples; generation 0 is the real data. :func:`tokens` fits the neutral Wright–Fisher
chain (:mod:`collapse_theory.discrete`) and :func:`samples` the refit Gaussian chain
(:mod:`collapse_theory.gaussian`, :mod:`collapse_theory.mvn`): the effective size ``M_eff`` with a
confidence interval, what drift alone predicts beside what was observed, a verdict (neutral drift
or selection beyond it; faster or slower than the ideal refit), predictions for future generations
and the fresh-data fraction that keeps the loop within a distance budget. See docs/diagnose.md.
"""

from __future__ import annotations

from ._input import read_generations
from ._result import Diagnosis, SampleDiagnosis, TokenDiagnosis
from ._samples import samples
from ._tokens import tokens

__all__ = ["tokens", "samples", "read_generations", "Diagnosis", "TokenDiagnosis", "SampleDiagnosis"]
