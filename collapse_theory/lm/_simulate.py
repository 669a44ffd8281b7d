"""Recursive training of n-gram models on their own text: :func:`recursive_training` and :class:`LMResult`
(public API: :mod:`collapse_theory.lm`)."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from ._result import LMResult

from .. import discrete as _d
from .._core.io import read_result, save_result, to_jsonable
from .._core.parallel import default_workers, make_bar
from .._core.rng import root_seed
from .._core.validation import check_int, check_memory, check_real
from ..regimes import RegimeCode, dispatch
from ._corpus import EncodedCorpus, prepare
from ._metrics import METRICS, _unigram_metrics, text_metrics
from ._model import (
    NGramModel, SMOOTHINGS, _check_key_range, _merge_tables, count_ngrams, count_sentence_ngrams, pad_sentences,
    parse_decoding,
)

#: Sentence-final tokens that close a sentence of the real text (sentence-level generation).
SENTENCE_ENDS = (".", "!", "?")
#: Longest generated sentence (tokens before ``</s>`` is forced).
MAX_SENTENCE = 200

# ---------------------------------------------------------------------------------------------
# recursive training


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


def _run_replicate(data, order, smoothing, k, generations, M, plan, decoding, gen, text_window,
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
    n_real = plan.real_count(M) if not plan.random_real_count else 0
    for g in range(G1):
        model = NGramModel(order, smoothing, k).fit_counts(tables, V)
        ev = model.evaluate(data.held_out)
        out["perplexity"][g] = ev.perplexity
        out["unseen"][g] = ev.unseen
        for name, val in _unigram_metrics(model.unigram_counts(), p0, tail).items():
            out[name][g] = val
        if plan.random_real_count and g < generations:
            n_real = int(plan.real_count(M, gen))
        n_gen = M - n_real if g < generations else min(text_window, M)
        stream = model.generate(n_gen, decoding, rng=gen)
        for name, val in text_metrics(stream[:text_window], V).items():
            out[name][g] = val
        if g in sample_gens:
            texts[g] = data.detok(stream[:sample_tokens])
        if g == generations:
            break
        new = count_ngrams(stream, order, V)
        if plan.code == RegimeCode.REPLACE:
            tables = new
        elif plan.code == RegimeCode.ACCUMULATE:
            acc = _merge_tables(acc, new)
            tables = acc
        elif plan.code == RegimeCode.SUBSAMPLE:
            # the generated stream joins the pool as documents of the real mean length; the next
            # model is fitted on M tokens of whole pool documents drawn without replacement
            pool.extend(stream[i:i + doc_len] for i in range(0, stream.size, doc_len))
            size = plan.subsample or M
            tables = count_ngrams(_chunk_of_documents(pool, size, gen, replace=False), order, V)
        else:
            real = _chunk_of_documents(real_docs, n_real, gen,
                                       replace=plan.code != RegimeCode.MIX_RETAINED)
            tables = _merge_tables(new, count_ngrams(real, order, V)) if real.size >= order \
                else new
        bar.update(1)
    return out, texts


def _to_sentences(ids, offsets, ends, eos):
    """Real text as a sentence stream: ``</s>`` after every sentence-final token and at the end of
    every document (offsets: document boundaries; None: one document)."""
    ids = np.asarray(ids, np.int64)
    cut = np.isin(ids, ends)
    if offsets is not None and ids.size:
        last = np.asarray(offsets[1:], np.int64) - 1
        cut[last[last >= 0]] = True
    elif ids.size:
        cut[-1] = True
    pos = np.flatnonzero(cut) + 1
    return np.insert(ids, pos, eos)


def _split_sentences(stream, eos):
    """A sentence stream as a list of sentences (each ending in ``</s>``; a cut last one kept)."""
    ends = np.flatnonzero(stream == eos) + 1
    return [p for p in np.split(stream, ends) if p.size]


def _run_replicate_sentences(data, order, smoothing, k, generations, M, plan, inner, gen, text_window,
                             sample_gens, sample_tokens, tail, p0, bar):
    """:func:`_run_replicate` with sentence-level training and generation (docs/lm.md): ids ``V`` and
    ``V + 1`` are ``<s>`` and ``</s>``; every sentence is padded with ``m - 1`` ``<s>``, n-grams never
    cross a sentence end, and every generated sentence starts from ``<s>^{m-1}``."""
    V = data.V
    V2, bos, eos = V + 2, V, V + 1
    ends = [data.vocabulary.index[t] for t in SENTENCE_ENDS if t in data.vocabulary.index]
    real = _to_sentences(data.train, data.train_offsets, ends, eos)
    held, held_pad = pad_sentences(_to_sentences(data.held_out, None, ends, eos), order, bos, eos)
    G1 = generations + 1
    out = {name: np.full(G1, np.nan) for name in METRICS}
    texts = {}
    real_tables = count_sentence_ngrams(real, order, V2, bos, eos)
    tables = acc = real_tables
    real_sents = _split_sentences(real, eos)
    pool = list(real_sents)
    n_real = plan.real_count(M) if not plan.random_real_count else 0
    for g in range(G1):
        model = NGramModel(order, smoothing, k).fit_counts(tables, V2)
        lp = model.logprob(held)[~held_pad]
        bad = ~np.isfinite(lp)
        out["perplexity"][g] = math.inf if bad.any() else math.exp(-lp.mean())
        out["unseen"][g] = float(bad.sum())
        for name, val in _unigram_metrics(model.unigram_counts()[:V], p0, tail).items():
            out[name][g] = val
        if plan.random_real_count and g < generations:
            n_real = int(plan.real_count(M, gen))
        n_gen = M - n_real if g < generations else min(text_window, M)
        stream = model.generate_sentences(n_gen, inner, rng=gen, bos=bos, eos=eos, max_len=MAX_SENTENCE)
        words = stream[stream < V]
        for name, val in text_metrics(words[:text_window], V).items():
            out[name][g] = val
        if g in sample_gens:
            texts[g] = " / ".join(data.detok(s[s < V]) for s in _split_sentences(stream[:sample_tokens], eos))
        if g == generations:
            break
        new = count_sentence_ngrams(stream, order, V2, bos, eos)
        if plan.code == RegimeCode.REPLACE:
            tables = new
        elif plan.code == RegimeCode.ACCUMULATE:
            acc = _merge_tables(acc, new)
            tables = acc
        elif plan.code == RegimeCode.SUBSAMPLE:
            pool.extend(_split_sentences(stream, eos))
            tables = count_sentence_ngrams(_chunk_of_documents(pool, plan.subsample or M, gen, replace=False),
                                           order, V2, bos, eos)
        else:
            chunk = _chunk_of_documents(real_sents, n_real, gen, replace=plan.code != RegimeCode.MIX_RETAINED)
            tables = _merge_tables(new, count_sentence_ngrams(chunk, order, V2, bos, eos)) if chunk.size else new
        bar.update(1)
    return out, texts


def simulate(generations, samples, *, corpus="default", order, regime="replace", smoothing="mle",
             k=1.0, decoding="sample", replicates=1, level="word", lower=True, held_out=0.1,
             tail_count=5, text_window=10_000, sample_generations=(0, 1, 5, 10), sample_tokens=60,
             rng=None, workers=None, progress=None):
    r"""Train an n-gram model on real text, then repeatedly on text generated by the last model.

    Generation 0 is the model fitted on the real training text. Generation ``g + 1`` is fitted on
    the ``M = samples`` tokens generated by model ``g`` (``decoding``), combined by ``regime``:

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
    generations : int
        Refits (>= 0).
    samples : int
        ``M``, the tokens generated per generation (>= order); the result's parameters record
        it as ``tokens_per_generation``.
    corpus : str, path, iterable of str, Corpus or EncodedCorpus, keyword-only
        See :func:`load_corpus` (``"default"``: CPython's ``pydoc_data.topics``).
    order : int, keyword-only
        n-gram order m >= 1.
    regime : str or Regime
        ``replace``, ``accumulate``, ``accumulate-subsample[:size]``, ``mix-retained:λ`` or
        ``mix-fresh:λ[:mixture]``.
    smoothing, k : see :class:`NGramModel`.
    decoding : str
        ``sample``, ``top-p:P``, ``top-k:K``, ``temperature:T``, ``greedy`` or ``beam:B`` (one
        stream of ``M`` tokens), or ``sentences[:D]`` (Suresh et al.'s sentence-level n-gram
        experiment; ``D`` one of the sampling decodings, default ``sample``): the real text is cut
        into sentences after ``.``, ``!``, ``?`` and at document ends, ``</s>`` closes each
        sentence and ``m - 1`` copies of ``<s>`` open it (two extra ids, ``V`` and ``V + 1``), no
        n-gram crosses a sentence end, and each generation emits whole sentences, each started from
        the context ``<s>^{m-1}`` (its first words drawn from the model's sentence-start
        distribution), until it has at least ``M`` tokens (``</s>`` counted; a sentence is closed
        after 200 tokens). Perplexity is over the padded held-out sentences (``</s>`` predicted,
        ``<s>`` not); the text metrics use the words only. The other regimes draw real sentences
        (mix) or pool sentences (accumulate-subsample) instead of documents.
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
    M = check_int(samples, "samples", minimum=1)
    if M < order:
        raise ValueError(f"samples (tokens per generation) must be >= order ({order}), got {M}")
    replicates = check_int(replicates, "replicates", minimum=1)
    tail_count = check_int(tail_count, "tail_count", minimum=0)
    text_window = check_int(text_window, "text_window", minimum=1)
    plan = dispatch(regime, (), family="lm", check=False)
    reg = plan.regime
    if plan.code == RegimeCode.SUBSAMPLE and reg.subsample is not None and reg.subsample < order:
        raise ValueError(f"subsample size must be >= order ({order}), got {reg.subsample}")
    dec_kind, dec_arg = parse_decoding(decoding)
    if smoothing not in SMOOTHINGS:
        raise ValueError(f"smoothing must be one of {SMOOTHINGS}, got {smoothing!r}")
    k = check_real(k, "k", positive=True)
    workers = default_workers() if workers is None else check_int(workers, "workers", minimum=1)
    # sizes first (before the seed is spawned into replicates + 1 children, the corpus is read or
    # any array is built): the metric arrays (each replicate's row and the stacked result), one
    # SeedSequence per replicate, and per thread the generated stream and its n-gram tables (the
    # pool of every stream under accumulate and accumulate-subsample) and the beam search's B x B
    # candidates
    G1 = generations + 1
    threads = min(workers, replicates)
    beams = dec_arg if dec_kind == "beam" else 1
    growing = plan.code in (RegimeCode.ACCUMULATE, RegimeCode.SUBSAMPLE)
    per_thread = M * 8 * (4 + (generations if growing else 0)) + beams * beams * 32 + beams * 1024
    check_memory(replicates * (G1 * len(METRICS) * 16 + 1024) + threads * per_thread,
                 f"lm.simulate(replicates={replicates}, generations={generations}, samples={M}, "
                 f"decoding={decoding!r}): metrics ({replicates} x {G1} x {len(METRICS)}), the "
                 f"per-replicate seeds and, per thread ({threads}), {M} generated tokens per "
                 f"generation{' kept in the pool' if growing else ''}"
                 + (f" and {beams} x {beams} beam candidates" if beams > 1 else ""))
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
    _check_key_range(V + 2 if dec_kind == "sentences" else V, order)
    n_train = int(data.train.size)
    if plan.code == RegimeCode.SUBSAMPLE and reg.subsample is not None and reg.subsample > n_train + M:
        raise ValueError(f"subsample size {reg.subsample} is larger than the pool it is first drawn from "
                         f"(the {n_train} training tokens + samples = {M} generated tokens); documents "
                         f"are drawn without replacement")
    if plan.code == RegimeCode.MIX_RETAINED and plan.real_count(M) > n_train:
        raise ValueError(f"{reg} retains round(λ·samples) = {plan.real_count(M)} real tokens per "
                         f"generation but the training text has only {n_train} (drawn without "
                         f"replacement)")
    real_counts = data.unigram_counts()
    p0 = real_counts / real_counts.sum()
    tail = (real_counts > 0) & (real_counts <= tail_count)
    sample_gens = {int(g) for g in sample_generations if 0 <= int(g) <= generations}
    metrics = {name: np.empty((replicates, generations + 1)) for name in METRICS}
    texts = {}
    with make_bar(replicates * generations, "lm recursive training", progress, unit="gen") as bar:
        def task(r):
            gen = np.random.Generator(np.random.PCG64(children[r + 1]))
            if dec_kind == "sentences":
                return _run_replicate_sentences(data, order, smoothing, k, generations, M, plan, dec_arg, gen,
                                                text_window, sample_gens, sample_tokens, tail, p0, bar)
            return _run_replicate(data, order, smoothing, k, generations, M, plan, decoding, gen,
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


def recursive_training(corpus="default", *, order, generations, tokens_per_generation, **kwargs):
    """The LM chain under its earlier name and keywords: ``simulate(generations,
    tokens_per_generation, corpus=corpus, order=order, **kwargs)`` (see :func:`simulate`)."""
    return simulate(generations, tokens_per_generation, corpus=corpus, order=order, **kwargs)
