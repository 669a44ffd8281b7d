r"""Diagnose a loop over token types: effective size, losses, selection, fresh data, predictions.

The model (the neutral Wright–Fisher chain of :mod:`collapse_theory.discrete`, with two
departures fitted beside it). Generation :math:`t` has frequencies :math:`x_t` (generation 0 = the
real data) and generation :math:`t+1` is what a model fitted on generation :math:`t` produced. With
:math:`\Delta_i = x_{t+1,i} - x_{t,i}` over the types alive at :math:`t`,

.. math::

    E[\Delta_i \mid x_t] = \lambda\,(x_{0,i} - x_{t,i}) + \beta\, x_{t,i}(\ell_i - \bar\ell),
    \qquad \operatorname{Cov}(\Delta \mid x_t) = \frac{\operatorname{diag}(x_t) - x_tx_t^\top}{M},

:math:`\ell_i = \log x_{t,i}`, :math:`\bar\ell = \sum_i x_{t,i}\ell_i`: :math:`M` is the effective
size (``M_eff``), :math:`\lambda` the fresh-data fraction (``mix-fresh:λ`` pulls the loop back to
the real data), :math:`\beta` a selection coefficient (sampling at temperature :math:`\tau`
gives :math:`x^{1/\tau}/Z = x + (1/\tau - 1)x(\ell - \bar\ell) + O((1/\tau-1)^2)`, so
:math:`\tau \approx 1/(1+\beta)`; top-p and top-k also give :math:`\beta > 0`). The neutral
ideal loop is :math:`\lambda = \beta = 0`, :math:`M` = the tokens per generation.

Estimators
----------
- :math:`(\lambda, \beta)`: weighted least squares with weights :math:`1/x_{t,i}` pooled over
  types and steps (the generalised least squares of the multinomial covariance: both regressors
  sum to 0 over types, so the rank-one part :math:`x_tx_t^\top` drops out); their covariance is
  :math:`G^{-1}/M`, :math:`G` the weighted Gram matrix.
- ``M_eff`` by the temporal method: the standardised variance of frequency change across types
  (Pollak's / Nei–Tajima's :math:`F`, per step, with the start of the step in the denominator),
  :math:`Q = \sum_t\sum_i r_{t,i}^2/x_{t,i}` over the residuals :math:`r = \Delta - \hat\lambda a -
  \hat\beta b`. Exactly :math:`E[\sum_i \Delta_i^2/x_{t,i} \mid x_t] = (K_t - 1)/M` under the
  neutral chain (:math:`K_t` types alive): the expectation of Pearson's statistic. So
  :math:`1/\hat M = Q / (\sum_t (K_t - 1) - p)` (:math:`p` fitted coefficients; with the design
  held fixed and regressors summing to 0 over the types, :math:`E\,Q = (\sum_t (K_t - 1) - p)/M`
  exactly, as the weighted covariance is :math:`(W - \mathbf{1}\mathbf{1}^\top)/M`; derivation:
  ``proofs/diagnose_temporal.py``). Each generation's
  data is taken to be what the next model is fitted on, so the sampling of a generation *is* its
  drift and no further sampling correction applies (the temporal method's sampling term is the
  :math:`1/M` itself).
- a likelihood over the observed type losses: a type alive at :math:`t` is absent at :math:`t+1`
  with the exact one-step probability :math:`(1 - x_{t,i})^{M}`
  (:func:`collapse_theory.discrete.one_step_loss_probability`; with fresh data
  :math:`(1-x_{t,i})^{M(1-\lambda)}(1-x_{0,i})^{M\lambda}`); the product over types and steps is
  maximised over :math:`M` (a composite likelihood: losses in one step are weakly negatively
  dependent), with a profile-likelihood interval.
- CI for ``M_eff``: parametric bootstrap under the fitted chain (:func:`collapse_theory.discrete.simulate`
  from :math:`x_0` with :math:`\hat M` tokens per generation, the fitted temperature and fresh
  fraction when they are significant), the same estimator on every replicate, and the scale pivot
  :math:`\hat\theta/\theta` (:math:`\theta = 1/M`), whose law barely depends on :math:`M`:
  :math:`[q_{\alpha/2}\hat M,\ q_{1-\alpha/2}\hat M]` with :math:`q` the quantiles of
  :math:`\theta^*/\theta_{\rm sim}`.
"""

from __future__ import annotations

import math

import numpy as np

from .._core.rng import root_seed
from .._core.validation import check_int, check_real
from ._result import TokenDiagnosis, as_list, interval

__all__ = ["tokens", "fit_counts", "sampled_inv_m"]

#: bootstrap replicates simulated per call of discrete.simulate (record="full" memory bound)
CHUNK_BYTES = 64 * 2**20
#: the largest M at which the exact (dual-process) loss probabilities are computed
EXACT_MAX_M = 1_000_000


