"""Tests of the certified branch and bound on a product of simplices (exactgames.optimize.bnb_product).

Expected answers come from an independent float dense search written here
(projected gradient ascent with a fixed step from many starts over the
product of simplices, on the payoff tensor contracted player by player, plus
a fine grid), from the exact KKT enumeration on small cases, never from the
optimiser itself; the exact EU of the returned strategies is computed with
exactgames.model.utility.
"""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction

import numpy as np
import pytest
import sympy

from exactgames.model.exact import ExactError, rational_enclosure
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.utility import expected_utility
from exactgames.optimize.bnb import BnbLimits, certified_optimum_product
from exactgames.optimize.kkt import kkt_optimum
from exactgames.paper_games import robot_butlers

ACTS = "abcd"


def orbit_game(orbits: list[list[int]], m: int, seed: int, den: int = 10**6) -> Game:
    """A dense common-payoff game whose payoff depends only on the action counts per orbit (so P is a symmetry)."""
    rnd = random.Random(seed)
    owner = {p: i for i, o in enumerate(orbits) for p in o}
    n = len(owner)
    table: dict = {}

    def u(prof: tuple[str, ...]) -> Fraction:
        key = tuple(tuple(sum(1 for p in o if prof[p] == ACTS[a]) for a in range(m)) for o in orbits)
        if key not in table:
            table[key] = Fraction(rnd.randint(0, den), den)
        return table[key]

    g = Game.from_common([list(ACTS[:m])] * n, u)
    # P really is a symmetry: swapping two players of one orbit leaves every payoff unchanged
    for o in orbits:
        if len(o) > 1:
            i, j = o[0], o[1]
            for prof in itertools.islice(g.profiles(), 50):
                sw = list(prof)
                sw[i], sw[j] = sw[j], sw[i]
                assert g.payoff(0, prof) == g.payoff(0, tuple(sw))
    assert owner
    return g


# ----------------------------------------------------------------------------- independent dense search
class DenseEU:
    """EU of P-invariant profiles by contracting the payoff tensor with every player's strategy (floats, batched)."""

    def __init__(self, game: Game, orbits: list[list[int]]) -> None:
        self.n = game.n_players
        self.shape = game.shape
        self.T = np.array([float(v) for v in game.payoffs[0]]).reshape(self.shape)
        self.orbits = orbits
        self.owner = {p: i for i, o in enumerate(orbits) for p in o}
        self.ms = [self.shape[o[0]] for o in orbits]

    def value(self, xs: list[np.ndarray]) -> np.ndarray:
        r = np.broadcast_to(self.T, (xs[0].shape[0],) + self.shape)
        for p in range(self.n - 1, -1, -1):
            r = np.einsum("b...a,ba->b...", r, xs[self.owner[p]])
        return r

    def grad(self, xs: list[np.ndarray]) -> list[np.ndarray]:
        out = [np.zeros_like(x) for x in xs]
        b = xs[0].shape[0]
        for p in range(self.n):
            r = np.broadcast_to(self.T, (b,) + self.shape)
            r = np.moveaxis(r, p + 1, 1)  # player p's axis right after the batch axis
            others = [q for q in range(self.n) if q != p]
            for q in reversed(others):
                r = np.einsum("b...a,ba->b...", r, xs[self.owner[q]])
            out[self.owner[p]] += r
        return out


def _project(y: np.ndarray) -> np.ndarray:
    u = -np.sort(-y, axis=1)
    css = np.cumsum(u, axis=1) - 1
    k = np.arange(1, y.shape[1] + 1)
    cond = u - css / k > 0
    r = cond.shape[1] - 1 - np.argmax(cond[:, ::-1], axis=1)
    theta = css[np.arange(len(y)), r] / (r + 1)
    return np.maximum(y - theta[:, None], 0)


def dense_search(game: Game, orbits: list[list[int]], starts: int = 40, iters: int = 1000, seed: int = 5):
    """Best P-invariant profile by fixed-step projected gradient ascent from many starts and every pure profile."""
    de = DenseEU(game, orbits)
    rng = np.random.default_rng(seed)
    pures = list(itertools.product(*(range(m) for m in de.ms)))
    xs = []
    for i, m in enumerate(de.ms):
        rand = rng.dirichlet(np.ones(m), size=starts)
        pure = np.array([np.eye(m)[c[i]] for c in pures])
        xs.append(np.vstack([rand, pure, np.full((1, m), 1 / m)]))
    step = 0.5 / (np.abs(de.T).max() * game.n_players**2 + 1e-12)
    for _ in range(iters):
        g = de.grad(xs)
        xs = [_project(x + step * gi) for x, gi in zip(xs, g)]
    v = de.value(xs)
    k = int(np.argmax(v))
    return float(v[k]), [x[k] for x in xs]


