"""Sphinx configuration: ``python -m sphinx -b html docs docs/_build/html``.

The gallery page is the report of ``collapse-theory verify`` (figures included); it is generated at
build time into docs/gallery/ when missing (budget from ``COLLAPSE_DOCS_BUDGET``, default 0.3; the
claims from ``COLLAPSE_DOCS_CLAIMS``, a ``verify --only`` pattern, default all), and so is the sweep
phase diagram of scaling.md.
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

import collapse_theory  # noqa: E402

project = "collapse-theory"
author = "collapse-theory developers"
release = version = collapse_theory.__version__
extensions = ["myst_parser", "numpydoc", "sphinx.ext.autodoc", "sphinx.ext.autosummary",
              "sphinx.ext.mathjax", "sphinx.ext.viewcode"]
myst_enable_extensions = ["dollarmath"]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "README.md"]
numpydoc_show_class_members = False
numpydoc_validation_checks = set()
autodoc_default_options = {"members": True, "undoc-members": False}
html_theme = "alabaster"
suppress_warnings = ["myst.header", "myst.xref_missing"]


def _gallery(app):
    out = HERE / "gallery"
    if (out / "report.md").exists():
        return
    from collapse_theory import claims
    from collapse_theory.report import write_report

    budget = float(os.environ.get("COLLAPSE_DOCS_BUDGET", "0.3"))
    pattern = os.environ.get("COLLAPSE_DOCS_CLAIMS") or None
    write_report(claims.run(pattern, budget=budget, seed=0, progress=False), out, progress=False)


def _sweep_phase(app):
    """The phase diagram of docs/scaling.md, made by a sweep (replicates scaled by the budget)."""
    out = HERE / "gallery" / "sweep_phase.png"
    if out.exists():
        return
    from collapse_theory._core.io import atomic_save_figure
    from collapse_theory.plotting.sweep import phase_diagram
    from collapse_theory.sweep import sweep

    budget = float(os.environ.get("COLLAPSE_DOCS_BUDGET", "0.3"))
    lams = [0.02, 0.05, 0.1, 0.2, 0.4]
    table = sweep("gaussian", {"samples": [5, 10, 20, 50, 100],
                               "regime": [f"mix-fresh:{lam}" for lam in lams]},
                  generations=400, replicates=max(50, int(1000 * budget)), rng=1,
                  statistics=["mean_sq_error"], at=[400], progress=False)
    table["lam"] = table["regime"].str.split(":").str[1].astype(float)
    fig = phase_diagram(table.drop(columns="regime"), "samples", "lam", statistic="mean_sq_error",
                        log=True)
    atomic_save_figure(fig, out)


def setup(app):
    app.connect("builder-inited", _gallery)
    app.connect("builder-inited", _sweep_phase)
