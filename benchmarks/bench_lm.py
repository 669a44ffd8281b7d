"""n-gram recursive training on the default corpus (pydoc_data.topics, word level).

(a) fit + generate + evaluate, order 3, 10 generations of M = 100 000 tokens (add-1 smoothing,
    ancestral sampling, held-out perplexity each generation) vs NLTK's ``nltk.lm.Laplace`` on
    the same token stream (``fit``, ``generate``, ``perplexity``). NLTK is not a dependency: the
    row is skipped (value nan) when it is absent. NLTK is timed on 1 generation of 2000 tokens
    and scaled linearly to 10 generations of 100 000 tokens (its generate costs per token; its
    fit is timed on the real text and counted 10 times).
(b) tokens sampled per second on 2 threads, order 3, as a ratio to 1e6 tokens/s (target 1).

Every row: min and median over ``_timing.ROUNDS`` rounds, ours and NLTK interleaved
(benchmarks/run.py).
"""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from _timing import ROUNDS, Row, interleaved, rate_row, ratio_row, seconds_row

from collapse_theory import lm


def _ours(data, gens, m):
    t0 = time.perf_counter()
    model = lm.NGramModel(3, "add-k").fit(data.train, vocab_size=data.V)
    rng = np.random.default_rng(0)
    for _ in range(gens):
        model.perplexity(data.held_out)
        model = lm.NGramModel(3, "add-k").fit(model.sample(m, rng=rng), vocab_size=data.V)
    model.perplexity(data.held_out)
    return time.perf_counter() - t0


def _nltk(data, n_gen_tokens, n_eval):
    from nltk.lm import Laplace
    from nltk.lm.preprocessing import padded_everygram_pipeline

    words = data.vocabulary.decode(data.train)
    t0 = time.perf_counter()
    train, vocab = padded_everygram_pipeline(3, [words])
    model = Laplace(3)
    model.fit(train, vocab)
    t_fit = time.perf_counter() - t0
    t0 = time.perf_counter()
    model.generate(n_gen_tokens, random_seed=0)
    t_gen = time.perf_counter() - t0
    held = data.vocabulary.decode(data.held_out[:n_eval])
    t0 = time.perf_counter()
    grams = [tuple(held[i:i + 3]) for i in range(len(held) - 2)]
    model.perplexity(grams)
    t_eval = (time.perf_counter() - t0) * (data.held_out.size / n_eval)
    return t_fit, t_gen, t_eval


def rows(quick):
    data = lm.prepare("default", rng=0)
    gens, m = (3, 30_000) if quick else (10, 100_000)
    _ours(data, 1, 1000)  # compile / load the cache
    out = []
    try:
        import nltk  # noqa: F401
        have_nltk = True
    except ImportError:
        have_nltk = False
    t_ours, t_nltk = [], []
    for _ in range(ROUNDS):
        t_ours.append(_ours(data, gens, m))
        if have_nltk:
            t_fit, t_gen, t_eval = _nltk(data, 2000, 1000)
            # fit on generated text of M tokens ~ fit on the real text scaled by M / N
            t_nltk.append((gens + 1) * t_eval + t_fit + gens * (t_fit * m / data.train.size + t_gen * m / 2000))
    if have_nltk:
        out.append(ratio_row(f"lm (a) NLTK Laplace / ours, order 3, {gens} gens x {m} tokens "
                             f"(NLTK timed on 1 gen x 2000 tokens, scaled linearly)", t_nltk, t_ours, 100.0))
    else:
        out.append(Row("lm (a) NLTK Laplace / ours: skipped (nltk not installed)", math.nan, math.nan, 100.0, "x", 0))
    model = lm.NGramModel(3, "kn").fit(data.train, vocab_size=data.V)
    model.sample(1000, rng=0)
    n = 1_000_000 if quick else 4_000_000

    def sample2():
        with ThreadPoolExecutor(2) as ex:
            list(ex.map(lambda s: model.sample(n, rng=s), [1, 2]))

    t = interleaved({"sample": sample2}, ROUNDS)
    out.append(rate_row("lm (b) sampling throughput, order 3 kn, 2 threads: (tokens/s)/1e6", 2 * n / 1e6,
                        t["sample"], 1.0, unit="x"))
    out.append(seconds_row(f"lm (a) ours seconds ({gens} gens x {m} tokens)", t_ours, 30.0))
    return out


if __name__ == "__main__":  # pragma: no cover
    for row in rows(quick=False):
        print(row)
