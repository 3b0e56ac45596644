"""The team optimum over all pure profiles of a two-agent tree, by the sequence form, for an independent check of a team bound.

A short, plain implementation with no sharing with :mod:`exactgames.sequential` (which
computes the same number by backward induction over the tree's nodes), so that a
certificate checker importing only the model layer can recompute it.

With perfect recall the expected payoff is a bilinear form in the two agents'
*realization plans*: ``EU = sum_{s0, s1} A[s0, s1] r0(s0) r1(s1)``, where ``s_p`` is a
sequence of player ``p``'s own moves, named by its last move ``(infoset, action)``
(``None`` for the empty sequence), and ``A[s0, s1]`` sums chance probability times
payoff over the nodes where the agents' last moves are ``s0`` and ``s1``
(:func:`sequence_form`, one pass over the shared nodes, parents first).  The maximum
over all behaviour profiles is attained at a pure one; it is computed by enumerating
agent 0's pure realization plans depth first (only the information sets its own
choices reach), adding one row of ``A`` per chosen sequence, and maximising agent 1's
side exactly by a pass over its sequence tree (deepest sets first).

Examples
--------
>>> from exactgames.model.decpomdp import tiny, unroll
>>> team_optimum_value(unroll(tiny(), 2))
(Fraction(2, 1), 4)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Iterator, Optional

import flint

from exactgames.model.tree import Chance, Decision, TeamTree, TreeError

__all__ = ["SequenceForm", "sequence_form", "team_optimum_value", "pure_policies", "realization", "plan_value",
           "best_reply_value"]

Seq = Optional[tuple[int, int]]


@dataclass(frozen=True)
class SequenceForm:
    """The payoff of a two-agent tree as a sparse bilinear form over sequences.

    Attributes
    ----------
    parent : dict
        Information set -> its player's sequence leading to it (``None``: the empty sequence).
    A : dict
        ``(s0, s1) -> Fraction``, nonzero entries only.
    """

    parent: dict[int, Seq]
    A: dict[tuple[Seq, Seq], Fraction]


def sequence_form(tree: TeamTree, player: int = 0) -> SequenceForm:
    """The sequence form of ``player``'s payoff of a two-agent tree with perfect recall.

    Raises
    ------
    TreeError
        When the tree does not have two players, or a player does not have perfect recall
        (an information set reached after two different last own moves, or twice on a play).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from exactgames.model.tree import InfoSet, Terminal
    >>> t = TeamTree(("1", "2"), (InfoSet(0, "", ("a", "b")), InfoSet(1, "", ("a", "b"))),
    ...              Decision(0, (Decision(1, (Terminal((F(1), F(1))), Terminal())),
    ...                           Decision(1, (Terminal(), Terminal((F(2), F(2))))))))
    >>> sf = sequence_form(t)
    >>> sf.parent, sorted(sf.A.items())
    ({0: None, 1: None}, [(((0, 0), (1, 0)), Fraction(1, 1)), (((0, 1), (1, 1)), Fraction(2, 1))])
    """
    if tree.n_players != 2:
        raise TreeError(f"the sequence form here handles two agents, not {tree.n_players}")
    reach: dict[int, dict[tuple[Seq, Seq], Fraction]] = {id(tree.root): {(None, None): Fraction(1)}}
    parent: dict[int, Seq] = {}
    A: dict[tuple[Seq, Seq], Fraction] = {}

    def send(child: object, key: tuple[Seq, Seq], w: Fraction) -> None:
        d = reach.setdefault(id(child), {})
        d[key] = d.get(key, Fraction(0)) + w

    for node in tree.nodes():  # parents first
        here = reach.pop(id(node), {})
        for key, w in here.items():
            if node.payoff is not None and node.payoff[player]:
                A[key] = A.get(key, Fraction(0)) + w * node.payoff[player]
            if isinstance(node, Chance):
                for p, c in zip(node.probs, node.children):
                    if p:
                        send(c, key, w * p)
            elif isinstance(node, Decision):
                i = node.infoset
                pl = tree.infosets[i].player
                if parent.setdefault(i, key[pl]) != key[pl]:
                    raise TreeError(f"player {tree.players[pl]} does not have perfect recall (information set {i}, "
                                    f"{tree.infosets[i].label!r}, is reached after different own moves)")
                for a, c in enumerate(node.children):
                    send(c, ((i, a), key[1]) if pl == 0 else (key[0], (i, a)), w)
    # an information set below one of its own moves (visited twice on a play) has itself as an ancestor
    for i in parent:
        seen, s = set(), parent[i]
        while s is not None:
            if s[0] in seen or s[0] == i:
                raise TreeError(f"information set {i} ({tree.infosets[i].label!r}) is visited twice on a play")
            seen.add(s[0])
            s = parent.get(s[0])
    return SequenceForm(parent, {k: v for k, v in A.items() if v})


def _children(tree: TeamTree, sf: SequenceForm, player: int) -> dict[Seq, list[int]]:
    out: dict[Seq, list[int]] = {}
    for i, s in sf.parent.items():
        if tree.infosets[i].player == player:
            out.setdefault(s, []).append(i)
    return out


def pure_policies(tree: TeamTree, player: int) -> Iterator[dict[int, int]]:
    """Every pure policy of ``player`` on the information sets its own choices reach (others omitted).

    Examples
    --------
    >>> from exactgames.model.decpomdp import tiny, unroll
    >>> len(list(pure_policies(unroll(tiny(), 2), 0)))
    4
    """
    kids = _children(tree, sequence_form(tree), player)
    chosen: dict[int, int] = {}

    def rec(frontier: list[int]) -> Iterator[dict[int, int]]:
        if not frontier:
            yield dict(chosen)
            return
        i, rest = frontier[-1], frontier[:-1]
        for a in range(len(tree.infosets[i].actions)):
            chosen[i] = a
            yield from rec(rest + kids.get((i, a), []))
        del chosen[i]

    yield from rec(list(kids.get(None, [])))


def team_optimum_value(tree: TeamTree, sf: SequenceForm | None = None) -> tuple[Fraction, int]:
    """Max over all pure profiles of a two-agent common-payoff tree with perfect recall, and the number of agent-0 policies.

    Agent 0's pure policies are enumerated depth first; against each, agent 1's best
    pure reply is exact: ``best(I) = max_a (c[(I, a)] + sum of best(J) over its sets J
    after (I, a))``, where ``c`` is agent 1's payoff vector over its sequences given
    agent 0's plan (a sum of rows of the sequence form).  ``sf`` is :func:`sequence_form`
    of ``tree`` (computed when not given).
    """
    sf = sequence_form(tree) if sf is None else sf
    k0, k1 = _children(tree, sf, 0), _children(tree, sf, 1)
    seq1: list[Seq] = [None] + sorted({(i, a) for i, s in sf.parent.items() if tree.infosets[i].player == 1
                                       for a in range(len(tree.infosets[i].actions))})
    idx1 = {s: j for j, s in enumerate(seq1)}
    rows: dict[Seq, list[tuple[int, flint.fmpq]]] = {}
    for (s0, s1), v in sf.A.items():
        rows.setdefault(s0, []).append((idx1[s1], flint.fmpq(v.numerator, v.denominator)))
    depth: dict[int, int] = {}

    def dep(i: int) -> int:
        if i not in depth:
            s = sf.parent[i]
            depth[i] = 0 if s is None else dep(s[0]) + 1
        return depth[i]

    sets1 = sorted((i for i in sf.parent if tree.infosets[i].player == 1), key=lambda i: -dep(i))  # deepest first
    plan = [(i, [(idx1[(i, a)], k1.get((i, a), [])) for a in range(len(tree.infosets[i].actions))]) for i in sets1]
    roots1 = k1.get(None, [])
    c = [flint.fmpq(0)] * len(seq1)
    best_value: list = [None]
    count = [0]

    def add(s: Seq, sign: int) -> None:
        for j, v in rows.get(s, ()):
            c[j] = c[j] + v if sign > 0 else c[j] - v

    def reply() -> None:
        best: dict[int, flint.fmpq] = {}
        for i, acts in plan:
            b = None
            for j, after in acts:
                v = c[j]
                for k in after:
                    v = v + best[k]
                if b is None or v > b:
                    b = v
            best[i] = b
        total = c[0]
        for k in roots1:
            total = total + best[k]
        count[0] += 1
        if best_value[0] is None or total > best_value[0]:
            best_value[0] = total

    def rec(frontier: list[int]) -> None:
        if not frontier:
            reply()
            return
        i, rest = frontier[-1], frontier[:-1]
        for a in range(len(tree.infosets[i].actions)):
            add((i, a), 1)
            rec(rest + k0.get((i, a), []))
            add((i, a), -1)

    add(None, 1)
    rec(list(k0.get(None, [])))
    v = best_value[0]
    return Fraction(int(v.p), int(v.q)), count[0]


def realization(tree: TeamTree, sf: SequenceForm, behaviour: dict[int, tuple[Fraction, ...]], player: int) -> dict[Seq, Fraction]:
    """``player``'s realization plan of a behaviour profile: sequence -> product of its own move probabilities."""
    out: dict[Seq, Fraction] = {None: Fraction(1)}

    def r(i: int) -> Fraction:  # reach of information set i by its player's own moves
        s = sf.parent[i]
        if s not in out:
            out[s] = r(s[0]) * Fraction(behaviour[s[0]][s[1]])
        return out[s]

    for i in sf.parent:
        if tree.infosets[i].player == player:
            ri = r(i)
            for a in range(len(tree.infosets[i].actions)):
                out[(i, a)] = ri * Fraction(behaviour[i][a])
    return out


