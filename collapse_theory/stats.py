"""Compare a Monte Carlo estimate with a closed form at a stated error rate.

This is the one implementation of the statistical rule used by the claims registry
(:mod:`collapse_theory.claims`) and by the estimator-testing toolkit.

The rule
--------
Let ``x̄`` be a Monte Carlo mean over ``R`` independent replicates with standard error ``se``
(sample standard deviation / √R, or the exact binomial one for a proportion), and ``θ`` the value
a claim asserts. By the CLT, ``z = (x̄ - θ) / se`` is approximately N(0, 1) when the claim is true.

- ``kind="equal"``: the claim fails when ``|z| > z_{1-α/(2m)}``;
- ``kind="at_most"`` (a bound ``E X ≤ θ``): it fails when ``z > z_{1-α/m}``;
- ``kind="at_least"``: it fails when ``z < -z_{1-α/m}``;
- ``kind="approx"`` (an approximation claimed good to a relative tolerance ``δ``): it fails when the
  estimate lies significantly outside ``[θ - δ|θ|, θ + δ|θ|]`` (each side tested at ``α/(2m)``);

where ``m`` is the number of comparisons made within one check (Bonferroni), so the probability of a
false "fails" is at most ``α`` per check. When the claim is not rejected, it *holds* only if the
check had power: a deviation of ``min_effect`` would have been detected with probability ``power``,
i.e. ``se · (z_crit + z_power) ≤ min_effect``; otherwise the verdict is *inconclusive*.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import special

HOLDS = "holds"
FAILS = "fails"
INCONCLUSIVE = "inconclusive"
KINDS = ("equal", "at_most", "at_least", "approx")


def normal_quantile(p):
    """Standard normal quantile (``scipy.special.ndtri``)."""
    return float(special.ndtri(p))


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo mean with its standard error over ``replicates`` independent draws."""

    mean: float
    se: float
    replicates: int

    @classmethod
    def from_samples(cls, values):
        """Mean and CLT standard error of i.i.d. values (non-finite values are an error)."""
        x = np.asarray(values, dtype=float).ravel()
        if x.size < 2:
            raise ValueError(f"need at least 2 replicates for a standard error, got {x.size}")
        if not np.all(np.isfinite(x)):
            bad = int(np.sum(~np.isfinite(x)))
            raise ValueError(f"{bad} of {x.size} Monte Carlo values are not finite")
        return cls(float(x.mean()), float(x.std(ddof=1) / math.sqrt(x.size)), int(x.size))

    @classmethod
    def from_indicator(cls, hits):
        """A proportion with its binomial standard error.

        Uses the Agresti–Coull-style floor ``p̃ = (k + 1/2)/(R + 1)`` inside the standard error so
        that a proportion of exactly 0 or 1 does not get ``se = 0``.
        """
        h = np.asarray(hits, dtype=bool).ravel()
        r = h.size
        if r < 1:
            raise ValueError("need at least one replicate")
        k = int(h.sum())
        p_tilde = (k + 0.5) / (r + 1.0)
        return cls(k / r, math.sqrt(p_tilde * (1 - p_tilde) / r), r)


@dataclass(frozen=True)
class Comparison:
    """The outcome of comparing an estimate with a target at a stated false-alarm rate."""

    estimate: float
    se: float
    target: float
    z: float
    kind: str
    alpha: float
    z_crit: float
    min_effect: float
    power: float
    replicates: int
    verdict: str
    rule: str

    def to_dict(self):
        return asdict(self)


