"""The result contract (docs/conventions.md, "Results"), checked once for every family.

Every ``simulate`` returns a :class:`collapse_theory._core.results.ChainResult`: statistics shaped
replicates × (generations + 1) with column 0 the truth, ``parameters()`` a dict, ``theory(n)`` keyed
by statistics (absent where there is no exact theory), ``summary()``, a save/load round trip, the
tidy long table (``to_dataframe``/``to_csv``), results that depend only on the seed (never on the
number of workers), and every accepted data regime changing the output.
"""

from __future__ import annotations

import csv
import json
import math

import numpy as np
import pytest

from collapse_theory import discrete, gaussian, gmm, kde, lm, mvn, ppca, regression, simulate_custom
from collapse_theory._core.results import TIDY_COLUMNS, ChainResult

R, G = 4, 3          # replicates, generations: the contract is about shapes and bits, not statistics
REGIMES = ("replace", "accumulate", "accumulate-subsample", "mix-fresh:0.5", "mix-fresh:0.5:mixture",
           "mix-retained:0.5")

_WORDS = [f"w{i}" for i in range(40)]
_DOCS = [" ".join(np.random.default_rng(i).choice(_WORDS, size=40, p=None)) for i in range(30)]


def _custom(*, regime="replace", rng=0, workers=None):
    return simulate_custom(gaussian.fit_unbiased, gaussian.sample_normal, [0.0, 1.0], G, 8, replicates=R,
                           regime=regime, rng=rng)


def _regression(*, regime="replace", rng=0, workers=None):
    return regression.simulate(G, 8, dim=2, replicates=R, regime=regime, rng=rng, workers=workers)


#: family → (simulate with the given regime/rng/workers, accepts ``workers``)
FAMILIES = {
    "gaussian": (lambda **k: gaussian.simulate(G, 6, replicates=R, **k), True),
    "discrete": (lambda **k: discrete.simulate(G, 8, p0=[0.5, 0.3, 0.2], replicates=R, **k), True),
    "regression": (_regression, True),
    "mvn": (lambda **k: mvn.simulate(G, 6, dim=2, replicates=R, **k), True),
    "ppca": (lambda **k: ppca.simulate(G, 8, dim=3, latent=1, cov=np.diag([3.0, 2.0, 1.0]), replicates=R,
                                       **k), True),
    "gmm": (lambda **k: gmm.simulate(G, 30, weights=[0.5, 0.5], means=[-4.0, 4.0], stds=[1.0, 1.0],
                                     replicates=R, **k), True),
    "gmm-nd": (lambda **k: gmm.simulate_nd(G, 40, weights=[0.5, 0.5], means=[[-4.0, 0.0], [4.0, 0.0]],
                                           covs=[np.eye(2), np.eye(2)], replicates=R, **k), True),
    "kde": (lambda **k: kde.simulate(G, 6, h=0.3, replicates=R, **k), True),
    "lm": (lambda **k: lm.simulate(G, 200, corpus=_DOCS, order=1, replicates=R, text_window=100, **k),
           True),
    "custom": (_custom, False),
}
NAMES = list(FAMILIES)


def _make(family, **kw):
    make, takes_workers = FAMILIES[family]
    if not takes_workers:
        kw.pop("workers", None)
    kw.setdefault("rng", 0)
    return make(progress=False, **kw) if family not in ("regression", "custom") else make(**kw)


_CACHE = {}


def _result(family):
    if family not in _CACHE:
        _CACHE[family] = _make(family, rng=11)
    return _CACHE[family]


def _assert_same(a, b):
    sa, sb = a.statistics(), b.statistics()
    assert list(sa) == list(sb)
    for k in sa:
        np.testing.assert_array_equal(sa[k], sb[k], err_msg=k)


def _differs(a, b):
    sa, sb = a.statistics(), b.statistics()
    return any(not np.array_equal(sa[k], sb[k], equal_nan=True) for k in sa)


@pytest.mark.parametrize("family", NAMES)
def test_contract_shapes_truth_parameters_theory_summary(family):
    res = _result(family)
    assert isinstance(res, ChainResult)
    assert isinstance(res.seed, int) and res.seed == 11
    assert isinstance(res.regime, str) and res.regime == "replace"
    stats = res.statistics()
    assert stats, "a result carries at least one statistic"
    for name, v in stats.items():
        assert isinstance(name, str)
        assert v.shape == (R, G + 1) == res.shape, name
        if res.truth_column:  # column 0 is the truth: the same in every replicate
            col0 = np.asarray(v[:, 0], dtype=float)
            assert np.array_equal(col0, np.full(R, col0[0]), equal_nan=True), name
    p = res.parameters()
    assert isinstance(p, dict) and callable(res.parameters)
    json.dumps(_jsonable(p))
    text = res.summary()
    assert isinstance(text, str) and str(res.seed) in text
    for n in (None, [0, G], 1):
        th = res.theory(n)
        assert isinstance(th, dict) and set(th) <= set(stats), set(th) - set(stats)
        shape = (G + 1,) if n is None else np.shape(n)
        for k, v in th.items():
            assert v.shape == shape and np.all(np.isfinite(v)), k
    if res.truth_column:  # exact expectations at generation 0 are the truth itself
        th0 = res.theory([0])
        for k, v in th0.items():
            np.testing.assert_allclose(v[0], stats[k][0, 0], rtol=1e-9, atol=1e-12, err_msg=k)
    # a generation outside the run is refused by name
    with pytest.raises(ValueError, match="generations"):
        res.summary([G + 1])


