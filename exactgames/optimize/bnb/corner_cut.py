"""Cutting a certified region's corner simplex out of the subdivision with stellar splits.

A certified region is a product of corner simplices ``R_i = {x^(i) >= l^(i)}``
(:class:`exactgames.optimize.bnb.regions.ProductRegion`).  Around a maximiser
on a low-dimensional face of a high-dimensional simplex (random 2x20: an edge
of a 19-simplex), midpoint bisection needs every edge of a cell halved before
the cell fits inside ``R``: the subdivision ran out of depth or cells there.
Instead, for each factor a dyadic point ``z`` and a dyadic ratio ``s`` with
``z + s (Delta - z)`` inside ``R_i`` are chosen (:func:`cut_plan`).  A cell
that contains ``z`` is split at ``z`` (a stellar split: one child per vertex
with positive weight, where that vertex becomes ``z``); a cell with vertex
``z`` has each edge ``(z, u)`` with ``u`` outside ``R_i`` split at ``z + s (u
- z)``.  After at most ``m_i`` such splits the child at ``z`` lies inside ``R``
and is closed by the region; the other children no longer contain ``z`` and
are bisected as usual.

Both splits are the checker's stellar token ``["c", factor, weights]``
(weights: barycentric coordinates of the new vertex in the cell, dyadic, with
a common denominator of at most ``2**39``), so the checker replays them with no
new rule.

Examples
--------
>>> from fractions import Fraction as F
>>> plan = cut_plan((F(3, 8), F(0), F(1, 2)))           # R = {x_0 >= 3/8, x_2 >= 1/2} in the 2-simplex
>>> plan.s, plan.z, sum(plan.z)
(Fraction(1, 16), (Fraction(13, 32), Fraction(0, 1), Fraction(19, 32)), Fraction(1, 1))
>>> all(((1 - plan.s) * z + plan.s * (a == j)) >= l for j in range(3) for a, (z, l) in enumerate(zip(plan.z, plan.lower)))
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import flint

__all__ = ["CutPlan", "cut_plan", "corner_cut", "MAX_WEIGHT_BITS"]

#: the checker's bound on a stellar split's common denominator is 10**12: dyadic weights up to 2**39
MAX_WEIGHT_BITS = 39


@dataclass(frozen=True)
class CutPlan:
    """One factor's corner simplex ``{x >= lower}``, the dyadic point ``z`` and ratio ``s`` with
    ``z + s (Delta - z)`` inside it."""

    lower: tuple[Fraction, ...]
    z: tuple[Fraction, ...]
    s: Fraction


def _pow2_floor(q: Fraction) -> Fraction:
    """The largest power of 2 at most ``q`` (``0 < q <= 1``)."""
    p = Fraction(1)
    while p > q:
        p /= 2
    return p


def cut_plan(lower: Sequence[Fraction]) -> CutPlan | None:
    """The point and ratio for the corner simplex ``{x >= lower}`` (None when it is too small to cut out).

    ``s`` is the largest power of 2 at most half the corner's size ``1 - sum(lower)``; ``z`` rounds
    ``lower / (1 - s)`` up to a dyadic grid fine enough that it still sums to at most 1, the largest
    coordinate taking the rest.  Then every vertex ``(1 - s) z + s e_j`` of ``z + s (Delta - z)`` is at least
    ``lower``.  See the module's example.
    """
    lower = tuple(Fraction(v) for v in lower)
    size = 1 - sum(lower)
    if size <= 0:
        return None
    s = _pow2_floor(size / 2)
    m = len(lower)
    grid = 1
    while Fraction(m, grid) > s / 2:
        grid *= 2
    ref = max(range(m), key=lambda a: lower[a])
    z = [Fraction(math.ceil(lo / (1 - s) * grid), grid) if a != ref else Fraction(0) for a, lo in enumerate(lower)]
    z[ref] = 1 - sum(z)
    if z[ref] * (1 - s) < lower[ref] or s.denominator.bit_length() - 1 > MAX_WEIGHT_BITS:
        return None
    return CutPlan(lower, tuple(z), s)


def _barycentric(verts: Sequence[Sequence[int]], scale: int, z: Sequence[Fraction]) -> list[Fraction] | None:
    """Weights ``lam`` with ``sum_k lam_k verts[k] / scale = z`` (exact), or None when ``z`` is outside the cell."""
    m = len(verts)
    target = [q * scale for q in z]
    for a in range(len(z)):  # a cheap bounding-box test first
        col = [v[a] for v in verts]
        if target[a] < min(col) or target[a] > max(col):
            return None
    M = flint.fmpq_mat(m, m, [verts[k][a] for a in range(m) for k in range(m)])
    rhs = flint.fmpq_mat(m, 1, [flint.fmpq(t.numerator, t.denominator) for t in target])
    try:
        sol = M.solve(rhs)
    except ZeroDivisionError:  # pragma: no cover - a cell is never degenerate
        return None
    lam = [Fraction(int(sol[k, 0].p), int(sol[k, 0].q)) for k in range(m)]
    return lam if all(x >= 0 for x in lam) else None


def _inside(verts: Sequence[Sequence[int]], scale: int, lower: Sequence[Fraction]) -> bool:
    return all(v[a] * lo.denominator >= lo.numerator * scale for v in verts for a, lo in enumerate(lower))


def _dyadic_ok(lam: Sequence[Fraction]) -> bool:
    return all(x.denominator & (x.denominator - 1) == 0 and x.denominator.bit_length() - 1 <= MAX_WEIGHT_BITS for x in lam)


def corner_cut(vertices: Sequence[Sequence[Sequence[int]]], vexp: Sequence[int],
               plans: Sequence[Sequence[CutPlan | None]]) -> tuple[int, list[Fraction]] | None:
    """The stellar split ``(factor, weights)`` that cuts a region's corner out of the cell, or None.

    ``vertices[i]`` are the integer vertices of factor i (coordinates over ``2**vexp[i]``); ``plans`` one
    :func:`cut_plan` per factor for each region.  A region applies when every factor of the cell contains its
    ``z``; the first factor not yet inside the region is split: at ``z`` when ``z`` is not a vertex, else on the
    edge from ``z`` to a vertex outside the region, at ratio ``s``.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> plan = cut_plan((F(3, 8), F(0), F(1, 2)))
    >>> root = ((1, 0, 0), (0, 1, 0), (0, 0, 1))
    >>> corner_cut([root], [0], [[plan]])                  # the root contains z: split there
    (0, [Fraction(13, 32), Fraction(0, 1), Fraction(19, 32)])
    >>> child = ((13, 0, 19), (0, 32, 0), (0, 0, 32))       # vertex 0 became z (over 2**5)
    >>> corner_cut([child], [5], [[plan]])                 # the edge from z to the vertex x_1 = 1, at s = 1/16
    (0, [Fraction(15, 16), Fraction(1, 16), Fraction(0, 1)])
    """
    for region in plans:
        if any(p is None for p in region):
            continue
        where = []
        for i, plan in enumerate(region):
            lam = _barycentric(vertices[i], 1 << vexp[i], plan.z)
            if lam is None:
                break
            where.append(lam)
        else:
            for i, (plan, lam) in enumerate(zip(region, where)):
                scale = 1 << vexp[i]
                if _inside(vertices[i], scale, plan.lower):
                    continue
                at = [k for k, x in enumerate(lam) if x == 1]
                if not at:
                    return (i, lam) if _dyadic_ok(lam) else None
                p = at[0]
                out = [k for k, v in enumerate(vertices[i]) if not _inside([v], scale, plan.lower)]
                if not out:  # pragma: no cover - then the factor is inside
                    continue
                w = [Fraction(0)] * len(lam)
                w[p], w[out[0]] = 1 - plan.s, plan.s
                return (i, w)
    return None
