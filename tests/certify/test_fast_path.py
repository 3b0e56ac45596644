"""The number-field fast path of the certificates agrees exactly with the sympy route.

Nash certificates, the coalition-shift witness and the verdicts are
computed twice: as shipped (python-flint ``fmpq`` / one number field
``Q(alpha)``) and with the fast path switched off (``lift_profile`` returning
None, i.e. sympy expression trees throughout).  Every verdict and witness
must agree, and every pair of values must be equal as exact numbers
(checked independently in sympy: reduction modulo the ``CRootOf``'s polynomial).
"""

import functools

import pytest
import sympy

import exactgames.certify.asymmetric as asymmetric
import exactgames.certify.nash as nash
import exactgames.model.utility as utility
from exactgames.certify.asymmetric import coalition_shift_witness, locally_optimal_asymmetric
from exactgames.certify.local_symmetric import profile_from_orbits
from exactgames.certify.nash import nash_certificate
from exactgames.certify.verdicts import profile_verdicts
from exactgames.io import read_game
from exactgames.model import Game, make_profile
from exactgames.optimize.api import optimize
from exactgames.paper_games import robot_butlers, taxi_symmetric

X = sympy.Symbol("x")


def exactly_equal(a: sympy.Expr, b: sympy.Expr) -> bool:
    d = sympy.expand(sympy.sympify(a) - sympy.sympify(b))
    if d.is_Rational:
        return d == 0
    roots = d.atoms(sympy.CRootOf)
    if not roots:
        return sympy.minimal_polynomial(d, X) == X
    (r,) = roots
    m = sympy.Poly(r.poly.as_expr().subs(r.poly.gen, X), X)
    return sympy.rem(sympy.Poly(d.xreplace({r: X}), X), m).is_zero


@pytest.fixture
def sympy_route(monkeypatch):
    """Switch the fast path off everywhere: the certificates then compute in sympy."""

    def off(game, profile):
        return None

    for mod in (utility, nash, asymmetric):
        monkeypatch.setattr(mod, "lift_profile", off)


@functools.lru_cache(maxsize=None)
def _r55():
    g = read_game("examples/games/r55.toml")
    r = optimize(g)
    return g, profile_from_orbits(r.orbits, r.strategies, g.n_players)


def _butlers():
    g = robot_butlers()
    return g, make_profile(g, [["sqrt(2) - 1", "2 - sqrt(2)"]] * 4)


def _asymmetric_butlers():
    # players in Q(sqrt(2)) with different strategies: no player groups, dense game
    g = robot_butlers()
    return g, make_profile(g, [["sqrt(2) - 1", "2 - sqrt(2)"], ["1/3", "2/3"], ["2 - sqrt(2)", "sqrt(2) - 1"], "F"])


def _cubic_coordination():
    r = sympy.CRootOf(X**3 - 3 * X + 1, 1)  # about 0.347
    g = Game.from_common([["a", "b", "c"]] * 3, lambda p: {"a": 1, "b": 2, "c": 0}[p[0]] * (len(set(p)) == 1) + (p[1] == "c"))
    return g, make_profile(g, [[r, 1 - r, 0], [r / 2, "1/2", (1 - r) / 2], [0, r, 1 - r]])


CASES = {"r55": _r55, "butlers": _butlers, "asymmetric butlers": _asymmetric_butlers, "cubic": _cubic_coordination,
         "taxi": lambda: (taxi_symmetric(), make_profile(taxi_symmetric(), [["1/2", "1/2"]] * 2))}


def _compute(game, profile):
    cert = nash_certificate(game, profile)
    wit = coalition_shift_witness(game, profile)
    verdicts = profile_verdicts(game, profile, orbits=[list(range(game.n_players))] if game.n_players else None,
                                symmetric=False)
    return cert, wit, verdicts


@pytest.fixture(scope="module")
def fast_results():
    return {name: _compute(*make()) for name, make in CASES.items()}


@pytest.mark.parametrize("name", list(CASES))
def test_fast_path_agrees_with_sympy_route(name, fast_results, sympy_route):
    game, profile = CASES[name]()
    cert, wit, verdicts = fast_results[name]
    cert0, wit0, verdicts0 = _compute(game, profile)
    # verdicts identical
    assert (cert.is_nash, cert.best_deviation) == (cert0.is_nash, cert0.best_deviation)
    for key in ("nash", "degenerate", "locally_optimal_asymmetric"):
        assert verdicts[key] == verdicts0[key]
    assert verdicts["details"]["asymmetric"]["stage"] == verdicts0["details"]["asymmetric"]["stage"]
    # every certificate value equal as an exact number
    pairs = [(cert.max_gain, cert0.max_gain)] + list(zip(cert.payoffs, cert0.payoffs)) + list(zip(cert.gains, cert0.gains))
    pairs += [(a, b) for r, r0 in zip(cert.deviation_payoffs, cert0.deviation_payoffs) for a, b in zip(r, r0)]
    assert (wit is None) == (wit0 is None)
    if wit is not None:
        # the same coalition, targets and step
        assert wit.description.split("leading term")[0] == wit0.description.split("leading term")[0]
        pairs += [(wit.value_before, wit0.value_before), (wit.value_after, wit0.value_after), (wit.distance, wit0.distance)]
        pairs += [(p, q) for s, s0 in zip(wit.profile, wit0.profile) for p, q in zip(s, s0)]
        assert sympy.N(wit.gain, 30) > 0
    assert all(exactly_equal(a, b) for a, b in pairs)


def test_r55_optimum_verdicts():
    """The 5-player optimum (a CRootOf of a quartic): Nash, not degenerate, not locally optimal in asymmetric space."""
    game, profile = _r55()
    cert = nash_certificate(game, profile)
    assert cert.is_nash is True and cert.max_gain == 0 and cert.to_json()["max_gain"] == "0"
    assert all(g == 0 for g in cert.gains)
    v = locally_optimal_asymmetric(game, profile)
    assert v.locally_optimal is False and v.stage == "coalition shift"
    w = v.witness
    assert w.description.startswith("coalition shift: player 1 shifts 1/2 toward action a3, player 2 shifts 1/2 toward "
                                    "action a5")
    # the witness's values are recomputed independently in sympy from the payoff table
    r = profile[0][2]
    assert exactly_equal(w.value_before, utility.expected_utility(game, profile))
    before = _naive_anonymous_eu(game, profile)
    after = _naive_anonymous_eu(game, w.profile)
    assert exactly_equal(w.value_before, before) and exactly_equal(w.value_after, after)
    assert exactly_equal(w.distance, r / 2)
    assert sympy.N(after - before, 50) > 0


def _naive_anonymous_eu(game, profile):
    """Sum over all pure profiles of the payoff of their count vector times their probability (sympy only)."""
    import itertools

    m = len(game.actions)
    total = sympy.Integer(0)
    for pure in itertools.product(*(range(m) for _ in profile)):
        w = sympy.Integer(1)
        for s, a in zip(profile, pure):
            w *= s[a]
            if w == 0:
                break
        if w != 0:
            total += w * game.payoff[tuple(pure.count(k) for k in range(m))]
    return sympy.expand(total)
