"""Certified global optimum among P-invariant profiles for several orbits (product of simplices).

For a rational common-payoff game and a subgroup P with orbits ``O_1..O_k``
(``k >= 2``; players of one orbit share an action set ``A_i``), a P-invariant
profile gives every player of orbit i the same strategy ``x^(i)`` in
``Delta(A_i)`` and the expected utility ``f(x^(1), ..., x^(k))`` is a
polynomial of multi-degree ``(|O_1|, ..., |O_k|)`` whose tensor-product
Bernstein coefficients are average payoffs (:mod:`exactgames.optimize.bnb.bernstein`).
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
   (exact integer coefficients) until every cell lies inside a certified
   region or has all its Bernstein coefficients strictly below ``L``, the
   largest proved lower end.  A cell is bisected on the longest edge between
   two vertices its largest coefficient puts mass on, unless that edge is
   shorter than half its longest edge (then the longest); a cell that contains
   a region's cut point is first split by stellar splits that cut the region's
   corner simplex out (:mod:`exactgames.optimize.bnb.corner_cut`: random 2x20
   seed 1, an edge maximiser in a 19-simplex, 7709 cells instead of more than
   200000).

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

import dataclasses
import time
import warnings
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Sequence

import numpy as np
import sympy

from exactgames.model.game import AnonymousGame, Game
from exactgames.optimize.bnb.bernstein import ProductBernstein, ProductCell, _split_choice
from exactgames.optimize.bnb.corner_cut import corner_cut, cut_plan
from exactgames.optimize.bnb.floats import _Proposer
from exactgames.optimize.bnb.form import ProductSetup, product_setup
from exactgames.optimize.bnb.outcome import _attained_result, _decide, _rational, _region_exact, _tie_profile
from exactgames.optimize.bnb.regions import KIND, METHOD, PREC, ProductRegion, _candidate_region, candidate_key
from exactgames.optimize.bnb.subdivision import (
    BnbState,
    NeedCandidate,
    OutOfLimits,
    Tree,
    approx,
    check_limits,
    close_by_bounds,
    open_upper,
)
from exactgames.optimize.result import OptimumResult

#: The subdivision strategies tried in turn, each as (split ratio, corner cuts, cell budget; None = the limit's).
#: Split ratio 2 (:func:`~exactgames.optimize.bnb.bernstein._split_choice`): the edge the largest coefficient
#: lives on unless shorter than half the longest edge; 1: always the longest edge.  Corner cuts:
#: :mod:`exactgames.optimize.bnb.corner_cut`.  Random 2x20 seed 1 (an edge maximiser in a 19-simplex): 7709
#: cells (1.8 s) with the first, depth 80 at once with the second; random 2x10 seed 2 (a flat 2-face
#: maximiser): more than 200000 cells with the first, 121607 (3.9 s) with the second.  Regions and the
#: threshold carry over from one strategy to the next; only the tree restarts.  When no certified region has
#: :data:`CUT_MIN_OFF_SUPPORT` off-support directions the last strategy is used at once (random 2x10 seed 9:
#: 0.75 s with it, the first out of its budget).
STRATEGIES: tuple[tuple[float, bool, int | None], ...] = ((2.0, True, 40_000), (1.0, False, None))
#: corner cuts only around maximisers with at least this many off-support directions (random 2x20, 2x30, 3x15:
#: 12-28; below it they cost cells: random 5x8 seed 5, 7 off-support actions, 23263 tokens with cuts, 3211 without)
CUT_MIN_OFF_SUPPORT = 10
#: stellar split tokens per tree (the checker accepts 1000)
MAX_CONES = 900

__all__ = ["certified_optimum_product", "certified_optimum_setup", "optimum_on_setup", "BnbLimits", "ProductSetup",
           "product_setup", "ProductRegion", "METHOD", "KIND"]


@dataclass(frozen=True)
class BnbLimits:
    """Resource limits: cells processed, subdivision depth, candidate restarts, wall time (s)."""

    max_cells: int = 200_000
    max_depth: int = 80
    max_restarts: int = 6
    time_limit: float | None = None


# --------------------------------------------------------------------------- branch and bound
def _bnb(
    pb: ProductBernstein, regions: list[ProductRegion], state: BnbState, limits: BnbLimits, t0: float,
    propose: Callable[[tuple], bool], progress: Callable[[dict], None] | None = None,
    split_ratio: float = 1.0, corner_cuts: bool = False,
) -> Tree:
    """Subdivide until every cell is pruned, weakly pruned or inside a region.

    Pruned: all coefficients < ``state.threshold``.  Weakly pruned: all coefficients
    <= ``state.attained[0]``, a value attained at a known rational point, while it is the threshold.
    ``propose(point)`` runs the float search from ``point`` and certifies what it finds (appending to
    ``regions`` and raising ``state.threshold``); it returns True when something new was certified.
    Raising the threshold later keeps earlier prunes valid (their bounds were below a smaller threshold).
    """
    tree = Tree()
    stack: list[ProductCell] = [pb.root()]
    plans: list = []
    cones = 0
    processed = 0
    proposals = 0
    last = time.perf_counter()
    while stack:
        cell = stack.pop()
        processed += 1
        last = check_limits(pb, cell, stack, regions, processed, limits, t0, state, progress, last)
        threshold = state.threshold
        if close_by_bounds(pb, cell, state, tree, lambda c, f: tuple(tuple(c.vertex(i, p) for p in fi) for i, fi in enumerate(f))):
            continue
        hit = next((k for k, r in enumerate(regions) if r.contains_cell(cell)), None)
        if hit is not None:
            tree.tokens.append(["r", hit])
            tree.leaves += 1
            tree.in_region += 1
            continue
        choice, best = pb.best_corner(cell)
        if best > threshold and not any(r.contains_corner(cell, choice) for r in regions):
            # a point better than every certified maximiser: the float search missed something
            proposals += 1
            if proposals > limits.max_restarts * 4 or not propose(cell.point(choice)):
                # nothing certifiable there (a continuum of maximisers?): the corner's exact value is a proved
                # lower bound of the maximum, attained at a known point; go on with it as the threshold
                state.attained = (best, cell.point(choice))
                state.threshold = best
            stack.append(cell)
            processed -= 1
            continue
        if corner_cuts and cones < MAX_CONES:
            if len(plans) != len(regions):
                plans = [[cut_plan(lo) for lo in r.lower] if _off_support(r) >= CUT_MIN_OFF_SUPPORT else [None]
                         for r in regions]
            cut = corner_cut(cell.vertices, cell.vexp, plans)
            if cut is not None:
                i, lam = cut
                cones += 1
                tree.tokens.append(["c", i, [str(x) for x in lam]])
                for kid in reversed(pb.cone(cell, i, lam)):
                    stack.append(kid)
                continue
        if cell.depth >= limits.max_depth:
            raise NeedCandidate(cell.centroid(), open_upper(pb, stack + [cell], regions))
        i, p, q = _split_choice(pb, cell, split_ratio)
        left, right = pb.split(cell, i, p, q)
        tree.tokens.append([i, p, q])
        stack.append(right)
        stack.append(left)
    return tree


def _off_support(r: ProductRegion) -> int:
    """The number of off-support directions of a region's maximiser (over every factor)."""
    return sum(len(lo) - len(S) for lo, S in zip(r.lower, r.supports))


