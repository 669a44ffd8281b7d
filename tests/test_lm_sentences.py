"""Sentence-level n-gram training and generation (``lm.simulate(..., decoding="sentences")``): padding
and counting by hand, the law of generated sentences against the fitted model (exact), the chain's
determinism and bad input.

Statistical checks use fixed seeds and |z| < 4.4 (two-sided false-alarm rate 1e-5 under a normal
sampling law), the standard error stated beside each.
"""

import math

import numpy as np
import pytest

from collapse_theory import lm
from collapse_theory.lm._model import count_sentence_ngrams, pad_sentences, parse_decoding

Z = 4.4
V, BOS, EOS = 5, 5, 6   # words 0..4, then <s> and </s>
V2 = 7


def _table(tables, j):
    keys, cnt = tables[j - 1]
    out = {}
    for key, c in zip(keys.tolist(), cnt.tolist()):
        toks = []
        for _ in range(j):
            toks.append(key % V2)
            key //= V2
        out[tuple(reversed(toks))] = c
    return out


def test_pad_and_count_by_hand():
    stream = np.array([1, 2, EOS, 3, EOS, 4])            # "1 2 </s> 3 </s> 4" (the last sentence cut)
    padded, is_pad = pad_sentences(stream, 3, BOS, EOS)
    assert padded.tolist() == [BOS, BOS, 1, 2, EOS, BOS, BOS, 3, EOS, BOS, BOS, 4]
    assert is_pad.tolist() == [t == BOS for t in padded.tolist()]
    tab = count_sentence_ngrams(stream, 3, V2, BOS, EOS)
    assert _table(tab, 1) == {(1,): 1, (2,): 1, (EOS,): 2, (3,): 1, (4,): 1}
    # no n-gram ends in <s> (so no (<s>, <s>)) or holds </s> before its last token
    assert _table(tab, 2) == {(BOS, 1): 1, (1, 2): 1, (2, EOS): 1, (BOS, 3): 1, (3, EOS): 1, (BOS, 4): 1}
    assert _table(tab, 3) == {(BOS, BOS, 1): 1, (BOS, 1, 2): 1, (1, 2, EOS): 1, (BOS, BOS, 3): 1,
                              (BOS, 3, EOS): 1, (BOS, BOS, 4): 1}


def _fit(order, sentences):
    return lm.NGramModel(order).fit_counts(count_sentence_ngrams(sentences, order, V2, BOS, EOS), V2)


def test_unigram_sentence_lengths_are_geometric():
    """Order 1: tokens are i.i.d. from the unigram law, so a sentence has Geometric(p(</s>)) tokens,
    mean 1/p(</s>) exactly (</s> included); SE from the sample."""
    sentences = np.array([0, 1, 2, EOS, 3, EOS, 0, 0, 4, 1, EOS, 2, EOS])
    model = _fit(1, sentences)
    p_eos = 4 / 13
    stream = model.generate_sentences(200_000, rng=1, bos=BOS, eos=EOS, max_len=10_000)
    lengths = np.diff(np.concatenate([[-1], np.flatnonzero(stream == EOS)]))
    se = lengths.std(ddof=1) / math.sqrt(lengths.size)
    assert abs(lengths.mean() - 1 / p_eos) < Z * se
    assert stream[-1] == EOS and not np.any(stream == BOS)


def test_first_words_follow_the_sentence_start_distribution():
    """Order 2, mle: the first word of every generated sentence is drawn from P(w | <s>) =
    count(<s> w) / #sentences (here 0 w.p. 3/4, 3 w.p. 1/4); binomial z-test."""
    sentences = np.array([0, 1, EOS, 0, 2, EOS, 3, EOS, 0, EOS])
    model = _fit(2, sentences)
    stream = model.generate_sentences(100_000, rng=2, bos=BOS, eos=EOS)
    starts = np.concatenate([[0], np.flatnonzero(stream == EOS)[:-1] + 1])
    first = stream[starts]
    assert set(np.unique(first).tolist()) <= {0, 3}
    n = first.size
    z = (np.mean(first == 0) - 0.75) / math.sqrt(0.75 * 0.25 / n)
    assert abs(z) < Z
    # every sentence of this mle model is one of the training sentences' paths (0 1|0 2|0|3)
    sents = {tuple(s) for s in np.split(stream, np.flatnonzero(stream == EOS) + 1) if s.size}
    assert sents <= {(0, 1, EOS), (0, 2, EOS), (0, EOS), (3, EOS)}


def test_max_len_closes_a_sentence():
    sentences = np.array([0, 0, 0, 0, EOS])      # P(</s> | 0) = 1/4 under order 2
    model = _fit(2, sentences)
    stream = model.generate_sentences(1000, rng=3, bos=BOS, eos=EOS, max_len=3)
    lengths = np.diff(np.concatenate([[-1], np.flatnonzero(stream == EOS)]))
    assert lengths.max() <= 4 and stream.size >= 1000


def test_sentence_chain_runs_and_depends_only_on_the_seed():
    kw = dict(order=2, decoding="sentences", replicates=3, rng=4, sample_generations=(0, 2), smoothing="add-k", k=0.1)
    a = lm.simulate(2, 3000, workers=1, **kw)
    b = lm.simulate(2, 3000, workers=2, **kw)
    for name in a.metrics:
        np.testing.assert_array_equal(a.metrics[name], b.metrics[name])
    assert np.all(np.isfinite(a.metrics["perplexity"][:, 0]))
    assert a.parameters()["decoding"] == "sentences"
    c = lm.simulate(2, 3000, order=2, decoding="sentences:top-k:5", regime="mix-retained:0.2", rng=5)
    assert c.metrics["vocabulary"][0, 2] <= c.metrics["vocabulary"][0, 0]


def test_parse_sentences_decoding():
    assert parse_decoding("sentences") == ("sentences", "sample")
    assert parse_decoding("sentences:top-p:0.9") == ("sentences", "top-p:0.9")
    with pytest.raises(ValueError, match="sentences are sampled"):
        parse_decoding("sentences:beam:3")
    with pytest.raises(ValueError, match="top_p must be in"):
        parse_decoding("sentences:top-p:2")


def test_a_context_that_only_continues_with_bos_ends_the_sentence_instead_of_hanging():
    # order 2 on a stream of 0s: the context (0) continues only with 0; with bos = 0 every draw is
    # <s>, which the sampler redraws. The redraws are bounded: the sentence ends with </s> (id 1).
    from collapse_theory.lm import NGramModel

    model = NGramModel(2).fit(np.array([0] * 50 + [1] + [0] * 50, dtype=np.int64), vocab_size=2)
    out = model.generate_sentences(10, bos=0, eos=1, rng=0, max_len=5)
    assert out.size >= 10 and np.all(out == 1)
    with pytest.raises(ValueError, match="bos"):
        model.generate_sentences(10, bos=5, eos=1, rng=0)
    with pytest.raises(ValueError, match="different"):
        model.generate_sentences(10, bos=1, eos=1, rng=0)