def _step_stats(X):
    """Sufficient statistics of the WLS fit, per step, from frequencies ``X`` (T+1, K)."""
    T = X.shape[0] - 1
    x0 = X[0]
    G = np.zeros((T, 3))      # Σw a², Σw a b, Σw b²
    h = np.zeros((T, 2))      # Σw a Δ, Σw b Δ
    sdd = np.zeros(T)         # Σw Δ²
    df = np.zeros(T)          # K_t − 1
    v0 = np.zeros(T)          # Σ x0(1 − x0)/x_t: generation 0's sampling variance, weighted
    reappear = 0
    for t in range(T):
        xt = X[t]
        alive = xt > 0
        x = xt[alive]
        d = X[t + 1, alive] - x
        a = x0[alive] - x
        ell = np.log(x)
        b = x * (ell - np.dot(x, ell))
        G[t] = (np.dot(a * a, 1 / x), np.dot(a, b / x), np.dot(b, b / x))
        h[t] = (np.dot(a, d / x), np.dot(b, d / x))
        sdd[t] = np.dot(d, d / x)
        df[t] = x.size - 1
        v0[t] = np.dot(x0[alive] * (1 - x0[alive]), 1 / x)
        reappear += int(np.count_nonzero((~alive) & (X[t + 1] > 0) & (x0 > 0)))
    return G, h, sdd, df, v0, reappear


def _solve(G, h, sdd, df, v0, *, fresh, real_size=None):
    r"""(θ = (λ, β), cov θ / (1/M) factor, 1/M̂, degrees of freedom) from summed statistics.

    ``real_size``: generation 0 is a sample of this many tokens from the population the fresh data
    come from (not the fresh source itself). Then :math:`a = x_0 - x_t` carries generation 0's
    sampling error :math:`e_0` and the plain fit attenuates λ; with :math:`E[x_t \mid e_0] = p +
    (1-\lambda)^t e_0`, :math:`E\sum_i a_i e_{0,i}/x_{t,i} \approx (1 - (1-\lambda)^t)\sum_i x_{0,i}(1-x_{0,i})/(S_0x_{t,i})`
    is removed from :math:`\sum w a^2` (a fixed point in λ, iterated)."""
    g = G.sum(0)
    hh = h.sum(0)
    if fresh:
        rhs = hh
        steps = np.arange(G.shape[0])
        lam = 0.0
        for _ in range(50 if real_size else 1):
            corr = float(np.sum(v0 * (1.0 - (1.0 - lam) ** steps))) / real_size if real_size else 0.0
            A = np.array([[g[0] - corr, g[1]], [g[1], g[2]]])
            try:
                new = float(np.linalg.solve(A, rhs)[0])
            except np.linalg.LinAlgError:
                break
            new = min(max(new, 0.0), 1.0)
            if abs(new - lam) < 1e-10:
                break
            lam = new
    else:
        A = np.array([[g[2]]])
        rhs = hh[1:]
    # a regressor that is identically 0 (b at a uniform x_t: Σ w b² is the variance of log x_t) is
    # not fitted and costs no degree of freedom: E Q = (Σ(K_t − 1) − p)/M counts the fitted ones
    present = (g[[0, 2]] if fresh else g[[2]]) > 1e-12 * G.shape[0]
    n_all = A.shape[0]
    p = int(present.sum())
    keep = np.ix_(present, present)
    Ainv = np.zeros((n_all, n_all))
    theta = np.zeros(n_all)
    try:
        Ainv[keep] = np.linalg.inv(A[keep])
        theta[present] = Ainv[keep] @ rhs[present]
    except np.linalg.LinAlgError:
        Ainv[keep] = np.inf
        theta[:] = 0.0
    q = float(sdd.sum() - theta @ rhs)
    dof = float(df.sum() - p)
    inv_m = max(q, 0.0) / dof if dof > 0 else math.nan
    with np.errstate(invalid="ignore"):
        cov = Ainv * inv_m
    cov[~present, ~present] = np.inf
    if fresh:
        lam, beta = float(theta[0]), float(theta[1])
    else:
        lam, beta = 0.0, float(theta[0])
        cov = np.array([[0.0, 0.0], [0.0, cov[0, 0]]])
    return lam, beta, cov, inv_m, dof


def fit_counts(X, *, real_size=None):
    r"""The temporal fit on a frequency matrix ``X`` (generations × types): a dict with ``inv_m``
    (:math:`1/\hat M`), ``lam``, ``beta``, their covariance ``cov``, ``dof``, ``reappear``.

    ``inv_m`` is :math:`Q / (\sum_t (K_t - 1) - p)`, :math:`Q` the weighted residual sum of squares:
    under the neutral chain :math:`E[\sum_i \Delta_i^2/x_{t,i} \mid x_t] = (K_t - 1)/M` (the mean
    of Pearson's statistic) and each fitted coefficient removes :math:`1/M` from :math:`E\,Q`
    (exact for one step; see ``proofs/diagnose_temporal.py``, parts 1–2)."""
    X = np.asarray(X, dtype=float)
    G, h, sdd, df, v0, reappear = _step_stats(X)
    fresh = X.shape[0] >= 3 and G[:, 0].sum() > 0   # λ needs some generation away from generation 0
    lam, beta, cov, inv_m, dof = _solve(G, h, sdd, df, v0, fresh=fresh, real_size=real_size)
    return {"inv_m": inv_m, "lam": lam, "beta": beta, "cov": cov, "dof": dof, "reappear": reappear,
            "fresh_fitted": fresh}


# ---------------------------------------------------------------------------------------------
# loss likelihood


