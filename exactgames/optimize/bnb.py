"""Certified global symmetric optimum by Bernstein branch and bound and Krawczyk's test.

For a totally symmetric common-payoff game (an :class:`AnonymousGame`, or a
dense game with one orbit of all players) the symmetric EU ``f`` is a
polynomial of degree n in Bernstein form on the simplex.  The proof has three
parts, all exact or rigorous (``arb``):

1. **Candidates.**  A float local search (batched projected gradient ascent
   and Newton on the face, :mod:`exactgames.optimize.float_search`) proposes local maxima; each is refined by Newton's method on
   its support face at high precision.  Floats only *propose*.
2. **Regions** (:mod:`exactgames.optimize.simplex_regions`).  For a candidate with support ``S`` and reference action
   ``r in S`` the region is the corner simplex ``R = {x in simplex: x_a >=
   lower_a}`` (``lower_a = x_a - rho`` rounded down on ``S``, 0 off ``S``), a
   convex neighbourhood of the candidate.  With exact Bernstein coefficients
   on ``R`` (python-flint ``fmpq_mpoly`` composition) it is proved that every
   off-support reduced gradient ``d_j f - d_r f`` is strictly negative on
   ``R`` and that every Bernstein coefficient matrix of the reduced Hessian on
   ``R``'s support face is negative definite (exact LDL^T; the Hessian is a
   convex combination of them, so f is strictly concave there); Krawczyk's
   operator (``arb``) maps a box ``B`` of radius 2^-200 strictly into itself.
   Hence on ``R`` f has a unique maximiser; moving off-support mass to ``r``
   strictly increases f, so it lies on the support face, in ``B``, with every
   on-support probability strictly positive.  The value is enclosed by the
   mean-value form of f on ``B``.  For a two-action support the exact value
   and strategy are then derived (:mod:`exactgames.optimize.bnb_exact`).
3. **Everything else.**  Branch and bound over sub-simplices (longest-edge
   bisection, exact integer Bernstein coefficients) until every cell either
   lies inside a certified region or has all its Bernstein coefficients
   strictly below ``L``, the largest proved lower end among the regions.

The global maximum is then the best region's, provided its lower end exceeds
every other region's upper end.  When a cell cannot be pruned and has a vertex
better than ``L``, the float search is restarted from it; when that finds
nothing certifiable, the vertex's exact value becomes ``L`` (it is attained).
When limits run out the result says ``complete=False``.

**Ties and continua.**  A cell whose coefficients are all at most an
*attained* value ``v`` (a payoff, or a cell vertex's exact EU) is pruned
weakly: ``f <= v`` there, and ``f = v`` exactly on the cell faces whose
coefficients all equal ``v`` (:meth:`BernsteinForm.faces_at`).  So when the
maximum is attained outside every region, the maximiser set is known exactly:
points, or a continuum (reported as a whole face of the simplex when every
payoff of that face equals ``v``, otherwise as the cell faces).  Certified
maxima whose enclosures overlap are compared by their exact values (the edge
eliminant's root, or the exact KKT point of the face in the Krawczyk box);
equal values are reported as ties.  The independent checker re-proves a tie of
irrational values by an action permutation that preserves every payoff and
maps each region's box into the other region.

Examples
--------
>>> from exactgames.model.game import AnonymousGame
>>> from exactgames.optimize.bnb import certified_optimum
>>> g = AnonymousGame.from_function(2, ["H", "W"], {(2, 0): 0, (1, 1): 1, (0, 2): 0})
>>> r = certified_optimum(g)
>>> r.complete, r.support, r.value_interval[0] <= sympy.Rational(1, 2) <= r.value_interval[1]
(True, ((0, 1),), True)
>>> r.mixed, r.certificate["kind"]
(True, 'bnb-simplex-v1')
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, Callable, Sequence

import numpy as np
import sympy

from exactgames.model.exact import ExactError
from exactgames.model.game import AnonymousGame, Game, count_vectors, multinomial
from exactgames.model.utility import count_coefficients
from exactgames.optimize import simplex_regions as _sr
from exactgames.optimize.bernstein import BernsteinForm, Cell
from exactgames.optimize.bnb_exact import edge_exact
from exactgames.optimize.interval import (
    SymPoly,
)
from exactgames.optimize.result import OptimumResult
from exactgames.optimize.simplex_regions import PREC, Region, _candidate_region, _FloatEU, _starts
from exactgames.optimize.subdivision import NeedCandidate, OutOfLimits, Tree, approx, check_limits, close_by_bounds

__all__ = ["certified_optimum", "symmetric_payoffs", "Region", "METHOD", "BnbLimits"]

METHOD = "certified branch-and-bound (Bernstein bounds, Krawczyk)"


@dataclass(frozen=True)
class BnbLimits:
    """Resource limits: cells processed, subdivision depth, candidate restarts, wall time (s)."""

    max_cells: int = 200_000
    max_depth: int = 80
    max_restarts: int = 6
    time_limit: float | None = None


# --------------------------------------------------------------------------- game -> payoffs per count vector
def symmetric_payoffs(game: AnonymousGame | Game, orbits: Sequence[Sequence[int]] | None = None) -> tuple[int, tuple[str, ...], dict]:
    """Number of players, actions and the Bernstein coefficient (payoff) of each count vector.

    For a dense game with one orbit of all players the coefficient of a count
    vector is the average common payoff over the profiles with those counts.

    Examples
    --------
    >>> g = Game.from_common([["a", "b"]] * 2, {("a", "b"): 1, ("b", "a"): 0})
    >>> symmetric_payoffs(g)[2][(1, 1)]
    Fraction(1, 2)
    """
    if not game.is_rational:
        raise ExactError("certified_optimum needs rational payoffs (substitute the parameters first)")
    n = game.n_players
    if orbits is not None:
        orbs = [tuple(sorted(o)) for o in orbits]
        if len(orbs) != 1 or orbs[0] != tuple(range(n)):
            raise ExactError(f"orbits {orbits}: the certified branch and bound handles one orbit of all {n} players only")
    if isinstance(game, AnonymousGame):
        acts = tuple(game.actions)
        return n, acts, {c: Fraction(int(v.p), int(v.q)) for c, v in game.fmpq_payoff.items()}
    if len(set(game.actions)) != 1:
        raise ExactError("certified_optimum: every player must have the same actions for one orbit")
    if not game.is_common_payoff:
        raise ExactError("certified_optimum: the game must be common-payoff")
    m = len(game.actions[0])
    coefs = dict(count_coefficients(game, [tuple(range(n))]))
    out = {}
    for c in count_vectors(n, m):
        v = coefs.get((c,), 0)
        v = Fraction(int(v.p), int(v.q)) if hasattr(v, "p") else Fraction(v)
        out[c] = v / multinomial(c)
    return n, tuple(game.actions[0]), out


# --------------------------------------------------------------------------- branch and bound
def _bnb(
    bf: BernsteinForm, regions: list[Region], state: dict, limits: BnbLimits, t0: float, record_bounds: bool,
    propose: Callable[[tuple[Fraction, ...]], bool], progress: Callable[[dict], None] | None = None,
) -> Tree:
    """Subdivide until every cell is pruned (all coefficients < ``state["threshold"]``) or inside a region.

    ``propose(point)`` runs a float local search from ``point`` and certifies what it finds (appending to
    ``regions`` and raising ``state["threshold"]``); it returns True when something new was certified.
    Raising the threshold later keeps earlier prunes valid (their bounds were below a smaller threshold).
    """
    tree = Tree()
    stack: list[Cell] = [bf.root()]
    processed = 0
    last = time.perf_counter()
    proposals = 0
    while stack:
        cell = stack.pop()
        processed += 1
        last = check_limits(bf, cell, stack, regions, processed, limits, t0, state, progress, last)
        threshold = state["threshold"]
        if close_by_bounds(bf, cell, state, tree, lambda c, f: [c.vertex(i) for i in f], record_bounds):
            continue
        hit = next((k for k, r in enumerate(regions) if all(r.contains_scaled(v, cell.vexp) for v in cell.vertices)), None)
        if hit is not None:
            tree.tokens.append(["r", hit])
            tree.leaves += 1
            tree.in_region += 1
            continue
        corners = bf.corner_values(cell)
        best = max(range(bf.m), key=lambda a: corners[a])
        if corners[best] > threshold and not any(r.contains_scaled(cell.vertices[best], cell.vexp) for r in regions):
            # a point better than every certified maximiser: the float search missed something
            proposals += 1
            if proposals > limits.max_restarts * 4 or not propose(cell.vertex(best)):
                # nothing certifiable there (a continuum of maximisers?): the vertex's exact value is a proved
                # lower bound of the maximum, attained at a known point; go on with it as the threshold
                state["attained"] = (corners[best], cell.vertex(best))
                state["threshold"] = corners[best]
            stack.append(cell)
            processed -= 1
            continue
        if cell.depth >= limits.max_depth:
            fv = cell.fraction_vertices()
            raise NeedCandidate(tuple(sum(v[a] for v in fv) / bf.m for a in range(bf.m)))
        i, j = bf.longest_edge(cell)
        left, right = bf.split(cell, i, j)
        tree.tokens.append([i, j])
        stack.append(right)
        stack.append(left)
    return tree


# --------------------------------------------------------------------------- main entry
def _incomplete(n: int, acts: tuple[str, ...], reason: str, cert: dict) -> OptimumResult:
    return OptimumResult(
        value=sympy.nan, value_interval=(Fraction(0), Fraction(0)), orbits=(tuple(range(n)),), actions=(acts,), strategies=(),
        support=(), mixed=False, value_exact=False, complete=False, method=METHOD, reason=reason, certificate=cert,
    )


def _same_region(a: Region, b: Region) -> bool:
    return a.support == b.support and all(abs(x - y) < Fraction(1, 10**20) for x, y in zip(a.point, b.point))


def certified_optimum(
    game: AnonymousGame | Game,
    orbits: Sequence[Sequence[int]] | None = None,
    width: Fraction = Fraction(1, 10**30),
    limits: BnbLimits | None = None,
    seed: int = 0,
    n_starts: int | None = None,
    progress: Callable[[dict], None] | None = None,
    exact_value: bool = True,
) -> OptimumResult:
    """Proved global maximum of the symmetric EU of a rational totally symmetric game.

    Parameters
    ----------
    game : AnonymousGame or Game
        Rational payoffs; a dense game must be common-payoff with one orbit of all players.
    orbits : optional
        Only ``None`` or one orbit containing every player is supported.
    width : Fraction
        Required width of the value enclosure.
    limits : BnbLimits, optional
    seed : int
        Seed of the float search's starting points (proposals only; the proof does not depend on it).
    n_starts : int, optional
        Number of random float starts (default ``m + 1``), besides the centroid and the best vertex.
    exact_value : bool
        For a two-action support, derive the exact algebraic value and strategy
        (``CRootOf``, see :mod:`exactgames.optimize.bnb_exact`).
    progress : callable, optional
        Called about twice a second during the branch and bound with a dict
        (``cells_done``, ``cells_left``, ``depth``, ``threshold``, ``gap``) -- for a progress line on stderr.

    Returns
    -------
    OptimumResult
        ``complete=False`` when limits run out: nothing is claimed, except that
        ``value_interval`` (when not (0, 0)) is still a proved enclosure of the
        maximum (largest certified local value, largest unresolved Bernstein bound).
        ``complete=True`` only with a proof: ``value_interval`` encloses the
        maximum, ``support`` is exact, ``strategies`` are rational points of
        the Krawczyk box (exact for a pure optimum); ``value`` is exact for a
        pure optimum and otherwise the enclosure's midpoint (``value_exact``
        False).  ``certificate`` is checked independently by
        :func:`proofs_check.checker.check_certificate`.

    Examples
    --------
    A 3-player coordination game: both "all play the same action" profiles tie.

    >>> g = AnonymousGame.from_function(3, ["a", "b"], lambda c: 1 if max(c) == 3 else 0)
    >>> r = certified_optimum(g)
    >>> r.complete, r.value, r.support, len(r.ties)
    (True, 1, ((0,),), 1)
    """
    limits = limits or BnbLimits()
    t0 = time.perf_counter()
    n, acts, pay = symmetric_payoffs(game, orbits)
    m = len(acts)
    poly = SymPoly.from_payoffs(n, m, pay)
    bf = BernsteinForm.from_payoffs(n, m, pay)
    cert: dict[str, Any] = {"kind": "bnb-simplex-v1", "n": n, "m": m}
    if m == 1:
        v = pay[(n,)]
        return OptimumResult(
            value=sympy.Rational(v.numerator, v.denominator), value_interval=(v, v), orbits=(tuple(range(n)),), actions=(acts,),
            strategies=((sympy.Integer(1),),), support=((0,),), mixed=False, method=METHOD,
            certificate={**cert, "regions": [], "tree": [], "threshold": str(v), "winner": -1},
        )
    fe = _FloatEU(n, m, pay)
    rng = np.random.default_rng(seed)
    starts = _starts(m, m + 1 if n_starts is None else n_starts, rng)
    # vertices: the best pure strategies are cheap candidates
    pure_vals = [pay[tuple(n if a == b else 0 for b in range(m))] for a in range(m)]
    regions: list[Region] = []
    proposals = _sr._local_maxes(fe, np.array(starts))
    best_pure = max(range(m), key=lambda a: pure_vals[a])
    proposals.append(np.eye(m)[best_pure])
    failed = 0
    restarts = 0

    def add(x: np.ndarray) -> None:
        nonlocal failed
        reg = _candidate_region(poly, pay, x, fe=fe)
        if reg is None:
            failed += 1
            return
        if not any(_same_region(reg, r) for r in regions):
            regions.append(reg)

    vals = [fe.value(x) for x in proposals]
    top = max(vals)
    spread = max(abs(top), 1e-12)
    ranked = sorted(zip(proposals, vals), key=lambda t: -t[1])
    for x, v in ranked:
        if limits.time_limit is not None and time.perf_counter() - t0 > limits.time_limit:
            break
        if v >= top - 1e-6 * spread - 1e-12 or not regions:
            add(x)
    if not regions:
        # every proposal failed: polish from points pulled slightly into the interior
        for x, _ in ranked[:3]:
            add(_sr._local_max(fe, 0.9 * x + 0.1 / m))
    state: dict = {}

    def propose(point: tuple[Fraction, ...]) -> bool:
        x0 = np.array([float(v) for v in point])
        before = len(regions)
        add(_sr._local_max(fe, x0))
        if len(regions) == before:
            add(_sr._local_max(fe, 0.9 * x0 + 0.1 / m))
        if len(regions) == before:
            add(x0)
        if len(regions) > before:
            state["threshold"] = max(state["threshold"], max(r.value_interval[0] for r in regions[before:]))
            return True
        return False

    def crude() -> tuple[Fraction, Fraction]:
        """A proved enclosure before the branch and bound: best certified or attained value .. largest payoff."""
        return max([r.value_interval[0] for r in regions] + pure_vals), max(pay.values())

    while True:
        if limits.time_limit is not None and time.perf_counter() - t0 > limits.time_limit:
            return replace(_incomplete(n, acts, f"time limit {limits.time_limit} s reached before the branch and bound "
                                       "finished; value_interval is the proved enclosure so far", cert), value_interval=crude())
        # the best pure strategy's payoff is attained: a proved lower bound even when no region could be certified
        state["attained"] = (pure_vals[best_pure], tuple(Fraction(int(a == best_pure)) for a in range(m)))
        state["threshold"] = max([r.value_interval[0] for r in regions] + [pure_vals[best_pure]])
        try:
            tree = _bnb(bf, regions, state, limits, t0, record_bounds=True, propose=propose, progress=progress)
            break
        except NeedCandidate as need:
            restarts += 1
            if restarts > limits.max_restarts or not propose(need.point):
                return replace(_incomplete(
                    n, acts, "a cell better than every certified candidate could not be resolved (degenerate maximiser?); "
                    "value_interval is the proved enclosure so far", cert), value_interval=crude())
        except OutOfLimits as exc:
            # the best proved enclosure so far: [largest certified lower end, largest open upper bound]
            res = _incomplete(n, acts, f"branch and bound ran out of limits: {exc}; value_interval is the proved enclosure so far", cert)
            if exc.upper is not None:
                res = replace(res, value_interval=(state["threshold"], max(exc.upper, state["threshold"])))
            return res
    threshold = state["threshold"]
    att_v, att_pt = state["attained"]
    decided = _decide(regions, att_v, pay, n)
    if isinstance(decided, str):
        return replace(_incomplete(n, acts, decided + "; value_interval is the proved enclosure so far", cert),
                       value_interval=(max(r.value_interval[0] for r in regions), max(r.value_interval[1] for r in regions)))
    winners, resolved, exact_of = decided
    if -1 in winners:  # the maximum is attained where no region was certified (e.g. a continuum of maximisers)
        return _attained_result(n, acts, pay, regions, winners, exact_of, att_v, att_pt, tree, threshold, cert, restarts,
                                failed, t0)
    win = winners[0]
    ties = winners[1:]
    wlo, whi = regions[win].value_interval
    wr = regions[win]
    if whi - wlo > Fraction(width):
        return _incomplete(n, acts, f"value enclosure width {approx(whi - wlo)} exceeds {approx(Fraction(width))}", cert)
    pt = wr.point
    exact = wlo == whi
    value = sympy.Rational(wlo.numerator, wlo.denominator) if exact else sympy.Rational(*_frac((wlo + whi) / 2))
    strategies = (tuple(sympy.Rational(p.numerator, p.denominator) for p in pt),)
    strategies_exact = len(wr.support) == 1
    exact_note = "pure optimum: value is a payoff" if exact else "value is the midpoint of the proved enclosure"
    if not exact and exact_value and len(wr.support) == 2:
        got = exact_of[win] if win in exact_of else _region_exact(wr, pay, n)  # never raises: None means "not derived"
        if got is None:
            exact_note = "exact value not derived"
        else:
            value, exact = got[0], True
            strategies = (got[1],)
            strategies_exact = True
            exact_note = "edge support: f' factored (python-flint), root selected in the Krawczyk interval, value from the resultant"
    # a tie was decided by comparing exact values, so every tied region's exact maximiser is known
    tie_strats = tuple((exact_of[k][1],) for k in ties)
    cert.update(
        {
            "threshold": str(threshold),
            "regions": [r.to_json() for r in regions],
            "winner": win,
            "ties": ties,
            "ties_resolved_exactly": resolved,
            "attained": [str(att_v), [str(v) for v in att_pt]],
            "tree": tree.tokens,
            "leaves": tree.leaves,
            "pruned": tree.pruned,
            "in_region": tree.in_region,
            "weak": tree.weak,
            "max_depth": tree.max_depth,
            "prec": PREC,
            "strategies_exact": strategies_exact,
            "exact_value_note": exact_note,
            "restarts": restarts,
            "failed_candidates": failed,
            "seconds": time.perf_counter() - t0,
        }
    )
    return OptimumResult(
        value=value,
        value_interval=(wlo, whi),
        orbits=(tuple(range(n)),),
        actions=(acts,),
        strategies=strategies,
        support=(wr.support,),
        mixed=len(wr.support) > 1,
        value_exact=exact,
        ties=tie_strats,
        complete=True,
        method=METHOD,
        certificate=cert,
    )


def _region_exact(r: Region, pay: dict, n: int) -> tuple[sympy.Expr, tuple[sympy.Expr, ...]] | None:
    """The exact value and maximiser of a region: a payoff at a vertex, the edge eliminant's root for two actions."""
    lo, hi = r.value_interval
    m = len(r.lower)
    if len(r.support) == 1:
        return sympy.Rational(lo.numerator, lo.denominator), tuple(sympy.Integer(int(x)) for x in r.point)
    if len(r.support) != 2:
        return _region_exact_kkt(r, pay, n)
    a = next(x for x in r.support if x != r.ref)
    c = r.center[0]
    try:
        got = edge_exact(pay, n, a, r.ref, (c - r.radius, c + r.radius), (lo, hi))
    except Exception:  # an optional exact step: None means "not derived"
        return None
    if got is None:
        return None
    strat = [sympy.Integer(0)] * m
    strat[a] = got[0]
    strat[r.ref] = 1 - got[0]
    return got[1], tuple(strat)


