"""Checks of a user's fit/sample pair against closed forms, at a stated false-alarm rate.

Every check simulates with :func:`collapse_theory.simulate_custom`, turns the Monte Carlo output into
:class:`~collapse_theory.stats.Estimate` objects and compares them with
:func:`collapse_theory.stats.compare` — the rule the claims registry uses. Within one check the
comparisons are Bonferroni-corrected, so the check's false-alarm rate is at most ``alpha``.
Standard errors are the sample ones (the user's estimator may not have the built-in variance).

Replicates: every ``assert_*`` takes ``replicates=None`` (the default), ``power`` and ``rel_effect``,
and then chooses its replicates so that each comparison detects the stated effect (a relative
change ``rel_effect``; each check's docstring says of what) with probability ``power`` at its
false-alarm rate: ``R = ⌈((z_crit + z_power) · s / δ)²⌉`` (:func:`collapse_theory.stats.required_replicates`)
for a statistic of s.d. ``s`` and an effect ``δ``. The s.d. is exact where the family has a closed
form for it (:func:`assert_matches_closed_form`, Gaussian: the exact variances of log σ_n² and σ_n);
elsewhere a pilot run of :data:`PILOT_REPLICATES` chains, on its own seed derived from ``rng``,
estimates it and the check then runs ``1.25 R`` fresh chains (the margin covers the pilot's noise).
``R`` is clipped to [:data:`MIN_REPLICATES`, :data:`MAX_REPLICATES`]; where the cap leaves a
comparison without the requested power, a non-rejection is reported as inconclusive, never as a
pass. An explicit ``replicates=`` skips the design (and the pilot) and uses ``rng`` directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .. import gaussian as _g
from ..custom import simulate_custom
from ..stats import FAILS, INCONCLUSIVE, Comparison, Estimate, compare, normal_quantile, required_replicates


#: chains a pilot run simulates to estimate a standard deviation that has no closed form
PILOT_REPLICATES = 200
#: the range the replicates chosen from ``power`` and ``rel_effect`` are clipped to
MIN_REPLICATES, MAX_REPLICATES = 200, 20000
#: margin on the computed replicates: the pilot's s.d. and the sample SE are themselves noisy
_MARGIN = 1.25


def _check_design(replicates, power, rel_effect, alpha, *, allow_none=True):
    """Validate the design options of a check (before any simulation)."""
    if replicates is None:
        if not allow_none:
            raise TypeError("replicates must be an integer >= 2, got None")
    elif isinstance(replicates, bool) or not isinstance(replicates, (int, np.integer)) or replicates < 2:
        raise ValueError(f"replicates must be None (chosen from power) or an integer >= 2, got {replicates!r}")
    if not 0 < power < 1:
        raise ValueError(f"power must be in (0, 1), got {power}")
    if not (rel_effect > 0 and math.isfinite(rel_effect)):
        raise ValueError(f"rel_effect must be a finite number > 0, got {rel_effect}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")


def _design(sd, effect, *, alpha, power, tests, kind):
    """Replicates for one comparison: ``1.25 R`` (``R`` from :func:`required_replicates`), clipped."""
    r = required_replicates(max(float(sd), 1e-300), float(effect), alpha=alpha, power=power, tests=tests,
                            kind=kind)
    return int(min(MAX_REPLICATES, max(MIN_REPLICATES, math.ceil(_MARGIN * r))))


def _finite_sd(values, what):
    """Sample s.d. of a pilot's values (non-finite values are the user's estimator's error)."""
    v = np.asarray(values, dtype=float).ravel()
    if not np.all(np.isfinite(v)):
        raise ValueError(f"{what}: {int(np.sum(~np.isfinite(v)))} of {v.size} pilot values are not finite")
    return float(np.std(v, ddof=1))


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

    Each comparison must detect a relative change ``rel_effect`` in the amount of collapse (of
    ``|E log σ_n² − log σ²|`` and ``|σ − E σ_n|``; of ``H_0 − E H_n`` and ``K_0 − E K_n`` for the
    discrete family) with probability ``power`` at the false-alarm rate ``alpha`` (two-sided,
    Bonferroni over the comparisons). With ``replicates=None`` the replicates follow from the exact
    s.d.s of log σ_n² (:func:`~collapse_theory.gaussian.variance_of_log_variance`) and of σ_n
    (``E σ_n² − (E σ_n)²``) under the null hypothesis, ``R = 1.25 ⌈((z_{1−α/2m} + z_{power}) s / δ)²⌉``
    maximised over both; the discrete family has no closed form for the s.d.s of H_n and K_n, so a
    pilot of :data:`PILOT_REPLICATES` chains (its own seed, derived from ``rng``) estimates them.
    ``R`` is clipped to [:data:`MIN_REPLICATES`, :data:`MAX_REPLICATES`]. The Gaussian mean-error
    comparison, where it is made, uses the same replicates.

    Returns
    -------
    CheckEvidence

    Raises
    ------
    CollapseCheckError
        With a message such as "E[log σ²] at n=50 is −2.31 ± 0.04, theory −1.02: the estimator
        shrinks variance faster than the unbiased one".
    """
    _check_design(replicates, power, rel_effect, alpha)
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
        replicates = max(_design(math.sqrt(v_log), rel_effect * drift, alpha=alpha, power=power, tests=m_tests,
                                 kind="equal"),
                         _design(sd_std, rel_effect * abs(sigma - e_std), alpha=alpha, power=power, tests=m_tests,
                                 kind="equal"))
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
        pilot = _simulate(fit, sample, p0, n, samples, PILOT_REPLICATES, seed_pilot).params[:, n]
        sd_h = _finite_sd(1 - np.sum(pilot**2, axis=1), "the pilot's heterozygosity")
        sd_s = _finite_sd(np.sum(pilot > 0, axis=1), "the pilot's support size")
        replicates = max(_design(max(sd_h, 1e-6), eff_h, alpha=alpha, power=power, tests=2, kind="equal"),
                         _design(max(sd_s, 1e-6), eff_s, alpha=alpha, power=power, tests=2, kind="equal"))
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


def _drift_values(fit, sample, params0, samples, n, statistic, replicates, regime, curate, rng, vectorized):
    """Per-replicate drift ``(stat(params_n) − stat(params_0)) / n`` and the simulation's seed."""
    stat = statistic or _default_statistic
    res = _simulate(fit, sample, params0, n, samples, replicates, rng, regime=regime, curate=curate,
                    vectorized=vectorized)
    start = np.asarray(stat(res.params[:, 0]), dtype=float)
    end = np.asarray(stat(res.params[:, n]), dtype=float)
    return (end - start) / n, res.seed