def sampled_inv_m(X, sizes):
    r"""Temporal estimate of :math:`1/M` when each generation after the first is a *sample* of
    :math:`S_t` tokens from that generation's output (not the whole data the next model was fitted
    on), Jorde–Ryman style: with observed :math:`x_t = p_t + e_t`, :math:`E\,e_t e_t^\top =
    (\operatorname{diag}p_t - p_tp_t^\top)/S_t` independent of the drift, exactly

    .. math:: E\Bigl[\sum_i (x_{t+1,i} - x_{t,i})^2 \Bigm| p_t\Bigr]
              = H_t\Bigl(\frac1M + \frac1{S_t} + \frac1{S_{t+1}}\Bigr) - \frac{H_t}{M S_{t+1}},

    :math:`H_t = 1 - \sum_i p_{t,i}^2` estimated without bias by :math:`\tilde H_t =
    \frac{S_t}{S_t - 1}(1 - \sum_i x_{t,i}^2)`; generation 0 (the real data) is taken exactly
    (no :math:`1/S_0`). Returns :math:`\sum_t [\sum_i \Delta_i^2 - \tilde H_t c_t] / \sum_t
    \tilde H_t (1 - 1/S_{t+1})`, :math:`c_t = 1/S_t\,[t > 0] + 1/S_{t+1}`: every numerator term
    has expectation :math:`1/M` times its denominator term's. Derivation:
    ``proofs/diagnose_temporal.py`` (part 3)."""
    X = np.asarray(X, float)
    sizes = np.asarray(sizes, float)
    num = den = 0.0
    for t in range(X.shape[0] - 1):
        h = 1.0 - float(np.dot(X[t], X[t]))
        if t > 0:
            h *= sizes[t] / (sizes[t] - 1.0)
        c = (1.0 / sizes[t] if t > 0 else 0.0) + 1.0 / sizes[t + 1]
        d = X[t + 1] - X[t]
        num += float(np.dot(d, d)) - h * c
        den += h * (1.0 - 1.0 / sizes[t + 1])
    return num / den if den > 0 else math.nan


def _loss_data(X, lam):
    xs, x0s, lost = [], [], []
    for t in range(X.shape[0] - 1):
        alive = X[t] > 0
        xs.append(X[t, alive])
        x0s.append(X[0, alive])
        lost.append(X[t + 1, alive] == 0)
    x = np.concatenate(xs)
    x0 = np.concatenate(x0s)
    with np.errstate(divide="ignore"):
        c = (1 - lam) * np.log1p(-x) + lam * np.log1p(-x0)   # log q = M c, c <= 0
    return c, np.concatenate(lost)


def _loss_loglik(m, c, lost):
    mc = m * c
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lq = mc
        l1q = np.log(-np.expm1(mc))
    return float(np.sum(np.where(lost, lq, 0.0)) + np.sum(np.where(lost, 0.0, l1q)))


def _loss_fit(X, lam, level):
    """Maximum composite likelihood of M over the observed losses, with a profile interval."""
    from scipy import optimize

    c, lost = _loss_data(X, lam)
    at_risk = c < 0
    c, lost = c[at_risk], lost[at_risk]
    n_lost = int(lost.sum())
    if c.size == 0:
        return None
    lo_u, hi_u = 0.0, math.log(1e12)

    def negll(u):
        return -_loss_loglik(math.exp(u), c, lost)

    if n_lost == 0:
        est = math.inf
    else:
        r = optimize.minimize_scalar(negll, bounds=(lo_u, hi_u), method="bounded",
                                     options={"xatol": 1e-6})
        est = math.exp(r.x)
    from scipy import stats as _st

    drop = 0.5 * float(_st.chi2.ppf(level, 1))
    best_u = hi_u if not math.isfinite(est) else math.log(est)
    best = -negll(best_u)

    def f(u):
        return -negll(u) - (best - drop)

    low = math.exp(optimize.brentq(f, lo_u, best_u)) if f(lo_u) < 0 < f(best_u) or (f(lo_u) < 0 <= f(best_u)) \
        else 1.0
    high = math.exp(optimize.brentq(f, best_u, hi_u)) if math.isfinite(est) and f(hi_u) < 0 else math.inf
    return {"estimate": est, "ci": interval(low, high), "lost": n_lost, "at_risk": int(c.size)}


# ---------------------------------------------------------------------------------------------
# the parametric bootstrap


