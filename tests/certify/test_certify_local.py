"""Local optimality (Definitions 4.0.1 and 5.0.1) against hand derivations and brute force.

Expected values are derived by hand in the comments or recomputed from the
payoff tables with plain Fractions / sympy, never with the code under test.
"""

import itertools
import random
from fractions import Fraction

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.certify.asymmetric import locally_optimal_asymmetric, pure_radius_certificate
from exactgames.certify.local_symmetric import locally_optimal_symmetric
from exactgames.model import Game, make_profile, pure_profile
from exactgames.paper_games import example_5_0_5, robot_butlers, taxi_large_groups, taxi_symmetric, ten_robots


def brute_eu(game, profile):
    """EU of a dense common-payoff game by summing over every pure profile (sympy, exact)."""
    total = sympy.Integer(0)
    for idx in itertools.product(*(range(len(a)) for a in game.actions)):
        w = sympy.Integer(1)
        for i, k in enumerate(idx):
            w *= sympy.sympify(profile[i][k])
        if w != 0:
            total += w * game.payoff(0, idx)
    return sympy.nsimplify(sympy.expand(total))


def max_change(a, b):
    return max(abs(sympy.expand(sympy.sympify(p) - q)) for s, t in zip(a, b) for p, q in zip(s, t))


def check_witness(game, profile, verdict):
    w = verdict.witness
    assert verdict.locally_optimal is False and w is not None
    before, after = brute_eu(game, profile), brute_eu(game, w.profile)
    assert sympy.simplify(before - w.value_before) == 0
    assert sympy.simplify(after - w.value_after) == 0
    assert (after - before).evalf(50) > 0 and sympy.simplify(after - before) != 0
    assert sympy.simplify(max_change(profile, w.profile) - w.distance) == 0
    for s in w.profile:  # a genuine profile
        assert sympy.simplify(sum(s) - 1) == 0 and all(p >= 0 for p in s)


# ---------------------------------------------------------------------------------- taxis (Table 1)


def test_table_1b_half_is_symmetric_local_optimum_but_not_asymmetric():
    # EU(p, q) = 1 + p + q - 2pq (p, q = work probabilities): on p = q the maximum 3/2 is at 1/2
    g = taxi_symmetric()
    s = make_profile(g, [["1/2", "1/2"]] * 2)
    sym = locally_optimal_symmetric(g, s, [[0, 1]])
    assert sym.locally_optimal is True and sym.value == sympy.Rational(3, 2)
    asym = locally_optimal_asymmetric(g, s)
    check_witness(g, s, asym)
    # Example 5.0.2: the witness is asymmetric (one taxi leans H, the other W)
    assert asym.witness.profile[0] != asym.witness.profile[1]


def test_table_1c_half_is_symmetric_local_minimum():
    # EU(p) = p^2 + (1-p)^2 on the symmetric line: 1/2 at p = 1/2, larger elsewhere
    g = taxi_large_groups()
    s = make_profile(g, [["1/2", "1/2"]] * 2)
    v = locally_optimal_symmetric(g, s, [[0, 1]])
    check_witness(g, s, v)
    w = v.witness.profile
    assert w[0] == w[1]  # P-invariant witness
    p = sympy.Symbol("p")
    assert sympy.expand(p**2 + (1 - p) ** 2 - sympy.Rational(1, 2)) == sympy.expand(2 * (p - sympy.Rational(1, 2)) ** 2)


def test_table_1b_pure_optimum_is_asymmetric_local_optimum():
    g = taxi_symmetric()
    v = locally_optimal_asymmetric(g, pure_profile(g, ["H", "W"]))
    assert v.locally_optimal is True


# ---------------------------------------------------------------------------------- Example 5.0.5


def test_example_5_0_5_not_asymmetric_local_optimum_several_eps():
    for e in ["1/2", "1/3", "1/10", "2"]:
        g = example_5_0_5(e)
        s = pure_profile(g, ["a", "a"])
        v = locally_optimal_asymmetric(g, s)
        check_witness(g, s, v)
        # (a, a) is the optimum among symmetric profiles: EU(x) = 1 - y^2 - 10 yb^2 - 10 yc^2 + 2(1+eps) yb yc
        assert locally_optimal_symmetric(g, s, [[0, 1]]).locally_optimal is True


