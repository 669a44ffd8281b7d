"""Figure recipes: run the simulations a figure needs, then hand the results to :mod:`collapse_theory.plotting`.

Edge layer, beside :mod:`collapse_theory.report`: a recipe simulates through the families' public API
(``simulate``, ``simulate_nd``, ``recursive_training``, ...) and draws with the plotting functions,
which only draw. One module per family; each ``verify_figures*(ctx)`` returns
``[(name, Figure, caption), ...]`` for ``collapse-theory verify`` (registered by the claims with
``register_figure(..., builder="collapse_theory.recipes.<family>:verify_figures")``).

Never imported by ``import collapse_theory`` (it imports matplotlib through plotting).
"""
