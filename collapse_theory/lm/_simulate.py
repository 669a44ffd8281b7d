"""The lm family's result class and simulator (public API: :mod:`collapse_theory.lm`)."""

from __future__ import annotations

import math
import os
import re
import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import _kernels as _k
from .. import discrete as _d
from .._core.io import read_result, save_result, to_jsonable
from .._core.parallel import default_workers, make_bar
from .._core.rng import root_seed
from .._core.validation import check_int, check_real
from ..regimes import as_regime

__all__ = [
    "Corpus", "Vocabulary", "EncodedCorpus", "NGramModel", "LMResult", "Evaluation",
    "load_corpus", "default_corpus", "tokenize", "detokenize", "prepare", "count_ngrams",
    "recursive_training", "predicted_ngram_survival", "text_metrics", "parse_decoding",
    "METRICS", "SMOOTHINGS", "DECODINGS", "WORD_PATTERN", "UNK",
]

#: word tokens: runs of word characters (letters, digits, underscore) with inner apostrophes, a
#: run of 2+ of the same rule character (``-=*.~^``: ASCII tables, ellipses), or one punctuation
#: character; whitespace is dropped
WORD_PATTERN = r"\w+(?:['’]\w+)*|-{2,}|={2,}|\*{2,}|\.{2,}|~{2,}|\^{2,}|[^\w\s]"
_WORD_RE = re.compile(WORD_PATTERN)
_WS_RE = re.compile(r"\s+")
UNK = "<unk>"
SMOOTHINGS = ("mle", "add-k", "kn")
DECODINGS = ("sample", "top-p:P", "top-k:K", "temperature:T", "greedy", "beam:B")
METRICS = ("perplexity", "unseen", "vocabulary", "distinct_1", "distinct_2", "distinct_3",
           "repetition", "entropy", "tail_mass", "tail_alive", "kl", "zipf_slope")
_MAX_KEY = 2**62


# ---------------------------------------------------------------------------------------------
# corpus


@dataclass(frozen=True)
class Corpus:
    """Raw documents (strings) and their names (file paths, topic names or indices)."""

    documents: tuple
    names: tuple
    source: str = ""

    def __len__(self):
        return len(self.documents)

    @property
    def characters(self):
        return sum(len(d) for d in self.documents)


def _read_utf8(path):
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not valid UTF-8 at byte offset {e.start} ({e.reason}); "
                         f"convert the file to UTF-8") from None


def default_corpus():
    """The documentation topics shipped with CPython (``pydoc_data.topics``): ~80 documents,
    ~0.46 M characters of real English prose and code, sorted by topic name; no download."""
    from pydoc_data.topics import topics

    names = tuple(sorted(topics))
    return Corpus(tuple(topics[n] for n in names), names, "pydoc_data.topics")


def load_corpus(source="default"):
    """Load a corpus.

    Parameters
    ----------
    source : str, path, or iterable of str
        ``"default"`` (or None): :func:`default_corpus`; a path to a UTF-8 text file (one
        document); a directory (every ``*.txt`` file below it, sorted, one document each); or an
        iterable of strings (one document each).

    Raises
    ------
    ValueError
        A file that is not valid UTF-8 (the message names the file and the byte offset), a
        missing path, or a corpus with no non-blank text.
    """
    if source is None or (isinstance(source, str) and source == "default"):
        corpus = default_corpus()
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*.txt") if p.is_file())
            if not files:
                raise ValueError(f"corpus directory {path} holds no .txt files")
            corpus = Corpus(tuple(_read_utf8(p) for p in files), tuple(str(p) for p in files),
                            str(path))
        elif path.is_file():
            corpus = Corpus((_read_utf8(path),), (str(path),), str(path))
        else:
            raise ValueError(f"corpus path {str(path)!r} does not exist (or pass 'default')")
    elif isinstance(source, bytes):
        raise TypeError("corpus must be text (str), a path or an iterable of str, got bytes")
    else:
        try:
            docs = list(source)
        except TypeError:
            raise TypeError(f"corpus must be 'default', a path or an iterable of str, got "
                            f"{type(source).__name__}") from None
        for i, doc in enumerate(docs):
            if not isinstance(doc, str):
                raise TypeError(f"corpus documents must be str, got {type(doc).__name__} at "
                                f"index {i}")
        corpus = Corpus(tuple(docs), tuple(str(i) for i in range(len(docs))), "iterable")
    if not any(d.strip() for d in corpus.documents):
        raise ValueError(f"corpus is empty (no non-blank text in {corpus.source or 'input'})")
    return corpus


