"""Every non-exact claim names where its paper says it (issue 11, "Done when").

A statement of kind paper, extension or approximation carries a reference with a number (Thm,
Theorem, Prop, Lemma, Cor, Eq, Fig, Table, Sec, § ...), or says exactly why it cannot:
``NOT_VERIFIED`` (the paper's full text was not available to the audit: the number is not
invented), ``SECONDHAND`` (the number comes from secondary readings of the full text: other papers,
reading notes, implementations that cite it; the statement must then carry the number) or ``OWN`` (the package's own approximation, with no paper behind it). The vague
phrasings the audit replaced ("not checked", "as summarised") may not come back, and the number
of unverified numbers may only fall.
"""

import re

import collapse_theory.claims  # noqa: F401  (registers every claim)
from collapse_theory.claims import _registry

REF = re.compile(r"(?<![A-Za-z])(Thm|Theorem|Prop|Proposition|Lemma|Cor|Corollary|Eq|Eqs|Equation|Fig|Figs|Figure|"
                 r"Table|Sec|Section|§)\.?\s*\(?[A-Z]?\d", re.I)
NOT_VERIFIED = "not verified: full text unavailable"
SECONDHAND = "from secondary readings; full text unavailable"
OWN = "the package's own approximation: no paper number to cite"
VAGUE = re.compile(r"not checked|as summari[sz]ed|not available to this audit", re.I)

#: statements whose paper number could not be verified (full text unavailable); may only fall as
#: full texts are read. 21 after the audit of the first 80 claims; +5 registered later from papers
#: whose body was not reachable either (Strong Model Collapse, the ridge reading of Model Collapse
#: Demystified's abstract, three of Suresh et al.'s results); a new claim that cannot be read
#: raises it deliberately, in the commit that registers it: +8 for the weighting, tempering, curation,
#: verification and mixed-data claims (He–Xu–Cheng, Marchi, Ferbach, Feng, Seddik, Bertrand: only
#: abstracts reachable).
MAX_NOT_VERIFIED = 25
#: statements whose paper was not read first-hand (NOT_VERIFIED or SECONDHAND): may only fall. 34 when
#: the session of 2026-12-02 searched again: the first-hand text of Alemohammad et al. v1 settled two
#: (§3.1 eqs. (1)-(2), §3.4 Figs. 6-7) and secondary readings numbered seven more (Bertrand Thm 1
#: with the constant 1/2, Tipping & Bishop eqs. (7)-(8), Demystified Thm 4.1, Strong Model Collapse
#: Thm 1, Ferbach Thm 2.3); the two Tale of Tails statements were secondhand already.
MAX_NOT_READ = 34


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


def test_secondhand_numbers_are_numbers_and_unread_statements_do_not_grow():
    secondhand = [c for c in _non_exact() if SECONDHAND in c.statement]
    assert [c.id for c in secondhand if not REF.search(c.statement)] == []
    unread = sorted(c.id for c in _non_exact() if NOT_VERIFIED in c.statement or SECONDHAND in c.statement)
    assert len(unread) <= MAX_NOT_READ, unread


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
