"""Exact verification that a player permutation is a symmetry (Definition 3.2.1).

For pure profiles, Definition 3.2.1 reads: ``rho`` is a symmetry iff

    u_{rho(i)}(a) = u_i(a o rho)   for every player i and pure profile a,

where ``(a o rho)_j = a_{rho(j)}``; for a common payoff this is
``u(a) = u(a o rho)``.  (By multilinearity of expected utility the pure
profiles suffice for all mixed profiles.)  Players can only be swapped if
their action sets are equal (as sets of names); actions are matched by name.

The check is done on integer codes of the exact payoffs
(:mod:`exactgames.symmetry.values`) held in numpy arrays with one axis per
player, so a candidate is verified in ``O(#profiles)`` by one axis
transposition and one array comparison -- no float is involved.

Examples
--------
>>> from exactgames.model.game import Game
>>> ring = Game.from_common([["x", "y"]] * 4, lambda a: sum(a[i] == a[(i + 1) % 4] for i in range(4)))
>>> is_symmetry(ring, [1, 2, 3, 0]), is_symmetry(ring, [1, 0, 2, 3])
(True, False)
>>> find_violation(ring, [1, 0, 2, 3])
('x', 'y', 'x', 'y')
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from exactgames.model.game import AnonymousGame, Game
from exactgames.symmetry.permutations import as_permutation
from exactgames.symmetry.values import exact_codes, exactly_equal

__all__ = ["PayoffTable", "payoff_table", "is_symmetry", "find_violation", "violation_message"]


@dataclass(frozen=True, eq=False)
class PayoffTable:
    """Exact payoff codes of a dense game, ready for permutation checks.

    Attributes
    ----------
    n_players : int
    action_names : tuple of tuple of str
        Each player's actions in *sorted* name order (the axis order of ``codes``).
    action_class : tuple of int
        Players with equal action sets share a class; only they can be swapped.
    common : bool
        True if the payoff is common (``codes`` has one row).
    codes : numpy.ndarray
        Shape ``(rows, m_1, ..., m_n)`` of int64 codes; ``rows`` is 1 for a
        common payoff, else ``n_players``.
    n_values : int
        Number of distinct exact payoff values.
    """

    n_players: int
    action_names: tuple[tuple[str, ...], ...]
    action_class: tuple[int, ...]
    common: bool
    codes: np.ndarray
    n_values: int

    def permuted(self, perm: Sequence[int], row: int = 0) -> np.ndarray:
        """Array ``V`` with ``V[a] = codes[row][a o rho]`` (requires matching action classes)."""
        inv = np.argsort(np.asarray(perm))
        return self.codes[row].transpose(inv)

    def compatible(self, perm: Sequence[int]) -> bool:
        """Whether ``rho`` only maps players onto players with the same action set."""
        return all(self.action_class[i] == self.action_class[p] for i, p in enumerate(perm))

    def check(self, perm: Sequence[int]) -> bool:
        """Exact test of Definition 3.2.1 on all pure profiles."""
        if not self.compatible(perm):
            return False
        if self.common:
            return bool(np.array_equal(self.permuted(perm), self.codes[0]))
        return all(np.array_equal(self.permuted(perm, i), self.codes[perm[i]]) for i in range(self.n_players))


_CACHE: "weakref.WeakKeyDictionary[Any, PayoffTable]" = weakref.WeakKeyDictionary()


def payoff_table(game: Game) -> PayoffTable:
    """Build (and cache per game object) the coded payoff table of a dense game.

    Examples
    --------
    >>> from exactgames.paper_games import taxi_symmetric
    >>> t = payoff_table(taxi_symmetric())
    >>> t.codes.shape, t.n_values, t.common
    ((1, 2, 2), 2, True)
    """
    try:
        return _CACHE[game]
    except (KeyError, TypeError):
        pass
    n = game.n_players
    name_sets: dict[frozenset, int] = {}
    classes = []
    sorted_names = []
    orders = []
    for acts in game.actions:
        key = frozenset(acts)
        classes.append(name_sets.setdefault(key, len(name_sets)))
        names = tuple(sorted(acts))
        sorted_names.append(names)
        orders.append([acts.index(a) for a in names])
    common = bool(game.is_common_payoff)
    rows = [game.payoffs[0]] if common else list(game.payoffs)
    flat: list[Any] = []
    for r in rows:
        flat.extend(r)
    codes, reps = exact_codes(flat)
    arr = np.asarray(codes, dtype=np.int64).reshape((len(rows),) + tuple(game.shape))
    for axis, order in enumerate(orders):
        if order != list(range(len(order))):
            arr = np.take(arr, order, axis=axis + 1)
    arr = np.ascontiguousarray(arr)
    table = PayoffTable(n, tuple(sorted_names), tuple(classes), common, arr, len(reps))
    try:
        _CACHE[game] = table
    except TypeError:  # pragma: no cover - unhashable game objects are simply not cached
        pass
    return table


def _perm_list(game: Any, perm: Any) -> list[int]:
    return list(as_permutation(perm, game.n_players).array_form)


def is_symmetry(game: Game | AnonymousGame, perm: Any) -> bool:
    """Exactly decide whether a player permutation is a symmetry of the game.

    Parameters
    ----------
    game : Game or AnonymousGame
    perm : sympy Permutation or sequence of 0-based images

    Examples
    --------
    >>> from exactgames.paper_games import taxi_permits, taxi_symmetric
    >>> is_symmetry(taxi_symmetric(), [1, 0]), is_symmetry(taxi_permits(), [1, 0])
    (True, False)
    """
    return find_violation(game, perm) is None


def find_violation(game: Game | AnonymousGame, perm: Any) -> tuple | None:
    """A pure profile (action names) where ``perm`` fails Definition 3.2.1, or None.

    For a common payoff the returned profile ``a`` has ``u(a) != u(a o rho)``;
    for general payoffs some player ``i`` has ``u_{rho(i)}(a) != u_i(a o rho)``
    (:func:`violation_message` says which).  If ``rho`` maps a player onto one
    with a different action set, the profile has some player ``rho(j)`` play an
    action that player ``j`` does not have.

    Examples
    --------
    >>> from exactgames.paper_games import taxi_permits
    >>> find_violation(taxi_permits(), [1, 0])
    ('H', 'W')
    """
    p = _perm_list(game, perm)
    if isinstance(game, AnonymousGame):
        return None
    tab = payoff_table(game)
    if not tab.compatible(p):
        return _action_mismatch_profile(game, p)
    if tab.common:
        bad = np.flatnonzero(tab.permuted(p) != tab.codes[0])
        if bad.size:
            return _names(tab, np.unravel_index(bad[0], tab.codes.shape[1:]))
        return None
    for i in range(tab.n_players):
        bad = np.flatnonzero(tab.permuted(p, i) != tab.codes[p[i]])
        if bad.size:
            return _names(tab, np.unravel_index(bad[0], tab.codes.shape[1:]))
    return None


def _names(tab: PayoffTable, idx: Sequence[Any]) -> tuple[str, ...]:
    return tuple(tab.action_names[i][int(x)] for i, x in enumerate(idx))


def _action_mismatch_profile(game: Game, p: list[int]) -> tuple:
    for j, pj in enumerate(p):
        extra = [a for a in game.actions[pj] if a not in game.actions[j]]
        if extra:
            prof = [acts[0] for acts in game.actions]
            prof[pj] = extra[0]
            return tuple(prof)
    raise AssertionError("unreachable: incompatible permutation without a missing action")  # pragma: no cover


def violation_message(game: Game | AnonymousGame, perm: Any) -> str | None:
    """A sentence explaining why ``perm`` is not a symmetry (players and profile from 1), or None.

    Examples
    --------
    >>> from exactgames.paper_games import taxi_permits
    >>> print(violation_message(taxi_permits(), [1, 0]))
    at profile (H, W) the payoff is 0, but at the permuted profile (W, H) it is 2
    """
    from exactgames.symmetry.permutations import cycle_string

    p = _perm_list(game, perm)
    prof = find_violation(game, p)
    if prof is None:
        return None
    if isinstance(game, AnonymousGame):  # pragma: no cover - anonymous games have no violations
        return None
    for j, pj in enumerate(p):
        if set(game.actions[j]) != set(game.actions[pj]):
            return (
                f"{cycle_string(p)} maps player {j + 1} to player {pj + 1}, but their action sets differ "
                f"({sorted(game.actions[j])} vs {sorted(game.actions[pj])}); e.g. at profile ({', '.join(prof)}) "
                f"player {pj + 1}'s action {prof[pj]} is not available to player {j + 1}"
            )
    moved = tuple(prof[p[j]] for j in range(len(p)))
    show = lambda t: "(" + ", ".join(t) + ")"  # noqa: E731
    if game.is_common_payoff:
        return f"at profile {show(prof)} the payoff is {game.payoff(0, prof)}, but at the permuted profile {show(moved)} it is {game.payoff(0, moved)}"
    for i in range(len(p)):
        a, b = game.payoff(p[i], prof), game.payoff(i, moved)
        if not exactly_equal(a, b):
            return (
                f"at profile {show(prof)} player {p[i] + 1} gets {a}, but player {i + 1} gets {b} at the permuted "
                f"profile {show(moved)} (Definition 3.2.1 needs them equal)"
            )
    return f"at profile {show(prof)}"  # pragma: no cover
