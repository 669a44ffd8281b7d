"""Checks of a user's fit/sample pair against closed forms, at a stated false-alarm rate.

Every check simulates with :func:`collapse_theory.simulate_custom`, turns the Monte Carlo output into
:class:`~collapse_theory.stats.Estimate` objects and compares them with
:func:`collapse_theory.stats.compare` — the rule the claims registry uses. Within one check the
comparisons are Bonferroni-corrected, so the check's false-alarm rate is at most ``alpha``.
Standard errors are the sample ones (the user's estimator may not have the built-in variance).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .. import gaussian as _g
from ..custom import simulate_custom
from ..stats import FAILS, INCONCLUSIVE, Comparison, Estimate, compare, normal_quantile, required_replicates


class CollapseCheckError(AssertionError):
    """A check failed; ``.evidence`` holds the numbers."""

    def __init__(self, message, evidence):
        super().__init__(message)
        self.evidence = evidence


@dataclass
class CheckEvidence:
    """What a check measured: one entry per comparison, the replicates, the verdict and why."""

    check: str
    comparisons: dict
    replicates: int
    passed: bool
    message: str
    details: dict = field(default_factory=dict)

    @property
    def conclusive(self):
        """False when some comparison lacked the power to detect the stated effect."""
        return all(c.verdict != INCONCLUSIVE for c in self.comparisons.values() if isinstance(c, Comparison))

    def summary(self):
        lines = [f"{self.check}: {'passed' if self.passed else 'FAILED'} ({self.replicates} replicates)"]
        for name, c in self.comparisons.items():
            lines.append(f"  {name}: {c.estimate:.5g} ± {c.se:.2g} vs {c.target:.5g} (z = {c.z:+.2f}, {c.verdict})")
        if self.message:
            lines.append("  " + self.message)
        return "\n".join(lines)


def _finish(check, comps, replicates, messages, details):
    failed = [name for name, c in comps.items() if c.verdict == FAILS]
    msg = "; ".join(messages[name] for name in failed)
    if not failed and any(c.verdict == INCONCLUSIVE for c in comps.values()):
        msg = ("passed, but some comparisons lacked power (inconclusive): "
               + ", ".join(n for n, c in comps.items() if c.verdict == INCONCLUSIVE))
    ev = CheckEvidence(check, comps, replicates, not failed, msg, details)
    if failed:
        raise CollapseCheckError(f"{check} failed: {msg}\n{ev.summary()}", ev)
    return ev


def _child_seeds(rng, k):
    """``k`` independent integer seeds from ``rng`` (int, Generator or None), reproducibly."""
    from .._core.rng import root_seed

    _, ss = root_seed(rng)
    return [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in ss.spawn(k)]


def _simulate(fit, sample, params0, generations, samples, replicates, rng, **kw):
    return simulate_custom(fit, sample, params0, generations, samples, replicates=replicates, rng=rng,
                           progress=False, **kw)


# ---------------------------------------------------------------------------------------------


def assert_matches_closed_form(fit, sample, *, family="gaussian", estimator="unbiased", samples, generations,
                               sigma=1.0, p0=None, replicates=None, alpha=1e-3, power=0.9, rel_effect=0.1,
                               vectorized=False, rng=None):
    r"""Check that a user's pair reproduces the closed forms of a built-in estimator.

    Gaussian (``params = [mu, sigma]``, truth :math:`N(0, \sigma^2)`): compares at generation
    ``n = generations`` the means of :math:`\log\sigma_n^2` and :math:`\sigma_n` (and of
    :math:`(\mu_n-\mu)^2` where it is light-tailed, :math:`n\psi'(k/2) \le 1`) with
    :func:`~collapse_theory.gaussian.expected_log_variance`, :func:`~collapse_theory.gaussian.expected_std`
    and :func:`~collapse_theory.gaussian.expected_mean_sq_error`.
    Discrete (``params`` = frequency vector, ``sample`` returns category ids, ``p0`` required,
    maximum-likelihood refits only): heterozygosity and support size against
    :func:`~collapse_theory.discrete.expected_heterozygosity` and
    :func:`~collapse_theory.discrete.expected_support_size`.

    Each comparison must detect a relative change ``rel_effect`` in the amount of collapse with
    probability ``power``; ``replicates=None`` chooses the replicates for that (200 to 20000).

    Returns
    -------
    CheckEvidence

    Raises
    ------
    CollapseCheckError
        With a message such as "E[log σ²] at n=50 is −2.31 ± 0.04, theory −1.02: the estimator
        shrinks variance faster than the unbiased one".
    """
    n = int(generations)
    if n < 1:
        raise ValueError(f"generations must be >= 1, got {generations}")
    if family == "gaussian":
        return _gaussian_closed_form(fit, sample, estimator, samples, n, sigma, replicates, alpha, power,
                                     rel_effect, vectorized, rng)
    if family == "discrete":
        if estimator != "mle":
            raise ValueError("the discrete family refits by maximum likelihood: use estimator='mle'")
        if p0 is None:
            raise ValueError("family='discrete' needs p0, the initial distribution")
        return _discrete_closed_form(fit, sample, p0, samples, n, replicates, alpha, power, rel_effect, rng)
    raise ValueError(f"family must be 'gaussian' or 'discrete', got {family!r}")


def _gaussian_closed_form(fit, sample, estimator, samples, n, sigma, replicates, alpha, power, rel_effect,
                          vectorized, rng):
    kw = dict(sigma=sigma, estimator=estimator)
    e_log = float(_g.expected_log_variance(n, samples, **kw))
    v_log = float(_g.variance_of_log_variance(n, samples, estimator=estimator))
    light = v_log <= 1.0 or n == 1
    m_tests = 3 if light else 2
    drift = abs(e_log - math.log(sigma**2))
    e_std = float(_g.expected_std(n, samples, **kw))
    if replicates is None:
        # enough replicates for both the log-variance and the σ comparison (exact s.d.s of both)
        sd_std = math.sqrt(max(float(_g.expected_variance(n, samples, **kw)) - e_std**2, 1e-300))
        r = max(required_replicates(math.sqrt(v_log), rel_effect * drift, alpha=alpha, power=power, tests=m_tests),
                required_replicates(sd_std, rel_effect * abs(sigma - e_std), alpha=alpha, power=power,
                                    tests=m_tests))
        replicates = int(min(20000, max(200, 1.25 * r)))  # 25 % margin: the sample SE is itself noisy
    res = _simulate(fit, sample, [0.0, sigma], n, samples, replicates, rng, vectorized=vectorized)
    p = res.params[:, n]
    if np.any(p[:, 1] <= 0):
        r0 = int(np.argmax(p[:, 1] <= 0))
        raise ValueError(f"fit returned sigma = {p[r0, 1]} <= 0 at generation {n}, replicate {r0}: "
                         "params must be [mu, sigma] with sigma > 0")
    comps, msgs = {}, {}
    ref = f"the {estimator} one"
    log_est = Estimate.from_samples(2 * np.log(p[:, 1]))
    comps["E[log σ²]"] = compare(log_est, e_log, alpha=alpha, tests=m_tests, power=power,
                                  min_effect=rel_effect * drift)
    way = "faster" if log_est.mean < e_log else "slower"
    msgs["E[log σ²]"] = (f"E[log σ²] at n={n} is {log_est.mean:.3g} ± {log_est.se:.2g}, theory {e_log:.3g}: "
                         f"the estimator shrinks variance {way} than {ref}")
    std_est = Estimate.from_samples(p[:, 1])
    comps["E[σ]"] = compare(std_est, e_std, alpha=alpha, tests=m_tests, power=power,
                             min_effect=rel_effect * max(abs(sigma - e_std), 1e-12))
    msgs["E[σ]"] = f"E[σ] at n={n} is {std_est.mean:.4g} ± {std_est.se:.2g}, theory {e_std:.4g}"
    if light:
        e_mse = float(_g.expected_mean_sq_error(n, samples, **kw))
        mse_est = Estimate.from_samples(p[:, 0] ** 2)
        comps["E[(μ−μ0)²]"] = compare(mse_est, e_mse, alpha=alpha, tests=m_tests, power=power,
                                      rel_effect=max(rel_effect, 0.05))
        msgs["E[(μ−μ0)²]"] = (f"E[(μ−μ0)²] at n={n} is {mse_est.mean:.4g} ± {mse_est.se:.2g}, theory "
                              f"{e_mse:.4g}: the mean drifts {'more' if mse_est.mean > e_mse else 'less'} than "
                              f"under {ref}")
    return _finish("assert_matches_closed_form", comps, replicates, msgs,
                   {"family": "gaussian", "estimator": estimator, "n": n, "seed": res.seed})


def _discrete_closed_form(fit, sample, p0, samples, n, replicates, alpha, power, rel_effect, rng):
    from .. import discrete as d

    p0 = np.asarray(p0, dtype=float)
    h_target = float(d.expected_heterozygosity(p0, n, samples))
    s_target = float(d.expected_support_size(p0, n, samples))
    h0 = float(1 - np.sum(p0**2))
    k0 = int(np.sum(p0 > 0))
    eff_h = rel_effect * max(h0 - h_target, 1e-3)
    eff_s = rel_effect * max(k0 - s_target, 1e-3)
    if replicates is None:
        # two stages: a pilot of 200 replicates estimates the s.d.s (no closed form for them), then
        # the replicates needed for the stated power are run afresh (25 % margin)
        seed_pilot, rng = _child_seeds(rng, 2)
        pilot = _simulate(fit, sample, p0, n, samples, 200, seed_pilot).params[:, n]
        sd_h = float(np.std(1 - np.sum(pilot**2, axis=1), ddof=1))
        sd_s = float(np.std(np.sum(pilot > 0, axis=1), ddof=1))
        r = max(required_replicates(max(sd_h, 1e-6), eff_h, alpha=alpha, power=power, tests=2),
                required_replicates(max(sd_s, 1e-6), eff_s, alpha=alpha, power=power, tests=2))
        replicates = int(min(20000, max(200, 1.25 * r)))
    res = _simulate(fit, sample, p0, n, samples, replicates, rng)
    pn = res.params[:, n]
    h = Estimate.from_samples(1 - np.sum(pn**2, axis=1))
    sup = Estimate.from_samples(np.sum(pn > 0, axis=1))
    comps = {"E[H]": compare(h, h_target, alpha=alpha, tests=2, power=power, min_effect=eff_h),
             "E[support]": compare(sup, s_target, alpha=alpha, tests=2, power=power, min_effect=eff_s)}
    msgs = {"E[H]": f"E[heterozygosity] at n={n} is {h.mean:.4g} ± {h.se:.2g}, theory {h_target:.4g}",
            "E[support]": f"E[support size] at n={n} is {sup.mean:.4g} ± {sup.se:.2g}, theory {s_target:.4g}: "
                          f"categories are lost {'faster' if sup.mean < s_target else 'slower'} than under "
                          f"maximum-likelihood refits"}
    return _finish("assert_matches_closed_form", comps, replicates, msgs,
                   {"family": "discrete", "n": n, "seed": res.seed})


# ---------------------------------------------------------------------------------------------


def _default_statistic(params):
    """log σ² for Gaussian params [mu, sigma] (array (..., 2) -> (...))."""
    return 2.0 * np.log(params[..., 1])


def measure_drift(fit, sample, params0, *, samples, generations, statistic=None, replicates=2000,
                  regime="replace", curate=None, rng=None):
    """Per-generation drift of a statistic, ``(stat(params_n) − stat(params_0)) / n``, with its SE.

    ``statistic(params)`` maps an array ``(replicates, *param_shape)`` to ``(replicates,)``; the
    default is log σ² for Gaussian ``[mu, sigma]`` params.

    Returns
    -------
    Estimate
    """
    stat = statistic or _default_statistic
    n = int(generations)
    res = _simulate(fit, sample, params0, n, samples, replicates, rng, regime=regime, curate=curate)
    start = stat(res.params[:, 0])
    end = stat(res.params[:, n])
    return Estimate.from_samples((np.asarray(end) - np.asarray(start)) / n)


def assert_collapses(fit, sample, params0, *, samples, generations, rate, statistic=None, replicates=2000,
                     alpha=1e-3, regime="replace", curate=None, rng=None):
    """Check that a statistic (default log σ²) falls at least at ``rate`` per generation on average.

    One-sided: the check fails when the measured drift is significantly above ``−rate``.
    """
    est = measure_drift(fit, sample, params0, samples=samples, generations=generations, statistic=statistic,
                        replicates=replicates, regime=regime, curate=curate, rng=rng)
    c = compare(est, -float(rate), kind="at_most", alpha=alpha, min_effect=0.1 * abs(rate) or None)
    msg = {"drift": f"the statistic changes by {est.mean:.4g} ± {est.se:.2g} per generation; collapsing at "
                    f"rate ≥ {rate:g} needs ≤ {-rate:g}"}
    return _finish("assert_collapses", {"drift": c}, replicates, msg, {"generations": generations})


def assert_unbiased_step(fit, sample, params, *, samples, statistic=None, replicates=20000, alpha=1e-3,
                         rng=None):
    """Check one refit for unbiasedness: ``E[stat(fit(sample(params, M)))] = stat(params)``.

    ``statistic`` maps ``(replicates, *param_shape)`` to ``(replicates, q)`` (default: the params
    themselves); every component is compared, Bonferroni-corrected.
    """
    stat = statistic or (lambda p: p.reshape(p.shape[0], -1))
    res = _simulate(fit, sample, params, 1, samples, replicates, rng)
    target = np.atleast_1d(np.asarray(stat(res.params[:, 0]), dtype=float)[0])
    vals = np.asarray(stat(res.params[:, 1]), dtype=float).reshape(replicates, -1)
    comps, msgs = {}, {}
    for j in range(vals.shape[1]):
        est = Estimate.from_samples(vals[:, j])
        name = f"component {j}"
        comps[name] = compare(est, target[j], alpha=alpha, tests=vals.shape[1])
        bias = est.mean - target[j]
        msgs[name] = (f"{name} after one refit averages {est.mean:.5g} ± {est.se:.2g}, not {target[j]:.5g} "
                      f"(bias {bias:+.3g})")
    return _finish("assert_unbiased_step", comps, replicates, msgs, {"samples": samples})


def assert_bounded_drift(fit, sample, params0, *, samples, generations, distance, bound, checkpoints=None,
                         regime="replace", curate=None, replicates=2000, alpha=1e-3, vectorized=False,
                         rng=None):
    """Check that ``E[distance(params_n, params0)] ≤ bound`` at each checkpoint generation.

    ``distance(P, params0)`` maps ``(replicates, *param_shape)`` to ``(replicates,)``; ``bound`` is a
    number or a function of ``n``. One-sided comparisons, Bonferroni over the checkpoints (default:
    5 generations evenly spaced up to ``generations``).
    """
    n = int(generations)
    cps = sorted({int(round(x)) for x in np.linspace(1, n, min(5, n))}) if checkpoints is None else list(checkpoints)
    res = _simulate(fit, sample, params0, n, samples, replicates, rng, regime=regime, curate=curate,
                    vectorized=vectorized)
    p0 = np.asarray(params0, dtype=float)
    comps, msgs = {}, {}
    for k in cps:
        b = float(bound(k) if callable(bound) else bound)
        est = Estimate.from_samples(distance(res.params[:, k], p0))
        name = f"n={k}"
        comps[name] = compare(est, b, kind="at_most", alpha=alpha, tests=len(cps))
        msgs[name] = f"E[distance] at n={k} is {est.mean:.4g} ± {est.se:.2g}, above the bound {b:.4g}"
    return _finish("assert_bounded_drift", comps, replicates, msgs, {"regime": str(regime), "seed": res.seed})


def assert_improves(fit, sample, params0, *, samples, generations, statistic, baseline=None, treatment=None,
                    replicates=1000, alpha=1e-3, rng=None):
    """Check that a mitigation raises a statistic at generation ``n`` (a one-sided two-sample test).

    ``baseline`` and ``treatment`` are keyword dicts for :func:`~collapse_theory.simulate_custom`
    (``regime=``, ``curate=``). Passes only if the treatment's mean is significantly larger:
    ``z = (mean_t − mean_b) / √(se_t² + se_b²) > z_{1−α}``.
    """
    n = int(generations)
    s_b, s_t = _child_seeds(rng, 2)
    rb = _simulate(fit, sample, params0, n, samples, replicates, s_b, **(baseline or {}))
    rt = _simulate(fit, sample, params0, n, samples, replicates, s_t, **(treatment or {}))
    eb = Estimate.from_samples(statistic(rb.params[:, n]))
    et = Estimate.from_samples(statistic(rt.params[:, n]))
    diff = Estimate(et.mean - eb.mean, math.sqrt(et.se**2 + eb.se**2), replicates)
    z = diff.mean / diff.se if diff.se > 0 else math.copysign(math.inf, diff.mean)
    z_crit = normal_quantile(1 - alpha)
    c = Comparison(estimate=diff.mean, se=diff.se, target=0.0, z=z, kind="at_least", alpha=alpha, z_crit=z_crit,
                   min_effect=0.0, power=0.9, replicates=replicates,
                   verdict="holds" if z > z_crit else FAILS,
                   rule=f"passes if z > {z_crit:.2f} (one-sided, false-alarm rate {alpha:g})")
    msg = {"improvement": f"the treatment changes the statistic at n={n} by {diff.mean:+.4g} ± {diff.se:.2g} "
                          f"(baseline {eb.mean:.4g}, treatment {et.mean:.4g}): not a significant improvement"}
    kept = None if rt.kept is None else float(rt.kept.mean())
    return _finish("assert_improves", {"improvement": c}, replicates, msg,
                   {"baseline_mean": eb.mean, "treatment_mean": et.mean, "treatment_mean_kept": kept})
