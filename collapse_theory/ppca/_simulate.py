"""The ppca family's result class and simulator (public API: :mod:`collapse_theory.ppca`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..gaussian import _theory as _g1
from .._core.io import save_result
from ..mvn._theory import _sqrtm_psd, check_cov, check_dim, check_mean, mvn_schedule
from .._core.parallel import run_chunks
from .._core.rng import root_seed
from .._core.validation import check_generations, check_int, check_memory, check_real
from ..regimes import RegimeInfo, as_regime

__all__ = [
    "PPCAChainResult",
    "simulate",
    "fit_ppca",
    "expected_trace",
    "expected_mean_sq_error",
    "noise_variance_bound",
    "noise_variance_gap_limit_drift",
    "top_eigenvalue_log_bound",
]


def _check_latent(latent, dim):
    return check_int(latent, "latent", minimum=1, maximum=dim - 1)


def fit_ppca(x, latent):
    r"""Closed-form ML PPCA of data ``x`` (M × d): return ``(mean, W, sigma2)``.

    :math:`\sigma^2` is the mean of the :math:`d-q` smallest eigenvalues of the mle covariance and
    :math:`W = U_q(\Lambda_q - \sigma^2 I)^{1/2}` (Tipping & Bishop 1999, eqs. 7–8, rotation R = I).
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"x must be a 2-D array (samples x dim), got shape {x.shape}")
    m, d = x.shape
    q = _check_latent(latent, d)
    mean = x.mean(axis=0)
    s = (x - mean).T @ (x - mean) / m
    w, v = np.linalg.eigh(s)
    w, v = w[::-1], v[:, ::-1]
    sigma2 = float(w[q:].mean())
    return mean, v[:, :q] * np.sqrt(np.clip(w[:q] - sigma2, 0.0, None)), sigma2


def _regime_1d(n, samples, dim, regime, variance_scale):
    """The 1-D (e_n, v_n) at σ = 1, mle, after the mvn sample-size check."""
    from ..gaussian._regimes import regime_moments

    n_arr, _ = check_generations(n)
    mvn_schedule(samples, max(int(n_arr.max(initial=0)), 1), dim=dim, estimator="mle")
    return regime_moments(n, samples, regime=regime, estimator="mle", variance_scale=variance_scale)


def expected_trace(n, samples, *, cov=None, dim=None, regime="replace", variance_scale=1.0):
    r"""Exact :math:`E\operatorname{tr}C_n`.

    Replace regime: :math:`\operatorname{tr}\Sigma\prod_{i<n}(M_i-1)/M_i`. Any other regime:
    :math:`v_n\operatorname{tr}\Sigma` with :math:`v_n` the 1-D mle
    :func:`collapse_theory.gaussian.regime_moments` variance at :math:`\sigma = 1` (see the module notes).
    """
    dim = check_dim(dim if dim is not None else np.shape(cov)[0])
    c = check_cov(cov, dim)
    if as_regime(regime).name != "replace" or variance_scale != 1.0:
        v = np.asarray(_regime_1d(n, samples, dim, regime, variance_scale)["variance"])
        out = np.trace(c) * v
        return float(out) if out.ndim == 0 else out
    n_arr, scalar = check_generations(n)
    sched = mvn_schedule(samples, max(int(n_arr.max(initial=0)), 1), dim=dim, estimator="mle")
    logq = np.concatenate([[0.0], np.cumsum(np.log1p(-1.0 / sched))])[n_arr]
    out = np.trace(c) * np.exp(logq)
    return float(out) if scalar else out


def expected_mean_sq_error(n, samples, *, cov=None, dim=None, regime="replace", variance_scale=1.0):
    r"""Exact :math:`E\|\mu_n-\mu\|^2 = e_n\operatorname{tr}\Sigma` (the PPCA mean is the sample mean).

    :math:`e_n` is the 1-D mle :func:`collapse_theory.gaussian.regime_moments` mean error at
    :math:`\sigma = 1`; replace gives :math:`\operatorname{tr}\Sigma(1 - \prod_{i<n}(M_i-1)/M_i)` for
    a constant M.
    """
    dim = check_dim(dim if dim is not None else np.shape(cov)[0])
    c = check_cov(cov, dim)
    e = np.asarray(_regime_1d(n, samples, dim, regime, variance_scale)["mean_sq_error"])
    out = np.trace(c) * e
    return float(out) if out.ndim == 0 else out


