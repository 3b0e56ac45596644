"""The concave-face route for two-player symmetric games against independent routes.

The exact KKT enumeration over every support (a second algorithm), a dense grid of rational profiles (no
theory at all) and the certified branch and bound's enclosure must agree with it.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from flint import fmpq
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.experiments.generators import generate
from exactgames.model.game import AnonymousGame
from exactgames.optimize import bnb
from exactgames.optimize.kkt import kkt_optimum
from exactgames.optimize.quadratic import concave_sets, negative_semidefinite, quadratic_optimum


def _game(m: int, values: list[int]) -> AnonymousGame:
    counts = [c for c in itertools.product(range(3), repeat=m) if sum(c) == 2]
    return AnonymousGame.from_function(2, [f"a{i}" for i in range(m)], dict(zip(counts, values)))


def _eu(g: AnonymousGame, x: list[Fraction]) -> Fraction:
    m = len(x)
    total = Fraction(0)
    for a in range(m):
        for b in range(m):
            c = [0] * m
            c[a] += 1
            c[b] += 1
            v = g.fmpq_payoff[tuple(c)]
            total += Fraction(int(v.p), int(v.q)) * x[a] * x[b]
    return total


games = st.integers(2, 5).flatmap(
    lambda m: st.lists(st.integers(-4, 4), min_size=m * (m + 1) // 2, max_size=m * (m + 1) // 2).map(lambda v: _game(m, v)))


@settings(max_examples=120, deadline=None)
@given(games)
def test_agrees_with_exact_kkt_enumeration_and_a_grid(g: AnonymousGame) -> None:
    r = quadratic_optimum(g)
    k = kkt_optimum(g, [[0, 1]], time_limit=None)
    if r is None:  # a degenerate winning face: declined, never answered wrongly
        return
    assert r.complete and r.value_exact and k.complete
    assert r.value == k.value
    m = len(r.actions[0])
    x = [Fraction(int(v.p), int(v.q)) for v in r.strategies[0]]
    assert sum(x) == 1 and min(x) >= 0 and _eu(g, x) == Fraction(str(r.value))
    for c in itertools.product(range(5), repeat=m):  # every profile with probabilities in quarters
        if sum(c) == 4:
            assert _eu(g, [Fraction(v, 4) for v in c]) <= Fraction(str(r.value))
    for t in r.ties:
        y = [Fraction(int(v.p), int(v.q)) for v in t[0]]
        assert _eu(g, y) == Fraction(str(r.value)) and y != x


def test_two_tied_pure_maxima_are_both_reported() -> None:
    g = AnonymousGame.from_function(2, ["a", "b", "c"], {(2, 0, 0): 3, (0, 2, 0): 3, (0, 0, 2): 1}, default=0)
    r = quadratic_optimum(g)
    assert r.value == 3 and r.support == ((0,),) and len(r.ties) == 1 and tuple(map(int, r.ties[0][0])) == (0, 1, 0)


def test_a_continuum_is_declined() -> None:
    # every profile over {a, b} is worth 1: no strict maximiser, the route leaves it to the branch and bound
    g = AnonymousGame.from_function(2, ["a", "b", "c"], {(2, 0, 0): 1, (1, 1, 0): 1, (0, 2, 0): 1}, default=0)
    assert quadratic_optimum(g) is None


def test_semidefiniteness_against_eigenvalue_signs() -> None:
    q = lambda rows: [[fmpq(v) for v in r] for r in rows]  # noqa: E731
    assert negative_semidefinite(q([[-2, 1], [1, -2]]), strict=True)
    assert negative_semidefinite(q([[0, 0], [0, -1]])) and not negative_semidefinite(q([[0, 0], [0, -1]]), strict=True)
    assert not negative_semidefinite(q([[0, 1], [1, 0]]))  # eigenvalues +1, -1
    assert not negative_semidefinite(q([[-1, 0, 0], [0, -1, 2], [0, 2, -1]]))  # eigenvalue +1


def test_concave_sets_are_down_closed_and_complete_on_a_small_game() -> None:
    g = generate("random", 2, 6, 3)
    from exactgames.optimize.quadratic import _reduced, payoff_matrix

    A = payoff_matrix(g)
    fam, _ = concave_sets(A)
    every = {T for k in range(1, 7) for T in itertools.combinations(range(6), k)
             if len(T) == 1 or negative_semidefinite(_reduced(A, T))}  # by brute force over all 63 sets
    assert set(fam) == every


@pytest.mark.parametrize("seed", range(4))
def test_inside_the_branch_and_bound_enclosure(seed: int) -> None:
    g = generate("random", 2, 10, seed, scale="appendix")
    r = quadratic_optimum(g)
    b = bnb.certified_optimum(g, [[0, 1]], limits=bnb.BnbLimits(time_limit=60))
    assert b.complete and b.value_interval[0] <= Fraction(str(r.value)) <= b.value_interval[1]
    assert b.support == r.support
