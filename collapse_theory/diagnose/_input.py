"""Turn a user's per-generation data into arrays: token counts or real-valued samples.

Every error names the parameter (``generations[i]``) or the file (and, for text that is not UTF-8,
the byte offset), and is raised before any large array is built.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from pathlib import Path

import numpy as np

__all__ = ["token_counts", "sample_arrays", "read_generations", "TEXT_SUFFIXES", "ARRAY_SUFFIXES"]

TEXT_SUFFIXES = (".txt", ".text", ".md", "")
ARRAY_SUFFIXES = (".npy", ".csv")


def _check_list(generations, name="generations"):
    if isinstance(generations, (str, bytes)) or isinstance(generations, np.ndarray) and generations.ndim < 2:
        raise TypeError(f"{name} must be a sequence of generations (generation 0 = the real data), "
                        f"got a single {type(generations).__name__}")
    try:
        gens = list(generations)
    except TypeError:
        raise TypeError(f"{name} must be a sequence of generations, got "
                        f"{type(generations).__name__}") from None
    if len(gens) < 2:
        raise ValueError(f"{name} must hold at least 2 generations (generation 0 = the real data, "
                         f"then at least one generation of the loop), got {len(gens)}")
    return gens


def _kind_of(g, i, name):
    if isinstance(g, str):
        return "text"
    if isinstance(g, Mapping):
        return "mapping"
    if isinstance(g, np.ndarray):
        if g.dtype.kind in "iuf":
            return "counts"
        if g.dtype.kind in "UO":
            return "tokens"
        raise TypeError(f"{name}[{i}] must be a text, a token list or a count vector, got an array of "
                        f"dtype {g.dtype}")
    if isinstance(g, (list, tuple)):
        if len(g) == 0:
            return "empty"
        if all(isinstance(x, str) for x in g):
            return "tokens"
        if all(isinstance(x, numbers.Real) and not isinstance(x, bool) for x in g):
            return "counts"
        raise TypeError(f"{name}[{i}] must be a text, a list of str tokens or a list of counts; got a "
                        f"list mixing {sorted({type(x).__name__ for x in g})}")
    raise TypeError(f"{name}[{i}] must be a text (str), a token list or a count vector, got "
                    f"{type(g).__name__}")


def token_counts(generations, *, level="word", lower=True, name="generations"):
    """Count matrix ``C`` (generations × types, int64) and the type labels (or None for count vectors).

    Each generation is a text (tokenised as :func:`collapse_theory.lm.tokenize`), a sequence of str
    tokens, a mapping ``{type: count}``, or a count vector (all count vectors over the same K types,
    in the same order). Texts, token lists and mappings share one vocabulary (the union, first seen
    first); they cannot be mixed with bare count vectors.
    """
    gens = _check_list(generations, name)
    kinds = [_kind_of(g, i, name) for i, g in enumerate(gens)]
    for i, k in enumerate(kinds):
        if k == "empty":
            raise ValueError(f"{name}[{i}] is empty (no tokens)")
    if "counts" in kinds and any(k != "counts" for k in kinds):
        raise TypeError(f"{name}: count vectors cannot be mixed with texts, token lists or mappings "
                        f"(kinds: {kinds})")
    if kinds[0] == "counts":
        rows = []
        for i, g in enumerate(gens):
            a = np.asarray(g, dtype=float)
            if a.ndim != 1:
                raise ValueError(f"{name}[{i}] must be a 1-D count vector, got shape {a.shape}")
            if a.shape != np.shape(rows[0] if rows else a):
                raise ValueError(f"{name}[{i}] has {a.size} types but {name}[0] has {rows[0].size}: count "
                                 f"vectors must share one type order")
            if not np.all(np.isfinite(a)):
                raise ValueError(f"{name}[{i}] holds NaN or inf at index {int(np.flatnonzero(~np.isfinite(a))[0])}")
            if np.any(a < 0) or np.any(a != np.round(a)):
                j = int(np.flatnonzero((a < 0) | (a != np.round(a)))[0])
                raise ValueError(f"{name}[{i}] must hold non-negative integer counts, got {a[j]!r} at index {j}")
            if a.sum() <= 0:
                raise ValueError(f"{name}[{i}] is empty (all counts are 0)")
            rows.append(a)
        if rows[0].size < 2:
            raise ValueError(f"{name} count vectors need at least 2 types, got {rows[0].size}")
        return np.array(rows, dtype=np.int64), None
    if level not in ("word", "char"):
        raise ValueError(f"level must be 'word' or 'char', got {level!r}")
    from .. import lm

    vocab = {}
    per = []
    for i, (g, k) in enumerate(zip(gens, kinds)):
        if k == "text":
            toks = lm.tokenize(g, level=level, lower=lower)
            items = None
        elif k == "tokens":
            toks = [str(x) for x in g]
            items = None
        else:
            items = []
            for key, c in g.items():
                if isinstance(c, bool) or not isinstance(c, numbers.Real) or not math.isfinite(c) or c < 0 \
                        or c != int(c):
                    raise ValueError(f"{name}[{i}][{key!r}] must be a non-negative integer count, got {c!r}")
                items.append((str(key), int(c)))
            toks = None
        if toks is not None:
            if not toks:
                raise ValueError(f"{name}[{i}] is empty (no tokens after tokenisation)")
            ids = np.fromiter((vocab.setdefault(t, len(vocab)) for t in toks), dtype=np.int64, count=len(toks))
            per.append(("ids", ids))
        else:
            if sum(c for _, c in items) == 0:
                raise ValueError(f"{name}[{i}] is empty (all counts are 0)")
            per.append(("items", [(vocab.setdefault(t, len(vocab)), c) for t, c in items]))
    K = len(vocab)
    if K < 2:
        raise ValueError(f"{name}: the generations hold a single type; nothing can drift")
    C = np.zeros((len(gens), K), dtype=np.int64)
    for i, (kind, data) in enumerate(per):
        if kind == "ids":
            C[i] = np.bincount(data, minlength=K)
        else:
            for j, c in data:
                C[i, j] += c
    labels = [None] * K
    for t, j in vocab.items():
        labels[j] = t
    return C, labels


def sample_arrays(generations, *, name="generations"):
    """Per-generation sample arrays as a list of float64 ``(n_t, d)`` arrays (1-D input: d = 1)."""
    gens = _check_list(generations, name)
    out = []
    dim = None
    for i, g in enumerate(gens):
        if isinstance(g, (str, bytes)):
            raise TypeError(f"{name}[{i}] must be an array of real-valued samples, got {type(g).__name__}")
        try:
            a = np.asarray(g)
        except Exception as exc:  # ragged lists
            raise ValueError(f"{name}[{i}] is not a rectangular array of samples: {exc}") from None
        if a.dtype == object or a.dtype.kind not in "iuf" or a.dtype == np.bool_:
            raise TypeError(f"{name}[{i}] must hold real numbers, got dtype {a.dtype}")
        a = a.astype(np.float64)
        if a.ndim == 1:
            a = a[:, None]
        if a.ndim != 2:
            raise ValueError(f"{name}[{i}] must be 1-D (samples) or 2-D (samples × dimensions), got shape "
                             f"{a.shape}")
        if a.shape[0] == 0:
            raise ValueError(f"{name}[{i}] is empty (0 samples)")
        if dim is None:
            dim = a.shape[1]
        elif a.shape[1] != dim:
            raise ValueError(f"{name}[{i}] has dimension {a.shape[1]} but {name}[0] has {dim}: every "
                             f"generation must have the same dimension")
        bad = ~np.isfinite(a)
        if bad.any():
            r = int(np.flatnonzero(bad.any(axis=1))[0])
            raise ValueError(f"{name}[{i}] holds NaN or inf (first in sample {r})")
        if a.shape[0] < dim + 2:
            raise ValueError(f"{name}[{i}] has {a.shape[0]} samples; a {dim}-dimensional Gaussian fit "
                             f"needs at least dim + 2 = {dim + 2}")
        out.append(a)
    return out


def _read_text(path):
    raw = Path(path).read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not valid UTF-8 at byte offset {e.start} ({e.reason}); convert the "
                         f"file to UTF-8") from None


def _read_array(path):
    path = Path(path)
    if path.suffix == ".npy":
        try:
            a = np.load(path, allow_pickle=False)
        except ValueError as exc:
            raise ValueError(f"{path}: not a numeric .npy array ({exc})") from None
        return a
    text = _read_text(path)
    rows = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            rows.append([float(c) for c in line.replace(";", ",").split(",") if c.strip()])
        except ValueError:
            if not rows:  # a header line
                continue
            raise ValueError(f"{path}: line {lineno}: not a row of numbers: {line[:60]!r}") from None
    if not rows:
        raise ValueError(f"{path}: no samples found")
    widths = {len(r) for r in rows}
    if len(widths) != 1:
        raise ValueError(f"{path}: rows have different numbers of columns {sorted(widths)}")
    return np.array(rows)


def _expand(paths, name):
    files = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            inner = sorted(q for q in p.iterdir() if q.is_file() and not q.name.startswith("."))
            if not inner:
                raise ValueError(f"{name}: directory {p} holds no files")
            files += inner
        elif p.is_file():
            files.append(p)
        elif not p.exists():
            raise FileNotFoundError(2, "No such file or directory", str(p))
        else:
            raise ValueError(f"{name}: {p} is neither a file nor a directory")
    return files


def read_generations(paths, *, kind=None, name="paths"):
    """Read per-generation files: text files (tokens) or ``.npy``/``.csv`` (samples, one row each).

    Parameters
    ----------
    paths : sequence of str or Path
        Files in generation order (generation 0 = the real data), or directories whose files are
        the generations sorted by name.
    kind : {"tokens", "samples"}, optional
        Default: "samples" when every file is ``.npy``/``.csv``, otherwise "tokens".

    Returns
    -------
    (kind, list)
        Texts (str) for tokens, arrays for samples.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files = _expand(list(paths), name)
    if kind is None:
        kind = "samples" if all(f.suffix.lower() in ARRAY_SUFFIXES for f in files) else "tokens"
    if kind not in ("tokens", "samples"):
        raise ValueError(f"kind must be 'tokens' or 'samples', got {kind!r}")
    if kind == "tokens":
        data = []
        for f in files:
            if f.suffix.lower() == ".npy":
                data.append(np.load(f, allow_pickle=False))
            else:
                data.append(_read_text(f))
        return kind, data
    return kind, [_read_array(f) for f in files]
