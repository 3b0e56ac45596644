"""Exact Bernstein form of the symmetric EU on sub-simplices, with edge-bisection subdivision.

For a totally symmetric game the symmetric expected utility is
``f(x) = sum_c multinomial(c) u(c) x^c``, which is a polynomial of degree n in
Bernstein form on the standard simplex whose Bernstein coefficients are the
payoffs ``u(c)`` themselves.  On any sub-simplex (vertices ``V_0..V_{m-1}``)
f again has a Bernstein form, and its coefficients bound f on that cell:
``min b_c <= f <= max b_c``, with the corner coefficients ``b_{n e_i}`` equal
to ``f(V_i)`` exactly.

A cell's coefficients are stored as Python integers ``N_c`` with
``b_c = N_c / (D * 2**e)``, ``D`` the common denominator of the payoffs; the
bisection of the edge ``V_i V_j`` at its midpoint is n rounds of de Casteljau
on every line of coefficients parallel to that edge, so exactness costs
nothing but integer additions.

Examples
--------
>>> from fractions import Fraction
>>> from exactgames.optimize.bernstein import BernsteinForm
>>> bf = BernsteinForm.from_payoffs(2, 2, {(2, 0): Fraction(0), (1, 1): Fraction(1), (0, 2): Fraction(0)})
>>> root = bf.root()
>>> bf.upper(root), bf.lower(root)
(Fraction(1, 1), Fraction(0, 1))
>>> left, right = bf.split(root, 0, 1)
>>> bf.upper(left), left.vertex(1)
(Fraction(1, 2), (Fraction(1, 2), Fraction(1, 2)))
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping

import numpy as np

from exactgames.model.game import count_vectors

__all__ = ["BernsteinForm", "Cell", "gradient_form", "hessian_form", "corner_simplex_range", "CornerForm", "FormBuilder"]


@dataclass(frozen=True)
class Cell:
    """A sub-simplex with the exact Bernstein coefficients of f on it.

    Attributes
    ----------
    vertices : tuple of tuple of int
        m points of the standard simplex, coordinates ``v / 2**vexp``.
    coeffs : numpy.ndarray of object (Python int)
        Numerators ``N_c`` in ``count_vectors(n, m)`` order.
    exponent : int
        ``b_c = N_c / (D * 2**exponent)``.
    vexp : int
        Vertex coordinates are ``vertices[i][a] / 2**vexp``.
    depth : int
    """

    vertices: tuple[tuple[int, ...], ...]
    coeffs: np.ndarray
    exponent: int
    vexp: int = 0
    depth: int = 0

    def vertex(self, i: int) -> tuple[Fraction, ...]:
        """Vertex ``i`` as exact Fractions."""
        d = 2**self.vexp
        return tuple(Fraction(v, d) for v in self.vertices[i])

    def fraction_vertices(self) -> tuple[tuple[Fraction, ...], ...]:
        return tuple(self.vertex(i) for i in range(len(self.vertices)))


@dataclass(frozen=True, eq=False)
class BernsteinForm:
    """Index tables for Bernstein subdivision of degree-n forms in m barycentric variables.

    Attributes
    ----------
    n, m : int
    vectors : tuple of count vectors (the coefficient order)
    numerators : tuple of int
        ``u(c) * D`` per count vector.
    denominator : int
        ``D``, the least common denominator of the payoffs.
    """

    n: int
    m: int
    vectors: tuple[tuple[int, ...], ...]
    numerators: tuple[int, ...]
    denominator: int

    @classmethod
    def from_payoffs(cls, n: int, m: int, payoffs: Mapping[tuple[int, ...], Fraction]) -> "BernsteinForm":
        vecs = tuple(count_vectors(n, m))
        vals = [Fraction(payoffs[c]) for c in vecs]
        d = 1
        for v in vals:
            d = d * v.denominator // math.gcd(d, v.denominator)
        nums = tuple(int(v * d) for v in vals)
        return cls(n, m, vecs, nums, d)

    def _tables(self) -> tuple[dict, np.ndarray]:
        if "_tab" not in self.__dict__:
            pos = {c: k for k, c in enumerate(self.vectors)}
            arr = np.array(self.vectors, dtype=int).reshape(-1, self.m)
            shifts = {}
            for j in range(self.m):
                for i in range(self.m):
                    if i == j:
                        continue
                    sh = np.arange(len(self.vectors))
                    for k, c in enumerate(self.vectors):
                        if c[j]:
                            d = list(c)
                            d[j] -= 1
                            d[i] += 1
                            sh[k] = pos[tuple(d)]
                    shifts[(i, j)] = sh
            object.__setattr__(self, "_tab", (shifts, arr))
        return self.__dict__["_tab"]

    def root(self) -> Cell:
        """The standard simplex with the payoffs as coefficients."""
        verts = tuple(tuple(int(a == b) for b in range(self.m)) for a in range(self.m))
        coeffs = np.empty(len(self.numerators), dtype=object)
        coeffs[:] = list(self.numerators)
        return Cell(verts, coeffs, 0, 0, 0)

    def _half(self, coeffs: np.ndarray, keep: int, move: int) -> np.ndarray:
        """Coefficients (times 2**n) of the child where vertex ``move`` becomes the midpoint of edge (keep, move).

        Round r of de Casteljau updates the entries with ``c[move] >= r`` from
        their partner ``c - e_move + e_keep``; the entry ``c`` is updated
        ``c[move]`` times, so sums without halving leave it scaled by
        ``2**c[move]``, and the final factor ``2**(n - c[move])`` aligns all.
        """
        shifts, arr = self._tables()
        sh = shifts[(keep, move)]
        b = coeffs.copy()
        for sel in self._rounds(move):
            b[sel] = b[sh[sel]] + b[sel]
        return b * self._scales(move)

    def _rounds(self, move: int) -> list[np.ndarray]:
        key = ("_rd", move)
        if key not in self.__dict__:
            _, arr = self._tables()
            cj = arr[:, move]
            self.__dict__[key] = [np.nonzero(cj >= r)[0] for r in range(1, self.n + 1)]
            sc = np.empty(len(cj), dtype=object)
            sc[:] = [2 ** (self.n - int(k)) for k in cj]
            self.__dict__[("_sc", move)] = sc
        return self.__dict__[key]

    def _scales(self, move: int) -> np.ndarray:
        self._rounds(move)
        return self.__dict__[("_sc", move)]

    def split(self, cell: Cell, i: int, j: int) -> tuple[Cell, Cell]:
        """Bisect edge (i, j): the child keeping ``V_i`` (``V_j`` -> midpoint) and the child keeping ``V_j``."""
        mid = tuple(a + b for a, b in zip(cell.vertices[i], cell.vertices[j]))
        dbl = [tuple(2 * a for a in v) for v in cell.vertices]
        va = list(dbl)
        va[j] = mid
        vb = list(dbl)
        vb[i] = mid
        ca = self._half(cell.coeffs, i, j)
        cb = self._half(cell.coeffs, j, i)
        e = cell.exponent + self.n
        ve = cell.vexp + 1
        return Cell(tuple(va), ca, e, ve, cell.depth + 1), Cell(tuple(vb), cb, e, ve, cell.depth + 1)

    def upper(self, cell: Cell) -> Fraction:
        """Largest Bernstein coefficient (an upper bound of f on the cell)."""
        return Fraction(int(max(cell.coeffs)), self.denominator * 2**cell.exponent)

    def lower(self, cell: Cell) -> Fraction:
        """Smallest Bernstein coefficient (a lower bound of f on the cell)."""
        return Fraction(int(min(cell.coeffs)), self.denominator * 2**cell.exponent)

    def below(self, cell: Cell, bound: Fraction) -> bool:
        """True when every coefficient is strictly below ``bound`` (so f < bound on the cell)."""
        return int(max(cell.coeffs)) * bound.denominator < bound.numerator * self.denominator * 2**cell.exponent

    def corner_values(self, cell: Cell) -> list[Fraction]:
        """Exact values of f at the cell's vertices."""
        den = self.denominator * 2**cell.exponent
        return [Fraction(int(cell.coeffs[self._corner_index(a)]), den) for a in range(self.m)]

    def faces_at(self, cell: Cell, value: Fraction) -> list[tuple[int, ...]]:
        """The maximal faces of the cell (as vertex-index tuples) on which f is identically ``value``.

        On a cell where every coefficient is at most ``value``, ``f(x) = value``
        exactly on these faces: in the relative interior of a face all its
        Bernstein basis polynomials are positive and sum to one, so f equals
        ``value`` there only if every coefficient of the face does.

        Examples
        --------
        >>> bf = BernsteinForm.from_payoffs(2, 3, {c: Fraction(int(c[2] == 0)) for c in count_vectors(2, 3)})
        >>> bf.faces_at(bf.root(), Fraction(1))
        [(0, 1)]
        """
        import itertools

        target = value * self.denominator * 2**cell.exponent
        if target.denominator != 1:
            return []
        t = target.numerator
        _, arr = self._tables()
        eq = np.array([int(c) == t for c in cell.coeffs])
        corners = [k for k in range(self.m) if eq[self._corner_index(k)]]
        found: list[tuple[int, ...]] = []
        for size in range(len(corners), 0, -1):
            for sub in itertools.combinations(corners, size):
                if any(set(sub) <= set(f) for f in found):
                    continue
                outside = [a for a in range(self.m) if a not in sub]
                on_face = (arr[:, outside] == 0).all(axis=1) if outside else np.ones(len(arr), dtype=bool)
                if eq[on_face].all():
                    found.append(sub)
        return found

    def _corner_index(self, a: int) -> int:
        if "_corners" not in self.__dict__:
            pos = {c: k for k, c in enumerate(self.vectors)}
            self.__dict__["_corners"] = [pos[tuple(self.n if b == i else 0 for b in range(self.m))] for i in range(self.m)]
        return self.__dict__["_corners"][a]

    @staticmethod
    def longest_edge(cell: Cell) -> tuple[int, int]:
        """The longest edge (squared Euclidean length; first in (i, j) order on ties)."""
        best, arg = -1, (0, 1)
        v = cell.vertices
        for i in range(len(v)):
            for j in range(i + 1, len(v)):
                d = sum((a - b) ** 2 for a, b in zip(v[i], v[j]))
                if d > best:
                    best, arg = d, (i, j)
        return arg


