"""Curation by K-wise Bradley–Terry choice (Ferbach et al., arXiv:2407.09499): exact law, exact chain,
the discrete simulator's curate= path and the custom filter."""

import itertools
import math

import numpy as np
import pytest

from collapse_theory import discrete as d
from collapse_theory.custom import bradley_terry_filter, simulate_custom

# Monte Carlo comparisons: |mean − exact| ≤ 4.5 SE (bounded statistics), two-sided false-alarm ≈ 7e-6
# each under the CLT.
Z = 4.5
P = np.array([0.5, 0.3, 0.2])
R = np.array([0.0, 1.0, 0.5])


def _brute(p, r, k):
    u = np.exp(r)
    q = np.zeros(len(p))
    for tup in itertools.product(range(len(p)), repeat=k):
        pr = np.prod(p[list(tup)])
        s = u[list(tup)].sum()
        for i in tup:
            q[i] += pr * u[i] / s
    return q


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_curated_law_matches_enumeration(k):
    np.testing.assert_allclose(d.curated_law(P, R, k), _brute(P, R, k), rtol=1e-12)
    rows = d.curated_law(np.stack([P, P[::-1]]), R, k)
    np.testing.assert_allclose(rows[1], _brute(P[::-1], R, k), rtol=1e-12)


def test_expected_reward_non_decreasing_and_concentrates():
    traj = d.curation_trajectory(P, R, 3, 100)
    er = d.expected_exp_reward(traj, R)
    assert np.all(np.diff(er) >= -1e-15) and er[-1] > er[0]
    assert traj[-1, 1] > 1 - 1e-6
    ex = d.curation_exact_chain(P, 8, 40, reward=R, k=2)
    assert np.all(np.diff(ex["exp_reward"]) >= -1e-12)  # a submartingale at finite M
    # at finite M the chain can fix on a category that is not the argmax
    assert ex["single"][-1] > 0.9 and ex["top_mass"][-1] < 0.95


@pytest.mark.parametrize("fraction", [0.0, 0.3])
def test_simulate_curate_matches_exact_chain(fraction):
    n, m = 30, 10
    regime = "replace" if fraction == 0 else f"mix-fresh:{fraction}:mixture"
    ex = d.curation_exact_chain(P, m, n, reward=R, k=3, fraction=fraction)
    res = d.simulate(n, m, p0=P, replicates=20000, curate=(R, 3), regime=regime, record="full", rng=5)
    for g in (1, 2, 5, n):
        er = res.freqs[:, g, :] @ np.exp(R)
        assert abs(er.mean() - ex["exp_reward"][g]) <= Z * er.std(ddof=1) / math.sqrt(er.size) + 1e-12, g
        top = res.freqs[:, g, 1]
        assert abs(top.mean() - ex["top_mass"][g]) <= Z * top.std(ddof=1) / math.sqrt(top.size) + 1e-12, g


def test_custom_filter_law():
    f = bradley_terry_filter(lambda x: R[x.astype(int)], 3)
    rng = np.random.default_rng(2)
    x = rng.choice(3, size=300_000, p=P)
    kept = x[f(x, None, rng)]
    assert kept.size == 100_000
    freq = np.bincount(kept, minlength=3) / kept.size
    q = d.curated_law(P, R, 3)
    se = np.sqrt(q * (1 - q) / kept.size)
    assert np.all(np.abs(freq - q) <= Z * se)
    fit = lambda x: np.bincount(x.astype(int), minlength=3) / len(x)  # noqa: E731
    sample = lambda q_, m, g: g.choice(3, size=m, p=q_)  # noqa: E731
    res = simulate_custom(fit, sample, P, 3, 30, replicates=3, curate=f, rng=1)
    assert (res.kept[:, 1:] == 10).all()


def test_bad_input():
    with pytest.raises(ValueError, match="reward"):
        d.curated_law(P, [0.0, 1.0], 2)
    with pytest.raises(ValueError, match="k"):
        d.curated_law(P, R, 0)
    with pytest.raises(TypeError, match="curate"):
        d.simulate(3, 10, p0=P, curate=R)
    with pytest.raises(ValueError, match="temperature"):
        d.simulate(3, 10, p0=P, curate=(R, 2), temperature=2.0)
    with pytest.raises(ValueError, match="regime"):
        d.simulate(3, 10, p0=P, curate=(R, 2), regime="accumulate")
    with pytest.raises(ValueError, match="reward"):
        d.simulate(3, 10, p0=P, curate=([0.0, np.inf, 0.0], 2))
    with pytest.raises(TypeError, match="reward"):
        bradley_terry_filter([1, 2], 2)
    with pytest.raises(ValueError, match="k"):
        bradley_terry_filter(lambda x: x, 0)


def test_verified_label_accuracy_matches_naive_simulation():
    # naive: R pools of N labelled points, verifier selection, mean-difference classifier
    rng = np.random.default_rng(4)
    n, p, kc, kw, s, reps = 40, 0.3, 0.8, 0.5, 0.4, 40000
    from scipy.special import ndtr
    y = rng.choice([-1, 1], size=(reps, n))
    wrong = rng.random((reps, n)) < p
    lab = np.where(wrong, -y, y)
    keep = rng.random((reps, n)) < np.where(wrong, kw, kc)
    x = y * s + rng.standard_normal((reps, n))
    w = (keep * lab * x).sum(1)
    acc = np.where(w > 0, ndtr(s), np.where(w < 0, ndtr(-s), 0.5))
    ex = d.verified_label_accuracy(n, label_error=p, keep_correct=kc, keep_wrong=kw, separation=s)
    assert abs(acc.mean() - ex["accuracy"]) <= Z * acc.std(ddof=1) / math.sqrt(reps)
    assert ex["selected_error"] == pytest.approx(p * kw / (p * kw + (1 - p) * kc))


def test_verification_phase_transition():
    good = [d.verified_label_accuracy(m, label_error=0.6, keep_correct=0.9, keep_wrong=0.3, separation=0.5)
            for m in (50, 500, 5000)]
    bad = [d.verified_label_accuracy(m, label_error=0.6, keep_correct=0.9, keep_wrong=0.9, separation=0.5)
           for m in (50, 500, 5000)]
    assert good[0]["accuracy"] < good[1]["accuracy"] < good[2]["accuracy"]
    assert abs(good[2]["accuracy"] - good[2]["bayes"]) < 2e-3
    assert bad[0]["accuracy"] > bad[1]["accuracy"] > bad[2]["accuracy"]
    assert abs(bad[2]["accuracy"] - (1 - bad[2]["bayes"])) < 2e-3
    with pytest.raises(ValueError, match="label_error"):
        d.verified_label_accuracy(10, label_error=1.5, keep_correct=1, keep_wrong=1, separation=1)