def test_example_5_0_5_paper_witness_by_hand():
    # row shifts t to b, column shifts t to c: EU = (1-t)^2 + 2 t (1-t) + t^2 (1 + eps) = 1 + eps t^2
    for e in [Fraction(1, 2), Fraction(1, 3), Fraction(1, 10)]:
        g = example_5_0_5(str(e))
        for t in [Fraction(1, 2), Fraction(1, 100)]:
            prof = make_profile(g, [[1 - t, t, 0], [1 - t, 0, t]])
            assert brute_eu(g, prof) == sympy.Rational(1) + sympy.Rational(e) * sympy.Rational(t) ** 2 > 1


# ---------------------------------------------------------------------------------- ten robots


def robots_eu(profile, eps):
    """EU of the ten-robot game by hand: P(all a) + (1 + eps) P(exactly one b, rest c)."""
    all_a = Fraction(1)
    for s in profile:
        all_a *= s[0]
    one_b = Fraction(0)
    for j, sj in enumerate(profile):
        term = sj[1]
        for i, si in enumerate(profile):
            if i != j:
                term *= si[2]
        one_b += term
    return all_a + (1 + eps) * one_b


def test_ten_robots_all_a_is_asymmetric_local_optimum():
    g = ten_robots().subs({"eps": "1/10"})
    v = locally_optimal_asymmetric(g, pure_profile(g, ["a"] * 10))
    assert v.locally_optimal is True and v.radius is not None and v.radius > 0
    r = Fraction(int(v.radius.p), int(v.radius.q))
    rng = random.Random(5)
    for _ in range(200):  # random asymmetric profiles inside the radius never beat EU = 1
        prof = []
        for _ in range(10):
            e = r * Fraction(rng.randint(0, 1000), 1000)
            split = Fraction(rng.randint(0, 1000), 1000)
            prof.append((1 - e, e * split, e * (1 - split)))
        assert robots_eu(prof, Fraction(1, 10)) <= 1
    # and the symmetric optimum claim of Section 2.1: all-a beats the symmetric line to (0, 1/10, 9/10)
    sym = locally_optimal_symmetric(g, pure_profile(g, ["a"] * 10))
    assert sym.locally_optimal is True


def test_radius_certificate_refuses_two_indifferent_players():
    g = example_5_0_5("1/2")
    assert pure_radius_certificate(g, pure_profile(g, ["a", "a"])) is None


# ---------------------------------------------------------------------------------- robot butlers


def test_robot_butlers_symmetric_optimum():
    # Appendix C: per group 2 - 2 (1-p)^3 - p^3 with p = drink probability; optimum at p = 2 - sqrt(2)
    g = robot_butlers()
    s = make_profile(g, [["sqrt(2)-1", "2-sqrt(2)"]] * 4)
    p = sympy.Symbol("p")
    eu = 4 * (2 - 2 * (1 - p) ** 3 - p**3)
    p0 = 2 - sympy.sqrt(2)
    assert sympy.simplify(sympy.diff(eu, p).subs(p, p0)) == 0 and sympy.diff(eu, p, 2).subs(p, p0).evalf() < 0
    v = locally_optimal_symmetric(g, s, [[0, 1, 2, 3]])
    assert v.locally_optimal is True
    assert sympy.simplify(v.value - eu.subs(p, p0)) == 0
    a = locally_optimal_asymmetric(g, s)
    check_witness(g, s, a)


# ---------------------------------------------------------------------------------- properties

small = st.integers(min_value=-3, max_value=3)


@st.composite
def common_games(draw, max_players=3):
    n = draw(st.integers(2, max_players))
    m = draw(st.integers(2, 3 if n == 2 else 2))
    table = {p: draw(small) for p in itertools.product(range(m), repeat=n)}
    names = [chr(97 + k) for k in range(m)]
    return Game.from_common([names] * n, {tuple(names[k] for k in p): v for p, v in table.items()})


