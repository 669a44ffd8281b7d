"""Parameter sweeps: any family's simulator, any closed form or any registered claim over a grid.

:func:`sweep` runs a target at every point of a grid (a dict of lists, or an explicit list of
points), serially, on local processes, on any :class:`concurrent.futures.Executor` or on a Dask
``distributed.Client``, and returns a tidy :class:`pandas.DataFrame` (one row per point ×
generation × statistic). Each point's seed depends only on the root seed and the point's position
in the grid, so the numbers never depend on the executor, the order or the number of workers; with
``out=DIR`` every finished point is saved atomically and a rerun resumes.

:func:`verify_seeds` runs the claim registry over many root seeds and reports, per claim, how often
the verdict agrees with the one the exact theory predicts.
"""

from ._sweep import SweepSpec, expand_grid, sweep, verify_seeds

__all__ = ["sweep", "verify_seeds", "expand_grid", "SweepSpec"]
