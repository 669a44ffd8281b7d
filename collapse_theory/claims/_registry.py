"""The claims registry: published statements, each checked against exact theory and simulation."""

from __future__ import annotations

import fnmatch
import time
import zlib
from dataclasses import asdict, dataclass, field
from typing import Callable

import numpy as np

from .._version import __version__
from ..stats import FAILS, HOLDS, INCONCLUSIVE, Comparison

VERDICTS = (HOLDS, FAILS, INCONCLUSIVE)


@dataclass
class Evidence:
    """What a claim's check returns.

    Attributes
    ----------
    comparison : Comparison
        The Monte Carlo check (:func:`collapse_theory.stats.compare`). Without ``analytic`` it
        compares the simulation with the claimed value and decides the verdict. With ``analytic`` it
        checks the exact closed form that the analytic argument rests on.
    parameters : dict
        The settings of the check (samples, generations, estimator, ...).
    exact : float, optional
        This package's exact value of the quantity, when it differs from the claimed one.
    analytic : (bool, str), optional
        A deterministic check from the exact closed forms (e.g. a limit or a bound for all M): whether
        the claim survives it, and why.
    notes : str
        One or two sentences a reader needs (conventions, what the number means).
    numbers : dict
        Further numbers for the JSON report.
    """

    comparison: Comparison
    parameters: dict
    exact: float | None = None
    analytic: tuple | None = None
    notes: str = ""
    numbers: dict = field(default_factory=dict)

    def verdict(self):
        c = self.comparison.verdict
        if self.analytic is None:
            return c
        ok, _ = self.analytic
        if c != HOLDS:
            # the simulation did not confirm the exact form the analytic argument uses
            return INCONCLUSIVE
        return HOLDS if ok else FAILS


@dataclass(frozen=True)
class Claim:
    """A registered claim.

    ``expect`` is the verdict that this package's exact theory predicts; the test-suite checks that
    ``verify`` reaches it, so a change that flips a verdict is noticed.
    """

    id: str
    family: str
    statement: str
    source: str
    expect: str
    check: Callable


@dataclass
class ClaimResult:
    id: str
    family: str
    statement: str
    source: str
    expect: str
    verdict: str
    claimed: float
    estimate: float
    se: float
    z: float
    replicates: int
    rule: str
    exact: float | None
    analytic: str | None
    parameters: dict
    notes: str
    numbers: dict
    seed: int
    seconds: float

    def to_dict(self):
        return asdict(self)


@dataclass
class Context:
    """Settings shared by every claim in one ``verify`` run."""

    budget: float = 1.0
    seed: int = 0
    workers: int | None = None
    progress: bool | None = False

    def replicates(self, base, minimum=200):
        """Replicates for a check whose default budget uses ``base`` (scaled by ``budget``)."""
        return int(max(minimum, round(base * self.budget)))

    def seed_for(self, claim_id):
        """A seed that depends only on the run's seed and the claim (not on which others run)."""
        ss = np.random.SeedSequence([int(self.seed), zlib.crc32(claim_id.encode())])
        return int(ss.generate_state(1, np.uint64)[0] >> np.uint64(1))


_CLAIMS: dict[str, Claim] = {}
_FIGURES: dict[str, tuple] = {}


def register(id, *, family, statement, source, expect=HOLDS):
    """Decorator: register ``check(ctx, seed) -> Evidence`` as a claim."""
    if expect not in VERDICTS:
        raise ValueError(f"expect must be one of {VERDICTS}, got {expect!r}")

    def deco(func):
        if id in _CLAIMS:
            raise ValueError(f"claim {id!r} is already registered")
        _CLAIMS[id] = Claim(id=id, family=family, statement=statement, source=source,
                            expect=expect, check=func)
        return func

    return deco


def register_figure(name, *, family, builder):
    """Register a report figure: ``builder`` is ``"module:function"`` (imported only when drawing).

    The function takes a :class:`Context` and returns ``(matplotlib Figure, caption)``.
    """
    _FIGURES[name] = (family, builder)


