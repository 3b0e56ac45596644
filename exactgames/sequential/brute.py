"""Deterministic policies: enumeration, exact evaluation, and the team optimum over all (asymmetric) pure profiles.

Two exact facts make these useful as proofs, not just baselines:

* In a tree where every player has perfect recall, each play passes through an
  information set at most once, so the expected payoff is multilinear in the
  distributions of the information sets: its maximum over *all* behaviour
  profiles is attained at a pure profile.  So ``team_optimum`` (max over every pure
  profile, computed exactly by enumerating the pure policies of all agents but
  the last and an exact backward-induction best response of the last) is an upper
  bound of every symmetric behaviour strategy's value.
* When a *symmetric* deterministic policy attains it, that policy is a proved
  global optimum among symmetric behaviour strategies (and a Nash equilibrium).

Only the information sets consistent with a player's own earlier choices get a
choice (the others are never reached), which is what keeps the counts small
(Dec-Tiger, horizon 3: 3^7 = 2187 policies per agent instead of 3^43).

Examples
--------
>>> from exactgames.model.decpomdp import tiny, unroll
>>> t = unroll(tiny(), 2)
>>> from exactgames.sequential.symmetry import tree_symmetries
>>> best = best_symmetric_pure(t, tree_symmetries(t))
>>> best.value, best.count
(Fraction(2, 1), 4)
>>> team_optimum(t).value
Fraction(2, 1)
"""

from __future__ import annotations

import heapq
import itertools
import sys
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Iterator, Sequence

import flint

from exactgames.model.tree import Chance, Decision, Node, TeamTree, TreeError
from exactgames.sequential.symmetry import TreeSymmetries

__all__ = ["pure_value", "symmetric_pure_policies", "player_pure_policies", "best_symmetric_pure", "team_optimum",
           "PureOptimum", "OutOfTime"]


class OutOfTime(RuntimeError):
    """An enumeration ran past its time limit."""


@dataclass(frozen=True)
class PureOptimum:
    """The best pure profile found by an exhaustive enumeration: value, choices (information set -> action) and count."""

    value: Fraction
    choice: dict[int, int]
    count: int
    seconds: float


def pure_value(tree: TeamTree, choice: dict[int, int], player: int = 0) -> Fraction:
    """Exact payoff of the pure profile ``choice`` (information set -> action index), visiting only reached nodes."""
    memo: dict[int, Fraction] = {}

    def val(node: Node) -> Fraction:
        k = id(node)
        got = memo.get(k)
        if got is not None:
            return got
        if isinstance(node, Chance):
            v = sum((p * val(c) for p, c in zip(node.probs, node.children) if p), Fraction(0))
        elif isinstance(node, Decision):
            v = val(node.children[choice[node.infoset]])
        else:
            v = Fraction(0)
        if node.payoff is not None:
            v += node.payoff[player]
        memo[k] = v
        return v

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 20000))
    try:
        return val(tree.root)
    finally:
        sys.setrecursionlimit(old)


def _ordered(tree: TeamTree, infosets: Sequence[int]) -> list[tuple[int, tuple]]:
    seqs = tree.sequences()
    out = []
    for i in infosets:
        s = seqs[i]
        if len(s) > 1:
            raise TreeError(f"information set {i} ({tree.infosets[i].label!r}) is reached by several own sequences: no perfect recall")
        out.append((i, next(iter(s)) if s else None))
    out.sort(key=lambda t: (len(t[1]) if t[1] is not None else 10**9, t[0]))
    return out


def _enumerate(units: list[tuple[list[tuple[int, tuple | None]], int]], unit_of: dict[int, int]) -> Iterator[dict[int, int]]:
    """Choices per unit (a class, or one information set), only for units some member of which is reachable."""
    chosen: dict[int, int] = {}

    def consistent(seq: tuple | None) -> bool:
        return seq is not None and all(chosen.get(unit_of[i]) == a for i, a in seq)

    def rec(k: int) -> Iterator[dict[int, int]]:
        if k == len(units):
            yield dict(chosen)
            return
        members, m = units[k]
        if any(consistent(seq) for _, seq in members):
            for a in range(m):
                chosen[k] = a
                yield from rec(k + 1)
            del chosen[k]
        else:
            chosen[k] = 0  # never reached: any action
            yield from rec(k + 1)
            del chosen[k]

    yield from rec(0)


