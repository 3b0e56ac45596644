"""Nash certificates checked against brute force and hand derivations."""

import itertools
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.certify.nash import best_responses, is_epsilon_nash, nash_certificate
from exactgames.model import ExactError, Game, make_profile, pure_profile
from exactgames.paper_games import taxi_large_groups, taxi_permits, taxi_symmetric, ten_robots


def test_taxi_half_half_is_nash_exactly():
    for g in (taxi_symmetric(), taxi_large_groups()):
        c = nash_certificate(g, make_profile(g, [["1/2", "1/2"]] * 2))
        assert c.is_nash is True and c.max_gain == 0 and c.best_deviation is None
        assert c.method == "exact rational arithmetic"


def test_taxi_permits_half_half_is_not_nash():
    g = taxi_permits()
    c = nash_certificate(g, make_profile(g, [["1/2", "1/2"]] * 2))
    # EU = p + 1 - q; at p = q = 1/2 Auto gains 1/2 by always driving to work (W)
    assert c.is_nash is False and c.max_gain == sympy.Rational(1, 2)
    assert c.best_deviation in {(0, 1), (1, 0)}


@st.composite
def small_game(draw):
    n = draw(st.integers(2, 3))
    shape = [draw(st.integers(1, 3)) for _ in range(n)]
    acts = [[f"a{k}" for k in range(m)] for m in shape]
    vals = st.integers(-3, 3)
    table = {p: tuple(draw(vals) for _ in range(n)) for p in itertools.product(*acts)}
    return Game.from_payoff_function(acts, lambda p: table[p])


@given(small_game())
@settings(max_examples=50, deadline=None)
def test_pure_nash_by_brute_force_is_certified(g):
    for prof in g.index_profiles():
        # brute force: no player has a strictly better action, reading the table directly
        brute = True
        for i in range(g.n_players):
            here = g.payoff(i, prof)
            for a in range(g.shape[i]):
                if g.payoff(i, prof[:i] + (a,) + prof[i + 1:]) > here:
                    brute = False
        cert = nash_certificate(g, pure_profile(g, prof))
        assert cert.is_nash is brute
        if not brute:
            i, a = cert.best_deviation
            gain = g.payoff(i, prof[:i] + (a,) + prof[i + 1:]) - g.payoff(i, prof)
            assert gain == cert.max_gain > 0


def test_irrational_profile_certified():
    # robot butlers' symmetric optimum (Appendix C): drink with probability 2 - sqrt(2)
    from exactgames.paper_games import robot_butlers

    g = robot_butlers()
    s = make_profile(g, [["sqrt(2) - 1", "2 - sqrt(2)"]] * 4)
    c = nash_certificate(g, s)
    assert c.is_nash is True and "arb" in c.method
    s_bad = make_profile(g, [["1/2", "1/2"]] * 4)
    assert nash_certificate(g, s_bad).is_nash is False


def test_epsilon_nash_and_best_responses():
    g = taxi_permits()
    s = [["1/2", "1/2"]] * 2
    assert is_epsilon_nash(g, s, "1/2") and not is_epsilon_nash(g, s, Fraction(49, 100))
    assert best_responses(g, s, 0) == (1,)


def test_anonymous_fifty_players_certificate():
    g = ten_robots(n=50).subs({"eps": "1/10"})
    c = nash_certificate(g, make_profile(g, ["a"] * 50))
    assert c.is_nash is True and c.max_gain == 0


def test_symbolic_certificate_has_no_verdict():
    g = taxi_symmetric()
    h = Game.from_common(g.actions, {("H", "W"): "1 + eps", ("W", "H"): 1}, symbols=["eps"])
    c = nash_certificate(h, make_profile(h, ["H", "H"]))
    assert c.is_nash is None
    with pytest.raises(ExactError):
        is_epsilon_nash(h, make_profile(h, ["H", "H"]), 0)
