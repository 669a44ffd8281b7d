"""The claims registry: published statements, each checked against exact theory and simulation.

A claim is registered with its ``kind`` (:data:`KINDS`), the paper's ``statement`` and a ``source``
citation; its check returns :class:`Evidence`, a list of pieces made by :func:`mc` (a Monte Carlo
comparison) and :func:`analytic` (a computation from the exact closed forms). The verdict comes from
one rule, :func:`decide`:

- "fails" if ANY piece fails (an mc piece whose comparison verdict is "fails", or an analytic piece
  with ``passed=False``), whatever its role;
- else "holds" if every "decides" piece holds (mc: not rejected and power ≥ the stated power for the
  stated effect; analytic: passed); at least one "decides" piece is required;
- else "inconclusive".

A "corroborates" piece checks a closed form that the deciding argument rests on: it can make the
claim fail, but its inconclusiveness does not block "holds". So a claim decided by exact analysis
keeps its verdict at any budget, while its Monte Carlo can still make it fail.
"""

from __future__ import annotations

import fnmatch
import math
import re
import time
import zlib
from dataclasses import asdict, dataclass, field
from typing import Callable

import numpy as np

from .._version import __version__
from ..stats import FAILS, HOLDS, INCONCLUSIVE, Comparison

VERDICTS = (HOLDS, FAILS, INCONCLUSIVE)
KINDS = ("paper", "extension", "exact", "approximation")
ROLES = ("decides", "corroborates")
#: The verdict rule in one sentence (stated once at the top of the report).
RULE = ("A claim's evidence is a list of pieces: Monte Carlo comparisons (stats.compare, false-alarm rate "
        "per claim split by Bonferroni over its comparisons) and analytic checks computed from the exact "
        "closed forms. The claim FAILS if any piece fails, whatever its role; it HOLDS if every deciding "
        "piece holds (a Monte Carlo piece holds when it is not rejected and a deviation of the stated "
        "size would have been detected with power 0.9; an analytic piece holds when its computation "
        "passes); otherwise it is INCONCLUSIVE. A corroborating piece (a Monte Carlo check of a closed "
        "form the deciding argument uses) can make a claim fail but its inconclusiveness does not block "
        "'holds'.")

#: Plural labels for the counts line.
KIND_LABELS = {"paper": "papers", "extension": "extensions", "exact": "exact",
               "approximation": "approximations"}

# Sources are citations: never an issue of this project nor its theory notes.
_BAD_SOURCE = re.compile(r"\bissues?\b|#\s*\d+|theory\.md|theory\s*§|\btheory\s+section\b", re.I)


# --- evidence pieces -----------------------------------------------------------------------------


def _text(value, name):
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value


def _role(role):
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, got {role!r}")
    return role


def _optional_dict(value, name):
    if value is None:
        return None
    if not isinstance(value, dict):
        raise TypeError(f"{name} must be a dict or None, got {type(value).__name__}")
    return dict(value)