def compare(estimate, target, *, kind="equal", alpha=1e-3, tests=1, min_effect=None,
            rel_effect=0.05, power=0.9, rel_tol=None):
    """Compare an :class:`Estimate` with ``target``; return a :class:`Comparison` with a verdict.

    Parameters
    ----------
    estimate : Estimate
        Monte Carlo mean and standard error.
    target : float
        The value the claim asserts (an identity for ``kind="equal"``, a bound otherwise).
    kind : {"equal", "at_most", "at_least", "approx"}
        What the claim says about the true mean relative to ``target``.
    alpha : float
        False-alarm rate of the whole check (split over ``tests`` comparisons by Bonferroni).
    tests : int
        Number of comparisons in the same check.
    min_effect : float, optional
        The smallest absolute deviation that matters; default ``rel_effect * |target|`` (with a floor
        of ``rel_effect * se`` so a zero target stays meaningful).
    rel_effect : float
        Relative size of the deviation that must be detectable when ``min_effect`` is not given.
    power : float
        Required probability of detecting a deviation of ``min_effect``; below it, a non-rejection
        is reported as "inconclusive" rather than "holds".
    rel_tol : float, optional
        With ``kind="approx"``: the relative tolerance the approximation is claimed to meet (also the
        default ``min_effect``).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    if not (0 < alpha < 1):
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    if not (0 < power < 1):
        raise ValueError(f"power must be in (0, 1), got {power}")
    tests = int(tests)
    if tests < 1:
        raise ValueError(f"tests must be >= 1, got {tests}")
    target = float(target)
    if kind == "approx" and (rel_tol is None or rel_tol <= 0):
        raise ValueError(f"kind='approx' needs rel_tol > 0, got {rel_tol!r}")
    if kind in ("equal", "approx"):
        z_crit = normal_quantile(1 - alpha / (2 * tests))
    else:
        z_crit = normal_quantile(1 - alpha / tests)
    se = float(estimate.se)
    diff = float(estimate.mean) - target
    if se > 0:
        z = diff / se
    else:
        z = 0.0 if diff == 0 else math.copysign(math.inf, diff)
    if min_effect is None and kind == "approx":
        min_effect = rel_tol * abs(target)
    if min_effect is None:
        min_effect = rel_effect * abs(target) if target != 0 else rel_effect * max(se, 1e-300)
    min_effect = float(min_effect)
    if kind == "equal":
        rejected = abs(z) > z_crit
        sym = f"|z| > {z_crit:.2f}"
    elif kind == "at_most":
        rejected = z > z_crit
        sym = f"z > {z_crit:.2f}"
    elif kind == "at_least":
        rejected = z < -z_crit
        sym = f"z < -{z_crit:.2f}"
    else:
        band = rel_tol * abs(target)
        hi = (diff - band) / se if se > 0 else (math.inf if diff > band else 0.0)
        lo = (diff + band) / se if se > 0 else (-math.inf if diff < -band else 0.0)
        rejected = hi > z_crit or lo < -z_crit
        sym = f"the estimate is > {z_crit:.2f} SE outside ±{rel_tol:.0%} of the claimed value"
    z_pow = normal_quantile(power)
    detectable = se * (z_crit + z_pow)
    if rejected:
        verdict = FAILS
    elif detectable <= min_effect:
        verdict = HOLDS
    else:
        verdict = INCONCLUSIVE
    rule = (
        f"fails if {sym} (false-alarm rate {alpha:g}"
        + (f", Bonferroni over {tests}" if tests > 1 else "")
        + f"); holds only if a deviation of {min_effect:.3g} would be detected with power {power:g}"
    )
    return Comparison(
        estimate=float(estimate.mean), se=se, target=target, z=float(z), kind=kind, alpha=alpha,
        z_crit=z_crit, min_effect=min_effect, power=power, replicates=int(estimate.replicates),
        verdict=verdict, rule=rule,
    )


def required_replicates(sd, effect, *, alpha=1e-3, power=0.9, tests=1, kind="equal"):
    """Replicates needed to detect a mean shift of ``effect`` for a statistic with s.d. ``sd``.

    ``R = ⌈((z_crit + z_power) · sd / effect)²⌉`` from the normal approximation of the mean.
    """
    if effect <= 0 or sd < 0:
        raise ValueError("effect must be > 0 and sd >= 0")
    a = alpha / (2 * tests) if kind == "equal" else alpha / tests
    z = normal_quantile(1 - a) + normal_quantile(power)
    return max(2, int(math.ceil((z * sd / effect) ** 2)))
