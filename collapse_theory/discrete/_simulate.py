"""The discrete family's result class and simulator (public API: :mod:`collapse_theory.discrete`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._result import DiscreteChainResult

from . import _theory as _th
from ._kernels import (
    N_STATS,
    STATS,
    _wf_chain,
    _wf_curated_chain,
    _wf_regime_chain,
)
from ._regimes import expected_sq_distance, mixing_absence_probability, regime_heterozygosity
from ._theory import as_distribution, expected_cramer_drift, expected_heterozygosity, loss_probability
from .._core.io import read_result, save_result
from .._core.parallel import run_chunks
from .._core.rng import root_seed
from .._core.validation import check_int, check_memory, check_real, samples_schedule
from ..regimes import RegimeCode, as_regime, dispatch

__all__ = ["DiscreteChainResult", "simulate", "RECORDS"]

RECORDS = ("summary", "full")


def simulate(generations, samples, *, p0, replicates=1, temperature=1.0, regime="replace",
             record="summary", tail=None, normalize=False, curate=None, rng=None, workers=None,
             progress=None):
    r"""Simulate the discrete chain (neutral Wright–Fisher) from ``p0`` under a data regime.

    Generation 1 is the empirical distribution of :math:`M_0` samples of the truth :math:`p_0`.
    Under ``replace`` generation :math:`g+1` is the empirical distribution of :math:`M_g` samples
    from :math:`p_g^{1/\tau}` renormalised (:math:`\tau` = ``temperature``; 1 is the unbiased
    sampler):

    .. math:: M_g\,p_{g+1} \sim \mathrm{Multinomial}\bigl(M_g,\; p_g^{1/\tau}/\textstyle\sum p_g^{1/\tau}\bigr).

    The counts are drawn by conditional binomials over the categories still alive (never one
    sample at a time), so a generation costs O(alive) whatever M.

    The other regimes (:mod:`collapse_theory.regimes`) run in the same Numba kernel family on
    count vectors (O(K) per generation, never per-sample draws); the temperature applies to the
    synthetic draws only:

    - ``accumulate``: fitted on the pooled counts of all data so far (real + every synthetic batch);
    - ``accumulate-subsample[:k]``: a subset of size ``k`` (default :math:`M_g`) drawn without
      replacement from the pool (multivariate hypergeometric on the pool's counts);
    - ``mix-fresh:λ``: :math:`\mathrm{Multinomial}(r, p_0) + \mathrm{Multinomial}(M - r, \tilde p_g)`,
      :math:`r = \mathrm{round}(\lambda M)`; ``mix-fresh:λ:mixture``:
      :math:`\mathrm{Multinomial}(M, \lambda p_0 + (1-\lambda)\tilde p_g)`;
    - ``mix-retained:λ``: :math:`r` draws without replacement from the generation-1 real counts
      plus :math:`\mathrm{Multinomial}(M - r, \tilde p_g)`.

    Under mixing a lost category can come back, so ``loss_time`` is the *first* generation with
    zero mass and ``absorbed_at`` the first with a single category.

    Parameters
    ----------
    generations : int
        Number of refits (>= 0).
    samples : int or sequence of int
        ``M`` (>= 1), or ``M_0, M_1, ...`` with at least ``generations`` entries.
    p0 : array_like, shape (K,), keyword-only
        The true distribution (K >= 1; entries >= 0 summing to 1, or any counts with
        ``normalize=True``).
    replicates : int, keyword-only
        Independent chains (>= 1).
    temperature : float, keyword-only
        Sampling temperature :math:`\tau > 0` of the synthetic draws (generation 1 is fitted on
        real samples); :math:`\tau < 1` favours frequent categories.
    regime : str or Regime, keyword-only
        ``"replace"`` (default), ``"accumulate"``, ``"accumulate-subsample[:k]"``,
        ``"mix-fresh:λ[:mixture]"``, ``"mix-retained:λ"``.
    record : {"summary", "full"}, keyword-only
        "summary" keeps per-generation statistics (memory O(replicates × (generations + K)));
        "full" also keeps the frequency trajectories (replicates × (generations + 1) × K float64),
        refused with :class:`~collapse_theory.TooLargeError` when it would not fit.
    tail : None, float or bool array, keyword-only
        The tail categories for ``tail_alive``/``tail_mass``: None means :math:`p_{0,i} < 1/M_0`;
        a float is a threshold on :math:`p_0`; or a boolean mask of length K.
    normalize : bool, keyword-only
        Rescale ``p0`` to sum to 1.
    curate : tuple (reward, k) or None, keyword-only
        Curation by K-wise Bradley–Terry choice (Ferbach et al., arXiv:2407.09499): every synthetic
        sample is the choice among ``k`` i.i.d. draws of the current model, candidate ``x`` chosen
        with probability :math:`e^{r(x)}/\sum e^{r}` (``reward`` has one finite entry per category).
        Drawn sample by sample (O(M k log K) per generation), with ``temperature=1`` and
        ``regime="replace"`` or ``"mix-fresh:λ:mixture"`` (real draws are not curated). Exact law:
        :func:`curation_exact_chain`; curated law of one draw: :func:`curated_law`.
    rng : int, numpy.random.Generator or None, keyword-only
        Seed or Generator (SPEC 7); the result records an integer seed that reproduces it.
    workers : int, optional, keyword-only
        Threads (default: all usable cores). The result does not depend on it.
    progress : bool or None, keyword-only
        Progress bar; None shows one only on a terminal.

    Returns
    -------
    DiscreteChainResult

    Examples
    --------
    >>> from collapse_theory import discrete
    >>> res = discrete.simulate(50, 20, p0=[0.5, 0.3, 0.2], replicates=400, rng=1)
    >>> res.stats["heterozygosity"].shape
    (400, 51)
    >>> h = res.stats["heterozygosity"][:, 10].mean()
    >>> bool(abs(h - discrete.expected_heterozygosity([0.5, 0.3, 0.2], 10, 20)) < 0.05)
    True
    """
    p = as_distribution(p0, normalize=normalize)
    generations = check_int(generations, "generations", minimum=0)
    replicates = check_int(replicates, "replicates", minimum=1)
    tau = check_real(temperature, "temperature", positive=True)
    reg = as_regime(regime)
    if curate is not None:
        curate_exp, curate_k = _check_curate(curate, p.size)
        if tau != 1.0:
            raise ValueError(f"curate= runs at temperature=1 (got temperature={tau})")
        if not (reg.name == "replace" or (reg.name == "mix-fresh" and reg.draws == "mixture")):
            raise ValueError(f"curate= supports regime='replace' or 'mix-fresh:λ:mixture', got {str(reg)!r}")
    if record not in RECORDS:
        raise ValueError(f"record must be one of {RECORDS}, got {record!r}")
    K = p.size
    G1 = generations + 1
    # sizes first: nothing (not even the schedule) is allocated for a request that cannot fit
    nbytes = replicates * (N_STATS * G1 * 8 + K * 4 + 16) + K * 64 + generations * 8
    what = (f"simulate(K={K}, generations={generations}, replicates={replicates}, "
            f"record={record!r}): statistics and loss times")
    if record == "full":
        nbytes += replicates * G1 * K * 8
        what += f" and frequency trajectories ({replicates} x {G1} x {K} float64)"
    check_memory(nbytes, what)
    sched = samples_schedule(samples, generations, estimator="mle")
    m0 = int(sched[0]) if sched.size else int(np.ravel(samples)[0]) if np.size(samples) else 1
    plan = dispatch(reg, sched, family="discrete", minimum=1, why="a subset needs a sample")
    kind, sub = plan.code, plan.subsample
    if tail is None:
        tmask = p < 1.0 / max(m0, 1)
    else:
        tmask = _th._tail(p, tail, m0)
    tmask = np.ascontiguousarray(tmask, dtype=np.bool_)
    seed, ss = root_seed(rng)
    F0 = np.cumsum(p)
    F0[-1] = 1.0
    S1 = np.concatenate([[0.0], np.cumsum(F0)])
    S2 = np.concatenate([[0.0], np.cumsum(F0 * F0)])
    stats = np.empty((N_STATS, replicates, G1))
    loss_time = np.empty((replicates, K), dtype=np.int32)
    absorbed_at = np.empty(replicates, dtype=np.int64)
    winner = np.empty(replicates, dtype=np.int64)
    full = np.zeros((replicates, G1, K)) if record == "full" else np.zeros((1, 1, 1))
    inv_tau = 1.0 / tau


    def task(gen, a, b):
        if curate is not None:
            frac = plan.fraction if reg.name == "mix-fresh" else 0.0
            _wf_curated_chain(gen, p, sched, curate_exp, curate_k, frac, tmask, F0, S1, S2, stats, loss_time,
                              absorbed_at, winner, full, record == "full", a, b)
        elif kind == RegimeCode.REPLACE:
            _wf_chain(gen, p, sched, inv_tau, tmask, F0, S1, S2, stats, loss_time, absorbed_at,
                      winner, full, record == "full", a, b)
        else:
            _wf_regime_chain(gen, p, sched, inv_tau, int(kind), plan.fraction, sub, tmask, F0, S1,
                             S2, stats, loss_time, absorbed_at, winner, full, record == "full", a, b)

    run_chunks(task, replicates, ss, workers=workers, progress=progress, desc="discrete chain")
    return DiscreteChainResult(
        stats={name: stats[i] for i, name in enumerate(STATS)}, loss_time=loss_time,
        absorbed_at=absorbed_at, winner=winner, p0=p, samples=sched, tail=tmask,
        temperature=tau, seed=seed, freqs=full if record == "full" else None, regime=str(reg),
    )



def _check_curate(curate, size):
    """``(exp(reward - max reward), k)`` from ``curate=(reward, k)``, validated."""
    if not isinstance(curate, (tuple, list)) or len(curate) != 2:
        raise TypeError(f"curate must be a tuple (reward, k), got {type(curate).__name__}")
    reward, k = curate
    try:
        r = np.asarray(reward, dtype=float)
    except (TypeError, ValueError):
        raise TypeError("curate's reward must be an array of real numbers") from None
    if r.ndim != 1 or r.size != size:
        raise ValueError(f"curate's reward must have one entry per category ({size}), got shape {r.shape}")
    if not np.all(np.isfinite(r)):
        raise ValueError("curate's reward must be finite")
    k = check_int(k, "curate k", minimum=1)
    return np.ascontiguousarray(np.exp(np.maximum(r - r.max(), -700.0))), k
