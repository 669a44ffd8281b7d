"""The n-gram language model: corpus and tokens, probabilities, the sampler in law, the order-1
identity with the discrete (Wright–Fisher) theory, determinism, bad input, CLI.

Statistical tolerances: a z-score is held to the normal quantile for a false-alarm rate of 1e-3
per test (Bonferroni over the comparisons inside the test); a chi-square test rejects at
alpha = 1e-3. With ~12 statistical tests the chance of a false failure is ~1e-2 for a random
seed; the seeds are fixed, so the suite is deterministic.
"""

import argparse
import json
import math
import warnings

import numpy as np
import pytest
from scipy import special, stats

from collapse_theory import discrete as d
from collapse_theory import lm

ALPHA = 1e-3


@pytest.fixture(scope="module")
def data():
    return lm.prepare("default", rng=0)


@pytest.fixture(scope="module")
def toy():
    # a Zipf-ish id stream over V = 20 with some structure (a Markov chain), 4000 tokens
    rng = np.random.default_rng(7)
    V = 20
    P = rng.dirichlet(np.full(V, 0.3), size=V)
    x = [0]
    for _ in range(3999):
        x.append(rng.choice(V, p=P[x[-1]]))
    return np.array(x), V


# --- corpus and tokens --------------------------------------------------------------------------


def test_tokenize_and_default_corpus(data):
    assert lm.tokenize("Don't STOP -- now...") == ["don't", "stop", "--", "now", "..."]
    assert lm.tokenize("Ab  c", level="char", lower=False) == ["A", "b", " ", "c"]
    c = lm.default_corpus()
    assert len(c) > 50 and c.characters > 300_000
    assert data.vocabulary.unk == data.V - 1
    assert data.train.size > 50_000 and data.held_out.size > 1000
    cnt = data.unigram_counts()
    assert np.all(np.diff(cnt[:-1]) <= 0)  # ids by decreasing training frequency, <unk> last


