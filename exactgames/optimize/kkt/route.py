"""The exact KKT route over every face: :func:`kkt_optimum`."""

from __future__ import annotations

import functools
from fractions import Fraction
from typing import Sequence

import sympy

from exactgames.model.exact import rational_enclosure
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.numberfield import NFElement, compare_elements
from exactgames.optimize.deadline import Deadline
from exactgames.optimize.kkt.closing import Closing, close_at_maximum
from exactgames.optimize.kkt.faces import all_supports, kkt_points, prepare
from exactgames.optimize.kkt.types import METHOD, KKTPoint, SupportResult, _fmt, _Prepared
from exactgames.optimize.result import OptimumResult


def _rational_point(p: KKTPoint) -> list[list[Fraction]] | None:
    if not all(x.is_rational for s in p.strategies for x in s):
        return None
    return [[x.canonical().fraction() for x in s] for s in p.strategies]


def _close(prep: _Prepared, value: Fraction, rep: KKTPoint, optimal: list[KKTPoint], results: list[SupportResult],
           best: KKTPoint, deadline: Deadline) -> tuple[Closing, list[list[Fraction]]] | None:
    """The maximiser set as faces of a closed subdivision at the maximum (None when it does not close in time).

    Run when a continuum of critical points attains (or may attain) the maximum: the rational optimal points
    (isolated ones and the continua's witnesses) are the stellar split targets; the first is the certificate's
    attained point.  The subdivision has the route's remaining time.
    """
    targets = []
    for p in [rep, *optimal] + [w for r in results for c in r.continua for w in c.witnesses
                                if compare_elements(w.value, best.value) == 0]:
        t = _rational_point(p)
        if t is not None and t not in targets:
            targets.append(t)
    if not targets:
        return None  # the certificate's attained point must be rational
    rem = deadline.remaining()
    if rem is not None and rem <= 0:
        return None
    closed = close_at_maximum(prep, value, targets, deadline)
    return None if closed is None else (closed, targets[0])


def _closed_ties(closed: Closing, prep: _Prepared, rep: KKTPoint, optimal: list[KKTPoint]) -> list:
    """The maximisers the closed subdivision found that are not reported yet: cell vertices, and the cell faces."""
    known = [_rational_point(p) for p in [rep, *optimal]]
    out: list = []
    for pt in closed.points():
        if [list(s) for s in pt] not in known:
            out.append(tuple(tuple(sympy.Rational(x.numerator, x.denominator) for x in s) for s in pt))
    pieces = closed.pieces()
    if pieces:
        shown = "; ".join(" x ".join("conv{" + ", ".join("(" + ", ".join(str(x) for x in v) + ")" for v in fi) + "}" for fi in f)
                          for f in pieces[:3])
        where = "" if len(prep.orbits) == 1 else " (orbit by orbit)"
        out.append(f"continuum: EU = {closed.value} on {len(pieces)} face{'s' if len(pieces) != 1 else ''} of subdivision "
                   f"cells{where}: {shown}" + ("; ... (all in the certificate)" if len(pieces) > 3 else ""))
    return out


def _cmp_points(a: KKTPoint, b: KKTPoint) -> int:
    return compare_elements(a.value, b.value)


def kkt_optimum(
    game: Game | AnonymousGame, orbits: Sequence[Sequence[int]] | None = None, time_limit: float | None = 10.0,
    *, _prep: _Prepared | None = None,
) -> OptimumResult:
    """The global optimum among P-invariant profiles by exact KKT enumeration over all faces.

    Parameters
    ----------
    game : Game or AnonymousGame (common payoff, rational, no parameters)
    orbits : the orbits of P (0-based players); None = one orbit for an anonymous game.
    time_limit : seconds (None = no limit).  When it runs out the result has
        ``complete=False`` and a ``reason``; nothing is then claimed.

    Returns
    -------
    OptimumResult
        ``method="exact KKT enumeration"``; ``certificate`` lists, per support
        combination, what was found; ``ties`` the other optimal profiles and
        optimal continua.

    Examples
    --------
    Veil of ignorance (Appendix A): Cautious when Low, Aggressive with
    probability 1/6 when High.

    >>> from exactgames.paper_games import veil_of_ignorance
    >>> r = kkt_optimum(veil_of_ignorance(), [[0, 1]])
    >>> dict(zip(r.actions[0], r.strategies[0])), r.value
    ({'CC': 5/6, 'CA': 1/6, 'AC': 0, 'AA': 0}, 121/24)
    """
    deadline = Deadline(time_limit)
    prep = _prep if _prep is not None else prepare(game, orbits)
    results: list[SupportResult] = []
    reason = ""
    combos = all_supports(prep.sizes)
    for k, sup in enumerate(combos):
        if deadline.remaining() is not None and deadline.remaining() <= 0:
            reason = f"time limit of {time_limit} s reached after {k} of {len(combos)} support combinations"
            break
        results.append(kkt_points(game, prep.orbits, sup, _prep=prep, _deadline=deadline))
    return _assemble(prep, results, combos, reason, time_limit, deadline)


