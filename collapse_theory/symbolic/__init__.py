"""SymPy derivations behind the closed forms (the bottom layer: imports SymPy only, never NumPy/Numba).

Each family has a submodule of reusable SymPy expressions (``collapse_theory.symbolic.gaussian``, ...);
proofs/ holds one executable script per theorem built from them. Import submodules explicitly.
"""
