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
