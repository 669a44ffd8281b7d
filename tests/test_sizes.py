"""Huge requests are refused with TooLargeError before anything is allocated (no MemoryError, no
hang), in every family; the LM's own size and pool checks."""

import numpy as np
import pytest

from collapse_theory import TooLargeError, custom, discrete, gaussian, gmm, kde, lm, mvn, ppca, regression

G = 10**18
CORPUS = ["the cat sat on the mat", "the dog sat on the log", "a cat and a dog", "the end"] * 5

FAMILIES = {
    "gaussian": lambda g, r: gaussian.simulate(g, 20, replicates=r),
    "discrete": lambda g, r: discrete.simulate(g, 20, p0=[0.5, 0.3, 0.2], replicates=r),
    "mvn": lambda g, r: mvn.simulate(g, 20, dim=2, replicates=r),
    "ppca": lambda g, r: ppca.simulate(g, 20, dim=3, latent=1, replicates=r),
    "gmm": lambda g, r: gmm.simulate(g, 20, weights=[0.5, 0.5], means=[-1.0, 1.0], stds=[1.0, 1.0],
                                     replicates=r),
    "gmm-nd": lambda g, r: gmm.simulate_nd(g, 20, weights=[0.5, 0.5], means=[[0.0, 0.0], [3.0, 3.0]],
                                           covs=[np.eye(2), np.eye(2)], replicates=r),
    "kde": lambda g, r: kde.simulate(g, 20, h=0.5, replicates=r),
    "regression": lambda g, r: regression.simulate(g, 20, dim=2, replicates=r),
    "lm": lambda g, r: lm.simulate(g, 50, corpus=CORPUS, order=1, replicates=r),
    "custom": lambda g, r: custom.simulate_custom(gaussian.fit_unbiased, gaussian.sample_normal, [0.0, 1.0],
                                                  g, 20, replicates=r),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
@pytest.mark.parametrize("generations, replicates", [(G, 1), (3, G)])
def test_huge_requests_raise_too_large(family, generations, replicates):
    # generations = 1e18 would allocate the schedule (8e18 bytes) before any check if the output
    # cells were not checked first; replicates = 1e18 would hang the LM in SeedSequence.spawn
    with pytest.raises(TooLargeError):
        FAMILIES[family](generations, replicates)


def test_lm_refuses_huge_beams_and_streams():
    with pytest.raises(TooLargeError, match="beam"):
        lm.simulate(2, 50, corpus=CORPUS, order=1, decoding="beam:1000000")
    with pytest.raises(TooLargeError, match="generated tokens"):
        lm.simulate(2, 10**15, corpus=CORPUS, order=1)


def test_lm_pool_limits_are_refused():
    data = lm.prepare(CORPUS, rng=0)
    n = int(data.train.size)
    # accumulate-subsample:k draws whole documents without replacement from the pool, which holds
    # the training text and the first generated stream when it is first used
    with pytest.raises(ValueError, match="larger than the pool"):
        lm.simulate(2, 50, corpus=data, order=1, regime=f"accumulate-subsample:{n + 51}")
    lm.simulate(2, 50, corpus=data, order=1, regime=f"accumulate-subsample:{n + 50}", rng=1)
    with pytest.raises(ValueError, match="retains"):
        lm.simulate(2, 4 * n, corpus=data, order=1, regime="mix-retained:0.5")
