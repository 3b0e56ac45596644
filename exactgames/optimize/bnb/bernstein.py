"""Exact tensor-product Bernstein forms on a product of simplices, with edge bisection of one factor.

For a common-payoff game and a subgroup P with orbits ``O_1..O_k`` (players of
one orbit share an action set ``A_i``), a P-invariant profile gives every
player of orbit i the strategy ``x^(i)`` in the simplex ``Delta(A_i)``; the
expected utility is a polynomial of multi-degree ``(n_1, ..., n_k)``
(``n_i = |O_i|``), homogeneous of degree ``n_i`` in each ``x^(i)``.  In
tensor-product Bernstein form on ``Delta(A_1) x ... x Delta(A_k)`` its
coefficient of the count vectors ``(c_1, ..., c_k)`` is the average common
payoff over the pure profiles with those action counts per orbit.

A cell is a product of sub-simplices, one per orbit (vertices ``V^(i)_0..``);
its coefficients are Python integers ``N_c`` with ``b_c = N_c / (D *
2**exponent)`` stored in a numpy object array of shape ``(K_1, ..., K_k)``
(``K_i`` count vectors of orbit i).  Bisecting an edge of factor i is de
Casteljau along axis i only: ``n_i`` rounds of integer additions.

The exact Bernstein coefficients on the corner simplices of the region
proofs are in :mod:`exactgames.optimize.bnb.corner_form`.

One orbit is the case of one factor (the coefficients are then a 1-d array and
bisection skips the axis bookkeeping).

Examples
--------
>>> from fractions import Fraction
>>> from exactgames.optimize.bnb.bernstein import ProductBernstein
>>> # two orbits of one player each, two actions: f = x1_a * x2_a (a coordination bonus)
>>> pb = ProductBernstein.from_coefficients((1, 1), (2, 2), {(1, 0, 1, 0): Fraction(1)})
>>> root = pb.root()
>>> pb.upper(root), pb.corner_values(root)[0]
(Fraction(1, 1), ((0, 0), Fraction(1, 1)))
>>> left, right = pb.split(root, 0, 0, 1)
>>> pb.upper(left), left.vertex(0, 1)
(Fraction(1, 1), (Fraction(1, 2), Fraction(1, 2)))
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping, Sequence

import numpy as np

from exactgames.model.counts import count_vectors, multinomial

__all__ = ["ProductBernstein", "ProductCell", "bernstein_coefficients"]


@dataclass(frozen=True)
class ProductCell:
    """A product of sub-simplices (one per orbit) with the exact Bernstein coefficients of f on it.

    Attributes
    ----------
    vertices : tuple (per factor) of tuple of tuple of int
        ``vertices[i][p]`` is vertex p of factor i, coordinates ``v / 2**vexp[i]``.
    coeffs : numpy.ndarray of object (Python int), shape ``(K_1, ..., K_k)``
    exponent : int
        ``b_c = N_c / (D * 2**exponent)``.
    vexp : tuple of int
    depth : int
    edges : tuple (per factor) of tuple of tuple of int, optional
        ``edges[i][p][q]`` is the squared length of edge (p, q) of factor i in the
        integer coordinates ``vertices[i]``; a child of :meth:`ProductBernstein.split`
        holds ``(parent's edges, factor, keep, move)`` until :meth:`ProductBernstein.edges`
        derives its own (so the longest edge costs no coordinate sums).
    """

    vertices: tuple[tuple[tuple[int, ...], ...], ...]
    coeffs: np.ndarray
    exponent: int
    vexp: tuple[int, ...]
    depth: int = 0
    edges: tuple | None = None

    def vertex(self, i: int, p: int) -> tuple[Fraction, ...]:
        """Vertex ``p`` of factor ``i`` as exact Fractions."""
        d = 2 ** self.vexp[i]
        return tuple(Fraction(v, d) for v in self.vertices[i][p])

    def point(self, choice: Sequence[int]) -> tuple[tuple[Fraction, ...], ...]:
        """The corner of the cell choosing vertex ``choice[i]`` in factor ``i``."""
        return tuple(self.vertex(i, p) for i, p in enumerate(choice))

    def centroid(self) -> tuple[tuple[Fraction, ...], ...]:
        out = []
        for i, verts in enumerate(self.vertices):
            m = len(verts)
            d = 2 ** self.vexp[i] * m
            out.append(tuple(Fraction(sum(v[a] for v in verts), d) for a in range(len(verts[0]))))
        return tuple(out)


def bernstein_coefficients(
    sizes: Sequence[int], ms: Sequence[int], coef: Mapping[tuple[int, ...], Any]
) -> dict[tuple[tuple[int, ...], ...], Fraction]:
    """Tensor Bernstein coefficients from the monomial coefficients of f (flattened exponents).

    ``coef`` maps the concatenated exponent vector ``(c_1, ..., c_k)`` to the
    coefficient of ``prod_i x^(i)^{c_i}``; the Bernstein coefficient divides it
    by ``prod_i multinomial(c_i)``.  Absent keys are 0.

    Examples
    --------
    >>> bernstein_coefficients((2,), (2,), {(1, 1): 2})[((1, 1),)]
    Fraction(1, 1)
    """
    out = {}
    for key in itertools.product(*(count_vectors(n, m) for n, m in zip(sizes, ms))):
        flat = tuple(itertools.chain.from_iterable(key))
        v = coef.get(flat, 0)
        v = Fraction(int(v.p), int(v.q)) if hasattr(v, "p") else Fraction(v)
        out[key] = v / math.prod(multinomial(c) for c in key)
    return out


@dataclass(frozen=True, eq=False)
class ProductBernstein:
    """Index tables for tensor Bernstein subdivision on a product of simplices.

    Attributes
    ----------
    sizes : tuple of int
        Degree ``n_i`` of each factor (orbit sizes).
    ms : tuple of int
        Number of actions ``m_i`` of each factor.
    vectors : tuple (per factor) of tuple of count vectors
    numerators : numpy.ndarray of object, shape ``(K_1, ..., K_k)``
        ``D`` times the Bernstein coefficients on the root.
    denominator : int
    """

    sizes: tuple[int, ...]
    ms: tuple[int, ...]
    vectors: tuple[tuple[tuple[int, ...], ...], ...]
    numerators: np.ndarray
    denominator: int

    @classmethod
    def from_coefficients(
        cls, sizes: Sequence[int], ms: Sequence[int], coef: Mapping[tuple[int, ...], Any]
    ) -> "ProductBernstein":
        """From the monomial coefficients of f keyed by concatenated exponent vectors (see :func:`bernstein_coefficients`)."""
        sizes, ms = tuple(int(s) for s in sizes), tuple(int(m) for m in ms)
        vecs = tuple(tuple(count_vectors(n, m)) for n, m in zip(sizes, ms))
        mults = [[multinomial(c) for c in vs] for vs in vecs]
        shape = tuple(len(v) for v in vecs)
        nums, dens = [], []
        # b_c = coef_c / prod_i multinomial(c_i) in lowest terms (as Fraction would reduce it), in row-major order
        for idx in itertools.product(*(range(k) for k in shape)):
            flat = tuple(itertools.chain.from_iterable(vecs[i][j] for i, j in enumerate(idx)))
            v = coef.get(flat, 0)
            if hasattr(v, "p"):
                num, den = int(v.p), int(v.q)
            else:
                v = Fraction(v)
                num, den = v.numerator, v.denominator
            for i, j in enumerate(idx):
                den *= mults[i][j]
            g = math.gcd(num, den)
            nums.append(num // g)
            dens.append(den // g)
        d = 1
        for q in dens:
            d = d * q // math.gcd(d, q)
        arr = np.empty(shape, dtype=object)
        arr.reshape(-1)[:] = [a * (d // q) for a, q in zip(nums, dens)]
        return cls(sizes, ms, vecs, arr, d)

    # ------------------------------------------------------------------ tables
    def _factor_tables(self, i: int) -> dict:
        key = ("_ft", i)
        if key not in self.__dict__:
            vecs = self.vectors[i]
            m, n = self.ms[i], self.sizes[i]
            pos = {c: k for k, c in enumerate(vecs)}
            arr = np.array(vecs, dtype=np.int64).reshape(-1, m)
            find = _finder(arr, n, pos)
            shifts = {}
            for q in range(m):
                has = np.nonzero(arr[:, q] > 0)[0]
                for p in range(m):
                    if p == q:
                        continue
                    moved = arr[has].copy()
                    moved[:, q] -= 1
                    moved[:, p] += 1
                    sh = np.arange(len(vecs))
                    sh[has] = find(moved)  # c - e_q + e_p for every c with c_q >= 1; the others stay
                    shifts[(p, q)] = sh
            rounds, scales = {}, {}
            pow2 = [2**k for k in range(n + 1)]
            for q in range(self.ms[i]):
                cq = arr[:, q]
                rounds[q] = [np.nonzero(cq >= r)[0] for r in range(1, n + 1)]
                sc = np.empty(len(vecs), dtype=object)
                sc[:] = [pow2[n - v] for v in cq.tolist()]
                scales[q] = sc
            corners = [pos[tuple(n if b == a else 0 for b in range(self.ms[i]))] for a in range(self.ms[i])]
            self.__dict__[key] = {"shifts": shifts, "rounds": rounds, "scales": scales, "corners": corners}
        return self.__dict__[key]

    # ------------------------------------------------------------------ cells
    def root(self) -> ProductCell:
        """The product of standard simplices with the root coefficients."""
        verts = tuple(tuple(tuple(int(a == b) for b in range(m)) for a in range(m)) for m in self.ms)
        edges = tuple(tuple(tuple(0 if p == q else 2 for q in range(m)) for p in range(m)) for m in self.ms)
        return ProductCell(verts, self.numerators.copy(), 0, tuple(0 for _ in self.ms), 0, edges)

    def _half(self, coeffs: np.ndarray, i: int, keep: int, move: int) -> np.ndarray:
        """Coefficients (times ``2**n_i``) of the child where vertex ``move`` of factor i becomes the edge midpoint."""
        tab = self._factor_tables(i)
        sh = tab["shifts"][(keep, move)]
        if coeffs.ndim == 1:  # one factor: de Casteljau on the vector itself
            b = coeffs.copy()
            for sel in tab["rounds"][move]:
                b[sel] = b[sh[sel]] + b[sel]
            return b * tab["scales"][move]
        a = np.moveaxis(coeffs, i, 0)
        shape = a.shape
        b = a.reshape(shape[0], -1).copy()
        for sel in tab["rounds"][move]:
            b[sel] = b[sh[sel]] + b[sel]
        b = b * tab["scales"][move][:, None]
        return np.moveaxis(b.reshape(shape), 0, i)

    def split(self, cell: ProductCell, i: int, p: int, q: int) -> tuple[ProductCell, ProductCell]:
        """Bisect edge (p, q) of factor i: the child keeping ``V_p`` (``V_q`` -> midpoint) and the child keeping ``V_q``."""
        verts = cell.vertices[i]
        mid = tuple(map(int.__add__, verts[p], verts[q]))
        dbl = [tuple(a << 1 for a in v) for v in verts]
        va = list(dbl)
        va[q] = mid
        vb = list(dbl)
        vb[p] = mid
        ca = self._half(cell.coeffs, i, p, q)
        cb = self._half(cell.coeffs, i, q, p)
        e = cell.exponent + self.sizes[i]
        ve = tuple(v + (k == i) for k, v in enumerate(cell.vexp))
        edges = self.edges(cell)

        def with_factor(new: Any, old: tuple) -> tuple:
            return tuple(new if k == i else old[k] for k in range(len(self.ms)))

        # the children's edge lengths are derived only when a child is split in turn (most are pruned first)
        return (
            ProductCell(with_factor(tuple(va), cell.vertices), ca, e, ve, cell.depth + 1, (edges, i, p, q)),
            ProductCell(with_factor(tuple(vb), cell.vertices), cb, e, ve, cell.depth + 1, (edges, i, q, p)),
        )

    def cone(self, cell: ProductCell, i: int, lam: Sequence[Fraction]) -> list[ProductCell]:
        """Stellar split of factor i at the point ``P = sum_k lam_k V_k`` (dyadic weights, >= 0, summing to 1):
        one child per ``k`` with ``lam_k > 0``, in increasing ``k``, where vertex ``k`` becomes ``P``
        (the checker's token ``["c", i, lam]``).

        Examples
        --------
        >>> bf = ProductBernstein.from_coefficients((2,), (2,), {(2, 0): 1, (1, 1): 2, (0, 2): 0})  # 2 x_0 - x_0^2
        >>> a, b = bf.cone(bf.root(), 0, [Fraction(1, 4), Fraction(3, 4)])                     # at x_0 = 1/4
        >>> [bf.upper(a), bf.lower(a)], [bf.upper(b), bf.lower(b)]
        ([Fraction(7, 16), Fraction(0, 1)], [Fraction(1, 1), Fraction(7, 16)])
        """
        E = max(Fraction(x).denominator for x in lam).bit_length() - 1
        if any(x < 0 for x in lam) or sum(lam) != 1 or any((x * 2**E).denominator != 1 for x in lam):
            raise ValueError("stellar split weights must be dyadic, >= 0 and sum to 1")
        L = [int(x * 2**E) for x in lam]
        verts = cell.vertices[i]
        point = tuple(sum(Lk * v[a] for Lk, v in zip(L, verts)) for a in range(len(verts[0])))
        scaled = [tuple(a << E for a in v) for v in verts]
        ve = tuple(v + (E if k == i else 0) for k, v in enumerate(cell.vexp))
        e = cell.exponent + E * self.sizes[i]
        out = []
        for j, Lj in enumerate(L):
            if not Lj:
                continue
            vs = list(scaled)
            vs[j] = point
            vertices = tuple(tuple(vs) if k == i else cell.vertices[k] for k in range(len(self.ms)))
            out.append(ProductCell(vertices, self._coned(cell.coeffs, i, j, L, E), e, ve, cell.depth + 1, None))
        return out

    def _coned(self, coeffs: np.ndarray, i: int, j: int, L: Sequence[int], E: int) -> np.ndarray:
        """Coefficients (times ``2**(E n_i)``) of the child where vertex j of factor i becomes ``sum_k L_k V_k / 2**E``."""
        tab = self._factor_tables(i)
        n = self.sizes[i]
        a = np.moveaxis(coeffs, i, 0)
        shape = a.shape
        b = a.reshape(shape[0], -1).copy()
        for sel in tab["rounds"][j]:  # de Casteljau: one more slot of vertex j becomes the point, per round
            new = b[sel] * L[j]
            for k, Lk in enumerate(L):
                if k != j and Lk:
                    new = new + b[tab["shifts"][(k, j)][sel]] * Lk
            b[sel] = new
        cj = np.array(self.vectors[i], dtype=np.int64).reshape(-1, self.ms[i])[:, j]
        scale = np.empty(len(cj), dtype=object)
        scale[:] = [1 << (E * (n - int(v))) for v in cj]
        b = b * scale[:, None]
        return np.moveaxis(b.reshape(shape), 0, i)

    def edges(self, cell: ProductCell) -> tuple:
        """Squared edge lengths of every factor of the cell (derived from the parent's on first use, then kept)."""
        e = cell.edges
        if e is None:
            e = self._edges(cell)
        elif len(e) == 4 and isinstance(e[1], int) and len(e[0]) == len(self.ms):  # (parent's edges, factor, keep, move)
            parent, i, keep, move = e
            e = tuple(_moved_edges(parent[i], keep, move) if k == i else parent[k] for k in range(len(self.ms)))
        else:
            return e
        object.__setattr__(cell, "edges", e)
        return e

    @staticmethod
    def _edges(cell: ProductCell) -> tuple:
        return tuple(tuple(tuple(sum((a - b) ** 2 for a, b in zip(u, v)) for v in verts) for u in verts)
                     for verts in cell.vertices)

    def _max(self, cell: ProductCell) -> int:
        return int(max(cell.coeffs.flat))

    def upper(self, cell: ProductCell) -> Fraction:
        """Largest Bernstein coefficient (an upper bound of f on the cell)."""
        return Fraction(self._max(cell), self.denominator * 2**cell.exponent)

    def lower(self, cell: ProductCell) -> Fraction:
        """Smallest Bernstein coefficient (a lower bound of f on the cell)."""
        return Fraction(int(min(cell.coeffs.flat)), self.denominator * 2**cell.exponent)

    def below(self, cell: ProductCell, bound: Fraction) -> bool:
        """True when every coefficient is strictly below ``bound`` (so f < bound on the cell)."""
        return self._max(cell) * bound.denominator < bound.numerator * self.denominator * 2**cell.exponent

    def corner_values(self, cell: ProductCell) -> list[tuple[tuple[int, ...], Fraction]]:
        """Exact values of f at the cell's corners: ``(choice of vertex per factor, value)`` pairs."""
        corners = [self._factor_tables(i)["corners"] for i in range(len(self.ms))]
        den = self.denominator * 2**cell.exponent
        out = []
        for choice in itertools.product(*(range(m) for m in self.ms)):
            idx = tuple(corners[i][p] for i, p in enumerate(choice))
            out.append((choice, Fraction(int(cell.coeffs[idx]), den)))
        return out

    def best_corner(self, cell: ProductCell) -> tuple[tuple[int, ...], Fraction]:
        """The corner with the largest exact value (the first on ties), as in ``max(corner_values(cell))``.

        Compares the integer numerators (one denominator per cell) and builds one Fraction.

        Examples
        --------
        >>> pb = ProductBernstein.from_coefficients((1, 1), (2, 2), {(1, 0, 1, 0): 1, (0, 1, 0, 1): 3})
        >>> pb.best_corner(pb.root())
        ((1, 1), Fraction(3, 1))
        """
        corners = [self._factor_tables(i)["corners"] for i in range(len(self.ms))]
        flat = cell.coeffs
        best, arg = None, None
        if len(self.ms) == 1:
            for p, k in enumerate(corners[0]):
                v = int(flat[k])
                if best is None or v > best:
                    best, arg = v, (p,)
        else:
            for choice in itertools.product(*(range(m) for m in self.ms)):
                v = int(flat[tuple(corners[i][p] for i, p in enumerate(choice))])
                if best is None or v > best:
                    best, arg = v, choice
        return arg, Fraction(best, self.denominator * 2**cell.exponent)

    def faces_at(self, cell: ProductCell, value: Fraction) -> list[tuple[tuple[int, ...], ...]]:
        """The maximal faces of the cell on which f is identically ``value``.

        A face of a product cell is a product of faces of its factor simplices,
        given here as one tuple of vertex indices per factor.  On the relative
        interior of a face exactly the tensor Bernstein basis polynomials whose
        multi-index is supported on it (every factor's count vector zero off the
        face's vertices) are positive, and they sum to one; the others vanish.
        So f is identically ``value`` on the closed face iff each of those
        coefficients equals ``value`` (uniqueness of the Bernstein form of f
        restricted to the face), whatever the other coefficients are.  When no
        coefficient of the cell exceeds ``value``, ``f = value`` exactly on the
        union of the returned faces and ``f < value`` elsewhere on the cell.

        Examples
        --------
        >>> # f = x1_a * x2_a + x1_a * x2_b = x1_a: identically 1 on {vertex a} x (the whole second simplex)
        >>> pb = ProductBernstein.from_coefficients((1, 1), (2, 2), {(1, 0, 1, 0): 1, (1, 0, 0, 1): 1})
        >>> pb.faces_at(pb.root(), Fraction(1))
        [((0,), (0, 1))]
        >>> pb.faces_at(pb.root(), Fraction(1, 2))
        []
        """
        target = Fraction(value) * self.denominator * 2**cell.exponent
        if target.denominator != 1:
            return []
        t = target.numerator
        eq = np.vectorize(lambda c: int(c) == t, otypes=[bool])(cell.coeffs)
        if not eq.any():
            return []
        k = len(self.ms)
        tabs = [self._factor_tables(i) for i in range(k)]
        # candidate vertices per factor: those appearing in some corner where f = value
        good_corner = [set() for _ in range(k)]
        for choice in itertools.product(*(range(m) for m in self.ms)):
            if eq[tuple(tabs[i]["corners"][p] for i, p in enumerate(choice))]:
                for i, p in enumerate(choice):
                    good_corner[i].add(p)
        if not all(good_corner):
            return []
        vec_arr = [np.array(self.vectors[i], dtype=int).reshape(-1, self.ms[i]) for i in range(k)]

        def members(i: int, face: tuple[int, ...]) -> np.ndarray:
            outside = [a for a in range(self.ms[i]) if a not in face]
            if not outside:
                return np.arange(len(self.vectors[i]))
            return np.nonzero((vec_arr[i][:, outside] == 0).all(axis=1))[0]

        subsets = [
            [sub for size in range(len(g), 0, -1) for sub in itertools.combinations(sorted(g), size)] for g in good_corner
        ]
        combos = sorted(itertools.product(*subsets), key=lambda fc: -sum(len(f) for f in fc))
        found: list[tuple[tuple[int, ...], ...]] = []
        for fc in combos:
            if any(all(set(a) <= set(b) for a, b in zip(fc, f)) for f in found):
                continue
            if eq[np.ix_(*[members(i, f) for i, f in enumerate(fc)])].all():
                found.append(fc)
        return found

    def longest_edge(self, cell: ProductCell) -> tuple[int, int, int]:
        """``(factor, p, q)`` of the edge with the largest ``n_i * length**2`` (first on ties)."""
        top = max(cell.vexp)
        edges = self.edges(cell)
        best, arg = -1, (0, 0, 1)
        for i, rows in enumerate(edges):
            scale = self.sizes[i] * 4 ** (top - cell.vexp[i])
            for p, row in enumerate(rows):
                q, d = p + 1, -1
                for r in range(p + 1, len(row)):  # first maximum of the row (the (p, q) order on ties)
                    if row[r] > d:
                        q, d = r, row[r]
                if q < len(row) and scale * d > best:
                    best, arg = scale * d, (i, p, q)
        return arg


def _split_choice(self, cell: ProductCell, ratio: float) -> tuple[int, int, int]:
    """``(factor, p, q)``: the longest edge between two vertices the largest coefficient puts mass on, unless it is
    shorter than ``1/ratio`` of the cell's longest edge (then the longest edge: every cell keeps shrinking).

    The largest coefficient is what keeps the cell open; bisecting an edge it puts no mass on leaves it unchanged
    in one child.  Lengths as in :meth:`ProductBernstein.longest_edge`.
    """
    best = self.longest_edge(cell)
    if ratio <= 1:
        return best
    idx = np.unravel_index(int(np.argmax(cell.coeffs)), cell.coeffs.shape)
    top = max(cell.vexp)
    edges = self.edges(cell)

    def metric(i: int, p: int, q: int) -> int:
        return self.sizes[i] * 4 ** (top - cell.vexp[i]) * edges[i][min(p, q)][max(p, q)]

    mine, arg = -1, None
    for i, k in enumerate(idx):
        key = self.vectors[i][k]
        on = [p for p, c in enumerate(key) if c]
        for a in range(len(on)):
            for b in range(a + 1, len(on)):
                d = metric(i, on[a], on[b])
                if d > mine:
                    mine, arg = d, (i, on[a], on[b])
    if arg is not None and mine * round(ratio * ratio) >= metric(*best):  # integers: no float overflow
        return arg
    return best


def _finder(arr: np.ndarray, n: int, pos: dict) -> Any:
    """A function from count vectors (rows of an integer array) to their rows in ``arr`` (the vectors of degree n).

    Base-(n+1) codes and a sorted search when the codes fit in 62 bits, else the dictionary ``pos``.
    """
    m = arr.shape[1]
    if (n + 1) ** m >= 2**62:
        return lambda rows: np.array([pos[tuple(r)] for r in rows.tolist()], dtype=np.int64)
    base = (n + 1) ** np.arange(m, dtype=np.int64)
    codes = arr @ base
    order = np.argsort(codes)
    sorted_codes = codes[order]
    return lambda rows: order[np.searchsorted(sorted_codes, rows @ base)]


def _moved_edges(e: tuple, keep: int, move: int) -> tuple:
    """Squared edge lengths after vertex ``move`` goes to the midpoint of edge (keep, move), coordinates doubled.

    Unmoved edges scale by 4; for the midpoint M, ``|2M - 2V_r|^2 = 2|V_keep - V_r|^2 + 2|V_move - V_r|^2
    - |V_keep - V_move|^2`` (the parallelogram law), exact integers.

    Examples
    --------
    >>> _moved_edges(((0, 2, 2), (2, 0, 2), (2, 2, 0)), 0, 1)  # the standard triangle, vertex 1 to the midpoint of 0-1
    ((0, 2, 8), (2, 0, 6), (8, 6, 0))
    """
    pq = e[keep][move]
    new_row = tuple(0 if r == move else 2 * e[keep][r] + 2 * e[move][r] - pq for r in range(len(e)))
    return tuple(new_row if p == move else tuple(new_row[p] if q == move else 4 * x for q, x in enumerate(row))
                 for p, row in enumerate(e))


# --------------------------------------------------------------------------- multi-homogeneous forms on corner simplices
