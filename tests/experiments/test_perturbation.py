"""Tests of the Table 8 quantity against an explicit perturbation + simultaneous best response.

The expected answer is computed by a different route from the module's
formula: for every adversarial choice ``(a_1, ..., a_n)`` in ``S^n`` we build
the eps-perturbed dense game (eps = 10^-6, exact), compute each player's
exact best responses to ``s_-i`` in it, check that the perturbation makes
``a_i`` the unique best response, play the simultaneous update, and read the
original common payoff of the new profile; the worst case over all choices
gives the decrease.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
import sympy

from exactgames.experiments.generators import generate
from exactgames.experiments.perturbation import PerturbationError, perturbation_decrease, support_min_payoff
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.utility import deviation_payoffs
from exactgames.optimize.kkt import kkt_optimum

EPS = sympy.Rational(1, 10**6)


def _explicit_worst_decrease(game: AnonymousGame, strategy, support):
    dense = game.to_dense()
    n = game.n_players
    profile = tuple(tuple(strategy) for _ in range(n))
    eu = sum(p * q for p, q in zip(strategy, deviation_payoffs(dense, profile, 0)))
    worst = None
    for choice in itertools.product(support, repeat=n):
        # player i gets +eps wherever she plays choice[i]
        pay = []
        for i in range(n):
            row = [v + (EPS if prof[i] == choice[i] else 0) for v, prof in zip(dense.payoffs[i], dense.index_profiles())]
            pay.append(tuple(row))
        perturbed = Game(dense.actions, tuple(pay))
        new = []
        for i in range(n):
            dev = deviation_payoffs(perturbed, profile, i)
            best = max(dev)
            brs = [a for a, v in enumerate(dev) if sympy.simplify(v - best) == 0]
            assert brs == [choice[i]]  # the perturbation makes the adversary's action the unique best response
            new.append(brs[0])
        after = dense.payoffs[0][dense.index(tuple(dense.actions[0][a] for a in new))]
        worst = after if worst is None or after < worst else worst
    return sympy.nsimplify((eu - worst) / eu), eu


def test_two_by_two_by_hand():
    g = AnonymousGame.from_function(2, ["a", "b"], {(2, 0): "1/2", (1, 1): 1, (0, 2): "1/4"})
    expected, eu = _explicit_worst_decrease(g, (sympy.Rational(3, 5), sympy.Rational(2, 5)), (0, 1))
    assert eu == sympy.Rational(7, 10) and expected == sympy.Rational(9, 14)
    r = perturbation_decrease(g, eu, (0, 1))
    assert r.decrease == expected
    assert r.interval[0] <= Fraction(9, 14) <= r.interval[1]


def test_generated_two_player_games_match_explicit_route():
    checked = 0
    for seed in range(12):
        g = generate("random", 2, 3, seed)
        opt = kkt_optimum(g)
        if not opt.mixed:
            continue
        assert all(s.is_Rational for s in opt.strategies[0])  # 2 players: linear KKT system, rational optimum
        expected, eu = _explicit_worst_decrease(g, opt.strategies[0], opt.support[0])
        assert sympy.simplify(eu - opt.value) == 0
        r = perturbation_decrease(g, opt.value, opt.support[0], opt.value_interval)
        assert sympy.simplify(r.decrease - expected) == 0
        lo, hi = r.interval
        assert lo <= Fraction(int(sympy.numer(expected)), int(sympy.denom(expected))) <= hi
        checked += 1
    assert checked >= 3


def test_three_players_rational_interior():
    # EU(p) = 3p(1-p)(p + (1-p)) ... with u(2,1) = u(1,2) = 1 and 0 on agreement: max at p = 1/2, EU = 3/4
    g = AnonymousGame.from_function(3, ["a", "b"], {(2, 1): 1, (1, 2): 1}, default=0)
    half = sympy.Rational(1, 2)
    expected, eu = _explicit_worst_decrease(g, (half, half), (0, 1))
    assert eu == sympy.Rational(3, 4)
    assert perturbation_decrease(g, eu, (0, 1)).decrease == expected == 1


def test_irrational_value_interval_encloses():
    g = generate("random", 3, 3, 0)
    opt = kkt_optimum(g)
    assert opt.mixed and not opt.value.is_Rational
    r = perturbation_decrease(g, opt.value, opt.support[0], opt.value_interval)
    approx = float(1 - float(r.min_payoff) / float(sympy.N(opt.value, 40)))
    assert float(r.interval[0]) <= approx + 1e-15 and approx - 1e-15 <= float(r.interval[1])
    assert r.interval[1] - r.interval[0] < Fraction(1, 10**20)


def test_pure_support_and_bad_input():
    g = AnonymousGame.from_function(2, ["a", "b"], {(2, 0): 1, (1, 1): 0, (0, 2): "1/2"})
    assert support_min_payoff(g, (0,)) == (1, (2, 0))
    assert perturbation_decrease(g, 1, (0,)).decrease == 0
    with pytest.raises(PerturbationError, match="non-empty"):
        support_min_payoff(g, ())
    with pytest.raises(PerturbationError, match="0..1"):
        support_min_payoff(g, (0, 2))
    with pytest.raises(PerturbationError, match="not positive"):
        perturbation_decrease(g, 0, (0, 1))
