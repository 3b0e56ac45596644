"""A continuum of maximisers across a face (issue 18): the exact KKT route reports it so that ``verify`` accepts.

The games are the ``smallint`` class of ``benchmarks/scale_bench.py`` (two players, payoffs drawn from
{0, 1, 2} with ``numpy.random.RandomState(seed)``), rebuilt here.  Before the fix ``verify`` refused the
optimiser's (true) answer on 2x6 seed 15 and 2x10 seed 2: the maximum is attained on a set that is not a
whole face, and the KKT route reported it only in words.

The continuum is checked here by an independent route: the EU is evaluated exactly from the payoff table
(the bilinear form ``x^T A x`` with ``A[a][b]`` the payoff of the count vector of ``(a, b)``) at points of the
reported faces, and the maximiser set of 2x6 seed 15 is derived by hand below.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from exactgames.model.counts import count_vectors
from exactgames.model.game import AnonymousGame
from exactgames.optimize import optimize
from exactgames.optimize.kkt import kkt_optimum
from exactgames.optimize.kkt.closing import close_at_maximum
from exactgames.optimize.kkt.faces import prepare
from exactgames.optimize.result import TiedContinuum
from proofs_check.checker import check_certificate
from proofs_check.checker.polynomial import Setup
from proofs_check.checker.subdivision import replay

F = Fraction


def smallint(m: int, seed: int) -> AnonymousGame:
    """``make_game("smallint", 2, m, seed)`` of benchmarks/scale_bench.py."""
    rng = np.random.RandomState(seed)
    table = {c: int(rng.randint(0, 3)) for c in count_vectors(2, m)}
    return AnonymousGame.from_function(2, [f"a{k + 1}" for k in range(m)], table)


def payoff_matrix(game: AnonymousGame) -> list[list[Fraction]]:
    m = len(game.actions)
    A = [[F(0)] * m for _ in range(m)]
    for a, b in itertools.product(range(m), repeat=2):
        c = [0] * m
        c[a] += 1
        c[b] += 1
        v = game.payoff[tuple(c)]
        A[a][b] = F(int(v.p), int(v.q))
    return A


def eu(A: list[list[Fraction]], x: list[Fraction]) -> Fraction:
    """The symmetric EU of two players both playing x, from the payoff table."""
    return sum((x[a] * x[b] * A[a][b] for a in range(len(x)) for b in range(len(x))), F(0))


def faces_of(cert: dict) -> list[list[list[Fraction]]]:
    """The recorded maximiser faces (one orbit): each a list of vertices."""
    return [[[F(s) for s in v] for v in f[0]] for f in cert["bnb"]["maximiser_faces"]]


def combos(vertices: list[list[Fraction]]) -> list[list[Fraction]]:
    """Rational convex combinations of the vertices (vertices, barycentre, a few skewed weights)."""
    k = len(vertices)
    weights = [[F(int(i == j)) for j in range(k)] for i in range(k)] + [[F(1, k)] * k]
    for s in (1, 2, 5):
        w = [F(s + 3 * j + 1) for j in range(k)]
        weights.append([x / sum(w) for x in w])
    return [[sum((w[j] * vertices[j][a] for j in range(k)), F(0)) for a in range(len(vertices[0]))] for w in weights]


def test_2x6_seed15_continuum_reported_and_verified() -> None:
    g = smallint(6, 15)
    r = optimize(g)
    assert r.complete and r.value == F(4, 3)
    assert r.method == "exact KKT enumeration"  # the branch and bound cannot close a continuum across a face
    cont = [t for t in r.ties if isinstance(t, TiedContinuum) and "faces of subdivision cells" in t]
    assert len(cont) == 1 and not cont[0].possible
    rep = check_certificate(g, r.to_json())
    assert rep.ok, rep.errors
    # independently: the EU is exactly 4/3 at points of every reported face ...
    A = payoff_matrix(g)
    faces = faces_of(r.certificate)
    assert any(len(f) > 1 for f in faces)
    for f in faces:
        for x in combos(f):
            assert sum(x) == 1 and min(x) >= 0
            assert eu(A, x) == F(4, 3)
    # ... and, by hand, on the face {a2, a3, a4, a5} the payoffs are 1 among a2, a4, a5, 2 between a3 and them, 0 for
    # (a3, a3); so with s = x2 + x4 + x5 = 1 - x3, f = s^2 + 4 s (1 - s) = 4s - 3s^2, largest (4/3) exactly at s = 2/3:
    # the maximisers there are the triangle {x3 = 1/3, x2 + x4 + x5 = 2/3}, not a whole face
    B = [[A[a][b] for b in (1, 2, 3, 4)] for a in (1, 2, 3, 4)]
    assert B == [[1, 2, 1, 1], [2, 0, 2, 2], [1, 2, 1, 1], [1, 2, 1, 1]]
    s = F(2, 3)
    assert 4 * s - 3 * s * s == F(4, 3) and all(4 * t - 3 * t * t < F(4, 3) for t in (F(0), F(1, 2), F(3, 4), F(1)))
    # every point of that triangle lies in a reported face: its vertices are reported and the faces cover it
    corners = [[F(0), F(2, 3), F(1, 3), F(0), F(0), F(0)], [F(0), F(0), F(1, 3), F(2, 3), F(0), F(0)],
               [F(0), F(0), F(1, 3), F(0), F(2, 3), F(0)]]
    verts = {tuple(v) for f in faces for v in f}
    assert all(tuple(c) in verts for c in corners)
    assert any(sorted(map(tuple, f)) == sorted(map(tuple, corners)) for f in faces)  # the whole triangle, one face
    # off the set the EU is lower (a point with x3 != 1/3)
    assert eu(A, [F(0), F(1, 2), F(1, 2), F(0), F(0), F(0)]) < F(4, 3)


def test_whole_face_continuum_from_kkt_optimum_verified() -> None:
    """2x4 seed 50: f is identically 2 on the edge {a2, a4}; ``kkt_optimum``'s own answer used to be refused."""
    g = smallint(4, 50)
    r = kkt_optimum(g, [[0, 1]])
    assert r.complete and r.value == 2
    rep = check_certificate(g, r.to_json())
    assert rep.ok, rep.errors
    A = payoff_matrix(g)
    assert A[1][1] == A[1][3] == A[3][3] == 2  # by hand: the edge a2-a4 carries EU identically 2
    assert any(sorted(map(tuple, f)) == sorted([(0, 0, 0, 1), (0, 1, 0, 0)]) for f in faces_of(r.certificate))


