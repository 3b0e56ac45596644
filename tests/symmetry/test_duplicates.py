"""Issue 14 item 15: payoff-equivalent (duplicate) actions are detected exactly, merged, and the continuum reported."""

import json
import random
import subprocess
import sys

import sympy

from exactgames.invariant_optimum import merged_optimum
from exactgames.io import write_game
from exactgames.model.game import Game
from exactgames.model.utility import expected_utility
from exactgames.optimize.api import optimize
from exactgames.symmetry.duplicates import duplicate_actions
from proofs_check.checker import check_certificate


def _games(n: int = 6, seed: int = 1):
    """A symmetric game on A, B, C (payoffs 0..3 by counts) and the same game with D a copy of C."""
    rng = random.Random(seed)
    vals: dict = {}

    def u(p):
        c = tuple(sum(1 for x in p if x == a or (a == "C" and x == "D")) for a in "ABC")
        return vals.setdefault(c, rng.randint(0, 3))

    g3 = Game.from_common([list("ABC")] * n, u)
    g4 = Game.from_common([list("ABCD")] * n, u)
    return g3, g4


def test_detection_is_exact():
    g3, g4 = _games(3)
    assert duplicate_actions(g3) == ((),) * 3
    assert duplicate_actions(g4) == (((2, 3),),) * 3
    # one payoff changed by 1/10**30: no longer a duplicate
    row = list(g4.payoffs[0])
    k = g4.index(("D", "A", "A"))
    row[k] = row[k] + sympy.Rational(1, 10**30)
    near = Game(g4.actions, (tuple(row),) * 3)
    assert duplicate_actions(near)[0] == ()


def test_merged_optimum_equals_the_game_without_the_copy_and_the_continuum_holds():
    g3, g4 = _games(6)
    opt = merged_optimum(g4, time_limit=60)
    assert opt is not None and opt.result.complete
    ref = optimize(g3, time_limit=60)  # the game without the copy, by the ordinary route
    assert ref.complete and sympy.simplify(opt.value - ref.value) == 0
    s = opt.profile[0]
    assert s[2] == s[3] and sympy.simplify(s[2] + s[3] - ref.strategies[0][2]) == 0
    # any split of C's probability between C and D has the same exact EU (computed on the full game)
    for t in (sympy.Integer(0), sympy.Rational(1, 3), sympy.Integer(1)):
        prof = [(s[0], s[1], (s[2] + s[3]) * t, (s[2] + s[3]) * (1 - t))] * 6
        assert sympy.simplify(expected_utility(g4, prof) - opt.value) == 0
    assert "players 1-6: {C, D}" in opt.continuum_text
    d = json.loads(json.dumps(opt.to_json()))
    assert d["optimum_over"] == "P-invariant profiles" and d["duplicates"][0] == {"player": 1, "actions": ["C", "D"]}
    rep = check_certificate(g4, d)
    assert rep.ok, rep.errors
    assert any("payoff-equivalent" in c for c in rep.checks)


def test_forged_merge_refused():
    # a generator that renames actions of two players at once is not a merge: its invariant optimum may be lower
    g = Game.from_common([["a", "b"]] * 2, {("a", "a"): 1, ("b", "b"): 1})
    from exactgames.invariant_optimum import invariant_optimum

    d = json.loads(json.dumps(invariant_optimum(g, "(1:a 1:b)(2:a 2:b)").to_json()))
    assert d["value"] == "1/2" and check_certificate(g, d).ok  # true as an invariant optimum
    d.update(optimum_over="P-invariant profiles", duplicates=[])
    rep = check_certificate(g, d)
    assert not rep.ok and "neither follows the action names nor moves the actions of a single player" in rep.errors[0]


def test_cli_solves_the_duplicated_game(tmp_path):
    # before: complete false with a loose enclosure (the copy makes the branch and bound stall)
    _, g4 = _games(6)
    path = tmp_path / "dup.toml"
    write_game(g4, str(path))
    run = subprocess.run([sys.executable, "-m", "exactgames.cli", "optimize", str(path), "--json", "--time-limit", "60"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    d = json.loads(run.stdout)
    assert d["complete"] is True and "continuum" in d and d["duplicates"]
    res = tmp_path / "dup.json"
    res.write_text(run.stdout)
    ver = subprocess.run([sys.executable, "-m", "exactgames.cli", "verify", str(path), str(res)], capture_output=True, text=True)
    assert ver.returncode == 0 and "certificate ACCEPTED" in ver.stdout, ver.stdout + ver.stderr



def test_cli_text_names_the_continuum(tmp_path, capsys):
    from exactgames.cli import main

    g = Game.from_common([["A", "B", "B2"]] * 3, lambda p: 2 * int(all(x in ("B", "B2") for x in p)) + int(p.count("A") == 3))
    path = tmp_path / "dup3.toml"
    write_game(g, str(path))
    assert main(["optimize", str(path)]) == 0
    text = capsys.readouterr().out
    assert "duplicate actions: merged" in text and "value:      2" in text
    assert "continuum of maximisers" in text and "players 1-3: {B, B2}" in text