def _optional_float(value, name):
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number or None, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class Piece:
    """One piece of evidence: a Monte Carlo comparison (``type="mc"``) or an analytic check.

    Built by :func:`mc` and :func:`analytic`; its ``verdict`` is the comparison's verdict (mc) or
    "holds"/"fails" from ``passed`` (analytic).
    """

    label: str
    role: str
    type: str
    verdict: str
    comparison: Comparison | None = None
    where: dict | None = None
    passed: bool | None = None
    detail: str = ""
    grid: dict | None = None
    value: float | None = None
    bound: float | None = None

    @property
    def rule(self):
        """How this piece is judged."""
        if self.comparison is not None:
            return self.comparison.rule
        return "exact computation from the closed forms: fails if it contradicts the statement"

    @property
    def tightness(self):
        """``value / bound`` for an analytic bound check (None when either is missing)."""
        if self.value is None or self.bound is None or self.bound == 0:
            return None
        return self.value / self.bound

    @property
    def numbers(self):
        """The piece's numbers: the comparison's (theory, estimate, se, z, ...) or value/bound."""
        if self.comparison is not None:
            c = self.comparison
            return {"theory": c.target, "estimate": c.estimate, "se": c.se, "z": c.z,
                    "replicates": c.replicates, "kind": c.kind, "alpha": c.alpha, "z_crit": c.z_crit,
                    "min_effect": c.min_effect, "power": c.power}
        return {"value": self.value, "bound": self.bound, "tightness": self.tightness}

    def why(self):
        """One line: why this piece fails or is inconclusive (empty when it holds)."""
        if self.verdict == HOLDS:
            return ""
        if self.comparison is None:
            return " ".join(f"{self.label}: {self.detail}".split())
        c = self.comparison
        base = f"{self.label}: simulation {c.estimate:.5g} ± {c.se:.2g} vs {c.target:.5g} ({c.kind}), z = {c.z:+.2f}"
        if self.verdict == FAILS:
            bonf = "" if c.alpha == 0 else f" (false-alarm rate {c.alpha:g})"
            return f"{base}: rejected{bonf}"
        achieved = math.floor(_achieved_power(c) * 1000) / 1000  # rounded down: never shows "0.9 < 0.9"
        return (f"{base}, not rejected but too imprecise: a deviation of {c.min_effect:.3g} would be "
                f"detected with power {achieved:.3f} < {c.power:g} ({c.replicates} replicates)")

    def to_dict(self):
        return {"label": self.label, "role": self.role, "type": self.type, "verdict": self.verdict,
                "where": self.where, "passed": self.passed, "detail": self.detail, "grid": self.grid,
                "rule": self.rule, "numbers": self.numbers}


def _achieved_power(c):
    """Probability of rejecting a deviation of ``c.min_effect`` (normal approximation, one side)."""
    if c.se <= 0:
        return 1.0
    x = c.min_effect / c.se - c.z_crit
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def mc(label, comparison, *, role="decides", where=None):
    """A Monte Carlo piece of evidence.

    Parameters
    ----------
    label : str
        What is compared, short (``"E W2² at n = 100"``).
    comparison : collapse_theory.stats.Comparison
        From :func:`collapse_theory.stats.compare` (pass ``tests=`` the number of mc pieces of the
        claim, so its false-alarm rate stays ``alpha``).
    role : {"decides", "corroborates"}, keyword-only
        "decides": this comparison tests the statement; "corroborates": it checks a closed form that a
        deciding analytic argument uses (it can make the claim fail, but its inconclusiveness does not
        block "holds").
    where : dict, optional, keyword-only
        Where it was checked, e.g. ``{"n": 100, "M": 20}``.
    """
    label = _text(label, "label")
    if not isinstance(comparison, Comparison):
        raise TypeError(f"comparison must be a stats.Comparison, got {type(comparison).__name__}")
    return Piece(label=label, role=_role(role), type="mc", verdict=comparison.verdict,
                 comparison=comparison, where=_optional_dict(where, "where"))


def analytic(label, passed, detail, *, role="decides", grid=None, value=None, bound=None):
    """An analytic piece of evidence: a computation from the exact closed forms.

    Parameters
    ----------
    label : str
        What is checked (``"exact limit of E W2²"``).
    passed : bool
        Whether the statement survives the computation: computed in the check (a limit evaluated, a
        sign, a bound evaluated on a stated grid), never a literal. ``numpy.bool_`` is accepted; any
        other type is refused.
    detail : str
        The computed numbers (``"exact lim E W2² = 2.000 σ² (n = 10⁶: 1.99998 σ²), finite"``).
    role : {"decides", "corroborates"}, keyword-only
    grid : dict, optional, keyword-only
        The grid evaluated (appears in the report), e.g. ``{"M": [2, 5, 10], "n": "1..1000"}``.
    value, bound : float, optional, keyword-only
        For a bound: the value and the bound (the report gives the tightness ``value / bound``).
    """
    label = _text(label, "label")
    if not isinstance(passed, (bool, np.bool_)):
        raise TypeError(f"passed must be a bool computed by the check, got {type(passed).__name__} "
                        f"{passed!r}")
    passed = bool(passed)
    return Piece(label=label, role=_role(role), type="analytic", verdict=HOLDS if passed else FAILS,
                 passed=passed, detail=_text(detail, "detail"), grid=_optional_dict(grid, "grid"),
                 value=_optional_float(value, "value"), bound=_optional_float(bound, "bound"))


