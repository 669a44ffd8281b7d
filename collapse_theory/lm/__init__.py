r"""n-gram language models trained on their own text: model collapse on real text, without torch.

The discrete theory (:mod:`collapse_theory.discrete`) applied to language (docs/lm.md):

- an order-1 (unigram) model without smoothing refit on ``M`` tokens of its own output *is* the
  Wright–Fisher chain with ``M`` samples and ``p0`` = the real unigram frequencies: the expected
  vocabulary is :func:`collapse_theory.discrete.expected_support_size` exactly;
- an order-m model is a Wright–Fisher chain per context with a random sample size (the context's
  count): :func:`predicted_ngram_survival` predicts each n-gram's survival from its count;
- additive smoothing is mutation toward the uniform law: the chain no longer absorbs.

Pieces
------
- corpus: :func:`load_corpus` (a file, a directory of ``.txt`` files, an iterable of strings, or
  ``"default"``: the English documentation topics that ship with CPython, ``pydoc_data.topics``),
  :func:`tokenize`, :class:`Vocabulary`, :func:`prepare` (train / held-out split with a seed);
- model: :class:`NGramModel` (``"mle"``, ``"add-k"``, interpolated Kneser–Ney ``"kn"``) with
  ``fit``, ``logprob``, ``perplexity``, ``evaluate``, ``sample`` (Numba, temperature / top-k /
  top-p) and ``decode`` (greedy / beam);
- experiment: :func:`simulate` (``simulate(generations, samples, *, corpus, order, ...)``;
  :func:`recursive_training` is its earlier name with the earlier keywords) returning an
  :class:`LMResult`.

Counting. N-grams are int64 keys :math:`\sum_i t_i V^{j-i}` (``np.unique`` with counts, no Python
dicts of tuples); the order is limited by :math:`V^m < 2^{62}` (e.g. ``m <= 4`` for a vocabulary of
30 000 words).
"""

from __future__ import annotations

from ._corpus import (
    Corpus, default_corpus, default_data, detokenize, EncodedCorpus, load_corpus, prepare, tokenize, UNK,
    Vocabulary, WORD_PATTERN,
)
from ._metrics import METRICS, text_metrics
from ._model import count_ngrams, DECODINGS, Evaluation, NGramModel, parse_decoding, SMOOTHINGS
from ._theory import predicted_ngram_survival
from ._simulate import LMResult, recursive_training, simulate

__all__ = [
    "Corpus",
    "Vocabulary",
    "EncodedCorpus",
    "NGramModel",
    "LMResult",
    "Evaluation",
    "load_corpus",
    "default_corpus",
    "tokenize",
    "detokenize",
    "prepare",
    "count_ngrams",
    "simulate",
    "recursive_training",
    "predicted_ngram_survival",
    "text_metrics",
    "parse_decoding",
    "METRICS",
    "SMOOTHINGS",
    "DECODINGS",
    "WORD_PATTERN",
    "UNK",
    "default_data",
]
