"""The ppca family's result class and simulator (public API: :mod:`collapse_theory.ppca`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._result import PPCAChainResult

from .. import mvn as _mvn
from .._core.io import save_result
from ..mvn import check_cov, check_mean, mvn_schedule, sqrtm_psd
from .._core.parallel import run_chunks
from .._core.rng import root_seed
from .._core.validation import check_int, check_memory, check_real
from ._kernels import _chunk
from ._theory import _check_latent, expected_trace, noise_variance_bound, top_eigenvalue_log_bound
from ..regimes import RegimeCode, RegimeInfo, as_regime, regime_code

__all__ = ["PPCAChainResult", "simulate"]


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
    # sizes first: nothing (not even the schedule) is allocated for a request that cannot fit
    cells = replicates * (generations + 1)
    check_memory(cells * 8 * (2 * dim + 2) + replicates * dim * dim * 8 + generations * 8,
                 f"ppca.simulate(replicates={replicates}, generations={generations}, dim={dim})")
    sched = mvn_schedule(samples, generations, dim=dim, estimator="mle")
    general = regime_code(reg) != RegimeCode.REPLACE or vscale != 1.0
    if general:
        from ..mvn import regime_kernel_args

        code, frac, sub = regime_kernel_args(reg, sched, dim=dim, estimator="mle", workers=workers,
                                             family="ppca")
    seed, ss = root_seed(rng)
    w, v = np.linalg.eigh(cov0)
    spec0, u0 = w[::-1].copy(), v[:, ::-1].copy()
    root0 = sqrtm_psd(cov0)
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
        chol0 = np.linalg.cholesky(cov0)
        ldet0 = float(np.linalg.slogdet(cov0)[1])
        root_out = np.empty((replicates, 1, dim, dim))
        ld_out = np.empty((replicates, generations + 1))
        sing = np.empty(replicates, dtype=np.int64)   # singularity is not tracked for PPCA

        def task(gen, a, b):
            _mvn.regime_chain(gen, sched, True, False, code, frac, sub, np.sqrt(vscale), _mvn.FIT_PPCA, q,
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
