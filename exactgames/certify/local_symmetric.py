"""Definition 4.0.1: is a P-invariant profile locally optimal among P-invariant profiles?

The P-invariant profiles are one strategy per orbit, and the expected
utility is the symmetric EU polynomial on a product of simplices
(:func:`exactgames.model.utility.symmetric_eu_polynomial`).  The verdict is
decided by :func:`exactgames.certify.local_poly.local_max_on_simplices`
(exact first order, second order on the critical face, higher order along
lines); a "no" carries an explicit improving P-invariant profile whose
expected utility is recomputed from the game's payoffs and compared exactly.

Examples
--------
>>> from exactgames.paper_games import taxi_symmetric, taxi_large_groups
>>> from exactgames.model.profile import make_profile
>>> g = taxi_symmetric()
>>> locally_optimal_symmetric(g, make_profile(g, [["1/2", "1/2"]] * 2), [[0, 1]]).locally_optimal
True
>>> g = taxi_large_groups()
>>> v = locally_optimal_symmetric(g, make_profile(g, [["1/2", "1/2"]] * 2), [[0, 1]])
>>> v.locally_optimal, v.witness.value_before, v.witness.value_after
(False, 1/2, 1)
"""

from __future__ import annotations

from typing import Any, Sequence

import sympy

from exactgames.certify.local_poly import LocalPolyVerdict, decide_method, local_max_on_simplices
from exactgames.certify.witness import ImprovingWitness, LocalOptimality
from exactgames.model.exact import ExactError, exact_max
from exactgames.model.fast_sign import certified_sign
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.profile import Profile, make_profile
from exactgames.model.utility import expected_utility, symmetric_eu_polynomial

__all__ = ["locally_optimal_symmetric", "default_orbits", "as_profile", "profile_from_orbits", "verdict_from_poly",
           "profile_distance"]


def as_profile(game: Game | AnonymousGame, profile: Any) -> Profile:
    """Accept a ready profile or anything :func:`make_profile` accepts."""
    if isinstance(profile, tuple) and all(isinstance(p, sympy.Basic) for s in profile for p in s):
        return profile
    return make_profile(game, profile)


def default_orbits(game: Game | AnonymousGame) -> tuple[tuple[int, ...], ...]:
    """Orbits of Γ(G): one orbit for an anonymous game, else :func:`exactgames.symmetry.symmetry_group`.

    Examples
    --------
    >>> from exactgames.model.game import AnonymousGame
    >>> default_orbits(AnonymousGame.from_function(3, ["a", "b"], lambda c: c[0]))
    ((0, 1, 2),)
    """
    if isinstance(game, AnonymousGame):
        return (tuple(range(game.n_players)),)
    from exactgames.symmetry import symmetry_group

    return tuple(tuple(sorted(o)) for o in symmetry_group(game).orbits)


def profile_from_orbits(orbits: Sequence[Sequence[int]], strategies: Sequence[Sequence[Any]], n: int) -> Profile:
    """The full profile in which every player of orbit ``o`` plays ``strategies[o]``.

    Examples
    --------
    >>> profile_from_orbits([[0, 2], [1]], [(sympy.Integer(1), sympy.Integer(0)), (sympy.Integer(0), sympy.Integer(1))], 3)
    ((1, 0), (0, 1), (1, 0))
    """
    out: list[Any] = [None] * n
    for o, s in zip(orbits, strategies):
        for i in o:
            out[i] = tuple(sympy.sympify(p) for p in s)
    if any(s is None for s in out):
        raise ExactError("the orbits do not cover every player")
    return tuple(out)


def profile_distance(a: Profile, b: Profile) -> sympy.Expr:
    """The largest change of any action's probability between two profiles (exact).

    Examples
    --------
    >>> h, q = sympy.Rational(1, 2), sympy.Rational(1, 4)
    >>> profile_distance(((h, h), (h, h)), ((q, 1 - q), (h, h)))
    1/4
    """
    diffs = []
    for s, s2 in zip(a, b):
        for p, q in zip(s, s2):
            d = sympy.expand(q - p)
            diffs.append(d * certified_sign(d) if d != 0 else sympy.Integer(0))
    best, _ = exact_max(diffs)
    return best