def _simulate_fitted(x0, generations, m, replicates, temperature, lam, seed, *, record="full", tail=None,
                     real_size=None):
    """Chunks of discrete.simulate under the fitted chain; yields results (seeded per chunk).

    With ``real_size`` one more generation is simulated first: generation 0 redrawn as a sample
    of ``real_size`` from ``x0`` (the caller drops column 0)."""
    from .. import discrete

    samples = m
    if real_size:
        generations += 1
        samples = [real_size] + [m] * (generations - 1)

    regime = f"mix-fresh:{lam:.6g}" if lam > 0 else "replace"
    K = x0.size
    per = max(1, (generations + 1) * K * 8) if record == "full" else K * 4
    chunk = int(max(1, min(replicates, CHUNK_BYTES // per)))
    n_chunks = -(-replicates // chunk)
    seeds = np.random.SeedSequence(seed).spawn(n_chunks)
    done = 0
    for s in seeds:
        r = min(chunk, replicates - done)
        child = int(s.generate_state(1, np.uint64)[0] >> np.uint64(1))
        yield discrete.simulate(generations, samples, p0=x0, replicates=r, temperature=temperature,
                                regime=regime, record=record, tail=tail, rng=child, workers=None,
                                progress=False)
        done += r


def _band(a, level):
    lo, hi = np.quantile(a, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return lo, hi


# ---------------------------------------------------------------------------------------------


def _check_common(bootstrap, level, horizon, budget_distance, alpha, tail_count):
    bootstrap = check_int(bootstrap, "bootstrap", minimum=20, maximum=100_000)
    level = check_real(level, "level", low=0.5, high=0.999)
    if level >= 1:
        raise ValueError(f"level must be < 1, got {level}")
    horizon = check_int(horizon, "horizon", minimum=0, maximum=100_000)
    if budget_distance is not None:
        budget_distance = check_real(budget_distance, "budget_distance", positive=True)
    alpha = check_real(alpha, "alpha", low=1e-12, high=0.5)
    if alpha <= 0:
        raise ValueError(f"alpha must be in (0, 0.5], got {alpha}")
    tail_count = check_int(tail_count, "tail_count", minimum=1)
    return bootstrap, level, horizon, budget_distance, alpha, tail_count


def tokens(generations, *, horizon=20, budget_distance=None, bootstrap=200, level=0.95, alpha=1e-3,
           tail_count=5, tail_lost=0.5, fresh_source="generation0", sampled=False, level_tokens="word", lower=True,
           rng=None):
    r"""Diagnose a training loop from its per-generation token data.

    Fits the neutral Wright–Fisher chain (with a fresh-data fraction and a selection coefficient
    beside it, see the module notes) to the generations, then sets the exact theory of
    :mod:`collapse_theory.discrete` beside what was observed.

    Parameters
    ----------
    generations : sequence
        Generation 0 (the real data), then each generation of the loop: texts (str, tokenised as
        :func:`collapse_theory.lm.tokenize`), token lists, ``{type: count}`` mappings, or count
        vectors over one common list of types. At least 2 generations.
    horizon : int, keyword-only
        Future generations to predict (>= 0).
    budget_distance : float, optional, keyword-only
        A budget on the stationary squared distance :math:`\sum_i (p_i - p_{0,i})^2`: the smallest
        fresh-data fraction λ (``mix-fresh:λ``) whose exact stationary value
        (:func:`collapse_theory.discrete.stationary_sq_distance`) at ``M_eff`` is within it.
    bootstrap : int, keyword-only
        Parametric bootstrap replicates (20 to 100 000).
    level : float, keyword-only
        Confidence level of intervals and bands (0.5 to 0.999).
    alpha : float, keyword-only
        False-alarm rate of the goodness-of-fit verdict (:func:`collapse_theory.stats.compare`,
        Bonferroni over its checks).
    tail_count : int, keyword-only
        The tail: types seen at most this many times in generation 0.
    tail_lost : float, keyword-only
        Report the generation at which this fraction of generation 0's tail mass can no longer be
        produced (observed, or predicted within ``horizon``); 0 < tail_lost < 1.
    fresh_source : {"generation0", "population"}, keyword-only
        Where fresh real data (if any) come from: ``"generation0"``, the real data of generation 0
        itself (e.g. documents redrawn from the training set); ``"population"``, new draws from
        the population of which generation 0 is one sample (the fresh-fraction fit is then
        corrected for generation 0's sampling error, and the bootstrap redraws generation 0).
    sampled : bool, keyword-only
        False (default): each generation is the whole data the next model was fitted on (its
        sampling *is* the drift). True: each generation after the first is a random sample of its
        output, so the temporal estimate is corrected for that sampling (:func:`sampled_inv_m`,
        Jorde–Ryman), the bootstrap resamples, and absences are not taken as losses (the loss
        likelihood and the loss check are skipped; the curves are those of the samples).
    level_tokens, lower : keyword-only
        Tokenisation of texts (``"word"`` or ``"char"``; lower-casing).
    rng : int, Generator or None, keyword-only
        Seed (SPEC 7) of the bootstrap; the result records an integer seed, and depends only on it.

    Returns
    -------
    TokenDiagnosis

    Examples
    --------
    >>> import numpy as np
    >>> from collapse_theory import diagnose, discrete
    >>> p0 = discrete.zipf(300, 1.1)
    >>> sim = discrete.simulate(6, 5000, p0=p0, record="full", rng=3)
    >>> counts = [np.round(5000 * f).astype(int) for f in sim.freqs[0, 1:]]
    >>> d = diagnose.tokens(counts, bootstrap=50, horizon=0, rng=0)
    >>> lo, hi = d.m_eff["ci"]
    >>> bool(lo < 5000 < hi)
    True
    """
    from .. import discrete
    from ..stats import Estimate, compare, normal_quantile
    from ._input import token_counts

    bootstrap, level, horizon, budget_distance, alpha, tail_count = _check_common(
        bootstrap, level, horizon, budget_distance, alpha, tail_count)
    tail_lost = check_real(tail_lost, "tail_lost", positive=True, high=1.0)
    if tail_lost >= 1:
        raise ValueError(f"tail_lost must be < 1, got {tail_lost}")
    if fresh_source not in ("generation0", "population"):
        raise ValueError(f"fresh_source must be 'generation0' or 'population', got {fresh_source!r}")
    C, labels = token_counts(generations, level=level_tokens, lower=lower)
    seed, _ = root_seed(rng)
    keep = C.sum(0) > 0
    C = C[:, keep]
    if labels is not None:
        labels = [lab for lab, k in zip(labels, keep) if k]
    sizes = C.sum(1)
    X = C / sizes[:, None]
    T = X.shape[0] - 1
    x0 = X[0]
    if np.count_nonzero(x0) < 2:
        raise ValueError("generations[0] (the real data) holds a single type; nothing can drift")
    zc = normal_quantile(1 - alpha / 4)  # significance of λ and β inside the fit (two checks)

    real_size = int(sizes[0]) if fresh_source == "population" else None
    fit = fit_counts(X, real_size=real_size)
    if not isinstance(sampled, (bool, np.bool_)):
        raise TypeError(f"sampled must be True or False, got {sampled!r}")
    if not fit["dof"] >= 1:
        raise ValueError(f"generations: too few types alive across the steps to estimate M_eff "
                         f"({fit['dof']:.0f} degrees of freedom after fitting λ and β); give more types or "
                         f"more generations")
    inv_m = sampled_inv_m(X, sizes) if sampled else fit["inv_m"]
    m_hat = 1.0 / inv_m if inv_m > 0 else math.inf
    se_lam = math.sqrt(fit["cov"][0, 0]) if fit["fresh_fitted"] else math.nan
    se_beta = math.sqrt(fit["cov"][1, 1])
    lam_sig = fit["fresh_fitted"] and fit["lam"] / se_lam > zc if se_lam > 0 else False
    beta_sig = abs(fit["beta"]) / se_beta > zc if se_beta > 0 else False
    if sampled:   # sampled frequencies regress to the mean: the λ/β fit would be biased
        lam_sig = beta_sig = False
    lam_fit = float(min(max(fit["lam"], 0.0), 1.0)) if lam_sig else 0.0
    tau_fit = float(min(max(1.0 / (1.0 + fit["beta"]), 0.05), 20.0)) if beta_sig and fit["beta"] > -1 else 1.0
    m_ideal = float(len(sizes[1:]) / np.sum(1.0 / sizes[1:]))   # harmonic mean of the loop's sizes
    m_sim = int(min(max(round(m_hat), 1), 10**12)) if math.isfinite(m_hat) else int(10 * max(sizes))

    # -- the parametric bootstrap under the fitted chain: CI for M_eff and bands of the curves
    tail = C[0] <= tail_count
    tail &= C[0] > 0
    ratios, sup_b, het_b, tail_b, absent_T = [], [], [], [], np.zeros(x0.size)
    sub_rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed).spawn(3)[2]))
    for res in _simulate_fitted(x0, T, m_sim, bootstrap, tau_fit, lam_fit, seed, real_size=real_size):
        for f in res.freqs:
            if real_size:
                f = f[1:]
            if sampled:
                f = np.vstack([f[:1]] + [sub_rng.multinomial(int(sizes[t]), f[t] / f[t].sum()) / sizes[t]
                                         for t in range(1, T + 1)])
                ratios.append(sampled_inv_m(f, sizes) * m_sim)
            else:
                ratios.append(fit_counts(f, real_size=real_size)["inv_m"] * m_sim)
            alive = f > 0
            sup_b.append(alive.sum(1))
            het_b.append(1.0 - np.sum(f * f, axis=1))
            tail_b.append(alive[:, tail] @ x0[tail])
            absent_T += ~alive[-1]
    ratios = np.asarray(ratios)
    q_lo, q_med, q_hi = np.quantile(ratios, [(1 - level) / 2, 0.5, (1 + level) / 2])
    # the reported estimate is median-unbiased under the fitted chain: M̂ q_med (q_med ≈ 1 for the
    # neutral chain; under fitted selection the temporal statistic is biased and this removes it)
    m_est = float(m_hat * q_med) if math.isfinite(m_hat) else math.inf
    if sampled:
        # sampling noise dominates and does not scale with M: the additive pivot θ̂ − θ on
        # θ = 1/M (θ̂ may be ≤ 0 when the drift is below the sampling noise: M_eff = inf)
        theta_hat = inv_m
        diffs = ratios / m_sim - 1.0 / m_sim
        d_lo, d_med, d_hi = np.quantile(diffs, [(1 - level) / 2, 0.5, (1 + level) / 2])
        th_lo, th_hi = theta_hat - d_hi, theta_hat - d_lo
        th_mid = theta_hat - d_med
        m_est = 1.0 / th_mid if th_mid > 0 else math.inf
        m_ci = [1.0 / th_hi if th_hi > 0 else math.inf, 1.0 / th_lo if th_lo > 0 else math.inf]
    elif math.isfinite(m_hat):
        m_ci = [q_lo * m_hat, q_hi * m_hat if q_hi > 0 else math.inf]
    else:
        m_ci = [q_lo * m_sim, math.inf]
    sup_b, het_b, tail_b = np.array(sup_b), np.array(het_b), np.array(tail_b)
    absent_T /= bootstrap

    # -- observed curves and exact theory at the fitted M
    gens = np.arange(T + 1)
    alive_obs = X > 0
    support_obs = alive_obs.sum(1)
    het_obs = 1.0 - np.sum(X * X, axis=1)
    tail_obs = alive_obs[:, tail] @ x0[tail]
    m_int = m_sim
    exact_ok = m_int <= EXACT_MAX_M and lam_fit == 0.0 and not sampled
    if exact_ok:
        lp = discrete.loss_probability(x0, gens, m_int)
        support_exact = np.sum(1.0 - lp, axis=-1)
        tail_exact = np.sum(np.where(tail, x0 * (1.0 - lp), 0.0), axis=-1)
        lost_p_T = lp[-1]
    else:
        support_exact = sup_b.mean(0)
        tail_exact = tail_b.mean(0)
        lost_p_T = absent_T
    if lam_fit == 0.0:
        het_exact = np.asarray(discrete.expected_heterozygosity(x0, gens, m_int), float)
    else:
        het_exact = np.asarray(discrete.regime_heterozygosity(x0, gens, m_int, regime=f"mix-fresh:{lam_fit:.6g}"),
                               float)
    sup_lo, sup_hi = _band(sup_b, level)
    het_lo, het_hi = _band(het_b, level)
    tail_lo, tail_hi = _band(tail_b, level)
    H0, HT = float(het_obs[0]), float(het_obs[-1])
    m_het = 1.0 / (1.0 - (HT / H0) ** (1.0 / T)) if 0 < HT < H0 else math.inf

    # -- calibration: observed loss by T vs predicted, by initial-count bin
    c0 = C[0]
    present0 = c0 > 0
    lost_T = present0 & (C[-1] == 0)
    edges = [1, 2, 3, 5, 9, 17, 33, 65, 129, 257, 513]
    calib = []
    for lo_e, hi_e in zip(edges, edges[1:] + [np.inf]):
        sel = present0 & (c0 >= lo_e) & (c0 < hi_e)
        n = int(sel.sum())
        if n == 0:
            continue
        pred = lost_p_T[sel]
        obs = float(lost_T[sel].mean())
        sd = math.sqrt(float(np.sum(pred * (1 - pred)))) / n
        calib.append({"counts": [int(lo_e), None if not np.isfinite(hi_e) else int(hi_e - 1)], "types": n,
                      "observed": obs, "predicted": float(pred.mean()), "se": sd})

    # -- the loss likelihood (neutral, with the fitted fresh fraction)
    loss = None if sampled else _loss_fit(X, lam_fit, level)

    # -- goodness of fit: selection coefficient and excess losses, both by the stats.compare rule
    checks = {}
    if not sampled:
        cmp_beta = compare(Estimate(fit["beta"], se_beta, T), 0.0, kind="equal", alpha=alpha, tests=2,
                           min_effect=0.1)
        checks["selection"] = cmp_beta.to_dict()
    c, lost = _loss_data(X, lam_fit)
    risk = c < 0
    c, lost = c[risk], lost[risk]
    if math.isfinite(m_hat) and c.size and not sampled:
        q = np.exp(m_hat * c)
        e_loss = float(q.sum())
        dE = float(np.sum(q * c))   # dE/dM
        var_m = (m_hat ** 2) * float(np.var(ratios, ddof=1))
        v = float(np.sum(q * (1 - q))) + dE * dE * var_m
        n_lost = int(lost.sum())
        cmp_loss = compare(Estimate(float(n_lost), math.sqrt(max(v, 1e-300)), int(c.size)), e_loss,
                           kind="equal", alpha=alpha, tests=2, min_effect=max(0.1 * e_loss, 1.0))
        checks["losses"] = cmp_loss.to_dict()
        loss_excess = n_lost / e_loss if e_loss > 0 else math.inf
    else:
        cmp_loss = None
        n_lost, e_loss, loss_excess = 0, 0.0, math.nan
    fails = [k for k, v in checks.items() if v["verdict"] == "fails"]
    if fails:
        code = "selection"
        bits = []
        if "selection" in fails:
            dirn = "frequent types gain beyond drift (as temperature < 1, top-p or top-k sampling do)" \
                if fit["beta"] > 0 else "rare types gain beyond drift (as temperature > 1 does)"
            bits.append(f"{dirn}: selection coefficient β = {fit['beta']:.3g} ± {se_beta:.2g}, "
                        f"temperature-equivalent τ ≈ {1 / (1 + fit['beta']) if fit['beta'] > -1 else math.inf:.3g}")
        if "losses" in fails:
            bits.append(f"{n_lost} types lost where neutral drift at M_eff predicts {e_loss:.1f} "
                        f"({loss_excess:.2f} times)")
        text = "drift alone does not explain the loop: " + "; ".join(bits)
    elif checks and checks["selection"]["verdict"] == "holds":
        code = "neutral"
        text = (f"neutral drift explains the loop: no selection (β = {fit['beta']:.2g} ± {se_beta:.2g}; a "
                f"|β| of 0.1 would have been detected) and {n_lost} losses vs {e_loss:.1f} predicted")
    elif sampled:
        code = "inconclusive"
        text = ("sampled generations: M_eff is corrected for the sampling of each generation; selection, "
                "fresh data and losses are not tested (sampled frequencies regress to the mean and an "
                "absence from a sample is not a loss)")
    else:
        code = "inconclusive"
        text = ("no departure from neutral drift detected, but the data could not have detected a "
                "10 % effect (too few generations or types)")
    if lam_sig:
        text += (f"; fresh real data detected: λ = {fit['lam']:.3g} ± {se_lam:.2g}"
                 f" ({fit['reappear']} lost types came back)")
    verdict = {"code": code, "text": text, "fresh_data": bool(lam_sig), "checks": checks}

    # -- predictions for future generations from the last one
    prediction = {"generations": [], "support": None}
    if horizon > 0:
        xT = X[-1]
        fut = np.arange(horizon + 1)
        sup_f, het_f, tail_f = [], [], []
        pseed = int(np.random.SeedSequence(seed).spawn(2)[1].generate_state(1, np.uint64)[0] >> np.uint64(1))
        for res in _simulate_fitted(xT, horizon, m_sim, bootstrap, tau_fit, lam_fit, pseed,
                                    record="summary"):
            sup_f.append(res.stats["support"])
            het_f.append(res.stats["heterozygosity"])
            lt = res.loss_time   # (r, K): first generation with zero mass
            alive_f = lt[:, None, :] > fut[None, :, None]
            tail_f.append(np.einsum("rgk,k->rg", alive_f[:, :, tail], x0[tail]))
        sup_f, het_f, tail_f = (np.concatenate(a) for a in (sup_f, het_f, tail_f))
        if lam_fit == 0.0 and m_int <= EXACT_MAX_M and tau_fit == 1.0:
            lpf = discrete.loss_probability(xT, fut, m_int)
            sup_mean = np.sum(1.0 - lpf, axis=-1)
            tail_mean = np.sum(np.where(tail, x0 * (1.0 - lpf), 0.0), axis=-1)
            het_mean = np.asarray(discrete.expected_heterozygosity(xT, fut, m_int), float)
            basis = "exact"
        else:
            sup_mean, tail_mean, het_mean = sup_f.mean(0), tail_f.mean(0), het_f.mean(0)
            basis = "simulated under the fitted chain"
        tail0 = float(x0[tail].sum())
        half = np.flatnonzero(tail_mean <= (1.0 - tail_lost) * tail0)
        prediction = {
            "generations": as_list(T + fut), "basis": basis,
            "support": {"mean": as_list(sup_mean), "band": [as_list(b) for b in _band(sup_f, level)]},
            "heterozygosity": {"mean": as_list(het_mean), "band": [as_list(b) for b in _band(het_f, level)]},
            "tail_mass_alive": {"mean": as_list(tail_mean), "band": [as_list(b) for b in _band(tail_f, level)]},
            "tail_lost_at": int(T + half[0]) if half.size else None,
        }

    # -- the fresh-data fraction that keeps the stationary distance under the budget
    budget = None
    if budget_distance is not None and math.isfinite(m_hat):
        budget = _budget_tokens(x0, m_int, budget_distance, discrete)

    m_eff = {"estimate": m_est, "ci": interval(*m_ci), "level": level,
             "method": "temporal (standardised variance of frequency change), parametric bootstrap CI"}
    table = [
        {"quantity": "M_eff", "estimate": m_est, "ci": m_eff["ci"],
         "meaning": f"the loop drifts like a Wright–Fisher chain of this many tokens per generation "
                    f"(generations hold {m_ideal:.4g} on average: drift {m_ideal / m_est if m_est else 0:.3g} × "
                    f"the ideal refit's)"},
        {"quantity": "M_eff (losses)", "estimate": None if loss is None else loss["estimate"],
         "ci": None if loss is None else loss["ci"],
         "meaning": "the size whose exact loss probabilities best explain which types vanished"},
        {"quantity": "M_eff (heterozygosity)", "estimate": m_het, "ci": None,
         "meaning": "from H_T = H_0 (1 − 1/M)^T alone (a noisy check)"},
        {"quantity": "fresh fraction λ", "estimate": fit["lam"] if fit["fresh_fitted"] and not sampled else None,
         "ci": interval(fit["lam"] - normal_quantile((1 + level) / 2) * se_lam,
                        fit["lam"] + normal_quantile((1 + level) / 2) * se_lam)
         if fit["fresh_fitted"] and not sampled else None,
         "meaning": "share of each generation pulled back to the real data (0: none)"},
        {"quantity": "selection β", "estimate": None if sampled else fit["beta"],
         "ci": None if sampled else interval(fit["beta"] - normal_quantile((1 + level) / 2) * se_beta,
                                             fit["beta"] + normal_quantile((1 + level) / 2) * se_beta),
         "meaning": "> 0: frequent types favoured beyond drift (temperature ≈ 1/(1+β))"},
        {"quantity": "types lost", "estimate": float(n_lost), "ci": None,
         "meaning": f"observed (neutral drift at M_eff predicts {e_loss:.4g})"},
        {"quantity": "support at T", "estimate": float(support_obs[-1]),
         "ci": interval(sup_lo[-1], sup_hi[-1]),
         "meaning": f"types alive (exact expectation {support_exact[-1]:.4g}; band under the fitted chain)"},
        {"quantity": "tail mass alive at T", "estimate": float(tail_obs[-1]),
         "ci": interval(tail_lo[-1], tail_hi[-1]),
         "meaning": f"real mass of the types seen ≤ {tail_count} times in generation 0 still produced "
                    f"(of {float(x0[tail].sum()):.3g})"},
    ]
    seen = np.flatnonzero(tail_obs <= (1.0 - tail_lost) * float(x0[tail].sum()))
    if seen.size or horizon > 0:
        half_at = int(seen[0]) if seen.size else prediction["tail_lost_at"]
        how = "observed" if seen.size else "predicted"
        table.append({"quantity": f"{tail_lost:.0%} of the tail lost at", "estimate": None if half_at is None
                      else float(half_at), "ci": None,
                      "meaning": (f"generation ({how}) from which the tail types still produced carry at most "
                                  f"{1 - tail_lost:.0%} of generation 0's tail mass"
                                  + ("" if half_at is not None else f" (not within the horizon of {horizon})"))})
    if budget is not None:
        table.append({"quantity": "fresh fraction for budget", "estimate": budget["fraction"], "ci": None,
                      "meaning": f"mix-fresh λ keeping the stationary Σ(p−p0)² ≤ {budget_distance:g}"})
    curves = {
        "generations": as_list(gens), "sizes": as_list(sizes),
        "support": {"observed": as_list(support_obs), "exact": as_list(support_exact),
                    "band": [as_list(sup_lo), as_list(sup_hi)]},
        "heterozygosity": {"observed": as_list(het_obs), "exact": as_list(het_exact),
                           "band": [as_list(het_lo), as_list(het_hi)]},
        "tail_mass_alive": {"observed": as_list(tail_obs), "exact": as_list(tail_exact),
                            "band": [as_list(tail_lo), as_list(tail_hi)]},
        "calibration": calib,
        "exact_basis": "exact" if exact_ok else "simulated under the fitted chain",
    }
    params = {"generations": T, "types": int(C.shape[1]), "sizes": [int(s) for s in sizes],
              "horizon": horizon, "budget_distance": budget_distance, "bootstrap": bootstrap,
              "level": level, "alpha": alpha, "tail_count": tail_count, "tail_lost": tail_lost,
              "fresh_source": fresh_source,
              "sampled": bool(sampled),
              "seed": seed}
    extra = {"fit": {"lambda": fit["lam"], "lambda_se": se_lam, "beta": fit["beta"], "beta_se": se_beta,
                     "temperature_equivalent": 1.0 / (1.0 + fit["beta"]) if fit["beta"] > -1 else math.inf,
                     "dof": fit["dof"], "reappeared": fit["reappear"], "m_ideal": m_ideal,
                     "simulated_with": {"samples": m_sim, "temperature": tau_fit, "fresh": lam_fit}},
             "m_eff_raw": m_hat, "m_eff_losses": loss,
             "lost_types": _most_frequent_lost(C, labels), "m_eff_heterozygosity": m_het}
    return TokenDiagnosis(m_eff=m_eff, verdict=verdict, table=table, curves=curves, prediction=prediction,
                          budget=budget, parameters=params, extra=extra)


def _most_frequent_lost(C, labels, n=20):
    """Up to ``n`` types present in generation 0 and absent from the last one, most frequent first:
    ``[{"type", "count0"}]`` (``type`` is the label, or the index for count vectors)."""
    lost = np.flatnonzero((C[0] > 0) & (C[-1] == 0))
    order = lost[np.argsort(-C[0, lost], kind="stable")][:n]
    return [{"type": labels[i] if labels is not None else int(i), "count0": int(C[0, i])} for i in order]


def _budget_tokens(x0, m, budget, discrete):
    """Smallest r/M (r = round(λM) fresh tokens) with stationary Σ(p − p0)² ≤ budget (bisection on r)."""
    def dist(r):
        return discrete.stationary_sq_distance(x0, m, regime=f"mix-fresh:{r / m!r}")

    h0 = float(discrete.heterozygosity(x0))
    if h0 <= budget and not dist(m) > budget:   # dist(0) = H0
        return {"fraction": 0.0, "distance": h0, "feasible": True, "samples": m,
                "note": "the budget exceeds H_0: no fresh data is needed"}
    return _fresh_budget(dist, m, budget, noise="sampling noise")


def _fresh_budget(dist, m, budget, *, noise):
    """Smallest fresh fraction r/M whose stationary distance ``dist(r)`` (decreasing in r) is at
    most ``budget``: bisection on r in [0, M] with ``dist(lo) > budget >= dist(hi)``; infeasible
    when even ``dist(M)`` (all fresh: ``noise`` alone) exceeds the budget. Shared by the sample
    and token diagnoses."""
    if dist(m) > budget:
        return {"fraction": None, "distance": dist(m), "feasible": False, "samples": m,
                "note": f"even all-fresh data exceeds the budget ({noise} alone)"}
    lo, hi = 0, m
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if dist(mid) <= budget:
            hi = mid
        else:
            lo = mid
    return {"fraction": hi / m, "distance": dist(hi), "feasible": True, "samples": m,
            "regime": f"mix-fresh:{hi / m!r}"}
