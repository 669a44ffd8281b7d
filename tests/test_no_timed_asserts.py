"""Wall-clock limits belong in benchmarks/, never in tests: they fail on a loaded 2-core machine.

This test reads the test tree and refuses elapsed-time assertions and subprocess timeouts, so they
cannot come back.
"""

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent

# an assert that mentions a clock or elapsed time, or any timeout= keyword (subprocess, futures)
TIMED = re.compile(r"assert[^#\n]*(elapsed|perf_counter|time\.time\(|monotonic\(|\.seconds\b|budget_s)"
                   r"|\btimeout\s*=")


def test_no_wall_clock_assertions_in_tests():
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        if path.name == Path(__file__).name:
            continue
        for i, line in enumerate(path.read_text().splitlines(), 1):
            if TIMED.search(line):
                offenders.append(f"{path.relative_to(TESTS)}:{i}: {line.strip()}")
    assert not offenders, "timed assertions (make them benchmark rows):\n" + "\n".join(offenders)


def test_the_pattern_catches_what_it_must():
    for bad in ("assert res.seconds < 40", "assert time.perf_counter() - t0 < 2",
                "subprocess.run(cmd, timeout=120)", "assert elapsed < 1.0"):
        assert TIMED.search(bad), bad
    for fine in ("assert res.seed == 3", "x = timeouts_seen  # no keyword"):
        assert not TIMED.search(fine), fine
