"""Property tests of the exact KKT optimum on small random games, against independent routes.

The oracle here is written separately: a brute-force expected utility over
pure profiles (Fractions), every rational grid point of the product of
simplices, and a float random-start replicator search.  None of it calls the
solver or the symmetric EU polynomial.
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactgames.model.exact import compare
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.utility import expected_utility
from exactgames.optimize.kkt import kkt_optimum

SETTINGS = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _owner(orbits, n):
    own = [0] * n
    for k, o in enumerate(orbits):
        for i in o:
            own[i] = k
    return own


def brute_eu(payoff, n, m, orbits, strategies):
    """EU of the P-invariant profile: sum over pure profiles of payoff * product of probabilities."""
    own = _owner(orbits, n)
    total = 0
    for prof in itertools.product(range(m), repeat=n):
        pr = 1
        for i, a in enumerate(prof):
            pr *= strategies[own[i]][a]
            if pr == 0:
                break
        if pr:
            total += pr * payoff(prof)
    return total


def grid(m, den):
    """Every point of the m-simplex with coordinates in (1/den) Z."""
    for c in itertools.product(range(den + 1), repeat=m - 1):
        if sum(c) <= den:
            yield tuple(Fraction(x, den) for x in c) + (Fraction(den - sum(c), den),)


def replicator_best(payoff, n, m, orbits, rng, starts=8, steps=200):
    """Best float EU found by exponentiated-gradient ascent from random starts (an oracle, not a proof)."""
    import numpy as np

    own = np.array(_owner(orbits, n))
    k = len(orbits)
    profs = np.array(list(itertools.product(range(m), repeat=n)))
    u = np.array([float(payoff(tuple(p))) for p in profs])

    def eu_grad(x):
        probs = x[own[None, :], profs]  # (P, n)
        val = float((probs.prod(axis=1) * u).sum())
        grad = np.zeros((k, m))
        for i in range(n):
            rest = np.prod(np.delete(probs, i, axis=1), axis=1) * u
            np.add.at(grad[own[i]], profs[:, i], rest)
        return val, grad

    best = -np.inf
    for _ in range(starts):
        x = rng.dirichlet(np.ones(m), size=k)
        for _ in range(steps):
            _v, g = eu_grad(x)
            x = x * np.exp(2.0 * (g - g.max(axis=1, keepdims=True)) / (1 + abs(g).max()))
            x /= x.sum(axis=1, keepdims=True)
        best = max(best, eu_grad(x)[0])
    return best


def check_optimum(game, payoff, n, m, orbits, den):
    r = kkt_optimum(game, orbits, time_limit=60)
    assert r.complete, r.reason
    own_orbits = r.orbits
    # 1. the reported profile's exact EU (model code) equals the value, and so does the brute force
    prof = [None] * n
    for o, s in zip(own_orbits, r.strategies):
        for i in o:
            prof[i] = tuple(s)
    assert compare(expected_utility(game, tuple(prof)), r.value) == 0
    if all(p.is_Rational for s in r.strategies for p in s):
        strat = [[Fraction(int(p.p), int(p.q)) for p in s] for s in r.strategies]
        assert brute_eu(payoff, n, m, own_orbits, strat) == Fraction(int(r.value.p), int(r.value.q))
    # 2. no rational grid profile (pure ones included) beats it
    lo, hi = r.value_interval
    for pts in itertools.product(*(list(grid(m, den)) for _ in own_orbits)):
        v = brute_eu(payoff, n, m, own_orbits, pts)
        if v > lo:
            assert v <= hi and compare(sympy.Rational(v.numerator, v.denominator), r.value) <= 0
    # 3. a float random-start search finds nothing better
    rng = __import__("numpy").random.default_rng(0)
    assert replicator_best(payoff, n, m, own_orbits, rng) <= float(hi) + 1e-9
    return r


payoff_values = st.integers(-4, 4).map(lambda k: Fraction(k, 4))


@SETTINGS
@given(st.sampled_from([(2, 2), (2, 3), (3, 2), (3, 3), (4, 2)]), st.data())
def test_random_anonymous_games(size, data):
    n, m = size
    counts = [c for c in itertools.product(range(n + 1), repeat=m) if sum(c) == n]
    vals = data.draw(st.lists(payoff_values, min_size=len(counts), max_size=len(counts)))
    table = dict(zip(counts, vals))
    game = AnonymousGame.from_function(n, [f"a{k}" for k in range(m)], table)

    def payoff(prof):
        return table[tuple(prof.count(a) for a in range(m))]

    check_optimum(game, payoff, n, m, [tuple(range(n))], den=4 if m == 3 else 8)


@SETTINGS
@given(st.integers(2, 3), st.data())
def test_random_two_player_games_both_groups(m, data):
    """Common-payoff u(a, b) = u(b, a): P = {id, (1 2)} (one orbit) and P = {id} (two orbits)."""
    raw = data.draw(st.lists(payoff_values, min_size=m * m, max_size=m * m))
    u = {(a, b): raw[a * m + b] + raw[b * m + a] for a in range(m) for b in range(m)}
    acts = [f"s{k}" for k in range(m)]
    game = Game.from_common([acts, acts], {(acts[a], acts[b]): v for (a, b), v in u.items()})

    def payoff(prof):
        return u[tuple(prof)]

    sym = check_optimum(game, payoff, 2, m, [(0, 1)], den=6)
    free = check_optimum(game, payoff, 2, m, [(0,), (1,)], den=3)
    # a smaller group P allows more profiles: the optimum can only grow
    assert compare(free.value, sym.value) >= 0


def test_three_player_orbit_pair_game():
    """A dense 3-player game symmetric under (1 3), optimised over orbits {1,3}, {2}."""
    rng = random.Random(11)
    base = {p: Fraction(rng.randint(-4, 4), 4) for p in itertools.product(range(2), repeat=3)}
    u = {p: base[p] + base[(p[2], p[1], p[0])] for p in base}
    acts = ["x", "y"]
    game = Game.from_common([acts] * 3, {tuple(acts[a] for a in p): v for p, v in u.items()})
    check_optimum(game, lambda p: u[tuple(p)], 3, 2, [(0, 2), (1,)], den=8)


# ----------------------------------------------------------------------------- regressions found by hypothesis


def test_regression_critical_line_outside_the_open_face():
    """Found by hypothesis: on the face {s0,s1} x {s0,s1,s2} the critical set is the line x_s0 = y_s0 = -1/2
    (EU 9/8 there), entirely outside the simplices; it used to leave the answer incomplete ("may attain 9/8")."""
    U = [[0, Fraction(3, 4), Fraction(3, 4)], [Fraction(3, 4), 1, 1], [Fraction(3, 4), 1, 0]]
    acts = ["s0", "s1", "s2"]
    game = Game.from_common([acts, acts], {(acts[i], acts[j]): U[i][j] for i in range(3) for j in range(3)})

    def payoff(prof):
        return U[prof[0]][prof[1]]

    # independent facts: every payoff is <= 1, so no profile beats EU 1, attained on a segment of profiles
    assert max(max(row) for row in U) == 1
    one, zero = Fraction(1), Fraction(0)
    for t in (zero, Fraction(1, 3), Fraction(1, 2), one):
        assert brute_eu(payoff, 2, 3, [(0,), (1,)], [(zero, one, zero), (zero, t, 1 - t)]) == 1
    # the 9/8 of the critical line is the value of the bilinear EU at the (infeasible) point x = y = (-1/2, 3/2, 0)
    out = (Fraction(-1, 2), Fraction(3, 2), zero)
    assert brute_eu(payoff, 2, 3, [(0,), (1,)], [out, out]) == Fraction(9, 8)
    free = check_optimum(game, payoff, 2, 3, [(0,), (1,)], den=12)
    assert free.value == 1 and free.complete
    assert any(isinstance(t, str) and t.startswith("continuum") for t in free.ties)
    face = [s for s in free.certificate["supports"] if s["support"] == [["s0", "s1"], ["s0", "s1", "s2"]]][0]
    assert face["status"] == "solved" and "EU 9/8" in face["route"] and "misses the open face" in face["route"]
    sym = check_optimum(game, payoff, 2, 3, [(0, 1)], den=12)
    assert sym.value == 1 and sym.complete


def test_regression_nonlinear_critical_set_outside_the_open_face():
    """Three orbits of a symmetric 3-player game: a critical curve of EU 8 (above every payoff) lies on
    x_s0 = -1; it is excluded by the eliminant of that probability, and the optimum 6 is complete."""
    by_counts = {(3, 0, 0): 0, (2, 1, 0): 4, (2, 0, 1): -4, (1, 2, 0): 4, (1, 1, 1): 2, (1, 0, 2): -4,
                 (0, 3, 0): 6, (0, 2, 1): 0, (0, 1, 2): 2, (0, 0, 3): 0}
    acts = ["s0", "s1", "s2"]

    def payoff(prof):
        return Fraction(by_counts[tuple(prof.count(a) for a in range(3))])

    game = Game.from_common([acts] * 3, {tuple(acts[a] for a in p): payoff(p) for p in itertools.product(range(3), repeat=3)})
    assert max(by_counts.values()) == 6  # independent: no profile can have EU above 6; (s1, s1, s1) has 6
    r = check_optimum(game, payoff, 3, 3, [(0,), (1,), (2,)], den=3)
    assert r.complete and r.value == 6
    routes = [s["route"] for s in r.certificate["supports"]]
    assert any("EU 8 (a root of s + (-8))" in x and "no root in (0, 1)" in x for x in routes)


def test_regression_one_conjugate_critical_value_outside_the_open_face():
    """Orbits {1,3}, {2}: on {s0,s2} x {s0,s1,s2} the critical set is two parallel planes
    x_s0 = P2(s0) + P2(s1) = +-sqrt(6)/3 with EU 6 -+ 8 sqrt(6)/3; the conjugate 6 + 8 sqrt(6)/3 (> every
    payoff) sits at x_s0 < 0.  It is excluded root by root (x_s0 = (6 - EU)/8 there); the optimum is 6."""
    by_counts = {(3, 0, 0): 0, (2, 1, 0): 0, (2, 0, 1): -2, (1, 2, 0): 4, (1, 1, 1): -2, (1, 0, 2): 2,
                 (0, 3, 0): 6, (0, 2, 1): 0, (0, 1, 2): 2, (0, 0, 3): 6}
    acts = ["s0", "s1", "s2"]

    def payoff(prof):
        return Fraction(by_counts[tuple(prof.count(a) for a in range(3))])

    game = Game.from_common([acts] * 3, {tuple(acts[a] for a in p): payoff(p) for p in itertools.product(range(3), repeat=3)})
    assert max(by_counts.values()) == 6  # independent: EU <= 6 everywhere, = 6 at (s1, s1, s1) and (s2, s2, s2)
    r = check_optimum(game, payoff, 3, 3, [(0, 2), (1,)], den=6)
    assert r.complete and r.value == 6
    face = [s for s in r.certificate["supports"] if s["support"] == [["s0", "s2"], ["s0", "s1", "s2"]]][0]
    assert "EU 6 + 8*sqrt(6)/3" in face["route"] and "outside (0, 1)" in face["route"]
