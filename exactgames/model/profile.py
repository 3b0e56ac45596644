"""Mixed strategy profiles with exact probabilities.

A profile is a tuple with one strategy per player; a strategy is a tuple of
exact probabilities, one per action, in the order of the player's actions.

Examples
--------
>>> from exactgames.model.game import Game
>>> from exactgames.model.profile import make_profile
>>> g = Game.from_common([["H", "W"]] * 2, {("H", "W"): 1, ("W", "H"): 1})
>>> make_profile(g, [{"H": "1/2", "W": "1/2"}, ["1/3", "2/3"]])
((1/2, 1/2), (1/3, 2/3))
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import sympy

from exactgames.model.exact import ExactError, sign
from exactgames.model.parse import parse_exact

__all__ = ["Profile", "make_profile", "symmetric_profile", "pure_profile", "support", "is_pure", "parse_profile"]

Profile = tuple[tuple[sympy.Expr, ...], ...]


def _actions(game: Any) -> tuple[tuple[str, ...], ...]:
    return game.actions if hasattr(game, "payoffs") else game.player_actions


def _strategy(actions: Sequence[str], spec: Any, player: int, symbols: Any = None, check: bool = True) -> tuple[sympy.Expr, ...]:
    m = len(actions)
    if isinstance(spec, str) and spec in actions:  # a pure action
        return tuple(sympy.Integer(1 if a == spec else 0) for a in actions)
    if isinstance(spec, Mapping):
        probs = [sympy.Integer(0)] * m
        for a, p in spec.items():
            if str(a) not in actions:
                raise ExactError(f"player {player + 1}: no action {a!r} (actions: {list(actions)})")
            try:
                probs[actions.index(str(a))] = parse_exact(p, symbols)
            except ExactError as exc:
                raise ExactError(f"player {player + 1}, action {a}: {exc}") from None
    else:
        seq = list(spec)
        if len(seq) != m:
            raise ExactError(f"player {player + 1}: {len(seq)} probabilities for {m} actions {list(actions)}")
        probs = []
        for a, p in zip(actions, seq):
            try:
                probs.append(parse_exact(p, symbols))
            except ExactError as exc:
                raise ExactError(f"player {player + 1}, action {a}: {exc}") from None
    if check:
        total = sympy.expand(sum(probs))
        if total.free_symbols:
            pass  # symbolic probabilities: sum checked by the caller's assumptions
        elif sign(total - 1) != 0:
            raise ExactError(f"player {player + 1}: probabilities sum to {total}, expected 1")
        for a, p in zip(actions, probs):
            if not p.free_symbols and sign(p) < 0:
                raise ExactError(f"player {player + 1}: probability of {a} is {p} < 0")
    return tuple(probs)


def make_profile(game: Any, strategies: Sequence[Any], symbols: Any = None, check: bool = True) -> Profile:
    """Validate and build an exact profile.

    Parameters
    ----------
    game : Game or AnonymousGame
    strategies : sequence
        One entry per player: an action name (pure strategy), a mapping
        action -> probability, or a sequence of probabilities.
    symbols : names allowed in symbolic probabilities.
    check : bool
        Check that probabilities are non-negative and sum to one (exactly).

    Examples
    --------
    >>> from exactgames.model.game import Game
    >>> g = Game.from_common([["a", "b"]] * 2, lambda p: 1)
    >>> make_profile(g, ["a", {"b": 1}])
    ((1, 0), (0, 1))
    >>> make_profile(g, [["1/2", "1/3"], "a"])
    Traceback (most recent call last):
    ...
    exactgames.model.errors.ExactError: player 1: probabilities sum to 5/6, expected 1
    """
    acts = _actions(game)
    if len(strategies) != len(acts):
        raise ExactError(f"{len(strategies)} strategies for {len(acts)} players")
    return tuple(_strategy(acts[i], s, i, symbols, check) for i, s in enumerate(strategies))


def symmetric_profile(game: Any, strategy: Any, symbols: Any = None) -> Profile:
    """Every player plays the same strategy.

    Examples
    --------
    >>> from exactgames.model.game import AnonymousGame
    >>> g = AnonymousGame.from_function(3, ["a", "b"], lambda c: c[0])
    >>> symmetric_profile(g, ["1/4", "3/4"])[2]
    (1/4, 3/4)
    """
    acts = _actions(game)
    s = _strategy(acts[0], strategy, 0, symbols)
    return tuple(s for _ in acts)


def pure_profile(game: Any, actions: Sequence[Any]) -> Profile:
    """The pure profile where player ``i`` plays ``actions[i]`` (names or indices)."""
    acts = _actions(game)
    out = []
    for i, a in enumerate(actions):
        j = a if isinstance(a, int) else acts[i].index(str(a))
        out.append(tuple(sympy.Integer(1 if k == j else 0) for k in range(len(acts[i]))))
    return tuple(out)


def support(strategy: Sequence[Any]) -> tuple[int, ...]:
    """Indices of actions played with positive probability (exactly decided).

    Examples
    --------
    >>> support((sympy.Integer(0), 2 - sympy.sqrt(2), sympy.sqrt(2) - 1))
    (1, 2)
    """
    return tuple(k for k, p in enumerate(strategy) if (p.free_symbols and p != 0) or (not p.free_symbols and sign(p) > 0))


def is_pure(profile: Profile) -> bool:
    """True if every player plays one action with probability one."""
    return all(len(support(s)) == 1 for s in profile)


def parse_profile(game: Any, text: str, symbols: Any = None) -> Profile:
    """Parse the command-line profile syntax.

    Syntax: strategies separated by ``;``, one per player, or a single
    strategy prefixed with ``sym:`` for every player.  A strategy is an
    action name (pure) or comma-separated ``action=probability`` pairs;
    unlisted actions get probability 0.  Probabilities are exact: ``1/6``,
    ``0.25``, ``2-sqrt(2)``.  A bare comma-separated list of probabilities
    in action order is accepted too.

    Examples
    --------
    >>> from exactgames.model.game import Game
    >>> g = Game.from_common([["H", "W"]] * 2, {("H", "W"): 1, ("W", "H"): 1})
    >>> parse_profile(g, "H=1/2,W=1/2; W")
    ((1/2, 1/2), (0, 1))
    >>> parse_profile(g, "sym: H=2-sqrt(2), W=sqrt(2)-1")[1]
    (2 - sqrt(2), -1 + sqrt(2))
    """
    acts = _actions(game)
    text = text.strip()
    if text.lower().startswith("sym:"):
        parts = [text[4:]] * len(acts)
    else:
        parts = [p for p in text.split(";")]
        if len(parts) == 1 and len(acts) > 1:
            raise ExactError(
                f"profile {text!r} gives 1 strategy for {len(acts)} players; separate strategies with ';' or prefix 'sym:'"
            )
    if len(parts) != len(acts):
        raise ExactError(f"profile gives {len(parts)} strategies for {len(acts)} players")
    specs: list[Any] = []
    for i, part in enumerate(parts):
        part = part.strip()
        if part in acts[i]:
            specs.append(part)
        elif "=" in part:
            d = {}
            for item in part.split(","):
                if "=" not in item:
                    raise ExactError(f"player {i + 1}: {item.strip()!r} is not action=probability")
                a, p = item.split("=", 1)
                if a.strip() in d:
                    raise ExactError(f"player {i + 1}: action {a.strip()!r} given twice")
                d[a.strip()] = p.strip()
            specs.append(d)
        elif "," not in part and len(acts[i]) > 1 and part.isidentifier():  # a single name: meant as an action
            raise ExactError(f"player {i + 1}: unknown action {part!r} (actions: {', '.join(acts[i])})")
        else:
            specs.append([x.strip() for x in part.split(",")])
    return make_profile(game, specs, symbols)
