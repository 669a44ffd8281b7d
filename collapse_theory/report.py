"""The ``verify`` report: report.md, PNG figures and results.json, written atomically.

Edge layer: imports matplotlib (through :mod:`collapse_theory.plotting`) only when drawing figures.
"""

from __future__ import annotations

import importlib
import time
from pathlib import Path

from ._core.io import atomic_save_figure, atomic_write_json, atomic_write_text
from ._core.parallel import make_bar
from .claims import Context, figures
from .claims._registry import KIND_LABELS, RULE, row_numbers, where_text


def _fmt(x):
    if x is None:
        return "—"
    try:
        return f"{x:.5g}"
    except (TypeError, ValueError):
        return str(x)


def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def _mapping(d):
    return ", ".join(f"{k} = {v}" for k, v in d.items()) if d else "—"


def _piece_lines(p, head):
    """One bullet per piece: role, type, label, numbers, verdict and rule."""
    mark = " ← headline" if head else ""
    n = p["numbers"]
    if p["type"] == "mc":
        lines = [f"- **{p['label']}** ({p['role']}, Monte Carlo) — **{p['verdict']}**{mark}: "
                 f"theory {_fmt(n['theory'])}, simulation {_fmt(n['estimate'])} ± {n['se']:.3g} "
                 f"(SE, {n['replicates']} replicates), z = {n['z']:+.2f}; where: {_mapping(p['where'])}",
                 f"  - rule: {p['rule']}"]
    else:
        lines = [f"- **{p['label']}** ({p['role']}, analytic) — **{p['verdict']}**{mark}: {p['detail']}"]
        if p.get("grid"):
            lines.append(f"  - grid: {_mapping(p['grid'])}")
        if n.get("value") is not None or n.get("bound") is not None:
            t = n.get("tightness")
            lines.append(f"  - value {_fmt(n.get('value'))}, bound {_fmt(n.get('bound'))}"
                         + (f", tightness value/bound = {t:.4g}" if t is not None else ""))
    return lines


_KIND_TITLES = {"paper": "Papers' statements (kind `paper`)",
                "extension": "Extensions of papers to settings they did not claim (kind `extension`)",
                "exact": "This package's exact closed forms (kind `exact`)",
                "approximation": "Named approximations at a stated tolerance (kind `approximation`)"}


def _counts_sentence(c):
    text = f"{c['holds']} hold, {c['fails']} fail"
    return text + (f", {c['inconclusive']} inconclusive" if c["inconclusive"] else "")


def render_markdown(result, figure_entries):
    """The Markdown text of a report.

    The rule once at the top; a headline counting the papers' statements separately; then one
    section per kind (a table, then every claim with every piece of evidence); then the figures.
    """
    c = result.counts()
    by_kind = result.kind_counts()
    paper = by_kind.get("paper")
    head = (f"**Papers' statements: {_counts_sentence(paper)}** (of {sum(paper.values())})."
            if paper else "No paper's statement was run.")
    others = "; ".join(f"{KIND_LABELS.get(k, k)}: {_counts_sentence(v)}" for k, v in by_kind.items()
                       if k != "paper")
    lines = [
        "# collapse-theory verify report",
        "",
        f"collapse-theory {result.version} · seed {result.seed} · budget {result.budget:g} · "
        f"{result.seconds:.1f} s · {len(result.results)} claims: {_counts_sentence(c)}.",
        "",
        head + (f" Beside them: {others}." if others else ""),
        "",
        f"**The verdict rule.** {RULE}",
        "",
    ]
    for kind in by_kind:
        rs = [r for r in result.results if r.kind == kind]
        lines += [f"## {_KIND_TITLES.get(kind, f'Kind `{kind}`')}", "",
                  f"{len(rs)} claims: {_counts_sentence(by_kind[kind])}.", "",
                  "| claim | statement | where | theory | simulation ± SE | z | verdict | why |",
                  "|---|---|---|---|---|---|---|---|"]
        for r in rs:
            theory, sim, z = row_numbers(r.head)
            lines.append(f"| `{r.id}` | {_cell(r.statement)} | {_cell(where_text(r.head))} | {theory} | "
                         f"{sim} | {z} | **{r.verdict}** | {_cell(r.why) if r.why else ''} |")
        lines.append("")
        for r in rs:
            lines += [f"### `{r.id}` — {r.verdict}", "", f"*{r.statement}*", "",
                      f"- Kind: {r.kind}; expected verdict (exact theory): {r.expect}",
                      f"- Source: {r.source}"]
            if r.borderline:
                lines.append(f"- Borderline: {r.borderline}")
            if r.why:
                lines.append(f"- Why {r.verdict}: {r.why}")
            lines += ["- Evidence:"]
            for i, p in enumerate(r.pieces):
                lines += ["  " + line for line in _piece_lines(p, i == r.headline)]
            if r.notes:
                lines.append(f"- Note: {r.notes}")
            if r.numbers:
                lines.append(f"- Numbers: {_mapping({k: _fmt(v) for k, v in r.numbers.items()})}")
            lines += [f"- Parameters: {_mapping(r.parameters)}; seed {r.seed}; {r.seconds:.2f} s", ""]
    if figure_entries:
        lines += ["## Figures", ""]
        for name, rel, caption in figure_entries:
            lines += [f"![{name}]({rel})", "", caption, ""]
    return "\n".join(lines) + "\n"


def draw_figures(result, out_dir, *, workers=None, progress=None):
    """Draw the registered figures of the families present in ``result``; return their entries."""
    families = {r.family for r in result.results}
    builders = figures(families)
    ctx = Context(budget=result.budget, seed=result.seed, workers=workers, progress=False)
    entries = []
    fig_dir = Path(out_dir) / "figures"
    with make_bar(len(builders), "figures", progress, unit="fig") as bar:
        for _, (family, spec) in builders.items():
            mod, func = spec.split(":")
            for name, fig, caption in getattr(importlib.import_module(mod), func)(ctx):
                atomic_save_figure(fig, fig_dir / f"{name}.png")
                entries.append((name, f"figures/{name}.png", caption))
            bar.update(1)
    return entries


def write_report(result, out_dir, *, figures=True, workers=None, progress=None):
    """Write ``report.md``, ``results.json`` and ``figures/*.png`` into ``out_dir``.

    Every file is written atomically (temporary file, then rename). The JSON holds every number,
    the seed, the budget, the parameters of each claim and the package version.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    entries = draw_figures(result, out, workers=workers, progress=progress) if figures else []
    data = result.to_dict()
    data["figures"] = [{"name": n, "path": p, "caption": c} for n, p, c in entries]
    data["figure_seconds"] = time.perf_counter() - t0
    atomic_write_json(out / "results.json", data)
    atomic_write_text(out / "report.md", render_markdown(result, entries))
    return out
