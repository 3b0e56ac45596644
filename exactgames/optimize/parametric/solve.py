"""Exact critical points of the symmetric EU on one face, by linear elimination (sympy).

A small, self-contained solver used by :mod:`exactgames.optimize.parametric`
in two ways:

* at a rational parameter value, to enumerate every critical point of every
  face and so find the global P-invariant optimum exactly
  (:func:`enumerate_optimum`; an independent route to the KKT optimiser);
* with the parameter left symbolic, to write the critical points of one face
  as closed-form functions of the parameter (:func:`face_families`).

Method: the reduced gradient of the EU on the open face (the last support
action of each orbit eliminated by ``x_last = 1 - sum of the others``) is
set to zero.  Each equation is factored; factors that are face coordinates
(never zero on the open face) are dropped, products are split into cases.
A variable occurring linearly is solved for and substituted (the case where
its coefficient vanishes is solved separately); a last variable is left as a
root of an irreducible polynomial.  Systems outside that pattern raise
:class:`SolveUnsupported`; a face whose critical set is not finite raises
:class:`ContinuumFound`.  Nothing here uses floats: real roots are sympy
``Rational`` or ``CRootOf`` values and every sign is decided by
:func:`exactgames.model.exact.sign`.

Examples
--------
>>> from exactgames.paper_games import ten_robots
>>> best = enumerate_optimum(ten_robots(n=4).subs({"eps": "2"}))
>>> best.value, best.points[0][0]
(81/64, ((0, 1/4, 3/4),))
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from typing import Sequence

import sympy

from exactgames.model.exact import ExactError, compare, sign
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.utility import symmetric_eu_polynomial

__all__ = [
    "SolveUnsupported",
    "ContinuumFound",
    "Face",
    "Family",
    "EnumeratedOptimum",
    "all_support_combinations",
    "make_face",
    "face_families",
    "face_points",
    "enumerate_optimum",
]

_ROOT = sympy.Symbol("r_")


class SolveUnsupported(ExactError):
    """The face's system is outside what the elimination solver handles."""


class ContinuumFound(ExactError):
    """The face has a continuum of critical points (not a finite set)."""


@dataclass(frozen=True)
class Face:
    """The EU restricted to one support combination.

    Attributes
    ----------
    support : per orbit, the action indices in the support
    f : the EU as a polynomial in the free variables ``ys`` (and parameters)
    ys : free variables (every support action but the last, per orbit)
    coords : the face coordinates as expressions in ``ys`` (each > 0 on the open face)
    full : per orbit, the probability of every action as an expression in ``ys``
    """

    support: tuple[tuple[int, ...], ...]
    f: sympy.Expr
    ys: tuple[sympy.Symbol, ...]
    coords: tuple[sympy.Expr, ...]
    full: tuple[tuple[sympy.Expr, ...], ...]


@dataclass(frozen=True)
class Family:
    """Critical points of a face: ``ys`` as expressions in the parameters and, if ``poly`` is set, a root ``r_`` of it.

    ``nonzero`` lists expressions that must not vanish (the denominators used).
    """

    values: tuple[tuple[sympy.Symbol, sympy.Expr], ...]
    poly: sympy.Expr | None
    nonzero: tuple[sympy.Expr, ...]


@dataclass(frozen=True)
class EnumeratedOptimum:
    """Global P-invariant optimum of a parameter-free game found by :func:`enumerate_optimum`.

    ``points`` lists every optimal critical point as ``(strategies, support)``.
    """

    value: sympy.Expr
    points: tuple[tuple[tuple[tuple[sympy.Expr, ...], ...], tuple[tuple[int, ...], ...]], ...]
    method: str = "exact enumeration of the critical points of every face (linear elimination, sympy)"


def all_support_combinations(sizes: Sequence[int]) -> list[tuple[tuple[int, ...], ...]]:
    """Every combination of non-empty supports, one per orbit.

    Examples
    --------
    >>> all_support_combinations([2])
    [((0,),), ((1,),), ((0, 1),)]
    """
    per = []
    for m in sizes:
        subs = [c for k in range(1, m + 1) for c in itertools.combinations(range(m), k)]
        per.append(subs)
    return list(itertools.product(*per))


