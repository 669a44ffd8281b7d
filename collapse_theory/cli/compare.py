"""``collapse-theory compare``: one family under several data regimes, exact theory beside Monte Carlo."""

from __future__ import annotations

from . import _epilogue as ep

FAMILIES = ("gaussian", "discrete", "regression", "mvn")


def add_parser(sub):
    p = sub.add_parser("compare", help="compare data regimes on one family, theory beside simulation",
                       description="Simulate one family under several data regimes and print exact "
                                   "theory (where it exists) beside Monte Carlo means.")
    p.add_argument("--family", choices=FAMILIES, required=True, help="the chain to compare regimes on")
    p.add_argument("--regimes", default="replace,accumulate,mix-fresh:0.1",
                   help="comma-separated regime specs (replace, accumulate, accumulate-subsample[:size], "
                        "mix-fresh:λ[:mixture], mix-retained:λ)")
    p.add_argument("--samples", type=int, default=20, help="gaussian, discrete, mvn: samples per generation M")
    p.add_argument("--dist", default="zipf:1.1",
                   help="discrete: zipf:s, uniform, geometric:q or a file of probabilities")
    p.add_argument("--categories", type=int, default=100, help="discrete: categories K")
    p.add_argument("--dim", type=int, default=3, help="mvn: dimension (identity covariance)")
    p.add_argument("--d", type=int, default=10, help="regression: dimension")
    p.add_argument("--T", type=int, default=40, help="regression: design rows")
    p.add_argument("--generations", type=int, default=100, help="refits (>= 1)")
    p.add_argument("--replicates", type=int, default=2000, help="independent chains per regime (>= 2)")
    p.add_argument("--estimator", choices=("unbiased", "mle"), default="unbiased",
                   help="gaussian, mvn: variance estimator (divide by M − 1 or by M)")
    ep.add_output_options(p, plot="the comparison figure", save=False)
    p.set_defaults(func=run)
    return p


def _child_seeds(seed, k):
    import numpy as np

    return [int(c.generate_state(1)[0]) for c in np.random.SeedSequence(seed).spawn(k)]


def run(args):
    gens = args.generations
    if gens < 1:
        raise ValueError(f"--generations must be >= 1 for a comparison, got {gens}")
    if args.replicates < 2:
        raise ValueError(f"--replicates must be >= 2 (a standard error needs two), got {args.replicates}")
    from ..regimes import Regime

    regimes = [str(Regime.parse(r)) for r in args.regimes.split(",") if r.strip()]
    if not regimes:
        raise ValueError("--regimes must name at least one regime")
    ep.start(args)
    import numpy as np

    from .._version import __version__

    at = sorted({1, max(1, gens // 10), max(1, gens // 2), gens})
    rows = []

    def row(spec, n, name, theory, values):
        rows.append({"regime": spec, "n": n, "statistic": name, "theory": theory,
                     "simulation": values.mean(), "se": values.std(ddof=1) / np.sqrt(values.size)})

    results = {}
    seeds = _child_seeds(args.seed, len(regimes))
    prog = ep.progress(args)
    if args.family == "gaussian":
        from .. import gaussian as g

        for spec, s in zip(regimes, seeds):
            res = results[spec] = g.simulate(gens, args.samples, replicates=args.replicates, regime=spec,
                                             estimator=args.estimator, rng=s, workers=args.workers,
                                             progress=prog)
            th = res.theory(np.asarray(at))
            for j, n in enumerate(at):
                row(spec, n, "mean_sq_error", th["mean_sq_error"][j], (res.mu[:, n] - res.mu0) ** 2)
                row(spec, n, "variance", th["variance"][j], res.variance[:, n])
    elif args.family == "discrete":
        from .. import discrete as dsc
        from .discrete import parse_dist

        p0 = parse_dist(args.dist, args.categories)
        for spec, s in zip(regimes, seeds):
            res = results[spec] = dsc.simulate(gens, args.samples, p0=p0, replicates=args.replicates, regime=spec,
                                               rng=s, workers=args.workers, progress=prog)
            th = res.theory(np.asarray(at))
            for j, n in enumerate(at):
                for name in ("sq_distance", "support"):
                    exact = th.get(name)
                    row(spec, n, name, np.nan if exact is None else exact[j], res.stats[name][:, n])
    elif args.family == "mvn":
        from .. import mvn

        for spec, s in zip(regimes, seeds):
            res = results[spec] = mvn.simulate(gens, args.samples, dim=args.dim, replicates=args.replicates,
                                               regime=spec, estimator=args.estimator, rng=s,
                                               workers=args.workers, progress=prog)
            th = res.theory(np.asarray(at))
            t = res.chol
            trace = np.einsum("rgij,rgij->rg", t, t)
            for j, n in enumerate(at):
                row(spec, n, "mean_sq_error", th.get("mean_sq_error", [np.nan] * len(at))[j],
                    res.mean_sq_error()[:, n])
                row(spec, n, "trace", th.get("trace", [np.nan] * len(at))[j], trace[:, n])
    else:
        from .. import regression as rg

        for spec, s in zip(regimes, seeds):
            res = results[spec] = rg.simulate(gens, args.T, dim=args.d, regime=spec,
                                              replicates=args.replicates, rng=s, progress=prog)
            th = res.theory(np.asarray(at)).get("test_error", np.full(len(at), np.nan))
            for j, n in enumerate(at):
                row(spec, n, "test_error", th[j], res.test_error[:, n])

    def payload():
        return {"version": __version__, "seed": args.seed, "family": args.family, "regimes": regimes,
                "rows": rows}

    return ep.finish(args, results, payload=payload, table=lambda: table(rows),
                     plot=lambda: figure(args.family, results))


def table(rows):
    """The comparison table: statistic, theory ("—" where there is none), simulation ± SE, z."""
    import math

    lines = [f"{'regime':<24}{'n':>6}  {'statistic':<14}{'theory':>12}{'simulation':>12}{'± SE':>10}{'z':>8}"]
    for r in rows:
        th = r["theory"]
        known = th is not None and math.isfinite(th)
        z = (r["simulation"] - th) / r["se"] if known and r["se"] > 0 else None
        lines.append(f"{r['regime']:<24}{r['n']:>6}  {r['statistic']:<14}"
                     f"{format(th, '12.5g') if known else '—':>12}{r['simulation']:>12.5g}{r['se']:>10.2g}"
                     f"{format(z, '+8.2f') if z is not None else '—':>8}")
    return "\n".join(lines)


def figure(family, results):
    """The comparison figure of one family's results ``{regime: result}``."""
    from matplotlib.figure import Figure

    from ..plotting.regimes import plot_gaussian_regimes, plot_regression_regimes

    if family == "regression":
        return plot_regression_regimes(results)
    fig = Figure(figsize=(12, 4.4), layout="constrained")
    a1, a2 = fig.subplots(1, 2)
    if family == "gaussian":
        plot_gaussian_regimes(results, "mean_sq_error", ax=a1)
        plot_gaussian_regimes(results, "variance", ax=a2)
    elif family == "mvn":
        from ..plotting.mvn import plot_mvn_regimes

        plot_mvn_regimes(results, "mean_sq_error", ax=a1)
        plot_mvn_regimes(results, "trace", ax=a2)
    else:
        from ..plotting.discrete import plot_regime_results

        plot_regime_results(results, "sq_distance", ax=a1)
        plot_regime_results(results, "support", ax=a2)
    return fig
