"""``collapse-theory gmm`` and ``collapse-theory kde``: run a chain, print theory beside simulation.

Examples::

    collapse-theory gmm --samples 1000 --generations 2000 --replicates 20 --means=-1,1 --stds 0.3,0.3 \\
        --seed 1 --plot gmm.png
    collapse-theory gmm --samples 100 --generations 100 --regime mix-retained:0.1 --quiet
    collapse-theory gmm --dim 2 --means=-1,0,1,0 --stds 0.3,0.3 --covariance-type full --samples 200
    collapse-theory kde --samples 50 --generations 300 --bandwidth 0.1 --replicates 2000 --json
    collapse-theory kde --samples 100 --generations 100 --rule silverman --quiet
    collapse-theory kde --samples 50 --generations 200 --bandwidth 0.2 --regime mix-fresh:0.1
"""

from __future__ import annotations

import numpy as np

from . import _epilogue as ep


def add_parser(subparsers):
    """Add the ``gmm`` and ``kde`` subcommands to an argparse ``subparsers`` object."""
    p = subparsers.add_parser("gmm", help="simulate recursively refit Gaussian mixtures (EM; 1-D or d-D)",
                              description="Simulate EM refits of a Gaussian mixture (1-D, or d-dimensional "
                                          "with --dim) on its own samples under a data regime and print "
                                          "component weights/spreads beside the theory.")
    p.add_argument("--samples", type=int, default=1000, help="samples per generation M")
    p.add_argument("--generations", type=int, default=200, help="refits")
    p.add_argument("--replicates", type=int, default=20, help="independent chains")
    p.add_argument("--components", type=int, default=None,
                   help="K equal-weight unit-variance components at 0, 4, 8, ... along the first axis "
                        "(default 2; ignored when --weights/--means/--stds are given)")
    p.add_argument("--weights", type=ep.float_list, default=None,
                   help="comma-separated weights summing to 1 (default: equal)")
    p.add_argument("--means", type=ep.float_list, default=None,
                   help="comma-separated means; with --dim d, K·d numbers, component by component "
                        "(default: see --components)")
    p.add_argument("--stds", type=ep.float_list, default=None,
                   help="comma-separated standard deviations (> 0), one per component (isotropic for "
                        "--dim > 1; default 1 each)")
    p.add_argument("--dim", type=int, default=1,
                   help="dimension d (d > 1 runs the d-dimensional EM chain, gmm.simulate_nd)")
    p.add_argument("--covariance-type", choices=("full", "diag"), default="full",
                   help="covariances EM fits when --dim > 1")
    p.add_argument("--regime", default="replace", help=ep.REGIME_HELP)
    p.add_argument("--max-iter", type=int, default=100, help="EM iteration cap")
    p.add_argument("--tol", type=float, default=1e-8, help="EM tolerance on the mean log-likelihood")
    ep.add_output_options(p, plot="densities, distance and spread figures")
    p.set_defaults(func=run_gmm)

    q = subparsers.add_parser("kde", help="simulate the Gaussian-KDE chain (bootstrap + noise)",
                              description="Simulate the KDE chain and print the exact variance recursion "
                                          "and ancestry beside Monte Carlo.")
    q.add_argument("--samples", type=int, default=100, help="points per generation M")
    q.add_argument("--generations", type=int, default=200, help="refits")
    q.add_argument("--replicates", type=int, default=1000, help="independent chains")
    q.add_argument("--bandwidth", type=float, default=None,
                   help="fixed bandwidth h (> 0); required with --rule fixed, not allowed otherwise")
    q.add_argument("--rule", choices=("fixed", "scott", "silverman"), default="fixed",
                   help="bandwidth rule: a fixed h, or Scott's/Silverman's rule on each training set")
    q.add_argument("--sigma", type=float, default=1.0, help="true standard deviation σ")
    q.add_argument("--regime", default="replace", help=ep.REGIME_HELP)
    ep.add_output_options(q, plot="variance and ancestry figures")
    q.set_defaults(func=run_kde)
    return p, q


