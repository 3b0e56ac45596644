"""Profiles invariant under a group of game automorphisms, and their optimum by reduction (issue 15).

For a subgroup ``H`` of automorphisms (players and actions), an ``H``-invariant
profile ``s`` satisfies ``s_pi(i)(sigma_i(a)) = s_i(a)``.  Per player orbit, the
representative ``r``'s strategy is constant on the action orbits ("blocks") of
its stabiliser ``H_r`` and is transported by ``sigma`` to the other members.

The optimiser and the verdicts live above this layer
(:func:`exactgames.invariant_optimum.invariant_optimum`); this module only reduces.

The *reduced game* ``G'`` has the players of ``G``; player ``j``'s actions are
the blocks of its orbit's representative, carried to ``j`` by a transversal
element; the payoff of a pure profile of blocks is the uniform average of
``u`` over the product of the blocks.  EU is multilinear, so
``EU'(y) = EU(s(y))`` exactly, and the player permutations of ``H`` are
symmetries of ``G'``.  The existing certified optimiser
(:func:`exactgames.optimize.optimize`) is then called on ``G'`` with the
player orbits of ``H``; the optimum maps back to a profile of ``G``, whose
verdicts are computed on ``G`` with the certify layer.

Examples
--------
>>> from exactgames.model.game import Game
>>> bos = Game.from_common([["H", "W"]] * 2, {("H", "W"): 2, ("W", "H"): 2, ("H", "H"): 1, ("W", "W"): 1})
>>> red = reduce_game(bos)
>>> red.game.actions
(('H+W',), ('H+W',))
>>> red.game.payoffs[0]
(3/2,)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import sympy
from flint import fmpq
from sympy.combinatorics import Permutation, PermutationGroup

from exactgames.model.counts import multinomial
from exactgames.model.game import AnonymousGame, Game
from exactgames.symmetry.automorphism_search import automorphism_group
from exactgames.symmetry.automorphisms import GameAutomorphism, _offsets, parse_automorphisms

__all__ = ["ReducedGame", "reduce_game", "lift_strategies"]


@dataclass(frozen=True, eq=False)
class ReducedGame:
    """The reduced common-payoff game ``G'`` of a subgroup ``H``.

    Attributes
    ----------
    game : Game
        ``G'``; player ``j``'s action ``t`` is the block ``blocks[j][t]``.
    blocks : tuple of tuple of tuple of int
        ``blocks[j][t]``: the action indices of ``G``'s player ``j`` in block ``t``.
    orbits : tuple of tuple of int
        Player orbits of ``H`` (0-based).
    player_generators : tuple of tuple of int
        The player permutations of ``H``'s generators (symmetries of ``G'``).
    generators : tuple of GameAutomorphism
    """

    game: Game
    blocks: tuple[tuple[tuple[int, ...], ...], ...]
    orbits: tuple[tuple[int, ...], ...]
    player_generators: tuple[tuple[int, ...], ...]
    generators: tuple[GameAutomorphism, ...]

    def lift(self, y: Sequence[Sequence[Any]]) -> tuple[tuple[sympy.Expr, ...], ...]:
        """The ``H``-invariant profile of ``G`` for a profile ``y`` of ``G'`` (one strategy per player)."""
        out = []
        for j, blocks in enumerate(self.blocks):
            m = sum(len(b) for b in blocks)
            s = [sympy.Integer(0)] * m
            for t, b in enumerate(blocks):
                for k in b:
                    s[k] = sympy.sympify(y[j][t]) / len(b)
            out.append(tuple(s))
        return tuple(out)

    def toml(self) -> str:
        """``G'`` in the native dense TOML form (for a checker to replay)."""
        import os
        import tempfile

        from exactgames.io import write_game

        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "reduced.toml")
            write_game(self.game, p)
            with open(p) as f:
                return f.read()


def _generators(game: Game, subgroup: Any) -> list[GameAutomorphism]:
    if subgroup is None or subgroup == "all":
        return list(automorphism_group(game).generators)
    if isinstance(subgroup, str):
        return parse_automorphisms(subgroup, game.actions)
    return list(subgroup)


