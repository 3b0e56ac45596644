"""Γ(G) by pruned search, checked against an independent pure-Python reading of Definition 3.2.1.

The reference checker below uses only ``Game.payoff`` and sympy, none of the
numpy code tables, invariants or search of exactgames.symmetry.
"""

import itertools
import math
import random

import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy.combinatorics import Permutation, PermutationGroup

from exactgames.model.game import AnonymousGame, Game
from exactgames.paper_games import (
    example_5_0_5,
    robot_butlers,
    taxi_large_groups,
    taxi_permits,
    taxi_symmetric,
    ten_robots,
    veil_of_ignorance,
)
from exactgames.symmetry import find_violation, is_symmetry, symmetry_group, symmetry_group_bruteforce


def naive_is_symmetry(game, perm):
    """Definition 3.2.1 on pure profiles: u_{rho(i)}(a) == u_i(a o rho), (a o rho)_j = a_{rho(j)}."""
    n = game.n_players
    for j in range(n):
        if set(game.actions[j]) != set(game.actions[perm[j]]):
            return False
    for a in game.profiles():
        moved = tuple(a[perm[j]] for j in range(n))
        for i in range(n):
            x, y = game.payoff(perm[i], a), game.payoff(i, moved)
            if x != y and sympy.simplify(x - y) != 0:
                return False
    return True


def naive_group(game):
    return {p for p in itertools.permutations(range(game.n_players)) if naive_is_symmetry(game, p)}


def elements(result):
    return {tuple(g.array_form) for g in result.group.generate()}


# ---------------------------------------------------------------- the paper's games
def test_paper_two_player_games():
    assert symmetry_group(taxi_permits()).order == 1
    assert symmetry_group(taxi_permits()).totally_unsymmetric
    for g in (taxi_symmetric(), taxi_large_groups(), veil_of_ignorance(), example_5_0_5()):
        r = symmetry_group(g)
        assert r.order == 2 and r.totally_symmetric, g.title
        assert naive_is_symmetry(g, (1, 0))


def test_robot_butlers_is_totally_symmetric():
    """Appendix C: computed Γ(G) is all of S_4, not only the four rotations.

    By hand: group g reaches every butler except the one opposite to it, so
    the payoff is sum over butlers x of v(multiset of the other three
    actions) -- a symmetric function.  The naive check confirms it.
    """
    g = robot_butlers()
    r = symmetry_group(g)
    assert r.order == 24 and r.totally_symmetric and r.orbits == ((0, 1, 2, 3),)
    assert len(naive_group(g)) == 24
    assert naive_is_symmetry(g, (1, 0, 2, 3))  # a transposition: neither a rotation nor a reflection of the square
    rotation = Permutation([1, 2, 3, 0])
    assert r.group.contains(rotation) and r.group.contains(rotation**2)
    # the hand formula
    def hand(a):
        total = 0
        for opposite in range(4):
            seen = {a[k] for k in range(4) if k != opposite}
            total += 0 if "D" not in seen else (2 if "F" in seen else 1)
        return total
    assert all(g.payoff(0, a) == hand(a) for a in g.profiles())


def test_anonymous_form_needs_no_search():
    r = symmetry_group(ten_robots())
    assert r.order == math.factorial(10) and r.totally_symmetric
    assert r.method.startswith("anonymous form")
    big = AnonymousGame.from_function(40, ["a", "b"], lambda c: c[0] * c[1])
    r40 = symmetry_group(big)
    assert r40.order == math.factorial(40) and len(r40.generators) == 2


def test_dense_ten_robots_full_symmetric_group():
    d = ten_robots().to_dense()
    r = symmetry_group(d)
    assert r.order == math.factorial(10) and r.orbits == (tuple(range(10)),)
    for gen in r.generators:  # every generator independently verified on a sample of profiles
        arr = gen.array_form
        for a in itertools.islice(d.profiles(), 0, 59049, 997):
            assert d.payoff(0, a) == d.payoff(0, tuple(a[arr[j]] for j in range(10)))


def test_symbolic_payoffs_compared_exactly():
    eps = sympy.Symbol("eps")
    table = {("a", "b"): (1 + eps) ** 2, ("b", "a"): 1 + 2 * eps + eps**2, ("a", "a"): 2 - sympy.sqrt(2),
             ("b", "b"): sympy.sqrt(2) * (sympy.sqrt(2) - 1) + eps - eps}
    g = Game.from_common([["a", "b"]] * 2, table, symbols=["eps"])
    assert symmetry_group(g).order == 2
    assert naive_is_symmetry(g, (1, 0))
    h = Game.from_common([["a", "b"]] * 2, {("a", "b"): 1 + eps, ("b", "a"): 1 + 2 * eps}, symbols=["eps"])
    assert symmetry_group(h).order == 1
    assert find_violation(h, [1, 0]) in {("a", "b"), ("b", "a")}


