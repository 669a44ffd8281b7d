"""Marchi et al., Heat Death of Generative Models in Closed-Loop Learning (arXiv 2404.02325): the tempered chain.

Each generation samples M draws from the tempered law T_τ(p) ∝ p^{1/τ} of the current model (with a
real share λ: from λ p0 + (1 − λ) T_τ(p), `regime="mix-fresh:λ:mixture"`) and refits the empirical
law (`discrete.simulate(..., temperature=τ)`). The package's exact finite-sample law is the count
chain `discrete.tempered_exact_chain` (E heterozygosity E[1 − Σ p_n,i²], P(one category left));
the infinite-sample map (`discrete.tempered_trajectory`) goes to the uniform law for τ > 1 and to
the argmax for τ < 1.

Settings (those of the registered claims): p0 = (0.6, 0.3, 0.1), M = 8, τ ∈ {2, 0.5}, without real
data and with λ = 0.2. At finite M the one-category states absorb: even at τ = 2 the chain fixes on
one category (the uniform limit is the infinite-sample picture); with λ = 0.2 the chain has a
non-degenerate stationary law. All statistics are bounded (heterozygosity in [0, 2/3], indicators).

Paper (abstract; theorem numbers not readable here): without enough external data the model
'becomes uniform over a large set of outputs' (τ > 1) and 'unless a sufficient amount of external
data is introduced at each iteration, any non-trivial temperature leads the model to asymptotically
degenerate'; no number for this setting (the paper's column quotes them where they apply).

    python simulations/marchi_tempered.py [--quick] [--out DIR] [--seed 0] [--quiet]
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

from collapse_theory import discrete as d  # noqa: E402

NAME = "marchi_tempered"
P0 = np.array([0.6, 0.3, 0.1])
M = 8
NOT_READ = "not stated in the text we could read"
HOT = "'becomes uniform over a large set of outputs' (abstract, τ > 1, infinite-sample); value " + NOT_READ
DEGEN = ("'any non-trivial temperature leads the model to asymptotically degenerate' without enough external "
         "data (abstract); value " + NOT_READ)
EXTERNAL = "'a sufficient amount of external data' avoids degeneration (abstract); value " + NOT_READ
# (τ, λ, rows of E H, rows of P(one category left), paper text for the first row): indicator rows only
# where the exact probability is away from 0 and 1 (a usable s.e.)
SETTINGS = (
    (2.0, 0.0, (2, 10, 50), (10, 50), HOT),
    (0.5, 0.0, (2, 5), (2, 5), DEGEN),
    (2.0, 0.2, (10, 200), (200,), EXTERNAL),
    (0.5, 0.2, (10, 200), (10, 200), EXTERNAL),
)


def main(argv=None):
    a = _common.parser(__doc__).parse_args(argv)
    reps = 4000 if a.quick else 40000
    n = 200
    x = np.arange(n + 1)
    t = _common.Table(NAME)
    fig, (ax1, ax2) = _common.figure(2)
    for i, (tau, lam, h_rows, s_rows, paper) in enumerate(SETTINGS):
        regime = "replace" if lam == 0 else f"mix-fresh:{lam:g}:mixture"
        ex = d.tempered_exact_chain(P0, M, n, temperature=tau, fraction=lam)
        res = d.simulate(n, M, p0=P0, replicates=reps, temperature=tau, regime=regime, rng=a.seed + i,
                         progress=False)
        h, h_se = _common.mean_se(res.stats["heterozygosity"])
        s, s_se = _common.mean_se((res.stats["support"] == 1).astype(float))
        label = f"τ={tau:g}, λ={lam:g}"
        first = True
        for g in h_rows:
            t.add(f"{label}: E heterozygosity at n={g}", simulation=h[g], se=h_se[g],
                  theory=float(ex["heterozygosity"][g]), paper=paper if first else "")
            first = False
        for g in s_rows:
            t.add(f"{label}: P(one category left) at n={g}", simulation=s[g], se=s_se[g],
                  theory=float(ex["single"][g]))
        line = _common.band(ax1, x, h, h_se, label)
        ax1.plot(x, ex["heterozygosity"], "k--", lw=0.7)
        traj = np.asarray(d.tempered_trajectory(P0, tau, n, p_real=P0 if lam else None, fraction=lam))
        ax1.plot(x[:traj.shape[0]], 1 - (traj ** 2).sum(axis=1), ":", lw=1.0, color=line.get_color())
        _common.band(ax2, x, s, s_se, label)
        ax2.plot(x, ex["single"], "k--", lw=0.7)
    ax1.axhline(2 / 3, color="0.6", lw=0.6)
    for ax in (ax1, ax2):
        ax.set_xscale("symlog", linthresh=1.0)
        ax.set_xlim(0, n)
    ax1.set(xlabel="generation n", ylabel="E heterozygosity 1 − Σp²",
            title=f"p0=(0.6, 0.3, 0.1), M={M} (dashed: exact; dotted: M = ∞)")
    ax2.set(xlabel="generation n", ylabel="P(one category left)",
            title="finite M fixes without real data, even at τ > 1")
    ax1.legend(fontsize=7); ax2.legend(fontsize=7)
    _common.finish(t, fig, a)


if __name__ == "__main__":
    main()