def _space(orbits: Sequence[Sequence[int]]) -> str:
    return "P-invariant, orbits " + str([[i + 1 for i in o] for o in orbits])


def verdict_from_poly(
    game: Game | AnonymousGame,
    profile: Profile,
    v: LocalPolyVerdict,
    blocks: Sequence[Sequence[int]],
    space: str,
) -> LocalOptimality:
    """Turn a polynomial verdict over ``blocks`` of players into a :class:`LocalOptimality`.

    A witness point is expanded to a full profile and its expected utility is
    recomputed from the game's payoffs (not from the polynomial) and compared
    exactly with ``EU(s)``.
    """
    method = decide_method([v.value] + [c for d in v.gradient for c in d.values()])
    if v.locally_optimal is not False:
        return LocalOptimality(v.locally_optimal, space, v.stage, v.reason, method, v.value,
                               details={"gradient": v.gradient, "base": v.base, **v.details})
    new_profile = profile_from_orbits(blocks, v.improved_point, len(profile))
    before = expected_utility(game, profile)
    after = expected_utility(game, new_profile)
    if certified_sign(sympy.expand(after - before)) <= 0:  # pragma: no cover - would be an internal error
        raise ExactError("internal error: the witness does not improve when recomputed from the payoffs")
    w = ImprovingWitness(new_profile, profile_distance(profile, new_profile), before, after,
                         f"{v.stage}: step {v.step} along {v.direction}")
    return LocalOptimality(False, space, v.stage, v.reason, method, v.value, witness=w,
                           details={"gradient": v.gradient, "base": v.base, **v.details})


def locally_optimal_symmetric(
    game: Game | AnonymousGame, profile: Any, orbits: Sequence[Sequence[int]] | None = None
) -> LocalOptimality:
    """Decide Definition 4.0.1 exactly for a P-invariant profile.

    Parameters
    ----------
    game : a common-payoff Game or AnonymousGame (parameters substituted)
    profile : the profile (P-invariant: equal strategies within each orbit)
    orbits : 0-based orbits of P; default Γ(G)'s orbits (one orbit for an anonymous game)

    Returns
    -------
    LocalOptimality
        ``locally_optimal`` is True, False (with an exact improving
        P-invariant witness) or None (undecided, with the reason).

    Examples
    --------
    The robot butlers (Appendix C) at drink probability 2 - sqrt(2):

    >>> from exactgames.paper_games import robot_butlers
    >>> g = robot_butlers()
    >>> s = make_profile(g, [["sqrt(2)-1", "2-sqrt(2)"]] * 4)
    >>> v = locally_optimal_symmetric(g, s, [[0, 1, 2, 3]])
    >>> v.locally_optimal, v.stage
    (True, 'second order')
    """
    if not game.is_common_payoff:
        raise ExactError("Definition 4.0.1 is about common-payoff games; this game's players have different payoffs")
    profile = as_profile(game, profile)
    orbs = tuple(tuple(sorted(o)) for o in (orbits if orbits is not None else default_orbits(game)))
    for o in orbs:
        for i in o[1:]:
            if any(certified_sign(sympy.expand(p - q)) != 0 if not (sympy.expand(p - q)).free_symbols else sympy.expand(p - q) != 0
                   for p, q in zip(profile[i], profile[o[0]])):
                raise ExactError(f"the profile is not P-invariant: players {o[0] + 1} and {i + 1} share an orbit "
                                 f"but play different strategies")
    eu = symmetric_eu_polynomial(game, orbs)
    point = tuple(profile[o[0]] for o in orbs)
    v = local_max_on_simplices(eu.expr, eu.variables, point)
    return verdict_from_poly(game, profile, v, orbs, _space(orbs))
