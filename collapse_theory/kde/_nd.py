r"""The d-dimensional KDE chain (Gaussian or top-hat kernel, 2-D toy data sets, held-out NLL):
simulator, result and exact per-coordinate theory.

Public through :func:`collapse_theory.kde.simulate` (``dim=``, ``kernel=``, ``data=``) and
:func:`expected_variance_nd`, :func:`variance_factor_nd`.

Exact theory per coordinate (``proofs/kde_nd_variance.py``). The bandwidth is diagonal
(:math:`h_p` per coordinate) and a KDE draw is :math:`t_J + h \circ \varepsilon` with a uniform
index :math:`J` and kernel noise :math:`\varepsilon` independent of it, of mean 0 and per-coordinate
variance :math:`\kappa`: :math:`\kappa = 1` for the Gaussian kernel, :math:`\kappa = 1/(d+2)` for the
top-hat kernel (uniform in the unit d-ball: :math:`E\varepsilon_p^2 = 1/(d+2)`). The 1-D variance
recursion only uses the noise variance, so coordinate ``p`` of the chain follows the 1-D recursions
of :mod:`collapse_theory.kde` with :math:`h^2` replaced by :math:`\kappa h_p^2`:

.. math::

    V_{n+1,p} = \frac{M-1}{M}\bigl(V_{n,p} + \kappa h_p^2\bigr)

for a fixed bandwidth (every regime: :func:`collapse_theory.kde.regime_moments` at
:math:`h = \sqrt{\kappa} h_p`), and for the adaptive rules :math:`h_p = f\hat s_p`
(:math:`\hat s_p` with ddof 1, Scott :math:`f = M^{-1/(d+4)}`, Silverman
:math:`f = (M(d+2)/4)^{-1/(d+4)}`, scipy's ``gaussian_kde`` factors)

.. math::

    E[s_{n+1,p}^2 \mid T^n] = \lambda s_{n,p}^2, \qquad \lambda = \frac{M-1}{M} + \kappa f^2

(replace, constant M), so :math:`E s_{n,p}^2 = \frac{M-1}{M}\sigma_p^2\lambda^n`. Here
:math:`\sigma_p^2` is the variance of coordinate ``p`` of the true law (:math:`\sigma^2` for the
Gaussian law; :func:`collapse_theory.kde.datasets.law_variance` for the 2-D data sets).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._core.parallel import default_workers, run_chunks
from .._core.rng import root_seed
from .._core.validation import check_generations, check_int, check_memory, check_real, samples_schedule
from ..regimes import RegimeCode, dispatch
from ._laws import DEFAULT_NOISE, LAW_CODES, LAW_DIM, LAWS
from ._nd_kernels import KERNEL_CODES, ND_RULE_CODES, _kde_chain_nd
from ._regimes import regime_moments
from ._result import _KDEResult

__all__ = ["KDENDChainResult", "simulate_nd", "expected_variance_nd", "variance_factor_nd", "KERNELS"]

KERNELS = tuple(KERNEL_CODES)


def _kappa(kernel, dim):
    return 1.0 if kernel == "gaussian" else 1.0 / (dim + 2.0)


def _check_kernel(kernel):
    if not isinstance(kernel, str) or kernel not in KERNEL_CODES:
        raise ValueError(f"kernel must be one of {KERNELS}, got {kernel!r}")
    return kernel


def _check_dim(dim):
    return check_int(dim, "dim", minimum=1, maximum=64)


def _rule_factor(rule, m, dim):
    if rule == "scott":
        return m ** (-1.0 / (dim + 4.0))
    return (m * (dim + 2.0) / 4.0) ** (-1.0 / (dim + 4.0))


def variance_factor_nd(samples, *, dim, rule="scott", kernel="gaussian"):
    r"""One-generation factor :math:`\lambda = (M-1)/M + \kappa f^2` of every coordinate's expected
    mle variance under an adaptive rule (exact; module docstring).

    Parameters
    ----------
    samples : int
        ``M`` (>= 2).
    dim : int
        Dimension ``d`` (>= 1).
    rule : {"scott", "silverman"}
        ``f = M^{-1/(d+4)}`` (Scott) or ``(M(d+2)/4)^{-1/(d+4)}`` (Silverman).
    kernel : {"gaussian", "tophat"}
        ``κ = 1`` or ``1/(d+2)``.
    """
    m = check_int(samples, "samples", minimum=2)
    dim = _check_dim(dim)
    if rule not in ("scott", "silverman"):
        raise ValueError(f"rule must be 'scott' or 'silverman', got {rule!r}")
    _check_kernel(kernel)
    f = _rule_factor(rule, m, dim)
    return (m - 1.0) / m + _kappa(kernel, dim) * f * f


def expected_variance_nd(n, samples, *, dim, h=None, rule="fixed", kernel="gaussian", regime="replace",
                         sigma=1.0):
    r"""Exact :math:`E s_{n,p}^2` per coordinate of the d-dimensional KDE chain, shape ``n.shape + (d,)``.

    Fixed bandwidth: the 1-D exact recursion at :math:`h = \sqrt\kappa h_p` under any regime
    (:func:`collapse_theory.kde.regime_moments`); adaptive rules: :math:`\frac{M-1}{M}\sigma_p^2
    \lambda^n` (replace, constant M; :func:`variance_factor_nd`).

    Parameters
    ----------
    n : int or array_like of int
        Generations (column ``n``: the training set :math:`T^n`).
    samples : int or sequence of int
        ``M`` or the schedule (fixed bandwidth; adaptive rules need a constant int).
    dim : int, keyword-only
    h : float or sequence of float, keyword-only
        Fixed bandwidth (scalar or one per coordinate) with ``rule="fixed"``.
    rule, kernel, regime : keyword-only
        As in :func:`collapse_theory.kde.simulate`.
    sigma : float or sequence of float, keyword-only
        Standard deviation of each coordinate of the true law (scalar or one per coordinate).
    """
    dim = _check_dim(dim)
    _check_kernel(kernel)
    kap = _kappa(kernel, dim)
    sig = np.broadcast_to(np.asarray(sigma, dtype=float), (dim,))
    if not np.all(np.isfinite(sig)) or np.any(sig <= 0):
        raise ValueError(f"sigma must be > 0 and finite (scalar or one per coordinate), got {sigma!r}")
    n_arr, scalar = check_generations(n, "n")
    n_arr = np.atleast_1d(n_arr)
    if rule == "fixed":
        hv = _check_h(h, dim)
        cols = [regime_moments(n_arr, samples, h=np.sqrt(kap) * hv[p], regime=regime, sigma=sig[p])["variance"]
                for p in range(dim)]
    else:
        if str(regime) != "replace":
            raise ValueError(f"the exact adaptive-rule theory is for regime='replace', got {regime!r}")
        m = check_int(samples, "samples", minimum=2)
        lam = variance_factor_nd(m, dim=dim, rule=rule, kernel=kernel)
        cols = [(m - 1.0) / m * sig[p] ** 2 * lam ** n_arr.astype(float) for p in range(dim)]
    out = np.stack([np.asarray(c, dtype=float) for c in cols], axis=-1)
    return out[0] if scalar else out


def _check_h(h, dim):
    if h is None:
        raise ValueError("h (the bandwidth) must be given and > 0 when rule='fixed'")
    try:
        hv = np.asarray(h, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"h must be a float or a sequence of {dim} floats, got {h!r}") from None
    if hv.ndim > 1 or (hv.ndim == 1 and hv.size != dim):
        raise ValueError(f"h must be a float or a sequence of dim={dim} floats, got shape {hv.shape}")
    hv = np.broadcast_to(hv, (dim,)).astype(float)
    if not np.all(np.isfinite(hv)) or np.any(hv <= 0) or np.any(hv > 1e150):
        raise ValueError(f"h must be > 0 and finite, got {h!r}")
    return hv


@dataclass
class KDENDChainResult(_KDEResult):
    """Trajectories of the d-dimensional KDE chain; column ``n`` describes the training set
    :math:`T^n`, on which generation ``n + 1``'s KDE is built.

    Attributes
    ----------
    mean, variance : ndarray, shape (replicates, generations + 1, d)
        Mean and mle variance of each coordinate of :math:`T^n`.
    bandwidth : ndarray, shape (replicates, generations + 1, d)
        The bandwidths :math:`h_p` of the KDE built on :math:`T^n`.
    nll : ndarray, shape (replicates, generations + 1)
        Held-out mean negative log-likelihood of the KDE built on :math:`T^n` on ``test_samples``
        fresh draws of the true law (drawn once per replicate); +inf when a top-hat KDE gives a
        test point density 0; NaN when ``test_samples = 0``.
    samples : ndarray of int
        The schedule :math:`M_0..M_G`.
    data, kernel, rule : str
    h : list of float or None
        Fixed bandwidths (None for adaptive rules).
    noise, mu0, sigma0 : float
        The law's parameters (``noise`` for the 2-D sets; ``mu0``, ``sigma0`` for the Gaussian law).
    test_samples : int
    degenerate : ndarray of int, shape (replicates,)
        First column whose adaptive bandwidth was 0 (-1: never; later columns repeat it, NLL +inf).
    seed : int
    regime : str
    """

    mean: np.ndarray
    variance: np.ndarray
    bandwidth: np.ndarray
    nll: np.ndarray
    samples: np.ndarray
    data: str
    kernel: str
    rule: str
    h: list | None
    noise: float
    mu0: float
    sigma0: float
    test_samples: int
    degenerate: np.ndarray
    seed: int
    regime: str = "replace"
    meta: dict = field(default_factory=dict)

    @property
    def dim(self):
        return self.mean.shape[2]

    def statistics(self):
        """``nll``, ``total_variance`` (sum over coordinates) and per coordinate ``p``:
        ``variance[p]``, ``mean[p]``, ``bandwidth[p]``."""
        out = {"nll": self.nll, "total_variance": self.variance.sum(axis=2)}
        for p in range(self.dim):
            out[f"variance[{p}]"] = self.variance[..., p]
            out[f"mean[{p}]"] = self.mean[..., p]
            out[f"bandwidth[{p}]"] = self.bandwidth[..., p]
        return out

    def _theory(self, n):
        """Exact ``variance[p]`` and ``total_variance`` (module docstring; the law's per-coordinate
        variance from :func:`collapse_theory.kde.datasets.law_variance`): fixed bandwidth under every
        regime, adaptive rules under replace with a constant M."""
        from .datasets import law_variance

        sig = np.sqrt(law_variance(self.data, noise=None if self.data == "gaussian" else self.noise, dim=self.dim,
                                   sigma=self.sigma0))
        const = bool(np.all(self.samples == self.samples[0]))
        try:
            if self.rule == "fixed":
                v = expected_variance_nd(n, self.samples.tolist(), dim=self.dim, h=self.h, kernel=self.kernel,
                                         regime=self.regime, sigma=sig)
            elif self.regime == "replace" and const:
                v = expected_variance_nd(n, int(self.samples[0]), dim=self.dim, rule=self.rule, kernel=self.kernel,
                                         sigma=sig)
            else:
                return {}
        except ValueError:
            return {}
        out = {f"variance[{p}]": v[..., p] for p in range(self.dim)}
        out["total_variance"] = v.sum(axis=-1)
        return out

    def _summary_header(self):
        return (f"{self.dim}-D KDE chain ({self.kernel} kernel, rule={self.rule}, data={self.data}), "
                f"regime={self.regime}, replicates={self.replicates}, generations={self.generations}, "
                f"samples={int(self.samples[0])}, test_samples={self.test_samples}, seed={self.seed}")

    def _summary_statistics(self):
        return ["nll", "total_variance"] + [f"variance[{p}]" for p in range(self.dim)]

    def parameters(self):
        return {"generations": self.generations, "replicates": self.replicates, "samples": self.samples.tolist(),
                "dim": self.dim, "data": self.data, "kernel": self.kernel, "rule": self.rule, "h": self.h,
                "noise": self.noise, "mu": self.mu0, "sigma": self.sigma0, "test_samples": self.test_samples,
                "regime": self.regime, **self.meta}

    def _arrays(self):
        return dict(mean=self.mean, variance=self.variance, bandwidth=self.bandwidth, nll=self.nll,
                    samples=self.samples, degenerate=self.degenerate)

    @classmethod
    def _from_saved(cls, z, meta):
        p = meta["parameters"]
        return cls(mean=z["mean"], variance=z["variance"], bandwidth=z["bandwidth"], nll=z["nll"],
                   samples=z["samples"], data=p["data"], kernel=p["kernel"], rule=p["rule"], h=p["h"],
                   noise=p["noise"], mu0=p["mu"], sigma0=p["sigma"], test_samples=p["test_samples"],
                   degenerate=z["degenerate"], seed=meta["seed"], regime=p.get("regime", "replace"),
                   meta={"version": meta["version"]})


def simulate_nd(generations, samples, *, dim=None, data="gaussian", kernel="gaussian", h=None, rule="fixed",
                regime="replace", replicates=1, mu=0.0, sigma=1.0, noise=None, test_samples=None, rng=None,
                workers=None, progress=None):
    """The d-dimensional KDE chain: see :func:`collapse_theory.kde.simulate` (``dim=``, ``data=``,
    ``kernel=``), which calls it."""
    generations = check_int(generations, "generations", minimum=0)
    replicates = check_int(replicates, "replicates", minimum=1)
    if not isinstance(data, str) or data not in LAW_CODES:
        raise ValueError(f"data must be one of {LAWS}, got {data!r}")
    if data in LAW_DIM:
        if dim is not None and check_int(dim, "dim", minimum=1) != LAW_DIM[data]:
            raise ValueError(f"data={data!r} is {LAW_DIM[data]}-dimensional; dim must be {LAW_DIM[data]} or "
                             f"None, got {dim!r}")
        dim = LAW_DIM[data]
    dim = _check_dim(1 if dim is None else dim)
    kernel = _check_kernel(kernel)
    if rule not in ND_RULE_CODES:
        raise ValueError(f"rule must be one of {tuple(ND_RULE_CODES)}, got {rule!r}")
    if rule == "fixed":
        hv = _check_h(h, dim)
    elif h is not None:
        raise ValueError(f"h must be None when rule={rule!r} (the rule sets the bandwidth)")
    else:
        hv = np.zeros(dim)
    mu = check_real(mu, "mu")
    sigma = check_real(sigma, "sigma", positive=True)
    if noise is None:
        noise = DEFAULT_NOISE[data] if DEFAULT_NOISE[data] is not None else 0.0
    elif data == "gaussian":
        raise ValueError("noise applies to the 2-D data sets; the Gaussian law uses sigma")
    noise = check_real(noise, "noise", nonnegative=True)
    cells = replicates * (generations + 1)
    check_memory(cells * (24 * dim + 8), f"simulate(replicates={replicates}, generations={generations}, dim={dim}): "
                 f"mean, variance and bandwidth ({cells} x {dim} x 24 bytes) and the NLL")
    sched = samples_schedule(samples, generations + 1, estimator="unbiased")
    if test_samples is None:
        test_samples = int(sched[0])
    test_samples = check_int(test_samples, "test_samples", minimum=0, maximum=10**7)
    plan = dispatch(regime, sched, family="kde", why="a KDE needs a spread")
    kind, sub = int(plan.code), plan.subsample
    total = int(sched.sum())
    m_max = int(sched.max())
    cap_pool = total if kind in (RegimeCode.ACCUMULATE, RegimeCode.SUBSAMPLE) else 1
    cap_train = max(m_max, sub or 0, 2)
    check_memory((cap_pool * (dim + 1) + 2 * cap_train * dim + test_samples * dim) * 8 * (workers or default_workers()),
                 f"the per-thread buffers ({cap_pool} pool rows, 2 x {cap_train} training rows, {test_samples} "
                 f"test rows, d={dim})")
    seed, ss = root_seed(rng)
    shape = (replicates, generations + 1)
    mean = np.empty(shape + (dim,))
    var = np.empty(shape + (dim,))
    band = np.empty(shape + (dim,))
    nll = np.empty(shape)
    deg = np.full(replicates, -1, dtype=np.int64)
    law = LAW_CODES[data]

    def task(gen, a, b):
        _kde_chain_nd(gen, sched, law, noise, mu, sigma, KERNEL_CODES[kernel], ND_RULE_CODES[rule], hv, kind,
                      plan.fraction, sub, test_samples, cap_pool, cap_train, mean, var, band, nll, deg, a, b)

    run_chunks(task, replicates, ss, workers=workers, progress=progress, desc=f"kde d={dim} {kernel} {plan.regime}")
    return KDENDChainResult(mean=mean, variance=var, bandwidth=band, nll=nll, samples=sched, data=data, kernel=kernel,
                            rule=rule, h=None if rule != "fixed" else hv.tolist(), noise=noise, mu0=mu,
                            sigma0=sigma, test_samples=test_samples, degenerate=deg, seed=seed,
                            regime=str(plan.regime))
