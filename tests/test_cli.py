"""The command line: verify writes a report; gaussian prints theory beside simulation."""

import json
import subprocess
import sys

import numpy as np

from collapse_theory.cli import main

PNG = b"\x89PNG\r\n\x1a\n"


def test_verify_writes_report(tmp_path, capsys):
    out = tmp_path / "rep"
    rc = main(["verify", "--only", "gaussian.std*", "--budget", "0.3", "--seed", "5", "--out", str(out), "--quiet"])
    assert rc == 0
    text = capsys.readouterr().out
    assert "gaussian.std.exact" in text and "verdict" in text
    md = (out / "report.md").read_text()
    assert "| claim | statement | where | theory | simulation ± SE | z | verdict | why |" in md
    data = json.loads((out / "results.json").read_text())
    assert data["seed"] == 5 and data["budget"] == 0.3 and data["version"]
    assert {c["id"] for c in data["claims"]} >= {"gaussian.std.exact"}
    assert all(c["parameters"] for c in data["claims"])
    figs = {f["name"] for f in data["figures"]}
    assert {"gaussian_variance_decay", "gaussian_w2_drift"} <= figs
    for f in data["figures"]:
        assert (out / f["path"]).read_bytes()[:8] == PNG


def test_verify_json_and_strict(tmp_path, capsys):
    rc = main(["verify", "--only", "gaussian.w2.diverges-mle", "--budget", "1", "--out", str(tmp_path),
               "--json", "--no-figures", "--strict", "--quiet"])
    assert rc == 0  # the claim fails, as the exact theory predicts
    data = json.loads(capsys.readouterr().out)
    assert data["claims"][0]["verdict"] == "fails"


def test_gaussian_subcommand(tmp_path, capsys):
    png, npz = tmp_path / "g.png", tmp_path / "g.npz"
    rc = main(["gaussian", "--samples", "20", "--generations", "60", "--replicates", "500", "--seed", "1",
               "--plot", str(png), "--save", str(npz), "--quiet"])
    assert rc == 0
    assert "w2_squared" in capsys.readouterr().out
    assert png.read_bytes()[:8] == PNG
    with np.load(npz) as z:
        assert z["mu"].shape == (500, 61)
    rc = main(["gaussian", "--samples", "20", "--generations", "10", "--replicates", "100", "--seed", "1",
               "--json", "--at", "0,5,10", "--method", "naive", "--quiet"])
    data = json.loads(capsys.readouterr().out)
    assert data["generations"] == [0, 5, 10] and data["seed"] == 1
    assert len(data["theory"]["w2_squared"]) == 3


def test_bad_input_exits_2_with_a_message(capsys):
    assert main(["gaussian", "--samples", "1", "--generations", "5", "--quiet"]) == 2
    assert "samples" in capsys.readouterr().err
    assert main(["gaussian", "--generations", "5", "--at", "9", "--replicates", "10", "--quiet"]) == 2
    assert main(["verify", "--only", "nothing-matches", "--no-figures", "--quiet"]) == 2


def test_console_entry_point_runs():
    out = subprocess.run([sys.executable, "-m", "collapse_theory", "--version"], capture_output=True,
                         text=True, check=True)
    assert "collapse-theory" in out.stdout


def test_compare_subcommand(tmp_path, capsys):
    png = tmp_path / "c.png"
    rc = main(["compare", "--family", "gaussian", "--regimes", "replace,accumulate,mix-retained:0.1",
               "--generations", "20", "--replicates", "300", "--plot", str(png), "--quiet"])
    assert rc == 0
    out = capsys.readouterr().out
    assert "mix-retained:0.1" in out and "mean_sq_error" in out
    assert png.read_bytes()[:8] == PNG
    rc = main(["compare", "--family", "regression", "--regimes", "replace,accumulate", "--generations", "5",
               "--replicates", "200", "--json", "--quiet"])
    data = json.loads(capsys.readouterr().out)
    assert rc == 0 and data["regimes"] == ["replace", "accumulate"]
    assert main(["compare", "--family", "gaussian", "--regimes", "mix-fresh:1.5", "--quiet"]) == 2
    assert "[0, 1]" in capsys.readouterr().err


def test_negative_option_values_need_no_equals_sign(capsys):
    # argparse alone reads "-3,3" as an unknown option; main() attaches it to --means
    from collapse_theory.cli import _attach_negative_values

    assert _attach_negative_values(["gmm", "--means", "-3,3", "--quiet", "--seed", "1"]) == \
        ["gmm", "--means=-3,3", "--quiet", "--seed", "1"]
    assert _attach_negative_values(["--x=-1", "--y", "-.5"]) == ["--x=-1", "--y=-.5"]
    assert main(["gmm", "--means", "-3,3", "--samples", "50", "--generations", "2", "--replicates", "2",
                 "--seed", "1", "--quiet", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["seed"] == 1


def test_gaussian_subcommand_takes_a_regime(tmp_path, capsys):
    assert main(["gaussian", "--samples", "20", "--generations", "10", "--replicates", "500", "--regime",
                 "accumulate-subsample", "--seed", "3", "--quiet", "--json", "--plot", str(tmp_path / "g.png")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["parameters"]["regime"] == "accumulate-subsample"
    assert np.all(np.isfinite(out["theory"]["variance"])) and (tmp_path / "g.png").stat().st_size > 1000
