"""Exact value codes and single-permutation verification."""

import itertools
import random

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.model.game import Game
from exactgames.symmetry.values import exact_codes, exactly_equal
from exactgames.symmetry.verify import find_violation, is_symmetry, payoff_table, violation_message

SQ2 = sympy.sqrt(2)
EPS = sympy.Symbol("eps")


def test_codes_merge_equal_values_written_differently():
    vals = [2 - SQ2, SQ2 * (SQ2 - 1), sympy.Rational(1, 2), (1 + SQ2) * (1 - SQ2) + sympy.Rational(3, 2),
            (1 + EPS) ** 2, 1 + 2 * EPS + EPS**2, EPS, sympy.Rational(586, 1000)]
    codes, reps = exact_codes(vals)
    assert codes[0] == codes[1]
    assert codes[2] == codes[3]  # (1+sqrt2)(1-sqrt2) + 3/2 = 1/2
    assert codes[4] == codes[5]
    assert len(set(codes)) == 5
    assert len(reps) == 5


def test_codes_keep_close_but_different_values_apart():
    a = SQ2 - 1
    b = sympy.Rational(41421356237309504880, 10**20)  # agrees with sqrt(2)-1 to 20 digits
    codes, _ = exact_codes([a, b, sympy.sqrt(3) - sympy.sqrt(2), sympy.Rational(31783724519578224473, 10**20)])
    assert len(set(codes)) == 4


@settings(max_examples=30, deadline=None)
@given(st.lists(st.fractions(min_value=-3, max_value=3, max_denominator=5), min_size=1, max_size=30))
def test_codes_are_equality_classes(fracs):
    vals = [sympy.Rational(f.numerator, f.denominator) for f in fracs]
    codes, _ = exact_codes(vals)
    for i, j in itertools.combinations(range(len(vals)), 2):
        assert (codes[i] == codes[j]) == (fracs[i] == fracs[j])


def test_exactly_equal():
    assert exactly_equal(1 / (1 + EPS), (1 - EPS) / (1 - EPS**2))
    assert not exactly_equal(EPS, EPS + sympy.Rational(1, 10**30))


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10**6))
def test_find_violation_returns_a_real_counterexample(seed):
    rng = random.Random(seed)
    n, m = 3, 2
    vals = {a: rng.randint(0, 1) for a in itertools.product(["u", "v"], repeat=n)}
    general = rng.random() < 0.5
    if general:
        g = Game.from_payoff_function([["u", "v"]] * n, lambda a: (vals[a], 1 - vals[a], vals[a]))
    else:
        g = Game.from_common([["u", "v"]] * n, vals)
    for perm in itertools.permutations(range(n)):
        prof = find_violation(g, perm)
        moved = None
        if prof is not None:
            moved = tuple(prof[perm[j]] for j in range(n))
            assert any(g.payoff(perm[i], prof) != g.payoff(i, moved) for i in range(m + 1))
            assert not is_symmetry(g, perm)
            assert violation_message(g, perm)
        else:
            assert all(g.payoff(perm[i], a) == g.payoff(i, tuple(a[perm[j]] for j in range(n)))
                       for a in g.profiles() for i in range(n))


def test_payoff_table_orders_actions_by_name():
    g = Game.from_common([["b", "a"], ["a", "b"]], lambda p: int(p[0] == "a") + 2 * int(p[1] == "a"))
    t = payoff_table(g)
    assert t.action_names == (("a", "b"), ("a", "b"))
    assert t.codes.shape == (1, 2, 2)
    assert not is_symmetry(g, [1, 0])
    h = Game.from_common([["b", "a"], ["a", "b"]], lambda p: int(p[0] == "a") + int(p[1] == "a"))
    assert is_symmetry(h, [1, 0])


def test_incompatible_action_sets_message():
    g = Game.from_common([["x", "y"], ["x", "z"]], lambda p: 0)
    assert not is_symmetry(g, [1, 0])
    prof = find_violation(g, [1, 0])
    assert prof == ("x", "z") or prof == ("y", "x")
    assert "action sets differ" in violation_message(g, [1, 0])
