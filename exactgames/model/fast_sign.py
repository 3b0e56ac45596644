"""Certified signs of algebraic expressions with a fast exact zero test (resultants in python-flint).

:func:`exactgames.model.exact.sign` decides zero with sympy's
``minimal_polynomial``, which takes seconds on expressions built from
several ``CRootOf`` numbers (the KKT optimiser's output).  Here an
expression ``P(b_1, ..., b_k)`` that is a polynomial with rational
coefficients in algebraic atoms ``b_j`` (``CRootOf`` or rational powers of
rationals, each with a known polynomial ``q_j(b_j) = 0``) is decided as
follows:

1. ``R(z) = res_{y_1}(... res_{y_k}(z - P(y), q_k(y_k)) ..., q_1(y_1))``
   (python-flint ``fmpq_mpoly.resultant``) vanishes at ``z = P(b)``.
2. If ``R(0) != 0`` then ``P(b) != 0``; its sign comes from arb balls of
   increasing precision (they must eventually exclude 0).
3. Otherwise write ``R = z^e R~`` with ``R~(0) = a_0 != 0``: every non-zero
   root of ``R`` has modulus at least ``|a_0| / (|a_0| + max_i |a_i|)``
   (Cauchy's bound for the reciprocal polynomial), so ``P(b) = 0`` as soon as
   an arb ball of ``P(b)`` lies inside that radius, and ``P(b) != 0`` as soon
   as a ball excludes 0.

Anything else falls back to the general route of :mod:`exactgames.model.exact`
(minimal polynomials).  :func:`exactgames.model.exact.sign` calls
:func:`certified_sign`, so every exact comparison in the library uses it.

Examples
--------
>>> import sympy
>>> r = sympy.CRootOf(sympy.Symbol("x") ** 3 - 3 * sympy.Symbol("x") + 1, 1)
>>> certified_sign(r ** 3 - 3 * r + 1), certified_sign(r - sympy.Rational(1, 3))
(0, 1)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import flint
import sympy

from exactgames.model.exact import _sign_general as sign
from exactgames.model.exact import parse_exact, to_arb

__all__ = ["certified_sign"]


def _atoms(e: sympy.Expr) -> list[sympy.Expr] | None:
    out = []
    for a in e.atoms(sympy.CRootOf, sympy.Pow):
        if isinstance(a, sympy.CRootOf):
            out.append(a)
        elif a.exp.is_Integer:
            continue
        elif a.exp.is_Rational and a.base.is_Rational:
            out.append(a)
        else:
            return None
    # powers of CRootOf with integer exponents are polynomial; skip Pow atoms whose base is a CRootOf
    return [a for a in out if not (isinstance(a, sympy.Pow) and isinstance(a.base, sympy.CRootOf))]


def _zero_radius(e: sympy.Expr) -> Fraction | None:
    """None if ``e != 0`` is proved by the resultant; else a radius r such that |e| < r implies e == 0."""
    atoms = _atoms(e)
    if atoms is None:
        raise ValueError("unsupported atom")
    ys = [sympy.Dummy(f"y{j}") for j in range(len(atoms))]
    P = sympy.expand(e.xreplace(dict(zip(atoms, ys))))
    if P.free_symbols - set(ys):
        raise ValueError("not a polynomial in the atoms")
    poly = sympy.Poly(P, *ys, domain="QQ") if ys else sympy.Poly(P, sympy.Dummy("w"), domain="QQ")
    names = ("z",) + tuple(f"y{j}" for j in range(len(atoms)))
    ctx = flint.fmpq_mpoly_ctx.get(names)
    terms = {}
    for mon, c in poly.terms():
        key = (0,) + (tuple(mon) if ys else ())
        terms[key] = flint.fmpq(int(c.p), int(c.q))
    z = ctx.gens()[0]
    R = z - ctx.from_dict(terms) if terms else z
    for j, a in enumerate(atoms):
        if isinstance(a, sympy.CRootOf):
            q = a.poly.all_coeffs()
            deg = len(q) - 1
            qd = {tuple(deg - k if i == j + 1 else 0 for i in range(len(names))): flint.fmpq(int(c.p), int(c.q))
                  for k, c in enumerate(sympy.Rational(x) for x in q) if c != 0}
        else:
            p, qq = int(a.exp.p), int(a.exp.q)
            bp = sympy.Rational(a.base) ** p
            qd = {tuple(qq if i == j + 1 else 0 for i in range(len(names))): flint.fmpq(1),
                  (0,) * len(names): -flint.fmpq(int(bp.p), int(bp.q))}
        R = R.resultant(ctx.from_dict(qd), f"y{j}")
    coeffs = [Fraction(0)] * (R.total_degree() + 1 if R != 0 else 1)
    for mon, c in R.to_dict().items():
        coeffs[mon[0]] = Fraction(int(c.p), int(c.q))
    if coeffs[0] != 0:
        return None
    k = next(i for i, c in enumerate(coeffs) if c != 0)
    a0 = abs(coeffs[k])
    rest = max((abs(c) for c in coeffs[k + 1:]), default=Fraction(0))
    return a0 / (a0 + rest)


def certified_sign(x: Any) -> int:
    """Exact sign (-1, 0, 1) of a real algebraic constant; see the module docstring for the method.

    Examples
    --------
    >>> certified_sign(sympy.sqrt(2) ** 3 - 2 * sympy.sqrt(2)), certified_sign(-sympy.sqrt(3) + 1)
    (0, -1)
    """
    if isinstance(x, flint.fmpq):
        return (x > 0) - (x < 0)
    e = x if isinstance(x, sympy.Basic) else parse_exact(x)
    if e.is_Rational:
        return int(bool(e > 0)) - int(bool(e < 0))
    if e.free_symbols:
        return sign(e)  # raises with the parameters named
    try:
        for prec in (64, 128):
            b = to_arb(e, prec)
            if b > 0:
                return 1
            if b < 0:
                return -1
        radius = _zero_radius(e)
    except Exception:  # noqa: BLE001 - any unsupported form: the slower general route
        return sign(e)
    prec = 128
    while prec <= 1 << 16:
        b = to_arb(e, prec)
        if b > 0:
            return 1
        if b < 0:
            return -1
        if radius is not None:
            lo = flint.arb(flint.fmpq(radius.numerator, radius.denominator))
            if abs(b) < lo:
                return 0
        prec *= 2
    return sign(e)  # pragma: no cover
