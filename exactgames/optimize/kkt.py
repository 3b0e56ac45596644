"""The exact KKT route: every critical point of the symmetric EU on every face, and the global optimum.

For a partition of the players into orbits (every orbit plays one strategy)
the expected utility is a polynomial ``F`` on a product of simplices.  For a
combination of supports (one tuple of action indices per orbit) the
Karush-Kuhn-Tucker conditions on the relative interior of that face are

* ``dF/dx[o][a]`` equal for all ``a`` in the support of orbit ``o`` (the
  common value is the orbit's multiplier ``lambda_o``), probabilities summing
  to one -- solved exactly after eliminating the simplex constraint
  (``x[o][last] = 1 - sum of the others``), i.e. the reduced gradient is zero;
* every support probability ``> 0``;
* ``dF/dx[o][b] <= lambda_o`` off the support.

Every sign is decided exactly (number-field arithmetic with python-flint and
certified isolating intervals; see :mod:`exactgames.optimize.algebraic`).

The global optimum over the product of simplices is a critical point of
``F`` restricted to the relative interior of some face, so it is the largest
value ``F`` takes at such points.  When the critical set of a face is a
continuum, it is split along factors
(:func:`~exactgames.optimize.polysolve.split_variety`).  ``F`` is constant on
each connected component of the critical set (its gradient vanishes along
it), so:

* an affine branch carries one exact rational value, and an exact LP either
  finds a rational point of the branch in the open face (the value is
  attained) or proves that the branch misses it (the value is dropped);
* a zero-dimensional branch gives isolated critical points;
* on any other branch the values are roots of its critical-value polynomial
  (:func:`~exactgames.optimize.polysolve.critical_value_polynomial`); a value
  is counted when an exact critical point of the open face attaining it is
  found (rational slicing), dropped when elimination proves that no point of
  the branch with that value has all probabilities in ``(0, 1)``, and
  otherwise left as a candidate.

A candidate above the best value found makes the answer incomplete -- never
wrong.

Examples
--------
>>> from exactgames.paper_games import taxi_symmetric
>>> r = kkt_optimum(taxi_symmetric(), [[0, 1]])
>>> r.value, r.strategies
(3/2, ((1/2, 1/2),))
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

import flint
import sympy

from exactgames.model.exact import ExactError, rational_enclosure
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.utility import symmetric_eu_mpoly
from exactgames.optimize.algebraic import (
    FieldElement,
    RealAlgebraic,
    compare_algebraic,
    compare_elements,
    element_sign,
    rational,
    real_roots,
)
from exactgames.optimize.polysolve import (
    AlgebraicPoint,
    Deadline,
    PositiveDimensional,
    SolverTimeout,
    ZeroDimensional,
    critical_value_polynomial,
    evaluate_at,
    solve_system,
    split_variety,
    value_relations,
)
from exactgames.optimize.result import OptimumResult

__all__ = ["KKTPoint", "Continuum", "SupportResult", "kkt_points", "kkt_optimum", "all_supports"]

METHOD = "exact KKT enumeration"
_SLICES = (Fraction(1, 3), Fraction(2, 7), Fraction(3, 5), Fraction(1, 11), Fraction(5, 7))


def _fmt(x: FieldElement) -> str:
    """Short exact text for small numbers; a certified decimal ball for huge algebraic ones (certificate only)."""
    if x.is_rational or x.theta.degree <= 2:
        try:
            return str(x.expr())
        except ValueError:  # more digits than Python converts to text
            pass
    t = x.theta
    b = x.ball(256, t)
    for _ in range(16):
        if b.rad() < (abs(b.mid()) + 1) * flint.arb(10) ** -15:
            break
        t = t.refine((t.hi - t.lo) / 2**48)
        b = x.ball(256, t)
    return f"{b.str(15)} (algebraic, degree <= {x.theta.degree})"


@dataclass(frozen=True)
class KKTPoint:
    """A critical point of the EU on the relative interior of a face.

    Attributes
    ----------
    strategies : tuple of tuple of FieldElement
        Exact probabilities, one strategy per orbit (zeros off the support),
        as elements of one number field ``Q(theta)``.
    value : FieldElement
        Exact EU at the point.
    support : tuple of tuple of int
    kkt : bool
        True when the off-support conditions ``dF/dx[o][b] <= lambda_o`` hold
        (decided exactly); False for a critical point of the face that is not
        a KKT point of the whole product of simplices.
    """

    strategies: tuple[tuple[FieldElement, ...], ...]
    value: FieldElement
    support: tuple[tuple[int, ...], ...]
    kkt: bool = True

    def sympy_strategies(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        """Exact probabilities: rationals, radicals, or polynomials in ONE ``CRootOf`` (the point's primitive element).

        Keeping every coordinate in the same number field ``Q(theta)`` lets
        later exact arithmetic (Nash gains, verdicts) test zero by reducing
        modulo theta's minimal polynomial instead of computing new minimal
        polynomials of sums of unrelated roots.
        """
        return tuple(tuple(p.expr() for p in s) for s in self.strategies)

    def describe(self, actions: Sequence[Sequence[str]]) -> str:
        parts = []
        for acts, s in zip(actions, self.strategies):
            parts.append(", ".join(f"{a}={_fmt(p)}" for a, p in zip(acts, s) if p.sign() != 0))
        return "; ".join(parts) + f" (EU {_fmt(self.value)})"


@dataclass(frozen=True)
class Continuum:
    """A positive-dimensional set of critical points on the relative interior of a face.

    Attributes
    ----------
    support : tuple of tuple of int
    whole_face : bool
        True when the EU is constant on the whole face (every point is critical).
    witnesses : tuple of KKTPoint
        Exact critical points of the open face on the continuum; the EU is
        constant on each connected component of critical points, so each
        witness's value is the value of its component.
    candidate_values : tuple of RealAlgebraic
        Real roots of critical-value polynomials: every value the EU takes at
        a real critical point of the open face on the continuum is among them
        (values of components proved to miss the open face are dropped).
    value_polynomial : str
        The product of those polynomials (in ``s``), for re-checking.
    excluded : tuple of str
        Critical components (and their values) proved to miss the open face,
        with the reason.
    """

    support: tuple[tuple[int, ...], ...]
    whole_face: bool
    witnesses: tuple[KKTPoint, ...]
    candidate_values: tuple[RealAlgebraic, ...] = ()
    value_polynomial: str = ""
    excluded: tuple[str, ...] = ()

    def unwitnessed(self) -> tuple[RealAlgebraic, ...]:
        seen = [w.value for w in self.witnesses]
        return tuple(v for v in self.candidate_values if all(compare_elements(FieldElement.of(v), w) != 0 for w in seen))

    def describe(self, actions: Sequence[Sequence[str]]) -> str:
        sup = "; ".join("{" + ",".join(acts[k] for k in s) + "}" for acts, s in zip(actions, self.support))
        kind = "the whole face is critical (EU constant on it)" if self.whole_face else "a continuum of critical points"
        vals = ", ".join(_fmt(w.value) for w in self.witnesses) or "none witnessed"
        return f"support {sup}: {kind}; values attained: {vals}"


@dataclass(frozen=True)
class SupportResult:
    """What the KKT route found on one support combination.

    ``status`` is ``"solved"`` (``points`` and ``continua`` are complete),
    ``"timeout"`` or ``"unresolved"`` (a solver limit; ``reason`` says which).
    ``critical`` lists every critical point of the open face (KKT or not);
    ``points`` the KKT points among them.
    """

    support: tuple[tuple[int, ...], ...]
    status: str
    points: tuple[KKTPoint, ...] = ()
    critical: tuple[KKTPoint, ...] = ()
    continua: tuple[Continuum, ...] = ()
    route: str = ""
    reason: str = ""
    real_solutions: int = 0

    def to_json(self, actions: Sequence[Sequence[str]]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "support": [[acts[k] for k in s] for acts, s in zip(actions, self.support)],
            "status": self.status,
            "route": self.route,
            "real_solutions": self.real_solutions,
            "critical_points_in_open_face": len(self.critical),
            "kkt_points": [p.describe(actions) for p in self.points],
            "rejected_off_support": len(self.critical) - len(self.points),
            "continua": [c.describe(actions) for c in self.continua],
        }
        if self.continua:
            out["continua_value_polynomials"] = [c.value_polynomial for c in self.continua]
            if any(c.excluded for c in self.continua):
                out["continua_excluded"] = [list(c.excluded) for c in self.continua]
        if self.reason:
            out["reason"] = self.reason
        if not self.critical and not self.continua and self.status == "solved":
            out["infeasible"] = True
        return out


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Prepared:
    F: flint.fmpq_mpoly
    dF: tuple[tuple[flint.fmpq_mpoly, ...], ...]
    offsets: tuple[int, ...]
    sizes: tuple[int, ...]
    orbits: tuple[tuple[int, ...], ...]
    actions: tuple[tuple[str, ...], ...]
    names: tuple[tuple[str, ...], ...] = field(default=())


def _check_game(game: Game | AnonymousGame) -> None:
    if game.parameters:
        names = ", ".join(sorted(str(s) for s in game.parameters))
        raise ExactError(
            f"the game has free parameters ({names}): give them values (--set NAME=VALUE, or game.subs) "
            "or use the parametric analysis (exactgames.optimize.parametric)"
        )
    if isinstance(game, Game) and not game.is_common_payoff:
        raise ExactError("the symmetric optimum is defined for common-payoff games; this game's payoffs differ between players")
    if not game.is_rational:
        raise ExactError("the exact KKT route needs rational payoffs (irrational payoffs are not supported yet)")


def _norm_orbits(game: Game | AnonymousGame, orbits: Sequence[Sequence[int]] | None) -> tuple[tuple[int, ...], ...]:
    if orbits is None:
        if isinstance(game, AnonymousGame):
            return (tuple(range(game.n_players)),)
        raise ExactError("orbits are required for a dense game (use exactgames.optimize.api.optimize for the default)")
    orbs = tuple(tuple(sorted(int(i) for i in o)) for o in orbits)
    return tuple(sorted(orbs))


def _prepare(game: Game | AnonymousGame, orbits: Sequence[Sequence[int]] | None) -> _Prepared:
    _check_game(game)
    orbs = _norm_orbits(game, orbits)
    F, ctx = symmetric_eu_mpoly(game, orbs)
    acts_all = game.actions if isinstance(game, Game) else game.player_actions
    actions = tuple(tuple(acts_all[o[0]]) for o in orbs)
    sizes = tuple(len(a) for a in actions)
    offsets = tuple(sum(sizes[:k]) for k in range(len(sizes)))
    dF = tuple(tuple(F.derivative(offsets[o] + a) for a in range(sizes[o])) for o in range(len(orbs)))
    return _Prepared(F, dF, offsets, sizes, orbs, actions)


def all_supports(sizes: Sequence[int]) -> list[tuple[tuple[int, ...], ...]]:
    """Every combination of nonempty supports, smallest faces first.

    Examples
    --------
    >>> all_supports([2])
    [((0,),), ((1,),), ((0, 1),)]
    """
    per = [
        [c for k in range(1, m + 1) for c in itertools.combinations(range(m), k)]
        for m in sizes
    ]
    combos = list(itertools.product(*per))
    combos.sort(key=lambda s: (sum(len(x) for x in s), s))
    return combos


def _face(prep: _Prepared, support: tuple[tuple[int, ...], ...]) -> tuple[flint.fmpq_mpoly_ctx, list[flint.fmpq_mpoly], list[list[int]]]:
    """Images of every x-variable in the reduced variables of this face."""
    names = []
    for o, sup in enumerate(support):
        for a in sup[:-1]:
            names.append(f"y{o}_{a}")
    ctx = flint.fmpq_mpoly_ctx.get(tuple(names))
    gens = ctx.gens() if names else ()
    one = ctx.from_dict({(0,) * len(names): 1})
    zero = ctx.from_dict({})
    images: list[flint.fmpq_mpoly] = []
    var_of: list[list[int]] = []
    k = 0
    for o, sup in enumerate(support):
        img = [zero] * prep.sizes[o]
        idx = []
        rest = one
        for a in sup[:-1]:
            img[a] = gens[k]
            rest = rest - gens[k]
            idx.append(k)
            k += 1
        img[sup[-1]] = rest
        images.extend(img)
        var_of.append(idx)
    return ctx, images, var_of


def _validate_support(prep: _Prepared, supports: Sequence[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
    if len(supports) != len(prep.orbits):
        raise ExactError(f"expected one support per orbit ({len(prep.orbits)}), got {len(supports)}")
    out = []
    for o, s in enumerate(supports):
        t = tuple(sorted(set(int(a) for a in s)))
        if not t or t[0] < 0 or t[-1] >= prep.sizes[o]:
            raise ExactError(f"support {list(s)} of orbit {o + 1}: expected nonempty action indices in 0..{prep.sizes[o] - 1}")
        out.append(t)
    return tuple(out)


def kkt_points(
    game: Game | AnonymousGame,
    orbits: Sequence[Sequence[int]] | None,
    supports: Sequence[Sequence[int]],
    time_limit: float | None = None,
    *,
    _prep: _Prepared | None = None,
    _deadline: Deadline | None = None,
) -> SupportResult:
    """The exact KKT points of the symmetric EU on the relative interior of one face.

    Parameters
    ----------
    game : Game or AnonymousGame
        Common payoff, rational, no free parameters.
    orbits : list of lists of 0-based players (every orbit plays one strategy);
        ``None`` means one orbit for an anonymous game.
    supports : one tuple of action indices per orbit (in the order of the
        sorted orbits).
    time_limit : seconds, or None for no limit.

    Returns
    -------
    SupportResult
        ``points`` (KKT points: critical on the open face, off-support
        conditions hold), ``critical`` (all critical points of the open
        face), ``continua`` (positive-dimensional critical sets, never
        dropped) and a ``status``.

    Examples
    --------
    Robot butlers, all four in one orbit, both actions in the support:

    >>> from exactgames.paper_games import robot_butlers
    >>> r = kkt_points(robot_butlers(), [[0, 1, 2, 3]], [(0, 1)])
    >>> [p.sympy_strategies() for p in r.points], r.points[0].value.expr()
    ([((-1 + sqrt(2), 2 - sqrt(2)),)], -16 + 16*sqrt(2))
    """
    prep = _prep or _prepare(game, orbits)
    deadline = _deadline or Deadline(time_limit)
    support = _validate_support(prep, supports)
    try:
        return _solve_face(prep, support, deadline)
    except SolverTimeout as exc:
        return SupportResult(support, "timeout", reason=str(exc))
    except ArithmeticError as exc:
        return SupportResult(support, "unresolved", reason=str(exc))


def _solve_face(prep: _Prepared, support: tuple[tuple[int, ...], ...], deadline: Deadline) -> SupportResult:
    ctx, images, var_of = _face(prep, support)
    f = prep.F.compose(*images, ctx=ctx)
    grads = [f.derivative(i) for i in range(ctx.nvars())]
    # positivity of support probabilities
    pos: list[flint.fmpq_mpoly] = []
    for o, sup in enumerate(support):
        for a in sup:
            pos.append(images[prep.offsets[o] + a])
    # off-support: dF/dx[o][b] - dF/dx[o][last] <= 0
    off: list[flint.fmpq_mpoly] = []
    for o, sup in enumerate(support):
        last = prep.dF[o][sup[-1]].compose(*images, ctx=ctx)
        for b in range(prep.sizes[o]):
            if b not in sup:
                off.append(prep.dF[o][b].compose(*images, ctx=ctx) - last)
    deadline.check()
    sol = solve_system(grads, ctx, deadline)
    if isinstance(sol, ZeroDimensional):
        crit = []
        for pt in sol.points:
            deadline.check()
            kp = _classify(prep, support, images, f, pos, off, pt)
            if kp is not None:
                crit.append(kp)
        return SupportResult(
            support, "solved", tuple(p for p in crit if p.kkt), tuple(crit), (), sol.route, real_solutions=len(sol.points)
        )
    isolated, cont, note = _continuum(prep, support, ctx, images, f, grads, pos, off, sol, deadline)
    crit = tuple(isolated) + (cont.witnesses if cont is not None else ())
    continua = (cont,) if cont is not None else ()
    return SupportResult(support, "solved", tuple(p for p in crit if p.kkt), crit, continua, sol.route + note)


def _classify(
    prep: _Prepared,
    support: tuple[tuple[int, ...], ...],
    images: list[flint.fmpq_mpoly],
    f: flint.fmpq_mpoly,
    pos: list[flint.fmpq_mpoly],
    off: list[flint.fmpq_mpoly],
    pt: AlgebraicPoint,
) -> KKTPoint | None:
    """The KKTPoint at ``pt`` if it lies in the open face (None otherwise); signs decided exactly."""
    for p in pos:
        if element_sign(pt.theta, evaluate_at(p, pt)) <= 0:
            return None
    kkt = all(element_sign(pt.theta, evaluate_at(q, pt)) <= 0 for q in off)
    strategies = []
    for o in range(len(support)):
        strat = []
        for a in range(prep.sizes[o]):
            img = images[prep.offsets[o] + a]
            strat.append(FieldElement.of(rational(0)) if img.is_zero() else FieldElement.make(pt.theta, evaluate_at(img, pt)))
        strategies.append(tuple(strat))
    value = FieldElement.make(pt.theta, evaluate_at(f, pt))
    return KKTPoint(tuple(strategies), value, support, kkt)


def _same_point(a: KKTPoint, b: KKTPoint) -> bool:
    return all(compare_elements(p, q) == 0 for sa, sb in zip(a.strategies, b.strategies) for p, q in zip(sa, sb))


def _add_witness(witnesses: list[KKTPoint], kp: KKTPoint) -> None:
    """Keep one witness per value, preferring a KKT point."""
    same = [w for w in witnesses if compare_elements(w.value, kp.value) == 0]
    if not same:
        witnesses.append(kp)
    elif kp.kkt and not same[0].kkt:
        witnesses[witnesses.index(same[0])] = kp


def _affine_parametrization(
    gb: list[flint.fmpq_mpoly], ctx: flint.fmpq_mpoly_ctx
) -> tuple[flint.fmpq_mpoly_ctx, list[flint.fmpq_mpoly]] | None:
    """``V(gb)`` for linear ``gb`` as ``y = p0 + N t``: the free unknowns' context and every ``y_i`` affine in them.

    None when the linear system is inconsistent (exact row reduction).
    """
    d = ctx.nvars()
    A = flint.fmpq_mat(len(gb), d + 1)
    for r, g in enumerate(gb):
        for e, c in g.to_dict().items():
            A[r, e.index(1) if sum(e) else d] = c
    R, rank = A.rref()
    pivots: list[tuple[int, int]] = []
    for r in range(rank):
        c = next(j for j in range(d + 1) if R[r, j] != 0)
        if c == d:
            return None
        pivots.append((r, c))
    pivot_cols = {c for _r, c in pivots}
    free = [j for j in range(d) if j not in pivot_cols]
    names = tuple(ctx.names()[j] for j in free)
    sub = flint.fmpq_mpoly_ctx.get(names)
    tg = sub.gens() if names else ()
    images: list[flint.fmpq_mpoly] = [sub.from_dict({})] * d
    for k, j in enumerate(free):
        images[j] = tg[k]
    for r, c in pivots:
        img = sub.from_dict({(0,) * len(names): -R[r, d]}) if R[r, d] != 0 else sub.from_dict({})
        for k, j in enumerate(free):
            if R[r, j] != 0:
                img = img - R[r, j] * tg[k]
        images[c] = img
    return sub, images


def _simplex_max(c: list[flint.fmpq], A: list[list[flint.fmpq]], b: list[flint.fmpq]) -> tuple[flint.fmpq, list[flint.fmpq]]:
    """Maximise ``c.x`` subject to ``A x <= b``, ``x >= 0``, with ``b >= 0`` (the origin is feasible).

    Exact dense tableau simplex over the rationals with Bland's rule (no
    cycling).  Raises ``ArithmeticError`` when the objective is unbounded.

    Examples
    --------
    >>> q = flint.fmpq
    >>> _simplex_max([q(1), q(1)], [[q(1), q(2)], [q(3), q(1)]], [q(4), q(6)])
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