# --------------------------------------------------------------------------- float proposals
# --------------------------------------------------------------------------- main entries
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
    setup: ProductSetup | None = None,
) -> OptimumResult:
    """Proved global maximum of the EU over P-invariant profiles, for orbits ``O_1..O_k`` of P.

    Parameters
    ----------
    game : Game or AnonymousGame
        Rational payoffs, common payoff.
    orbits : list of lists of 0-based players
        A partition of the players; players of one orbit share an action set.
        With a single orbit this is :func:`exactgames.optimize.bnb.simplex.certified_optimum`
        (the same branch and bound on one factor, certificate kind ``"bnb-simplex-v1"``).
    width : Fraction
        Required width of the value enclosure.
    limits : BnbLimits, optional
        Cells, depth, candidate restarts and wall time.
    seed : int
        Seed of the float search's starting points (proposals only; the proof does not depend on it).
    progress : callable, optional
        Called about twice a second during the branch and bound with a dict
        (``cells_done``, ``cells_left``, ``depth``, ``threshold``, ``gap``).
    setup : ProductSetup, optional
        The game's EU polynomial for these orbits when the caller has built it already.

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
    if len(orbs) == 1:  # the one-factor case (looked up on the package, where callers may wrap it)
        from exactgames.optimize import bnb

        return bnb.certified_optimum(game, orbs, width=width, limits=limits, seed=seed, progress=progress, setup=setup)
    t0 = time.perf_counter()
    s = setup if setup is not None else product_setup(game, orbs)
    return optimum_on_setup(s, lambda r: _region_exact(game, s, r), width, limits, seed, progress, t0)


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
    through ``exact_region`` (a region -> ``(NFElement value, profile)`` or None);
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
    return optimum_on_setup(setup, exact_region, width, limits, seed, progress, t0)


def optimum_on_setup(
    s: ProductSetup, exact_region: Callable[[ProductRegion], tuple | None], width: Fraction = Fraction(1, 10**30),
    limits: BnbLimits | None = None, seed: int = 0, progress: Callable[[dict], None] | None = None, t0: float | None = None,
    n_starts: int | None = None,
) -> OptimumResult:
    """The branch and bound on a built setup, for any number of factors (the certificate in the product form).

    ``exact_region`` gives a region's exact ``(value, profile)`` when derivable (None otherwise);
    ``n_starts`` random float starts besides the centroid (default: the number of variables + 1).

    Examples
    --------
    One factor (one orbit of two players, EU = 2 x_H x_W): the optimum 1/2 at (1/2, 1/2).

    >>> s = ProductSetup(((0, 1),), (2,), (2,), (("H", "W"),), {(1, 1): Fraction(2)})
    >>> r = optimum_on_setup(s, lambda reg: None)
    >>> r.complete, r.support, r.value_interval[0] <= Fraction(1, 2) <= r.value_interval[1]
    (True, ((0, 1),), True)
    """
    return _run(s, exact_region, width, limits, seed, progress, t0, n_starts).result


@dataclass(frozen=True)
class _Run:
    """What the branch and bound hands to its one-factor wrapper: the result, the winning region and its exact value."""

    result: OptimumResult
    winner: ProductRegion | None = None
    exact: tuple | None = None


def _run(
    s: ProductSetup, exact_region: Callable[[ProductRegion], tuple | None], width: Fraction, limits: BnbLimits | None,
    seed: int, progress: Callable[[dict], None] | None, t0: float | None, n_starts: int | None,
) -> _Run:
    limits = limits or BnbLimits()
    t0 = time.perf_counter() if t0 is None else t0
    k = len(s.ms)
    cert: dict[str, Any] = {"kind": KIND, "orbits": [list(o) for o in s.orbits], "sizes": list(s.sizes), "ms": list(s.ms)}
    pb = s.bernstein
    if all(m == 1 for m in s.ms):
        v = s.pure_value([0] * k)
        return _Run(OptimumResult(
            value=sympy.Rational(v.numerator, v.denominator), value_interval=(v, v), orbits=s.orbits, actions=s.actions,
            strategies=tuple((sympy.Integer(1),) for _ in s.ms), support=tuple((0,) for _ in s.ms), mixed=False, method=METHOD,
            certificate={**cert, "regions": [], "tree": [], "threshold": str(v), "winner": -1, "ties": []},
        ))
    prop = _Proposer(s, seed)
    regions: list[ProductRegion] = []
    failed = 0
    restarts = 0
    strategy = 0

    tried: dict[tuple, ProductRegion | None] = {}  # candidate_key -> its outcome (proposals often coincide)

    def add(x: np.ndarray) -> None:
        nonlocal failed
        key = candidate_key(s, x)
        if key in tried:  # the same computation as before, with the same outcome
            reg = tried[key]
        else:
            stop = None if limits.time_limit is None else t0 + limits.time_limit
            reg = _candidate_region(s, x, prop.fe, stop)
            if reg is not None or stop is None or time.perf_counter() < stop:  # an interrupted try is not an outcome
                tried[key] = reg
        if reg is None:
            failed += 1
            return
        if not any(_same_region(reg, r) for r in regions):
            regions.append(reg)

    root_corners = pb.corner_values(pb.root())
    best_choice, best_pure = max(root_corners, key=lambda t: t[1])

    def crude() -> tuple[Fraction, Fraction]:
        """A proved enclosure before the branch and bound: best certified or attained value .. largest root coefficient."""
        return max([r.value_interval[0] for r in regions] + [best_pure]), pb.upper(pb.root())

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if pb.upper(pb.root()) <= best_pure:
            # the best pure profile attains the root cell's largest Bernstein coefficient, an upper bound of the EU:
            # it is a maximiser, and a float search could only propose points of the same value
            proposals = [np.concatenate([np.eye(m)[p] for m, p in zip(s.ms, best_choice)])]
        else:
            proposals = prop.first(pb, n_starts)
        vals = [prop.fe.value(x) for x in proposals]
        top = max(vals)
        spread = max(abs(top), 1e-12)
        ranked = sorted(zip(proposals, vals), key=lambda t: -t[1])
        for x, v in ranked:
            if limits.time_limit is not None and time.perf_counter() - t0 > limits.time_limit:
                break
            if v >= top - 1e-6 * spread - 1e-12 or not regions:
                add(x)
        if not regions:  # every proposal failed: polish from points pulled slightly into the interior
            for x, _ in ranked[:3]:
                add(prop.ascend(0.9 * x + 0.1 * prop.centroid))
    state = BnbState(best_pure)

    def propose(point: tuple) -> bool:
        x0 = np.concatenate([np.array([float(v) for v in xi]) for xi in point])
        before = len(regions)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            add(prop.ascend(x0))
            if len(regions) == before:
                add(prop.ascend(0.9 * x0 + 0.1 * prop.centroid))
            if len(regions) == before:
                add(x0)
        if len(regions) > before:
            state.threshold = max(state.threshold, max(r.value_interval[0] for r in regions[before:]))
            return True
        return False

    while True:
        if limits.time_limit is not None and time.perf_counter() - t0 > limits.time_limit:
            return _Run(_incomplete(s, f"time limit {max(limits.time_limit, 0):.3g} s reached before the branch and bound finished; "
                               "value_interval is the proved enclosure so far", cert, crude()))
        # the best pure profile's payoff is attained: a proved lower bound even when no region could be certified
        state.attained = (best_pure, tuple(tuple(Fraction(int(a == p)) for a in range(m)) for m, p in zip(s.ms, best_choice)))
        state.threshold = max([r.value_interval[0] for r in regions] + [best_pure])
        if strategy == 0 and not any(_off_support(r) >= CUT_MIN_OFF_SUPPORT for r in regions):
            strategy = len(STRATEGIES) - 1  # no corner to cut: the first strategy would only split differently
        ratio, cuts, budget = STRATEGIES[strategy]
        last = strategy == len(STRATEGIES) - 1
        lim = limits if budget is None or last else dataclasses.replace(limits, max_cells=min(budget, limits.max_cells))
        try:
            tree = _bnb(pb, regions, state, lim, t0, propose=propose, progress=progress, split_ratio=ratio, corner_cuts=cuts)
            break
        except NeedCandidate as need:
            restarts += 1
            if restarts <= limits.max_restarts and propose(need.point):
                continue
            if not last:  # nothing certifiable at that depth with this strategy: the next one
                strategy += 1
                restarts = 0
                continue
            interval = (state.threshold, max(need.upper, state.threshold)) if need.upper is not None else crude()
            return _Run(_incomplete(
                s, f"maximum subdivision depth {limits.max_depth} reached with nothing certifiable there (a degenerate "
                "maximiser, or a continuum of maximisers not along cell faces?); value_interval is the proved enclosure so far",
                cert, interval,
            ))
        except OutOfLimits as exc:
            if not last and "cells" in str(exc):
                strategy += 1
                continue
            interval = (state.threshold, max(exc.upper, state.threshold)) if exc.upper is not None else None
            return _Run(_incomplete(s, f"branch and bound ran out of limits: {exc}; value_interval is the proved enclosure so far", cert,
                                    interval))
    threshold = state.threshold
    att_v, att_pt = state.attained
    decided = _decide(exact_region, s, regions, att_v)
    if isinstance(decided, str):
        lo = max([r.value_interval[0] for r in regions] + [att_v])
        return _Run(_incomplete(s, decided + "; value_interval is the proved enclosure so far", cert,
                           (lo, max([r.value_interval[1] for r in regions] + [att_v]))))
    winners, resolved, exact_vals = decided
    faces = [f for level, fs in tree.level_faces if level == att_v for f in fs]
    if -1 in winners:
        region_points = {regions[j].point for j in winners if j >= 0}
        only_points = all(all(len(fi) == 1 for fi in f) for f in faces)
        face_points = {tuple(fi[0] for fi in f) for f in faces}
        if k > 1 and len(winners) > 1 and only_points and face_points <= region_points and att_pt in region_points:
            winners = [j for j in winners if j >= 0]  # the attained point is a certified region's: report the regions
        else:  # the maximum is attained where no region was certified (e.g. a continuum of maximisers)
            return _Run(_attained_result(s, pb, regions, winners, exact_vals, att_v, att_pt, faces, tree, threshold, cert,
                                    resolved, restarts, failed, t0))
    win = winners[0]
    ties = winners[1:]
    wlo, whi = regions[win].value_interval
    wr = regions[win]
    if whi - wlo > Fraction(width):
        return _Run(_incomplete(s, f"value enclosure width {approx(whi - wlo)} exceeds {approx(Fraction(width))}", cert, (wlo, whi)))
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
    return _Run(OptimumResult(
        value=value, value_interval=(wlo, whi), orbits=s.orbits, actions=s.actions, strategies=strategies, support=wr.supports,
        mixed=any(len(S) > 1 for S in wr.supports), value_exact=exact, ties=tie_strats, complete=True, method=METHOD,
        certificate=cert,
    ), wr, exact_vals.get(win))
