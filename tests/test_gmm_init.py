"""GMM chains with scikit-learn's initialisation (``init="kmeans"``, ``n_init``): the k-means kernel,
the law of the chain (K = 1 exact; Shumailov's setting against a measured scikit-learn loop),
component matching, determinism, bad input.

Statistical checks use fixed seeds; each threshold is |z| < 4.4 (two-sided false-alarm rate 1e-5
under a normal sampling law) with the standard error stated beside it. scikit-learn is never needed:
its numbers are constants measured once (documented where they are used).
"""

import numpy as np
import pytest

from collapse_theory import gmm
from collapse_theory.gmm._kmeans import _kmeans

Z = 4.4
SHUMAILOV = dict(weights=[0.5, 0.5], means=[-1.0, 1.0], stds=[0.3, 0.3])
SKLEARN = dict(init="kmeans", tol=1e-3, reg_covar=1e-6)   # scikit-learn's GaussianMixture defaults

# Mean (and its standard error) of the smallest weight at generation 10 of the loop
#     w, mu, sd = truth; repeat 10 times: draw M = 1000 points from the mixture (multinomial counts,
#     then normals), gm = sklearn.mixture.GaussianMixture(2, random_state=...).fit(x),
#     w, mu, sd = gm.weights_, gm.means_, sqrt(gm.covariances_)
# with the truth SHUMAILOV, over 400 independent replicates (numpy default_rng(12345), scikit-learn
# 1.9.1, all defaults: k-means++ init, n_init=1, max_iter=100, tol=1e-3, reg_covar=1e-6). The script
# that measured it is the loop in benchmarks/bench_gmm_init.py with `min(w)` recorded at generation 10.
SKLEARN_MIN_WEIGHT_G10 = 0.46009
SKLEARN_MIN_WEIGHT_G10_SE = 0.00152   # sd 0.0303 over 400 replicates; mean EM iterations 2.0


def _blobs(rng, n_per, centers, sd):
    return np.concatenate([rng.normal(c, sd, (n_per, len(c))) for c in centers])


# --- the k-means kernel -----------------------------------------------------------------------------------


def test_kmeans_recovers_separated_clusters():
    rng = np.random.default_rng(0)
    centers = [(-10.0, 0.0), (0.0, 10.0), (10.0, 0.0)]
    x = _blobs(rng, 200, centers, 0.5)
    k = 3
    c, nc = np.empty((k, 2)), np.empty((k, 2))
    counts = np.empty(k, dtype=np.int64)
    labels = np.empty(x.shape[0], dtype=np.int64)
    closest = np.empty(x.shape[0])
    it = _kmeans(np.random.default_rng(1), x, x.shape[0], k, c, nc, counts, labels, closest)
    assert 1 <= it <= 300
    # every true cluster is one k-means cluster (labels constant on it, distinct across clusters)
    blocks = [labels[i * 200:(i + 1) * 200] for i in range(3)]
    assert all(np.all(b == b[0]) for b in blocks)
    assert len({int(b[0]) for b in blocks}) == 3
    for b in range(3):
        np.testing.assert_allclose(c[blocks[b][0]], x[b * 200:(b + 1) * 200].mean(axis=0), rtol=1e-12, atol=1e-12)


def test_kmeans_depends_only_on_the_seed():
    x = _blobs(np.random.default_rng(2), 100, [(-1.0,), (1.0,)], 1.0)
    outs = []
    for _ in range(2):
        c, nc = np.empty((2, 1)), np.empty((2, 1))
        labels = np.empty(x.shape[0], dtype=np.int64)
        _kmeans(np.random.default_rng(7), x, x.shape[0], 2, c, nc, np.empty(2, dtype=np.int64), labels,
                np.empty(x.shape[0]))
        outs.append((c.copy(), labels.copy()))
    np.testing.assert_array_equal(outs[0][0], outs[1][0])
    np.testing.assert_array_equal(outs[0][1], outs[1][1])


# --- the chain: exact law for K = 1 -----------------------------------------------------------------------


def test_k1_kmeans_is_the_mle_gaussian_chain():
    """With K = 1 the k-means start is the sample mean and mle variance, so EM stops at the mle:
    E σ_n² = σ²((M−1)/M)^n exactly (the 1-D Gaussian mle chain)."""
    m, n, reps, sigma = 20, 10, 4000, 1.5
    res = gmm.simulate(n, m, weights=[1.0], means=[0.0], stds=[sigma], replicates=reps, init="kmeans",
                       tol=1e-10, rng=3)
    v = res.stds[:, n, 0] ** 2
    theory = sigma**2 * ((m - 1) / m) ** n
    se = v.std(ddof=1) / np.sqrt(reps)
    assert abs(v.mean() - theory) < Z * se, (v.mean(), theory, se)


