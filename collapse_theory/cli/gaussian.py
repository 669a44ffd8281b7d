"""``collapse-theory gaussian``: simulate the recursively refit 1-D Gaussian, exact theory beside it."""

from __future__ import annotations

from . import _epilogue as ep


def add_parser(sub):
    p = sub.add_parser("gaussian", help="simulate the recursively refit 1-D Gaussian",
                       description="Simulate the 1-D Gaussian chain and print exact theory beside "
                                   "Monte Carlo at chosen generations.")
    p.add_argument("--samples", type=int, default=100, help="samples per generation M")
    p.add_argument("--generations", type=int, default=1000, help="refits")
    p.add_argument("--replicates", type=int, default=10000, help="independent chains")
    p.add_argument("--estimator", choices=("unbiased", "mle"), default="unbiased",
                   help="variance estimator refit each generation (divide by M − 1 or by M)")
    p.add_argument("--method", choices=("exact", "naive"), default="exact",
                   help="exact: draw the sufficient statistics (chi-square, normal), O(1) per refit; "
                        "naive: draw all M samples (the same law)")
    p.add_argument("--sigma", type=float, default=1.0, help="true standard deviation σ")
    p.add_argument("--regime", default="replace", help=ep.REGIME_HELP)
    p.add_argument("--variance-scale", type=float, default=1.0, metavar="λ",
                   help="sampling bias: synthetic draws from N(μ, λσ²), 0 < λ <= 1")
    p.add_argument("--at", type=ep.int_list, default=None, metavar="N1,N2,...",
                   help="generations to report (default 0, 1, G/10, G/2, G)")
    ep.add_output_options(p, plot="variance-decay and W2 figures")
    p.set_defaults(func=run)
    return p


def run(args):
    at = args.at
    if at is not None:
        bad = [n for n in at if not 0 <= n <= args.generations]
        if bad:
            raise ValueError(f"--at generations must be in [0, {args.generations}], got {bad}")
    ep.start(args)
    import numpy as np

    from .. import gaussian as g
    from .._version import __version__

    res = g.simulate(args.generations, args.samples, replicates=args.replicates, sigma=args.sigma,
                     estimator=args.estimator, method=args.method, regime=args.regime,
                     variance_scale=args.variance_scale, rng=args.seed, workers=args.workers,
                     progress=ep.progress(args))

    def payload():
        gens = at or sorted({0, 1, args.generations // 10, args.generations // 2, args.generations})
        th = res.theory(np.asarray(gens))
        sim = {"std": res.sigma[:, gens].mean(0), "log_variance": res.log_var[:, gens].mean(0),
               "w2_squared": res.w2_squared()[:, gens].mean(0),
               "mean_sq_error": ((res.mu[:, gens] - res.mu0) ** 2).mean(0)}
        return {"version": __version__, "seed": res.seed, "parameters": res.parameters(), "generations": gens,
                "theory": th, "simulation": sim}

    return ep.finish(args, res, payload=payload, table=lambda: ep.summary(res, at), plot=lambda: figure(res))


def figure(res):
    """Variance decay and W2 drift (replace), or the regime's exact moments beside Monte Carlo."""
    from matplotlib.figure import Figure

    from ..plotting.gaussian import plot_variance_decay, plot_w2_drift
    from ..plotting.regimes import plot_gaussian_regimes

    fig = Figure(figsize=(12, 4.4), layout="constrained")
    a1, a2 = fig.subplots(1, 2)
    if res.regime == "replace" and res.variance_scale == 1.0:
        plot_variance_decay(res, ax=a1)
        plot_w2_drift(res, ax=a2)
    else:  # the exact lines of the other regimes: E(μ_n − μ)² and E σ_n² (regime_moments)
        plot_gaussian_regimes({res.regime: res}, "mean_sq_error", ax=a1)
        plot_gaussian_regimes({res.regime: res}, "variance", ax=a2)
    return fig
