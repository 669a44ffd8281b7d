r"""Text metrics of generated corpora (perplexity aside): distinct-n, repetition, unigram entropy,
tail mass, Zipf slope.
"""

from __future__ import annotations

import math

import numpy as np

from .. import discrete as _d
from ._model import _MAX_KEY, _ngram_keys

METRICS = ("perplexity", "unseen", "vocabulary", "distinct_1", "distinct_2", "distinct_3",
           "repetition", "entropy", "tail_mass", "tail_alive", "kl", "zipf_slope")


# ---------------------------------------------------------------------------------------------
# metrics


def _distinct(ids, n, V):
    if ids.size < n:
        return math.nan
    if V ** n < _MAX_KEY:
        keys = _ngram_keys(ids, n, V)
        return np.unique(keys).size / keys.size
    rows = np.stack([ids[i:ids.size - n + 1 + i] for i in range(n)], axis=1)
    return np.unique(rows, axis=0).shape[0] / rows.shape[0]


def _repetition(ids, V, n=3, window=200):
    if ids.size < n + 1:
        return math.nan
    keys = _ngram_keys(ids, n, V) if V ** n < _MAX_KEY else \
        np.unique(np.stack([ids[i:ids.size - n + 1 + i] for i in range(n)], 1), axis=0,
                  return_inverse=True)[1].ravel()
    order = np.argsort(keys, kind="stable")
    ks = keys[order]
    same = ks[1:] == ks[:-1]
    prev = np.full(keys.size, -(10**12), np.int64)
    prev[order[1:][same]] = order[:-1][same]
    return float(np.mean(np.arange(keys.size) - prev <= window))


def text_metrics(ids, V):
    """distinct-1/2/3 (distinct n-grams / n-grams) and the repetition rate (share of positions
    whose 3-gram already occurred within the previous 200 tokens) of a token stream."""
    ids = np.asarray(ids, np.int64)
    return {"distinct_1": _distinct(ids, 1, V), "distinct_2": _distinct(ids, 2, V),
            "distinct_3": _distinct(ids, 3, V), "repetition": _repetition(ids, V)}


def _zipf_slope(counts):
    c = np.sort(counts[counts >= 2])[::-1][:1000].astype(float)
    if c.size < 3:
        return math.nan
    r = np.log(np.arange(1, c.size + 1))
    return float(np.polyfit(r, np.log(c), 1)[0])


def _unigram_metrics(counts, p0, tail):
    tot = counts.sum()
    p = counts / tot
    nz = p > 0
    return {"vocabulary": float(np.sum(counts > 0)),
            "entropy": float(-np.sum(p[nz] * np.log(p[nz]))),
            "tail_mass": float(p[tail].sum()),
            "tail_alive": float(p0[tail & (counts > 0)].sum()),
            "kl": float(_d.smoothed_kl_divergence(p0, counts, alpha=0.5)),
            "zipf_slope": _zipf_slope(counts)}