def grid_max(game: Game, orbits: list[list[int]], points: int = 4000) -> float:
    """Largest EU over a grid of P-invariant profiles (every orbit's strategy on a common 1/steps grid, about ``points`` in all)."""
    de = DenseEU(game, orbits)
    steps = 24
    while steps > 2 and np.prod([math.comb(steps + m - 1, m - 1) for m in de.ms]) > points:
        steps -= 1
    per = []
    for m in de.ms:
        pts = [np.array(c) / steps for c in itertools.product(range(steps + 1), repeat=m) if sum(c) == steps]
        per.append(np.array(pts))
    combos = list(itertools.product(*(range(len(p)) for p in per)))
    xs = [per[i][[c[i] for c in combos]] for i in range(len(per))]
    return float(de.value(xs).max())


def exact_eu(game: Game, orbits: list[list[int]], strategies) -> sympy.Expr:
    owner = {p: i for i, o in enumerate(orbits) for p in o}
    return expected_utility(game, [list(strategies[owner[p]]) for p in range(game.n_players)])


CASES = [
    ([[0, 1], [2, 3]], 2, 0),
    ([[0, 1], [2, 3]], 2, 11),  # both orbits mixed
    ([[0, 1], [2, 3]], 3, 2),
    ([[0, 1], [2, 3]], 3, 4),
    ([[0, 1], [2, 3], [4]], 2, 1),
    ([[0, 1], [2, 3], [4]], 3, 10),
]


@pytest.mark.parametrize("orbits,m,seed", CASES)
def test_matches_dense_search_and_encloses_exact_eu(orbits, m, seed):
    g = orbit_game(orbits, m, seed)
    r = certified_optimum_product(g, orbits)
    assert r.complete, r.reason
    assert r.certificate["kind"] == "bnb-product-v1"
    lo, hi = r.value_interval
    assert hi - lo <= Fraction(1, 10**30)
    assert r.orbits == tuple(tuple(o) for o in orbits) and len(r.strategies) == len(orbits)
    # exact EU of the returned (rational) strategies lies in the proved enclosure
    for strat, sup in zip(r.strategies, r.support):
        assert sum(strat) == 1 and all(p >= 0 for p in strat)
        assert tuple(a for a, p in enumerate(strat) if p != 0) == sup
    elo, ehi = rational_enclosure(exact_eu(g, orbits, r.strategies), Fraction(1, 10**60))
    assert lo - Fraction(1, 10**50) <= elo and ehi <= hi + Fraction(1, 10**50)
    # independent dense search: value and support agree; no grid point beats the proved maximum
    v, xs = dense_search(g, orbits)
    assert abs(v - float(lo)) < 1e-9, (v, float(lo))
    assert tuple(tuple(a for a in range(m) if x[a] > 1e-5) for x in xs) == r.support
    assert grid_max(g, orbits) <= float(hi) + 1e-12
    assert r.mixed == any(len(s) > 1 for s in r.support)


@pytest.mark.parametrize("seed", [0, 2, 3])
def test_agrees_with_exact_kkt_enumeration(seed):
    orbits = [[0, 1], [2, 3]]
    g = orbit_game(orbits, 2, seed)
    r = certified_optimum_product(g, orbits)
    k = kkt_optimum(g, orbits, time_limit=10)
    assert r.complete and k.complete
    assert r.support == k.support
    klo, khi = k.value_interval
    assert klo <= r.value_interval[1] and r.value_interval[0] <= khi


def test_three_orbits_of_two():
    orbits = [[0, 1], [2, 3], [4, 5]]
    g = orbit_game(orbits, 2, 7)
    r = certified_optimum_product(g, orbits)
    v, xs = dense_search(g, orbits)
    assert r.complete and abs(v - float(r.value_interval[0])) < 1e-9
    assert tuple(tuple(a for a in range(2) if x[a] > 1e-5) for x in xs) == r.support


