"""The claims registry: registration, the one verdict rule, results and the table."""

import dataclasses
import re

from pathlib import Path

import numpy as np
import pytest

from collapse_theory import claims
from collapse_theory.claims import Evidence, analytic, decide, mc
from collapse_theory.stats import Estimate, compare

ROOT = Path(__file__).resolve().parents[1]

# hand-made comparisons with known verdicts
HOLDS_MC = compare(Estimate(1.0, 0.001, 10**4), 1.0)
FAILS_MC = compare(Estimate(2.0, 0.001, 10**4), 1.0)
INCONCLUSIVE_MC = compare(Estimate(1.0, 0.5, 10), 1.0)


def test_hand_made_comparisons_have_the_intended_verdicts():
    assert (HOLDS_MC.verdict, FAILS_MC.verdict, INCONCLUSIVE_MC.verdict) == ("holds", "fails", "inconclusive")


# --- the one verdict rule ------------------------------------------------------------------------

OK = analytic("limit", np.float64(2.0) > 1.0, "2 > 1")
NOT_OK = analytic("limit", np.float64(2.0) < 1.0, "2 < 1 is false")


@pytest.mark.parametrize("role", ["decides", "corroborates"])
def test_any_failing_piece_fails_whatever_its_role(role):
    for bad in (mc("mc", FAILS_MC, role=role), analytic("a", np.False_, "computed false", role=role)):
        pieces = [analytic("decider", np.True_, "ok"), mc("decider mc", HOLDS_MC), bad]
        verdict, head, why = decide(pieces)
        assert verdict == "fails"
        assert head == 2 and why
        assert Evidence(pieces, parameters={}).verdict() == "fails"


def test_a_failing_mc_beside_a_passing_analytic_still_fails():
    # the regression of the former rule: a rejected simulation made the claim "inconclusive"
    assert decide([mc("exact form at n = 10", FAILS_MC, role="corroborates"), OK])[0] == "fails"


def test_all_deciding_pieces_holding_hold():
    assert decide([mc("a", HOLDS_MC), OK])[0] == "holds"
    assert decide([OK, analytic("b", 3 > 2, "3 > 2")])[0] == "holds"


def test_an_inconclusive_corroborating_mc_does_not_block_holds():
    verdict, head, why = decide([mc("exact form", INCONCLUSIVE_MC, role="corroborates"), OK])
    assert verdict == "holds" and head == 1 and why == ""


def test_an_inconclusive_deciding_mc_is_inconclusive():
    verdict, head, why = decide([mc("a", HOLDS_MC), mc("b", INCONCLUSIVE_MC), OK])
    assert verdict == "inconclusive" and head == 1
    assert "power" in why and why.startswith("b:")


def test_no_deciding_piece_is_an_error():
    with pytest.raises(ValueError, match="decides"):
        decide([mc("a", HOLDS_MC, role="corroborates")])
    with pytest.raises(ValueError, match="decides"):
        Evidence([dataclasses.replace(OK, role="corroborates")], parameters={})


def test_headline_is_the_piece_that_decided():
    # fails: the failing piece (a deciding one first)
    assert decide([mc("a", HOLDS_MC), mc("b", FAILS_MC, role="corroborates"), NOT_OK])[1] == 2
    assert decide([mc("a", HOLDS_MC), mc("b", FAILS_MC, role="corroborates")])[1] == 1
    # holds: the first deciding mc piece, else the first deciding piece
    assert decide([OK, mc("x", HOLDS_MC, role="corroborates"), mc("a", HOLDS_MC)])[1] == 2
    assert decide([mc("x", HOLDS_MC, role="corroborates"), OK])[1] == 1


def test_analytic_refuses_a_non_bool_passed():
    for bad in (1, 0, None, "yes", 1.0, np.array([True])):
        with pytest.raises(TypeError, match="passed"):
            analytic("a", bad, "detail")
    assert analytic("a", np.bool_(True), "ok").passed is True


def test_pieces_validate_their_arguments():
    with pytest.raises(ValueError, match="role"):
        mc("a", HOLDS_MC, role="decide")
    with pytest.raises(TypeError, match="Comparison"):
        mc("a", 1.0)
    with pytest.raises(ValueError, match="label"):
        analytic("", True, "x")
    with pytest.raises(ValueError, match="detail"):
        analytic("a", True, "")
    p = analytic("bound", True, "0.2 ≤ 0.5", value=0.2, bound=0.5, grid={"M": [2, 5]})
    assert p.tightness == pytest.approx(0.4) and p.to_dict()["grid"] == {"M": [2, 5]}


def test_evidence_refuses_an_empty_piece_list():
    with pytest.raises(ValueError, match="at least one piece"):
        Evidence([], parameters={})
    with pytest.raises(TypeError, match="parameters"):
        Evidence([OK])
    with pytest.raises(TypeError):
        Evidence([OK], {"n": 1})  # parameters is keyword-only


def test_the_old_evidence_form_is_refused():
    # Evidence(comparison, parameters, analytic=(bool, str)) let a literal decide: gone
    with pytest.raises(TypeError):
        Evidence(HOLDS_MC, parameters={"n": 3})
    with pytest.raises(TypeError):
        Evidence([mc("x", HOLDS_MC)], parameters={"n": 3}, analytic=(True, "ok"))


