"""Expected utility: checked against the definition sum_a u(a) prod_j s_j(a_j), computed naively here."""

import itertools
from fractions import Fraction

import flint
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.model import (
    AnonymousGame,
    Game,
    deviation_payoffs,
    expected_utility,
    make_profile,
    symmetric_eu_mpoly,
    symmetric_eu_polynomial,
)
from exactgames.paper_games import robot_butlers

small_q = st.fractions(min_value=-5, max_value=5, max_denominator=7)


def naive_eu(game, profile, player=0):
    total = sympy.Integer(0)
    for k, prof in enumerate(game.index_profiles()):
        w = sympy.Integer(1)
        for j, a in enumerate(prof):
            w *= profile[j][a]
        total += w * game.payoffs[player][k]
    return sympy.expand(total)


@st.composite
def strategy(draw, m):
    w = [draw(st.integers(0, 6)) for _ in range(m)]
    if sum(w) == 0:
        w[draw(st.integers(0, m - 1))] = 1
    return [Fraction(x, sum(w)) for x in w]


@st.composite
def game_and_profile(draw, max_players=3, max_actions=3, general=False):
    n = draw(st.integers(1, max_players))
    shape = [draw(st.integers(1, max_actions)) for _ in range(n)]
    acts = [[f"a{k}" for k in range(m)] for m in shape]
    if general:
        table = {p: tuple(draw(small_q) for _ in range(n)) for p in itertools.product(*acts)}
        g = Game.from_payoff_function(acts, lambda p: table[p])
    else:
        table = {p: draw(small_q) for p in itertools.product(*acts)}
        g = Game.from_common(acts, table)
    prof = make_profile(g, [draw(strategy(m)) for m in shape])
    return g, prof


@given(game_and_profile(general=True))
@settings(max_examples=40, deadline=None)
def test_eu_matches_definition(gp):
    g, s = gp
    for i in range(g.n_players):
        assert expected_utility(g, s, i) == naive_eu(g, s, i)


@given(game_and_profile(), st.data())
@settings(max_examples=40, deadline=None)
def test_eu_is_multilinear_in_each_strategy(gp, data):
    g, s = gp
    i = data.draw(st.integers(0, g.n_players - 1))
    t = make_profile(g, [data.draw(strategy(len(g.actions[i]))) if j == i else s[j] for j in range(g.n_players)])
    lam = sympy.Rational(data.draw(st.fractions(0, 1, max_denominator=9)))
    mix = tuple(tuple(lam * a + (1 - lam) * b for a, b in zip(s[i], t[i])) if j == i else s[j] for j in range(g.n_players))
    assert expected_utility(g, mix) == sympy.expand(lam * expected_utility(g, s) + (1 - lam) * expected_utility(g, t))


@given(game_and_profile())
@settings(max_examples=30, deadline=None)
def test_deviation_payoffs_are_pure_deviations(gp):
    g, s = gp
    for i in range(g.n_players):
        v = deviation_payoffs(g, s, i)
        for a in range(len(g.actions[i])):
            pure = tuple(tuple(sympy.Integer(int(k == a)) for k in range(len(g.actions[i]))) if j == i else s[j]
                         for j in range(g.n_players))
            assert v[a] == naive_eu(g, pure)


@given(st.integers(2, 5), st.integers(2, 3), st.data())
@settings(max_examples=25, deadline=None)
def test_anonymous_eu_matches_dense(n, m, data):
    vals = {}
    g = AnonymousGame.from_function(n, [f"a{k}" for k in range(m)], lambda c: vals.setdefault(c, data.draw(small_q)))
    d = g.to_dense()
    s = make_profile(g, [data.draw(strategy(m)) for _ in range(n)])
    assert expected_utility(g, s) == naive_eu(d, s)
    assert deviation_payoffs(g, s, n - 1) == deviation_payoffs(d, s, n - 1)


def test_symbolic_probabilities_and_payoffs():
    p = sympy.Symbol("p")
    g = Game.from_common([["a", "b"]] * 2, {("a", "a"): "1 + eps", ("b", "b"): 1}, symbols=["eps"])
    s = make_profile(g, [[p, 1 - p], [p, 1 - p]], symbols={"p": p}, check=False)
    eps = g.parameters[0]
    assert sympy.expand(expected_utility(g, s) - ((1 + eps) * p**2 + (1 - p) ** 2)) == 0


def test_symmetric_polynomial_agrees_with_eu_on_butlers():
    g = robot_butlers()
    eu = symmetric_eu_polynomial(g, [[0, 1, 2, 3]])
    xf, xd = eu.variables[0]
    poly, ctx = symmetric_eu_mpoly(g, [[0, 1, 2, 3]])
    for q in [Fraction(0), Fraction(1, 3), Fraction(2, 7), Fraction(1)]:
        s = make_profile(g, [[1 - q, q]] * 4)
        direct = naive_eu(g, s)
        assert eu.expr.subs({xf: 1 - sympy.Rational(q), xd: sympy.Rational(q)}) == direct
        assert poly(flint.fmpq((1 - q).numerator, (1 - q).denominator), flint.fmpq(q.numerator, q.denominator)) == flint.fmpq(int(direct.p), int(direct.q))


