"""The resultant-based certified sign against identities known by construction."""

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.model.exact import compare as certified_compare
from exactgames.model.exact import exact_max as certified_max
from exactgames.model.fast_sign import certified_sign

x = sympy.Symbol("x")


def test_zero_by_construction_crootof():
    # r and 1 - r for the roots of p(x) and p(1 - x): the two CRootOf numbers sum to 1 exactly
    p = 179 * x**3 - 264 * x**2 - 105 * x + 91
    q = sympy.expand(p.subs(x, 1 - x))
    r = sympy.CRootOf(p, 1)
    roots_q = [sympy.CRootOf(q, k) for k in range(3)]
    # exactly one root of q equals 1 - r; the others differ
    signs = [certified_sign(r + s - 1) for s in roots_q]
    assert signs.count(0) == 1
    assert certified_sign(p.subs(x, r)) == 0


def test_radicals():
    s2, s3 = sympy.sqrt(2), sympy.sqrt(3)
    assert certified_sign((s2 + s3) ** 2 - 5 - 2 * sympy.sqrt(6)) == 0
    assert certified_sign(s2 + s3 - sympy.Rational(314, 100)) == 1  # 3.1462... > 3.14
    assert certified_compare(s2 - 1, sympy.Rational(1, 3)) == 1
    assert certified_max([s2, sympy.Rational(3, 2), s2]) == (sympy.Rational(3, 2), [1])


@settings(max_examples=20, deadline=None)
@given(st.integers(-5, 5), st.integers(-5, 5), st.integers(1, 5))
def test_polynomial_identities(a, b, c):
    # r is a root of x^3 - c x - 1 (irreducible or not, the identity holds); a r^3 - a c r - a == 0
    r = sympy.CRootOf(x**3 - c * x - 1, 0)
    assert certified_sign(a * r**3 - a * c * r - a) == 0
    e = a * r + b
    # r may be rational (x^3 - 2x - 1 has the root -1): then e is an exact sympy number already
    expected = 0 if sympy.simplify(e) == 0 else (1 if e.evalf(50) > 0 else -1)
    assert certified_sign(e) == expected
