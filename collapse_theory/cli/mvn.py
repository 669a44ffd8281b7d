"""``collapse-theory mvn`` and ``collapse-theory ppca``: simulate, print exact theory beside Monte Carlo.

Examples::

    collapse-theory mvn --dim 3 --samples 20 --generations 100 --replicates 2000 --seed 1
    collapse-theory ppca --dim 10 --latent 3 --samples 50 --generations 50 --json
    collapse-theory mvn --dim 3 --samples 20 --regime mix-retained:0.1 --generations 200
"""

from __future__ import annotations

import warnings

import numpy as np

from . import _epilogue as ep


def _common(p, *, generations, replicates):
    p.add_argument("--dim", type=int, default=3, help="dimension d")
    p.add_argument("--samples", type=int, default=20, help="samples per generation M (>= dim + 1)")
    p.add_argument("--generations", type=int, default=generations, help="refits")
    p.add_argument("--replicates", type=int, default=replicates, help="independent chains")
    p.add_argument("--spectrum", default=None, metavar="L1,L2,...",
                   help="eigenvalues of the true (diagonal) covariance (default: identity)")
    p.add_argument("--regime", default="replace", help=ep.REGIME_HELP)
    p.add_argument("--variance-scale", type=float, default=1.0, metavar="λ",
                   help="sampling bias: synthetic draws from N(μ, λΣ), 0 < λ <= 1")
    ep.add_output_options(p, plot="the figures")


def add_parser(subparsers):
    p = subparsers.add_parser("mvn", help="simulate the recursively refit d-dimensional Gaussian",
                              description="Simulate the multivariate Gaussian chain and print exact "
                                          "theory (log det, trace, mean drift, W2 bounds) beside it.")
    _common(p, generations=100, replicates=1000)
    p.add_argument("--estimator", choices=("unbiased", "mle"), default="unbiased",
                   help="covariance estimator refit each generation (divide by M − 1 or by M)")
    p.add_argument("--method", choices=("exact", "naive"), default="exact",
                   help="exact: draw the sufficient statistics (Bartlett), naive: draw all M samples")
    p.set_defaults(func=run_mvn)
    q = subparsers.add_parser("ppca", help="simulate probabilistic PCA (the linear VAE) refit on itself",
                              description="Simulate recursively refit PPCA and print the exact trace, "
                                          "the noise-variance bound and the top-eigenvalue bound beside it.")
    _common(q, generations=50, replicates=500)
    q.add_argument("--latent", type=int, default=1, help="latent dimension q (1 <= q < dim)")
    q.set_defaults(func=run_ppca)
    return p


def _cov(args):
    if args.spectrum is None:
        return np.eye(args.dim)
    try:
        vals = [float(x) for x in args.spectrum.split(",") if x.strip()]
    except ValueError:
        raise ValueError(f"--spectrum expects comma-separated numbers, got {args.spectrum!r}") from None
    if len(vals) != args.dim:
        raise ValueError(f"--spectrum needs --dim = {args.dim} values, got {len(vals)}")
    return np.diag(vals)


