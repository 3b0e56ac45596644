"""Candidate parameter values where the optimal branch can change: resultants and discriminants (python-flint).

For a game with one parameter ``t`` and a face of the simplex product, the
critical values ``v`` of the EU on the open face satisfy a polynomial
``R(v, t) = 0`` obtained by eliminating the face variables with resultants
(:func:`face_critical_values`; resultants give a polynomial whose zero
set *contains* the projection, so extra factors only add candidates).  The
optimal value is the largest critical value of a point inside its face, so
it can switch branch only where

* two critical values meet: a root of the resultant ``res_v(h, h')`` of two
  irreducible factors, or of the discriminant ``disc_v(h)`` of one factor
  (this includes a critical point leaving its face: on the boundary it is a
  critical point of the smaller face, with that face's critical value);
* a branch escapes to infinity: a root of a leading coefficient ``lc_v(h)``;
* the face system degenerates: a factor depending on ``t`` alone met during
  elimination.

:func:`candidate_polynomials` returns the irreducible polynomials in ``t``
whose real roots are all these candidates.  All arithmetic is exact
(``fmpz_mpoly`` resultants and factorisation).

Examples
--------
>>> import sympy
>>> x, t = sympy.symbols("x t")
>>> from exactgames.optimize.parametric.solve import make_face
>>> face = make_face(x**2 + t * (1 - x) ** 2, [[x, sympy.Symbol("y")]], [[0, 1]])
>>> r = face_critical_values(face, t)
>>> sympy.solve(r.polynomial, V)   # the critical value x = t/(1 + t) of x**2 + t*(1 - x)**2
[t/(t + 1)]
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Sequence

import flint
import sympy

from exactgames.model.exact import ExactError
from exactgames.optimize.parametric.solve import Face

__all__ = ["CriticalValues", "face_critical_values", "candidate_polynomials"]

V = sympy.Symbol("v")


@dataclass(frozen=True)
class CriticalValues:
    """Critical values of one face as roots of ``polynomial(v, t)`` (None if not finite for generic ``t``).

    ``degenerate`` holds polynomials in ``t`` alone met during elimination:
    at their roots the face's system degenerates.
    """

    support: tuple[tuple[int, ...], ...]
    polynomial: sympy.Expr | None
    degenerate: tuple[sympy.Expr, ...]
    reason: str = ""


def _to_mpoly(expr: sympy.Expr, ctx: flint.fmpz_mpoly_ctx, gens: Sequence[sympy.Symbol]) -> flint.fmpz_mpoly:
    p = sympy.Poly(sympy.expand(expr), *gens, domain="QQ")
    terms = p.terms()
    den = 1
    for _, c in terms:
        den = math.lcm(den, int(sympy.Rational(c).q))
    return ctx.from_dict({m: int(sympy.Rational(c) * den) for m, c in terms})


def _to_sympy(p: flint.fmpz_mpoly, gens: Sequence[sympy.Symbol]) -> sympy.Expr:
    return sympy.Add(*[int(c) * sympy.Mul(*[g**e for g, e in zip(gens, m)]) for m, c in p.to_dict().items()])


class _Elim:
    def __init__(self, face: Face, t: sympy.Symbol):
        self.gens = list(face.ys) + [V, t]
        self.ctx = flint.fmpz_mpoly_ctx.get(tuple(str(g) for g in self.gens), "lex")
        self.nv = len(face.ys)
        self.coords = [_to_mpoly(c, self.ctx, self.gens) for c in face.coords]
        self.tonly: list[flint.fmpz_mpoly] = []

    def depends(self, p: flint.fmpz_mpoly, k: int) -> bool:
        return p.degrees()[k] > 0

    def clean(self, p: flint.fmpz_mpoly, keep_v: bool) -> flint.fmpz_mpoly | None:
        """Drop constant, coordinate and t-only factors (recording the latter); None if p == 0."""
        if p == 0:
            return None
        _, facs = p.factor()
        out = self.ctx.from_dict({(0,) * len(self.gens): 1})
        for fac, _m in facs:
            degs = fac.degrees()
            in_vars = any(degs[k] > 0 for k in range(self.nv)) or (keep_v and degs[self.nv] > 0)
            if not in_vars:
                if degs[self.nv + 1] > 0:
                    self.tonly.append(fac)
                continue
            if any(fac == c or fac == -c for c in self.coords):
                continue
            out = out * fac
        return out


def face_critical_values(face: Face, t: sympy.Symbol) -> CriticalValues:
    """Eliminate the face variables from ``grad f = 0, v = f`` by resultants.

    Returns a :class:`CriticalValues` whose polynomial vanishes at ``(v, t)``
    whenever ``v`` is the EU at a critical point of the open face for the
    parameter ``t`` (it may vanish elsewhere too), or ``polynomial=None``
    when elimination collapses (a continuum of critical points for generic
    ``t``).
    """
    el = _Elim(face, t)
    ctx = el.ctx
    f = _to_mpoly(face.f, ctx, el.gens)
    vgen = ctx.gens()[el.nv]
    # _to_mpoly scaled f by the lcm of its denominators: scale v alike
    fq = sympy.Poly(sympy.expand(face.f), *el.gens, domain="QQ")
    den = 1
    for _, c in fq.terms():
        den = math.lcm(den, int(sympy.Rational(c).q))
    value = vgen * den - f
    eqs = []
    for k in range(el.nv):
        g = f.derivative(k)
        c = el.clean(g, keep_v=False)
        if c is None:
            continue
        if c.is_constant():
            return CriticalValues(face.support, sympy.Integer(1), tuple(_to_sympy(p, el.gens) for p in el.tonly), "no critical point")
        eqs.append(c)
    for k in range(el.nv):
        with_k = [e for e in eqs if el.depends(e, k)]
        if not with_k:
            return CriticalValues(face.support, None, tuple(_to_sympy(p, el.gens) for p in el.tonly), "underdetermined")
        pivot = min(with_k, key=lambda e: (e.degrees()[k], len(e)))
        new = []
        for e in eqs:
            if e is pivot:
                continue
            if el.depends(e, k):
                r = el.clean(pivot.resultant(e, el.gens[k].name), keep_v=False)
                if r is None:
                    return CriticalValues(face.support, None, tuple(_to_sympy(p, el.gens) for p in el.tonly), "common factor")
                if r.is_constant():
                    return CriticalValues(face.support, sympy.Integer(1), tuple(_to_sympy(p, el.gens) for p in el.tonly), "no critical point")
                new.append(r)
            else:
                new.append(e)
        if el.depends(value, k):
            rv = el.clean(pivot.resultant(value, el.gens[k].name), keep_v=True)
            if rv is None:
                return CriticalValues(face.support, None, tuple(_to_sympy(p, el.gens) for p in el.tonly), "value collapsed")
            value = rv
        eqs = new
    value = el.clean(value, keep_v=True)
    poly = sympy.Integer(1) if value is None or value.is_constant() else _to_sympy(value, el.gens)
    return CriticalValues(face.support, poly, tuple(_to_sympy(p, el.gens) for p in el.tonly))


def _tpoly(e: sympy.Expr, t: sympy.Symbol) -> list[sympy.Poly]:
    """Irreducible factors of a polynomial in ``t`` (constants dropped), each with positive leading coefficient."""
    e = sympy.expand(e)
    if e == 0:
        raise ExactError("a candidate polynomial vanished identically")
    if not e.free_symbols:
        return []
    extra = e.free_symbols - {t}
    if extra:
        raise ExactError(f"candidate polynomial has unexpected symbols {sorted(map(str, extra))}")
    zz = sympy.Poly(e, t, domain="QQ").clear_denoms()[1]
    z = flint.fmpz_poly([int(c) for c in reversed(zz.all_coeffs())])
    _, facs = z.factor()
    out = []
    for fac, _m in facs:
        if fac.degree() <= 0:
            continue
        p = sympy.Poly([int(c) for c in reversed(fac.coeffs())], t, domain="ZZ")
        out.append(-p if p.LC() < 0 else p)
    return out


def candidate_polynomials(values: Sequence[CriticalValues], t: sympy.Symbol) -> list[sympy.Poly]:
    """Distinct irreducible polynomials in ``t`` whose roots are all the places the optimal branch may change.

    Examples
    --------
    >>> t = sympy.Symbol("t")
    >>> a = CriticalValues(((0,),), V - 1, ())
    >>> b = CriticalValues(((1,),), V - 2 * t, ())
    >>> candidate_polynomials([a, b], t)
    [Poly(2*t - 1, t, domain='ZZ')]
    """
    gens = [V, t]
    ctx = flint.fmpz_mpoly_ctx.get(("v", "t"), "lex")
    factors: dict[tuple, flint.fmpz_mpoly] = {}
    tpolys: list[sympy.Expr] = []
    for cv in values:
        tpolys.extend(cv.degenerate)
        if cv.polynomial is None or cv.polynomial == 1:
            continue
        for fac, _m in _to_mpoly(cv.polynomial, ctx, gens).factor()[1]:
            if fac.degrees()[0] == 0:
                tpolys.append(_to_sympy(fac, gens))
                continue
            key = tuple(sorted(fac.to_dict().items()))
            neg = tuple(sorted((-fac).to_dict().items()))
            if key not in factors and neg not in factors:
                factors[key] = fac
    hs = list(factors.values())
    for h in hs:
        d = h.degrees()[0]
        lc = ctx.from_dict({(0, m[1]): c for m, c in h.to_dict().items() if m[0] == d})
        tpolys.append(_to_sympy(lc, gens))
        if d >= 2:
            tpolys.append(_to_sympy(h.discriminant("v"), gens))
    for h1, h2 in itertools.combinations(hs, 2):
        tpolys.append(_to_sympy(h1.resultant(h2, "v"), gens))
    seen: dict[tuple, sympy.Poly] = {}
    for e in tpolys:
        for p in _tpoly(e, t):
            seen.setdefault(tuple(p.all_coeffs()), p)
    return sorted(seen.values(), key=lambda p: (p.degree(), str(p)))
