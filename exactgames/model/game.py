"""Games as plain exact data: a dense table and a compact anonymous form.

Two representations:

* :class:`Game` -- a dense normal-form game.  ``payoffs[i][k]`` is player
  ``i``'s exact payoff at the ``k``-th pure profile, profiles being listed in
  ``itertools.product`` order (player 1 slowest, the last player fastest).
* :class:`AnonymousGame` -- a common-payoff game whose payoff depends only on
  how many players choose each action (a *count vector*).  It stores one
  payoff per count vector, ``C(n+m-1, m-1)`` numbers, so 50 players with 3
  actions take 1,326 numbers instead of ``3**50``.

Examples
--------
>>> from exactgames.model.game import Game
>>> g = Game.from_common([["H", "W"], ["H", "W"]], {("H", "W"): 1, ("W", "H"): 1})
>>> g.n_players, g.shape, g.is_common_payoff
(2, (2, 2), True)
>>> g.payoff(0, ("H", "W"))
1
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import flint
import sympy

from exactgames.model.counts import count_vectors
from exactgames.model.exact import ExactError, exact_max, is_rational, to_fmpq
from exactgames.model.parse import parse_exact

__all__ = ["Game", "AnonymousGame", "GameLike"]


def _names(seq: Iterable[Any], what: str) -> tuple[str, ...]:
    out = tuple(str(x) for x in seq)
    if len(set(out)) != len(out):
        raise ExactError(f"duplicate {what} names: {list(out)}")
    if not out:
        raise ExactError(f"at least one {what} is required")
    return out


def _exact_all(values: Iterable[Any], symbols: Any, where: Callable[[int], str]) -> tuple[sympy.Expr, ...]:
    out = []
    for k, v in enumerate(values):
        try:
            out.append(parse_exact(v, symbols))
        except ExactError as exc:
            raise type(exc)(f"{where(k)}: {exc}") from None
    return tuple(out)


@dataclass(frozen=True, eq=False)
class Game:
    """A dense n-player normal-form game with exact payoffs.

    Parameters
    ----------
    actions : tuple of tuple of str
        ``actions[i]`` are player ``i``'s action names.
    payoffs : tuple of tuple of sympy.Expr
        ``payoffs[i][k]``: payoff of player ``i`` at pure profile number ``k``
        (``itertools.product`` order over action indices).
    players : tuple of str
        Player names.
    title : str
        Free text.
    domains : tuple of (name, assumption) pairs
        Declared parameter domains: ``"positive"``, ``"nonnegative"``,
        ``"real"`` or an interval such as ``"[0, 1]"`` or ``"(0, 1/2]"``.

    Examples
    --------
    >>> g = Game.from_common([["a", "b"]] * 3, lambda p: 1 if len(set(p)) == 1 else 0)
    >>> g.n_profiles, g.payoff(2, ("b", "b", "b"))
    (8, 1)
    """

    actions: tuple[tuple[str, ...], ...]
    payoffs: tuple[tuple[sympy.Expr, ...], ...]
    players: tuple[str, ...] = ()
    title: str = ""
    domains: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        n = len(self.actions)
        if n < 1:
            raise ExactError("a game needs at least one player")
        if not self.players:
            object.__setattr__(self, "players", tuple(str(i + 1) for i in range(n)))
        if len(self.players) != n:
            raise ExactError(f"{len(self.players)} player names for {n} players")
        if len(self.payoffs) != n:
            raise ExactError(f"payoffs given for {len(self.payoffs)} players, expected {n}")
        size = math.prod(len(a) for a in self.actions)
        for i, row in enumerate(self.payoffs):
            if len(row) != size:
                raise ExactError(f"player {i + 1}: {len(row)} payoffs, expected {size} (one per pure profile)")

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_payoff_function(
        cls,
        actions: Sequence[Sequence[Any]],
        payoff: Callable[[tuple[str, ...]], Any],
        players: Sequence[str] | None = None,
        title: str = "",
        symbols: Any = None,
    ) -> "Game":
        """Build a general-payoff game from ``payoff(profile) -> sequence of n values``.

        Examples
        --------
        >>> g = Game.from_payoff_function([["x", "y"], ["x", "y"]], lambda p: (1, 0) if p[0] == p[1] else (0, 1))
        >>> g.is_common_payoff
        False
        """
        acts = tuple(_names(a, "action") for a in actions)
        n = len(acts)
        cols: list[list[Any]] = [[] for _ in range(n)]
        for prof in itertools.product(*acts):
            vals = tuple(payoff(prof))
            if len(vals) != n:
                raise ExactError(f"profile {prof}: {len(vals)} payoffs, expected {n}")
            for i, v in enumerate(vals):
                cols[i].append(v)
        profiles = list(itertools.product(*acts))
        pay = tuple(
            _exact_all(col, symbols, lambda k, i=i: f"profile {profiles[k]}, player {i + 1}") for i, col in enumerate(cols)
        )
        return cls(acts, pay, tuple(players) if players else (), title)

    @classmethod
    def from_common(
        cls,
        actions: Sequence[Sequence[Any]],
        payoff: Mapping[tuple, Any] | Callable[[tuple[str, ...]], Any],
        players: Sequence[str] | None = None,
        title: str = "",
        symbols: Any = None,
        default: Any = 0,
    ) -> "Game":
        """Build a common-payoff game.

        ``payoff`` is a function of the profile (a tuple of action names) or a
        mapping from profiles to values; profiles missing from a mapping get
        ``default``.

        Examples
        --------
        >>> g = Game.from_common([["H", "W"]] * 2, {("H", "W"): 1, ("W", "H"): 1})
        >>> [g.payoff(0, p) for p in g.profiles()]
        [0, 1, 1, 0]
        """
        acts = tuple(_names(a, "action") for a in actions)
        if callable(payoff):
            fn = payoff
        else:
            table = {tuple(str(x) for x in k): v for k, v in payoff.items()}
            valid = set(itertools.product(*acts))
            for k in table:
                if k not in valid:
                    raise ExactError(f"payoff given for {k}, which is not a pure profile of this game")
            fn = lambda p: table.get(p, default)  # noqa: E731
        profiles = list(itertools.product(*acts))
        common = _exact_all((fn(p) for p in profiles), symbols, lambda k: f"profile {profiles[k]}")
        return cls(acts, tuple(common for _ in acts), tuple(players) if players else (), title)

    # ------------------------------------------------------------------ shape
    @property
    def n_players(self) -> int:
        return len(self.actions)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(a) for a in self.actions)

    @property
    def n_profiles(self) -> int:
        return math.prod(self.shape)

    def profiles(self) -> Iterator[tuple[str, ...]]:
        """Pure profiles (action names) in storage order."""
        return itertools.product(*self.actions)

    def index_profiles(self) -> Iterator[tuple[int, ...]]:
        """Pure profiles as action indices, in storage order."""
        return itertools.product(*(range(m) for m in self.shape))

    @cached_property
    def strides(self) -> tuple[int, ...]:
        s = [1] * self.n_players
        for i in range(self.n_players - 2, -1, -1):
            s[i] = s[i + 1] * self.shape[i + 1]
        return tuple(s)

    def index(self, profile: Sequence[Any]) -> int:
        """Storage index of a pure profile given by action names or indices."""
        if len(profile) != self.n_players:
            raise ExactError(f"profile {tuple(profile)} has {len(profile)} entries, expected {self.n_players}")
        k = 0
        for i, a in enumerate(profile):
            j = self.action_index(i, a)
            k += j * self.strides[i]
        return k

    def action_index(self, player: int, action: Any) -> int:
        acts = self.actions[player]
        if isinstance(action, int) and not isinstance(action, bool):
            if not 0 <= action < len(acts):
                raise ExactError(f"player {player + 1}: action index {action} out of range 0..{len(acts) - 1}")
            return action
        try:
            return acts.index(str(action))
        except ValueError:
            raise ExactError(f"player {player + 1} has no action {action!r} (actions: {list(acts)})") from None

    def payoff(self, player: int, profile: Sequence[Any]) -> sympy.Expr:
        """Exact payoff of ``player`` (0-based) at a pure profile."""
        return self.payoffs[player][self.index(profile)]

    # ------------------------------------------------------------------ properties
    @cached_property
    def is_common_payoff(self) -> bool:
        first = self.payoffs[0]
        return all(row is first or row == first for row in self.payoffs[1:])

    @cached_property
    def parameters(self) -> tuple[sympy.Symbol, ...]:
        syms: set = set()
        for row in self.payoffs:
            for v in set(row):
                syms |= v.free_symbols
        return tuple(sorted(syms, key=str))

    @cached_property
    def is_rational(self) -> bool:
        """True if every payoff is a rational number (the fast flint path applies)."""
        return all(is_rational(v) for row in self.payoffs for v in set(row))

    @cached_property
    def fmpq_payoffs(self) -> tuple[tuple[flint.fmpq, ...], ...]:
        """Payoffs as python-flint ``fmpq`` (only for rational games)."""
        if not self.is_rational:
            raise ExactError("payoffs are not all rational; no fmpq table")
        cache: dict = {}
        out = []
        for row in self.payoffs:
            if id(row) in cache:
                out.append(cache[id(row)])
                continue
            conv = tuple(to_fmpq(v) for v in row)
            cache[id(row)] = conv
            out.append(conv)
        return tuple(out)

    def subs(self, values: Mapping[Any, Any]) -> "Game":
        """Substitute parameter values (exact) and return a new game.

        Examples
        --------
        >>> g = Game.from_common([["a", "b"]] * 2, {("a", "b"): "1 + eps"}, symbols=["eps"])
        >>> g.subs({"eps": "1/2"}).payoff(0, ("a", "b"))
        3/2
        """
        rep = _substitution(self.parameters, values)
        cache: dict = {}
        rows = []
        for row in self.payoffs:
            if id(row) not in cache:
                cache[id(row)] = tuple(sympy.expand(v.subs(rep)) for v in row)
            rows.append(cache[id(row)])
        left = tuple((k, v) for k, v in self.domains if k not in {str(s) for s in rep})
        return Game(self.actions, tuple(rows), self.players, self.title, left)

    def payoff_range(self) -> tuple[sympy.Expr, sympy.Expr] | None:
        """Smallest and largest payoff over all players (None if symbolic)."""
        if self.parameters:
            return None
        return _exact_range({v for row in self.payoffs for v in row})

    def _repr_latex_(self) -> str:
        from exactgames.model.display import game_latex

        return game_latex(self)

    def _repr_html_(self) -> str:
        from exactgames.model.display import game_html

        return game_html(self)


def _exact_range(values: set) -> tuple[sympy.Expr, sympy.Expr]:
    """Smallest and largest of exact constant values, compared exactly."""
    vals = list(values)
    hi, _ = exact_max(vals)
    lo_neg, _ = exact_max([-v for v in vals])
    return -lo_neg, hi


def _substitution(parameters: tuple[sympy.Symbol, ...], values: Mapping[Any, Any]) -> dict:
    """Map parameter names (or symbols) to exact values, using the game's own symbols (with their assumptions)."""
    by_name = {str(s): s for s in parameters}
    rep = {}
    for k, v in values.items():
        name = str(k)
        if name not in by_name:
            raise ExactError(f"no parameter {name!r} (parameters: {sorted(by_name) or 'none'})")
        rep[by_name[name]] = parse_exact(v)
    return rep