def test_robot_butlers_half_turn():
    from exactgames.optimize.api import optimize

    g = robot_butlers()
    r = certified_optimum_product(g, [[0, 2], [1, 3]])
    assert r.complete and r.value == 8 and r.value_exact
    assert r.value == optimize(g, [[0, 2], [1, 3]]).value
    # food for one pair of opposite butlers, drink for the other; the mirror image ties
    assert set(map(tuple, [r.strategies] + [t for t in r.ties])) == {((1, 0), (0, 1)), ((0, 1), (1, 0))}
    assert r.support in (((0,), (1,)), ((1,), (0,)))


def test_anonymous_game_with_two_orbits():
    g = AnonymousGame.from_function(3, ["a", "b"], {(3, 0): 1, (2, 1): "7/4", (1, 2): 0, (0, 3): "1/2"})
    orbits = [[0, 1], [2]]
    r = certified_optimum_product(g, orbits)
    dense = g.to_dense()
    v, xs = dense_search(dense, orbits)
    assert r.complete and abs(v - float(r.value_interval[0])) < 1e-9
    assert tuple(tuple(a for a in range(2) if x[a] > 1e-5) for x in xs) == r.support


def test_single_orbit_uses_the_simplex_route():
    g = orbit_game([[0, 1, 2]], 2, 1)
    r = certified_optimum_product(g, [[0, 1, 2]])
    assert r.complete and r.certificate["kind"] == "bnb-simplex-v1"


def test_certificate_is_json_serialisable():
    import json

    g = orbit_game([[0, 1], [2, 3]], 2, 11)
    data = json.loads(json.dumps(certified_optimum_product(g, [[0, 1], [2, 3]]).to_json()))
    cert = data["certificate"]
    assert cert["orbits"] == [[0, 1], [2, 3]] and cert["sizes"] == [2, 2] and cert["ms"] == [2, 2]
    reg = cert["regions"][cert["winner"]]
    assert {"supports", "refs", "center", "radius", "lower", "value_interval", "gradient_upper", "hessian_proof",
            "krawczyk_image"} <= set(reg)
    assert all(isinstance(t, list) for t in cert["tree"]) and Fraction(cert["threshold"]) <= Fraction(reg["value_interval"][0])


def test_limits_give_incomplete_result_with_valid_enclosure():
    orbits = [[0, 1], [2, 3]]
    g = orbit_game(orbits, 3, 4)
    seen: list = []
    r = certified_optimum_product(g, orbits, limits=BnbLimits(max_cells=3), progress=seen.append)
    assert not r.complete and "limits" in r.reason and r.strategies == ()
    lo, hi = r.value_interval
    assert lo < hi
    v, _ = dense_search(g, orbits)
    assert float(lo) <= v + 1e-9 and v <= float(hi) + 1e-9  # still a proved enclosure of the maximum
    full = certified_optimum_product(g, orbits)
    assert lo <= full.value_interval[0] and full.value_interval[1] <= hi
    timed = certified_optimum_product(g, orbits, limits=BnbLimits(time_limit=0.0))
    assert not timed.complete and "time limit" in timed.reason


def test_degenerate_maximum_is_a_whole_face_continuum():
    # the payoff ignores orbit 2 entirely once players 1, 2 play a: EU = x_a^2, maximisers {a} x (all of orbit 2)
    g = Game.from_common([["a", "b"]] * 3, lambda p: 1 if p[0] == p[1] == "a" else 0)
    orbits = [[0, 1], [2]]
    r = certified_optimum_product(g, orbits)
    assert r.complete and r.value == 1 and r.value_exact and r.certificate["winner"] is None
    assert r.ties == ("continuum: EU = 1 on the whole face {a} x {a,b} (orbit by orbit; every average payoff there equals 1)",)
    for t in (Fraction(0), Fraction(2, 7), Fraction(1)):
        assert exact_eu(g, orbits, [(1, 0), (t, 1 - t)]) == 1
    assert exact_eu(g, orbits, [(Fraction(99, 100), Fraction(1, 100)), (Fraction(1, 2), Fraction(1, 2))]) < 1


# ----------------------------------------------------------------------------- ties and continua
U_L = [[0, Fraction(3, 4), Fraction(3, 4)], [Fraction(3, 4), 1, 1], [Fraction(3, 4), 1, 0]]


