"""Game automorphisms: symmetries over players *and* actions, their notation and exact checks (issue 15).

A game automorphism ``g = (pi, sigma)`` is a player permutation ``pi`` with,
for every player ``i``, a bijection ``sigma_i : A_i -> A_pi(i)`` such that
payoffs are preserved: ``u(g.a) = u(a)`` for a common payoff and
``u_pi(i)(g.a) = u_i(a)`` for general payoffs, where ``(g.a)_pi(i) = sigma_i(a_i)``.

This module holds the type :class:`GameAutomorphism`, its text syntax
(:func:`parse_automorphisms`, :meth:`GameAutomorphism.to_string`) and the
exact tests on a game's payoff table (:func:`is_automorphism`,
:func:`violating_profile`, on integer codes of the exact payoffs,
:func:`exactgames.symmetry.values.exact_codes`).  The whole automorphism
group, found by graph automorphism, is
:func:`exactgames.symmetry.automorphism_search.automorphism_group`.

Notation
--------
Generators print as cycles on players (numbered from 1) followed by cycles on
action points ``player:action``; an action point that is not listed maps to the
action *of the same name* of the image player.  ``(1 2)(1:H 2:W)(1:W 2:H)``
swaps the players of a Battle of the Sexes and renames their actions.

Examples
--------
>>> from exactgames.model.game import Game
>>> bos = Game.from_common([["H", "W"]] * 2, {("H", "W"): 2, ("W", "H"): 2, ("H", "H"): 1, ("W", "W"): 1})
>>> [g] = parse_automorphisms("(1 2)(1:H 2:W)(1:W 2:H)", bos.actions)
>>> is_automorphism(bos, g), g.to_string(bos.actions)
(True, '(1 2)(1:H 2:W)(1:W 2:H)')
>>> violating_profile(bos, GameAutomorphism((0, 1), ((1, 0), (0, 1))))
('H', 'H')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from sympy.combinatorics import Permutation

from exactgames.model.game import AnonymousGame, Game
from exactgames.symmetry.values import exact_codes

__all__ = [
    "GameAutomorphism",
    "is_automorphism",
    "violating_profile",
    "parse_automorphisms",
    "AutomorphismSyntaxError",
    "NotAnAutomorphismError",
]


class AutomorphismSyntaxError(ValueError):
    """An automorphism string could not be read (the message says where)."""


class NotAnAutomorphismError(ValueError):
    """A given player/action permutation does not preserve the payoffs (the message names a profile)."""


# ---------------------------------------------------------------------------- one automorphism
@dataclass(frozen=True)
class GameAutomorphism:
    """One game automorphism ``(pi, sigma)``.

    Attributes
    ----------
    players : tuple of int
        ``players[i] = pi(i)`` (0-based).
    actions : tuple of tuple of int
        ``actions[i][k]`` is the index in ``A_pi(i)`` of ``sigma_i`` (k-th action of ``i``).

    Examples
    --------
    >>> g = GameAutomorphism((1, 0), ((1, 0), (1, 0)))
    >>> g.combined((2, 2))
    [1, 0, 5, 4, 3, 2]
    >>> g.to_string((("H", "W"), ("H", "W")))
    '(1 2)(1:H 2:W)(1:W 2:H)'
    """

    players: tuple[int, ...]
    actions: tuple[tuple[int, ...], ...]

    @property
    def is_player_only(self) -> bool:
        """Whether every action map is the identity on action *indices* (use :meth:`follows_names` for names)."""
        return all(tuple(m) == tuple(range(len(m))) for m in self.actions)

    def follows_names(self, names: Sequence[Sequence[str]]) -> bool:
        """Whether every action goes to the action of the same name (a player-only symmetry, Definition 3.2.1)."""
        return all(names[self.players[i]][t] == names[i][k] for i, m in enumerate(self.actions) for k, t in enumerate(m))

    def combined(self, sizes: Sequence[int]) -> list[int]:
        """The permutation of the combined points (players, then (player, action) points in player order)."""
        n = len(sizes)
        off = _offsets(sizes)
        out = list(self.players)
        for i in range(n):
            for k in range(sizes[i]):
                out.append(off[self.players[i]] + self.actions[i][k])
        return out

    @classmethod
    def from_combined(cls, perm: Sequence[int], sizes: Sequence[int]) -> "GameAutomorphism":
        """Inverse of :meth:`combined`."""
        n = len(sizes)
        off = _offsets(sizes)
        pl = tuple(int(perm[i]) for i in range(n))
        acts = tuple(tuple(int(perm[off[i] + k]) - off[pl[i]] for k in range(sizes[i])) for i in range(n))
        return cls(pl, acts)

    def to_string(self, names: Sequence[Sequence[str]]) -> str:
        """Readable cycle notation (players from 1, action points ``player:name``; name-following points omitted)."""
        sizes = [len(a) for a in names]
        n = len(sizes)
        perm = Permutation(self.combined(sizes))
        off = _offsets(sizes)
        parts = []
        for cyc in perm.cyclic_form:
            if cyc[0] < n:
                parts.append("(" + " ".join(str(x + 1) for x in cyc) + ")")
        for cyc in perm.cyclic_form:
            if cyc[0] < n:
                continue
            if all(_follows(x, perm.array_form[x], names, off, n) for x in cyc):
                continue
            parts.append("(" + " ".join(_point_name(x, names, off, n) for x in cyc) + ")")
        return "".join(parts) or "()"


def _offsets(sizes: Sequence[int]) -> list[int]:
    off = [len(sizes)]
    for m in sizes[:-1]:
        off.append(off[-1] + m)
    return off


def _owner(x: int, off: Sequence[int]) -> int:
    i = 0
    while i + 1 < len(off) and off[i + 1] <= x:
        i += 1
    return i


def _follows(x: int, y: int, names: Sequence[Sequence[str]], off: Sequence[int], n: int) -> bool:
    i, j = _owner(x, off), _owner(y, off)
    return names[i][x - off[i]] == names[j][y - off[j]]


def _point_name(x: int, names: Sequence[Sequence[str]], off: Sequence[int], n: int) -> str:
    i = _owner(x, off)
    k = x - off[i]
    a = names[i][k]
    if not a or re.search(r"[\s():;#]", a):
        a = f"#{k + 1}"
    return f"{i + 1}:{a}"


# ---------------------------------------------------------------------------- parsing
def parse_automorphisms(text: str, names: Sequence[Sequence[str]]) -> list[GameAutomorphism]:
    """Read generators in the notation :meth:`GameAutomorphism.to_string` prints (separated by ``;``).

    Action points are ``player:name`` or ``player:#index`` (from 1); an action
    point not listed goes to the same-named action of the image player.

    Examples
    --------
    >>> gs = parse_automorphisms("(1 2)(1:H 2:W)(1:W 2:H); (1 2)", [("H", "W"), ("H", "W")])
    >>> gs[0].actions, gs[1].actions
    (((1, 0), (1, 0)), ((0, 1), (0, 1)))
    """
    sizes = [len(a) for a in names]
    n = len(sizes)
    off = _offsets(sizes)
    out = []
    for gen in text.split(";"):
        gen = gen.strip()
        if not gen:
            raise AutomorphismSyntaxError(f"empty generator in {text!r}")
        cycles = re.findall(r"\(([^()]*)\)", gen)
        if re.sub(r"\(([^()]*)\)", "", gen).strip():
            raise AutomorphismSyntaxError(f"{gen!r}: expected cycles in parentheses")
        img: dict[int, int] = {}
        for cyc in cycles:
            pts = [_parse_point(tok, names, off, n) for tok in cyc.split()]
            if len(set(pts)) != len(pts):
                raise AutomorphismSyntaxError(f"({cyc}): a point repeats")
            for a, b in zip(pts, pts[1:] + pts[:1]):
                if a in img:
                    raise AutomorphismSyntaxError(f"{gen!r}: point {_show(a, names, off, n)} appears twice")
                img[a] = b
        for a, b in img.items():
            if (a < n) != (b < n):
                raise AutomorphismSyntaxError(f"{gen!r}: a cycle mixes players and actions")
        pl = [img.get(i, i) for i in range(n)]
        perm = list(pl)
        for i in range(n):
            for k in range(sizes[i]):
                x = off[i] + k
                if x in img:
                    y = img[x]
                    if _owner(y, off) != pl[i]:
                        raise AutomorphismSyntaxError(
                            f"{gen!r}: action {_show(x, names, off, n)} goes to {_show(y, names, off, n)}, "
                            f"but player {i + 1} goes to player {pl[i] + 1}")
                else:
                    j = pl[i]
                    if names[i][k] not in names[j]:
                        raise AutomorphismSyntaxError(
                            f"{gen!r}: action {_show(x, names, off, n)} is not mapped and player {j + 1} has no action named {names[i][k]!r}")
                    y = off[j] + list(names[j]).index(names[i][k])
                perm.append(y)
        if sorted(perm) != list(range(len(perm))):
            raise AutomorphismSyntaxError(f"{gen!r}: the action maps are not bijections")
        out.append(GameAutomorphism.from_combined(perm, sizes))
    return out


def _show(x: int, names: Any, off: Any, n: int) -> str:
    return str(x + 1) if x < n else _point_name(x, names, off, n)


def _parse_point(tok: str, names: Sequence[Sequence[str]], off: Sequence[int], n: int) -> int:
    if ":" not in tok:
        try:
            p = int(tok)
        except ValueError:
            raise AutomorphismSyntaxError(f"{tok!r}: expected a player number or player:action") from None
        if not 1 <= p <= n:
            raise AutomorphismSyntaxError(f"player {p} out of range 1..{n}")
        return p - 1
    ps, a = tok.split(":", 1)
    try:
        p = int(ps)
    except ValueError:
        raise AutomorphismSyntaxError(f"{tok!r}: expected a player number before ':'") from None
    if not 1 <= p <= n:
        raise AutomorphismSyntaxError(f"{tok!r}: player {p} out of range 1..{n}")
    acts = list(names[p - 1])
    if a.startswith("#") and a[1:].isdigit():
        k = int(a[1:]) - 1
        if not 0 <= k < len(acts):
            raise AutomorphismSyntaxError(f"{tok!r}: player {p} has {len(acts)} actions")
    elif a in acts:
        k = acts.index(a)
    else:
        raise AutomorphismSyntaxError(f"{tok!r}: player {p} has no action {a!r} (actions: {', '.join(acts)})")
    return off[p - 1] + k


# ---------------------------------------------------------------------------- coded tables
def _codes(game: Game) -> tuple[np.ndarray, bool]:
    """Integer codes of the exact payoffs, shape ``(rows, m_1, ..., m_n)``, game's own axis order."""
    common = bool(game.is_common_payoff)
    rows = [game.payoffs[0]] if common else list(game.payoffs)
    flat: list[Any] = []
    for r in rows:
        flat.extend(r)
    codes, _ = exact_codes(flat)
    arr = np.asarray(codes, dtype=np.int64).reshape((len(rows),) + tuple(len(a) for a in game.actions))
    return arr, common


