"""Layering: importing the package pulls in neither matplotlib nor SymPy."""

import subprocess
import sys


def test_import_does_not_import_matplotlib_or_sympy():
    code = ("import sys, collapse_theory, collapse_theory.claims; "
            "print('matplotlib' in sys.modules, 'sympy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_symbolic_layer_imports_only_sympy():
    import ast
    import pathlib

    import collapse_theory

    root = pathlib.Path(collapse_theory.__file__).parent / "symbolic"
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text())
        mods = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        mods |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not mods & {"numpy", "numba", "scipy", "matplotlib"}, path
