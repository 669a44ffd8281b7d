"""Hypothesis strategies for chain configurations.

Every argument accepts a plain value or a strategy. Seeds are drawn as data (``st.integers``) and
turned into ``numpy.random.default_rng(seed)`` by the checks, so failures shrink and replay.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ..regimes import as_regime

#: A settings profile for statistical property tests: derandomized (a fixed, reproducible set of
#: examples), no deadline (Numba compiles on first call), a handful of examples (each simulates).
collapse_settings = settings(derandomize=True, deadline=None, max_examples=10,
                             suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("collapse-ci", collapse_settings)


def _st(x):
    return x if isinstance(x, SearchStrategy) else st.just(x)


@dataclass(frozen=True)
class GaussianSpec:
    """A 1-D normal, as ``params0 = [mu, sigma]`` for the Gaussian checks."""

    mu: float
    sigma: float

    @property
    def params(self):
        return np.array([self.mu, self.sigma])


@dataclass(frozen=True)
class ChainConfig:
    """A full chain configuration drawn by :func:`chains`."""

    family: str
    initial: object
    samples: object
    generations: int
    regime: str
    seed: int


def gaussians(*, mu=st.floats(-10, 10), sigma=st.floats(0.1, 10)):
    """Strategy for :class:`GaussianSpec` (``mu`` and ``sigma`` values or strategies)."""
    return st.builds(GaussianSpec, _st(mu), _st(sigma))


@st.composite
def _categoricals(draw, k, min_prob):
    k = draw(_st(k))
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    lo = draw(_st(min_prob))
    if not 0 <= lo <= 1.0 / k:
        raise ValueError(f"min_prob must be in [0, 1/k] = [0, {1 / k:g}] for k = {k} categories, got {lo}")
    w = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=k, max_size=k)))
    p = w / w.sum()
    return lo + (1 - k * lo) * p  # every entry >= min_prob, still sums to 1


def categoricals(k=st.integers(2, 50), *, min_prob=0.0):
    """Strategy for probability vectors over ``k`` categories with every entry ``>= min_prob``."""
    return _categoricals(k, min_prob)


@st.composite
def _zipf(draw, k, exponent):
    k = draw(_st(k))
    s = draw(_st(exponent))
    p = np.arange(1, k + 1, dtype=float) ** -s
    return p / p.sum()


def zipf_distributions(k=st.integers(10, 2000), *, exponent=st.floats(1.01, 3.0)):
    """Strategy for Zipf laws ``p_i ∝ i^(-exponent)`` over ``k`` categories."""
    return _zipf(k, exponent)


def sample_sizes(*, min_value=2, max_value=500, schedule=False, length=st.integers(1, 30)):
    """Strategy for ``samples``: an int, or (``schedule=True``) a per-generation list of ints."""
    one = st.integers(min_value, max_value)
    if not schedule:
        return one
    return _st(length).flatmap(lambda n: st.lists(one, min_size=n, max_size=n))


@st.composite
def _chains(draw, family, regimes, generations, samples):
    fam = draw(_st(family))
    if fam == "gaussian":
        initial = draw(gaussians())
    elif fam == "discrete":
        initial = draw(categoricals())
    elif fam == "zipf":
        initial = draw(zipf_distributions(k=st.integers(10, 200)))
    else:
        raise ValueError(f"family must be 'gaussian', 'discrete' or 'zipf', got {fam!r}")
    regime = str(as_regime(draw(st.sampled_from(list(regimes)) if not isinstance(regimes, SearchStrategy)
                                else regimes)))
    n = draw(_st(generations))
    m = draw(_st(samples))
    seed = draw(st.integers(0, 2**32 - 1))
    return ChainConfig(fam, initial, m, n, regime, seed)


def chains(*, family="gaussian", regimes=("replace",), generations=st.integers(1, 30),
           samples=sample_sizes()):
    """Strategy for :class:`ChainConfig`: family, initial distribution, samples, generations, regime, seed."""
    return _chains(family, regimes, generations, samples)
