"""Tests of exactgames.optimize.api.optimize (the dispatcher) against independent routes."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest
import sympy

from exactgames.model.exact import ExactError, compare
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.utility import expected_utility
from exactgames.optimize.api import default_orbits, optimize
from exactgames.paper_games import example_5_0_5, robot_butlers, taxi_permits, taxi_symmetric, veil_of_ignorance


def test_default_orbits():
    assert default_orbits(robot_butlers()) == ((0, 1, 2, 3),)
    assert default_orbits(taxi_permits()) == ((0,), (1,))
    assert default_orbits(AnonymousGame.from_function(3, ["a", "b"], lambda c: c[0])) == ((0, 1, 2),)


def test_paper_examples_through_the_dispatcher():
    r = optimize(robot_butlers())
    assert r.complete and r.value_exact
    assert sympy.simplify(r.strategies[0][0] - (sympy.sqrt(2) - 1)) == 0
    assert sympy.simplify(r.value - 16 * (sympy.sqrt(2) - 1)) == 0
    r = optimize(robot_butlers(), [[0, 2], [1, 3]])
    assert r.value == 8 and not r.mixed
    r = optimize(veil_of_ignorance())
    assert dict(zip(r.actions[0], r.strategies[0]))["CA"] == sympy.Rational(1, 6)
    assert r.value == sympy.Rational(121, 24)
    assert optimize(taxi_symmetric()).value == sympy.Rational(3, 2)
    assert optimize(taxi_permits()).value == 2


def test_parameters_are_refused_clearly():
    with pytest.raises(ExactError, match="--set"):
        optimize(example_5_0_5())
    r = optimize(example_5_0_5().subs({"eps": "1/2"}))
    # by hand: a is worth 1 against anything; mixing b and c gives at most (1 + eps)/2 - 5 < 1
    assert r.value == 1 and r.strategies == ((1, 0, 0),)


def _random_anonymous(n, m, seed):
    rng = random.Random(seed)
    table = {c: Fraction(rng.randint(-8, 8), 8) for c in itertools.product(range(n + 1), repeat=m) if sum(c) == n}
    return AnonymousGame.from_function(n, [f"a{k}" for k in range(m)], table)


@pytest.mark.parametrize("n,m,seed", [(3, 3, 1), (4, 2, 2), (3, 2, 3), (2, 3, 4), (4, 3, 5)])
def test_dispatcher_agrees_with_full_enumeration(n, m, seed):
    """The branch-and-bound-assisted route and the full KKT enumeration are independent; they must agree."""
    from exactgames.optimize.kkt import kkt_optimum

    g = _random_anonymous(n, m, seed)
    a = optimize(g, time_limit=60)
    b = kkt_optimum(g, time_limit=60)
    assert a.complete and b.complete
    assert compare(a.value, b.value) == 0
    prof = tuple(tuple(a.strategies[0]) for _ in range(n))
    assert compare(expected_utility(g, prof), a.value) == 0


# ----------------------------------------------------------------------------- pygambit


def _gambit_symmetric_equilibria(A):
    gbt = pytest.importorskip("pygambit")
    import numpy as np

    arr = np.array([[gbt.Rational(int(x.numerator), int(x.denominator)) for x in row] for row in A], dtype=object)
    g = gbt.StrategicGame.from_arrays(arr, arr.T)  # pygambit 17
    res = gbt.nash.enummixed_solve(g, rational=True)
    out = []
    for eq in res.equilibria:
        strats = [tuple(Fraction(str(eq[p][s])) for s in g.get_strategies(p)) for p in g.players]
        if strats[0] == strats[1]:
            out.append(strats[0])
    return out


@pytest.mark.parametrize("seed", range(8))
def test_symmetric_optimum_is_a_gambit_equilibrium(seed):
    """Theorem 4.0.2 checked by another program: the optimum is among pygambit's symmetric equilibria."""
    rng = random.Random(100 + seed)
    m = 2 + seed % 2
    raw = [[Fraction(rng.randint(-20, 20)) for _ in range(m)] for _ in range(m)]
    A = [[raw[a][b] + raw[b][a] for b in range(m)] for a in range(m)]  # u(a, b) = u(b, a): common, swap-symmetric
    eqs = _gambit_symmetric_equilibria(A)
    acts = [f"s{k}" for k in range(m)]
    game = Game.from_common([acts, acts], {(acts[a], acts[b]): A[a][b] for a in range(m) for b in range(m)})
    r = optimize(game)
    assert r.orbits == ((0, 1),)
    mine = tuple(Fraction(int(p.p), int(p.q)) for p in r.strategies[0])  # 2 players: KKT system is linear, rational
    assert mine in eqs
    # and the best symmetric equilibrium pygambit lists has exactly our value
    def eu(s):
        return sum(s[a] * s[b] * A[a][b] for a in range(m) for b in range(m))

    assert max(eu(s) for s in eqs) == eu(mine) == Fraction(int(r.value.p), int(r.value.q))


# ----------------------------------------------------------------------------- closed form deferred (issue 18)
@pytest.fixture(scope="module")
def field_81():
    """GAMUT RandomGame 10x5, seed 2: the optimum on support {a1, a2, a4} lies in a number field of degree 81
    (its minimal polynomial took 238 s of FLINT; the branch and bound's proof about 1 s)."""
    from exactgames.experiments.generators import generate

    g = generate("random", 10, 5, 2, scale="appendix")
    return g, optimize(g, time_limit=60)


def test_closed_form_is_deferred_when_it_would_cost_more_than_the_proof(field_81):
    from proofs_check.checker import check_certificate

    g, r = field_81
    assert r.complete and not r.value_exact
    kos = r.certificate["kkt_on_support"]
    assert kos["status"] == "deferred" and "cost more than the proof" in kos["reason"]
    assert r.support == ((0, 1, 3),)
    lo, hi = r.value_interval
    assert hi - lo < Fraction(1, 10**30)
    # an independent float check of the enclosure: the EU at the reported point (inside the proved region)
    pt = [float(x) for x in r.strategies[0]]
    from math import prod

    from exactgames.model.counts import multinomial
    eu = sum(float(Fraction(int(v.p), int(v.q))) * multinomial(c) * prod(p**k for p, k in zip(pt, c)) for c, v in g.payoff.items())
    assert abs(eu - float(lo)) < 1e-9
    assert check_certificate(g, r.to_json()).ok
    forged = r.to_json()  # the proof cannot be passed off as an exact value
    forged["value_exact"] = True
    assert not check_certificate(g, forged).ok


def test_no_verdicts_on_a_point_that_is_not_the_exact_maximiser(field_81):
    from exactgames.certify.verdicts import NOT_EXACT, attach_verdicts, verdicts_reason

    g, r = field_81
    a = attach_verdicts(g, r)
    assert a.complete and (a.nash, a.degenerate, a.locally_optimal_asymmetric) == (None, None, None)
    assert verdicts_reason(a) == NOT_EXACT
    b = attach_verdicts(robot_butlers(), optimize(robot_butlers()))
    assert b.nash is True and verdicts_reason(b) is None


def test_closed_form_false_keeps_the_branch_and_bounds_exact_values():
    r = optimize(robot_butlers(), closed_form=False)  # an edge maximiser: exact from the branch and bound itself
    assert r.complete and r.value_exact and sympy.simplify(r.value - (16 * sympy.sqrt(2) - 16)) == 0
    assert "kkt_on_support" not in r.certificate
