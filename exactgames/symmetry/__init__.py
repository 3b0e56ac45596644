"""Symmetry: Γ(G) by permutation search, generated groups ⟨P⟩, orbits, P-invariance, orbit graphs.

Sections 3.2-3.3 of the paper, computed exactly.  Players are 0-based in the
API (sympy permutations act on ``0 .. n-1``) and numbered from 1 in every text
form (cycle strings, JSON, drawings), as in the paper.

Examples
--------
>>> from exactgames.paper_games import robot_butlers
>>> r = symmetry_group(robot_butlers())
>>> r.order, r.totally_symmetric
(24, True)
>>> sub = generated_group(robot_butlers(), "(1 3)(2 4)")
>>> sub.to_json()["orbits"]
[[1, 3], [2, 4]]
"""

from exactgames.symmetry.automorphism_search import AutomorphismResult, automorphism_group
from exactgames.symmetry.automorphisms import (
    AutomorphismSyntaxError,
    GameAutomorphism,
    NotAnAutomorphismError,
    is_automorphism,
    parse_automorphisms,
)
from exactgames.symmetry.generated import NotASymmetryError, generated_group
from exactgames.symmetry.graphs import draw_orbit_graph, orbit_graph, orbit_graph_dot, orbit_graph_tikz
from exactgames.symmetry.invariant import ReducedGame, lift_strategies, reduce_game
from exactgames.symmetry.orbits import invariant_profile, is_p_invariant, is_p_invariant_by_group, orbits_of
from exactgames.symmetry.permutations import PermutationSyntaxError, cycle_string, parse_permutations
from exactgames.symmetry.result import SymmetryResult
from exactgames.symmetry.search import BruteForceTimeout, symmetry_group, symmetry_group_bruteforce
from exactgames.symmetry.verify import find_violation, is_symmetry

__all__ = [
    "SymmetryResult",
    "symmetry_group",
    "symmetry_group_bruteforce",
    "BruteForceTimeout",
    "is_symmetry",
    "find_violation",
    "parse_permutations",
    "cycle_string",
    "PermutationSyntaxError",
    "generated_group",
    "NotASymmetryError",
    "orbits_of",
    "is_p_invariant",
    "is_p_invariant_by_group",
    "invariant_profile",
    "orbit_graph",
    "draw_orbit_graph",
    "orbit_graph_tikz",
    "orbit_graph_dot",
    "GameAutomorphism",
    "AutomorphismResult",
    "automorphism_group",
    "is_automorphism",
    "parse_automorphisms",
    "AutomorphismSyntaxError",
    "NotAnAutomorphismError",
    "ReducedGame",
    "reduce_game",
    "lift_strategies",
]
