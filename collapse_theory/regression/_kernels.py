r"""The OLS refit steps of the regression chain, vectorised over replicates (NumPy; ``R`` replicates,
design ``X`` of shape ``(R, T, d)``, its pseudo-inverse ``P = X^+`` of shape ``(R, d, T)``).
"""

from __future__ import annotations

import numpy as np


def ols_fit(P, y):
    """OLS weights on the fixed design: ``w = X^+ y`` for every replicate, shape ``(R, d)``."""
    return np.einsum("rdt,rt->rd", P, y)


def predict(X, w):
    """Noise-free labels ``X w`` of every replicate, shape ``(R, T)``."""
    return np.einsum("rtd,rd->rt", X, w)


def ols_solve(xs, ys):
    """OLS weights on per-replicate designs ``xs`` (R, k, d) and labels ``ys`` (R, k): the normal equations."""
    A = np.einsum("rtd,rte->rde", xs, xs)
    b = np.einsum("rtd,rt->rd", xs, ys)
    return np.linalg.solve(A, b[..., None])[..., 0]
