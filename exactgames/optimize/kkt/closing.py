"""A replayable subdivision proof of a maximum the KKT enumeration found, with its maximiser set as cell faces.

The exact KKT enumeration proves the optimum ``M`` and lists the critical
points of every face, but a continuum of maximisers that is not a whole face
of the product of simplices (a segment across a face, say) has no description
``verify`` can check on its own: ``verify`` re-proves a KKT answer by its own
subdivision and requires every positive-dimensional face of a weakly pruned
cell where ``f = M`` to lie in a reported face on which ``f`` is identically
``M``, and across a face no such face exists.

:func:`close_at_maximum` builds the proof ``verify`` can replay instead (a
``bnb-product-v1`` certificate without regions): a subdivision of the product
of simplices, made of stellar splits at the known rational maximisers (they
become cell vertices, so a continuum between them becomes cell edges) and of
edge bisections, until every cell has all its tensor Bernstein coefficients
strictly below ``M`` (pruned) or at most ``M`` (weakly pruned).  Then
``f <= M`` everywhere, ``f = M`` exactly on the faces of the weakly pruned
cells whose coefficients all equal ``M``, and those faces are the maximiser
set, recorded as ``maximiser_faces``.

Bernstein coefficients are computed here by composing the EU polynomial with
the cell's vertex map (python-flint ``fmpq_mpoly``), exact rationals
throughout; ``verify`` recomputes them by its own blossom recurrences.

Examples
--------
>>> from fractions import Fraction
>>> from exactgames.model.game import Game
>>> from exactgames.optimize.kkt.faces import prepare
>>> g = Game.from_common([["a", "b"]] * 2, {("a", "a"): 1, ("b", "b"): 1})
>>> c = close_at_maximum(prepare(g, [[0, 1]]), Fraction(1), [[[Fraction(1), Fraction(0)]]])
>>> c.tree, [[[str(x) for x in xi] for xi in p] for p in c.points()]
([['w']], [[['1', '0']], [['0', '1']]])
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

import flint

from exactgames.model.counts import count_vectors, multinomial
from exactgames.optimize.deadline import Deadline
from exactgames.optimize.kkt.types import _Prepared

__all__ = ["Closing", "close_at_maximum"]

#: limits of the proof (those of ``verify``'s replay: depth 400, a million tokens, stellar weights' denominators)
MAX_DEPTH = 400
MAX_CONE_DENOMINATOR = 10**12

Vertex = tuple[Fraction, ...]
Face = tuple[tuple[Vertex, ...], ...]


@dataclass
class Closing:
    """A closed subdivision at the maximum ``value``.

    Attributes
    ----------
    value : Fraction
        The maximum (every cell's coefficients are at most it).
    tree : list
        Tokens depth first: ``[i, p, q]`` bisects edge p-q of factor i (the
        child keeping p first), ``["c", i, [lam...]]`` splits factor i's
        simplex at the point with barycentric coordinates ``lam`` (one child
        per positive weight, in order, that vertex replaced by the point),
        ``["p"]`` / ``["w"]`` prune a cell strictly below / at most ``value``.
    faces : list of Face
        The maximal faces of the weakly pruned cells on which ``f`` equals
        ``value`` (each a tuple of vertex tuples per factor, vertices sorted),
        once each: exactly the maximiser set.
    leaves, pruned, weak : int
    """

    value: Fraction
    tree: list = field(default_factory=list)
    faces: list = field(default_factory=list)
    leaves: int = 0
    pruned: int = 0
    weak: int = 0

    def points(self) -> list[tuple[Vertex, ...]]:
        """The zero-dimensional maximiser faces: profiles (one strategy per orbit)."""
        return [tuple(fi[0] for fi in f) for f in self.faces if all(len(fi) == 1 for fi in f)]

    def pieces(self) -> list[Face]:
        """The positive-dimensional maximiser faces."""
        return [f for f in self.faces if any(len(fi) > 1 for fi in f)]

    def certificate(self, orbits: Sequence[Sequence[int]], ms: Sequence[int], point: Sequence[Sequence[Fraction]]) -> dict:
        """The ``bnb-product-v1`` certificate (no regions, no winner: the maximum is attained at ``point``)."""
        return {
            "kind": "bnb-product-v1",
            "orbits": [list(o) for o in orbits], "sizes": [len(o) for o in orbits], "ms": list(ms),
            "regions": [], "winner": None, "ties": [], "threshold": str(self.value),
            "attained": [str(self.value), [[str(x) for x in xi] for xi in point]],
            "maximiser_faces": [[[[str(x) for x in v] for v in fi] for fi in f] for f in self.faces],
            "tree": self.tree, "leaves": self.leaves, "pruned": self.pruned, "weak": self.weak, "in_region": 0,
            "route": "subdivision closed at the maximum found by the exact KKT enumeration, with stellar splits at the "
            "known rational maximisers (the maximiser set is the union of the maximiser_faces)",
        }


class _Cells:
    """Exact tensor Bernstein coefficients of the EU on products of simplices with rational vertices."""

    def __init__(self, prep: _Prepared) -> None:
        self.F = prep.F
        self.ms = tuple(prep.sizes)
        self.ns = tuple(len(o) for o in prep.orbits)
        self.offsets = tuple(prep.offsets)
        self.ctx = flint.fmpq_mpoly_ctx.get(tuple(f"t{k}" for k in range(sum(self.ms))))
        self.keys = list(itertools.product(*(count_vectors(n, m) for n, m in zip(self.ns, self.ms))))
        self.flat = [tuple(itertools.chain.from_iterable(k)) for k in self.keys]
        self.weight = [math.prod(multinomial(c) for c in k) for k in self.keys]
        # per key and factor: the bit mask of the cell vertices its count vector puts mass on
        self.masks = [tuple(sum(1 << a for a, x in enumerate(c) if x) for c in k) for k in self.keys]
        self.corner = {}
        for j, k in enumerate(self.keys):
            if all(sum(1 for x in c if x) == 1 for c in k):
                self.corner[tuple(c.index(n) for c, n in zip(k, self.ns))] = j

    def coefficients(self, verts: Sequence[Sequence[Vertex]]) -> list[flint.fmpq]:
        """Coefficient of every key (in ``self.keys`` order) on the cell with these vertices."""
        gens = self.ctx.gens()
        zero = self.ctx.from_dict({})
        subs = []
        for i, vs in enumerate(verts):
            off = self.offsets[i]
            for a in range(self.ms[i]):
                img = zero
                for p, v in enumerate(vs):
                    if v[a]:
                        img = img + gens[off + p] * v[a]
                subs.append(img)
        g = self.F.compose(*subs, ctx=self.ctx)
        d = g.to_dict()
        z = flint.fmpq(0)
        return [d.get(e, z) / w for e, w in zip(self.flat, self.weight)]

    def level_faces(self, coef: list, value: flint.fmpq) -> list[tuple[int, ...]]:
        """Maximal faces (one vertex bit mask per factor) on which every coefficient supported there equals ``value``."""
        nf = len(self.ms)
        good = [0] * nf
        for choice, j in self.corner.items():
            if coef[j] == value:
                for i, p in enumerate(choice):
                    good[i] |= 1 << p
        if not all(good):
            return []
        bad = [self.masks[j] for j, c in enumerate(coef) if c != value]
        subsets = []
        for i in range(nf):
            bits = [1 << p for p in range(self.ms[i]) if good[i] >> p & 1]
            subsets.append([sum(s) for r in range(len(bits), 0, -1) for s in itertools.combinations(bits, r)])
        combos = sorted(itertools.product(*subsets), key=lambda fc: -sum(bin(x).count("1") for x in fc))
        found: list[tuple[int, ...]] = []
        for fc in combos:
            if any(all(x & ~y == 0 for x, y in zip(fc, f)) for f in found):
                continue
            if not any(all(x & ~y == 0 for x, y in zip(b, fc)) for b in bad):
                found.append(fc)
        return found


def _barycentric(vs: Sequence[Vertex], t: Sequence[Fraction]) -> list[Fraction]:
    """Coordinates ``lam`` with ``sum lam_p vs[p] = t`` (the vertices of a full simplex: a unique solution)."""
    m = len(vs)
    A = flint.fmpq_mat(m, m, [vs[p][a] for a in range(m) for p in range(m)])
    sol = A.solve(flint.fmpq_mat(m, 1, list(t)))
    return [sol[p, 0] for p in range(m)]


def _q(x: Any) -> flint.fmpq:
    x = Fraction(x)
    return flint.fmpq(x.numerator, x.denominator)


def _length(u: Vertex, v: Vertex) -> flint.fmpq:
    return max(abs(a - b) for a, b in zip(u, v))


def close_at_maximum(
    prep: _Prepared,
    value: Fraction,
    targets: Sequence[Sequence[Sequence[Fraction]]],
    deadline: Deadline | None = None,
    max_tokens: int = 200_000,
) -> Closing | None:
    """Subdivide the product of simplices until every cell is at most ``value`` (None when the limits run out).

    Parameters
    ----------
    prep : the prepared EU polynomial (:func:`exactgames.optimize.kkt.faces.prepare`)
    value : the maximum, proved by the caller (a rational)
    targets : rational maximisers (one strategy per orbit); every cell that
        contains one elsewhere than at a vertex is split there first.
    deadline : time limit (None: none)
    max_tokens : limit on the tree's size

    Returns
    -------
    Closing or None
        None when a cell stays above ``value`` at the depth limit, or the
        token or time limit runs out (the value is then not re-proved this
        way; nothing else is claimed).

    Examples
    --------
    >>> from exactgames.paper_games import taxi_symmetric
    >>> from exactgames.optimize.kkt.faces import prepare
    >>> c = close_at_maximum(prepare(taxi_symmetric(), [[0, 1]]), Fraction(3, 2), [[[Fraction(1, 2), Fraction(1, 2)]]])
    >>> c.tree[0], c.points()
    (['c', 0, ['1/2', '1/2']], [((Fraction(1, 2), Fraction(1, 2)),)])
    """
    cells = _Cells(prep)
    v = flint.fmpq(Fraction(value).numerator, Fraction(value).denominator)
    out = Closing(Fraction(value))
    seen: set = set()
    root = [[tuple(flint.fmpq(int(a == b)) for b in range(m)) for a in range(m)] for m in cells.ms]
    goal = [[tuple(_q(x) for x in t[i]) for t in targets] for i in range(len(cells.ms))]
    stack: list[tuple[list, int, list]] = [(root, 0, [list(range(len(targets)))])]
    while stack:
        verts, depth, (pend,) = stack.pop()
        if len(out.tree) >= max_tokens or (deadline is not None and deadline.remaining() is not None and deadline.remaining() <= 0):
            return None
        coef = cells.coefficients(verts)
        top = max(coef)
        if top < v:
            out.tree.append(["p"])
            out.leaves += 1
            out.pruned += 1
            continue
        if top == v:
            out.tree.append(["w"])
            out.leaves += 1
            out.weak += 1
            for fc in cells.level_faces(coef, v):
                face = tuple(tuple(sorted(tuple(Fraction(int(x.p), int(x.q)) for x in verts[i][p])
                                          for p in range(cells.ms[i]) if fc[i] >> p & 1)) for i in range(len(fc)))
                if face not in seen:
                    seen.add(face)
                    out.faces.append(face)
            continue
        if depth >= MAX_DEPTH:
            return None
        # a target inside the cell but not one of its vertices: a stellar split there
        still = []
        cone = None
        for k in pend:
            lams = [_barycentric(verts[i], goal[i][k]) for i in range(len(verts))]
            if any(x < 0 for lam in lams for x in lam):
                continue  # not in this cell
            i = next((i for i, lam in enumerate(lams) if sum(1 for x in lam if x) > 1), None)
            if i is None:
                continue  # already a vertex
            still.append(k)
            if cone is None and math.lcm(*(int(x.q) for x in lams[i])) <= MAX_CONE_DENOMINATOR:
                cone = (i, lams[i], goal[i][k])
        if cone is not None:
            i, lam, y = cone
            out.tree.append(["c", i, [str(x) for x in lam]])
            kids = []
            for j, x in enumerate(lam):
                if x:
                    vs = [list(f) for f in verts]
                    vs[i][j] = y
                    kids.append((vs, depth + 1, [still]))
            stack.extend(reversed(kids))
            continue
        i, p, q = _split_edge(cells, coef, verts, goal, still)
        out.tree.append([i, p, q])
        mid = tuple((a + b) / 2 for a, b in zip(verts[i][p], verts[i][q]))
        left = [list(f) for f in verts]
        right = [list(f) for f in verts]
        left[i][q] = mid
        right[i][p] = mid
        stack.append((right, depth + 1, [still]))
        stack.append((left, depth + 1, [still]))
    return out


def _split_edge(cells: _Cells, coef: list, verts: list, goal: list, pend: list[int]) -> tuple[int, int, int]:
    """The edge to bisect: one whose midpoint is a pending target; else the longest edge between vertices the
    largest coefficient's key puts mass on (the coefficient that keeps the cell open), unless it is under half
    the cell's longest edge; else the longest edge (max norm)."""
    top = max(range(len(coef)), key=coef.__getitem__)
    mask = cells.masks[top]
    hit: Any = None
    best: Any = None
    mine: Any = None
    for i, vs in enumerate(verts):
        for p, q in itertools.combinations(range(len(vs)), 2):
            d = _length(vs[p], vs[q])
            if pend and (hit is None or d > hit[0]):
                mid = tuple((a + b) / 2 for a, b in zip(vs[p], vs[q]))
                if any(goal[i][k] == mid for k in pend):
                    hit = (d, i, p, q)
            if best is None or d > best[0]:
                best = (d, i, p, q)
            if mask[i] >> p & 1 and mask[i] >> q & 1 and (mine is None or d > mine[0]):
                mine = (d, i, p, q)
    if hit is not None:
        return hit[1:]
    if mine is not None and 2 * mine[0] >= best[0]:
        return mine[1:]
    return best[1:]
