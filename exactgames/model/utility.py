"""Exact expected utility, deviation payoffs and the symmetric EU polynomial.

All arithmetic is exact.  When payoffs and probabilities are rational the
computation runs in python-flint ``fmpq`` (fast); when the payoffs are
rational and the probabilities lie in one real number field ``Q(alpha)``
(a closed-form optimum), in that field (:mod:`exactgames.model.numberfield`,
also fast); otherwise in sympy.

Examples
--------
>>> from exactgames.model.game import Game
>>> from exactgames.model.profile import make_profile
>>> from exactgames.model.utility import expected_utility, deviation_payoffs
>>> g = Game.from_common([["H", "W"]] * 2, {("H", "W"): 1, ("W", "H"): 1})
>>> s = make_profile(g, [["1/2", "1/2"], ["1/2", "1/2"]])
>>> expected_utility(g, s)
1/2
>>> deviation_payoffs(g, s, 0)
(1/2, 1/2)
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from typing import Any, Sequence

import flint
import sympy

from exactgames.model.counts import count_vectors, multinomial
from exactgames.model.exact import ExactError, from_fmpq, is_rational, to_fmpq
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.lift import lift_numbers, to_sympy

__all__ = [
    "expected_utility",
    "expected_utilities",
    "deviation_payoffs",
    "lift_profile",
    "lifted_deviation_payoffs",
    "lifted_expected_utility",
    "SymmetricEU",
    "symmetric_eu_polynomial",
    "symmetric_eu_mpoly",
    "count_coefficients",
    "others_count_distribution",
]


def _profile_rational(profile: Sequence[Sequence[Any]]) -> bool:
    return all(is_rational(p) for s in profile for p in s)


def lift_profile(game: Game | AnonymousGame, profile: Sequence[Sequence[Any]]) -> tuple[tuple[Any, ...], ...] | None:
    """The profile in exact fast arithmetic, or None when only sympy applies.

    For a game with rational payoffs: python-flint ``fmpq`` when every
    probability is rational; :class:`~exactgames.model.numberfield.NFElement`
    when every probability lies in one real number field ``Q(alpha)``
    (:func:`~exactgames.model.lift.lift_numbers`).  None otherwise
    (irrational payoffs, several algebraic atoms, parameters).  The lifted
    profile is what :func:`lifted_deviation_payoffs` and
    :func:`lifted_expected_utility` take.

    Examples
    --------
    >>> from exactgames.model.game import Game
    >>> from exactgames.model.profile import make_profile
    >>> g = Game.from_common([["a", "b"]] * 2, {("a", "a"): 1, ("b", "b"): 2})
    >>> lift_profile(g, make_profile(g, [["sqrt(2) - 1", "2 - sqrt(2)"], ["1/3", "2/3"]]))
    ((-1 + sqrt(2), 2 - sqrt(2)), (1/3, 2/3))
    >>> lift_profile(g, make_profile(g, [["1/2", "1/2"], ["1/3", "2/3"]]))
    ((1/2, 1/2), (1/3, 2/3))
    """
    if not game.is_rational:
        return None
    if _profile_rational(profile):
        return tuple(tuple(to_fmpq(p) for p in s) for s in profile)
    flat = [p for s in profile for p in s]
    lifted = lift_numbers(flat)
    if lifted is None:
        return None
    vals = iter(lifted[1])
    return tuple(tuple(next(vals) for _ in s) for s in profile)


def _lift(profile: Sequence[Sequence[Any]], fast: bool) -> list[list[Any]]:
    if fast:
        return [[to_fmpq(p) for p in s] for s in profile]
    return [[sympy.sympify(p) for p in s] for s in profile]


def _down(x: Any, fast: bool) -> sympy.Expr:
    return to_sympy(x) if fast else sympy.expand(x)


def _sum(terms: list, fast: bool) -> Any:
    if fast:
        acc = flint.fmpq(0)
        for t in terms:
            acc += t
        return acc
    return sympy.Add(*terms)


def _contract_axis(arr: list, shape: tuple[int, ...], j: int, s: Sequence[Any], fast: bool) -> tuple[list, tuple[int, ...]]:
    outer = math.prod(shape[:j])
    m = shape[j]
    inner = math.prod(shape[j + 1 :])
    nz = [(t, p) for t, p in enumerate(s) if p != 0]
    out = []
    for o in range(outer):
        base = o * m * inner
        for r in range(inner):
            out.append(_sum([arr[base + t * inner + r] * p for t, p in nz], fast))
    return out, shape[:j] + shape[j + 1 :]


def _dense_values(game: Game, strat: Sequence[Sequence[Any]], player: int, fast: bool) -> list:
    arr = list(game.fmpq_payoffs[player]) if fast else list(game.payoffs[player])
    shape = game.shape
    # contract every axis but ``player``, last axis first so indices stay valid
    for j in range(game.n_players - 1, -1, -1):
        if j == player:
            continue
        arr, shape = _contract_axis(arr, shape, j, strat[j], fast)
    return arr


def others_count_distribution(strategies: Sequence[Sequence[Any]], m: int, fast: bool = False) -> dict[tuple[int, ...], Any]:
    """Probability of each count vector of the given (independent) players' actions.

    Examples
    --------
    >>> half = (sympy.Rational(1, 2), sympy.Rational(1, 2))
    >>> others_count_distribution([half, half], 2)
    {(2, 0): 1/4, (1, 1): 1/2, (0, 2): 1/4}
    """
    strategies = list(strategies)
    if fast:
        return _grouped_distribution(strategies, m)
    if strategies and all(tuple(s) == tuple(strategies[0]) for s in strategies):
        s = strategies[0]
        k = len(strategies)
        out = {}
        for c in count_vectors(k, m):
            coef = multinomial(c)
            term = sympy.Integer(coef)
            for a, ca in enumerate(c):
                if ca:
                    term = term * s[a] ** ca
            if term != 0:
                out[c] = sympy.expand(term)
        return out
    dist: dict[tuple[int, ...], Any] = {(0,) * m: sympy.Integer(1)}
    for s in strategies:
        new: dict[tuple[int, ...], Any] = {}
        for c, pc in dist.items():
            for a, p in enumerate(s):
                if p == 0:
                    continue
                c2 = c[:a] + (c[a] + 1,) + c[a + 1 :]
                v = pc * p
                new[c2] = new[c2] + v if c2 in new else v
        dist = {c: sympy.expand(v) for c, v in new.items()}
    return dist


def _grouped_distribution(strategies: list, m: int) -> dict[tuple[int, ...], Any]:
    """:func:`others_count_distribution` in fast arithmetic (``fmpq`` / ``NFElement``).

    Players with equal strategies form a group whose count vector is
    multinomial (one product of cached powers per count vector of the
    group's support); the groups' distributions are then convolved, a pure
    strategy being a mere shift.
    """
    groups: dict[tuple, int] = {}
    for s in strategies:
        key = tuple(s)
        groups[key] = groups.get(key, 0) + 1
    dist: dict[tuple[int, ...], Any] = {(0,) * m: flint.fmpq(1)}
    for s, k in groups.items():
        sup = [a for a in range(m) if s[a] != 0]
        if len(sup) == 1 and s[sup[0]] == 1:  # pure: every one of the k players plays sup[0]
            a = sup[0]
            dist = {c[:a] + (c[a] + k,) + c[a + 1 :]: pc for c, pc in dist.items()}
            continue
        powers = {}
        for a in sup:
            pw = [flint.fmpq(1), s[a]]
            for _ in range(k - 1):
                pw.append(pw[-1] * s[a])
            powers[a] = pw
        part = []
        for cs in count_vectors(k, len(sup)):
            term: Any = flint.fmpq(multinomial(cs))
            c = [0] * m
            for a, ca in zip(sup, cs):
                c[a] = ca
                if ca:
                    term = powers[a][ca] * term
            part.append((c, term))
        new: dict[tuple[int, ...], Any] = {}
        for c1, p1 in dist.items():
            for c2, p2 in part:
                c = tuple(x + y for x, y in zip(c1, c2))
                v = p2 * p1
                new[c] = new[c] + v if c in new else v
        dist = new
    return dist


def _anonymous_values(game: AnonymousGame, strat: Sequence[Sequence[Any]], player: int, fast: bool) -> list:
    table = game.fmpq_payoff if fast else game.payoff
    m = len(game.actions)
    dist = others_count_distribution([s for i, s in enumerate(strat) if i != player], m, fast)
    return [_sum([pc * table[c[:a] + (c[a] + 1,) + c[a + 1 :]] for c, pc in dist.items()], fast) for a in range(m)]


def _values(game: Game | AnonymousGame, strat: Sequence[Sequence[Any]], player: int, fast: bool) -> list:
    if not 0 <= player < len(strat):
        raise ExactError(f"player {player + 1} out of range 1..{len(strat)}")
    if isinstance(game, AnonymousGame):
        return _anonymous_values(game, strat, player, fast)
    return _dense_values(game, strat, player, fast)


def lifted_deviation_payoffs(game: Game | AnonymousGame, lifted: Sequence[Sequence[Any]], player: int) -> tuple[Any, ...]:
    """:func:`deviation_payoffs` of a profile from :func:`lift_profile`, as ``fmpq`` / ``NFElement`` values.

    Examples
    --------
    >>> from exactgames.model.game import Game
    >>> from exactgames.model.profile import make_profile
    >>> g = Game.from_common([["a", "b"]] * 2, {("a", "a"): 1, ("b", "b"): 2})
    >>> s = lift_profile(g, make_profile(g, [["sqrt(2) - 1", "2 - sqrt(2)"]] * 2))
    >>> lifted_deviation_payoffs(g, s, 0)
    (-1 + sqrt(2), 4 - 2*sqrt(2))
    """
    return tuple(_values(game, lifted, player, True))


def lifted_expected_utility(game: Game | AnonymousGame, lifted: Sequence[Sequence[Any]], player: int = 0) -> Any:
    """:func:`expected_utility` of a profile from :func:`lift_profile`, as an ``fmpq`` / ``NFElement``.

    Examples
    --------
    >>> from exactgames.model.game import Game
    >>> from exactgames.model.profile import make_profile
    >>> g = Game.from_common([["a", "b"]] * 2, {("a", "a"): 1, ("b", "b"): 2})
    >>> lifted_expected_utility(g, lift_profile(g, make_profile(g, [["sqrt(2) - 1", "2 - sqrt(2)"]] * 2)))
    15 - 10*sqrt(2)
    """
    v = _values(game, lifted, player, True)
    return _sum([p * x for p, x in zip(lifted[player], v) if p != 0], True)


def deviation_payoffs(game: Game | AnonymousGame, profile: Sequence[Sequence[Any]], player: int) -> tuple[sympy.Expr, ...]:
    """``EU_i(a, s_-i)`` for every action ``a`` of player ``i`` (0-based), exactly.

    Rational games with a rational profile are computed in python-flint
    ``fmpq``; with a profile in one number field ``Q(alpha)`` in that field
    (:mod:`exactgames.model.numberfield`; the values come back as reduced
    polynomials in ``alpha``); anything else in sympy.

    Parameters
    ----------
    game : Game or AnonymousGame
    profile : exact profile (see :func:`exactgames.model.profile.make_profile`)
    player : int, 0-based

    Returns
    -------
    tuple of sympy.Expr, one per action of ``player``.

    Examples
    --------
    >>> from exactgames.model.game import AnonymousGame
    >>> from exactgames.model.profile import symmetric_profile
    >>> g = AnonymousGame.from_function(3, ["a", "b"], lambda c: 1 if c[0] == 3 else 0)
    >>> deviation_payoffs(g, symmetric_profile(g, ["1/2", "1/2"]), 0)
    (1/4, 0)
    """
    if not 0 <= player < len(profile):
        raise ExactError(f"player {player + 1} out of range 1..{len(profile)}")
    lifted = lift_profile(game, profile)
    if lifted is not None:
        return tuple(to_sympy(v) for v in _values(game, lifted, player, True))
    return tuple(sympy.expand(v) for v in _values(game, _lift(profile, False), player, False))


def expected_utility(game: Game | AnonymousGame, profile: Sequence[Sequence[Any]], player: int = 0) -> sympy.Expr:
    """Exact expected utility of ``player`` (0-based) under a mixed profile.

    Examples
    --------
    >>> from exactgames.model.game import Game
    >>> g = Game.from_common([["a", "b"]] * 2, {("a", "a"): 1, ("b", "b"): "sqrt(2)"})
    >>> expected_utility(g, [["1/2", "1/2"], ["1/2", "1/2"]])   # plain lists are parsed exactly
    1/4 + sqrt(2)/4
    """
    from exactgames.model.profile import make_profile

    if not all(isinstance(p, sympy.Basic) or isinstance(p, flint.fmpq) for s in profile for p in s):
        profile = make_profile(game, profile)
    lifted = lift_profile(game, profile)
    if lifted is not None:
        return to_sympy(lifted_expected_utility(game, lifted, player))
    v = deviation_payoffs(game, profile, player)
    return sympy.expand(sympy.Add(*[p * x for p, x in zip(profile[player], v)]))


def expected_utilities(game: Game | AnonymousGame, profile: Sequence[Sequence[Any]]) -> tuple[sympy.Expr, ...]:
    """Expected utility of every player.

    Examples
    --------
    >>> pd = {("C", "C"): (3, 3), ("C", "D"): (0, 5), ("D", "C"): (5, 0), ("D", "D"): (1, 1)}
    >>> g = Game.from_payoff_function([["C", "D"]] * 2, lambda p: pd[p])
    >>> expected_utilities(g, [[1, 0], ["1/2", "1/2"]])
    (3/2, 4)
    """
    if game.is_common_payoff:
        u = expected_utility(game, profile, 0)
        return tuple(u for _ in profile)
    return tuple(expected_utility(game, profile, i) for i in range(len(profile)))


# ---------------------------------------------------------------------------------------------
# the symmetric EU polynomial


_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


@dataclass(frozen=True)
class SymmetricEU:
    """The expected utility of P-invariant profiles as a polynomial.

    ``variables[o][k]`` is the probability that a player of orbit ``o``
    plays its ``k``-th action; ``expr`` is the (common) expected utility.
    """

    expr: sympy.Expr
    variables: tuple[tuple[sympy.Symbol, ...], ...]
    orbits: tuple[tuple[int, ...], ...]
    actions: tuple[tuple[str, ...], ...]


def _orbits_default(game: Game | AnonymousGame, orbits: Sequence[Sequence[int]] | None) -> tuple[tuple[int, ...], ...]:
    n = game.n_players
    if orbits is None:
        if isinstance(game, AnonymousGame):
            return (tuple(range(n)),)
        raise ExactError("orbits are required for a dense game (compute them with exactgames.symmetry)")
    orbs = tuple(tuple(sorted(o)) for o in orbits)
    flat = sorted(i for o in orbs for i in o)
    if flat != list(range(n)):
        raise ExactError(f"orbits {[[i + 1 for i in o] for o in orbs]} do not partition players 1..{n}")
    acts = game.actions if isinstance(game, Game) else game.player_actions
    for o in orbs:
        if any(acts[i] != acts[o[0]] for i in o):
            raise ExactError(f"players {[i + 1 for i in o]} share an orbit but have different actions")
    return orbs


def count_coefficients(
    game: Game | AnonymousGame, orbits: Sequence[Sequence[int]] | None = None, player: int = 0
) -> tuple[tuple[tuple[tuple[int, ...], ...], Any], ...]:
    """Coefficients of the symmetric EU polynomial, keyed by per-orbit count vectors.

    The EU of the P-invariant profile ``x`` is
    ``sum_key coef[key] * prod_o prod_k x[o][k] ** key[o][k]``.
    Coefficients are ``fmpq`` for rational games, sympy otherwise.

    Examples
    --------
    >>> from exactgames.model.game import Game
    >>> g = Game.from_common([["H", "W"]] * 2, {("H", "W"): 1, ("W", "H"): 1})
    >>> count_coefficients(g, [[0, 1]])
    ((((1, 1),), 2),)
    """
    orbs = _orbits_default(game, orbits)
    fast = game.is_rational
    acc: dict = {}
    if isinstance(game, AnonymousGame):
        m = len(game.actions)
        table = game.fmpq_payoff if fast else game.payoff
        per_orbit = [list(count_vectors(len(o), m)) for o in orbs]
        for key in itertools.product(*per_orbit):
            total = tuple(sum(c[k] for c in key) for k in range(m))
            coef = math.prod(multinomial(c) for c in key)
            v = table[total]
            if v != 0:
                acc[key] = v * coef
    else:
        owner = [0] * game.n_players
        for oi, o in enumerate(orbs):
            for i in o:
                owner[i] = oi
        sizes = [len(game.actions[o[0]]) for o in orbs]
        row = game.fmpq_payoffs[player] if fast else game.payoffs[player]
        for idx, prof in enumerate(game.index_profiles()):
            v = row[idx]
            if v == 0:
                continue
            counts = [[0] * sizes[oi] for oi in range(len(orbs))]
            for i, a in enumerate(prof):
                counts[owner[i]][a] += 1
            key = tuple(tuple(c) for c in counts)
            acc[key] = acc[key] + v if key in acc else v
    return tuple((k, v) for k, v in acc.items() if v != 0)


def _variables(game: Game | AnonymousGame, orbs: tuple[tuple[int, ...], ...]) -> tuple[tuple[sympy.Symbol, ...], ...]:
    acts = game.actions if isinstance(game, Game) else game.player_actions
    out = []
    for oi, o in enumerate(orbs):
        names = acts[o[0]]
        tag = "" if len(orbs) == 1 else str(oi + 1)
        ok = all(_IDENT.match(a) for a in names)
        out.append(
            tuple(sympy.Symbol(f"x{tag}_{a}" if ok else f"x{tag}_{k + 1}", nonnegative=True) for k, a in enumerate(names))
        )
    return tuple(out)


def symmetric_eu_polynomial(
    game: Game | AnonymousGame, orbits: Sequence[Sequence[int]] | None = None, player: int = 0
) -> SymmetricEU:
    """The EU of P-invariant profiles (one strategy per orbit) as a sympy polynomial.

    Parameters
    ----------
    game : Game or AnonymousGame
    orbits : list of lists of 0-based players; every orbit plays one strategy.
        Defaults to one orbit for an anonymous game.
    player : whose expected utility (0-based; irrelevant for common payoff).

    Examples
    --------
    The robot butlers of Appendix C, all in one orbit: drink with
    probability ``x_D``.

    >>> from exactgames.model.game import Game
    >>> def u(p):
    ...     total = 0
    ...     for g in range(4):
    ...         seen = {p[(g - 1) % 4], p[g], p[(g + 1) % 4]}
    ...         total += 0 if "D" not in seen else (2 if "F" in seen else 1)
    ...     return total
    >>> g = Game.from_common([["F", "D"]] * 4, u)
    >>> eu = symmetric_eu_polynomial(g, [[0, 1, 2, 3]])
    >>> sympy.factor(eu.expr.subs(eu.variables[0][0], 1 - eu.variables[0][1]))
    4*x_D*(x_D**2 - 6*x_D + 6)
    """
    orbs = _orbits_default(game, orbits)
    vars_ = _variables(game, orbs)
    terms = []
    for key, coef in count_coefficients(game, orbs, player):
        c = from_fmpq(coef) if isinstance(coef, flint.fmpq) else coef
        mon = sympy.Integer(1)
        for oi, cnt in enumerate(key):
            for k, e in enumerate(cnt):
                if e:
                    mon *= vars_[oi][k] ** e
        terms.append(c * mon)
    return SymmetricEU(sympy.expand(sympy.Add(*terms)), vars_, orbs, tuple(
        (game.actions if isinstance(game, Game) else game.player_actions)[o[0]] for o in orbs))


def symmetric_eu_mpoly(
    game: Game | AnonymousGame, orbits: Sequence[Sequence[int]] | None = None, player: int = 0
) -> tuple[flint.fmpq_mpoly, flint.fmpq_mpoly_ctx]:
    """The symmetric EU polynomial as a python-flint ``fmpq_mpoly`` (rational games only).

    Variables are ordered orbit by orbit, action by action, named as in
    :func:`symmetric_eu_polynomial`.

    Examples
    --------
    >>> from exactgames.model.game import Game
    >>> g = Game.from_common([["H", "W"]] * 2, {("H", "W"): 1, ("W", "H"): 1})
    >>> p, ctx = symmetric_eu_mpoly(g, [[0, 1]])
    >>> p
    2*x_H*x_W
    >>> p(flint.fmpq(1, 2), flint.fmpq(1, 2))
    1/2
    """
    if not game.is_rational:
        raise ExactError("the flint polynomial needs rational payoffs; use symmetric_eu_polynomial")
    orbs = _orbits_default(game, orbits)
    vars_ = _variables(game, orbs)
    names = tuple(str(v) for vs in vars_ for v in vs)
    ctx = flint.fmpq_mpoly_ctx.get(names)
    terms = {}
    for key, coef in count_coefficients(game, orbs, player):
        exp = tuple(e for cnt in key for e in cnt)
        terms[exp] = coef
    return ctx.from_dict(terms), ctx
