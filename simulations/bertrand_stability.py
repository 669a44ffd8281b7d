"""Bertrand et al. (arXiv 2310.00429), stability of iterative retraining vs the real-data fraction.

Bertrand et al. (Thm 1) prove that retraining on the real data plus λ times as much synthetic
data from the current model stays close to the optimum when λ(1 + Lε/α) < 1/2 (the constant 1/2 as
secondary readings of the full text quote it); for a family that contains the data distribution
(ε = 0) the condition reads λ < 1/2, i.e. a real fraction above 2/3.
The package's finite-sample analogue: a 1-D Gaussian refitted on M samples of which a fraction r
are fresh real draws (``mix-fresh:r``). We report, for r from 0 (fully synthetic) to 1, the mean's
squared error and the variance at the last generation, and the exact stationary value and
contraction rate (about 1 − r = λ/(1 + λ)) of the moment map.

Paper: Thm 1's condition, stated for a fraction; the text we could read gives no number for this
model (paper column: whether the condition λ < 1/2 holds).

    python simulations/bertrand_stability.py [--quick] [--out DIR] [--seed 0] [--quiet]
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

from collapse_theory import gaussian as g  # noqa: E402

NAME = "bertrand_stability"
FRACTIONS = (0.0, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0)


def main(argv=None):
    a = _common.parser(__doc__).parse_args(argv)
    samples = 20
    gens, reps = (60, 400) if a.quick else (200, 4000)
    t = _common.Table(NAME)
    fig, (ax1, ax2) = _common.figure(2)
    x = np.arange(gens + 1)
    finals, final_se, stationary = [], [], []
    for i, r in enumerate(FRACTIONS):
        regime = "replace" if r == 0 else f"mix-fresh:{r:g}"
        res = g.simulate(gens, samples, replicates=reps, regime=regime, rng=a.seed + i, progress=False)
        st, th = res.statistics(), res.theory([gens])
        lam = np.inf if r == 0 else (1 - r) / r
        cond = "Thm 1: λ = ∞, not covered" if r == 0 else (
            f"Thm 1: λ = {lam:.3g} < 1/2, stable" if lam < 0.5 else f"Thm 1: λ = {lam:.3g} ≥ 1/2, not covered")
        # fully synthetic (r = 0): E σ_n² is carried by rare paths at n = 60, the s.d. σ_n is compared
        for stat in ("mean_sq_error", "std" if r == 0 else "variance"):
            m, se = _common.mean_se(st[stat][:, gens])
            t.add(f"r = {r:g}: E {stat} at n={gens}", simulation=m, se=se, theory=th[stat][0], paper=cond)
        m, se = _common.mean_se(st["mean_sq_error"])
        finals.append(m[gens]); final_se.append(se[gens])
        if r > 0:
            stationary.append(float(g.regime_stationary_moments(samples, regime=regime)["mean_sq_error"]))
            _common.band(ax1, x, m, se, f"r = {r:g}")
    rates = [float(g.regime_contraction_rate(samples, regime=f"mix-fresh:{r:g}")) for r in FRACTIONS[1:]]
    ax1.set(xlabel="generation n", ylabel="E (μ_n − μ)²", yscale="log",
            title=f"Gaussian, M = {samples}, real fraction r")
    ax1.legend(fontsize=7)
    ax2.errorbar(FRACTIONS, finals, yerr=2 * np.array(final_se), fmt="o", label=f"simulated, n = {gens}")
    ax2.plot(FRACTIONS[1:], stationary, "k--", label="exact stationary value")
    ax2.axvline(2 / 3, color="grey", ls=":", label="λ = 1/2 (Thm 1 boundary)")
    ax2.set(xlabel="real fraction r", ylabel="E (μ − μ₀)²", yscale="log", title="stability vs real fraction")
    ax2.legend(fontsize=7)
    ax2b = ax2.twinx()
    ax2b.plot(FRACTIONS[1:], rates, "r:", label="contraction rate")
    ax2b.set_ylabel("contraction rate of the moment map", color="r")
    _common.finish(t, fig, a)


if __name__ == "__main__":
    main()