def l_shaped_game() -> Game:
    """x^T U y with U symmetric: the maximum 1 is attained on {b} x [b, c] and [b, c] x {b} (an L-shaped continuum)."""
    return Game.from_common([list("abc")] * 2, lambda p: U_L["abc".index(p[0])]["abc".index(p[1])])


def _bilinear(x, y) -> Fraction:
    return sum(x[a] * U_L[a][b] * y[b] for a in range(3) for b in range(3))


def test_l_shaped_continuum_of_a_bilinear_game():
    g = l_shaped_game()
    orbits = [[0], [1]]
    r = certified_optimum_product(g, orbits)
    assert r.complete and r.value == 1 and r.value_interval == (1, 1) and r.value_exact
    assert r.certificate["winner"] is None
    assert exact_eu(g, orbits, r.strategies) == 1
    desc = [t for t in r.ties if isinstance(t, str)]
    assert all(t.startswith("continuum") for t in desc)
    assert any("whole face {b,c} x {b}" in t for t in desc) and any("whole face {b} x {b,c}" in t for t in desc)
    # independently: the claimed faces are optimal (exact EU), and nothing exceeds 1 (exact rational grid, float grid)
    for t in (Fraction(0), Fraction(1, 3), Fraction(5, 8), Fraction(1)):
        seg = (0, t, 1 - t)
        assert exact_eu(g, orbits, [(0, 1, 0), seg]) == 1 == exact_eu(g, orbits, [seg, (0, 1, 0)])
    steps = 12
    simplex = [tuple(Fraction(c, steps) for c in cs) for cs in itertools.product(range(steps + 1), repeat=3) if sum(cs) == steps]
    vals = {(x, y): _bilinear(x, y) for x in simplex for y in simplex}
    assert max(vals.values()) == 1
    on_l = {(x, y) for (x, y), v in vals.items() if v == 1}
    assert all((x[1] == 1 and y[0] == 0) or (y[1] == 1 and x[0] == 0) for x, y in on_l)  # only the L attains 1
    assert grid_max(g, orbits) <= 1 + 1e-12


def test_l_shaped_continuum_through_optimize():
    from exactgames.optimize.api import optimize

    r = optimize(l_shaped_game(), [[0], [1]])
    assert r.complete and r.value == 1 and r.value_exact
    assert sum(1 for t in r.ties if isinstance(t, str) and t.startswith("continuum")) == 2


def test_whole_face_continuum_across_two_orbits():
    # payoff 1 unless someone plays c: EU = (x_a + x_b)^2 (y_a + y_b), maximal on the whole face {a,b} x {a,b}
    g = Game.from_common([list("abc")] * 3, lambda p: 0 if "c" in p else 1)
    orbits = [[0, 1], [2]]
    r = certified_optimum_product(g, orbits)
    assert r.complete and r.value == 1 and r.certificate["winner"] is None
    assert r.ties == ("continuum: EU = 1 on the whole face {a,b} x {a,b} (orbit by orbit; every average payoff there equals 1)",)
    rnd = random.Random(3)
    for _ in range(4):
        s, t = Fraction(rnd.randint(0, 9), 9), Fraction(rnd.randint(0, 7), 7)
        assert exact_eu(g, orbits, [(s, 1 - s, 0), (t, 1 - t, 0)]) == 1
    assert exact_eu(g, orbits, [(Fraction(1, 2), Fraction(1, 2) - Fraction(1, 50), Fraction(1, 50)), (1, 0, 0)]) < 1
    assert grid_max(g, orbits) <= 1 + 1e-12


def test_continuum_on_faces_of_subdivision_cells():
    # EU = -(x_a - x_b)^2: every profile with orbit 1 at (1/2, 1/2) is optimal (value 0); not a face of the simplex product
    u = {("a", "a"): -1, ("b", "b"): -1, ("a", "b"): 1, ("b", "a"): 1}
    g = Game.from_common([["a", "b"]] * 3, lambda p: u[(p[0], p[1])])
    orbits = [[0, 1], [2]]
    r = certified_optimum_product(g, orbits)
    assert r.complete and r.value == 0
    assert r.strategies[0] == (Fraction(1, 2), Fraction(1, 2))
    (desc,) = r.ties
    assert desc.startswith("continuum") and "conv{(1/2, 1/2)} x conv{(0, 1), (1, 0)}" in desc
    half = (Fraction(1, 2), Fraction(1, 2))
    for t in (Fraction(0), Fraction(3, 11), Fraction(1)):
        assert exact_eu(g, orbits, [half, (t, 1 - t)]) == 0
    assert exact_eu(g, orbits, [(Fraction(51, 100), Fraction(49, 100)), (1, 0)]) < 0