def plan_value(tree: TeamTree, sf: SequenceForm, behaviour: dict[int, tuple[Fraction, ...]]) -> Fraction:
    """The exact expected payoff of a behaviour profile by the sequence form (``sum A[s0, s1] r0(s0) r1(s1)``).

    Examples
    --------
    >>> from exactgames.model.decpomdp import tiny, unroll
    >>> from fractions import Fraction as F
    >>> t = unroll(tiny(), 2)
    >>> plan_value(t, sequence_form(t), {i: (F(1, 2), F(1, 2)) for i in range(len(t.infosets))})
    Fraction(1, 2)
    """
    r0, r1 = realization(tree, sf, behaviour, 0), realization(tree, sf, behaviour, 1)
    return sum((v * r0[s0] * r1[s1] for (s0, s1), v in sf.A.items()), Fraction(0))


def best_reply_value(tree: TeamTree, sf: SequenceForm, behaviour: dict[int, tuple[Fraction, ...]], player: int) -> Fraction:
    """The exact best-response value of ``player`` when the other agent plays ``behaviour`` (backward over its sequences).

    Examples
    --------
    >>> from exactgames.model.decpomdp import tiny, unroll
    >>> from fractions import Fraction as F
    >>> t = unroll(tiny(), 1)
    >>> best_reply_value(t, sequence_form(t), {0: (F(1, 3), F(2, 3)), 1: (F(1, 3), F(2, 3))}, 1)
    Fraction(1, 3)
    """
    other = realization(tree, sf, behaviour, 1 - player)
    c: dict[Seq, Fraction] = {}
    for (s0, s1), v in sf.A.items():
        mine, theirs = (s0, s1) if player == 0 else (s1, s0)
        w = other.get(theirs, Fraction(0))
        if w:
            c[mine] = c.get(mine, Fraction(0)) + v * w
    kids = _children(tree, sf, player)
    best: dict[int, Fraction] = {}

    def b(i: int) -> Fraction:
        if i not in best:
            best[i] = max(c.get((i, a), Fraction(0)) + sum((b(j) for j in kids.get((i, a), [])), Fraction(0))
                          for a in range(len(tree.infosets[i].actions)))
        return best[i]

    return c.get(None, Fraction(0)) + sum((b(j) for j in kids.get(None, [])), Fraction(0))
