"""The tensor Bernstein cells of the branch and bound (exactgames.optimize.bnb.bernstein): bisection bookkeeping."""

import random
from fractions import Fraction

from exactgames.experiments.generators import generate
from exactgames.model import utility
from exactgames.optimize.bnb import bernstein, form, simplex
from exactgames.optimize.bnb.bernstein import ProductBernstein


def _lengths(cell):
    return tuple(tuple(tuple(sum((a - b) ** 2 for a, b in zip(u, v)) for v in verts) for u in verts) for verts in cell.vertices)


def _longest_by_coordinates(pb, cell):
    """The longest edge from the vertex coordinates themselves (the rule before the lengths were kept in the cell)."""
    top = max(cell.vexp)
    best, arg = -1, (0, 0, 1)
    for i, verts in enumerate(cell.vertices):
        scale = pb.sizes[i] * 4 ** (top - cell.vexp[i])
        for p in range(len(verts)):
            for q in range(p + 1, len(verts)):
                d = scale * sum((a - b) ** 2 for a, b in zip(verts[p], verts[q]))
                if d > best:
                    best, arg = d, (i, p, q)
    return arg


def test_kept_edge_lengths_equal_the_coordinates_after_random_splits():
    rnd = random.Random(3)
    pb = ProductBernstein.from_coefficients((2, 1), (4, 3), {(2, 0, 0, 0, 1, 0, 0): Fraction(1)})
    cell = pb.root()
    for _ in range(60):
        assert pb.edges(cell) == _lengths(cell)
        assert pb.longest_edge(cell) == _longest_by_coordinates(pb, cell)
        i = rnd.randrange(2)
        m = pb.ms[i]
        p, q = rnd.sample(range(m), 2)
        cell = pb.split(cell, i, p, q)[rnd.randrange(2)]


def test_one_factor_bisection_matches_the_general_axis_code():
    # the 1-d fast path of _half against the moveaxis code on the same coefficients, seen as a (K, 1) array
    pb = ProductBernstein.from_coefficients((3,), (3,), {(1, 1, 1): 6, (3, 0, 0): 1, (0, 2, 1): -2})
    pb2 = ProductBernstein.from_coefficients((3, 1), (3, 1), {(1, 1, 1, 1): 6, (3, 0, 0, 1): 1, (0, 2, 1, 1): -2})
    a, b = pb.split(pb.root(), 0, 0, 2)
    a2, b2 = pb2.split(pb2.root(), 0, 0, 2)
    assert list(a.coeffs) == list(a2.coeffs[:, 0]) and list(b.coeffs) == list(b2.coeffs[:, 0])
    assert bernstein.ProductBernstein.upper(pb, a) == pb2.upper(a2)


def test_optimize_computes_the_games_eu_polynomial_once(monkeypatch):
    from exactgames.optimize.api import optimize

    calls = []
    real = utility.count_coefficients

    def counting(*args, **kwargs):
        calls.append(args[1] if len(args) > 1 else kwargs.get("orbits"))
        return real(*args, **kwargs)

    for mod in (utility, form, simplex):
        monkeypatch.setattr(mod, "count_coefficients", counting)
    for game, orbits in ((generate("random", 4, 3, 1), [[0, 1], [2, 3]]), (generate("random", 3, 3, 2), None)):
        calls.clear()
        r = optimize(game, orbits)
        assert r.complete and len(calls) == 1, calls
