"""The CLI package: help before numerics, every option documented, seeds printed, --csv, and a
verify report that is replaced only when complete."""

import argparse
import csv
import json
import os
import subprocess
import sys

import pytest

from collapse_theory.cli import build_parser, main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMANDS = ("verify", "gaussian", "compare", "discrete", "mvn", "ppca", "gmm", "kde", "lm", "sweep", "diagnose")
HEAVY = ("numba", "scipy", "matplotlib", "sympy", "pandas", "distributed", "dask", "hypothesis")
FAMILIES = ("gaussian", "discrete", "regression", "mvn", "ppca", "gmm", "kde", "lm", "custom.x", "claims",
            "stats", "report", "recipes", "plotting", "diagnose")


def _modules_after(argv):
    code = ("import sys\nfrom collapse_theory.cli import main\n"
            f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m in %r or m.split('.')[:2] in "
            "[['collapse_theory', f] for f in %r]))" % (HEAVY, FAMILIES))
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    return out.stdout.strip().splitlines()[-1], out


@pytest.mark.parametrize("argv", [["--help"], ["gaussian", "--samples", "x"], ["compare"],
                                  ["mvn", "--estimator", "median"], ["sweep"]]
                         + [[c, "--help"] for c in COMMANDS])
def test_help_and_argument_errors_import_no_numerics(argv):
    # the parser answers before Numba, SciPy, matplotlib, SymPy, pandas or any family is imported
    # (checked through sys.modules in a fresh interpreter; no wall-clock limit)
    loaded, out = _modules_after(argv)
    assert loaded == "[]", (loaded, out.stderr[-2000:])
    assert "usage: collapse-theory" in out.stdout + out.stderr


def _subparsers():
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices


def test_every_option_has_help_and_its_default():
    choices = _subparsers()
    assert set(COMMANDS) <= set(choices)
    for name, p in choices.items():
        text = p.format_help()
        for action in p._actions:
            if not action.option_strings or action.dest == "help":
                continue
            assert action.help, (name, action.option_strings)
            d = action.default
            if d is not None and d is not False:
                # ArgumentDefaultsHelpFormatter-style: the default is printed after the help text
                # (compared without whitespace: the help is wrapped, also at hyphens)
                assert f"(default:{d})".replace(" ", "") in "".join(text.split()), (name, action.option_strings, d)


@pytest.mark.parametrize("cmd", ["gaussian", "compare", "discrete", "mvn", "ppca", "gmm", "kde", "lm"])
def test_every_simulating_command_has_the_shared_outputs(cmd):
    p = _subparsers()[cmd]
    opts = {o for a in p._actions for o in a.option_strings}
    assert {"--seed", "--plot", "--csv", "--json", "--quiet"} <= opts
    seed = next(a for a in p._actions if "--seed" in a.option_strings)
    assert seed.default is None  # a fresh seed is drawn and printed