def _region_exact_kkt(r: Region, pay: dict, n: int, time_limit: float = 5.0) -> tuple[sympy.Expr, tuple[sympy.Expr, ...]] | None:
    """Exact value and maximiser of a region with three or more actions: the exact KKT point of its face in its Krawczyk box."""
    from exactgames.optimize.kkt import kkt_points

    m = len(r.lower)
    game = AnonymousGame.from_function(n, [f"a{k + 1}" for k in range(m)], lambda c: pay[c])
    sr = kkt_points(game, None, [r.support], time_limit=time_limit)
    idx = [a for a in r.support if a != r.ref]
    for p in sr.critical:
        strat = p.strategies[0]
        inside = True
        for a, c in zip(idx, r.center):
            lo, hi = strat[a].enclosure(r.radius / 4)
            if hi < c - r.radius or lo > c + r.radius:
                inside = False
                break
        if inside:
            return p.value.canonical().to_sympy(), p.sympy_strategies()[0]
    return None


def _decide(regions: list[Region], att_v: Fraction, pay: dict, n: int) -> tuple[list[int], bool, dict] | str:
    """Which candidates attain the maximum: region indices, ``-1`` for the attained point; or why it is undecided.

    Candidates are the regions and the attained point (value ``att_v``).  Any whose enclosure lies
    strictly below the best lower end is out; the rest are compared by exact values (payoffs,
    or the edge eliminant's roots, compared with :func:`exactgames.model.exact.compare`).
    Also returns the exact (value, maximiser) derived for each compared region, so that nothing
    is derived twice.
    """
    from exactgames.model.exact import compare

    top_lo = max([r.value_interval[0] for r in regions] + [att_v])
    cont = [k for k, r in enumerate(regions) if r.value_interval[1] >= top_lo]
    if att_v >= top_lo:
        cont.append(-1)
    order = sorted(cont, key=lambda k: (k == -1, regions[k].support if k >= 0 else (), regions[k].point if k >= 0 else ()))
    if len(order) == 1:
        return order, False, {}
    vals: dict[int, Any] = {}
    exact: dict[int, tuple] = {}
    for k in order:
        got = (sympy.Rational(att_v.numerator, att_v.denominator), None) if k == -1 else _region_exact(regions[k], pay, n)
        if got is None:
            lo = regions[k].value_interval[0]
            return (f"certified local maxima with overlapping value enclosures near {approx(lo)}: the exact value of the one "
                    f"on support {list(regions[k].support)} was not derived, so they cannot be separated")
        vals[k] = got[0]
        if k >= 0:
            exact[k] = got
    best = order[0]
    for k in order[1:]:
        if compare(vals[k], vals[best]) > 0:
            best = k
    winners = [k for k in order if k == best or compare(vals[k], vals[best]) == 0]
    winners.sort(key=lambda k: k == -1 and len(winners) > 1)  # a certified region first when it ties
    resolved = any(regions[k].value_interval[0] != regions[k].value_interval[1] for k in order if k >= 0)
    return winners, resolved, exact


