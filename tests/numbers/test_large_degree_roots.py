"""Real roots of high degree by FLINT's isolation, and minimal polynomials by resultants, checked independently.

The isolating intervals are compared with sympy's root count and checked by exact sign changes; the minimal
polynomial of ``r(theta)`` is checked by reducing ``mp(r(y))`` modulo the defining polynomial of ``theta``.
"""

import random

import flint
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.numbers import algebraic as al


def _irreducible(rng: random.Random, degree: int, bits: int) -> flint.fmpz_poly:
    while True:
        p = flint.fmpz_poly([rng.randint(-2**bits, 2**bits) for _ in range(degree)] + [rng.randint(1, 2**bits)])
        _c, fac = p.factor()
        if len(fac) == 1 and fac[0][1] == 1 and fac[0][0].degree() == degree:
            return p


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.integers(12, 30), st.sampled_from([3, 40, 300]))
def test_flint_isolation_matches_sympy_count_and_signs(seed, degree, bits):
    rng = random.Random(seed)
    p = _irreducible(rng, degree, bits)
    coeffs = tuple(int(c) for c in p.coeffs())
    got = al._isolate_flint(coeffs)
    assert got is not None
    expected = sympy.Poly(list(reversed(coeffs)), sympy.Symbol("x")).count_roots()
    assert len(got) == expected
    q = flint.fmpq_poly(p)
    for i, (a, b) in enumerate(got):
        assert a < b
        assert (q(flint.fmpq(a.numerator, a.denominator)) > 0) != (q(flint.fmpq(b.numerator, b.denominator)) > 0)
        if i:
            assert got[i - 1][1] < a


def test_flint_isolation_separates_clustered_roots():
    x = flint.fmpz_poly([0, 1])
    p = (x - 10**6) * (x - 10**6 - 1) * (10**9 * x - 10**15 - 1) * (x**2 - 2)  # roots 1e6, 1e6+1e-9, 1e6+1
    p = p * (x**10 + 3)
    got = al._isolate_flint(tuple(int(c) for c in p.coeffs()))
    assert got is not None and len(got) == 5
    roots = [-sympy.sqrt(2), sympy.sqrt(2), 10**6, sympy.Rational(10**15 + 1, 10**9), 10**6 + 1]
    for (a, b), r in zip(got, roots):
        assert a < r < b or (a == b == r)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10**6), st.integers(2, 14))
def test_field_minpoly_annihilates_the_element(seed, degree):
    rng = random.Random(seed)
    p = _irreducible(rng, degree, 20)
    theta = al.real_roots(p)
    if not theta:
        return
    r = flint.fmpq_poly([flint.fmpq(rng.randint(-50, 50), rng.randint(1, 9)) for _ in range(rng.randint(2, degree))])
    if r.degree() < 1:
        return
    mp = al._field_minpoly(theta[0], r)
    pq = flint.fmpq_poly(p)
    acc = flint.fmpq_poly(0)
    for c in reversed(mp.coeffs()):  # mp(r(y)) mod p, by Horner's rule
        acc = (acc * r + c) % pq
    assert acc.is_zero()
    _c, fac = mp.factor()
    assert len(fac) == 1 and fac[0][1] == 1  # a power of the minimal polynomial, squarefree: the minimal polynomial
    assert degree % mp.degree() == 0


@pytest.mark.parametrize("seed", [0, 1])
def test_real_roots_agree_between_routes(seed):
    rng = random.Random(seed)
    p = _irreducible(rng, 14, 60)
    coeffs = tuple(int(c) for c in p.coeffs())
    sym = al._isolate.__wrapped__  # the sympy route, used below the FLINT threshold
    old = al._FLINT_ISOLATION_DEGREE
    try:
        al._FLINT_ISOLATION_DEGREE = 10**9
        by_sympy = sym(coeffs)
    finally:
        al._FLINT_ISOLATION_DEGREE = old
    by_flint = al._isolate_flint(coeffs)
    assert len(by_sympy) == len(by_flint)
    for (a, b), (c, d) in zip(by_sympy, by_flint):
        assert max(a, c) < min(b, d)  # each pair of intervals holds the same root
