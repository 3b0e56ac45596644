"""The parametric analysis itself: :func:`parametric_regimes` (see the package docstring for the method)."""

from __future__ import annotations

import functools
import time
from typing import Any, Callable, Sequence

import sympy

from exactgames.model.exact import ExactError, compare
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.utility import symmetric_eu_polynomial
from exactgames.optimize.parametric.branches import (
    _closed_branches,
    _identically_critical,
    _is_rational_function,
    _match,
    _profile,
    _real_roots,
    _roots_inside,
    _sample_between,
    _sample_optimum,
)
from exactgames.optimize.parametric.candidates import CriticalValues, V, candidate_polynomials, face_critical_values
from exactgames.optimize.parametric.domain import ParameterError, parameter_domain
from exactgames.optimize.parametric.results import Branch, ParametricResult, Regime
from exactgames.optimize.parametric.solve import (
    ContinuumFound,
    SolveUnsupported,
    all_support_combinations,
    make_face,
)


def parametric_regimes(
    game: Game | AnonymousGame,
    orbits: Sequence[Sequence[int]] | None = None,
    verdicts: Callable[..., dict] | None = None,
    solver: str = "auto",
    time_limit: float | None = None,
) -> ParametricResult:
    """Regimes of the optimal P-invariant profile of a one-parameter common-payoff game.

    Parameters
    ----------
    game : Game or AnonymousGame with exactly one parameter (a sympy symbol in its payoffs)
    orbits : orbits of P (0-based players); None = the orbits of Γ(G) (one orbit for an anonymous game)
    verdicts : optional ``f(game, profile, orbits) -> dict`` (e.g.
        :func:`exactgames.certify.verdicts.profile_verdicts`) applied at each
        regime's rational sample point to fill ``nash``, ``degenerate`` and
        ``locally_optimal_asymmetric``.  The optimiser layer does not import
        the certification layer, so the caller passes it in.
    solver : the parameter-free optimiser used at sample points: "auto"
        (:func:`exactgames.optimize.api.optimize`, then the own enumeration of
        :mod:`~exactgames.optimize.parametric.solve`, then the KKT optimiser;
        at endpoints the own enumeration first), "api", "own" or "kkt".
    time_limit : seconds, checked between steps (a single elimination is not
        interrupted); when exceeded the result has ``complete=False``, no
        regimes, and a ``reason``.

    Returns
    -------
    ParametricResult

    Raises
    ------
    ParameterError
        If the game does not have exactly one parameter.

    Examples
    --------
    The robot game of Section 2.1 with three robots: all-a is optimal until
    ``(1 + eps) * (2/3)**2 = 1``.

    >>> from exactgames.paper_games import ten_robots
    >>> res = parametric_regimes(ten_robots(n=3))
    >>> [r.interval_str() for r in res.regimes]
    ['(0, 5/4)', '[5/4, 5/4]', '(5/4, oo)']
    >>> res.regimes[2].strategies, res.regimes[2].value
    (((0, 1/3, 2/3),), 4*(eps + 1)/9)
    """
    dom = parameter_domain(game)
    t = dom.symbol
    if not game.is_common_payoff:
        raise ParameterError("parametric analysis needs a common-payoff game")
    if orbits is None:  # P = Γ(G) by default, as for optimize (one orbit for an anonymous game)
        from exactgames.optimize.api import default_orbits

        orbits = default_orbits(game)
    eu = symmetric_eu_polynomial(game, orbits)
    orbs = eu.orbits
    acts = eu.actions
    n = game.n_players
    faces = {sup: make_face(eu.expr, eu.variables, sup) for sup in all_support_combinations([len(a) for a in acts])}
    start = time.monotonic()

    def out_of_time(step: str) -> ParametricResult | None:
        if time_limit is None or time.monotonic() - start <= time_limit:
            return None
        return ParametricResult(t, dom, orbs, acts, (), (), (), False, f"time limit of {time_limit} s reached {step}", "")

    cvs: list[CriticalValues] = []
    for f in faces.values():
        cvs.append(face_critical_values(f, t))
        late = out_of_time(f"after eliminating {len(cvs)} of {len(faces)} faces")
        if late is not None:
            return late
    complete = True
    reasons = []
    for cv in cvs:
        if cv.polynomial is None:
            complete = False
            sup = [[acts[o][k] for k in s] for o, s in enumerate(cv.support)]
            reasons.append(f"support {sup}: critical set not finite for generic {t} ({cv.reason}); crossings with it are not excluded")
    cands = candidate_polynomials(cvs, t)
    late = out_of_time("after the candidate polynomials")
    if late is not None:
        return late
    roots: list[sympy.Expr] = []
    for p in cands:
        for r in _real_roots(p):
            if dom.contains(r) and not (dom.lower != -sympy.oo and compare(r, dom.lower) == 0) and not (
                dom.upper != sympy.oo and compare(r, dom.upper) == 0
            ):
                roots.append(r)
    roots.sort(key=functools.cmp_to_key(compare))
    bounds = [dom.lower] + roots + [dom.upper]

    branch_cache: dict = {}

    def branches_of(sup: tuple) -> list[Branch]:
        if sup not in branch_cache:
            try:
                branch_cache[sup] = _closed_branches(faces[sup], t)
            except (ContinuumFound, SolveUnsupported):
                branch_cache[sup] = []
        return branch_cache[sup]

    value_factors = [cv.polynomial for cv in cvs if cv.polynomial is not None and cv.polynomial != 1]

    def solve_open(lo: sympy.Expr, hi: sympy.Expr) -> tuple[Branch | None, sympy.Expr, list[str], list, str]:
        t0 = _sample_between(lo, hi)
        value, points, method = _sample_optimum(game.subs({str(t): t0}), orbs, solver)
        cert = [f"sample {t} = {t0}: optimum {value} by {method}"]
        chosen = None
        for strat, sup in points:
            sup = tuple(tuple(s) for s in sup)
            b = _match(branches_of(sup), t, t0, strat)
            if b is not None:
                chosen = b
                break
        if chosen is None:
            strat, sup = points[0]
            desc = f"no closed form found for the optimal branch on support {sup}"
            return None, t0, cert + [desc], points, desc
        _, v0 = chosen.at(t0, t)
        if compare(v0, value) != 0:
            raise ExactError(f"internal: branch value {v0} != optimum {value} at {t} = {t0}")
        if not _identically_critical(faces[chosen.support], chosen, t):
            return None, t0, cert, points, "matched branch does not satisfy the KKT equations identically"
        cert.append("the branch satisfies the face's stationarity equations identically in the parameter (exact)")
        cert.append("no candidate endpoint (root of the resultants/discriminants/leading coefficients) lies inside")
        if _is_rational_function(chosen.value, t):
            for h in value_factors:
                sub = sympy.cancel(h.subs(V, chosen.value))
                if sympy.expand(sympy.numer(sympy.together(sub))) == 0:
                    continue
                bad = _roots_inside(sub, t, lo, hi)
                if bad:
                    raise ExactError(f"internal: a critical value crosses the optimal branch at {bad[0]} inside ({lo}, {hi})")
            for s in chosen.strategies:
                for k, p in enumerate(s):
                    if p != 0 and (_roots_inside(p, t, lo, hi) or _roots_inside(sympy.denom(sympy.together(p)), t, lo, hi)):
                        raise ExactError(f"internal: a branch coordinate changes sign inside ({lo}, {hi})")
            cert.append("direct check: h(value(t), t) has no real root inside for every critical-value factor h, "
                        "and no branch coordinate vanishes or has a pole inside (exact real-root isolation)")
        others = [pt for pt in points if not _same(pt[0], chosen.at(t0, t)[0])]
        cert.extend(f"also optimal at {t} = {t0}: {_fmt(pt[0])}" for pt in others)
        return chosen, t0, cert, points, ""

    pieces: list[dict] = []
    for i in range(len(bounds) - 1):
        late = out_of_time(f"after {i} of {len(bounds) - 1} intervals")
        if late is not None:
            return late
        lo, hi = bounds[i], bounds[i + 1]
        b, t0, cert, points, problem = solve_open(lo, hi)
        if problem:
            complete = False
            reasons.append(f"({lo}, {hi}): {problem}")
        info = tuple(c[len("also optimal "):] for c in cert if c.startswith("also optimal "))
        pieces.append({"kind": "open", "lo": lo, "hi": hi, "branch": b, "sample": t0, "cert": cert, "points": points, "ties": info})
    # points: interior candidate roots and closed domain ends
    points_at: list[tuple[int, sympy.Expr]] = [(i + 1, r) for i, r in enumerate(roots)]
    out: list[dict] = []
    for i, piece in enumerate(pieces):
        if i == 0 and dom.lower_closed:
            out.append(_point_piece(game, orbs, t, dom.lower, None, piece, solver))
        out.append(piece)
        if i < len(points_at):
            out.append(_point_piece(game, orbs, t, points_at[i][1], piece, pieces[i + 1], solver))
        if i == len(pieces) - 1 and dom.upper_closed:
            out.append(_point_piece(game, orbs, t, dom.upper, piece, None, solver))
    for p in out:
        if p.get("problem"):
            complete = False
            reasons.append(p["problem"])
    merged = _merge(out)
    regimes = tuple(_to_regime(game, orbs, acts, n, t, m, verdicts) for m in merged)
    method = (
        "candidate endpoints: real roots of resultants, discriminants and leading coefficients of the faces' "
        "critical-value polynomials (python-flint, exact); regimes certified by exact optimisation at a rational "
        "sample point and exact root isolation"
    )
    return ParametricResult(
        t, dom, orbs, acts, regimes, tuple(p.as_expr() for p in cands), tuple(roots), complete, "; ".join(reasons), method
    )


