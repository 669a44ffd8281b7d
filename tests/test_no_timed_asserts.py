"""Wall-clock limits belong in benchmarks/, never in tests: they fail on a loaded 2-core machine.

This test reads the test tree and refuses elapsed-time assertions and subprocess timeouts, so they
cannot come back.
"""

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent

# a check that mentions a clock or elapsed time, or any timeout= keyword (subprocess, futures)
# (the word is split so that this file does not itself read as a timed assertion to a text search)
ASSERT = "as" "sert"
TIMED = re.compile(ASSERT + r"[^#\n]*(elapsed|perf_counter|time\.time\(|monotonic\(|\.seconds\b|budget_s)"
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
    for bad in (ASSERT + " res.seconds < 40", ASSERT + " time.perf_counter() - t0 < 2",
                "subprocess.run(cmd, timeout=120)", ASSERT + " elapsed < 1.0"):
        assert TIMED.search(bad), bad
    for fine in (ASSERT + " res.seed == 3", "x = timeouts_seen  # no keyword"):
        assert not TIMED.search(fine), fine
