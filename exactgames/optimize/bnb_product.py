"""Certified global optimum among P-invariant profiles for several orbits (product of simplices).

For a rational common-payoff game and a subgroup P with orbits ``O_1..O_k``
(``k >= 2``; players of one orbit share an action set ``A_i``), a P-invariant
profile gives every player of orbit i the same strategy ``x^(i)`` in
``Delta(A_i)`` and the expected utility ``f(x^(1), ..., x^(k))`` is a
polynomial of multi-degree ``(|O_1|, ..., |O_k|)`` whose tensor-product
Bernstein coefficients are average payoffs (:mod:`exactgames.optimize.bernstein_product`).
The proof has the structure of :mod:`exactgames.optimize.bnb`, all exact or
rigorous (``arb``):

1. **Candidates.**  Projected gradient ascent with backtracking on every
   simplex factor (numpy floats, several starts) proposes local maxima; each
   is refined by high-precision Newton on its product support face.  Floats
   only *propose*.
2. **Regions.**  For a candidate with supports ``S_i`` and reference actions
   ``r_i in S_i`` the region is the product of corner simplices ``R = prod_i
   {x^(i) in Delta(A_i): x^(i) >= lower^(i)}`` (``lower^(i)_a = x^(i)_a -
   rho`` rounded down on ``S_i``, 0 off it).  With exact tensor Bernstein
   coefficients on ``R`` (python-flint ``fmpq_mpoly`` composition) it is
   proved that every off-support reduced gradient ``d_(i,j) f - d_(i,r_i) f``
   is strictly negative on ``R`` (so any maximiser over ``R`` lies on the
   support face ``F``), and that every tensor Bernstein coefficient matrix of
   the reduced Hessian on ``F`` (entries degree-elevated to one multi-degree)
   is negative definite by exact LDL^T (the Hessian is a convex combination of
   them, so f is strictly concave on ``F``); Krawczyk's operator (``arb``) on
   the combined reduced coordinates maps a box of radius 2^-200 strictly into
   itself, so the unique maximiser over ``R`` lies in that box, in the relative
   interior of ``F``.  The value is enclosed by the mean-value form.
3. **Everything else.**  Branch and bound over products of sub-simplices
   (bisect the longest edge of one factor, exact integer coefficients) until
   every cell lies inside a certified region or has all its Bernstein
   coefficients strictly below ``L``, the largest proved lower end.

When a cell corner beats ``L`` outside every region the float search restarts
there; when that finds nothing certifiable, the corner's exact value becomes
``L`` (it is attained).  When limits run out the result says
``complete=False`` with, when available, a proved enclosure of the maximum.

**Ties and continua** (as in :mod:`exactgames.optimize.bnb`).  The best pure
profile's payoff, or a cell corner's exact EU, is an *attained* value ``v``; a
cell whose coefficients are all at most ``v`` is pruned weakly: ``f <= v``
there, and ``f = v`` exactly on the cell faces (products of faces of the
factor simplices) all of whose coefficients equal ``v``
(:meth:`ProductBernstein.faces_at`).  So when the maximum is attained outside
every region the maximiser set is known exactly: points, or continua reported
as whole faces of the product of simplices when f is identically ``v`` there
(every average payoff of the face equals ``v``), otherwise as the cell faces.
Certified maxima whose enclosures overlap are compared by exact values (a
payoff, or the exact KKT point of the region's product face found by
:func:`exactgames.optimize.kkt.kkt_points` inside the region, where f is
strictly concave); equal values are reported as ties, one strategy per orbit.
A continuum not along cell faces (e.g. a diagonal) is never claimed: the
subdivision runs out of depth or cells and the result is incomplete with a
proved enclosure.  The certificate (kind ``"bnb-product-v1"``) is re-checked by
:mod:`proofs_check.checker_product`.

Examples
--------
>>> from exactgames.model.game import Game
>>> g = Game.from_common([["a", "b"]] * 2, {("a", "b"): 2, ("b", "a"): 1, ("a", "a"): 1})
>>> r = certified_optimum_product(g, [[0], [1]])
>>> r.complete, r.value, r.support, r.certificate["kind"]
(True, 2, ((0,), (1,)), 'bnb-product-v1')
"""
from __future__ import annotations