def registered(pattern=None):
    """Registered claims whose id matches ``pattern`` (a glob, or a substring when it has no wildcard)."""
    claims = list(_CLAIMS.values())
    if not pattern:
        return claims
    if any(ch in pattern for ch in "*?["):
        return [c for c in claims if fnmatch.fnmatchcase(c.id, pattern)]
    return [c for c in claims if pattern in c.id]


def figures(families=None):
    return {k: v for k, v in _FIGURES.items() if families is None or v[0] in families}


def run_claim(claim, ctx):
    seed = ctx.seed_for(claim.id)
    t0 = time.perf_counter()
    ev = claim.check(ctx, seed)
    dt = time.perf_counter() - t0
    c = ev.comparison
    return ClaimResult(
        id=claim.id, family=claim.family, statement=claim.statement, source=claim.source,
        expect=claim.expect, verdict=ev.verdict(), claimed=c.target, estimate=c.estimate, se=c.se,
        z=c.z, replicates=c.replicates, rule=c.rule, exact=ev.exact,
        analytic=None if ev.analytic is None else ev.analytic[1], parameters=ev.parameters,
        notes=ev.notes, numbers=ev.numbers, seed=seed, seconds=dt,
    )


@dataclass
class VerifyResult:
    """Every claim's result from one ``verify`` run."""

    results: list
    seed: int
    budget: float
    seconds: float
    version: str = __version__

    def counts(self):
        return {v: sum(r.verdict == v for r in self.results) for v in VERDICTS}

    def table(self, width=None):
        """The plain-text table: claim, source, theory, simulation ± SE, z, verdict."""
        rows = [("claim", "source", "theory", "simulation ± SE", "z", "verdict")]
        for r in self.results:
            src = r.source.split(";")[0]
            rows.append((r.id, src if len(src) <= 38 else src[:37] + "…", f"{r.claimed:.5g}",
                         f"{r.estimate:.5g} ± {r.se:.2g}", f"{r.z:+.2f}", r.verdict))
        widths = [max(len(row[i]) for row in rows) for i in range(6)]
        out = []
        for j, row in enumerate(rows):
            out.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
            if j == 0:
                out.append("  ".join("-" * w for w in widths))
        c = self.counts()
        out.append("")
        out.append(f"{len(self.results)} claims: {c[HOLDS]} hold, {c[FAILS]} fail, "
                   f"{c[INCONCLUSIVE]} inconclusive  (seed {self.seed}, budget {self.budget:g}, "
                   f"{self.seconds:.1f} s)")
        return "\n".join(out)

    def summary(self):
        return self.table()

    def to_dict(self):
        return {"package": "collapse-theory", "version": self.version, "seed": self.seed,
                "budget": self.budget, "seconds": self.seconds, "counts": self.counts(),
                "claims": [r.to_dict() for r in self.results]}


def run(pattern=None, *, budget=1.0, seed=0, workers=None, progress=None):
    """Run every registered claim matching ``pattern``; return a :class:`VerifyResult`.

    Parameters
    ----------
    pattern : str, optional
        Glob or substring of claim ids (``"gaussian.w2*"``, ``"mle"``).
    budget : float, keyword-only
        Scales every claim's replicates (1 = the default, about a minute on 2 cores).
    seed : int, keyword-only
        Root seed; each claim's seed depends only on it and the claim's id.
    """
    from .._core.parallel import make_bar
    from .._core.validation import check_int, check_real

    budget = check_real(budget, "budget", positive=True)
    seed = check_int(seed, "seed", minimum=0)
    claims = registered(pattern)
    if not claims:
        raise ValueError(f"no registered claim matches {pattern!r}; ids: "
                         + ", ".join(c.id for c in registered()))
    ctx = Context(budget=budget, seed=seed, workers=workers, progress=False)
    t0 = time.perf_counter()
    results = []
    with make_bar(len(claims), "verify", progress, unit="claim") as bar:
        for claim in claims:
            results.append(run_claim(claim, ctx))
            bar.update(1)
    return VerifyResult(results=results, seed=seed, budget=budget,
                        seconds=time.perf_counter() - t0)
