"""Definition 5.0.3: degenerate Nash equilibria, for a profile and for a game.

A Nash equilibrium ``s`` is degenerate when

(i) ``s`` is deterministic (every ``s_i`` a point mass on ``a_i``) and at least
    two players are indifferent between ``a_i`` and some other action; or
(ii) ``s`` is mixed and for every player ``i`` and every pure ``a_-i`` in
    ``supp(s_-i)``, ``u_i(a_i, a_-i)`` is constant across ``a_i`` in ``supp(s_i)``.

A game is degenerate when it has at least one degenerate Nash equilibrium.
Condition (ii) depends only on the supports, so for a support combination
``S`` satisfying it, a Nash equilibrium with exactly that support exists iff
the off-support inequalities
``sum_{a_-i in S_-i} s_-i(a_-i) (u_i(b, a_-i) - c_i(a_-i)) <= 0`` (``b`` not in
``S_i``, ``c_i`` the common value) have a solution with ``s > 0`` on ``S``.
For two players these are two independent linear feasibility problems, solved
exactly (rational vertex enumeration of the polytope); for more players the inequalities are decided when their
coefficients have one sign, else the combination is undecided.

Every comparison is exact (rational arithmetic, or certified signs of
algebraic numbers).

Examples
--------
>>> from exactgames.paper_games import example_5_0_5, taxi_symmetric
>>> from exactgames.model.profile import pure_profile, make_profile
>>> g = example_5_0_5("1/2")
>>> d = profile_degeneracy(g, pure_profile(g, ["a", "a"]))
>>> d.degenerate, d.case, d.witness["indifferent"]
(True, 'deterministic', ((0, 0, (1, 2)), (1, 0, (1, 2))))
>>> t = taxi_symmetric()
>>> d = profile_degeneracy(t, make_profile(t, [["1/2", "1/2"]] * 2))
>>> d.degenerate, d.witness["player"], d.witness["values"]
(False, 0, (1, 2))
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

import sympy

from exactgames.certify.local_poly import decide_method
from exactgames.certify.local_symmetric import as_profile
from exactgames.certify.nash import nash_certificate
from exactgames.model.exact import ExactError
from exactgames.model.fast_sign import certified_sign
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.profile import Profile, support
from exactgames.numbers.linear import strict_point as _lp_strict_point

__all__ = ["DegeneracyVerdict", "GameDegeneracy", "profile_degeneracy", "game_degeneracy", "pure_payoff"]


@dataclass(frozen=True)
class DegeneracyVerdict:
    """Definition 5.0.3 for one profile.

    Attributes
    ----------
    degenerate : True / False, or None when the profile is not a Nash equilibrium
        (the definition applies to Nash equilibria only) or has parameters
    case : "deterministic", "mixed" or "not a Nash equilibrium"
    witness : deterministic case: ``{"indifferent": ((player, action, (other actions...)), ...)}``;
        mixed non-degenerate: ``{"player", "others", "actions", "values"}`` (a player ``i``, a pure
        ``a_-i`` in the support, two support actions with different payoffs);
        mixed degenerate: ``{"checked": number of (player, a_-i) pairs found constant}``
    method : the arithmetic the verdict rests on
    reason : a sentence
    """

    degenerate: bool | None
    case: str
    witness: dict
    method: str
    reason: str

    def to_json(self, actions: Any = None) -> dict:
        """JSON-ready dictionary (players and actions from 1 / by name)."""

        def name(i: int, k: int) -> Any:
            return actions[i][k] if actions is not None else k

        w: dict[str, Any] = {}
        if "indifferent" in self.witness:
            w["indifferent"] = [{"player": i + 1, "action": name(i, a), "also_best": [name(i, b) for b in bs]}
                                for i, a, bs in self.witness["indifferent"]]
        elif "player" in self.witness:
            i = self.witness["player"]
            w = {
                "player": i + 1,
                "others": {str(j + 1): name(j, a) for j, a in self.witness["others"].items()},
                "actions": [name(i, a) for a in self.witness["actions"]],
                "values": [str(v) for v in self.witness["values"]],
            }
        else:
            w = {k: str(v) for k, v in self.witness.items()}
        return {"degenerate": self.degenerate, "case": self.case, "witness": w, "method": self.method, "reason": self.reason}


@dataclass(frozen=True)
class GameDegeneracy:
    """Whether a game has a degenerate Nash equilibrium.

    Attributes
    ----------
    degenerate : True (``witness`` is a degenerate Nash equilibrium), False
        (proved: none exists), or None (undecided; ``reason`` says why)
    witness : a degenerate Nash equilibrium, or None
    verdict : the :class:`DegeneracyVerdict` of the witness
    method : how it was decided
    reason : a sentence
    supports_checked : support combinations examined
    undecided_supports : support combinations that could not be decided
    """

    degenerate: bool | None
    witness: Profile | None
    verdict: DegeneracyVerdict | None
    method: str
    reason: str
    supports_checked: int = 0
    undecided_supports: tuple = field(default=())


def pure_payoff(game: Game | AnonymousGame, player: int, idx: Sequence[int]) -> sympy.Expr:
    """Payoff of ``player`` at the pure profile given by action indices.

    Examples
    --------
    >>> from exactgames.paper_games import taxi_symmetric
    >>> pure_payoff(taxi_symmetric(), 0, (0, 1))
    2
    """
    if isinstance(game, AnonymousGame):
        m = len(game.actions)
        return game.value(tuple(sum(1 for a in idx if a == k) for k in range(m)))
    return game.payoffs[player][sum(a * s for a, s in zip(idx, game.strides))]


def _others_pure(game: Game | AnonymousGame, supports: Sequence[Sequence[int]], i: int) -> Iterator[dict[int, int]]:
    """Pure ``a_-i`` in the product of the others' supports (for anonymous games: one per count vector)."""
    others = [j for j in range(len(supports)) if j != i]
    if isinstance(game, AnonymousGame):
        seen = set()
        # distinct count vectors only: the payoff depends on counts
        reach: dict[tuple[int, ...], dict[int, int]] = {(0,) * len(game.actions): {}}
        for j in others:
            new: dict = {}
            for c, assign in reach.items():
                for a in supports[j]:
                    c2 = c[:a] + (c[a] + 1,) + c[a + 1:]
                    if c2 not in new:
                        new[c2] = {**assign, j: a}
            reach = new
        for c, assign in reach.items():
            if c not in seen:
                seen.add(c)
                yield assign
        return
    for combo in itertools.product(*(supports[j] for j in others)):
        yield dict(zip(others, combo))


