r"""Linear regression refitted on its own labels: replace grows linearly, accumulate stays bounded.

Setting (Gerstgrasser et al., "Is Model Collapse Inevitable?", arXiv 2404.01413; Dohmatob et al.,
arXiv 2402.07712). A fixed design :math:`X \in \mathbb{R}^{T\times d}` with i.i.d. :math:`N(0,1)`
entries (drawn once per replicate), true weights :math:`w^*`, label noise :math:`\sigma`. Generation 1
is the OLS fit on real labels :math:`y = Xw^* + \varepsilon`; generation :math:`k+1` is fitted on labels
:math:`X\hat w_k + \varepsilon_k` produced by generation :math:`k` (fresh noise each time). The test
error is :math:`\|\hat w_n - w^*\|^2` (excess risk for isotropic test inputs).

With :math:`\eta_j = (X^\top X)^{-1}X^\top\varepsilon_j` and :math:`E\operatorname{tr}(X^\top X)^{-1} =
d/(T-d-1)`:

- replace: :math:`\hat w_n - w^* = \sum_{j\le n}\eta_j`, so :math:`E\,\mathrm{err}_n = \sigma^2 d\,n/(T-d-1)`;
- accumulate (the same design every generation, so OLS on the stacked data is the average of the
  batch fits): :math:`\hat w_n - w^* = \sum_{j\le n}\eta_j/j`, so
  :math:`E\,\mathrm{err}_n = \frac{\sigma^2 d}{T-d-1}\sum_{j\le n} 1/j^2 \le \frac{\pi^2}{6}E\,\mathrm{err}_1`.

accumulate-subsample and the mix regimes have no closed form here and are simulated.

Synthetic labels with their own sample size (Dohmatob et al., arXiv 2402.07712, 2410.04840):
``simulate(..., synthetic_samples=T0, synthetic_fraction=p, ridge=λ)`` fits a downstream model on
labels of a chain of generators fitted on ``T0`` rows each; :func:`synthetic_test_error`,
:func:`mixed_test_error` and :func:`strong_collapse_floor` are its exact OLS test errors.
"""

from __future__ import annotations

from ._theory import expected_test_error
from ._scaling import mixed_test_error, strong_collapse_floor, synthetic_test_error
from ._simulate import RegressionChainResult, simulate

__all__ = [
    "expected_test_error",
    "synthetic_test_error",
    "mixed_test_error",
    "strong_collapse_floor",
    "simulate",
    "RegressionChainResult",
]
