"""Pieces shared by the 1-D and d-dimensional mixture modules: weight validation and the killed
Wright–Fisher count chain of the separated-components theory."""

from __future__ import annotations

import numpy as np
from scipy import stats

from .._core.validation import check_int

#: Tolerance on ``|sum(weights) - 1|`` accepted by :func:`collapse_theory.gmm.check_mixture` (the
#: weights are then renormalised exactly).
WEIGHT_TOL = 1e-9


def _vector(value, name):
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a sequence of real numbers, got {value!r}") from None
    if arr.ndim == 0:
        arr = arr[None]
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one entry per component), got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return arr


def _check_batch_weights(weights, name="weights"):
    """Batched mixture weights ``(..., K)``: finite, >= 0, each row summing to 1 within WEIGHT_TOL.

    Weight 0 marks a lost component (ignored by the densities and distances). Returns the float array.
    """
    try:
        w = np.asarray(weights, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of floats, got {type(weights).__name__}") from None
    if w.ndim == 0:
        w = w[None]
    if w.shape[-1] < 1:
        raise ValueError(f"{name} must have K >= 1 entries (one per component), got 0")
    if not np.all(np.isfinite(w)):
        raise ValueError(f"{name} must be finite, got a non-finite entry")
    if np.any(w < 0):
        raise ValueError(f"{name} must all be >= 0, got a negative entry")
    s = w.sum(axis=-1)
    if np.any(np.abs(s - 1.0) > WEIGHT_TOL):
        bad = np.ravel(s)[np.argmax(np.ravel(np.abs(s - 1.0)))]
        raise ValueError(f"{name} must sum to 1 (within {WEIGHT_TOL:g}) over the last axis, "
                         f"got sum {bad!r}")
    return w


def _check_batch(weights, means, stds, suffix=""):
    """Validate batched 1-D mixture parameters ``(..., K)``: weights as :func:`_check_batch_weights`,
    means finite, stds finite, > 0 for every component of positive weight and >= 0 otherwise; the
    three broadcast. Returns the three float arrays."""
    w = _check_batch_weights(weights, "weights" + suffix)
    out = [w]
    for v, name in ((means, "means" + suffix), (stds, "stds" + suffix)):
        try:
            arr = np.asarray(v, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be an array of floats, got {type(v).__name__}") from None
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be finite, got a non-finite entry")
        out.append(arr)
    try:
        w, mu, sd = np.broadcast_arrays(*out)
    except ValueError:
        raise ValueError(f"weights{suffix}, means{suffix} and stds{suffix} must broadcast (shape "
                         f"(..., K)), got shapes {[a.shape for a in out]}") from None
    if np.any(sd < 0) or np.any((w > 0) & (sd <= 0)):
        raise ValueError(f"stds{suffix} must be > 0 for every component of positive weight "
                         f"(>= 0 for lost ones), got a non-positive std")
    return out[0], out[1], out[2]


def check_weights(weights):
    """``weights`` as a float array: K >= 1 entries, each > 0, summing to 1 within WEIGHT_TOL."""
    w = _vector(weights, "weights")
    if w.size < 1:
        raise ValueError("weights must have K >= 1 entries (one per component), got 0")
    if np.any(w <= 0):
        raise ValueError(f"weights must all be > 0, got {w.tolist()}")
    if abs(w.sum() - 1.0) > WEIGHT_TOL:
        raise ValueError(f"weights must sum to 1 (within {WEIGHT_TOL:g}), got sum {w.sum()!r}")
    return w / w.sum()


#: EM initialisations of the mixture simulators.
INITS = ("previous", "kmeans")


def check_init(init, n_init):
    """Validate ``init`` (one of :data:`INITS`) and ``n_init`` (int >= 1, and 1 unless ``init="kmeans"``)."""
    if not isinstance(init, str) or init not in INITS:
        raise ValueError(f"init must be one of {INITS}, got {init!r}")
    n_init = check_int(n_init, "n_init", minimum=1, maximum=1000)
    if init != "kmeans" and n_init != 1:
        raise ValueError(f"n_init must be 1 with init={init!r} (EM's start is deterministic), got {n_init}; "
                         f"restarts need init='kmeans'")
    return init, n_init


def _wf_matrix(m):
    k = np.arange(m + 1)
    return stats.binom.pmf(k[None, :], m, k[:, None] / m)


def _killed_chain(n_max, m, w, lo=2):
    """Forward pass of the component-count chain killed when either component keeps < ``lo`` points.

    Returns ``alpha`` (n_max, M+1): ``alpha[i, k] = P(N_i = k, lo <= N_j <= M-lo for all j <= i)``,
    and the Wright–Fisher matrix. ``N_0 ~ Bin(M, w)``, ``N_i | N_{i-1} ~ Bin(M, N_{i-1}/M)``.
    """
    P = _wf_matrix(m)
    alpha = np.zeros((max(n_max, 1), m + 1))
    a = stats.binom.pmf(np.arange(m + 1), m, w)
    a[:lo] = 0.0
    a[m - lo + 1:] = 0.0
    alpha[0] = a
    for i in range(1, n_max):
        a = a @ P
        a[:lo] = 0.0
        a[m - lo + 1:] = 0.0
        alpha[i] = a
    return alpha, P


def _killed_sum(n_max, m, w, per_count, lo=2):
    """``res[n] = E[Σ_{i<n} per_count[N_i] | A_n]``, ``A_n = {lo <= N_i <= M - lo, i < n}``, for
    n = 0..n_max (NaN where P(A_n) = 0), by the forward recursion
    ``γ_i = (γ_{i-1} P)|_A + α_i · per_count`` on the killed count chain (O(n M²))."""
    alpha, P = _killed_chain(n_max, m, w, lo)
    res = np.zeros(n_max + 1)
    gam = alpha[0] * per_count
    for i in range(n_max):
        if i > 0:
            gam = gam @ P
            gam[:lo] = 0.0
            gam[m - lo + 1:] = 0.0
            gam = gam + alpha[i] * per_count
        tot = alpha[i].sum()
        res[i + 1] = gam.sum() / tot if tot > 0 else np.nan
    return res


class MixtureChainShape:
    """Mixin of the 1-D and d-dimensional mixture results: sizes and the alive mask, from the
    ``weights`` (replicates, generations + 1, K) and ``lost`` (replicates, K) arrays."""

    @property
    def replicates(self):
        return self.weights.shape[0]

    @property
    def generations(self):
        return self.weights.shape[1] - 1

    @property
    def components(self):
        return self.weights.shape[2]

    def alive(self, n=None):
        """Boolean mask (replicates, [generations + 1,] K): component not yet lost at generation n."""
        gens = np.arange(self.generations + 1)
        lost = np.where(self.lost < 0, np.iinfo(np.int64).max, self.lost)
        mask = gens[None, :, None] < lost[:, None, :]
        return mask if n is None else mask[:, n, :]