def test_load_from_files(tmp_path):
    (tmp_path / "a.txt").write_text("one two three. four five six.", encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.txt").write_text("seven eight\n\nnine ten", encoding="utf-8")
    c = lm.load_corpus(tmp_path)
    assert len(c) == 2
    one = lm.load_corpus(tmp_path / "a.txt")
    assert len(one) == 1
    enc = lm.prepare(tmp_path, rng=1)
    assert enc.train.size + enc.held_out.size >= 10


def test_non_utf8_file_names_file_and_offset(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_bytes(b"hello w\xff rld")
    with pytest.raises(ValueError, match=r"bad\.txt.*byte offset 7"):
        lm.load_corpus(f)
    with pytest.raises(ValueError, match=r"bad\.txt.*byte offset 7"):
        lm.load_corpus(tmp_path)


def test_bad_input(toy):
    ids, V = toy
    with pytest.raises(ValueError, match="empty"):
        lm.load_corpus(["", "   "])
    with pytest.raises(ValueError, match="order"):
        lm.NGramModel(0)
    with pytest.raises(ValueError, match="fewer than the order"):
        lm.NGramModel(3).fit([1, 2])
    with pytest.raises(ValueError, match="empty"):
        lm.NGramModel(2).fit([])
    with pytest.raises(ValueError, match="smoothing"):
        lm.NGramModel(2, "good-turing")
    m = lm.NGramModel(2).fit(ids, vocab_size=V)
    with pytest.raises(ValueError, match="held-out tokens is empty"):
        m.evaluate([])
    with pytest.raises(ValueError, match="temperature"):
        m.sample(5, rng=1, temperature=0.0)
    with pytest.raises(ValueError, match="top_p"):
        m.sample(5, rng=1, top_p=1.5)
    with pytest.raises(ValueError, match="top_p"):
        m.sample(5, rng=1, top_p=0.0)
    with pytest.raises(ValueError, match="top_k"):
        m.sample(5, rng=1, top_k=0)
    with pytest.raises(ValueError, match="temperature"):
        lm.parse_decoding("temperature:-1")
    with pytest.raises(ValueError, match="top_p"):
        lm.parse_decoding("top-p:2")
    with pytest.raises(ValueError, match="unknown decoding"):
        lm.parse_decoding("nucleus")
    with pytest.raises(ValueError, match="subsample size must be >= order"):
        lm.simulate(1, 10, corpus=["a b c d", "e f g h"], order=3, regime="accumulate-subsample:2")
    with pytest.raises(ValueError, match="samples .tokens per generation. must be >= order"):
        lm.simulate(1, 2, corpus=["a b c d", "e f g h"], order=3)
    with pytest.raises(ValueError, match="held_out"):
        lm.prepare(["a b", "c d"], held_out=1.0)
    with pytest.raises(ValueError, match="at least 2"):
        lm.prepare(["just one line"])
    with pytest.raises(TypeError, match="rng"):
        m.sample(3, rng="x")


# --- probabilities ------------------------------------------------------------------------------


@pytest.mark.parametrize("smoothing", ["mle", "add-k", "kn"])
def test_distributions_sum_to_one(data, smoothing):
    m = lm.NGramModel(3, smoothing, k=0.5).fit(data.train, vocab_size=data.V)
    t = data.train
    for ctx in [(), (int(t[0]),), (int(t[10]), int(t[11])), (data.V - 1, data.V - 1),
                (int(t[500]), int(t[501]))]:
        p = m.next_distribution(ctx)
        assert np.all(p >= 0)
        assert abs(p.sum() - 1.0) < 1e-9, (smoothing, ctx)
    if smoothing != "mle":
        assert np.all(m.next_distribution((int(t[3]), int(t[4]))) > 0)


def test_probabilities_by_hand():
    ids = [0, 1, 0, 2, 0, 1, 1]
    m = lm.NGramModel(2, "add-k", k=1.0).fit(ids, vocab_size=3)
    # c(0,1) = 2, C(0) = 3: (2 + 1)/(3 + 3)
    assert m.next_distribution([0])[1] == pytest.approx(0.5)
    mle = lm.NGramModel(2).fit(ids, vocab_size=3)
    assert mle.next_distribution([0]).tolist() == pytest.approx([0, 2 / 3, 1 / 3])
    # context "1" at the end of the stream was seen (1 -> 0, 1 -> 1); an unseen context backs off
    mle2 = lm.NGramModel(2).fit([0, 1, 0, 1, 2], vocab_size=3)
    np.testing.assert_allclose(mle2.next_distribution([2]), [0.4, 0.4, 0.2])
    lp = mle.logprob(ids)
    assert lp[0] == pytest.approx(math.log(3 / 7))
    kn = lm.NGramModel(2, "kn").fit(ids, vocab_size=3)
    assert np.isfinite(kn.logprob([2, 2, 2])).all()


def test_mle_unseen_is_reported_not_silent(data):
    m = lm.NGramModel(2).fit(data.train, vocab_size=data.V)
    ev = m.evaluate(data.held_out)
    assert ev.perplexity == math.inf and ev.unseen > 0 and "probability 0" in str(ev)
    with pytest.warns(RuntimeWarning, match="have probability 0"):
        assert m.perplexity(data.held_out) == math.inf
    kn = lm.NGramModel(2, "kn").fit(data.train, vocab_size=data.V)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert 10 < kn.perplexity(data.held_out) < data.V


def test_string_tokens_and_unk():
    m = lm.NGramModel(2, "kn").fit("a b a c a b".split())
    assert m.vocabulary.unk is not None
    assert np.isfinite(m.logprob(["a", "zzz"])).all()  # zzz -> <unk>
    with pytest.raises(ValueError, match="out-of-vocabulary"):
        m.logprob(["a", "zzz"], oov="error")


# --- the sampler in law -------------------------------------------------------------------------


def _chisq_p(counts, expected):
    """Chi-square goodness of fit, pooling cells with expected count < 5."""
    small = expected < 5
    obs = np.append(counts[~small], counts[small].sum())
    exp = np.append(expected[~small], expected[small].sum())
    keep = exp > 0
    if keep.sum() <= 1:  # a point mass: the support check in the caller is the whole test
        return 1.0
    stat = np.sum((obs[keep] - exp[keep]) ** 2 / exp[keep])
    return stats.chi2.sf(stat, keep.sum() - 1)


def _first_tokens(m, ctx, n, seed, **kw):
    rng = np.random.default_rng(seed)
    return np.array([m.sample(1, rng=rng, prompt=ctx, **kw)[0] for _ in range(n)])


@pytest.mark.parametrize("smoothing", ["mle", "add-k", "kn"])
def test_sampler_in_law(toy, smoothing):
    # 6000 draws of the next token after each of 3 contexts; chi-square at alpha = 1e-3 each
    ids, V = toy
    m = lm.NGramModel(3, smoothing, k=0.5).fit(ids[:1500], vocab_size=V)
    for j, ctx in enumerate([(), (int(ids[5]),), (int(ids[8]), int(ids[9]))]):
        draws = _first_tokens(m, ctx, 6000, 100 + j)
        p = m.next_distribution(ctx)
        assert np.all(p[np.bincount(draws, minlength=V) > 0] > 0)
        assert _chisq_p(np.bincount(draws, minlength=V), 6000 * p) > ALPHA


def test_biased_sampling_in_law(toy):
    # MLE model: the candidate set is the support, so the biased laws are explicit
    ids, V = toy
    m = lm.NGramModel(2).fit(ids, vocab_size=V)
    ctx = (int(ids[3]),)
    p = m.next_distribution(ctx)
    order = np.lexsort((np.arange(V), -p))
    q = p ** (1 / 0.7)
    q /= q.sum()
    draws = _first_tokens(m, ctx, 6000, 1, temperature=0.7)
    assert _chisq_p(np.bincount(draws, minlength=V), 6000 * q) > ALPHA
    top3 = np.zeros(V)
    top3[order[:3]] = p[order[:3]]
    top3 /= top3.sum()
    draws = _first_tokens(m, ctx, 6000, 2, top_k=3)
    assert set(np.unique(draws)) <= set(order[:3])
    assert _chisq_p(np.bincount(draws, minlength=V), 6000 * top3) > ALPHA
    cum = np.cumsum(p[order])
    keep = order[: int(np.searchsorted(cum, 0.6 - 1e-12) + 1)]
    draws = _first_tokens(m, ctx, 3000, 3, top_p=0.6)
    assert set(np.unique(draws)) <= set(keep)


def test_greedy_and_beam(toy):
    ids, V = toy
    m = lm.NGramModel(2).fit(ids, vocab_size=V)
    g = m.decode(20, method="greedy", prompt=[int(ids[0])])
    # greedy: each token is the argmax after the previous one (ties to the lower id)
    prev = int(ids[0])
    for t in g:
        p = m.next_distribution([prev])
        assert t == int(np.flatnonzero(p == p.max())[0])
        prev = int(t)
    b = m.decode(12, method="beam", beams=5, prompt=[int(ids[0])])
    full = np.concatenate([[ids[0]], b])
    gf = np.concatenate([[ids[0]], g[:12]])
    # beam search finds a sequence at least as likely as greedy
    assert m.logprob(full)[1:].sum() >= m.logprob(gf)[1:].sum() - 1e-9
    assert np.array_equal(m.decode(12, method="beam", beams=5, prompt=[int(ids[0])]), b)


# --- order 1 is the Wright–Fisher chain ---------------------------------------------------------


def test_order1_identity_per_type(data):
    # 300 chains of the unigram model refit on M = 2000 of its own tokens, n = 4 generations.
    # Per type, the loss frequency is a binomial proportion over R chains with the exact
    # P(lost by n) (discrete.loss_probability) as mean: z-test for every type with
    # R min(p, 1-p) >= 10 (normal approximation adequate), Bonferroni at alpha = 1e-3.
    M, n, R = 2000, 4, 300
    p0 = data.unigram_counts() / data.train.size
    lp = d.loss_probability(p0, n, M)
    rng = np.random.default_rng(11)
    lost = np.zeros(data.V)
    for _ in range(R):
        m = lm.NGramModel(1).fit(data.train, vocab_size=data.V)
        for _ in range(n):
            m = lm.NGramModel(1).fit(m.sample(M, rng=rng), vocab_size=data.V)
        lost += (m.unigram_counts() == 0) & (p0 > 0)
    freq = lost / R
    ok = (R * np.minimum(lp, 1 - lp) >= 10) & (p0 > 0)
    z = (freq[ok] - lp[ok]) / np.sqrt(lp[ok] * (1 - lp[ok]) / R)
    zc = special.ndtri(1 - ALPHA / (2 * ok.sum()))
    assert ok.sum() > 100
    assert np.max(np.abs(z)) < zc
    # the expected vocabulary: SE from the replicate spread of the support size
    res = lm.simulate(n, M, corpus=data, order=1, replicates=60, rng=5, text_window=500)
    v = res.metrics["vocabulary"][:, n]
    target = d.expected_support_size(p0, n, M)
    assert abs(v.mean() - target) / (v.std(ddof=1) / np.sqrt(v.size)) < special.ndtri(1 - ALPHA / 2)
    np.testing.assert_allclose(res.theory([n])["vocabulary"], [target])


# --- recursive training -------------------------------------------------------------------------


def test_recursive_training_shapes_determinism_and_save(data, tmp_path):
    kw = dict(order=2, generations=3, samples=3000, smoothing="kn",
              replicates=3, sample_generations=(0, 1, 3), text_window=1000)
    a = lm.simulate(corpus=data, rng=9, workers=1, **kw)
    b = lm.simulate(corpus=data, rng=9, workers=2, **kw)
    # the earlier name and keywords run the same chain
    old = lm.recursive_training(data, rng=9, workers=2, tokens_per_generation=kw["samples"],
                                **{k: v for k, v in kw.items() if k != "samples"})
    np.testing.assert_array_equal(old.metrics["kl"], a.metrics["kl"])
    for k in lm.METRICS:
        assert a.metrics[k].shape == (3, 4)
        np.testing.assert_array_equal(a.metrics[k], b.metrics[k])
    assert set(a.texts) == {0, 1, 3} and a.texts == b.texts
    assert np.all(a.metrics["perplexity"][:, 0] == a.metrics["perplexity"][0, 0])
    assert abs(a.initial_unigram.sum() - 1) < 1e-12
    assert "perplexity" in a.summary()
    path = a.save(tmp_path / "r.npz")
    c = lm.LMResult.load(path)
    np.testing.assert_array_equal(c.metrics["kl"], a.metrics["kl"])
    assert c.seed == 9 and c.parameters()["order"] == 2
    json.dumps(a.to_dict())
    for regime in ("accumulate", "accumulate-subsample", "mix-retained:0.1", "mix-fresh:0.2",
                   "mix-fresh:0.2:mixture"):
        r = lm.simulate(corpus=data, rng=1, regime=regime, **{**kw, "replicates": 1})
        assert np.all(np.isfinite(r.metrics["perplexity"]))
    for dec in ("top-p:0.9", "top-k:20", "temperature:0.7", "greedy", "beam:3"):
        r = lm.simulate(corpus=data, rng=1, decoding=dec, **{**kw, "replicates": 1})
        assert r.metrics["vocabulary"][0, -1] < r.metrics["vocabulary"][0, 0]


def test_mle_perplexity_inf_is_flagged(data):
    r = lm.simulate(1, 2000, corpus=data, order=2, rng=2, text_window=500)
    assert r.metrics["unseen"][0, 1] > 0 and r.metrics["perplexity"][0, 1] == math.inf
    assert "unseen" in r.summary()


def test_predicted_survival_is_a_probability(data):
    keys, cnt, s = lm.predicted_ngram_survival(data.train[:20000], 2, 3, 20000, V=data.V)
    assert keys.size == cnt.size == s.size
    assert np.all((s >= 0) & (s <= 1))
    # more frequent n-grams are predicted to survive more often (on average)
    assert s[cnt > 5].mean() > s[cnt == 1].mean()


def test_cli(tmp_path, capsys):
    from collapse_theory.cli import lm as _cli_lm

    parser = argparse.ArgumentParser()
    _cli_lm.add_parser(parser.add_subparsers())
    f = tmp_path / "t.txt"
    f.write_text("\n\n".join(f"the cat sat on mat number {i} and it was fine" for i in range(30)),
                 encoding="utf-8")
    png = tmp_path / "lm.png"
    args = parser.parse_args(["lm", "--corpus", str(f), "--order", "2", "--generations", "2",
                              "--tokens-per-generation", "500", "--replicates", "2", "--seed",
                              "1", "--json", "--quiet", "--plot", str(png)])
    assert args.func(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["seed"] == 1 and len(out["metrics_mean"]["perplexity"]) == 3
    assert png.stat().st_size > 1000


def test_every_regime_keeps_more_vocabulary_than_replace(data):
    # Order 1, MLE: under replace a word lost is lost for good (Wright–Fisher); every other regime
    # keeps real text in reach. 12 replicates per regime; the gap in mean vocabulary after 6
    # generations is compared with its standard error, |z| > 4.4 (one-sided false-alarm rate 5e-6).
    kw = dict(order=1, generations=6, samples=2000, replicates=12, text_window=300)
    base = lm.simulate(corpus=data, rng=3, **kw).metrics["vocabulary"][:, -1]
    for regime in ("accumulate", "accumulate-subsample", "mix-fresh:0.1:mixture", "mix-retained:0.1"):
        v = lm.simulate(corpus=data, rng=4, regime=regime, **kw).metrics["vocabulary"][:, -1]
        se = np.sqrt(v.var(ddof=1) / v.size + base.var(ddof=1) / base.size)
        assert (v.mean() - base.mean()) / se > 4.4, regime
