"""A finite Dec-POMDP as plain exact data, and its unrolling to a team game tree of horizon H.

Agents act simultaneously; agent i sees only its own action-observation history
(AOH), so the agents have perfect recall.  Unrolled to horizon ``H`` the game is a
:class:`~exactgames.model.tree.TeamTree`: a chance move for the start state, then
at every step agent 0, agent 1, ... choose in turn (each in the information set of
its own AOH, not seeing the others' choices), the expected immediate reward
``sum_{s', o} T(s'|s, a) O(o|a, s') R(s, a, s', o)`` is collected (times
``discount^t``), and a chance move draws the next state and joint observation.
Nodes with the same ``(t, state, histories)`` are shared, so the tree is stored as
a DAG of size ``|S| x (|A_i||O_i|)^(n t)`` per step instead of the full tree.

Examples
--------
>>> from fractions import Fraction as F
>>> m = tiny()                                   # 2 agents, 1 state, 2 actions, 1 observation
>>> t = unroll(m, 1)
>>> [i.label for i in t.infosets]
['start', 'start']
>>> from exactgames.model.tree_eu import evaluate
>>> evaluate(t, {0: (F(1), F(0)), 1: (F(1), F(0))})
Fraction(1, 1)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

from exactgames.model.tree import Chance, Decision, InfoSet, TeamTree, Terminal, TreeError

__all__ = ["DecPOMDP", "unroll", "tiny", "history_label"]


@dataclass(frozen=True, eq=False)
class DecPOMDP:
    """A finite Dec-POMDP with exact numbers.

    Attributes
    ----------
    agents : tuple of str
    states : tuple of str
    actions, observations : tuple (per agent) of tuple of str
    start : tuple of Fraction
        Start-state distribution.
    T : dict ``(s, joint action) -> tuple of Fraction`` (over next states)
    O : dict ``(joint action, s') -> dict joint observation -> Fraction``
    R : dict ``(s, joint action) -> Fraction``
        Expected immediate reward (already averaged over ``s'`` and observations).
    discount : Fraction
    title : str
    """

    agents: tuple[str, ...]
    states: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    observations: tuple[tuple[str, ...], ...]
    start: tuple[Fraction, ...]
    T: Mapping[tuple, tuple[Fraction, ...]]
    O: Mapping[tuple, Mapping[tuple, Fraction]]  # noqa: E741 - the standard name
    R: Mapping[tuple, Fraction]
    discount: Fraction = Fraction(1)
    title: str = ""

    @property
    def n_agents(self) -> int:
        return len(self.agents)

    def joint_actions(self) -> list[tuple[int, ...]]:
        return list(itertools.product(*(range(len(a)) for a in self.actions)))


def history_label(m: DecPOMDP, agent: int, hist: tuple[tuple[int, int], ...]) -> str:
    """``"listen/hear-left, open-left/hear-right"`` (``start`` for the empty history); the agent is the information set's player."""
    if not hist:
        body = "start"
    else:
        body = ", ".join(f"{m.actions[agent][a]}/{m.observations[agent][o]}" for a, o in hist)
    return body


def unroll(m: DecPOMDP, horizon: int) -> TeamTree:
    """The team game tree of ``m`` over ``horizon`` steps (information sets = action-observation histories).

    Raises
    ------
    TreeError
        For a horizon below 1.
    """
    if horizon < 1:
        raise TreeError(f"horizon {horizon}: expected a positive integer")
    n = m.n_agents
    infosets: list[InfoSet] = []
    index: dict[tuple[int, tuple], int] = {}

    def infoset(agent: int, hist: tuple) -> int:
        key = (agent, hist)
        if key not in index:
            index[key] = len(infosets)
            infosets.append(InfoSet(agent, history_label(m, agent, hist), m.actions[agent]))
        return index[key]

    memo: dict[tuple, object] = {}
    terminal = Terminal()

    def step(t: int, s: int, hists: tuple) -> object:
        key = (t, s, hists)
        if key in memo:
            return memo[key]

        def choose(agent: int, chosen: tuple) -> object:
            if agent == n:
                r = m.R.get((s, chosen), Fraction(0)) * m.discount ** t
                pay = (r,) * n if r else None
                if t == horizon - 1:
                    return Terminal(pay) if pay else terminal
                probs, kids, labels = [], [], []
                nxt = m.T.get((s, chosen))
                if nxt is None:
                    raise TreeError(f"no transition from state {m.states[s]!r} under joint action {chosen}")
                for s2, p in enumerate(nxt):
                    if not p:
                        continue
                    for jo, q in m.O.get((chosen, s2), {}).items():
                        if not q:
                            continue
                        new = tuple(h + ((chosen[i], jo[i]),) for i, h in enumerate(hists))
                        probs.append(p * q)
                        kids.append(step(t + 1, s2, new))
                        labels.append(f"{m.states[s2]}; " + " ".join(m.observations[i][o] for i, o in enumerate(jo)))
                if sum(probs, Fraction(0)) != 1:
                    raise TreeError(f"next state and observation probabilities after state {m.states[s]!r} and joint "
                                    f"action {chosen} sum to {sum(probs, Fraction(0))}, not 1")
                return Chance(tuple(probs), tuple(kids), tuple(labels), pay)
            inf = infoset(agent, hists[agent])
            return Decision(inf, tuple(choose(agent + 1, chosen + (a,)) for a in range(len(m.actions[agent]))))

        node = choose(0, ())
        memo[key] = node
        return node

    root_probs = [p for p in m.start if p]
    root_kids = [step(0, s, tuple(() for _ in range(n))) for s, p in enumerate(m.start) if p]
    root = Chance(tuple(root_probs), tuple(root_kids), tuple(m.states[s] for s, p in enumerate(m.start) if p))
    title = f"{m.title or 'Dec-POMDP'}, horizon {horizon}"
    return TeamTree(tuple(m.agents), tuple(infosets), root, title)


def tiny() -> DecPOMDP:
    """A one-state Dec-POMDP for examples: reward 1 when both agents choose action ``a``."""
    ja = [(a, b) for a in range(2) for b in range(2)]
    return DecPOMDP(
        agents=("1", "2"), states=("s",), actions=(("a", "b"), ("a", "b")), observations=(("o",), ("o",)),
        start=(Fraction(1),), T={(0, j): (Fraction(1),) for j in ja}, O={(j, 0): {(0, 0): Fraction(1)} for j in ja},
        R={(0, j): Fraction(int(j == (0, 0))) for j in ja}, title="tiny",
    )
