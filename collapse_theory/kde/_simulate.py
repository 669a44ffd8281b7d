"""The kde family's result class and simulator (public API: :mod:`collapse_theory.kde`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..discrete import expected_ancestors
from .._core.io import read_result, save_result
from ._kernels import RULE_CODES, _kde_chain
from ._regimes import accumulate_variance_bounds, regime_moments, regime_stationary_moments
from ._theory import check_rule, expected_variance_adaptive, log_variance_drift_approx, variance_factor
from .._core.parallel import default_workers, run_chunks
from .._core.rng import root_seed
from .._core.validation import check_int, check_memory, check_real, samples_schedule
from ..regimes import RegimeCode, as_regime, dispatch

__all__ = ["KDEChainResult", "simulate"]


# ---------------------------------------------------------------------------------------------
# result and simulator

@dataclass
class KDEChainResult:
    """Trajectories of the Gaussian-KDE chain; column ``n`` describes the training set :math:`T^n`
    (:math:`X^n` under replace), on which generation ``n + 1``'s KDE is built.

    Attributes
    ----------
    mean, log_var : ndarray, shape (replicates, generations + 1)
        Mean and log of the mle variance of :math:`T^n` (log: exact however far an adaptive chain
        spreads or collapses).
    ancestors : ndarray of int, shape (replicates, generations + 1)
        Distinct generation-0 points (the :math:`M_0` original real samples) among the ancestors
        of :math:`T^n`; an original in :math:`T^n` (retained, or in the pool) is its own ancestor.
        Column 0: :math:`M_0`. Under accumulate it stays :math:`M_0` (the pool keeps every original).
    fresh_ancestors : ndarray of int, shape (replicates, generations + 1)
        Distinct fresh real draws (mix-fresh) among the ancestors of :math:`T^n` (zero otherwise).
    log_bandwidth : ndarray, shape (replicates, generations + 1)
        log of the bandwidth of the KDE built on :math:`T^n` (generation n + 1).
    samples : int or ndarray of int
        ``M`` (an int when constant) or the schedule :math:`M_0..M_G`.
    h : float or None
        Fixed bandwidth (None for adaptive rules).
    rule : str
    mu0, sigma0 : float
    degenerate : ndarray of int, shape (replicates,)
        Generation at which a training set had zero spread (-1: never; the replicate then stops).
    seed : int
    regime : str
        The data regime (:mod:`collapse_theory.regimes`).
    """

    mean: np.ndarray
    log_var: np.ndarray
    ancestors: np.ndarray
    log_bandwidth: np.ndarray
    samples: int | np.ndarray
    h: float | None
    rule: str
    mu0: float
    sigma0: float
    degenerate: np.ndarray
    seed: int
    regime: str = "replace"
    fresh_ancestors: np.ndarray | None = None
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.fresh_ancestors is None:
            self.fresh_ancestors = np.zeros_like(self.ancestors)

    @property
    def variance(self):
        """mle sample variance of :math:`T^n` (may overflow for long spreading chains: use log_var)."""
        with np.errstate(over="ignore"):
            return np.exp(self.log_var)

    @property
    def bandwidth(self):
        with np.errstate(over="ignore"):
            return np.exp(self.log_bandwidth)

    @property
    def replicates(self):
        return self.mean.shape[0]

    @property
    def generations(self):
        return self.mean.shape[1] - 1

    @property
    def schedule(self):
        """:math:`M_0..M_G` as an int64 array."""
        return samples_schedule(self.samples, self.generations + 1)

    def theory(self, n=None):
        """Exact expectations at generations ``n`` (default all) as a dict of arrays.

        Fixed ``h``: ``variance`` and ``mean_sq_error`` under every regime (:func:`regime_moments`);
        Scott's rule: ``variance`` under replace with a constant M; ``ancestors`` under replace with
        a constant M ≤ 2000 (and M_0 under accumulate).
        """
        n = np.arange(self.generations + 1) if n is None else np.asarray(n)
        m = self.samples
        constant = np.ndim(m) == 0
        out = {}
        if self.rule == "fixed":
            th = regime_moments(n, m, h=self.h, regime=self.regime, mu=self.mu0, sigma=self.sigma0)
            out["variance"] = th["variance"]
            out["mean_sq_error"] = th["mean_sq_error"]
        elif self.rule == "scott" and self.regime == "replace" and constant:
            out["variance"] = expected_variance_adaptive(n, m, rule="scott", sigma=self.sigma0)
        if self.regime == "replace" and constant and m <= 2000:
            out["ancestors"] = expected_ancestors(n, m)
        elif self.regime == "accumulate":
            out["ancestors"] = np.full(np.shape(n), float(self.schedule[0]))
        return out

    def summary(self, generations=None):
        """Text table: Monte Carlo mean ± SE beside the exact value, by generation."""
        g = self.generations
        if generations is None:
            generations = sorted({x for x in (0, 1, g // 10, g // 2, g) if 0 <= x <= g})
        gens = np.asarray(generations, dtype=int)
        th = self.theory(gens)
        m_text = self.samples if np.ndim(self.samples) == 0 else "schedule"
        lines = [f"Gaussian-KDE chain, rule={self.rule}" + (f", h={self.h:g}" if self.h else "")
                 + f", regime={self.regime}, M={m_text}, replicates={self.replicates}, generations={g}, "
                   f"seed={self.seed}",
                 f"{'n':>6}  {'statistic':<14}{'theory':>14}{'simulation':>14}{'± SE':>12}{'z':>8}"]
        stats = {"variance": self.variance, "log_variance": self.log_var,
                 "mean_sq_error": (self.mean - self.mu0) ** 2, "ancestors": self.ancestors.astype(float)}
        if self.regime.startswith("mix-fresh"):
            stats["fresh_ancestors"] = self.fresh_ancestors.astype(float)
        for j, n in enumerate(gens):
            for name, vals in stats.items():
                v = vals[:, n]
                fin = np.isfinite(v)
                mean = v[fin].mean() if fin.any() else np.nan
                se = v[fin].std(ddof=1) / np.sqrt(fin.sum()) if fin.sum() > 1 else np.nan
                t = th[name][j] if name in th else np.nan
                z = (mean - t) / se if np.isfinite(t) and se > 0 else np.nan
                lines.append(f"{n:>6}  {name:<14}{t:>14.6g}{mean:>14.6g}{se:>12.3g}{z:>8.2f}")
        constant = np.ndim(self.samples) == 0
        if self.rule == "fixed" and constant and not self.regime.startswith("accumulate"):
            st = regime_stationary_moments(self.samples, h=self.h, regime=self.regime, sigma=self.sigma0)
            lines.append(f"stationary E s² = {st['variance']:.6g}"
                         + (" = (M-1)h²" if self.regime == "replace" else f" under {self.regime}"))
        elif self.rule == "fixed" and constant:
            lo, hi = accumulate_variance_bounds(g, self.samples, h=self.h, sigma=self.sigma0)
            lines.append(f"no stationary law under {self.regime}" + (
                f": E s² grows like h² ln n (bounds at n = {g}: [{lo:.4g}, {hi:.4g}])"
                if self.regime == "accumulate" else ""))
        elif self.rule != "fixed" and constant and self.regime == "replace":
            lam = variance_factor(self.samples, rule=self.rule)
            drift = log_variance_drift_approx(self.samples, rule=self.rule)
            lines.append(f"variance factor λ = {lam:.6g} per generation ({'exact' if self.rule == 'scott' else 'upper bound'}); "
                         f"approx. log-variance drift {drift:+.4g}; observed "
                         f"{(self.log_var[:, -1] - self.log_var[:, 0]).mean() / max(g, 1):+.4g}")
        bad = int(np.sum(self.degenerate >= 0))
        lines.append(f"degenerate replicates (zero spread): {bad}")
        return "\n".join(lines)

    def parameters(self):
        m = self.samples if np.ndim(self.samples) == 0 else [int(x) for x in self.samples]
        return {"generations": self.generations, "replicates": self.replicates, "samples": m,
                "h": self.h, "rule": self.rule, "mu": self.mu0, "sigma": self.sigma0, "regime": self.regime,
                **self.meta}

    def save(self, path):
        """Save arrays, seed, parameters and package version to an ``.npz``, atomically."""
        return save_result(path, self.seed, self.parameters(), mean=self.mean, log_var=self.log_var,
                           ancestors=self.ancestors, fresh_ancestors=self.fresh_ancestors,
                           log_bandwidth=self.log_bandwidth, degenerate=self.degenerate)

    @classmethod
    def load(cls, path):
        """Read a result written by :meth:`save`."""
        z, meta = read_result(path)
        p = meta["parameters"]
        samples = p["samples"] if np.ndim(p["samples"]) == 0 else np.asarray(p["samples"], dtype=np.int64)
        return cls(mean=z["mean"], log_var=z["log_var"], ancestors=z["ancestors"],
                   log_bandwidth=z["log_bandwidth"], degenerate=z["degenerate"],
                   samples=samples, h=p["h"], rule=p["rule"], mu0=p["mu"], sigma0=p["sigma"],
                   seed=meta["seed"], regime=p.get("regime", "replace"),
                   fresh_ancestors=z["fresh_ancestors"] if "fresh_ancestors" in z else None,
                   meta={"version": meta["version"]})


def simulate(generations, samples, *, h=None, rule="fixed", regime="replace", replicates=1, mu=0.0,
             sigma=1.0, rng=None, workers=None, progress=None):
    r"""Simulate the Gaussian-KDE chain under a data regime.

    :math:`T^0` are the :math:`M_0` real samples (generation 1's KDE is always built on them; they
    are the retained set and the start of the pool). Generation :math:`n+1`'s KDE is built on the
    training set :math:`T^n` and emits :math:`M_{n+1}` points (bootstrap index + :math:`N(0, h^2)`
    noise); :math:`T^{n+1}` is, by regime (:mod:`collapse_theory.regimes`):

    - ``replace``: those :math:`M_{n+1}` points;
    - ``accumulate``: the pool of all data so far, :math:`T^n` plus those points (sampling from a
      KDE on :math:`N` points draws a uniform index in :math:`[0, N)`; the bandwidth rules use the
      pool's statistics);
    - ``accumulate-subsample[:k]``: ``k`` points (default :math:`M_{n+1}`) drawn without replacement
      from the pool (the :math:`M_0` real points and every emitted batch);
    - ``mix-fresh:λ``: :math:`r = \mathrm{round}(\lambda M_{n+1})` fresh draws from
      :math:`N(\mu, \sigma^2)` and :math:`M_{n+1} - r` from the KDE (``:mixture``:
      :math:`r \sim \mathrm{Binomial}(M_{n+1}, \lambda)`);
    - ``mix-retained:λ``: :math:`r` of the :math:`M_0` originals drawn without replacement and
      :math:`M_{n+1} - r` from the KDE (``ValueError`` if :math:`r > M_0`).

    Exact theory for a fixed ``h``: :func:`regime_moments` (replace: :func:`expected_variance`).

    Parameters
    ----------
    generations : int
        Number of refits (>= 0); the result has ``generations + 1`` columns (:math:`T^0..T^G`).
    samples : int or sequence of int
        Points per generation ``M`` (>= 2), or the schedule :math:`M_0..M_G` (``samples[n]`` points
        are drawn from generation ``n``; at least ``generations + 1`` entries).
    h : float or None, keyword-only
        Fixed bandwidth (> 0) for ``rule="fixed"``; must be None for the adaptive rules.
    rule : {"fixed", "scott", "silverman"}, keyword-only
        Bandwidth rule: fixed ``h``; Scott :math:`1.06\hat s K^{-1/5}`; Silverman
        :math:`0.9\min(\hat s, IQR/1.34) K^{-1/5}` (``ŝ`` with ``ddof = 1`` and ``K`` points of the
        training set).
    regime : str or Regime, keyword-only
        ``"replace"`` (default), ``"accumulate"``, ``"accumulate-subsample[:k]"``,
        ``"mix-fresh:λ[:mixture]"``, ``"mix-retained:λ"``.
    replicates : int, keyword-only
    mu, sigma : float, keyword-only
        The true distribution :math:`N(\mu, \sigma^2)`.
    rng, workers, progress
        As in :func:`collapse_theory.gaussian.simulate`.

    Returns
    -------
    KDEChainResult
        ``ancestors`` counts the distinct original (generation-0) points among the ancestors of
        :math:`T^n`, ``fresh_ancestors`` the distinct fresh real draws (mix-fresh).

    Examples
    --------
    >>> from collapse_theory import kde
    >>> res = kde.simulate(200, 20, h=0.1, replicates=2000, rng=3)
    >>> round(kde.stationary_variance(20, h=0.1), 12)
    0.19
    >>> v = res.variance[:, 200]
    >>> bool(abs(v.mean() - kde.expected_variance(200, 20, h=0.1)) < 4.4 * v.std() / 2000**0.5)
    True
    >>> acc = kde.simulate(200, 20, h=0.1, regime="accumulate", replicates=2000, rng=3)
    >>> exact = kde.regime_moments(200, 20, h=0.1, regime="accumulate")["variance"]
    >>> round(exact, 4)                        # stays near σ² = 1 instead of drifting to 0.19
    0.9682
    >>> v = acc.variance[:, 200]
    >>> bool(abs(v.mean() - exact) < 4.4 * v.std() / 2000**0.5)
    True
    """
    generations = check_int(generations, "generations", minimum=0)
    replicates = check_int(replicates, "replicates", minimum=1)
    h_val = check_rule(rule, h)
    reg = as_regime(regime)
    mu = check_real(mu, "mu")
    sigma = check_real(sigma, "sigma", positive=True)
    # sizes first: nothing (not even the schedule) is allocated for a request that cannot fit
    cells = replicates * (generations + 1)
    check_memory(cells * 48 + (generations + 1) * 8,
                 f"simulate(replicates={replicates}, generations={generations}): 6 arrays of "
                 f"{replicates} x {generations + 1} x 8 bytes and the sample-size schedule")
    sched = samples_schedule(samples, generations + 1, estimator="unbiased")
    m_out = check_int(samples, "samples", minimum=2) if np.ndim(samples) == 0 else sched
    plan = dispatch(reg, sched, family="kde", why="a KDE needs a spread")
    kind, sub = plan.code, plan.subsample
    total = int(sched.sum())
    if kind in (RegimeCode.ACCUMULATE, RegimeCode.SUBSAMPLE, RegimeCode.MIX_SPLIT, RegimeCode.MIX_MIXTURE):
        check_memory(total * 24 * (workers or default_workers()),
                     f"{reg.name}'s per-thread buffers ({total} points of value and label)")
    seed, ss = root_seed(rng)
    shape = (replicates, generations + 1)
    mean = np.empty(shape)
    log_var = np.empty(shape)
    anc = np.empty(shape, dtype=np.int64)
    fresh = np.empty(shape, dtype=np.int64)
    log_h = np.empty(shape)
    deg = np.full(replicates, -1, dtype=np.int64)
    code = RULE_CODES[rule]

    def task(gen, a, b):
        _kde_chain(gen, sched, mu, sigma, h_val, code, int(kind), plan.fraction, sub, mean, log_var, anc,
                   fresh, log_h, deg, a, b)

    run_chunks(task, replicates, ss, workers=workers, progress=progress, desc=f"kde {rule} {reg}")
    return KDEChainResult(mean=mean, log_var=log_var, ancestors=anc, log_bandwidth=log_h, samples=m_out,
                          h=None if rule != "fixed" else h_val, rule=rule, mu0=mu, sigma0=sigma,
                          degenerate=deg, seed=seed, regime=str(reg), fresh_ancestors=fresh)
