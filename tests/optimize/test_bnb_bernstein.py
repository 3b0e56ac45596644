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


def _value(coef, ms, x):
    """The homogeneous form ``coef`` (concatenated exponents) at the point x (one list per factor)."""
    flat = [v for xi in x for v in xi]
    out = Fraction(0)
    for e, c in coef.items():
        t = Fraction(c)
        for v, k in zip(flat, e):
            t *= v**k
        out += t
    return out


def _bernstein_value(pb, cell, mus):
    """The cell's tensor Bernstein form at barycentric coordinates ``mus`` (one list per factor)."""
    import itertools
    import math

    out = Fraction(0)
    for idx in itertools.product(*(range(len(v)) for v in pb.vectors)):
        t = Fraction(int(cell.coeffs[idx]), pb.denominator * 2**cell.exponent)
        for i, k in enumerate(idx):
            c = pb.vectors[i][k]
            t *= math.factorial(sum(c)) // math.prod(math.factorial(a) for a in c)
            for mu, a in zip(mus[i], c):
                t *= mu**a
        out += t
    return out


def test_stellar_split_children_agree_with_the_polynomial():
    # ProductBernstein.cone (de Casteljau with dyadic weights, the corner cuts of issue 18) against direct evaluation
    rnd = random.Random(5)
    sizes, ms = (2, 3), (3, 3)
    from exactgames.model.counts import count_vectors

    keys = [tuple(a) + tuple(b) for a in count_vectors(2, 3) for b in count_vectors(3, 3)]
    coef = {k: Fraction(rnd.randint(-9, 9), rnd.randint(1, 5)) for k in keys}
    pb = ProductBernstein.from_coefficients(sizes, ms, coef)
    cell = pb.split(pb.root(), 0, 0, 1)[1]
    for i in (0, 1):
        raw = [rnd.randint(0, 3) for _ in range(3)]
        raw[rnd.randrange(3)] += 1
        tot = sum(raw)
        lam = [Fraction(r * 8 // tot, 8) for r in raw]
        lam[0] += 1 - sum(lam)
        if sum(1 for x in lam if x) < 2:
            lam = [Fraction(1, 2), Fraction(1, 4), Fraction(1, 4)]
        kids = pb.cone(cell, i, lam)
        assert len(kids) == sum(1 for x in lam if x)
        for kid in kids:
            for _ in range(3):
                mus = [[Fraction(rnd.randint(0, 4)) for _ in range(3)] for _ in range(2)]
                mus = [[m / sum(mu) for m in mu] if sum(mu) else [Fraction(1), Fraction(0), Fraction(0)] for mu in mus]
                x = [[sum(mu[k] * Fraction(kid.vertices[j][k][a], 2 ** kid.vexp[j]) for k in range(3)) for a in range(3)]
                     for j, mu in enumerate(mus)]
                assert _bernstein_value(pb, kid, mus) == _value(coef, ms, x)
