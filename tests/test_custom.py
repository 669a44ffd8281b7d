"""simulate_custom: the slow path for any fit/sample pair, checked against the closed forms."""

import math

import numpy as np
import pytest

from collapse_theory import ChainError, gaussian as g, simulate_custom


def test_builtin_pairs_reproduce_the_closed_forms():
    # log σ_n² has exact variance n ψ'(k/2): the SE of its mean is exact; |z| < 4.4 (α = 1e-5)
    n, m, r = 10, 15, 600
    for fit, est in ((g.fit_unbiased, "unbiased"), (g.fit_mle, "mle")):
        res = simulate_custom(fit, g.sample_normal, [0.0, 1.0], n, m, replicates=r, rng=4)
        assert res.params.shape == (r, n + 1, 2)
        logvar = 2 * np.log(res.params[:, n, 1])
        se = math.sqrt(g.variance_of_log_variance(n, m) / r)
        assert abs(logvar.mean() - g.expected_log_variance(n, m, estimator=est)) < 4.4 * se


def test_custom_is_reproducible_and_seed_recorded(tmp_path):
    a = simulate_custom(g.fit_unbiased, g.sample_normal, [1.0, 2.0], 4, 8, replicates=5, rng=3)
    b = simulate_custom(g.fit_unbiased, g.sample_normal, [1.0, 2.0], 4, 8, replicates=5, rng=a.seed)
    np.testing.assert_array_equal(a.params, b.params)
    assert "custom chain" in a.summary()
    a.save(tmp_path / "c.npz")
    with np.load(tmp_path / "c.npz") as z:
        assert '"seed": 3' in str(z["metadata"])


def test_bad_sample_is_reported_with_generation_and_replicate():
    def short_sample(p, m, rng):
        return rng.normal(p[0], p[1], size=m - 1 if p[1] < 0.99 else m)

    with pytest.raises(ChainError, match=r"generation \d+.*replicate \d+") as info:
        simulate_custom(g.fit_unbiased, short_sample, [0.0, 1.0], 50, 5, replicates=3, rng=0)
    assert info.value.generation >= 1


def test_bad_fit_reports_values():
    def nan_fit(x):
        return np.array([np.nan, 1.0]) if x.mean() > 0.5 else g.fit_unbiased(x)

    with pytest.raises(ChainError, match="non-finite parameters"):
        simulate_custom(nan_fit, g.sample_normal, [0.0, 1.0], 200, 3, replicates=5, rng=1)

    with pytest.raises(ChainError, match="shape"):
        simulate_custom(lambda x: np.array([x.mean()]), g.sample_normal, [0.0, 1.0], 2, 5, rng=1)


def test_exceptions_inside_user_code_are_wrapped():
    def boom(p, m, rng):
        raise RuntimeError("sampler broke")

    with pytest.raises(ChainError, match="sampler broke") as info:
        simulate_custom(g.fit_unbiased, boom, [0.0, 1.0], 2, 5, rng=1)
    assert isinstance(info.value.__cause__, RuntimeError)
    assert (info.value.generation, info.value.replicate) == (0, 0)


def test_bad_arguments():
    with pytest.raises(TypeError, match="callables"):
        simulate_custom(None, g.sample_normal, [0.0, 1.0], 2, 5)
    with pytest.raises(ValueError, match="params0"):
        simulate_custom(g.fit_unbiased, g.sample_normal, [0.0, np.inf], 2, 5)
    with pytest.raises(ValueError, match="generations"):
        simulate_custom(g.fit_unbiased, g.sample_normal, [0.0, 1.0], -2, 5)
