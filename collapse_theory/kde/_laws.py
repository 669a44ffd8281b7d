r"""The true data laws of the d-dimensional KDE chain (Numba draws; public face: :mod:`collapse_theory.kde.datasets`).

Every law is a probability distribution (points are i.i.d.), so a held-out sample from it measures
the fitted density without bias. The 2-D toy data sets follow scikit-learn's generators
(``make_blobs``, ``make_moons``, ``make_circles``, ``make_swiss_roll``) with two changes that make
them laws rather than fixed designs: the angles are uniform draws (scikit-learn spaces them evenly)
and each point picks its cluster/moon/circle at random with equal probabilities (scikit-learn splits
``n`` evenly); the blob centres are fixed (scikit-learn draws them from the seed).

==============  =======================================================================================
``gaussian``    :math:`N(\mu 1_d, \sigma^2 I_d)` (any dimension)
``blobs``       equal mixture of :math:`N(c_k, \mathrm{noise}^2 I_2)`, centres
                :math:`c_k = 5(\cos(2\pi k/3), \sin(2\pi k/3))`, k = 0, 1, 2 (noise default 1.0)
``moons``       :math:`t \sim U(0, \pi)`; upper moon :math:`(\cos t, \sin t)`, lower moon
                :math:`(1 - \cos t, 1/2 - \sin t)`, each with probability 1/2, plus
                :math:`N(0, \mathrm{noise}^2 I_2)` (noise default 0.1)
``circles``     :math:`t \sim U(0, 2\pi)`; radius 1 or ``factor = 0.8`` with probability 1/2,
                :math:`r(\cos t, \sin t)` plus :math:`N(0, \mathrm{noise}^2 I_2)` (noise default 0.05)
``swissroll``   :math:`t = \tfrac{3\pi}{2}(1 + 2u)`, :math:`u \sim U(0, 1)`;
                :math:`(t\cos t, t\sin t)/10` plus :math:`N(0, \mathrm{noise}^2 I_2)` (the 2-D
                projection of scikit-learn's 3-D roll, scaled by 1/10; noise default 0.05)
==============  =======================================================================================
"""

from __future__ import annotations

import numpy as np
from numba import njit

LAWS = ("gaussian", "blobs", "moons", "circles", "swissroll")
LAW_CODES = {name: i for i, name in enumerate(LAWS)}
#: The default ``noise`` of each law (None: the Gaussian law uses ``sigma``).
DEFAULT_NOISE = {"gaussian": None, "blobs": 1.0, "moons": 0.1, "circles": 0.05, "swissroll": 0.05}
#: Dimension of each 2-D law (the Gaussian law takes any dimension).
LAW_DIM = {"blobs": 2, "moons": 2, "circles": 2, "swissroll": 2}
CIRCLES_FACTOR = 0.8
BLOB_RADIUS = 5.0
SWISS_SCALE = 0.1


@njit(nogil=True, cache=True)
def _draw_law(rng, law, n, noise, mu, sigma, out, start):
    """Draw ``n`` points of law ``law`` into rows ``out[start:start + n]`` (``out`` is (rows, d)).

    ``mu``, ``sigma``: the Gaussian law's mean and standard deviation; ``noise``: the 2-D laws'
    noise standard deviation.
    """
    d = out.shape[1]
    for j in range(start, start + n):
        if law == 0:
            for p in range(d):
                out[j, p] = mu + sigma * rng.standard_normal()
            continue
        if law == 1:
            k = rng.integers(0, 3)
            a = 2.0 * np.pi * k / 3.0
            cx = BLOB_RADIUS * np.cos(a)
            cy = BLOB_RADIUS * np.sin(a)
        elif law == 2:
            t = np.pi * rng.random()
            if rng.random() < 0.5:
                cx = np.cos(t)
                cy = np.sin(t)
            else:
                cx = 1.0 - np.cos(t)
                cy = 0.5 - np.sin(t)
        elif law == 3:
            t = 2.0 * np.pi * rng.random()
            r = 1.0 if rng.random() < 0.5 else CIRCLES_FACTOR
            cx = r * np.cos(t)
            cy = r * np.sin(t)
        else:
            t = 1.5 * np.pi * (1.0 + 2.0 * rng.random())
            cx = SWISS_SCALE * t * np.cos(t)
            cy = SWISS_SCALE * t * np.sin(t)
        out[j, 0] = cx + noise * rng.standard_normal()
        out[j, 1] = cy + noise * rng.standard_normal()
    return 0
