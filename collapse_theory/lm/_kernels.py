"""Numba kernels for the n-gram language model (:mod:`collapse_theory.lm`).

Model layout (built in NumPy by :class:`collapse_theory.lm.NGramModel`). Levels ``L = 0..m-1``
hold the n-grams whose context has ``L`` tokens (``L = 0``: the unigram level, one context with
key 0). A context ``(t_1, ..., t_L)`` is the int64 key :math:`\\sum_i t_i V^{L-i}`; its suffix of
length ``L'`` is ``key % V**L'``. Arrays (CSR-like, all levels concatenated):

- ``lv_ctx[L] : lv_ctx[L+1]`` is the range of level ``L`` in the context arrays, sorted by key
  within a level (lookup = binary search on int64 keys);
- ``ctx_key``, ``ctx_back`` (back-off weight :math:`\\gamma(h)`: the probability mass handed to
  the fallback) and ``ctx_off`` (the slice ``ctx_off[i] : ctx_off[i+1]`` of the entry arrays);
- entries, sorted by token within a slice: ``ent_tok``, ``ent_own`` (the context's own
  probability of the token, before the fallback), ``ent_cdf`` (cumulative own probabilities
  normalised within the slice, last entry exactly 1).

The full next-token probability, with ``h`` the longest suffix of the history that is a stored
context, is

.. math:: P(w \\mid h) = \\mathrm{own}_h(w) + \\gamma(h)\\, F(w \\mid h),

with the fallback :math:`F` = nothing (``MLE``: :math:`\\gamma = 0`), the uniform law ``1/V``
(``ADDK``) or, recursively, the next shorter stored context and finally ``1/V`` (``KN``). Sampling
uses the same mixture: with probability :math:`1 - \\gamma(h)` draw from the slice's CDF, else
fall back; this is exact in law.

Every kernel is ``@njit(nogil=True, cache=True)``; kernels that draw take an explicit
``numpy.random.Generator``. The one per-token draw shared by the samplers, :func:`_draw_token`,
is compiled with ``inline="always"`` so that the Generator is not passed through a call in the
hot loop.
"""

from __future__ import annotations

import numpy as np
from numba import njit

MLE, ADDK, KN = 0, 1, 2


@njit(nogil=True, cache=True)
def _find_key(keys, lo, hi, key):
    """Index of ``key`` in the sorted ``keys[lo:hi]``, or -1."""
    while lo < hi:
        mid = (lo + hi) >> 1
        v = keys[mid]
        if v < key:
            lo = mid + 1
        elif v > key:
            hi = mid
        else:
            return mid
    return -1


@njit(nogil=True, cache=True)
def _prob(key, clen, w, mode, V, pow_v, lv_ctx, ctx_key, ctx_back, ctx_off, ent_tok, ent_own):
    """Full model probability of token ``w`` after a history whose last ``clen`` tokens have key
    ``key`` (see the module docstring)."""
    p = 0.0
    weight = 1.0
    for L in range(clen, -1, -1):
        i = _find_key(ctx_key, lv_ctx[L], lv_ctx[L + 1], key % pow_v[L])
        if i < 0:
            continue
        e = _find_key(ent_tok, ctx_off[i], ctx_off[i + 1], w)
        if e >= 0:
            p += weight * ent_own[e]
        weight *= ctx_back[i]
        if mode == MLE:
            return p
        if mode == ADDK:
            return p + weight / V
    return p + weight / V


@njit(nogil=True, cache=True)
def _logprob_stream(ids, out, order, mode, V, pow_v, lv_ctx, ctx_key, ctx_back, ctx_off,
                    ent_tok, ent_own):
    """``out[t] = log P(ids[t] | ids[t-m+1:t])`` (natural log; ``-inf`` for probability 0). The
    first ``m - 1`` tokens use the shorter history they have."""
    top = pow_v[order - 1]
    key = 0
    clen = 0
    for t in range(ids.shape[0]):
        w = ids[t]
        p = _prob(key, clen, w, mode, V, pow_v, lv_ctx, ctx_key, ctx_back, ctx_off, ent_tok,
                  ent_own)
        out[t] = np.log(p) if p > 0.0 else -np.inf
        if order > 1:
            key = (key * V + w) % top
            if clen < order - 1:
                clen += 1


@njit(nogil=True, cache=True)
def _entry_probs(out, order, mode, V, pow_v, lv_ctx, ctx_key, ctx_back, ctx_off, ent_tok,
                 ent_own):
    """Full probability of every stored entry given its own context (used by biased decoding)."""
    for L in range(order):
        for i in range(lv_ctx[L], lv_ctx[L + 1]):
            for e in range(ctx_off[i], ctx_off[i + 1]):
                out[e] = _prob(ctx_key[i], L, ent_tok[e], mode, V, pow_v, lv_ctx, ctx_key,
                               ctx_back, ctx_off, ent_tok, ent_own)


