"""The rational converters round-trip and agree with values read from text (an independent route)."""

from fractions import Fraction

import flint
import pytest
import sympy

from exactgames.numbers.rational import fmpq_to_frac, fmpq_to_sympy, frac_to_fmpq, sympy_to_frac

CASES = ["0", "1", "-1", "1/6", "-3/4", "22/7", "123456789012345678901234567890/7", "-1/99999999999999999999"]


@pytest.mark.parametrize("text", CASES)
def test_conversions_agree_with_text(text: str) -> None:
    f = Fraction(text)
    q = frac_to_fmpq(f)
    assert isinstance(q, flint.fmpq)
    assert str(q) == str(f)  # both print p/q in lowest terms
    back = fmpq_to_frac(q)
    assert isinstance(back, Fraction) and back == f
    s = fmpq_to_sympy(q)
    assert isinstance(s, sympy.Rational) and s == sympy.Rational(text)
    assert sympy_to_frac(sympy.Rational(text)) == f


def test_int_and_non_lowest_terms() -> None:
    assert frac_to_fmpq(7) == flint.fmpq(7, 1)
    assert fmpq_to_frac(flint.fmpq(10, 4)) == Fraction(5, 2)
