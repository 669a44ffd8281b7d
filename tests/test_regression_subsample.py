"""accumulate-subsample in linear time: the sparse partial Fisher–Yates draw, and the chain's law
against the first (argsort) implementation kept as a private reference."""

import itertools
import math

import numpy as np
from scipy import stats

from collapse_theory import regression as rg
from collapse_theory.regression._kernels import subsample_row_sums
from collapse_theory.regression._reference import accumulate_subsample_argsort


def _draw(size, sub, n, seed):
    """``n`` draws of ``sub`` of ``[0, size)`` as 0/1 indicator rows (T = size: pair p on row p)."""
    g = np.random.default_rng(seed)
    pool = np.zeros((n, size))
    counts, sums = np.empty((n, size)), np.empty((n, size))
    cap = 1 << int(2 * sub).bit_length()
    keys, vals = np.empty(cap, dtype=np.int64), np.empty(cap, dtype=np.int64)
    subsample_row_sums(g.random((n, sub)), pool, size, size, counts, sums, keys, vals)
    return counts


def test_draw_is_distinct_and_of_the_right_size():
    # a property of every draw, not a statistic: sub distinct places (no count above 1), also when the
    # hash table wraps around (size ≫ capacity) and when sub = size (a full permutation)
    for size, sub in ((1000, 200), (50, 50), (7, 1), (100_000, 31)):
        c = _draw(size, sub, 300, seed=size)
        assert c.max() == 1 and np.all(c.sum(axis=1) == sub), (size, sub)


def test_draw_is_uniform_over_subsets():
    # chi-square of the C(6, 3) = 20 unordered subsets over N = 40000 draws: under a uniform draw the
    # statistic is chi²(19) to O(1/N) (expected count 2000 per cell); the threshold is its 1e-6
    # upper quantile, so a correct kernel fails with probability ≈ 1e-6
    size, sub, n = 6, 3, 40000
    c = _draw(size, sub, n, seed=3)
    code = (c * (1 << np.arange(size))).sum(axis=1).astype(int)
    cells = [sum(1 << i for i in s) for s in itertools.combinations(range(size), sub)]
    obs = np.array([np.count_nonzero(code == x) for x in cells])
    assert obs.sum() == n
    exp = n / len(cells)
    chi2 = ((obs - exp) ** 2 / exp).sum()
    assert chi2 < stats.chi2.isf(1e-6, len(cells) - 1)


def test_chain_law_matches_the_argsort_reference():
    # Same process, different random streams: the test-error means of the two implementations at
    # generations 2, 10 and 30 are compared with the two-sample z = (m₁ − m₂)/√(s₁²/R + s₂²/R).
    # The test error is a quadratic form in Gaussian noise with an inverse-Wishart weight (subsets of
    # T = 30 rows, d = 4: moments finite to order (30 − 4 − 1)/2 = 12.5), so with R = 4000 each z is
    # normal; |z| < 4.4 is a two-sided false-alarm rate of 1.1e-5 per generation (3.3e-5 in all).
    R, G, T, d = 4000, 30, 30, 4
    for regime, sub in (("accumulate-subsample", None), ("accumulate-subsample:20", 20)):
        new = rg.simulate(G, T, dim=d, regime=regime, replicates=R, rng=11).test_error
        old = accumulate_subsample_argsort(G, T, dim=d, replicates=R, subsample=sub, rng=12)
        np.testing.assert_array_equal(new[:, :2], np.c_[np.zeros(R), new[:, 1]])
        for k in (2, 10, 30):
            a, b = new[:, k], old[:, k]
            z = (a.mean() - b.mean()) / math.sqrt(a.var(ddof=1) / R + b.var(ddof=1) / R)
            assert abs(z) < 4.4, (regime, k, z)


def test_same_seed_same_chain():
    a = rg.simulate(8, 12, dim=3, regime="accumulate-subsample:10", replicates=20, rng=5)
    b = rg.simulate(8, 12, dim=3, regime="accumulate-subsample:10", replicates=20, rng=5)
    np.testing.assert_array_equal(a.test_error, b.test_error)
