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

from exactgames.model.game import AnonymousGame, Game
from exactgames.symmetry.automorphisms import GameAutomorphism, _offsets, automorphism_group, parse_automorphisms

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
        game = game.to_dense()
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