import time
import warnings
from fractions import Fraction
from typing import Any, Callable, Sequence

import numpy as np
import sympy

from exactgames.model.game import AnonymousGame, Game
from exactgames.optimize.bernstein_product import ProductBernstein, ProductCell
from exactgames.optimize.bnb import BnbLimits
from exactgames.optimize.product_form import ProductSetup, product_setup
from exactgames.optimize.product_regions import (
    KIND,
    METHOD,
    PREC,
    ProductRegion,
    _candidate_region,
    _FloatProduct,
    _random_start,
)
from exactgames.optimize.result import OptimumResult
from exactgames.optimize.subdivision import NeedCandidate, OutOfLimits, Tree, approx, check_limits, close_by_bounds, open_upper

__all__ = ["certified_optimum_product", "certified_optimum_setup", "product_setup", "ProductSetup", "ProductRegion", "METHOD", "KIND"]

# --------------------------------------------------------------------------- branch and bound
def _bnb(
    pb: ProductBernstein, regions: list[ProductRegion], state: dict, limits: BnbLimits, t0: float,
    propose: Callable[[tuple], bool], progress: Callable[[dict], None] | None = None,
) -> Tree:
    """Subdivide until every cell is pruned, weakly pruned or inside a region.

    Pruned: all coefficients < ``state["threshold"]``.  Weakly pruned: all coefficients
    <= ``state["attained"][0]``, a value attained at a known rational point, while it is the threshold.
    """
    tree = Tree()
    stack: list[ProductCell] = [pb.root()]
    processed = 0
    proposals = 0
    last = time.perf_counter()
    while stack:
        cell = stack.pop()
        processed += 1
        last = check_limits(pb, cell, stack, regions, processed, limits, t0, state, progress, last)
        threshold = state["threshold"]
        if close_by_bounds(pb, cell, state, tree, lambda c, f: tuple(tuple(c.vertex(i, p) for p in fi) for i, fi in enumerate(f))):
            continue
        hit = next((k for k, r in enumerate(regions) if r.contains_cell(cell)), None)
        if hit is not None:
            tree.tokens.append(["r", hit])
            tree.leaves += 1
            tree.in_region += 1
            continue
        choice, best = max(pb.corner_values(cell), key=lambda t: t[1])
        if best > threshold and not any(r.contains_corner(cell, choice) for r in regions):
            # a point better than every certified maximiser: the float search missed something
            proposals += 1
            if proposals > limits.max_restarts * 4 or not propose(cell.point(choice)):
                # nothing certifiable there (a continuum of maximisers?): the corner's exact value is a proved
                # lower bound of the maximum, attained at a known point; go on with it as the threshold
                state["attained"] = (best, cell.point(choice))
                state["threshold"] = best
            stack.append(cell)
            processed -= 1
            continue
        if cell.depth >= limits.max_depth:
            raise NeedCandidate(cell.centroid(), open_upper(pb, stack + [cell], regions))
        i, p, q = pb.longest_edge(cell)
        left, right = pb.split(cell, i, p, q)
        tree.tokens.append([i, p, q])
        stack.append(right)
        stack.append(left)
    return tree


# --------------------------------------------------------------------------- main entry
def _incomplete(s: ProductSetup, reason: str, cert: dict, interval: tuple | None = None) -> OptimumResult:
    return OptimumResult(
        value=sympy.nan, value_interval=interval or (Fraction(0), Fraction(0)), orbits=s.orbits, actions=s.actions,
        strategies=(), support=(), mixed=False, value_exact=False, complete=False, method=METHOD, reason=reason, certificate=cert,
    )