@given(st.data())
@settings(max_examples=20, deadline=None)
def test_symmetric_polynomial_with_two_orbits(data):
    acts = [["x", "y"]] * 4
    table = {p: data.draw(small_q) for p in itertools.product(*acts)}
    g = Game.from_common(acts, table)
    orbits = [[0, 2], [1, 3]]
    eu = symmetric_eu_polynomial(g, orbits)
    s1, s2 = data.draw(strategy(2)), data.draw(strategy(2))
    prof = make_profile(g, [s1, s2, s1, s2])
    sub = {eu.variables[0][0]: sympy.Rational(s1[0]), eu.variables[0][1]: sympy.Rational(s1[1]),
           eu.variables[1][0]: sympy.Rational(s2[0]), eu.variables[1][1]: sympy.Rational(s2[1])}
    assert sympy.expand(eu.expr.subs(sub)) == naive_eu(g, prof)


ROOT = sympy.CRootOf(sympy.Symbol("x") ** 3 - 3 * sympy.Symbol("x") + 1, 1)  # about 0.347, in (0, 1)


@st.composite
def algebraic_strategy(draw, m, gen):
    """A strategy in Q(gen): rational weights, one pair of entries moved by a multiple of ``gen`` in (0, 1)."""
    w = draw(strategy(m))
    k = draw(st.integers(0, m - 1))
    j = (k + 1) % m
    shift = min(w[k], 1 - w[j]) * sympy.Rational(draw(st.integers(0, 9)), 10) * gen  # keeps every entry in [0, 1]
    out = [sympy.Rational(x) for x in w]
    out[k], out[j] = out[k] - shift, out[j] + shift
    return out


@given(st.integers(1, 3), st.integers(2, 3), st.data())
@settings(max_examples=30, deadline=None)
def test_number_field_path_matches_the_definition(n, m, data):
    """Rational payoffs, probabilities in one number field: the flint field arithmetic equals naive sympy sums."""
    table = {p: data.draw(small_q) for p in itertools.product(*[[f"a{k}" for k in range(m)]] * n)}
    g = Game.from_common([[f"a{k}" for k in range(m)]] * n, table)
    gen = data.draw(st.sampled_from([sympy.sqrt(2) - 1, ROOT]))
    s = make_profile(g, [data.draw(algebraic_strategy(m, gen)) for _ in range(n)])
    for i in range(n):
        got = expected_utility(g, s, i)
        want = naive_eu(g, s, i)
        assert sympy.expand(got - want) == 0 or _zero_mod_minpoly(got - want)
        for a, v in enumerate(deviation_payoffs(g, s, i)):
            pure = tuple(tuple(sympy.Integer(int(k == a)) for k in range(m)) if j == i else s[j] for j in range(n))
            assert _zero_mod_minpoly(v - naive_eu(g, pure))


def _zero_mod_minpoly(e):
    """Exact zero test done in sympy only: reduce modulo the polynomial of the CRootOf (or simplify radicals)."""
    e = sympy.expand(e)
    if e.is_Rational or not e.atoms(sympy.CRootOf):
        return sympy.simplify(e) == 0
    x = sympy.Symbol("x")
    return sympy.rem(sympy.Poly(e.xreplace({ROOT: x}), x), sympy.Poly(x**3 - 3 * x + 1, x)).is_zero


def test_number_field_path_gives_reduced_forms():
    from exactgames.model.utility import lift_profile, lifted_expected_utility

    g = AnonymousGame.from_function(4, ["a", "b"], lambda c: c[0] * c[1])
    s = make_profile(g, [[ROOT, 1 - ROOT]] * 4)
    eu = expected_utility(g, s)
    # the quartic in ROOT is reduced modulo x^3 - 3x + 1: degree at most 2
    assert sympy.Poly(eu.xreplace({ROOT: sympy.Symbol("y")}), sympy.Symbol("y")).degree() <= 2
    # 4 players, EU = E[n_a n_b] = 12 p (1 - p) for n_a ~ Bin(4, p)
    assert _zero_mod_minpoly(eu - 12 * ROOT * (1 - ROOT))
    lifted = lift_profile(g, s)
    assert lifted_expected_utility(g, lifted).to_sympy() == eu
    assert lift_profile(g, make_profile(g, [["sqrt(2) - 1", "2 - sqrt(2)"], [ROOT, 1 - ROOT]] * 2)) is None
