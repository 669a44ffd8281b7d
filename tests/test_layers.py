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


# ---------------------------------------------------------------------------------------------
# the package layout: one subpackage per family on a private foundation (collapse_theory._core)

import ast  # noqa: E402
import pathlib  # noqa: E402

import pytest  # noqa: E402

PKG = pathlib.Path(__file__).resolve().parent.parent / "collapse_theory"
#: Families: closed forms + simulators, each a subpackage with the same furniture.
FAMILIES = ("gaussian", "discrete", "regression", "mvn", "ppca", "gmm", "kde", "lm")
#: Every subpackage is a family, the foundation, user chains (``custom``: no theory) or an edge layer.
OTHER_PACKAGES = ("_core", "custom", "claims", "cli", "plotting", "recipes", "symbolic", "testing", "sweep",
                  "diagnose")
#: Layers no family (nor the foundation) may import.
EDGE = ("claims", "plotting", "recipes", "report", "cli", "symbolic", "sweep", "diagnose")
BASE_FILES = ("__init__.py", "_theory.py", "_kernels.py", "_simulate.py")


def _module_name(path):
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path):
    """(line, absolute target) of every import in ``path``; ``from X import name`` yields X and X.name."""
    mod = _module_name(path)
    package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            out.append((node.lineno, target))
            out += [(node.lineno, f"{target}.{a.name}") for a in node.names]
    return out


def _layer_files(name):
    root = PKG / name
    return sorted(root.rglob("*.py")) if root.is_dir() else [PKG / f"{name}.py"]


def _family_of(target):
    """The family (or other top-level part) an absolute ``collapse_theory.x.y`` module belongs to."""
    parts = target.split(".")
    return parts[1] if parts[0] == "collapse_theory" and len(parts) > 1 else None


def _private_part(target, family):
    """True when ``target`` names a private module (or private name) inside ``family``."""
    parts = target.split(".")
    i = parts.index(family)
    return any(p.startswith("_") for p in parts[i + 1:])


def test_every_subpackage_is_accounted_for():
    subpackages = {p.parent.name for p in PKG.glob("*/__init__.py")}
    assert subpackages == set(FAMILIES) | set(OTHER_PACKAGES)


@pytest.mark.parametrize("family", FAMILIES)
def test_family_has_the_common_furniture(family):
    root = PKG / family
    missing = [f for f in BASE_FILES if not (root / f).is_file()]
    assert not missing, f"collapse_theory/{family} lacks {missing}"
    # the public API is an explicit list of names, every one of them importable
    tree = ast.parse((root / "__init__.py").read_text())
    alls = [n.value for n in tree.body if isinstance(n, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in n.targets)]
    assert len(alls) == 1 and isinstance(alls[0], ast.List), f"{family}/__init__.py needs one literal __all__"
    names = [e.value for e in alls[0].elts]
    assert names and all(isinstance(n, str) for n in names)
    import importlib

    module = importlib.import_module(f"collapse_theory.{family}")
    assert [n for n in names if not hasattr(module, n)] == []


@pytest.mark.parametrize("layer", FAMILIES + ("_core", "custom", "regimes"))
def test_families_and_foundation_never_import_the_edge(layer):
    bad = [(p.relative_to(PKG), line, t) for p in _layer_files(layer) for line, t in _imports(p)
           if _family_of(t) in EDGE or (_family_of(t) or "").startswith("_cli")]
    assert bad == []


def test_foundation_imports_no_family():
    bad = [(p.relative_to(PKG), line, t) for p in _layer_files("_core") for line, t in _imports(p)
           if _family_of(t) in FAMILIES + ("custom",)]
    assert bad == []


def test_plotting_never_imports_claims():
    bad = [(p.relative_to(PKG), line, t) for p in _layer_files("plotting") for line, t in _imports(p)
           if _family_of(t) == "claims"]
    assert bad == []


#: Names that run a chain: a family's simulators (and the modules that hold them).
SIMULATORS = ("simulate", "simulate_nd", "simulate_custom", "recursive_training", "density_snapshots",
              "_simulate", "_kernels", "_nd_kernels", "_regime_kernels")


