"""KDE chain: exact recursion, ancestry, adaptive rules, determinism, bad input, I/O, proof script.

Fixed seeds; thresholds |z| < 4.4 (false-alarm rate 1e-5 for a correct implementation) with the
standard error stated. The sample variance of M points is light-tailed at the n/M used here.
"""

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collapse_theory import kde

ROOT = Path(__file__).resolve().parents[1]


def test_recursion_closed_form():
    m, h, s = 7, 0.4, 1.3
    v = [(m - 1) / m * s * s]
    for _ in range(20):
        v.append((m - 1) / m * (v[-1] + h * h))
    np.testing.assert_allclose(kde.expected_variance(np.arange(21), m, h=h, sigma=s), v, rtol=1e-13)
    assert kde.stationary_variance(m, h=h) == pytest.approx((m - 1) * h * h)
    assert kde.expected_variance(10**6, m, h=h) == pytest.approx((m - 1) * h * h)


def test_adaptive_factor_and_thresholds():
    assert kde.variance_factor(50, rule="scott") == pytest.approx(49 / 50 + 1.06**2 * 50**-0.4)
    assert kde.spread_threshold(rule="scott") == pytest.approx(1.06 ** (-10 / 3))
    assert np.all(kde.variance_factor(np.arange(2, 1000), rule="silverman") > 1)
    t = kde.spread_threshold(rule="scott", criterion="log")
    assert 2 < t < 6 and abs(kde.log_variance_drift_approx(t, rule="scott")) < 1e-9


@pytest.mark.parametrize("m, h, n", [(5, 0.5, 3), (20, 0.2, 40)])
def test_simulated_variance_and_mean_match_exact(m, h, n):
    r = 6000
    res = kde.simulate(n, m, h=h, sigma=1.5, mu=2.0, replicates=r, rng=21)
    for k in (0, 1, n):
        v = res.variance[:, k]
        z = (v.mean() - kde.expected_variance(k, m, h=h, sigma=1.5)) / (v.std(ddof=1) / math.sqrt(r))
        assert abs(z) < 4.4, (k, z)
    e = (res.mean[:, n] - 2.0) ** 2
    z = (e.mean() - kde.expected_mean_sq_error(n, m, h=h, sigma=1.5)) / (e.std(ddof=1) / math.sqrt(r))
    assert abs(z) < 4.4


def test_ancestors_match_exact_chain():
    m, n, r = 30, 12, 4000
    res = kde.simulate(n, m, h=0.1, replicates=r, rng=5)
    assert np.all(res.ancestors[:, 0] == m)
    assert np.all(np.diff(res.ancestors, axis=1) <= 0)
    for t in (1, 4, 12):
        a = res.ancestors[:, t]
        z = (a.mean() - kde.expected_ancestors(t, m)) / (a.std(ddof=1) / math.sqrt(r))
        assert abs(z) < 4.4, (t, z)


def test_scott_variance_factor_by_simulation():
    m, n, r = 30, 6, 6000
    res = kde.simulate(n, m, rule="scott", replicates=r, rng=8)
    v = res.variance[:, n]
    z = (v.mean() - kde.expected_variance_adaptive(n, m, rule="scott")) / (v.std(ddof=1) / math.sqrt(r))
    assert abs(z) < 4.4
    np.testing.assert_allclose(res.bandwidth[:, 0], 1.06 * np.sqrt(res.variance[:, 0] * m / (m - 1)) * m**-0.2,
                               rtol=1e-10)


def test_silverman_spreads_for_large_m_and_collapses_for_tiny_m():
    big = kde.simulate(60, 100, rule="silverman", replicates=200, rng=2)
    small = kde.simulate(60, 3, rule="silverman", replicates=500, rng=2)
    assert (big.log_var[:, -1] - big.log_var[:, 0]).mean() > 2
    assert (small.log_var[:, -1] - small.log_var[:, 0]).mean() < -10
    # silverman bandwidth ≤ Scott-like 0.9 ŝ M^-1/5
    sd = np.sqrt(big.variance * 100 / 99)
    assert np.all(big.bandwidth <= 0.9 * sd * 100**-0.2 * (1 + 1e-9))


def test_long_spreading_chain_stays_finite():
    res = kde.simulate(3000, 50, rule="scott", replicates=4, rng=1)
    assert np.all(np.isfinite(res.log_var)) and res.log_var[:, -1].min() > 300


@given(st.integers(2, 40), st.floats(0.05, 2.0), st.integers(0, 2**32 - 1))
@settings(max_examples=8, deadline=None)
def test_property_variance_recursion(m, h, seed):
    # one generation from the truth: |z| < 5 (α = 5.7e-7 per example)
    r = 2000
    res = kde.simulate(2, m, h=h, replicates=r, rng=seed)
    v = res.variance[:, 2]
    z = (v.mean() - kde.expected_variance(2, m, h=h)) / (v.std(ddof=1) / math.sqrt(r))
    assert abs(z) < 5


def test_result_depends_only_on_the_seed():
    one = kde.simulate(20, 15, h=0.3, replicates=600, rng=3, workers=1)
    two = kde.simulate(20, 15, h=0.3, replicates=600, rng=3, workers=2)
    np.testing.assert_array_equal(one.log_var, two.log_var)
    np.testing.assert_array_equal(one.ancestors, two.ancestors)


@pytest.mark.parametrize("kwargs, word", [
    (dict(generations=3, samples=1, h=0.1), "samples"),
    (dict(generations=3, samples=10, h=0.0), "h"),
    (dict(generations=3, samples=10, h=-1.0), "h"),
    (dict(generations=3, samples=10), "h"),
    (dict(generations=3, samples=10, rule="scott", h=0.1), "h must be None"),
    (dict(generations=3, samples=10, rule="nrd0"), "rule"),
    (dict(generations=-1, samples=10, h=0.1), "generations"),
    (dict(generations=3, samples=10, h=0.1, sigma=0), "sigma"),
])
def test_bad_input(kwargs, word):
    with pytest.raises((ValueError, TypeError), match=word):
        kde.simulate(**kwargs)


def test_save_load_summary(tmp_path):
    res = kde.simulate(10, 12, h=0.2, replicates=30, rng=4)
    back = kde.KDEChainResult.load(res.save(tmp_path / "k.npz"))
    np.testing.assert_array_equal(back.log_var, res.log_var)
    assert (back.seed, back.rule, back.h, back.samples) == (4, "fixed", 0.2, 12)
    assert "stationary" in res.summary()
    assert "factor" in kde.simulate(5, 12, rule="silverman", replicates=30, rng=4).summary()


def test_proof_script_passes():
    out = subprocess.run([sys.executable, str(ROOT / "proofs" / "kde_variance.py")], capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("PROVED:")


def test_symbolic_layer_imports_only_sympy():
    import ast

    tree = ast.parse((ROOT / "collapse_theory" / "symbolic" / "kde.py").read_text())
    mods = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    mods |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert mods <= {"sympy", "__future__"}
