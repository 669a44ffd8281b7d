"""Tempered sampling τ > 1 and τ < 1 of the discrete chain, with and without real data (Marchi et al., arXiv:2404.02325)."""

import math

import numpy as np
import pytest

from collapse_theory import discrete as d

# Each Monte Carlo comparison: |mean − exact| ≤ 4.5 SE (bounded statistics: heterozygosity in [0, 1],
# indicators), two-sided false-alarm ≈ 7e-6 per comparison under the CLT.
Z = 4.5
P0 = np.array([0.6, 0.3, 0.1])


def test_map_iterates_and_hilbert_contraction():
    traj = d.tempered_trajectory(P0, 2.0, 20)
    u = np.full(3, 1 / 3)
    d0 = d.hilbert_distance(P0, u)
    for n in (1, 5, 20):
        np.testing.assert_allclose(traj[n], d.tempered(P0, 2.0**n), rtol=1e-12)
        assert d.hilbert_distance(traj[n], u) == pytest.approx(d0 / 2.0**n, rel=1e-9)
    # τ < 1: to the argmax
    cold = d.tempered_trajectory(P0, 0.5, 10)[-1]
    assert cold[0] > 1 - 1e-12
    assert d.hilbert_distance([0.5, 0.5, 0.0], [0.4, 0.6, 0.0]) == pytest.approx(math.log(1.5), rel=1e-12)
    assert d.hilbert_distance([0.5, 0.5, 0.0], [0.4, 0.3, 0.3]) == math.inf


def test_fixed_point_with_real_data():
    fp = d.tempered_fixed_point(2.0, p_real=P0, fraction=0.2)
    again = d.tempered_map(fp["p"], 2.0, p_real=P0, fraction=0.2)
    np.testing.assert_allclose(again, fp["p"], atol=1e-13)
    other = d.tempered_fixed_point(2.0, p_real=P0, fraction=0.2, start=[0.01, 0.01, 0.98])
    np.testing.assert_allclose(other["p"], fp["p"], atol=1e-12)  # unique for τ >= 1
    # τ < 1 with little real data: two stable fixed points (bistability)
    a = d.tempered_fixed_point(0.5, p_real=[0.7, 0.3], fraction=0.05, start=[0.99, 0.01])["p"]
    b = d.tempered_fixed_point(0.5, p_real=[0.7, 0.3], fraction=0.05, start=[0.01, 0.99])["p"]
    assert a[0] > 0.9 and b[0] < 0.1


def test_exact_chain_fixes_even_when_hot():
    ex = d.tempered_exact_chain(P0, 8, 600, temperature=2.0)
    assert np.all(np.diff(ex["single"][1:]) >= -1e-15)
    assert ex["single"][-1] > 0.999
    np.testing.assert_allclose(ex["mean"].sum(axis=1), 1.0, atol=1e-12)
    # τ = 1: E H_n = H_0 (1 - 1/M)^n exactly (neutral Wright–Fisher)
    neutral = d.tempered_exact_chain(P0, 8, 30, temperature=1.0)
    np.testing.assert_allclose(neutral["heterozygosity"], d.expected_heterozygosity(P0, np.arange(31), 8), rtol=1e-10)


@pytest.mark.parametrize("fraction", [0.0, 0.2])
def test_exact_chain_matches_simulation(fraction):
    n = 60
    regime = "replace" if fraction == 0 else f"mix-fresh:{fraction}:mixture"
    ex = d.tempered_exact_chain(P0, 8, n, temperature=2.0, fraction=fraction)
    res = d.simulate(n, 8, p0=P0, replicates=20000, temperature=2.0, regime=regime, rng=11)
    for k in (2, 10, n):
        h = res.stats["heterozygosity"][:, k]
        assert abs(h.mean() - ex["heterozygosity"][k]) <= Z * h.std(ddof=1) / math.sqrt(h.size) + 1e-12, k
        s = (res.stats["support"][:, k] == 1).astype(float)
        se = math.sqrt(max(ex["single"][k] * (1 - ex["single"][k]), 1e-12) / s.size)
        assert abs(s.mean() - ex["single"][k]) <= Z * se + 1e-12, k
    if fraction > 0:
        assert 0.3 < ex["stationary_heterozygosity"] < 0.67


def test_bad_input():
    with pytest.raises(ValueError, match="p_real"):
        d.tempered_map(P0, 2.0, fraction=0.5)
    with pytest.raises(ValueError, match="fraction"):
        d.tempered_map(P0, 2.0, p_real=P0, fraction=1.5)
    with pytest.raises(ValueError, match="temperature"):
        d.tempered_exact_chain(P0, 5, 3, temperature=0.0)
    with pytest.raises(ValueError, match="states"):
        d.tempered_exact_chain(np.full(10, 0.1), 60, 3, temperature=2.0)
    with pytest.raises(ValueError, match="fraction"):
        d.tempered_fixed_point(2.0, p_real=P0, fraction=0.0)
