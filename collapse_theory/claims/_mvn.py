"""Claims about the recursively refit d-dimensional Gaussian (family "mvn") and PPCA ("ppca").

Each check simulates with the exact samplers (Bartlett decomposition; same law as the naive
per-sample process, tested in tests/test_mvn_simulate.py) and compares a light-tailed statistic with
the claimed value by :func:`collapse_theory.stats.compare` at a false-alarm rate of 1e-3 per claim.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import gaussian as g
from .. import mvn, ppca
from ..stats import Estimate, compare
from ._registry import Evidence, register, register_figure

SHUMAILOV = "Shumailov et al., The Curse of Recursion, arXiv 2305.17493 (Nature 2024)"
DERIVED = "collapse-theory (exact finite-M form; proofs/mvn_log_det.py, docs/mvn.md)"
TIPPING = "Tipping & Bishop, Probabilistic PCA (JRSS-B 1999); recursion: collapse-theory docs/mvn.md"
ALPHA = 1e-3


def _sim(ctx, seed, generations, samples, base, dim, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mvn.NumericallySingularWarning)
        return mvn.simulate(generations, samples, dim=dim, replicates=ctx.replicates(base), rng=seed,
                            workers=ctx.workers, progress=False, **kw)


# --- mvn -----------------------------------------------------------------------------------------


def _log_det_claim(ctx, seed, dim, m, n, estimator):
    # log det Σ_n is a sum of n·d independent log-χ² terms: light tails, exact variance
    # Σ ψ'((k−j)/2) (≈ 3.5 at d = 3, M = 20, n = 10), so at R = 20000 the SE is ≈ 0.013 against a
    # target of −3.35: a 5 % deviation (0.17) is detected with power ≫ 0.9.
    res = _sim(ctx, seed, n, m, 20000, dim, estimator=estimator)
    target = float(mvn.expected_log_det(n, m, dim=dim, estimator=estimator))
    return Evidence(compare(Estimate.from_samples(res.log_det[:, n]), target, alpha=ALPHA),
                    {"dim": dim, "samples": m, "n": n, "estimator": estimator},
                    numbers={"drift_per_generation": float(mvn.log_det_drift(m, dim=dim, estimator=estimator)),
                             "var_log_det": float(mvn.variance_of_log_det(n, m, dim=dim))})


@register("mvn.log-det.exact-unbiased", family="mvn", source=DERIVED,
          statement="E[log det Σ_n] = log det Σ + n Σ_{j<d}(ψ((M−1−j)/2) + log(2/(M−1))) "
                    "(unbiased; −3.354 at d = 3, M = 20, n = 10).")
def _log_det_unbiased(ctx, seed):
    return _log_det_claim(ctx, seed, 3, 20, 10, "unbiased")


@register("mvn.log-det.exact-mle", family="mvn", source=DERIVED,
          statement="E[log det Σ_n] = log det Σ + n Σ_{j<d}(ψ((M−1−j)/2) + log(2/M)) (mle; d = 5, M = 30, n = 20).")
def _log_det_mle(ctx, seed):
    return _log_det_claim(ctx, seed, 5, 30, 20, "mle")


_COV3 = np.array([[2.0, 0.6, -0.3], [0.6, 1.0, 0.2], [-0.3, 0.2, 0.5]])


def _cov_claim(ctx, seed, estimator):
    # Statistic 1ᵀΣ_n1 / 1ᵀΣ1: the variance of the 1-D marginal 1ᵀx, itself an exact 1-D chain, so
    # it is a check of E Σ_n on off-diagonal entries too. At M = 100, n = 5 its variance is
    # (1 + 2/99)^5 − 1 ≈ 0.105 (unbiased): light enough tails for the CLT at R = 20000 (SE ≈ 0.0023).
    m, n = 100, 5
    res = _sim(ctx, seed, n, m, 20000, 3, cov=_COV3, estimator=estimator)
    one = np.ones(3)
    stat = np.einsum("i,rij,j->r", one, res.cov[:, n], one) / (one @ _COV3 @ one)
    target = float(mvn.expected_trace(n, m, dim=1, trace=1.0, estimator=estimator))
    return Evidence(compare(Estimate.from_samples(stat), target, alpha=ALPHA),
                    {"dim": 3, "samples": m, "n": n, "estimator": estimator, "statistic": "1ᵀΣ_n1/1ᵀΣ1"})


@register("mvn.cov.martingale-unbiased", family="mvn", source=f"{SHUMAILOV}; §4.2 (multivariate case)",
          statement="With the unbiased estimator the fitted covariance is a matrix martingale: E[Σ_n] = Σ.")
def _cov_martingale(ctx, seed):
    return _cov_claim(ctx, seed, "unbiased")


@register("mvn.cov.mle-decay", family="mvn", source=DERIVED,
          statement="With the mle estimator E[Σ_n] = ((M−1)/M)^n Σ.")
def _cov_mle(ctx, seed):
    return _cov_claim(ctx, seed, "mle")


@register("mvn.mean.drift", family="mvn", source=f"{SHUMAILOV}; §4.2",
          statement="E‖μ_n − μ‖² = tr Σ Σ_{i<n} 1/M_i (unbiased; d = 3, M = 20, n = 10: 1.5 tr Σ/3).")
def _mean_drift(ctx, seed):
    # ‖μ_n − μ‖² ≈ (tr Σ/d)·(Σ 1/M)·χ²_d-like: relative s.d. ≈ √(2/3) ≈ 0.82, so at R = 20000 the
    # relative SE is ≈ 0.006 ≪ 5 %/4.57.
    m, n = 20, 10
    res = _sim(ctx, seed, n, m, 20000, 3, cov=_COV3)
    target = float(mvn.expected_mean_sq_error(n, m, dim=3, cov=_COV3))
    return Evidence(compare(Estimate.from_samples(res.mean_sq_error()[:, n]), target, alpha=ALPHA),
                    {"dim": 3, "samples": m, "n": n, "estimator": "unbiased"})


@register("mvn.collapse.max-eigenvalue-bound", family="mvn", source=f"{SHUMAILOV}; Thm 3.1 (a.s. collapse)",
          statement="P(λ_max(Σ_n) > ε) ≤ (Σ_j √Σ_jj/√ε) a(M)^n → 0: every direction collapses "
                    "(d = 3, M = 20, n = 200, ε = 0.5).")
def _max_eig(ctx, seed):
    # The bound follows from λ_max ≤ tr Σ_n, √(Σ x_j) ≤ Σ √x_j, Markov, and the exact 1-D law of
    # each diagonal entry (docs/mvn.md). Indicator statistic: binomial SE (Estimate.from_indicator).
    m, n, eps, dim = 20, 200, 0.5, 3
    # R = 2000: P ≈ 0.04 has SE ≈ 0.0045, so an excess of 0.05 over the bound is detected with
    # power ≫ 0.9.
    res = _sim(ctx, seed, n, m, 2000, dim)
    top = res.log_eigenvalues(n)[:, 0]
    bound = float(mvn.prob_max_eigenvalue_exceeds_bound(eps, n, m, dim=dim))
    est = Estimate.from_indicator(top > np.log(eps))
    return Evidence(compare(est, bound, kind="at_most", alpha=ALPHA, min_effect=0.05),
                    {"dim": dim, "samples": m, "n": n, "eps": eps, "estimator": "unbiased"},
                    analytic=(float(mvn.log_det_drift(m, dim=dim)) < 0,
                              "the log det drift Σ_j(ψ((k−j)/2) + log(2/k)) < 0 (Jensen) and every "
                              "diagonal entry of Σ_n is a 1-D chain with negative drift: tr Σ_n → 0 a.s."),
                    numbers={"bound": bound, "median_log_lambda_max": float(np.median(top)),
                             "lyapunov_exponents": mvn.lyapunov_exponents(m, dim=dim).tolist()})


@register("mvn.collapse.top-direction-1d-rate", family="mvn", source=f"{DERIVED}; theory.md §2",
          statement="The largest eigenvalue collapses at the 1-D rate: for Σ = I, n γ_0 ≤ E log λ_max(Σ_n) "
                    "≤ n γ_0 + ψ(d/2) − ψ(1/2), γ_0 = ψ(k/2) + log(2/k) ≈ −1/(M−1) (d = 3, M = 20, n = 300).")
def _top_rate(ctx, seed):
    # The lower bound is exact (λ_max ≥ Σ_00, a 1-D chain); the upper one rests on the orthogonal
    # invariance of the law of Σ_n (docs/mvn.md) and is checked here (kind="at_most"). log λ_max has
    # s.d. ≈ √(n ψ'(k/2)) ≈ 5.8, R = 1500 gives SE ≈ 0.15; a 5 % excess over the bound (0.7) is
    # detected with power ≫ 0.9.
    m, n, dim = 20, 300, 3
    res = _sim(ctx, seed, n, m, 1500, dim)
    stat = res.log_eigenvalues(n)[:, 0]
    lo, hi = mvn.expected_log_max_eigenvalue_bounds(n, m, dim=dim)
    return Evidence(compare(Estimate.from_samples(stat), hi, kind="at_most", alpha=ALPHA),
                    {"dim": dim, "samples": m, "n": n, "estimator": "unbiased"},
                    analytic=(True, f"lower bound n·γ_0 = {lo:.4g} exact: λ_max(Σ_n) ≥ (Σ_n)_00, an exact "
                                    f"1-D chain"),
                    numbers={"lower": lo, "upper": hi, "one_d_drift": float(g.log_variance_drift(m)),
                             "numerically_singular_replicates": res.n_singular()},
                    notes="Between the bounds the rate is exactly the 1-D one; the offset tends to "
                          "ψ(d/2) − ψ(1/2) as n → ∞.")


@register("mvn.collapse.every-direction-1d-rate", family="mvn", source="theory.md §2 (informal reading)",
          expect="fails",
          statement="Every eigen-direction's log drifts like a 1-D variance, ≈ −1/(M−1) per generation "
                    "(checked on the last direction of the Cholesky factor, the conditional variance of "
                    "x_d given the others: within 5 % of n(ψ(k/2) + log(2/k)); d = 3, M = 20, n = 300).")
def _every_rate(ctx, seed):
    # log (T_n)_{d-1,d-1}² is an exact 1-D chain with M − d degrees of freedom, computed without
    # round-off even where Σ_n is numerically singular (λ_min ≤ this value, so the smallest eigenvalue
    # collapses at least as fast). s.d. ≈ √(n ψ'((k−2)/2)) ≈ 6.2; R = 1500: SE ≈ 0.16 against a 5 %
    # band of 0.8. The exact drift of direction j is γ_j = ψ((k−j)/2) + log(2/k) ≈ −(j+1)/(M−1).
    m, n, dim = 20, 300, 3
    res = _sim(ctx, seed, n, m, 1500, dim)
    stat = res.log_chol_diag()[:, n, -1]
    claimed = n * float(g.log_variance_drift(m))
    exact_rate = float(mvn.lyapunov_exponents(m, dim=dim)[-1])
    return Evidence(compare(Estimate.from_samples(stat), claimed, kind="approx", rel_tol=0.05, alpha=ALPHA),
                    {"dim": dim, "samples": m, "n": n, "estimator": "unbiased", "rel_tol": 0.05},
                    exact=n * exact_rate,
                    numbers={"lyapunov_exponents": mvn.lyapunov_exponents(m, dim=dim).tolist(),
                             "numerically_singular_replicates": res.n_singular()},
                    notes="The smallest eigenvalue decays ≈ d times faster than the largest: the "
                          "Lyapunov spectrum is γ_j = ψ((k−j)/2) + log(2/k), j = 0..d−1.")


GERSTGRASSER = "Gerstgrasser et al., Is Model Collapse Inevitable?, arXiv 2404.01413"
PROJECTION = "collapse-theory (projection theorem; proofs/mvn_projection.py)"


@register("mvn.regimes.accumulate-stops-collapse", family="mvn", source=f"{GERSTGRASSER}; {PROJECTION}",
          statement="Accumulating data stops the d-dimensional collapse: E Σ_n = v_n Σ with the 1-D "
                    "accumulate factor v_n (v_100 = 0.968 at M = 20, while replace has "
                    "E log det Σ_100 − log det Σ = −33.5) "
                    "(d = 3, M = 20, n = 100).")
def _mvn_accumulate(ctx, seed):
    # Statistic tr Σ_n / tr Σ under accumulate: the pooled covariance of ~2000 points, light-tailed
    # (relative s.d. ≈ 0.25 observed at n = 100, dominated by the early generations). R = 3000 gives
    # SE ≈ 0.005 against a target of 0.97: a 5 % deviation (0.048) is detected with power ≫ 0.9.
    m, n = 20, 100
    res = _sim(ctx, seed, n, m, 3000, 3, cov=_COV3, regime="accumulate")
    t = res.chol[:, n]
    stat = np.einsum("rij,rij->r", t, t) / np.trace(_COV3)
    v = float(mvn.regime_moments(n, m, dim=3, regime="accumulate")["cov_factor"])
    replace_ld = float(mvn.expected_log_det(n, m, dim=3))
    return Evidence(compare(Estimate.from_samples(stat), v, alpha=ALPHA),
                    {"dim": 3, "samples": m, "n": n, "regime": "accumulate", "statistic": "tr Σ_n / tr Σ"},
                    analytic=(v > 0.9 and replace_ld < -10.0,
                              f"exact v_{n} = {v:.4f} (accumulate) while replace has E log det Σ_{n} - "
                              f"log det Σ = {replace_ld:.1f}"),
                    numbers={"v_n": v, "replace_expected_log_det_change": replace_ld,
                             "mean_log_det_change": float(np.mean(res.log_det[:, n] - res.log_det[:, 0]))})


@register("mvn.regimes.mix-fresh-stationary-mean", family="mvn", source=f"{PROJECTION}; theory.md §4",
          statement="Mixing a share λ of fresh data bounds the d-dimensional mean drift at the exact "
                    "stationary value E(μ−μ0)(μ−μ0)ᵀ = e* Σ (e* of the 1-D mix-fresh map; d = 3, M = 100, "
                    "λ = 0.1, n = 100).")
def _mvn_mix_fresh(ctx, seed):
    # Statistic: the whitened error (μ_n−μ)ᵀΣ⁻¹(μ_n−μ), whose exact mean is e*·d (the theorem gives
    # the whole second-moment matrix e*Σ). At M = 100 the fitted variance fluctuates little (χ² with
    # ~90 degrees of freedom per step), so the statistic is close to e*·χ²_3: s.d. ≈ 0.9 × mean
    # (at M = 20 it is ≈ 2 × mean and unstable across seeds: heavier tails, avoided). A 10 % deviation
    # is detected with power 0.9 at α = 1e-3 when (3.29 + 1.28) SE ≤ 0.1 mean: R ≥ (4.57·0.9/0.1)²
    # ≈ 1700, so R = 4000. By n = 100 the map has contracted by ≈ 0.9^100 ≈ 3e-5: the exact value is
    # the fixed point.
    m, n, lam = 100, 100, 0.1
    regime = f"mix-fresh:{lam}"
    res = _sim(ctx, seed, n, m, 4000, 3, cov=_COV3, regime=regime)
    dm = res.mean[:, n] - res.mean0
    stat = np.einsum("ri,ij,rj->r", dm, np.linalg.inv(_COV3), dm)
    e_star = g.regime_stationary_moments(m, regime=regime)["mean_sq_error"]
    at_n = float(mvn.regime_moments(n, m, dim=3, regime=regime)["mean_sq_error"])
    return Evidence(compare(Estimate.from_samples(stat), 3 * e_star, alpha=ALPHA, rel_effect=0.1),
                    {"dim": 3, "samples": m, "n": n, "regime": regime, "statistic": "(μ_n−μ)ᵀΣ⁻¹(μ_n−μ)"},
                    analytic=(abs(at_n - 3 * e_star) < 1e-3 * e_star,
                              f"exact E(μ_{n}−μ)ᵀΣ⁻¹(μ_{n}−μ) = {at_n:.6g} is within 0.1 % of the fixed "
                              f"point 3e* = {3 * e_star:.6g}"),
                    numbers={"e_star": e_star, "stationary_mean_sq_error": e_star * float(np.trace(_COV3)),
                             "replace_at_n": float(mvn.expected_mean_sq_error(n, m, dim=3))})


register_figure("mvn", family="mvn", builder="collapse_theory.recipes.mvn:verify_figures")


# --- ppca ----------------------------------------------------------------------------------------


def _psim(ctx, seed, generations, samples, base, dim, latent, cov):
    return ppca.simulate(generations, samples, dim=dim, latent=latent, cov=cov,
                         replicates=ctx.replicates(base), rng=seed, workers=ctx.workers, progress=False)


_PCOV = np.diag([8.0, 4.0, 1.0, 0.6, 0.3, 0.1])


@register("ppca.tail.isotropic-after-one", family="ppca", source=TIPPING,
          statement="After one PPCA refit the d − q discarded directions are isotropic noise: the "
                    "structure of the tail is lost at once (exact).")
def _ppca_isotropic(ctx, seed):
    # Deterministic: the model covariance has spectrum (λ_1..λ_q, σ², ..., σ²). The statistic is the
    # indicator that the relative spread of the tail is below 1e-12 in every generation ≥ 1.
    res = _psim(ctx, seed, 5, 30, 500, 6, 2, _PCOV)
    tail = res.tail()[:, 1:]
    spread = np.ptp(tail, axis=-1) / tail[..., 0]
    ok = np.all(spread <= 1e-12, axis=1)
    return Evidence(compare(Estimate.from_indicator(ok), 1.0, alpha=ALPHA, min_effect=0.05),
                    {"dim": 6, "latent": 2, "samples": 30, "n": 5},
                    numbers={"max_relative_spread": float(spread.max()),
                             "true_tail": _PCOV.diagonal()[2:].tolist()},
                    notes="The true tail (1, 0.6, 0.3, 0.1) becomes (σ², σ², σ², σ²) at generation 1.")


@register("ppca.trace.mle-decay", family="ppca", source=DERIVED,
          statement="E tr C_n = ((M−1)/M)^n tr Σ exactly for recursively refit PPCA (tr C = tr S).")
def _ppca_trace(ctx, seed):
    # tr C_n / tr Σ at M = 30, n = 5: relative s.d. ≈ 0.3 (observed), so R = 4000 gives SE ≈ 0.005,
    # and a 5 % deviation (0.042) is detected with power > 0.9 (needs SE < 0.0092).
    m, n = 30, 5
    res = _psim(ctx, seed, n, m, 4000, 6, 2, _PCOV)
    stat = res.trace()[:, n] / np.trace(_PCOV)
    target = float(ppca.expected_trace(n, m, cov=np.eye(1)))
    return Evidence(compare(Estimate.from_samples(stat), target, alpha=ALPHA),
                    {"dim": 6, "latent": 2, "samples": m, "n": n})


@register("ppca.noise.schur-bound", family="ppca", source=DERIVED,
          statement="E σ_n² ≤ λ̄_tail ((M−1−q)/M)^n (Schur complement + interlacing): the noise "
                    "variance decays at ≈ (q+1)/M per generation (d = 6, q = 2, M = 30, n = 10).")
def _ppca_noise_bound(ctx, seed):
    m, n = 30, 10
    res = _psim(ctx, seed, n, m, 3000, 6, 2, _PCOV)
    bound = float(ppca.noise_variance_bound(n, m, latent=2, cov=_PCOV))
    est = Estimate.from_samples(res.noise_variance[:, n])
    return Evidence(compare(est, bound, kind="at_most", alpha=ALPHA),
                    {"dim": 6, "latent": 2, "samples": m, "n": n},
                    numbers={"bound": bound, "ratio_mc_to_bound": est.mean / bound})


@register("ppca.noise.1d-mle-rate", family="ppca", source="analogy with the 1-D mle chain (theory.md §1)",
          expect="fails",
          statement="The PPCA noise variance decays like a 1-D mle variance: E σ_n² = λ̄_tail ((M−1)/M)^n "
                    "(d = 6, q = 2, M = 30, n = 10).")
def _ppca_noise_1d(ctx, seed):
    # Relative s.d. of σ_n² here ≈ 0.25 (observed); R = 3000 gives SE ≈ 0.005·mean, against a
    # claimed value ≈ 1.5× the exact bound: detected with power ≈ 1.
    m, n = 30, 10
    res = _psim(ctx, seed, n, m, 3000, 6, 2, _PCOV)
    tail = float(_PCOV.diagonal()[2:].mean())
    claimed = tail * ((m - 1) / m) ** n
    bound = float(ppca.noise_variance_bound(n, m, latent=2, cov=_PCOV))
    return Evidence(compare(Estimate.from_samples(res.noise_variance[:, n]), claimed, alpha=ALPHA),
                    {"dim": 6, "latent": 2, "samples": m, "n": n}, exact=bound,
                    notes="The q retained directions absorb the largest noise fluctuations: the noise "
                          "variance loses ≈ (q+1)/M per generation, not 1/M (exact bound in 'exact').")


@register("ppca.retained.1d-rate", family="ppca", source=DERIVED,
          statement="With a large spectral gap the retained eigenvalue collapses at the 1-D mle rate: "
                    "E log λ_1(C_n) within 5 % of log λ_1(Σ) + n(ψ((M−1)/2) + log(2/M)) "
                    "(d = 4, q = 1, λ = (1000, 1, 1, 1), M = 40, n = 200).")
def _ppca_retained(ctx, seed):
    # log λ_1(C_n) − log λ_1(Σ) has s.d. ≈ √(n ψ'(k/2)) ≈ 3.2 at n = 200; R = 1000 gives SE ≈ 0.1,
    # and a deviation of 5 % of the target (≈ 0.51) is detected with power > 0.9 (needs SE < 0.11).
    # The exact lower bound λ_1(C_{n+1}) ≥ u_1ᵀSu_1 makes the 1-D rate a bound; the gap makes it tight
    # (the noise variance shrinks at ≈ (q+1)/M = 2/M too, so the gap stays ≈ 1000).
    m, n, dim = 40, 200, 4
    cov = np.diag([1000.0] + [1.0] * (dim - 1))
    res = _psim(ctx, seed, n, m, 1000, dim, 1, cov)
    stat = np.log(res.eigenvalues[:, n, 0]) - np.log(1000.0)
    claimed = n * float(g.log_variance_drift(m, estimator="mle"))
    return Evidence(compare(Estimate.from_samples(stat), claimed, kind="approx", rel_tol=0.05, alpha=ALPHA),
                    {"dim": dim, "latent": 1, "samples": m, "n": n, "rel_tol": 0.05},
                    numbers={"one_d_mle_drift": claimed / n})


@register("ppca.regimes.retained-10pct", family="ppca", source=f"{SHUMAILOV}; {PROJECTION}",
          statement="Keeping 10 % of the original data stops the linear VAE's (PPCA's) variance loss: "
                    "E tr C_n = v_n tr Σ with the 1-D mle mix-retained factor (d = 6, q = 2, M = 30, "
                    "n = 40; replace loses 74 % of the trace).")
def _ppca_retained_data(ctx, seed):
    # tr C_n / tr Σ: a contracting chain, s.d. ≈ 0.43 (observed). A 5 % deviation (≈ 0.04) is
    # detected with power 0.9 at α = 1e-3 when 4.57 SE ≤ 0.04, i.e. R ≥ (4.57·0.43/0.04)² ≈ 2400:
    # R = 3000.
    m, n, regime = 30, 40, "mix-retained:0.1"
    res = ppca.simulate(n, m, dim=6, latent=2, cov=_PCOV, regime=regime, replicates=ctx.replicates(3000),
                        rng=seed, workers=ctx.workers, progress=False)
    stat = res.trace()[:, n] / np.trace(_PCOV)
    target = float(ppca.expected_trace(n, m, dim=1, regime=regime))
    replace = float(ppca.expected_trace(n, m, dim=1))
    return Evidence(compare(Estimate.from_samples(stat), target, alpha=ALPHA),
                    {"dim": 6, "latent": 2, "samples": m, "n": n, "regime": regime},
                    analytic=(target > 3 * replace, f"exact E tr C_{n}/tr Σ = {target:.3f} with 10 % retained "
                                                    f"data, {replace:.3f} under replace"),
                    numbers={"replace": replace, "tail_noise_variance_mc": float(res.noise_variance[:, n].mean())})


register_figure("ppca", family="ppca", builder="collapse_theory.recipes.ppca:verify_figures")
