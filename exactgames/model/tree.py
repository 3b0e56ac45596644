"""A finite game tree (extensive form) as plain frozen data: chance, decision and terminal nodes.

Nothing here knows files: :mod:`exactgames.io.efg` and :mod:`exactgames.model.decpomdp`
build these values.  A node may carry a payoff vector (``payoff``, one exact
Fraction per player) collected when play passes through it, as Gambit's outcomes
at non-terminal nodes; the payoff of a play is the sum along its path.  Children
may be *shared* (the tree is then stored as a DAG: a Dec-POMDP unrolled to
horizon H reaches the same ``(time, state, histories)`` node along many paths);
every analysis treats a shared node as copies of one subtree.

Information sets are numbered globally (``TeamTree.infosets``); a decision node
names its information set, whose player moves and whose actions label the
children in order.

Examples
--------
>>> from fractions import Fraction as F
>>> leaf = lambda v: Terminal((F(v), F(v)))
>>> tree = TeamTree(
...     ("1", "2"),
...     (InfoSet(0, "x", ("a", "b")), InfoSet(1, "y", ("a", "b"))),
...     Decision(0, (Decision(1, (leaf(1), leaf(0))), Decision(1, (leaf(0), leaf(1))))),
... )
>>> tree.n_players, [i.label for i in tree.infosets], tree.is_common_payoff
(2, ['x', 'y'], True)
>>> tree.has_perfect_recall()
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterator, Union

__all__ = ["InfoSet", "Chance", "Decision", "Terminal", "Node", "TeamTree", "TreeError"]


class TreeError(ValueError):
    """A tree that is not a valid finite game tree (the message says what is wrong)."""


@dataclass(frozen=True)
class InfoSet:
    """An information set: the player who moves (0-based), a label (name or history) and the action names."""

    player: int
    label: str
    actions: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Chance:
    """A chance node: exact probabilities (summing to 1) of its children, with outcome labels."""

    probs: tuple[Fraction, ...]
    children: tuple["Node", ...]
    labels: tuple[str, ...] = ()
    payoff: tuple[Fraction, ...] | None = None


@dataclass(frozen=True, eq=False)
class Decision:
    """A decision node in information set ``infoset`` (global index); one child per action."""

    infoset: int
    children: tuple["Node", ...]
    payoff: tuple[Fraction, ...] | None = None


@dataclass(frozen=True, eq=False)
class Terminal:
    """A leaf; ``payoff`` is one Fraction per player (``None``: all zero)."""

    payoff: tuple[Fraction, ...] | None = None


Node = Union[Chance, Decision, Terminal]


@dataclass(frozen=True, eq=False)
class TeamTree:
    """A finite extensive-form game: players, information sets and the root node.

    Attributes
    ----------
    players : tuple of str
    infosets : tuple of InfoSet
    root : Node
    title : str
    """

    players: tuple[str, ...]
    infosets: tuple[InfoSet, ...]
    root: Node
    title: str = ""
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def n_players(self) -> int:
        return len(self.players)

    def postorder(self) -> list[Node]:
        """Every distinct node once (a shared child once), children before parents."""
        if "post" in self._cache:
            return self._cache["post"]
        seen: set[int] = set()
        out: list[Node] = []
        stack: list[tuple[Node, bool]] = [(self.root, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                out.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            if not isinstance(node, Terminal):
                stack.extend((c, False) for c in reversed(node.children) if id(c) not in seen)
        self._cache["post"] = out
        return out

    def nodes(self) -> Iterator[Node]:
        """Every distinct node once (a shared child once), parents before children."""
        return reversed(self.postorder())

    def validate(self) -> "TeamTree":
        """Check probabilities, payoff lengths and action counts; return self.

        Raises
        ------
        TreeError
        """
        n = self.n_players
        for k, inf in enumerate(self.infosets):
            if not 0 <= inf.player < n:
                raise TreeError(f"information set {k} ({inf.label!r}): player {inf.player} out of range 0..{n - 1}")
            if not inf.actions:
                raise TreeError(f"information set {k} ({inf.label!r}) has no actions")
        for node in self.nodes():
            if node.payoff is not None and len(node.payoff) != n:
                raise TreeError(f"a payoff vector has {len(node.payoff)} entries for {n} players")
            if isinstance(node, Chance):
                if len(node.probs) != len(node.children) or not node.children:
                    raise TreeError("a chance node needs one probability per child")
                if any(p < 0 for p in node.probs) or sum(node.probs, Fraction(0)) != 1:
                    raise TreeError(f"chance probabilities {[str(p) for p in node.probs]} are not a distribution")
            elif isinstance(node, Decision):
                if not 0 <= node.infoset < len(self.infosets):
                    raise TreeError(f"decision node names information set {node.infoset}, which does not exist")
                m = len(self.infosets[node.infoset].actions)
                if len(node.children) != m:
                    raise TreeError(f"a node of information set {node.infoset} has {len(node.children)} children for {m} actions")
        return self

    @property
    def is_common_payoff(self) -> bool:
        """True when every payoff vector gives all players the same value."""
        return all(node.payoff is None or len(set(node.payoff)) <= 1 for node in self.nodes())

    def player_infosets(self, player: int) -> list[int]:
        return [k for k, inf in enumerate(self.infosets) if inf.player == player]

    def sequences(self) -> dict[int, set[tuple]]:
        """For each information set, the set of its own player's action sequences leading to it.

        A sequence is a tuple of ``(infoset, action index)`` of that player's earlier moves.
        """
        if "seq" in self._cache:
            return self._cache["seq"]
        out: dict[int, set[tuple]] = {k: set() for k in range(len(self.infosets))}
        memo: set[tuple[int, tuple]] = set()
        stack: list[tuple[Node, tuple]] = [(self.root, tuple(() for _ in self.players))]
        while stack:
            node, seqs = stack.pop()
            key = (id(node), seqs)
            if key in memo:
                continue
            memo.add(key)
            if isinstance(node, Chance):
                stack.extend((c, seqs) for c in node.children)
            elif isinstance(node, Decision):
                p = self.infosets[node.infoset].player
                out[node.infoset].add(seqs[p])
                for a, c in enumerate(node.children):
                    new = seqs[:p] + (seqs[p] + ((node.infoset, a),),) + seqs[p + 1:]
                    stack.append((c, new))
        self._cache["seq"] = out
        return out

    def has_perfect_recall(self) -> bool:
        """Every information set is reached by exactly one sequence of its player's own moves (and sets are visited once per path)."""
        return all(len(s) <= 1 for s in self.sequences().values())
