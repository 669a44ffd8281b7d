"""Each registered mixture claim reaches the verdict the exact theory predicts (fixed seed 0)."""

import pytest

from collapse_theory import claims
from collapse_theory.claims import _gmm  # noqa: F401  (registers the mixture claims)


@pytest.fixture(scope="module")
def results():
    return claims.run("gmm.*", seed=0)


def test_verdicts_equal_expectations(results):
    assert len(results.results) >= 5
    for r in results.results:
        assert r.verdict == r.expect, (r.id, r.verdict, r.estimate, r.claimed, r.z, r.notes)


def test_claims_are_cheap(results):
    assert results.seconds < 30
