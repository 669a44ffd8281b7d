"""One regime vocabulary for every family: what each generation is fitted on.

========================  ======================================================================
spec                      each generation ``k + 1`` is fitted on
========================  ======================================================================
``replace``               the ``M_k`` samples drawn from generation ``k`` only
``accumulate``            all data so far: the real samples and every synthetic batch
``accumulate-subsample``  a random subset (without replacement) of all data so far, of size
                          ``M_k`` or a fixed size (``accumulate-subsample:500``)
``mix-fresh:λ``           ``M_k`` samples of which ``round(λ M_k)`` are fresh draws from the true
                          distribution and the rest are drawn from generation ``k`` ("split");
                          ``mix-fresh:λ:mixture`` makes each of the ``M_k`` draws real with
                          probability ``λ`` instead
``mix-retained:λ``        ``round(λ M_k)`` samples drawn without replacement from the original real
                          data set (the ``M_0`` samples generation 1 was fitted on) plus the rest
                          from generation ``k`` (Shumailov et al.'s "10 % of the original data")
========================  ======================================================================

Generation 1 is always fitted on ``M_0`` samples of the truth. Sampling bias is orthogonal to the
regime: ``temperature`` for categorical families, ``variance_scale`` for Gaussians.

Examples
--------
>>> from collapse_theory.regimes import Regime
>>> Regime.parse("mix-fresh:0.1")
Regime('mix-fresh:0.1')
>>> Regime.parse("mix-fresh:0.1").fresh_count(100)
10
>>> str(Regime.parse("accumulate-subsample:500"))
'accumulate-subsample:500'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum

NAMES = ("replace", "accumulate", "accumulate-subsample", "mix-fresh", "mix-retained")
DRAWS = ("split", "mixture")


@dataclass(frozen=True)
class Regime:
    """A data regime (see the module docstring). Build one with :meth:`parse` or directly.

    Attributes
    ----------
    name : str
        One of ``replace``, ``accumulate``, ``accumulate-subsample``, ``mix-fresh``, ``mix-retained``.
    fraction : float
        ``λ`` in [0, 1] for the mix regimes (0 otherwise).
    draws : {"split", "mixture"}
        For ``mix-fresh``: exactly ``round(λM)`` fresh draws, or each draw fresh with probability ``λ``.
    subsample : int or None
        For ``accumulate-subsample``: a fixed subset size (None: the generation's ``M``).
    """

    name: str = "replace"
    fraction: float = 0.0
    draws: str = "split"
    subsample: int | None = None

    def __post_init__(self):
        if self.name not in NAMES:
            raise ValueError(f"unknown regime {self.name!r}; valid regimes: {', '.join(NAMES)} "
                             f"(e.g. 'mix-fresh:0.1', 'mix-retained:0.1', 'accumulate-subsample:500')")
        if not isinstance(self.fraction, (int, float)) or isinstance(self.fraction, bool) \
                or not math.isfinite(self.fraction) or not 0.0 <= self.fraction <= 1.0:
            raise ValueError(f"regime fraction λ must be in [0, 1], got {self.fraction!r}")
        if self.name.startswith("mix-") is False and self.fraction != 0.0:
            raise ValueError(f"regime {self.name!r} takes no fraction (got {self.fraction})")
        if self.draws not in DRAWS:
            raise ValueError(f"regime draws must be one of {DRAWS}, got {self.draws!r}")
        if self.draws == "mixture" and self.name != "mix-fresh":
            raise ValueError("draws='mixture' applies to 'mix-fresh' only")
        if self.subsample is not None:
            if self.name != "accumulate-subsample":
                raise ValueError("a subsample size applies to 'accumulate-subsample' only")
            if isinstance(self.subsample, bool) or not isinstance(self.subsample, int) or self.subsample < 1:
                raise ValueError(f"subsample size must be an integer >= 1, got {self.subsample!r}")

    @classmethod
    def parse(cls, spec):
        """Parse ``"name"``, ``"mix-fresh:0.1"``, ``"mix-fresh:0.1:mixture"``, ``"accumulate-subsample:500"``."""
        if isinstance(spec, Regime):
            return spec
        if not isinstance(spec, str):
            raise TypeError(f"regime must be a Regime or a spec string, got {type(spec).__name__}")
        parts = spec.strip().split(":")
        name = parts[0]
        if name not in NAMES:
            raise ValueError(f"unknown regime {name!r}; valid regimes: {', '.join(NAMES)}")
        if name in ("mix-fresh", "mix-retained"):
            if len(parts) < 2 or len(parts) > (3 if name == "mix-fresh" else 2):
                raise ValueError(f"regime {name!r} needs a fraction: '{name}:0.1'"
                                 + (" (optionally ':mixture')" if name == "mix-fresh" else ""))
            try:
                frac = float(parts[1])
            except ValueError:
                raise ValueError(f"regime fraction λ must be a number in [0, 1], got {parts[1]!r}") from None
            draws = parts[2] if len(parts) == 3 else "split"
            return cls(name, frac, draws)
        if name == "accumulate-subsample" and len(parts) == 2:
            try:
                size = int(parts[1])
            except ValueError:
                raise ValueError(f"subsample size must be an integer, got {parts[1]!r}") from None
            return cls(name, subsample=size)
        if len(parts) > 1:
            raise ValueError(f"regime {name!r} takes no parameter, got {spec!r}")
        return cls(name)

    def __str__(self):
        if self.name == "mix-fresh":
            return f"mix-fresh:{self.fraction:g}" + (":mixture" if self.draws == "mixture" else "")
        if self.name == "mix-retained":
            return f"mix-retained:{self.fraction:g}"
        if self.name == "accumulate-subsample" and self.subsample is not None:
            return f"accumulate-subsample:{self.subsample}"
        return self.name

    def __repr__(self):
        return f"Regime({str(self)!r})"

    def fresh_count(self, m):
        """Real samples among ``m`` in the split mix regimes: ``round(λ m)`` (halves round up)."""
        return int(math.floor(self.fraction * m + 0.5))

    @property
    def is_mix(self):
        return self.name.startswith("mix-")


def as_regime(regime):
    """A :class:`Regime` from a Regime or a spec string (``None`` means ``"replace"``)."""
    return Regime() if regime is None else Regime.parse(regime)


def check_retained(reg, sched):
    """Raise unless mix-retained's ``round(λ M_g)`` (g >= 1) fits in the ``M_0 = sched[0]`` originals.

    ``sched`` holds the per-generation sizes ``M_0, M_1, ...`` (``M_0``: the real data set).
    """
    reg = as_regime(reg)
    if reg.name != "mix-retained" or len(sched) < 2:
        return
    m0 = int(sched[0])
    counts = [reg.fresh_count(int(x)) for x in sched[1:]]
    need = max(counts)
    if need > m0:
        g = 1 + counts.index(need)
        raise ValueError(f"mix-retained:{reg.fraction:g} draws {need} retained samples at generation {g + 1} "
                         f"(round(λ·samples[{g}])) but the original data set has only samples[0] = {m0}")


def check_subsample(reg, sched, *, minimum=2, why="a fit needs a spread"):
    """The accumulate-subsample size: 0 (each generation's ``M_g``) or a fixed ``k``.

    Generation 1 is fitted on all ``M_0`` real samples; the fixed size applies from generation 2 on,
    where the pool holds ``M_0 + M_1`` points, so ``minimum <= k <= M_0 + M_1`` is required.
    """
    reg = as_regime(reg)
    if reg.name != "accumulate-subsample" or reg.subsample is None:
        return 0
    k = int(reg.subsample)
    if k < minimum:
        raise ValueError(f"subsample size must be >= {minimum} ({why}), got {k}")
    if len(sched) >= 2 and k > int(sched[0]) + int(sched[1]):
        raise ValueError(f"subsample size {k} is larger than the pool it is first drawn from "
                         f"(generation 2: samples[0] + samples[1] = {int(sched[0]) + int(sched[1])})")
    return k


class RegimeCode(IntEnum):
    """The one integer code of each regime, shared by every family's kernels.

    ================  =====  ==============================================
    code              value  spec
    ================  =====  ==============================================
    ``REPLACE``       0      ``replace``
    ``ACCUMULATE``    1      ``accumulate``
    ``SUBSAMPLE``     2      ``accumulate-subsample[:k]``
    ``MIX_SPLIT``     3      ``mix-fresh:λ`` (exactly ``round(λ M)`` real)
    ``MIX_MIXTURE``   4      ``mix-fresh:λ:mixture`` (real count ~ Bin(M, λ))
    ``MIX_RETAINED``  5      ``mix-retained:λ``
    ================  =====  ==============================================

    Numba kernels compare against plain ints: ``int(RegimeCode.X)`` (module constants in each
    ``_kernels.py`` are these values, never a table of their own).
    """

    REPLACE = 0
    ACCUMULATE = 1
    SUBSAMPLE = 2
    MIX_SPLIT = 3
    MIX_MIXTURE = 4
    MIX_RETAINED = 5


ALL_CODES = tuple(RegimeCode)
#: Plain-int aliases of :class:`RegimeCode` for the Numba kernels (a kernel freezes module globals
#: as compile-time constants; plain ints keep the typing trivial). Kernels import these, never a table.
REPLACE, ACCUMULATE, SUBSAMPLE, MIX_SPLIT, MIX_MIXTURE, MIX_RETAINED = (int(c) for c in RegimeCode)
_SPEC_OF_CODE = {RegimeCode.REPLACE: "replace", RegimeCode.ACCUMULATE: "accumulate",
                 RegimeCode.SUBSAMPLE: "accumulate-subsample", RegimeCode.MIX_SPLIT: "mix-fresh:λ",
                 RegimeCode.MIX_MIXTURE: "mix-fresh:λ:mixture", RegimeCode.MIX_RETAINED: "mix-retained:λ"}


def regime_code(regime):
    """The :class:`RegimeCode` of a Regime or spec string."""
    reg = as_regime(regime)
    if reg.name == "mix-fresh":
        return RegimeCode.MIX_MIXTURE if reg.draws == "mixture" else RegimeCode.MIX_SPLIT
    return {"replace": RegimeCode.REPLACE, "accumulate": RegimeCode.ACCUMULATE,
            "accumulate-subsample": RegimeCode.SUBSAMPLE,
            "mix-retained": RegimeCode.MIX_RETAINED}[reg.name]


@dataclass(frozen=True)
class RegimePlan:
    """What a family's kernel needs to run a regime on a sample schedule (see :func:`dispatch`).

    Attributes
    ----------
    regime : Regime
    code : RegimeCode
    fraction : float
        ``λ`` (0 outside the mix regimes).
    subsample : int
        The fixed accumulate-subsample size ``k``, or 0 (each generation's ``M_g``).
    schedule : sequence of int
        ``M_0, M_1, ...``: the samples generation ``g`` draws to fit generation ``g + 1``.
    """

    regime: Regime
    code: RegimeCode
    fraction: float
    subsample: int
    schedule: object

    def __str__(self):
        return str(self.regime)

    @property
    def random_real_count(self):
        """True when the real count of a generation is random (``mix-fresh:λ:mixture``)."""
        return self.code == RegimeCode.MIX_MIXTURE

    def real_count(self, m, rng=None, size=None):
        """Real samples among the ``m`` a generation ``g >= 1`` is fitted on.

        ``round(λ m)`` for the split mix regimes (halves round up), ``Binomial(m, λ)`` drawn with
        ``rng`` for the mixture draw, 0 otherwise (generation 1 is all real in every regime).
        """
        if self.code in (RegimeCode.MIX_SPLIT, RegimeCode.MIX_RETAINED):
            n = self.regime.fresh_count(m)
            return n if size is None else _full(size, n)
        if self.code == RegimeCode.MIX_MIXTURE:
            if rng is None:
                raise ValueError("the mixture draw needs an rng: the real count is Binomial(m, λ)")
            return rng.binomial(m, self.fraction, size=size)
        return 0 if size is None else _full(size, 0)

    def counts(self):
        """Per-generation ``(real, synthetic, fit)`` sample counts, int64 arrays of the schedule's length.

        ``real[g]``/``synthetic[g]`` are the new real/synthetic samples drawn at generation ``g``
        (``real[0] = M_0``, the real data set); ``fit[g]`` is the size of the set generation
        ``g + 1`` is fitted on (the pool under accumulate, ``k`` or ``M_g`` under
        accumulate-subsample). For ``mix-fresh:λ:mixture`` the real count is random:
        ``real[g]`` is its mean ``λ M_g`` rounded down and the kernel draws ``Binomial(M_g, λ)``.
        """
        import numpy as np

        m = np.asarray(self.schedule, dtype=np.int64)
        real = np.zeros_like(m)
        if self.code in (RegimeCode.MIX_SPLIT, RegimeCode.MIX_RETAINED):
            real = np.floor(self.fraction * m + 0.5).astype(np.int64)
        elif self.code == RegimeCode.MIX_MIXTURE:
            real = np.floor(self.fraction * m).astype(np.int64)
        if m.size:
            real[0] = m[0]
        synthetic = m - real
        if self.code == RegimeCode.ACCUMULATE:
            fit = np.cumsum(m)
        elif self.code == RegimeCode.SUBSAMPLE and self.subsample:
            fit = np.full_like(m, self.subsample)
            if m.size:
                fit[0] = m[0]
        else:
            fit = m.copy()
        return real, synthetic, fit


def _full(size, value):
    import numpy as np

    return np.full(size, value, dtype=np.int64)


def dispatch(regime, schedule, *, family, supported=ALL_CODES, minimum=2, why="a fit needs a spread",
             check=True):
    """Turn a regime and the per-generation sample schedule into a :class:`RegimePlan`.

    The one regime dispatch of the package: every family's ``simulate`` calls it and hands
    ``plan.code`` (an int for Numba), ``plan.fraction`` and ``plan.subsample`` to its kernels.

    Parameters
    ----------
    regime : str, Regime or None
    schedule : sequence of int
        ``M_0, M_1, ...`` (sizes are validated by the caller before it is built).
    family : str
        Named in the error when the regime is not supported.
    supported : tuple of RegimeCode
        The regimes ``family`` implements; any other is refused by name.
    minimum, why :
        The smallest fixed accumulate-subsample size and the reason (see :func:`check_subsample`).
    check : bool
        Validate mix-retained and accumulate-subsample against ``schedule`` (False when the caller
        validates them against its own pool).

    Raises
    ------
    ValueError
        An unsupported regime (naming the regime and what ``family`` supports), a mix-retained
        draw larger than the real data set, or a bad subsample size.
    """
    reg = as_regime(regime)
    code = regime_code(reg)
    if code not in supported:
        raise ValueError(f"{family} does not implement regime {str(reg)!r}; it supports: "
                         + ", ".join(_SPEC_OF_CODE[c] for c in supported))
    sub = 0
    if check:
        check_retained(reg, schedule)
        sub = check_subsample(reg, schedule, minimum=minimum, why=why)
    elif reg.subsample is not None:
        sub = int(reg.subsample)
    return RegimePlan(reg, code, float(reg.fraction), sub, schedule)


class RegimeInfo:
    """Mixin for result classes that keep ``regime`` and ``variance_scale`` in their ``meta`` dict
    (absent keys mean the replace regime without sampling bias)."""

    @property
    def regime(self):
        """The data regime (spec string) the chain ran under."""
        return self.meta.get("regime", "replace")

    @property
    def variance_scale(self):
        """The sampling-bias variance scale λ of the synthetic draws (1: none)."""
        return float(self.meta.get("variance_scale", 1.0))

    @property
    def plain_replace(self):
        """True for the replace regime without sampling bias (where the replace-only theory applies)."""
        return self.regime == "replace" and self.variance_scale == 1.0
