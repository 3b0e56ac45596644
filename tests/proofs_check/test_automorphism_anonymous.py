"""Automorphism-invariant optima of anonymous (count-form) games, without the dense table (issue 15)."""

import copy
import json

import sympy

from exactgames.invariant_optimum import invariant_optimum
from exactgames.model.game import AnonymousGame
from exactgames.symmetry.invariant import reduce_game
from proofs_check.checker import check_certificate


def _game(n=5):
    # b and c are interchangeable; a is special: the renaming (b c) is an automorphism, (a b) is not
    return AnonymousGame.from_function(n, ["a", "b", "c"], lambda c: c[1] * c[2] + 2 * c[0] * (c[1] + c[2]) + (9 if c[0] == n else 0))


def _json(opt):
    return json.loads(json.dumps(opt.to_json()))


def test_count_form_reduction_matches_dense_reduction():
    g = _game(4)
    red = reduce_game(g, "all")
    assert isinstance(red.game, AnonymousGame) and red.game.actions == ("a", "b+c")
    dense = reduce_game(g.to_dense(), "all")  # the dense route: averages over the expanded table
    assert dense.game.actions[0] == ("a", "b+c")
    for prof_idx, v in enumerate(dense.game.payoffs[0]):
        k = [int(x) for x in format(prof_idx, "04b")]  # 0 = a, 1 = b+c per player, player 1 most significant
        assert red.game.value((k.count(0), k.count(1))) == v


def test_true_answer_verifies_and_agrees_with_dense_route():
    g = _game(5)
    opt = invariant_optimum(g, "all")
    d = _json(opt)
    rep = check_certificate(g, d)
    assert rep.ok, rep.errors
    assert any("count vectors" in c for c in rep.checks)
    assert sympy.simplify(opt.value - invariant_optimum(g.to_dense(), "all").value) == 0
    assert opt.profile[0][1] == opt.profile[0][2]  # b and c share the block


def test_forgeries_refused():
    g = _game(5)
    d = _json(invariant_optimum(g, "all"))
    bad = copy.deepcopy(d)  # a renaming that is not an automorphism: a <-> b for every player
    bad["generators"].append({"players": list(range(5)), "actions": [[1, 0, 2]] * 5})
    rep = check_certificate(g, bad)
    assert not rep.ok and "not an automorphism" in rep.errors[0]
    bad = copy.deepcopy(d)
    bad["value"] = "1000"  # above every payoff
    rep = check_certificate(g, bad)
    assert not rep.ok and "value" in rep.errors[0]
    bad = copy.deepcopy(d)  # b and c split unequally: off the invariant subspace
    b, c = bad["profile"][0][1], bad["profile"][0][2]
    bad["profile"] = [[s[0], f"({b}) + 1/10", f"({c}) - 1/10"] for s in bad["profile"]]
    assert not check_certificate(g, bad).ok


def test_fifty_players_not_expanded():
    from exactgames.io import read_game

    g = read_game("examples/games/fifty_players.toml")
    red = reduce_game(g, "all")
    assert red.game.actions == ("a", "b+c") and len(red.game.payoff) == 51