def _point_piece(game, orbs, t, r, left: dict | None, right: dict | None, solver: str) -> dict:
    """The regime at a single parameter value ``r`` (an endpoint)."""
    cert = []
    bl = left["branch"] if left else None
    br = right["branch"] if right else None
    main = bl or br
    ties = []
    blocking = False
    problem = ""
    value = None
    if main is None:
        return {"kind": "point", "lo": r, "hi": r, "branch": None, "sample": r, "cert": ["no branch"], "ties": (), "problem": f"{t} = {r}: no branch"}
    try:
        strat, value = main.at(r, t)
        if any(p.has(sympy.zoo, sympy.nan) for s in strat for p in s) or value.has(sympy.zoo, sympy.nan):
            raise ZeroDivisionError
    except ZeroDivisionError:
        return {"kind": "point", "lo": r, "hi": r, "branch": None, "sample": r, "cert": [], "ties": (),
                "problem": f"{t} = {r}: the branch has a pole at the endpoint"}
    cert.append("optimal value by continuity: the limit of the neighbouring regime's branch, whose limit point attains it")
    if bl is not None and br is not None and bl.key() != br.key():
        try:
            s2, v2 = br.at(r, t)
            if compare(v2, value) != 0:
                problem = f"{t} = {r}: left and right branch values differ ({value} vs {v2})"
            elif not _same(s2, strat):
                ties.append(_fmt(s2))
                blocking = True
                cert.append("the right-hand branch's limit attains the same value (a tie)")
        except ZeroDivisionError:  # pragma: no cover
            pass
    if r.is_Rational:
        try:
            v0, pts, method = _sample_optimum(game.subs({str(t): r}), orbs, solver, endpoint=True)
            if compare(v0, value) != 0:
                problem = f"{t} = {r}: direct optimum {v0} differs from the limit {value}"
            cert.append(f"{t} = {r} is rational: optimum {v0} confirmed by {method}")
            for s_, _sup in pts:
                if not _same(s_, strat) and _fmt(s_) not in ties:
                    ties.append(_fmt(s_))
            if "continuum" in method:
                ties.append("a continuum of optimal profiles (see certificate)")
                blocking = True
        except ExactError as exc:
            cert.append(f"{t} = {r}: the direct optimiser could not enumerate ({exc}); value by continuity only")
    return {"kind": "point", "lo": r, "hi": r, "branch": main, "sample": r if r.is_Rational else None, "cert": cert,
            "ties": tuple(f"at {t} = {r}: {x}" for x in ties), "blocking": blocking, "problem": problem}


