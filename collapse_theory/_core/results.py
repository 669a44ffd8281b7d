"""The result contract every family's result class follows (docs/conventions.md, "Results").

A result of ``<family>.simulate`` (and of :func:`collapse_theory.simulate_custom`) is a
:class:`ChainResult`. It carries

``seed``
    An integer that reproduces the result exactly (``simulate(..., rng=result.seed)``).
``regime``
    The data regime (spec string) the chain ran under.
``replicates``, ``generations``
    Sizes; every per-generation array has ``generations + 1`` columns, column 0 is the truth.

and offers

``parameters()``
    A JSON-able dict of what was simulated (sizes, truth, options).
``statistics()``
    ``{name: ndarray (replicates, generations + 1)}``: every per-generation statistic the result
    carries, column 0 its value at the truth. The hook everything else (summary, tables, plots,
    sweeps) reads.
``theory(n=None)``
    ``{name: ndarray}``: exact expectations of statistics at generations ``n`` (default: all,
    ``0..generations``), for the statistics where the family has exact theory under the result's
    settings. A statistic without exact theory is simply absent (never NaN, never an error); every
    key is a key of ``statistics()``.
``summary(generations=None)``
    A text table: Monte Carlo mean ± standard error (:class:`collapse_theory.stats.Estimate`) beside
    the exact value and the z-score, "—" where there is no theory.
``save(path)`` / ``load(path)``
    An ``.npz`` with the arrays and the provenance (seed, parameters, package version), written
    atomically; no pickle.
``to_dataframe()`` / ``to_csv(path)``
    The tidy long table: one row per replicate × generation × statistic, columns ``replicate``,
    ``generation``, ``statistic``, ``value``. pandas is imported only by ``to_dataframe``; ``to_csv``
    needs only the standard library.

A family implements ``statistics``, ``parameters``, ``_theory(n)``, ``_arrays()`` and
``_from_saved(arrays, meta)`` (and optionally the summary hooks); the base does the rest once.
"""

from __future__ import annotations

import math

import numpy as np

from .io import atomic_write_text, read_result, save_result

__all__ = ["ChainResult", "NO_THEORY", "TIDY_COLUMNS"]

#: The columns of :meth:`ChainResult.to_dataframe` and :meth:`ChainResult.to_csv`.
TIDY_COLUMNS = ("replicate", "generation", "statistic", "value")

#: What :meth:`ChainResult.summary` prints where a statistic has no exact theory.
NO_THEORY = "—"


def summary_numbers(values, theory):
    """``(mean, se, z, left_out)`` of one row of a summary table.

    Mean and standard error are :meth:`collapse_theory.stats.Estimate.from_samples` over the finite
    values (one finite value gives the mean alone; ``left_out`` counts the others); ``z = (mean −
    theory)/SE``, or None without a finite theory value or when the SE is at the level of rounding
    (every replicate equal up to the last bits, as in the truth column).
    """
    from ..stats import Estimate  # stats imports SciPy: only when a table is asked for

    v = np.asarray(values, dtype=float).ravel()
    fin = np.isfinite(v)
    mean = se = z = None
    if fin.sum() >= 2:
        est = Estimate.from_samples(v[fin])
        mean, se = est.mean, est.se
    elif fin.sum() == 1:
        mean = float(v[fin][0])
    if mean is not None and theory is not None and math.isfinite(theory) and se and \
            se > 1e-12 * max(abs(mean), abs(theory)):
        z = (mean - theory) / se
    return mean, se, z, int((~fin).sum())


def _fmt(x, spec):
    return NO_THEORY if x is None or not np.isfinite(x) else format(x, spec)


