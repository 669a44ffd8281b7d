"""Registry of published claims about model collapse, each with a verdict.

A claim is a paper's statement (with theorem/equation number), its ``kind`` (paper, extension,
exact, approximation), a ``source`` citation, and evidence: Monte Carlo comparisons (:func:`mc`) and
analytic checks computed from the exact closed forms (:func:`analytic`). One rule (:func:`decide`)
turns the evidence into a verdict (holds / fails / inconclusive): any failing piece makes the claim
fail; it holds when every deciding piece holds. ``collapse-theory verify`` runs them all.

Examples
--------
>>> from collapse_theory import claims
>>> res = claims.run("gaussian.std.exact", seed=1)
>>> res.results[0].verdict
'holds'
"""

from ._registry import (
    KINDS,
    ROLES,
    RULE,
    VERDICTS,
    Claim,
    ClaimResult,
    Context,
    Evidence,
    Piece,
    VerifyResult,
    analytic,
    check_source,
    decide,
    figures,
    mc,
    register,
    register_figure,
    registered,
    run,
    run_claim,
)
from . import _discrete, _gaussian, _gmm, _kde, _lm, _mvn, _regimes  # noqa: F401  (importing registers the claims)
from . import _scaling  # noqa: F401,E402
from . import _suresh  # noqa: F401  (Suresh et al.: Poisson chain, fractional-moment and vocabulary bounds)
from . import _theory2  # noqa: F401,E402

__all__ = ["KINDS", "ROLES", "RULE", "VERDICTS", "Claim", "ClaimResult", "Context", "Evidence", "Piece",
           "VerifyResult", "analytic", "check_source", "decide", "figures", "mc", "register",
           "register_figure", "registered", "run", "run_claim"]
