"""Exact best responses in a game tree by backward induction over one player's information sets.

The other players' behaviour (and chance) is fixed; the deviating player's choice at
an information set maximises the reach-weighted continuation value over the set's
nodes, deepest sets first.  With perfect recall this is an optimal pure response
(the classic backward induction over the player's own sequences), so the largest
gain of any unilateral deviation, pure or mixed, is ``BR value - current value``.

Examples
--------
>>> from fractions import Fraction as F
>>> from exactgames.model.decpomdp import tiny, unroll
>>> t = unroll(tiny(), 1)
>>> half = (F(1, 2), F(1, 2))
>>> r = best_response(t, {0: half, 1: half}, 1)
>>> r.value, r.gain, r.choice
(Fraction(1, 2), Fraction(1, 4), {1: 0})
"""

from __future__ import annotations

import heapq
import sys
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

from exactgames.model.tree import Chance, Decision, Node, TeamTree, TreeError
from exactgames.model.tree_eu import evaluate

__all__ = ["BestResponse", "best_response", "nash_gain"]


@dataclass(frozen=True)
class BestResponse:
    """A pure best response of ``player``: its exact value, the gain over the current value, and its choices."""

    player: int
    value: Fraction
    current: Fraction
    choice: dict[int, int]

    @property
    def gain(self) -> Fraction:
        return self.value - self.current


def best_response(tree: TeamTree, behaviour: Mapping[int, Sequence[Fraction]], player: int, with_current: bool = True) -> BestResponse:
    """The exact best response of ``player`` (its own payoff) to everyone else's ``behaviour``.

    Only the nodes reached with positive probability by chance and the others are visited.
    ``with_current=False`` skips evaluating the current value (``current`` is then 0).

    Raises
    ------
    TreeError
        When the player does not have perfect recall (backward induction would not be exact).
    """
    seqs = tree.sequences()
    if any(len(seqs[i]) > 1 for i in tree.player_infosets(player)):
        raise TreeError(f"player {tree.players[player]} does not have perfect recall: backward induction is not exact")
    rank = tree._cache.get("rank")
    if rank is None:
        rank = {id(nd): k for k, nd in enumerate(tree.postorder())}
        tree._cache["rank"] = rank
    weight: dict[int, Fraction] = {id(tree.root): Fraction(1)}
    members: dict[int, list[Node]] = {i: [] for i in tree.player_infosets(player)}
    heap = [(-rank[id(tree.root)], id(tree.root), tree.root)]  # parents first: decreasing postorder rank
    while heap:
        _, _, node = heapq.heappop(heap)
        w = weight[id(node)]

        def push(c: Node, q: Fraction) -> None:
            k = id(c)
            if k not in weight:
                weight[k] = Fraction(0)
                heapq.heappush(heap, (-rank[k], k, c))
            weight[k] += q

        if isinstance(node, Chance):
            for p, c in zip(node.probs, node.children):
                if p:
                    push(c, w * p)
        elif isinstance(node, Decision):
            own = tree.infosets[node.infoset].player == player
            if own:
                members[node.infoset].append(node)
                for c in node.children:
                    push(c, w)
            else:
                x = behaviour[node.infoset]
                for a, c in enumerate(node.children):
                    if x[a]:
                        push(c, w * Fraction(x[a]))
    value: dict[int, Fraction] = {}
    choice: dict[int, int] = {}

    def decide(inf: int) -> int:
        if inf not in choice:
            m = len(tree.infosets[inf].actions)
            totals = [Fraction(0)] * m
            for node in members[inf]:
                w = weight.get(id(node), Fraction(0))
                if w:
                    for a in range(m):
                        totals[a] += w * val(node.children[a])
            choice[inf] = max(range(m), key=lambda a: (totals[a], -a))
        return choice[inf]

    def val(node: Node) -> Fraction:
        got = value.get(id(node))
        if got is not None:
            return got
        v = Fraction(0)
        if isinstance(node, Chance):
            v = sum((p * val(c) for p, c in zip(node.probs, node.children) if p), Fraction(0))
        elif isinstance(node, Decision):
            if tree.infosets[node.infoset].player == player:
                v = val(node.children[decide(node.infoset)])
            else:
                x = behaviour[node.infoset]
                v = sum((Fraction(x[a]) * val(c) for a, c in enumerate(node.children) if x[a]), Fraction(0))
        if node.payoff is not None:
            v += node.payoff[player]
        value[id(node)] = v
        return v

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 20000))
    try:
        # decide the deepest information sets first, so that the recursion stays shallow
        for inf in sorted(members, key=lambda i: -max((len(s) for s in seqs[i]), default=0)):
            decide(inf)
        br = val(tree.root)
    finally:
        sys.setrecursionlimit(old)
    current = evaluate(tree, behaviour, player) if with_current else Fraction(0)
    return BestResponse(player, br, current, choice)


def nash_gain(tree: TeamTree, behaviour: Mapping[int, Sequence[Fraction]], players: Sequence[int] | None = None) -> tuple[Fraction, BestResponse]:
    """The largest exact gain of a unilateral deviation over ``players`` (default all) and the best response achieving it."""
    best = None
    for p in players if players is not None else range(tree.n_players):
        r = best_response(tree, behaviour, p)
        if best is None or r.gain > best.gain:
            best = r
    assert best is not None
    return best.gain, best