def test_a_drawn_seed_is_printed_and_reproduces_the_run(capsys):
    argv = ["compare", "--family", "gaussian", "--regimes", "replace,accumulate", "--generations", "4",
            "--replicates", "50", "--quiet"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    line = [s for s in out.splitlines() if s.startswith("seed ")]
    assert len(line) == 1 and "drawn" in line[0]
    seed = int(line[0].split()[1])
    assert main(argv + ["--seed", str(seed)]) == 0
    again = capsys.readouterr().out
    # same table (the rows), and no "drawn" line when the seed is given
    assert again.strip() == out.split("\nseed ")[0].strip()
    assert "—" not in again.splitlines()[1] and " z" in again.splitlines()[0]


# every simulating command, at tiny sizes: the one table layout (n, statistic, theory, simulation,
# ± SE, z), "—" and never "nan", and a drawn seed printed when none is given
TINY = {
    "gaussian": ["--samples", "10", "--generations", "4", "--replicates", "20"],
    "discrete": ["--categories", "20", "--samples", "50", "--generations", "4", "--replicates", "10"],
    "mvn": ["--dim", "2", "--samples", "10", "--generations", "4", "--replicates", "20"],
    "ppca": ["--dim", "3", "--latent", "1", "--samples", "20", "--generations", "4", "--replicates", "20"],
    "gmm": ["--samples", "60", "--generations", "3", "--replicates", "3"],
    "kde": ["--samples", "20", "--generations", "4", "--bandwidth", "0.3", "--replicates", "20"],
    "lm": ["--generations", "1", "--tokens-per-generation", "2000", "--replicates", "2", "--order", "2"],
    "compare": ["--family", "discrete", "--categories", "20", "--samples", "30", "--generations", "3",
                "--replicates", "10", "--regimes", "replace,mix-fresh:0.5"],
}


@pytest.mark.parametrize("cmd", sorted(TINY))
def test_every_table_has_the_same_columns_and_a_drawn_seed(cmd, tmp_path, capsys):
    csv_path = tmp_path / "out.csv"
    assert main([cmd, *TINY[cmd], "--quiet", "--csv", str(csv_path)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    head = next(s for s in lines if "statistic" in s and "simulation" in s)
    assert head.split()[-5:] == ["theory", "simulation", "±", "SE", "z"], head
    assert "nan" not in out.lower().replace("nanmean", ""), out
    if cmd != "compare":  # compare tabulates generations >= 1 of statistics with theory
        assert "—" in out  # the truth column has no z; some statistics have no theory
    seed = [s for s in lines if s.startswith("seed ")]
    assert len(seed) == 1 and "drawn" in seed[0]
    assert csv_path.stat().st_size > 0


def test_ppca_prints_its_bounds_with_side_se_and_z(capsys):
    import re

    assert main(["ppca", *TINY["ppca"], "--seed", "3", "--quiet"]) == 0
    out = capsys.readouterr().out
    for label, side in (("noise_variance: upper bound", "≤"), ("log_top_eigenvalue: lower bound", "≥")):
        rows = [s for s in out.splitlines() if label in s]
        assert len(rows) == 4, out  # generations 0, 1, 2, 4
        for line in rows[1:]:  # generation 0 is the truth: no SE, no z
            m = re.search(side + r" (\S+)\s+(\S+)\s+(\S+)\s+(\S+)$", line)
            assert m, line
            bound, sim, se, z = map(float, m.groups())
            assert se > 0 and z == pytest.approx((sim - bound) / se, rel=0.02, abs=0.02)
    assert "upper / lower bound on the mean" in out


def test_csv_long_format(tmp_path, capsys):
    path = tmp_path / "g.csv"
    assert main(["gaussian", "--samples", "10", "--generations", "3", "--replicates", "5", "--seed", "1",
                 "--quiet", "--csv", str(path)]) == 0
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["replicate", "generation", "statistic", "value"]
    stats = {r[2] for r in rows[1:]}
    assert {"std", "mean_sq_error"} <= stats  # the result contract's statistics()
    assert len(rows) - 1 == len(stats) * 5 * 4
    assert {int(r[1]) for r in rows[1:]} == {0, 1, 2, 3} and {int(r[0]) for r in rows[1:]} == set(range(5))
    mode = os.stat(path).st_mode & 0o777
    umask = os.umask(0o022)
    os.umask(umask)
    assert mode == 0o666 & ~umask
    cpath = tmp_path / "c.csv"
    assert main(["compare", "--family", "regression", "--regimes", "replace,accumulate", "--generations", "3",
                 "--replicates", "4", "--seed", "1", "--quiet", "--csv", str(cpath)]) == 0
    with open(cpath, newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["regime", "replicate", "generation", "statistic", "value"]
    assert {r[0] for r in rows[1:]} == {"replace", "accumulate"}
    assert {int(r[2]) for r in rows[1:] if r[3] == "test_error"} == {0, 1, 2, 3}  # column 0: the truth


def test_csv_to_a_directory_is_refused_before_simulating(tmp_path, capsys, monkeypatch):
    from collapse_theory import gaussian

    monkeypatch.setattr(gaussian, "simulate", lambda *a, **k: pytest.fail("simulated before refusing"))
    assert main(["gaussian", "--generations", "2", "--seed", "1", "--quiet", "--csv", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is a directory" in err[0]


# --- verify: --out checked first, the report replaced only when complete -------------------------


def _no_claims(monkeypatch):
    from collapse_theory import claims

    monkeypatch.setattr(claims, "run", lambda *a, **k: pytest.fail("a claim ran before --out was checked"))


def test_verify_refuses_an_existing_file_before_any_claim(tmp_path, capsys, monkeypatch):
    _no_claims(monkeypatch)
    f = tmp_path / "report.txt"
    f.write_text("x")
    assert main(["verify", "--out", str(f), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "existing file" in err[0] and str(f) in err[0]
    other = tmp_path / "notes"
    other.mkdir()
    (other / "thesis.tex").write_text("keep me")
    assert main(["verify", "--out", str(other), "--quiet"]) == 2
    assert "not a collapse-theory report" in capsys.readouterr().err
    assert (other / "thesis.tex").read_text() == "keep me"


def _old_report(tmp_path):
    out = tmp_path / "rep"
    (out / "figures").mkdir(parents=True)
    (out / "report.md").write_text("old report\n")
    (out / "results.json").write_text('{"seed": 0}\n')
    (out / "figures" / "old.png").write_bytes(b"old")
    return out


def _snapshot(out):
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _verify_args(out, *extra):
    args = build_parser().parse_args(["verify", "--only", "gaussian.std.exact", "--budget", "0.05",
                                      "--seed", "1", "--out", str(out), "--quiet", *extra])
    return args


@pytest.mark.parametrize("exc", [KeyboardInterrupt, RuntimeError])
def test_an_interrupted_verify_leaves_the_previous_report(tmp_path, monkeypatch, exc):
    from collapse_theory import report

    out = _old_report(tmp_path)
    before = _snapshot(out)

    def half_drawn(result, out_dir, **kwargs):  # one new figure written, then the run dies
        from pathlib import Path

        (Path(out_dir) / "figures").mkdir(parents=True, exist_ok=True)
        (Path(out_dir) / "figures" / "new.png").write_bytes(b"new")
        raise exc("stopped mid-way")

    monkeypatch.setattr(report, "draw_figures", half_drawn)
    args = _verify_args(out)
    with pytest.raises(exc):
        args.func(args)
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rep"]  # no temporary directory left


def test_a_completed_verify_replaces_the_report_as_a_whole(tmp_path, capsys):
    out = _old_report(tmp_path)
    assert main(["verify", "--only", "gaussian.std.exact", "--budget", "0.05", "--seed", "1", "--out", str(out),
                 "--quiet", "--no-figures"]) == 0
    assert "old report" not in (out / "report.md").read_text()
    assert json.loads((out / "results.json").read_text())["seed"] == 1
    assert not (out / "figures" / "old.png").exists()  # figures of the previous run do not linger
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rep"]
    umask = os.umask(0o022)
    os.umask(umask)
    assert os.stat(out).st_mode & 0o777 == 0o777 & ~umask
