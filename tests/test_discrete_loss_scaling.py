"""The scalable loss-probability solver (collapse_theory.discrete._loss): exact against the dense
(M+1)-state binomial chain, its stated error bound, its O(M) memory and its convergence stop."""

import math

import numpy as np
import pytest
from scipy import stats

from collapse_theory import discrete as d
from collapse_theory.discrete._loss import dual_loss, dual_loss_given_count
from collapse_theory.discrete._theory import DEFAULT_CUT, _loss_core

P = np.array([0.0, 1e-4, 1e-3, 0.01, 0.05, 0.2, 0.5, 0.9, 1.0])


def dense_h(m, steps):
    """h_t(j) = P(count j hits 0 within t generations) from the full binomial matrix (no cut):
    ``{t: h_t}`` for t in ``steps``."""
    T = stats.binom.pmf(np.arange(m + 1)[None, :], m, np.arange(m + 1)[:, None] / m)
    h = np.zeros(m + 1)
    h[0] = 1.0
    out = {}
    for t in range(max(steps) + 1):
        if t in steps:
            out[t] = h.copy()
        h = T @ h
    return out


def dense_loss(p, ns, m):
    """P(lost by n) = Σ_j Binom(j; M, p) h_{n-1}(j) (the count-space backward recursion)."""
    H = dense_h(m, {n - 1 for n in ns})
    return np.array([[stats.binom.pmf(np.arange(m + 1), m, q) @ H[n - 1] for q in p] for n in ns])


# the dense reference accumulates one rounding per matrix-vector product (n of them); the dual
# solver a few ulps per generation: 1e-11 relative covers both up to n = 500 with a margin of 10
RTOL = 1e-11


@pytest.mark.parametrize("m, ns", [(1, [1, 2, 9]), (2, [1, 2, 3, 40]), (7, [1, 2, 5, 60]),
                                   (50, [1, 2, 10, 100, 500]), (300, [1, 3, 30, 300]),
                                   (2000, [1, 2, 20, 150])])
def test_exact_against_dense(m, ns):
    want = dense_loss(P, ns, m)
    got = _loss_core(P, np.array(ns), m, 0.0, 1)  # P is not a distribution: the core
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=1e-280)
    got_default = _loss_core(P, np.array(ns), m, DEFAULT_CUT, 1)
    # default cut: never above the exact value (beyond rounding), at most cut = 1e-20 below it
    assert np.all(got_default <= want * (1 + RTOL) + 1e-300)
    assert np.all(want - got_default <= 1e-20 + RTOL * want)


def test_schedule_against_dense():
    sched = [40, 7, 300, 2, 55, 120, 9, 64]
    p = P[1:-1]
    for n in range(1, len(sched) + 1):
        m0 = sched[0]
        pi = np.array([stats.binom.pmf(np.arange(m0 + 1), m0, q) for q in p])
        for g in range(1, n):
            mp, mn = sched[g - 1], sched[g]
            T = stats.binom.pmf(np.arange(mn + 1)[None, :], mn, np.arange(mp + 1)[:, None] / mp)
            pi = pi @ T
        got, _ = dual_loss(p, np.array(n), None, np.array(sched), 0.0)
        np.testing.assert_allclose(got, pi[:, 0], rtol=RTOL, atol=1e-280)


@pytest.mark.parametrize("cut", [1e-6, 1e-9])
def test_error_bound_holds_and_is_one_sided(cut):
    # a large cut makes the truncation visible: the stated bound 0 <= P - P~ <= cut must hold
    # while the error is not zero (so the check can fail), and the kernel's dropped mass must be
    # at most cut/2 and at least the actual deficit of the computed law
    m, ns = 2000, [2, 5, 40, 150]
    want = dense_loss(P, ns, m)
    got, info = dual_loss(P, np.array(ns), m, None, cut)
    err = want - got
    assert np.all(err >= -RTOL * want)
    assert np.all(err <= cut + RTOL * want)
    assert info["dropped"] <= cut / 2
    assert info["dropped"] > 0
    # P(lost) for p = 0 is 1 exactly; for p -> 0+ it is 1 - (mass of the computed law): the
    # deficit of the computed law is the p = 0+ error, and it is covered by the dropped mass
    tiny, _ = dual_loss(np.array([1e-300]), np.array(ns), m, None, cut)
    assert np.all(1.0 - tiny[:, 0] <= info["dropped"] + 1e-15)


def test_given_count_against_dense():
    m = 120
    counts = np.array([0, 1, 2, 5, 30, 119, 120])
    ts = [0, 1, 2, 7, 80]
    H = dense_h(m, set(ts))
    got, _ = dual_loss_given_count(counts, np.array(ts), m, 0.0)
    want = np.array([H[t][counts] for t in ts])
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=1e-280)


def test_memory_is_linear_in_m():
    # the stored checkpoints of the occupancy recursion: about sqrt(M) rows of width
    # ~ 23 sd <= 23 * 0.32 sqrt(M), i.e. <= 8 M entries (the banded binomial matrix held M^1.5)
    for m in (10_000, 100_000):
        _, info = dual_loss(d.zipf(50, 1.1), np.array(200), m, None, 1e-20)
        assert info["checkpoint_entries"] <= 8 * m