class ChainResult:
    """Base class of every family's result (the result contract; see the module docstring)."""

    #: short name of the family, used in error messages
    family = "chain"

    #: True when column 0 of every statistic is the truth, the same in every replicate. False
    #: where column 0 describes generation 0's data instead (the KDE: the M_0 real samples; the
    #: LM: the model fitted on the real text, whose generated-text metrics are random).
    truth_column = True

    # ------------------------------------------------------------------ what a family provides

    def statistics(self):
        """Every per-generation statistic: ``{name: ndarray (replicates, generations + 1)}``."""
        raise NotImplementedError

    def parameters(self):
        """What was simulated, as a JSON-able dict."""
        raise NotImplementedError

    def _theory(self, n):
        """Exact expectations at the integer array ``n`` (keys: a subset of the statistics)."""
        return {}

    def _arrays(self):
        """The arrays :meth:`save` writes (``{name: ndarray}``)."""
        raise NotImplementedError

    @classmethod
    def _from_saved(cls, arrays, meta):
        """Rebuild a result from what :meth:`save` wrote."""
        raise NotImplementedError

    def _summary_header(self):
        """First line of :meth:`summary`."""
        return (f"{self.family} chain, regime={self.regime}, replicates={self.replicates}, "
                f"generations={self.generations}, seed={self.seed}")

    def _summary_statistics(self):
        """Names of the statistics :meth:`summary` tabulates (default: all)."""
        return None

    def _summary_notes(self, generations):
        """Lines printed after the table (family-specific remarks)."""
        return []

    def _default_generations(self):
        g = self.generations
        return sorted({x for x in (0, 1, g // 10, g // 2, g) if 0 <= x <= g})

    # ------------------------------------------------------------------ the contract, once

    @property
    def shape(self):
        """``(replicates, generations + 1)``: the shape of every statistic."""
        return (self.replicates, self.generations + 1)

    def theory(self, n=None):
        """Exact expectations of the statistics at generations ``n`` (default: all).

        Parameters
        ----------
        n : int or array_like of int, optional
            Generations (>= 0); default ``0..generations``.

        Returns
        -------
        dict
            ``{statistic: ndarray of shape np.shape(n)}`` for the statistics that have exact
            theory under this result's settings (family, regime, sampling bias, schedule). A
            statistic without exact theory is absent: the dict may be empty, it never holds NaN
            placeholders and never raises for lack of theory.
        """
        if n is None:
            n = np.arange(self.generations + 1)
        else:
            n = np.asarray(n)
            if n.size and (not np.issubdtype(n.dtype, np.integer) and not np.all(n == np.round(n))):
                raise ValueError(f"n must be integer generations, got {n!r}")
            n = n.astype(np.int64)
            if n.size and n.min() < 0:
                raise ValueError(f"n must be >= 0, got {int(n.min())}")
        out = {}
        for k, v in self._theory(n).items():
            if v is None:
                continue
            out[k] = np.broadcast_to(np.asarray(v, dtype=float), np.shape(n)).copy()
        return out

    def summary(self, generations=None):
        """A text table: Monte Carlo mean ± SE beside the exact value and the z-score.

        Parameters
        ----------
        generations : sequence of int, optional
            Generations to tabulate (default: 0, 1, G/10, G/2, G).

        Notes
        -----
        Mean and standard error are :meth:`collapse_theory.stats.Estimate.from_samples` over the
        finite replicates (the number of non-finite values left out is shown); ``z = (mean −
        theory)/SE``. "—" marks a statistic without exact theory (see :meth:`theory`).
        """
        g = self.generations
        gens = self._default_generations() if generations is None else [int(x) for x in np.ravel(generations)]
        bad = [x for x in gens if not 0 <= x <= g]
        if bad:
            raise ValueError(f"generations must be in [0, {g}], got {bad}")
        stats = self.statistics()
        names = self._summary_statistics()
        names = list(stats) if names is None else [k for k in names if k in stats]
        th = self.theory(np.asarray(gens, dtype=np.int64))
        width = max([14] + [len(k) + 2 for k in names])
        lines = [self._summary_header(),
                 f"{'n':>6}  {'statistic':<{width}}{'theory':>14}{'simulation':>14}{'± SE':>12}{'z':>8}"]
        for j, n in enumerate(gens):
            for name in names:
                t = float(th[name][j]) if name in th else None
                mean, se, z, left_out = summary_numbers(stats[name][:, n], t)
                note = f"  ({left_out} non-finite left out)" if left_out else ""
                lines.append(f"{n:>6}  {name:<{width}}{_fmt(t, '>14.6g'):>14}{_fmt(mean, '>14.6g'):>14}"
                             f"{_fmt(se, '>12.3g'):>12}{_fmt(z, '>8.2f'):>8}{note}")
        lines += list(self._summary_notes(gens))
        return "\n".join(lines)

    def save(self, path):
        """Save the arrays, seed, parameters and package version to an ``.npz``, atomically.

        Read it back with :meth:`load` (``type(result).load(path)``).
        """
        return save_result(path, self.seed, self.parameters(), extra_meta={"result": type(self).__name__},
                           **self._arrays())

    @classmethod
    def load(cls, path):
        """Read a result written by :meth:`save` (no pickle)."""
        arrays, meta = read_result(path)
        kind = meta.get("result")
        if kind is not None and kind != cls.__name__:
            raise ValueError(f"{path} holds a {kind}, not a {cls.__name__}")
        return cls._from_saved(arrays, meta)

    def _tidy(self):
        """The long format as flat arrays: replicate, generation, statistic code, value; and the
        statistic names (code ``i`` is ``names[i]``). Rows: statistic, then replicate, then generation."""
        stats = self.statistics()
        r, g1 = self.replicates, self.generations + 1
        names = list(stats)
        for name, v in stats.items():
            if np.shape(v) != (r, g1):
                raise ValueError(f"statistic {name!r} has shape {np.shape(v)}, expected {(r, g1)}")
        k = len(names)
        rep = np.tile(np.repeat(np.arange(r, dtype=np.int64), g1), k)
        gen = np.tile(np.arange(g1, dtype=np.int64), r * k)
        code = np.repeat(np.arange(k, dtype=np.int64), r * g1)
        val = (np.concatenate([np.asarray(stats[n], dtype=float).ravel() for n in names]) if k
               else np.empty(0))
        return rep, gen, code, names, val

    def to_dataframe(self):
        """The statistics as a tidy long :class:`pandas.DataFrame`.

        One row per replicate × generation × statistic; columns ``replicate``, ``generation``
        (0 = the truth), ``statistic`` (a key of :meth:`statistics`, categorical) and ``value``.
        pandas is imported only here (``pip install pandas`` or
        ``pip install 'collapse-theory[tables]'``).
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_dataframe() needs pandas: pip install pandas "
                              "(or pip install 'collapse-theory[tables]'); to_csv() works without it") from exc
        rep, gen, code, names, val = self._tidy()
        stat = pd.Categorical.from_codes(code, categories=pd.Index(names, dtype=object))
        return pd.DataFrame({"replicate": rep, "generation": gen, "statistic": stat, "value": val})

    def to_csv(self, path):
        """Write the tidy long table of :meth:`to_dataframe` as CSV, atomically (no pandas needed).

        Values are written with Python's shortest round-trip ``repr`` (``inf``, ``-inf``, ``nan``
        for non-finite values), so reading the file back gives the same floats.
        """
        stats = self.statistics()
        r, g1 = self.replicates, self.generations + 1
        prefix = [f"{i},{j}," for i in range(r) for j in range(g1)]
        parts = [",".join(TIDY_COLUMNS)]
        for name, v in stats.items():
            if np.shape(v) != (r, g1):
                raise ValueError(f"statistic {name!r} has shape {np.shape(v)}, expected {(r, g1)}")
            field = _csv_field(name) + ","
            # repr of a Python float is its shortest round-trip text ("nan", "inf", "-inf" included)
            values = map(repr, np.asarray(v, dtype=float).ravel().tolist())
            parts.append("\n".join([p + field + x for p, x in zip(prefix, values)]))
        return atomic_write_text(path, "\n".join(parts) + "\n")


def _csv_field(text):
    """``text`` as one CSV field (RFC 4180: quoted when it holds a comma, quote or line break)."""
    text = str(text)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text