def reduce_game(game: Game, subgroup: Any = None) -> ReducedGame:
    """Build ``G'`` for ``H`` = ``subgroup`` (generators, a string, or None/"all" for the whole group).

    Every generator is verified exactly on ``game`` first.

    Examples
    --------
    >>> from exactgames.paper_games import taxi_symmetric
    >>> r = reduce_game(taxi_symmetric(), "(1 2)")
    >>> r.game.actions, r.orbits
    ((('H', 'W'), ('H', 'W')), ((0, 1),))
    """
    from exactgames.symmetry.automorphisms import NotAnAutomorphismError, is_automorphism, violating_profile

    if isinstance(game, AnonymousGame):
        red = _reduce_anonymous(game, subgroup)
        if red is not None:
            return red
        game = game.to_dense()  # a subgroup that the count form cannot carry (raises above 10**6 profiles)
    if not game.is_common_payoff:
        raise ValueError("the invariant optimum needs a common-payoff game")
    gens = _generators(game, subgroup)
    for g in gens:
        if not is_automorphism(game, g):
            bad = violating_profile(game, g)
            raise NotAnAutomorphismError(f"{g.to_string(game.actions)} is not an automorphism: the payoff changes at {bad}")
    sizes = [len(a) for a in game.actions]
    n = len(sizes)
    off = _offsets(sizes)
    total = n + sum(sizes)
    perms = [Permutation(g.combined(sizes)) for g in gens]
    H = PermutationGroup(perms) if perms else PermutationGroup([Permutation(list(range(total)))])
    arrs = [p.array_form for p in perms]
    # player orbits with a transversal (combined permutation taking the representative to each member)
    trans: dict[int, list[int]] = {}
    orbits = []
    for r in range(n):
        if r in trans:
            continue
        trans[r] = list(range(total))
        orb = [r]
        queue = [r]
        while queue:
            x = queue.pop()
            for a in arrs:
                y = a[x]
                if y not in trans:
                    trans[y] = [a[v] for v in trans[x]]  # a o trans[x]
                    orb.append(y)
                    queue.append(y)
        orbits.append(tuple(sorted(orb)))
    blocks: list[Any] = [None] * n
    labels: list[Any] = [None] * n
    for orb in orbits:
        r = orb[0]
        stab = H.stabilizer(r) if perms else H
        pts = set(range(off[r], off[r] + sizes[r]))
        seen: set[int] = set()
        rb = []
        for x in sorted(pts):
            if x in seen:
                continue
            o = sorted(stab.orbit(x)) if perms else [x]
            seen |= set(o)
            rb.append(tuple(v - off[r] for v in o))
        lab = tuple("+".join(game.actions[r][k] for k in b) for b in rb)
        for j in orb:
            t = trans[j]
            blocks[j] = tuple(tuple(sorted(t[off[r] + k] - off[j] for k in b)) for b in rb)
            labels[j] = lab
    # payoff: average of u over the product of blocks, exactly (integers over a common denominator)
    vals = [fmpq(int(sympy.fraction(v)[0]), int(sympy.fraction(v)[1])) for v in _rational_row(game)]
    den = 1
    for v in vals:
        den = int(np.lcm(den, int(v.q))) if den < 2**62 else den * int(v.q)
    ints = [int(v * den) for v in vals]
    use_int64 = max((abs(x) for x in ints), default=0) * len(ints) < 2**62
    arr = np.asarray(ints, dtype=np.int64 if use_int64 else object).reshape(sizes)
    for j in range(n):
        parts = [arr.take(list(b), axis=j).sum(axis=j) for b in blocks[j]]
        arr = np.stack(parts, axis=j)
    divisor = [1]
    for j in range(n):
        divisor = [d * len(b) for d in divisor for b in blocks[j]]
    flat = arr.reshape(-1).tolist()
    cache: dict[tuple[int, int], sympy.Expr] = {}
    row = tuple(cache.setdefault((int(s), d), sympy.Rational(int(s), d * den)) for s, d in zip(flat, divisor))
    reduced = Game(tuple(labels), (row,) * n, players=game.players, title=f"reduced game of {game.title or 'G'}")
    pgens = tuple(tuple(g.players) for g in gens if list(g.players) != list(range(n)))
    return ReducedGame(reduced, tuple(blocks), tuple(orbits), pgens, tuple(gens))


def _point_orbits(n: int, m: int, gens: Sequence[GameAutomorphism]) -> tuple[list[list[int]], list[list[list[int]]]]:
    """Player orbits and each player's blocks from the generators alone (union-find on the (player, action) points).

    The ``H``-orbit of ``(r, a)`` meets player ``r`` in the orbit of ``a`` under the stabiliser ``H_r`` (an
    element taking a point of ``r`` to a point of ``r`` fixes ``r``), so no stabiliser is computed.
    """
    parent = list(range(n + n * m))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for g in gens:
        for i in range(n):
            parent[find(i)] = find(g.players[i])
            for a in range(m):
                parent[find(n + i * m + a)] = find(n + g.players[i] * m + g.actions[i][a])
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    blocks = []
    for j in range(n):
        bl: dict[int, list[int]] = {}
        for a in range(m):
            bl.setdefault(find(n + j * m + a), []).append(a)
        blocks.append(sorted(bl.values()))
    return sorted(groups.values()), blocks


