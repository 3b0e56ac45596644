"""One face of the product of simplices: the game and orbits checked, the EU polynomial prepared once, the KKT system of a face solved."""

from __future__ import annotations

import itertools
from typing import Sequence

import flint

from exactgames.model.exact import ExactError
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.utility import symmetric_eu_mpoly
from exactgames.optimize.deadline import Deadline, SolverTimeout
from exactgames.optimize.kkt.continuum import _continuum
from exactgames.optimize.kkt.types import SupportResult, _classify, _Prepared
from exactgames.optimize.polysolve import (
    TooManySolutions,
    ZeroDimensional,
    solve_system,
)


def check_game(game: Game | AnonymousGame) -> None:
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


def prepare(game: Game | AnonymousGame, orbits: Sequence[Sequence[int]] | None) -> _Prepared:
    check_game(game)
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
    _max_solutions: int | None = None,
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
    prep = _prep or prepare(game, orbits)
    deadline = _deadline or Deadline(time_limit)
    support = _validate_support(prep, supports)
    try:
        return _solve_face(prep, support, deadline, _max_solutions)
    except TooManySolutions as exc:
        return SupportResult(support, "deferred", reason=str(exc))
    except SolverTimeout as exc:
        return SupportResult(support, "timeout", reason=str(exc))
    except ArithmeticError as exc:
        return SupportResult(support, "unresolved", reason=str(exc))


def _solve_face(prep: _Prepared, support: tuple[tuple[int, ...], ...], deadline: Deadline,
                max_solutions: int | None = None) -> SupportResult:
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
    sol = solve_system(grads, ctx, deadline, max_solutions)
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