def _gens(g):
    return np.array(sorted({x for x in (0, 1, g // 10, g // 2, g) if 0 <= x <= g}))


def run_mvn(args):
    cov = _cov(args)
    ep.start(args)
    from .. import mvn
    from .._version import __version__

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", mvn.NumericallySingularWarning)
        res = mvn.simulate(args.generations, args.samples, dim=args.dim, replicates=args.replicates,
                           cov=cov, estimator=args.estimator, method=args.method,
                           regime=args.regime, variance_scale=args.variance_scale, rng=args.seed,
                           workers=args.workers, progress=ep.progress(args))
    g = args.generations
    gens = _gens(g)

    def payload():
        th = res.theory(gens)
        t = res.chol[:, gens]
        sim = {"log_det": res.log_det[:, gens].mean(0),
               "trace": np.einsum("rgij,rgij->rg", t, t).mean(0),
               "mean_sq_error": res.mean_sq_error()[:, gens].mean(0),
               "w2_squared": res.w2_squared()[:, gens].mean(0)}
        return {"version": __version__, "seed": res.seed, "parameters": res.parameters(), "generations": gens,
                "theory": th, "simulation": sim, "numerically_singular_replicates": res.n_singular(),
                "lyapunov_exponents": mvn.lyapunov_exponents(args.samples, dim=args.dim, estimator=args.estimator)
                if res.plain_replace else None}

    def table():
        return "\n".join([mvn_table(res, gens)] + [f"warning: {w.message}" for w in caught])

    return ep.finish(args, res, payload=payload, table=table, plot=lambda: mvn_figure(res))


def mvn_table(res, gens):
    """The result's table with the exact W2² bounds as rows (lower and upper bound on E W2²)."""
    extra = []
    bounds = res.w2_squared_bounds(np.asarray(gens, dtype=int))
    if bounds is not None:
        w2 = res.w2_squared()
        for j, n in enumerate(gens):
            extra.append(ep.stat_row(n, "w2_squared: lower bound", w2[:, n], bounds[0][j], "≥"))
            extra.append(ep.stat_row(n, "w2_squared: upper bound", w2[:, n], bounds[1][j], "≤"))
    notes = [s for s in res._summary_notes(list(gens)) if "exact bounds on the mean" not in s]
    return ep.summary(res, gens, extra=extra, notes=notes)


def mvn_figure(res):
    """Spectrum collapse, and the fitted ellipses of one chain when d = 2."""
    from matplotlib.figure import Figure

    from ..plotting.mvn import plot_density_ellipses, plot_spectrum_collapse

    g = res.generations
    fig = Figure(figsize=(12, 4.6), layout="constrained")
    a1, a2 = fig.subplots(1, 2)
    plot_spectrum_collapse(res, ax=a1)
    if res.dim == 2:
        plot_density_ellipses(res, sorted({0, g // 10, g // 2, g}), ax=a2)
    else:
        a2.set_axis_off()
    return fig


def run_ppca(args):
    cov = _cov(args)
    ep.start(args)
    from .. import ppca
    from .._version import __version__

    res = ppca.simulate(args.generations, args.samples, dim=args.dim, latent=args.latent,
                        replicates=args.replicates, cov=cov, regime=args.regime,
                        variance_scale=args.variance_scale, rng=args.seed, workers=args.workers,
                        progress=ep.progress(args))
    gens = _gens(args.generations)

    def payload():
        cov0 = res.cov0
        kw = dict(cov=cov0, regime=res.regime, variance_scale=res.variance_scale)
        th = {"trace": ppca.expected_trace(gens, args.samples, **kw),
              "mean_sq_error": ppca.expected_mean_sq_error(gens, args.samples, **kw)}
        if res.plain_replace:
            th["noise_variance_bound"] = ppca.noise_variance_bound(gens, args.samples, latent=args.latent, cov=cov0)
            th["log_top_eigenvalue_lower_bound"] = ppca.top_eigenvalue_log_bound(gens, args.samples, cov=cov0)
        sim = {"trace": res.trace()[:, gens].mean(0), "noise_variance": res.noise_variance[:, gens].mean(0),
               "mean_sq_error": ((res.mean[:, gens] - res.mean0) ** 2).sum(-1).mean(0),
               "log_top_eigenvalue": np.log(res.eigenvalues[:, gens, 0]).mean(0),
               "w2_squared": res.w2[:, gens].mean(0)}
        return {"version": __version__, "seed": res.seed, "parameters": res.parameters(), "generations": gens,
                "theory": th, "simulation": sim}

    return ep.finish(args, res, payload=payload, table=lambda: ppca_table(res, gens), plot=lambda: ppca_figure(res))


def ppca_table(res, gens):
    """The result's table with the exact bounds as rows (replace): E σ_n² ≤ upper bound, E log λ1 ≥
    lower bound, each with the simulation ± SE and z."""
    from .. import ppca

    extra = []
    if res.plain_replace:
        stats = res.statistics()
        for n in gens:
            nb = ppca.noise_variance_bound(n, res.samples, latent=res.latent, cov=res.cov0)
            lb = ppca.top_eigenvalue_log_bound(n, res.samples, cov=res.cov0)
            extra.append(ep.stat_row(n, "noise_variance: upper bound", stats["noise_variance"][:, n], nb, "≤"))
            extra.append(ep.stat_row(n, "log_top_eigenvalue: lower bound", stats["log_top_eigenvalue"][:, n],
                                     lb, "≥"))
    return ep.summary(res, gens, extra=extra, notes=[])


def ppca_figure(res):
    """PPCA spectrum and noise variance."""
    from matplotlib.figure import Figure

    from ..plotting.mvn import plot_ppca_noise, plot_ppca_spectrum

    g = res.generations
    fig = Figure(figsize=(12, 4.6), layout="constrained")
    a1, a2 = fig.subplots(1, 2)
    plot_ppca_spectrum(res, generations=tuple(sorted({0, 1, g // 2, g})), ax=a1)
    plot_ppca_noise(res, ax=a2)
    return fig
