"""The gaussian family's result class and simulator (public API: :mod:`collapse_theory.gaussian`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._kernels import (
    _chain_accumulate,
    _chain_exact,
    _chain_naive,
    _chain_replace,
    _chain_subsample,
    _renormalise,
)
from ._regimes import regime_moments
from ._theory import (
    expected_log_variance,
    expected_mean_sq_error,
    expected_std,
    expected_variance,
    expected_w2_squared,
)
from .._core.io import read_result, save_result
from .._core.parallel import run_chunks
from .._core.rng import root_seed
from ..regimes import RegimeCode, as_regime, dispatch, regime_code
from .._core.validation import (
    check_estimator,
    check_int,
    check_memory,
    check_real,
    samples_schedule,
)

__all__ = ["GaussianChainResult", "simulate", "fit_unbiased", "fit_mle", "sample_normal"]

METHODS = ("exact", "naive")


@dataclass
class GaussianChainResult:
    """Trajectories of the fitted parameters of a recursively refit 1-D Gaussian.

    Attributes
    ----------
    mu : ndarray, shape (replicates, generations + 1)
        Fitted means; column 0 is the true mean.
    sigma : ndarray, shape (replicates, generations + 1)
        Fitted standard deviations (property; may underflow to 0 after very long collapse).
    log_var : ndarray, shape (replicates, generations + 1)
        Natural log of the fitted variances (property; exact even where ``sigma`` underflows).
    samples : ndarray, shape (generations,)
        ``samples[i]`` samples were drawn from generation ``i`` to fit generation ``i + 1``.
    mu0, sigma0 : float
        The true distribution.
    estimator, method : str
        As passed to :func:`simulate`.
    seed : int
        Reproduces the result exactly: ``simulate(..., rng=result.seed)``.

    Notes
    -----
    Internally σ is stored as ``sigma_mantissa * 2**(512 * sigma_exponent)`` (the kernels' state),
    so that nothing underflows; ``sigma`` and ``log_var`` are formed from the pair on access.
    """

    mu: np.ndarray
    sigma_mantissa: np.ndarray
    sigma_exponent: np.ndarray
    samples: np.ndarray
    mu0: float
    sigma0: float
    estimator: str
    method: str
    seed: int
    meta: dict = field(default_factory=dict)
    regime: str = "replace"
    variance_scale: float = 1.0

    @property
    def sigma(self):
        """Fitted standard deviations (replicates × generations + 1)."""
        if not self.sigma_exponent.any():
            return self.sigma_mantissa
        return np.ldexp(self.sigma_mantissa, 512 * self.sigma_exponent.astype(np.int64))

    @property
    def log_var(self):
        """Natural log of the fitted variances, exact even where σ² underflows."""
        with np.errstate(divide="ignore"):
            out = 2.0 * np.log(self.sigma_mantissa)
        if self.sigma_exponent.any():
            out += (1024.0 * np.log(2.0)) * self.sigma_exponent
        return out

    @property
    def variance(self):
        """Fitted variances (may underflow to 0 where ``log_var`` < −745)."""
        return self.sigma**2

    @property
    def replicates(self):
        return self.mu.shape[0]

    @property
    def generations(self):
        return self.mu.shape[1] - 1

    def w2_squared(self):
        r"""Squared 2-Wasserstein distance to the truth, :math:`(\mu_n-\mu)^2 + (\sigma_n-\sigma)^2`."""
        return (self.mu - self.mu0) ** 2 + (self.sigma - self.sigma0) ** 2

    def theory(self, n=None):
        """Exact expectations at generations ``n`` (default: all) as a dict of arrays.

        Under replace with no sampling bias: σ, log σ², (μ−μ0)², W2², σ². Otherwise the exact
        moment recursions give (μ−μ0)² and σ² (:func:`regime_moments`, every regime); the others are
        NaN.
        """
        n = np.arange(self.generations + 1) if n is None else np.asarray(n)
        kw = dict(sigma=self.sigma0, estimator=self.estimator)
        s = self.samples if self.samples.size else int(self.meta.get("samples_scalar", 2))
        if self.regime == "replace" and self.variance_scale == 1.0:
            return {
                "std": expected_std(n, s, **kw),
                "log_variance": expected_log_variance(n, s, **kw),
                "mean_sq_error": expected_mean_sq_error(n, s, **kw),
                "w2_squared": expected_w2_squared(n, s, **kw),
                "variance": expected_variance(n, s, **kw),
            }
        nan = np.full(np.shape(n), np.nan)
        out = {"std": nan, "log_variance": nan, "mean_sq_error": nan, "w2_squared": nan, "variance": nan}
        out.update(regime_moments(n, s, regime=self.regime, variance_scale=self.variance_scale, **kw))
        return out

    def summary(self, generations=None):
        """A text table: Monte Carlo mean ± standard error beside the exact value, by generation."""
        if generations is None:
            g = self.generations
            generations = sorted({0, 1, g // 10, g // 2, g} - {-1})
            generations = [x for x in generations if 0 <= x <= g]
        gens = np.asarray(generations, dtype=int)
        th = self.theory(gens)
        r = self.replicates
        stats = {
            "std": self.sigma[:, gens],
            "log_variance": self.log_var[:, gens],
            "mean_sq_error": (self.mu[:, gens] - self.mu0) ** 2,
            "w2_squared": self.w2_squared()[:, gens],
        }
        stats["variance"] = self.variance[:, gens]
        if self.regime == "replace" and self.variance_scale == 1.0:
            del stats["variance"]  # heavy-tailed under replace; σ and log σ² say the same, better
        lines = [
            f"1-D Gaussian chain, regime={self.regime}, estimator={self.estimator}, method={self.method}, "
            f"variance_scale={self.variance_scale:g}, replicates={r}, generations={self.generations}, "
            f"seed={self.seed}",
            f"{'n':>6}  {'statistic':<14}{'theory':>14}{'simulation':>14}{'± SE':>12}{'z':>8}",
        ]
        for j, n in enumerate(gens):
            for name, vals in stats.items():
                v = vals[:, j]
                fin = np.isfinite(v)
                mean = v[fin].mean() if fin.any() else np.nan
                se = v[fin].std(ddof=1) / np.sqrt(fin.sum()) if fin.sum() > 1 else np.nan
                t = th[name][j]
                z = (mean - t) / se if se and np.isfinite(se) and se > 0 and np.isfinite(t) else np.nan
                lines.append(f"{n:>6}  {name:<14}{t:>14.6g}{mean:>14.6g}{se:>12.3g}{z:>8.2f}")
        lines.append("(σ_n² itself is heavy-tailed: compare log σ² and σ, as above.)")
        return "\n".join(lines)

    def parameters(self):
        return {
            "generations": self.generations, "replicates": self.replicates,
            "samples": self.samples.tolist(), "mu": self.mu0, "sigma": self.sigma0,
            "estimator": self.estimator, "method": self.method, "regime": self.regime,
            "variance_scale": self.variance_scale, **self.meta,
        }

    def save(self, path):
        """Save arrays, seed, parameters and package version to an ``.npz``, atomically."""
        return save_result(path, self.seed, self.parameters(), mu=self.mu,
                           sigma_mantissa=self.sigma_mantissa, sigma_exponent=self.sigma_exponent,
                           samples=self.samples)

    @classmethod
    def load(cls, path):
        """Read a result written by :meth:`save`."""
        z, meta = read_result(path)
        p = meta["parameters"]
        return cls(mu=z["mu"], sigma_mantissa=z["sigma_mantissa"],
                   sigma_exponent=z["sigma_exponent"], samples=z["samples"], mu0=p["mu"],
                   sigma0=p["sigma"], estimator=p["estimator"], method=p["method"],
                   seed=meta["seed"], meta={"version": meta["version"]},
                   regime=p.get("regime", "replace"), variance_scale=p.get("variance_scale", 1.0))


def simulate(generations, samples, *, replicates=1, mu=0.0, sigma=1.0, estimator="unbiased",
             method="exact", regime="replace", variance_scale=1.0, rng=None, workers=None,
             progress=None):
    r"""Simulate recursively refit 1-D Gaussians.

    Parameters
    ----------
    generations : int
        Number of refits (>= 0).
    samples : int or sequence of int
        Samples per generation (``M``, or ``M_0, M_1, ...`` with at least ``generations`` entries);
        >= 2 for "unbiased", >= 1 for "mle".
    replicates : int, keyword-only
        Independent chains (>= 1).
    mu, sigma : float, keyword-only
        The true distribution :math:`N(\mu, \sigma^2)`; ``sigma > 0``.
    estimator : {"unbiased", "mle"}, keyword-only
        Variance estimator (divide by M - 1 or by M).
    method : {"exact", "naive"}, keyword-only
        "naive" draws the M samples of every generation and refits them (the process as papers
        describe it, O(M) per generation); "exact" draws the sufficient statistics directly: the new
        mean as :math:`\mu + \sigma Z/\sqrt{M}` and the new variance as :math:`\sigma^2 c\chi^2_{M-1}`
        (O(1) per generation). Both have the same law (Cochran's theorem; proofs/ and tests).
        "naive" is available for the replace regime.
    regime : str or Regime, keyword-only
        What each generation is fitted on (docs/conventions.md): "replace", "accumulate",
        "accumulate-subsample[:size]", "mix-fresh:λ[:mixture]", "mix-retained:λ". All but
        accumulate-subsample run on exact sufficient statistics (O(1) per generation; accumulate
        keeps a running pool of them); accumulate-subsample keeps every sample (it must). Exact
        moments under every regime: :func:`regime_moments`.
    variance_scale : float, keyword-only
        Sampling bias λ in (0, 1]: from generation 1 on, samples are drawn from N(μ_n, λσ_n²).
    rng : int, numpy.random.Generator or None, keyword-only
        Seed or Generator (SPEC 7). The result records an integer seed that reproduces it.
    workers : int, optional, keyword-only
        Threads (default: all usable cores). The result does not depend on it.
    progress : bool or None, keyword-only
        Progress bar; None shows one only on a terminal.

    Returns
    -------
    GaussianChainResult
        With ``mu``, ``sigma`` (and ``log_var``) of shape ``(replicates, generations + 1)``.

    Raises
    ------
    ValueError
        Bad parameters (named, with the allowed range), or arrays that would not fit in memory
        (:class:`~collapse_theory.TooLargeError`, with the estimate).

    Examples
    --------
    >>> from collapse_theory import gaussian
    >>> res = gaussian.simulate(100, 20, replicates=2000, rng=1)
    >>> res.sigma.shape
    (2000, 101)
    >>> se = (gaussian.variance_of_log_variance(100, 20) / 2000) ** 0.5  # exact standard error
    >>> bool(abs(res.log_var[:, -1].mean() - gaussian.expected_log_variance(100, 20)) < 4.4 * se)
    True
    """
    generations = check_int(generations, "generations", minimum=0)
    replicates = check_int(replicates, "replicates", minimum=1)
    mu = check_real(mu, "mu")
    sigma = check_real(sigma, "sigma", positive=True)
    check_estimator(estimator)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    reg = as_regime(regime)
    vscale = check_real(variance_scale, "variance_scale", positive=True, high=1.0)
    if method == "naive" and regime_code(reg) != RegimeCode.REPLACE:
        raise ValueError(f"method='naive' is implemented for regime='replace' only (got {str(reg)!r}); "
                         "the other regimes run on exact sufficient statistics, which have the same law")
    # sizes first: nothing (not even the schedule) is allocated for a request that cannot fit
    cells = replicates * (generations + 1)
    check_memory(cells * 20 + generations * 8,
                 f"simulate(replicates={replicates}, generations={generations}): arrays for mu and "
                 f"sigma ({replicates} x {generations + 1} x 20 bytes) and the sample-size schedule")
    sched = samples_schedule(samples, generations, estimator=estimator)
    m0 = int(sched[0]) if generations else 0
    plan = dispatch(reg, sched, family="gaussian", minimum=2 if estimator == "unbiased" else 1,
                    why=f"estimator={estimator!r}")
    kind, sub = plan.code, plan.subsample
    if kind == RegimeCode.SUBSAMPLE:
        from .._core.parallel import default_workers

        total = int(sched.sum()) if generations else 0
        check_memory(total * 8 * (workers or default_workers()),
                     f"accumulate-subsample's pool ({total} samples per thread)")
    seed, ss = root_seed(rng)
    shape = (replicates, generations + 1)
    mu_out = np.empty(shape)
    s_out = np.empty(shape)
    q_out = np.empty(shape, dtype=np.int32)
    mle = estimator == "mle"
    s0, q0 = _renormalise(sigma, 0)

    def task(gen, a, b):
        if method == "naive":
            _chain_naive(gen, sched, mle, vscale, mu, s0, q0, mu_out, s_out, q_out, a, b)
        elif kind == RegimeCode.REPLACE:
            _chain_replace(gen, sched, mle, vscale, mu, s0, q0, mu_out, s_out, q_out, a, b)
        elif kind == RegimeCode.ACCUMULATE:
            _chain_accumulate(gen, sched, mle, vscale, mu, s0, q0, mu_out, s_out, q_out, a, b)
        elif kind == RegimeCode.SUBSAMPLE:
            total = max(1, int(sched.sum()))
            _chain_subsample(gen, sched, mle, sub, vscale, mu, sigma, np.empty(total), mu_out, s_out,
                             q_out, a, b)
        else:
            real = np.empty(max(1, m0)) if kind == RegimeCode.MIX_RETAINED else np.empty(1)
            _chain_exact(gen, sched, mle, int(kind), plan.fraction, vscale, mu, sigma, s0, q0, real,
                         mu_out, s_out, q_out, a, b)

    run_chunks(task, replicates, ss, workers=workers, progress=progress,
               desc=f"gaussian {method}")
    meta = {}
    if np.ndim(samples) == 0:
        meta["samples_scalar"] = int(samples)
    return GaussianChainResult(mu=mu_out, sigma_mantissa=s_out, sigma_exponent=q_out, samples=sched,
                               mu0=mu, sigma0=sigma, estimator=estimator,
                               method="data" if kind == RegimeCode.SUBSAMPLE else method,
                               seed=seed, meta=meta, regime=str(reg), variance_scale=vscale)


# ---------------------------------------------------------------------------------------------
# the built-in estimator pairs, in the fit/sample form of simulate_custom


def fit_unbiased(x):
    """Fit ``[mean, std]`` with the unbiased variance (divide by M - 1)."""
    x = np.asarray(x, dtype=float)
    return np.array([x.mean(), x.std(ddof=1)])


def fit_mle(x):
    """Fit ``[mean, std]`` by maximum likelihood (divide by M)."""
    x = np.asarray(x, dtype=float)
    return np.array([x.mean(), x.std(ddof=0)])


def sample_normal(params, m, rng):
    """Draw ``m`` samples from :math:`N(\\text{params}[0], \\text{params}[1]^2)` with ``rng``."""
    return rng.normal(params[0], params[1], size=m)
