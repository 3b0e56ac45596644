"""The automorphism group of a game by graph automorphism: construction, search, result (issue 15).

Game automorphisms ``(pi, sigma)`` -- player permutations with action
bijections preserving the payoffs -- are defined, written and checked in
:mod:`exactgames.symmetry.automorphisms`; this module finds all of them.

Algorithm
---------
1. Payoffs are replaced by integer codes of their exact values
   (:func:`exactgames.symmetry.values.exact_codes`; equal codes iff exactly equal).
2. The game becomes a vertex-coloured graph (:func:`automorphism_graph`):
   one vertex per player, one per (player, action), one per pure profile
   (coloured by the payoff code for a common payoff), the profile joined to
   the action each player plays in it.  For general payoffs each edge
   profile--(i, a_i) is subdivided by a vertex coloured by the code of
   ``u_i(a)``.  Colour-preserving graph automorphisms are exactly the game
   automorphisms (a profile vertex is determined by its action neighbours, an
   action vertex by its player).
3. igraph's bliss (``Graph.automorphism_group`` with vertex colours) returns
   generators (:func:`graph_generators`); every generator is then verified
   *exactly* on the coded payoff table before it is reported
   (``O(#profiles)`` numpy comparison).
4. Group order and membership: sympy's ``PermutationGroup`` on the combined
   point set (players ``0..n-1``, then the (player, action) points).
5. Γ(G) (player permutations with identity action maps, actions matched by
   name) is the automorphism group of the same graph with action vertices
   coloured by their names.

Anonymous games are never expanded: the group reported is ``S_n x T`` where
``T`` are the permutations of the action names preserving the count payoffs
(found on a small graph of count vectors).

Examples
--------
>>> from exactgames.model.game import Game
>>> bos = Game.from_common([["H", "W"]] * 2, {("H", "W"): 2, ("W", "H"): 2, ("H", "H"): 1, ("W", "W"): 1})
>>> r = automorphism_group(bos)
>>> r.order, r.player_only.order
(4, 2)
>>> r.generator_strings()
['(1 2)', '(1:H 1:W)(2:H 2:W)']
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np
from sympy.combinatorics import Permutation, PermutationGroup

from exactgames.model.game import AnonymousGame, Game
from exactgames.symmetry.automorphisms import GameAutomorphism, _check_coded, _codes, _offsets, _owner
from exactgames.symmetry.result import SymmetryResult, make_result
from exactgames.symmetry.values import exact_codes

__all__ = [
    "AutomorphismResult",
    "automorphism_group",
    "automorphism_graph",
    "graph_generators",
]

METHOD_GRAPH = ("vertex-coloured graph (players, actions, profiles coloured by exact payoff codes), "
                "generators by bliss (igraph), each verified exactly on all pure profiles")
METHOD_ANON = ("anonymous form: S_n on players times the action renamings preserving the count payoffs "
               "(bliss on the count-vector graph, verified exactly); renamings that differ between players are not searched")


# ---------------------------------------------------------------------------- the graph
def automorphism_graph(codes: np.ndarray, common: bool, action_colours: Sequence[Sequence[int]] | None = None,
                       omit_most_frequent: bool = True) -> tuple[int, np.ndarray, np.ndarray]:
    """The vertex-coloured graph whose colour-preserving automorphisms are the game automorphisms.

    Vertices: players ``0..n-1``; action points ``n ..``; then profile vertices
    (and, for general payoffs, one payoff vertex per (profile, player)).
    ``action_colours`` (e.g. name ids) restricts to action maps preserving them.
    For a common payoff the profiles of the most frequent payoff value are left
    out (``omit_most_frequent``): they are the complement of the others, so the
    colour-preserving automorphisms are the same, on a smaller graph.

    Returns
    -------
    n_vertices, edges (k x 2 int array), colours (int array)

    Examples
    --------
    >>> N, E, c = automorphism_graph(np.array([[[1, 0], [0, 1]]]), True, omit_most_frequent=False)
    >>> N, len(E), c.tolist()
    (10, 12, [0, 0, 1, 1, 1, 1, 3, 2, 2, 3])
    >>> automorphism_graph(np.array([[[1, 0], [0, 0]]]), True)[0]
    7
    """
    sizes = codes.shape[1:]
    n = len(sizes)
    off = _offsets(sizes)
    M = sum(sizes)
    P = math.prod(sizes)
    digits = np.unravel_index(np.arange(P, dtype=np.int64), sizes) if n else ()
    colours: list[np.ndarray] = [np.zeros(n, dtype=np.int64)]
    if action_colours is None:
        colours.append(np.ones(M, dtype=np.int64))
        base = 2
    else:
        flat = np.asarray([c for cs in action_colours for c in cs], dtype=np.int64)
        colours.append(1 + flat)
        base = 2 + int(flat.max(initial=0))
    edges = [np.stack([np.full(sizes[i], i), off[i] + np.arange(sizes[i])], axis=1) for i in range(n)]
    if common:
        # the profiles of the most frequent payoff are left out: an automorphism of the graph permutes the
        # profiles that are present (each is determined by its action neighbours) keeping their payoffs, so
        # it permutes the rest too, all of that payoff; every game automorphism is one of the graph
        flat_codes = codes[0].reshape(-1)
        keep = np.ones(P, dtype=bool)
        if omit_most_frequent and P:
            counts = np.bincount(flat_codes)
            keep = flat_codes != int(np.argmax(counts))
        idx = np.flatnonzero(keep)
        prof = n + M + np.arange(len(idx), dtype=np.int64)
        colours.append(base + flat_codes[idx])
        for i in range(n):
            edges.append(np.stack([prof, off[i] + digits[i][idx]], axis=1))
    else:
        prof = n + M + np.arange(P, dtype=np.int64)
        colours.append(np.full(P, base, dtype=np.int64))
        base += 1
        for i in range(n):
            slot = n + M + P + i * P + np.arange(P, dtype=np.int64)
            colours.append(base + codes[i].reshape(-1))
            edges.append(np.stack([prof, slot], axis=1))
            edges.append(np.stack([slot, off[i] + digits[i]], axis=1))
    col = np.concatenate(colours)
    return int(len(col)), np.concatenate(edges).astype(np.int64), col


def graph_generators(N: int, edges: np.ndarray, colours: np.ndarray, backend: str = "igraph") -> list[list[int]]:
    """Generators of the colour-preserving automorphism group (``igraph``, ``bliss`` = pybliss, or ``nauty`` = pynauty).

    Examples
    --------
    >>> graph_generators(3, np.array([[0, 1], [1, 2]]), np.array([0, 1, 0]))
    [[2, 1, 0]]
    """
    _, col = np.unique(colours, return_inverse=True)
    if backend == "igraph":
        import igraph

        g = igraph.Graph(n=N, edges=edges.tolist())
        return [list(p) for p in g.automorphism_group(sh="fl", color=col.tolist())]
    if backend == "bliss":
        import pybliss

        g = pybliss.graph_from_numpy(N, np.ascontiguousarray(edges, dtype=np.uint32), col.astype(np.uint32))
        gens: list[list[int]] = []
        g.find_automorphisms(pybliss.Stats(), lambda n, aut: gens.append([int(x) for x in aut]))
        return gens
    if backend == "nauty":
        import pynauty

        adj: dict[int, list[int]] = {v: [] for v in range(N)}
        for a, b in edges.tolist():
            adj[a].append(b)
        parts: dict[int, set[int]] = {}
        for v, c in enumerate(col.tolist()):
            parts.setdefault(c, set()).add(v)
        g = pynauty.Graph(N, directed=False, adjacency_dict=adj, vertex_coloring=[parts[c] for c in sorted(parts)])
        return [list(p) for p in pynauty.autgrp(g)[0]]
    raise ValueError(f"unknown backend {backend!r}")


# ---------------------------------------------------------------------------- the result
@dataclass(frozen=True, eq=False)
class AutomorphismResult:
    """The automorphism group of a game, with its player-only subgroup Γ(G).

    Attributes
    ----------
    n_players : int
    action_names : tuple of tuple of str
    generators : tuple of GameAutomorphism
        Each verified exactly on the game.
    group : sympy PermutationGroup
        On the combined points (players ``0..n-1``, then (player, action) points).
    order : int
    player_projection_order : int
        Order of the group of player permutations ``pi`` that occur.
    player_orbits : tuple of tuple of int
        0-based orbits of the players.
    action_orbits : tuple of tuple of (int, int)
        Orbits of the (player, action) points, as (player, action index) pairs.
    player_only : SymmetryResult
        Γ(G), the automorphisms whose action maps follow the names.
    totally_symmetric : bool
        Whether Γ(G) is all of S_n (Definition 3.2.3, the paper's sense).
    method : str
    """

    n_players: int
    action_names: tuple[tuple[str, ...], ...]
    generators: tuple[GameAutomorphism, ...]
    group: PermutationGroup
    order: int
    player_projection_order: int
    player_orbits: tuple[tuple[int, ...], ...]
    action_orbits: tuple[tuple[tuple[int, int], ...], ...]
    player_only: SymmetryResult
    totally_symmetric: bool
    method: str

    def generator_strings(self) -> list[str]:
        """Generators in the readable notation (see :func:`parse_automorphisms`)."""
        return [g.to_string(self.action_names) for g in self.generators] or ["()"]

    def contains(self, g: GameAutomorphism) -> bool:
        """Membership (sympy Schreier--Sims on the combined points)."""
        return bool(self.group.contains(Permutation(g.combined([len(a) for a in self.action_names]))))

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict.

        Examples
        --------
        >>> from exactgames.paper_games import taxi_symmetric
        >>> js = automorphism_group(taxi_symmetric()).to_json()
        >>> js["order"], js["generators"], js["player_only"]["order"]
        (4, ['(1 2)', '(1:H 1:W)(2:H 2:W)'], 2)
        """
        return {
            "order": int(self.order),
            "generators": self.generator_strings(),
            "player_projection_order": int(self.player_projection_order),
            "player_orbits": [[i + 1 for i in o] for o in self.player_orbits],
            "action_orbits": [[f"{i + 1}:{self.action_names[i][k]}" for i, k in o] for o in self.action_orbits],
            "player_only": self.player_only.to_json(),
            "totally_symmetric": bool(self.totally_symmetric),
            "n_players": self.n_players,
            "method": self.method,
        }

    def __str__(self) -> str:
        lines = [f"automorphism group of order {self.order} (players and actions)"]
        lines += ["  " + s for s in self.generator_strings()]
        lines.append("player orbits: " + "  ".join("{" + ",".join(str(i + 1) for i in o) + "}" for o in self.player_orbits))
        lines.append("action orbits: " + "  ".join(
            "{" + ", ".join(f"{i + 1}:{self.action_names[i][k]}" for i, k in o) + "}" for o in self.action_orbits))
        lines.append(f"player-only symmetries Γ(G): order {self.player_only.order}, generators "
                     + ", ".join(self.player_only.generator_strings()))
        lines.append(f"totally symmetric (Γ(G) = S_{self.n_players}): {'yes' if self.totally_symmetric else 'no'}")
        return "\n".join(lines)


def _assemble(names: tuple[tuple[str, ...], ...], gens: Iterable[GameAutomorphism], player_only: SymmetryResult,
              method: str, order: int | None = None, projection_order: int | None = None) -> AutomorphismResult:
    sizes = [len(a) for a in names]
    n = len(sizes)
    total = n + sum(sizes)
    uniq: list[GameAutomorphism] = []
    # generators moving players first, then the action renamings
    for g in sorted(gens, key=lambda g: list(g.players) == list(range(n))):
        if g.combined(sizes) != list(range(total)) and g not in uniq:
            uniq.append(g)
    perms = [Permutation(g.combined(sizes)) for g in uniq]
    group = PermutationGroup(perms) if perms else PermutationGroup([Permutation(list(range(total)))])
    if order is None:
        order = int(group.order())
    pl = [Permutation(list(g.players)) for g in uniq if list(g.players) != list(range(n))]
    proj = projection_order if projection_order is not None else (int(PermutationGroup(pl).order()) if pl else 1)
    off = _offsets(sizes)
    orbs = sorted(sorted(o) for o in group.orbits()) if perms else [[x] for x in range(total)]
    player_orbits = tuple(tuple(o) for o in orbs if o[0] < n)
    action_orbits = tuple(tuple((_owner(x, off), x - off[_owner(x, off)]) for x in o) for o in orbs if o[0] >= n)
    return AutomorphismResult(n, names, tuple(uniq), group, int(order), proj, player_orbits, action_orbits, player_only,
                              player_only.totally_symmetric, method)


def _name_colours(names: Sequence[Sequence[str]]) -> list[list[int]]:
    ids: dict[str, int] = {}
    return [[ids.setdefault(a, len(ids)) for a in acts] for acts in names]


def automorphism_group(game: Game | AnonymousGame, backend: str = "igraph") -> AutomorphismResult:
    """All game automorphisms (players and actions) and the player-only subgroup Γ(G).

    Parameters
    ----------
    game : Game or AnonymousGame
    backend : {"igraph", "bliss", "nauty"}
        Graph-automorphism library (igraph's bliss is the default; the others are for the benchmark).

    Returns
    -------
    AutomorphismResult

    Raises
    ------
    AssertionError
        If the graph library returns a map that is not a game automorphism (never accepted unchecked).

    Examples
    --------
    >>> from exactgames.paper_games import robot_butlers
    >>> r = automorphism_group(robot_butlers())
    >>> r.player_only.order, r.order >= r.player_only.order
    (24, True)
    """
    if isinstance(game, AnonymousGame):
        return _anonymous(game, backend)
    names = tuple(tuple(a) for a in game.actions)
    codes, common = _codes(game)
    sizes = codes.shape[1:]
    n = len(sizes)
    keep = n + sum(sizes)
    results = []
    for colours in (None, _name_colours(names)):
        N, E, col = automorphism_graph(codes, common, colours)
        gens = []
        for p in graph_generators(N, E, col, backend):
            g = GameAutomorphism.from_combined(p[:keep], sizes)
            if not _check_coded(codes, common, g):  # pragma: no cover - the graph encoding is exact
                raise AssertionError(f"graph automorphism {p[:keep]} is not a game automorphism")
            gens.append(g)
        results.append(gens)
    full, named = results
    player_gens = [list(g.players) for g in named]
    if any(not g.follows_names(names) for g in named):  # pragma: no cover - colours force this
        raise AssertionError("a player-only generator renames actions")
    gamma = make_result(n, player_gens, METHOD_GRAPH + " (action vertices coloured by name)")
    res = _assemble(names, full, gamma, METHOD_GRAPH)
    sizes_l = list(sizes)
    for g in named:  # Γ(G) is a subgroup of the automorphism group
        if not res.group.contains(Permutation(g.combined(sizes_l))):  # pragma: no cover
            raise AssertionError("player-only symmetry outside the automorphism group")
    return res


def _anonymous(game: AnonymousGame, backend: str) -> AutomorphismResult:
    from exactgames.symmetry.search import full_symmetric_result

    n = game.n_players
    m = len(game.actions)
    names = tuple(tuple(game.actions) for _ in range(n))
    counts = sorted(game.payoff)
    codes, _ = exact_codes([game.payoff[c] for c in counts])
    # graph: action vertices 0..m-1 (colour 0); count vertices coloured by payoff code; one vertex per
    # (count, action) with c_k > 0 coloured by the multiplicity c_k, joining them
    colours = [0] * m
    edges = []
    C = len(counts)
    top = max(codes) + 1 if codes else 1
    colours += [1 + code for code in codes]
    v = m + C
    for ci, c in enumerate(counts):
        for k, ck in enumerate(c):
            if ck:
                colours.append(1 + top + ck)
                edges += [(m + ci, v), (v, k)]
                v += 1
    E = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    taus = []
    for p in graph_generators(v, E, np.asarray(colours, dtype=np.int64), backend):
        tau = [int(x) for x in p[:m]]
        for c in counts:  # exact check: u(c) = u(tau.c) on code equality
            tc = [0] * m
            for k, ck in enumerate(c):
                tc[tau[k]] = ck
            if codes[counts.index(c)] != codes[counts.index(tuple(tc))]:  # pragma: no cover
                raise AssertionError(f"action renaming {tau} changes a count payoff")
        taus.append(tau)
    gamma = full_symmetric_result(n)
    gens = [GameAutomorphism(tuple(p.array_form), tuple(tuple(range(m)) for _ in range(n))) for p in gamma.generators
            if not p.is_Identity]
    gens += [GameAutomorphism(tuple(range(n)), tuple(tuple(t) for _ in range(n))) for t in taus]
    t_order = int(PermutationGroup([Permutation(t) for t in taus]).order()) if taus else 1
    return _assemble(names, gens, gamma, METHOD_ANON, order=math.factorial(n) * t_order,
                     projection_order=math.factorial(n))