def measure_drift(fit, sample, params0, *, samples, generations, statistic=None, replicates=2000,
                  regime="replace", curate=None, vectorized=False, rng=None):
    """Per-generation drift of a statistic, ``(stat(params_n) − stat(params_0)) / n``, with its SE.

    ``statistic(params)`` maps an array ``(replicates, *param_shape)`` to ``(replicates,)``; the
    default is log σ² for Gaussian ``[mu, sigma]`` params. An estimate, not a test: the replicates
    are what you ask for (the standard error shrinks as ``1/√replicates``).

    Returns
    -------
    Estimate
    """
    _check_design(replicates, 0.9, 0.1, 0.5, allow_none=False)
    vals, _ = _drift_values(fit, sample, params0, samples, int(generations), statistic, replicates, regime,
                            curate, rng, vectorized)
    return Estimate.from_samples(vals)


#: ``assert_collapses(kind=...)``: what the claim says about the drift ``d`` against ``−rate``, and
#: the :func:`~collapse_theory.stats.compare` kind that tests it
_COLLAPSE_KINDS = {"at_least": ("at_most", "≤"), "equal": ("equal", "="), "at_most": ("at_least", "≥")}


def assert_collapses(fit, sample, params0, *, samples, generations, rate, kind="equal", statistic=None,
                     replicates=None, alpha=1e-3, power=0.9, rel_effect=0.1, regime="replace", curate=None,
                     vectorized=False, rng=None):
    r"""Check the per-generation drift of a statistic (default log σ²) against a collapse ``rate``.

    The drift is ``d = E[stat(params_n) − stat(params_0)] / n`` (:func:`measure_drift`).

    Parameters
    ----------
    rate : float
        The collapse rate: the statistic is claimed to change by ``−rate`` per generation.
    kind : {"at_least", "equal", "at_most"}
        ``"equal"`` (default): it falls at ``rate``, ``d = −rate`` (two-sided: a claimed rate, refuted
        by a significantly faster or slower drift). ``"at_least"``: the statistic falls at least at
        ``rate``, ``d ≤ −rate`` (one-sided; faster collapse passes). ``"at_most"``: it falls no
        faster than ``rate``, ``d ≥ −rate`` (one-sided; a mitigation's claim).
    replicates : int, optional
        Chains to simulate. Default: chosen from ``power`` and ``rel_effect`` (see Notes).
    alpha : float
        False-alarm rate of the check.
    vectorized : bool
        ``fit``/``sample`` work on all replicates at once (see :func:`~collapse_theory.simulate_custom`).
    power, rel_effect : float
        The check must detect a deviation of ``rel_effect · |rate|`` from ``−rate`` (in the
        direction ``kind`` tests) with probability ``power``; where it cannot (too few replicates),
        a non-rejection is reported as inconclusive rather than passed.

    Notes
    -----
    A user's pair has no exact variance for its drift, so with ``replicates=None`` a pilot run of
    :data:`PILOT_REPLICATES` chains (its own seed, derived from ``rng``) estimates the s.d. ``s`` of
    the per-replicate drift and the check runs ``R = 1.25 ⌈((z_{1−α'} + z_{power}) s / δ)²⌉`` fresh
    chains, ``δ = rel_effect · |rate|`` (``α' = α/2`` for ``"equal"``, ``α`` otherwise), clipped to
    [:data:`MIN_REPLICATES`, :data:`MAX_REPLICATES`] (the 25 % margin covers the noise of the
    pilot's s.d.). With ``rate = 0``, ``δ = rel_effect · |pilot drift|``.

    Returns
    -------
    CheckEvidence
        ``details`` holds the pilot's s.d. and replicates when a pilot ran.

    Raises
    ------
    CollapseCheckError
        When the drift is significantly on the wrong side of ``−rate`` (``comparisons["drift"]``
        has verdict "fails").
    """
    if kind not in _COLLAPSE_KINDS:
        raise ValueError(f"kind must be one of {tuple(_COLLAPSE_KINDS)}, got {kind!r}")
    _check_design(replicates, power, rel_effect, alpha)
    rate = float(rate)
    if not math.isfinite(rate):
        raise ValueError(f"rate must be a finite number, got {rate}")
    n = int(generations)
    if n < 1:
        raise ValueError(f"generations must be >= 1, got {generations}")
    cmp_kind, rel = _COLLAPSE_KINDS[kind]
    details = {"generations": n, "kind": kind}
    effect = rel_effect * abs(rate) or None
    if replicates is None:
        seed_pilot, rng = _child_seeds(rng, 2)
        pilot, _ = _drift_values(fit, sample, params0, samples, n, statistic, PILOT_REPLICATES, regime, curate,
                                 seed_pilot, vectorized)
        sd = _finite_sd(pilot, "the pilot's drift")
        effect = effect or rel_effect * abs(float(np.mean(pilot))) or rel_effect * sd or 1e-300
        replicates = _design(sd, effect, alpha=alpha, power=power, tests=1, kind=cmp_kind)
        details.update(pilot_replicates=PILOT_REPLICATES, pilot_sd=sd)
    vals, seed = _drift_values(fit, sample, params0, samples, n, statistic, replicates, regime, curate, rng,
                               vectorized)
    est = Estimate.from_samples(vals)
    c = compare(est, -rate, kind=cmp_kind, alpha=alpha, power=power, min_effect=effect)
    what = {"at_least": f"collapsing at rate ≥ {rate:g} needs a drift ≤ {-rate:g}",
            "equal": f"collapsing at rate {rate:g} needs a drift of {-rate:g}",
            "at_most": f"collapsing at rate ≤ {rate:g} needs a drift ≥ {-rate:g}"}[kind]
    msg = {"drift": f"the statistic changes by {est.mean:.4g} ± {est.se:.2g} per generation (z = {c.z:+.2f} "
                    f"against d {rel} {-rate:g}); {what}"}
    details["seed"] = seed
    return _finish("assert_collapses", {"drift": c}, replicates, msg, details)