def symmetric_pure_policies(tree: TeamTree, sym: TreeSymmetries) -> Iterator[dict[int, int]]:
    """Every symmetric deterministic policy (class -> action), up to choices at classes never reached."""
    members = []
    unit_of = {}
    for c, cl in enumerate(sym.classes):
        for i in cl:
            unit_of[i] = c
    order = sorted(range(len(sym.classes)), key=lambda c: min(len(next(iter(tree.sequences()[i])), ) if tree.sequences()[i] else 10**9 for i in sym.classes[c]))
    pos = {c: k for k, c in enumerate(order)}
    units = []
    for c in order:
        members = _ordered(tree, sym.classes[c])
        units.append((members, len(tree.infosets[sym.classes[c][0]].actions)))
    unit_of = {i: pos[unit_of[i]] for i in unit_of}
    for ch in _enumerate(units, unit_of):
        yield {order[k]: a for k, a in ch.items()}


def player_pure_policies(tree: TeamTree, player: int) -> Iterator[dict[int, int]]:
    """Every deterministic policy of one player (information set -> action), up to choices at sets never reached."""
    members = _ordered(tree, tree.player_infosets(player))
    units = [([mt], len(tree.infosets[mt[0]].actions)) for mt in members]
    unit_of = {mt[0]: k for k, mt in enumerate(members)}
    for ch in _enumerate(units, unit_of):
        yield {members[k][0]: a for k, a in ch.items()}


def best_symmetric_pure(tree: TeamTree, sym: TreeSymmetries, time_limit: float | None = None) -> PureOptimum:
    """Brute force over symmetric deterministic policies: the best one, exactly."""
    t0 = time.perf_counter()
    best: tuple[Fraction, dict] | None = None
    count = 0
    for pol in symmetric_pure_policies(tree, sym):
        count += 1
        choice = {i: pol[c] for c, cl in enumerate(sym.classes) for i in cl}
        v = pure_value(tree, choice)
        if best is None or v > best[0]:
            best = (v, choice)
        if time_limit is not None and count % 64 == 0 and time.perf_counter() - t0 > time_limit:
            raise OutOfTime(f"{count} symmetric deterministic policies in {time_limit} s, not finished")
    assert best is not None
    return PureOptimum(best[0], best[1], count, time.perf_counter() - t0)


