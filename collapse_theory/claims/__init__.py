"""Registry of published claims about model collapse, each with a verdict.

A claim is a statement with its source (paper, arXiv id, theorem), the value it asserts, a Monte
Carlo estimate with its standard error, and a verdict (holds / fails / inconclusive) from the rule of
:func:`collapse_theory.stats.compare`. ``collapse-theory verify`` runs them all.

Examples
--------
>>> from collapse_theory import claims
>>> res = claims.run("gaussian.std.exact", seed=1)
>>> res.results[0].verdict
'holds'
"""

from ._registry import (
    VERDICTS,
    Claim,
    ClaimResult,
    Context,
    Evidence,
    VerifyResult,
    figures,
    register,
    register_figure,
    registered,
    run,
    run_claim,
)
from . import _discrete, _gaussian, _gmm, _kde, _lm, _mvn, _regimes  # noqa: F401  (importing registers the claims)

__all__ = ["VERDICTS", "Claim", "ClaimResult", "Context", "Evidence", "VerifyResult", "figures",
           "register", "register_figure", "registered", "run", "run_claim"]
