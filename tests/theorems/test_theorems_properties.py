"""Property tests of the paper's theorems on random exact games (hypothesis).

Expected answers never come from the code under test: Nash gains are
brute-force sums over pure profiles (proofs_check.helpers), local optima of
one-orbit 2-action games are exact roots of the symmetric EU's derivative, and
improving witnesses are verified by exact expected utilities.
"""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from exactgames.model.game import AnonymousGame, Game
from proofs_check.helpers import (
    P,
    certified_radius,
    coalition_witness,
    degenerate_bruteforce,
    eu,
    group_closure,
    local_maxima_01,
    nash_gain,
    orbits_of,
    payoff_table,
)
from proofs_check.section4 import improving_orbit_curve, one_orbit_nash_at
from proofs_check.section5 import mixed_witness_sign

SETTINGS = dict(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
small_q = st.fractions(min_value=-9, max_value=9, max_denominator=6)


@st.composite
def symmetric_game_with_subgroup(draw):
    """A random common-payoff game invariant under a random group H, a random P ⊆ H, and its orbits."""
    n = draw(st.integers(2, 4))
    m = 2 if n == 4 else draw(st.integers(2, 3))
    gens = draw(st.lists(st.permutations(range(n)), min_size=1, max_size=2))
    group = group_closure([tuple(g) for g in gens], n)
    names = [chr(ord("a") + k) for k in range(m)]
    value: dict = {}
    for idx in itertools.product(range(m), repeat=n):
        if idx not in value:
            v = draw(small_q)
            for g in group:
                value[tuple(idx[g[k]] for k in range(n))] = v
    game = Game.from_common([names] * n, lambda prof: str(value[tuple(names.index(a) for a in prof)]))
    pset = draw(st.lists(st.sampled_from(sorted(group)), min_size=1, max_size=2))
    orbits = orbits_of(group_closure(pset, n), n)
    return game, orbits, group


@st.composite
def invariant_profile(draw, game, orbits):
    m = len(game.actions[0])
    per = {}
    for o in orbits:
        w = draw(st.lists(st.integers(0, 4), min_size=m, max_size=m).filter(lambda x: sum(x) > 0))
        per[o] = [sympy.Rational(x, sum(w)) for x in w]
    owner = {i: o for o in orbits for i in o}
    return [per[owner[i]] for i in range(game.n_players)]


@settings(**SETTINGS)
@given(data=st.data())
def test_theorem_402_no_non_nash_invariant_profile_is_locally_optimal(data):
    """Every non-Nash P-invariant profile has an improving P-invariant perturbation (exact lowest-order sign)."""
    game, orbits, group = data.draw(symmetric_game_with_subgroup())
    s = data.draw(invariant_profile(game, orbits))
    table = payoff_table(game)
    gain, dev = nash_gain(game, s, [table] * game.n_players)
    if gain > 0:
        curve = improving_orbit_curve(game, s, orbits, dev, table)
        low = sympy.Poly(curve, P).terms()[-1]  # lowest power of p
        assert low[1] > 0, (game.payoffs[0], orbits, s, curve)


@settings(**{**SETTINGS, "max_examples": 8})
@given(data=st.data())
def test_theorem_402_library_optimum_is_nash(data):
    """The library's global P-invariant optimum (a local optimum) is Nash, checked by brute force."""
    kkt = pytest.importorskip("exactgames.optimize.kkt")
    game, orbits, _ = data.draw(symmetric_game_with_subgroup())
    if len(game.actions[0]) ** game.n_players > 16 or len(orbits) > 2:
        return
    res = kkt.kkt_optimum(game, orbits, time_limit=3)
    if not res.complete:
        return
    s = [None] * game.n_players
    for o, strat in zip(res.orbits, res.strategies):
        for i in o:
            s[i] = list(strat)
    gain, _ = nash_gain(game, s)
    from exactgames.model.exact import sign

    assert sign(gain) == 0, (game.payoffs[0], orbits, res.strategies)
    # the optimum is at least as good as every P-invariant pure profile (dense check of the vertices)
    for choice in itertools.product(range(len(game.actions[0])), repeat=len(orbits)):
        pure = [None] * game.n_players
        for o, a in zip(orbits, choice):
            for i in o:
                pure[i] = [1 if k == a else 0 for k in range(len(game.actions[0]))]
        assert sign(res.value - eu(game, pure)) >= 0


values_2action = st.integers(2, 4).flatmap(lambda n: st.lists(small_q, min_size=n + 1, max_size=n + 1))


@settings(**SETTINGS)
@example(values=[1, 2, 1])        # taxi 1b: mixed optimum 1/2, unstable
@example(values=[1, 0, 1])        # taxi 1c: pure optima, stable
@example(values=[0, 0, 1, 0])     # regression: f' = -9p^2 + 6p once got an "isolating" interval holding roots 0 and 2/3
@given(values=values_2action)
def test_theorem_504_iff_deterministic(values):
    """Non-degenerate one-orbit 2-action games: local symmetric optima are asymmetric local optima iff pure."""
    values = [sympy.Rational(Fraction(v)) for v in values]
    n = len(values) - 1
    f = sum(math.comb(n, k) * P**k * (1 - P) ** (n - k) * values[k] for k in range(n + 1))
    for x in local_maxima_01(f) or []:
        assert one_orbit_nash_at(values, x) == 0  # Theorem 4.0.2 on the way
        if x.value in (0, 1):
            a = int(x.value)
            gap = values[n * a] - (values[n - 1] if a else values[1])
            if gap == 0:
                continue  # degenerate (every player indifferent)
            assert certified_radius(gap, max(values) - min(values), n) is not None
        else:
            sgn, how = mixed_witness_sign(values, x)
            assert sgn > 0, (values, how)
            if x.value is not None:  # rational mixed optimum: verify the witness at an explicit e by exact EU
                _check_explicit_witness(values, x.value)


def _check_explicit_witness(values, p):
    """Row of proof (2) for n = 2: player 1 shifts e to a support action, player 2 best-responds; EU rises for small e."""
    n = len(values) - 1
    g = AnonymousGame.from_function(n, ["a0", "a1"], lambda c: str(values[c[1]]))
    base = eu(g, [[1 - p, p]] * n)
    for e in (sympy.Rational(1, 2**k) for k in range(1, 40)):
        for a, b in itertools.product((0, 1), repeat=2):
            s = [[1 - p, p] for _ in range(n)]
            s[0] = [(1 - e) * (1 - p) + (e if a == 0 else 0), (1 - e) * p + (e if a == 1 else 0)]
            s[1] = [(1 - e) * (1 - p) + (e if b == 0 else 0), (1 - e) * p + (e if b == 1 else 0)]
            if eu(g, s) > base:
                return
    raise AssertionError(f"no explicit improving witness found for {values} at p = {p}")


@settings(**SETTINGS)
@given(values=values_2action)
def test_theorem_504_library_agrees(values):
    """The library's Definition 5.0.1 verdict agrees with the theorem on rational local optima."""
    asym = pytest.importorskip("exactgames.certify.asymmetric")
    from exactgames.model.profile import make_profile

    values = [sympy.Rational(Fraction(v)) for v in values]
    n = len(values) - 1
    f = sum(math.comb(n, k) * P**k * (1 - P) ** (n - k) * values[k] for k in range(n + 1))
    g = AnonymousGame.from_function(n, ["a0", "a1"], lambda c: str(values[c[1]]))
    for x in local_maxima_01(f) or []:
        if x.value is None:
            continue
        if x.value in (0, 1) and values[n * int(x.value)] == values[n - 1 if x.value else 1]:
            continue  # degenerate
        v = asym.locally_optimal_asymmetric(g, make_profile(g, [[str(1 - x.value), str(x.value)]] * n))
        assert v.locally_optimal is (x.value in (0, 1)), (values, x.value, v.reason)


@settings(**SETTINGS)
@given(u=st.lists(small_q, min_size=3, max_size=3), seed=st.integers(0, 10**6))
def test_appendix_d_bounds_hold_exactly(u, seed):
    """Prop. D.0.2 (2ε) and Thm. D.0.3 (4δ max|u|) on a symmetric 2x2 game and its exact local symmetric optima."""
    from proofs_check.appendix_d import tv_product

    rng = random.Random(seed)
    table = {("a", "a"): u[0], ("a", "b"): u[1], ("b", "a"): u[1], ("b", "b"): u[2]}
    g = Game.from_common([["a", "b"]] * 2, {k: str(v) for k, v in table.items()})
    f = eu(g, [[1 - P, P]] * 2)
    big = max(abs(sympy.Rational(Fraction(v))) for v in u)
    for x in local_maxima_01(f) or []:
        if x.value is None:
            continue
        s_star = [[1 - x.value, x.value]] * 2
        eps = sympy.Rational(rng.randint(1, 6), rng.randint(1, 6))
        rows = tuple(tuple(v + eps * sympy.Rational(rng.randint(-4, 4), 4) for v in g.payoffs[i]) for i in range(2))
        g2 = Game(g.actions, rows)
        gain2, _ = nash_gain(g2, s_star, [payoff_table(g2, i) for i in range(2)])
        assert gain2 <= 2 * eps
        s = [[1 - y, y] for y in (min(max(x.value + sympy.Rational(rng.randint(-9, 9), 30), 0), 1) for _ in range(2))]
        gain, _ = nash_gain(g, s)
        assert gain <= 4 * tv_product(s, s_star) * big


def test_theorem_402_with_pygambit_on_taxi():
    """Second solver: pygambit finds (1/2, 1/2) among the Nash equilibria of taxi 1b (our symmetric optimum)."""
    gbt = pytest.importorskip("pygambit")
    from exactgames.paper_games import taxi_symmetric

    g = taxi_symmetric()
    game = gbt.StrategicGame([2, 2])  # pygambit 17: labels "1", "2" for players and strategies
    players = list(game.players)
    for k, prof in enumerate(itertools.product(range(2), repeat=2)):
        u = gbt.Rational(int(g.payoffs[0][prof[0] * 2 + prof[1]]))
        game.make_outcome({pl: str(a + 1) for pl, a in zip(players, prof)}, {pl: u for pl in players}, label=f"o{k}")
    eqs = gbt.nash.enummixed_solve(game, rational=True).equilibria
    mixed = [[[eq[pl][a] for a in game.get_strategies(pl)] for pl in players] for eq in eqs]
    half = gbt.Rational(1, 2)
    assert [[half, half], [half, half]] in mixed


@settings(**{**SETTINGS, "max_examples": 8})
@given(data=st.data())
def test_theorem_504_general_games_with_library_optima(data):
    """Games with a random symmetry group and P: the library's optimum, if non-degenerate, is stable iff pure."""
    kkt = pytest.importorskip("exactgames.optimize.kkt")
    game, orbits, _ = data.draw(symmetric_game_with_subgroup())
    if len(game.actions[0]) ** game.n_players > 16 or len(orbits) > 2:
        return
    res = kkt.kkt_optimum(game, orbits, time_limit=3)
    if not res.complete or not all(x.is_Rational for st_ in res.strategies for x in st_):
        return
    s = [None] * game.n_players
    for o, strat in zip(res.orbits, res.strategies):
        for i in o:
            s[i] = list(strat)
    table = payoff_table(game)
    assert nash_gain(game, s, [table] * game.n_players)[0] == 0
    if degenerate_bruteforce(game, s, table):
        return
    if all(x in (0, 1) for st_ in s for x in st_):
        a = tuple(st_.index(1) for st_ in s)
        gaps = [table[a] - max(table[a[:i] + (b,) + a[i + 1:]] for b in range(len(s[i])) if b != a[i])
                for i in range(game.n_players)]
        if min(gaps) > 0:  # strict: certified radius (one indifferent player is allowed by the theorem, not by this bound)
            spread = max(table.values()) - min(table.values())
            assert certified_radius(min(gaps), spread, game.n_players) is not None
    else:
        assert coalition_witness(game, s, table), (game.payoffs[0], orbits, s)