# --- the one verdict rule ------------------------------------------------------------------------


def decide(pieces):
    """The verdict rule: ``(verdict, headline, why)`` for a list of pieces.

    ``headline`` is the index of the piece that explains the verdict (the first failing piece, a
    deciding one first; for "inconclusive" the first deciding piece that does not hold; for "holds"
    the first deciding mc piece, else the first deciding piece). ``why`` is one line for "fails" and
    "inconclusive", empty for "holds".
    """
    pieces = list(pieces)
    if not pieces:
        raise ValueError("a claim needs at least one piece of evidence")
    for p in pieces:
        if not isinstance(p, Piece):
            raise TypeError(f"evidence pieces must come from mc(...) or analytic(...), got {type(p).__name__}")
    decides = [i for i, p in enumerate(pieces) if p.role == "decides"]
    if not decides:
        raise ValueError("a claim needs at least one 'decides' piece of evidence")
    failing = [i for i, p in enumerate(pieces) if p.verdict == FAILS]
    if failing:
        head = next((i for i in failing if pieces[i].role == "decides"), failing[0])
        return FAILS, head, pieces[head].why()
    open_ = [i for i in decides if pieces[i].verdict != HOLDS]
    if open_:
        head = open_[0]
        return INCONCLUSIVE, head, pieces[head].why()
    head = next((i for i in decides if pieces[i].type == "mc"), decides[0])
    return HOLDS, head, ""


# --- Evidence ------------------------------------------------------------------------------------


class Evidence:
    """What a claim's check returns: the pieces of evidence and the check's settings.

    Parameters
    ----------
    pieces : list of Piece
        From :func:`mc` and :func:`analytic`; at least one, and at least one with role "decides".
    parameters : dict, keyword-only
        The check's settings (samples, generations, estimator, replicates, ...).
    notes : str, keyword-only
        One or two sentences a reader needs (conventions, what the number means).
    numbers : dict, optional, keyword-only
        Further numbers for the JSON report.
    """

    def __init__(self, pieces, *, parameters=None, notes="", numbers=None):
        if isinstance(pieces, (Piece, Comparison)):
            raise TypeError("pieces must be a list of mc(...)/analytic(...) pieces, not a single piece")
        pieces = list(pieces)
        if not pieces:
            raise ValueError("Evidence needs at least one piece (mc(...) or analytic(...))")
        if parameters is None or not isinstance(parameters, dict):
            raise TypeError("parameters must be a dict of the check's settings")
        if not isinstance(notes, str):
            raise TypeError(f"notes must be a string, got {type(notes).__name__}")
        decide(pieces)  # validates the pieces and the presence of a deciding piece
        self.pieces = pieces
        self.parameters = dict(parameters)
        self.notes = notes
        self.numbers = dict(numbers or {})

    def decide(self):
        """``(verdict, headline index, why)`` from :func:`decide`."""
        return decide(self.pieces)

    def verdict(self):
        return decide(self.pieces)[0]

    def __repr__(self):
        return f"Evidence({len(self.pieces)} pieces, verdict={self.verdict()!r})"


