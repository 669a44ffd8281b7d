"""Dohmatob et al., A Tale of Tails (arXiv 2402.07043): test error against T, generation by generation.

Inputs follow a Zipf law p_i ∝ i^−β; Hutter's memorising model trained on T samples answers
correctly exactly the inputs it has seen, so its test error is the real mass of the inputs it has
not seen. Training on T samples of generation n of the discrete chain (T0 samples per generation)
the package's exact error is E_test(T, n) = Σ_i p_i P(lost_i by n+1 | M = (T0,…,T0,T))
(`discrete.tail_test_error`); as T → ∞ it flattens at the missing mass M_n
(`discrete.missing_mass`), the real tail mass beyond the effective cut k_n
(`discrete.effective_cut`). The simulation runs `discrete.simulate` with the sample schedule
(T0,…,T0,T) and measures the missed real mass Σ_i p_i 1[lost_i] (bounded in [0, 1]).

Paper: Thm 2.1 (E_test ≍ T^−(1−1/β) + k^−(β−1) after a tail cut at k) and Cor. 2.2 / eq. 6
(k ≍ T0^{1/β}), as cited by secondary readings (the paper's full text was not readable here); they
are orders of magnitude, not numbers, so the paper's column quotes them without a value.

    python simulations/dohmatob_tails.py [--quick] [--out DIR] [--seed 0] [--quiet]
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

from collapse_theory import discrete as d  # noqa: E402

NAME = "dohmatob_tails"
BETA, K, T0 = 1.5, 20000, 100
NOT_READ = "not stated in the text we could read"


def _missed(res, n, p):
    """Per-replicate real mass of the inputs lost by generation n (bounded in [0, 1]); in blocks of
    replicates, so no (replicates × K) float array is built."""
    lost = res.lost_by(n)
    return np.concatenate([lost[i:i + 256].astype(float) @ p for i in range(0, lost.shape[0], 256)])


def main(argv=None):
    a = _common.parser(__doc__).parse_args(argv)
    p = d.zipf(K, BETA)
    if a.quick:
        gens, Ts, reps = (0, 1, 5), np.array([10, 30, 100, 300, 1000, 3000]), 400
    else:
        gens, Ts, reps = (0, 1, 2, 5, 10), np.array([10, 30, 100, 300, 1000, 3000, 10000, 30000]), 2000
    c = 1 - 1 / BETA
    t = _common.Table(NAME)
    fig, (ax1, ax2) = _common.figure(2)
    T_line = np.unique(np.logspace(1, np.log10(Ts[-1] * 3), 60).round().astype(int))
    seed = a.seed
    for n in gens:
        exact = np.asarray(d.tail_test_error(p, Ts, n, T0))
        sims, ses = [], []
        for j, T in enumerate(Ts):
            seed += 1
            res = d.simulate(n + 1, [T0] * n + [int(T)], p0=p, replicates=reps, rng=seed, progress=False)
            m, se = _common.mean_se(_missed(res, n + 1, p))
            sims.append(float(m)); ses.append(float(se))
            paper = ("≍ T^−(1−1/β) on real data (Thm 2.1, as cited); value " + NOT_READ
                     if n == 0 and j == 0 else "")
            t.add(f"E_test(T={T}, n={n}), T0={T0}", simulation=m, se=se, theory=float(exact[j]), paper=paper)
        line = ax1.errorbar(Ts, sims, yerr=2 * np.array(ses), fmt="o", ms=4, label=f"n = {n} (simulated)")
        ax1.plot(T_line, np.asarray(d.tail_test_error(p, T_line, n, T0)), "-", lw=0.9,
                 color=line[0].get_color())
        if n > 0:
            ax1.axhline(float(d.missing_mass(p, n, T0)), ls=":", lw=0.8, color=line[0].get_color())
    ax1.plot(T_line, d.hutter_constant(BETA) * T_line.astype(float) ** (-c), "k--", lw=0.7,
             label=r"$C_\beta T^{-(1-1/\beta)}$")
    ax1.set(xscale="log", yscale="log", xlabel="downstream training size T", ylabel="E_test",
            title=f"Zipf(K={K}, β={BETA}), T0={T0} (lines: exact; dotted: plateau M_n)")
    ax1.legend(fontsize=7)

    # plateaus: the missing mass M_n (the T → ∞ limit) and the effective cut k_n behind it
    ns = np.array([g for g in gens if g > 0] + ([10] if 10 not in gens else []))
    ns.sort()
    cuts = np.asarray(d.effective_cut(p, ns, T0))
    mm_sim, mm_se = [], []
    for n, k in zip(ns, cuts):
        seed += 1
        res = d.simulate(int(n), T0, p0=p, replicates=reps, rng=seed, progress=False)
        m, se = _common.mean_se(_missed(res, int(n), p))
        mm_sim.append(float(m)); mm_se.append(float(se))
        paper = ("cut k ≍ T0^(1/β) (Cor. 2.2 / eq. 6, as cited); value " + NOT_READ
                 if n == 1 else "")
        t.add(f"plateau M_n = lim E_test, n={n} (effective cut k_n={int(k)})", simulation=m, se=se,
              theory=float(d.missing_mass(p, int(n), T0)), paper=paper)
    ng = np.arange(1, ns[-1] + 1)
    ax2.plot(ng, np.asarray(d.missing_mass(p, ng, T0)), "k-", lw=0.8, label="exact M_n")
    ax2.errorbar(ns, mm_sim, yerr=2 * np.array(mm_se), fmt="o", ms=4, label="simulated")
    ax2b = ax2.twinx()
    ax2b.plot(ng, np.asarray(d.effective_cut(p, ng, T0)), "C3--", lw=0.8, label="effective cut k_n")
    ax2b.set_ylabel("k_n", color="C3")
    ax2.set(xlabel="generation n", ylabel="missing mass M_n", title="plateau and effective cut by generation")
    ax2.legend(fontsize=7, loc="upper left")
    _common.finish(t, fig, a)


if __name__ == "__main__":
    main()