def _full(i: int, a: int, others: dict[int, int], n: int) -> tuple[int, ...]:
    return tuple(a if j == i else others[j] for j in range(n))


def _mixed_condition(game: Game | AnonymousGame, supports: Sequence[Sequence[int]]) -> tuple[bool, dict, int, list]:
    """Condition (ii) for given supports: (holds, first counter-witness, pairs checked, values seen)."""
    n = len(supports)
    checked = 0
    seen: list = []
    for i in range(n):
        if len(supports[i]) < 2:
            continue
        for others in _others_pure(game, supports, i):
            vals = [pure_payoff(game, i, _full(i, a, others, n)) for a in supports[i]]
            seen.extend(vals)
            checked += 1
            for a, v in zip(supports[i][1:], vals[1:]):
                if certified_sign(sympy.expand(v - vals[0])) != 0:
                    return False, {"player": i, "others": dict(others), "actions": (supports[i][0], a),
                                   "values": (vals[0], v)}, checked, seen
    return True, {"checked": checked}, checked, seen



def _opponents_text(actions: dict[int, str]) -> str:
    """Opponents' pure actions, players with the same action grouped: ``players 2: b; 3-10: c`` (players from 1).

    Examples
    --------
    >>> _opponents_text({1: "b", **{j: "c" for j in range(2, 10)}})
    'player 2: b; players 3-10: c'
    """
    from exactgames.optimize.result import players_text

    by: dict[str, list[int]] = {}
    for j, a in sorted(actions.items()):
        by.setdefault(a, []).append(j)
    return "; ".join(f"player{'s' if len(js) > 1 else ''} {players_text(js)}: {a}"
                     for a, js in sorted(by.items(), key=lambda kv: kv[1][0]))