def _image_table(table: np.ndarray, g: GameAutomorphism) -> np.ndarray:
    """``E[a] = table[g.a]`` for one row ``table`` (axes = players)."""
    n = table.ndim
    T = table.transpose(list(g.players))  # T[x] = table[y] with y_pi(i) = x_i
    idx = np.ix_(*[np.asarray(g.actions[i], dtype=np.intp) for i in range(n)])
    return T[idx]


def _check_coded(codes: np.ndarray, common: bool, g: GameAutomorphism) -> bool:
    sizes = codes.shape[1:]
    n = len(sizes)
    for i in range(n):
        if len(g.actions[i]) != sizes[i] or sizes[g.players[i]] != sizes[i]:
            return False
    if common:
        return bool(np.array_equal(_image_table(codes[0], g), codes[0]))
    return all(np.array_equal(_image_table(codes[g.players[i]], g), codes[i]) for i in range(n))


def is_automorphism(game: Game, g: GameAutomorphism) -> bool:
    """Exact test that ``g`` preserves every payoff on every pure profile.

    Examples
    --------
    >>> from exactgames.model.game import Game
    >>> bos = Game.from_common([["H", "W"]] * 2, {("H", "W"): 2, ("W", "H"): 2, ("H", "H"): 1, ("W", "W"): 1})
    >>> is_automorphism(bos, GameAutomorphism((0, 1), ((1, 0), (1, 0)))), is_automorphism(bos, GameAutomorphism((0, 1), ((1, 0), (0, 1))))
    (True, False)
    """
    if isinstance(game, AnonymousGame):
        game = game.to_dense()
    codes, common = _codes(game)
    return _check_coded(codes, common, g)


def violating_profile(game: Game, g: GameAutomorphism) -> tuple[str, ...] | None:
    """A pure profile (by names) where ``g`` changes a payoff, or None."""
    codes, common = _codes(game)
    n = game.n_players
    for row in range(codes.shape[0]):
        src = codes[0] if common else codes[g.players[row]]
        bad = np.argwhere(_image_table(src, g) != codes[row])
        if len(bad):
            return tuple(game.actions[i][int(bad[0][i])] for i in range(n))
    return None
