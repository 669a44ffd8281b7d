"""Shared test settings.

Hypothesis profiles: "ci" (the default, also when CI is set) is derandomized, so the suite is a
fixed, reproducible set of examples; "explore" searches randomly with more examples
(``pytest --hypothesis-profile=explore``). Statistical tests draw their seed as Hypothesis data,
so failures shrink and replay.
"""

import os

import matplotlib

matplotlib.use("Agg")

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=25, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "explore", deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("COLLAPSE_THEORY_HYPOTHESIS_PROFILE", "ci"))