def _same_region(a: ProductRegion, b: ProductRegion) -> bool:
    return a.supports == b.supports and all(
        abs(x - y) < Fraction(1, 10**20) for pa, pb_ in zip(a.point, b.point) for x, y in zip(pa, pb_)
    )


def certified_optimum_product(
    game: Game | AnonymousGame,
    orbits: Sequence[Sequence[int]],
    width: Fraction = Fraction(1, 10**30),
    limits: BnbLimits | None = None,
    seed: int = 0,
    progress: Callable[[dict], None] | None = None,
) -> OptimumResult:
    """Proved global maximum of the EU over P-invariant profiles, for orbits ``O_1..O_k`` of P.

    Parameters
    ----------
    game : Game or AnonymousGame
        Rational payoffs, common payoff.
    orbits : list of lists of 0-based players
        A partition of the players; players of one orbit share an action set.
        With a single orbit the one-simplex route
        :func:`exactgames.optimize.bnb.certified_optimum` runs instead.
    width : Fraction
        Required width of the value enclosure.
    limits : BnbLimits, optional
        Cells, depth, candidate restarts and wall time.
    seed : int
        Seed of the float search's starting points (proposals only; the proof does not depend on it).
    progress : callable, optional
        Called about twice a second during the branch and bound with a dict
        (``cells_done``, ``cells_left``, ``depth``, ``threshold``, ``gap``).

    Returns
    -------
    OptimumResult
        ``orbits``, ``actions``, ``strategies`` and ``support`` per orbit.
        ``complete=True`` only with a proof: ``value_interval`` encloses the
        maximum, ``support`` is exact, ``strategies`` are rational points of
        the Krawczyk box (exact for a pure optimum), ``value`` is exact for a
        pure optimum and otherwise the enclosure's midpoint (``value_exact``
        False); ``ties`` lists other optimal profiles (one strategy per orbit)
        and descriptions (``"continuum: ..."``) of continua of maximisers.
        When the maximum is attained outside every certified region (a
        continuum, or a flat maximum) the value and strategies are exact
        rationals and ``certificate["winner"]`` is None.
        ``complete=False`` (with ``reason``) when limits run out or maxima
        cannot be separated: nothing is claimed except that ``value_interval``,
        when not (0, 0), is a proved enclosure of the maximum.  The certificate
        (kind ``"bnb-product-v1"``) is checked by :func:`proofs_check.checker.check_certificate`.

    Examples
    --------
    The robot butlers of Appendix C with the half-turn orbits: alternate food and drink (two tied optima).

    >>> from exactgames.paper_games import robot_butlers
    >>> r = certified_optimum_product(robot_butlers(), [[0, 2], [1, 3]])
    >>> r.complete, r.value, r.strategies, len(r.ties)
    (True, 8, ((1, 0), (0, 1)), 1)

    A continuum: the third player's action does not matter once the first two play ``a``.

    >>> g = Game.from_common([["a", "b"]] * 3, lambda p: 1 if p[0] == p[1] == "a" else 0)
    >>> r = certified_optimum_product(g, [[0, 1], [2]])
    >>> r.complete, r.value, r.strategies, r.certificate["winner"]
    (True, 1, ((1, 0), (1, 0)), None)
    >>> r.ties
    ('continuum: EU = 1 on the whole face {a} x {a,b} (orbit by orbit; every average payoff there equals 1)',)
    """
    orbs = [list(o) for o in orbits]
    if len(orbs) == 1:
        from exactgames.optimize.bnb import certified_optimum

        return certified_optimum(game, orbs, width=width, limits=limits, seed=seed, progress=progress)
    t0 = time.perf_counter()
    s = product_setup(game, orbs)
    return _optimum_on_setup(s, lambda r: _region_exact(game, s, r), width, limits, seed, progress, t0)


