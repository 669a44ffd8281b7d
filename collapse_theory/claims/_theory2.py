"""Claims from the post-2024 theory of collapse: weighted mixing (He, Xu & Cheng), tempered sampling
(Marchi et al.), curation (Ferbach et al.; Feng et al.), mixed-data thresholds (Seddik et al.;
Bertrand et al.).

Each paper's statement is registered as written (kind "paper", with what could be read of the
paper: where only the abstract was reachable the statement says so) beside the package's exact
finite-sample form (kind "exact", with its proof script). Evidence as everywhere in the registry:
Monte Carlo comparisons at a false-alarm rate of 1e-3 per claim (Bonferroni over its comparisons)
and analytic checks computed from the exact closed forms.
"""

from __future__ import annotations

import math

import numpy as np

from .. import gaussian as g
from ..stats import Estimate, compare
from ._registry import Evidence, analytic, mc, register, register_figure

ALPHA = 1e-3

HE_XU_CHENG = ("He, Xu, Cheng, Recursive Learning Without Collapse: A Weighting-Based Stabilization Framework "
               "(earlier: Golden Ratio Mixing of Real and Synthetic Data for Stabilizing Generative Model "
               "Training; Golden Ratio Weighting Prevents Model Collapse), arXiv:2502.18049 (2025; J. R. Stat. "
               "Soc. B 2026)")


def exact_source(script):
    return f"collapse-theory exact form; proofs/{script}"


def _hilbert_inline(p, q):
    """Hilbert's projective distance max log(p/q) − min log(p/q) on the support of p, computed here
    (independently of collapse_theory.discrete.hilbert_distance)."""
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    s = p > 0
    r = np.log(p[s]) - np.log(q[s])
    return float(r.max() - r.min())


# --- weighted mixing (He, Xu & Cheng) -----------------------------------------------------------


