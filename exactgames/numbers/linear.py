"""Exact linear algebra and linear programming over the rationals: one module for the KKT route and the certify layer.

* :func:`simplex_max`: the dense tableau simplex method (Bland's rule) over
  python-flint ``fmpq`` -- the KKT route's LPs (rational points of affine
  branches, :mod:`exactgames.optimize.kkt.lp`).
* :func:`solve`: Gauss-Jordan elimination of a square system (Fractions).
* :func:`strict_point`: a strictly positive point of ``{x >= 0, sum x = 1,
  rows x <= 0}`` by exact vertex enumeration (the degeneracy verdicts,
  :mod:`exactgames.certify.degeneracy`).

Examples
--------
>>> import flint
>>> q = flint.fmpq
>>> simplex_max([q(1)], [[q(2)]], [q(3)])
(3/2, [3/2])
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import flint
import sympy

from exactgames.numbers.rational import fmpq_to_frac

__all__ = ["simplex_max", "solve", "strict_point"]


def simplex_max(c: list[flint.fmpq], A: list[list[flint.fmpq]], b: list[flint.fmpq]) -> tuple[flint.fmpq, list[flint.fmpq]]:
    """Maximise ``c.x`` subject to ``A x <= b``, ``x >= 0``, with ``b >= 0`` (the origin is feasible).

    Exact dense tableau simplex over the rationals with Bland's rule (no
    cycling).  Raises ``ArithmeticError`` when the objective is unbounded.

    Examples
    --------
    >>> q = flint.fmpq
    >>> simplex_max([q(1), q(1)], [[q(1), q(2)], [q(3), q(1)]], [q(4), q(6)])
    (14/5, [8/5, 6/5])
    """
    m, n = len(A), len(c)
    zero, one = flint.fmpq(0), flint.fmpq(1)
    T = [list(A[i]) + [one if j == i else zero for j in range(m)] + [b[i]] for i in range(m)]
    basis = [n + i for i in range(m)]
    cost = list(c) + [zero] * m
    while True:
        enter = -1
        for j in range(n + m):
            if cost[j] - sum((cost[basis[i]] * T[i][j] for i in range(m)), zero) > 0:
                enter = j
                break
        if enter < 0:
            break
        leave, best = -1, zero
        for i in range(m):
            if T[i][enter] > 0:
                ratio = T[i][-1] / T[i][enter]
                if leave < 0 or ratio < best or (ratio == best and basis[i] < basis[leave]):
                    leave, best = i, ratio
        if leave < 0:
            raise ArithmeticError("unbounded linear program")
        piv = T[leave][enter]
        T[leave] = [x / piv for x in T[leave]]
        for i in range(m):
            if i != leave and T[i][enter] != 0:
                f = T[i][enter]
                T[i] = [x - f * y for x, y in zip(T[i], T[leave])]
        basis[leave] = enter
    x = [zero] * (n + m)
    for i in range(m):
        x[basis[i]] = T[i][-1]
    return sum((c[j] * x[j] for j in range(n)), zero), x[:n]


def solve(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Exact Gauss-Jordan elimination; None when the square system is singular.

    Examples
    --------
    >>> solve([[Fraction(2), Fraction(1)], [Fraction(1), Fraction(3)]], [Fraction(3), Fraction(5)])
    [Fraction(4, 5), Fraction(7, 5)]
    """
    n = len(matrix)
    a = [row[:] + [b] for row, b in zip(matrix, rhs)]
    for col in range(n):
        piv = next((r for r in range(col, n) if a[r][col] != 0), None)
        if piv is None:
            return None
        a[col], a[piv] = a[piv], a[col]
        pv = a[col][col]
        a[col] = [x / pv for x in a[col]]
        for r in range(n):
            if r != col and a[r][col] != 0:
                f = a[r][col]
                a[r] = [x - f * y for x, y in zip(a[r], a[col])]
    return [a[r][n] for r in range(n)]


def strict_point(rows: list[list[sympy.Expr]], size: int) -> tuple[sympy.Expr, ...] | None:
    """A point ``x > 0`` with ``sum x = 1`` and ``row . x <= 0`` for every row, or None if none exists.

    Exact vertex enumeration of the polytope ``{x >= 0, sum x = 1, rows x <= 0}``
    (rational arithmetic): a strictly positive point exists iff every
    coordinate is positive at some vertex, and then the average of the
    vertices is one.

    Examples
    --------
    >>> strict_point([[sympy.Integer(1), sympy.Integer(-1)]], 2)  # x_0 <= x_1
    (1/4, 3/4)
    """
    cons = [[Fraction(-1 if k == j else 0) for k in range(size)] for j in range(size)]
    cons += [[fmpq_to_frac(c) for c in row] for row in rows]
    vertices = []
    for tight in itertools.combinations(range(len(cons)), size - 1):
        x = solve([[Fraction(1)] * size] + [cons[t] for t in tight], [Fraction(1)] + [Fraction(0)] * (size - 1))
        if x is None:
            continue
        if all(sum(c * v for c, v in zip(con, x)) <= 0 for con in cons) and x not in vertices:
            vertices.append(x)
    if not vertices or any(all(v[k] == 0 for v in vertices) for k in range(size)):
        return None
    avg = [sum(v[k] for v in vertices) / len(vertices) for k in range(size)]
    return tuple(sympy.Rational(a.numerator, a.denominator) for a in avg)
