"""Published numbers: Dec-Tiger (undiscounted, horizons 1-3) and the veil of ignorance of Appendix A as an .efg."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from exactgames.io.dpomdp import read_dpomdp
from exactgames.io.efg import read_efg
from exactgames.model.decpomdp import unroll
from exactgames.model.tree_eu import evaluate
from exactgames.sequential.brute import best_symmetric_pure, team_optimum
from exactgames.sequential.optimize import optimize_tree, policy_table
from exactgames.sequential.symmetry import tree_symmetries

GAMES = Path(__file__).resolve().parents[2] / "examples" / "games"


@pytest.fixture(scope="module")
def tiger():
    return read_dpomdp(GAMES / "dectiger.dpomdp")


def test_dectiger_file_matches_the_literature(tiger):
    # joint rewards of Nair et al. (2003): tiger left (state 0); actions listen, open-left, open-right
    L, OL, OR = 0, 1, 2
    expected = {(L, L): -2, (L, OR): 9, (OR, L): 9, (OR, OR): 20, (OL, OL): -50, (L, OL): -101, (OL, L): -101,
                (OL, OR): -100, (OR, OL): -100}
    for ja, r in expected.items():
        assert tiger.R[(0, ja)] == r
        mirrored = tuple({L: L, OL: OR, OR: OL}[a] for a in ja)
        assert tiger.R[(1, mirrored)] == r
    # hearing accuracy 0.85, independently per agent, read exactly
    assert tiger.O[((0, 0), 0)][(0, 0)] == Fraction(17, 20) ** 2
    assert tiger.O[((0, 0), 0)][(0, 1)] == Fraction(17, 20) * Fraction(3, 20)
    assert tiger.O[((1, 0), 1)][(1, 0)] == Fraction(1, 4)
    assert tiger.start == (Fraction(1, 2), Fraction(1, 2))


@pytest.mark.parametrize("horizon, printed", [(1, "-2.000000"), (2, "-4.000000")])
def test_dectiger_symmetric_optimum_matches_published(tiger, horizon, printed):
    tree = unroll(tiger, horizon)
    r = optimize_tree(tree, time_limit=120)
    assert r.complete and r.value_exact
    assert f"{float(r.value):.6f}" == printed
    # independent checks: exact evaluation of the tree at the reported policy, and brute force over
    # symmetric deterministic policies
    assert evaluate(tree, r.behaviour()) == r.value
    assert best_symmetric_pure(tree, r.symmetries).value == r.value
    assert r.nash is True and r.deterministic is True
    assert "start  ->  listen=1" in policy_table(r)


def test_dectiger_h3_exact_value(tiger):
    tree = unroll(tiger, 3)
    r = optimize_tree(tree, time_limit=120)
    assert r.complete and r.value_exact and f"{float(r.value):.6f}" == "5.190812"  # published, to the printed digits
    assert r.value == Fraction(83053, 16000)
    assert evaluate(tree, r.behaviour()) == r.value
    assert best_symmetric_pure(tree, r.symmetries).value == r.value
    assert r.nash is True and r.deterministic is True
    assert r.certificate["kind"] == "sequential-team-bound-v1"
    assert Fraction(r.certificate["team_optimum"]) == r.value


def test_dectiger_h2_team_optimum_by_two_routes(tiger):
    tree = unroll(tiger, 2)
    assert team_optimum(tree).value == -4
    # the team bound route and brute force agree; symmetric = team optimum (the optimal plans treat both alike)
    r = optimize_tree(tree, route="team-bound")
    assert r.value == -4 and r.complete


def test_veil_efg_gives_121_24_with_plan_ca_one_sixth():
    tree = read_efg(GAMES / "veil_of_ignorance.efg")
    sym = tree_symmetries(tree)
    assert sym.order == 2 and sym.agent_orbits == ((0, 1),)
    r = optimize_tree(tree)
    assert r.complete and r.value_exact and r.value == Fraction(121, 24)
    pol = {sym.class_label(c): p for c, p in enumerate(r.policy)}
    assert pol["type L"] == (1, 0)  # always cautious when Low
    assert pol["type H"] == (Fraction(5, 6), Fraction(1, 6))  # aggressive with probability 1/6 when High
    assert r.nash is True and r.deterministic is False
    # independent: the tree at that policy, and the normal-form version of Appendix A through the existing optimiser
    assert evaluate(tree, r.behaviour()) == Fraction(121, 24)
    import exactgames as eg
    from exactgames.paper_games import veil_of_ignorance

    nf = eg.optimize(veil_of_ignorance())
    assert nf.value == Fraction(121, 24)
    plans = dict(zip(veil_of_ignorance().actions[0], nf.strategies[0]))
    assert plans["CA"] == Fraction(1, 6) and plans["CC"] == Fraction(5, 6)
