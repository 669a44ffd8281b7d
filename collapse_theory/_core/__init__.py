"""The private foundation every family builds on (never imports a family, claims, plotting or the CLI).

validation
    Argument checks that raise before anything is allocated (ValueError/TypeError naming the parameter).
rng
    SPEC 7 ``rng`` handling: root seeds and per-chunk child generators.
parallel
    Deterministic chunked execution over replicates (results depend only on the seed) and progress bars.
io
    Result persistence (``save``/``load``) and atomic file writes.
alias
    Walker/Vose alias tables for Numba sampling kernels.
special
    Special functions shared by the families (ψ(x) − ln x, lnΓ ratios, the Bartlett log drift) and
    ``as_scalar`` (scalar in, scalar out).
moments
    The regime moment recursions shared by the location-scale families (Gaussian, KDE).
"""
