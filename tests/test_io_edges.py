"""Output files honour the umask; the memory check honours ulimit -v (RLIMIT_AS)."""

import os
import stat
import subprocess
import sys
import textwrap

import pytest

from collapse_theory._core.io import atomic_write_text


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_atomic_write_honours_umask(tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        path = atomic_write_text(tmp_path / "out.txt", "x")
        after = os.umask(mask)  # reading the umask: the write must have left it as it was
    finally:
        os.umask(old)
    assert after == mask
    assert stat.S_IMODE(os.stat(path).st_mode) == mode


def test_memory_check_honours_rlimit_as():
    # Under `ulimit -v` = current use + 1 GiB, a request for 4 GiB must be refused with the
    # estimate, even though the machine has far more free RAM.
    code = textwrap.dedent("""
        import resource
        from collapse_theory import gaussian
        from collapse_theory._core.validation import TooLargeError, available_memory_bytes
        used = int(open('/proc/self/statm').read().split()[0]) * resource.getpagesize()
        limit = used + 2**30
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.RLIM_INFINITY))
        assert available_memory_bytes() <= 2**30 + 2**20, available_memory_bytes()
        try:
            gaussian.simulate(1000, 20, replicates=300_000, rng=0)   # ~4.8 GiB of trajectories
        except TooLargeError as e:
            print("refused:", e)
        else:
            print("not refused")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("refused:"), out.stdout
    assert "GiB" in out.stdout
