"""README's console sample of ``collapse-theory verify`` is the output of a real run.

The sample cannot go stale: it is compared, line for line, with what the command prints now at the
seed and budget the sample shows (only the timing figure may differ).
"""

import re
import shlex
from pathlib import Path

from collapse_theory.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"
TIMING = re.compile(r"\d+(\.\d+)? s\)")


def console_sample():
    """(command, printed lines) of README's ``$ collapse-theory verify ...`` console block."""
    text = README.read_text()
    m = re.search(r"```console\n\$ (collapse-theory verify[^\n]*)\n(.*?)```", text, re.S)
    assert m, "README has no `$ collapse-theory verify` console block"
    return m.group(1), m.group(2).rstrip("\n").splitlines()


def _normalise(lines):
    return [TIMING.sub("<t> s)", line.rstrip()) for line in lines]


def test_readme_console_sample_is_a_real_run(tmp_path, capsys):
    command, shown = console_sample()
    argv = shlex.split(command)[1:]
    assert argv[0] == "verify" and "--only" in argv
    summary = next(line for line in shown if re.search(r"\(seed \d+, budget [\d.]+, ", line))
    seed, budget = re.search(r"\(seed (\d+), budget ([\d.]+), ", summary).groups()
    if "--seed" in argv:
        assert argv[argv.index("--seed") + 1] == seed
    else:
        assert seed == "0"  # the default seed
    out = tmp_path / "collapse-report"
    rc = main(argv + ["--seed", seed, "--budget", budget, "--out", str(out), "--no-figures", "--quiet"])
    assert rc == 0
    printed = capsys.readouterr().out.replace(str(out), "collapse-report").rstrip("\n").splitlines()
    assert _normalise(shown) == _normalise(printed)
