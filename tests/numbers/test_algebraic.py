"""Exact algebraic numbers of the KKT route (exactgames.numbers.algebraic, exactgames.model.numberfield), checked against sympy."""

from __future__ import annotations

from fractions import Fraction

import flint
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.model.exact import compare
from exactgames.model.numberfield import NFElement, compare_elements
from exactgames.numbers.algebraic import compare_algebraic, rational, real_roots
from exactgames.optimize.polysolve import solve_system

coef = st.integers(-6, 6)
X = sympy.Symbol("x")


@settings(max_examples=30, deadline=None)
@given(st.lists(coef, min_size=2, max_size=5).filter(lambda c: c[-1] != 0))
def test_real_roots_match_sympy(cs):
    p = flint.fmpq_poly(cs)
    mine = [r.to_sympy() for r in real_roots(p)]
    theirs = sorted(set(sympy.Poly(list(reversed(cs)), X).real_roots()), key=lambda r: sympy.N(r, 50))
    assert len(mine) == len(theirs)
    for a, b in zip(mine, theirs):
        assert compare(a, b) == 0  # exact (minimal polynomials / certified balls in the model layer)


@settings(max_examples=12, deadline=None)
@given(st.lists(coef, min_size=3, max_size=4).filter(lambda c: c[-1] != 0), st.lists(coef, min_size=1, max_size=3),
       st.lists(coef, min_size=1, max_size=3))
def test_field_elements_compare_like_sympy(cs, h1, h2):
    roots = real_roots(flint.fmpq_poly(cs))
    if not roots:
        return
    th = roots[-1]
    a = NFElement.make(th, flint.fmpq_poly(h1))
    b = NFElement.make(th, flint.fmpq_poly(h2))
    t = th.to_sympy()
    ea = sum(c * t**k for k, c in enumerate(h1))
    eb = sum(c * t**k for k, c in enumerate(h2))
    assert compare_elements(a, b) == compare(sympy.expand(ea), sympy.expand(eb))
    assert compare(a.canonical().to_sympy(), ea) == 0
    lo, hi = a.enclosure(Fraction(1, 10**20))
    assert hi - lo <= Fraction(1, 10**20)
    assert compare(sympy.Rational(lo.numerator, lo.denominator), ea) <= 0 <= compare(sympy.Rational(hi.numerator, hi.denominator), ea)


def test_equal_numbers_from_different_fields():
    s2 = real_roots(flint.fmpq_poly([-2, 0, 1]))[1]
    s8 = real_roots(flint.fmpq_poly([-8, 0, 1]))[1]
    assert compare_elements(NFElement.make(s2, flint.fmpq_poly([0, 2])), NFElement.of(s8)) == 0
    assert compare_algebraic(s2, rational(Fraction(141421, 100000))) == 1


def test_solver_positive_dimensional_and_inconsistent():
    ctx = flint.fmpq_mpoly_ctx.get(("a", "b", "c"))
    a, b, c = ctx.gens()
    assert solve_system([a - 1, a - 2], ctx).points == ()
    sol = solve_system([a * a - 2, b - a, c * c - b * b], ctx)   # 4 real points, not in shape position in c
    pts = {tuple(str(x) for x in p.coordinates()) for p in sol.points}
    assert pts == {("sqrt(2)", "sqrt(2)", "sqrt(2)"), ("sqrt(2)", "sqrt(2)", "-sqrt(2)"),
                   ("-sqrt(2)", "-sqrt(2)", "sqrt(2)"), ("-sqrt(2)", "-sqrt(2)", "-sqrt(2)")}
    assert type(solve_system([a + b + c - 1], ctx)).__name__ == "PositiveDimensional"


def test_solver_non_radical_ideal():
    ctx = flint.fmpq_mpoly_ctx.get(("a", "b"))
    a, b = ctx.gens()
    # double root at (1, 1), simple root at (-1, 1): the lex basis is not in shape position until made radical
    sol = solve_system([(a - 1) ** 2 * (a + 1), (b - 1) ** 2, (a - 1) * (b - 1)], ctx)
    assert {tuple(str(x) for x in p.coordinates()) for p in sol.points} == {("1", "1"), ("-1", "1")}


def test_solver_needs_a_separating_linear_form():
    ctx = flint.fmpq_mpoly_ctx.get(("a", "b"))
    a, b = ctx.gens()
    sol = solve_system([a**2 - 1, b**2 - 1], ctx)  # b alone does not separate the four points
    assert {tuple(str(x) for x in p.coordinates()) for p in sol.points} == {("1", "1"), ("1", "-1"), ("-1", "1"), ("-1", "-1")}
    assert "multiplication matrix" in sol.route
