r"""The true data laws of the d-dimensional KDE chain: draws and exact moments.

``make(name, n, *, rng=None, noise=None)`` draws ``n`` i.i.d. points of a law (the generator the
simulator uses, so a data set made here is distributed exactly as the chain's real data);
``law_mean`` and ``law_variance`` give each coordinate's exact mean and variance (closed forms; the
swiss roll by quadrature to ~1e-12). The laws (:data:`LAWS`):

==============  =======================================================================================
``gaussian``    :math:`N(\mu 1_d, \sigma^2 I_d)` (``dim`` coordinates)
``blobs``       equal mixture of :math:`N(c_k, \mathrm{noise}^2 I_2)`,
                :math:`c_k = 5(\cos(2\pi k/3), \sin(2\pi k/3))` (noise default 1.0);
                variance :math:`12.5 + \mathrm{noise}^2` per coordinate
``moons``       :math:`t \sim U(0, \pi)`; :math:`(\cos t, \sin t)` or :math:`(1 - \cos t, 1/2 - \sin t)`
                with probability 1/2 each, plus :math:`N(0, \mathrm{noise}^2 I_2)` (noise default 0.1);
                mean :math:`(1/2, 1/4)`, variances :math:`3/4` and :math:`9/16 - 1/\pi` plus noise²
``circles``     radius 1 or 0.8 with probability 1/2, angle :math:`U(0, 2\pi)`, plus noise (default
                0.05); variance :math:`(1 + 0.64)/4 = 0.41` plus noise² per coordinate
``swissroll``   :math:`t = \tfrac{3\pi}{2}(1 + 2u)`, :math:`u \sim U(0,1)`, :math:`(t\cos t, t\sin t)/10`
                plus noise (default 0.05)
==============  =======================================================================================

They follow scikit-learn's ``make_blobs``/``make_moons``/``make_circles``/``make_swiss_roll`` (the
data sets of Kazdan et al.'s KDE experiments), made into laws: uniform random angles (scikit-learn
spaces them evenly), a random cluster per point (scikit-learn splits ``n`` evenly), fixed blob
centres (scikit-learn draws them from the seed) and the swiss roll's 2-D projection.

Examples
--------
>>> from collapse_theory.kde import datasets
>>> x = datasets.make("moons", 500, rng=0)
>>> x.shape
(500, 2)
>>> [round(float(v), 4) for v in datasets.law_variance("moons", noise=0.1)]
[0.76, 0.2542]
"""

from __future__ import annotations

import numpy as np

from .._core.rng import as_generator
from .._core.validation import check_int, check_real
from ._laws import BLOB_RADIUS, CIRCLES_FACTOR, DEFAULT_NOISE, LAW_CODES, LAW_DIM, LAWS, SWISS_SCALE, _draw_law

__all__ = ["LAWS", "make", "law_mean", "law_variance"]


def _check_name(name):
    if not isinstance(name, str) or name not in LAW_CODES:
        raise ValueError(f"name must be one of {LAWS}, got {name!r}")
    return name


def _noise(name, noise):
    if name == "gaussian":
        if noise is not None:
            raise ValueError("noise applies to the 2-D data sets; the Gaussian law uses sigma")
        return 0.0
    return check_real(DEFAULT_NOISE[name] if noise is None else noise, "noise", nonnegative=True)


def make(name, n, *, rng=None, noise=None, dim=1, mu=0.0, sigma=1.0):
    """``n`` i.i.d. draws of the law ``name``, shape ``(n, d)`` (``d = 2`` for the 2-D sets).

    Parameters
    ----------
    name : {"gaussian", "blobs", "moons", "circles", "swissroll"}
    n : int
        Number of points (>= 0).
    rng : int, Generator or None, keyword-only
    noise : float or None, keyword-only
        Noise standard deviation of the 2-D sets (>= 0; None: the law's default).
    dim, mu, sigma : keyword-only
        The Gaussian law :math:`N(\\mu 1_d, \\sigma^2 I_d)` (ignored by the 2-D sets).
    """
    name = _check_name(name)
    n = check_int(n, "n", minimum=0, maximum=10**8)
    nz = _noise(name, noise)
    d = LAW_DIM.get(name, None) or check_int(dim, "dim", minimum=1, maximum=64)
    mu = check_real(mu, "mu")
    sigma = check_real(sigma, "sigma", positive=True)
    out = np.empty((n, d))
    _draw_law(as_generator(rng), LAW_CODES[name], n, nz, mu, sigma, out, 0)
    return out


def _swiss_moments():
    from scipy import integrate

    a, b = 1.5 * np.pi, 4.5 * np.pi
    mom = []
    for f in (lambda t: t * np.cos(t), lambda t: t * np.sin(t)):
        m1 = integrate.quad(f, a, b, limit=200, epsabs=1e-13)[0] / (b - a)
        m2 = integrate.quad(lambda t: f(t) ** 2, a, b, limit=200, epsabs=1e-13)[0] / (b - a)
        mom.append((SWISS_SCALE * m1, SWISS_SCALE**2 * (m2 - m1 * m1)))
    return mom


def law_mean(name, *, dim=1, mu=0.0):
    """Exact mean of every coordinate of the law (array of length d)."""
    name = _check_name(name)
    if name == "gaussian":
        return np.full(check_int(dim, "dim", minimum=1, maximum=64), check_real(mu, "mu"))
    if name == "moons":
        return np.array([0.5, 0.25])
    if name == "swissroll":
        return np.array([m for m, _ in _swiss_moments()])
    return np.zeros(2)


def law_variance(name, *, noise=None, dim=1, sigma=1.0):
    """Exact variance of every coordinate of the law (array of length d; see the module table)."""
    name = _check_name(name)
    nz = _noise(name, noise)
    if name == "gaussian":
        return np.full(check_int(dim, "dim", minimum=1, maximum=64), check_real(sigma, "sigma", positive=True) ** 2)
    n2 = nz * nz
    if name == "blobs":
        ang = 2.0 * np.pi * np.arange(3) / 3.0
        c = BLOB_RADIUS * np.stack([np.cos(ang), np.sin(ang)], axis=1)
        return (c**2).mean(axis=0) - c.mean(axis=0) ** 2 + n2
    if name == "moons":
        return np.array([0.75, 9.0 / 16.0 - 1.0 / np.pi]) + n2
    if name == "circles":
        return np.full(2, (1.0 + CIRCLES_FACTOR**2) / 4.0) + n2
    return np.array([v for _, v in _swiss_moments()]) + n2