def _assemble(
    prep: _Prepared, results: list[SupportResult], combos: list, reason: str, time_limit: float | None,
    deadline: Deadline | None = None,
) -> OptimumResult:
    acts = prep.actions
    attained: list[KKTPoint] = []
    for r in results:
        attained.extend(r.critical)
    failed = [r for r in results if r.status != "solved"]
    if failed and not reason:
        r0 = failed[0]
        sup = [[acts[o][a] for a in s] for o, s in enumerate(r0.support)]
        reason = f"{len(failed)} support combination(s) not solved ({r0.status} on support {sup}: {r0.reason})"
    out_of_time = bool(reason) and deadline is not None and deadline.remaining() is not None and deadline.remaining() <= 0
    if not attained or out_of_time:  # nothing solved in time (or no time left to compare exactly): an explicit "no answer"
        return OptimumResult(
            value=sympy.nan, value_interval=(Fraction(0), Fraction(0)), orbits=prep.orbits, actions=acts, strategies=(),
            support=(), mixed=False, value_exact=False, complete=False, method=METHOD,
            reason=reason or "no support combination was solved",
            certificate={"supports": [r.to_json(acts) for r in results], "incomplete": reason},
        )
    best = max(attained, key=functools.cmp_to_key(_cmp_points))
    optimal = [p for p in attained if compare_elements(p.value, best.value) == 0]
    # prefer a representative with the smallest support, then a rational one
    optimal.sort(key=lambda p: (sum(len(s) for s in p.support), p.value.theta.degree, not p.kkt))
    rep = optimal[0]
    complete = not reason
    open_questions = []
    for r in results:
        for c in r.continua:
            for v in c.unwitnessed():
                cmpv = compare_elements(NFElement.of(v), best.value)
                if cmpv > 0:
                    complete = False
                    sup = [[acts[o][a] for a in s] for o, s in enumerate(r.support)]
                    reason = reason or (
                        f"a continuum of critical points on support {sup} may attain {_fmt(NFElement.of(v))} > {_fmt(best.value)}, "
                        "and no exact point attaining it was found"
                    )
                elif cmpv == 0:
                    open_questions.append(c.describe(acts) + f" (may also attain the optimal value {_fmt(NFElement.of(v))})")
    ties: list = [p.sympy_strategies() for p in optimal[1:]]  # each a tuple of strategies (one per orbit)
    for r in results:
        for c in r.continua:
            if any(compare_elements(w.value, best.value) == 0 for w in c.witnesses):
                ties.append("continuum: " + c.describe(acts))
    canon = best.value.canonical()
    closed = None
    if deadline is not None and complete and canon.is_rational and (open_questions or any(isinstance(t, str) for t in ties)):
        closed = _close(prep, canon.fraction(), rep, optimal, results, best, deadline)
    if closed is None:
        ties.extend("possible continuum: " + q for q in open_questions)
    else:
        ties.extend(_closed_ties(closed[0], prep, rep, optimal))
    value = canon.to_sympy()
    if value.is_Rational:
        interval = rational_enclosure(value, Fraction(1, 10**30))
    else:  # exact bisection of the minimal polynomial's isolating interval
        interval = canon.enclosure(Fraction(1, 10**30))
    strategies = rep.sympy_strategies()
    support = tuple(tuple(a for a, p in enumerate(s) if p.sign() != 0) for s in rep.strategies)
    certificate = {
        "objective": "EU of the P-invariant profile (one strategy per orbit)",
        "symmetric_eu": str(prep.F),
        "variables": [list(n) for n in (tuple(f"x{o + 1}_{a}" for a in acts[o]) for o in range(len(acts)))],
        "support_combinations": len(combos),
        "solved": sum(1 for r in results if r.status == "solved"),
        "supports": [r.to_json(acts) for r in results],
        "decided_by": "exact arithmetic: python-flint factorisation and number-field arithmetic, "
        "sympy Groebner bases over QQ, certified rational isolating intervals",
        "optimal_value_polynomial": str(canon.fmpz_poly()).replace("x", "v"),
        "optimal_value_root_index": canon.index,
        "optimal_value_isolating_interval": [str(canon.lo), str(canon.hi)],
    }
    if closed is not None:
        certificate["bnb"] = closed[0].certificate(prep.orbits, prep.sizes, closed[1])
        if open_questions:
            certificate["possible_continua_resolved"] = open_questions
    elif any(isinstance(t, str) for t in ties) and complete:
        certificate["maximiser_set"] = "a continuum of maximisers: the subdivision at the maximum did not close in time"
    if not complete:
        certificate["incomplete"] = reason
    return OptimumResult(
        value=value,
        value_interval=interval,
        orbits=prep.orbits,
        actions=acts,
        strategies=strategies,
        support=support,
        mixed=any(len(s) > 1 for s in support),
        value_exact=True,
        ties=tuple(ties),
        complete=complete,
        method=METHOD,
        reason=reason,
        certificate=certificate,
    )