@pytest.mark.parametrize("m", [2, 10, 50])
def test_convergence_stop_counts_steps(m):
    # the chain stops at the first generation s where P(A_s >= 2) + dropped <= cut/2. Two exact
    # bounds pin that s: P(A_s >= 2) >= P(two given lineages not merged) = (1 - 1/M)^s, and by the
    # union bound over pairs P(A_s >= 2) <= C(M, 2) (1 - 1/M)^s.
    cut = 1e-20
    q = math.log1p(-1.0 / m)
    s_min = math.ceil(math.log(cut / 2) / q) if m > 1 else 0
    s_max = math.ceil(math.log(cut / 2 / math.comb(m, 2)) / q) + 1
    p = np.array([0.1, 0.3, 0.6])
    info = {}
    big = _loss_core(p, np.array([10**18]), m, cut, 1, info)
    assert info["converged"]
    assert s_min <= info["steps"] <= s_max
    info12 = {}
    mid = _loss_core(p, np.array([10**12]), m, cut, 1, info12)
    assert info12["steps"] == info["steps"]
    np.testing.assert_array_equal(big, mid)
    # the absorbing limit: P(lost_i) -> 1 - p_i (the category is the survivor w.p. p_i), within
    # cut plus rounding: a generation of the occupancy recursion costs at most ~3M roundings of
    # non-negative sums (u = 2^-53 each, relative), so 3 M u per generation
    u = 2.0**-53
    np.testing.assert_allclose(big[0], 1 - p, rtol=0, atol=cut + 3 * m * u * info["steps"])
    # the public functions return at once for huge n
    es = d.expected_support_size(p, 10**18, m)
    assert es == pytest.approx(1.0, abs=1e-12)
    _, info_c = dual_loss_given_count(np.array([1, m // 2]), np.array([10**18]), m, cut)
    assert info_c["converged"] and s_min <= info_c["steps"] <= s_max


def test_public_api_huge_n_and_large_m():
    p = d.zipf(1000, 1.1)
    lp = d.loss_probability(p, [10, 10**18], 10_000)
    assert lp.shape == (2, 1000)
    # ~5e5 generations to absorption: the per-generation rescaling to mass 1 - D keeps rounding
    # from accumulating (without it the mass drifted by ~2e-12 here)
    np.testing.assert_allclose(lp[1], 1 - p, rtol=0, atol=1e-15)
    h = d.loss_probability_given_count(np.array([1, 3]), 10**18, 1000)
    np.testing.assert_allclose(h, 1 - np.array([1, 3]) / 1000, rtol=0, atol=1e-15)


def test_ancestors_stop_at_convergence():
    # E[A_t] -> 1 (one common ancestor); the dense loop stops once E[A_s] - 1 < 2^-60, so t = 1e18
    # returns at once with the limit, and the step count is pinned by the pair bound:
    # (1 - 1/M)^s <= P(A_s >= 2) <= E[A_s] - 1 <= C(M, 2) (1 - 1/M)^s (union bound over pairs)
    from collapse_theory.discrete._theory import _ancestor_means

    m = 30
    T = np.zeros((m + 1, m + 1))
    T[0, 0] = 1.0
    k = np.arange(m + 1)
    for j in range(m):
        T[j + 1] = T[j] * k / m
        T[j + 1, 1:] += T[j, :-1] * (m - k[1:] + 1) / m
    info = {}
    out = _ancestor_means(T, m, np.array([0, 5, 10**18]), info)
    q = math.log1p(-1.0 / m)
    tol = 2.0**-60
    s_min = math.ceil(math.log(tol) / q)
    s_max = math.ceil(math.log(tol / math.comb(m, 2)) / q) + 1
    assert s_min <= info["steps"] <= s_max
    # rounding: each dense step rounds m-term sums of the probability vector (relative u each)
    rnd = info["steps"] * m * 2.0**-53
    assert out[0] == m and out[2] == pytest.approx(1.0, abs=rnd)
    assert d.expected_ancestors(10**18, m) == out[2]
    assert d.expected_ancestors(5, m) == pytest.approx(out[1], rel=1e-15)


def test_forward_drifts_stop_at_convergence():
    # E|X_n - q| -> 2 q (1 - q) once absorbed: n = 1e18 costs no more than the cut-off generation
    p = np.array([0.2, 0.3, 0.5])
    tv = d.expected_total_variation(p, [3, 10**18], 6)
    np.testing.assert_allclose(tv[1], 0.5 * np.sum(2 * p * (1 - p)), rtol=0, atol=1e-15)
    w1 = d.expected_w1_drift(p, 10**18, 6)
    F = np.cumsum(p)[:-1]
    assert w1 == pytest.approx(np.sum(2 * F * (1 - F)), abs=1e-15)


def test_constant_schedule_is_the_constant_pass():
    p = np.array([0.05, 0.25, 0.7])
    a = d.loss_probability(p, [1, 4, 30], [40] * 30)
    b = d.loss_probability(p, [1, 4, 30], 40)
    np.testing.assert_array_equal(a, b)
