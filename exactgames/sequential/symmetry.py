"""Agent permutations that map a team game tree onto itself, and the information-set classes they induce.

A candidate symmetry is an agent permutation ``sigma`` with an identification
``phi`` of information sets (``phi(I)`` belongs to agent ``sigma(player(I))``, with
the same number of actions, matched by position).  ``phi`` matches information
sets by label (the history of a Dec-POMDP, the name in an ``.efg`` file) when the
labels of both agents are distinct and equal as sets, else by position in the
file.  It is a symmetry when relabelling any behaviour profile by ``(sigma, phi)``
leaves every player's expected payoff unchanged: the exact EU polynomial of
asymmetric behaviour (one variable per information set and action, built from the
tree) is invariant under the variable permutation, checked with python-flint.
(This is the game-symmetry condition of the paper for behaviour strategies; it
does not depend on the order in which the tree lists simultaneous moves.)

Examples
--------
>>> from exactgames.model.decpomdp import tiny, unroll
>>> r = tree_symmetries(unroll(tiny(), 2))
>>> r.order, r.agent_orbits, len(r.classes)
(2, ((0, 1),), 3)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from exactgames.model.tree import TeamTree
from exactgames.model.tree_eu import tree_polynomial

__all__ = ["TreeSymmetry", "TreeSymmetries", "tree_symmetries", "trivial_symmetries"]

MAX_AGENTS_SEARCHED = 7


@dataclass(frozen=True)
class TreeSymmetry:
    """One symmetry: ``agents[i]`` is the image of agent i, ``infosets[I]`` the image of information set I."""

    agents: tuple[int, ...]
    infosets: tuple[int, ...]
    matched_by: str

    def cycles(self) -> str:
        """Cycle notation with agents from 1 (``"(1 2)"``; ``"()"`` for the identity)."""
        seen, out = set(), []
        for i in range(len(self.agents)):
            if i in seen or self.agents[i] == i:
                continue
            cyc, j = [], i
            while j not in seen:
                seen.add(j)
                cyc.append(j + 1)
                j = self.agents[j]
            out.append("(" + " ".join(map(str, cyc)) + ")")
        return "".join(out) or "()"


@dataclass(frozen=True)
class TreeSymmetries:
    """The symmetries found, the agent orbits and the information-set classes (orbits of ``phi``)."""

    tree: TeamTree
    elements: tuple[TreeSymmetry, ...]
    agent_orbits: tuple[tuple[int, ...], ...]
    classes: tuple[tuple[int, ...], ...]
    method: str

    @property
    def order(self) -> int:
        return len(self.elements)

    def class_label(self, c: int) -> str:
        """``"start"``, ``"listen/hear-left"``, ... (the class's first information set's label)."""
        return self.tree.infosets[self.classes[c][0]].label

    def to_json(self) -> dict:
        t = self.tree
        return {
            "order": self.order,
            "generators": [e.cycles() for e in self.elements if any(a != i for i, a in enumerate(e.agents))],
            "agent_orbits": [[i + 1 for i in o] for o in self.agent_orbits],
            "information_set_classes": [
                {"label": self.class_label(c), "members": [{"agent": t.players[t.infosets[i].player], "infoset": i,
                                                            "label": t.infosets[i].label} for i in members],
                 "actions": list(t.infosets[members[0]].actions)}
                for c, members in enumerate(self.classes)
            ],
            "method": self.method,
        }


def _candidates(tree: TeamTree, sigma: tuple[int, ...]) -> list[tuple[tuple[int, ...], str]]:
    per = [tree.player_infosets(p) for p in range(tree.n_players)]
    out = []
    by_label: list[int] | None = [0] * len(tree.infosets)
    for p in range(tree.n_players):
        q = sigma[p]
        lp = [tree.infosets[i].label for i in per[p]]
        lq = {tree.infosets[i].label: i for i in per[q]}
        if len(set(lp)) != len(lp) or len(lq) != len(per[q]) or set(lp) != set(lq):
            by_label = None
            break
        for i, lab in zip(per[p], lp):
            by_label[i] = lq[lab]
    if by_label is not None:
        out.append((tuple(by_label), "label"))
    if all(len(per[p]) == len(per[sigma[p]]) for p in range(tree.n_players)):
        pos = [0] * len(tree.infosets)
        for p in range(tree.n_players):
            for i, j in zip(per[p], per[sigma[p]]):
                pos[i] = j
        if tuple(pos) not in [c for c, _ in out]:
            out.append((tuple(pos), "position"))
    return out


def tree_symmetries(tree: TeamTree) -> TreeSymmetries:
    """All agent permutations (with their information-set identification) that are symmetries of the tree.

    Every agent permutation is tried (up to ``MAX_AGENTS_SEARCHED`` agents; more agents:
    only the identity and the cyclic shifts and transpositions of neighbours are tried),
    each with the label and position identifications, and kept when the exact
    polynomial test passes for every player's payoff.
    """
    n = tree.n_players
    offs = [0]
    for inf in tree.infosets:
        offs.append(offs[-1] + len(inf.actions))
    nv = offs[-1]
    common = tree.is_common_payoff
    polys = [tree_polynomial(tree, lambda i, a: offs[i] + a, nv, player=p)[0] for p in range(1 if common else n)]
    terms = [{tuple((v, int(e)) for v, e in enumerate(m) if e): c for m, c in zip(q.monoms(), q.coeffs())} for q in polys]
    if common:
        terms = terms * n
    if n <= MAX_AGENTS_SEARCHED:
        sigmas = list(itertools.permutations(range(n)))
    else:
        sigmas = [tuple(range(n))] + [tuple((i + k) % n for i in range(n)) for k in range(1, n)]
    found: list[TreeSymmetry] = []
    for sigma in sigmas:
        for phi, how in _candidates(tree, sigma):
            if any(len(tree.infosets[i].actions) != len(tree.infosets[j].actions) for i, j in enumerate(phi)):
                continue
            # x'_(phi(I), a) = x_(I, a): EU_(sigma(p)) with x_(phi(I), a) renamed x_(I, a) must equal EU_p, term by term
            src = [0] * nv  # variable of EU_(sigma(p)) -> variable of EU_p
            for i, j in enumerate(phi):
                for a in range(len(tree.infosets[i].actions)):
                    src[offs[j] + a] = offs[i] + a
            ok = True
            for p in range(n):
                image = {tuple(sorted((src[v], e) for v, e in mon)): c for mon, c in terms[sigma[p]].items()}
                if image != terms[p]:
                    ok = False
                    break
            if ok:
                found.append(TreeSymmetry(tuple(sigma), phi, how))
                break
    return _closure(tree, found, "exact EU-polynomial invariance over agent permutations (information sets by label or position)")


def trivial_symmetries(tree: TeamTree) -> TreeSymmetries:
    """Only the identity: every agent its own orbit, every information set its own class."""
    ident = TreeSymmetry(tuple(range(tree.n_players)), tuple(range(len(tree.infosets))), "identity")
    return _closure(tree, [ident], "identity")


def _closure(tree: TeamTree, found: list[TreeSymmetry], method: str) -> TreeSymmetries:
    parent = list(range(len(tree.infosets)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    agent_parent = list(range(tree.n_players))

    def aroot(i: int) -> int:
        while agent_parent[i] != i:
            i = agent_parent[i]
        return i

    for s in found:
        for i, j in enumerate(s.infosets):
            a, b = root(i), root(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
        for i, j in enumerate(s.agents):
            a, b = aroot(i), aroot(j)
            if a != b:
                agent_parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for i in range(len(tree.infosets)):
        groups.setdefault(root(i), []).append(i)
    classes = tuple(tuple(g) for _, g in sorted(groups.items()))
    ag: dict[int, list[int]] = {}
    for i in range(tree.n_players):
        ag.setdefault(aroot(i), []).append(i)
    return TreeSymmetries(tree, tuple(found), tuple(tuple(g) for _, g in sorted(ag.items())), classes, method)
