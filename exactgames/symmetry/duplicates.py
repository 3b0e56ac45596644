"""Payoff-equivalent (duplicate) actions, detected exactly (issue 14 item 15).

Two actions ``a, b`` of player ``i`` are *payoff-equivalent* when every payoff
is the same whichever of the two ``i`` plays, against every pure profile of
the others.  Swapping them is then a game automorphism that is the identity on
the players and on every other player's actions (a *single-player*
automorphism), and the expected payoff depends on ``i``'s strategy only through
the total probability of each class of equivalent actions: the optimum can be
computed on the game with each class merged, and every split of a merged
class's probability between its copies is again optimal.

Payoffs are compared through exact integer codes
(:func:`exactgames.symmetry.values.exact_codes`: equal codes iff exactly equal).

Examples
--------
>>> from exactgames.model.game import Game
>>> g = Game.from_common([["A", "B", "B2"]] * 2, lambda p: int(p[0] == p[1] == "A") + int({p[0], p[1]} <= {"B", "B2"}))
>>> duplicate_actions(g)
(((1, 2),), ((1, 2),))
>>> [a.to_string(g.actions) for a in duplicate_generators(g)]
['(1:B 1:B2)', '(2:B 2:B2)']
"""

from __future__ import annotations

import numpy as np

from exactgames.model.game import AnonymousGame, Game
from exactgames.symmetry.automorphisms import GameAutomorphism, _codes

__all__ = ["duplicate_actions", "duplicate_generators"]


def duplicate_actions(game: Game) -> tuple[tuple[tuple[int, ...], ...], ...]:
    """Per player, the classes (two or more actions) of exactly payoff-equivalent actions, 0-based.

    Every payoff row counts (general payoffs: each player's payoff must agree).
    Anonymous games are refused (their actions are shared by all players; use the dense form).
    """
    if isinstance(game, AnonymousGame):
        raise ValueError("duplicate actions of an anonymous game: convert it to the dense form first")
    codes, _ = _codes(game)
    n = game.n_players
    out = []
    for i in range(n):
        m = codes.shape[1 + i]
        rows = np.moveaxis(codes, 1 + i, 0).reshape(m, -1)
        _, inv = np.unique(rows, axis=0, return_inverse=True)
        inv = np.asarray(inv).reshape(-1)
        classes: dict[int, list[int]] = {}
        for k, c in enumerate(inv.tolist()):
            classes.setdefault(c, []).append(k)
        out.append(tuple(sorted(tuple(c) for c in classes.values() if len(c) > 1)))
    return tuple(out)


def duplicate_generators(game: Game) -> list[GameAutomorphism]:
    """Single-player automorphisms generating every permutation of each duplicate class (adjacent transpositions).

    Each is verified exactly on the game before it is returned.
    """
    from exactgames.symmetry.automorphisms import is_automorphism

    n = game.n_players
    ident = [tuple(range(len(a))) for a in game.actions]
    gens = []
    for i, classes in enumerate(duplicate_actions(game)):
        for cls in classes:
            for a, b in zip(cls, cls[1:]):
                m = list(ident[i])
                m[a], m[b] = b, a
                g = GameAutomorphism(tuple(range(n)), tuple(tuple(m) if j == i else ident[j] for j in range(n)))
                if not is_automorphism(game, g):  # pragma: no cover - equal codes are equal payoffs
                    raise AssertionError(f"{g.to_string(game.actions)} is not an automorphism")
                gens.append(g)
    return gens
