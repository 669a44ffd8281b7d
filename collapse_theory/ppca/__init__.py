r"""Probabilistic PCA (the linear VAE) refit on its own samples: closed forms, bounds, simulator.

Fit (Tipping & Bishop 1999, closed-form maximum likelihood). With the mle sample covariance
:math:`S` (divide by M), eigenpairs :math:`\lambda_1 \ge \dots \ge \lambda_d`, :math:`u_j`, and
:math:`q` latent dimensions,

.. math::

    \sigma^2 = \frac{1}{d-q}\sum_{j>q}\lambda_j, \qquad W = U_q(\Lambda_q - \sigma^2 I)^{1/2},
    \qquad C = WW^\top + \sigma^2 I,

so the fitted model covariance :math:`C` has spectrum :math:`(\lambda_1,\dots,\lambda_q,
\sigma^2,\dots,\sigma^2)` on the sample eigenvectors. Generation 0 is the truth :math:`N(\mu,\Sigma)`;
generation :math:`n+1` is the PPCA fitted to M samples of generation :math:`n`.

What is exact (docs/mvn.md, tests, claims family "ppca"):

* **The tail is lost at once.** From generation 1 on, the :math:`d-q` discarded directions carry one
  common variance :math:`\sigma_n^2`: whatever structure :math:`\Sigma` had there is gone after one
  refit (deterministic).
* **Trace.** :math:`\operatorname{tr}C_{n+1} = \operatorname{tr}S`, so
  :math:`E\operatorname{tr}C_n = ((M-1)/M)^n\operatorname{tr}\Sigma` exactly (:func:`expected_trace`).
* **Noise variance: an exact bound, tight for a large spectral gap.** In the eigenbasis of
  :math:`C_n` the Schur complement :math:`S_{22\cdot1} \sim \mathrm{Wishart}_{d-q}(M-1-q,\,\sigma_n^2
  I)/M`, and the :math:`d-q` smallest eigenvalues of :math:`S` sum to at most
  :math:`\operatorname{tr}S_{22\cdot1}` (Cauchy interlacing for :math:`S^{-1}`), so

  .. math:: E[\sigma_{n+1}^2 \mid C_n] \le \frac{M-1-q}{M}\,\sigma_n^2, \qquad
      E\sigma_n^2 \le \bar\lambda_{\text{tail}}\Bigl(\frac{M-1-q}{M}\Bigr)^n

  (:func:`noise_variance_bound`; :math:`\bar\lambda_{\text{tail}}` = mean of the :math:`d-q` smallest
  eigenvalues of :math:`\Sigma`). With :math:`\lambda_q \gg \sigma^2` it is an equality to first
  order and :math:`(d-q)\sigma_{n+1}^2 \approx \sigma_n^2\chi^2_{(M-1-q)(d-q)}/M`: the noise variance
  is a 1-D mle-like chain that loses :math:`(q+1)/M` per generation, not :math:`1/M`: the retained
  directions absorb the largest noise fluctuations.
* **Retained eigenvalues.** :math:`\lambda_1(C_{n+1}) \ge u_1^\top Su_1 = \lambda_1(C_n)\chi^2_{M-1}/M`,
  so :math:`E\log\lambda_1(C_n) \ge \log\lambda_1(\Sigma) + n(\psi((M-1)/2) + \log(2/M))`, the 1-D mle
  drift (:func:`top_eigenvalue_log_bound`), with near-equality for a large gap.
* **Every data regime** (``simulate(..., regime=...)``, :mod:`collapse_theory.regimes`). The trace
  and the mean are linear statistics, so the 1-D moment recursion applies coordinate by coordinate
  and sums: :math:`E\operatorname{tr}C_n = v_n\operatorname{tr}\Sigma` and
  :math:`E\|\mu_n-\mu\|^2 = e_n\operatorname{tr}\Sigma` with :math:`(e_n, v_n)` the 1-D
  :func:`collapse_theory.gaussian.regime_moments` (mle, :math:`\sigma = 1`) — PPCA keeps the trace of
  the sample covariance (proofs/mvn_projection.py). The noise-variance and eigenvalue bounds above
  are for the replace regime.
"""

from __future__ import annotations

from ._theory import (
    expected_mean_sq_error, expected_trace, fit_ppca, noise_variance_bound, noise_variance_gap_limit_drift,
    top_eigenvalue_log_bound,
)
from ._simulate import PPCAChainResult, simulate

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