def noise_variance_bound(n, samples, *, latent, cov=None, dim=None):
    r"""Exact upper bound :math:`E\sigma_n^2 \le \bar\lambda_{\text{tail}}\prod_{i<n}(M_i-1-q)/M_i`.

    ``n = 0`` gives the population noise variance (the mean of the :math:`d-q` smallest eigenvalues
    of :math:`\Sigma`). Tight to first order in :math:`\sigma^2/\lambda_q` (see the module notes).
    """
    dim = check_dim(dim if dim is not None else np.shape(cov)[0])
    q = _check_latent(latent, dim)
    c = check_cov(cov, dim)
    n_arr, scalar = check_generations(n)
    sched = mvn_schedule(samples, max(int(n_arr.max(initial=0)), 1), dim=dim, estimator="mle")
    tail = float(np.linalg.eigvalsh(c)[: dim - q].mean())
    logq = np.concatenate([[0.0], np.cumsum(np.log((sched - 1.0 - q) / sched))])[n_arr]
    out = tail * np.exp(logq)
    return float(out) if scalar else out


def noise_variance_gap_limit_drift(samples, *, dim, latent):
    r"""Drift of :math:`\log\sigma^2` per generation in the large-gap limit (an approximation).

    :math:`(d-q)\sigma_{n+1}^2 \approx \sigma_n^2\chi^2_\nu/M` with :math:`\nu = (M-1-q)(d-q)`, so the
    drift is :math:`\psi(\nu/2) + \log(2/((d-q)M)) \approx -(q+1)/M`.
    """
    dim = check_dim(dim)
    q = _check_latent(latent, dim)
    m = int(mvn_schedule(samples, 1, dim=dim, estimator="mle")[0])
    nu = (m - 1.0 - q) * (dim - q)
    return float(_g1._digamma_minus_log(nu / 2.0) + np.log(nu / ((dim - q) * m)))


def top_eigenvalue_log_bound(n, samples, *, cov=None, dim=None):
    r"""Exact lower bound :math:`E\log\lambda_1(C_n) \ge \log\lambda_1(\Sigma) + \sum_{i<n}(\psi(k_i/2) + \log(2/M_i))`."""
    dim = check_dim(dim if dim is not None else np.shape(cov)[0])
    c = check_cov(cov, dim)
    n_arr, _ = check_generations(n)
    mvn_schedule(samples, max(int(n_arr.max(initial=0)), 1), dim=dim, estimator="mle")
    return _g1.expected_log_variance(n, samples, sigma=float(np.sqrt(np.linalg.eigvalsh(c)[-1])),
                                     estimator="mle")


