"""Exact algebraic value of a certified optimum on a two-action support (edge of the simplex).

On the edge ``x_a = t, x_r = 1 - t`` the symmetric EU is the univariate
polynomial ``f(t) = sum_k u(k e_a + (n-k) e_r) C(n, k) t^k (1-t)^(n-k)``.  The
certified maximiser is the unique root of ``f'`` in the Krawczyk interval; its
factor of ``f'`` (python-flint) and the root's index (Sturm counting in python-flint)
give an exact ``CRootOf``.  The value is the root of the irreducible factor
of ``res_t(p(t), v - f(t))`` lying in the certified value enclosure.

Examples
--------
>>> from fractions import Fraction
>>> pay = {(2, 0): Fraction(0), (1, 1): Fraction(1), (0, 2): Fraction(0)}
>>> t, v = edge_exact(pay, 2, 0, 1, (Fraction(1, 3), Fraction(2, 3)), (Fraction(1, 4), Fraction(3, 4)))
>>> t, v
(1/2, 1/2)
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Mapping

import flint
import sympy

__all__ = ["edge_exact"]

_T = sympy.Symbol("t")
_V = sympy.Symbol("v")


def _to_sympy(p: flint.fmpq_poly, x: sympy.Symbol) -> sympy.Poly:
    coeffs = [sympy.Rational(int(c.p), int(c.q)) for c in p.coeffs()]
    return sympy.Poly(list(reversed(coeffs)), x, domain="QQ")


def _sturm(p: flint.fmpq_poly) -> list[flint.fmpq_poly]:
    """The Sturm sequence of a squarefree polynomial (python-flint exact arithmetic)."""
    seq = [p, p.derivative()]
    while seq[-1].degree() > 0:
        r = -(seq[-2] % seq[-1])
        if r.is_zero():
            break
        seq.append(r)
    return seq


def _variations(seq: list[flint.fmpq_poly], x: flint.fmpq | None, sign_at_minus_inf: bool = False) -> int:
    """Sign changes of the sequence at ``x`` (zeros skipped), or at minus infinity."""
    signs = []
    for q in seq:
        if sign_at_minus_inf:
            lead = q.coeffs()[-1]
            s = (1 if lead > 0 else -1) * (-1 if q.degree() % 2 else 1)
        else:
            v = q(x)
            s = (v > 0) - (v < 0)
        if s:
            signs.append(s)
    return sum(1 for a, b in zip(signs, signs[1:]) if a != b)


def _count_roots(seq: list[flint.fmpq_poly], lo: flint.fmpq, hi: flint.fmpq) -> int:
    """Distinct real roots in the closed interval ``[lo, hi]`` (as sympy's ``Poly.count_roots(lo, hi)``)."""
    return _variations(seq, lo) - _variations(seq, hi) + (seq[0](lo) == 0)


def _select_root(factors: list, interval: tuple[Fraction, Fraction], x: sympy.Symbol) -> tuple[sympy.Expr, sympy.Poly] | None:
    """The factor with exactly one root in the closed interval (None unless exactly one factor has one) and that root.

    Root counts by Sturm sequences of the irreducible (so squarefree) flint factors; the root is a sympy
    Rational, or ``CRootOf`` with its index among the real roots when it lies strictly inside the interval.
    """
    qlo, qhi = (flint.fmpq(q.numerator, q.denominator) for q in interval)
    hits = []
    for fac in factors:
        if fac.degree() < 1:
            continue
        seq = _sturm(flint.fmpq_poly(fac))
        if _count_roots(seq, qlo, qhi) == 1:
            hits.append((fac, seq))
    if len(hits) != 1:
        return None
    fac, seq = hits[0]
    sp = _to_sympy(fac, x)
    if sp.degree() == 1:
        c1, c0 = sp.all_coeffs()
        return -c0 / c1, sp
    if fac(qlo) == 0 or fac(qhi) == 0:  # keep the root strictly inside
        return None
    below = _variations(seq, None, sign_at_minus_inf=True) - _variations(seq, qlo)  # real roots below lo
    return sympy.CRootOf(sp, int(below)), sp


def edge_exact(
    payoffs: Mapping[tuple[int, ...], Fraction], n: int, a: int, r: int, t_interval: tuple[Fraction, Fraction],
    value_interval: tuple[Fraction, Fraction], max_degree: int = 16,
) -> tuple[sympy.Expr, sympy.Expr] | None:
    """Exact ``(x_a, value)`` of the certified maximiser on the edge {a, r}, or None when not derived.

    Parameters
    ----------
    payoffs : mapping count vector -> Fraction
    n : int
        Number of players.
    a, r : int
        The two support actions (``x_a = t``, ``x_r = 1 - t``).
    t_interval : (Fraction, Fraction)
        Certified interval holding the unique critical point.
    value_interval : (Fraction, Fraction)
        Certified enclosure of the value.
    max_degree : int
        Give up above this degree of ``f'``.
    """
    m = len(next(iter(payoffs)))
    poly_t = flint.fmpq_poly([0, 1])
    one_minus = flint.fmpq_poly([1, -1])
    f = flint.fmpq_poly([0])
    for k in range(n + 1):
        c = [0] * m
        c[a] += k
        c[r] += n - k
        u = Fraction(payoffs[tuple(c)])
        if u:
            f += flint.fmpq_poly([flint.fmpq(u.numerator, u.denominator) * math.comb(n, k)]) * poly_t**k * one_minus ** (n - k)
    df = f.derivative()
    if df.degree() < 1 or df.degree() > max_degree:
        return None
    _, facs = df.factor()
    sel = _select_root([fac for fac, _ in facs], t_interval, _T)
    if sel is None:
        return None
    t_root, p = sel
    if t_root.is_Rational:
        val = sum(sympy.Rational(int(c.p), int(c.q)) * t_root**i for i, c in enumerate(f.coeffs()))
        return t_root, val
    # value = the root in the enclosure of a factor of res_t(p(t), v - f(t))
    ctx = flint.fmpq_mpoly_ctx.get(("t", "v"), "lex")
    tt, vv = ctx.gens()
    pm = ctx.from_dict({(i, 0): flint.fmpq(int(sympy.numer(c)), int(sympy.denom(c))) for (i,), c in p.terms()})
    fm = ctx.from_dict({(i, 0): c for i, c in enumerate(f.coeffs()) if c != 0})
    res = pm.resultant(vv - fm, "t")
    coeffs = {}
    for (i, j), c in res.terms():
        coeffs[j] = c
    deg = max(coeffs)
    rv = flint.fmpq_poly([coeffs.get(j, 0) for j in range(deg + 1)])
    _, vfacs = rv.factor()
    sel_v = _select_root([fac for fac, _ in vfacs], value_interval, _V)
    if sel_v is None:
        return None
    return t_root, sel_v[0]
