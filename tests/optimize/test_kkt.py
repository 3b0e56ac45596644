"""Tests of the exact KKT route (exactgames.optimize.kkt) against independent derivations.

Expected answers are derived here by hand (closed forms written in the test,
checked with sympy), never by calling the solver.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
import sympy

from exactgames.model.exact import ExactError, compare
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.utility import expected_utility
from exactgames.optimize.kkt import all_supports, kkt_optimum, kkt_points
from exactgames.paper_games import (
    example_5_0_5,
    robot_butlers,
    taxi_large_groups,
    taxi_permits,
    taxi_symmetric,
    veil_of_ignorance,
)

ALL4 = [[0, 1, 2, 3]]


def _profile(result, n):
    """The full profile (one strategy per player) of an OptimumResult."""
    prof = [None] * n
    for orb, strat in zip(result.orbits, result.strategies):
        for i in orb:
            prof[i] = tuple(strat)
    return tuple(prof)


# ----------------------------------------------------------------------------- robot butlers


def butler_eu_by_hand(p):
    """Appendix C by direct counting: each group sees 3 butlers; drink prob p each.

    A group scores 0 when none of its 3 butlers holds drink ((1-p)^3), 1 when all
    three hold drink (p^3), else 2; four groups.
    """
    return 4 * ((1 - p) ** 3 * 0 + p**3 * 1 + (1 - (1 - p) ** 3 - p**3) * 2)


def test_robot_butlers_one_orbit_closed_form():
    r = kkt_optimum(robot_butlers(), ALL4)
    assert r.complete and r.method == "exact KKT enumeration"
    food, drink = r.strategies[0]
    assert sympy.simplify(food - (sympy.sqrt(2) - 1)) == 0
    assert sympy.simplify(drink - (2 - sympy.sqrt(2))) == 0
    # hand derivation: d/dp of the EU vanishes at p = 2 - sqrt(2), and the value is 16(sqrt(2) - 1)
    p = sympy.Symbol("p")
    eu = butler_eu_by_hand(p)
    assert sympy.simplify(sympy.diff(eu, p).subs(p, 2 - sympy.sqrt(2))) == 0
    assert sympy.simplify(eu.subs(p, 2 - sympy.sqrt(2)) - 16 * (sympy.sqrt(2) - 1)) == 0
    assert sympy.simplify(r.value - 16 * (sympy.sqrt(2) - 1)) == 0
    # the paper's "4(sqrt(2) - 1) ~ 1.66" is one group's share: a quarter of the total
    assert sympy.simplify(r.value / 4 - 4 * (sympy.sqrt(2) - 1)) == 0
    # the exact EU of the reported profile (model code, not the solver) equals the value
    assert compare(expected_utility(robot_butlers(), _profile(r, 4)), r.value) == 0
    lo, hi = r.value_interval
    assert hi - lo <= Fraction(1, 10**30)
    # 16(sqrt(2) - 1) in [lo, hi]  <=>  (lo/16 + 1)^2 <= 2 <= (hi/16 + 1)^2 (both positive)
    assert (lo / 16 + 1) ** 2 <= 2 <= (hi / 16 + 1) ** 2
    assert r.mixed and r.support == ((0, 1),) and r.ties == ()


def test_robot_butlers_opposite_pairs_pure_optimum_with_tie():
    r = kkt_optimum(robot_butlers(), [[0, 2], [1, 3]])
    assert r.value == 8 and r.complete and not r.mixed
    # one pair holds food, the other drink: every group sees food and drink (2 per group)
    assert r.strategies in (((1, 0), (0, 1)), ((0, 1), (1, 0)))
    assert robot_butlers().payoff(0, ("F", "D", "F", "D")) == 8 == 4 * 2
    assert len(r.ties) == 1 and set(r.ties + (r.strategies,)) == {((1, 0), (0, 1)), ((0, 1), (1, 0))}  # the swap
    # 8 is the largest payoff of the game, so nothing can beat it
    assert max(robot_butlers().payoffs[0]) == 8


def test_butlers_vertex_is_critical_but_not_kkt():
    # all hold food (orbits {1,3},{2,4}): a vertex, never a KKT point (holding drink helps)
    r = kkt_points(robot_butlers(), [[0, 2], [1, 3]], [(0,), (0,)])
    assert r.status == "solved" and len(r.critical) == 1 and r.points == ()
    r = kkt_points(robot_butlers(), [[0, 2], [1, 3]], [(0,), (1,)])
    assert len(r.points) == 1 and r.points[0].value.expr() == 8


# ----------------------------------------------------------------------------- veil of ignorance


def veil_eu_by_hand(low_aggr, high_aggr):
    """Appendix A directly from the types: expected team utility of the symmetric behaviour strategy."""
    val = {"L": 4, "H": 6}
    aggr = {"L": low_aggr, "H": high_aggr}
    total = 0
    for t1, t2 in itertools.product("LH", repeat=2):
        a1, a2 = aggr[t1], aggr[t2]
        both_c = (1 - a1) * (1 - a2) * sympy.Rational(val[t1] + val[t2], 2)
        only1 = a1 * (1 - a2) * val[t1]
        only2 = (1 - a1) * a2 * val[t2]
        total += sympy.Rational(1, 4) * (both_c + only1 + only2)
    return sympy.expand(total)


def test_veil_of_ignorance_one_sixth():
    r = kkt_optimum(veil_of_ignorance(), [[0, 1]])
    strat = dict(zip(r.actions[0], r.strategies[0]))
    assert strat == {"CC": sympy.Rational(5, 6), "CA": sympy.Rational(1, 6), "AC": 0, "AA": 0}
    # by hand: Cautious when Low, Aggressive w.p. q when High: EU(q) = 5 + q/2 - 3 q^2 / 2, maximal at q = 1/6
    q = sympy.Symbol("q")
    eu = veil_eu_by_hand(0, q)
    assert sympy.expand(eu - (5 + q / 2 - sympy.Rational(3, 2) * q**2)) == 0
    assert sympy.solve(sympy.diff(eu, q), q) == [sympy.Rational(1, 6)]
    assert r.value == eu.subs(q, sympy.Rational(1, 6)) == sympy.Rational(121, 24)
    # erratum: the paper prints 77/18 ~ 4.28, which is below even "always Cautious" (EU 5)
    paper = sympy.Rational(1, 4) * 4 + sympy.Rational(1, 2) * (sympy.Rational(5, 6) * 4 + sympy.Rational(1, 6) * 6) + sympy.Rational(
        1, 4
    ) * (sympy.Rational(25, 36) * 4 + 2 * sympy.Rational(5, 36) * 6)
    assert paper == sympy.Rational(77, 18) and veil_eu_by_hand(0, 0) == 5 > paper
    # aggression when Low never helps: dEU/d(low aggression) < 0 at the optimum
    lq = sympy.Symbol("l")
    assert sympy.diff(veil_eu_by_hand(lq, sympy.Rational(1, 6)), lq).subs(lq, 0) < 0
    assert compare(expected_utility(veil_of_ignorance(), _profile(r, 2)), r.value) == 0
    # the full support has a positive-dimensional critical set (plans only matter through two marginals);
    # it is reported, not dropped: an affine line of EU 0 that an exact LP shows to miss the open simplex
    full = [s for s in r.certificate["supports"] if len(s["support"][0]) == 4][0]
    assert full["continua"] == [] and "positive-dimensional critical components outside the open face" in full["route"]
    assert "EU 0 on the affine set" in full["route"] and "misses the open face" in full["route"]


# ----------------------------------------------------------------------------- taxis


def test_taxi_symmetric_half_half():
    r = kkt_optimum(taxi_symmetric(), [[0, 1]])
    # EU(p) = 1 + 2p(1-p) with p = P(H): maximal at 1/2, value 3/2
    assert r.strategies == ((sympy.Rational(1, 2), sympy.Rational(1, 2)),) and r.value == sympy.Rational(3, 2)


def test_taxi_permits_two_orbits():
    r = kkt_optimum(taxi_permits(), [[0], [1]])
    # EU = p + (1 - q) with p = P(Auto W), q = P(Mobile W): Auto W, Mobile H, value 2
    assert r.value == 2 and r.strategies == ((0, 1), (1, 0)) and r.ties == ()


def test_taxi_large_groups_tie_between_pure_profiles():
    r = kkt_optimum(taxi_large_groups(), [[0, 1]])
    # EU(p) = p^2 + (1-p)^2: maximal (1) at both vertices; 1/2 at the mixed critical point
    assert r.value == 1 and set(r.ties + (r.strategies,)) == {((1, 0),), ((0, 1),)} and not r.mixed
    sup = kkt_points(taxi_large_groups(), [[0, 1]], [(0, 1)])
    assert [p.value.expr() for p in sup.critical] == [sympy.Rational(1, 2)]


# ----------------------------------------------------------------------------- continua, limits, errors


def test_constant_game_reports_whole_face_continuum():
    g = AnonymousGame.from_function(3, ["a", "b", "c"], lambda c: 2)
    r = kkt_optimum(g)
    assert r.value == 2 and r.complete
    assert any(isinstance(t, str) and "continuum" in t and "{a,b,c}" in t for t in r.ties)
    full = kkt_points(g, None, [(0, 1, 2)])
    assert full.continua and full.continua[0].whole_face


def test_face_with_critical_line():
    # EU depends on x_a only (b and c are interchangeable): critical points form a segment on {a,b,c}
    def u(c):
        return {3: 0, 2: 3, 1: 3, 0: 1}[c[0]]

    g = AnonymousGame.from_function(3, ["a", "b", "c"], u)
    full = kkt_points(g, None, [(0, 1, 2)])
    assert full.status == "solved" and full.continua and not full.continua[0].whole_face
    # by hand: EU(x) = 3*3x(1-x)^2 + 3*3x^2(1-x) + (1-x)^3 = 9x(1-x) + (1-x)^3, x = P(a);
    x = sympy.Symbol("x")
    eu = 9 * x * (1 - x) + (1 - x) ** 3
    crit = [s for s in sympy.solve(sympy.diff(eu, x), x) if 0 < s < 1]
    best = max(eu.subs(x, s) for s in crit)
    wit = full.continua[0].witnesses
    assert wit and all(sympy.simplify(w.value.expr() - best) == 0 for w in wit)
    r = kkt_optimum(g)
    assert r.complete and sympy.simplify(r.value - best) == 0
    assert any(isinstance(t, str) and t.startswith("continuum") for t in r.ties)


def test_affine_critical_line_inside_the_open_face():
    # EU = p q + (1 - p)(1 - q) with p = P1(a), q = P2(a): P2's actions b and c are interchangeable, so on the
    # full face the critical set is the segment p = q = 1/2, P2(b) = r in (0, 1/2), where EU = 1/2 (by hand)
    u = {("a", "a"): 1, ("a", "b"): 0, ("a", "c"): 0, ("b", "a"): 0, ("b", "b"): 1, ("b", "c"): 1}
    g = Game.from_common([["a", "b"], ["a", "b", "c"]], u)
    full = kkt_points(g, [[0], [1]], [(0, 1), (0, 1, 2)])
    assert full.status == "solved" and len(full.continua) == 1
    cont = full.continua[0]
    assert not cont.whole_face and cont.unwitnessed() == () and len(cont.witnesses) == 1
    w = cont.witnesses[0]
    (p, _), (q, r, rest) = [[x.expr() for x in s] for s in w.strategies]
    assert p == q == sympy.Rational(1, 2) and 0 < r < sympy.Rational(1, 2) and rest == sympy.Rational(1, 2) - r
    half = sympy.Rational(1, 2)
    for t in (sympy.Rational(1, 10), r, sympy.Rational(2, 5)):
        assert expected_utility(g, ((half, half), (half, t, half - t))) == half
    res = kkt_optimum(g, [[0], [1]])
    assert res.complete and res.value == 1  # a pure coordination profile


def test_exact_simplex_does_not_cycle_on_beales_example():
    import flint

    from exactgames.numbers.linear import simplex_max as _simplex_max

    q = flint.fmpq
    c = [q(3, 4), q(-20), q(1, 2), q(-6)]
    A = [[q(1, 4), q(-8), q(-1), q(9)], [q(1, 2), q(-12), q(-1, 2), q(3)], [q(0), q(0), q(1), q(0)]]
    b = [q(0), q(0), q(1)]
    opt, x = _simplex_max(c, A, b)
    assert opt == q(5, 4) and x == [q(1), q(0), q(1), q(0)]


def test_time_limit_gives_incomplete_answer_not_a_claim():
    import random

    rng = random.Random(7)
    table = {c: Fraction(rng.randint(-8, 8), 8) for c in itertools.product(range(5), repeat=4) if sum(c) == 4}
    g = AnonymousGame.from_function(4, ["a", "b", "c", "d"], table)
    r = kkt_optimum(g, time_limit=0.05)
    assert not r.complete and r.reason
    assert "incomplete" in r.certificate


def test_errors_are_clear():
    with pytest.raises(ExactError, match="free parameters"):
        kkt_optimum(example_5_0_5())
    g = Game.from_payoff_function([["a", "b"]] * 2, lambda p: (1 if p == ("a", "a") else 0, 0))
    with pytest.raises(ExactError, match="common-payoff"):
        kkt_optimum(g, [[0, 1]])
    with pytest.raises(ExactError, match="one support per orbit"):
        kkt_points(taxi_symmetric(), [[0, 1]], [(0,), (1,)])
    with pytest.raises(ExactError, match="action indices"):
        kkt_points(taxi_symmetric(), [[0, 1]], [(0, 5)])


def test_all_supports_counts():
    assert len(all_supports([3, 2])) == 7 * 3
    assert all_supports([1]) == [((0,),)]


def test_quartic_optimum_of_a_three_player_game():
    """A random 3x3 anonymous game whose optimum is a root of an irreducible quartic (CRootOf)."""
    from exactgames.model.exact import to_arb

    table = {(3, 0, 0): "1/2", (2, 1, 0): "5/8", (2, 0, 1): "-7/8", (1, 2, 0): "0", (1, 1, 1): "1",
             (1, 0, 2): "7/8", (0, 3, 0): "1/2", (0, 2, 1): "1/8", (0, 1, 2): "7/8", (0, 0, 3): "3/8"}
    g = AnonymousGame.from_function(3, ["a", "b", "c"], table)
    r = kkt_optimum(g)
    assert r.complete and isinstance(r.value, sympy.CRootOf) and r.value.poly.degree() == 4
    assert r.support == ((0, 1, 2),)
    assert compare(sum(r.strategies[0]), 1) == 0
    lo, hi = r.value_interval
    assert 0 < hi - lo <= Fraction(1, 10**30)
    # the EU of the reported profile (model code, certified ball) lies in the proved enclosure
    eu = to_arb(expected_utility(g, tuple(tuple(r.strategies[0]) for _ in range(3))), 256)
    assert eu.overlaps(sympy_free_ball(lo, hi))
    # dense rational grid (denominator 24) by brute force over pure profiles: nothing beats the enclosure
    pay = {k: Fraction(v) for k, v in table.items()}
    best = Fraction(-10)
    for i in range(25):
        for j in range(25 - i):
            x = (Fraction(i, 24), Fraction(j, 24), Fraction(24 - i - j, 24))
            v = sum(pay[tuple(p.count(a) for a in range(3))] * x[p[0]] * x[p[1]] * x[p[2]]
                    for p in itertools.product(range(3), repeat=3))
            best = max(best, v)
    assert best <= hi and hi - best < Fraction(1, 100)  # the grid gets close to, never above, the optimum


def sympy_free_ball(lo, hi):
    import flint

    return flint.arb(flint.fmpq(lo.numerator, lo.denominator)).union(flint.arb(flint.fmpq(hi.numerator, hi.denominator)))


def test_no_exact_comparisons_once_the_time_limit_has_passed(monkeypatch):
    """Issue 18: random 100x3 seed 1 ran 30 s past its limit comparing degree-99 KKT values after the enumeration
    had already run out of time; an out-of-time enumeration now returns its "no answer" at once."""
    from exactgames.optimize.deadline import Deadline
    from exactgames.optimize.kkt import faces, route
    from exactgames.paper_games import robot_butlers

    game = robot_butlers()
    prep = faces.prepare(game, [[0, 1, 2, 3]])
    results = [faces.kkt_points(game, [[0, 1, 2, 3]], s, _prep=prep) for s in route.all_supports(prep.sizes)]

    def refuse(*a, **k):
        raise AssertionError("an exact comparison after the time limit")

    monkeypatch.setattr(route, "compare_elements", refuse)
    monkeypatch.setattr(route, "_cmp_points", refuse)
    r = route._assemble(prep, results, route.all_supports(prep.sizes), "time limit of 1 s reached", 1.0, Deadline(0.0))
    assert not r.complete and r.value_interval == (0, 0)
