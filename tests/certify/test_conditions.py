"""Tests of exactgames.certify.conditions against independent verdicts at sampled parameter values.

Expected answers come from other routes: the Nash certificate, the
degeneracy verdict and the exact local-optimality decision of the certify
layer (applied to the game with the parameters substituted), explicit
improving deviations computed here, and hand derivations stated in comments.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.certify.conditions import ConditionsError, evaluate_condition, profile_conditions
from exactgames.certify.degeneracy import profile_degeneracy
from exactgames.certify.local_symmetric import locally_optimal_symmetric
from exactgames.certify.nash import nash_certificate
from exactgames.model.game import Game
from exactgames.model.profile import make_profile
from exactgames.model.utility import expected_utility
from exactgames.paper_games import example_5_0_5

HALF = ["0", "1/2", "1/2"]


def _two_param_game() -> Game:
    """Example 5.0.5 with the -10 on the diagonal replaced by -delta: parameters eps and delta, both positive."""
    table = {
        ("a", "a"): "1", ("a", "b"): "1", ("a", "c"): "1",
        ("b", "a"): "1", ("b", "b"): "-delta", ("b", "c"): "1 + eps",
        ("c", "a"): "1", ("c", "b"): "1 + eps", ("c", "c"): "-delta",
    }
    syms = {"eps": sympy.Symbol("eps", positive=True), "delta": sympy.Symbol("delta", positive=True)}
    g = Game.from_common([["a", "b", "c"]] * 2, table, title="Example 5.0.5, two parameters", symbols=syms)
    return Game(g.actions, g.payoffs, g.players, g.title, (("eps", "positive"), ("delta", "positive")))


def test_example_505_pure_aa():
    c = profile_conditions(example_5_0_5(), [["1", "0", "0"]] * 2, orbits=[[0, 1]])
    # (a, a): every deviation pays 1 = EU, so Nash for every eps and degenerate (both players indifferent)
    assert c.nash is sympy.true
    assert c.nondegenerate is sympy.false
    assert c.local_first_order is sympy.true
    # by hand: on x = (1 - u - w, u, w) the EU is 1 - 11u**2 - 11w**2 + 2 eps u w, a strict local maximum at
    # u = w = 0 iff eps < 11, a (non-strict) local maximum iff eps <= 11
    assert c.as_intervals()["local_sufficient"] == "Interval.open(0, 11)"
    assert c.as_intervals()["local_necessary"] == "Interval.Lopen(0, 11)"
    for e in ("1/2", "3", "12"):
        g = example_5_0_5(e)
        prof = make_profile(g, [["1", "0", "0"]] * 2)
        assert nash_certificate(g, prof).is_nash is True
        assert profile_degeneracy(g, prof).degenerate is True
        v = c.holds_at({"eps": e})
        loc = locally_optimal_symmetric(g, prof, [[0, 1]]).locally_optimal
        assert loc is (True if v["local_sufficient"] else loc)
        if not v["local_necessary"]:
            assert loc is False
            d = Fraction(1, 1000)
            better = make_profile(g, [[1 - 2 * d, d, d]] * 2)
            assert expected_utility(g, better) > expected_utility(g, prof)


def test_example_505_mixed_threshold():
    c = profile_conditions(example_5_0_5(), [HALF, HALF], orbits=[[0, 1]])
    eps = c.parameters[0]
    # by hand: deviation to a pays 1, to b or c pays (eps - 9)/2: Nash iff eps >= 11;
    # face Hessian -44 - 4 eps < 0 always, so strict local optimum iff eps > 11
    assert evaluate_condition(c.nash, {eps: 11}) and not evaluate_condition(c.nash, {eps: sympy.Rational(10999, 1000)})
    assert c.as_intervals()["local_sufficient"] == "Interval.open(11, oo)"
    for e in (Fraction(21, 2), Fraction(11), Fraction(23, 2), Fraction(40)):
        v = c.holds_at({"eps": f"{e.numerator}/{e.denominator}"})
        g = example_5_0_5(f"{e.numerator}/{e.denominator}")
        prof = make_profile(g, [HALF, HALF])
        assert v["nash"] == nash_certificate(g, prof).is_nash
        loc = locally_optimal_symmetric(g, prof, [[0, 1]]).locally_optimal
        if v["local_sufficient"]:
            assert loc is True
        if not v["local_necessary"]:
            assert loc is False
            # explicit improving symmetric deviation toward a
            d = Fraction(1, 10**6)
            better = make_profile(g, [[d, (1 - d) / 2, (1 - d) / 2]] * 2)
            assert expected_utility(g, better) > expected_utility(g, prof)
        if v["nash"]:
            assert v["nondegenerate"] == (profile_degeneracy(g, prof).degenerate is False)
    assert c.holds_at({"eps": 12})["local_sufficient"] and not c.holds_at({"eps": 11})["local_sufficient"]
    assert c.holds_at({"eps": 11})["local_necessary"]


def test_two_parameter_variant_closed_form():
    g = _two_param_game()
    c = profile_conditions(g, [HALF, HALF], orbits=[[0, 1]])
    eps, delta = sympy.Symbol("eps", positive=True), sympy.Symbol("delta", positive=True)
    # by hand: off-support gradient 2 versus 1 + eps - delta on the support; face Hessian -4(1 + eps + delta) < 0
    for e, dl, want in ((3, 1, True), (2, 1, False), (5, 3, True), (1, 1, False)):
        assert evaluate_condition(c.local_sufficient, {eps: e, delta: dl}) is want
    assert evaluate_condition(c.nash, {eps: 2, delta: 1}) is True  # boundary: Nash (tight), not strict
    assert c.nondegenerate is sympy.true  # payoffs -delta and 1 + eps differ for positive parameters
    js = c.to_json()
    assert set(js) >= {"nash", "local_sufficient", "local_necessary", "nondegenerate", "valid"}
    assert js["parameters"] == ["delta", "eps"]


@settings(max_examples=8, deadline=None)
@given(st.fractions(min_value=Fraction(1, 4), max_value=8, max_denominator=12), st.fractions(min_value=Fraction(1, 4), max_value=8, max_denominator=12))
def test_two_parameter_variant_matches_independent_verdicts(e, dl):
    g = _two_param_game()
    c = profile_conditions(g, [HALF, HALF], orbits=[[0, 1]])
    v = c.holds_at({"eps": f"{e.numerator}/{e.denominator}", "delta": f"{dl.numerator}/{dl.denominator}"})
    g0 = g.subs({"eps": f"{e.numerator}/{e.denominator}", "delta": f"{dl.numerator}/{dl.denominator}"})
    prof = make_profile(g0, [HALF, HALF])
    assert v["nash"] == nash_certificate(g0, prof).is_nash
    loc = locally_optimal_symmetric(g0, prof, [[0, 1]]).locally_optimal
    if v["local_sufficient"]:
        assert loc is True
    if not v["local_necessary"]:
        assert loc is False


def test_mixed_degenerate_profile():
    # Table 1b with the diagonal payoff p: against H, playing H pays p and W pays 2, so mixing matters
    # unless p = 2 -- (1/2, 1/2) is degenerate exactly for p = 2
    p = sympy.Symbol("p")
    g = Game.from_common([["H", "W"]] * 2, {("H", "H"): "p", ("H", "W"): 2, ("W", "H"): 2, ("W", "W"): "p"}, symbols={"p": p})
    c = profile_conditions(g, [["1/2", "1/2"]] * 2, orbits=[[0, 1]])
    assert c.nash is sympy.true
    assert evaluate_condition(c.nondegenerate, {p: 2}) is False
    assert evaluate_condition(c.nondegenerate, {p: 1}) is True
    for val in ("0", "3/2", "2", "5"):
        g0 = g.subs({"p": val})
        assert c.holds_at({"p": val})["nondegenerate"] == (profile_degeneracy(g0, make_profile(g0, [["1/2", "1/2"]] * 2)).degenerate is False)


def test_errors_name_the_problem():
    g = example_5_0_5()
    with pytest.raises(ConditionsError, match="player 2: 2 probabilities, expected 3"):
        profile_conditions(g, [["1", "0", "0"], ["1", "0"]], orbits=[[0, 1]])
    with pytest.raises(ConditionsError, match="not P-invariant"):
        profile_conditions(g, [["1", "0", "0"], ["0", "1", "0"]], orbits=[[0, 1]])
    # orbits default to Γ(G)'s (issue 14, item 10), as for optimize
    assert profile_conditions(g, [["1", "0", "0"]] * 2) == profile_conditions(g, [["1", "0", "0"]] * 2, orbits=[[0, 1]])
    c = profile_conditions(g, [["1", "0", "0"]] * 2, orbits=[[0, 1]])
    with pytest.raises(ConditionsError, match="values missing"):
        c.holds_at({})
    with pytest.raises(ConditionsError, match="no parameter 'x'"):
        c.holds_at({"x": 1, "eps": 1})
