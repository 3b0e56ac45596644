"""The tree model, its EU polynomial, symmetries and exact best responses, against independent computations."""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

from exactgames.io.dpomdp import read_dpomdp
from exactgames.io.efg import parse_efg, read_efg
from exactgames.model.decpomdp import unroll
from exactgames.model.tree_eu import evaluate, symmetric_eu
from exactgames.sequential.brute import player_pure_policies, pure_value
from exactgames.sequential.nash import best_response
from exactgames.sequential.optimize import symmetric_setup
from exactgames.sequential.symmetry import tree_symmetries

GAMES = Path(__file__).resolve().parents[2] / "examples" / "games"


def _random_dist(rng: random.Random, m: int) -> tuple[Fraction, ...]:
    w = [rng.randint(0, 5) for _ in range(m)]
    if not sum(w):
        w[0] = 1
    return tuple(Fraction(x, sum(w)) for x in w)


def test_homogenised_polynomial_equals_tree_evaluation_on_the_simplices():
    for tree in (read_efg(GAMES / "veil_of_ignorance.efg"), unroll(read_dpomdp(GAMES / "dectiger.dpomdp"), 1)):
        sym = tree_symmetries(tree)
        sizes, ms, coef = symmetric_eu(tree, sym.classes)
        rng = random.Random(1)
        for _ in range(3):
            pol = [_random_dist(rng, m) for m in ms]
            x = [v for d in pol for v in d]
            f = sum((c * _mono(x, e) for e, c in coef.items()), Fraction(0))
            assert f == evaluate(tree, {i: pol[c] for c, mem in enumerate(sym.classes) for i in mem})
            # homogeneous of degree sizes[c] in each class
        offs = [sum(ms[:c]) for c in range(len(ms))]
        for e in list(coef)[:200]:
            assert all(sum(e[offs[c]:offs[c] + ms[c]]) == sizes[c] for c in range(len(ms)))


def _mono(x: list[Fraction], e: tuple[int, ...]) -> Fraction:
    out = Fraction(1)
    for v, k in zip(x, e):
        if k:
            out *= v ** k
    return out


def test_setup_drops_classes_the_payoff_does_not_depend_on():
    tree = parse_efg('''EFG 2 R "" { "1" "2" } ""
p "" 1 1 "x" { "a" "b" } 0
p "" 2 1 "x" { "a" "b" } 0
t "" 1 "" { 1 1 }
t "" 0
p "" 2 1 0
t "" 0
t "" 2 "" { 2 2 }''')
    sym = tree_symmetries(tree)
    s, keep, free = symmetric_setup(tree, sym)
    assert sym.order == 2 and keep == (0,) and free == () and s.sizes == (2,)
    assert s.coef == {(2, 0): Fraction(1), (0, 2): Fraction(2)}


def test_asymmetric_tree_has_only_the_identity():
    tree = parse_efg('''EFG 2 R "" { "1" "2" } ""
p "" 1 1 "x" { "a" "b" } 0
p "" 2 1 "x" { "a" "b" } 0
t "" 1 "" { 1 1 }
t "" 0
p "" 2 1 0
t "" 2 "" { 3 3 }
t "" 0''')
    sym = tree_symmetries(tree)
    assert sym.order == 1 and sym.agent_orbits == ((0,), (1,))


def test_best_response_equals_brute_force_over_pure_deviations():
    tree = unroll(read_dpomdp(GAMES / "dectiger.dpomdp"), 2)
    rng = random.Random(3)
    beh = {i: _random_dist(rng, 3) for i in range(len(tree.infosets))}
    r = best_response(tree, beh, 1)
    best = None
    for dev in player_pure_policies(tree, 1):
        b = dict(beh)
        for i, a in dev.items():
            b[i] = tuple(Fraction(int(a == k)) for k in range(3))
        v = evaluate(tree, b)
        best = v if best is None or v > best else best
    assert r.value == best and r.gain == best - evaluate(tree, beh)
    # the best response's own choices attain it
    b = dict(beh)
    for i, a in r.choice.items():
        b[i] = tuple(Fraction(int(a == k)) for k in range(3))
    assert evaluate(tree, b) == r.value


def test_pure_value_matches_evaluate():
    tree = unroll(read_dpomdp(GAMES / "dectiger.dpomdp"), 2)
    for pol in list(player_pure_policies(tree, 0))[:5]:
        choice = dict(pol)
        for i in tree.player_infosets(1):
            choice[i] = 0
        for i in range(len(tree.infosets)):
            choice.setdefault(i, 0)
        beh = {i: tuple(Fraction(int(a == k)) for k in range(3)) for i, a in choice.items()}
        assert pure_value(tree, choice) == evaluate(tree, beh)



def test_model_level_team_optimum_agrees_with_the_optimiser_side():
    """tree_pure (for a checker: model layer only) and sequential.brute compute the same team optimum."""
    from exactgames.model.tree_pure import team_optimum_value
    from exactgames.sequential.brute import team_optimum

    for tree in (read_efg(GAMES / "veil_of_ignorance.efg"), unroll(read_dpomdp(GAMES / "dectiger.dpomdp"), 2)):
        v, count = team_optimum_value(tree)
        other = team_optimum(tree)
        assert v == other.value and count == other.count
    assert team_optimum_value(read_efg(GAMES / "veil_of_ignorance.efg"))[0] == Fraction(21, 4)  # Appendix A, asymmetric


def test_sequence_form_value_and_best_reply_agree_with_the_tree():
    """tree_pure's sequence form (the checker's route) against tree evaluation and the optimiser's backward induction."""
    from exactgames.model.tree_pure import best_reply_value, plan_value, sequence_form

    for tree in (read_efg(GAMES / "veil_of_ignorance.efg"), unroll(read_dpomdp(GAMES / "dectiger.dpomdp"), 2)):
        sf = sequence_form(tree)
        rng = random.Random(5)
        for _ in range(3):
            beh = {i: _random_dist(rng, len(inf.actions)) for i, inf in enumerate(tree.infosets)}
            assert plan_value(tree, sf, beh) == evaluate(tree, beh)
            for p in (0, 1):
                assert best_reply_value(tree, sf, beh, p) == best_response(tree, beh, p).value


def test_sequence_form_team_optimum_of_dectiger_h3():
    """The checker's team optimum at horizon 3 (1-2 s by the sequence form; the node-by-node version took a minute)."""
    from exactgames.model.tree_pure import team_optimum_value

    v, count = team_optimum_value(unroll(read_dpomdp(GAMES / "dectiger.dpomdp"), 3))
    assert count == 3 ** 7 and v == Fraction(83053, 16000) and f"{float(v):.6f}" == "5.190812"  # literature: 5.190812


def test_sequence_form_refuses_imperfect_recall():
    import pytest

    from exactgames.model.tree import TreeError
    from exactgames.model.tree_pure import sequence_form

    tree = parse_efg('''EFG 2 R "" { "1" "2" } ""
p "" 1 1 "x" { "a" "b" } 0
p "" 1 2 "y" { "a" "b" } 0
t "" 1 "" { 1 1 }
t "" 0
p "" 1 2 "y" { "a" "b" } 0
t "" 0
t "" 2 "" { 2 2 }''')
    with pytest.raises(TreeError, match="perfect recall"):
        sequence_form(tree)
