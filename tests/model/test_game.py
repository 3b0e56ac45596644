"""Tests of the dense and anonymous game representations."""

import itertools
import math
import time

import pytest
import sympy

from exactgames.model import AnonymousGame, ExactError, FloatRefusedError, Game, count_vectors, multinomial
from exactgames.paper_games import ten_robots


def test_dense_storage_order_and_lookup():
    g = Game.from_common([["a", "b"], ["x", "y", "z"]], lambda p: f"{'ab'.index(p[0])}*10 + {'xyz'.index(p[1])}")
    assert [g.payoff(0, p) for p in g.profiles()] == [0, 1, 2, 10, 11, 12]
    assert g.index(("b", "y")) == 4 and g.index((1, 1)) == 4
    with pytest.raises(ExactError, match="no action 'q'"):
        g.payoff(0, ("q", "x"))


def test_float_payoff_refused_with_location():
    with pytest.raises(FloatRefusedError, match=r"profile \('a', 'a'\)"):
        Game.from_common([["a", "b"]] * 2, {("a", "a"): 0.5})


def test_general_payoff_and_common_detection():
    g = Game.from_payoff_function([["x", "y"]] * 2, lambda p: (1, 1) if p[0] == p[1] else (0, 0))
    assert g.is_common_payoff
    h = Game.from_payoff_function([["x", "y"]] * 2, lambda p: (1, 0) if p[0] == p[1] else (0, 1))
    assert not h.is_common_payoff


def test_symbolic_payoffs_and_substitution():
    g = Game.from_common([["a", "b"]] * 2, {("a", "b"): "1 + eps"}, symbols=["eps"])
    assert [str(s) for s in g.parameters] == ["eps"] and not g.is_rational
    h = g.subs({"eps": "1/3"})
    assert h.is_rational and h.payoff(1, ("a", "b")) == sympy.Rational(4, 3)
    with pytest.raises(ExactError, match="no parameter 'delta'"):
        g.subs({"delta": 1})


def test_count_vectors_and_multinomial():
    for n, m in [(3, 2), (4, 3), (5, 4)]:
        vecs = list(count_vectors(n, m))
        assert len(vecs) == math.comb(n + m - 1, m - 1) == len(set(vecs))
        # multinomials sum to m^n (independent identity)
        assert sum(multinomial(c) for c in vecs) == m**n


def test_anonymous_matches_dense_expansion():
    g = AnonymousGame.from_function(4, ["a", "b", "c"], lambda c: c[0] * 3 - c[2] ** 2 + c[1] * c[2])
    d = g.to_dense()
    for prof in itertools.product(range(3), repeat=4):
        c = [prof.count(k) for k in range(3)]
        assert d.payoff(0, prof) == c[0] * 3 - c[2] ** 2 + c[1] * c[2]


def test_anonymous_fifty_players_is_compact():
    t = time.perf_counter()
    g = ten_robots(n=50)
    assert len(g.payoff) == math.comb(52, 2) == 1326
    assert g.n_profiles == 3**50
    assert time.perf_counter() - t < 30  # generous: it must not expand 3^50 profiles
    with pytest.raises(ExactError, match="exceed"):
        g.to_dense()


def test_anonymous_validation_messages():
    with pytest.raises(ExactError, match="no payoff for count vector"):
        AnonymousGame.from_function(2, ["a", "b"], {(2, 0): 1})
    with pytest.raises(ExactError, match="summing to 2"):
        AnonymousGame.from_function(2, ["a", "b"], {(3, 0): 1}, default=0)