def certified_optimum_setup(
    setup: ProductSetup,
    width: Fraction = Fraction(1, 10**30),
    limits: BnbLimits | None = None,
    seed: int = 0,
    progress: Callable[[dict], None] | None = None,
    exact_region: Callable[[ProductRegion], tuple | None] | None = None,
) -> OptimumResult:
    """Proved global maximum of a multi-homogeneous polynomial given as a :class:`ProductSetup`, over its product of simplices.

    The same certified branch and bound as :func:`certified_optimum_product` (same
    certificate kind), for a polynomial built by the caller, e.g. the expected payoff
    of shared behaviour strategies of a game tree (:mod:`exactgames.sequential`):
    ``setup.coef`` must be homogeneous of degree ``setup.sizes[i]`` in factor i's
    ``setup.ms[i]`` variables.  ``setup.orbits`` only labels the factors.  Without a
    game, certified maxima with overlapping enclosures are compared exactly only
    through ``exact_region`` (a region -> ``(FieldElement value, profile)`` or None);
    by default only pure regions get exact values, so such maxima may stay undecided
    (``complete=False``, with the proved enclosure).

    Examples
    --------
    >>> s = ProductSetup(((0,), (1,)), (1, 1), (2, 2), (("a", "b"), ("a", "b")), {(1, 0, 0, 1): Fraction(2), (0, 1, 1, 0): Fraction(1)})
    >>> r = certified_optimum_setup(s)
    >>> r.complete, r.value, r.strategies
    (True, 2, ((1, 0), (0, 1)))
    """
    t0 = time.perf_counter()
    if exact_region is None:
        exact_region = lambda r: _region_exact(None, setup, r) if all(len(S) == 1 for S in r.supports) else None  # noqa: E731
    return _optimum_on_setup(setup, exact_region, width, limits, seed, progress, t0)