def _reduce_anonymous(game: AnonymousGame, subgroup: Any) -> ReducedGame | None:
    """``G'`` of an anonymous game in count form, or None when ``H`` needs the dense table.

    The count form carries ``H`` when every generator renames actions the same way for every player
    (``sigma_i = tau``), the players form one orbit, and every player has the same blocks (the orbits of
    the renamings): then the invariant profiles are the symmetric ones constant on each block, and ``G'``
    is the anonymous game over the blocks with ``u'(d) = sum_c u(c) prod_B multinomial(c|B) / prod_B |B|^d_B``
    over the count vectors ``c`` that refine the block counts ``d``.  Each renaming is verified exactly on
    every count vector (``u(tau.c) = u(c)``), never on the expanded table.

    Examples
    --------
    >>> g = AnonymousGame.from_function(4, ["a", "b", "c"], lambda c: c[1] * c[2] + (1 if c[0] == 4 else 0))
    >>> red = reduce_game(g, "all")
    >>> red.game.actions, red.game.value((2, 2))                      # blocks {a}, {b, c}
    (('a', 'b+c'), 1/2)
    """
    from exactgames.symmetry.automorphisms import NotAnAutomorphismError

    n, m = game.n_players, len(game.actions)
    names = game.player_actions
    if subgroup is None or subgroup == "all":
        gens = list(automorphism_group(game).generators)
    elif isinstance(subgroup, str):
        gens = parse_automorphisms(subgroup, names)
    else:
        gens = list(subgroup)
    if any(len(set(g.actions)) > 1 for g in gens):
        return None
    for v in game.payoff.values():
        if not (isinstance(v, sympy.Basic) and v.is_Rational):
            raise ValueError(f"the invariant optimum needs rational payoffs (got {v})")
    for g in gens:
        tau = g.actions[0]
        for c, v in game.payoff.items():
            tc = [0] * m
            for k, ck in enumerate(c):
                tc[tau[k]] = ck
            if game.payoff[tuple(tc)] != v:
                shown = ", ".join(f"{game.actions[k]}={ck}" for k, ck in enumerate(c) if ck)
                raise NotAnAutomorphismError(f"{g.to_string(names)} is not an automorphism: the payoff changes at the "
                                             f"counts ({shown})")
    orbits, blocks = _point_orbits(n, m, gens)
    if len(orbits) != 1 or any(b != blocks[0] for b in blocks):
        return None
    bl = blocks[0]
    which = {a: t for t, b in enumerate(bl) for a in b}
    payoff: dict[tuple[int, ...], Any] = {}
    for c, v in game.payoff.items():
        d = [0] * len(bl)
        for k, ck in enumerate(c):
            d[which[k]] += ck
        w = 1
        for b in bl:
            w *= multinomial([c[k] for k in b])
        payoff[tuple(d)] = payoff.get(tuple(d), 0) + v * w
    for d in payoff:
        den = 1
        for t, b in enumerate(bl):
            den *= len(b) ** d[t]
        payoff[d] = sympy.Integer(payoff[d]) / den if isinstance(payoff[d], int) else payoff[d] / den
    labels = tuple("+".join(game.actions[k] for k in b) for b in bl)
    reduced = AnonymousGame(n, labels, payoff, game.players, f"reduced game of {game.title or 'G'}")
    pgens = tuple(tuple(g.players) for g in gens if list(g.players) != list(range(n)))
    return ReducedGame(reduced, tuple(tuple(tuple(b) for b in bl) for _ in range(n)), (tuple(range(n)),), pgens,
                       tuple(gens))


def _rational_row(game: Game) -> list[sympy.Expr]:
    row = list(game.payoffs[0])
    for v in row:
        if not (isinstance(v, sympy.Basic) and v.is_Rational):
            raise ValueError(f"the invariant optimum needs rational payoffs (got {v})")
    return row


def lift_strategies(reduced: ReducedGame, orbits: Sequence[Sequence[int]], strategies: Sequence[Sequence[Any]]
                    ) -> tuple[tuple[sympy.Expr, ...], ...]:
    """Lift one strategy per orbit of ``G'`` to an ``H``-invariant profile of ``G``."""
    y: list[Any] = [None] * reduced.game.n_players
    for orb, s in zip(orbits, strategies):
        for j in orb:
            y[j] = s
    return reduced.lift(y)