class _Compiled:
    """The tree as flat lists indexed by topological rank (parents first), with python-flint rationals."""

    def __init__(self, tree: TeamTree, player: int = 0) -> None:
        order = list(tree.nodes())
        idx = {id(nd): k for k, nd in enumerate(order)}
        self.kind: list[int] = []  # 0 terminal, 1 chance, 2 decision
        self.kids: list[tuple[int, ...]] = []
        self.probs: list[tuple] = []
        self.infoset: list[int] = []
        self.owner: list[int] = []
        self.pay: list[Any] = []
        zero = flint.fmpq(0)
        for nd in order:
            if isinstance(nd, Chance):
                self.kind.append(1)
                self.kids.append(tuple(idx[id(c)] for c in nd.children))
                self.probs.append(tuple(flint.fmpq(p.numerator, p.denominator) for p in nd.probs))
                self.infoset.append(-1)
                self.owner.append(-1)
            elif isinstance(nd, Decision):
                self.kind.append(2)
                self.kids.append(tuple(idx[id(c)] for c in nd.children))
                self.probs.append(())
                self.infoset.append(nd.infoset)
                self.owner.append(tree.infosets[nd.infoset].player)
            else:
                self.kind.append(0)
                self.kids.append(())
                self.probs.append(())
                self.infoset.append(-1)
                self.owner.append(-1)
            v = nd.payoff[player] if nd.payoff is not None else Fraction(0)
            self.pay.append(flint.fmpq(v.numerator, v.denominator) if v else zero)

    def best_response(self, choice: dict[int, int], player: int) -> tuple[Any, dict[int, int]]:
        """Exact best-response value of ``player`` when every other player plays the pure ``choice``."""
        kind, kids, probs, inf, owner, pay = self.kind, self.kids, self.probs, self.infoset, self.owner, self.pay
        weight: dict[int, Any] = {0: flint.fmpq(1)}
        heap = [0]
        members: dict[int, list[int]] = {}
        while heap:
            k = heapq.heappop(heap)
            w = weight[k]
            kd = kind[k]
            if kd == 1:
                for p, c in zip(probs[k], kids[k]):
                    if c in weight:
                        weight[c] += w * p
                    else:
                        weight[c] = w * p
                        heapq.heappush(heap, c)
            elif kd == 2:
                if owner[k] == player:
                    members.setdefault(inf[k], []).append(k)
                    targets = kids[k]
                else:
                    targets = (kids[k][choice[inf[k]]],)
                for c in targets:
                    if c in weight:
                        weight[c] += w
                    else:
                        weight[c] = w
                        heapq.heappush(heap, c)
        value: dict[int, Any] = {}
        decided: dict[int, int] = {}

        def val(k: int) -> Any:
            got = value.get(k)
            if got is not None:
                return got
            kd = kind[k]
            v = pay[k]
            if kd == 1:
                for p, c in zip(probs[k], kids[k]):
                    v = v + p * val(c)
            elif kd == 2 and owner[k] != player:
                v = v + val(kids[k][choice[inf[k]]])
            elif kd == 2:
                i = inf[k]
                a = decided.get(i)
                if a is None:  # all members' children first (their own sets are deeper: perfect recall)
                    ms = len(kids[k])
                    tot = [flint.fmpq(0)] * ms
                    for u in members[i]:
                        wu = weight[u]
                        for b in range(ms):
                            tot[b] += wu * val(kids[u][b])
                    a = max(range(ms), key=lambda b: (tot[b], -b))
                    decided[i] = a
                v = v + val(kids[k][a])
            value[k] = v
            return v

        return val(0), decided


def team_optimum(tree: TeamTree, time_limit: float | None = None) -> PureOptimum:
    """Max over every pure profile (asymmetric allowed): enumerate all players but the last, best-respond with the last.

    The best response is the exact backward induction of :mod:`exactgames.sequential.nash`
    on the nodes reached under the others' pure choices (python-flint rationals).
    With perfect recall, when the last player's information set is decided all the
    nodes below it are evaluated already: their own sets are deeper (decided earlier,
    children first).

    Raises
    ------
    OutOfTime
        When ``time_limit`` seconds pass first.
    """
    t0 = time.perf_counter()
    n = tree.n_players
    last = n - 1
    for i in tree.player_infosets(last):
        if len(tree.sequences()[i]) > 1:
            raise TreeError(f"player {tree.players[last]} does not have perfect recall")
    comp = _Compiled(tree)
    best: tuple[Any, dict] | None = None
    count = 0
    combos = ((d,) for d in player_pure_policies(tree, 0)) if last == 1 else \
        itertools.product(*(list(player_pure_policies(tree, p)) for p in range(last)))  # lazy for two agents
    for combo in combos:
        choice: dict[int, int] = {}
        for d in combo:
            choice.update(d)
        v, dec = comp.best_response(choice, last)
        count += 1
        if best is None or v > best[0]:
            full = dict(choice)
            full.update(dec)
            best = (v, full)
        if time_limit is not None and count % 16 == 0 and time.perf_counter() - t0 > time_limit:
            raise OutOfTime(f"{count} pure policies of the first {last} agent(s) in {time_limit} s, not finished")
    assert best is not None
    return PureOptimum(Fraction(int(best[0].p), int(best[0].q)), best[1], count, time.perf_counter() - t0)