def profile_degeneracy(game: Game | AnonymousGame, profile: Any, nash: Any = None) -> DegeneracyVerdict:
    """Decide Definition 5.0.3 for a given profile, exactly.

    Parameters
    ----------
    game : Game or AnonymousGame (parameters substituted)
    profile : a profile (anything :func:`exactgames.model.profile.make_profile` accepts)
    nash : the profile's :class:`~exactgames.certify.nash.NashCertificate` if already computed

    Returns
    -------
    DegeneracyVerdict

    Examples
    --------
    >>> from exactgames.paper_games import ten_robots
    >>> from exactgames.model.profile import pure_profile
    >>> g = ten_robots().subs({"eps": "1/10"})
    >>> profile_degeneracy(g, pure_profile(g, ["a"] * 10)).degenerate
    False
    """
    if game.parameters:
        raise ExactError(f"the game has parameters {[str(p) for p in game.parameters]}; substitute values first")
    profile = as_profile(game, profile)
    cert = nash if nash is not None else nash_certificate(game, profile)
    if not cert.is_nash:
        return DegeneracyVerdict(None, "not a Nash equilibrium", {"max_gain": cert.max_gain}, cert.method,
                                 f"Definition 5.0.3 applies to Nash equilibria only; max gain {cert.max_gain} > 0")
    supports = [support(s) for s in profile]
    n = len(profile)
    if all(len(s) == 1 for s in supports):
        a = tuple(s[0] for s in supports)
        base = [pure_payoff(game, i, a) for i in range(n)]
        indiff = []
        values = list(base)
        for i in range(n):
            others = {j: a[j] for j in range(n) if j != i}
            eq = []
            for b in range(len(profile[i])):
                if b == a[i]:
                    continue
                v = pure_payoff(game, i, _full(i, b, others, n))
                values.append(v)
                if certified_sign(sympy.expand(v - base[i])) == 0:
                    eq.append(b)
            if eq:
                indiff.append((i, a[i], tuple(eq)))
        deg = len(indiff) >= 2
        who = [i + 1 for i, _, _ in indiff]
        reason = (f"deterministic Nash equilibrium; players indifferent to another action: {who or 'none'}; "
                  + ("at least two, hence degenerate" if deg else "fewer than two, hence non-degenerate"))
        return DegeneracyVerdict(deg, "deterministic", {"indifferent": tuple(indiff)}, decide_method(values), reason)
    holds, w, checked, values = _mixed_condition(game, supports)
    if holds:
        reason = (f"mixed Nash equilibrium; for every player and every pure a_-i in the support ({checked} pairs) the "
                  "payoff is constant across the player's support: degenerate")
    else:
        acts = game.player_actions if isinstance(game, AnonymousGame) else game.actions
        i = w["player"]
        others = _opponents_text({j: acts[j][a] for j, a in w["others"].items()})
        reason = (f"mixed Nash equilibrium; player {i + 1} gets {w['values'][0]} vs {w['values'][1]} from support "
                  f"actions {acts[i][w['actions'][0]]} and {acts[i][w['actions'][1]]} against ({others}): non-degenerate")
    return DegeneracyVerdict(holds, "mixed", w, decide_method(values or [sympy.Integer(0)]), reason)


def _subsets(m: int) -> list[tuple[int, ...]]:
    return [c for r in range(1, m + 1) for c in itertools.combinations(range(m), r)]


def _strategy(m: int, sup: Sequence[int], probs: Sequence[sympy.Expr]) -> tuple[sympy.Expr, ...]:
    out = [sympy.Integer(0)] * m
    for k, p in zip(sup, probs):
        out[k] = p
    return tuple(out)