def test_action_sets_matter_and_are_matched_by_name():
    # players 1 and 2 have the same set in different order; player 3 a different set
    acts = [["x", "y"], ["y", "x"], ["p", "q"]]
    g = Game.from_common(acts, lambda a: (a[0] == a[1]) + (a[2] == "p"))
    r = symmetry_group(g)
    assert r.order == 2 and r.orbits == ((0, 1), (2,))
    assert naive_group(g) == {(0, 1, 2), (1, 0, 2)}
    assert not is_symmetry(g, [2, 1, 0])
    prof = find_violation(g, [2, 1, 0])
    assert prof is not None and len(prof) == 3


def test_general_payoffs_use_permuted_utilities():
    # matching pennies is not symmetric; a symmetric 2x2 game (prisoner's dilemma) is
    pd = Game.from_payoff_function([["C", "D"]] * 2, lambda p: {("C", "C"): (3, 3), ("C", "D"): (0, 5), ("D", "C"): (5, 0), ("D", "D"): (1, 1)}[p])
    mp = Game.from_payoff_function([["H", "T"]] * 2, lambda p: (1, -1) if p[0] == p[1] else (-1, 1))
    assert symmetry_group(pd).order == 2 and naive_is_symmetry(pd, (1, 0))
    assert symmetry_group(mp).order == 1 and not naive_is_symmetry(mp, (1, 0))
    # a game that looks symmetric if utilities were NOT permuted: u_i(a) = [a_1 == "x"] for both players
    fake = Game.from_payoff_function([["x", "y"]] * 2, lambda p: (int(p[0] == "x"), int(p[0] == "x")))
    assert symmetry_group(fake).order == 1 and not naive_is_symmetry(fake, (1, 0))


def test_search_order_equals_naive_count_on_hexagon():
    """Independent of sympy: the naive count of symmetries equals the order reported."""
    ring = Game.from_common([["x", "y"]] * 6, lambda a: sum(a[i] == a[(i + 1) % 6] for i in range(6)))
    r = symmetry_group(ring)
    assert r.order == 12  # dihedral group of the hexagon
    assert len(naive_group(ring)) == 12
    assert elements(r) == naive_group(ring)


# ---------------------------------------------------------------- property tests
def _common_game(n, m, values):
    acts = [[f"a{k}" for k in range(m)]] * n
    vals = list(values)
    return Game.from_common(acts, lambda a, it=iter(vals): next(it))


@st.composite
def random_common_game(draw):
    n = draw(st.integers(2, 4))
    m = draw(st.integers(2, 3)) if n <= 3 else 2
    vals = draw(st.lists(st.integers(0, 2), min_size=m**n, max_size=m**n))
    return _common_game(n, m, vals)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_common_game())
def test_search_agrees_with_naive_bruteforce(game):
    r = symmetry_group(game)
    truth = naive_group(game)
    assert elements(r) == truth
    assert r.order == len(truth)
    assert symmetry_group_bruteforce(game).order == len(truth)
    flat = sorted(i for o in r.orbits for i in o)
    assert flat == list(range(game.n_players))


def _random_subgroup(rng, n):
    gens = []
    for _ in range(rng.randint(1, 2)):
        arr = list(range(n))
        rng.shuffle(arr)
        gens.append(Permutation(arr))
    return PermutationGroup(gens)


def _invariant_common_game(rng, n, m, H):
    """One random value per orbit of pure profiles under H (a o h for h in H)."""
    group_elems = [h.array_form for h in H.generate()]
    value = {}
    for a in itertools.product(range(m), repeat=n):
        rep = min(tuple(a[h[j]] for j in range(n)) for h in group_elems)
        value.setdefault(rep, sympy.Rational(rng.randint(-5, 5), rng.randint(1, 3)))
        value[a] = value[rep]
    acts = [[f"s{k}" for k in range(m)]] * n
    return Game.from_common(acts, lambda p: value[tuple(int(x[1:]) for x in p)])


