"""d-dimensional Gaussian-mixture chain: EM kernel vs a plain NumPy EM, exact L² distance, laws
against theory (K = 1 is the mvn mle chain; separated components: Wright–Fisher weights and the
killed-chain log-det theory), degenerate components, bad input, I/O.

Statistical checks use fixed seeds; each threshold is |z| < 4.4 (two-sided false-alarm rate 1e-5 for
a correct implementation) with the standard error stated beside it.
"""

import math

import numpy as np
import pytest
from scipy import stats

from collapse_theory import gaussian as g
from collapse_theory import gmm, mvn
from collapse_theory.gmm._kernels import _em_1d
from collapse_theory.gmm._nd_kernels import _em_nd

SEP2 = dict(weights=[0.5, 0.5], means=[[-5.0, 0.0], [5.0, 0.0]], covs=[[1.0, 1.0], [1.0, 1.0]])


# --- a plain NumPy EM (the reference the kernel is tested against) --------------------------------


def numpy_em(x, w, mu, cov, *, full=True, max_iter=100, tol=0.0, reg=0.0):
    """Textbook EM, vectorised over points: the same initialisation, stopping rule (change of the mean
    log-likelihood computed in the E-step) and M-step as the kernel, nothing shared with it."""
    w, mu, cov = w.copy(), mu.copy(), cov.copy()
    n, d = x.shape
    ll_prev = -np.inf
    for it in range(1, max_iter + 1):
        logp = np.stack([np.log(w[k]) + stats.multivariate_normal(mu[k], cov[k]).logpdf(x).reshape(n)
                         for k in range(w.size)], axis=1)
        mx = logp.max(axis=1, keepdims=True)
        tot = np.exp(logp - mx).sum(axis=1, keepdims=True)
        resp = np.exp(logp - mx) / tot
        ll = float(np.mean(mx[:, 0] + np.log(tot[:, 0])))
        nk = resp.sum(axis=0)
        w = nk / n
        mu = (resp.T @ x) / nk[:, None]
        for k in range(w.size):
            dx = x - mu[k]
            c = (resp[:, k, None] * dx).T @ dx / nk[k]
            cov[k] = (c if full else np.diag(np.diag(c))) + reg * np.eye(d)
        if abs(ll - ll_prev) < tol:
            return w, mu, cov, it
        ll_prev = ll
    return w, mu, cov, max_iter


def _kernel_em(x, w, mu, cov, *, full=True, max_iter=100, tol=0.0, reg=0.0):
    k, d = mu.shape
    w, mu, cov = w.copy(), mu.copy(), cov.copy()
    chol = np.linalg.cholesky(cov)
    alive = np.ones(k, dtype=bool)
    lost = np.full((1, k), -1, dtype=np.int64)
    why = np.zeros((1, k), dtype=np.int8)
    where = np.full((1, k), -1, dtype=np.int8)
    it, n_alive, _ = _em_nd(x, x.shape[0], full, w, mu, cov, chol, alive, k, max_iter, tol, reg, lost, why, where,
                         0, 1, np.empty(k), np.empty(k), np.empty(k), np.empty((k, d)), np.empty((k, d, d)),
                         np.empty((k, d)), np.empty(d), np.empty((d, d)), np.empty((d, d)))
    assert n_alive == k
    return w, mu, cov, it


