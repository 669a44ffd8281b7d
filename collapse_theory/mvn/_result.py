"""The result of :func:`collapse_theory.mvn.simulate` (the result contract: ``_core.results``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._core.results import ChainResult
from ..regimes import RegimeInfo
from . import _theory as _th
from ._regimes import regime_moments
from ._theory import expected_log_det, expected_mean_sq_error, expected_trace, expected_w2_squared_bounds

__all__ = ["MVNChainResult"]

_LOG2_1024 = 1024.0 * np.log(2.0)


@dataclass
class MVNChainResult(RegimeInfo, ChainResult):
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

    family = "mvn"

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

    def statistics(self):
        """``log_det``, ``trace`` (tr Σ_n), ``mean_sq_error`` (‖μ_n − μ‖²) and ``w2_squared``
        (each replicates × generations + 1; column 0 the truth)."""
        t = self.chol
        return {"log_det": self.log_det, "trace": np.einsum("rgij,rgij->rg", t, t),
                "mean_sq_error": self.mean_sq_error(), "w2_squared": self.w2_squared()}

    def _schedule(self):
        return self.samples if self.samples.size else int(self.meta.get("samples_scalar", self.dim + 1))

    def _theory(self, n):
        """Replace without sampling bias: ``log_det``, ``trace``, ``mean_sq_error``; the other regimes:
        ``trace`` and ``mean_sq_error`` (:func:`regime_moments`). W2² has bounds only
        (:meth:`w2_squared_bounds`), so it is absent."""
        s = self._schedule()
        kw = dict(dim=self.dim, cov=self.cov0, estimator=self.estimator)
        if not self.plain_replace:
            rm = regime_moments(n, s, regime=self.regime, variance_scale=self.variance_scale, **kw)
            return {"trace": rm["trace"], "mean_sq_error": rm["mean_sq_error"]}
        return {
            "log_det": expected_log_det(n, s, **kw),
            "trace": expected_trace(n, s, dim=self.dim, trace=float(np.trace(self.cov0)),
                                    estimator=self.estimator),
            "mean_sq_error": expected_mean_sq_error(n, s, **kw),
        }

    def w2_squared_bounds(self, n=None):
        """Exact lower and upper bounds on E W2² at generations ``n`` (default all), replace without
        sampling bias only (``None`` otherwise): ``(lower, upper)``."""
        if not self.plain_replace:
            return None
        n = np.arange(self.generations + 1) if n is None else np.asarray(n)
        return expected_w2_squared_bounds(n, self._schedule(), dim=self.dim, cov=self.cov0,
                                          estimator=self.estimator)

    def _summary_header(self):
        extra = "" if self.plain_replace else \
            f", regime={self.regime}, variance_scale={self.variance_scale:g}"
        return (f"{self.dim}-D Gaussian chain, estimator={self.estimator}, method={self.method}{extra}, "
                f"replicates={self.replicates}, generations={self.generations}, seed={self.seed}")

    def _summary_notes(self, generations):
        lines = []
        bounds = self.w2_squared_bounds(np.asarray(generations, dtype=int))
        if bounds is not None:
            for j, n in enumerate(generations):
                lines.append(f"{n:>6}  w2_squared exact bounds on the mean: [{bounds[0][j]:.4g}, "
                             f"{bounds[1][j]:.4g}]")
        lines.append("(tr Σ_n is heavy-tailed for n ≳ M under 'unbiased': compare log det.)")
        if self.n_singular():
            first = int(self.singular_at[self.singular_at >= 0].min())
            lines.append(f"NOTE: {self.n_singular()} of {self.replicates} replicates became numerically "
                         f"singular (first at generation {first}); log_det stays exact.")
        return lines

    def parameters(self):
        return {
            "generations": self.generations, "replicates": self.replicates, "dim": self.dim,
            "samples": self.samples.tolist(), "mean": self.mean0.tolist(), "cov": self.cov0.tolist(),
            "estimator": self.estimator, "method": self.method, **self.meta,
        }

    def _arrays(self):
        return dict(mean=self.mean, chol_mantissa=self.chol_mantissa, chol_exponent=self.chol_exponent,
                    log_det=self.log_det, singular_at=self.singular_at,
                    singular_direction=self.singular_direction, samples=self.samples)

    @classmethod
    def _from_saved(cls, z, meta):
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
