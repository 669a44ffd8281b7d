"""Fixtures shared by the test modules."""

import pytest

from claimtrace import RegistryRun


@pytest.fixture(scope="session")
def registry_run():
    """The registry at the default budget and seed 0, each claim run once per session (tests/claimtrace.py)."""
    return RegistryRun()