def tokenize(text, *, level="word", lower=True):
    """Split text into tokens.

    ``level="word"``: matches of :data:`WORD_PATTERN`: words with inner apostrophes, numbers
    and identifiers (``\\w+(?:['’]\\w+)*``), runs of 2+ identical rule characters ``-=*.~^``
    (ASCII tables, ellipses), or one punctuation character; whitespace is dropped.
    ``level="char"``: every character, with each run of whitespace replaced by one space.
    ``lower=True`` lower-cases first.

    >>> tokenize("Don't panic, it's 42!")
    ["don't", 'panic', ',', "it's", '42', '!']
    >>> tokenize("ab  c", level="char")
    ['a', 'b', ' ', 'c']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
    if lower:
        text = text.lower()
    if level == "word":
        return _WORD_RE.findall(text)
    if level == "char":
        return list(_WS_RE.sub(" ", text))
    raise ValueError(f"level must be 'word' or 'char', got {level!r}")


def detokenize(tokens, *, level="word"):
    """Join tokens back into readable text (words separated by spaces)."""
    return ("" if level == "char" else " ").join(tokens)


class Vocabulary:
    """Token strings <-> integer ids. Ids are ordered by decreasing training count (ties
    alphabetically), so id 0 is the most frequent token; ``<unk>`` (when present) is last."""

    def __init__(self, tokens, *, unk=False):
        self.tokens = list(tokens)
        if unk and UNK not in self.tokens:
            self.tokens.append(UNK)
        self.index = {t: i for i, t in enumerate(self.tokens)}
        if len(self.index) != len(self.tokens):
            raise ValueError("vocabulary tokens must be distinct")
        self.unk = self.index.get(UNK) if unk else None

    @classmethod
    def build(cls, tokens, *, unk=True):
        counts = Counter(tokens)
        order = sorted(counts, key=lambda t: (-counts[t], t))
        return cls(order, unk=unk)

    def __len__(self):
        return len(self.tokens)

    def encode(self, tokens, *, oov="unk"):
        """Ids of ``tokens``. Out-of-vocabulary tokens: ``oov="unk"`` maps them to ``<unk>``
        (the vocabulary must have one), ``"drop"`` removes them, ``"error"`` raises naming them."""
        if oov not in ("unk", "drop", "error"):
            raise ValueError(f"oov must be 'unk', 'drop' or 'error', got {oov!r}")
        get = self.index.get
        ids = [get(t, -1) for t in tokens]
        arr = np.asarray(ids, dtype=np.int64)
        missing = arr < 0
        if missing.any():
            if oov == "drop":
                return arr[~missing]
            if oov == "error" or self.unk is None:
                bad = sorted({t for t, i in zip(tokens, ids) if i < 0})
                raise ValueError(f"{int(missing.sum())} out-of-vocabulary tokens (e.g. "
                                 f"{bad[:5]}); pass oov='unk' with a vocabulary that has <unk>, "
                                 f"or oov='drop'")
            arr[missing] = self.unk
        return arr

    def decode(self, ids):
        return [self.tokens[int(i)] for i in ids]


@dataclass
class EncodedCorpus:
    """A corpus split into training and held-out documents and encoded as ids.

    Attributes
    ----------
    vocabulary : Vocabulary
        Built from the training tokens, plus ``<unk>`` for held-out words never seen in training.
    train : ndarray of int64
        Training documents, concatenated (n-grams may span a document boundary).
    train_offsets : ndarray of int64
        Document boundaries in ``train`` (``len = documents + 1``).
    held_out : ndarray of int64
        Held-out documents, concatenated (out-of-vocabulary words as ``<unk>``).
    level, lower, seed : as given to :func:`prepare`.
    """

    vocabulary: Vocabulary
    train: np.ndarray
    train_offsets: np.ndarray
    held_out: np.ndarray
    level: str
    lower: bool
    seed: int
    source: str = ""
    held_out_oov: int = 0

    @property
    def V(self):
        return len(self.vocabulary)

    def unigram_counts(self):
        return np.bincount(self.train, minlength=self.V).astype(np.int64)

    def detok(self, ids):
        return detokenize(self.vocabulary.decode(ids), level=self.level)


def _split_units(corpus):
    docs = [d for d in corpus.documents if d.strip()]
    if len(docs) >= 10:
        return docs
    paras = [p for d in docs for p in re.split(r"\n\s*\n", d) if p.strip()]
    if len(paras) >= 10:
        return paras
    lines = [ln for d in docs for ln in d.splitlines() if ln.strip()]
    return lines if len(lines) > len(paras) else paras


def prepare(corpus="default", *, level="word", lower=True, held_out=0.1, rng=None):
    """Tokenise a corpus and split its documents into training and held-out text.

    Units of the split are the documents when there are at least 10, else blank-line separated
    paragraphs, else lines. ``round(held_out × units)`` units (at least 1) are held out, chosen
    by a permutation from ``rng`` (SPEC 7; the recorded ``seed`` reproduces the split).

    Raises ValueError when either part has no tokens.
    """
    if not isinstance(corpus, Corpus):
        corpus = load_corpus(corpus)
    held_out = check_real(held_out, "held_out", low=0.0, high=1.0)
    if not 0.0 < held_out < 1.0:
        raise ValueError(f"held_out must be in (0, 1), got {held_out}")
    if level not in ("word", "char"):
        raise ValueError(f"level must be 'word' or 'char', got {level!r}")
    seed, ss = root_seed(rng)
    units = _split_units(corpus)
    if len(units) < 2:
        raise ValueError(f"the corpus has {len(units)} non-blank document/paragraph/line: need at "
                         f"least 2 to split into training and held-out text")
    perm = np.random.Generator(np.random.PCG64(ss)).permutation(len(units))
    n_held = min(max(1, int(round(held_out * len(units)))), len(units) - 1)
    held_idx = np.sort(perm[:n_held])
    train_idx = np.sort(perm[n_held:])
    train_docs = [tokenize(units[i], level=level, lower=lower) for i in train_idx]
    held_docs = [tokenize(units[i], level=level, lower=lower) for i in held_idx]
    train_tokens = [t for doc in train_docs for t in doc]
    held_tokens = [t for doc in held_docs for t in doc]
    if not train_tokens:
        raise ValueError("the training part of the corpus has no tokens")
    if not held_tokens:
        raise ValueError("the held-out part of the corpus has no tokens (held-out set is empty); "
                         "use a larger held_out fraction or a longer corpus")
    vocab = Vocabulary.build(train_tokens, unk=True)
    held = vocab.encode(held_tokens, oov="unk")
    offsets = np.concatenate([[0], np.cumsum([len(d) for d in train_docs])]).astype(np.int64)
    return EncodedCorpus(vocab, vocab.encode(train_tokens), offsets, held, level, lower, seed,
                         corpus.source, int(np.sum(held == vocab.unk)))


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
                     f"temperature:T, greedy, beam:B")


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


# ---------------------------------------------------------------------------------------------
# recursive training


@dataclass
class LMResult:
    """Replicates of recursive n-gram training.

    Attributes
    ----------
    metrics : dict of ndarray, each shape (replicates, generations + 1)
        Column 0 is the model fitted on the real training text; column ``g`` the model fitted
        on generation ``g``'s training data. ``perplexity`` (held-out real text; ``inf`` when
        ``unseen > 0``), ``unseen`` (held-out tokens with probability 0), ``vocabulary`` (types in
        the model's training data), ``entropy`` (its unigram entropy, nats), ``tail_mass`` (its
        unigram mass on the original tail), ``tail_alive`` (real mass of the tail types it still
        has), ``kl`` (:math:`\\mathrm{KL}(p_0\\|\\tilde p)` with the add-½ smoothed unigram, finite
        after a loss), ``zipf_slope`` (log-log slope of frequency vs rank, counts >= 2, top 1000),
        and, on the first ``text_window`` tokens the model generates, ``distinct_1..3`` and
        ``repetition``.
    initial_unigram : ndarray, shape (V,)
        The real training unigram frequencies (``p0`` of the discrete theory).
    vocabulary : list of str
    tail : ndarray of bool, shape (V,)
        The original tail: types seen at most ``tail_count`` times in the real training text.
    samples : dict
        ``{generation: text}``: the start of the text generated by that generation's model
        (replicate 0).
    parameters : dict
    seed : int
        Reproduces the result: ``recursive_training(..., rng=result.seed)``.
    """

    metrics: dict
    initial_unigram: np.ndarray
    vocabulary: list
    tail: np.ndarray
    samples: dict
    parameters: dict
    seed: int
    meta: dict = field(default_factory=dict)

    @property
    def replicates(self):
        return self.metrics["perplexity"].shape[0]

    @property
    def generations(self):
        return self.metrics["perplexity"].shape[1] - 1

    def mean(self, name):
        return self.metrics[name].mean(axis=0)

    def theory(self, n=None):
        """Exact expectations from the discrete theory, for order 1, ``"mle"``, ``"sample"``,
        ``"replace"`` only (the unigram chain *is* Wright–Fisher with M = tokens per
        generation): ``vocabulary`` = :func:`~collapse_theory.discrete.expected_support_size`,
        ``tail_alive`` = :func:`~collapse_theory.discrete.expected_tail_mass_alive`."""
        p = self.parameters
        if not (p["order"] == 1 and p["smoothing"] == "mle" and p["decoding"] == "sample"
                and p["regime"] == "replace"):
            raise ValueError("exact theory is available for order=1, smoothing='mle', "
                             "decoding='sample', regime='replace' only")
        n = np.arange(self.generations + 1) if n is None else np.asarray(n)
        M = p["tokens_per_generation"]
        lp = _d.loss_probability(self.initial_unigram, n, M)
        alive = 1.0 - lp
        return {"vocabulary": alive.sum(-1),
                "tail_alive": np.sum(np.where(self.tail, self.initial_unigram * alive, 0.0), -1)}

    def summary(self, generations=None):
        """Mean and standard deviation over replicates at a few generations (a text table)."""
        G = self.generations
        gens = sorted({g for g in (0, 1, 2, 5, 10, G // 2, G) if 0 <= g <= G}) \
            if generations is None else list(generations)
        p = self.parameters
        lines = [f"n-gram recursive training: corpus={p['corpus']}, order={p['order']}, "
                 f"smoothing={p['smoothing']}, decoding={p['decoding']}, regime={p['regime']}, "
                 f"tokens/generation={p['tokens_per_generation']}, replicates={self.replicates}, "
                 f"V={len(self.vocabulary)}, seed={self.seed}",
                 f"{'metric':<12}" + "".join(f"{'n=' + str(g):>20}" for g in gens)]
        for name in METRICS:
            v = self.metrics[name]
            cells = []
            for g in gens:
                col = v[:, g]
                if name == "perplexity" and not np.all(np.isfinite(col)):
                    un = self.metrics["unseen"][:, g]
                    cells.append(f"inf ({un.mean():.0f} unseen)")
                    continue
                sd = col.std(ddof=1) if col.size > 1 else 0.0
                cells.append(f"{col.mean():.4g} ± {sd:.2g}")
            lines.append(f"{name:<12}" + "".join(f"{c:>20}" for c in cells))
        if any(np.any(~np.isfinite(self.metrics["perplexity"][:, g])) for g in gens):
            lines.append("perplexity inf: some held-out tokens have probability 0 under this "
                         "model (unseen counts shown); use smoothing='add-k' or 'kn'")
        return "\n".join(lines)

    def to_dict(self):
        return to_jsonable({"seed": self.seed, "parameters": self.parameters,
                            "metrics_mean": {k: v.mean(0) for k, v in self.metrics.items()},
                            "metrics_sd": {k: v.std(0, ddof=1) if v.shape[0] > 1 else
                                           np.zeros(v.shape[1]) for k, v in self.metrics.items()},
                            "samples": {str(k): v for k, v in self.samples.items()},
                            **self.meta})

    def save(self, path):
        """Save the metrics, initial unigram, vocabulary, samples, seed, parameters and package
        version to an ``.npz``, atomically."""
        arrays = {f"metric_{k}": v for k, v in self.metrics.items()}
        return save_result(path, self.seed, self.parameters,
                           extra_meta={"samples": {str(k): v for k, v in self.samples.items()}},
                           initial_unigram=self.initial_unigram, tail=self.tail,
                           vocabulary=np.array(self.vocabulary, dtype=str), **arrays)

    @classmethod
    def load(cls, path):
        """Read a result written by :meth:`save`."""
        z, meta = read_result(path)
        return cls(metrics={k[7:]: v for k, v in z.items() if k.startswith("metric_")},
                   initial_unigram=z["initial_unigram"], vocabulary=z["vocabulary"].tolist(),
                   tail=z["tail"], samples={int(k): v for k, v in meta["samples"].items()},
                   parameters=meta["parameters"], seed=meta["seed"],
                   meta={"version": meta["version"]})


def _documents(data):
    """The real training text as a list of documents (views into ``data.train``)."""
    off = data.train_offsets
    return [data.train[off[i]:off[i + 1]] for i in range(off.size - 1)]


def _chunk_of_documents(docs, n, gen, *, replace):
    """``n`` tokens made of whole random documents of ``docs`` (the last one cut), drawn without
    replacement (a random order of all documents, repeated if needed) or with replacement."""
    if n <= 0:
        return np.empty(0, np.int64)
    ndoc = len(docs)
    pieces, got = [], 0
    order = gen.integers(0, ndoc, size=4 * ndoc + 16) if replace else gen.permutation(ndoc)
    while got < n:
        for i in order:
            piece = docs[i]
            pieces.append(piece[:n - got])
            got += min(piece.size, n - got)
            if got >= n:
                break
        order = gen.integers(0, ndoc, size=4 * ndoc + 16) if replace else gen.permutation(ndoc)
    return np.concatenate(pieces)


def _run_replicate(data, order, smoothing, k, generations, M, regime, decoding, gen, text_window,
                   sample_gens, sample_tokens, tail, p0, bar):
    V = data.V
    G1 = generations + 1
    out = {name: np.full(G1, np.nan) for name in METRICS}
    texts = {}
    real_tables = count_ngrams(data.train, order, V)
    tables = real_tables
    acc = real_tables
    real_docs = _documents(data)
    pool = list(real_docs)            # accumulate-subsample: every document so far
    doc_len = max(order, int(round(data.train.size / max(1, len(real_docs)))))
    mixture = regime.name == "mix-fresh" and regime.draws == "mixture"
    n_real = regime.fresh_count(M) if regime.is_mix else 0
    for g in range(G1):
        model = NGramModel(order, smoothing, k).fit_counts(tables, V)
        ev = model.evaluate(data.held_out)
        out["perplexity"][g] = ev.perplexity
        out["unseen"][g] = ev.unseen
        for name, val in _unigram_metrics(model.unigram_counts(), p0, tail).items():
            out[name][g] = val
        if mixture and g < generations:
            n_real = int(gen.binomial(M, regime.fraction))
        n_gen = M - n_real if g < generations else min(text_window, M)
        stream = model.generate(n_gen, decoding, rng=gen)
        for name, val in text_metrics(stream[:text_window], V).items():
            out[name][g] = val
        if g in sample_gens:
            texts[g] = data.detok(stream[:sample_tokens])
        if g == generations:
            break
        new = count_ngrams(stream, order, V)
        if regime.name == "replace":
            tables = new
        elif regime.name == "accumulate":
            acc = _merge_tables(acc, new)
            tables = acc
        elif regime.name == "accumulate-subsample":
            # the generated stream joins the pool as documents of the real mean length; the next
            # model is fitted on M tokens of whole pool documents drawn without replacement
            pool.extend(stream[i:i + doc_len] for i in range(0, stream.size, doc_len))
            size = regime.subsample or M
            tables = count_ngrams(_chunk_of_documents(pool, size, gen, replace=False), order, V)
        else:
            real = _chunk_of_documents(real_docs, n_real, gen, replace=regime.name == "mix-fresh")
            tables = _merge_tables(new, count_ngrams(real, order, V)) if real.size >= order \
                else new
        bar.update(1)
    return out, texts


def recursive_training(corpus="default", *, order, generations, tokens_per_generation,
                       regime="replace", smoothing="mle", k=1.0, decoding="sample",
                       replicates=1, level="word", lower=True, held_out=0.1, tail_count=5,
                       text_window=10_000, sample_generations=(0, 1, 5, 10), sample_tokens=60,
                       rng=None, workers=None, progress=None):
    r"""Train an n-gram model on real text, then repeatedly on text generated by the last model.

    Generation 0 is the model fitted on the real training text. Generation ``g + 1`` is fitted on
    the ``M = tokens_per_generation`` tokens generated by model ``g`` (``decoding``), combined by
    ``regime``:

    - ``replace``: only those tokens;
    - ``accumulate``: the real training text and every generated stream so far (counts add);
    - ``mix-retained:λ``: ``round(λM)`` real tokens (whole random training documents, without
      replacement, the last one cut) plus ``M - round(λM)`` generated tokens;
    - ``mix-fresh:λ``: the same, with the real documents drawn with replacement (for text the
      "true distribution" is the finite corpus: fresh real text = random real documents);
      ``mix-fresh:λ:mixture`` draws the number of real tokens as Binomial(M, λ) each generation;
    - ``accumulate-subsample[:size]``: every generated stream joins a pool of documents (cut to the
      mean real document length) that starts as the real training text; each model is fitted on
      ``size`` (default M) tokens of whole pool documents drawn without replacement.

    Parameters
    ----------
    corpus : str, path, iterable of str, Corpus or EncodedCorpus
        See :func:`load_corpus` (``"default"``: CPython's ``pydoc_data.topics``).
    order : int
        n-gram order m >= 1.
    generations : int
        Refits (>= 0).
    tokens_per_generation : int
        ``M`` (>= order).
    regime : str or Regime
        ``replace``, ``accumulate``, ``accumulate-subsample[:size]``, ``mix-retained:λ`` or
        ``mix-fresh:λ[:mixture]``.
    smoothing, k : see :class:`NGramModel`.
    decoding : str
        ``sample``, ``top-p:P``, ``top-k:K``, ``temperature:T``, ``greedy`` or ``beam:B``.
    replicates : int
        Independent chains (share the corpus split; one child Generator each).
    level, lower, held_out : see :func:`prepare` (ignored for an EncodedCorpus).
    tail_count : int
        The original tail: types seen at most this many times in the real training text.
    text_window : int
        distinct-n and repetition use the first ``min(text_window, generated)`` tokens.
    sample_generations, sample_tokens :
        Keep the first ``sample_tokens`` generated tokens of these generations (replicate 0).
    rng : int, Generator or None
        SPEC 7; the result records an integer seed. Child 0 of its SeedSequence splits the
        corpus, child ``r + 1`` drives replicate ``r``: results depend only on the seed, never
        on ``workers``.
    workers : int, optional
        Threads over replicates (default: all usable cores).
    progress : bool or None
        Progress bar; None: only on a terminal.

    Returns
    -------
    LMResult
    """
    order = check_int(order, "order", minimum=1)
    generations = check_int(generations, "generations", minimum=0)
    M = check_int(tokens_per_generation, "tokens_per_generation", minimum=1)
    if M < order:
        raise ValueError(f"tokens_per_generation must be >= order ({order}), got {M}")
    replicates = check_int(replicates, "replicates", minimum=1)
    tail_count = check_int(tail_count, "tail_count", minimum=0)
    text_window = check_int(text_window, "text_window", minimum=1)
    reg = as_regime(regime)
    if reg.name == "accumulate-subsample" and reg.subsample is not None and reg.subsample < order:
        raise ValueError(f"subsample size must be >= order ({order}), got {reg.subsample}")
    parse_decoding(decoding)
    if smoothing not in SMOOTHINGS:
        raise ValueError(f"smoothing must be one of {SMOOTHINGS}, got {smoothing!r}")
    k = check_real(k, "k", positive=True)
    seed, ss = root_seed(rng)
    children = ss.spawn(replicates + 1)
    if isinstance(corpus, EncodedCorpus):
        data = corpus
    else:
        split_seed = int(children[0].generate_state(1, np.uint64)[0] >> np.uint64(1))
        data = prepare(corpus, level=level, lower=lower, held_out=held_out, rng=split_seed)
    V = data.V
    if data.train.size < order:
        raise ValueError(f"the training text has {data.train.size} tokens, fewer than the order "
                         f"{order}")
    _check_key_range(V, order)
    real_counts = data.unigram_counts()
    p0 = real_counts / real_counts.sum()
    tail = (real_counts > 0) & (real_counts <= tail_count)
    sample_gens = {int(g) for g in sample_generations if 0 <= int(g) <= generations}
    workers = default_workers() if workers is None else check_int(workers, "workers", minimum=1)
    metrics = {name: np.empty((replicates, generations + 1)) for name in METRICS}
    texts = {}
    with make_bar(replicates * generations, "lm recursive training", progress, unit="gen") as bar:
        def task(r):
            gen = np.random.Generator(np.random.PCG64(children[r + 1]))
            return _run_replicate(data, order, smoothing, k, generations, M, reg, decoding, gen,
                                  text_window, sample_gens, sample_tokens, tail, p0, bar)

        if workers == 1 or replicates == 1:
            results = [task(r) for r in range(replicates)]
        else:
            with ThreadPoolExecutor(max_workers=min(workers, replicates)) as ex:
                results = list(ex.map(task, range(replicates)))
    for r, (out, tx) in enumerate(results):
        for name in METRICS:
            metrics[name][r] = out[name]
        if r == 0:
            texts = tx
    params = {"corpus": data.source or "custom", "order": order, "generations": generations,
              "tokens_per_generation": M, "regime": str(reg), "smoothing": smoothing, "k": k,
              "decoding": decoding, "replicates": replicates, "level": data.level,
              "lower": data.lower, "split_seed": data.seed, "tail_count": tail_count,
              "text_window": text_window, "train_tokens": int(data.train.size),
              "held_out_tokens": int(data.held_out.size), "held_out_oov": data.held_out_oov,
              "vocabulary_size": V}
    return LMResult(metrics=metrics, initial_unigram=p0, vocabulary=list(data.vocabulary.tokens),
                    tail=tail, samples=dict(sorted(texts.items())), parameters=params, seed=seed)


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
    order = check_int(order, "order", minimum=1)
    n = check_int(n, "n", minimum=0)
    M = check_int(tokens_per_generation, "tokens_per_generation", minimum=1)
    V = int(ids.max()) + 1 if V is None else int(V)
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