def game_degeneracy(game: Game | AnonymousGame, max_supports: int = 50000) -> GameDegeneracy:
    """Decide whether the game has a degenerate Nash equilibrium, where decidable.

    Pure equilibria are enumerated.  Mixed ones: support combinations that
    satisfy condition (ii) are tested for a Nash equilibrium with exactly
    that support (exact LP for two players; sign patterns for more).  The
    witness found is re-checked with :func:`profile_degeneracy`.

    Returns
    -------
    GameDegeneracy
        ``degenerate`` True with a witness, False when every case was
        excluded, None when some support combination is undecided (or there
        are more than ``max_supports`` of them and no witness was found).

    Examples
    --------
    >>> from exactgames.paper_games import taxi_symmetric, taxi_large_groups
    >>> game_degeneracy(taxi_symmetric()).degenerate
    False
    >>> from exactgames.model.game import Game
    >>> g = Game.from_common([["a", "b"]] * 2, {("a", "a"): 1, ("a", "b"): 1, ("b", "a"): 1, ("b", "b"): 0})
    >>> r = game_degeneracy(g)
    >>> r.degenerate, r.witness
    (True, ((1, 0), (1, 0)))
    """
    if game.parameters:
        raise ExactError(f"the game has parameters {[str(p) for p in game.parameters]}; substitute values first")
    n = game.n_players
    acts = game.player_actions if isinstance(game, AnonymousGame) else game.actions
    ms = [len(a) for a in acts]
    # pure equilibria (anonymous games: one representative per count vector)
    if isinstance(game, AnonymousGame):
        pure_iter: Iterator[tuple[int, ...]] = (
            tuple(k for k, c in enumerate(cnt) for _ in range(c)) for cnt in _count_vectors(n, ms[0]))
    else:
        pure_iter = itertools.product(*(range(m) for m in ms))
    for a in pure_iter:
        prof = tuple(tuple(sympy.Integer(1 if k == a[i] else 0) for k in range(ms[i])) for i in range(n))
        if not _pure_is_nash(game, a, ms):
            continue
        v = profile_degeneracy(game, prof)
        if v.degenerate:
            return GameDegeneracy(True, prof, v, v.method, "a deterministic degenerate Nash equilibrium")
    total = math.prod(2**m - 1 for m in ms)
    if total > max_supports:
        return GameDegeneracy(None, None, None, "exact", f"no degenerate pure equilibrium; {total} support combinations "
                              f"exceed max_supports={max_supports} for the mixed case", 0)
    checked = 0
    undecided = []
    for sups in itertools.product(*(_subsets(m) for m in ms)):
        if all(len(s) == 1 for s in sups):
            continue
        if isinstance(game, AnonymousGame) and list(sups) != sorted(sups):
            continue  # players are exchangeable: one ordering of the supports suffices
        checked += 1
        holds, _, _, _ = _mixed_condition(game, sups)
        if not holds:
            continue
        found = _nash_with_support(game, sups, ms)
        if found is None:
            continue
        if found == "undecided":
            undecided.append(sups)
            continue
        v = profile_degeneracy(game, found)
        if v.degenerate:
            return GameDegeneracy(True, found, v, v.method, "a mixed degenerate Nash equilibrium with supports "
                                  f"{[[acts[i][k] for k in s] for i, s in enumerate(sups)]}", checked)
    if undecided:
        return GameDegeneracy(None, None, None, "exact", f"{len(undecided)} support combinations satisfy condition (ii) "
                              "but whether they carry a Nash equilibrium is a multilinear feasibility problem "
                              "(more than two players) that was not decided", checked, tuple(undecided))
    return GameDegeneracy(False, None, None, "exact arithmetic (payoff comparisons, exact vertex enumeration)",
                          "no pure Nash equilibrium has two indifferent players, and no support combination satisfying "
                          "condition (ii) carries a Nash equilibrium", checked)


def _count_vectors(n: int, m: int) -> Iterator[tuple[int, ...]]:
    from exactgames.model.counts import count_vectors

    return count_vectors(n, m)


def _pure_is_nash(game: Game | AnonymousGame, a: tuple[int, ...], ms: Sequence[int]) -> bool:
    n = len(a)
    for i in range(n):
        u = pure_payoff(game, i, a)
        for b in range(ms[i]):
            if b != a[i] and certified_sign(sympy.expand(pure_payoff(game, i, a[:i] + (b,) + a[i + 1:]) - u)) > 0:
                return False
    return True


def _nash_with_support(game: Game | AnonymousGame, sups: Sequence[Sequence[int]], ms: Sequence[int]) -> Any:
    """A Nash equilibrium with exactly these supports (given condition (ii)), None if none, or "undecided"."""
    n = len(sups)
    # constraint rows: for player i, off-support b: coefficient of each a_-i
    rows_by_player = []
    for i in range(n):
        rows = []
        others_list = list(itertools.product(*(sups[j] for j in range(n) if j != i)))
        others_idx = [j for j in range(n) if j != i]
        for b in range(ms[i]):
            if b in sups[i]:
                continue
            row = []
            for combo in others_list:
                full_b = tuple(b if j == i else combo[others_idx.index(j)] for j in range(n))
                full_a = tuple(sups[i][0] if j == i else combo[others_idx.index(j)] for j in range(n))
                row.append(sympy.expand(pure_payoff(game, i, full_b) - pure_payoff(game, i, full_a)))
            rows.append(row)
        rows_by_player.append((rows, others_list, others_idx))
    if n == 2:
        strategies: list = [None, None]
        for i in range(2):
            j = 1 - i
            rows, others_list, _ = rows_by_player[i]
            if any(not c.is_Rational for row in rows for c in row):
                return "undecided"
            # others_list enumerates sups[j] in order
            x = _lp_strict_point(rows, len(sups[j]))
            if x is None:
                return None
            strategies[j] = _strategy(ms[j], sups[j], x)
        return tuple(strategies)
    # more players: decide by sign patterns, else try the uniform point
    trivially_ok = True
    for rows, _, _ in rows_by_player:
        for row in rows:
            signs = [certified_sign(c) for c in row]
            if all(s >= 0 for s in signs) and any(s > 0 for s in signs):
                return None
            if any(s > 0 for s in signs):
                trivially_ok = False
    uniform = tuple(_strategy(ms[i], sups[i], [sympy.Rational(1, len(sups[i]))] * len(sups[i])) for i in range(n))
    if trivially_ok or nash_certificate(game, uniform).is_nash:
        return uniform
    return "undecided"
