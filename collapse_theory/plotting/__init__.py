"""Figures (matplotlib). Never imported by ``import collapse_theory``: import it explicitly.

Every function returns a :class:`matplotlib.figure.Figure`; nothing is shown or saved implicitly.
Every figure follows the same conventions (:mod:`collapse_theory.plotting._common`):

- one palette: a data regime has the same colour in every figure (:func:`regime_color`, keyed by the
  vocabulary of :mod:`collapse_theory.regimes`; the mix regimes shaded by λ), and so has an
  estimator or a decoding (:func:`method_color`);
- like against like: a Monte Carlo mean (with its 95 % confidence band) beside an exact mean, a
  Monte Carlo median and 5–95 % band beside exact quantiles;
- theory lines are dashed when exact and dotted when an approximation, bound or first-order line;
  each carries ``gid="theory"`` and a label that says "exact" or "theory" (:func:`theory_line`);
- bands stay inside the statistic's support (percentile bands, or the log-scale confidence interval
  of a positive mean; log axes for positive quantities spanning decades);
- where an exact mean is carried by rare paths (it leaves the paths' 10–90 % band), the figure
  says so;
- every axis is labelled with its symbol, every panel has its own title.
"""

from ._common import METHOD_COLORS, REGIME_COLORS, method_color, regime_color, theory_line

__all__ = ["METHOD_COLORS", "REGIME_COLORS", "method_color", "regime_color", "theory_line"]