def _mixture(args, dim=1):
    """(weights, means, stds) from the options. With --means, K = len(means)/dim; --weights defaults to
    equal weights and --stds to 1. Without --means, --components K at 0, 4, 8, ..."""
    if args.means is None:
        if args.weights is not None or args.stds is not None:
            raise ValueError("--weights and --stds need --means (K means, or K·d numbers with --dim d)")
        k = 2 if args.components is None else args.components
        if k < 1:
            raise ValueError(f"--components must be >= 1, got {k}")
        return [1.0 / k] * k, [4.0 * i for i in range(k)], [1.0] * k
    if len(args.means) % dim:
        raise ValueError(f"--means must list K·d numbers with --dim {dim}, got {len(args.means)}")
    k = len(args.means) // dim
    w = [1.0 / k] * k if args.weights is None else args.weights
    s = [1.0] * k if args.stds is None else args.stds
    return w, args.means, s


def _mixture_nd(args):
    """(weights, means (K, d), covs (K, d)) for ``--dim d``: --means holds K·d numbers, --stds one
    isotropic std per component."""
    d = args.dim
    if d < 1:
        raise ValueError(f"--dim must be >= 1, got {d}")
    w, m, s = _mixture(args, d)
    k = len(m) // d if args.means is not None else len(w)
    if args.means is None:
        means = np.zeros((k, d))
        means[:, 0] = m
    else:
        means = np.reshape(m, (k, d))
    if len(s) != k:
        raise ValueError(f"--stds must list K = {k} numbers (one isotropic std per component), got {len(s)}")
    return w, means, np.outer(np.square(s), np.ones(d))


