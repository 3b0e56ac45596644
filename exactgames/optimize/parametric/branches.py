"""Sample points, exact roots and closed-form branches of the parametric analysis."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

import sympy

from exactgames.model.exact import ExactError, compare, rational_enclosure
from exactgames.model.game import AnonymousGame, Game
from exactgames.optimize.parametric.results import Branch, _simp
from exactgames.optimize.parametric.solve import (
    _ROOT,
    ContinuumFound,
    Face,
    SolveUnsupported,
    enumerate_optimum,
    face_families,
)


def _simplest_between(lo: Fraction, hi: Fraction) -> Fraction:
    """The rational with the smallest denominator strictly between ``lo < hi`` (continued fractions).

    Examples
    --------
    >>> _simplest_between(Fraction(1, 3), Fraction(1, 2)), _simplest_between(Fraction(-7, 2), Fraction(9, 2))
    (Fraction(2, 5), Fraction(-3, 1))
    """
    if hi <= lo:
        raise ValueError("empty interval")
    fl = math.floor(lo)
    if fl + 1 < hi:
        return Fraction(fl + 1)
    a, b = lo - fl, hi - fl  # 0 <= a < b <= 1
    if a == 0:
        return fl + Fraction(1, math.floor(1 / b) + 1)
    return fl + 1 / _simplest_between(1 / b, 1 / a)


def _enclose(x: sympy.Expr, width: Fraction) -> tuple[Fraction, Fraction]:
    return rational_enclosure(x, width)


def _sample_between(a: sympy.Expr, b: sympy.Expr) -> sympy.Rational:
    """A simple rational strictly between exact reals ``a < b`` (either may be infinite)."""
    if a == -sympy.oo and b == sympy.oo:
        return sympy.Integer(0)
    if a == -sympy.oo:
        lo, _ = _enclose(b, Fraction(1, 2))
        return sympy.Integer(math.ceil(lo) - 1)
    if b == sympy.oo:
        _, hi = _enclose(a, Fraction(1, 2))
        return sympy.Integer(math.floor(hi) + 1)
    width = Fraction(1, 4)
    while True:
        _, ahi = _enclose(a, width)
        blo, _ = _enclose(b, width)
        if ahi < blo or (ahi == blo and a.is_Rational and b.is_Rational and a != b):
            lo = ahi if ahi < blo else Fraction(int(a.p), int(a.q))
            s = _simplest_between(lo, blo) if lo < blo else None
            if s is not None and compare(sympy.Rational(s.numerator, s.denominator), a) > 0 and compare(
                sympy.Rational(s.numerator, s.denominator), b
            ) < 0:
                return sympy.Rational(s.numerator, s.denominator)
        width /= 16
        if width < Fraction(1, 10**200):  # pragma: no cover
            raise ExactError(f"could not separate {a} and {b}")


def _real_roots(p: sympy.Poly) -> list[sympy.Expr]:
    return list(p.real_roots())


def _profile(orbits: tuple[tuple[int, ...], ...], strategies: Sequence[Sequence[sympy.Expr]], n: int) -> tuple:
    per = [None] * n
    for o, s in zip(orbits, strategies):
        for i in o:
            per[i] = tuple(s)
    return tuple(per)


def _api_optimum(game: Game | AnonymousGame, orbits: tuple[tuple[int, ...], ...]) -> tuple[sympy.Expr, list, str] | None:
    from exactgames.optimize.api import optimize
    from exactgames.optimize.result import TiedPoint

    r = optimize(game, orbits, time_limit=10.0)
    if not r.complete:
        return None
    pts = [(tuple(tuple(p for p in s) for s in r.strategies), r.support)]
    for tie in r.ties:
        if isinstance(tie, TiedPoint):
            pts.append((tie, tie.support))
    return r.value, pts, f"exactgames.optimize.api.optimize ({r.method})"


def _sample_optimum(
    game: Game | AnonymousGame, orbits: tuple[tuple[int, ...], ...], solver: str, endpoint: bool = False
) -> tuple[sympy.Expr, list, str]:
    """Optimum of a parameter-free game: value, optimal points [(strategies, support)], method."""
    errors = []
    if solver == "api" or (solver == "auto" and not endpoint):
        got = _api_optimum(game, orbits)
        if got is not None:
            return got
        errors.append("api.optimize: incomplete or unavailable")
    if solver in ("auto", "own"):
        try:
            r = enumerate_optimum(game, orbits)
            return r.value, list(r.points), r.method
        except (ContinuumFound, SolveUnsupported) as exc:
            errors.append(f"enumeration: {exc}")
            if solver == "own":
                raise
    from exactgames.optimize.kkt import kkt_optimum

    r = kkt_optimum(game, orbits, time_limit=60.0)
    if not r.complete:
        raise ExactError("; ".join(errors + [f"KKT optimiser incomplete: {r.reason}"]))
    pts = [(tuple(tuple(p for p in s) for s in r.strategies), r.support)]
    method = r.method or "exact KKT enumeration"
    if r.ties:
        method += " (other optima: " + "; ".join(str(x) for x in r.ties) + ")"
    return r.value, pts, method


def _closed_branches(face: Face, t: sympy.Symbol) -> list[Branch]:
    """Closed-form (or implicit) branches of the face's critical points as functions of ``t``."""
    if not face.ys:
        return [Branch(face.support, tuple(tuple(sympy.sympify(p) for p in s) for s in face.full), sympy.expand(face.f), True, "vertex")]
    fams, _ = face_families(face, [t])
    out = []
    for fam in fams:
        choices: list[dict] = []
        if fam.poly is None:
            choices.append({})
        else:
            deg = sympy.Poly(fam.poly, _ROOT).degree()
            if deg == 2:
                for r in sympy.solve(fam.poly, _ROOT):
                    choices.append({_ROOT: r})
            else:
                out.append(Branch(face.support, (), sympy.nan, False, f"root of {fam.poly}"))
                continue
        for rep in choices:
            vals = {y: sympy.sympify(e).xreplace(rep) for y, e in fam.values}
            strat = tuple(tuple(_simp(sympy.sympify(p).xreplace(vals)) for p in s) for s in face.full)
            out.append(Branch(face.support, strat, _simp(face.f.xreplace(vals)), True, "closed form"))
    return out


