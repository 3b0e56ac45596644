"""The checker's exact definiteness test against sympy's, and its polynomial enclosures against exact values."""

from fractions import Fraction

import flint
from flint import arb, fmpq
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Matrix, Rational

from proofs_check.checker.numbers import positive_definite
from proofs_check.checker.polynomial import at_arb_many

rationals = st.fractions(min_value=-5, max_value=5, max_denominator=7)


@st.composite
def symmetric(draw, k):
    a = [[Fraction(0)] * k for _ in range(k)]
    for i in range(k):
        for j in range(i, k):
            a[i][j] = a[j][i] = draw(rationals)
    return a


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 4).flatmap(symmetric))
def test_positive_definite_matches_sympy(a):
    expected = Matrix([[Rational(v.numerator, v.denominator) for v in r] for r in a]).is_positive_definite
    assert positive_definite(a) is bool(expected)
    assert positive_definite([[fmpq(v.numerator, v.denominator) for v in r] for r in a]) is bool(expected)


def test_positive_definite_semidefinite_is_refused():
    assert not positive_definite([[Fraction(1), Fraction(1)], [Fraction(1), Fraction(1)]])
    assert positive_definite([[Fraction(2), Fraction(1)], [Fraction(1), Fraction(1)]])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3), rationals), min_size=0,
                max_size=250),
       st.tuples(rationals, rationals, st.sampled_from([Fraction(0), Fraction(1, 3), Fraction(-2)])))
def test_at_arb_many_encloses_the_exact_value(terms, point):
    ctx = flint.fmpq_mpoly_ctx.get(("v", 3), "lex")
    x, y, z = ctx.gens()
    p = ctx.from_dict({})
    for i, j, k, c in terms:
        p = p + fmpq(c.numerator, c.denominator) * x ** i * y ** j * z ** k
    pts = [fmpq(v.numerator, v.denominator) for v in point]
    exact = [p(*pts), (p * p)(*pts), ctx.from_dict({})(*pts)]
    got = at_arb_many([p, p * p, ctx.from_dict({})], [arb(v) for v in pts])
    assert all((g - arb(e)).contains(0) for g, e in zip(got, exact))  # arb(e) itself is a ball around e
    assert all(g.rad() < 1e-9 * (1 + abs(g.mid())) for g in got)
