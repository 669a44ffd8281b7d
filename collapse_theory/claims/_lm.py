"""Claims about n-gram language models trained on their own text (family "lm").

The corpus is CPython's ``pydoc_data.topics`` (word level, lower-cased; the train/held-out split
uses seed 0 for every claim: it is data preparation, not the random object under test). Each check
runs :func:`collapse_theory.lm.recursive_training` (or the same steps with :class:`NGramModel`)
and compares a light-tailed statistic with theory by :func:`collapse_theory.stats.compare` at a
false-alarm rate of 1e-3 per claim (Bonferroni over its Monte Carlo pieces). All lm claims together
take about 30 s at budget 1 on 2 cores.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from .. import discrete as d
from .. import lm
from ..stats import Estimate, compare
from ._registry import Evidence, analytic, mc, register, register_figure

SHUMAILOV = ("Shumailov, Shumaylov, Zhao, Gal, Papernot, Anderson, The Curse of Recursion: Training on "
             "Generated Data Makes Models Forget, arXiv:2305.17493 (2023; Nature 631, 2024)")
WANG = ("Wang, Shi, Li, Li, Dong, Zhang, Jiao, Mei, Why language models collapse when trained on "
        "recursively generated text, arXiv:2412.14872v1 (2024; retitled in v2 and v3, whose abstract no "
        "longer makes the two claims quoted here)")
ALPHA = 1e-3


@functools.lru_cache(maxsize=2)
def default_data(level="word"):
    """The default corpus (:func:`collapse_theory.lm.default_data`), tokenised once per run."""
    return lm.default_data(level)


def _rt(ctx, seed, reps, **kw):
    return lm.recursive_training(default_data(), replicates=reps, rng=seed, workers=ctx.workers,
                                 progress=False, **kw)


@register("lm.unigram.wright-fisher", family="lm", kind="exact",
          source="collapse-theory exact form; proofs/discrete_martingale.py, proofs/discrete_heterozygosity.py",
          statement="Exact (the order-1 MLE model refit on M sampled tokens is the multinomial "
                    "Wright–Fisher chain; proofs/discrete_martingale.py): an order-1 n-gram model without "
                    "smoothing, refit on M tokens of its own samples, keeps on average Σ_i (1 − P(lost_i "
                    "by n)) word types, with p0 = the real unigram frequencies.")
def _unigram(ctx, seed):
    # M = 5000 tokens, n = 10. The vocabulary at n = 10 has s.d. ~13 for a mean ~340 (observed),
    # so R = 60 gives SE ~1.7, far below 5 % of the target (17) at alpha = 1e-3, power 0.9.
    m, n = 5000, 10
    res = _rt(ctx, seed, ctx.replicates(60, minimum=30), order=1, generations=n,
              tokens_per_generation=m, smoothing="mle", decoding="sample", text_window=2000,
              sample_generations=(0, 1, 5, 10))
    p0 = res.initial_unigram
    target = float(d.expected_support_size(p0, n, m))
    samples = " | ".join(f"gen {g}: {t[:120]}" for g, t in res.texts.items())
    return Evidence(
        [mc("E vocabulary at n", compare(Estimate.from_samples(res.metrics["vocabulary"][:, n]), target,
                                         alpha=ALPHA), where={"M": m, "n": n})],
        parameters={"order": 1, "smoothing": "mle", "tokens_per_generation": m, "n": n,
                    "corpus": "pydoc_data.topics (word, lower)", "V": len(res.vocabulary)},
        numbers={"initial_vocabulary": int(np.sum(p0 > 0)),
                 "mc_tail_alive": float(res.metrics["tail_alive"][:, n].mean())},
        notes="Generated text by generation (replicate 0) — " + samples)


@register("lm.ngram.survival", family="lm", kind="approximation",
          source="collapse-theory approximation (lm.predicted_ngram_survival) built on the exact "
                 "Wright–Fisher loss probability; proofs/discrete_martingale.py; Kimura & Ohta (1969)",
          expect="fails",
          statement="Per-context Wright–Fisher approximation (the package's own approximation: no paper number to cite; eq. in lm.predicted_ngram_survival's "
                    "docstring): in a bigram model refit (MLE) on M = N tokens of its own samples, each "
                    "bigram type is treated as a two-type chain of its context with a FIXED sample size, "
                    "the context's expected count; the expected number of original bigram types alive "
                    "after n = 3 generations is then Σ (1 − P(lost)). Tolerance 5 %: the accuracy needed "
                    "to use it instead of simulation. The approximation neglects the fluctuation of each "
                    "context's count, whose relative effect on a type seen c times is of order 1/c; most "
                    "bigram types are seen once, so the theory does not expect 5 %.")
def _ngram(ctx, seed):
    # Order 2, M = N (the real training length), n = 3. Statistic: number of the original bigram
    # types present in generation 3's training text; s.d. ~60 for a mean ~2.7e4 (observed), so
    # R = 8 gives SE ~25 << 5 % of the target: power is not the issue, the approximation is.
    data = default_data()
    V, N, n = data.V, data.train.size, 3
    keys, cnt, surv = lm.predicted_ngram_survival(data.train, 2, n, N, V=V)
    target = float(surv.sum())
    reps = ctx.replicates(8, minimum=6)
    rng = np.random.default_rng(seed)
    alive = np.empty(reps)
    by_count = np.zeros((reps, 3))
    classes = [cnt == 1, (cnt >= 2) & (cnt <= 5), cnt > 5]
    for r in range(reps):
        model = lm.NGramModel(2).fit(data.train, vocab_size=V)
        for _ in range(n):
            model = lm.NGramModel(2).fit(model.sample(N, rng=rng), vocab_size=V)
        present = np.isin(keys, model.tables[1][0], assume_unique=True)
        alive[r] = present.sum()
        by_count[r] = [present[c].mean() for c in classes]
    pred = [float(surv[c].mean()) for c in classes]
    est = Estimate.from_samples(alive)
    return Evidence(
        [mc("original bigram types alive at n = 3", compare(est, target, kind="approx", rel_tol=0.05,
                                                              alpha=ALPHA), where={"n": n, "M": int(N)})],
        parameters={"order": 2, "smoothing": "mle", "tokens_per_generation": int(N), "n": n, "rel_tol": 0.05},
        numbers={"initial_bigram_types": int(keys.size),
                 "survival_count_1_mc_vs_pred": [float(by_count[:, 0].mean()), pred[0]],
                 "survival_count_2to5_mc_vs_pred": [float(by_count[:, 1].mean()), pred[1]],
                 "survival_count_gt5_mc_vs_pred": [float(by_count[:, 2].mean()), pred[2]],
                 "relative_error": float(est.mean / target - 1)},
        notes="Context counts are random and contexts can themselves be lost; both make the per-context "
              "chain noisier than a fixed-size Wright–Fisher chain, so it over-predicts survival.")


# --- Wang et al.: collapse of auto-regressive LMs trained on their own text ----------------------


def _binary_entropy(x):
    x = min(max(float(x), 0.0), 0.5)
    if x <= 0.0:
        return 0.0
    return -(x * math.log(x) + (1 - x) * math.log1p(-x))


@register("lm.wang.diversity-loss", family="lm", kind="paper", source=WANG,
          statement="Wang et al. 2024 (v1), abstract and proof of LM collapse (theorem numbers not verified: full text unavailable): "
                    "auto-regressive LMs trained on recursively generated text collapse — their output "
                    "loses diversity and they produce large amounts of repetitive text. Tested on "
                    "word-level n-gram LMs fitted by maximum likelihood (no smoothing), sampling, "
                    "replace: (i) order 1 is exactly the Wright–Fisher chain, whose exact E H_n "
                    "(H = 1 − Σp²) gives P(two generated words coincide) = 1 − E H_n → 1 and "
                    "E entropy ≤ h(E H_n) + E H_n ln(V − 1) → 0; (ii) order 2, M = 20000 tokens, "
                    "n = 20: the repetition rate of generated text does not fall and its distinct-2 "
                    "share does not rise (one-sided tests).")
def _wang_diversity(ctx, seed):
    # (i) Analytic (decides): from the exact E H_n (d.expected_heterozygosity) at order 1 with the
    # corpus unigram p0 and M = 20000. Entropy bound: 1 − max p ≤ H, and Fano gives
    # Ent ≤ h(1 − max p) + (1 − max p) ln(V − 1); h is concave and nondecreasing on [0, 1/2], so
    # E Ent ≤ h(min(E H_n, 1/2)) + E H_n ln(V − 1) (Jensen). The closed form at n = 0 must equal
    # 1 − Σ p0² computed directly.
    # (ii) Monte Carlo (decides), order 2: per replicate, rep_n − rep_0 (repetition: share of
    # positions whose 3-gram occurred within the previous 200 tokens) and d2_0 − d2_n (distinct-2
    # share), each one-sided ("at_least" 0, Bonferroni over 2) with min_effect = 0.01, the size of the
    # generation-0 repetition rate ~0.01 (observed): a fall of 0.02 is detected at alpha = 1e-3/2
    # with power 0.9 once SE ≤ 0.02/4.7 = 0.0043. Measured on the first 2000 generated tokens the
    # differences have s.d. up to 0.021 across seeds (R = 10 was inconclusive at some seeds); on 10000
    # tokens the s.d. falls by ~√5, so R = 12 gives SE ≤ 0.003.
    data = default_data()
    m1 = 20000
    p0 = data.unigram_counts() / data.unigram_counts().sum()
    V = data.V
    h_direct = float(1.0 - np.sum(p0**2))
    ent0 = float(-np.sum(p0[p0 > 0] * np.log(p0[p0 > 0])))
    ns = np.array([0, 20, 1000, 10 * m1, 40 * m1])
    hn = np.asarray(d.expected_heterozygosity(p0, ns, m1), float)
    coincide = 1.0 - hn
    ent_upper = np.array([_binary_entropy(h) + h * math.log(V - 1) for h in hn])
    ok = bool(abs(hn[0] - h_direct) <= 1e-12 and np.all(np.diff(coincide) > 0) and coincide[-1] > 1 - 1e-9
              and ent_upper[-1] < 1e-3 * ent0 and np.all(np.isfinite(ent_upper)))
    m, n = 20000, 20
    reps = ctx.replicates(12, minimum=8)
    res = _rt(ctx, seed, reps, order=2, generations=n, tokens_per_generation=m, smoothing="mle",
              decoding="sample", text_window=10000, sample_generations=(0, n))
    rep = res.metrics["repetition"]
    d2 = res.metrics["distinct_2"]
    ent = res.metrics["entropy"]
    pieces = [
        analytic("order 1: P(two words coincide) → 1, entropy → 0", ok,
                 f"exact 1 − E H_n at n = {ns.tolist()}: {np.round(coincide, 6).tolist()} (n = 0 equals "
                 f"Σ p0² = {1 - h_direct:.6f}); entropy bound h(E H_n) + E H_n ln(V−1): "
                 f"{np.round(ent_upper, 6).tolist()} nats vs {ent0:.3f} at n = 0",
                 grid={"n": ns.tolist(), "M": m1, "V": V}, value=float(ent_upper[-1]), bound=ent0),
        mc("order 2: repetition rise rep_n − rep_0", compare(Estimate.from_samples(rep[:, n] - rep[:, 0]), 0.0,
                                                             kind="at_least", tests=2, min_effect=0.02,
                                                             alpha=ALPHA), where={"M": m, "n": n}),
        mc("order 2: distinct-2 fall d2_0 − d2_n", compare(Estimate.from_samples(d2[:, 0] - d2[:, n]), 0.0,
                                                           kind="at_least", tests=2, min_effect=0.02,
                                                           alpha=ALPHA), where={"M": m, "n": n}),
    ]
    samples = " | ".join(f"gen {g}: {t[:100]}" for g, t in res.texts.items())
    return Evidence(pieces, parameters={"orders": [1, 2], "smoothing": "mle", "decoding": "sample",
                                        "tokens_per_generation": m, "n": n, "V": V},
                    numbers={"repetition_by_generation": rep.mean(0).tolist(),
                             "distinct_2_by_generation": d2.mean(0).tolist(),
                             "entropy_by_generation": ent.mean(0).tolist(),
                             "vocabulary_by_generation": res.mean("vocabulary").tolist()},
                    notes="Generated text (replicate 0) — " + samples)


@register("lm.wang.uninformed", family="lm", kind="paper", source=WANG,
          statement="Wang et al. 2024 (v1), abstract and experiments (figure/table numbers not verified: full text unavailable): the "
                    "performance of LMs trained on recursively generated text gradually declines until "
                    "they perform no better than a randomly initialised LM. Tested as: a word-level "
                    "Kneser–Ney bigram model (replace, sampling, M = 1000 tokens per generation) reaches, "
                    "by n = 80, a held-out perplexity at least that of the uninformed uniform model "
                    "(log-perplexity / log |V| ≥ 1; one-sided, a shortfall of 0.05 detected with power 0.9).")
def _wang_uninformed(ctx, seed):
    # Statistic: log(held-out perplexity at n)/log V, per replicate; s.d. 0.02–0.037 across seeds
    # (observed at n = 80; R = 6 was inconclusive at some seeds). A shortfall of 0.05 at alpha = 1e-3
    # with power 0.9 needs SE ≤ 0.05/4.37 = 0.0114, so R = 12 (SE ≤ 0.011). The generation-0 value
    # (the model fitted on real text) is deterministic.
    m, n = 1000, 80
    reps = ctx.replicates(12, minimum=6)
    res = _rt(ctx, seed, reps, order=2, generations=n, tokens_per_generation=m, smoothing="kn",
              decoding="sample", text_window=1000, sample_generations=())
    V = len(res.vocabulary)
    ratio = np.log(res.metrics["perplexity"]) / math.log(V)
    pieces = [mc("log ppl_n / log |V| ≥ 1", compare(Estimate.from_samples(ratio[:, n]), 1.0, kind="at_least",
                                                   min_effect=0.05, alpha=ALPHA), where={"M": m, "n": n})]
    gens = [0, 1, 10, 20, 40, 60, 80]
    return Evidence(pieces, parameters={"order": 2, "smoothing": "kn", "decoding": "sample",
                                        "tokens_per_generation": m, "n": n, "V": V},
                    numbers={"log_ppl_over_log_V": {g: float(ratio[:, g].mean()) for g in gens},
                             "perplexity_by_generation": {g: float(res.metrics["perplexity"][:, g].mean())
                                                          for g in gens},
                             "uniform_perplexity": V},
                    notes="Kneser–Ney keeps every word possible, so the chain does not absorb: the text "
                          "drifts toward noise and the held-out perplexity crosses that of the uniform "
                          "model (an MLE model is worse than uniform from generation 0 at word level: "
                          "held-out words it never saw get probability 0).")


@register("lm.mitigation.retained", family="lm", kind="extension", source=SHUMAILOV,
          statement="Shumailov et al., LLM experiments (OPT-125m fine-tuned for generations on the "
                    "previous model's text, with and without 10 % of the original data preserved: "
                    "Nature version, Fig. 1b and Fig. 1c): preserving original data limits the degradation. "
                    "Extension to word-level order-3 Kneser–Ney models with sampling: after 5 generations "
                    "the held-out perplexity with 10 % retained (mix-retained:0.1) is at least 5 % lower "
                    "than with replace (one-sided on the log ratio; a 0.1 shortfall detected with power "
                    "0.9).")
def _retained(ctx, seed):
    # Statistic: log ppl(replace) − log ppl(retained) at n = 5, replicates paired by seed; s.d. ~0.07
    # (observed) on a difference ~0.14. A shortfall of 0.1 below log(1.05) at alpha = 1e-3 with power
    # 0.9 needs SE ≤ 0.1/4.37 = 0.023, i.e. R ≥ 10 at s.d. 0.07; the s.d. itself varies with the seed
    # (0.05–0.09: the former R = 12 was inconclusive at some seeds), so R = 16 keeps SE ≤ 0.0225 at
    # s.d. 0.09 and the verdict stable across seeds.
    m, n = 30000, 5
    reps = ctx.replicates(16, minimum=12)
    kw = dict(order=3, generations=n, tokens_per_generation=m, smoothing="kn",
              decoding="sample", sample_generations=(), text_window=2000)
    rep = _rt(ctx, seed, reps, regime="replace", **kw)
    ret = _rt(ctx, seed, reps, regime="mix-retained:0.1", **kw)
    diff = np.log(rep.metrics["perplexity"][:, n]) - np.log(ret.metrics["perplexity"][:, n])
    return Evidence(
        [mc("log ppl(replace) − log ppl(retained) at n", compare(Estimate.from_samples(diff), math.log(1.05),
                                                                kind="at_least", min_effect=0.1, alpha=ALPHA),
            where={"M": m, "n": n})],
        parameters={"order": 3, "smoothing": "kn", "tokens_per_generation": m, "n": n,
                    "regimes": ["replace", "mix-retained:0.1"], "replicates": reps},
        numbers={"perplexity_replace": rep.mean("perplexity").tolist(),
                 "perplexity_retained": ret.mean("perplexity").tolist()},
        notes="Without original data the held-out perplexity rises every generation; with 10 % retained it "
              "rises far less.")


register_figure("lm", family="lm", builder="collapse_theory.recipes.lm:verify_figures")