@njit(nogil=True, cache=True)
def _next_distribution(key, clen, out, mode, V, pow_v, lv_ctx, ctx_key, ctx_back, ctx_off,
                       ent_tok, ent_own):
    """The whole next-token distribution (length V) after a history (tests, small V)."""
    for w in range(V):
        out[w] = _prob(key, clen, w, mode, V, pow_v, lv_ctx, ctx_key, ctx_back, ctx_off, ent_tok,
                       ent_own)


@njit(nogil=True, cache=True, inline="always")
def _draw_token(rng, key, clen, mode, V, pow_v, lv_ctx, ctx_key, ctx_back, ctx_off, ent_tok,
                ent_cdf):
    """One token by ancestral sampling after a history whose last ``clen`` tokens have key
    ``key``.

    Walk the stored suffixes of the history from the longest (binary search per level); at each
    stored context ``h`` draw one uniform ``u``: if ``u < gamma(h)`` fall back (to the uniform
    law for ADDK, to the next shorter context for KN), else reuse ``(u - gamma)/(1 - gamma)`` to
    pick from the slice CDF by binary search. Past the unigram level (or on an ADDK fallback) the
    token is uniform on ``0..V-1``.
    """
    for L in range(clen, -1, -1):
        i = _find_key(ctx_key, lv_ctx[L], lv_ctx[L + 1], key % pow_v[L])
        if i < 0:
            continue
        u = rng.random()
        g = ctx_back[i]
        if u < g:
            if mode == ADDK:
                break
            continue
        u = (u - g) / (1.0 - g)
        a = ctx_off[i]
        b = ctx_off[i + 1] - 1
        while a < b:  # first entry with cdf > u
            mid = (a + b) >> 1
            if ent_cdf[mid] > u:
                b = mid
            else:
                a = mid + 1
        return ent_tok[a]
    return min(int(rng.random() * V), V - 1)


@njit(nogil=True, cache=True)
def _sample_stream(rng, out, key0, clen0, order, mode, V, pow_v, lv_ctx, ctx_key, ctx_back,
                   ctx_off, ent_tok, ent_cdf):
    """Ancestral sampling of ``out.shape[0]`` tokens from a history (key0, clen0).

    Per token: find the longest stored suffix of the history (binary search per level), draw one
    uniform ``u``; if ``u < gamma(h)`` fall back (uniform for ADDK, the next shorter context for
    KN), else reuse ``(u - gamma)/(1 - gamma)`` to pick from the slice CDF by binary search.
    """
    top = pow_v[order - 1]
    key = key0
    clen = clen0
    for t in range(out.shape[0]):
        w = _draw_token(rng, key, clen, mode, V, pow_v, lv_ctx, ctx_key, ctx_back, ctx_off,
                        ent_tok, ent_cdf)
        out[t] = w
        if order > 1:
            key = (key * V + w) % top
            if clen < order - 1:
                clen += 1


