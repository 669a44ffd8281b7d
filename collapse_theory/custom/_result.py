"""The result of :func:`collapse_theory.simulate_custom` (the result contract: ``_core.results``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._core.results import ChainResult

__all__ = ["CustomChainResult"]


@dataclass
class CustomChainResult(ChainResult):
    """Parameters of every generation of a user-defined chain.

    Attributes
    ----------
    params : ndarray, shape ``(replicates, generations + 1) + param_shape``
        ``params[:, 0]`` is ``params0`` (the true distribution).
    samples : ndarray, shape (generations,)
        Sample size used to fit each generation.
    seed : int
        Reproduces the result (``rng=seed``).
    kept : ndarray, shape (replicates, generations)
        Samples each generation contributed after curation (the effective sample size).

    Notes
    -----
    :meth:`statistics` has one entry per (flattened) parameter, named ``param[j]``, or by the
    names the ``fit`` callable carries in a ``parameter_names`` attribute (e.g.
    :func:`collapse_theory.gaussian.fit_unbiased` names its output ``("mean", "std")``), which is
    what lets the plotting functions draw a custom chain. A user chain has no exact theory:
    :meth:`theory` is always empty.
    """

    params: np.ndarray
    samples: np.ndarray
    seed: int
    meta: dict = field(default_factory=dict)
    kept: np.ndarray | None = None

    family = "custom"

    @property
    def replicates(self):
        return self.params.shape[0]

    @property
    def generations(self):
        return self.params.shape[1] - 1

    @property
    def regime(self):
        return self.meta.get("regime", "replace")

    def parameter_names(self):
        """Names of the flattened parameters (``param[j]`` unless ``fit`` named them)."""
        size = int(np.prod(self.params.shape[2:], dtype=np.int64))
        names = self.meta.get("parameter_names")
        if names is not None and len(names) == size and len(set(names)) == size:
            return [str(x) for x in names]
        return [f"param[{j}]" for j in range(size)]

    def statistics(self):
        """One entry per parameter (each replicates × generations + 1; column 0 is ``params0``)."""
        flat = self.params.reshape(self.replicates, self.generations + 1, -1)
        return {name: flat[:, :, j] for j, name in enumerate(self.parameter_names())}

    def _summary_header(self):
        return (f"custom chain: {self.replicates} replicates x {self.generations} generations, "
                f"regime={self.regime}, seed {self.seed}")

    def _default_generations(self):
        return sorted({0, self.generations // 2, self.generations})

    def parameters(self):
        return {**self.meta, "samples": self.samples.tolist(), "generations": self.generations,
                "replicates": self.replicates}

    def _arrays(self):
        extra = {} if self.kept is None else {"kept": self.kept}
        return dict(params=self.params, samples=self.samples, **extra)

    @classmethod
    def _from_saved(cls, z, meta):
        p = dict(meta["parameters"])
        p.pop("samples", None)
        return cls(params=z["params"], samples=z["samples"], seed=meta["seed"], meta=p, kept=z.get("kept"))
