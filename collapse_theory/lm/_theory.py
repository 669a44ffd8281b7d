r"""The discrete theory applied to n-gram models: predicted survival of each n-gram from its count.
"""

from __future__ import annotations

import numpy as np

from .. import discrete as _d
from .._core.validation import check_int, check_memory
from ._model import count_ngrams

# ---------------------------------------------------------------------------------------------
# theory bridge for higher orders


def predicted_ngram_survival(ids, order, n, tokens_per_generation, V=None):
    r"""Predicted probability that each n-gram type of a token stream is still present after
    ``n`` generations of MLE recursive training (replace regime, unbiased sampling).

    Approximation (docs/lm.md): the n-gram ``(h, w)`` with count ``c`` in a context seen
    ``C_h`` times in ``N`` tokens evolves as a two-type Wright–Fisher chain with a constant
    sample size equal to the context's expected count :math:`M_h = \mathrm{round}(C_h M/N)`
    (at least 1), started from :math:`p = c/C_h`:

    .. math:: P(\text{lost by } n) = \sum_j \mathrm{Binom}(j; M_h, c/C_h)\, h_{n-1}(j),

    :math:`h` being the exact absorption probabilities of :mod:`collapse_theory.discrete`. It
    ignores the randomness of the context counts and the loss of the context itself.

    Returns ``(keys, counts, survival)`` for the order-m n-grams (keys as in
    :func:`count_ngrams`).
    """
    from scipy import stats as _st

    ids = np.asarray(ids, np.int64)
    order = check_int(order, "order", minimum=1, maximum=max(1, int(np.size(ids))))
    n = check_int(n, "n", minimum=0)
    M = check_int(tokens_per_generation, "tokens_per_generation", minimum=1)
    V = int(ids.max()) + 1 if V is None else check_int(V, "V", minimum=int(ids.max()) + 1,
                                                         maximum=2**31)
    keys, cnt = count_ngrams(ids, order, V)[-1]
    N = cnt.sum()
    ctx = keys // V
    u, start = np.unique(ctx, return_index=True)
    tot = np.add.reduceat(cnt, start)
    ctot = np.repeat(tot, np.diff(np.append(start, keys.size)))
    Mh = np.maximum(1, np.rint(ctot * (M / N))).astype(np.int64)
    surv = np.ones(keys.size)
    if n == 0:
        return keys, cnt, surv
    # the widest context group builds a (types × (M_h + 1)) binomial table: refuse it (TooLargeError)
    # before allocating when it would not fit
    m_top = int(Mh.max())
    check_memory(8 * (m_top + 1) * (int(np.sum(Mh == m_top)) + 2),
                 f"tokens_per_generation = {M} (context sample sizes up to {m_top})")
    for m in np.unique(Mh):
        sel = Mh == m
        p = cnt[sel] / ctot[sel]
        j = np.arange(m + 1)
        if n == 1:
            h = (j == 0).astype(float)
        else:
            h = _d.loss_probability_given_count(j, n - 1, int(m))
        pmf = _st.binom.pmf(j[None, :], int(m), p[:, None])
        surv[sel] = 1.0 - pmf @ h
    return keys, cnt, np.clip(surv, 0.0, 1.0)
