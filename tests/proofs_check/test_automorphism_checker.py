"""verify checks optimize --automorphisms results (issue 15): every true answer verifies, every forged field is refused."""

import copy
import glob
import json
import random
import subprocess
import sys

import pytest

from exactgames import paper_games
from exactgames.invariant_optimum import invariant_optimum
from exactgames.io import read_game
from exactgames.model.game import Game
from proofs_check.automorphism_conjecture import KINDS, planted_game
from proofs_check.checker import check_certificate

BOS = "examples/games/battle_of_the_sexes_team.toml"


def _json(opt):
    return json.loads(json.dumps(opt.to_json()))


def _games():
    for f in sorted(glob.glob("examples/games/*.nfg") + glob.glob("examples/games/*.toml")):
        g = read_game(f)
        if not g.parameters and g.is_common_payoff:
            yield f, g
    for fn in (paper_games.robot_butlers, paper_games.taxi_symmetric, paper_games.taxi_permits, paper_games.veil_of_ignorance):
        yield fn.__name__, fn()
    for seed, kind in enumerate(KINDS):
        g, _ = planted_game(random.Random(100 + seed), kind)
        yield kind, g


@pytest.mark.parametrize("name,game", list(_games()))
def test_every_true_answer_verifies(name, game):
    d = _json(invariant_optimum(game, "all", time_limit=30))
    assert d["complete"] is True and d["kind"] == "automorphism-invariant-v1"
    rep = check_certificate(game, d)
    assert rep.ok, (name, rep.errors)
    assert any("verified exactly on all" in c for c in rep.checks)
    assert "subgroup" in rep.not_proved


@pytest.fixture(scope="module")
def bos():
    g = read_game(BOS)
    return g, _json(invariant_optimum(g, "all"))


def _refused(game, d, *words):
    rep = check_certificate(game, d)
    assert not rep.ok, "a forged certificate was accepted"
    assert all(w in rep.errors[0] for w in words), rep.errors
    return rep.errors[0]


def test_bos_true_answer(bos):
    g, d = bos
    assert d["value"] == "9/5" and d["automorphisms"] == ["(1 2)(1:O 2:F)(1:F 2:O)"]
    assert check_certificate(g, d).ok


def test_wrong_generator_refused(bos):
    g, d = bos
    f = copy.deepcopy(d)
    f["generators"][0]["actions"] = [[0, 1], [0, 1]]  # (1 2) alone: u(O,F) = 0 != u(F,O) = 1
    _refused(g, f, "generators[0]", "not an automorphism", "(O, F)")


def test_wrong_action_map_refused(bos):
    g, d = bos
    f = copy.deepcopy(d)
    f["generators"][0]["actions"] = [[1, 0], [0, 1]]
    _refused(g, f, "not an automorphism")
    f["generators"][0]["actions"] = [[1, 1], [1, 0]]
    _refused(g, f, "not a bijection")


def test_generator_text_must_match(bos):
    g, d = bos
    f = copy.deepcopy(d)
    f["automorphisms"] = ["(1 2)"]
    _refused(g, f, "automorphisms")


def test_wrong_value_refused(bos):
    g, d = bos
    f = copy.deepcopy(d)
    f["value"] = "2"
    _refused(g, f, "value")
    f = copy.deepcopy(d)
    f["reduced_result"]["value"] = "2"
    f["value"] = "2"
    _refused(g, f, "value")


def test_off_subspace_profile_refused(bos):
    g, d = bos
    f = copy.deepcopy(d)
    f["profile"] = [["2/5", "3/5"], ["2/5", "3/5"]]  # not invariant under the swap of players and actions
    _refused(g, f, "profile[1]", "not the lift")
    f["profile"] = [["3/5", "2/5"], ["2/5", "3/5"]]  # invariant, but not the proved maximiser
    _refused(g, f, "profile[0]")


def test_forged_subspace_refused(bos):
    g, d = bos
    f = copy.deepcopy(d)
    f["blocks"] = [[[0], [1]], [[0], [1]]]
    _refused(g, f, "blocks")
    f = copy.deepcopy(d)
    f["generators"], f["automorphisms"] = [], ["()"]  # no group: the players are not one orbit
    _refused(g, f, "orbits")


def test_incomplete_refused(bos):
    g, d = bos
    f = copy.deepcopy(d)
    f["complete"] = False
    _refused(g, f, "complete")


def test_lower_local_max_refused():
    # EU on the invariant line s_1 = (p, 1-p), s_2 = (1-p, p) is 2p^2 + (1-p)^2: p = 0 is a strict local maximum
    # (value 1, derivative -2), the optimum is p = 1 (value 2)
    g = Game.from_common([["O", "F"]] * 2, {("O", "F"): 2, ("F", "O"): 1})
    d = _json(invariant_optimum(g, "(1 2)(1:O 2:F)(1:F 2:O)"))
    assert d["value"] == "2" and check_certificate(g, d).ok
    f = copy.deepcopy(d)
    r = f["reduced_result"]
    r.update(value="1", value_interval=["1", "1"], strategies=[{"O": "0", "F": "1"}], support=[["F"]], mixed=False,
             ties=[], certificate={})
    f["value"] = "1"
    f["profile"] = [["0", "1"], ["1", "0"]]
    err = _refused(g, f)
    assert "subdivision" in err or "not proved" in err or "above" in err, err


def test_cli_verify_in_a_process_without_the_optimiser(tmp_path):
    out = subprocess.run([sys.executable, "-m", "exactgames.cli", "optimize", BOS, "--automorphisms", "all", "--json"],
                         capture_output=True, text=True, check=True).stdout
    res = tmp_path / "bos.json"
    res.write_text(out)
    code = ("import sys, json; from exactgames.cli import main; "
            f"rc = main(['verify', {BOS!r}, {str(res)!r}]); "
            "bad = sorted(m for m in sys.modules if m.split('.')[:2] in (['exactgames', 'optimize'], ['exactgames', 'certify'], "
            "['exactgames', 'symmetry'])); print('MODULES', json.dumps(bad)); sys.exit(rc)")
    got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert got.returncode == 0, got.stdout + got.stderr
    assert "certificate ACCEPTED" in got.stdout
    line = next(x for x in got.stdout.splitlines() if x.startswith("MODULES"))
    assert json.loads(line.split(" ", 1)[1]) == []
