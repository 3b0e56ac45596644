"""profile_verdicts / attach_verdicts on the paper's games (expectations from the paper's text, re-derived)."""

from fractions import Fraction

import sympy

from exactgames.certify.verdicts import attach_verdicts, profile_verdicts
from exactgames.model import make_profile, pure_profile
from exactgames.optimize.result import OptimumResult
from exactgames.paper_games import robot_butlers, ten_robots, veil_of_ignorance


def test_robot_butlers_symmetric_optimum_verdicts():
    # Appendix C: drink with probability 2 - sqrt(2) is the optimum among rotation-invariant profiles
    g = robot_butlers()
    s = make_profile(g, [["sqrt(2)-1", "2-sqrt(2)"]] * 4)
    v = profile_verdicts(g, s, orbits=[[0, 1, 2, 3]])
    assert v["nash"] is True and v["max_gain"] == 0
    assert v["degenerate"] is False and v["locally_optimal_symmetric"] is True
    assert v["locally_optimal_asymmetric"] is False
    assert v["details"]["degeneracy"]["case"] == "mixed"


def test_default_orbits_anonymous_game():
    g = ten_robots().subs({"eps": "1/10"})
    v = profile_verdicts(g, pure_profile(g, ["a"] * 10))
    assert v["nash"] and v["degenerate"] is False
    assert v["locally_optimal_symmetric"] is True and v["locally_optimal_asymmetric"] is True
    assert v["details"]["orbits"] == [list(range(1, 11))]


def test_attach_verdicts_on_veil_of_ignorance_optimum():
    # Appendix A: Cautious when Low; when High, Aggressive with probability 1/6.
    # Plans CC, CA (A when High): the optimum mixes CC with 5/6 and CA with 1/6.
    g = veil_of_ignorance()
    strat = (sympy.Rational(5, 6), sympy.Rational(1, 6), sympy.Integer(0), sympy.Integer(0))
    s = make_profile(g, [list(strat)] * 2)
    # EU by hand: types i.i.d. 1/2; only High-High pairs can both be aggressive
    value = sympy.nsimplify(sum(
        strat[a] * strat[b] * g.payoff(0, (a, b)) for a in range(4) for b in range(4)))
    r = OptimumResult(value, (Fraction(int(value.p), int(value.q)),) * 2, ((0, 1),), (g.actions[0],), (strat,),
                      ((0, 1),), True)
    r2 = attach_verdicts(g, r)
    assert r2.nash is True
    # u(CC, CC) = 5 (always share) but u(CA, CC) = (4 + 5 + 6 + 6) / 4 = 21/4: mixing matters, non-degenerate
    assert g.payoff(0, ("CC", "CC")) == 5 and g.payoff(0, ("CA", "CC")) == sympy.Rational(21, 4)
    assert r2.degenerate is False
    assert r2.locally_optimal_asymmetric is False  # mixed and non-degenerate
    assert "verdicts" in r2.certificate and r2.value == r.value
    assert profile_verdicts(g, s, orbits=[[0, 1]])["locally_optimal_symmetric"] is True


def test_incomplete_result_untouched():
    r = OptimumResult(sympy.Integer(0), (Fraction(0), Fraction(0)), ((0, 1),), (("a", "b"),), ((1, 0),), ((0,),), False,
                      complete=False)
    assert attach_verdicts(veil_of_ignorance(), r) is r


def test_analyze_taxi_and_example_5_0_5():
    from exactgames.certify.verdicts import analyze
    from exactgames.paper_games import example_5_0_5, taxi_symmetric

    # Table 1b on the symmetric line: EU(p) = 1 + 2p - 2p^2, maximal 3/2 at p = 1/2
    r = analyze(taxi_symmetric())
    assert r.value == sympy.Rational(3, 2) and r.mixed
    assert (r.nash, r.degenerate, r.locally_optimal_asymmetric) == (True, False, False)
    # Example 5.0.5: (a, a) optimal among symmetric profiles (eps < 11), Nash, degenerate, not locally optimal
    r = analyze(example_5_0_5("1/2"))
    assert r.value == 1 and r.strategies == ((1, 0, 0),)
    assert (r.nash, r.degenerate, r.locally_optimal_asymmetric) == (True, True, False)
    assert r.certificate["verdicts"]["asymmetric"]["witness"] is not None
