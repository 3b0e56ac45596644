"""Exact arithmetic in one number field Q(alpha), checked against independent sympy computations."""

import flint
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.model.lift import exact_sign, exact_str, lift_numbers, to_sympy
from exactgames.model.numberfield import NFElement, NumberField

X = sympy.Symbol("x")
CUBIC = sympy.CRootOf(X**3 - 3 * X - 1, 2)  # about 1.879
QUARTIC = sympy.CRootOf(7296351 * X**4 - 14696260 * X**3 + 10411086 * X**2 - 3201140 * X + 292620, 1)  # r55's optimum
GENERATORS = [sympy.sqrt(2), sympy.Pow(3, sympy.Rational(1, 3)), CUBIC, QUARTIC]

coeff = st.fractions(min_value=-20, max_value=20, max_denominator=9).map(lambda f: sympy.Rational(f.numerator, f.denominator))


def is_zero_sympy(e: sympy.Expr) -> bool:
    """Independent exact zero test: a polynomial in one algebraic atom vanishes iff the atom's polynomial divides it."""
    e = sympy.expand(e)
    if e.is_Rational:
        return e == 0
    roots = e.atoms(sympy.CRootOf)
    if not roots:  # radicals: sympy's minimal polynomial of 0 is x
        return sympy.minimal_polynomial(e, X) == X
    (a,) = roots
    m = a.poly.as_expr().subs(a.poly.gen, X)
    return sympy.rem(sympy.Poly(e.xreplace({a: X}), X), sympy.Poly(m, X)).is_zero


@given(st.sampled_from(GENERATORS), st.lists(coeff, min_size=1, max_size=5), st.lists(coeff, min_size=1, max_size=5))
@settings(max_examples=25, deadline=None)
def test_field_arithmetic_matches_sympy(alpha, ca, cb):
    ea = sympy.Add(*[c * alpha**k for k, c in enumerate(ca)])
    eb = sympy.Add(*[c * alpha**k for k, c in enumerate(cb)])
    K, (_, a, b) = lift_numbers([alpha, ea, eb])
    assert K.alpha == alpha
    for got, want in ((a + b, ea + eb), (a - b, ea - eb), (a * b, ea * eb), (a**3, ea**3), (2 * a - b / 3, 2 * ea - eb / 3)):
        assert is_zero_sympy(got.to_sympy() - want)
        assert got.poly.degree() < K.degree  # reduced modulo the minimal polynomial
    # signs: zero exactly when sympy says so, otherwise the sign of a high-precision evaluation
    d = a * b - a
    want_zero = is_zero_sympy(ea * eb - ea)
    assert (d.sign() == 0) == want_zero
    if not want_zero:
        assert d.sign() == (1 if sympy.N(ea * eb - ea, 60) > 0 else -1)


def test_zero_is_decided_exactly():
    K, (r,) = lift_numbers([CUBIC])
    assert (r**3 - 3 * r - 1).sign() == 0 and r**3 - 3 * r - 1 == 0
    K2, (q,) = lift_numbers([QUARTIC])
    m = [7296351, -14696260, 10411086, -3201140, 292620]
    assert sum((c * q ** (4 - k) for k, c in enumerate(m)), flint.fmpq(0)) == 0
    # a tiny nonzero number is not mistaken for zero
    s = NumberField.of(sympy.sqrt(2)).gen()
    tiny = (s - 1) ** 40  # about 5e-16
    assert tiny.sign() == 1 and (tiny - flint.fmpq(1, 10**15)).sign() == -1


def test_lift_numbers_refuses_what_it_cannot_represent():
    assert lift_numbers([sympy.sqrt(2), sympy.sqrt(3)]) is None  # two generators
    assert lift_numbers([sympy.Symbol("eps")]) is None
    assert lift_numbers([sympy.I]) is None
    assert lift_numbers([sympy.pi]) is None
    assert lift_numbers([sympy.CRootOf(X**3 - 2, 1)]) is None  # not real
    assert NumberField.of(sympy.Pow(4, sympy.Rational(1, 4), evaluate=False)) is None  # x^4 - 4 is reducible
    assert lift_numbers([sympy.Rational(1, 3), 2]) == (None, [flint.fmpq(1, 3), flint.fmpq(2)])


def test_mixing_fields_is_an_error():
    a = NumberField.of(sympy.sqrt(2)).gen()
    b = NumberField.of(sympy.sqrt(3)).gen()
    with pytest.raises(ValueError):
        a + b


def test_display_strings_parse_back_to_the_same_value():
    K, (q,) = lift_numbers([QUARTIC])
    for e in (q, 1 - q, q**3 / 7 - q + flint.fmpq(2, 3), q * 0):
        s = str(e)
        assert is_zero_sympy(sympy.sympify(s) - e.to_sympy())
        assert exact_str(e.to_sympy()) == s
    e = 5 * CUBIC**2 - CUBIC / 3 + 1
    assert sympy.sympify(exact_str(e)) == e
    assert exact_str(sympy.sqrt(2) / 2) == str(sympy.sqrt(2) / 2)
    cube_root = NumberField.of(sympy.Pow(3, sympy.Rational(1, 3))).gen()
    assert sympy.sympify(str(cube_root**2)) == sympy.Pow(3, sympy.Rational(2, 3))


def test_helpers_accept_every_kind_of_number():
    a = NumberField.of(sympy.sqrt(2)).gen()
    assert [exact_sign(x) for x in (flint.fmpq(-2), a - 2, sympy.sqrt(3) - 1, sympy.Integer(0))] == [-1, -1, 1, 0]
    assert to_sympy(flint.fmpq(3, 4)) == sympy.Rational(3, 4) and to_sympy(a * a) == 2
    assert isinstance(a * 2, NFElement) and (a * 2).ball(64) > 2
