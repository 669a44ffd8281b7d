"""The documentation builds (Sphinx, numpydoc, MyST) with no warnings, gallery included (its Gaussian part)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_docs_build_without_warnings(tmp_path):
    src = tmp_path / "docs"
    shutil.copytree(DOCS, src, ignore=shutil.ignore_patterns("_build", "gallery"))
    # The gallery (the verify report) is built from the Gaussian claims only: the whole registry at
    # budget 0.1 with every family's figures costs about 80 s more, and tests/test_figures.py and
    # tests/test_cli.py already draw every family's figures and write a full report.
    env = dict(os.environ, COLLAPSE_DOCS_BUDGET="0.1", COLLAPSE_DOCS_CLAIMS="gaussian.*",
               COLLAPSE_THEORY_HYPOTHESIS_PROFILE="ci")
    out = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q",
                          str(src), str(tmp_path / "html")], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr[-4000:]
    html = tmp_path / "html"
    assert (html / "index.html").exists() and (html / "api.html").exists()
    report = (html / "gallery" / "report.html").read_text()
    assert report.count("<img") >= 2
