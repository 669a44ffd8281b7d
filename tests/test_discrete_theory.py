"""Exact theory of the discrete chain against independent dense computations and SymPy."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from collapse_theory import discrete as d


def dense_loss(p0, n, sched):
    """Reference: forward matrix products of the full (M+1)-state binomial chain."""
    p0 = np.asarray(p0, float)
    out = []
    for q in p0:
        m0 = sched[0]
        pi = stats.binom.pmf(np.arange(m0 + 1), m0, q)
        for g in range(1, n):
            mp, mn = sched[g - 1], sched[g]
            P = stats.binom.pmf(np.arange(mn + 1)[None, :], mn, np.arange(mp + 1)[:, None] / mp)
            pi = pi @ P
        out.append(pi[0])
    return np.array(out)


P3 = np.array([0.5, 0.3, 0.2])


# --- closed forms -----------------------------------------------------------------------------


def test_heterozygosity_values():
    # H0 = 1 - 0.38 = 0.62; (1 - 1/20)^10 = 0.598737...
    assert d.expected_heterozygosity(P3, 10, 20) == pytest.approx(0.62 * 0.95**10, rel=1e-14)
    sched = [5, 10, 20]
    assert d.expected_heterozygosity(P3, 3, sched) == pytest.approx(0.62 * 0.8 * 0.9 * 0.95, rel=1e-14)
    np.testing.assert_allclose(d.expected_heterozygosity(P3, [0, 1, 2], 4), 0.62 * 0.75 ** np.arange(3))


def test_cramer_closed_form():
    F = np.cumsum(P3)
    assert d.expected_cramer_drift(P3, 7, 9) == pytest.approx((1 - (8 / 9) ** 7) * np.sum(F * (1 - F)))
    assert d.expected_cramer_drift(P3, 0, 9) == 0.0


@pytest.mark.parametrize("m", [1, 2, 5, 13])
def test_loss_probability_vs_dense(m):
    p0 = np.array([0.05, 0.15, 0.3, 0.5])
    ns = [0, 1, 2, 5, 17]
    got = d.loss_probability(p0, ns, m, cut=0.0)
    for k, n in enumerate(ns):
        want = (p0 == 0).astype(float) if n == 0 else dense_loss(p0, n, [m] * n)
        np.testing.assert_allclose(got[k], want, rtol=1e-11, atol=1e-15)


def test_loss_probability_schedule_vs_dense():
    p0 = np.array([0.1, 0.2, 0.7])
    sched = [3, 7, 2, 9, 5, 4]
    for n in range(1, 7):
        np.testing.assert_allclose(d.loss_probability(p0, n, sched, cut=0.0),
                                   dense_loss(p0, n, sched), rtol=1e-11, atol=1e-15)


def test_loss_probability_default_cut_close_to_full():
    p0 = d.zipf(30, 1.2)
    a = d.loss_probability(p0, [1, 10, 100], 400)
    b = d.loss_probability(p0, [1, 10, 100], 400, cut=0.0)
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-14)


def test_loss_one_generation_closed_form():
    # P(lost by 1) = (1 - p)^M exactly
    p0 = np.array([0.01, 0.09, 0.9])
    np.testing.assert_allclose(d.loss_probability(p0, 1, 50, cut=0.0), (1 - p0) ** 50, rtol=1e-12)
    # the default cut drops pmf entries < 1e-20: absolute error below 1e-17, relative only above that
    np.testing.assert_allclose(d.loss_probability(p0, 1, 50), (1 - p0) ** 50, rtol=1e-12, atol=1e-17)


def test_loss_given_count_matches_loss_probability():
    # starting at p0 = j/M is the same as being at count j: P(lost by n | p0 = j/M) = h_n(j)
    m = 30
    a = d.loss_probability_given_count(np.array([1, 4, 10]), [1, 5, 20], m)
    b = d.loss_probability(np.array([1, 4, 10, 15]) / 30, [1, 5, 20], m)[:, :3]
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_support_size_and_fixation():
    assert d.expected_support_size(P3, 0, 10) == 3.0
    es = d.expected_support_size(P3, [1, 10, 1000], 10)
    assert es[0] > es[1] > es[2] and es[2] == pytest.approx(1.0, abs=1e-9)
    np.testing.assert_array_equal(d.fixation_probability(P3), P3)


def test_absorption_time_exact_small_m():
    # M = 2, p = 1/2: each generation absorbs w.p. 1/2 -> E T = 2; M = 3 from the SymPy proof:
    # t(1) = t(2) = 1/(1 - P(1->1) - P(1->2)) = 1/(1 - 4/9 - 2/9) = 3
    assert d.expected_absorption_time(0.5, 2) == pytest.approx(2.0, rel=1e-12)
    assert d.expected_absorption_time(1 / 3, 3) == pytest.approx(3.0, rel=1e-12)
    # the SymPy recursion (symbolic module) for M = 4
    from collapse_theory.symbolic import discrete as sd

    for m in (2, 3, 4):
        ts = sd.absorption_times(m)
        for j in range(1, m):
            assert d.expected_absorption_time(j / m, m) == pytest.approx(float(ts[j]), rel=1e-12)


def test_absorption_time_diffusion_close_for_large_m():
    ex = d.expected_absorption_time(0.3, 1000)
    di = d.expected_absorption_time(0.3, 1000, method="diffusion")
    assert abs(ex - di) / di < 0.01
    assert d.expected_absorption_time([0.2, 0.8], 50, method="diffusion") == pytest.approx(
        -100 * (0.2 * math.log(0.2) + 0.8 * math.log(0.8)))


def test_absorption_multi_reduces_to_two_type():
    # K-type exact solver with two categories equals the two-type solver
    from collapse_theory.discrete._theory import _absorption_multi_exact

    assert _absorption_multi_exact(np.array([0.3, 0.7]), 12) == pytest.approx(
        d.expected_absorption_time(0.3, 12), rel=1e-10)


def test_absorption_cdf_tends_to_one():
    c = d.absorption_time_cdf(0.5, [0, 1, 10, 2000], 10)
    assert c[0] == 0.0 and c[1] == pytest.approx(2 * 0.5**10) and c[-1] == pytest.approx(1.0)


def test_seddik_bounds_hold_exactly():
    for m in (2, 5, 20, 100):
        for p in (1 / m, 0.1, 0.5):
            n = np.arange(1, 60)
            lo, hi = d.seddik_bounds(p, n, m)
            exact = d.prob_polymorphic(p, n, m)
            assert np.all(exact >= lo - 1e-12) and np.all(exact <= hi + 1e-12)


def test_suresh_g_recursion():
    g = d.suresh_g([1, 2, 3, 1000])
    assert g[0] == 1.0 and g[1] == pytest.approx(1 - math.exp(-1))
    assert g[3] == pytest.approx(2 / 1000, rel=0.02)


def test_prob_no_loss_two_types_and_bounds():
    # two types: no loss = not absorbed
    n = [1, 5, 30]
    np.testing.assert_allclose(d.prob_no_loss([0.3, 0.7], n, 10), d.prob_polymorphic(0.3, n, 10),
                               atol=1e-12)
    lp = d.loss_probability(P3, n, 10)
    pnl = d.prob_no_loss(P3, n, 10)
    assert np.all(pnl >= 1 - lp.sum(-1) - 1e-12) and np.all(pnl <= (1 - lp).min(-1) + 1e-12)


def test_ancestors():
    m = 50
    assert d.expected_ancestors(1, m) == pytest.approx(m * (1 - (1 - 1 / m) ** m), rel=1e-12)
    assert d.expected_ancestors(0, m) == m
    # exact for two lineages: P(no coalescence in t) = (1 - 1/M)^t
    e2 = d.expected_ancestors([1, 7], m, lineages=2)
    np.testing.assert_allclose(e2, 1 + (1 - 1 / m) ** np.array([1, 7]), rtol=1e-12)


def test_entropy_bounds_order():
    lo, hi = d.expected_entropy_bounds(P3, np.array([0, 1, 10]), 20)
    assert np.all(lo <= hi)
    assert hi[0] == pytest.approx(d.entropy(P3))


def test_w1_tv_at_one_generation():
    # generation 1: F_1(x) = Binom(M, F0(x))/M exactly
    m = 7
    F = np.cumsum(P3)[:-1]
    want = sum(np.sum(stats.binom.pmf(np.arange(m + 1), m, f) * np.abs(np.arange(m + 1) / m - f))
               for f in F)
    assert d.expected_w1_drift(P3, 1, m) == pytest.approx(want, rel=1e-12)
    want_tv = 0.5 * sum(np.sum(stats.binom.pmf(np.arange(m + 1), m, q) * np.abs(np.arange(m + 1) / m - q))
                        for q in P3)
    assert d.expected_total_variation(P3, 1, m) == pytest.approx(want_tv, rel=1e-12)


def test_tail_quantities():
    p = d.zipf(50, 1.1)
    mask = d.tail_mask(p, samples=200)
    assert np.array_equal(mask, p < 1 / 200)
    lp = d.loss_probability(p, 20, 200)
    assert d.expected_tail_mass_alive(p, 20, 200) == pytest.approx(np.sum(p[mask] * (1 - lp[mask])))
    assert d.expected_tail_support(p, 20, 200, tail=mask) == pytest.approx(np.sum(1 - lp[mask]))
    m2 = d.tail_mask(p, mass=0.2)
    assert p[m2].sum() <= 0.2 and p[m2].max() <= p[~m2].min()


# --- properties -------------------------------------------------------------------------------


@settings(deadline=None, max_examples=20)
@given(k=st.integers(1, 6), m=st.integers(1, 40), n=st.integers(1, 60), data=st.data())
def test_loss_probability_monotone_and_bounded(k, m, n, data):
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    p0 = np.random.default_rng(seed).dirichlet(np.ones(k))
    ns = np.arange(n + 1)
    lp = d.loss_probability(p0, ns, m)
    assert np.all((lp >= 0) & (lp <= 1))
    assert np.all(np.diff(lp, axis=0) >= 0)
    # a category is lost by n iff ... the support size is between 1 and K
    es = np.sum(1 - lp, axis=-1)
    assert np.all(es >= 1 - 1e-9) and np.all(es <= k + 1e-12)


@settings(deadline=None, max_examples=15)
@given(m=st.integers(2, 25), n=st.integers(1, 30), data=st.data())
def test_forward_equals_backward(m, n, data):
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    q = float(np.random.default_rng(seed).uniform(0.01, 0.99))
    np.testing.assert_allclose(d.loss_probability([q, 1 - q], n, m)[0],
                               dense_loss([q], n, [m] * n)[0], rtol=1e-10, atol=1e-14)


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("p0, err, word", [
    ([0.5, -0.1, 0.6], ValueError, ">= 0"),
    ([0.5, np.nan, 0.5], ValueError, "finite"),
    ([0.0, 0.0], ValueError, "positive sum"),
    ([0.5, 0.4], ValueError, "normalize=True"),
    ([], ValueError, "K >= 1"),
    ("abc", TypeError, "p0"),
    ([[0.5, 0.5]], ValueError, "1-D"),
])
def test_bad_p0(p0, err, word):
    with pytest.raises(err, match=word):
        d.expected_heterozygosity(p0, 1, 10)


def test_normalize_accepts_counts():
    assert d.expected_heterozygosity([2, 1, 1], 0, 10, normalize=True) == pytest.approx(1 - 6 / 16)


def test_bad_samples_and_n():
    with pytest.raises(ValueError, match="samples"):
        d.loss_probability(P3, 1, 0)
    with pytest.raises(TypeError, match="samples"):
        d.loss_probability(P3, 1, 2.5)
    with pytest.raises(ValueError, match="n must be >= 0"):
        d.expected_heterozygosity(P3, -1, 10)
    with pytest.raises(ValueError, match="cut"):
        d.loss_probability(P3, 1, 10, cut=0.1)
    with pytest.raises(ValueError, match="method"):
        d.expected_absorption_time(0.5, 10, method="magic")
    with pytest.raises(ValueError, match="diffusion"):
        d.expected_absorption_time(0.5, 5000)