def _same(a: Sequence[Sequence[sympy.Expr]], b: Sequence[Sequence[sympy.Expr]]) -> bool:
    """Exact equality of two P-invariant profiles (one strategy per orbit)."""
    return all(compare(x, y) == 0 for s, r in zip(a, b) for x, y in zip(s, r))


def _fmt(strategies: Sequence[Sequence[sympy.Expr]]) -> str:
    return "; ".join("(" + ", ".join(str(p) for p in s) + ")" for s in strategies)


def _merge(pieces: list[dict]) -> list[dict]:
    out: list[dict] = []
    for p in pieces:
        if out:
            q = out[-1]
            b1, b2 = q["branch"], p["branch"]
            if b1 is not None and b2 is not None and b1.key() == b2.key() and not q.get("blocking") and not p.get("blocking"):
                q = dict(q)
                q["hi"] = p["hi"]
                q["hi_closed"] = p["kind"] == "point"
                q["kind"] = "merged"
                q["cert"] = q["cert"] + p["cert"]
                q["samples"] = q.get("samples", [q["sample"]]) + [p["sample"]]
                q["ties"] = tuple(q.get("ties", ())) + tuple(p.get("ties", ()))
                out[-1] = q
                continue
        p = dict(p)
        p["lo_closed"] = p["kind"] == "point"
        p["hi_closed"] = p["kind"] == "point"
        out.append(p)
    return out


