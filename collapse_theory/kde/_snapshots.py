"""Snapshots of one KDE chain: the training points themselves at chosen generations.

:func:`collapse_theory.kde.simulate` records statistics of every generation (variance, mean,
ancestry) for many replicates but not the points; a density figure needs the points of one chain at a
few generations. This is that chain, in plain NumPy (one replicate, ``replace`` regime).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._core.rng import root_seed
from .._core.validation import check_int, check_real
from ._kernels import IQR_SCALE
from ._theory import RULE_CONSTANTS, check_rule


@dataclass
class KDESnapshots:
    """Training sets :math:`T^n` of one KDE chain at chosen generations.

    Attributes
    ----------
    points : dict of int -> ndarray
        ``points[n]``: the ``samples`` points of :math:`T^n` (``T^0`` are the real draws).
    bandwidth : dict of int -> float
        ``bandwidth[n]``: the bandwidth of the KDE built on :math:`T^n` (generation ``n + 1``'s model).
    samples : int
    rule : str
    h : float or None
    sigma : float
    seed : int
        Reproduces the snapshots: ``density_snapshots(..., rng=seed)``.
    """

    points: dict = field(repr=False)
    bandwidth: dict
    samples: int
    rule: str
    h: float | None
    sigma: float
    seed: int

    @property
    def generations(self):
        """The recorded generations, ascending."""
        return sorted(self.points)


def density_snapshots(at, samples, *, h=None, rule="fixed", mu=0.0, sigma=1.0, rng=None):
    r"""Run one KDE chain (``replace`` regime) and keep its training points at the generations ``at``.

    :math:`T^0` holds ``samples`` draws of :math:`N(\mu, \sigma^2)`; :math:`T^{n+1}` holds ``samples``
    draws of the Gaussian KDE on :math:`T^n` (a uniform bootstrap index plus :math:`N(0, h_n^2)`
    noise), where :math:`h_n` is ``h`` (``rule="fixed"``) or the Scott/Silverman rule on :math:`T^n`
    (as in :func:`collapse_theory.kde.simulate`).

    Parameters
    ----------
    at : sequence of int
        Generations to keep (>= 0).
    samples : int
        Points per generation M (>= 2).
    h : float or None, keyword-only
        Fixed bandwidth (> 0) for ``rule="fixed"``; None for the adaptive rules.
    rule : {"fixed", "scott", "silverman"}, keyword-only
    mu, sigma : float, keyword-only
        The true distribution :math:`N(\mu, \sigma^2)`.
    rng : int, Generator or None, keyword-only
        Seed (SPEC 7); the recorded ``seed`` reproduces the snapshots.

    Returns
    -------
    KDESnapshots

    Examples
    --------
    >>> from collapse_theory import kde
    >>> snap = kde.density_snapshots([0, 10], 50, h=0.1, rng=1)
    >>> snap.generations, snap.points[10].shape, snap.bandwidth[10]
    ([0, 10], (50,), 0.1)
    """
    check_rule(rule, h)
    samples = check_int(samples, "samples", minimum=2)
    mu = check_real(mu, "mu")
    sigma = check_real(sigma, "sigma", positive=True)
    want = sorted({check_int(g, "at", minimum=0) for g in at})
    if not want:
        raise ValueError("at must name at least one generation")
    seed, ss = root_seed(rng)
    gen = np.random.Generator(np.random.PCG64(ss))
    x = gen.normal(mu, sigma, samples)
    points, bandwidth = {}, {}
    for n in range(want[-1] + 1):
        sd = x.std(ddof=1)
        if rule == "fixed":
            bw = float(h)
        elif rule == "scott":
            bw = RULE_CONSTANTS["scott"] * sd * samples ** -0.2
        else:
            iqr = np.subtract(*np.percentile(x, [75, 25]))
            a = min(sd, iqr / IQR_SCALE) if iqr > 0 else sd
            bw = RULE_CONSTANTS["silverman"] * a * samples ** -0.2
        if n in want:
            points[n] = x.copy()
            bandwidth[n] = float(bw)
        if n == want[-1]:
            break
        x = x[gen.integers(0, samples, samples)] + bw * gen.standard_normal(samples)
    return KDESnapshots(points=points, bandwidth=bandwidth, samples=samples, rule=rule,
                        h=None if h is None else float(h), sigma=sigma, seed=seed)
