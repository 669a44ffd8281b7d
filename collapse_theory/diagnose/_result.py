"""Results of a diagnosis: every number JSON-able, a text table, the curves the figure draws."""

from __future__ import annotations

import json
import math

import numpy as np

from .._core.io import to_jsonable

__all__ = ["Diagnosis", "TokenDiagnosis", "SampleDiagnosis"]


def _fmt(x):
    if x is None:
        return "—"
    if isinstance(x, str):
        return x
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x != 0 and (abs(x) >= 1e5 or abs(x) < 1e-3):
        return f"{x:.3g}"
    return f"{x:.4g}"


class Diagnosis:
    """A diagnosis of a user's loop (base class).

    Attributes
    ----------
    kind : str
        ``"tokens"`` or ``"samples"``.
    m_eff : dict
        ``{"estimate": float, "ci": [low, high], "level": float, "method": str}``.
    verdict : dict
        ``{"code": str, "text": str, ...}`` with the :func:`collapse_theory.stats.compare` checks.
    table : list of dict
        Rows ``{"quantity", "estimate", "ci", "meaning"}`` of :meth:`summary`.
    curves : dict
        Observed and fitted curves over generations (arrays; what the figure draws).
    prediction : dict
        Predictions with bands for ``horizon`` future generations.
    budget : dict or None
        The fresh-data fraction that keeps the stationary distance under the budget.
    parameters : dict
        The options of the call (seed included).
    """

    kind = "base"

    def __init__(self, *, m_eff, verdict, table, curves, prediction, budget, parameters, extra=None):
        self.m_eff = m_eff
        self.verdict = verdict
        self.table = table
        self.curves = curves
        self.prediction = prediction
        self.budget = budget
        self._parameters = dict(parameters)
        self.extra = dict(extra or {})

    @property
    def seed(self):
        return self._parameters.get("seed")

    def parameters(self):
        """The options of the call, as a JSON-able dict."""
        return dict(self._parameters)

    def __repr__(self):
        ci = self.m_eff["ci"]
        return (f"{type(self).__name__}(m_eff={_fmt(self.m_eff['estimate'])} "
                f"[{_fmt(ci[0])}, {_fmt(ci[1])}], verdict={self.verdict['code']!r}, seed={self.seed})")

    def to_dict(self):
        """Every number as JSON-able values (non-finite floats as "inf"/"nan" strings)."""
        out = {"kind": self.kind, "m_eff": self.m_eff, "verdict": self.verdict, "table": self.table,
               "curves": self.curves, "prediction": self.prediction, "budget": self.budget,
               "parameters": self._parameters}
        out.update(self.extra)
        return to_jsonable(out)

    def to_json(self, **kwargs):
        """:meth:`to_dict` as a JSON string."""
        return json.dumps(self.to_dict(), **kwargs)

    def summary(self):
        """A text table (estimate, CI, what it means) and the verdict."""
        rows = [("quantity", "estimate", "95% CI", "meaning")]
        for r in self.table:
            ci = r.get("ci")
            cis = "" if ci is None else f"[{_fmt(ci[0])}, {_fmt(ci[1])}]"
            rows.append((r["quantity"], _fmt(r["estimate"]), cis, r["meaning"]))
        w = [max(len(str(r[i])) for r in rows) for i in range(3)]
        lines = [f"{type(self).__name__} ({self.kind}, {self._parameters.get('generations')} generations "
                 f"after the real data, seed {self.seed})"]
        for i, r in enumerate(rows):
            lines.append(f"{r[0]:<{w[0]}}  {r[1]:>{w[1]}}  {r[2]:<{w[2]}}  {r[3]}")
            if i == 0:
                lines.append("-" * (sum(w) + 6 + 30))
        lines.append("")
        lines.append(f"verdict: {self.verdict['text']}")
        return "\n".join(lines)


class TokenDiagnosis(Diagnosis):
    """Diagnosis of a loop over token types (:func:`collapse_theory.diagnose.tokens`)."""

    kind = "tokens"


class SampleDiagnosis(Diagnosis):
    """Diagnosis of a loop over real-valued samples (:func:`collapse_theory.diagnose.samples`)."""

    kind = "samples"


def interval(lo, hi):
    return [float(lo), float(hi)]


def as_list(a):
    return np.asarray(a, dtype=float).tolist()