def make_face(eu_expr: sympy.Expr, variables: Sequence[Sequence[sympy.Symbol]], support: Sequence[Sequence[int]]) -> Face:
    """Restrict the symmetric EU polynomial to the face of ``support``.

    Examples
    --------
    >>> x, y = sympy.symbols("x y")
    >>> face = make_face(2 * x * y, [[x, y]], [[0, 1]])
    >>> face.ys, sympy.expand(face.f)
    ((x,), -2*x**2 + 2*x)
    """
    rep = {}
    ys = []
    coords = []
    full = []
    for o, sup in enumerate(support):
        vs = variables[o]
        free = [vs[k] for k in sup[:-1]]
        last = 1 - sympy.Add(*free)
        for k, v in enumerate(vs):
            if k not in sup:
                rep[v] = sympy.Integer(0)
        rep[vs[sup[-1]]] = last
        ys.extend(free)
        coords.extend(free)
        if free:
            coords.append(last)
        full.append(tuple(rep.get(v, v) if v not in free else v for v in vs))
    f = sympy.expand(eu_expr.xreplace(rep))
    return Face(tuple(tuple(s) for s in support), f, tuple(ys), tuple(coords), tuple(full))


def _is_coordinate(f: sympy.Expr, coords: Sequence[sympy.Expr]) -> bool:
    fs = f.free_symbols
    for c in coords:
        c = sympy.sympify(c)
        if c.free_symbols != fs:
            continue
        num, den = sympy.fraction(sympy.together(c))
        if den.free_symbols:
            continue
        gens = sorted(fs, key=str)
        pf, pc = sympy.Poly(f, *gens), sympy.Poly(num, *gens)
        if pf.total_degree() != pc.total_degree() or len(pf.terms()) != len(pc.terms()):
            continue
        if pf * pc.LC() == pc * pf.LC():
            return True
    return False


def _clean(e: sympy.Expr, ys: Sequence[sympy.Symbol], coords: Sequence[sympy.Expr], params: Sequence[sympy.Symbol], tc: list) -> list | None:
    """Factors of ``e`` that can vanish on the open face; None if ``e`` is identically 0."""
    e = sympy.expand(e)
    if e == 0:
        return None
    yset = set(ys)
    if not (e.free_symbols & yset):
        if e.free_symbols:
            tc.append(e)
        return []
    gens = [s for s in list(ys) + list(params) if s in e.free_symbols]
    _, facs = sympy.factor_list(e, *gens)
    out = []
    for fac, _m in facs:
        if not (fac.free_symbols & yset):
            if fac.free_symbols:
                tc.append(fac)
            continue
        if _is_coordinate(fac, coords):
            continue
        out.append(fac)
    return out


def _numer(e: sympy.Expr) -> sympy.Expr:
    if e.is_polynomial():
        return sympy.expand(e)
    return sympy.expand(sympy.numer(sympy.together(e)))


def _solve(eqs: list, ys: tuple, coords: tuple, params: tuple, tc: list, depth: int = 0) -> list[tuple[dict, sympy.Expr | None, tuple]]:
    if depth > 40:
        raise SolveUnsupported("elimination recursion too deep")
    cleaned = []
    for e in eqs:
        fl = _clean(_numer(e), ys, coords, params, tc)
        if fl is None:
            continue
        if not fl:
            return []
        cleaned.append(fl)
    for i, fl in enumerate(cleaned):
        if len(fl) > 1:
            rest = [sympy.Mul(*g) for j, g in enumerate(cleaned) if j != i]
            out = []
            for fac in fl:
                out.extend(_solve([fac] + rest, ys, coords, params, tc, depth + 1))
            return out
    system = [fl[0] for fl in cleaned]
    if not ys:
        return [({}, None, ())] if not system else []
    if not system:
        raise ContinuumFound(f"free variables {[str(y) for y in ys]} are unconstrained")
    yset = set(ys)
    best = None
    for e in system:
        for y in ys:
            if y not in e.free_symbols:
                continue
            p = sympy.Poly(e, y)
            if p.degree() != 1:
                continue
            c = p.coeff_monomial(y)
            score = (1 if c.free_symbols & yset else 0, sympy.count_ops(e))
            if best is None or score < best[0]:
                best = (score, e, y, c, e - c * y)
    if best is not None:
        _, e, y, c, rest = best
        sol = sympy.cancel(-rest / c)
        others = [o for o in system if o is not e]
        sub_ys = tuple(v for v in ys if v != y)
        out = []
        for vals, poly, nz in _solve([o.subs(y, sol) for o in others], sub_ys, tuple(cc.subs(y, sol) for cc in coords), params, tc, depth + 1):
            v = sympy.cancel(sol.subs(vals))
            out.append(({**vals, y: v}, poly, nz + (c.subs(vals),)))
        if c.free_symbols & yset:
            out.extend(_solve([c, rest] + others, ys, coords, params, tc, depth + 1))
        elif c.free_symbols:
            tc.append(c)
        return out
    if len(ys) == 1:
        y = ys[0]
        g = system[0]
        for o in system[1:]:
            if params:
                tc.append(sympy.resultant(g, o, y))
            g = sympy.gcd(g, o)
        if not (g.free_symbols & yset):
            return []
        gens = [y] + [s for s in params if s in g.free_symbols]
        _, facs = sympy.factor_list(g, *gens)
        out = []
        for fac, _m in facs:
            if not (fac.free_symbols & yset) or _is_coordinate(fac, coords):
                continue
            out.append(({y: _ROOT}, fac.subs(y, _ROOT), ()))
        return out
    raise SolveUnsupported(f"no variable occurs linearly in the system for {[str(y) for y in ys]}")