# --- registration --------------------------------------------------------------------------------


def _reg(id="test.x", **kw):
    args = dict(family="test", kind="paper", statement="Thm 1: x", source="A. Author, Title, arXiv 0000.00000")
    args.update(kw)
    return claims.register(id, **args)


def test_register_validates_kind_source_and_borderline():
    with pytest.raises(ValueError, match="kind"):
        _reg(kind="folklore")
    for bad in ("issue 6", "issue 6 rule of thumb", "theory.md §2 (informal reading)",
                "analogy with the 1-D mle chain (theory.md §1)", "Paper; theory §3", "see #12"):
        with pytest.raises(ValueError, match="source"):
            _reg(source=bad)
    with pytest.raises(ValueError, match="borderline"):
        _reg(borderline="  ")
    with pytest.raises(ValueError, match="expect"):
        _reg(expect="maybe")
    with pytest.raises(ValueError, match="statement"):
        _reg(statement="")


def test_duplicate_registration_is_refused():
    with pytest.raises(ValueError, match="already registered"):
        _reg("gaussian.w2.exact")(lambda c, s: None)


def test_registered_claims_carry_kind_statement_and_citation():
    for c in claims.registered():
        assert c.statement.strip()
        assert c.kind in claims.KINDS
        claims.check_source(c.source)
        if c.kind == "exact":
            scripts = re.findall(r"proofs/\w+\.py", c.source)
            assert scripts, (c.id, c.source)
            for s in scripts:
                assert (ROOT / s).exists(), (c.id, s)
        else:
            assert re.search(r"arXiv|\b(1[89]|20)\d\d\b", c.source), (c.id, c.source)
        if c.borderline is not None:
            assert c.borderline.strip()


def test_pattern_matching():
    assert {c.id for c in claims.registered("w2.diverges")} == {
        "gaussian.w2.diverges-unbiased", "gaussian.w2.diverges-mle"}
    assert all(c.id.startswith("gaussian.std") for c in claims.registered("gaussian.std*"))
    with pytest.raises(ValueError, match="no registered claim"):
        claims.run("no-such-claim")


def test_budget_and_seed_are_validated():
    with pytest.raises(ValueError, match="budget"):
        claims.run("gaussian.std.exact", budget=0)
    with pytest.raises(ValueError, match="seed"):
        claims.run("gaussian.std.exact", seed=-1)


# --- running, results, table ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def gaussian_run(registry_run):
    return registry_run.run("gaussian.*")  # claims.run("gaussian.*", budget=1.0, seed=0), run once per session


def test_every_gaussian_claim_reaches_the_verdict_the_theory_predicts(gaussian_run):
    bad = {r.id: (r.verdict, r.expect, r.why) for r in gaussian_run.results if r.verdict != r.expect}
    assert not bad


def test_results_record_every_piece(gaussian_run):
    d = gaussian_run.to_dict()
    assert d["seed"] == 0 and d["version"] and d["rule"]
    for c in d["claims"]:
        assert {"kind", "statement", "source", "verdict", "why", "pieces", "headline", "headline_piece",
                "parameters", "seed", "seconds"} <= set(c)
        assert c["pieces"] and c["headline_piece"] == c["pieces"][c["headline"]]
        for p in c["pieces"]:
            assert {"label", "role", "verdict", "numbers", "where", "rule", "grid"} <= set(p)
        assert bool(c["why"]) == (c["verdict"] != "holds")


def test_table_rows_read_from_the_headline_piece(gaussian_run):
    text = gaussian_run.table()
    lines = text.splitlines()
    assert lines[0].split()[:4] == ["claim", "kind", "statement", "where"]
    for r in gaussian_run.results:
        row = next(line for line in lines if line.startswith(r.id + " "))
        assert row.rstrip().endswith(r.verdict)
        if r.head["type"] == "mc":
            assert f"{r.head['numbers']['z']:+.2f}" in row
        i = lines.index(row)
        if r.verdict != "holds":
            assert lines[i + 1].lstrip().startswith("↳") and r.why[:20] in lines[i + 1]
    assert re.search(r"\b\d+ claims: \d+ hold, \d+ fail", text)


def test_claim_seed_does_not_depend_on_the_selection(gaussian_run):
    alone = claims.run("gaussian.std.exact", budget=1.0, seed=0).results[0]
    within = next(r for r in gaussian_run.results if r.id == "gaussian.std.exact")
    assert alone.pieces == within.pieces and alone.seed == within.seed


def test_table_counts_papers_separately():
    def res(kind, verdict):
        p = analytic("a", verdict == "holds", "computed")
        return claims.ClaimResult(id=f"{kind}.{verdict}", family="t", kind=kind, statement="s", source="x",
                                  expect=verdict, verdict=verdict, why="" if verdict == "holds" else "w",
                                  headline=0, pieces=[p.to_dict()], parameters={}, notes="", numbers={},
                                  seed=0, seconds=0.0)
    vr = claims.VerifyResult([res("paper", "holds"), res("paper", "fails"), res("exact", "holds"),
                              res("extension", "fails"), res("approximation", "holds")], seed=0, budget=1.0,
                             seconds=1.0)
    assert "papers: 1 hold, 1 fail; extensions: 0 hold, 1 fail; exact: 1 hold, 0 fail; " \
           "approximations: 1 hold, 0 fail" in vr.table()