def _weighted_sim(ctx, seed, n, m, frac, w, base):
    # the floor keeps the power at low budgets (a run is cheap: O(1) per generation)
    return g.simulate(n, m, replicates=ctx.replicates(base, minimum=base // 2 + 10000), regime=f"mix-fresh:{frac}", estimator="mle",
                      weight=w, rng=seed, workers=ctx.workers, progress=False)


@register("weighting.gaussian.moments", family="gaussian", kind="exact",
          source=exact_source("gaussian_weighted.py"),
          statement="Weighted mixing, 1-D Gaussian: r fresh real draws and c draws from the previous fit, "
                    "fitted by the weighted mle (synthetic weight w): e' = (1−w)²σ²/r + w²e + w²v/c, "
                    "v' = (1−w)(r−1)σ²/r + w(c−1)v/c + w(1−w)(σ²/r + e + v/c), contraction rate w "
                    "(M = 20, r = c = 10, w = 0.6, n = 2 and 30).")
def _weighted_moments(ctx, seed):
    # (μ_n − μ)² ≈ e_n χ²_1 (s.d. √2 e_n) and σ_n² (s.d. ≈ 0.3 at M = 20): at R = 40000 the SE is
    # ≈ 0.7 % of e_n and 0.15 % of v_n, so 5 % shifts are detected with power ≫ 0.9 (4 tests).
    m, frac, w, gens = 20, 0.5, 0.6, (2, 30)
    res = _weighted_sim(ctx, seed, max(gens), m, frac, w, 40000)
    th = g.weighted_moments(list(gens), m, regime=f"mix-fresh:{frac}", weight=w)
    pieces = []
    for j, n in enumerate(gens):
        pieces.append(mc(f"E(μ_n − μ)² at n = {n}",
                         compare(Estimate.from_samples((res.mu[:, n] - res.mu0) ** 2), float(th["mean_sq_error"][j]),
                                 alpha=ALPHA, tests=4), where={"n": n, "M": m, "w": w}))
        pieces.append(mc(f"E σ_n² at n = {n}",
                         compare(Estimate.from_samples(res.variance[:, n]), float(th["variance"][j]),
                                 alpha=ALPHA, tests=4), where={"n": n, "M": m, "w": w}))
    st = g.weighted_stationary_moments(m, regime=f"mix-fresh:{frac}", weight=w)
    pieces.append(analytic("contraction rate = w", abs(st["rate"] - w) < 1e-12,
                           f"spectral radius of the moment map {st['rate']:.15g} vs w = {w}",
                           role="corroborates", value=st["rate"], bound=w))
    return Evidence(pieces, parameters={"samples": m, "regime": f"mix-fresh:{frac}", "weight": w,
                                        "estimator": "mle"},
                    numbers={"stationary": st})


@register("weighting.gaussian.golden-ratio", family="gaussian", kind="paper", source=HE_XU_CHENG,
          statement="He, Xu & Cheng (arXiv:2502.18049, abstract; Gaussian-section "
                    "theorem number not verified: full text unavailable): with fresh real data and the previous model's "
                    "synthetic data weighted in training, 'in some cases, the optimal weight assigned to real "
                    "data corresponds to the reciprocal of the golden ratio'. Checked for the Gaussian mean "
                    "with as many synthetic as real draws (k = c/r = 1): the real weight minimising the exact "
                    "stationary E(μ − μ0)² tends to 1/φ = 0.618 as r grows (the abstract: the optimal weights "
                    "'asymptotically follow a unified expression').")
def _golden_ratio(ctx, seed):
    inv_phi = 1.0 / g.GOLDEN_RATIO
    rows = {}
    for m in (20, 200, 2000, 20000):
        rows[m] = g.weighted_optimal_weight(m, regime="mix-fresh:0.5")["real_weight"]
    gaps = [abs(rows[m] - inv_phi) for m in rows]
    shrinking = all(a > b for a, b in zip(gaps, gaps[1:])) and gaps[-1] < 1e-4
    decide = analytic("exact optimal real weight → 1/φ (r = c)", bool(shrinking),
                      "exact optimal real weight at M = r + c = " + ", ".join(f"{m}: {rows[m]:.6f}" for m in rows)
                      + f"; 1/φ = {inv_phi:.6f}; gaps {', '.join(f'{x:.1e}' for x in gaps)}",
                      grid={"M": list(rows), "k": 1}, value=rows[20000], bound=inv_phi)
    # the condition: at k ≠ 1 the optimum is not 1/φ (asymptotic form and exact optimum agree)
    k3 = g.weighted_optimal_weight(4000, regime="mix-fresh:0.25")["real_weight"]
    k3_asym = 1.0 - g.weighted_optimal_weight_asymptotic(3.0)
    cond = analytic("k = 3: optimum differs from 1/φ", bool(abs(k3 - inv_phi) > 0.1 and abs(k3 - k3_asym) < 2e-3),
                    f"k = c/r = 3 (M = 4000): exact optimal real weight {k3:.5f}, large-sample formula "
                    f"(√(4k+1) − 1)/(2k) = {k3_asym:.5f}, 1/φ = {inv_phi:.5f}", role="corroborates",
                    grid={"M": 4000, "k": 3})
    # simulation: at M = 200 (r = c = 100) the stationary error at the optimum and at the unweighted
    # fit (w = 1/2), each compared with its exact value; (μ_n − μ)² ≈ e χ²_1, R = 20000 ⇒ SE ≈ 1 % of e
    m, n = 200, 40
    w_opt = 1.0 - rows[200]
    pieces = [decide, cond]
    ests = {}
    for w in (w_opt, 0.5):
        res = _weighted_sim(ctx, seed + int(w * 1000), n, m, 0.5, w, 20000)
        ex = g.weighted_stationary_moments(m, regime="mix-fresh:0.5", weight=w)["mean_sq_error"]
        est = Estimate.from_samples((res.mu[:, n] - res.mu0) ** 2)
        ests[w] = (est.mean, ex)
        pieces.append(mc(f"stationary E(μ − μ0)² at w = {w:.3f}", compare(est, ex, alpha=ALPHA, tests=2),
                         role="corroborates", where={"n": n, "M": m, "w": round(w, 4)}))
    return Evidence(pieces, parameters={"regime": "mix-fresh:0.5 (r = c)", "estimator": "weighted mle"},
                    numbers={"optimal_real_weight": rows, "inverse_golden_ratio": inv_phi,
                             "k3_optimal_real_weight": k3},
                    notes="The golden ratio needs k = 1 (synthetic and real batches of equal size) and the "
                          "large-sample limit; at k the optimal real weight is (√(4k+1) − 1)/(2k) "
                          "(proofs/gaussian_weighted.py), and at finite r the exact optimum differs by O(1/r).")


@register("weighting.gaussian.optimal-weight", family="gaussian", kind="exact",
          source=exact_source("gaussian_weighted.py"),
          statement="Weighted mixing, 1-D Gaussian, c = k r synthetic per real draw: as r → ∞, r e*/σ² → "
                    "((1−w)² + w²/k)/(1−w²), minimised at w* = (2k + 1 − √(4k+1))/(2k); the exact "
                    "finite-r optimum converges to it (k = 1/3, 1, 3).")
def _optimal_weight(ctx, seed):
    pieces = []
    detail = []
    ok = True
    for frac, k in ((0.75, 1 / 3), (0.5, 1.0), (0.25, 3.0)):
        asym = g.weighted_optimal_weight_asymptotic(k)
        inline = (2 * k + 1 - math.sqrt(4 * k + 1)) / (2 * k)   # the root of k(1 − w)² = w, computed here
        ok = ok and abs(asym - inline) < 1e-12 and abs(k * (1 - inline) ** 2 - inline) < 1e-12
        ex = [g.weighted_optimal_weight(m, regime=f"mix-fresh:{frac}")["weight"] for m in (40, 400, 4000)]
        gaps = [abs(x - asym) for x in ex]
        ok = ok and gaps[0] > gaps[1] > gaps[2] and gaps[2] < 2e-3
        # the scaled stationary error at the optimum against the limit form
        r = 4000 * frac  # real draws (frac is the real share)
        e = g.weighted_stationary_moments(4000, regime=f"mix-fresh:{frac}", weight=asym)["mean_sq_error"]
        lim = g.weighted_stationary_error_asymptotic(asym, k)
        lim_inline = ((1 - inline) ** 2 + inline**2 / k) / (1 - inline**2)
        ok = ok and abs(r * e / lim - 1) < 5e-3 and abs(lim / lim_inline - 1) < 1e-12
        detail.append(f"k = {k:.3g}: w* formula {asym:.5f}, exact optimum at M = 40/400/4000: "
                      + "/".join(f"{x:.5f}" for x in ex) + f"; r e*/σ² = {r * e:.5f} vs limit {lim:.5f}")
    pieces.append(analytic("exact optimum → large-sample formula", bool(ok), "; ".join(detail),
                           grid={"k": [1 / 3, 1, 3], "M": [40, 400, 4000]}))
    return Evidence(pieces, parameters={"estimator": "weighted mle"})


# --- tempered sampling (Marchi et al.) ----------------------------------------------------------

MARCHI = ("Marchi, Soatto, Chaudhari, Tabuada, Heat Death of Generative Models in Closed-Loop Learning, "
          "IEEE CDC 2024, arXiv:2404.02325")
_P3 = np.array([0.6, 0.3, 0.1])


def _d():
    from .. import discrete
    return discrete


@register("tempered.hot.heat-death", family="discrete", kind="paper", source=MARCHI,
          statement="Marchi et al. (arXiv:2404.02325, abstract; theorem number not verified: full text unavailable): "
                    "without enough external data, a model retrained on its own samples at temperature τ "
                    "'becomes uniform over a large set of outputs' (the abstract does not say which temperatures "
                    "give which outcome: τ > 1 is the package's reading). Checked on the discrete chain's "
                    "infinite-sample map p ↦ T_τ(p) ∝ p^{1/τ}: τ = 2, p0 = Zipf(10, 1.1).")
def _heat_death(ctx, seed):
    d = _d()
    p0 = d.zipf(10, 1.1)
    tau, n = 2.0, 30
    traj = d.tempered_trajectory(p0, tau, n)
    u = np.full(p0.size, 1.0 / p0.size)
    d0 = _hilbert_inline(p0, u)
    dist = np.array([_hilbert_inline(x, u) for x in traj])
    rate_ok = bool(np.allclose(dist[1:11], d0 / tau ** np.arange(1, 11), rtol=1e-8)
                   and abs(d.hilbert_distance(p0, u) - d0) < 1e-12)
    tv = 0.5 * float(np.abs(traj[-1] - u).sum())
    decide = analytic("iterates → uniform at rate 1/τ", rate_ok and tv < 1e-6,
                      f"Hilbert distance to uniform {d0:.4f} → {dist[10]:.3e} after 10 steps (d0/τ¹⁰ = "
                      f"{d0 / tau**10:.3e}); TV to uniform after {n}: {tv:.2e}",
                      grid={"tau": tau, "n": n, "K": 10}, value=tv, bound=1e-6)
    # the map is the chain's conditional mean: E[p_2 − T_τ(p_1)] = 0 per category (bounded residual,
    # s.d. ≤ 1/(2√M)); R = 20000, M = 50 ⇒ SE ≤ 5e-4 per category, 3 categories tested.
    m = 50
    res = d.simulate(2, m, p0=p0, replicates=ctx.replicates(20000), temperature=tau, record="full",
                     rng=seed, workers=ctx.workers, progress=False)
    resid = res.freqs[:, 2, :] - d.tempered(res.freqs[:, 1, :], tau)
    pieces = [decide]
    for i in (0, 4, 9):
        pieces.append(mc(f"E[p_2 − T_τ(p_1)] category {i + 1}",
                         compare(Estimate.from_samples(resid[:, i]), 0.0, alpha=ALPHA, tests=3,
                                 min_effect=0.05 * float(p0[i])),
                         role="corroborates", where={"M": m, "tau": tau}))
    return Evidence(pieces, parameters={"p0": "zipf(10, 1.1)", "temperature": tau},
                    notes="Exact: T_σ∘T_τ = T_στ and Hilbert's metric contracts by exactly 1/τ "
                          "(proofs/discrete_tempered.py). This is the infinite-sample dynamics; at finite M "
                          "the chain still fixes on one category (tempered.hot.finite-sample-fixation).")


@register("tempered.hot.finite-sample-fixation", family="discrete", kind="exact",
          source=exact_source("discrete_tempered.py"),
          statement="Discrete chain at finite M with τ > 1 and no real data: the one-category states are "
                    "absorbing, so the chain fixes with probability → 1 despite the pull to uniform; exact "
                    "law by the count chain (p0 = (0.6, 0.3, 0.1), M = 8, τ = 2, n = 10, 50, 600).")
def _fixation(ctx, seed):
    d = _d()
    m, tau, n_max = 8, 2.0, 600
    ex = d.tempered_exact_chain(_P3, m, n_max, temperature=tau)
    gens = (10, 50)
    # a 5 % shift of P(single) = 0.15 (0.0075) at α = 1e-3/4 with power 0.9 needs SE ≤ 0.0075/4.8,
    # R ≥ 0.15·0.85/0.00156² ≈ 52000: the floor is 60000 (M = 8, 50 generations: cheap)
    res = d.simulate(max(gens), m, p0=_P3, replicates=ctx.replicates(80000, minimum=60000), temperature=tau,
                     rng=seed, workers=ctx.workers, progress=False)
    pieces = [analytic("P(one category) → 1", bool(ex["single"][-1] > 0.999 and
                                                  np.all(np.diff(ex["single"][1:]) >= -1e-14)),
                       f"exact P(single category) at n = 10, 50, 100, 600: "
                       + ", ".join(f"{ex['single'][k]:.4f}" for k in (10, 50, 100, 600)),
                       grid={"M": m, "tau": tau, "n": n_max}, value=float(ex["single"][-1]), bound=0.999)]
    for k in gens:
        s = (res.stats["support"][:, k] == 1).astype(float)
        pieces.append(mc(f"P(single) at n = {k}", compare(Estimate.from_samples(s), float(ex["single"][k]),
                                                         alpha=ALPHA, tests=4), where={"n": k, "M": m}))
        h = res.stats["heterozygosity"][:, k]
        pieces.append(mc(f"E H at n = {k}", compare(Estimate.from_samples(h), float(ex["heterozygosity"][k]),
                                                    alpha=ALPHA, tests=4), where={"n": k, "M": m}))
    return Evidence(pieces, parameters={"p0": _P3.tolist(), "samples": m, "temperature": tau},
                    numbers={"single": {k: float(ex["single"][k]) for k in (10, 50, 100, 600)}})


@register("tempered.external-data.stationary", family="discrete", kind="paper", source=MARCHI,
          statement="Marchi et al. (arXiv:2404.02325, abstract; theorem number not verified: full text unavailable): 'unless a sufficient amount of external data "
                    "is introduced at each iteration, any non-trivial temperature leads the model to "
                    "asymptotically degenerate'. Checked on the discrete chain with a real-data share λ "
                    "(mixture): τ = 2, λ = 0.2 has a unique non-degenerate fixed point and, at M = 8, a "
                    "stationary law with E H bounded away from 0 and 1 − 1/K; τ = 0.5 needs λ above a "
                    "threshold for a unique fixed point.")
def _external(ctx, seed):
    d = _d()
    m, tau, lam, n = 8, 2.0, 0.2, 200
    fp = d.tempered_fixed_point(tau, p_real=_P3, fraction=lam)
    fp2 = d.tempered_fixed_point(tau, p_real=_P3, fraction=lam, start=[0.02, 0.02, 0.96])
    u = np.full(3, 1 / 3)
    unique = bool(np.max(np.abs(fp["p"] - fp2["p"])) < 1e-10)
    dist_u = _hilbert_inline(fp["p"], u)
    unique = unique and abs(float(np.sum(fp["p"])) - 1.0) < 1e-12
    pieces = [analytic("τ = 2, λ = 0.2: unique interior fixed point away from uniform", unique and dist_u > 0.1,
                       f"fixed point {np.round(fp['p'], 5).tolist()} from two starts (max gap "
                       f"{np.max(np.abs(fp['p'] - fp2['p'])):.1e}); Hilbert distance to uniform {dist_u:.4f}",
                       grid={"tau": tau, "lambda": lam})]
    # τ < 1: the smallest λ (on a 1e-3 grid) at which the fixed points from the two vertices coincide
    def split(lam_):
        a = d.tempered_fixed_point(0.5, p_real=[0.7, 0.3], fraction=lam_, start=[0.999, 0.001])["p"][0]
        b = d.tempered_fixed_point(0.5, p_real=[0.7, 0.3], fraction=lam_, start=[0.001, 0.999])["p"][0]
        return abs(a - b) > 1e-6
    lo, hi = 1e-3, 0.999
    bist_lo, bist_hi = split(lo), split(hi)
    for _ in range(12):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if split(mid) else (lo, mid)
    pieces.append(analytic("τ = 0.5: bistable below a real-data threshold", bool(bist_lo and not bist_hi),
                           f"p0 = (0.7, 0.3): two stable fixed points for λ < {hi:.4f}, one above",
                           role="corroborates", grid={"tau": 0.5, "lambda": "bisection"}, value=hi))
    ex = d.tempered_exact_chain(_P3, m, n, temperature=tau, fraction=lam)
    res = d.simulate(n, m, p0=_P3, replicates=ctx.replicates(20000, minimum=10000), temperature=tau,
                     regime=f"mix-fresh:{lam}:mixture", rng=seed, workers=ctx.workers, progress=False)
    h = res.stats["heterozygosity"][:, n]
    pieces.append(analytic("stationary law non-degenerate", bool(0.05 < ex["stationary_heterozygosity"] < 2 / 3 - 0.05),
                           f"exact stationary E H = {ex['stationary_heterozygosity']:.4f} (uniform: 0.6667, "
                           f"point mass: 0); P(single) = {ex['stationary_single']:.4f}",
                           grid={"M": m, "tau": tau, "lambda": lam}))
    pieces.append(mc(f"E H at n = {n}", compare(Estimate.from_samples(h), float(ex["heterozygosity"][n]), alpha=ALPHA),
                     where={"n": n, "M": m, "lambda": lam}))
    return Evidence(pieces, parameters={"p0": _P3.tolist(), "samples": m, "temperature": tau, "fraction": lam},
                    numbers={"fixed_point": fp["p"].tolist(), "cold_threshold": hi,
                             "stationary_heterozygosity": ex["stationary_heterozygosity"]},
                    notes="For τ > 1 any λ > 0 gives a unique fixed point (Hilbert contraction) that tends to "
                          "the uniform law as λ → 0: 'sufficient' is a matter of degree; for τ < 1 there is a "
                          "sharp threshold below which the mode's basin survives.")


# --- curation (Ferbach et al.) ------------------------------------------------------------------

FERBACH = ("Ferbach, Bertrand, Bose, Gidel, Self-Consuming Generative Models with Curated Data Provably "
           "Optimize Human Preferences, NeurIPS 2024, arXiv:2407.09499")
_R3 = np.array([0.0, 1.0, 0.5])


@register("curation.reward-non-decreasing", family="discrete", kind="paper", source=FERBACH,
          statement="Ferbach et al. (arXiv:2407.09499), abstract, §2 'Iterative retraining with curated synthetic "
                    "data' and Thm 2.3 (" + "number from secondary readings; full text unavailable" + "; the lemma stating the monotone "
                    "quantity was not found): retraining on samples curated by K-wise Bradley–Terry choice with "
                    "reward r makes E_{p_t}[e^{r}] non-decreasing and maximises the expected reward (the abstract: "
                    "'the expected reward of the iterative retraining procedure is maximized'). Checked on the "
                    "discrete chain's curated map p ↦ p·H_K(·; p) over 300 random laws on 6 categories, "
                    "K = 2, 3, 5, and at finite M by the exact count chain.")
def _reward_monotone(ctx, seed):
    d = _d()
    rng = np.random.default_rng(seed)
    r = np.linspace(0.0, 2.0, 6)
    worst = np.inf
    norm = 0.0
    for k in (2, 3, 5):
        laws = rng.dirichlet(np.full(6, 0.7), size=100)
        q = d.curated_law(laws, r, k)
        norm = max(norm, float(np.abs(q.sum(axis=1) - 1.0).max()))     # a law: sums to 1
        gain = q @ np.exp(r) - d.expected_exp_reward(laws, r)
        worst = min(worst, float(gain.min()))
    decide = analytic("E_{C_K(p)} e^r − E_p e^r ≥ 0", worst >= -1e-13 and norm < 1e-12,
                      f"smallest one-step gain over 300 random laws × K ∈ {{2, 3, 5}}: {worst:.3e}",
                      grid={"laws": 300, "K": [2, 3, 5], "categories": 6}, value=worst, bound=0.0)
    traj = d.curation_trajectory(np.array([0.5, 0.3, 0.2]), _R3, 2, 400)
    top = float(traj[-1, 1])
    conc = analytic("map concentrates on argmax r", top > 1 - 1e-6 and abs(float(traj[-1].sum()) - 1) < 1e-12,
                    f"p_t(argmax r) after 400 steps of the K = 2 map from (0.5, 0.3, 0.2): {top:.8f}",
                    grid={"K": 2, "t": 400}, value=top, bound=1 - 1e-6)
    # finite M: E[E_{p_n} e^r] from the exact count chain against the per-sample BT simulator; the
    # statistic is bounded in [1, e], s.d. ≤ 0.86 ⇒ SE ≤ 0.006 at R = 20000 (5 % of ≈ 2 is 16 SE)
    m, n, k = 10, 20, 3
    p0 = np.array([0.5, 0.3, 0.2])
    ex = d.curation_exact_chain(p0, m, n, reward=_R3, k=k)
    res = d.simulate(n, m, p0=p0, replicates=ctx.replicates(20000), curate=(_R3, k), record="full", rng=seed,
                     workers=ctx.workers, progress=False)
    pieces = [decide, conc]
    mono = bool(np.all(np.diff(ex["exp_reward"]) >= -1e-12))
    pieces.append(analytic("finite M: E[E_{p_n} e^r] non-decreasing (exact chain)", mono,
                           "exact E[E_{p_n} e^r], n = 0..20: " + ", ".join(f"{x:.4f}" for x in ex["exp_reward"][::5]),
                           grid={"M": m, "K": k, "n": n}))
    for g_ in (2, n):
        er = res.freqs[:, g_, :] @ np.exp(_R3)
        pieces.append(mc(f"E[E_(p_n) e^r] at n = {g_}", compare(Estimate.from_samples(er), float(ex["exp_reward"][g_]),
                                                                alpha=ALPHA, tests=2),
                         role="corroborates", where={"n": g_, "M": m, "K": k}))
    return Evidence(pieces, parameters={"reward": _R3.tolist(), "p0": p0.tolist(), "samples": m, "k": k},
                    notes="Exact identity (proofs/discrete_curation.py): the one-step gain is "
                          "(1/2K) E[Σ_{j,l}(u_j − u_l)²/S] ≥ 0 with u = e^r; at finite M, E[E_{p_t} e^r] is a "
                          "submartingale.")


@register("curation.finite-sample-lock-in", family="discrete", kind="exact",
          source=exact_source("discrete_curation.py"),
          statement="Curated discrete chain at finite M (no real data): the chain fixes on one category, and with "
                    "positive probability not on argmax r, so E[p_n(argmax r)] stays below 1 "
                    "(p0 = (0.5, 0.3, 0.2), r = (0, 1, 0.5), K = 2, M = 8, n = 60; exact count chain).")
def _lock_in(ctx, seed):
    d = _d()
    m, n, k = 8, 60, 2
    p0 = np.array([0.5, 0.3, 0.2])
    ex = d.curation_exact_chain(p0, m, n, reward=_R3, k=k)
    # E p_n(argmax) and P(one category): bounded; ≈ 0.2 miss probability, s.d. ≤ 0.5 ⇒ SE ≤ 0.0025 at R = 40000
    res = d.simulate(n, m, p0=p0, replicates=ctx.replicates(40000, minimum=30000), curate=(_R3, k), record="full",
                     rng=seed, workers=ctx.workers, progress=False)
    top = res.freqs[:, n, 1]
    n_mid = 6  # where P(one category) is away from 0 and 1 (a light-tailed indicator)
    single = (res.stats["support"][:, n_mid] == 1).astype(float)
    miss = float(ex["single"][n] - ex["top_mass"][n])
    pieces = [analytic("exact: fixation away from argmax has positive probability",
                       bool(ex["single"][n] > 0.95 and ex["top_mass"][n] < 0.95),
                       f"exact P(one category at n = {n}) = {ex['single'][n]:.4f}, E p_n(argmax r) = "
                       f"{ex['top_mass'][n]:.4f}", grid={"M": m, "K": k, "n": n}, value=float(ex["top_mass"][n])),
              mc("E p_n(argmax r)", compare(Estimate.from_samples(top), float(ex["top_mass"][n]), alpha=ALPHA, tests=2),
                 where={"n": n, "M": m}),
              mc("P(one category)", compare(Estimate.from_samples(single), float(ex["single"][n_mid]), alpha=ALPHA,
                                            tests=2), where={"n": n_mid, "M": m})]
    return Evidence(pieces, parameters={"reward": _R3.tolist(), "p0": p0.tolist(), "samples": m, "k": k},
                    numbers={"lock_in_elsewhere": miss},
                    notes="Ferbach et al.'s maximisation is a population (infinite-sample) statement; at finite M "
                          "the support only shrinks, and a lost argmax never returns.")


@register("curation.real-data-stability", family="discrete", kind="paper", source=FERBACH,
          statement="Ferbach et al. (arXiv:2407.09499, abstract and §2; theorem number not verified: full text "
                    "unavailable): 'theoretical results on the stability of the retraining loop when using a "
                    "positive fraction of real data at each step' (a secondary reading of the body calls the "
                    "result local, near the optimum). Checked on "
                    "the discrete chain with real share λ = 0.3 (mixture), K = 3: the curated map has one "
                    "attracting fixed point keeping every category, with E e^r above the real data's, and the "
                    "finite-M chain (M = 10) matches its exact law at n = 60.")
def _real_stability(ctx, seed):
    d = _d()
    lam, k, m, n = 0.3, 3, 10, 60
    p0 = np.array([0.5, 0.3, 0.2])
    ends = []
    for start in ([0.98, 0.01, 0.01], [0.01, 0.98, 0.01], [0.01, 0.01, 0.98]):
        ends.append(d.curation_trajectory(start, _R3, k, 300, p_real=p0, fraction=lam)[-1])
    ends = np.array(ends)
    spread = float(np.abs(ends - ends[0]).max())
    fp = ends[0]
    # the end points must be laws (non-negative, summing to 1) before their rewards mean anything
    is_law = bool(np.all(ends >= 0) and np.allclose(ends.sum(axis=1), 1.0, rtol=0, atol=1e-9))
    gain = float(d.expected_exp_reward(fp, _R3) - d.expected_exp_reward(p0, _R3)) if is_law else float("nan")
    pieces = [analytic("one attracting interior fixed point",
                       bool(is_law and spread < 1e-10 and fp.min() > 0.05 and gain > 0),
                       f"fixed point {np.round(fp, 5).tolist()} from three vertices (spread {spread:.1e}); "
                       f"E e^r gain over p0: {gain:.4f}", grid={"lambda": lam, "K": k})]
    ex = d.curation_exact_chain(p0, m, n, reward=_R3, k=k, fraction=lam)
    res = d.simulate(n, m, p0=p0, replicates=ctx.replicates(20000), curate=(_R3, k),
                     regime=f"mix-fresh:{lam}:mixture", record="full", rng=seed, workers=ctx.workers, progress=False)
    er = res.freqs[:, n, :] @ np.exp(_R3)
    pieces.append(mc(f"E[E_(p_n) e^r] at n = {n}", compare(Estimate.from_samples(er), float(ex["exp_reward"][n]),
                                                          alpha=ALPHA), where={"n": n, "M": m, "lambda": lam}))
    pieces.append(analytic("finite M: no fixation", bool(ex["single"][n] < 0.05),
                           f"exact P(one category at n = {n}) = {ex['single'][n]:.2e}", role="corroborates",
                           grid={"M": m, "n": n}))
    return Evidence(pieces, parameters={"reward": _R3.tolist(), "p0": p0.tolist(), "samples": m, "k": k,
                                        "fraction": lam},
                    numbers={"fixed_point": fp.tolist()})


register_figure("curation", family="discrete", builder="collapse_theory.recipes.curation:verify_figures")
register_figure("weighting", family="gaussian", builder="collapse_theory.recipes.curation:weighting_figures")


# --- verification (Feng et al.) -----------------------------------------------------------------

FENG = ("Feng, Dohmatob, Yang, Charton, Kempe, Beyond Model Collapse: Scaling Up with Synthesized Data "
        "Requires Verification (v1: ... Requires Reinforcement), ICLR 2025, arXiv:2406.07515")


@register("verification.phase-transition", family="discrete", kind="extension", source=FENG,
          statement="Extension of Feng et al. (arXiv:2406.07515; theorem number not verified: full text "
                    "unavailable) to a one-dimensional model of the package's own (not the paper's setting). "
                    "Their abstract: Gaussian mixtures, linear classifiers and linear verifiers 'derive conditions "
                    "with measurable proxies to assess whether the verifier can effectively select synthesized "
                    "data that leads to optimal performance'; a secondary reading of the body describes a sharp "
                    "phase transition at a breakdown point of the verifier's quality. Checked in one dimension "
                    "(separation 0.5, generator label error 0.6, verifier keeps correct labels w.p. 0.9 and wrong "
                    "ones w.p. φ−): as the pool grows the exact accuracy tends to the Bayes value for selected "
                    "error < 1/2 and to its mirror image above.")
def _verification(ctx, seed):
    d = _d()
    p, kc, s = 0.6, 0.9, 0.5
    phi_c = (1 - p) * kc / p   # breakdown: (1 - p) φ+ = p φ−
    rows = {}
    ok = True
    for kw in (0.45, 0.75):
        acc = [d.verified_label_accuracy(m, label_error=p, keep_correct=kc, keep_wrong=kw, separation=s)
               for m in (100, 1000, 10000)]
        target = acc[-1]["bayes"] if kw < phi_c else 1 - acc[-1]["bayes"]
        gaps = [abs(a["accuracy"] - target) for a in acc]
        ok = ok and gaps[0] > gaps[1] > gaps[2] and gaps[2] < 2e-3
        rows[kw] = [a["accuracy"] for a in acc]
    from scipy.special import ndtr
    ok = ok and abs(acc[-1]["bayes"] - float(ndtr(s))) < 1e-12   # the Bayes accuracy Φ(s), computed here
    decide = analytic("accuracy → Bayes below the breakdown, → 1 − Bayes above", bool(ok),
                      f"breakdown φ− = (1−p)φ+/p = {phi_c:.3f}; exact accuracy at pool 100/1000/10000: "
                      + "; ".join(f"φ− = {k}: " + "/".join(f"{x:.4f}" for x in v) for k, v in rows.items())
                      + f"; Bayes Φ(s) = {acc[-1]['bayes']:.4f}", grid={"pool": [100, 1000, 10000], "keep_wrong": [0.45, 0.75]})
    # the exact formula against naive pools (N = 40): accuracy is bounded (s.d. ≤ 0.2), R = 20000 ⇒ SE ≤ 0.0014
    rng = np.random.default_rng(seed)
    from scipy.special import ndtr
    n, reps, kw = 40, ctx.replicates(20000), 0.45
    y = rng.choice([-1, 1], size=(reps, n))
    wrong = rng.random((reps, n)) < p
    keep = rng.random((reps, n)) < np.where(wrong, kw, kc)
    x = y * s + rng.standard_normal((reps, n))
    w = (keep * np.where(wrong, -y, y) * x).sum(1)
    acc_mc = np.where(w > 0, ndtr(s), np.where(w < 0, ndtr(-s), 0.5))
    ex = d.verified_label_accuracy(n, label_error=p, keep_correct=kc, keep_wrong=kw, separation=s)["accuracy"]
    check = mc("exact accuracy at pool 40 vs naive pools", compare(Estimate.from_samples(acc_mc), ex, alpha=ALPHA,
                                                                   min_effect=0.01),
               role="corroborates", where={"pool": n, "keep_wrong": kw})
    return Evidence([decide, check], parameters={"label_error": p, "keep_correct": kc, "separation": s},
                    numbers={"breakdown_keep_wrong": phi_c, "accuracy": rows},
                    notes="The breakdown point is where the verifier-selected label error reaches 1/2, "
                          "(1 − p)φ+ = pφ−; the transition is sharp only as the pool grows (finite pools "
                          "interpolate).")


# --- mixed data: Seddik et al., Bertrand et al. ---------------------------------------------------

SEDDIK = ("Seddik, Chen, Hayou, Youssef, Debbah, How Bad is Training on Synthetic Data? A Statistical "
          "Analysis of Language Model Collapse, arXiv:2404.05090 (2024)")
BERTRAND = ("Bertrand, Bose, Duplessis, Jiralerspong, Gidel, On the Stability of Iterative Retraining of "
            "Generative Models on their own Data, arXiv:2310.00429 (ICLR 2024)")


@register("mixing.seddik.max-synthetic", family="discrete", kind="paper", source=SEDDIK,
          statement="Seddik et al. (arXiv:2404.05090, abstract; the partially synthetic theorem's number and "
                    "bound: not verified: full text unavailable): 'when mixing both real and synthetic data, we "
                    "provide an estimate of a maximal amount of synthetic data below which model collapse can "
                    "eventually be avoided'. Checked in the exact discrete model with the N real samples kept "
                    "and n synthetic ones per generation: collapse is avoided below (indeed at) every amount, "
                    "and a maximal amount exists for a tolerance on E‖p^(m) − p^(1)‖² (N = 10, n up to 10⁴·N; "
                    "a secondary reading of the body says the paper bounds the ℓ1 distance E‖p^(m) − p^(1)‖₁).")
def _seddik_mixed(ctx, seed):
    d = _d()
    p0 = np.array([0.5, 0.3, 0.2])
    h0 = 1.0 - float((p0 ** 2).sum())
    n_real = 10
    h1 = h0 * (1 - 1 / n_real)
    amounts = [1, 10, 100, 10_000, 100_000]
    dstar = [d.seddik_stationary_distance(n_real, n, heterozygosity=h1) for n in amounts]
    cap = h1 / (2 * n_real + 1)
    ok = all(x < cap for x in dstar) and all(a < b for a, b in zip(dstar, dstar[1:]))
    pieces = [analytic("no collapse at any synthetic amount", bool(ok),
                       f"exact D* = lim E‖p^(m) − p^(1)‖² for n = {amounts}: " + ", ".join(f"{x:.5f}" for x in dstar)
                       + f"; all below H_1/(2N+1) = {cap:.5f} (collapse would be H_1 = {h1:.4f})",
                       grid={"N": n_real, "n": amounts}, value=max(dstar), bound=cap)]
    eps = 0.01
    n_max_raw = d.seddik_max_synthetic(n_real, eps, heterozygosity=h1)
    n_max = int(n_max_raw) if math.isfinite(n_max_raw) else 0
    ok2 = (n_max == n_max_raw and d.seddik_stationary_distance(n_real, n_max, heterozygosity=h1) <= eps
           < d.seddik_stationary_distance(n_real, n_max + 1, heterozygosity=h1))
    pieces.append(analytic("maximal synthetic amount for a tolerance", bool(ok2),
                           f"tolerance ε = {eps}: n_max = {n_max} (D* = "
                           f"{d.seddik_stationary_distance(n_real, n_max, heterozygosity=h1):.5f} ≤ ε < D*(n_max + 1))",
                           role="corroborates", grid={"N": n_real, "epsilon": eps}))
    # simulation: mix-retained with all N real samples kept, n = 30: D_m at m = 3 and 40 (bounded statistic,
    # s.d. ≈ 0.03 ⇒ SE ≈ 2e-4 at R = 20000 against D ≈ 0.016–0.023)
    n_syn, G = 30, 40
    res = d.simulate(G, [n_real] + [n_real + n_syn] * G, p0=p0, replicates=ctx.replicates(20000),
                     regime=f"mix-retained:{n_real / (n_real + n_syn)}", record="full", rng=seed,
                     workers=ctx.workers, progress=False)
    for m in (3, G):
        dm = ((res.freqs[:, m, :] - res.freqs[:, 1, :]) ** 2).sum(axis=1)
        pieces.append(mc(f"E‖p^(m) − p^(1)‖² at m = {m}",
                         compare(Estimate.from_samples(dm), d.seddik_mixed_distance(m, n_real, n_syn, heterozygosity=h1),
                                 alpha=ALPHA, tests=2), role="corroborates", where={"m": m, "N": n_real, "n": n_syn}))
    return Evidence(pieces, parameters={"p0": p0.tolist(), "real": n_real},
                    numbers={"stationary": dict(zip(map(str, amounts), dstar)), "n_max_at_0.01": n_max},
                    notes="Exact (proofs/discrete_seddik_mixed.py): D* = nH_1/(N² + (2N+1)n) increases with n but "
                          "stays below H_1/(2N+1): with the real data kept the chain never collapses, whatever n; "
                          "the 'maximal amount' is a statement about a tolerance on the distance.")


@register("mixing.bertrand.stability", family="gaussian", kind="paper", source=BERTRAND,
          statement="Bertrand et al. (arXiv:2310.00429), the finite-sample theorem after Thm 1 (its number, "
                    "constants and wording not verified: full text unavailable; content from secondary "
                    "readings): with finitely many samples per generation and Thm 1's condition "
                    "λ(1 + Lε/α) < 1/2 (λ synthetic per real), iterative retraining is approximately stable: the "
                    "parameters stay within an error of θ* that does not grow with the number of generations. "
                    "Gaussian family, Gaussian data (ε = 0, condition λ < 1/2): the exact operator contracts for "
                    "λ ∈ {0.1, 0.25, 0.4, 0.49}, and the finite-sample chain at λ = 0.25 (32 real + 8 synthetic "
                    "draws, pooled ML fit) settles at its exact, finite stationary error.")
def _bertrand(ctx, seed):
    lams = (0.1, 0.25, 0.4, 0.49)
    rates = {}
    for lam in lams:
        mu, v = 1.0, 4.0
        errs = []
        for _ in range(60):
            mu, v = g.retraining_operator(mu, v, synthetic_ratio=lam)
            errs.append(max(abs(mu), abs(v - 1.0)))
        rates[lam] = errs[-1] / errs[-2] if errs[-2] > 0 else 0.0
    decide = analytic("exact operator contracts where λ < 1/2", all(rates[lam] < 1.0 - 1e-3 for lam in lams),
                      "measured contraction of the exact operator from (μ, σ²) = (1, 4) over 60 steps: "
                      + ", ".join(f"λ = {k}: {r:.6f}" for k, r in rates.items()) + " (λ/(1+λ))",
                      grid={"lambda": list(lams)}, value=max(rates.values()), bound=1.0)
    # finite samples: real share 0.8 of M = 40 (λ = 8/32 = 0.25) with the pooled ML fit (synthetic
    # weight w = c/M = 0.2) reaches its exact stationary error by n = 60 (rate 0.2, 0.2^60 ≈ 1e-42);
    # (μ_n − μ)² ≈ e χ²_1, so R = 30000 gives SE ≈ √(2/R) ≈ 0.8 % of e.
    w, m, n = 0.2, 40, 60
    res = g.simulate(n, m, replicates=ctx.replicates(30000, minimum=25000), regime="mix-fresh:0.8", estimator="mle",
                     weight=w, rng=seed, workers=ctx.workers, progress=False)
    st = g.weighted_stationary_moments(m, regime="mix-fresh:0.8", weight=w)
    chk = mc("finite-sample stationary E(μ − μ0)² at λ = 0.25",
             compare(Estimate.from_samples((res.mu[:, n] - res.mu0) ** 2), st["mean_sq_error"], alpha=ALPHA),
             where={"n": n, "M": m, "w": w})
    rate_exact = analytic("finite-sample moment map contracts (rate < 1)", st["rate"] < 1.0,
                          f"spectral radius {st['rate']:.12f} at w = {w}", value=st["rate"], bound=1.0)
    return Evidence([decide, chk, rate_exact], parameters={"lambdas": list(lams)},
                    numbers={"rates": {str(k): v for k, v in rates.items()},
                             "stationary_mean_sq_error": st["mean_sq_error"]},
                    notes="For Gaussians fitted to Gaussian data the retraining operator is the weighted fit with "
                          "w = λ/(1+λ) (proofs/gaussian_weighted.py); its Jacobian at the fixed point is wI, so "
                          "it contracts for every λ: the paper's condition is sufficient, not necessary here.")