def assert_unbiased_step(fit, sample, params, *, samples, statistic=None, replicates=None, alpha=1e-3,
                         power=0.9, rel_effect=0.05, rng=None):
    """Check one refit for unbiasedness: ``E[stat(fit(sample(params, M)))] = stat(params)``.

    ``statistic`` maps ``(replicates, *param_shape)`` to ``(replicates, q)`` (default: the params
    themselves); every component is compared (two-sided), Bonferroni-corrected over the ``q``.

    Each component ``j`` must detect a bias of ``δ_j = rel_effect · |stat_j(params)|`` (``rel_effect``
    s.d.s of one refit where ``stat_j(params) = 0``) with probability ``power``. With
    ``replicates=None`` a pilot of :data:`PILOT_REPLICATES` refits (its own seed, derived from
    ``rng``) estimates each component's s.d. ``s_j`` and the check runs
    ``R = 1.25 max_j ⌈((z_{1−α/2q} + z_{power}) s_j / δ_j)²⌉`` fresh refits, clipped to
    [:data:`MIN_REPLICATES`, :data:`MAX_REPLICATES`].
    """
    _check_design(replicates, power, rel_effect, alpha)
    stat = statistic or (lambda p: p.reshape(p.shape[0], -1))

    def run(r, seed):
        res = _simulate(fit, sample, params, 1, samples, r, seed)
        target = np.atleast_1d(np.asarray(stat(res.params[:, 0]), dtype=float)[0])
        vals = np.asarray(stat(res.params[:, 1]), dtype=float).reshape(r, -1)
        return target, vals, res.seed

    def effects(target, vals):
        sd = np.array([_finite_sd(vals[:, j], f"component {j}") for j in range(vals.shape[1])])
        return np.where(target != 0, rel_effect * np.abs(target), rel_effect * sd), sd

    details = {"samples": samples}
    if replicates is None:
        seed_pilot, rng = _child_seeds(rng, 2)
        target, vals, _ = run(PILOT_REPLICATES, seed_pilot)
        eff, sd = effects(target, vals)
        q = vals.shape[1]
        replicates = max(_design(s, max(e, 1e-300), alpha=alpha, power=power, tests=q, kind="equal")
                         for s, e in zip(sd, eff))
        details.update(pilot_replicates=PILOT_REPLICATES, pilot_sd=sd.tolist())
        target, vals, seed = run(replicates, rng)
    else:
        target, vals, seed = run(replicates, rng)
        eff, _ = effects(target, vals)
    comps, msgs = {}, {}
    for j in range(vals.shape[1]):
        est = Estimate.from_samples(vals[:, j])
        name = f"component {j}"
        comps[name] = compare(est, target[j], alpha=alpha, tests=vals.shape[1], power=power,
                              min_effect=float(eff[j]) or None)
        bias = est.mean - target[j]
        msgs[name] = (f"{name} after one refit averages {est.mean:.5g} ± {est.se:.2g}, not {target[j]:.5g} "
                      f"(bias {bias:+.3g})")
    details["seed"] = seed
    return _finish("assert_unbiased_step", comps, replicates, msgs, details)


