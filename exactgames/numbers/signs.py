"""Rigorous evaluation of rational polynomials on ``arb`` balls, and the exact sign of a nonzero algebraic number.

The number-field type (:class:`exactgames.model.numberfield.NFElement`, an
element ``h(alpha)`` of ``Q(alpha)``, and the canonical roots of
:mod:`exactgames.numbers.algebraic`, ``h(theta)`` for a
:class:`~exactgames.numbers.algebraic.RealAlgebraic` ``theta``) keep ``h``
reduced modulo a minimal polynomial, so zero is decided exactly before
anything here runs; the sign of a nonzero value is then read off balls of
rising precision until one excludes 0.

Examples
--------
>>> import flint
>>> p = flint.fmpq_poly([-2, 0, 1])                      # t^2 - 2
>>> balls = ((prec, flint.arb(2).sqrt()) for prec in (64, 128))
>>> sign_by_balls(flint.fmpq_poly([-141, 100]), balls)   # 100 sqrt(2) - 141 > 0
1
>>> horner(p, flint.arb(3))
7.00000000000000
"""

from __future__ import annotations

from typing import Iterable

import flint

__all__ = ["horner", "eval_at", "sign_by_balls"]


def horner(p: flint.fmpq_poly, ball: flint.arb) -> flint.arb:
    """``p(ball)`` by Horner's rule in ``arb`` arithmetic (at the current precision)."""
    acc = flint.arb(0)
    for c in reversed(p.coeffs()):
        acc = acc * ball + flint.arb(c)
    return acc


def eval_at(p: flint.fmpq_poly, ball: flint.arb, prec: int) -> flint.arb:
    """``p(ball)`` at ``prec`` bits (the context precision is restored afterwards).

    Examples
    --------
    >>> eval_at(flint.fmpq_poly([1, 1]), flint.arb(1), 64)
    2.00000000000000
    """
    old = flint.ctx.prec
    flint.ctx.prec = prec
    try:
        return horner(p, ball)
    finally:
        flint.ctx.prec = old


def sign_by_balls(p: flint.fmpq_poly, balls: Iterable[tuple[int, flint.arb]]) -> int | None:
    """Sign of ``p`` at the number enclosed by each ``(prec, ball)`` in turn: the first ball whose image excludes 0 decides.

    ``None`` when every ball's image contains 0 (the caller says why that cannot happen for a nonzero value).
    """
    for prec, ball in balls:
        v = eval_at(p, ball, prec)
        if v > 0:
            return 1
        if v < 0:
            return -1
    return None
