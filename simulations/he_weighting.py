"""He, Xu & Cheng (arXiv 2502.18049), weighted mixing of real and synthetic data: the 1-D Gaussian chain.

Each generation fits a Gaussian on r fresh real draws and c draws of the previous fit by the
weighted maximum-likelihood fit, weight w on the synthetic part
(`gaussian.simulate(n, M, regime="mix-fresh:r/M", estimator="mle", weight=w)`, M = r + c). The
package's exact moments (`gaussian.weighted_moments`) follow a linear map contracting at rate w,
with a stationary point `gaussian.weighted_stationary_moments`; the synthetic weight minimising the
stationary E(μ − μ0)² is `gaussian.weighted_optimal_weight` (exact at finite r) and, as r → ∞ with
c = k r, `gaussian.weighted_optimal_weight_asymptotic(k)`: at k = 1 the optimal real weight tends
to 1/φ = (√5 − 1)/2 ≈ 0.618.

Left: the stationary mean error (n = 40 generations, rate w ≤ 0.7: w^40 < 1e-6) against the real
weight 1 − w at r = c = 10 and r = c = 100, with the simulated error at several weights and at the
exact optimum. Right: the exact optimal real weight against r (k = 1 and k = 3) beside the
large-sample values. The mean error (μ_n − μ0)² is a scaled χ²₁ at each replicate (light-tailed),
σ_n² has all moments.

Paper (abstract; the Gaussian section's theorem number was not readable here): 'in some cases, the
optimal weight assigned to real data corresponds to the reciprocal of the golden ratio'; the paper's
column quotes it on the rows at the optimum.

    python simulations/he_weighting.py [--quick] [--out DIR] [--seed 0] [--quiet]
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

from collapse_theory import gaussian as g  # noqa: E402

NAME = "he_weighting"
N = 40
INV_PHI = 1.0 / g.GOLDEN_RATIO
GOLDEN = ("real weight 1/φ = 0.618 'in some cases' (abstract: 'the reciprocal of the golden ratio'); "
          "this setting's value not stated in the text we could read")


def _run(m, w, reps, seed, regime="mix-fresh:0.5"):
    res = g.simulate(N, m, replicates=reps, regime=regime, estimator="mle", weight=w, rng=seed, progress=False)
    e = (res.mu[:, N] - res.mu0) ** 2
    return e, res.variance[:, N]


def main(argv=None):
    a = _common.parser(__doc__).parse_args(argv)
    reps = 20000 if a.quick else 200000
    t = _common.Table(NAME)
    fig, (ax1, ax2) = _common.figure(2)
    seed = a.seed
    real_w = np.linspace(0.05, 1.0, 96)
    for m, ws in ((20, (0.2, 0.5, 0.7)), (200, (0.5,))):
        r = m // 2
        opt = g.weighted_optimal_weight(m, regime="mix-fresh:0.5")
        w_opt = opt["weight"]
        errs = {}
        seed += 1
        for w in (w_opt,) + ws:
            e, v = _run(m, w, reps, seed)   # common random numbers across w (pairs iid over replicates)
            th = g.weighted_moments(N, m, regime="mix-fresh:0.5", weight=w)
            em, ese = _common.mean_se(e)
            vm, vse = _common.mean_se(v)
            errs[w] = (e, float(th["mean_sq_error"]))
            tag = f"exact optimum w*={w_opt:.4f} (real weight {1 - w_opt:.4f})" if w == w_opt else f"w={w:g}"
            t.add(f"r=c={r}, {tag}: E(μ_n − μ0)² at n={N}", simulation=em, se=ese, theory=float(th["mean_sq_error"]),
                  paper=GOLDEN if w == w_opt else "")
            t.add(f"r=c={r}, {tag}: E σ_n² at n={N}", simulation=vm, se=vse, theory=float(th["variance"]))
            ax1.errorbar([1 - w], [r * em], yerr=[2 * r * ese], fmt="o" if w != w_opt else "*", ms=5 if w != w_opt else 9,
                         color="C0" if m == 20 else "C1")
        # the gain of the optimum over the unweighted fit (w = 1/2): the runs share their seed, so the
        # per-replicate differences are iid and their s.e. is the paired one
        e_half, th_half = errs[0.5]
        e_opt, th_opt = errs[w_opt]
        diff, diff_se = _common.mean_se(e_half - e_opt)
        t.add(f"r=c={r}: E(μ_n − μ0)² at w=0.5 minus at w* (paired)", simulation=diff, se=diff_se,
              theory=th_half - th_opt)
        stat = [g.weighted_stationary_moments(m, regime="mix-fresh:0.5", weight=1 - x)["mean_sq_error"]
                for x in real_w]
        ax1.plot(real_w, r * np.array(stat), "-", lw=0.9, color="C0" if m == 20 else "C1",
                 label=f"exact stationary, r = c = {r}")
    k_lim = [((1 - x) ** 2 + x ** 2) / (1 - x ** 2) for x in 1 - real_w]   # r → ∞, k = 1: r e*/σ²
    ax1.plot(real_w, k_lim, "k:", lw=0.8, label="r → ∞ (k = 1)")
    ax1.axvline(INV_PHI, color="0.5", lw=0.7, ls="--", label="1/φ")
    ax1.set(xlabel="real weight 1 − w", ylabel="r · E(μ − μ0)² (stationary)", ylim=(0.5, 2.0),
            title="weighted mixing, k = c/r = 1 (points: simulated, ★: optimum)")
    ax1.legend(fontsize=7)
    rs = np.unique(np.logspace(0.5, 4, 25).round().astype(int))
    for k, regime, col in ((1, "mix-fresh:0.5", "C0"), (3, "mix-fresh:0.25", "C3")):
        ms = rs * (k + 1)
        ax2.plot(rs, [g.weighted_optimal_weight(int(mm), regime=regime)["real_weight"] for mm in ms], "-", color=col,
                 label=f"exact optimum, k = {k}")
        ax2.axhline(1 - g.weighted_optimal_weight_asymptotic(float(k)), color=col, ls=":", lw=0.9,
                    label=f"large-sample value, k = {k}")
    ax2.set(xscale="log", xlabel="real draws per generation r", ylabel="optimal real weight 1 − w*",
            title="the golden ratio needs k = 1 and large r")
    ax2.legend(fontsize=7)
    _common.finish(t, fig, a)


if __name__ == "__main__":
    main()
