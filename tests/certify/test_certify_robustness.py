"""Appendix D bounds checked exactly on the paper's games and random perturbations."""

import itertools
import math
from fractions import Fraction

import flint
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.certify.robustness import (
    kl_divergence,
    kl_robustness,
    perturbation_robustness,
    total_variation,
    tv_robustness,
    worst_case_perturbation,
)
from exactgames.model import ExactError, Game, make_profile, pure_profile
from exactgames.paper_games import example_5_0_5, taxi_symmetric


def frac(x):
    return Fraction(int(x.p), int(x.q))


def brute_gap(game, profile):
    """Largest unilateral gain, by brute force with Fractions."""
    prof = [[frac(sympy.Rational(p)) for p in s] for s in profile]

    def eu(i, pr):
        tot = Fraction(0)
        for idx in itertools.product(*(range(len(a)) for a in game.actions)):
            w = math.prod((pr[j][k] for j, k in enumerate(idx)), start=Fraction(1))
            tot += w * frac(game.payoff(i, idx))
        return tot

    best = Fraction(0)
    for i in range(game.n_players):
        base = eu(i, prof)
        for b in range(len(game.actions[i])):
            dev = [list(s) for s in prof]
            dev[i] = [Fraction(int(k == b)) for k in range(len(game.actions[i]))]
            best = max(best, eu(i, dev) - base)
    return best


def test_worst_case_attains_2eps_at_indifferent_pure_equilibrium():
    # at (a, a) of Example 5.0.5 player 1 is indifferent to b (played with probability 0): gap 2 eps exactly
    g = example_5_0_5("1/2")
    s = pure_profile(g, ["a", "a"])
    w = worst_case_perturbation(g, s, "1/100")
    assert w.attains_bound and w.gap == sympy.Rational(1, 50)
    assert brute_gap(w.perturbed, s) == Fraction(1, 50)
    assert max(abs(frac(x) - frac(y)) for r1, r2 in zip(g.payoffs, w.perturbed.payoffs) for x, y in zip(r1, r2)) == Fraction(1, 100)


def test_worst_case_at_fully_mixed_equilibrium_is_below_2eps():
    # taxi 1b at (1/2, 1/2): every action is in the support, the gap is eps (1 - 1/2) * 2 = eps
    g = taxi_symmetric()
    s = make_profile(g, [["1/2", "1/2"]] * 2)
    w = worst_case_perturbation(g, s, "1/10")
    assert w.gap == sympy.Rational(1, 10) and not w.attains_bound
    assert brute_gap(w.perturbed, s) == Fraction(1, 10)


def test_eps_too_small_is_an_error():
    g = taxi_symmetric()
    h = Game.from_common([["H", "W"]] * 2, {("H", "H"): 2, ("H", "W"): 2, ("W", "H"): 2, ("W", "W"): 1})
    with pytest.raises(ExactError, match="not an eps-perturbation"):
        perturbation_robustness(g, h, make_profile(g, [["1/2", "1/2"]] * 2), eps="1/2")


def test_total_variation_by_hand():
    h = sympy.Rational(1, 2)
    # joint of (1/2,1/2)x(1/2,1/2) vs (1,0)x(1/2,1/2): |1/2-1/4|*2 + 1/4*2 = 1, half is 1/2
    assert total_variation(((h, h), (h, h)), ((1, 0), (h, h))) == h


def test_kl_enclosure_by_hand():
    h = sympy.Rational(1, 2)
    b = kl_divergence(((h, h),), ((sympy.Rational(1, 4), sympy.Rational(3, 4)),), prec=200)
    exact = 0.5 * math.log(2) + 0.5 * math.log(2 / 3)  # for comparison only
    assert abs(float(b.mid()) - exact) < 1e-12 and b.rad() < flint.arb("1e-40")


small = st.integers(min_value=-3, max_value=3)


@st.composite
def game_with_nash_and_perturbation(draw):
    vals = {p: draw(small) for p in itertools.product("ab", repeat=2)}
    g = Game.from_common([["a", "b"]] * 2, {p: v for p, v in vals.items()})
    # the best pure profile of a common-payoff game is a Nash equilibrium (by hand: nobody can exceed the max)
    best = max(vals, key=lambda p: vals[p])
    eps = Fraction(draw(st.integers(1, 5)), draw(st.integers(1, 10)))
    noise = {p: eps * Fraction(draw(st.integers(-10, 10)), 10) for p in vals}
    h = Game.from_common([["a", "b"]] * 2, {p: str(Fraction(vals[p]) + noise[p]) for p in vals})
    return g, h, pure_profile(g, list(best)), eps


@settings(max_examples=25, deadline=None)
@given(game_with_nash_and_perturbation())
def test_proposition_d02_on_random_perturbations(data):
    g, h, s, eps = data
    c = perturbation_robustness(g, h, s, eps=str(eps))
    assert c.premise_nash and c.holds
    gap = brute_gap(h, s)
    assert gap == frac(c.gap_perturbed) and gap <= 2 * eps


@settings(max_examples=20, deadline=None)
@given(game_with_nash_and_perturbation(), st.integers(0, 10), st.integers(0, 10))
def test_theorem_d03_and_corollary_d04_on_random_profiles(data, a, b):
    g, _, s_star, _ = data
    # s: each player moves a/40, b/40 of probability away from s*
    p0 = [frac(x) for x in s_star[0]]
    p1 = [frac(x) for x in s_star[1]]
    da, db = Fraction(a, 40), Fraction(b, 40)
    s = make_profile(g, [[p0[0] + (da if p0[0] == 0 else -da), p0[1] + (da if p0[1] == 0 else -da)],
                         [p1[0] + (db if p1[0] == 0 else -db), p1[1] + (db if p1[1] == 0 else -db)]])
    c = tv_robustness(g, s, s_star)
    # TV of the product: 1 - P(both keep the pure action) = 1 - (1-da)(1-db)
    assert frac(c.distance) == 1 - (1 - da) * (1 - db)
    M = max(abs(frac(x)) for x in g.payoffs[0])
    assert brute_gap(g, s) <= 4 * frac(c.distance) * M and c.holds
    k = kl_robustness(g, s, s_star)
    assert k.holds


def test_zero_gap_against_a_zero_bound_is_decided_exactly():
    # all payoffs 0: the Nash gap and the bound are both exactly 0 (hypothesis found the balls could not separate them)
    from exactgames.certify.robustness import kl_robustness
    from exactgames.model.game import Game
    from exactgames.model.profile import make_profile

    g = Game.from_common([["a", "b"]] * 2, {})
    c = kl_robustness(g, make_profile(g, [["1", "0"], ["39/40", "1/40"]]), make_profile(g, [["1", "0"], ["1", "0"]]))
    assert c.gap == 0 and c.holds is True
