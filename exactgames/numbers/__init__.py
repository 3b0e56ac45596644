"""Exact numbers below the model layer: linear algebra and LP over the rationals, signs of number-field elements.

:mod:`exactgames.numbers.linear` (exact LP and elimination),
:mod:`exactgames.numbers.algebraic` (real algebraic numbers in canonical form),
:mod:`exactgames.numbers.rational` (the one set of Fraction / fmpq /
sympy.Rational converters) and :mod:`exactgames.numbers.signs` (Horner evaluation on ``arb`` balls and the
rising-precision sign loop shared by :mod:`exactgames.model.numberfield` and
the canonical roots).  Nothing here imports another layer of
exactgames.

>>> from exactgames.numbers.linear import solve
>>> from fractions import Fraction
>>> solve([[Fraction(1)]], [Fraction(2)])
[Fraction(2, 1)]
"""