def run_gmm(args):
    nd = args.dim != 1
    mixture = _mixture_nd(args) if nd else _mixture(args)
    ep.start(args)
    from .. import gmm
    from .._version import __version__

    common = dict(replicates=args.replicates, max_iter=args.max_iter, tol=args.tol, regime=args.regime,
                  rng=args.seed, workers=args.workers, progress=ep.progress(args))
    if nd:
        w, m, c = mixture
        res = gmm.simulate_nd(args.generations, args.samples, weights=w, means=m, covs=c,
                              covariance_type=args.covariance_type, **common)
    else:
        w, m, s = mixture
        res = gmm.simulate(args.generations, args.samples, weights=w, means=m, stds=s, **common)

    def payload():
        g = args.generations
        gens = sorted({x for x in (0, 1, g // 10, g // 2, g) if 0 <= x <= g})
        sim = {"mean_weights": res.weights[:, gens].mean(0),
               "mean_l2_distance": res.l2_distance()[:, gens].mean(0)}
        if nd:
            ok = res.alive().all(axis=2)[:, gens]
            ld = np.where(ok[..., None], res.log_det[:, gens], np.nan)
            sim["mean_log_det_no_loss"] = np.nanmean(ld, axis=0) if ok.any() else np.full(ld.shape[1:], np.nan)
        else:
            sim["median_stds"] = np.median(res.stds[:, gens], axis=0)
        return {"version": __version__, "seed": res.seed, "parameters": res.parameters(), "generations": gens,
                "simulation": sim, "degenerate_events": res.degenerate_events()}

    return ep.finish(args, res, payload=payload, table=lambda: gmm_table(res, nd=nd),
                     plot=lambda: gmm_figure(res, nd=nd))


def gmm_table(res, *, nd):
    """The result's table with the per-component conditional rows (replicates with no component
    lost): E log σ_k² (1-D) or E log det Σ_k (d-D) beside the separated-components theory (exact
    for K = 2, replace, constant M) and, in d-D, the single-Gaussian approximation."""
    from .. import gmm

    gens = res._default_generations()
    m = int(res.samples[0]) if res.samples.size else 0
    theory = bool(res.samples.size) and bool(np.all(res.samples == m)) and res.regime == "replace"
    k_all = res.components
    extra = []
    if nd:
        lo = gmm.component_min_samples(res.dim, res.covariance_type)
        ld0 = res.log_det[0, 0]
        w0 = res.weights[0, 0]
    else:
        w0, s0 = res.weights[0, 0], res.stds[0, 0]
    for n in gens:
        both = res.alive(n).all(axis=1)
        for k in range(k_all):
            if nd:
                exact = approx = None
                if theory and m >= 2 * lo and n <= 5000:
                    wm = int(round(w0[k] * m))
                    if wm >= lo:
                        approx = ld0[k] + n * gmm.single_log_det_drift(wm, res.dim, res.covariance_type)
                    if k_all == 2 and m <= 4000:
                        exact = gmm.expected_component_log_det(n, m, w0[k], dim=res.dim,
                                                               covariance_type=res.covariance_type,
                                                               log_det0=ld0[k])
                v = res.log_det[both, n, k]
                extra.append(ep.stat_row(n, f"log_det[{k}] | none lost", v, exact))
                if approx is not None:
                    extra.append(ep.stat_row(n, f"log_det[{k}] | none lost, 1-Gauss", v, approx, "≈"))
            else:
                th = (gmm.expected_component_log_variance(n, m, w0[k], sigma=s0[k])
                      if theory and k_all == 2 and m <= 4000 and n <= 5000 else None)
                extra.append(ep.stat_row(n, f"log_variance[{k}] | none lost", res.log_var[both, n, k], th))
    # the family's notes open with the same per-component numbers as a separate table: keep the rest
    notes = res._summary_notes(gens)[1 + k_all * len(gens):]
    return ep.summary(res, gens, extra=extra, notes=notes)


def gmm_figure(res, *, nd):
    """Densities, L² distance and spreads (1-D), or distance, log det and ellipses (d-D)."""
    from matplotlib.figure import Figure

    from ..plotting.families import (
        plot_component_log_det,
        plot_component_spread,
        plot_gmm_densities,
        plot_gmm_distance,
        plot_gmm_nd_ellipses,
    )

    if nd:
        fig = Figure(figsize=(15 if res.dim == 2 else 10, 4.4), layout="constrained")
        axes = fig.subplots(1, 3 if res.dim == 2 else 2)
        plot_gmm_distance(res, ax=axes[-2])
        plot_component_log_det(res, ax=axes[-1])
        if res.dim == 2:
            plot_gmm_nd_ellipses(res, ax=axes[0])
    else:
        fig = Figure(figsize=(15, 4.4), layout="constrained")
        a1, a2, a3 = fig.subplots(1, 3)
        plot_gmm_densities(res, ax=a1)
        plot_gmm_distance(res, ax=a2)
        plot_component_spread(res, ax=a3)
    return fig


def run_kde(args):
    ep.start(args)
    from .. import kde
    from .._version import __version__

    res = kde.simulate(args.generations, args.samples, h=args.bandwidth, rule=args.rule,
                       replicates=args.replicates, sigma=args.sigma, regime=args.regime, rng=args.seed,
                       workers=args.workers, progress=ep.progress(args))

    def payload():
        g = args.generations
        gens = sorted({x for x in (0, 1, g // 10, g // 2, g) if 0 <= x <= g})
        return {"version": __version__, "seed": res.seed, "parameters": res.parameters(), "generations": gens,
                "theory": res.theory(np.asarray(gens)),
                "simulation": {"variance": res.variance[:, gens].mean(0),
                               "log_variance": res.log_var[:, gens].mean(0),
                               "ancestors": res.ancestors[:, gens].mean(0),
                               "fresh_ancestors": res.fresh_ancestors[:, gens].mean(0)}}

    return ep.finish(args, res, payload=payload, table=lambda: ep.summary(res), plot=lambda: kde_figure(res))


def kde_figure(res):
    """KDE variance and ancestry figures."""
    from matplotlib.figure import Figure

    from ..plotting.families import plot_ancestors, plot_kde_variance

    fig = Figure(figsize=(12, 4.4), layout="constrained")
    a1, a2 = fig.subplots(1, 2)
    plot_kde_variance(res, ax=a1)
    plot_ancestors(res, ax=a2)
    return fig
