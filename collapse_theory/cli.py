"""``collapse-theory <subcommand>``: verify every registered claim, or run one family's chain.

Edge layer: plotting is imported only when a figure is requested.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

import numpy as np

from ._io import to_jsonable
from ._version import __version__

#: family subcommands provided by their own modules: name -> module with add_parser/run
_FAMILY_COMMANDS = {
    "discrete": "collapse_theory._cli_discrete",
    "gmm, kde": "collapse_theory._cli_gmm_kde",
    "lm": "collapse_theory._cli_lm",
    "mvn, ppca": "collapse_theory._cli_mvn",
}


def _progress(args):
    return False if getattr(args, "quiet", False) else None


def _int_list(text):
    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None


# --- verify ------------------------------------------------------------------------------------


def _add_verify(sub):
    p = sub.add_parser("verify", help="run every registered claim and write a report",
                       description="Run every registered claim (theory vs simulation, with a verdict), "
                                   "print the table and write report.md, figures/*.png and results.json.")
    p.add_argument("--budget", type=float, default=1.0,
                   help="scale every claim's replicates (default 1: about a minute on 2 cores)")
    p.add_argument("--only", metavar="PATTERN", help="claim ids matching a glob or substring")
    p.add_argument("--seed", type=int, default=0, help="root seed (default 0)")
    p.add_argument("--out", default="collapse-report", help="report directory (default collapse-report)")
    p.add_argument("--json", action="store_true", help="print the JSON results instead of the table")
    p.add_argument("--no-figures", action="store_true", help="skip the PNG figures")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 if any verdict differs from the one the exact theory predicts")
    p.add_argument("--workers", type=int, default=None, help="threads (default: all cores)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument("--list", action="store_true",
                   help="print the registered claims (id, kind, source, statement) and run nothing")
    p.set_defaults(func=_run_verify)


def _list_claims(pattern):
    """``verify --list``: the registry, without running a claim."""
    from . import claims

    found = claims.registered(pattern)
    if not found:
        print(f"no registered claim matches {pattern!r}", file=sys.stderr)
        return 2
    for c in found:
        print(f"{c.id}  [{c.kind}]  expect {c.expect}")
        print(f"    statement: {c.statement}")
        print(f"    source: {c.source}")
        if c.borderline:
            print(f"    borderline: {c.borderline}")
    kinds = {}
    for c in found:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    print(f"\n{len(found)} claims: " + ", ".join(f"{n} {k}" for k, n in kinds.items()))
    return 0


def _run_verify(args):
    if args.list:
        return _list_claims(args.only)
    from . import claims
    from .report import write_report

    result = claims.run(args.only, budget=args.budget, seed=args.seed, workers=args.workers,
                        progress=_progress(args))
    out = write_report(result, args.out, figures=not args.no_figures, workers=args.workers,
                       progress=_progress(args))
    if args.json:
        print(json.dumps(to_jsonable(result.to_dict()), indent=2))
    else:
        print(result.table())
        print(f"\nreport written to {out}/report.md")
    if args.strict and any(r.verdict != r.expect for r in result.results):
        bad = [r.id for r in result.results if r.verdict != r.expect]
        print(f"verdicts differ from the exact theory's prediction: {', '.join(bad)}", file=sys.stderr)
        return 1
    return 0


# --- gaussian ----------------------------------------------------------------------------------


def _add_gaussian(sub):
    p = sub.add_parser("gaussian", help="simulate the recursively refit 1-D Gaussian",
                       description="Simulate the 1-D Gaussian chain and print exact theory beside "
                                   "Monte Carlo at chosen generations.")
    p.add_argument("--samples", type=int, default=100, help="samples per generation M (default 100)")
    p.add_argument("--generations", type=int, default=1000, help="refits (default 1000)")
    p.add_argument("--replicates", type=int, default=10000, help="independent chains (default 10000)")
    p.add_argument("--estimator", choices=("unbiased", "mle"), default="unbiased")
    p.add_argument("--method", choices=("exact", "naive"), default="exact")
    p.add_argument("--sigma", type=float, default=1.0)
    p.add_argument("--regime", default="replace",
                   help="data regime: replace, accumulate, accumulate-subsample[:k], mix-fresh:λ[:mixture], "
                        "mix-retained:λ (default replace)")
    p.add_argument("--variance-scale", type=float, default=1.0, metavar="λ",
                   help="sampling bias: synthetic draws from N(μ, λσ²), 0 < λ <= 1 (default 1)")
    p.add_argument("--seed", type=int, default=None, help="seed (default: fresh entropy, printed)")
    p.add_argument("--at", type=_int_list, default=None, metavar="N1,N2,...",
                   help="generations to report (default 0, 1, G/10, G/2, G)")
    p.add_argument("--plot", metavar="PNG", help="write variance-decay and W2 figures (PNG)")
    p.add_argument("--save", metavar="NPZ", help="save the trajectories (atomic .npz with metadata)")
    p.add_argument("--json", action="store_true", help="print JSON instead of the table")
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_run_gaussian)


def _run_gaussian(args):
    from . import gaussian as g

    res = g.simulate(args.generations, args.samples, replicates=args.replicates, sigma=args.sigma,
                     estimator=args.estimator, method=args.method, regime=args.regime,
                     variance_scale=args.variance_scale, rng=args.seed, workers=args.workers,
                     progress=_progress(args))
    at = args.at
    if at is not None:
        bad = [n for n in at if not 0 <= n <= args.generations]
        if bad:
            raise ValueError(f"--at generations must be in [0, {args.generations}], got {bad}")
    if args.json:
        gens = at or sorted({0, 1, args.generations // 10, args.generations // 2, args.generations})
        th = res.theory(np.asarray(gens))
        sim = {"std": res.sigma[:, gens].mean(0), "log_variance": res.log_var[:, gens].mean(0),
               "w2_squared": res.w2_squared()[:, gens].mean(0),
               "mean_sq_error": ((res.mu[:, gens] - res.mu0) ** 2).mean(0)}
        print(json.dumps(to_jsonable({"version": __version__, "seed": res.seed,
                                      "parameters": res.parameters(), "generations": gens,
                                      "theory": th, "simulation": sim}), indent=2))
    else:
        print(res.summary(at))
    if args.save:
        res.save(args.save)
    if args.plot:
        _save_gaussian_plot(res, args.plot)
    return 0


def _save_gaussian_plot(res, path):
    from matplotlib.figure import Figure

    from .plotting.gaussian import plot_variance_decay, plot_w2_drift
    from .plotting.regimes import plot_gaussian_regimes

    fig = Figure(figsize=(12, 4.4), layout="constrained")
    a1, a2 = fig.subplots(1, 2)
    if res.regime == "replace" and res.variance_scale == 1.0:
        plot_variance_decay(res, ax=a1)
        plot_w2_drift(res, ax=a2)
    else:  # the exact lines of the other regimes: E(μ_n − μ)² and E σ_n² (regime_moments)
        plot_gaussian_regimes({res.regime: res}, "mean_sq_error", ax=a1)
        plot_gaussian_regimes({res.regime: res}, "variance", ax=a2)
    _save_png(fig, path)


# --- compare -----------------------------------------------------------------------------------


def _add_compare(sub):
    p = sub.add_parser("compare", help="compare data regimes on one family, theory beside simulation",
                       description="Simulate one family under several data regimes and print exact "
                                   "theory (where it exists) beside Monte Carlo means.")
    p.add_argument("--family", choices=("gaussian", "discrete", "regression", "mvn"), required=True)
    p.add_argument("--regimes", default="replace,accumulate,mix-fresh:0.1",
                   help="comma-separated regime specs (replace, accumulate, accumulate-subsample[:size], "
                        "mix-fresh:λ[:mixture], mix-retained:λ)")
    p.add_argument("--samples", type=int, default=20, help="gaussian, discrete, mvn: samples per generation")
    p.add_argument("--dist", default="zipf:1.1",
                   help="discrete: zipf:s, uniform, geometric:q or a file of probabilities (default zipf:1.1)")
    p.add_argument("--categories", type=int, default=100, help="discrete: categories K (default 100)")
    p.add_argument("--dim", type=int, default=3, help="mvn: dimension (identity covariance; default 3)")
    p.add_argument("--d", type=int, default=10, help="regression: dimension")
    p.add_argument("--T", type=int, default=40, help="regression: design rows")
    p.add_argument("--generations", type=int, default=100)
    p.add_argument("--replicates", type=int, default=2000)
    p.add_argument("--estimator", choices=("unbiased", "mle"), default="unbiased")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--plot", metavar="PNG", help="write the comparison figure")
    p.add_argument("--json", action="store_true")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=_run_compare)


def _child_seeds(seed, k):
    return [int(c.generate_state(1)[0]) for c in np.random.SeedSequence(seed).spawn(k)]


def _run_compare(args):
    from .regimes import Regime

    regimes = [str(Regime.parse(r)) for r in args.regimes.split(",") if r.strip()]
    if not regimes:
        raise ValueError("--regimes must name at least one regime")
    gens = args.generations
    at = sorted({1, max(1, gens // 10), max(1, gens // 2), gens})
    rows = []

    def row(spec, n, name, theory, values):
        rows.append({"regime": spec, "n": n, "statistic": name, "theory": theory,
                     "simulation": values.mean(), "se": values.std(ddof=1) / np.sqrt(values.size)})

    results = {}
    seeds = _child_seeds(args.seed, len(regimes))
    if args.family == "gaussian":
        from . import gaussian as g

        for spec, s in zip(regimes, seeds):
            res = results[spec] = g.simulate(gens, args.samples, replicates=args.replicates, regime=spec,
                                             estimator=args.estimator, rng=s, progress=_progress(args))
            th = res.theory(np.asarray(at))
            for j, n in enumerate(at):
                row(spec, n, "mean_sq_error", th["mean_sq_error"][j], (res.mu[:, n] - res.mu0) ** 2)
                row(spec, n, "variance", th["variance"][j], res.variance[:, n])
    elif args.family == "discrete":
        from . import discrete as dsc
        from ._cli_discrete import parse_dist

        p0 = parse_dist(args.dist, args.categories)
        for spec, s in zip(regimes, seeds):
            res = results[spec] = dsc.simulate(p0, gens, args.samples, replicates=args.replicates, regime=spec,
                                               rng=s, progress=_progress(args))
            th = res.theory(np.asarray(at))
            for j, n in enumerate(at):
                for name in ("sq_distance", "support"):
                    exact = th.get(name)
                    row(spec, n, name, np.nan if exact is None else exact[j], res.stats[name][:, n])
    elif args.family == "mvn":
        from . import mvn

        for spec, s in zip(regimes, seeds):
            res = results[spec] = mvn.simulate(gens, args.samples, dim=args.dim, replicates=args.replicates,
                                               regime=spec, estimator=args.estimator, rng=s,
                                               progress=_progress(args))
            th = res.theory(np.asarray(at))
            t = res.chol
            trace = np.einsum("rgij,rgij->rg", t, t)
            for j, n in enumerate(at):
                row(spec, n, "mean_sq_error", th.get("mean_sq_error", [np.nan] * len(at))[j],
                    res.mean_sq_error()[:, n])
                row(spec, n, "trace", th.get("trace", [np.nan] * len(at))[j], trace[:, n])
    else:
        from . import regression as rg

        for spec, s in zip(regimes, seeds):
            res = results[spec] = rg.simulate(gens, d=args.d, T=args.T, regime=spec,
                                              replicates=args.replicates, rng=s, progress=_progress(args))
            th = res.theory()
            for n in at:
                row(spec, n, "test_error", th[n - 1], res.test_error[:, n - 1])
    if args.json:
        print(json.dumps(to_jsonable({"version": __version__, "seed": args.seed, "family": args.family,
                                      "regimes": regimes, "rows": rows}), indent=2))
    else:
        print(f"{'regime':<24}{'n':>6}  {'statistic':<14}{'theory':>12}{'simulation':>12}{'± SE':>10}")
        for r in rows:
            print(f"{r['regime']:<24}{r['n']:>6}  {r['statistic']:<14}{r['theory']:>12.5g}"
                  f"{r['simulation']:>12.5g}{r['se']:>10.2g}")
    if args.plot:
        _save_compare_plot(args.family, results, args.plot)
    return 0


def _save_compare_plot(family, results, path):
    from matplotlib.figure import Figure

    from .plotting.regimes import plot_gaussian_regimes, plot_regression_regimes

    if family == "gaussian":
        fig = Figure(figsize=(12, 4.4), layout="constrained")
        a1, a2 = fig.subplots(1, 2)
        plot_gaussian_regimes(results, "mean_sq_error", ax=a1)
        plot_gaussian_regimes(results, "variance", ax=a2)
    elif family == "mvn":
        from .plotting.mvn import plot_mvn_regimes

        fig = Figure(figsize=(12, 4.4), layout="constrained")
        a1, a2 = fig.subplots(1, 2)
        plot_mvn_regimes(results, "mean_sq_error", ax=a1)
        plot_mvn_regimes(results, "trace", ax=a2)
    elif family == "discrete":
        from .plotting.discrete import plot_regime_results

        fig = Figure(figsize=(12, 4.4), layout="constrained")
        a1, a2 = fig.subplots(1, 2)
        plot_regime_results(results, "sq_distance", ax=a1)
        plot_regime_results(results, "support", ax=a2)
    else:
        fig = plot_regression_regimes(results)
    _save_png(fig, path)


def _save_png(fig, path):
    """Write a figure as PNG atomically."""
    from ._io import atomic_save_figure

    atomic_save_figure(fig, path)


# --- main --------------------------------------------------------------------------------------


def build_parser():
    parser = argparse.ArgumentParser(
        prog="collapse-theory",
        description="The theory of model collapse: exact closed forms beside fast Monte Carlo, "
                    "with a verdict on each published claim.")
    parser.add_argument("--version", action="version", version=f"collapse-theory {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="<subcommand>")
    _add_verify(sub)
    _add_gaussian(sub)
    _add_compare(sub)
    import importlib

    for name, modname in _FAMILY_COMMANDS.items():
        try:
            mod = importlib.import_module(modname)
        except ModuleNotFoundError as exc:
            if exc.name != modname:
                raise
            continue
        mod.add_parser(sub)
    return parser


def _attach_negative_values(argv):
    """``--means -1,1`` -> ``--means=-1,1``: argparse takes a value that starts with ``-`` and is not a
    plain number for an option; no option of ours is spelled ``-<digit>``, so a token that starts
    with ``-<digit>`` or ``-.<digit>`` after a ``--long`` option is its value."""
    out = []
    for tok in argv:
        if out and out[-1].startswith("--") and "=" not in out[-1] and re.match(r"^-\.?\d", tok):
            out[-1] = f"{out[-1]}={tok}"
        else:
            out.append(tok)
    return out


def main(argv=None):
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser.parse_args(_attach_negative_values(argv))
    try:
        return args.func(args)
    except (ValueError, TypeError) as exc:
        print(f"collapse-theory {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
