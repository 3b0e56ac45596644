"""Exact values, ties and continua of the certified branch and bound (any number of factors).

Certified maxima whose enclosures overlap are compared by exact values (a
payoff; for one orbit and a two-action support the edge eliminant's root,
:func:`exactgames.optimize.bnb.exact.edge_exact`; otherwise the exact KKT
point of the region's face found by :func:`exactgames.optimize.kkt.kkt_points`
inside the region, where f is strictly concave).

Examples
--------
>>> from exactgames.model.numberfield import NFElement
>>> from exactgames.numbers.algebraic import rational
>>> exact_compare(NFElement.of(rational(Fraction(1, 2))), sympy.sqrt(2) / 3)
1
"""

from __future__ import annotations

import time
from fractions import Fraction
from typing import Any, Callable, Sequence

import sympy

from exactgames.model.game import AnonymousGame, Game
from exactgames.optimize.bnb.bernstein import ProductBernstein
from exactgames.optimize.bnb.form import ProductSetup
from exactgames.optimize.bnb.regions import METHOD, PREC, ProductRegion
from exactgames.optimize.bnb.subdivision import Tree, approx
from exactgames.optimize.result import OptimumResult

__all__ = ["exact_compare"]


def exact_compare(a: Any, b: Any) -> int:
    """Sign of ``a - b`` for exact values: number-field elements, or sympy algebraic numbers (edge roots).

    Two :class:`~exactgames.model.numberfield.NFElement` values are compared in the field; otherwise
    both are turned into sympy numbers and compared by :func:`exactgames.model.exact.compare`.
    """
    from exactgames.model.exact import compare
    from exactgames.model.numberfield import NFElement, compare_elements

    if isinstance(a, NFElement) and isinstance(b, NFElement):
        return compare_elements(a, b)
    to = lambda x: x.canonical().to_sympy() if isinstance(x, NFElement) else x  # noqa: E731
    return compare(to(a), to(b))


def _region_exact(game: Game | AnonymousGame | None, s: ProductSetup, r: ProductRegion, time_limit: float = 5.0) -> tuple | None:
    """The exact value (``NFElement``) and maximiser (sympy profile) of a region, or None when not derived.

    A pure region's value is a payoff.  Otherwise the exact critical points of the
    region's product support face (:func:`exactgames.optimize.kkt.kkt_points`) are
    enumerated and the one inside the region is taken: f is proved strictly concave
    on the region's part of that face, so it has at most one critical point there,
    the region's maximiser.
    """
    from exactgames.model.numberfield import NFElement
    from exactgames.numbers.algebraic import rational

    if all(len(S) == 1 for S in r.supports):
        v = s.pure_value(r.refs)
        return NFElement.of(rational(v)), tuple(tuple(sympy.Integer(int(x)) for x in xi) for xi in r.point)
    if game is None:
        return None
    from exactgames.optimize.kkt import kkt_points

    order = sorted(range(len(s.orbits)), key=lambda i: s.orbits[i])  # kkt_points works with the sorted orbits
    prep = s.__dict__.get("_kkt_prep")  # the KKT route's polynomial, when the caller built the setup from it
    try:
        sr = kkt_points(game, [s.orbits[i] for i in order], [r.supports[i] for i in order], time_limit=time_limit,
                        _prep=prep if prep is not None and prep.orbits == tuple(s.orbits[i] for i in order) else None)
    except Exception:  # an optional exact step: None means "not derived"
        return None
    for p in sr.critical:
        strat: list = [None] * len(order)
        for j, i in enumerate(order):
            strat[i] = p.strategies[j]
        inside = True
        for i, S in enumerate(r.supports):
            for a in S:
                lo, _ = strat[i][a].enclosure(Fraction(1, 2**64))
                if lo < r.lower[i][a]:
                    inside = False
        if inside:
            prof = p.sympy_strategies()
            return p.value, tuple(prof[order.index(i)] for i in range(len(order)))
    return None


def _decide(exact_region: Callable[[ProductRegion], tuple | None], s: ProductSetup, regions: list[ProductRegion],
            att_v: Fraction) -> tuple | str:
    """Which candidates attain the maximum: region indices, ``-1`` for the attained point; or why it is undecided.

    Candidates are the regions and the attained point (value ``att_v``).  Any whose enclosure
    lies strictly below the best lower end is out; when several remain they are compared by
    exact values (:func:`_region_exact`, :func:`exact_compare`).
    Returns ``(winners, resolved, exact)``: winners (a certified region first), whether an
    irrational enclosure had to be resolved exactly, and the exact (value, profile) per region.
    """
    from exactgames.model.numberfield import NFElement
    from exactgames.numbers.algebraic import rational

    top_lo = max([r.value_interval[0] for r in regions] + [att_v])
    cont = [j for j, r in enumerate(regions) if r.value_interval[1] >= top_lo]
    if att_v >= top_lo:
        cont.append(-1)
    order = sorted(cont, key=lambda j: (j == -1, regions[j].supports if j >= 0 else (), regions[j].point if j >= 0 else ()))
    if len(order) == 1:
        return order, False, {}
    vals: dict[int, Any] = {}
    exact: dict[int, tuple] = {}
    for j in order:
        if j == -1:
            vals[j] = NFElement.of(rational(att_v))
            continue
        got = exact_region(regions[j])
        if got is None:
            lo = regions[j].value_interval[0]
            sup = regions[j].supports
            where = f"support {list(sup[0])}" if len(sup) == 1 else f"supports {[list(S) for S in sup]}"
            return (f"certified local maxima with overlapping value enclosures near {approx(lo)}: the exact value of the one "
                    f"on {where} was not derived, so they cannot be separated")
        vals[j] = got[0]
        exact[j] = got
    best = order[0]
    for j in order[1:]:
        if exact_compare(vals[j], vals[best]) > 0:
            best = j
    winners = [j for j in order if j == best or exact_compare(vals[j], vals[best]) == 0]
    winners.sort(key=lambda j: j == -1 and len(winners) > 1)  # a certified region first when it ties
    resolved = any(regions[j].value_interval[0] != regions[j].value_interval[1] for j in order if j >= 0)
    return winners, resolved, exact


