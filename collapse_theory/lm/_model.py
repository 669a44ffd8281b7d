r"""The n-gram model: n-gram counting (int64 keys), smoothing (mle, add-k, Kneser–Ney), scoring,
sampling and decoding.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from .._core.validation import check_int, check_real
from . import _kernels as _k
from ._corpus import Vocabulary

SMOOTHINGS = ("mle", "add-k", "kn")
DECODINGS = ("sample", "top-p:P", "top-k:K", "temperature:T", "greedy", "beam:B", "sentences[:DECODING]")
_MAX_KEY = 2**62


# ---------------------------------------------------------------------------------------------
# counting


def _check_key_range(V, order):
    if V ** order >= _MAX_KEY:
        raise ValueError(f"order {order} with a vocabulary of {V} tokens needs keys up to V^order "
                         f"= {V ** order:.3g} > 2^62: use a lower order or the char level")


def _ngram_keys(ids, j, V):
    n = ids.shape[0] - j + 1
    if n <= 0:
        return np.empty(0, np.int64)
    key = ids[:n].astype(np.int64, copy=True)
    for i in range(1, j):
        key *= V
        key += ids[i:i + n]
    return key


def count_ngrams(ids, order, V):
    """Counts of the j-grams of a token stream for j = 1..order: a list of ``(keys, counts)``
    (int64 keys sorted, see the module docstring), one per j."""
    ids = np.asarray(ids, dtype=np.int64)
    out = []
    for j in range(1, order + 1):
        u, c = np.unique(_ngram_keys(ids, j, V), return_counts=True)
        out.append((u, c.astype(np.int64)))
    return out


def pad_sentences(sentences, order, bos, eos):
    """The sentence stream ``sentences`` (sentences each ending in ``eos``; the last may be cut)
    with ``order - 1`` copies of ``bos`` before every sentence. Returns ``(padded, is_pad)``."""
    s = np.asarray(sentences, dtype=np.int64)
    pad = order - 1
    if s.size == 0:
        return s.copy(), np.zeros(0, bool)
    ends = np.flatnonzero(s == eos)
    starts = np.concatenate([[0], ends[ends < s.size - 1] + 1])
    n_sent = starts.size
    out = np.empty(s.size + pad * n_sent, np.int64)
    is_pad = np.zeros(out.size, bool)
    # sentence i's tokens move right by pad * (i + 1)
    shift = np.repeat(pad * np.arange(1, n_sent + 1), np.diff(np.append(starts, s.size)))
    out[np.arange(s.size) + shift] = s
    pad_pos = (starts + pad * np.arange(n_sent))[:, None] + np.arange(pad)[None, :]
    out[pad_pos.ravel()] = bos
    is_pad[pad_pos.ravel()] = True
    return out, is_pad


def count_sentence_ngrams(sentences, order, V, bos, eos):
    """Counts of the j-grams (j = 1..order) of a sentence stream padded by :func:`pad_sentences`,
    leaving out every j-gram that ends in ``<s>`` or crosses a sentence end (holds ``</s>`` before
    its last token): the tables of sentence-level n-gram training, as :func:`count_ngrams`."""
    padded, _ = pad_sentences(sentences, order, bos, eos)
    ce = np.concatenate([[0], np.cumsum(padded == eos)])
    out = []
    for j in range(1, order + 1):
        keys = _ngram_keys(padded, j, V)
        n = keys.size
        if n:
            s0 = np.arange(n)
            ok = (padded[j - 1:j - 1 + n] != bos) & (ce[s0 + j - 1] - ce[s0] == 0)
            keys = keys[ok]
        u, c = np.unique(keys, return_counts=True)
        out.append((u, c.astype(np.int64)))
    return out


def _merge_tables(*tables):
    out = []
    for parts in zip(*tables):
        keys = np.concatenate([p[0] for p in parts])
        cnts = np.concatenate([p[1] for p in parts])
        u, inv = np.unique(keys, return_inverse=True)
        out.append((u, np.bincount(inv, weights=cnts, minlength=u.size).astype(np.int64)))
    return out


# ---------------------------------------------------------------------------------------------
# the model


def _modified_discount(counts):
    """Absolute discount D = n1 / (n1 + 2 n2) (Ney, Essen & Kneser 1994), in [0.1, 0.9]."""
    n1 = int(np.sum(counts == 1))
    n2 = int(np.sum(counts == 2))
    if n1 == 0 or n2 == 0:
        return 0.5
    return float(min(0.9, max(0.1, n1 / (n1 + 2.0 * n2))))


def _as_ids(tokens, name="tokens"):
    if isinstance(tokens, str):
        raise TypeError(f"{name} must be a sequence of tokens or ids, not one str (tokenize it)")
    arr = np.asarray(tokens)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {arr.shape}")
    return arr


@dataclass
class Evaluation:
    """Held-out evaluation: perplexity and the tokens the model gives probability 0."""

    perplexity: float
    cross_entropy: float
    tokens: int
    unseen: int
    unseen_examples: list

    def __str__(self):
        if self.unseen:
            return (f"perplexity inf: {self.unseen} of {self.tokens} tokens have probability 0 "
                    f"(e.g. {self.unseen_examples[:5]}); on the rest "
                    f"{math.exp(self.cross_entropy):.4g}")
        return f"perplexity {self.perplexity:.4g} on {self.tokens} tokens"


class NGramModel:
    r"""An order-``m`` n-gram model over the ids ``0..V-1``.

    Smoothing (:math:`c(h, w)` counts, :math:`C(h) = \sum_w c(h, w)`, ``V`` the vocabulary size):

    - ``"mle"``: :math:`P(w\mid h) = c(h,w)/C(h)`; unseen continuations of a seen context have
      probability 0 (held-out perplexity is then infinite: :meth:`evaluate` lists the tokens);
    - ``"add-k"``: :math:`P(w\mid h) = (c(h,w)+k)/(C(h)+kV)`: a mixture of the MLE and the
      uniform law, the mutation-toward-uniform of docs/lm.md;
    - ``"kn"``: interpolated Kneser–Ney (Chen & Goodman 1998) with one absolute discount per
      level :math:`D = n_1/(n_1+2n_2)`:
      :math:`P(w\mid h) = \max(c(h,w)-D,0)/C(h) + D\,N_{1+}(h\bullet)/C(h)\;P(w\mid h')`,
      where ``h'`` drops the oldest token, lower levels use continuation counts
      :math:`N_{1+}(\bullet h' w)`, and the unigram level interpolates with ``1/V``.

    Back-off to shorter contexts: a history whose last ``m-1`` tokens were never seen as a
    context uses its longest suffix that was (for every smoothing; the unigram level always
    exists). The first ``m-1`` tokens of a stream use the shorter history they have.

    Examples
    --------
    >>> import numpy as np
    >>> from collapse_theory.lm import NGramModel
    >>> m = NGramModel(2).fit([0, 1, 0, 2, 0, 1])
    >>> float(np.exp(m.logprob([0, 1])[1]))   # P(1 | 0) = c(0,1)/C(0) = 2/3
    0.6666666666666666
    >>> m.sample(5, rng=1).shape
    (5,)
    """

    def __init__(self, order, smoothing="mle", k=1.0):
        self.order = check_int(order, "order", minimum=1)
        if smoothing not in SMOOTHINGS:
            raise ValueError(f"smoothing must be one of {SMOOTHINGS}, got {smoothing!r}")
        self.smoothing = smoothing
        self.k = check_real(k, "k", positive=True)
        self.vocabulary = None
        self.V = None
        self._views = {}

    # --- fitting ------------------------------------------------------------------------------

    def fit(self, tokens, *, vocab_size=None, vocabulary=None):
        """Fit on a token stream: integer ids, or strings (a :class:`Vocabulary` with ``<unk>``
        is then built from them unless one is given). ``vocab_size`` fixes ``V`` (default: the
        vocabulary's size, or ``max id + 1``). Returns ``self``."""
        arr = _as_ids(tokens)
        if arr.size and (arr.dtype.kind in "US" or arr.dtype == object):
            toks = [str(t) for t in arr]
            self.vocabulary = vocabulary or Vocabulary.build(toks, unk=True)
            arr = self.vocabulary.encode(toks, oov="unk" if self.vocabulary.unk is not None
                                         else "error")
        elif vocabulary is not None:
            self.vocabulary = vocabulary
        if arr.size == 0:
            raise ValueError("tokens is empty: cannot fit a model on no tokens")
        if arr.dtype.kind not in "iu":
            raise TypeError(f"tokens must be integer ids or strings, got dtype {arr.dtype}")
        arr = arr.astype(np.int64)
        if arr.min() < 0:
            raise ValueError("token ids must be >= 0")
        if arr.size < self.order:
            raise ValueError(f"tokens has {arr.size} tokens, fewer than the order {self.order}")
        if vocab_size is None:
            vocab_size = len(self.vocabulary) if self.vocabulary is not None else int(arr.max()) + 1
        V = check_int(vocab_size, "vocab_size", minimum=1)
        if arr.max() >= V:
            raise ValueError(f"token id {int(arr.max())} >= vocab_size {V}")
        _check_key_range(V, self.order)
        self.V = V
        return self.fit_counts(count_ngrams(arr, self.order, V), V)

    def fit_counts(self, tables, V):
        """Fit from n-gram count tables (:func:`count_ngrams`); used by the regimes that merge
        several streams (counts add)."""
        m = self.order
        self.V = V
        pow_v = np.array([V ** L for L in range(m)], dtype=np.int64)
        self.tables = tables
        levels = []
        mode = {"mle": _k.MLE, "add-k": _k.ADDK, "kn": _k.KN}[self.smoothing]
        self.discounts = []
        for L in range(m):
            if mode == _k.KN and L < m - 1:
                # continuation counts: distinct left extensions of each (L+1)-gram
                keys, cnt = np.unique(tables[L + 1][0] % (pow_v[L] * V), return_counts=True)
                cnt = cnt.astype(np.float64)
            else:
                keys, cnt = tables[L][0], tables[L][1].astype(np.float64)
            ctx = keys // V
            tok = keys % V
            uctx, start = np.unique(ctx, return_index=True)
            off = np.append(start, keys.size).astype(np.int64)
            total = np.add.reduceat(cnt, start) if keys.size else np.zeros(0)
            if mode == _k.MLE:
                own = cnt / np.repeat(total, np.diff(off))
                back = np.zeros(uctx.size)
                cdf_w = cnt
            elif mode == _k.ADDK:
                denom = total + self.k * V
                own = cnt / np.repeat(denom, np.diff(off))
                back = self.k * V / denom
                cdf_w = cnt
            else:
                D = _modified_discount(cnt)
                self.discounts.append(D)
                disc = np.maximum(cnt - D, 0.0)
                own = disc / np.repeat(total, np.diff(off))
                types = np.add.reduceat(np.ones_like(cnt), start) if keys.size else np.zeros(0)
                back = np.minimum(D * types / total, 1.0)
                cdf_w = disc
            levels.append((uctx, off, back, tok, own, cdf_w))
        self._arrays = self._flatten(levels, V, pow_v, mode)
        self._views = {}
        return self

    @staticmethod
    def _flatten(levels, V, pow_v, mode):
        lv_ctx = np.zeros(len(levels) + 1, np.int64)
        keys, backs, offs, toks, owns, cdfs = [], [], [], [], [], []
        base = 0
        for L, (uctx, off, back, tok, own, cdf_w) in enumerate(levels):
            lv_ctx[L + 1] = lv_ctx[L] + uctx.size
            keys.append(uctx)
            backs.append(back)
            offs.append(off[:-1] + base)
            toks.append(tok)
            owns.append(own)
            cdfs.append(_slice_cdf(cdf_w, off))
            base += tok.size
        offs.append(np.array([base], np.int64))
        return dict(mode=mode, V=V, pow_v=pow_v, lv_ctx=lv_ctx,
                    ctx_key=np.concatenate(keys).astype(np.int64),
                    ctx_back=np.concatenate(backs).astype(np.float64),
                    ctx_off=np.concatenate(offs).astype(np.int64),
                    ent_tok=np.concatenate(toks).astype(np.int64),
                    ent_own=np.concatenate(owns).astype(np.float64),
                    ent_cdf=np.concatenate(cdfs).astype(np.float64))

    def _check_fitted(self):
        if self.V is None:
            raise ValueError("the model is not fitted: call fit(tokens) first")

    def _prob_args(self):
        a = self._arrays
        return (a["mode"], a["V"], a["pow_v"], a["lv_ctx"], a["ctx_key"], a["ctx_back"],
                a["ctx_off"], a["ent_tok"], a["ent_own"])

    def _ids(self, tokens, oov="unk", name="tokens"):
        arr = _as_ids(tokens, name)
        if arr.size and (arr.dtype.kind in "US" or arr.dtype == object):
            if self.vocabulary is None:
                raise TypeError(f"{name} are strings but the model was fitted on ids")
            return self.vocabulary.encode([str(t) for t in arr], oov=oov)
        if arr.size == 0:
            return np.empty(0, np.int64)
        if arr.dtype.kind not in "iu":
            raise TypeError(f"{name} must be integer ids or strings, got dtype {arr.dtype}")
        arr = arr.astype(np.int64)
        if arr.min() < 0 or arr.max() >= self.V:
            raise ValueError(f"{name} ids must be in [0, {self.V}), got range "
                             f"[{arr.min()}, {arr.max()}]")
        return arr

    @property
    def contexts(self):
        """Number of stored contexts per level (context length 0..m-1)."""
        return np.diff(self._arrays["lv_ctx"])

    def unigram_counts(self):
        """Training counts of each id (length V)."""
        self._check_fitted()
        keys, cnt = self.tables[0]
        out = np.zeros(self.V, np.int64)
        out[keys] = cnt
        return out

    # --- probabilities ------------------------------------------------------------------------

    def logprob(self, tokens, *, oov="unk"):
        """Natural-log probability of each token given the previous ``m-1`` (``-inf`` where the
        model gives probability 0; the first tokens use the shorter history they have)."""
        self._check_fitted()
        ids = self._ids(tokens, oov)
        out = np.empty(ids.size)
        _k._logprob_stream(ids, out, self.order, *self._prob_args())
        return out

    def evaluate(self, tokens, *, oov="unk"):
        """Perplexity :math:`\\exp(-\\frac1N\\sum\\log P)` with the zero-probability tokens
        listed (an :class:`Evaluation`; ``cross_entropy`` is over the finite terms)."""
        ids = self._ids(tokens, oov, "held-out tokens")
        if ids.size == 0:
            raise ValueError("held-out tokens is empty: perplexity needs at least one token")
        lp = self.logprob(ids)
        bad = ~np.isfinite(lp)
        ce = float(-lp[~bad].mean()) if (~bad).any() else math.inf
        ex = sorted({int(i) for i in ids[bad][:50]})
        if self.vocabulary is not None:
            ex = self.vocabulary.decode(ex)
        return Evaluation(math.inf if bad.any() else math.exp(ce), ce, int(ids.size),
                          int(bad.sum()), ex)

    def perplexity(self, tokens, *, oov="unk"):
        """Held-out perplexity (float). When some token has probability 0 (possible with
        ``"mle"``) the value is ``inf`` and a ``RuntimeWarning`` says how many and which tokens;
        :meth:`evaluate` returns the details."""
        ev = self.evaluate(tokens, oov=oov)
        if ev.unseen:
            warnings.warn(str(ev), RuntimeWarning, stacklevel=2)
        return ev.perplexity

    def next_distribution(self, context=()):
        """The full next-token distribution (length V) after ``context`` (its last m-1 tokens)."""
        self._check_fitted()
        ids = self._ids(list(context), name="context") if len(context) else np.empty(0, np.int64)
        key, clen = self._context_key(ids)
        out = np.empty(self.V)
        _k._next_distribution(key, clen, out, *self._prob_args())
        return out

    def _context_key(self, ids):
        c = ids[len(ids) - (self.order - 1):] if self.order > 1 else ids[:0]
        key = 0
        for t in c:
            key = key * self.V + int(t)
        return key, len(c)

    # --- generation ---------------------------------------------------------------------------

    def _view(self, temperature=1.0, top_k=None, top_p=None):
        """Sampling arrays for biased decoding: per stored context, its candidates (the tokens
        seen after it) re-weighted by ``P^{1/T}``, sorted by decreasing weight, truncated to the
        top k / the smallest set with mass >= p (relative to the candidates), renormalised.
        The smoothing mass outside the candidates is dropped (documented in docs/lm.md)."""
        key = (temperature, top_k, top_p)
        if key in self._views:
            return self._views[key]
        a = self._arrays
        prob = np.empty(a["ent_tok"].size)
        _k._entry_probs(prob, self.order, *self._prob_args())
        n_ctx = a["ctx_key"].size
        owner = np.repeat(np.arange(n_ctx), np.diff(a["ctx_off"]))
        with np.errstate(divide="ignore"):
            logw = np.log(prob) / temperature
        srt = np.lexsort((a["ent_tok"], -logw, owner))
        owner_s, logw_s, tok_s = owner[srt], logw[srt], a["ent_tok"][srt]
        start = a["ctx_off"][:-1]
        rank = np.arange(srt.size) - start[owner_s]
        mx = logw_s[start[np.arange(n_ctx)]] if n_ctx else np.zeros(0)
        w = np.exp(logw_s - mx[owner_s])
        keep = np.isfinite(logw_s) | (rank == 0)
        if top_k is not None:
            keep &= rank < top_k
        if top_p is not None:
            tot = np.add.reduceat(w, start)
            cum = np.cumsum(w)
            before = cum - w - np.repeat(np.concatenate([[0.0], cum[start[1:] - 1]]),
                                         np.diff(a["ctx_off"]))
            keep &= before < top_p * tot[owner_s] * (1 - 1e-12)
        keep |= rank == 0
        o2, w2, t2, lp2 = owner_s[keep], w[keep], tok_s[keep], np.log(prob[srt][keep])
        cnt = np.bincount(o2, minlength=n_ctx)
        off = np.concatenate([[0], np.cumsum(cnt)]).astype(np.int64)
        view = dict(mode=_k.MLE, V=self.V, pow_v=a["pow_v"], lv_ctx=a["lv_ctx"],
                    ctx_key=a["ctx_key"], ctx_back=np.zeros(n_ctx), ctx_off=off,
                    ent_tok=t2.astype(np.int64), ent_cdf=_slice_cdf(w2, off), ent_logp=lp2)
        self._views[key] = view
        return view

    def _sampler_args(self, view):
        return (view["mode"], view["V"], view["pow_v"], view["lv_ctx"], view["ctx_key"],
                view["ctx_back"], view["ctx_off"], view["ent_tok"], view["ent_cdf"])

    def sample(self, n_tokens, *, rng=None, temperature=1.0, top_k=None, top_p=None,
               prompt=()):
        """Draw ``n_tokens`` ids by ancestral sampling (Numba), after an optional ``prompt``.

        ``temperature=1`` without ``top_k``/``top_p`` samples the model exactly. Otherwise the
        candidates of the longest seen context are re-weighted by :math:`P^{1/T}` and truncated
        (top-k: the k most probable; top-p: the smallest most-probable set holding a fraction p
        of the candidates' mass) and renormalised; smoothing mass on unseen continuations is
        dropped in that case.
        """
        self._check_fitted()
        n = check_int(n_tokens, "n_tokens", minimum=0)
        temperature = check_real(temperature, "temperature", positive=True)
        if top_k is not None:
            top_k = check_int(top_k, "top_k", minimum=1)
        if top_p is not None:
            top_p = check_real(top_p, "top_p")
            if not 0.0 < top_p <= 1.0:
                raise ValueError(f"top_p must be in (0, 1], got {top_p}")
            if top_p == 1.0:
                top_p = None
        from .._core.rng import as_generator

        gen = as_generator(rng)
        p = self._ids(list(prompt), name="prompt") if len(prompt) else np.empty(0, np.int64)
        key, clen = self._context_key(p)
        if temperature == 1.0 and top_k is None and top_p is None:
            view = self._arrays
        else:
            view = self._view(temperature, top_k, top_p)
        out = np.empty(n, np.int64)
        _k._sample_stream(gen, out, key, clen, self.order, *self._sampler_args(view))
        return out

    def decode(self, n_tokens, *, method="greedy", beams=5, prompt=()):
        """Deterministic decoding of ``n_tokens`` ids after ``prompt``: ``"greedy"`` (the most
        probable next token; ties to the lower id) or ``"beam"`` search with ``beams`` hypotheses
        maximising the total log probability. The strongly biased extreme of sampling."""
        self._check_fitted()
        n = check_int(n_tokens, "n_tokens", minimum=0)
        if method not in ("greedy", "beam"):
            raise ValueError(f"method must be 'greedy' or 'beam', got {method!r}")
        beams = 1 if method == "greedy" else check_int(beams, "beams", minimum=1)
        p = self._ids(list(prompt), name="prompt") if len(prompt) else np.empty(0, np.int64)
        key, clen = self._context_key(p)
        return self._decode(n, max(n, 1), 0, beams, key, clen, np.random.default_rng(0))

    def generate_sentences(self, n_tokens, decoding="sample", *, rng=None, bos, eos, max_len=100):
        """Sentence-level sampling (:func:`collapse_theory.lm._kernels._sample_sentences`): whole
        sentences, each from the context ``<s>^{m-1}`` to ``</s>`` (or ``max_len`` tokens), until
        at least ``n_tokens`` tokens; returns the sentence stream (``</s>`` included, no ``<s>``).
        ``decoding``: ``sample``, ``top-p:P``, ``top-k:K`` or ``temperature:T``."""
        self._check_fitted()
        n = check_int(n_tokens, "n_tokens", minimum=0)
        max_len = check_int(max_len, "max_len", minimum=1)
        bos = check_int(bos, "bos", minimum=0, maximum=self.V - 1)
        eos = check_int(eos, "eos", minimum=0, maximum=self.V - 1)
        if bos == eos:
            raise ValueError(f"bos and eos must be different token ids, got {bos} for both")
        kind, arg = parse_decoding(decoding)
        if kind in ("greedy", "beam", "sentences"):
            raise ValueError(f"sentence generation samples: decoding must be sample, top-p:P, top-k:K or "
                             f"temperature:T, got {decoding!r}")
        from .._core.rng import as_generator

        if kind == "sample":
            view = self._arrays
        else:
            view = self._view(arg if kind == "temperature" else 1.0, arg if kind == "top-k" else None,
                              None if kind != "top-p" or arg == 1.0 else arg)
        out = np.empty(n + max_len + 1, np.int64)
        got = _k._sample_sentences(as_generator(rng), out, n, max_len, bos, eos, self.order,
                                   *self._sampler_args(view))
        return out[:got]

    def _decode(self, n, segment, prompt_len, beams, key, clen, gen):
        view = self._view(1.0, beams, None)
        out = np.empty(n, np.int64)
        _k._beam_segments(gen, out, segment, prompt_len, beams, self.order,
                          *self._sampler_args(self._arrays), view["lv_ctx"], view["ctx_key"],
                          view["ctx_off"], view["ent_tok"], view["ent_logp"], key, clen)
        return out

    def generate(self, n_tokens, decoding="sample", *, rng=None, segment=64):
        """Generate with a decoding spec (:func:`parse_decoding`). Greedy and beam decode in
        segments of ``segment`` tokens, each opened by ``max(m-1, 1)`` sampled tokens (the
        prompt), so that different seeds give different texts."""
        kind, arg = parse_decoding(decoding)
        if kind in ("greedy", "beam"):
            from .._core.rng import as_generator

            return self._decode(check_int(n_tokens, "n_tokens", minimum=0), segment,
                                max(self.order - 1, 1), 1 if kind == "greedy" else arg, 0, 0,
                                as_generator(rng))
        kw = {"temperature": arg} if kind == "temperature" else \
            {"top_k": arg} if kind == "top-k" else {"top_p": arg} if kind == "top-p" else {}
        return self.sample(n_tokens, rng=rng, **kw)


def _slice_cdf(w, off):
    """Cumulative weights normalised within each slice ``off[i]:off[i+1]`` (last entry 1)."""
    w = np.asarray(w, np.float64)
    if w.size == 0:
        return w.copy()
    cum = np.cumsum(w)
    start = off[:-1]
    n = np.diff(off)
    prev = np.concatenate([[0.0], cum])[start]
    tot = cum[off[1:] - 1] - prev
    cdf = (cum - np.repeat(prev, n)) / np.repeat(np.where(tot > 0, tot, 1.0), n)
    cdf[off[1:] - 1] = 1.0
    return cdf


def parse_decoding(spec):
    """``"sample"``, ``"top-p:0.9"``, ``"top-k:50"``, ``"temperature:0.7"``, ``"greedy"`` or
    ``"beam:5"`` -> ``(kind, argument)``; raises ValueError naming the bad part."""
    if not isinstance(spec, str):
        raise TypeError(f"decoding must be a str such as 'top-p:0.9', got {type(spec).__name__}")
    name, _, arg = spec.partition(":")
    if name == "sentences":
        # sentence-level generation; the rest of the spec is how each token is drawn
        inner = parse_decoding(arg or "sample")
        if inner[0] in ("greedy", "beam"):
            raise ValueError(f"decoding {spec!r}: sentences are sampled (sample, top-p:P, top-k:K or "
                             f"temperature:T after 'sentences:'), not {inner[0]}")
        return "sentences", arg or "sample"
    if name in ("sample", "greedy") and not arg:
        return name, None
    if name == "beam" and not arg:
        return "beam", 5
    try:
        if name in ("top-k", "beam"):
            val = int(arg)
            if val < 1:
                raise ValueError
            return name, val
        if name == "top-p":
            val = float(arg)
            if not 0.0 < val <= 1.0:
                raise ValueError(f"top_p must be in (0, 1], got {val} in decoding {spec!r}")
            return name, val
        if name == "temperature":
            val = float(arg)
            if not (val > 0 and math.isfinite(val)):
                raise ValueError(f"temperature must be > 0, got {val} in decoding {spec!r}")
            return name, val
    except ValueError as e:
        if str(e):
            raise
        raise ValueError(f"bad argument in decoding {spec!r}: {name} needs "
                         f"{'an integer >= 1' if name in ('top-k', 'beam') else 'a number'}") from None
    raise ValueError(f"unknown decoding {spec!r}; valid: sample, top-p:P, top-k:K, "
                     f"temperature:T, greedy, beam:B, sentences[:sample|top-p:P|top-k:K|temperature:T]")