def _match(branches: list[Branch], t: sympy.Symbol, t0: sympy.Expr, strategies: Sequence[Sequence[sympy.Expr]]) -> Branch | None:
    for b in branches:
        if not b.closed_form:
            continue
        try:
            strat, _ = b.at(t0, t)
        except (ZeroDivisionError, ValueError):
            continue
        if any(p.has(sympy.zoo, sympy.nan) for s in strat for p in s):
            continue
        if all(compare(p, q) == 0 for s, s0 in zip(strat, strategies) for p, q in zip(s, s0)):
            return b
    return None


def _identically_critical(face: Face, b: Branch, t: sympy.Symbol) -> bool:
    """The branch satisfies the face's stationarity equations for every t (exact simplification)."""
    rep = {}
    for o, sup in enumerate(face.support):
        for k in sup[:-1]:
            rep[face.full[o][k]] = b.strategies[o][k]
    for y in face.ys:
        g = sympy.diff(face.f, y).xreplace(rep)
        if sympy.simplify(sympy.cancel(g)) != 0:
            return False
    return True


def _roots_inside(expr: sympy.Expr, t: sympy.Symbol, lo: sympy.Expr, hi: sympy.Expr) -> list[sympy.Expr]:
    """Real roots of the polynomial numerator of a rational function of t strictly inside (lo, hi)."""
    num = sympy.numer(sympy.together(sympy.expand(expr)))
    num = sympy.expand(num)
    if num == 0:
        return []
    if not num.free_symbols:
        return []
    out = []
    for r in sympy.Poly(num, t).real_roots():
        if (lo == -sympy.oo or compare(r, lo) > 0) and (hi == sympy.oo or compare(r, hi) < 0):
            out.append(r)
    return out


def _is_rational_function(e: sympy.Expr, t: sympy.Symbol) -> bool:
    return sympy.sympify(e).is_rational_function(t) and not sympy.sympify(e).has(sympy.CRootOf)
