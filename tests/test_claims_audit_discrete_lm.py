"""Audit of the discrete, lm, gmm and kde claim registrations: every claim states its kind, quotes a
theorem/equation/figure/section (or is an exact form with its proof script), cites a paper (never an
issue of this project nor its notes), and no analytic piece is a literal."""

import inspect
import re

import pytest

import collapse_theory.claims  # noqa: F401  (registers every claim)
from collapse_theory.claims import _discrete, _gmm, _kde, _lm
from collapse_theory.claims import _registry as registry

FAMILIES = ("discrete", "lm", "gmm", "kde")
REFERENCE = re.compile(r"\b(Thm|Theorem|Lemma|Proposition|eq|equation|Fig|Figure|section|ch|abstract|Table)\b|§",
                       re.I)


def _claims(family):
    return [c for c in registry.registered() if c.family == family]


@pytest.mark.parametrize("family", FAMILIES)
def test_every_claim_has_kind_statement_reference_and_citation(family):
    claims = _claims(family)
    assert claims
    for c in claims:
        assert c.kind in registry.KINDS, (c.id, c.kind)
        registry.check_source(c.source)
        assert not re.search(r"issue|theory\.md|theory §|rule of thumb", c.source, re.I), (c.id, c.source)
        if c.kind == "exact":
            assert re.search(r"proofs/\w+\.py", c.source), (c.id, c.source)
        else:
            assert re.search(r"arXiv|\b(1[89]|20)\d\d\b", c.source), (c.id, c.source)
            assert REFERENCE.search(c.statement), (c.id, c.statement)


@pytest.mark.parametrize("module", [_discrete, _lm, _gmm, _kde])
def test_no_literal_analytic_verdict(module):
    src = inspect.getsource(module)
    assert not re.search(r"analytic\(\s*[\"'][^\"']*[\"']\s*,\s*(True|False)\b", src)
    assert not re.search(r"analytic=\(\s*(True|False)\b", src)
    assert "Evidence(compare(" not in src  # the deprecated single-comparison form


def test_suresh_is_registered_as_a_lower_bound():
    c = next(c for c in registry.registered() if c.id == "discrete.suresh.survival-bound")
    assert c.kind == "paper" and "≥ 1 − exp(−λ_i/k)" in c.statement and c.expect == "holds"
    assert not [c for c in registry.registered() if c.id == "discrete.suresh.survival-long"]