def _lp_point(positive: list[flint.fmpq_mpoly], sub: flint.fmpq_mpoly_ctx) -> list[flint.fmpq] | None:
    """A rational ``t`` with every affine form of ``positive`` > 0, or None if none exists.

    Exact LP: maximise ``e <= 1`` subject to ``p(t) >= e`` for every ``p``
    (``t`` and ``e`` free, written as differences of nonnegative parts and
    shifted so that ``t = 0`` is a feasible start); such a ``t`` exists iff
    the optimum is positive.  The point returned is re-checked exactly.

    Examples
    --------
    >>> ctx = flint.fmpq_mpoly_ctx.get(("t",))
    >>> (t,) = ctx.gens()
    >>> _lp_point([t, 1 - 2 * t], ctx) is not None, _lp_point([t, -1 - t], ctx)
    (True, None)
    """
    k = sub.nvars()
    zero, one = flint.fmpq(0), flint.fmpq(1)
    rows: list[tuple[list[flint.fmpq], flint.fmpq]] = []
    for p in positive:
        lin = [zero] * k
        const = zero
        for ex, c in p.to_dict().items():
            if any(ex):
                lin[list(ex).index(1)] = c
            else:
                const = c
        rows.append((lin, const))
    m0 = min([one] + [const for _lin, const in rows])
    # variables: t+_j, t-_j (j < k), e+, e-; e = m0 + e+ - e-.  p(t) - e >= 0  <=>  -lin.t + e+ - e- <= const - m0
    A: list[list[flint.fmpq]] = []
    b: list[flint.fmpq] = []
    for lin, const in rows:
        A.append([-x for x in lin] + lin + [one, -one])
        b.append(const - m0)
    A.append([zero] * (2 * k) + [one, -one])  # e <= 1
    b.append(one - m0)
    opt, x = _simplex_max([zero] * (2 * k) + [one, -one], A, b)
    if m0 + opt <= 0:
        return None
    vals = [x[j] - x[k + j] for j in range(k)]

    def at(p: flint.fmpq_mpoly) -> flint.fmpq:
        return p(*vals) if k else p.to_dict().get((), zero)

    if any(at(p) <= 0 for p in positive):
        raise ArithmeticError("internal: the exact LP returned a point violating its constraints")
    return vals


