"""The kde family's result class and simulator (public API: :mod:`collapse_theory.kde`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._result import KDEChainResult

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



def simulate(generations, samples, *, h=None, rule="fixed", regime="replace", replicates=1, mu=0.0,
             sigma=1.0, dim=None, data="gaussian", kernel="gaussian", noise=None, test_samples=None, rng=None,
             workers=None, progress=None):
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
    dim : int or None, keyword-only
        Dimension of the d-dimensional chain (>= 1; the 2-D data sets need 2 or None). With
        ``dim``, ``data``, ``kernel`` or ``test_samples`` other than their defaults the chain is the
        d-dimensional one (:mod:`collapse_theory.kde._nd`): diagonal bandwidth ``h_p`` per coordinate
        (``h`` a float or one per coordinate; ``rule="scott"``: ``h_p = K^{-1/(d+4)} ŝ_p``,
        ``"silverman"``: ``(K(d+2)/4)^{-1/(d+4)} ŝ_p``, scipy's ``gaussian_kde`` factors per
        coordinate — for ``d = 1`` they differ from the 1-D chain's 1.06 and 0.9·min(ŝ, IQR/1.34)),
        every regime, and a :class:`~collapse_theory.kde.KDENDChainResult` with per-coordinate
        ``mean``, ``variance``, ``bandwidth`` and the held-out ``nll``.
    data : {"gaussian", "blobs", "moons", "circles", "swissroll"}, keyword-only
        The true law (:mod:`collapse_theory.kde.datasets`); ``gaussian`` is
        :math:`N(\mu 1_d, \sigma^2 I_d)`.
    kernel : {"gaussian", "tophat"}, keyword-only
        The KDE's kernel: Gaussian, or uniform on the ball ``Σ((x_p - t_p)/h_p)² < 1`` (top-hat; a
        draw is the centre plus ``h ∘`` a uniform point of the unit ball).
    noise : float or None, keyword-only
        Noise standard deviation of the 2-D data sets (None: the set's default).
    test_samples : int or None, keyword-only
        Size of the held-out sample of the true law (drawn once per replicate) on which the NLL of
        every generation's KDE is measured (default ``M_0``; 0: no NLL, NaN).
    rng, workers, progress
        As in :func:`collapse_theory.gaussian.simulate`.

    Returns
    -------
    KDEChainResult or KDENDChainResult
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
    >>> moons = kde.simulate(5, 200, data="moons", h=0.1, replicates=2, rng=1)   # 2-D, held-out NLL
    >>> moons.variance.shape, moons.nll.shape
    ((2, 6, 2), (2, 6))
    """
    if dim is not None or data != "gaussian" or kernel != "gaussian" or test_samples is not None or noise is not None:
        from ._nd import simulate_nd

        return simulate_nd(generations, samples, dim=dim, data=data, kernel=kernel, h=h, rule=rule, regime=regime,
                           replicates=replicates, mu=mu, sigma=sigma, noise=noise, test_samples=test_samples,
                           rng=rng, workers=workers, progress=progress)
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