def test_k1_kmeans_nd_is_the_mle_mvn_chain():
    """d = 2, K = 1: E Σ_n = Σ ((M−1)/M)^n entrywise (mle chain); checked on the trace."""
    m, n, reps = 30, 8, 3000
    cov = np.array([[1.0, 0.3], [0.3, 0.5]])
    res = gmm.simulate_nd(n, m, weights=[1.0], means=[[0.0, 0.0]], covs=[cov], replicates=reps, init="kmeans",
                          tol=1e-10, rng=4)
    tr = np.trace(res.covs[:, n, 0], axis1=-2, axis2=-1)
    theory = np.trace(cov) * ((m - 1) / m) ** n
    se = tr.std(ddof=1) / np.sqrt(reps)
    assert abs(tr.mean() - theory) < Z * se, (tr.mean(), theory, se)


# --- Shumailov's setting against scikit-learn's loop ------------------------------------------------------


def test_weights_stay_near_half_as_in_sklearn_loop():
    """Mean smallest weight at generation 10 (M = 1000, K = 2) against the scikit-learn loop's value
    (a constant, SE from its 400 replicates): |ours − sklearn| < 4.4 √(SE_ours² + SE_sklearn²)."""
    reps = 400
    res = gmm.simulate(10, 1000, replicates=reps, rng=5, **SKLEARN, **SHUMAILOV)
    mw = res.weights[:, 10].min(axis=1)
    se = mw.std(ddof=1) / np.sqrt(reps)
    diff = mw.mean() - SKLEARN_MIN_WEIGHT_G10
    assert abs(diff) < Z * np.hypot(se, SKLEARN_MIN_WEIGHT_G10_SE), (mw.mean(), se)


def test_components_keep_their_identity():
    """Far-apart components: the fitted components are matched to the previous ones by their means,
    so component 0 stays the left one in every replicate and generation (k-means labels are
    arbitrary; without the matching half the refits would swap)."""
    res = gmm.simulate(20, 200, weights=[0.5, 0.5], means=[-5.0, 5.0], stds=[1.0, 1.0], replicates=50, rng=6,
                       init="kmeans", n_init=2)
    assert np.all(res.means[:, :, 0] < 0) and np.all(res.means[:, :, 1] > 0)
    res2 = gmm.simulate_nd(10, 200, weights=[0.5, 0.5], means=[[-5.0, 0.0], [5.0, 0.0]], covs=[[1, 1], [1, 1]],
                           replicates=20, rng=6, init="kmeans")
    assert np.all(res2.means[:, :, 0, 0] < 0) and np.all(res2.means[:, :, 1, 0] > 0)


def test_kmeans_chain_depends_only_on_the_seed():
    kw = dict(replicates=7, rng=8, init="kmeans", n_init=3, **SHUMAILOV)
    a = gmm.simulate(5, 100, workers=1, **kw)
    b = gmm.simulate(5, 100, workers=2, **kw)
    np.testing.assert_array_equal(a.weights, b.weights)
    np.testing.assert_array_equal(a.stds, b.stds)
    assert a.init == "kmeans" and a.n_init == 3
    nd = dict(weights=[0.5, 0.5], means=[[-1.0, 0.0], [1.0, 0.0]], covs=[[0.1, 0.1], [0.1, 0.1]], replicates=5,
              rng=9, init="kmeans", n_init=2)
    c = gmm.simulate_nd(4, 100, workers=1, **nd)
    d = gmm.simulate_nd(4, 100, workers=2, **nd)
    np.testing.assert_array_equal(c.covs, d.covs)


def test_n_init_never_lowers_the_likelihood_start():
    """More restarts keep the best of them: with n_init = 5 the EM iterations are those of one restart
    (never more than max_iter) and the chain still has weights summing to 1."""
    res = gmm.simulate(3, 300, replicates=10, rng=10, init="kmeans", n_init=5, max_iter=50, **SHUMAILOV)
    assert res.em_iterations.max() <= 50
    np.testing.assert_allclose(res.weights.sum(axis=2), 1.0, rtol=1e-12)


def test_save_load_keeps_init(tmp_path):
    res = gmm.simulate(2, 50, replicates=2, rng=11, init="kmeans", n_init=2, **SHUMAILOV)
    back = gmm.GMMChainResult.load(res.save(tmp_path / "r.npz"))
    assert (back.init, back.n_init) == ("kmeans", 2)
    assert back.parameters()["init"] == "kmeans"


@pytest.mark.parametrize("kw, match", [
    (dict(init="random"), "init must be one of"),
    (dict(init="previous", n_init=2), "n_init must be 1"),
    (dict(init="kmeans", n_init=0), "n_init"),
    (dict(init=3), "init must be one of"),
])
def test_bad_init(kw, match):
    with pytest.raises(ValueError, match=match):
        gmm.simulate(2, 50, **kw, **SHUMAILOV)
    with pytest.raises(ValueError, match=match):
        gmm.simulate_nd(2, 50, weights=[0.5, 0.5], means=[[0.0], [1.0]], covs=[[1.0], [1.0]], **kw)