def _const(p: flint.fmpq_mpoly) -> flint.fmpq | None:
    d = p.to_dict()
    if not d:
        return flint.fmpq(0)
    if len(d) == 1 and not any(next(iter(d))):
        return next(iter(d.values()))
    return None


def _linear_branch(
    prep: _Prepared,
    support: tuple[tuple[int, ...], ...],
    ctx: flint.fmpq_mpoly_ctx,
    images: list[flint.fmpq_mpoly],
    f: flint.fmpq_mpoly,
    pos: list[flint.fmpq_mpoly],
    off: list[flint.fmpq_mpoly],
    gb: list[flint.fmpq_mpoly],
) -> tuple[KKTPoint | None, str, bool]:
    """An affine component of the critical set: (witness in the open face or None, description, positive-dimensional).

    The EU is constant on the component (its gradient vanishes there and the
    component is connected); it meets the open face iff an exact LP finds a
    point with every support probability positive.
    """
    par = _affine_parametrization(gb, ctx)
    if par is None:
        return None, "", False
    sub, ys = par
    value = _const(f.compose(*ys, ctx=sub))
    if value is None:
        raise ArithmeticError("internal: the EU is not constant on an affine component of its critical set")
    pt = _lp_point([p.compose(*ys, ctx=sub) for p in pos], sub)
    eqs = [f"{n} = {y}" for n, y in zip(ctx.names(), ys) if n not in sub.names()]
    desc = f"EU {value} on the affine set {{{', '.join(eqs)}}}" + (f" (free: {', '.join(sub.names())})" if sub.nvars() else "")
    if pt is None:
        return None, desc, sub.nvars() > 0
    coords = tuple(flint.fmpq_poly([y(*pt) if sub.nvars() else _const(y)]) for y in ys)
    kp = _classify(prep, support, images, f, pos, off, AlgebraicPoint(rational(0), coords))
    assert kp is not None and compare_elements(kp.value, FieldElement.of(rational(value))) == 0
    return kp, desc, sub.nvars() > 0


