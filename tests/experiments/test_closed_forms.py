"""Tests of exactgames.experiments.closed_forms against sampled games and other routes."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from exactgames.experiments.closed_forms import (
    cell_closed_form,
    pure_by_dominance,
    random_2x2_mixed_probability,
    two_by_two_condition,
)
from exactgames.experiments.generators import generate
from exactgames.experiments.report import wilson
from exactgames.optimize.kkt import kkt_optimum


def _interior_beats_vertices(a: float, b: float, c: float) -> bool:
    """Dense-grid route (independent of the derivation): does some interior p beat both pure strategies?"""
    p = np.linspace(0.0, 1.0, 4001)[1:-1]
    eu = a * p**2 + 2 * b * p * (1 - p) + c * (1 - p) ** 2
    return bool(eu.max() > max(a, c) + 1e-12)


def test_probability_is_one_third():
    assert random_2x2_mixed_probability() == sympy.Rational(1, 3)
    assert cell_closed_form("random", 2, 2).probability == sympy.Rational(1, 3)


def test_derived_condition_against_grid():
    d = two_by_two_condition()
    a, b, c = sympy.symbols("a b c", real=True)
    rng = np.random.RandomState(5)
    for _ in range(60):
        va, vb, vc = (sympy.Rational(int(x), 1000) for x in rng.randint(0, 1000, 3))
        if len({va, vb, vc}) < 3:
            continue
        sub = {a: va, b: vb, c: vc}
        concave = d["second"].subs(sub) < 0
        interior = concave and 0 < d["p_star"].subs(sub) < 1
        assert interior == (vb > max(va, vc))
        if interior:
            assert d["gain_a"].subs(sub) > 0 and d["gain_c"].subs(sub) > 0
        assert interior == _interior_beats_vertices(float(va), float(vb), float(vc))


def test_sampled_fraction_matches_closed_form():
    n_games = 1500
    mixed = 0
    for seed in range(n_games):
        g = generate("random", 2, 2, seed)
        a, b, c = (float(g.value(k)) for k in ((2, 0), (1, 1), (0, 2)))
        mixed += _interior_beats_vertices(a, b, c)
    p, lo, hi = wilson(mixed, n_games)
    assert lo <= 1 / 3 <= hi, (p, lo, hi)


@pytest.mark.parametrize("cls", ["coordination", "collaboration"])
@pytest.mark.parametrize("n,m", [(2, 2), (2, 3), (3, 2), (3, 3)])
def test_coordination_and_collaboration_are_pure(cls, n, m):
    assert cell_closed_form(cls, n, m).probability == 0
    rng = np.random.RandomState(n * 10 + m)
    for seed in range(3):
        g = generate(cls, n, m, seed)
        assert pure_by_dominance(g)
        # second route: the exact KKT enumeration also finds a pure optimum
        opt = kkt_optimum(g)
        assert opt.complete and not opt.mixed
        # third route: no random mixed strategy beats the best pure one (floats, generous margin)
        dense = g.to_dense()
        best_pure = max(float(g.value(tuple(n if k == j else 0 for k in range(m)))) for j in range(m))
        pay = np.array([float(v) for v in dense.payoffs[0]]).reshape((m,) * n)
        for _ in range(30):
            x = rng.dirichlet(np.ones(m))
            eu = pay
            for _ in range(n):
                eu = eu @ x
            assert eu <= best_pure + 1e-12


def test_dominance_fails_on_some_random_games_and_no_closed_form_elsewhere():
    assert not all(pure_by_dominance(generate("random", 2, 3, s)) for s in range(10))
    assert cell_closed_form("random", 3, 3) is None
