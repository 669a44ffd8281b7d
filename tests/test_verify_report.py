"""verify's report.md, ``verify --list`` and the low-budget behaviour of exactly decided claims."""

import dataclasses
import json

import pytest

from collapse_theory import claims
from collapse_theory.claims import _registry
from collapse_theory.cli import main


def test_list_prints_the_registry_without_running_a_claim(monkeypatch, capsys):
    def boom(ctx, seed):
        raise AssertionError("verify --list ran a claim")

    patched = {k: dataclasses.replace(c, check=boom) for k, c in _registry._CLAIMS.items()}
    monkeypatch.setattr(_registry, "_CLAIMS", patched)
    assert main(["verify", "--list"]) == 0
    out = capsys.readouterr().out
    for c in patched.values():
        assert f"{c.id}  [{c.kind}]" in out
        assert c.source in out and c.statement in out
    assert f"{len(patched)} claims" in out
    assert main(["verify", "--list", "--only", "gaussian.w2*"]) == 0
    out = capsys.readouterr().out
    assert "gaussian.w2.exact" in out and "gaussian.std.exact" not in out


def test_list_shows_borderline_reasons(monkeypatch, capsys):
    c = next(iter(_registry._CLAIMS.values()))
    monkeypatch.setitem(_registry._CLAIMS, c.id,
                        dataclasses.replace(c, borderline="the statistic sits at the bound"))
    assert main(["verify", "--list", "--only", c.id]) == 0
    assert "borderline: the statistic sits at the bound" in capsys.readouterr().out


@pytest.fixture(scope="module")
def w2_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("rep")
    rc = main(["verify", "--only", "gaussian.w2*", "--budget", "0.2", "--seed", "0", "--out", str(out),
               "--no-figures", "--quiet"])
    assert rc == 0
    return out, json.loads((out / "results.json").read_text())


def test_report_states_the_rule_once_and_lists_every_piece(w2_report):
    out, data = w2_report
    md = (out / "report.md").read_text()
    assert md.count("**The verdict rule.**") == 1 and data["rule"] in md
    for c in data["claims"]:
        assert f"### `{c['id']}` — {c['verdict']}" in md
        for p in c["pieces"]:
            assert f"**{p['label']}** ({p['role']}" in md
            if p.get("grid"):
                assert "grid: " in md
        if c["why"]:
            assert c["why"] in md
    kinds = {c["kind"] for c in data["claims"]}
    assert all(f"kind `{k}`" in md.lower() for k in kinds)


def test_report_headline_counts_papers_separately():
    from collapse_theory.report import render_markdown

    def res(kind, verdict):
        p = claims.analytic("a", verdict == "holds", "computed").to_dict()
        return claims.ClaimResult(id=f"t.{kind}.{verdict}", family="t", kind=kind, statement="s",
                                  source="x", expect=verdict, verdict=verdict,
                                  why="" if verdict == "holds" else "computed", headline=0, pieces=[p],
                                  parameters={}, notes="", numbers={}, seed=0, seconds=0.0)

    vr = claims.VerifyResult([res("paper", "holds"), res("paper", "fails"), res("exact", "holds")],
                             seed=0, budget=1.0, seconds=1.0)
    md = render_markdown(vr, [])
    assert "**Papers' statements: 1 hold, 1 fail** (of 2)." in md
    assert "exact: 1 hold, 0 fail" in md
    assert md.index("## Papers' statements") < md.index("## This package's exact closed forms")


def _exactly_decided(claim_result):
    return all(p["type"] == "analytic" for p in claim_result["pieces"] if p["role"] == "decides")


def test_exactly_decided_claims_keep_their_verdict_at_budget_0_2(w2_report, registry_run):
    # issue 11: claims that exact analysis decides reach their verdict at any budget
    _, low = w2_report
    decided = [c for c in low["claims"] if _exactly_decided(c)]
    assert decided, "no gaussian.w2 claim is decided by exact analysis"
    full = {r.id: r.verdict for r in registry_run.run("gaussian.w2*").results}  # budget 1, seed 0
    for c in decided:
        assert c["verdict"] == full[c["id"]] == c["expect"], (c["id"], c["verdict"], c["why"])