def _outside_roots(
    gb: list[flint.fmpq_mpoly], f: flint.fmpq_mpoly, qk: flint.fmpq_poly, roots: list[RealAlgebraic],
    pos: list[flint.fmpq_mpoly], ctx: flint.fmpq_mpoly_ctx, deadline: Deadline,
) -> dict[int, str]:
    """Proofs that no real point of ``V(gb)`` in the open face has EU ``roots[i]`` (a root of ``qk``): ``{i: reason}``.

    For each support probability ``p``, the relations between ``z = p`` and
    ``s = EU`` on ``V(gb) ∩ {qk(s) = 0}`` (:func:`value_relations`):

    * a relation ``e(z)`` without ``s`` and without real root in ``(0, 1)``
      excludes every root of ``qk``;
    * a relation ``a(s) z + b(s)`` with ``a(r) != 0`` fixes ``p = -b(r)/a(r)``
      at every such point with EU ``r``; if that is not in ``(0, 1)``, ``r``
      is excluded.

    Every sign is decided exactly.  Tried under a short sub-deadline.
    """
    rem = deadline.remaining()
    sub = Deadline(min(rem, 5.0) if rem is not None else 30.0)
    zero, one = FieldElement.of(rational(0)), FieldElement.of(rational(1))
    out: dict[int, str] = {}
    try:
        for p in pos:
            if _const(p) is not None or len(out) == len(roots):
                continue
            for rel in value_relations(gb, f, p, qk, ctx, sub):
                terms = rel.to_dict()
                if all(e[1] == 0 for e in terms):  # a polynomial in z alone
                    el = flint.fmpq_poly([terms.get((k, 0), 0) for k in range(max(e[0] for e in terms) + 1)])
                    inside = [r for r in real_roots(el) if compare_elements(FieldElement.of(r), zero) > 0
                              and compare_elements(FieldElement.of(r), one) < 0]
                    if el.degree() > 0 and not inside:
                        why = f"the probability {p} satisfies {str(el).replace('x', 'z')} = 0, which has no root in (0, 1)"
                        for i in range(len(roots)):
                            out.setdefault(i, why)
                elif max(e[0] for e in terms) == 1:  # a(s) z + b(s)
                    top = max(e[1] for e in terms)
                    a_s = flint.fmpq_poly([terms.get((1, k), 0) for k in range(top + 1)])
                    b_s = flint.fmpq_poly([terms.get((0, k), 0) for k in range(top + 1)])
                    for i, r in enumerate(roots):
                        if i in out:
                            continue
                        sa = element_sign(r, a_s)
                        if sa == 0:
                            continue
                        # p = -b(r)/a(r): p <= 0 iff sign(-b(r)) * sa <= 0; p >= 1 iff sign(-b(r) - a(r)) * sa >= 0
                        if element_sign(r, -b_s) * sa <= 0 or element_sign(r, -b_s - a_s) * sa >= 0:
                            frac = f"({-b_s})" + ("" if a_s == 1 else f" / ({a_s})")
                            out[i] = f"there the probability {p} equals {frac.replace('x', 's')}, outside (0, 1)"
    except SolverTimeout:
        deadline.check()
    return out


