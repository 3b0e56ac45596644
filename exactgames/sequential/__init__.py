"""Sequential symmetric teams: game trees (``.efg``, Dec-POMDPs unrolled to a horizon), their symmetries,
the proved best shared behaviour strategy, exact best responses and baselines."""

from exactgames.sequential.nash import best_response, nash_gain
from exactgames.sequential.optimize import SequentialResult, optimize_tree, policy_table, symmetric_setup
from exactgames.sequential.symmetry import TreeSymmetries, tree_symmetries, trivial_symmetries

__all__ = [
    "best_response", "nash_gain", "SequentialResult", "optimize_tree", "policy_table", "symmetric_setup",
    "TreeSymmetries", "tree_symmetries", "trivial_symmetries",
]