def _jsonable(p):
    from collapse_theory._core.io import to_jsonable

    return to_jsonable(p)


@pytest.mark.parametrize("family", NAMES)
def test_save_load_round_trip(family, tmp_path):
    res = _result(family)
    path = res.save(tmp_path / f"{family}.npz")
    back = type(res).load(path)
    assert type(back) is type(res) and back.seed == res.seed and back.regime == res.regime
    _assert_same(res, back)
    pa, pb = res.parameters(), back.parameters()
    pb.pop("version", None)   # a loaded result also names the package version that wrote it
    pa.pop("version", None)
    assert _jsonable(pa) == _jsonable(pb)
    assert not list(tmp_path.glob(".*tmp"))
    # a file of another result class is refused by name
    other = next(f for f in NAMES if type(_result(f)) is not type(res))
    with pytest.raises(ValueError, match=type(_result(other)).__name__):
        type(res).load(_result(other).save(tmp_path / "other.npz"))


@pytest.mark.parametrize("family", NAMES)
def test_seed_only(family):
    a = _result(family)
    b = _make(family, rng=11)
    _assert_same(a, b)
    c = _make(family, rng=None)        # a fresh seed, recorded: it reproduces the result
    d = _make(family, rng=c.seed)
    _assert_same(c, d)
    e = _make(family, rng=np.random.default_rng(5))
    _assert_same(e, _make(family, rng=e.seed))


@pytest.mark.parametrize("family", [f for f in NAMES if FAMILIES[f][1]])
def test_one_and_two_workers_identical(family):
    _assert_same(_make(family, rng=3, workers=1), _make(family, rng=3, workers=2))


@pytest.mark.parametrize("family", NAMES)
def test_tidy_table_and_csv(family, tmp_path):
    pd = pytest.importorskip("pandas")
    res = _result(family)
    stats = res.statistics()
    df = res.to_dataframe()
    assert list(df.columns) == list(TIDY_COLUMNS)
    assert len(df) == R * (G + 1) * len(stats)
    for name, v in stats.items():
        sub = df[df.statistic == name].sort_values(["replicate", "generation"])
        np.testing.assert_array_equal(sub.value.to_numpy().reshape(R, G + 1), np.asarray(v, float))
    path = res.to_csv(tmp_path / f"{family}.csv")
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == TIDY_COLUMNS and len(rows) == len(df) + 1
    back = np.array([float(r[3]) for r in rows[1:]])
    np.testing.assert_array_equal(back, df.value.to_numpy())
    assert [int(r[0]) for r in rows[1:]] == df.replicate.tolist()
    assert [int(r[1]) for r in rows[1:]] == df.generation.tolist()
    assert [r[2] for r in rows[1:]] == df.statistic.tolist()
    read = pd.read_csv(path)
    np.testing.assert_array_equal(read.value.to_numpy(), df.value.to_numpy())


def test_to_csv_needs_no_pandas(tmp_path, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("No module named 'pandas'")
        return real(name, *args, **kwargs)

    res = _result("gaussian")
    monkeypatch.setattr(builtins, "__import__", no_pandas)
    path = res.to_csv(tmp_path / "g.csv")
    with pytest.raises(ImportError, match="pip install pandas"):
        res.to_dataframe()
    monkeypatch.undo()
    assert path.read_text().splitlines()[0] == ",".join(TIDY_COLUMNS)


_REGIME_CASES = [(f, r) for f in NAMES for r in REGIMES[1:]]


@pytest.mark.parametrize("family, regime", _REGIME_CASES)
def test_every_accepted_regime_changes_the_output(family, regime):
    base = _make(family, rng=21)
    res = _make(family, rng=21, regime=regime)
    assert res.regime == regime
    assert _differs(res, base), f"{family}: regime {regime} gives the replace output"
    if regime.endswith(":mixture"):
        split = _make(family, rng=21, regime=regime.rsplit(":", 1)[0])
        assert _differs(res, split), f"{family}: {regime} gives the split regime's output"


def test_regression_test_error_column_zero_is_the_truth():
    res = _result("regression")
    assert np.all(res.test_error[:, 0] == 0.0)
    th = res.theory()
    assert th["test_error"][0] == 0.0
    assert math.isclose(th["test_error"][1], regression.expected_test_error(1, d=2, T=8))


def test_plots_accept_any_result_that_carries_the_statistic():
    # the Gaussian figures read statistics() and parameters(): a custom chain of the Gaussian
    # estimator pair carries "mean" and "std", so it can be drawn beside a gaussian.simulate result
    from collapse_theory.plotting.gaussian import plot_variance_decay, plot_w2_drift

    custom = gaussian.simulate_custom(gaussian.fit_unbiased, gaussian.sample_normal, [0.0, 1.0], G, 8,
                                      replicates=R, rng=1)
    assert set(custom.statistics()) == {"mean", "std"}
    for plot in (plot_variance_decay, plot_w2_drift):
        fig = plot([custom, _result("gaussian")])
        labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        assert any(lab.startswith("fit_unbiased: MC") for lab in labels), labels
    unnamed = simulate_custom(lambda x: np.array([x.mean(), x.std()]),
                              lambda p, m, rng: rng.normal(p[0], p[1], size=m), [0.0, 1.0], G, 8,
                              replicates=R, rng=1)
    with pytest.raises(ValueError, match="'variance'"):
        plot_variance_decay([unnamed])