def _optimum_on_setup(
    s: ProductSetup, exact_region: Callable[[ProductRegion], tuple | None], width: Fraction, limits: BnbLimits | None,
    seed: int, progress: Callable[[dict], None] | None, t0: float,
) -> OptimumResult:
    """The branch and bound on a built setup; ``exact_region`` gives a region's exact value when derivable."""
    limits = limits or BnbLimits()
    k = len(s.ms)
    cert: dict[str, Any] = {"kind": KIND, "orbits": [list(o) for o in s.orbits], "sizes": list(s.sizes), "ms": list(s.ms)}
    pb = s.bernstein
    if all(m == 1 for m in s.ms):
        v = s.pure_value([0] * k)
        return OptimumResult(
            value=sympy.Rational(v.numerator, v.denominator), value_interval=(v, v), orbits=s.orbits, actions=s.actions,
            strategies=tuple((sympy.Integer(1),) for _ in s.ms), support=tuple((0,) for _ in s.ms), mixed=False, method=METHOD,
            certificate={**cert, "regions": [], "tree": [], "threshold": str(v), "winner": -1, "ties": []},
        )
    fe = _FloatProduct(s)
    rng = np.random.default_rng(seed)
    regions: list[ProductRegion] = []
    failed = 0
    restarts = 0

    def add(x: np.ndarray) -> None:
        nonlocal failed
        reg = _candidate_region(s, x, fe)
        if reg is None:
            failed += 1
            return
        if not any(_same_region(reg, r) for r in regions):
            regions.append(reg)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        M = sum(s.ms)
        starts = [np.concatenate([np.full(m, 1.0 / m) for m in s.ms])] + [_random_start(s.ms, rng) for _ in range(M + 1)]
        proposals = list(fe.ascend_batch(np.array(starts)))
        corners = sorted(pb.corner_values(pb.root()), key=lambda t: -t[1])[:3]
        for choice, _ in corners:
            proposals.append(np.concatenate([np.eye(m)[p] for m, p in zip(s.ms, choice)]))
        vals = [fe.value(x) for x in proposals]
        top = max(vals)
        spread = max(abs(top), 1e-12)
        ranked = sorted(zip(proposals, vals), key=lambda t: -t[1])
        for x, v in ranked:
            if v >= top - 1e-6 * spread - 1e-12 or not regions:
                add(x)
        if not regions:
            centroid = starts[0]
            for x, _ in ranked[:3]:
                add(fe.ascend(0.9 * x + 0.1 * centroid))
    state: dict = {}

    def propose(point: tuple) -> bool:
        x0 = np.concatenate([np.array([float(v) for v in xi]) for xi in point])
        before = len(regions)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            add(fe.ascend(x0))
            if len(regions) == before:
                add(fe.ascend(0.9 * x0 + 0.1 * np.concatenate([np.full(m, 1.0 / m) for m in s.ms])))
            if len(regions) == before:
                add(x0)
        if len(regions) > before:
            state["threshold"] = max(state["threshold"], max(r.value_interval[0] for r in regions[before:]))
            return True
        return False

    root_corners = pb.corner_values(pb.root())
    best_choice, best_pure = max(root_corners, key=lambda t: t[1])
    while True:
        if limits.time_limit is not None and time.perf_counter() - t0 > limits.time_limit:
            return _incomplete(s, f"time limit {limits.time_limit} s reached", cert)
        # the best pure profile's payoff is attained: a proved lower bound even when no region could be certified
        state["attained"] = (best_pure, tuple(tuple(Fraction(int(a == p)) for a in range(m)) for m, p in zip(s.ms, best_choice)))
        state["threshold"] = max([r.value_interval[0] for r in regions] + [best_pure])
        try:
            tree = _bnb(pb, regions, state, limits, t0, propose=propose, progress=progress)
            break
        except NeedCandidate as need:
            restarts += 1
            if restarts > limits.max_restarts or not propose(need.point):
                interval = (state["threshold"], max(need.upper, state["threshold"])) if need.upper is not None else None
                return _incomplete(
                    s, f"maximum subdivision depth {limits.max_depth} reached with nothing certifiable there (a degenerate "
                    "maximiser, or a continuum of maximisers not along cell faces?); value_interval is the proved enclosure so far",
                    cert, interval,
                )
        except OutOfLimits as exc:
            interval = (state["threshold"], max(exc.upper, state["threshold"])) if exc.upper is not None else None
            return _incomplete(s, f"branch and bound ran out of limits: {exc}; value_interval is the proved enclosure so far", cert,
                               interval)
    threshold = state["threshold"]
    att_v, att_pt = state["attained"]
    decided = _decide(exact_region, s, regions, att_v)
    if isinstance(decided, str):
        lo = max([r.value_interval[0] for r in regions] + [att_v])
        return _incomplete(s, decided, cert, (lo, max([r.value_interval[1] for r in regions] + [att_v])))
    winners, resolved, exact_vals = decided
    faces = [f for level, fs in tree.level_faces if level == att_v for f in fs]
    if -1 in winners:
        region_points = {regions[j].point for j in winners if j >= 0}
        only_points = all(all(len(fi) == 1 for fi in f) for f in faces)
        face_points = {tuple(fi[0] for fi in f) for f in faces}
        if len(winners) > 1 and only_points and face_points <= region_points and att_pt in region_points:
            winners = [j for j in winners if j >= 0]  # the attained point is a certified region's: report the regions
        else:  # the maximum is attained where no region was certified (e.g. a continuum of maximisers)
            return _attained_result(s, pb, regions, winners, exact_vals, att_v, att_pt, faces, tree, threshold, cert,
                                    resolved, restarts, failed, t0)
    win = winners[0]
    ties = winners[1:]
    wlo, whi = regions[win].value_interval
    wr = regions[win]
    if whi - wlo > Fraction(width):
        return _incomplete(s, f"value enclosure width {approx(whi - wlo)} exceeds {approx(Fraction(width))}", cert, (wlo, whi))
    exact = wlo == whi
    value = sympy.Rational(wlo.numerator, wlo.denominator) if exact else _rational((wlo + whi) / 2)
    strategies = tuple(tuple(_rational(p) for p in xi) for xi in wr.point)
    tie_strats = tuple(_tie_profile(regions[j], exact_vals.get(j)) for j in ties)
    cert.update(
        {
            "threshold": str(threshold),
            "regions": [r.to_json() for r in regions],
            "winner": win,
            "ties": ties,
            "ties_resolved_exactly": resolved,
            "attained": [str(att_v), [[str(x) for x in xi] for xi in att_pt]],
            "tree": tree.tokens,
            "leaves": tree.leaves,
            "pruned": tree.pruned,
            "in_region": tree.in_region,
            "weak": tree.weak,
            "max_depth": tree.max_depth,
            "prec": PREC,
            "strategies_exact": all(len(S) == 1 for S in wr.supports),
            "restarts": restarts,
            "failed_candidates": failed,
            "seconds": time.perf_counter() - t0,
        }
    )
    return OptimumResult(
        value=value, value_interval=(wlo, whi), orbits=s.orbits, actions=s.actions, strategies=strategies, support=wr.supports,
        mixed=any(len(S) > 1 for S in wr.supports), value_exact=exact, ties=tie_strats, complete=True, method=METHOD,
        certificate=cert,
    )


