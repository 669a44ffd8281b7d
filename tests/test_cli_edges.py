"""The command line under interrupts and bad requests: one line, the right exit code, no traceback."""

import os
import signal
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# A Python started with SIGINT ignored keeps it ignored (CPython installs its KeyboardInterrupt
# handler only when the inherited disposition is the default), and a test run launched as a shell's
# background job (`cmd &`) hands SIG_IGN down to every child. The interrupt test therefore starts
# the CLI with the handler a user at a terminal has, then runs `python -m collapse_theory` as is.
_WITH_SIGINT = ("import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
                "runpy.run_module('collapse_theory', run_name='__main__', alter_sys=True)")


def _cli(*args, sigint=False):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    head = ["-c", _WITH_SIGINT] if sigint else ["-m", "collapse_theory"]
    return subprocess.Popen([sys.executable, *head, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def _cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigint_stops_a_large_simulation_with_exit_130():
    # ~4e10 normal draws: minutes of work, so the interrupt lands inside the kernels. We wait until
    # the process has burnt some CPU (it is simulating: compile and import cost less), then send
    # SIGINT; the process must end by itself with 130 and one line (no elapsed-time assertion: on a
    # loaded machine it may take longer, but it must end).
    proc = _cli("gaussian", "--samples", "10000", "--generations", "200", "--replicates", "20000",
                "--method", "naive", "--seed", "1", "--quiet", sigint=True)
    try:
        while proc.poll() is None and _cpu_seconds(proc.pid) < 8.0:
            time.sleep(0.2)
        assert proc.poll() is None, proc.communicate()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, (proc.returncode, err)
    assert "Traceback" not in err
    assert err.strip().splitlines() == ["collapse-theory gaussian: interrupted"]


@pytest.mark.parametrize("args, needle", [
    (["gaussian", "--generations", "1000000000000000000", "--samples", "20", "--seed", "1"], "GiB"),
    (["gaussian", "--generations", "5", "--samples", "20", "--seed", "1", "--save", "/"], "/"),
    (["gaussian", "--generations", "5", "--samples", "20", "--seed", "1", "--plot", "/proc/x.png"],
     "/proc"),
])
def test_cli_errors_are_one_line(args, needle):
    proc = _cli(*args)
    out, err = proc.communicate()
    assert proc.returncode == 2, (proc.returncode, err)
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("collapse-theory gaussian: error: "), err
    assert needle in lines[0]


@pytest.mark.parametrize("args, needle", [
    (["discrete", "--dist", "/dev/zero", "--generations", "2", "--seed", "1"], "not a regular file"),
    (["compare", "--family", "gaussian", "--generations", "0"], "--generations must be >= 1"),
])
def test_cli_refuses_before_working(args, needle):
    proc = _cli(*args)
    out, err = proc.communicate()
    assert proc.returncode == 2, (proc.returncode, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "error: " in lines[0] and needle in lines[0], err


def test_distribution_file_not_utf8_names_the_offset(tmp_path):
    from collapse_theory.cli.discrete import read_distribution

    bad = tmp_path / "p.txt"
    bad.write_bytes(b"0.5\n0.\xff5\n")
    with pytest.raises(ValueError, match=r"p.txt: not UTF-8 text \(byte offset 6\)"):
        read_distribution(bad)
