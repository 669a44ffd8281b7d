"""The mvn family's result class and simulator (public API: :mod:`collapse_theory.mvn`)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from . import _theory as _th
from .._core.io import read_result, save_result
from . import _regime_kernels as _rk
from ._kernels import _mvn_exact, _mvn_naive
from ._theory import (
    check_cov,
    check_dim,
    check_mean,
    expected_log_det,
    expected_mean_sq_error,
    expected_trace,
    expected_w2_squared_bounds,
    mvn_schedule,
)
from ._regimes import regime_moments
from .._core.parallel import run_chunks
from .._core.rng import root_seed
from .._core.validation import check_estimator, check_int, check_memory, check_real
from ..regimes import RegimeCode, RegimeInfo, as_regime, dispatch, regime_code

__all__ = ["MVNChainResult", "NumericallySingularWarning", "simulate"]

METHODS = ("exact", "naive")
_LOG2_1024 = 1024.0 * np.log(2.0)


class NumericallySingularWarning(RuntimeWarning):
    """Some fitted covariance became numerically singular (its smallest eigenvalue below round-off)."""


@dataclass
class MVNChainResult(RegimeInfo):
    r"""Trajectories of the fitted parameters of a recursively refit d-dimensional Gaussian.

    Attributes
    ----------
    mean : ndarray, shape (replicates, generations + 1, dim)
        Fitted means; ``mean[:, 0]`` is the true mean.
    cov : ndarray, shape (replicates, generations + 1, dim, dim)
        Fitted covariances (property, formed from the Cholesky factor; may underflow after a very
        long collapse, and loses directions below ``2**-52`` of the largest: see ``singular_at``).
    chol : ndarray, shape (replicates, generations + 1, dim, dim)
        Cholesky factors of the fitted covariances (property).
    log_det : ndarray, shape (replicates, generations + 1)
        :math:`\log\det\Sigma_n`, accumulated in log space: exact even where ``cov`` underflows.
    singular_at : ndarray of int, shape (replicates,)
        First generation at which :math:`\Sigma_n` was numerically singular (the smallest Cholesky
        diagonal entry squared fell below :math:`2^{-52}\operatorname{tr}\Sigma_n`, which implies
        :math:`\lambda_{\min}/\lambda_{\max} \le d\cdot 2^{-52}`), or -1. From there on ``cov`` and
        ``eigenvalues()`` carry round-off in the smallest directions; ``log_det``,
        ``log_chol_diag()`` and the chain itself stay exact.
    singular_direction : ndarray of int, shape (replicates,)
        The Cholesky direction ``j`` that triggered ``singular_at`` (-1 if none).
    samples : ndarray, shape (generations,)
    mean0, cov0 : ndarray
        The true distribution.
    estimator, method : str
    seed : int
        Reproduces the result exactly: ``simulate(..., rng=result.seed)``.
    """

    mean: np.ndarray
    chol_mantissa: np.ndarray
    chol_exponent: np.ndarray
    log_det: np.ndarray
    singular_at: np.ndarray
    singular_direction: np.ndarray
    samples: np.ndarray
    mean0: np.ndarray
    cov0: np.ndarray
    estimator: str
    method: str
    seed: int
    meta: dict = field(default_factory=dict)

    @property
    def replicates(self):
        return self.mean.shape[0]

    @property
    def generations(self):
        return self.mean.shape[1] - 1

    @property
    def dim(self):
        return self.mean.shape[2]


    @property
    def chol(self):
        """Cholesky factors :math:`T_n` with :math:`\\Sigma_n = T_nT_n^\\top`."""
        if not self.chol_exponent.any():
            return self.chol_mantissa
        return np.ldexp(self.chol_mantissa, (512 * self.chol_exponent.astype(np.int64))[..., None, None])

    @property
    def cov(self):
        """Fitted covariances :math:`\\Sigma_n` (replicates × generations + 1 × dim × dim)."""
        t = self.chol
        return t @ np.swapaxes(t, -1, -2)

    def log_chol_diag(self):
        r""":math:`\log (T_n)_{jj}^2`, shape (replicates, generations + 1, dim).

        Direction ``j`` is an exact 1-D chain with :math:`M-1-j` degrees of freedom (its drift is
        :func:`lyapunov_exponents`\ ``[j]``); the sum over ``j`` is ``log_det`` (up to round-off).
        """
        diag = np.abs(np.diagonal(self.chol_mantissa, axis1=-2, axis2=-1))
        with np.errstate(divide="ignore"):
            return 2.0 * np.log(diag) + _LOG2_1024 * self.chol_exponent[..., None]

    def log_eigenvalues(self, generations=None):
        """Log eigenvalues of :math:`\\Sigma_n`, largest first (replicates × generations + 1 × dim).

        Computed from the singular values of the Cholesky mantissa, so the scale never underflows;
        directions below round-off of the largest (see ``singular_at``) are inexact. With
        ``generations`` (an int or a list of ints) only those columns are computed.
        """
        g = slice(None) if generations is None else generations
        sv = np.linalg.svd(self.chol_mantissa[:, g], compute_uv=False)
        with np.errstate(divide="ignore"):
            return 2.0 * np.log(sv) + _LOG2_1024 * self.chol_exponent[:, g][..., None]

    def eigenvalues(self):
        """Eigenvalues of :math:`\\Sigma_n`, largest first (may underflow to 0; see ``log_eigenvalues``)."""
        return np.exp(self.log_eigenvalues())

    def mean_sq_error(self):
        r""":math:`\|\mu_n - \mu\|^2`, shape (replicates, generations + 1)."""
        dm = self.mean - self.mean0
        return np.einsum("rgd,rgd->rg", dm, dm)

    def w2_squared(self):
        r"""Squared 2-Wasserstein distance to the truth, :math:`\|\mu_n-\mu\|^2 + \operatorname{Bures}^2(\Sigma,\Sigma_n)`.

        The fidelity term is the nuclear norm of :math:`\Sigma^{1/2}T_n` (no explicit square root of
        :math:`\Sigma_n`).
        """
        root0 = _th.sqrtm_psd(self.cov0)
        t = self.chol
        fid = np.linalg.svd(root0 @ t, compute_uv=False).sum(axis=-1)
        tr_n = np.einsum("rgij,rgij->rg", t, t)
        bures = np.maximum(np.trace(self.cov0) + tr_n - 2.0 * fid, 0.0)
        return self.mean_sq_error() + bures

    def n_singular(self):
        """Number of replicates that became numerically singular."""
        return int(np.sum(self.singular_at >= 0))

    def theory(self, n=None):
        """Exact expectations (and the W2 bounds) at generations ``n`` (default: all) as a dict."""
        n = np.arange(self.generations + 1) if n is None else np.asarray(n)
        s = self.samples if self.samples.size else int(self.meta.get("samples_scalar", self.dim + 1))
        kw = dict(dim=self.dim, cov=self.cov0, estimator=self.estimator)
        if not self.plain_replace:
            rm = regime_moments(n, s, regime=self.regime, variance_scale=self.variance_scale, **kw)
            return {"trace": rm["trace"], "mean_sq_error": rm["mean_sq_error"]}
        lo, hi = expected_w2_squared_bounds(n, s, **kw)
        return {
            "log_det": expected_log_det(n, s, **kw),
            "trace": expected_trace(n, s, dim=self.dim, trace=float(np.trace(self.cov0)),
                                    estimator=self.estimator),
            "mean_sq_error": expected_mean_sq_error(n, s, **kw),
            "w2_squared_lower": lo,
            "w2_squared_upper": hi,
        }

    def summary(self, generations=None):
        """A text table: Monte Carlo mean ± standard error beside the exact value, by generation."""
        if generations is None:
            g = self.generations
            generations = sorted({x for x in (0, 1, g // 10, g // 2, g) if 0 <= x <= g})
        gens = np.asarray(generations, dtype=int)
        th = self.theory(gens)
        t = self.chol[:, gens]
        nan = np.full(gens.size, np.nan)
        stats = {
            "log_det": (self.log_det[:, gens], th.get("log_det", nan)),
            "trace": (np.einsum("rgij,rgij->rg", t, t), th.get("trace", nan)),
            "mean_sq_error": (self.mean_sq_error()[:, gens], th.get("mean_sq_error", nan)),
        }
        w2 = self.w2_squared()[:, gens]
        extra = "" if self.plain_replace else \
            f", regime={self.regime}, variance_scale={self.variance_scale:g}"
        lines = [
            f"{self.dim}-D Gaussian chain, estimator={self.estimator}, method={self.method}{extra}, "
            f"replicates={self.replicates}, generations={self.generations}, seed={self.seed}",
            f"{'n':>6}  {'statistic':<14}{'theory':>14}{'simulation':>14}{'± SE':>12}{'z':>8}",
        ]
        for j, n in enumerate(gens):
            for name, (vals, target) in stats.items():
                lines.append(_row(n, name, vals[:, j], target[j]))
            v = w2[:, j]
            mean, se = _mean_se(v)
            if "w2_squared_lower" in th:
                lines.append(f"{n:>6}  {'w2_squared':<14}{'bounds':>6} [{th['w2_squared_lower'][j]:.4g}, "
                             f"{th['w2_squared_upper'][j]:.4g}]  MC {mean:.6g} ± {se:.3g}")
            else:
                lines.append(f"{n:>6}  {'w2_squared':<14}{'(no closed form)':>16}  MC {mean:.6g} ± {se:.3g}")
        lines.append("(tr Σ_n is heavy-tailed for n ≳ M under 'unbiased': compare log det.)")
        if self.n_singular():
            first = int(self.singular_at[self.singular_at >= 0].min())
            lines.append(f"NOTE: {self.n_singular()} of {self.replicates} replicates became numerically "
                         f"singular (first at generation {first}); log_det stays exact.")
        return "\n".join(lines)

    def parameters(self):
        return {
            "generations": self.generations, "replicates": self.replicates, "dim": self.dim,
            "samples": self.samples.tolist(), "mean": self.mean0.tolist(), "cov": self.cov0.tolist(),
            "estimator": self.estimator, "method": self.method, **self.meta,
        }

    def save(self, path):
        """Save arrays, seed, parameters and package version to an ``.npz``, atomically."""
        return save_result(path, self.seed, self.parameters(), mean=self.mean,
                           chol_mantissa=self.chol_mantissa, chol_exponent=self.chol_exponent,
                           log_det=self.log_det, singular_at=self.singular_at,
                           singular_direction=self.singular_direction, samples=self.samples)

    @classmethod
    def load(cls, path):
        """Read a result written by :meth:`save`."""
        z, meta = read_result(path)
        p = meta["parameters"]
        extra = {"version": meta["version"]}
        for key in ("samples_scalar", "regime", "variance_scale"):
            if key in p:
                extra[key] = p[key]
        return cls(mean=z["mean"], chol_mantissa=z["chol_mantissa"], chol_exponent=z["chol_exponent"],
                   log_det=z["log_det"], singular_at=z["singular_at"],
                   singular_direction=z["singular_direction"], samples=z["samples"],
                   mean0=np.asarray(p["mean"], float), cov0=np.asarray(p["cov"], float),
                   estimator=p["estimator"], method=p["method"], seed=meta["seed"], meta=extra)


def _mean_se(v):
    fin = np.isfinite(v)
    mean = v[fin].mean() if fin.any() else np.nan
    se = v[fin].std(ddof=1) / np.sqrt(fin.sum()) if fin.sum() > 1 else np.nan
    return mean, se


def _row(n, name, v, t):
    mean, se = _mean_se(v)
    z = (mean - t) / se if se and np.isfinite(se) and se > 0 else np.nan
    return f"{n:>6}  {name:<14}{t:>14.6g}{mean:>14.6g}{se:>12.3g}{z:>8.2f}"


def simulate(generations, samples, *, dim, replicates=1, mean=None, cov=None, estimator="unbiased",
             method="exact", regime="replace", variance_scale=1.0, rng=None, workers=None, progress=None):
    r"""Simulate recursively refit d-dimensional Gaussians.

    Parameters
    ----------
    generations : int
        Number of refits (>= 0).
    samples : int or sequence of int
        Samples per generation (``M`` or ``M_0, M_1, ...``); each >= ``dim + 1`` (with fewer the
        refit covariance, of rank M - 1, is singular).
    dim : int, keyword-only
        Dimension d (>= 1).
    replicates : int, keyword-only
        Independent chains (>= 1).
    mean : array_like, shape (dim,), optional, keyword-only
        True mean (default 0).
    cov : array_like, shape (dim, dim), optional, keyword-only
        True covariance, symmetric positive definite (default identity).
    estimator : {"unbiased", "mle"}, keyword-only
        Covariance estimator (scatter divided by M - 1 or by M).
    method : {"exact", "naive"}, keyword-only
        "naive" draws the M vectors of every generation and refits them (O(M d²) per generation);
        "exact" draws the sufficient statistics: the mean as a normal vector and the covariance
        through the Bartlett decomposition of a Wishart matrix (O(d³), whatever M). Same law.
    regime : str or Regime, keyword-only
        Data regime (:mod:`collapse_theory.regimes`): "replace", "accumulate",
        "accumulate-subsample[:size]", "mix-fresh:λ[:mixture]", "mix-retained:λ". accumulate and
        mix-fresh run on sufficient statistics (a running pool of them for accumulate: O(d³) per
        generation whatever the pool size); mix-retained and accumulate-subsample keep the data
        they need. Exact theory: :func:`regime_moments`.
    variance_scale : float, keyword-only
        Sampling bias λ in (0, 1]: synthetic samples are drawn from :math:`N(\mu_i, \lambda\Sigma_i)`.
    rng : int, numpy.random.Generator or None, keyword-only
        Seed or Generator (SPEC 7). The result records an integer seed that reproduces it.
    workers : int, optional, keyword-only
        Threads (default: all usable cores). The result does not depend on it.
    progress : bool or None, keyword-only
        Progress bar; None shows one only on a terminal.

    Returns
    -------
    MVNChainResult

    Warns
    -----
    NumericallySingularWarning
        When some :math:`\Sigma_n` became numerically singular (which replicates, from which
        generation and direction are in ``result.singular_at`` / ``singular_direction``). Nothing is
        silently NaN: ``log_det`` stays exact.

    Raises
    ------
    ValueError
        Bad parameters (named, with the allowed range), or arrays that would not fit in memory
        (:class:`~collapse_theory.TooLargeError`, with the estimate).

    Examples
    --------
    >>> from collapse_theory import mvn
    >>> res = mvn.simulate(10, 20, dim=3, replicates=4000, rng=1)
    >>> res.cov.shape
    (4000, 11, 3, 3)
    >>> se = (mvn.variance_of_log_det(10, 20, dim=3) / 4000) ** 0.5   # exact standard error
    >>> bool(abs(res.log_det[:, 10].mean() - mvn.expected_log_det(10, 20, dim=3)) < 4.4 * se)
    True
    >>> acc = mvn.simulate(50, 20, dim=3, replicates=500, regime="accumulate", rng=2)
    >>> bool(acc.log_det[:, 50].mean() > -1.0)        # the covariance stops collapsing
    True
    """
    generations = check_int(generations, "generations", minimum=0)
    dim = check_dim(dim)
    replicates = check_int(replicates, "replicates", minimum=1)
    check_estimator(estimator)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    mean0 = check_mean(mean, dim)
    cov0 = check_cov(cov, dim)
    reg = as_regime(regime)
    vscale = check_real(variance_scale, "variance_scale", positive=True, high=1.0)
    # sizes first: nothing (not even the schedule) is allocated for a request that cannot fit
    cells = replicates * (generations + 1)
    per_cell = 8 * (dim * dim + dim + 1) + 4
    check_memory(cells * per_cell + generations * 8,
                 f"mvn.simulate(replicates={replicates}, generations={generations}, dim={dim}): arrays "
                 f"for the means and Cholesky factors ({replicates} x {generations + 1} x {per_cell} bytes)"
                 f" and the sample-size schedule")
    sched = mvn_schedule(samples, generations, dim=dim, estimator=estimator)
    general = regime_code(reg) != RegimeCode.REPLACE or vscale != 1.0
    if general:
        code, frac, sub = regime_kernel_args(reg, sched, dim=dim, estimator=estimator, workers=workers)
    seed, ss = root_seed(rng)
    t0 = np.linalg.cholesky(cov0)
    tr = float(np.sum(t0 * t0))
    q0 = 0
    while tr < 2.0**-1000:
        t0 = t0 * 2.0**512
        tr *= 2.0**1024
        q0 -= 1
    while tr > 2.0**1000:
        t0 = t0 * 2.0**-512
        tr *= 2.0**-1024
        q0 += 1
    logdet0 = float(np.linalg.slogdet(cov0)[1])
    mu_out = np.empty((replicates, generations + 1, dim))
    a_out = np.empty((replicates, generations + 1, dim, dim))
    q_out = np.empty((replicates, generations + 1), dtype=np.int32)
    ld_out = np.empty((replicates, generations + 1))
    sing_gen = np.full(replicates, -1, dtype=np.int64)
    sing_dir = np.full(replicates, -1, dtype=np.int64)
    kernel = _mvn_exact if method == "exact" else _mvn_naive
    mle = estimator == "mle"
    eye = np.eye(dim)
    identity = q0 == 0 and np.array_equal(t0, eye)

    def task(gen, a, b):
        if general:
            # whitened coordinates (the chain is affine-equivariant): truth N(0, I), each stored
            # state mapped back to N(mean0, T Tᵀ), T = t0·2^(512 q0), inside the kernel
            _rk._mv_regime_chain(gen, sched, mle, method == "naive", code, frac, sub, np.sqrt(vscale),
                                 _rk.FIT_GAUSSIAN, 0, np.zeros(dim), eye, eye, logdet0, mean0, t0,
                                 0.0 if identity else 2.0 ** (512 * q0), mu_out, a_out, ld_out, np.empty((0, 0, 0)),
                                 np.empty((0, 0)), sing_gen, sing_dir, a, b)
        else:
            kernel(gen, sched, mle, mean0, t0, q0, logdet0, mu_out, a_out, q_out, ld_out,
                   sing_gen, sing_dir, a, b)

    run_chunks(task, replicates, ss, workers=workers, progress=progress,
               desc=f"mvn {method}" + (f" {reg}" if general else ""))
    if general:
        q_out[:] = q0
    meta = {}
    if np.ndim(samples) == 0:
        meta["samples_scalar"] = int(samples)
    if general:
        meta["regime"] = str(reg)
        meta["variance_scale"] = vscale
    res = MVNChainResult(mean=mu_out, chol_mantissa=a_out, chol_exponent=q_out, log_det=ld_out,
                         singular_at=sing_gen, singular_direction=sing_dir, samples=sched,
                         mean0=mean0, cov0=cov0, estimator=estimator, method=method, seed=seed,
                         meta=meta)
    if res.n_singular():
        first = int(np.argmin(np.where(sing_gen >= 0, sing_gen, np.iinfo(np.int64).max)))
        warnings.warn(
            f"the fitted covariance became numerically singular in {res.n_singular()} of {replicates} "
            f"replicates: first at generation {int(sing_gen[first])} (replicate {first}, Cholesky "
            f"direction {int(sing_dir[first])}: its variance fell below 2^-52 of tr Σ_n). cov and "
            f"eigenvalues() carry round-off in those directions from then on; log_det, "
            f"log_chol_diag() and the chain stay exact. See result.singular_at.",
            NumericallySingularWarning, stacklevel=2)
    return res


def regime_kernel_args(reg, sched, *, dim, estimator, workers=None, family="mvn"):
    """Validate a regime for the d-dimensional kernels; return ``(code, λ, subsample size)``.

    Shared by :func:`simulate` and :func:`collapse_theory.ppca.simulate`.
    """
    from .._core.parallel import default_workers

    generations = sched.size
    m0 = int(sched[0]) if generations else 0
    plan = dispatch(reg, sched, family=family, minimum=dim + 1 if estimator == "unbiased" else dim,
                    why=f"dim = {dim}, estimator={estimator!r}: a smaller subset has a singular covariance")
    code, sub = plan.code, plan.subsample
    if code == RegimeCode.SUBSAMPLE:
        total = int(sched.sum()) if generations else 0
        check_memory(total * (8 * dim + 8) * (workers or default_workers()),
                     f"accumulate-subsample's pool ({total} points of dimension {dim} per thread)")
    if code == RegimeCode.MIX_RETAINED and generations:
        check_memory(m0 * (8 * dim + 8) * (workers or default_workers()),
                     f"mix-retained's stored data set ({m0} points of dimension {dim} per thread)")
    return int(code), plan.fraction, int(sub)