def _continuum(
    prep: _Prepared,
    support: tuple[tuple[int, ...], ...],
    ctx: flint.fmpq_mpoly_ctx,
    images: list[flint.fmpq_mpoly],
    f: flint.fmpq_mpoly,
    grads: list[flint.fmpq_mpoly],
    pos: list[flint.fmpq_mpoly],
    off: list[flint.fmpq_mpoly],
    sol: PositiveDimensional,
    deadline: Deadline,
) -> tuple[list[KKTPoint], Continuum | None, str]:
    """A positive-dimensional critical set: (isolated critical points, the continuum in the open face or None, a note).

    The critical set is split along factors (:func:`split_variety`).  An
    affine branch has one EU value, and an exact LP decides whether it meets
    the open face (then it gives a rational witness there).  A
    zero-dimensional branch gives isolated points.  For any other branch the
    values are the roots of its critical-value polynomial; each irreducible
    factor is either witnessed by an exact point found by rational slicing,
    proved absent from the open face (:func:`_misses_open_face`), or left as
    an unwitnessed candidate (the caller then reports an incomplete answer if
    it exceeds the best value found).
    """
    d = ctx.nvars()
    if sol.whole_space:
        # every gradient component vanishes identically: F is constant on the face
        bary = AlgebraicPoint(rational(0), tuple(flint.fmpq_poly([flint.fmpq(1, len(s))]) for s in support for _ in s[:-1]))
        w = _classify(prep, support, images, f, pos, off, bary)
        assert w is not None  # the barycentre is in the open face
        return [], Continuum(support, True, (w,), (w.value.canonical(),), "s - (" + _fmt(w.value) + ")"), ""
    branches = split_variety(grads, ctx, deadline)
    if branches is None:
        branches = [grads]
    isolated: list[KKTPoint] = []
    witnesses: list[KKTPoint] = []
    cands: list[RealAlgebraic] = []
    value_poly = flint.fmpq_poly([1])
    outside: list[str] = []

    def add_isolated(kp: KKTPoint | None) -> None:
        if kp is not None and not any(_same_point(kp, q) for q in isolated):
            isolated.append(kp)

    for gb in branches:
        deadline.check()
        if all(g.total_degree() <= 1 for g in gb):
            kp, desc, pdim = _linear_branch(prep, support, ctx, images, f, pos, off, gb)
            if not pdim:
                add_isolated(kp)
            elif kp is None:
                outside.append(desc + " (misses the open face: exact LP)")
            else:
                _add_witness(witnesses, kp)
                if not any(compare_algebraic(c, kp.value.canonical()) == 0 for c in cands):
                    cands.append(kp.value.canonical())
                    fr = kp.value.canonical().fraction()
                    value_poly *= flint.fmpq_poly([flint.fmpq(-fr.numerator, fr.denominator), 1])
            continue
        bsol = solve_system(gb, ctx, deadline)
        if isinstance(bsol, ZeroDimensional):
            for pt in bsol.points:
                deadline.check()
                add_isolated(_classify(prep, support, images, f, pos, off, pt))
            continue
        q = critical_value_polynomial(gb, f, ctx, deadline)
        factors = [p for p, _e in q.factor()[1]]
        roots = {k: real_roots(p) for k, p in enumerate(factors)}
        found: list[KKTPoint] = []
        want = sum(len(r) for r in roots.values())
        for pt in _slice_points(gb, ctx, deadline, depth=d):
            kp = _classify(prep, support, images, f, pos, off, pt)
            if kp is not None:
                _add_witness(found, kp)
            if len(found) >= want:
                break
        for k, p in enumerate(factors):
            rk = roots[k]
            unw = [r for r in rk if not any(compare_elements(w.value, FieldElement.of(r)) == 0 for w in found)]
            excl = _outside_roots(gb, f, p, unw, pos, ctx, deadline) if unw else {}
            for i, r in enumerate(unw):
                if i in excl:
                    outside.append(f"EU {_fmt(FieldElement.of(r))} (a root of {str(p).replace('x', 's')}): {excl[i]}")
            dropped = [unw[i] for i in excl]
            for r in rk:
                if all(r is not x for x in dropped) and not any(compare_algebraic(c, r) == 0 for c in cands):
                    cands.append(r)
            if len(dropped) < len(rk):
                value_poly *= p
        for w in found:
            _add_witness(witnesses, w)
    note = ""
    if outside:
        note = "; positive-dimensional critical components outside the open face: " + "; ".join(outside)
    if not cands and not witnesses:
        return isolated, None, note
    cont = Continuum(support, False, tuple(witnesses), tuple(cands), str(value_poly).replace("x", "s"), tuple(outside))
    return isolated, cont, note


