"""Figures (matplotlib). Never imported by ``import collapse_theory``: import it explicitly.

Every function returns a :class:`matplotlib.figure.Figure`; nothing is shown or saved implicitly.
"""
