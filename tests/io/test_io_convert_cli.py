"""Tests of ``exactgames convert`` (exactgames/cli/convert.py) and of ``check`` on the example taxi file."""

from __future__ import annotations

import json
from pathlib import Path

import sympy

from exactgames.cli import main
from exactgames.io.nfg import read_nfg
from exactgames.io.toml_game import read_toml

GAMES = Path(__file__).resolve().parents[2] / "examples" / "games"


def test_nfg_to_toml_to_nfg(tmp_path, capsys):
    src = GAMES / "veil_of_ignorance.nfg"
    toml_path, nfg_path = tmp_path / "veil.toml", tmp_path / "veil.nfg"
    assert main(["convert", str(src), str(toml_path)]) == 0
    assert 'form = "dense"' in toml_path.read_text()
    assert main(["convert", str(toml_path), str(nfg_path), "--version", "outcome", "--json"]) == 0
    out = capsys.readouterr().out
    summary = json.loads(out[out.index("{"):])
    assert summary["format"] == "nfg" and summary["nfg_version"] == "outcome" and summary["pure_profiles"] == 16
    a, b = read_nfg(src), read_nfg(nfg_path)
    assert a.actions == b.actions and a.payoffs == b.payoffs and a.title == b.title
    # Appendix A by hand: both always cautious -> expected sum (4+4)/2*1/4 + (4+6)/2*1/2 + (6+6)/2*1/4 = 5
    assert b.payoff(0, ("CC", "CC")) == 5


def test_parametric_game_to_nfg_refused_then_allowed_with_set(tmp_path, capsys):
    out = tmp_path / "robots.nfg"
    assert main(["convert", str(GAMES / "ten_robots.toml"), str(out)]) == 2
    err = capsys.readouterr().err
    assert "has parameters (eps)" in err and "--set" in err
    assert not out.exists()
    assert main(["convert", str(GAMES / "ten_robots.toml"), str(out), "--set", "eps=1/10", "--version", "outcome"]) == 0
    g = read_nfg(out)
    assert g.n_players == 10 and g.n_profiles == 3**10
    assert g.payoff(4, ("c",) * 3 + ("b",) + ("c",) * 6) == sympy.Rational(11, 10)
    assert g.payoff(0, ("a",) * 10) == 1
    assert g.payoff(0, ("a",) * 9 + ("b",)) == 0


def test_toml_to_toml_and_json_summary(tmp_path, capsys):
    out = tmp_path / "ex.toml"
    assert main(["convert", str(GAMES / "example_5_0_5.toml"), str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary == {
        "input": str(GAMES / "example_5_0_5.toml"),
        "output": str(out),
        "format": "toml",
        "form": "dense",
        "n_players": 2,
        "pure_profiles": 9,
        "parameters": ["eps"],
    }
    g = read_toml(out)
    eps = sympy.Symbol("eps", positive=True)
    assert g.payoff(1, ("c", "b")) == 1 + eps and g.payoff(0, ("b", "b")) == -10


def test_usage_errors_exit_2(tmp_path, capsys):
    src = str(GAMES / "taxi_symmetric.nfg")
    assert main(["convert", src, str(tmp_path / "x.csv")]) == 2
    assert "unknown output type '.csv'" in capsys.readouterr().err
    assert main(["convert", src, str(tmp_path / "x.toml"), "--version", "outcome"]) == 2
    assert "--version applies only to .nfg output" in capsys.readouterr().err
    bad = tmp_path / "bad.nfg"
    bad.write_text('NFG 1 R "t" { "1" "2" } { 2 2 }\n1 2 3\n')
    assert main(["convert", str(bad), str(tmp_path / "y.toml")]) == 2
    assert "bad.nfg, line 2, column 6: file ends early" in capsys.readouterr().err
    assert main(["convert", str(tmp_path / "missing.nfg"), str(tmp_path / "z.toml")]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.nfg"]


def test_check_certifies_taxi_half_half_from_the_example_file(capsys):
    path = str(GAMES / "taxi_symmetric.nfg")
    assert main(["check", path, "--profile", "sym: H=1/2, W=1/2", "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["nash"] is True and rep["max_gain"] == "0"
    # By hand (Table 1b, payoff = groups driven: 1 if both go to the same place, 2 otherwise):
    # against q = 1/2, H earns 1/2*1 + 1/2*2 = 3/2 and W earns 1/2*2 + 1/2*1 = 3/2, so no gain.
    assert rep["deviation_payoffs"] == [["3/2", "3/2"], ["3/2", "3/2"]]
    assert main(["check", path, "--profile", "H; H", "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["nash"] is False and rep["max_gain"] == "1"  # switching to W serves both groups


def test_taxi_half_half_is_an_equilibrium_for_gambit_too():
    import pytest

    gbt = pytest.importorskip("pygambit")
    g = gbt.read_nfg(str(GAMES / "taxi_symmetric.nfg"))
    eqa = gbt.nash.enummixed_solve(g, rational=True).equilibria
    probs = [[[eq[p][s] for s in g.get_strategies(p)] for p in g.players] for eq in eqa]  # pygambit 17: labels
    half = sympy.Rational(1, 2)
    assert [[half, half], [half, half]] in [[[sympy.Rational(x.numerator, x.denominator) for x in pl] for pl in e] for e in probs]