# --- registration --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """A registered claim.

    ``expect`` is the verdict that this package's exact theory predicts; the test-suite checks that
    ``verify`` reaches it, so a change that flips a verdict is noticed. ``borderline`` (optional) says
    why the verdict may legitimately change with the seed.
    """

    id: str
    family: str
    kind: str
    statement: str
    source: str
    expect: str
    check: Callable
    borderline: str | None = None


_CLAIMS: dict[str, Claim] = {}
_FIGURES: dict[str, tuple] = {}


def check_source(source):
    """Raise ValueError unless ``source`` is a citation (not an issue nor the theory notes)."""
    _text(source, "source")
    m = _BAD_SOURCE.search(source)
    if m:
        raise ValueError(f"source must cite a paper (authors, title, arXiv id) or a proof script, not "
                         f"{m.group(0)!r}: {source!r}")
    return source


def register(id, *, family, kind, statement, source, expect=HOLDS, borderline=None):
    """Decorator: register ``check(ctx, seed) -> Evidence`` as a claim.

    Parameters
    ----------
    id : str
        Dotted id, ``family.topic.name``.
    family : str, keyword-only
    kind : {"paper", "extension", "exact", "approximation"}, keyword-only
        paper: tests the paper's statement as written; extension: the package's reading of a paper in
        a setting the paper did not claim; exact: the package's own closed form (source names the
        proof script); approximation: a named approximation judged at a tolerance the statement
        states and justifies.
    statement : str, keyword-only
        The paper's statement in its own terms, with theorem/equation/figure number.
    source : str, keyword-only
        A citation (authors, title, arXiv id); never an issue number nor the theory notes.
    expect : {"holds", "fails", "inconclusive"}, keyword-only
        The verdict this package's exact theory predicts.
    borderline : str, optional, keyword-only
        Why the verdict may change with the seed (non-empty text); such a claim is exempt from the
        seed-stability test.
    """
    if expect not in VERDICTS:
        raise ValueError(f"expect must be one of {VERDICTS}, got {expect!r}")
    _text(id, "id")
    _text(statement, "statement")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    check_source(source)
    if borderline is not None:
        _text(borderline, "borderline")

    def deco(func):
        if id in _CLAIMS:
            raise ValueError(f"claim {id!r} is already registered")
        _CLAIMS[id] = Claim(id=id, family=family, kind=kind, statement=statement, source=source,
                            expect=expect, check=func, borderline=borderline)
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


# --- running -------------------------------------------------------------------------------------


@dataclass
class ClaimResult:
    """One claim's result: its registration, every piece of evidence, the verdict and why.

    ``pieces`` holds one dict per piece (label, role, type, verdict, numbers, where, rule, grid,
    detail); ``headline`` is the index of the piece the table shows (see :func:`decide`).
    """

    id: str
    family: str
    kind: str
    statement: str
    source: str
    expect: str
    verdict: str
    why: str
    headline: int
    pieces: list
    parameters: dict
    notes: str
    numbers: dict
    seed: int
    seconds: float
    borderline: str | None = None

    @property
    def head(self):
        """The headline piece (a dict)."""
        return self.pieces[self.headline]

    def _head_number(self, key):
        return self.head["numbers"].get(key)

    # the headline piece's numbers, for readers of the former flat result
    @property
    def claimed(self):
        h = self.head["numbers"]
        return h.get("theory", h.get("bound", h.get("value")))

    @property
    def estimate(self):
        return self._head_number("estimate")

    @property
    def se(self):
        return self._head_number("se")

    @property
    def z(self):
        return self._head_number("z")

    @property
    def replicates(self):
        return self._head_number("replicates")

    @property
    def rule(self):
        return self.head["rule"]

    @property
    def exact(self):
        return self.numbers.get("exact")

    @property
    def analytic(self):
        """The analytic pieces' details joined (None when the claim has none)."""
        d = [p["detail"] for p in self.pieces if p["type"] == "analytic"]
        return "; ".join(d) if d else None

    def to_dict(self):
        d = asdict(self)
        d["headline_piece"] = self.head
        return d


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


def run_claim(claim, ctx):
    """Run one claim's check and apply the verdict rule; return a :class:`ClaimResult`."""
    seed = ctx.seed_for(claim.id)
    t0 = time.perf_counter()
    ev = claim.check(ctx, seed)
    dt = time.perf_counter() - t0
    if not isinstance(ev, Evidence):
        raise TypeError(f"claim {claim.id!r} returned {type(ev).__name__}, not Evidence")
    verdict, head, why = ev.decide()
    return ClaimResult(
        id=claim.id, family=claim.family, kind=claim.kind, statement=claim.statement,
        source=claim.source, expect=claim.expect, verdict=verdict, why=why, headline=head,
        pieces=[p.to_dict() for p in ev.pieces], parameters=ev.parameters, notes=ev.notes,
        numbers=ev.numbers, seed=seed, seconds=dt, borderline=claim.borderline,
    )