# --------------------------------------------------------------------------- derivative forms on corner simplices
def gradient_form(payoffs: Mapping[tuple[int, ...], Fraction], n: int, m: int, j: int, r: int) -> dict[tuple[int, ...], Fraction]:
    """Homogeneous form of the reduced derivative ``d_j f - d_r f`` (degree n - 1).

    ``d_a f = n sum_{c'} u(c' + e_a) multinomial(c') x^{c'}`` for the Bernstein form ``f``.

    Examples
    --------
    >>> gradient_form({(2, 0): Fraction(0), (1, 1): Fraction(1), (0, 2): Fraction(0)}, 2, 2, 0, 1)
    {(1, 0): Fraction(-2, 1), (0, 1): Fraction(2, 1)}
    """
    out = {}
    for c in count_vectors(n - 1, m):
        cj = list(c)
        cj[j] += 1
        cr = list(c)
        cr[r] += 1
        d = payoffs[tuple(cj)] - payoffs[tuple(cr)]
        if d:
            out[c] = Fraction(d) * (n * _multinomial(c))
    return out


def hessian_form(payoffs: Mapping[tuple[int, ...], Fraction], n: int, m: int, a: int, b: int, r: int) -> dict[tuple[int, ...], Fraction]:
    """Homogeneous form of ``(d_a - d_r)(d_b - d_r) f`` (degree n - 2).

    Examples
    --------
    >>> hessian_form({(2, 0): Fraction(0), (1, 1): Fraction(1), (0, 2): Fraction(0)}, 2, 2, 0, 0, 1)
    {(0, 0): Fraction(-4, 1)}
    """
    out = {}
    if n < 2:
        return out
    for c in count_vectors(n - 2, m):
        def u(p: int, q: int) -> Fraction:
            e = list(c)
            e[p] += 1
            e[q] += 1
            return payoffs[tuple(e)]

        d = u(a, b) - u(a, r) - u(r, b) + u(r, r)
        if d:
            out[c] = Fraction(d) * (n * (n - 1) * _multinomial(c))
    return out