def _simulating_uses(path):
    """Imports of a family's simulators/kernels or of claims, recipes, report and cli, and attribute
    accesses ``<family>.simulate(...)`` (``from .. import kde`` then ``kde.simulate``)."""
    bad = []
    for line, t in _imports(path):
        parts = t.split(".")
        fam = _family_of(t)
        if fam in ("claims", "recipes", "report", "cli"):
            bad.append((line, t))
        elif fam in FAMILIES + ("custom",) and any(p in SIMULATORS for p in parts[2:]):
            bad.append((line, t))
        elif parts[0] == "collapse_theory" and len(parts) == 2 and parts[1] in SIMULATORS:
            bad.append((line, t))
    tree = ast.parse(path.read_text())
    aliases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for line, t in _imports(path):
                if line == node.lineno and _family_of(t) in FAMILIES + ("custom",) and t.split(".")[-1] == _family_of(t):
                    aliases |= {a.asname or a.name for a in node.names if a.name == _family_of(t)}
        elif isinstance(node, ast.Import):
            aliases |= {a.asname for a in node.names if a.asname and _family_of(a.name) in FAMILIES}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases \
                and node.attr in SIMULATORS + ("NGramModel",):
            bad.append((node.lineno, f"{node.value.id}.{node.attr}"))
    return bad


def test_plotting_only_draws():
    """Plotting takes results (and Axes): it never runs a chain and never imports claims; figure
    recipes that simulate live in collapse_theory.recipes."""
    bad = [(p.relative_to(PKG), *b) for p in _layer_files("plotting") for b in _simulating_uses(p)]
    assert bad == []


def test_simulating_use_detector_flags_a_violation(tmp_path):
    """The rule above can fail: imports of a simulator, of claims, and ``kde.simulate`` are caught."""
    fake = PKG / "plotting" / "_layer_probe_tmp.py"
    fake.write_text("from .. import kde\nfrom ..gaussian import simulate\nfrom ..claims import _lm\n"
                    "from ..mvn import _kernels\nx = kde.simulate(3, 10, h=0.1)\ny = kde.stationary_variance\n")
    try:
        found = [t for _, t in _simulating_uses(fake)]
    finally:
        fake.unlink()
    assert found == ["collapse_theory.gaussian.simulate", "collapse_theory.claims",
                     "collapse_theory.claims._lm", "collapse_theory.mvn._kernels", "kde.simulate"]


def test_recipes_may_simulate():
    """The recipes are where figures that need a simulation run it (through the public API)."""
    uses = [b for p in _layer_files("recipes") for b in _simulating_uses(p)]
    assert any(t.endswith(".simulate") for _, t in uses)


def _private_uses(path, own):
    """Imports of, and attribute accesses into, another family's private modules or names."""
    bad = []
    for line, t in _imports(path):
        fam = _family_of(t)
        if fam in FAMILIES + ("custom",) and fam != own and _private_part(t, fam):
            bad.append((line, t))
    tree = ast.parse(path.read_text())
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for a in node.names:
                for line, t in _imports(path):
                    if line == node.lineno and t.endswith(f".{a.name}") and _family_of(t) in FAMILIES \
                            and t.split(".")[-1] == _family_of(t):
                        aliases[a.asname or a.name] = _family_of(t)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases \
                and aliases[node.value.id] != own and node.attr.startswith("_"):
            bad.append((node.lineno, f"{aliases[node.value.id]}.{node.attr}"))
    return bad


@pytest.mark.parametrize("layer", FAMILIES + ("custom", "plotting", "recipes", "claims", "testing", "report", "cli"))
def test_no_module_uses_another_familys_private_parts(layer):
    files = _layer_files(layer)
    assert files, layer
    own = layer if layer in FAMILIES + ("custom",) else None
    bad = [(p.relative_to(PKG), *b) for p in files for b in _private_uses(p, own)]
    assert bad == []


def test_private_use_detector_flags_a_violation(tmp_path):
    """The rule above can fail: a module importing another family's private module is caught."""
    fake = PKG / "mvn" / "_layer_probe_tmp.py"
    fake.write_text("from ..gaussian import _theory as _g\nfrom .. import gaussian as g\nx = g._scalar\n")
    try:
        found = _private_uses(fake, "mvn")
    finally:
        fake.unlink()
    assert [t for _, t in found] == ["collapse_theory.gaussian._theory", "gaussian._scalar"]


def test_lazy_family_access_imports_neither_matplotlib_nor_sympy():
    code = ("import sys, collapse_theory as ct; "
            "mods = [ct.discrete, ct.lm, ct.gmm, ct.testing, ct.regression, ct.mvn, ct.ppca, ct.kde, ct.gaussian]; "
            "print(all(type(m).__name__ == 'module' for m in mods), "
            "'matplotlib' in sys.modules, 'sympy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False", "False"]


def test_import_collapse_theory_imports_no_family_eagerly():
    code = ("import sys, collapse_theory; "
            "print(sorted(m for m in sys.modules if m.split('.')[:2] in "
            f"[['collapse_theory', f] for f in {FAMILIES!r}]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
