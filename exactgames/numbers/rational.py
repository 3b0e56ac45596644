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

__all__ = ["frac_to_fmpq", "fmpq_to_frac", "fmpq_to_sympy", "sympy_to_frac"]


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
