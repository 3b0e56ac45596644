"""Definition 5.0.3 (degeneracy) against hand derivations and brute force."""

import itertools
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.certify.degeneracy import game_degeneracy, profile_degeneracy
from exactgames.model import ExactError, Game, make_profile, pure_profile
from exactgames.paper_games import example_5_0_5, robot_butlers, taxi_large_groups, taxi_symmetric, ten_robots


def test_example_5_0_5_aa_is_degenerate_for_several_eps():
    # u(a, a) = u(b, a) = u(c, a) = 1: both players indifferent between a and b, c
    for e in ["1/2", "1/3", "3"]:
        g = example_5_0_5(e)
        d = profile_degeneracy(g, pure_profile(g, ["a", "a"]))
        assert d.degenerate is True and d.case == "deterministic"
        assert {i for i, _, _ in d.witness["indifferent"]} == {0, 1}


def test_taxi_half_half_is_nondegenerate_and_witness_is_real():
    for g in (taxi_symmetric(), taxi_large_groups()):
        s = make_profile(g, [["1/2", "1/2"]] * 2)
        d = profile_degeneracy(g, s)
        assert d.degenerate is False and d.case == "mixed"
        i, others, (a1, a2), (v1, v2) = d.witness["player"], d.witness["others"], d.witness["actions"], d.witness["values"]
        prof1 = [others.get(j, a1) for j in range(2)]
        prof2 = [others.get(j, a2) for j in range(2)]
        assert g.payoff(i, prof1) == v1 and g.payoff(i, prof2) == v2 and v1 != v2


def test_robot_butlers_optimum_is_mixed_nondegenerate():
    g = robot_butlers()
    d = profile_degeneracy(g, make_profile(g, [["sqrt(2)-1", "2-sqrt(2)"]] * 4))
    assert d.case == "mixed" and d.degenerate is False
    assert "algebraic" not in d.method or "certified" in d.method


def test_constant_game_mixed_profile_is_degenerate():
    g = Game.from_common([["a", "b"]] * 3, lambda p: 7)
    d = profile_degeneracy(g, make_profile(g, [["1/3", "2/3"], ["1/2", "1/2"], "a"]))
    assert d.degenerate is True and d.case == "mixed"


def test_not_nash_has_no_degeneracy_verdict():
    g = taxi_symmetric()
    d = profile_degeneracy(g, pure_profile(g, ["H", "H"]))
    assert d.degenerate is None and d.case == "not a Nash equilibrium"


def test_parameters_are_refused():
    with pytest.raises(ExactError, match="parameters"):
        profile_degeneracy(example_5_0_5(), pure_profile(example_5_0_5(), ["a", "a"]))


def test_ten_robots_all_a_nondegenerate():
    g = ten_robots().subs({"eps": "1/10"})
    assert profile_degeneracy(g, pure_profile(g, ["a"] * 10)).degenerate is False


def test_game_level():
    assert game_degeneracy(example_5_0_5("1/2")).degenerate is True
    assert game_degeneracy(taxi_symmetric()).degenerate is False
    assert game_degeneracy(taxi_large_groups()).degenerate is False
    # a mixed-only degenerate equilibrium: player 1 indifferent everywhere, player 2's
    # payoffs make every pure profile have at most one indifferent player
    g = Game(
        [["a", "b"], ["c", "d"]],
        [[sympy.Integer(x) for x in row] for row in ([1, 1, 1, 1], [1, 0, 0, 1])],
    )
    r = game_degeneracy(g)
    # player 2 best-responds to player 1: mixing (1/2, 1/2) by player 1 makes player 2 indifferent;
    # player 1 is indifferent pointwise, so condition (ii) holds on full supports
    assert r.degenerate is True
    assert brute_nash(g, r.witness)


def brute_nash(game, profile):
    """Nash by brute force with Fractions (independent of the library's utility code)."""
    n = game.n_players
    prof = [[Fraction(int(p.p), int(p.q)) for p in s] for s in profile]

    def eu(i, prof):
        tot = Fraction(0)
        for idx in itertools.product(*(range(len(a)) for a in game.actions)):
            w = Fraction(1)
            for j, k in enumerate(idx):
                w *= prof[j][k]
            u = game.payoff(i, idx)
            tot += w * Fraction(int(u.p), int(u.q))
        return tot

    for i in range(n):
        base = eu(i, prof)
        for b in range(len(game.actions[i])):
            dev = [list(s) for s in prof]
            dev[i] = [Fraction(int(k == b)) for k in range(len(game.actions[i]))]
            if eu(i, dev) > base:
                return False
    return True


small = st.integers(min_value=-2, max_value=2)


@settings(max_examples=20, deadline=None)
@given(st.lists(small, min_size=8, max_size=8))
def test_game_level_2x2_against_grid_search(vals):
    # general-sum 2x2 game; the grid search can only find witnesses, never refute one
    g = Game([["a", "b"], ["c", "d"]], [[sympy.Integer(v) for v in vals[:4]], [sympy.Integer(v) for v in vals[4:]]])
    r = game_degeneracy(g)
    assert r.degenerate in (True, False)
    if r.degenerate:
        assert brute_nash(g, r.witness)
        assert profile_degeneracy(g, r.witness).degenerate is True
    else:
        grid = [Fraction(k, 6) for k in range(7)]
        for p, q in itertools.product(grid, grid):
            prof = make_profile(g, [[p, 1 - p], [q, 1 - q]])
            if brute_nash(g, prof):
                d = profile_degeneracy(g, prof)
                assert d.degenerate is False