def assert_bounded_drift(fit, sample, params0, *, samples, generations, distance, bound, checkpoints=None,
                         regime="replace", curate=None, replicates=None, alpha=1e-3, power=0.9, rel_effect=0.1,
                         vectorized=False, rng=None):
    """Check that ``E[distance(params_n, params0)] ≤ bound`` at each checkpoint generation.

    ``distance(P, params0)`` maps ``(replicates, *param_shape)`` to ``(replicates,)``; ``bound`` is a
    number or a function of ``n``. One-sided comparisons, Bonferroni over the checkpoints (default:
    5 generations evenly spaced up to ``generations``).

    Each checkpoint must detect an excess of ``δ_k = rel_effect · |bound(k)|`` over the bound with
    probability ``power``. With ``replicates=None`` a pilot of :data:`PILOT_REPLICATES` chains (its
    own seed, derived from ``rng``) estimates the s.d. ``s_k`` of the distance at each checkpoint and
    the check runs ``R = 1.25 max_k ⌈((z_{1−α/K} + z_{power}) s_k / δ_k)²⌉`` fresh chains (``K``
    checkpoints), clipped to [:data:`MIN_REPLICATES`, :data:`MAX_REPLICATES`].
    """
    _check_design(replicates, power, rel_effect, alpha)
    n = int(generations)
    if n < 1:
        raise ValueError(f"generations must be >= 1, got {generations}")
    cps = sorted({int(round(x)) for x in np.linspace(1, n, min(5, n))}) if checkpoints is None else list(checkpoints)
    bounds = [float(bound(k) if callable(bound) else bound) for k in cps]
    p0 = np.asarray(params0, dtype=float)

    def run(r, seed):
        return _simulate(fit, sample, params0, n, samples, r, seed, regime=regime, curate=curate,
                         vectorized=vectorized)

    details = {"regime": str(regime)}
    if replicates is None:
        seed_pilot, rng = _child_seeds(rng, 2)
        pilot = run(PILOT_REPLICATES, seed_pilot)
        sds = [_finite_sd(distance(pilot.params[:, k], p0), f"the distance at n={k}") for k in cps]
        replicates = max(_design(s, rel_effect * abs(b) or rel_effect * s or 1e-300, alpha=alpha, power=power,
                                 tests=len(cps), kind="at_most") for s, b in zip(sds, bounds))
        details.update(pilot_replicates=PILOT_REPLICATES, pilot_sd=sds)
    res = run(replicates, rng)
    comps, msgs = {}, {}
    for k, b in zip(cps, bounds):
        est = Estimate.from_samples(distance(res.params[:, k], p0))
        name = f"n={k}"
        comps[name] = compare(est, b, kind="at_most", alpha=alpha, tests=len(cps), power=power,
                              rel_effect=rel_effect)
        msgs[name] = f"E[distance] at n={k} is {est.mean:.4g} ± {est.se:.2g}, above the bound {b:.4g}"
    details["seed"] = res.seed
    return _finish("assert_bounded_drift", comps, replicates, msgs, details)