def test_2x10_seed2_closing_replayed_by_the_checker() -> None:
    """The scale_bench game that verify refused: the subdivision closed at 8/5 around the KKT route's rational
    maximisers, replayed by the checker's own Bernstein recurrences; the segment of maximisers is covered."""
    g = smallint(10, 2)

    def P(d: dict) -> list[list[Fraction]]:
        x = [F(0)] * 10
        for k, v in d.items():
            x[k] = F(v)
        return [x]

    targets = [P({2: "2/5", 3: "2/5", 9: "1/5"}), P({2: "2/5", 8: "2/5", 9: "1/5"}), P({3: "2/5", 4: "1/5", 7: "2/5"}),
               P({0: "1/5", 3: "2/5", 4: "1/5", 9: "1/5"}), P({0: "2/15", 3: "2/5", 4: "1/5", 7: "2/15", 9: "2/15"})]
    c = close_at_maximum(prepare(g, [[0, 1]]), F(8, 5), targets)
    assert c is not None and c.pieces()
    rep = replay(c.tree, Setup(g, [[0, 1]]), F(8, 5), F(8, 5), [])
    assert rep.pruned + rep.weak == rep.leaves == c.leaves
    assert set(dict.fromkeys(rep.level)) == set(c.faces)
    # the segment from (a4 2/5, a5 1/5, a8 2/5) to (a1 1/5, a4 2/5, a5 1/5, a10 1/5): EU exactly 8/5 along it
    # (A restricted to a1, a4, a5, a8, a10 annihilates the direction (1, 0, 0, -2, 1)), and it is the union of faces
    A = payoff_matrix(g)
    p, q = targets[2][0], targets[3][0]
    for t in (F(0), F(1, 7), F(2, 3), F(1)):
        assert eu(A, [(1 - t) * a + t * b for a, b in zip(p, q)]) == F(8, 5)
    pieces = [sorted(f[0]) for f in c.pieces()]
    on_segment = [f for f in pieces if len(f) == 2 and all(_on(v, p, q) for v in f)]
    total = sum((abs(_param(f[1], p, q) - _param(f[0], p, q)) for f in on_segment), F(0))
    assert total == 1


def _param(v: tuple, p: list, q: list) -> Fraction:
    return (v[0] - p[0]) / (q[0] - p[0])


def _on(v: tuple, p: list, q: list) -> bool:
    t = _param(v, p, q)
    return 0 <= t <= 1 and all(x == (1 - t) * a + t * b for x, a, b in zip(v, p, q))


@pytest.mark.parametrize("bad", ["2", "3/2"])
def test_closing_refuses_a_wrong_maximum(bad: str) -> None:
    """Above the true maximum (4/3) the subdivision closes with no maximiser face; below it, it never closes."""
    g = smallint(6, 15)
    c = close_at_maximum(prepare(g, [[0, 1]]), F(bad), [], max_tokens=2000)
    assert c is not None and not c.faces  # 2 and 3/2 exceed 4/3: every cell pruned strictly, no maximiser there
    assert close_at_maximum(prepare(g, [[0, 1]]), F(5, 4), [], max_tokens=2000) is None  # 5/4 < 4/3: never closes


@pytest.mark.parametrize("seed", [1, 2, 7])
def test_two_orbits_continuum_verified(seed: int) -> None:
    """Two one-player orbits (3 x 3 common payoffs in {0, 1, 2}): the maximisers are products of faces; the product
    case of the closing (stellar splits and faces orbit by orbit) verifies, and the EU ``x^T P y`` computed from the
    payoff table equals the maximum at points of every reported face."""
    from exactgames.model.game import Game

    rng = np.random.RandomState(seed)
    acts = ["a0", "a1", "a2"]
    pay = {(a, b): int(rng.randint(0, 3)) for a in acts for b in acts}
    g = Game.from_common([acts, acts], pay)
    r = kkt_optimum(g, [[0], [1]])
    assert r.complete and "bnb" in r.certificate
    rep = check_certificate(g, r.to_json())
    assert rep.ok, rep.errors
    top = max(pay.values())
    assert r.value == top  # a bilinear form is largest at a vertex: the largest payoff
    P = [[F(pay[(a, b)]) for b in acts] for a in acts]
    for f in r.certificate["bnb"]["maximiser_faces"]:
        xs, ys = ([[F(s) for s in v] for v in fi] for fi in f)
        for x in combos(xs):
            for y in combos(ys):
                assert sum(x[a] * P[a][b] * y[b] for a in range(3) for b in range(3)) == top