def _invariant_general_game(rng, n, m, H):
    """Classes of (player, profile) pairs linked by (i, a o rho) ~ (rho(i), a); one random value per class."""
    gens = [g.array_form for g in H.generators]
    profiles = list(itertools.product(range(m), repeat=n))
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a in profiles:
        for rho in gens:
            a_rho = tuple(a[rho[j]] for j in range(n))
            for i in range(n):
                parent[find((i, a_rho))] = find((rho[i], a))
    vals = {}
    for a in profiles:
        for i in range(n):
            vals.setdefault(find((i, a)), rng.randint(0, 9))
    acts = [[f"s{k}" for k in range(m)]] * n
    return Game.from_payoff_function(acts, lambda p: tuple(vals[find((i, tuple(int(x[1:]) for x in p)))] for i in range(n)))


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10**6), st.integers(3, 5), st.booleans())
def test_invariant_game_contains_its_subgroup(seed, n, general):
    rng = random.Random(seed)
    m = 2 if n >= 4 else rng.randint(2, 3)
    H = _random_subgroup(rng, n)
    game = _invariant_general_game(rng, n, m, H) if general else _invariant_common_game(rng, n, m, H)
    r = symmetry_group(game)
    for h in H.generators:
        assert r.group.contains(h)
        assert naive_is_symmetry(game, h.array_form)
    assert r.order % H.order() == 0  # Lagrange: H is a subgroup
    for g in r.generators:  # every generator found is a symmetry by the independent check
        assert naive_is_symmetry(game, g.array_form)
    if n <= 4 or (n == 5 and not general):
        assert elements(r) == naive_group(game)  # every element is a symmetry, and nothing is missed


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 10**6), st.booleans())
def test_six_players_agree_with_bruteforce(seed, general):
    rng = random.Random(seed)
    H = _random_subgroup(rng, 6)
    game = _invariant_general_game(rng, 6, 2, H) if general else _invariant_common_game(rng, 6, 2, H)
    r = symmetry_group(game)
    b = symmetry_group_bruteforce(game)  # all 720 permutations, no invariants, no pruning
    assert r.order == b.order
    assert all(r.group.contains(g) for g in b.generators)
    assert all(b.group.contains(g) for g in r.generators)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10**6))
def test_closure_products_are_symmetries(seed):
    rng = random.Random(seed)
    H = _random_subgroup(rng, 5)
    game = _invariant_common_game(rng, 5, 2, H)
    r = symmetry_group(game)
    gens = [g.array_form for g in r.generators]
    for a in gens:
        for b in gens:
            prod = [a[b[i]] for i in range(5)]
            assert naive_is_symmetry(game, prod)


# ---------------------------------------------------------------- hard cases for pairwise invariants
def _design_game(n, lines):
    return Game.from_common([["x", "y"]] * n, lambda a: sum(1 for L in lines if all(a[i] == "x" for i in L)))


def test_block_designs_where_all_pairs_look_alike():
    """Every pair of points lies on exactly one line, so pairwise invariants cannot prune.

    Known orders (independent of this code): Aut(Fano plane) = GL(3, 2) has
    order 168; Aut(AG(2, 3)) = AGL(2, 3) has order 9 * 48 = 432.
    """
    fano = [(0, 1, 3), (1, 2, 4), (2, 3, 5), (3, 4, 6), (4, 5, 0), (5, 6, 1), (6, 0, 2)]
    r = symmetry_group(_design_game(7, fano))
    assert r.order == 168
    for gen in r.generators:  # each generator maps lines onto lines
        assert {tuple(sorted(gen.array_form[i] for i in L)) for L in fano} == {tuple(sorted(L)) for L in fano}
    pts = [(x, y) for x in range(3) for y in range(3)]
    lines = set()
    for d in [(0, 1), (1, 0), (1, 1), (1, 2)]:
        for p in pts:
            lines.add(tuple(sorted(pts.index(((p[0] + t * d[0]) % 3, (p[1] + t * d[1]) % 3)) for t in range(3))))
    assert symmetry_group(_design_game(9, sorted(lines))).order == 432


def test_five_butlers_on_a_pentagon_are_not_totally_symmetric():
    """The analogue of Appendix C on a pentagon: Γ(G) is the dihedral group of order 10, one orbit."""
    def u(p):
        total = 0
        for g in range(5):
            seen = {p[(g - 1) % 5], p[g], p[(g + 1) % 5]}
            total += 0 if "D" not in seen else (2 if "F" in seen else 1)
        return total

    g = Game.from_common([["F", "D"]] * 5, u)
    r = symmetry_group(g)
    assert r.order == 10 and r.orbits == ((0, 1, 2, 3, 4),)
    assert not naive_is_symmetry(g, (1, 0, 2, 3, 4))
    assert len(naive_group(g)) == 10


def test_one_player_game():
    g = Game.from_common([["a", "b"]], lambda p: 1)
    r = symmetry_group(g)
    assert r.order == 1 and r.orbits == ((0,),) and r.totally_symmetric
