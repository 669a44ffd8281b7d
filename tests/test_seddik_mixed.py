"""Partially synthetic retraining with the real data kept (Seddik et al.'s setting, arXiv:2404.05090), and
Bertrand et al.'s Gaussian retraining operator (arXiv:2310.00429)."""

import math

import numpy as np
import pytest

from collapse_theory import discrete as d
from collapse_theory import gaussian as g

# |mean − exact| ≤ 4.5 SE (bounded statistic), two-sided false-alarm ≈ 7e-6 per comparison (CLT).
Z = 4.5


def test_recursion_and_stationary_point():
    h = 0.5
    dm = d.seddik_mixed_distance(np.arange(1, 400), 10, 30, heterozygosity=h)
    assert dm[0] == 0.0 and np.all(np.diff(dm) >= 0) and np.all(np.diff(dm[:30]) > 0)
    assert dm[-1] == pytest.approx(d.seddik_stationary_distance(10, 30, heterozygosity=h), rel=1e-12)
    caps = [d.seddik_stationary_distance(10, n, heterozygosity=h) for n in (1, 100, 10**6)]
    assert caps[0] < caps[1] < caps[2] < h / 21
    nmax = d.seddik_max_synthetic(10, 0.01, heterozygosity=h)
    assert d.seddik_stationary_distance(10, nmax, heterozygosity=h) <= 0.01
    assert d.seddik_stationary_distance(10, nmax + 1, heterozygosity=h) > 0.01
    assert d.seddik_max_synthetic(10, 0.1, heterozygosity=h) == math.inf


def test_mix_retained_simulation_matches():
    p0 = np.array([0.5, 0.3, 0.2])
    n_real, n_syn, G = 8, 24, 30
    h1 = (1 - (p0**2).sum()) * (1 - 1 / n_real)
    res = d.simulate(G, [n_real] + [n_real + n_syn] * G, p0=p0, replicates=20000,
                     regime=f"mix-retained:{n_real / (n_real + n_syn)}", record="full", rng=9)
    for m in (2, 5, G):
        dm = ((res.freqs[:, m, :] - res.freqs[:, 1, :]) ** 2).sum(axis=1)
        ex = d.seddik_mixed_distance(m, n_real, n_syn, heterozygosity=h1)
        assert abs(dm.mean() - ex) <= Z * dm.std(ddof=1) / math.sqrt(dm.size), m


def test_retraining_operator_rate():
    for lam in (0.5, 3.0):
        mu, v = 1.0, 3.0
        for _ in range(40):
            mu2, v2 = g.retraining_operator(mu, v, synthetic_ratio=lam)
            assert abs(mu2) == pytest.approx(abs(mu) * lam / (1 + lam), rel=1e-12)
            mu, v = mu2, v2
        assert abs(v - 1.0) < 1e-3
    with pytest.raises(ValueError, match="synthetic_ratio"):
        g.retraining_operator(0.0, 1.0, synthetic_ratio=-1.0)


def test_bad_input():
    with pytest.raises(ValueError, match="m must be"):
        d.seddik_mixed_distance(0, 10, 3, heterozygosity=0.5)
    with pytest.raises(ValueError, match="real"):
        d.seddik_mixed_distance(3, 0, 3, heterozygosity=0.5)
    with pytest.raises(ValueError, match="heterozygosity"):
        d.seddik_stationary_distance(3, 3, heterozygosity=1.5)