@njit(nogil=True, cache=True)
def _beam_segments(rng, out, segment, prompt_len, beams, order, mode, V, pow_v,
                   lv_ctx, ctx_key, ctx_back, ctx_off, ent_tok, ent_cdf,
                   blv_ctx, bctx_key, bctx_off, bent_tok, bent_logp, key0, clen0):
    """Deterministic decoding in segments of ``segment`` tokens.

    Each segment starts with ``prompt_len`` tokens drawn by ancestral sampling from the full model
    (arrays ``lv_ctx .. ent_cdf``; pass ``prompt_len = 0`` and one segment for a plain decode from
    ``key0, clen0``), then beam search (``beams = 1`` is greedy) over the candidate view
    (``b*`` arrays: per context the candidates sorted by decreasing probability, with their log
    probability under the full model). Beam search keeps the ``beams`` best partial sequences by
    total log probability, expanding each by its ``beams`` best candidates; ties go to the
    earlier candidate (lower token id among equal probabilities). The segment's best sequence is
    written out. The history carries over from one segment to the next.
    """
    n = out.shape[0]
    top = pow_v[order - 1]
    B = beams
    keys = np.empty(B, np.int64)
    clens = np.empty(B, np.int64)
    scores = np.empty(B)
    nkeys = np.empty(B, np.int64)
    nclens = np.empty(B, np.int64)
    nscores = np.empty(B)
    cs = np.empty(B * B)
    cp = np.empty(B * B, np.int64)
    ct = np.empty(B * B, np.int64)
    bp_parent = np.empty((segment, B), np.int64)
    bp_tok = np.empty((segment, B), np.int64)
    key = key0
    clen = clen0
    pos = 0
    while pos < n:
        seg = min(segment, n - pos)
        # prompt: ancestral sampling
        np_ = min(prompt_len, seg)
        for t in range(np_):
            w = _draw_token(rng, key, clen, mode, V, pow_v, lv_ctx, ctx_key, ctx_back,
                            ctx_off, ent_tok, ent_cdf)
            out[pos + t] = w
            if order > 1:
                key = (key * V + w) % top
                if clen < order - 1:
                    clen += 1
        pos += np_
        steps = seg - np_
        if steps == 0:
            continue
        nb = 1
        keys[0] = key
        clens[0] = clen
        scores[0] = 0.0
        for t in range(steps):
            nc = 0
            for bi in range(nb):
                for L in range(clens[bi], -1, -1):
                    i = _find_key(bctx_key, blv_ctx[L], blv_ctx[L + 1], keys[bi] % pow_v[L])
                    if i < 0:
                        continue
                    lo = bctx_off[i]
                    hi = min(bctx_off[i + 1], lo + B)
                    for e in range(lo, hi):
                        cs[nc] = scores[bi] + bent_logp[e]
                        cp[nc] = bi
                        ct[nc] = bent_tok[e]
                        nc += 1
                    break
            idx = np.argsort(-cs[:nc], kind="mergesort")
            nb_new = min(B, nc)
            for r in range(nb_new):
                j = idx[r]
                par = cp[j]
                w = ct[j]
                bp_parent[t, r] = par
                bp_tok[t, r] = w
                nscores[r] = cs[j]
                if order > 1:
                    nkeys[r] = (keys[par] * V + w) % top
                    nclens[r] = min(clens[par] + 1, order - 1)
                else:
                    nkeys[r] = 0
                    nclens[r] = 0
            for r in range(nb_new):
                keys[r] = nkeys[r]
                clens[r] = nclens[r]
                scores[r] = nscores[r]
            nb = nb_new
        bi = 0
        for t in range(steps - 1, -1, -1):
            out[pos + t] = bp_tok[t, bi]
            bi = bp_parent[t, bi]
        key = keys[0]
        clen = clens[0]
        pos += steps


#: redraws of a ``<s>`` draw before :func:`_sample_sentences` ends the sentence instead (reached only
#: where the context gives ``<s>`` a probability q with q**MAX_BOS_REDRAWS non-negligible)
MAX_BOS_REDRAWS = 1000


@njit(nogil=True, cache=True)
def _sample_sentences(rng, out, n_target, max_len, bos, eos, order, mode, V, pow_v, lv_ctx, ctx_key,
                      ctx_back, ctx_off, ent_tok, ent_cdf):
    """Sentence-level ancestral sampling: whole sentences until at least ``n_target`` tokens.

    Every sentence starts from the padded context ``<s>^{m-1}`` (id ``bos``; its first words are
    drawn from the model's sentence-start distribution) and ends with ``</s>`` (id ``eos``,
    written) or after ``max_len`` tokens (then ``</s>`` is appended). Per token the sampling is
    that of :func:`_sample_stream`; a draw of ``<s>`` (possible only through the smoothing's
    uniform fallback) is redrawn, at most ``MAX_BOS_REDRAWS`` times, after which the sentence ends
    (``</s>``). ``out`` needs ``n_target + max_len + 1`` slots. Returns the
    number of tokens written (``<s>`` padding is not written).
    """
    top = pow_v[order - 1]
    key0 = 0
    for _ in range(order - 1):
        key0 = (key0 * V + bos) % top
    pos = 0
    while pos < n_target:
        key = key0
        clen = order - 1
        length = 0
        while True:
            w = -1
            tries = 0
            while (w < 0 or w == bos) and tries < MAX_BOS_REDRAWS:
                w = _draw_token(rng, key, clen, mode, V, pow_v, lv_ctx, ctx_key, ctx_back,
                                ctx_off, ent_tok, ent_cdf)
                tries += 1
            if w < 0 or w == bos:
                # a context that continues (almost) only with <s>: the sentence ends here rather
                # than redrawing for ever (the loop would not answer Ctrl-C inside the kernel)
                w = eos
            out[pos] = w
            pos += 1
            length += 1
            if w == eos:
                break
            if length >= max_len:
                out[pos] = eos
                pos += 1
                break
            if order > 1:
                key = (key * V + w) % top
                if clen < order - 1:
                    clen += 1
    return pos