@st.composite
def game_and_profile(draw):
    g = draw(common_games())
    prof = []
    for acts in g.actions:
        w = [draw(st.integers(0, 3)) for _ in acts]
        if sum(w) == 0:
            w[0] = 1
        prof.append([Fraction(x, sum(w)) for x in w])
    return g, make_profile(g, prof)


@settings(max_examples=25, deadline=None)
@given(game_and_profile())
def test_asymmetric_witnesses_really_improve(gp):
    g, s = gp
    v = locally_optimal_asymmetric(g, s)
    if v.locally_optimal is False:
        check_witness(g, s, v)


@settings(max_examples=25, deadline=None)
@given(common_games(), st.data())
def test_symmetric_witnesses_really_improve(g, data):
    m = len(g.actions[0])
    w = [data.draw(st.integers(0, 3)) for _ in range(m)]
    if sum(w) == 0:
        w[0] = 1
    s = make_profile(g, [[Fraction(x, sum(w)) for x in w]] * g.n_players)
    # only P = S_n if the game is totally symmetric; else each player its own orbit
    sym = all(g.payoff(0, p) == g.payoff(0, tuple(sorted(p))) for p in g.index_profiles())
    orbits = [list(range(g.n_players))] if sym else [[i] for i in range(g.n_players)]
    v = locally_optimal_symmetric(g, s, orbits)
    if v.locally_optimal is False:
        check_witness(g, s, v)
        if sym:
            assert all(x == v.witness.profile[0] for x in v.witness.profile)


@settings(max_examples=25, deadline=None)
@given(common_games(), st.randoms(use_true_random=False))
def test_pure_strict_nash_is_asymmetric_local_optimum(g, rnd):
    for idx in g.index_profiles():
        u = g.payoff(0, idx)
        strict = all(
            g.payoff(0, idx[:i] + (b,) + idx[i + 1:]) < u
            for i in range(g.n_players) for b in range(len(g.actions[i])) if b != idx[i]
        )
        if not strict:
            continue
        s = pure_profile(g, list(idx))
        v = locally_optimal_asymmetric(g, s)
        assert v.locally_optimal is True
        r = Fraction(int(v.radius.p), int(v.radius.q))
        for _ in range(5):  # independent: random profiles within the radius do not improve
            prof = []
            for i, a in enumerate(idx):
                m = len(g.actions[i])
                e = r * Fraction(rnd.randint(0, 100), 100)
                w = [rnd.randint(1, 5) for _ in range(m - 1)]
                rest = iter([e * x / sum(w) for x in w])
                prof.append([1 - e if k == a else next(rest) for k in range(m)])
            assert brute_eu(g, make_profile(g, prof)) <= u


def test_example_5_0_5_symmetric_claim_needs_eps_below_11():
    # symmetric profile (1-yb-yc, yb, yc): EU = 1 - 11 yb^2 - 11 yc^2 + 2 eps yb yc (by hand);
    # at yb = yc = 1/2: EU = (eps - 9) / 2, which beats EU(a, a) = 1 once eps > 11
    for e, expected in (("10", True), ("11", True), ("12", False)):
        g = example_5_0_5(e)
        s = pure_profile(g, ["a", "a"])
        half = make_profile(g, [["0", "1/2", "1/2"]] * 2)
        assert brute_eu(g, half) == (sympy.Integer(e) - 9) / 2
        v = locally_optimal_symmetric(g, s, [[0, 1]])
        assert v.locally_optimal is expected
        if not expected:
            check_witness(g, s, v)


def test_polynomial_route_constant_face():
    # player 1's action alone decides: u = 1 if player 1 plays a, else 0 (player 2 irrelevant).
    # At (a, (1/2, 1/2)): EU(s') = s'_1(a) <= 1 for every s' (by hand), so the mixed profile is a
    # (non-strict) local optimum; no coalition shift improves, the polynomial route decides.
    g = Game.from_common([["a", "b"], ["c", "d"]], {("a", "c"): 1, ("a", "d"): 1})
    s = make_profile(g, ["a", ["1/2", "1/2"]])
    v = locally_optimal_asymmetric(g, s)
    assert v.locally_optimal is True and v.stage == "constant on the face"
    assert v.witness is None