def _slice_points(grads: list[flint.fmpq_mpoly], ctx: flint.fmpq_mpoly_ctx, deadline: Deadline, depth: int):
    """Exact solutions of ``grads = 0`` found by fixing one unknown at a time to rational values."""
    d = ctx.nvars()
    if d == 0 or depth == 0:
        return
    for j in range(d):
        names = tuple(n for k, n in enumerate(ctx.names()) if k != j)
        sub = flint.fmpq_mpoly_ctx.get(names)
        sgens = sub.gens() if names else ()
        for r in _SLICES:
            deadline.check()
            imgs = []
            k = 0
            for i in range(d):
                if i == j:
                    imgs.append(sub.from_dict({(0,) * len(names): flint.fmpq(r.numerator, r.denominator)}))
                else:
                    imgs.append(sgens[k])
                    k += 1
            eqs = [g.compose(*imgs, ctx=sub) for g in grads]
            sol = solve_system(eqs, sub, deadline)
            if isinstance(sol, ZeroDimensional):
                pts = sol.points
            else:
                pts = tuple(_slice_points(eqs, sub, deadline, depth - 1))
            for pt in pts:
                coords = list(pt.coords)
                coords.insert(j, flint.fmpq_poly([flint.fmpq(r.numerator, r.denominator)]))
                yield AlgebraicPoint(pt.theta, tuple(coords))