def face_families(face: Face, params: Sequence[sympy.Symbol] = ()) -> tuple[list[Family], list[sympy.Expr]]:
    """Closed-form families of critical points of the open face, and parameter factors where the system degenerates.

    Examples
    --------
    >>> x, y, t = sympy.symbols("x y t")
    >>> fams, _ = face_families(make_face(t * x * y, [[x, y]], [[0, 1]]), [t])
    >>> [dict(f.values) for f in fams]
    [{x: 1/2}]
    """
    tc: list = []
    gens = list(face.ys) + [s for s in sorted(face.f.free_symbols - set(face.ys), key=str)]
    fpoly = sympy.Poly(face.f, *gens)
    eqs = [fpoly.diff(y).as_expr() for y in face.ys]
    sols = _solve(eqs, face.ys, face.coords, tuple(params), tc)
    fams = [Family(tuple((y, vals[y]) for y in face.ys), poly, nz) for vals, poly, nz in sols]
    return fams, tc


def face_points(face: Face) -> list[tuple[tuple[tuple[sympy.Expr, ...], ...], sympy.Expr]]:
    """Every critical point of a parameter-free open face as ``(strategies, value)``, exactly.

    Raises :class:`ContinuumFound` or :class:`SolveUnsupported` when the set cannot be enumerated.
    """
    if face.f.free_symbols - set(face.ys):
        raise ExactError(f"face polynomial has parameters {sorted(map(str, face.f.free_symbols - set(face.ys)))}")
    if not face.ys:
        strat = tuple(tuple(sympy.Integer(1) if p == 1 else sympy.Integer(0) for p in s) for s in face.full)
        return [(strat, face.f)]
    fams, _ = face_families(face)
    out = []
    for fam in fams:
        roots: list = [None]
        if fam.poly is not None:
            roots = sympy.Poly(fam.poly, _ROOT).real_roots()
        for r in roots:
            rep = {} if r is None else {_ROOT: r}
            vals = {y: (e.xreplace(rep) if rep else e) for y, e in fam.values}
            if any(sign(sympy.sympify(nz).xreplace(rep).xreplace(vals)) == 0 for nz in fam.nonzero):
                continue
            coords = [sympy.sympify(c).xreplace(vals) for c in face.coords]
            if any(sign(c) <= 0 for c in coords):
                continue
            strat = tuple(tuple(sympy.sympify(p).xreplace(vals) for p in s) for s in face.full)
            strat = tuple(tuple(_tidy(p) for p in s) for s in strat)
            out.append((strat, _tidy(face.f.xreplace(vals))))
    return out


def _tidy(e: sympy.Expr) -> sympy.Expr:
    e = sympy.sympify(e)
    if e.is_Rational:
        return e
    if not e.has(sympy.CRootOf):
        return sympy.radsimp(sympy.expand(e))
    return e


def enumerate_optimum(game: Game | AnonymousGame, orbits: Sequence[Sequence[int]] | None = None) -> EnumeratedOptimum:
    """The global optimum among P-invariant profiles of a parameter-free common-payoff game.

    Every face is solved exactly (:func:`face_points`); the largest value is
    selected by exact comparison.

    Raises
    ------
    ContinuumFound, SolveUnsupported
        When some face cannot be enumerated (nothing is then claimed).

    Examples
    --------
    >>> from exactgames.paper_games import taxi_symmetric
    >>> best = enumerate_optimum(taxi_symmetric(), [[0, 1]])
    >>> best.value, best.points[0][0]
    (3/2, ((1/2, 1/2),))
    """
    if game.parameters:
        raise ExactError(f"game has parameters {[str(p) for p in game.parameters]}; substitute values first")
    eu = symmetric_eu_polynomial(game, orbits)
    pts = []
    for sup in all_support_combinations([len(a) for a in eu.actions]):
        face = make_face(eu.expr, eu.variables, sup)
        for strat, val in face_points(face):
            pts.append((strat, sup, val))
    key = functools.cmp_to_key(lambda a, b: compare(a[2], b[2]))
    best = max(pts, key=key)
    opt = tuple((p[0], p[1]) for p in pts if compare(p[2], best[2]) == 0)
    return EnumeratedOptimum(best[2], opt)

