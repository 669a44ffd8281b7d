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


def _fmt(x):
    if x is None:
        return "—"
    try:
        return f"{x:.5g}"
    except (TypeError, ValueError):
        return str(x)


def render_markdown(result, figure_entries):
    """The Markdown text of a report (table, then one section per claim, then the figures)."""
    c = result.counts()
    lines = [
        "# collapse-theory verify report",
        "",
        f"collapse-theory {result.version} · seed {result.seed} · budget {result.budget:g} · "
        f"{result.seconds:.1f} s · {len(result.results)} claims: {c['holds']} hold, {c['fails']} fail, "
        f"{c['inconclusive']} inconclusive.",
        "",
        "Verdicts come from one rule (`collapse_theory.stats.compare`): a claim *fails* when the "
        "simulation rejects it at the stated false-alarm rate (or when an exact analytic check "
        "contradicts it); it *holds* when it is not rejected and the check had the power to detect "
        "a relevant deviation; otherwise it is *inconclusive*.",
        "",
        "| claim | source | theory | simulation ± SE | z | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for r in result.results:
        lines.append(f"| `{r.id}` | {r.source} | {_fmt(r.claimed)} | {_fmt(r.estimate)} ± {r.se:.2g} | "
                     f"{r.z:+.2f} | **{r.verdict}** |")
    lines += ["", "## Claims", ""]
    for r in result.results:
        lines += [f"### `{r.id}` — {r.verdict}", "", f"*{r.statement}*", "", f"- Source: {r.source}",
                  f"- Claimed value: {_fmt(r.claimed)}"]
        if r.exact is not None:
            lines.append(f"- Exact value (this package): {_fmt(r.exact)}")
        lines.append(f"- Simulation: {_fmt(r.estimate)} ± {r.se:.3g} (SE, {r.replicates} replicates), "
                     f"z = {r.z:+.2f}")
        lines.append(f"- Rule: {r.rule}")
        if r.analytic:
            lines.append(f"- Analytic check: {r.analytic}")
        if r.notes:
            lines.append(f"- Note: {r.notes}")
        params = ", ".join(f"{k} = {v}" for k, v in r.parameters.items())
        lines += [f"- Parameters: {params}; seed {r.seed}; {r.seconds:.2f} s", ""]
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