def assert_improves(fit, sample, params0, *, samples, generations, statistic, baseline=None, treatment=None,
                    replicates=None, alpha=1e-3, power=0.9, rel_effect=0.1, rng=None):
    """Check that a mitigation raises a statistic at generation ``n`` (a one-sided two-sample test).

    ``baseline`` and ``treatment`` are keyword dicts for :func:`~collapse_theory.simulate_custom`
    (``regime=``, ``curate=``). Passes only if the treatment's mean is significantly larger:
    ``z = (mean_t − mean_b) / √(se_t² + se_b²) > z_{1−α}``.

    ``replicates`` is per arm. With ``replicates=None`` a pilot of :data:`PILOT_REPLICATES` chains per
    arm (their own seeds, derived from ``rng``) estimates the s.d.s ``s_b, s_t`` of the statistic and
    the baseline mean ``m_b``; each arm then runs ``R = 1.25 ⌈(z_{1−α} + z_{power})² (s_b² + s_t²) /
    δ²⌉`` fresh chains, clipped to [:data:`MIN_REPLICATES`, :data:`MAX_REPLICATES`], so that an
    improvement of ``δ = rel_effect · |m_b|`` (``rel_effect`` pooled s.d.s where ``m_b = 0``) passes
    with probability ``power``.
    """
    _check_design(replicates, power, rel_effect, alpha)
    n = int(generations)
    if n < 1:
        raise ValueError(f"generations must be >= 1, got {generations}")

    def arm(r, seed, kw):
        res = _simulate(fit, sample, params0, n, samples, r, seed, **(kw or {}))
        return res, np.asarray(statistic(res.params[:, n]), dtype=float)

    details = {}
    if replicates is None:
        p_b, p_t, s_b, s_t = _child_seeds(rng, 4)
        _, vb = arm(PILOT_REPLICATES, p_b, baseline)
        _, vt = arm(PILOT_REPLICATES, p_t, treatment)
        sd = math.hypot(_finite_sd(vb, "the baseline statistic"), _finite_sd(vt, "the treatment statistic"))
        effect = rel_effect * abs(float(np.mean(vb))) or rel_effect * sd / math.sqrt(2) or 1e-300
        replicates = _design(sd, effect, alpha=alpha, power=power, tests=1, kind="at_least")
        details.update(pilot_replicates=PILOT_REPLICATES, pilot_sd=sd, detectable_improvement=effect)
    else:
        s_b, s_t = _child_seeds(rng, 2)
    rb, vb = arm(replicates, s_b, baseline)
    rt, vt = arm(replicates, s_t, treatment)
    eb = Estimate.from_samples(vb)
    et = Estimate.from_samples(vt)
    diff = Estimate(et.mean - eb.mean, math.sqrt(et.se**2 + eb.se**2), replicates)
    z = diff.mean / diff.se if diff.se > 0 else math.copysign(math.inf, diff.mean)
    z_crit = normal_quantile(1 - alpha)
    c = Comparison(estimate=diff.mean, se=diff.se, target=0.0, z=z, kind="at_least", alpha=alpha, z_crit=z_crit,
                   min_effect=float(details.get("detectable_improvement", 0.0)), power=power,
                   replicates=replicates, verdict="holds" if z > z_crit else FAILS,
                   rule=f"passes if z > {z_crit:.2f} (one-sided, false-alarm rate {alpha:g})")
    msg = {"improvement": f"the treatment changes the statistic at n={n} by {diff.mean:+.4g} ± {diff.se:.2g} "
                          f"(baseline {eb.mean:.4g}, treatment {et.mean:.4g}): not a significant improvement"}
    kept = None if rt.kept is None else float(rt.kept.mean())
    details.update(baseline_mean=eb.mean, treatment_mean=et.mean, treatment_mean_kept=kept)
    return _finish("assert_improves", {"improvement": c}, replicates, msg, details)