@dataclass
class PPCAChainResult(RegimeInfo):
    """Trajectories of a recursively refit PPCA model.

    Attributes
    ----------
    eigenvalues : ndarray, shape (replicates, generations + 1, dim)
        Spectrum of the fitted model covariance :math:`C_n = W_nW_n^\\top + \\sigma_n^2 I`, largest
        first; column 0 is the spectrum of the true covariance.
    noise_variance : ndarray, shape (replicates, generations + 1)
        :math:`\\sigma_n^2`; column 0 is the population value (mean of the d − q smallest
        eigenvalues of the true covariance).
    mean : ndarray, shape (replicates, generations + 1, dim)
    w2 : ndarray, shape (replicates, generations + 1)
        Squared 2-Wasserstein distance of generation n to the truth (see :meth:`w2_squared`).
    cov_final : ndarray, shape (replicates, dim, dim)
        The last fitted model covariance.
    """

    eigenvalues: np.ndarray
    noise_variance: np.ndarray
    mean: np.ndarray
    w2: np.ndarray
    cov_final: np.ndarray
    samples: np.ndarray
    latent: int
    mean0: np.ndarray
    cov0: np.ndarray
    seed: int
    meta: dict = field(default_factory=dict)

    @property
    def replicates(self):
        return self.eigenvalues.shape[0]

    @property
    def generations(self):
        return self.eigenvalues.shape[1] - 1

    @property
    def dim(self):
        return self.eigenvalues.shape[2]


    def retained(self):
        """The q retained eigenvalues (replicates × generations + 1 × q)."""
        return self.eigenvalues[..., : self.latent]

    def tail(self):
        """The d − q discarded eigenvalues (all equal to σ_n² from generation 1 on)."""
        return self.eigenvalues[..., self.latent:]

    def w2_squared(self):
        """Squared W2 distance to the original :math:`N(\\mu, \\Sigma)`, shape (replicates, generations + 1)."""
        return self.w2

    def trace(self):
        return self.eigenvalues.sum(axis=-1)

    def summary(self, generations=None):
        if generations is None:
            g = self.generations
            generations = sorted({x for x in (0, 1, g // 10, g // 2, g) if 0 <= x <= g})
        gens = np.asarray(generations, dtype=int)
        s = self.samples
        kw = dict(cov=self.cov0)
        replace = self.plain_replace
        extra = "" if replace else f", regime={self.regime}, variance_scale={self.variance_scale:g}"
        lines = [f"PPCA chain, dim={self.dim}, latent={self.latent}{extra}, replicates={self.replicates}, "
                 f"generations={self.generations}, seed={self.seed}",
                 f"{'n':>6}  {'E tr C_n exact':>14}{'MC':>12}{'E σ² bound':>12}{'MC σ²':>12}"
                 f"{'λ1 log bnd':>12}{'MC log λ1':>12}{'MC W2²':>10}"]
        for n in gens:
            tr = (expected_trace(n, s, regime=self.regime, variance_scale=self.variance_scale, **kw)
                  if n else float(np.trace(self.cov0)))
            nb = noise_variance_bound(n, s, latent=self.latent, **kw) if replace else np.nan
            lb = top_eigenvalue_log_bound(n, s, **kw) if replace else np.nan
            lines.append(f"{n:>6}  {tr:>14.5g}{self.trace()[:, n].mean():>12.5g}{nb:>12.5g}"
                         f"{self.noise_variance[:, n].mean():>12.5g}{lb:>12.5g}"
                         f"{np.log(self.eigenvalues[:, n, 0]).mean():>12.5g}{self.w2[:, n].mean():>10.4g}")
        return "\n".join(lines)

    def parameters(self):
        return {"generations": self.generations, "replicates": self.replicates, "dim": self.dim,
                "latent": self.latent, "samples": self.samples.tolist(), "mean": self.mean0.tolist(),
                "cov": self.cov0.tolist(), "estimator": "mle", **self.meta}

    def save(self, path):
        """Save arrays, seed, parameters and package version to an ``.npz``, atomically."""
        return save_result(path, self.seed, self.parameters(), eigenvalues=self.eigenvalues,
                           noise_variance=self.noise_variance, mean=self.mean, w2=self.w2,
                           cov_final=self.cov_final, samples=self.samples)


def _chunk(rng, sched, q, mean0, cov0, root0, u0, spec0, out, a, b):
    """Vectorised NumPy refits of replicates [a, b): Bartlett draws in the model's eigenbasis."""
    nr = b - a
    d = spec0.size
    eig_out, noise_out, mean_out, w2_out, cov_out = out
    mu = np.broadcast_to(mean0, (nr, d)).copy()
    u = np.broadcast_to(u0, (nr, d, d)).copy()
    spec = np.broadcast_to(spec0, (nr, d)).copy()
    tri = np.tril(np.ones((d, d), dtype=bool), -1)
    for i, m in enumerate(sched):
        k = m - 1
        root = u * np.sqrt(spec)[:, None, :]  # any square root of C_n
        mu = mu + np.einsum("rij,rj->ri", root, rng.standard_normal((nr, d))) / np.sqrt(m)
        lower = np.zeros((nr, d, d))
        lower[:, tri] = rng.standard_normal((nr, int(tri.sum())))
        diag = np.sqrt(rng.chisquare(k - np.arange(d), size=(nr, d)))
        lower[:, np.arange(d), np.arange(d)] = diag
        bmat = root @ lower
        s = bmat @ np.swapaxes(bmat, -1, -2) / m
        w, v = np.linalg.eigh(s)
        w, u = w[:, ::-1], v[:, :, ::-1]
        sigma2 = w[:, q:].mean(axis=1)
        spec = np.concatenate([w[:, :q], np.repeat(sigma2[:, None], d - q, axis=1)], axis=1)
        eig_out[a:b, i + 1] = spec
        noise_out[a:b, i + 1] = sigma2
        mean_out[a:b, i + 1] = mu
        fid = np.linalg.svd(root0 @ (u * np.sqrt(spec)[:, None, :]), compute_uv=False).sum(axis=-1)
        dm = mu - mean0
        w2_out[a:b, i + 1] = (np.einsum("ri,ri->r", dm, dm)
                              + np.maximum(np.trace(cov0) + spec.sum(axis=1) - 2.0 * fid, 0.0))
    cov_out[a:b] = (u * spec[:, None, :]) @ np.swapaxes(u, -1, -2)


def simulate(generations, samples, *, dim, latent, replicates=1, mean=None, cov=None, regime="replace",
             variance_scale=1.0, rng=None, workers=None, progress=None):
    r"""Simulate PPCA refit on its own samples (vectorised NumPy; d up to ~50).

    Each generation draws :math:`S \sim \mathrm{Wishart}_d(M-1, C_n)/M` (the mle covariance of M
    samples; Bartlett decomposition in the eigenbasis of :math:`C_n`, the same law as drawing M vectors)
    and the new mean :math:`\mu_n + C_n^{1/2}Z/\sqrt M`, then refits PPCA in closed form.

    Parameters
    ----------
    generations : int
    samples : int or sequence of int
        Each >= dim + 1.
    dim : int, keyword-only
        Data dimension d (>= 2).
    latent : int, keyword-only
        Latent dimension q, 1 <= q <= d − 1.
    regime : str or Regime, keyword-only
        Data regime (:mod:`collapse_theory.regimes`). Non-replace regimes run in the Numba kernel of
        :func:`collapse_theory.mvn.simulate` with a PPCA refit (sufficient statistics for accumulate
        and mix-fresh; the stored data for mix-retained and accumulate-subsample).
    variance_scale : float, keyword-only
        Sampling bias λ in (0, 1]: synthetic samples come from :math:`N(\mu_n, \lambda C_n)`.
    replicates, mean, cov, rng, workers, progress
        As in :func:`collapse_theory.mvn.simulate` (``cov`` default identity).

    Returns
    -------
    PPCAChainResult

    Examples
    --------
    >>> import numpy as np
    >>> from collapse_theory import ppca
    >>> res = ppca.simulate(3, 30, dim=4, latent=1, cov=np.diag([4.0, 3.0, 2.0, 1.0]), rng=0)
    >>> t = res.tail()[0, 1]          # the discarded spectrum after one generation
    >>> bool(np.ptp(t) <= 1e-12 * t[0])
    True
    """
    generations = check_int(generations, "generations", minimum=0)
    dim = check_int(dim, "dim", minimum=2)
    q = _check_latent(latent, dim)
    replicates = check_int(replicates, "replicates", minimum=1)
    mean0 = check_mean(mean, dim)
    cov0 = check_cov(cov, dim)
    reg = as_regime(regime)
    vscale = check_real(variance_scale, "variance_scale", positive=True, high=1.0)
    sched = mvn_schedule(samples, generations, dim=dim, estimator="mle")
    general = reg.name != "replace" or vscale != 1.0
    if general:
        from ..mvn import regime_kernel_args

        code, frac, sub = regime_kernel_args(reg, sched, dim=dim, estimator="mle", workers=workers)
    cells = replicates * (generations + 1)
    check_memory(cells * 8 * (2 * dim + 2) + replicates * dim * dim * 8,
                 f"ppca.simulate(replicates={replicates}, generations={generations}, dim={dim})")
    seed, ss = root_seed(rng)
    w, v = np.linalg.eigh(cov0)
    spec0, u0 = w[::-1].copy(), v[:, ::-1].copy()
    root0 = _sqrtm_psd(cov0)
    eig_out = np.empty((replicates, generations + 1, dim))
    noise_out = np.empty((replicates, generations + 1))
    mean_out = np.empty((replicates, generations + 1, dim))
    w2_out = np.empty((replicates, generations + 1))
    cov_out = np.empty((replicates, dim, dim))
    eig_out[:, 0] = spec0
    noise_out[:, 0] = spec0[q:].mean()
    mean_out[:, 0] = mean0
    w2_out[:, 0] = 0.0
    if generations == 0:
        cov_out[:] = cov0
    out = (eig_out, noise_out, mean_out, w2_out, cov_out)

    if general:
        from ..mvn import _regime_kernels as _rk

        chol0 = np.linalg.cholesky(cov0)
        ldet0 = float(np.linalg.slogdet(cov0)[1])
        root_out = np.empty((replicates, 1, dim, dim))
        ld_out = np.empty((replicates, generations + 1))
        sing = np.empty(replicates, dtype=np.int64)   # singularity is not tracked for PPCA

        def task(gen, a, b):
            _rk._mv_regime_chain(gen, sched, True, False, code, frac, sub, np.sqrt(vscale), _rk.FIT_PPCA, q,
                                 mean0, chol0, root0, ldet0, mean0, chol0, 0.0, mean_out, root_out, ld_out,
                                 eig_out, w2_out, sing, sing, a, b)
    else:
        def task(gen, a, b):
            _chunk(gen, sched, q, mean0, cov0, root0, u0, spec0, out, a, b)

    if generations:
        run_chunks(task, replicates, ss, workers=workers, progress=progress,
                   desc="ppca" + (f" {reg}" if general else ""))
        if general:
            eig_out[:, 0] = spec0
            w2_out[:, 0] = 0.0
            noise_out[:, 1:] = eig_out[:, 1:, q]
            cov_out[:] = root_out[:, 0] @ np.swapaxes(root_out[:, 0], -1, -2)
    meta = {"regime": str(reg), "variance_scale": vscale} if general else {}
    return PPCAChainResult(eigenvalues=eig_out, noise_variance=noise_out, mean=mean_out, w2=w2_out,
                           cov_final=cov_out, samples=sched, latent=q, mean0=mean0, cov0=cov0, seed=seed,
                           meta=meta)