@dataclass(frozen=True, eq=False)
class AnonymousGame:
    """A common-payoff game whose payoff depends only on action counts.

    Every player has the same actions; ``payoff[c]`` is the common payoff
    when ``c[k]`` players choose action ``k``.  Such a game is totally
    symmetric: every permutation of the players is a symmetry.

    Parameters
    ----------
    n_players : int
    actions : tuple of str
    payoff : dict mapping count vectors to exact values
        Must contain every count vector exactly once.
    players : tuple of str, optional
    title : str
    domains : tuple of (name, assumption) pairs, as for :class:`Game`.

    Examples
    --------
    The ten-robot game of Section 2.1 (three actions a, b, c):

    >>> g = AnonymousGame.from_function(10, ["a", "b", "c"],
    ...     lambda c: 1 if c == (10, 0, 0) else ("1 + eps" if c == (0, 1, 9) else 0), symbols=["eps"])
    >>> len(g.payoff), g.value((0, 1, 9))
    (66, eps + 1)
    """

    n_players: int
    actions: tuple[str, ...]
    payoff: Mapping[tuple[int, ...], sympy.Expr]
    players: tuple[str, ...] = ()
    title: str = ""
    domains: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.n_players < 1:
            raise ExactError("an anonymous game needs at least one player")
        if not self.players:
            object.__setattr__(self, "players", tuple(str(i + 1) for i in range(self.n_players)))
        if len(self.players) != self.n_players:
            raise ExactError(f"{len(self.players)} player names for {self.n_players} players")
        m = len(self.actions)
        expected = math.comb(self.n_players + m - 1, m - 1)
        for c in self.payoff:
            if len(c) != m or sum(c) != self.n_players or min(c) < 0:
                raise ExactError(f"count vector {c} is not {m} non-negative counts summing to {self.n_players}")
        if len(self.payoff) != expected:
            raise ExactError(f"{len(self.payoff)} count vectors given, expected {expected}")

    @classmethod
    def from_function(
        cls,
        n_players: int,
        actions: Sequence[Any],
        payoff: Callable[[tuple[int, ...]], Any] | Mapping[tuple[int, ...], Any],
        players: Sequence[str] | None = None,
        title: str = "",
        symbols: Any = None,
        default: Any = None,
    ) -> "AnonymousGame":
        """Build from ``payoff(counts)`` or a mapping of count vectors (missing ones get ``default``).

        Examples
        --------
        >>> g = AnonymousGame.from_function(2, ["H", "W"], {(1, 1): 1}, default=0)
        >>> g.value((2, 0)), g.value((1, 1))
        (0, 1)
        """
        acts = _names(actions, "action")
        m = len(acts)
        if callable(payoff):
            fn = payoff
        else:
            table = {tuple(int(x) for x in k): v for k, v in payoff.items()}
            for k in table:
                if len(k) != m or sum(k) != n_players or min(k) < 0:
                    raise ExactError(f"count vector {k} is not {m} non-negative counts summing to {n_players}")

            def fn(c: tuple[int, ...]) -> Any:
                if c in table:
                    return table[c]
                if default is None:
                    raise ExactError(f"no payoff for count vector {c} and no default")
                return default

        out = {}
        for c in count_vectors(n_players, m):
            try:
                out[c] = parse_exact(fn(c), symbols)
            except ExactError as exc:
                raise type(exc)(f"count vector {c}: {exc}") from None
        return cls(n_players, acts, out, tuple(players) if players else (), title)

    # the same interface as Game where it makes sense
    @property
    def shape(self) -> tuple[int, ...]:
        return (len(self.actions),) * self.n_players

    @property
    def n_profiles(self) -> int:
        return len(self.actions) ** self.n_players

    @property
    def player_actions(self) -> tuple[tuple[str, ...], ...]:
        return (self.actions,) * self.n_players

    is_common_payoff = True

    def value(self, counts: Sequence[int]) -> sympy.Expr:
        """Payoff at a count vector."""
        return self.payoff[tuple(counts)]

    def counts_of(self, profile: Sequence[Any]) -> tuple[int, ...]:
        """Count vector of a pure profile (action names or indices)."""
        c = [0] * len(self.actions)
        for a in profile:
            c[a if isinstance(a, int) else self.actions.index(str(a))] += 1
        return tuple(c)

    @cached_property
    def parameters(self) -> tuple[sympy.Symbol, ...]:
        syms: set = set()
        for v in self.payoff.values():
            syms |= v.free_symbols
        return tuple(sorted(syms, key=str))

    @cached_property
    def is_rational(self) -> bool:
        return all(is_rational(v) for v in self.payoff.values())

    @cached_property
    def fmpq_payoff(self) -> dict[tuple[int, ...], flint.fmpq]:
        if not self.is_rational:
            raise ExactError("payoffs are not all rational; no fmpq table")
        return {c: to_fmpq(v) for c, v in self.payoff.items()}

    def subs(self, values: Mapping[Any, Any]) -> "AnonymousGame":
        """Substitute parameter values exactly."""
        rep = _substitution(self.parameters, values)
        left = tuple((k, v) for k, v in self.domains if k not in {str(s) for s in rep})
        return AnonymousGame(
            self.n_players, self.actions, {c: sympy.expand(v.subs(rep)) for c, v in self.payoff.items()}, self.players, self.title,
            left,
        )

    def payoff_range(self) -> tuple[sympy.Expr, sympy.Expr] | None:
        if self.parameters:
            return None
        return _exact_range(set(self.payoff.values()))

    def to_dense(self, max_profiles: int = 10**6) -> Game:
        """Expand to a dense :class:`Game` (refused above ``max_profiles`` profiles).

        Examples
        --------
        >>> AnonymousGame.from_function(3, ["a", "b"], lambda c: c[0]).to_dense().payoff(0, ("a", "b", "a"))
        2
        """
        if self.n_profiles > max_profiles:
            raise ExactError(f"{self.n_profiles} pure profiles exceed max_profiles={max_profiles}")
        m = len(self.actions)
        row = []
        for prof in itertools.product(range(m), repeat=self.n_players):
            c = [0] * m
            for a in prof:
                c[a] += 1
            row.append(self.payoff[tuple(c)])
        row_t = tuple(row)
        return Game(self.player_actions, tuple(row_t for _ in range(self.n_players)), self.players, self.title, self.domains)

    def _repr_latex_(self) -> str:
        from exactgames.model.display import game_latex

        return game_latex(self)

    def _repr_html_(self) -> str:
        from exactgames.model.display import game_html

        return game_html(self)


GameLike = Game | AnonymousGame
