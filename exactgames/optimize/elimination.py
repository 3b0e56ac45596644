"""Elimination in polynomial systems: the values a polynomial takes on a solution set, by lex Groebner bases.

Where :func:`exactgames.optimize.polysolve.solve_system` finds a
positive-dimensional solution set (a continuum of KKT points), these
functions still say exactly which values an objective ``f`` (or another
polynomial) takes on it:

* :func:`eliminant` projects the solution set onto one polynomial: the
  generator of ``<eqs, s - target> ∩ Q[s]`` (to prove it misses an open box);
* :func:`critical_value_polynomial` is that projection for ``f`` on its own
  critical set, which is never zero (algebraic Sard: a polynomial takes
  finitely many critical values);
* :func:`value_relations` relates a second polynomial to the value of ``f``
  on the solutions where ``f`` takes a given root.

Every sympy computation runs under a :class:`~exactgames.optimize.deadline.Deadline`.

Examples
--------
>>> import flint
>>> ctx = flint.fmpq_mpoly_ctx.get(("a", "b"))
>>> a, b = ctx.gens()
>>> f = a * b
>>> critical_value_polynomial([f.derivative(0), f.derivative(1)], f, ctx)
x
"""

from __future__ import annotations

from typing import Sequence

import flint
import sympy

from exactgames.optimize.deadline import Deadline
from exactgames.optimize.polysolve import _from_sympy, _qq, _to_sympy

__all__ = ["eliminant", "value_relations", "critical_value_polynomial"]


def eliminant(
    eqs: Sequence[flint.fmpq_mpoly], target: flint.fmpq_mpoly, ctx: flint.fmpq_mpoly_ctx, deadline: Deadline | None = None
) -> flint.fmpq_poly | None:
    """The generator ``q(s)`` of the elimination ideal ``<eqs, s - target> ∩ Q[s]``.

    Every value of ``target`` at a (complex) solution of ``eqs`` is a root of
    ``q``.  Returns ``None`` when the elimination ideal is zero (``target``
    takes infinitely many values on the solutions); the constant ``1`` when
    ``eqs`` has no solution.  Computed by a lex Groebner basis with ``s`` last.

    Examples
    --------
    >>> ctx = flint.fmpq_mpoly_ctx.get(("a", "b"))
    >>> a, b = ctx.gens()
    >>> eliminant([a + b - 1, a * b], a - b, ctx)
    x^2 + (-1)
    >>> eliminant([a + b - 1], a, ctx) is None
    True
    """
    deadline = deadline or Deadline()
    nvars = ctx.nvars()
    ys = sympy.symbols(f"y0:{nvars}")
    s = sympy.Symbol("s_val")
    polys = [_to_sympy(e, ys).as_expr() for e in eqs if not e.is_zero()]
    polys.append(s - _to_sympy(target, ys).as_expr())
    with deadline.guard():
        G = sympy.groebner(polys, *ys, s, order="lex", domain="QQ")
    for e in reversed(list(G.exprs)):
        if not (sympy.sympify(e).free_symbols - {s}):
            q = sympy.Poly(e, s)
            return flint.fmpq_poly([_qq(c) for c in reversed(q.all_coeffs())])
    return None


def value_relations(
    eqs: Sequence[flint.fmpq_mpoly],
    f: flint.fmpq_mpoly,
    target: flint.fmpq_mpoly,
    value_poly: flint.fmpq_poly,
    ctx: flint.fmpq_mpoly_ctx,
    deadline: Deadline | None = None,
) -> list[flint.fmpq_mpoly]:
    """Polynomials ``r(z, s)`` vanishing at ``(target(y), f(y))`` for every solution ``y`` of ``eqs`` with ``value_poly(f(y)) = 0``.

    The elements free of ``y`` in a lex Groebner basis (``y > z > s``) of
    ``<eqs, value_poly(s), s - f, z - target>``: a generating set of that
    ideal's intersection with ``Q[z, s]``, returned in the context ``(z, s)``.
    An element ``a(s) z + b(s)`` says ``target = -b(s)/a(s)`` wherever ``a(s) != 0``.

    Examples
    --------
    >>> ctx = flint.fmpq_mpoly_ctx.get(("a", "b"))
    >>> a, b = ctx.gens()
    >>> [str(r) for r in value_relations([a - b], a + b, a, flint.fmpq_poly([-4, 0, 1]), ctx)]
    ['z - 1/2*s', 's^2 - 4']
    """
    deadline = deadline or Deadline()
    ys = sympy.symbols(f"y0:{ctx.nvars()}")
    z, s = sympy.symbols("z s")
    polys = [_to_sympy(e, ys).as_expr() for e in eqs if not e.is_zero()]
    polys.append(sum(sympy.Rational(int(c.p), int(c.q)) * s**k for k, c in enumerate(value_poly.coeffs())))
    polys.append(s - _to_sympy(f, ys).as_expr())
    polys.append(z - _to_sympy(target, ys).as_expr())
    with deadline.guard():
        G = sympy.groebner(polys, *ys, z, s, order="lex", domain="QQ")
    zs_ctx = flint.fmpq_mpoly_ctx.get(("z", "s"))
    return [_from_sympy(e, (z, s), zs_ctx) for e in G.exprs if not (sympy.sympify(e).free_symbols - {z, s})]


def critical_value_polynomial(
    eqs: Sequence[flint.fmpq_mpoly], f: flint.fmpq_mpoly, ctx: flint.fmpq_mpoly_ctx, deadline: Deadline | None = None
) -> flint.fmpq_poly:
    """A nonzero univariate ``q(s)`` vanishing at every value of ``f`` on the solutions of ``eqs``.

    When ``eqs`` is the gradient of ``f``, ``q`` exists (finitely many
    critical values); it is the generator of the elimination ideal
    ``<eqs, s - f> ∩ Q[s]`` (lex Groebner basis with ``s`` last; see
    :func:`eliminant`).

    Examples
    --------
    >>> ctx = flint.fmpq_mpoly_ctx.get(("a", "b"))
    >>> a, b = ctx.gens()
    >>> f = (a + b) * (1 - a - b)             # critical on the whole line a + b = 1/2
    >>> critical_value_polynomial([f.derivative(0), f.derivative(1)], f, ctx)
    x + (-1/4)
    """
    q = eliminant(eqs, f, ctx, deadline)
    if q is None:
        raise ArithmeticError("no univariate eliminant in the value variable (the values are not finitely many)")
    return q