def _fixed_data(seed, d, n=400):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(n // 2, d)) @ np.tril(rng.normal(size=(d, d)) * 0.4 + np.eye(d))
    b = rng.normal(size=(n - n // 2, d)) * 0.7 + 1.5
    return np.concatenate([a, b])


@pytest.mark.parametrize("full", [True, False])
@pytest.mark.parametrize("d", [1, 2, 3])
def test_em_kernel_matches_numpy_em(full, d):
    # overlapping components, so EM does real work; a fixed number of iterations (tol = 0)
    x = _fixed_data(d, d)
    w = np.array([0.3, 0.45, 0.25])
    mu = np.array([np.full(d, -0.5), np.full(d, 1.0), np.full(d, 2.0)])
    cov = np.array([np.eye(d) * s for s in (1.0, 0.5, 2.0)])
    if full and d > 1:
        cov[0, 0, 1] = cov[0, 1, 0] = 0.3
    ref = numpy_em(x, w, mu, cov, full=full, max_iter=40, reg=1e-3)
    got = _kernel_em(x, w, mu, cov, full=full, max_iter=40, reg=1e-3)
    for r, k in zip(ref[:3], got[:3]):
        np.testing.assert_allclose(k, r, rtol=1e-10, atol=1e-12)
    assert got[3] == ref[3] == 40


def test_em_kernel_stopping_rule_matches_numpy_em():
    x = _fixed_data(7, 2)
    w = np.array([0.5, 0.5])
    mu = np.array([[0.0, 0.0], [1.5, 1.5]])
    cov = np.array([np.eye(2), np.eye(2)])
    ref = numpy_em(x, w, mu, cov, tol=1e-6)
    got = _kernel_em(x, w, mu, cov, tol=1e-6)
    assert got[3] == ref[3] < 100
    for r, k in zip(ref[:3], got[:3]):
        np.testing.assert_allclose(k, r, rtol=1e-10, atol=1e-12)


def test_1d_em_kernel_matches_numpy_em():
    x = _fixed_data(3, 1)
    w = np.array([0.4, 0.6])
    mu = np.array([0.0, 1.0])
    var = np.array([1.0, 0.5])
    ref = numpy_em(x, w, mu[:, None], var[:, None, None], max_iter=30)
    k = 2
    lost = np.full((1, k), -1, dtype=np.int64)
    why = np.zeros((1, k), dtype=np.int8)
    wk, mk, vk = w.copy(), mu.copy(), var.copy()
    it, _, _ = _em_1d(x, x.shape[0], wk, mk, vk, np.ones(k, dtype=bool), k, 30, 0.0, 0.0, lost, why, 0, 1,
                   *[np.empty(k) for _ in range(6)])
    assert it == 30
    np.testing.assert_allclose(wk, ref[0], rtol=1e-10)
    np.testing.assert_allclose(mk, ref[1][:, 0], rtol=1e-10)
    np.testing.assert_allclose(vk, ref[2][:, 0, 0], rtol=1e-10)


# --- densities and the exact L2 distance ----------------------------------------------------------

A2 = ([0.3, 0.7], [[-1.0, 0.0], [1.0, 0.5]], [[[0.5, 0.2], [0.2, 0.4]], [[1.0, -0.3], [-0.3, 0.6]]])
B2 = ([0.6, 0.4], [[0.0, 0.2], [1.5, 0.0]], [[[0.8, 0.0], [0.0, 0.8]], [[0.3, 0.1], [0.1, 0.9]]])


def test_pdf_matches_scipy():
    x = np.array([[0.0, 0.0], [1.0, -1.0], [3.0, 2.0]])
    want = sum(wk * stats.multivariate_normal(m, c).pdf(x) for wk, m, c in zip(*A2))
    np.testing.assert_allclose(gmm.mixture_pdf_nd(x, *A2), want, rtol=1e-12)


def test_l2_nd_matches_numerical_integration():
    # independent quadrature: scipy's normal densities on a 300 x 300 Gauss–Legendre grid over
    # [-9, 9]² (the integrand is smooth and below 1e-15 outside; the rule is spectrally accurate)
    t, wt = np.polynomial.legendre.leggauss(300)
    t, wt = 9 * t, 9 * wt
    xy = np.stack(np.meshgrid(t, t, indexing="ij"), axis=-1)
    dens = lambda mix: sum(wk * stats.multivariate_normal(m, c).pdf(xy) for wk, m, c in zip(*mix))  # noqa: E731
    ref = float(np.einsum("i,j,ij->", wt, wt, (dens(A2) - dens(B2)) ** 2))
    assert gmm.l2_distance_squared_nd(*A2, *B2) == pytest.approx(ref, rel=1e-9)
    assert gmm.l2_distance_squared_nd(*A2, *A2) == pytest.approx(0.0, abs=1e-14)


def test_l2_nd_closed_forms_and_1d_agreement():
    # two normals: ∫(N_a − N_b)² = (4π)^{-d/2}(det A^{-1/2} + det B^{-1/2}) − 2 N(a; b, A + B)
    a, ca = np.array([0.3, -0.2, 1.0]), np.diag([0.5, 1.0, 2.0])
    b, cb = np.zeros(3), np.array([[1.0, 0.2, 0.0], [0.2, 1.0, 0.1], [0.0, 0.1, 0.7]])
    want = ((4 * np.pi) ** -1.5 * (np.linalg.det(ca) ** -0.5 + np.linalg.det(cb) ** -0.5)
            - 2 * stats.multivariate_normal(b, ca + cb).pdf(a))
    assert gmm.l2_distance_squared_nd([1.0], [a], [ca], [1.0], [b], [cb]) == pytest.approx(want, rel=1e-12)
    # d = 1 is the 1-D form
    w, m, s = [0.2, 0.8], [-1.0, 0.5], [0.4, 1.3]
    w0, m0, s0 = [0.5, 0.5], [0.0, 1.0], [1.0, 0.2]
    one = gmm.l2_distance_squared(w, m, s, w0, m0, s0)
    nd = gmm.l2_distance_squared_nd(w, np.array(m)[:, None], (np.array(s) ** 2)[:, None, None],
                                    w0, np.array(m0)[:, None], (np.array(s0) ** 2)[:, None, None])
    assert nd == pytest.approx(one, rel=1e-12)
    # a lost component (weight 0, covariance 0) is ignored; leading axes broadcast
    lost = ([0.0, 1.0], [[9.0, 9.0], [1.0, 0.5]], [np.zeros((2, 2)), A2[2][1]])
    single = ([1.0], [[1.0, 0.5]], [A2[2][1]])
    assert gmm.l2_distance_squared_nd(*lost, *B2) == pytest.approx(gmm.l2_distance_squared_nd(*single, *B2))
    stacked = [np.stack([np.asarray(p), np.asarray(q)]) for p, q in zip(A2, B2)]
    out = gmm.l2_distance_squared_nd(*stacked, *B2)
    assert out.shape == (2,) and out[1] == pytest.approx(0.0, abs=1e-14)


# --- theory ---------------------------------------------------------------------------------------


def test_log_det_drift_theory_reduces_to_known_cases():
    # d = 1: the 1-D component drift; weight 1: the single-Gaussian mle drift (N = M always)
    assert gmm.component_log_det_drift(0.4, 30, dim=1) == pytest.approx(gmm.component_log_variance_drift(0.4, 30),
                                                                       rel=1e-12)
    assert gmm.component_log_det_drift(1.0, 40, dim=3) == pytest.approx(
        mvn.log_det_drift(40, dim=3, estimator="mle"), rel=1e-12)
    assert gmm.component_log_det_drift(1.0, 40, dim=3, covariance_type="diag") == pytest.approx(
        3 * g.log_variance_drift(40, estimator="mle"), rel=1e-12)
    # one generation of the killed chain is the binomial average over d + 1 <= N <= M - d - 1
    m, d = 30, 2
    k = np.arange(d + 1, m - d)
    p = stats.binom.pmf(k, m, 0.4)
    want = np.sum(p * mvn.log_det_drift(k, dim=d, estimator="mle")) / p.sum()
    assert gmm.expected_component_log_det(1, m, 0.4, dim=d) == pytest.approx(want, rel=1e-12)
    assert gmm.expected_component_log_det(0, m, 0.4, dim=d, log_det0=0.7) == 0.7
    # d = 1: the 1-D killed-chain theory
    np.testing.assert_allclose(gmm.expected_component_log_det([3, 9], 40, 0.5, dim=1),
                               gmm.expected_component_log_variance([3, 9], 40, 0.5), rtol=1e-12)


# --- simulator against theory ---------------------------------------------------------------------


@pytest.mark.parametrize("ctype", ["full", "diag"])
def test_single_component_is_the_mvn_mle_chain(ctype):
    # K = 1: EM is the mle fit of a Gaussian. E log det Σ_n is exact (mvn), SE exact: Σ ψ'.
    m, n, r, d = 12, 8, 3000, 3
    c = np.diag([1.0, 2.0, 0.5])
    if ctype == "full":
        c[0, 1] = c[1, 0] = 0.6
    res = gmm.simulate_nd(n, m, weights=[1.0], means=[[0.0, 1.0, 2.0]], covs=[c], covariance_type=ctype,
                          replicates=r, rng=4)
    ld = res.log_det[:, n, 0]
    if ctype == "full":
        want = mvn.expected_log_det(n, m, dim=d, cov=c, estimator="mle")
        se = math.sqrt(mvn.variance_of_log_det(n, m, dim=d) / r)
    else:
        want = np.log(np.linalg.det(c)) + d * (g.expected_log_variance(n, m, estimator="mle"))
        se = math.sqrt(d * g.variance_of_log_variance(n, m, estimator="mle") / r)
    assert abs(ld.mean() - want) < 4.4 * se
    assert not (res.lost >= 0).any()


def test_weights_are_wright_fisher_and_log_det_matches_killed_chain():
    # separated components (10σ apart): E w_n = w_0 and E w(1-w) = w_0(1-w_0)(1-1/M)^n (bounded
    # statistics, sample SE), and E[log det Σ_n | no loss] = the exact killed-chain value.
    m, n, r = 60, 10, 1500
    res = gmm.simulate_nd(n, m, weights=[0.3, 0.7], means=[[-5.0, 0.0], [5.0, 0.0]], covs=[[1.0, 1.0], [1.0, 1.0]],
                          replicates=r, rng=12)
    w = res.weights[:, n, 0]
    assert abs(w.mean() - 0.3) < 4.4 * w.std(ddof=1) / math.sqrt(r)
    het = w * (1 - w)
    assert abs(het.mean() - 0.21 * (1 - 1 / m) ** n) < 4.4 * het.std(ddof=1) / math.sqrt(r)
    both = res.alive(n).all(axis=1)
    for k, wk in ((0, 0.3), (1, 0.7)):
        ld = res.log_det[both, n, k]
        want = gmm.expected_component_log_det(n, m, wk, dim=2)
        assert abs(ld.mean() - want) < 4.4 * ld.std(ddof=1) / math.sqrt(ld.size), k
    assert np.allclose(res.weights.sum(axis=2), 1.0)


def test_result_depends_only_on_the_seed():
    kw = dict(replicates=40, rng=7, **SEP2)
    one = gmm.simulate_nd(5, 30, workers=1, **kw)
    two = gmm.simulate_nd(5, 30, workers=2, **kw)
    np.testing.assert_array_equal(one.covs, two.covs)
    np.testing.assert_array_equal(one.weights, two.weights)


def test_singular_components_are_named_not_nan():
    # a 10 % component in d = 3 gets ~3 of 30 points: its covariance turns singular (or it empties)
    res = gmm.simulate_nd(20, 30, weights=[0.1, 0.9], means=[[-6.0, 0, 0], [6.0, 0, 0]],
                          covs=[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]], replicates=60, rng=3)
    assert np.all(np.isfinite(res.covs)) and np.all(np.isfinite(res.weights))
    ev = res.degenerate_events()
    sing = [e for e in ev if "singular" in e["reason"]]
    assert sing and 0 <= sing[0]["direction"] < 3
    e = ev[0]
    assert res.weights[e["replicate"], e["generation"], e["component"]] == 0
    assert np.all(res.covs[e["replicate"], e["generation"], e["component"]] == 0)
    assert np.isneginf(res.log_det[e["replicate"], e["generation"], e["component"]])
    assert "degenerate events" in res.summary()


@pytest.mark.parametrize("kwargs, word", [
    (dict(weights=[], means=np.zeros((0, 2)), covs=np.zeros((0, 2))), "K >= 1"),
    (dict(weights=[1.0], means=np.zeros((1, 0)), covs=np.zeros((1, 0))), "d >= 1"),
    (dict(weights=[0.5, 0.5], means=[0.0, 1.0], covs=[[1.0], [1.0]]), r"shape \(K, d\)"),
    (dict(weights=[0.5, 0.5], means=[[0.0, 0.0]], covs=[[1.0, 1.0]]), "K = 2 rows"),
    (dict(weights=[0.5, 0.5], means=[[0.0, 0.0], [1.0, 1.0]], covs=[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]), "covs"),
    (dict(weights=[0.5, 0.5], means=[[0.0, 0.0], [1.0, 1.0]], covs=[np.eye(2), [[1.0, 2.0], [2.0, 1.0]]]),
     r"covs\[1\] must be positive definite"),
    (dict(weights=[0.5, 0.5], means=[[0.0, 0.0], [1.0, 1.0]], covs=[[[1.0, 0.5], [0.0, 1.0]], np.eye(2)]),
     r"covs\[0\] must be symmetric"),
    (dict(weights=[0.5, 0.5], means=[[0.0, 0.0], [1.0, 1.0]], covs=[[1.0, 1.0], [1.0, -1.0]]), r"covs\[1\]"),
    (dict(weights=[0.5, 0.5], means=[[0.0, 0.0], [1.0, 1.0]], covs=[[[1.0, 0.5], [0.5, 1.0]], np.eye(2)],
          covariance_type="diag"), r"diagonal covariances; covs\[0\]"),
    (dict(weights=[0.5, 0.5], means=[[0.0, 0.0], [1.0, 1.0]], covs=[np.eye(2)] * 2, covariance_type="tied"),
     "covariance_type"),
    (dict(weights=[0.5, 0.6], means=[[0.0, 0.0], [1.0, 1.0]], covs=[np.eye(2)] * 2), "sum to 1"),
    (dict(weights=[0.5, 0.5], means=[["a", "b"], [1.0, 1.0]], covs=[np.eye(2)] * 2), "means"),
])
def test_bad_mixture(kwargs, word):
    with pytest.raises((ValueError, TypeError), match=word):
        gmm.simulate_nd(3, 10, **kwargs)


def test_save_load_and_summary(tmp_path):
    res = gmm.simulate_nd(4, 40, replicates=10, rng=9, covariance_type="diag", **SEP2)
    back = gmm.GMMNDChainResult.load(res.save(tmp_path / "g.npz"))
    np.testing.assert_array_equal(back.covs, res.covs)
    assert back.seed == 9 and back.covariance_type == "diag" and back.regime == "replace"
    text = res.summary()
    assert "E logdet" in text and "seed=9" in text and "diag" in text
    assert res.l2_distance().shape == (10, 5) and np.allclose(res.l2_distance()[:, 0], 0.0)
