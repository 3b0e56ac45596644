"""Reference computations on pure policies of a game tree, for an independent check of a team bound.

A short, plain implementation (Fractions, recursion over the expanded tree, no sharing
with :mod:`exactgames.sequential`), so that a certificate checker importing only the
model layer can recompute ``max over all pure profiles`` of a two-agent tree with
perfect recall: every pure policy of agent 0 (choices only at the information sets
its own earlier choices reach), and against each an exact best response of agent 1
(information sets decided deepest first; with perfect recall every agent-1 set below
a set is deeper).  With perfect recall the expected payoff is multilinear in the
information sets' distributions, so this maximum bounds every behaviour profile,
symmetric or not.

Examples
--------
>>> from exactgames.model.decpomdp import tiny, unroll
>>> team_optimum_value(unroll(tiny(), 2))
(Fraction(2, 1), 4)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Iterator

from exactgames.model.tree import Chance, Decision, Node, TeamTree, TreeError

__all__ = ["own_sequences", "pure_policies", "best_response_value", "team_optimum_value"]


def own_sequences(tree: TeamTree, player: int) -> dict[int, tuple]:
    """Information set of ``player`` -> the unique sequence of its own (infoset, action) moves before it."""
    out: dict[int, tuple] = {}

    def walk(node: Node, seq: tuple) -> None:
        if isinstance(node, Chance):
            for c in node.children:
                walk(c, seq)
        elif isinstance(node, Decision):
            own = tree.infosets[node.infoset].player == player
            if own:
                if out.setdefault(node.infoset, seq) != seq:
                    raise TreeError(f"player {tree.players[player]} does not have perfect recall")
            for a, c in enumerate(node.children):
                walk(c, seq + ((node.infoset, a),) if own else seq)

    walk(tree.root, ())
    return out


def pure_policies(tree: TeamTree, player: int) -> Iterator[dict[int, int]]:
    """Every pure policy of ``player`` on the information sets its own choices reach (others omitted)."""
    seqs = own_sequences(tree, player)
    order = sorted(seqs, key=lambda i: (len(seqs[i]), i))

    def rec(k: int, chosen: dict[int, int]) -> Iterator[dict[int, int]]:
        if k == len(order):
            yield dict(chosen)
            return
        i = order[k]
        if all(chosen.get(j) == a for j, a in seqs[i]):
            for a in range(len(tree.infosets[i].actions)):
                chosen[i] = a
                yield from rec(k + 1, chosen)
            del chosen[i]
        else:
            yield from rec(k + 1, chosen)

    yield from rec(0, {})


def best_response_value(tree: TeamTree, fixed: dict[int, int], player: int, seqs: dict[int, tuple] | None = None) -> Fraction:
    """The exact best-response value of ``player`` (payoff index ``player``) when the others play the pure ``fixed``.

    ``seqs`` is :func:`own_sequences` of ``player`` (computed when not given).
    """
    seqs = own_sequences(tree, player) if seqs is None else seqs
    members: dict[int, list[tuple[Node, Fraction]]] = {i: [] for i in seqs}

    def weigh(node: Node, w: Fraction) -> None:  # reach weight by chance and the others, over the expanded tree
        if isinstance(node, Chance):
            for p, c in zip(node.probs, node.children):
                if p:
                    weigh(c, w * p)
        elif isinstance(node, Decision):
            if tree.infosets[node.infoset].player == player:
                members[node.infoset].append((node, w))
                for c in node.children:
                    weigh(c, w)
            else:
                weigh(node.children[fixed[node.infoset]], w)

    weigh(tree.root, Fraction(1))
    choice: dict[int, int] = {}
    memo: dict[int, Fraction] = {}

    def value(node: Node) -> Fraction:
        k = id(node)
        if k in memo:
            return memo[k]
        v = node.payoff[player] if node.payoff is not None else Fraction(0)
        if isinstance(node, Chance):
            v += sum((p * value(c) for p, c in zip(node.probs, node.children) if p), Fraction(0))
        elif isinstance(node, Decision):
            own = tree.infosets[node.infoset].player == player
            v += value(node.children[choice[node.infoset] if own else fixed[node.infoset]])
        memo[k] = v
        return v

    for i in sorted(seqs, key=lambda i: -len(seqs[i])):  # deepest first
        m = len(tree.infosets[i].actions)
        q = [sum((w * value(nd.children[a]) for nd, w in members[i]), Fraction(0)) for a in range(m)]
        choice[i] = max(range(m), key=lambda a: (q[a], -a))
    return value(tree.root)


def team_optimum_value(tree: TeamTree) -> tuple[Fraction, int]:
    """Max over all pure profiles of a two-agent tree (agent 0 enumerated, agent 1 best-responding) and the count."""
    if tree.n_players != 2:
        raise TreeError(f"team_optimum_value handles two agents, not {tree.n_players}")
    best = None
    count = 0
    seqs = own_sequences(tree, 1)
    for pol in pure_policies(tree, 0):
        count += 1
        v = best_response_value(tree, pol, 1, seqs)
        if best is None or v > best:
            best = v
    assert best is not None
    return best, count
