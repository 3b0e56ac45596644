"""Conversions between the three exact rational types, at the edges of hot paths.

exactgames computes with ``fractions.Fraction`` (plain Python, cheap for
small numbers), python-flint ``fmpq`` (polynomial arithmetic and ``arb``
balls) and ``sympy.Rational`` (display and the model's sympy expressions).
These are the one set of converters between them; modules call these instead
of writing ``Fraction(int(v.p), int(v.q))`` or their own ``_q``/``_fr``.

Examples
--------
>>> from fractions import Fraction
>>> q = frac_to_fmpq(Fraction(-3, 4)); q
-3/4
>>> fmpq_to_frac(q)
Fraction(-3, 4)
>>> fmpq_to_sympy(q)
-3/4
>>> sympy_to_frac(fmpq_to_sympy(q)) == Fraction(-3, 4)
True
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import flint
import sympy

__all__ = ["frac_to_fmpq", "fmpq_to_frac", "fmpq_to_sympy", "sympy_to_frac", "sympy_poly", "poly_text"]


def frac_to_fmpq(x: Fraction) -> flint.fmpq:
    """``Fraction`` (or anything with ``numerator``/``denominator``, such as int) to ``fmpq``.

    Examples
    --------
    >>> frac_to_fmpq(Fraction(1, 6)), frac_to_fmpq(3)
    (1/6, 3)
    """
    return flint.fmpq(x.numerator, x.denominator)


def fmpq_to_frac(x: Any) -> Fraction:
    """``fmpq`` or ``sympy.Rational`` (anything with integer ``p``/``q``) to ``Fraction``.

    Examples
    --------
    >>> fmpq_to_frac(flint.fmpq(5, 10))
    Fraction(1, 2)
    """
    return Fraction(int(x.p), int(x.q))


def fmpq_to_sympy(x: Any) -> sympy.Rational:
    """``fmpq`` (or ``Fraction``-like with ``p``/``q``) to ``sympy.Rational``.

    Examples
    --------
    >>> fmpq_to_sympy(flint.fmpq(1, 6))
    1/6
    """
    return sympy.Rational(int(x.p), int(x.q))


sympy_to_frac = fmpq_to_frac
"""``sympy.Rational`` to ``Fraction`` (the same ``p``/``q`` reading as :func:`fmpq_to_frac`)."""


# --------------------------------------------------------------------------- polynomials in one generator


def sympy_poly(e: sympy.Expr, images: dict, m: flint.fmpq_poly) -> flint.fmpq_poly | None:
    """``e`` as a polynomial in the generator over Q reduced modulo ``m``, or None.

    ``images`` maps each algebraic atom of ``e`` to its polynomial in the generator.

    Examples
    --------
    >>> m = flint.fmpq_poly([-2, 0, 1])                           # t^2 - 2, t = sqrt(2)
    >>> sympy_poly((1 + sympy.sqrt(2)) ** 2, {sympy.sqrt(2): flint.fmpq_poly([0, 1])}, m)
    2*x + 3
    >>> sympy_poly(sympy.pi, {}, m) is None
    True
    """
    if e.is_Rational:
        return flint.fmpq_poly([flint.fmpq(int(e.p), int(e.q))])
    hit = images.get(e)
    if hit is not None:
        return hit
    if e.is_Add:
        acc = flint.fmpq_poly([])
        for t in e.args:
            p = sympy_poly(t, images, m)
            if p is None:
                return None
            acc += p
        return acc
    if e.is_Mul:
        acc = flint.fmpq_poly([1])
        for t in e.args:
            p = sympy_poly(t, images, m)
            if p is None:
                return None
            acc = (acc * p) % m
        return acc
    if e.is_Pow and e.exp.is_Integer and int(e.exp) >= 0:
        p = sympy_poly(e.base, images, m)
        if p is None:
            return None
        out = flint.fmpq_poly([1])
        for _ in range(int(e.exp)):
            out = (out * p) % m
        return out
    return None


def poly_text(p: flint.fmpq_poly, alpha: str) -> str:
    """``p(alpha)`` as text in sympy's syntax, highest power first.

    Examples
    --------
    >>> poly_text(flint.fmpq_poly([flint.fmpq(1, 2), -1, flint.fmpq(3, 4)]), "a")
    '3*a**2/4 - a + 1/2'
    """
    parts = []
    for k in range(p.degree(), -1, -1):
        c = p.coeffs()[k]
        if c == 0:
            continue
        num, den = abs(int(c.p)), int(c.q)
        if k == 0:
            body = f"{num}" if den == 1 else f"{num}/{den}"
        else:
            mono = alpha if k == 1 else f"{alpha}**{k}"
            body = (mono if num == 1 else f"{num}*{mono}") + ("" if den == 1 else f"/{den}")
        parts.append(("-" if c < 0 else "+", body))
    if not parts:
        return "0"
    out = ("-" if parts[0][0] == "-" else "") + parts[0][1]
    for sgn, body in parts[1:]:
        out += f" {sgn} {body}"
    return out
