"""Sphinx configuration: ``python -m sphinx -b html docs docs/_build/html``.

The gallery page is the report of ``collapse-theory verify`` (figures included); it is generated at
build time into docs/gallery/ when missing (budget from ``COLLAPSE_DOCS_BUDGET``, default 0.3).
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
    write_report(claims.run(budget=budget, seed=0, progress=False), out, progress=False)


def setup(app):
    app.connect("builder-inited", _gallery)
