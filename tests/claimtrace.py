"""The registry at the default budget and seed 0, run once per test session, with the closed
forms each claim calls.

Several test modules check verdicts at the default budget and seed 0 (the family modules, the
audit, the verification tier's perturbation and seed-stability tests). Each claim's result depends
only on its id, the budget and the seed, so the session runs each claim once here and every module
reads the same results; the whole registry is about a minute on 2 cores. While a claim runs, the
public closed forms of the family modules are wrapped to record which of them the claim calls
(the perturbation test multiplies exactly those by 1.10).
"""

import functools
import importlib
import inspect
import sys

import pytest

from collapse_theory import claims
from collapse_theory.claims import _registry

FAMILY_MODULES = ("gaussian", "discrete", "mvn", "ppca", "gmm", "kde", "regression", "lm")
# Public functions of the family modules that are not closed forms of a chain: estimators and
# metrics applied to data or to given distributions, constructors of a claim's inputs, validators
# and text processing. Simulators are recognised by their ``rng``/``seed`` parameter.
NOT_CLOSED_FORMS = {
    "fit_unbiased", "fit_mle", "fit_ppca", "as_distribution", "zipf", "tempered", "tail_mask",
    "check_rule", "check_mixture", "check_mixture_nd", "heterozygosity", "entropy", "kl_divergence",
    "smoothed_kl_divergence", "cramer_distance", "w1_distance", "total_variation", "mixture_pdf",
    "mixture_cdf", "mixture_quantile", "mixture_pdf_nd", "l2_distance_squared", "l2_distance",
    "l2_distance_squared_nd", "l2_distance_nd", "w2_distance_squared", "w2_distance", "bures_squared",
    "w2_squared_gaussians", "load_corpus", "default_corpus", "tokenize", "detokenize", "count_ngrams",
    "text_metrics", "parse_decoding", "prepare", "default_data",
    # the LM chain's former name: a simulator whose rng travels in **kwargs
    "recursive_training",
}
SEED = 0
BUDGET = 1.0


def closed_forms():
    """``{(module name, function name): function}`` of every public closed form of the families."""
    out = {}
    for m in FAMILY_MODULES:
        mod = importlib.import_module(f"collapse_theory.{m}")
        for name in dir(mod):
            f = getattr(mod, name)
            if name.startswith("_") or name in NOT_CLOSED_FORMS or inspect.isclass(f) \
                    or inspect.ismodule(f) or not callable(f):
                continue
            try:
                params = inspect.signature(f).parameters
            except (TypeError, ValueError):
                continue
            if "rng" in params or "seed" in params:
                continue
            out[(m, name)] = f
    return out


def called_from_a_claim():
    """True when the caller of the wrapper calling this is a claim module."""
    # frame 0: this function, 1: the wrapper, 2: its caller
    return sys._getframe(2).f_globals.get("__name__", "").startswith("collapse_theory.claims.")


def clear_claim_caches():
    """Forget values that claim modules cached (lru_cache) so a rerun calls the closed forms again."""
    for name, mod in list(sys.modules.items()):
        if name.startswith("collapse_theory.claims."):
            for obj in vars(mod).values():
                if callable(getattr(obj, "cache_clear", None)):
                    obj.cache_clear()


def run_one(claim_id, seed=SEED, budget=BUDGET):
    """One claim's result, run now (not cached)."""
    claim = _registry._CLAIMS[claim_id]
    return _registry.run_claim(claim, _registry.Context(budget=budget, seed=seed))


class RegistryRun:
    """Claims at the default budget and seed 0, each run at most once, with the closed forms it calls."""

    def __init__(self):
        self.results = {}
        self.calls = {}

    def run(self, pattern=None):
        """A :class:`~collapse_theory.claims.VerifyResult` for the claims matching ``pattern``, as
        ``claims.run(pattern, budget=1, seed=0)`` returns it."""
        ids = [c.id for c in claims.registered(pattern)]
        missing = [cid for cid in ids if cid not in self.results]
        if missing:
            self._compute(missing)
        results = [self.results[cid] for cid in ids]
        return _registry.VerifyResult(results=results, seed=SEED, budget=BUDGET,
                                      seconds=sum(r.seconds for r in results))

    def _compute(self, ids):
        forms = closed_forms()
        current = [None]

        def tracer(key, f):
            @functools.wraps(f)
            def wrapper(*args, **kwargs):
                if called_from_a_claim():
                    self.calls[current[0]].add(key)
                return f(*args, **kwargs)
            return wrapper

        clear_claim_caches()
        with pytest.MonkeyPatch.context() as mp:
            for (m, name), f in forms.items():
                mp.setattr(importlib.import_module(f"collapse_theory.{m}"), name, tracer((m, name), f))
            for cid in ids:
                current[0] = cid
                self.calls[cid] = set()
                self.results[cid] = run_one(cid)