def _attained_result(
    n: int, acts: tuple[str, ...], pay: dict, regions: list[Region], winners: list[int], exact_of: dict, v: Fraction,
    point: tuple[Fraction, ...], tree: Tree, threshold: Fraction, cert: dict, restarts: int, failed: int, t0: float,
) -> OptimumResult:
    """The maximum ``v`` is attained at a known rational point outside every certified region.

    Every cell was pruned strictly below ``v``, weakly (all coefficients <= v), or lies in a region
    not better than ``v``; the maximisers are the tied regions' points and the faces of the weakly
    pruned cells whose coefficients all equal ``v`` (:meth:`BernsteinForm.faces_at`).
    """
    m = len(acts)
    faces = [f for level, fs in tree.level_faces if level == v for f in fs]
    points = {tuple(vert) for f in faces if len(f) == 1 for vert in f}
    points |= {regions[k].point for k in winners if k >= 0 and len(regions[k].support) == 1}  # vertices: exact
    # a tied mixed region's exact maximiser (its Krawczyk centre is only a rational approximation)
    mixed_ties = [(exact_of[k][1],) for k in winners if k >= 0 and len(regions[k].support) > 1]
    pieces = [f for f in faces if len(f) > 1]
    pure = sorted((p for p in points | {point} if sum(1 for x in p if x) == 1), key=lambda p: p.index(1))
    main = pure[0] if pure else min(points | {point})
    others = sorted(p for p in points if p != main)
    ties: list[Any] = [(tuple(sympy.Rational(x.numerator, x.denominator) for x in p),) for p in others] + mixed_ties
    if pieces:
        spanned = sorted({a for f in pieces for vert in f for a in range(m) if vert[a] > 0})
        whole = all(val == v for c, val in pay.items() if all(c[a] == 0 for a in range(m) if a not in spanned))
        names = "{" + ",".join(acts[a] for a in spanned) + "}"
        if whole:
            ties.append(f"continuum: EU = {v} on the whole face {names} (every payoff there equals {v})")
        else:
            shown = "; ".join("conv{" + ", ".join("(" + ", ".join(str(x) for x in vert) + ")" for vert in f) + "}" for f in pieces[:3])
            ties.append(f"continuum: EU = {v} on {len(pieces)} faces of subdivision cells within the face {names}: {shown}"
                        + ("; ... (all in the certificate)" if len(pieces) > 3 else ""))
    support = tuple(a for a in range(m) if main[a] > 0)
    cert.update({
        "threshold": str(threshold), "regions": [r.to_json() for r in regions], "winner": None,
        "ties": [k for k in winners if k >= 0], "attained": [str(v), [str(x) for x in point]],
        "maximiser_faces": [[[str(x) for x in vert] for vert in f] for f in faces],
        "tree": tree.tokens, "leaves": tree.leaves, "pruned": tree.pruned, "in_region": tree.in_region, "weak": tree.weak,
        "max_depth": tree.max_depth, "prec": PREC, "strategies_exact": True,
        "exact_value_note": "the maximum is a payoff-exact value attained at a rational point", "restarts": restarts,
        "failed_candidates": failed, "seconds": time.perf_counter() - t0,
    })
    return OptimumResult(
        value=sympy.Rational(v.numerator, v.denominator), value_interval=(v, v), orbits=(tuple(range(n)),), actions=(acts,),
        strategies=(tuple(sympy.Rational(x.numerator, x.denominator) for x in main),), support=(support,),
        mixed=len(support) > 1, value_exact=True, ties=tuple(ties), complete=True, method=METHOD, certificate=cert,
    )


def _frac(q: Fraction) -> tuple[int, int]:
    return q.numerator, q.denominator
