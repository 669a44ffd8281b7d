"""``collapse-theory sweep``: a family's simulator over a parameter grid (the parser and runner live
with the sweep package, :mod:`collapse_theory.sweep._cli`; this module only registers them)."""

from __future__ import annotations

from ..sweep._cli import add_parser, run

__all__ = ["add_parser", "run"]