# ---------------------------------------------------------------------------------------------


def _cmp_points(a: KKTPoint, b: KKTPoint) -> int:
    return compare_elements(a.value, b.value)


def kkt_optimum(
    game: Game | AnonymousGame, orbits: Sequence[Sequence[int]] | None = None, time_limit: float | None = 10.0
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
    prep = _prepare(game, orbits)
    results: list[SupportResult] = []
    reason = ""
    combos = all_supports(prep.sizes)
    for k, sup in enumerate(combos):
        if deadline.remaining() is not None and deadline.remaining() <= 0:
            reason = f"time limit of {time_limit} s reached after {k} of {len(combos)} support combinations"
            break
        results.append(kkt_points(game, prep.orbits, sup, _prep=prep, _deadline=deadline))
    return _assemble(prep, results, combos, reason, time_limit)


def _assemble(
    prep: _Prepared, results: list[SupportResult], combos: list, reason: str, time_limit: float | None
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
    if not attained:  # nothing solved in time: an explicit "no answer"
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
                cmpv = compare_elements(FieldElement.of(v), best.value)
                if cmpv > 0:
                    complete = False
                    sup = [[acts[o][a] for a in s] for o, s in enumerate(r.support)]
                    reason = reason or (
                        f"a continuum of critical points on support {sup} may attain {_fmt(FieldElement.of(v))} > {_fmt(best.value)}, "
                        "and no exact point attaining it was found"
                    )
                elif cmpv == 0:
                    open_questions.append(c.describe(acts) + f" (may also attain the optimal value {_fmt(FieldElement.of(v))})")
    ties: list = [p.sympy_strategies() for p in optimal[1:]]  # each a tuple of strategies (one per orbit)
    for r in results:
        for c in r.continua:
            if any(compare_elements(w.value, best.value) == 0 for w in c.witnesses):
                ties.append("continuum: " + c.describe(acts))
    ties.extend("possible continuum: " + q for q in open_questions)
    canon = best.value.canonical()
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
