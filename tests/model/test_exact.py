"""Tests of exactgames.model.exact: parsing, float refusal, certified signs."""

from fractions import Fraction

import flint
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.model.exact import (
    ExactError,
    FloatRefusedError,
    compare,
    exact_max,
    rational_enclosure,
    sign,
    to_arb,
    to_fmpq,
)
from exactgames.model.parse import parse_exact


@pytest.mark.parametrize("bad", [0.5, 1e-3, sympy.Float(0.25)])
def test_floats_are_refused(bad):
    with pytest.raises(FloatRefusedError, match="float"):
        parse_exact(bad)


def test_numpy_float_refused():
    np = pytest.importorskip("numpy")
    with pytest.raises(FloatRefusedError):
        parse_exact(np.float64(0.5))


@pytest.mark.parametrize(
    "text, expected",
    [("1/6", sympy.Rational(1, 6)), ("0.1", sympy.Rational(1, 10)), ("-3", sympy.Integer(-3)), ("2.5e-3", sympy.Rational(1, 400)),
     ("1/2 + 0.25", sympy.Rational(3, 4)), ("2 - sqrt(2)", 2 - sympy.sqrt(2)), ("2^3", sympy.Integer(8))],
)
def test_parse_exact_strings(text, expected):
    assert sympy.simplify(parse_exact(text) - expected) == 0


def test_parse_refuses_unknown_names_and_code():
    with pytest.raises(ExactError, match="unknown name 'x'"):
        parse_exact("x + 1")
    with pytest.raises(ExactError):
        parse_exact("__import__('os')")
    with pytest.raises(ExactError, match="division by zero"):
        parse_exact("1/0")
    eps = parse_exact("1 + eps", symbols=["eps"])
    assert eps.free_symbols == {sympy.Symbol("eps")}


@given(st.fractions(max_denominator=10**6), st.fractions(max_denominator=10**6))
@settings(max_examples=60, deadline=None)
def test_compare_rationals_matches_fraction_order(a, b):
    expected = (a > b) - (a < b)
    assert compare(parse_exact(a), parse_exact(b)) == expected
    assert compare(to_fmpq(a), to_fmpq(b)) == expected


@given(st.integers(1, 50), st.fractions(min_value=0, max_value=10, max_denominator=50))
@settings(max_examples=60, deadline=None)
def test_sign_of_sqrt_minus_rational(k, q):
    # sign(sqrt(k) - q) is decided by comparing k with q^2 exactly (an independent route)
    e = sympy.sqrt(k) - sympy.Rational(q.numerator, q.denominator)
    expected = (k > q * q) - (k < q * q)
    assert sign(e) == expected


def test_sign_detects_exact_zero_of_algebraic_expression():
    e = (sympy.sqrt(2) - 1) ** 2 - (3 - 2 * sympy.sqrt(2))
    assert sign(e) == 0
    r = sympy.CRootOf(sympy.Symbol("x") ** 3 - 2, 0)
    # 2^(1/3) = 1.2599...: 1.259^3 < 2 < 1.26^3
    assert sign(r - sympy.Rational(1259, 1000)) == 1 and sign(r - sympy.Rational(126, 100)) == -1


def test_exact_max_reports_ties():
    vals = [parse_exact("1/2"), parse_exact("sqrt(2)/2"), parse_exact("sqrt(8)/4")]
    best, idx = exact_max(vals)
    assert idx == [1, 2]


def test_rational_enclosure_is_rigorous_and_narrow():
    lo, hi = rational_enclosure(parse_exact("2 - sqrt(2)"))
    assert hi - lo <= Fraction(1, 10**30)
    # (2 - x)^2 = 2 at x = 2 - sqrt(2): lo < x < hi iff (2-hi)^2 < 2 < (2-lo)^2
    assert (2 - hi) ** 2 <= 2 <= (2 - lo) ** 2


def test_to_arb_contains_value():
    b = to_arb(parse_exact("sqrt(3) + 1/3"), 200)
    assert b.overlaps(flint.arb(3).sqrt() + flint.arb(1) / 3)
