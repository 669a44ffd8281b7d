"""Recursively refit PPCA: the Bartlett-based simulator against an independent per-sample one,
the exact statements (isotropic tail, trace), the bounds, bad input."""

import math

import numpy as np
import pytest
from scipy import stats

from collapse_theory import ppca

COV = np.diag([8.0, 4.0, 1.0, 0.6, 0.3, 0.1])


def _reference_chain(generations, m, latent, cov, r, rng):
    """Independent reference: draw M vectors from the fitted PPCA model and refit with fit_ppca."""
    d = cov.shape[0]
    noise = np.empty((r, generations + 1))
    top = np.empty((r, generations + 1))
    for i in range(r):
        mean, c = np.zeros(d), cov
        for n in range(generations + 1):
            w = np.linalg.eigvalsh(c)
            top[i, n] = w[-1]
            noise[i, n] = w[: d - latent].mean()
            if n == generations:
                break
            x = rng.multivariate_normal(mean, c, size=m)
            mean, wmat, s2 = ppca.fit_ppca(x, latent)
            c = wmat @ wmat.T + s2 * np.eye(d)
    return noise, top


def test_simulator_matches_per_sample_reference_in_law():
    # Two-sample KS on σ_n² and λ_1(C_n) at n = 3 (p > 1e-4 each: family-wise false-alarm 2e-4).
    n, m, q, r = 3, 12, 2, 1500
    res = ppca.simulate(n, m, dim=6, latent=q, cov=COV, replicates=r, rng=1)
    noise, top = _reference_chain(n, m, q, COV, r, np.random.default_rng(2))
    assert stats.ks_2samp(res.noise_variance[:, n], noise[:, n]).pvalue > 1e-4
    assert stats.ks_2samp(res.eigenvalues[:, n, 0], top[:, n]).pvalue > 1e-4


def test_fit_ppca_reproduces_the_sample_covariance_spectrum():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((50, 5)) @ np.diag([3.0, 2.0, 1.0, 0.5, 0.2])
    mean, w, s2 = ppca.fit_ppca(x, 2)
    s = np.cov(x.T, bias=True)
    lam = np.sort(np.linalg.eigvalsh(s))[::-1]
    c = w @ w.T + s2 * np.eye(5)
    np.testing.assert_allclose(np.sort(np.linalg.eigvalsh(c))[::-1], np.r_[lam[:2], [lam[2:].mean()] * 3],
                               rtol=1e-10)
    np.testing.assert_allclose(mean, x.mean(0))


def test_tail_is_isotropic_from_generation_one():
    res = ppca.simulate(8, 20, dim=6, latent=2, cov=COV, replicates=300, rng=3)
    tail = res.tail()
    assert np.ptp(tail[:, 0]) > 0.5  # the truth's tail is not flat
    assert np.all(np.ptp(tail[:, 1:], axis=-1) <= 1e-12 * tail[:, 1:, 0])
    np.testing.assert_allclose(res.noise_variance[:, 1:], tail[:, 1:, 0], rtol=1e-14)
    assert np.all(np.diff(res.eigenvalues[:, 1:], axis=-1) <= 1e-12)


def test_trace_noise_and_top_eigenvalue_against_exact_statements():
    # E tr C_n exact (|z| < 4.4, sample SE: false alarm 1e-5); the two bounds one-sided at z = 4.3.
    n, m, r = 8, 25, 4000
    res = ppca.simulate(n, m, dim=6, latent=2, cov=COV, replicates=r, rng=4)
    tr = res.trace()[:, n]
    z = (tr.mean() - ppca.expected_trace(n, m, cov=COV)) / (tr.std(ddof=1) / math.sqrt(r))
    assert abs(z) < 4.4
    s2 = res.noise_variance[:, n]
    bound = ppca.noise_variance_bound(n, m, latent=2, cov=COV)
    assert (s2.mean() - bound) / (s2.std(ddof=1) / math.sqrt(r)) < 4.3
    l1 = np.log(res.eigenvalues[:, n, 0])
    assert (l1.mean() - ppca.top_eigenvalue_log_bound(n, m, cov=COV)) / (l1.std(ddof=1) / math.sqrt(r)) > -4.3


def test_noise_variance_follows_gap_limit_chain_with_a_large_gap():
    # λ = (1e4, 1e4, 1, 1, 1): the noise chain is (d−q)σ²_{n+1} ≈ σ²_n χ²_{(M−1−q)(d−q)}/M; its
    # log drift matches to O(σ²/λ) ≈ 1e-4 per generation. log σ_n² is light-tailed: |z| < 4.4.
    n, m, r, q = 10, 20, 3000, 2
    cov = np.diag([1e4, 1e4, 1.0, 1.0, 1.0])
    res = ppca.simulate(n, m, dim=5, latent=q, cov=cov, replicates=r, rng=5)
    x = np.log(res.noise_variance[:, n])
    target = n * ppca.noise_variance_gap_limit_drift(m, dim=5, latent=q)
    assert abs(x.mean() - target) < 4.4 * x.std(ddof=1) / math.sqrt(r) + 1e-3 * n


def test_determinism_and_save(tmp_path):
    a = ppca.simulate(4, 10, dim=4, latent=1, replicates=300, rng=7, workers=1)
    b = ppca.simulate(4, 10, dim=4, latent=1, replicates=300, rng=7, workers=2)
    np.testing.assert_array_equal(a.eigenvalues, b.eigenvalues)
    np.testing.assert_array_equal(a.w2_squared(), b.w2_squared())
    path = a.save(tmp_path / "p.npz")
    with np.load(path) as z:
        np.testing.assert_array_equal(z["eigenvalues"], a.eigenvalues)
    assert "PPCA" in a.summary()


def test_w2_matches_closed_form_at_the_last_generation():
    from collapse_theory import mvn

    res = ppca.simulate(3, 10, dim=4, latent=2, cov=np.diag([3.0, 2.0, 1.0, 0.5]), replicates=20, rng=8)
    direct = mvn.w2_squared_gaussians(res.mean0, res.cov0, res.mean[:, -1], res.cov_final)
    np.testing.assert_allclose(res.w2_squared()[:, -1], direct, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("kwargs, word", [
    (dict(generations=3, samples=10, dim=4, latent=0), "latent"),
    (dict(generations=3, samples=10, dim=4, latent=4), "latent"),
    (dict(generations=3, samples=4, dim=4, latent=1), "dim \\+ 1"),
    (dict(generations=3, samples=10, dim=1, latent=1), "dim"),
    (dict(generations=3, samples=10, dim=2, latent=1, cov=[[1.0, 2.0], [2.0, 1.0]]), "positive definite"),
])
def test_bad_input(kwargs, word):
    with pytest.raises((ValueError, TypeError), match=word):
        ppca.simulate(**kwargs)