# --------------------------------------------------------------------------- exact values, ties and continua
def _region_exact(game: Game | AnonymousGame | None, s: ProductSetup, r: ProductRegion, time_limit: float = 5.0) -> tuple | None:
    """The exact value (``FieldElement``) and maximiser (sympy profile) of a region, or None when not derived.

    A pure region's value is a payoff.  Otherwise the exact critical points of the
    region's product support face (:func:`exactgames.optimize.kkt.kkt_points`) are
    enumerated and the one inside the region is taken: f is proved strictly concave
    on the region's part of that face, so it has at most one critical point there,
    the region's maximiser.
    """
    from exactgames.optimize.algebraic import FieldElement, rational

    if all(len(S) == 1 for S in r.supports):
        v = s.pure_value(r.refs)
        return FieldElement.of(rational(v)), tuple(tuple(sympy.Integer(int(x)) for x in xi) for xi in r.point)
    if game is None:
        return None
    from exactgames.optimize.kkt import kkt_points

    order = sorted(range(len(s.orbits)), key=lambda i: s.orbits[i])  # kkt_points works with the sorted orbits
    try:
        sr = kkt_points(game, [s.orbits[i] for i in order], [r.supports[i] for i in order], time_limit=time_limit)
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
    exact values (:func:`_region_exact`, :func:`exactgames.optimize.algebraic.compare_elements`).
    Returns ``(winners, resolved, exact)``: winners (a certified region first), whether an
    irrational enclosure had to be resolved exactly, and the exact (value, profile) per region.
    """
    from exactgames.optimize.algebraic import FieldElement, compare_elements, rational

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
            vals[j] = FieldElement.of(rational(att_v))
            continue
        got = exact_region(regions[j])
        if got is None:
            lo = regions[j].value_interval[0]
            return (f"certified local maxima with overlapping value enclosures near {approx(lo)}: the exact value of the one "
                    f"on supports {[list(S) for S in regions[j].supports]} was not derived, so they cannot be separated")
        vals[j] = got[0]
        exact[j] = got
    best = order[0]
    for j in order[1:]:
        if compare_elements(vals[j], vals[best]) > 0:
            best = j
    winners = [j for j in order if j == best or compare_elements(vals[j], vals[best]) == 0]
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
            ties.append(f"continuum: EU = {v} on the whole face {_face_text(s, g)} (orbit by orbit; every average payoff "
                        f"there equals {v})")
        if rest:
            shown = "; ".join(
                " x ".join("conv{" + ", ".join("(" + ", ".join(str(x) for x in vert) + ")" for vert in fi) + "}" for fi in f)
                for f in rest[:3]
            )
            ties.append(f"continuum: EU = {v} on {len(rest)} face{'s' if len(rest) != 1 else ''} of subdivision cells (orbit by orbit): {shown}"
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