def _to_regime(game, orbs, acts, n, t, m: dict, verdicts) -> Regime:
    b: Branch | None = m["branch"]
    lo, hi = m["lo"], m["hi"]
    if b is None:
        pts = m.get("points") or []
        strat = tuple(tuple(p) for p in pts[0][0]) if pts else ()
        sup = tuple(tuple(s) for s in pts[0][1]) if pts else ()
        return Regime(lo, hi, m["lo_closed"], m["hi_closed"], acts, sup, strat, sympy.nan, m["sample"], certificate=tuple(m["cert"]))
    point = lo == hi
    if point:
        strat, value = b.at(lo, t)
    else:
        strat, value = b.strategies, b.value
    samples = [x for x in (m.get("samples") or [m["sample"]]) if x is not None]
    sample = samples[0] if samples else None
    nash = deg = loa = None
    note = "verdicts not computed (no verdict function given)"
    if verdicts is not None and samples:
        seen = []
        try:
            for x in samples:
                s0, _ = b.at(x, t)
                d = verdicts(game.subs({str(t): x}), _profile(orbs, s0, n), [list(o) for o in orbs])
                seen.append((_bool(d.get("nash")), _bool(d.get("degenerate")), _bool(d.get("locally_optimal_asymmetric"))))
            where = ", ".join(str(x) for x in samples)
            if all(v == seen[0] for v in seen):
                nash, deg, loa = seen[0]
                note = f"verdicts decided exactly at the rational sample point(s) {t} = {where} (agreeing), not proved for every {t} in the regime"
            else:
                note = f"verdicts differ between the sample points {t} = {where}: {seen}; left undecided"
        except ExactError as exc:
            note = f"verdicts failed: {exc}"
    elif verdicts is not None:
        note = "no rational sample point (irrational endpoint): verdicts not computed"
    return Regime(lo, hi, m["lo_closed"], m["hi_closed"], acts, b.support, strat, value, sample, nash, deg, loa, note,
                  tuple(m.get("ties", ())), tuple(m["cert"]))


def _bool(x: Any) -> bool | None:
    if isinstance(x, dict):
        for k in ("value", "verdict", "holds", "is_nash"):
            if k in x:
                return _bool(x[k])
        return None
    if isinstance(x, bool) or x is None:
        return x
    for k in ("value", "verdict", "holds"):
        if hasattr(x, k):
            return _bool(getattr(x, k))
    return None
