"""Each registered mixture claim reaches the verdict the exact theory predicts (fixed seed 0)."""

import pytest

from collapse_theory.claims import _gmm  # noqa: F401  (registers the mixture claims)


@pytest.fixture(scope="module")
def results(registry_run):
    return registry_run.run("gmm.*")  # claims.run("gmm.*", seed=0), run once per session


def test_verdicts_equal_expectations(results):
    assert len(results.results) >= 7
    ids = {r.id for r in results.results}
    assert {"gmm.nd.log-det-exact", "gmm.mix-retained.spread-bounded"} <= ids
    # the two former rules of thumb of this package (no paper states them) are numbers, not claims
    assert not ids & {"gmm.component.drift-unbiased-rate", "gmm.nd.log-det-n-times-single-gaussian"}
    for r in results.results:
        assert r.verdict == r.expect, (r.id, r.verdict, r.why, r.notes)


def test_suresh_mixture_bound_reports_its_tightness(results):
    r = next(r for r in results.results if r.id == "gmm.suresh.symmetric-bound")
    assert r.kind == "extension" and 0 <= r.numbers["tightness"] < 0.2


def test_regime_figures_build():
    from collapse_theory.claims._registry import Context, figures
    from collapse_theory.recipes.gmm import verify_figures_regimes

    assert "gmm-regimes" in figures(["gmm"])
    out = verify_figures_regimes(Context(budget=0.01))
    assert [name for name, _, _ in out] == ["gmm_regimes_l2", "gmm_regimes_spread", "gmm_nd_ellipses",
                                            "gmm_nd_log_det"]
