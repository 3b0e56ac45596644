"""Exact signs of rational polynomials at the algebraic points of :mod:`exactgames.optimize.polysolve`.

Used by the KKT route to classify critical points (positivity of the support
probabilities, the off-support conditions): a rigorous ``arb`` ball decides
every nonzero sign; an exact zero, or a value too close to 0 for the balls,
is decided exactly in the point's number field.

Examples
--------
>>> import flint
>>> from exactgames.optimize.polysolve import solve_system
>>> ctx = flint.fmpq_mpoly_ctx.get(("a", "b"))
>>> a, b = ctx.gens()
>>> pt = solve_system([a * a - 3, b - 1], ctx).points[1]        # (sqrt 3, 1)
>>> sign_at(a - 2 * b, pt), sign_at(a * a - 3 * b, pt)
(-1, 0)
"""

from __future__ import annotations

from typing import Sequence

import flint

from exactgames.numbers.algebraic import element_sign, root_ball
from exactgames.numbers.signs import horner
from exactgames.optimize.polysolve import AlgebraicPoint, evaluate_at

__all__ = ["sign_at"]


def _mpoly_ball(p: flint.fmpq_mpoly, balls: Sequence[flint.arb]) -> flint.arb:
    """``p(balls)`` in ``arb`` arithmetic at the context precision."""
    acc = flint.arb(0)
    for exps, c in p.to_dict().items():
        term = flint.arb(c)
        for b, e in zip(balls, exps):
            if e:
                term *= b**e
        acc += term
    return acc


def _coordinate_balls(point: AlgebraicPoint, prec: int) -> tuple[flint.arb, ...]:
    """Rigorous balls of the coordinates ``g_i(theta)`` at ``prec`` bits (the context precision)."""
    theta = point.theta
    t = root_ball(theta, prec)
    mod = None if theta.is_rational else flint.fmpq_poly(list(theta.poly))
    return tuple(horner(c % mod if mod is not None else c, t) for c in point.coords)


def sign_at(p: flint.fmpq_mpoly, point: AlgebraicPoint) -> int:
    """Exact sign of ``p`` at ``point``: a rigorous ``arb`` ball when it excludes 0, else exact evaluation.

    Balls are tried at 256, 1024 and 4096 bits (FLINT's root isolation of
    ``theta`` matched to its isolating interval, then Horner's rule on the
    coordinates and the terms of ``p``); an exact zero, or a value too close
    to 0 for every ball, is decided by :func:`evaluate_at` and
    :func:`~exactgames.numbers.algebraic.element_sign`.

    Examples
    --------
    >>> from exactgames.optimize.polysolve import solve_system
    >>> ctx = flint.fmpq_mpoly_ctx.get(("a", "b"))
    >>> a, b = ctx.gens()
    >>> pt = solve_system([a * a - 2, b - a], ctx).points[1]      # (sqrt 2, sqrt 2)
    >>> sign_at(a * b - 2, pt), sign_at(a - 1, pt), sign_at(a + b, pt)
    (0, 1, 1)
    """
    if p.is_zero():
        return 0
    old = flint.ctx.prec
    try:
        for prec in (256, 1024, 4096):
            flint.ctx.prec = prec
            v = _mpoly_ball(p, _coordinate_balls(point, prec))
            if v > 0:
                return 1
            if v < 0:
                return -1
    finally:
        flint.ctx.prec = old
    return element_sign(point.theta, evaluate_at(p, point))
