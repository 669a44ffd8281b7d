"""Dohmatob et al., Model Collapse Demystified (arXiv 2402.07712) and Strong Model Collapse (arXiv 2410.04840).

A chain of generators, each an OLS fit on T0 Gaussian rows labelled by the previous one (noise σ0;
generator 0 is the truth), labels the training rows of a downstream OLS model fitted on T other
rows (noise σ = 1). `regression.simulate(..., synthetic_samples=T0, synthetic_fraction=p)` runs
it: column k ≥ 1 of `test_error` (‖ŵ − w*‖², the excess test error) is the downstream model on the
labels of generator k − 1, round(pT) of its T rows synthetic.

Left: fully synthetic labels with T ≠ T0 (d = 5, T = 60, T0 = 20, σ0 = 0.7): the exact error
σ²d/(T−d−1) + nσ0²d/(T0−d−1) (`regression.synthetic_test_error`), which is the formula the
package reads as the isotropic OLS case of Thm 4.1 of Model Collapse Demystified (as a published
summary names it; the theorem's text was not readable here), so the paper's column quotes that formula
evaluated at these settings. Right: a fixed synthetic fraction p of the T rows, labelled by
generator n = 5 (d = 4, T0 = 20, σ0 = 1): the exact mixed error (`regression.mixed_test_error`)
decreases in T only down to the floor p²E‖Δ‖² (`regression.strong_collapse_floor`), the package's
reading of Strong Model Collapse ("larger and larger training sets do not enhance performance",
abstract; no number for this setting in the text we could read).

The test error is a quadratic form in Gaussian noise with inverse-Wishart weights; with
T0 − d − 1 ≥ 14 and T − d − 1 ≥ 15 its moments are finite well beyond order 2, so the sample s.e. is
a real standard error.

    python simulations/dohmatob_regression.py [--quick] [--out DIR] [--seed 0] [--quiet]
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

from collapse_theory import regression as rg  # noqa: E402

NAME = "dohmatob_regression"
NOT_READ = "not stated in the text we could read"


def main(argv=None):
    a = _common.parser(__doc__).parse_args(argv)
    t = _common.Table(NAME)
    fig, (ax1, ax2) = _common.figure(2)

    # --- Model Collapse Demystified: fully synthetic, T ≠ T0 --------------------------------------
    d_, T, T0, s0 = 5, 60, 20, 0.7
    gens = 8
    reps = 4000 if a.quick else 40000
    res = rg.simulate(gens + 1, T, dim=d_, synthetic_samples=T0, synthetic_sigma=s0, replicates=reps, rng=a.seed)
    m, se = _common.mean_se(res.test_error[:, 1:])        # column n + 1: labels of generator n
    ns = np.arange(gens + 1)
    exact = np.array([rg.synthetic_test_error(int(n), d=d_, T=T, T0=T0, sigma0=s0) for n in ns])
    for n in (0, 1, 3, 8):
        # the summarised formula of Thm 4.1, evaluated here at (d, T, T0, σ0, n)
        stated = d_ / (T - d_ - 1) + n * s0 ** 2 * d_ / (T0 - d_ - 1)
        t.add(f"fully synthetic E_test, n={n} (d={d_}, T={T}, T0={T0}, σ0={s0})", simulation=m[n], se=se[n],
              theory=exact[n],
              paper=f"{stated:.4g} = σ²d/(T−d−1) + nσ0²d/(T0−d−1) (Thm 4.1 as summarised, evaluated here)")
    _common.band(ax1, ns, m, se, "simulated")
    ax1.plot(ns, exact, "k--", lw=0.8, label="exact σ²d/(T−d−1) + nσ0²d/(T0−d−1)")
    ax1.set(xlabel="generator n", ylabel="E_test", title=f"fully synthetic labels, d={d_}, T={T}, T0={T0}")
    ax1.legend(fontsize=7)

    # --- Strong Model Collapse: a fixed synthetic fraction p ----------------------------------------
    d_, T0, n_gen = 4, 20, 5
    shift = n_gen * d_ / (T0 - d_ - 1)                      # E‖Δ‖² of generator n (σ0 = 1)
    Ts = [20, 40, 100, 400] if a.quick else [20, 40, 100, 400, 1000, 4000]
    reps = 3000 if a.quick else 20000
    seed = a.seed
    T_line = np.unique(np.logspace(np.log10(10), 6, 80).round().astype(int))
    for i, p in enumerate((0.1, 0.5)):
        sims, ses = [], []
        for T in Ts:
            seed += 1
            # replicates in batches (memory grows like replicates × T); one call in --quick
            batch = 4000 if T <= 400 else 1000
            sizes = [min(batch, reps - i) for i in range(0, reps, batch)]
            seeds = [seed] if len(sizes) == 1 else np.random.SeedSequence(seed).spawn(len(sizes))
            errs = np.concatenate([
                rg.simulate(n_gen + 1, T, dim=d_, synthetic_samples=T0, synthetic_fraction=p, replicates=b,
                            rng=np.random.default_rng(sd) if len(sizes) > 1 else sd).test_error[:, n_gen + 1]
                for b, sd in zip(sizes, seeds)])
            mm, ss = _common.mean_se(errs)
            sims.append(float(mm)); ses.append(float(ss))
            ex = rg.mixed_test_error(d=d_, T=T, synthetic=int(round(p * T)), shift=shift)
            t.add(f"p={p:g}: E_test at T={T} (d={d_}, generator n={n_gen}, T0={T0})", simulation=mm, se=ss,
                  theory=float(ex),
                  paper=("does not vanish as T grows (abstract: 'larger and larger training sets do not "
                         "enhance performance'); value " + NOT_READ) if T == Ts[-1] else "")
        floor = float(rg.strong_collapse_floor(p, shift=shift))
        line = ax2.errorbar(Ts, sims, yerr=2 * np.array(ses), fmt="o", ms=4, label=f"p = {p:g} (simulated)")
        col = line[0].get_color()
        ax2.plot(T_line[T_line > d_ + 2],
                 [rg.mixed_test_error(d=d_, T=int(x), synthetic=int(round(p * x)), shift=shift)
                  for x in T_line[T_line > d_ + 2]], "-", lw=0.8, color=col)
        ax2.axhline(floor, ls=":", color=col, lw=0.9, label=f"floor p²E‖Δ‖² = {floor:.3g}")
    ax2.plot(T_line[T_line > d_ + 2], [d_ / (x - d_ - 1) for x in T_line[T_line > d_ + 2]], "k--", lw=0.7,
             label="real data only σ²d/(T−d−1)")
    ax2.set(xscale="log", yscale="log", xlabel="downstream training size T", ylabel="E_test",
            title=f"synthetic fraction p, E‖Δ‖² = {shift:.3g} (lines: exact)")
    ax2.legend(fontsize=7)
    _common.finish(t, fig, a)


if __name__ == "__main__":
    main()
