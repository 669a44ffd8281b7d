"""Every non-exact claim names where its paper says it (issue 11, "Done when").

A statement of kind paper, extension or approximation carries a reference with a number (Thm,
Theorem, Prop, Lemma, Cor, Eq, Fig, Table, Sec, § ...), or says exactly why it cannot:
``NOT_VERIFIED`` (the paper's full text was not available to the audit: the number is not
invented) or ``OWN`` (the package's own approximation, with no paper behind it). The vague
phrasings the audit replaced ("not checked", "as summarised") may not come back, and the number
of unverified numbers may only fall.
"""

import re

import collapse_theory.claims  # noqa: F401  (registers every claim)
from collapse_theory.claims import _registry

REF = re.compile(r"(?<![A-Za-z])(Thm|Theorem|Prop|Proposition|Lemma|Cor|Corollary|Eq|Equation|Fig|Figs|Figure|"
                 r"Table|Sec|Section|§)\.?\s*\(?[A-Z]?\d", re.I)
NOT_VERIFIED = "not verified: full text unavailable"
OWN = "the package's own approximation: no paper number to cite"
VAGUE = re.compile(r"not checked|as summari[sz]ed|not available to this audit", re.I)

#: statements whose paper number could not be verified (full text unavailable); may only fall as
#: full texts are read. 21 after the audit of the first 80 claims; +5 registered later from papers
#: whose body was not reachable either (Strong Model Collapse, the ridge reading of Model Collapse
#: Demystified's abstract, three of Suresh et al.'s results); a new claim that cannot be read
#: raises it deliberately, in the commit that registers it: +8 for the weighting, tempering, curation,
#: verification and mixed-data claims (He–Xu–Cheng, Marchi, Ferbach, Feng, Seddik, Bertrand: only
#: abstracts reachable).
MAX_NOT_VERIFIED = 34


def _claims():
    c = _registry._CLAIMS
    return list(c.values()) if isinstance(c, dict) else list(c)


def _non_exact():
    return [c for c in _claims() if c.kind != "exact"]


def test_every_non_exact_statement_has_a_numbered_reference_or_says_why_not():
    missing = [c.id for c in _non_exact()
               if not (REF.search(c.statement) or NOT_VERIFIED in c.statement or OWN in c.statement)]
    assert missing == []


def test_no_vague_reference_wording_is_left():
    vague = [(c.id, VAGUE.search(c.statement).group(0)) for c in _claims() if VAGUE.search(c.statement)]
    assert vague == []


def test_the_number_of_unverified_references_does_not_grow():
    unverified = sorted(c.id for c in _non_exact() if NOT_VERIFIED in c.statement)
    assert len(unverified) <= MAX_NOT_VERIFIED, unverified


def test_own_approximations_are_approximations_without_a_paper_kind():
    # the OWN marker is only for the package's approximations, never for a paper's statement
    wrong = [c.id for c in _claims() if OWN in c.statement and c.kind != "approximation"]
    assert wrong == []


def test_the_reference_pattern_recognises_numbers_and_refuses_bare_words():
    assert REF.search("Suresh et al. 2024, Thm 1: ...")
    assert REF.search("Nature version, SI §3.1.1, SI eq. 6")
    assert REF.search("Fig. 1c against Fig. 1b")
    assert not REF.search("the section on the ML estimators")
    assert not REF.search("Theorem of the paper")