def _tie_profile(r: ProductRegion, got: tuple | None) -> tuple:
    """A tied region's maximiser as a profile: exact when derived, else the Krawczyk centre."""
    if got is not None:
        return got[1]
    return tuple(tuple(_rational(p) for p in xi) for xi in r.point)


def _face_text(s: ProductSetup, face: Sequence[Sequence[int]]) -> str:
    return " x ".join("{" + ",".join(s.actions[i][a] for a in fi) + "}" for i, fi in enumerate(face))


def _attained_result(
    s: ProductSetup, pb: ProductBernstein, regions: list[ProductRegion], winners: list[int], exact: dict, v: Fraction,
    point: tuple, faces: list, tree: Tree, threshold: Fraction, cert: dict, resolved: bool, restarts: int, failed: int,
    t0: float,
) -> OptimumResult:
    """The maximum ``v`` is attained at a known rational profile outside every certified region.

    Every cell was pruned strictly below the threshold (at most ``v``), weakly (all coefficients
    <= v), or lies in a region not better than ``v``; so the maximisers are the tied regions'
    points and the faces of the weakly pruned cells whose coefficients all equal ``v``
    (:meth:`ProductBernstein.faces_at`).  Positive-dimensional ones are described as whole
    faces of the product of simplices when f is identically ``v`` there (every Bernstein
    coefficient of the face, an average payoff, equals ``v``), else as the cell faces.
    """
    k = len(s.ms)
    faces = list(dict.fromkeys(tuple(tuple(sorted(fi)) for fi in f) for f in faces))  # a face shared by cells once
    points = {tuple(fi[0] for fi in f) for f in faces if all(len(fi) == 1 for fi in f)}
    region_ties = [j for j in winners if j >= 0]
    rational_regions = {regions[j].point for j in region_ties if regions[j].radius == 0}
    points |= rational_regions
    pieces = [f for f in faces if any(len(fi) > 1 for fi in f)]
    cands = points | {point}
    pure = sorted((p for p in cands if all(sum(1 for x in xi if x) == 1 for xi in p)), key=lambda p: [xi.index(1) for xi in p])
    main = pure[0] if pure else min(cands)
    others = sorted(p for p in points if p != main)
    ties: list[Any] = [tuple(tuple(_rational(x) for x in xi) for xi in p) for p in others]
    ties += [_tie_profile(regions[j], exact.get(j)) for j in region_ties if regions[j].radius != 0]
    if pieces:
        # whole product faces on which f is identically v (Bernstein coefficients on the root = average payoffs)
        whole = [f for f in pb.faces_at(pb.root(), v) if any(len(fi) > 1 for fi in f)]
        used = []
        rest = []
        for f in pieces:
            hit = next((g for g in whole if all(all(vert[a] == 0 for vert in fi for a in range(s.ms[i]) if a not in g[i])
                                                 for i, fi in enumerate(f))), None)
            if hit is None:
                rest.append(f)
            elif hit not in used:
                used.append(hit)
        for g in used:
            why = f"every payoff there equals {v}" if k == 1 else f"orbit by orbit; every average payoff there equals {v}"
            ties.append(f"continuum: EU = {v} on the whole face {_face_text(s, g)} ({why})")
        if rest:
            shown = "; ".join(
                " x ".join("conv{" + ", ".join("(" + ", ".join(str(x) for x in vert) + ")" for vert in fi) + "}" for fi in f)
                for f in rest[:3]
            )
            where = "" if k == 1 else " (orbit by orbit)"
            ties.append(f"continuum: EU = {v} on {len(rest)} face{'s' if len(rest) != 1 else ''} of subdivision cells{where}: {shown}"
                        + ("; ... (all in the certificate)" if len(rest) > 3 else ""))
    support = tuple(tuple(a for a in range(s.ms[i]) if main[i][a] > 0) for i in range(k))
    cert.update({
        "threshold": str(threshold), "regions": [r.to_json() for r in regions], "winner": None,
        "ties": region_ties, "ties_resolved_exactly": resolved,
        "attained": [str(v), [[str(x) for x in xi] for xi in point]],
        "maximiser_faces": [[[[str(x) for x in vert] for vert in fi] for fi in f] for f in faces],
        "tree": tree.tokens, "leaves": tree.leaves, "pruned": tree.pruned, "in_region": tree.in_region, "weak": tree.weak,
        "max_depth": tree.max_depth, "prec": PREC, "strategies_exact": True,
        "exact_value_note": "the maximum is a payoff-exact value attained at a rational profile", "restarts": restarts,
        "failed_candidates": failed, "seconds": time.perf_counter() - t0,
    })
    return OptimumResult(
        value=_rational(v), value_interval=(v, v), orbits=s.orbits, actions=s.actions,
        strategies=tuple(tuple(_rational(x) for x in xi) for xi in main), support=support,
        mixed=any(len(S) > 1 for S in support), value_exact=True, ties=tuple(ties), complete=True, method=METHOD,
        certificate=cert,
    )


def _rational(q: Fraction) -> sympy.Rational:
    return sympy.Rational(q.numerator, q.denominator)

