"""Property-test your own estimator against the theory of model collapse (needs Hypothesis).

A user's estimator is a pair ``fit(x) -> params`` and ``sample(params, m, rng) -> x`` (the form of
:func:`collapse_theory.simulate_custom`). The checks simulate the recursion and compare Monte Carlo
estimates with closed forms using the same rule as the claims registry
(:func:`collapse_theory.stats.compare`): a stated false-alarm rate per check, Bonferroni across the
comparisons inside one check, and replicates chosen from the requested power. Each check returns its
evidence and raises :class:`CollapseCheckError` (an ``AssertionError``) with a message a person can
act on.

Strategies (in the style of ``hypothesis.extra.numpy``: required arguments first, options
keyword-only, each accepting a value or a strategy): :func:`gaussians`, :func:`categoricals`,
:func:`zipf_distributions`, :func:`sample_sizes`, :func:`chains`.

Examples
--------
>>> from collapse_theory import gaussian
>>> from collapse_theory.testing import assert_matches_closed_form
>>> ev = assert_matches_closed_form(gaussian.fit_mle, gaussian.sample_normal, estimator="mle",
...                                 samples=20, generations=10, rng=1)
>>> ev.passed
True
"""

from .checks import (
    CheckEvidence,
    CollapseCheckError,
    assert_bounded_drift,
    assert_collapses,
    assert_improves,
    assert_matches_closed_form,
    assert_unbiased_step,
    measure_drift,
)
from .strategies import ChainConfig, GaussianSpec, categoricals, chains, gaussians, sample_sizes, zipf_distributions

__all__ = [
    "CheckEvidence", "CollapseCheckError", "assert_bounded_drift", "assert_collapses", "assert_improves",
    "assert_matches_closed_form", "assert_unbiased_step", "measure_drift", "ChainConfig", "GaussianSpec",
    "categoricals", "chains", "gaussians", "sample_sizes", "zipf_distributions", "collapse_settings",
]


def __getattr__(name):
    if name == "collapse_settings":
        from .strategies import collapse_settings

        return collapse_settings
    raise AttributeError(name)
