"""Tests of exactgames.optimize.parametric: regimes are checked by an independent dense evaluation.

The dense check never uses the parametric code: at a rational parameter
value it evaluates the symmetric EU exactly (``Fraction``) from the game's
payoff table at every point of a rational grid of the simplex and requires the
claimed optimal strategy to be at least as good as every grid point.  The
grids contain both competing strategies of the paper's games exactly, so a
threshold that were off by any amount would make a sample point between the
true and the claimed threshold fail.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.model.exact import ExactError
from exactgames.model.game import AnonymousGame, Game
from exactgames.optimize.parametric import (
    ParameterError,
    _simplest_between,
    parameter_domain,
    parametric_regimes,
)
from exactgames.paper_games import EPS, example_5_0_5, ten_robots


def _frac(x) -> Fraction:
    x = sympy.nsimplify(x) if not isinstance(x, sympy.Rational) else x
    assert x.is_Rational, x
    return Fraction(int(x.p), int(x.q))


def _grid(m: int, den: int):
    for c in itertools.product(range(den + 1), repeat=m - 1):
        if sum(c) <= den:
            yield tuple(Fraction(k, den) for k in c) + (Fraction(den - sum(c), den),)


_TABLES: dict = {}


def _table(game, t: Fraction) -> list:
    """(counts, multinomial coefficient * payoff) of every count vector with a non-zero payoff at t, cached."""
    key = (id(game), t)
    if key not in _TABLES:
        tt = sympy.Rational(t.numerator, t.denominator)
        rows = []
        for c, u in game.payoff.items():
            val = _frac(u.subs(EPS, tt)) if u.free_symbols else _frac(u)
            if val:
                coef = math.factorial(sum(c))
                for ck in c:
                    coef //= math.factorial(ck)
                rows.append((c, coef * val))
        _TABLES[key] = rows
    return _TABLES[key]


def _anon_eu(game: AnonymousGame, t: Fraction, x) -> Fraction:
    """EU of the symmetric profile x in an anonymous game, from the payoff table (independent of the package's EU code)."""
    total = Fraction(0)
    for c, w in _table(game, t):
        term = w
        for k, ck in enumerate(c):
            if ck:
                term *= x[k] ** ck
        total += term
    return total


def _dense2_eu(game: Game, t: Fraction, x) -> Fraction:
    """EU of (x, x) in a two-player dense game, summing over the table."""
    total = Fraction(0)
    tt = sympy.Rational(t.numerator, t.denominator)
    for prof, u in zip(game.index_profiles(), game.payoffs[0]):
        total += x[prof[0]] * x[prof[1]] * _frac(u.subs(EPS, tt))
    return total


def _regime_at(res, t: Fraction):
    tt = sympy.Rational(t.numerator, t.denominator)
    for r in res.regimes:
        lo_ok = r.lower == -sympy.oo or (tt > r.lower if not r.lower_closed else tt >= r.lower)
        hi_ok = r.upper == sympy.oo or (tt < r.upper if not r.upper_closed else tt <= r.upper)
        if bool(lo_ok) and bool(hi_ok):
            return r
    raise AssertionError(f"no regime contains {t}")


def _check_sample(res, t: Fraction, eu, m: int, den: int) -> None:
    r = _regime_at(res, t)
    tt = sympy.Rational(t.numerator, t.denominator)
    strat = [_frac(sympy.sympify(p).subs(res.parameter, tt)) for p in r.strategies[0]]
    claimed = eu(t, strat)
    assert claimed == _frac(sympy.sympify(r.value).subs(res.parameter, tt))
    best = max(eu(t, x) for x in _grid(m, den))
    assert claimed >= best, (t, r.interval_str(), claimed, best)


@pytest.fixture(scope="module")
def robots10():
    return parametric_regimes(ten_robots())


def test_ten_robots_regimes_derived(robots10):
    res = robots10
    assert res.complete, res.reason
    # three regimes: all-a, the threshold (a tie), one b and nine c
    assert [r.support for r in res.regimes] == [((0,),), ((0,),), ((1, 2),)]
    thr = res.regimes[0].upper
    assert res.regimes[1].lower == res.regimes[1].upper == thr
    assert res.regimes[1].ties  # both strategies optimal at the threshold
    assert res.regimes[2].strategies[0] == (0, sympy.Rational(1, 10), sympy.Rational(9, 10))


def test_ten_robots_both_sides_of_every_endpoint(robots10):
    res = robots10
    g = ten_robots()
    eu = lambda t, x: _anon_eu(g, t, x)  # noqa: E731
    ends = sorted({_frac(r.lower) for r in res.regimes if r.lower.is_finite and r.lower > 0})
    assert ends, "no finite endpoint found"
    for e in ends:
        for d in (Fraction(1, 10**9), Fraction(1, 7)):
            for t in (e - d, e + d):
                if t > 0:
                    _check_sample(res, t, eu, 3, 20)
        _check_sample(res, e, eu, 3, 20)


def test_ten_robots_threshold_matches_hand_derivation(robots10):
    # by hand: all-a gives 1; with x_a = 0 the EU (1+eps)*10*x_b*x_c**9 peaks at x_b = 1/10 with (1+eps)*(9/10)**9
    assert robots10.regimes[0].upper == sympy.Rational(10**9, 9**9) - 1


@pytest.mark.parametrize("n", [3, 4])
def test_small_robot_games_dense(n):
    g = ten_robots(n=n)
    res = parametric_regimes(g)
    assert res.complete
    eu = lambda t, x: _anon_eu(g, t, x)  # noqa: E731
    ends = sorted({_frac(r.lower) for r in res.regimes if r.lower.is_finite and r.lower > 0})
    # by hand: (1 + eps) * ((n - 1) / n) ** (n - 1) = 1
    assert ends == [Fraction(n ** (n - 1), (n - 1) ** (n - 1)) - 1]
    for e in ends:
        for t in (e - Fraction(1, 1000), e, e + Fraction(1, 1000)):
            _check_sample(res, t, eu, 3, 6 * n)


def test_example_505_regimes():
    g = example_5_0_5()
    res = parametric_regimes(g, [[0, 1]])
    assert res.complete
    assert [r.interval_str() for r in res.regimes] == ["(0, 11)", "[11, 11]", "(11, oo)"]
    eu = lambda t, x: _dense2_eu(g, t, x)  # noqa: E731
    for t in (Fraction(1, 2), Fraction(10999, 1000), Fraction(11), Fraction(11001, 1000), Fraction(40)):
        _check_sample(res, t, eu, 3, 20)
    js = res.to_json()
    assert js["regimes"][2]["value"] in ("eps/2 - 9/2", "(eps - 9)/2")
    assert js["regimes"][0]["interval"] == {"lower": "0", "upper": "11", "lower_closed": False, "upper_closed": False}


def test_example_505_verdicts_injected():
    from exactgames.certify.verdicts import profile_verdicts

    res = parametric_regimes(example_5_0_5(), [[0, 1]], verdicts=profile_verdicts)
    first = res.regimes[0]
    # Example 5.0.5: (a, a) is Nash, degenerate, not locally optimal in asymmetric space
    assert (first.nash, first.degenerate, first.locally_optimal_asymmetric) == (True, True, False)
    assert "sample point" in first.verdicts_note


def test_domain_interval_closed_ends():
    g = ten_robots(n=3)
    g = AnonymousGame(g.n_players, g.actions, g.payoff, g.players, g.title, (("eps", "[0, 2]"),))
    res = parametric_regimes(g)
    assert str(res.domain) == "[0, 2]"
    assert res.regimes[0].lower_closed and res.regimes[0].lower == 0
    assert res.regimes[-1].upper_closed and res.regimes[-1].upper == 2
    eu = lambda t, x: _anon_eu(g, t, x)  # noqa: E731
    for t in (Fraction(0), Fraction(5, 4), Fraction(2)):
        _check_sample(res, t, eu, 3, 12)


def test_parameter_errors():
    with pytest.raises(ParameterError, match="exactly one parameter"):
        parametric_regimes(ten_robots(eps="1"))
    two = Game.from_common([["a", "b"]] * 2, {("a", "a"): "p", ("b", "b"): "q"}, symbols=["p", "q"])
    with pytest.raises(ParameterError, match="has 2"):
        parametric_regimes(two, [[0, 1]])
    bad = AnonymousGame(3, ("a", "b", "c"), ten_robots(n=3).payoff, domains=(("eps", "sometimes"),))
    with pytest.raises(ParameterError, match="domain of parameter 'eps'.*not understood"):
        parameter_domain(bad)
    assert issubclass(ParameterError, ExactError)


def test_real_domain_default():
    t = sympy.Symbol("t")
    g = Game.from_common([["a", "b"]] * 2, {("a", "a"): 1, ("b", "b"): t}, symbols={"t": t})
    res = parametric_regimes(g, [[0, 1]])
    assert str(res.domain) == "(-oo, oo)"
    # b wins above t = 1, a below; at t = 1 both
    assert [r.interval_str() for r in res.regimes] == ["(-oo, 1)", "[1, 1]", "(1, oo)"]
    assert res.regimes[0].strategies[0] == (1, 0) and res.regimes[2].strategies[0] == (0, 1)


@settings(max_examples=40, deadline=None)
@given(st.fractions(min_value=-20, max_value=20), st.fractions(min_value=Fraction(1, 10**6), max_value=5))
def test_simplest_between(lo, w):
    hi = lo + w
    s = _simplest_between(lo, hi)
    assert lo < s < hi


def test_irrational_threshold():
    t = sympy.Symbol("t")
    third = sympy.Rational(1, 3)
    g = Game.from_common([["a", "b"]] * 2, {("a", "a"): 1, ("b", "b"): t**2 - 1, ("a", "b"): third, ("b", "a"): third}, symbols={"t": t})
    res = parametric_regimes(g, [[0, 1]])
    assert res.complete
    # by hand: b beats a when t**2 - 1 > 1, i.e. |t| > sqrt(2); the endpoints must be exactly -sqrt(2) and sqrt(2)
    pts = [r.lower for r in res.regimes if r.lower_closed and r.upper_closed]
    assert pts == [-sympy.sqrt(2), sympy.sqrt(2)]

    def eu(tv: Fraction, x) -> Fraction:
        tt = sympy.Rational(tv.numerator, tv.denominator)
        return sum((x[p[0]] * x[p[1]] * _frac(u.subs(t, tt)) for p, u in zip(g.index_profiles(), g.payoffs[0])), Fraction(0))

    for tv in (Fraction(-142, 100), Fraction(-141, 100), Fraction(0), Fraction(141, 100), Fraction(142, 100)):
        tt = sympy.Rational(tv.numerator, tv.denominator)
        r = next(r for r in res.regimes if (r.lower == -sympy.oo or r.lower < tt) and (r.upper == sympy.oo or tt < r.upper))
        strat = [_frac(sympy.sympify(p).subs(t, tt)) for p in r.strategies[0]]
        assert eu(tv, strat) == _frac(sympy.sympify(r.value).subs(t, tt))
        assert eu(tv, strat) >= max(eu(tv, x) for x in _grid(2, 60))


def _butlers(t):
    def u(p):
        total = 0
        for g in range(4):
            seen = {p[(g - 1) % 4], p[g], p[(g + 1) % 4]}
            total += 0 if "D" not in seen else (2 if "F" in seen else t)
        return total

    return u


def test_butlers_with_parameter_radical_branch():
    from exactgames.model.exact import compare

    t = sympy.Symbol("t", positive=True)
    g = Game.from_common([["F", "D"]] * 4, _butlers(t), symbols={"t": t})
    res = parametric_regimes(g, [[0, 1, 2, 3]])
    assert res.complete
    assert [r.interval_str() for r in res.regimes] == ["(0, 2]", "(2, oo)"]
    # Appendix C (t = 1): hold food with probability sqrt(2) - 1
    x_f = sympy.sympify(res.regimes[0].strategies[0][0]).subs(t, 1)
    assert compare(x_f, sympy.sqrt(2) - 1) == 0

    def eu(tv, x):  # symmetric profile: every butler holds F with probability x, summed over the 16 profiles
        u = _butlers(tv)
        return sum(
            (sympy.Mul(*[x if a == "F" else 1 - x for a in prof]) * u(prof) for prof in itertools.product("FD", repeat=4)),
            sympy.Integer(0),
        )

    for tv in (sympy.Rational(1, 2), sympy.Integer(1), sympy.Rational(19, 10), sympy.Rational(21, 10), sympy.Integer(3)):
        r = next(r for r in res.regimes if tv > r.lower and (r.upper == sympy.oo or tv < r.upper or (r.upper_closed and tv == r.upper)))
        x = sympy.sympify(r.strategies[0][0]).subs(t, tv)
        value = sympy.sympify(r.value).subs(t, tv)
        assert compare(sympy.expand(eu(tv, x)), value) == 0
        pay = {prof: _frac(sympy.sympify(_butlers(tv)(prof))) for prof in itertools.product("FD", repeat=4)}

        def eu_q(x: Fraction) -> Fraction:
            return sum((math.prod(x if a == "F" else 1 - x for a in prof) * v for prof, v in pay.items()), Fraction(0))

        best = max(eu_q(Fraction(k, 200)) for k in range(201))
        assert compare(value, sympy.Rational(best.numerator, best.denominator)) >= 0


def test_time_limit_gives_incomplete_not_wrong():
    res = parametric_regimes(ten_robots(n=4), time_limit=0.0)
    assert not res.complete and res.regimes == () and "time limit" in res.reason
