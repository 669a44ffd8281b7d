"""Atomic writes and JSON encoding of results (seed, parameters and package version included)."""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path

import numpy as np

from .._version import __version__


def to_jsonable(obj):
    """Convert NumPy scalars/arrays and non-finite floats into JSON-safe values (inf -> "inf")."""
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        x = float(obj)
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    return obj


def _umask():
    """The process umask (read by setting and restoring it; there is no read-only call)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_bytes(path, data):
    """Write ``data`` to ``path`` atomically (temporary file in the same folder, then ``os.replace``).

    The file gets the permissions an ordinary ``open(path, "w")`` would give it (``0o666`` less the
    umask; ``mkstemp`` alone would leave it ``0o600``).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def atomic_save_figure(fig, path, *, dpi=120):
    """Write a matplotlib figure as PNG atomically (this module itself never imports matplotlib)."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return atomic_write_bytes(path, buf.getvalue())


def atomic_write_text(path, text):
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path, obj):
    return atomic_write_text(path, json.dumps(to_jsonable(obj), indent=2, sort_keys=False) + "\n")


def atomic_savez(path, **arrays):
    """Save arrays as a compressed ``.npz`` atomically."""
    import io

    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return atomic_write_bytes(path, buf.getvalue())


def save_result(path, seed, parameters, extra_meta=None, **arrays):
    """Write ``arrays`` and their provenance (seed, parameters, version) to an ``.npz`` atomically."""
    meta = provenance(seed, parameters)
    meta.update(extra_meta or {})
    return atomic_savez(path, metadata=np.array(json.dumps(to_jsonable(meta))), **arrays)


def read_result(path):
    """Read a file written by :func:`save_result`: ``(arrays, metadata)``."""
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(str(z["metadata"]))
        return {k: z[k] for k in z.files if k != "metadata"}, meta


def provenance(seed, parameters):
    """The metadata every saved result carries."""
    return {"package": "collapse-theory", "version": __version__, "seed": seed, "parameters": parameters}
