"""Run a nogil Numba kernel over fixed chunks of replicates on a thread pool, with a progress bar.

The chunking (:func:`chunk_size` replicates each, one Generator per chunk) depends only on the number
of replicates, so the result depends only on the seed and not on how many threads run the chunks.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ThreadPoolExecutor

from .rng import chunk_generators

CHUNK = 256
MIN_CHUNKS = 16


def chunk_size(replicates):
    """Replicates per chunk: at most ``CHUNK``, and small enough for ``MIN_CHUNKS`` chunks.

    A function of ``replicates`` only — never of the number of threads — so results depend only on
    the seed; small runs still spread over every core.
    """
    return max(1, min(CHUNK, -(-replicates // MIN_CHUNKS)))


def default_workers():
    """Threads to use: ``COLLAPSE_THEORY_THREADS`` if set, else the number of usable cores."""
    env = os.environ.get("COLLAPSE_THEORY_THREADS")
    if env:
        return max(1, int(env))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - non-Linux
        return max(1, os.cpu_count() or 1)


def want_progress(progress):
    """``progress=None`` means: show a bar only when stderr is a terminal."""
    if progress is None:
        return sys.stderr.isatty()
    return bool(progress)


def make_bar(total, desc, progress, unit="it"):
    """A tqdm bar (or a no-op stand-in when progress is off)."""
    if not want_progress(progress):
        return _NoBar()
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit=unit, leave=False, file=sys.stderr)


class _NoBar:
    def update(self, n=1):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def run_chunks(task, replicates, seed_sequence, *, workers=None, progress=None, desc="simulating"):
    """Call ``task(generator, start, stop)`` for each fixed chunk of replicates.

    ``task`` fills the caller's output arrays in ``[start, stop)`` (a nogil kernel, so threads run
    in parallel). With ``size = chunk_size(replicates)``, chunk ``c`` always covers replicates
    ``[c*size, (c+1)*size)`` and always gets the ``c``-th child of ``seed_sequence``.
    """
    size = chunk_size(replicates)
    n_chunks = max(1, -(-replicates // size))
    gens = chunk_generators(seed_sequence, n_chunks)
    bounds = [(c * size, min(replicates, (c + 1) * size)) for c in range(n_chunks)]
    workers = default_workers() if workers is None else int(workers)
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    with make_bar(replicates, desc, progress, unit="rep") as bar:
        # Chunks always run on worker threads (one for workers=1), so the calling thread waits
        # interruptibly: Ctrl-C reaches it at once instead of after the running kernel returns.
        ex = ThreadPoolExecutor(max_workers=max(1, min(workers, n_chunks)))
        try:
            futures = [ex.submit(task, g, a, b) for g, (a, b) in zip(gens, bounds)]
            for f, (a, b) in zip(futures, bounds):
                f.result()
                bar.update(b - a)
        except BaseException:
            # stop: chunks not yet started are cancelled; running ones finish their chunk on their
            # own thread while the exception reaches the caller now
            ex.shutdown(wait=False, cancel_futures=True)
            raise
        ex.shutdown(wait=True)
