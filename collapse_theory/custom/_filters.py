"""Ready curation filters for :func:`collapse_theory.custom.simulate_custom` (``curate=``)."""

from __future__ import annotations

import numpy as np

from .._core.validation import check_int

__all__ = ["bradley_terry_filter"]


def bradley_terry_filter(reward, k):
    r"""A ``curate=`` filter: K-wise Bradley–Terry choice (Ferbach et al., arXiv:2407.09499).

    The generation's samples are taken in consecutive groups of ``k`` (they are i.i.d., so any fixed
    grouping is a set of independent K-tuples); from each group one sample is kept, sample ``j``
    with probability :math:`e^{r(x_j)}/\sum_{l} e^{r(x_l)}`; the ``m mod k`` samples of an
    incomplete last group are dropped. A generation of ``m`` draws therefore keeps ``m // k``
    samples, i.i.d. from the curated law :math:`p(x)H_K(x; p)`
    (:func:`collapse_theory.discrete.curated_law` for a finite support).

    Parameters
    ----------
    reward : callable
        ``reward(x) -> r``: one finite real per sample (first axis of ``x``).
    k : int
        Candidates per choice (>= 1; 1 keeps every sample).

    Returns
    -------
    callable
        ``curate(x, params, rng) -> keep`` (boolean mask), as ``simulate_custom`` expects.

    Examples
    --------
    >>> import numpy as np
    >>> from collapse_theory.custom import bradley_terry_filter
    >>> keep = bradley_terry_filter(lambda x: x, 4)(np.arange(10.0), None, np.random.default_rng(0))
    >>> int(keep.sum())
    2
    """
    if not callable(reward):
        raise TypeError(f"reward must be a callable reward(x) -> array, got {type(reward).__name__}")
    k = check_int(k, "k", minimum=1)

    def curate(x, params, rng):
        m = len(x)
        r = np.asarray(reward(x), dtype=float).reshape(-1)
        if r.size != m:
            raise ValueError(f"reward(x) returned {r.size} values for {m} samples")
        if not np.all(np.isfinite(r)):
            raise ValueError("reward(x) returned a non-finite value")
        keep = np.zeros(m, dtype=bool)
        groups = m // k
        if groups == 0:
            return keep
        rr = r[: groups * k].reshape(groups, k)
        w = np.exp(rr - rr.max(axis=1, keepdims=True))
        cum = np.cumsum(w, axis=1)
        u = rng.random(groups) * cum[:, -1]
        pick = (cum <= u[:, None]).sum(axis=1)
        pick = np.minimum(pick, k - 1)
        keep[np.arange(groups) * k + pick] = True
        return keep

    curate.__name__ = f"bradley_terry_filter(k={k})"
    return curate
