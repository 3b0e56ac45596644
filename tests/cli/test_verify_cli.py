"""`exactgames verify`: the independent checker accepts optimize's certificate and refuses tampered ones."""

import json
from fractions import Fraction

from exactgames.cli import main
from exactgames.experiments.generators import generate
from exactgames.io import write_game


def _optimize_json(tmp_path, capsys, seed):
    game_path = tmp_path / f"g{seed}.toml"
    write_game(generate("random", 3, 3, seed), game_path)
    assert main(["optimize", str(game_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    return game_path, data


def test_verify_accepts_then_refuses_tampering(tmp_path, capsys):
    game_path, data = _optimize_json(tmp_path, capsys, seed=2)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(data))
    assert main(["verify", str(game_path), str(good), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True

    lo, hi = (Fraction(x) for x in data["value_interval"])
    data["value_interval"] = [str(lo + Fraction(1, 10**6)), str(hi + Fraction(1, 10**6))]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    assert main(["verify", str(game_path), str(bad)]) == 1
    assert "REFUSED" in capsys.readouterr().out


def test_verify_bad_json_is_an_input_error(tmp_path, capsys):
    game_path, _ = _optimize_json(tmp_path, capsys, seed=3)
    broken = tmp_path / "broken.json"
    broken.write_text('{"value": "1",\n "certificate": ')
    assert main(["verify", str(game_path), str(broken)]) == 2
    err = capsys.readouterr().err
    assert "broken.json: line 2" in err


def test_ties_and_continuum_examples_end_to_end(tmp_path, capsys):
    """The example files with tied and continuous optima: optimize proves them, verify accepts the proof."""
    import pathlib

    games = pathlib.Path(__file__).resolve().parents[2] / "examples" / "games"
    for name, check in (
        ("face_continuum.toml", lambda d: any("whole face {a,b}" in t for t in d["ties"])),
        ("pure_coordination.toml", lambda d: sorted(d["ties"]) == ["((0, 0, 1),)", "((0, 1, 0),)"]),
    ):
        assert main(["optimize", str(games / name), "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["complete"] and data["value"] in ("1", "3") and check(data), data["ties"]
        path = tmp_path / (name + ".json")
        path.write_text(json.dumps(data))
        assert main(["verify", str(games / name), str(path), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["ok"] is True


def test_verify_accepts_the_certificate_first(tmp_path, capsys):
    game_path, data = _optimize_json(tmp_path, capsys, seed=4)
    cert = tmp_path / "cert.json"
    cert.write_text(json.dumps(data))
    assert main(["verify", str(cert), str(game_path), "--json"]) == 0  # `verify CERT.json GAME` as well
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_set_values_are_recorded_and_checked(tmp_path, capsys):
    import pathlib

    game = str(pathlib.Path(__file__).resolve().parents[2] / "examples" / "games" / "ten_robots.toml")
    assert main(["optimize", game, "--set", "eps=1/2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["parameters"] == {"eps": "1/2"}
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data))
    assert main(["verify", game, str(path)]) == 0  # the recorded value is used
    capsys.readouterr()
    assert main(["verify", game, str(path), "--set", "eps=2"]) == 2
    assert "computed with eps=1/2" in capsys.readouterr().err
    del data["parameters"]
    path.write_text(json.dumps(data))
    assert main(["verify", game, str(path)]) == 2
    assert "--set NAME=VALUE" in capsys.readouterr().err
    assert main(["verify", game, str(path), "--set", "eps=1/2"]) == 0