def _multinomial(c: tuple[int, ...]) -> int:
    out, tot = 1, 0
    for k in c:
        tot += k
        out *= math.comb(tot, k)
    return out


def corner_simplex_range(
    form: Mapping[tuple[int, ...], Fraction], m: int, lower: tuple[Fraction, ...], active: tuple[int, ...] | None = None
) -> tuple[Fraction, Fraction]:
    """Bernstein range of a homogeneous form on the corner simplex ``{x in simplex: x_a >= lower_a}``.

    The corner simplex has vertices ``lower + s e_i`` (``s = 1 - sum(lower)``);
    substituting ``x_a = lower_a * sum(lambda) + s * lambda_a`` (and ``x_a = 0``
    off ``active``, restricting to that face) gives the form's Bernstein
    coefficients there, whose min and max bound it on the corner simplex.

    Examples
    --------
    >>> corner_simplex_range({(1, 0): Fraction(2), (0, 1): Fraction(-2)}, 2, (Fraction(1, 4), Fraction(0)))
    (Fraction(-1, 1), Fraction(2, 1))
    """
    return CornerForm(form, m).range(lower, active)


class CornerForm:
    """A homogeneous form prepared for repeated :func:`corner_simplex_range` queries (python-flint ``fmpq_mpoly``).

    ``form`` maps exponents to Fractions or ints; the form's value is ``scale`` times it.
    """

    _ctx_cache: dict = {}

    def __init__(self, form: Mapping[tuple[int, ...], Any], m: int, scale: Fraction = Fraction(1)) -> None:
        import flint

        self.m = m
        self.zero = not form
        self.deg = sum(next(iter(form))) if form else 0
        if m not in CornerForm._ctx_cache:
            CornerForm._ctx_cache[m] = flint.fmpq_mpoly_ctx.get(("l", m), "lex")
        self.ctx = CornerForm._ctx_cache[m]
        sc = _q(scale)
        self.poly = self.ctx.from_dict({c: (v if isinstance(v, int) else _q(v)) for c, v in form.items()}) * sc if form else None
        self._mult: dict = {}

    def coefficients(self, lower: tuple[Fraction, ...], active: tuple[int, ...] | None = None) -> dict:
        """Bernstein coefficients (``fmpq``, keyed by exponents over ``active``) on the corner simplex; absent keys are 0."""
        if self.zero:
            return {}
        active = tuple(range(self.m)) if active is None else tuple(active)
        out = {}
        for exps, coef in self._compose(lower, active).terms():
            k = self._mult.get(exps)
            if k is None:
                k = self._mult[exps] = _multinomial(tuple(exps))
            out[tuple(exps[a] for a in active)] = coef / k
        return out

    def _compose(self, lower: tuple[Fraction, ...], active: tuple[int, ...]) -> Any:
        s = 1 - sum(lower, Fraction(0))
        gens = self.ctx.gens()
        total = sum((gens[i] for i in active), self.ctx.from_dict({}))
        sq = _q(s)
        subs = [total * _q(lower[a]) + gens[a] * sq if a in active else self.ctx.from_dict({}) for a in range(self.m)]
        return self.poly.compose(*subs)

    def range(self, lower: tuple[Fraction, ...], active: tuple[int, ...] | None = None) -> tuple[Fraction, Fraction]:
        import flint

        if self.zero:
            return Fraction(0), Fraction(0)
        m = self.m
        active = tuple(range(m)) if active is None else tuple(active)
        comp = self._compose(lower, active)
        lo = hi = None
        seen = 0
        for exps, coef in comp.terms():
            k = self._mult.get(exps)
            if k is None:
                k = self._mult[exps] = _multinomial(tuple(exps))
            v = coef / k
            seen += 1
            if lo is None or v < lo:
                lo = v
            if hi is None or v > hi:
                hi = v
        zero = flint.fmpq(0)
        if seen < math.comb(self.deg + len(active) - 1, len(active) - 1):  # absent monomials: zero coefficients
            lo = zero if lo is None or zero < lo else lo
            hi = zero if hi is None or zero > hi else hi
        return Fraction(int(lo.p), int(lo.q)), Fraction(int(hi.p), int(hi.q))