def test_unaligned_continuum_is_never_claimed_wrongly():
    # EU = -(x_a - y_a)^2 vanishes on a diagonal that no cell face follows
    def u(p):
        a = [q == "a" for q in p]
        return -(a[0] * a[1]) + 2 * (a[0] * a[2]) - a[2] * a[3]

    g = Game.from_common([["a", "b"]] * 4, u)
    r = certified_optimum_product(g, [[0, 1], [2, 3]], limits=BnbLimits(max_cells=3000))
    if r.complete:
        assert r.value == 0
    else:
        lo, hi = r.value_interval
        assert lo <= 0 <= hi and r.reason


def test_pure_ties_of_a_coordination_game():
    g = Game.from_common([["a", "b"]] * 4, lambda p: 1 if len(set(p)) == 1 else 0)
    orbits = [[0, 1], [2, 3]]
    r = certified_optimum_product(g, orbits)
    assert r.complete and r.value == 1
    found = {r.strategies} | {t for t in r.ties}
    assert found == {((1, 0), (1, 0)), ((0, 1), (0, 1))}
    # independently: the EU is x_a^2 y_a^2 + x_b^2 y_b^2, equal to 1 exactly at the two coordinated profiles
    for prof in found:
        assert exact_eu(g, orbits, prof) == 1
    assert exact_eu(g, orbits, [(1, 0), (0, 1)]) == 0
    assert grid_max(g, orbits) <= 1 + 1e-12


def swap_symmetric_game(seed: int) -> Game:
    """Payoffs invariant under swapping the two orbits [[0, 1], [2, 3]] (random integers)."""
    rnd = random.Random(seed)
    base: dict = {}
    orbits = [[0, 1], [2, 3]]

    def u(prof):
        key = tuple(tuple(sum(1 for p in o if prof[p] == a) for a in "ab") for o in orbits)
        b1 = base.setdefault(key, Fraction(rnd.randint(0, 99)))
        return b1 + base.setdefault((key[1], key[0]), Fraction(rnd.randint(0, 99)))

    return Game.from_common([["a", "b"]] * 4, u)


def test_mixed_ties_by_orbit_symmetry_are_resolved_exactly():
    g = swap_symmetric_game(11)
    orbits = [[0, 1], [2, 3]]
    r = certified_optimum_product(g, orbits)
    assert r.complete and r.certificate["ties_resolved_exactly"] and len(r.ties) == 1
    (tie,) = r.ties
    mirror = (r.strategies[1], r.strategies[0])
    assert all(abs(float(a - b)) < 1e-40 for x, y in zip(tie, mirror) for a, b in zip(x, y))  # the mirror image
    lo, hi = r.value_interval
    elo, ehi = rational_enclosure(exact_eu(g, orbits, tie), Fraction(1, 10**60))
    assert lo - Fraction(1, 10**50) <= elo and ehi <= hi + Fraction(1, 10**50)
    v, _ = dense_search(g, orbits)
    assert abs(v - float(r.value_interval[0])) < 1e-9


def test_bad_input_is_refused():
    g = orbit_game([[0, 1], [2, 3]], 2, 0)
    with pytest.raises(ExactError):
        certified_optimum_product(g, [[0, 1], [2]])  # not a partition
    mixed_actions = Game.from_common([["a", "b"], ["a", "c"], ["a", "b"]], lambda p: 1)
    with pytest.raises(ExactError):
        certified_optimum_product(mixed_actions, [[0, 1], [2]])
    general = Game.from_payoff_function([["a", "b"]] * 2, lambda p: (1, 0))
    with pytest.raises(ExactError):
        certified_optimum_product(general, [[0], [1]])
    param = Game.from_common([["a", "b"]] * 2, {("a", "b"): "eps"}, symbols=["eps"])
    with pytest.raises(ExactError):
        certified_optimum_product(param, [[0], [1]])
