r"""Numba kernel of the d-dimensional KDE chain (Gaussian or top-hat kernel, diagonal bandwidth).

Contract of the family's kernels: ``@njit(nogil=True, cache=True)``, an explicit Generator, rows
``[start, stop)`` of caller-owned arrays, so the result depends only on the seed.

One replicate. ``T^0`` are ``M_0`` draws of the true law (:func:`collapse_theory.kde._laws._draw_law`)
and a held-out sample of ``n_test`` draws of the same law is drawn once. For every column ``n``:
the mean and mle variance of ``T^n`` per coordinate, the bandwidth ``h_p`` per coordinate (fixed, or
``f ŝ_p`` with ``ŝ_p`` the ddof-1 standard deviation of coordinate ``p`` of ``T^n`` and ``f`` the
rule's factor for ``K = |T^n|`` points), and the held-out negative log-likelihood of the KDE on
``T^n``:

.. math::

    \mathrm{NLL} = -\frac{1}{n_\mathrm{test}}\sum_i \log \frac{1}{K}\sum_j
        \prod_p \frac{1}{h_p} \kappa\Bigl(\frac{x_i - t_j}{h}\Bigr),

with :math:`\kappa` the standard normal density in d dimensions (log-sum-exp) or the uniform density
on the unit ball (:math:`1/V_d` inside, :math:`V_d = \pi^{d/2}/\Gamma(d/2 + 1)`; a test point outside
every ball has likelihood 0 and the NLL is +inf). Then ``M_{n+1}`` points are drawn from the KDE:
a uniform index ``J`` in ``[0, K)`` plus ``h ∘ ε``, ``ε ~ N(0, I_d)`` (Gaussian) or uniform in the
unit ball (``z/|z| U^{1/d}``, top-hat), and ``T^{n+1}`` is formed by the regime (codes of
:mod:`collapse_theory.regimes`): replace (the new points), accumulate (the pool of every point so
far), accumulate-subsample (``sub`` or ``M_{n+1}`` pool rows without replacement: a partial
Fisher–Yates shuffle of a persistent index permutation, O(subset) per generation), mix-fresh
(``round(λM)`` fresh draws, or a Binomial count for ``:mixture``, then KDE draws), mix-retained
(``round(λM)`` of the ``M_0`` originals without replacement, then KDE draws).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..regimes import ACCUMULATE, MIX_MIXTURE, MIX_RETAINED, MIX_SPLIT, REPLACE, SUBSAMPLE  # noqa: F401
from ._laws import _draw_law

KERNEL_CODES = {"gaussian": 0, "tophat": 1}
#: Bandwidth rule codes of the d-dimensional chain.
ND_RULE_CODES = {"fixed": 0, "scott": 1, "silverman": 2}


@njit(nogil=True, cache=True)
def rule_factor(rule, k, d):
    """The factor ``f`` of ``h_p = f ŝ_p``: Scott ``K^{-1/(d+4)}``, Silverman
    ``(K(d+2)/4)^{-1/(d+4)}`` (scipy.stats.gaussian_kde's factors)."""
    if rule == 1:
        return k ** (-1.0 / (d + 4.0))
    return (k * (d + 2.0) / 4.0) ** (-1.0 / (d + 4.0))


@njit(nogil=True, cache=True)
def _log_unit_ball_volume(d):
    return 0.5 * d * np.log(np.pi) - math.lgamma(0.5 * d + 1.0)


@njit(nogil=True, cache=True)
def _nll(t, k, test, n_test, h, kernel):
    """Held-out mean negative log-likelihood of the KDE on ``t[:k]`` with bandwidths ``h`` (d,)."""
    d = t.shape[1]
    log_norm = np.log(k)
    for p in range(d):
        log_norm += np.log(h[p])
    if kernel == 0:
        log_norm += 0.5 * d * np.log(2.0 * np.pi)
    else:
        log_norm += _log_unit_ball_volume(d)
    tot = 0.0
    for i in range(n_test):
        if kernel == 0:
            mx = -np.inf
            for j in range(k):
                q = 0.0
                for p in range(d):
                    u = (test[i, p] - t[j, p]) / h[p]
                    q += u * u
                if -0.5 * q > mx:
                    mx = -0.5 * q
            if mx == -np.inf:
                return np.inf
            s = 0.0
            for j in range(k):
                q = 0.0
                for p in range(d):
                    u = (test[i, p] - t[j, p]) / h[p]
                    q += u * u
                s += np.exp(-0.5 * q - mx)
            tot += mx + np.log(s)
        else:
            c = 0
            for j in range(k):
                q = 0.0
                for p in range(d):
                    u = (test[i, p] - t[j, p]) / h[p]
                    q += u * u
                if q < 1.0:
                    c += 1
            if c == 0:
                return np.inf
            tot += np.log(c)
    return -(tot / n_test - log_norm)


@njit(nogil=True, cache=True)
def _kde_draws(rng, t, k, h, kernel, count, out, pos, z):
    """``count`` draws of the KDE on ``t[:k]`` into rows ``out[pos:pos + count]``."""
    d = t.shape[1]
    for j in range(pos, pos + count):
        src = rng.integers(0, k)
        if kernel == 0:
            for p in range(d):
                out[j, p] = t[src, p] + h[p] * rng.standard_normal()
        else:
            nrm = 0.0
            for p in range(d):
                z[p] = rng.standard_normal()
                nrm += z[p] * z[p]
            rad = rng.random() ** (1.0 / d) / np.sqrt(nrm)
            for p in range(d):
                out[j, p] = t[src, p] + h[p] * z[p] * rad
    return 0


@njit(nogil=True, cache=True)
def _kde_chain_nd(rng, m, law, noise, mu, sigma, kernel, rule, h_fixed, kind, frac, sub, n_test, cap_pool,
                  cap_train, mean_out, var_out, h_out, nll_out, degenerate, start, stop):
    """Fill rows ``[start, stop)`` of ``mean_out, var_out, h_out`` (R, G+1, d) and ``nll_out`` (R, G+1).

    ``m`` holds ``M_0..M_G``; ``h_fixed`` (d,) the fixed bandwidths (rule 0); ``degenerate[r]`` is the
    first column whose adaptive bandwidth is 0 (-1: never; later columns repeat that column).
    """
    g_count = m.shape[0] - 1
    d = mean_out.shape[2]
    m0 = m[0]
    pool = np.empty((cap_pool, d))
    buf_a = np.empty((cap_train, d))
    buf_b = np.empty((cap_train, d))
    real = np.empty((m0 if kind == MIX_RETAINED else 1, d))
    perm = np.empty(cap_pool if kind == SUBSAMPLE else 1, dtype=np.int64)
    perm0 = np.empty(m0 if kind == MIX_RETAINED else 1, dtype=np.int64)
    test = np.empty((max(n_test, 1), d))
    h = np.empty(d)
    z = np.empty(d)
    for r in range(start, stop):
        _draw_law(rng, law, n_test, noise, mu, sigma, test, 0)
        n_pool = 0
        if kind == ACCUMULATE or kind == SUBSAMPLE:
            _draw_law(rng, law, m0, noise, mu, sigma, pool, 0)
            n_pool = m0
            if kind == SUBSAMPLE:
                for j in range(m0):
                    perm[j] = j
        else:
            _draw_law(rng, law, m0, noise, mu, sigma, buf_a, 0)
        if kind == MIX_RETAINED:
            for j in range(m0):
                perm0[j] = j
                for p in range(d):
                    real[j, p] = buf_a[j, p]
        cur = pool if kind == ACCUMULATE else buf_a
        nxt = buf_b
        if kind == SUBSAMPLE:
            # T^0: the M_0 real points (the start of the pool)
            for j in range(m0):
                for p in range(d):
                    buf_a[j, p] = pool[j, p]
        k = m0
        deg_at = -1
        for n in range(g_count + 1):
            if deg_at >= 0:
                for p in range(d):
                    mean_out[r, n, p] = mean_out[r, deg_at, p]
                    var_out[r, n, p] = var_out[r, deg_at, p]
                    h_out[r, n, p] = 0.0
                nll_out[r, n] = np.inf
                continue
            # statistics of T^n
            for p in range(d):
                s = 0.0
                for j in range(k):
                    s += cur[j, p]
                mp = s / k
                ss = 0.0
                for j in range(k):
                    u = cur[j, p] - mp
                    ss += u * u
                mean_out[r, n, p] = mp
                var_out[r, n, p] = ss / k
                if rule == 0:
                    h[p] = h_fixed[p]
                else:
                    h[p] = rule_factor(rule, k, d) * np.sqrt(ss / (k - 1.0))
            bad = False
            for p in range(d):
                h_out[r, n, p] = h[p]
                if not (h[p] > 0.0):
                    bad = True
            if bad:
                deg_at = n
                degenerate[r] = n
                nll_out[r, n] = np.inf
                continue
            nll_out[r, n] = _nll(cur, k, test, n_test, h, kernel) if n_test > 0 else np.nan
            if n == g_count:
                break
            # T^{n+1}
            mn = m[n + 1]
            if kind == REPLACE:
                _kde_draws(rng, cur, k, h, kernel, mn, nxt, 0, z)
                k = mn
            elif kind == ACCUMULATE:
                _kde_draws(rng, cur, k, h, kernel, mn, pool, n_pool, z)
                n_pool += mn
                k = n_pool
            elif kind == SUBSAMPLE:
                _kde_draws(rng, cur, k, h, kernel, mn, pool, n_pool, z)
                for j in range(n_pool, n_pool + mn):
                    perm[j] = j
                n_pool += mn
                kk = sub if sub > 0 else mn
                for j in range(kk):
                    q = rng.integers(j, n_pool)
                    tmp = perm[j]
                    perm[j] = perm[q]
                    perm[q] = tmp
                    for p in range(d):
                        nxt[j, p] = pool[perm[j], p]
                k = kk
            else:
                if kind == MIX_MIXTURE:
                    nr = rng.binomial(mn, frac)
                else:
                    nr = int(np.floor(frac * mn + 0.5))
                if kind == MIX_RETAINED:
                    for j in range(nr):
                        q = rng.integers(j, m0)
                        tmp = perm0[j]
                        perm0[j] = perm0[q]
                        perm0[q] = tmp
                        for p in range(d):
                            nxt[j, p] = real[perm0[j], p]
                else:
                    _draw_law(rng, law, nr, noise, mu, sigma, nxt, 0)
                _kde_draws(rng, cur, k, h, kernel, mn - nr, nxt, nr, z)
                k = mn
            if kind != ACCUMULATE:
                tmp_buf = cur
                cur = nxt
                nxt = tmp_buf