class FormBuilder:
    """Integer tables for the reduced gradient and Hessian forms of one game (fast :func:`gradient_form` / :func:`hessian_form`).

    Examples
    --------
    >>> fb = FormBuilder({(2, 0): Fraction(0), (1, 1): Fraction(1, 2), (0, 2): Fraction(0)}, 2, 2)
    >>> fb.gradient(0, 1).range((Fraction(0), Fraction(0)))
    (Fraction(-1, 1), Fraction(1, 1))
    """

    def __init__(self, payoffs: Mapping[tuple[int, ...], Fraction], n: int, m: int) -> None:
        self.n, self.m = n, m
        d = 1
        for v in payoffs.values():
            q = Fraction(v).denominator
            d = d * q // math.gcd(d, q)
        self.den = d
        self.u = {c: int(Fraction(v) * d) for c, v in payoffs.items()}
        self.v1 = [(c, _multinomial(c)) for c in count_vectors(n - 1, m)] if n >= 1 else []
        self.v2 = [(c, _multinomial(c)) for c in count_vectors(n - 2, m)] if n >= 2 else []

    def _shift(self, c: tuple[int, ...], *acts: int) -> tuple[int, ...]:
        e = list(c)
        for a in acts:
            e[a] += 1
        return tuple(e)

    def gradient(self, j: int, r: int) -> CornerForm:
        """``d_j f - d_r f`` as a :class:`CornerForm`."""
        u, n = self.u, self.n
        form = {}
        for c, mu in self.v1:
            d = u[self._shift(c, j)] - u[self._shift(c, r)]
            if d:
                form[c] = d * n * mu
        return CornerForm(form, self.m, Fraction(1, self.den))

    def hessian(self, a: int, b: int, r: int) -> CornerForm:
        """``(d_a - d_r)(d_b - d_r) f`` as a :class:`CornerForm`."""
        u, n = self.u, self.n
        form = {}
        for c, mu in self.v2:
            d = u[self._shift(c, a, b)] - u[self._shift(c, a, r)] - u[self._shift(c, r, b)] + u[self._shift(c, r, r)]
            if d:
                form[c] = d * n * (n - 1) * mu
        return CornerForm(form, self.m, Fraction(1, self.den))


def _q(v: Fraction):
    import flint

    v = Fraction(v)
    return flint.fmpq(v.numerator, v.denominator)
