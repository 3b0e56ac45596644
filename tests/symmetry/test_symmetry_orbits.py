"""Orbits (Definition 3.2.5, Proposition 3.2.6), P-invariance (Definition 3.3.1, Proposition 3.3.2), ⟨P⟩."""

import itertools
import random

import networkx as nx
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.combinatorics import Permutation, PermutationGroup

from exactgames.model.exact import ExactError
from exactgames.paper_games import robot_butlers, taxi_permits, ten_robots
from exactgames.symmetry import (
    NotASymmetryError,
    generated_group,
    invariant_profile,
    is_p_invariant,
    is_p_invariant_by_group,
    orbit_graph,
    orbits_of,
)


def _bfs_orbits(perms, n):
    """Orbits by closing {i} under the permutations (independent of union-find)."""
    out = []
    done = set()
    for i in range(n):
        if i in done:
            continue
        orb = {i}
        frontier = [i]
        while frontier:
            x = frontier.pop()
            for p in perms:
                y = p[x]
                if y not in orb:
                    orb.add(y)
                    frontier.append(y)
        done |= orb
        out.append(tuple(sorted(orb)))
    return tuple(out)


perm_lists = st.integers(2, 7).flatmap(
    lambda n: st.tuples(st.just(n), st.lists(st.permutations(list(range(n))), min_size=0, max_size=3))
)


@settings(max_examples=40, deadline=None)
@given(perm_lists)
def test_orbits_partition_and_match_graph_components(data):
    n, perms = data
    orbs = orbits_of(perms, n)
    assert sorted(i for o in orbs for i in o) == list(range(n))  # Proposition 3.2.6
    assert orbs == _bfs_orbits(perms, n)
    # Definition 3.2.5 directly: P(i) = {rho(i) : rho in <P>}
    if perms:
        G = PermutationGroup([Permutation(p) for p in perms])
        for o in orbs:
            assert {g(o[0]) for g in G.generate()} == set(o)
    from exactgames.symmetry.result import make_result

    r = make_result(n, perms, "test")
    comps = sorted(tuple(sorted(i - 1 for i in c)) for c in nx.weakly_connected_components(orbit_graph(r)))
    assert comps == sorted(orbs)


@settings(max_examples=40, deadline=None)
@given(perm_lists, st.integers(0, 10**6))
def test_proposition_3_3_2(data, seed):
    n, perms = data
    rng = random.Random(seed)
    orbs = orbits_of(perms, n)
    strategies = [[sympy.Rational(k, 3), 1 - sympy.Rational(k, 3)] for k in (rng.randint(0, 3) for _ in orbs)]
    s = list(invariant_profile(orbs, strategies, n))
    G = PermutationGroup([Permutation(p) for p in perms]) if perms else PermutationGroup([Permutation(list(range(n)))])
    assert is_p_invariant(tuple(s), orbs) and is_p_invariant_by_group(tuple(s), G)
    # perturb one player: both characterisations must agree
    i = rng.randrange(n)
    s[i] = (sympy.Rational(1, 7), sympy.Rational(6, 7))
    assert is_p_invariant(tuple(s), orbs) == is_p_invariant_by_group(tuple(s), G)


def test_p_invariance_is_exact_for_radicals():
    p = 2 - sympy.sqrt(2)
    s = ((p, 1 - p), (sympy.sqrt(2) * (sympy.sqrt(2) - 1), sympy.sqrt(2) - 1))
    assert is_p_invariant(s, [(0, 1)])
    t = ((p, 1 - p), (sympy.Rational(586, 1000), sympy.Rational(414, 1000)))
    assert not is_p_invariant(t, [(0, 1)])


def test_invariant_profile_errors():
    with pytest.raises(ExactError, match="do not partition"):
        invariant_profile([(0, 1)], [["1", "0"]], 3)
    with pytest.raises(ExactError, match="one strategy per orbit"):
        invariant_profile([(0,), (1,)], [["1", "0"]], 2)
    with pytest.raises(ExactError, match="orbit 1"):
        invariant_profile([(0, 1)], [[0.5, 0.5]], 2)


def test_generated_group_appendix_c():
    g = robot_butlers()
    r = generated_group(g, "(1 3)(2 4)")
    assert r.order == 2 and r.orbits == ((0, 2), (1, 3))
    assert not r.totally_symmetric
    rot = generated_group(g, [[1, 2, 3, 0]])
    assert rot.order == 4 and rot.orbits == ((0, 1, 2, 3),)
    # the paper's one-line list {(1,2,3,4), (2,3,4,1), (3,4,1,2), (4,1,2,3)} are the four rotations
    four = generated_group(g, "[1 2 3 4]; [2 3 4 1]; [3 4 1 2]; [4 1 2 3]")
    assert four.order == 4


def test_generated_group_rejects_non_symmetry():
    with pytest.raises(NotASymmetryError) as info:
        generated_group(taxi_permits(), "(1 2)")
    err = info.value
    assert err.permutation == "(1 2)"
    assert err.profile in {("H", "W"), ("W", "H")}
    g = taxi_permits()
    a = err.profile
    assert g.payoff(0, a) != g.payoff(0, (a[1], a[0]))  # the named profile really breaks it
    assert "(1 2) is not a symmetry" in str(err)


def test_generated_group_on_anonymous_game():
    r = generated_group(ten_robots(), "(1 2 3)(4 5)")
    assert r.order == 6 and r.orbits[0] == (0, 1, 2)
    assert len(r.orbits) == 2 + 5  # {1,2,3}, {4,5}, and five singletons
    assert sorted(len(o) for o in r.orbits) == [1, 1, 1, 1, 1, 2, 3]
    assert all(len(set(o)) == len(o) for o in r.orbits)
    assert set(itertools.chain(*r.orbits)) == set(range(10))