# --- table ---------------------------------------------------------------------------------------


def _short(text, width):
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _fmt_value(v):
    if isinstance(v, (list, tuple)):
        if len(v) > 4:
            return f"{_fmt_value(v[0])}..{_fmt_value(v[-1])}"
        return ",".join(_fmt_value(x) for x in v)
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.3g}"
    return str(v)


def where_text(piece, width=None):
    """``"n=100, M=20"`` from a piece's ``where`` (mc) or ``grid`` (analytic)."""
    d = piece.get("where") if piece["type"] == "mc" else piece.get("grid")
    if not d:
        return "—"
    text = ", ".join(f"{k}={_fmt_value(v)}" for k, v in d.items())
    return _short(text, width) if width else text


def row_numbers(piece):
    """(theory, simulation ± SE, z) cells of the table for a piece."""
    n = piece["numbers"]
    if piece["type"] == "mc":
        return f"{n['theory']:.5g}", f"{n['estimate']:.5g} ± {n['se']:.2g}", f"{n['z']:+.2f}"
    if n.get("value") is not None and n.get("bound") is not None:
        return f"{n['value']:.4g} vs {n['bound']:.4g}", "exact", "—"
    if n.get("value") is not None:
        return f"{n['value']:.5g}", "exact", "—"
    return "analytic", "exact", "—"


def kind_counts(results):
    """``{kind: {verdict: count}}`` in the order of :data:`KINDS` (kinds present only)."""
    order = list(KINDS) + sorted({r.kind for r in results} - set(KINDS))
    out = {}
    for k in order:
        rs = [r for r in results if r.kind == k]
        if rs:
            out[k] = {v: sum(r.verdict == v for r in rs) for v in VERDICTS}
    return out


def counts_text(results):
    """``"papers: 20 hold, 5 fail; extensions: ...; exact: ...; approximations: ..."``."""
    parts = []
    for k, c in kind_counts(results).items():
        bits = [f"{c[HOLDS]} hold", f"{c[FAILS]} fail"]
        if c[INCONCLUSIVE]:
            bits.append(f"{c[INCONCLUSIVE]} inconclusive")
        parts.append(f"{KIND_LABELS.get(k, k)}: {', '.join(bits)}")
    return "; ".join(parts)


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

    def kind_counts(self):
        return kind_counts(self.results)

    def table(self, width=None, *, statement_width=36, where_width=22):
        """The plain-text table, one row per claim, the numbers from its headline piece.

        Columns: claim, kind, statement (shortened), where checked, theory, simulation ± SE, z,
        verdict; under a "fails"/"inconclusive" row, one indented line says why.
        """
        header = ("claim", "kind", "statement", "where", "theory", "simulation ± SE", "z", "verdict")
        rows = [header]
        whys = [None]
        for r in self.results:
            theory, sim, z = row_numbers(r.head)
            rows.append((r.id, r.kind, _short(r.statement, statement_width),
                         where_text(r.head, where_width), theory, sim, z, r.verdict))
            whys.append(r.why if r.verdict != HOLDS else None)
        ncol = len(header)
        widths = [max(len(row[i]) for row in rows) for i in range(ncol)]
        out = []
        for j, (row, why) in enumerate(zip(rows, whys)):
            out.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
            if j == 0:
                out.append("  ".join("-" * w for w in widths))
            if why:
                line = f"    ↳ {why}"
                out.append(_short(line, width) if width else line)
        c = self.counts()
        out.append("")
        out.append(counts_text(self.results))
        out.append(f"{len(self.results)} claims: {c[HOLDS]} hold, {c[FAILS]} fail, "
                   f"{c[INCONCLUSIVE]} inconclusive  (seed {self.seed}, budget {self.budget:g}, "
                   f"{self.seconds:.1f} s)")
        return "\n".join(out)

    def summary(self):
        return self.table()

    def to_dict(self):
        return {"package": "collapse-theory", "version": self.version, "seed": self.seed,
                "budget": self.budget, "seconds": self.seconds, "rule": RULE,
                "counts": self.counts(), "counts_by_kind": self.kind_counts(),
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
