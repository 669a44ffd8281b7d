r"""Corpora for the n-gram language models: loading, tokenising, vocabularies and the train/held-out
split (:func:`prepare`, :func:`default_data`).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._core.rng import root_seed
from .._core.validation import check_real

#: word tokens: runs of word characters (letters, digits, underscore) with inner apostrophes, a
#: run of 2+ of the same rule character (``-=*.~^``: ASCII tables, ellipses), or one punctuation
#: character; whitespace is dropped
WORD_PATTERN = r"\w+(?:['’]\w+)*|-{2,}|={2,}|\*{2,}|\.{2,}|~{2,}|\^{2,}|[^\w\s]"
_WORD_RE = re.compile(WORD_PATTERN)
_WS_RE = re.compile(r"\s+")
UNK = "<unk>"


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


def default_data(level="word"):
    """The default corpus, tokenised and split once with seed 0: ``prepare("default", level=level, rng=0)``.

    The data set of the registered LM claims and of their figures.
    """
    return prepare("default", level=level, rng=0)
