"""Reading sequential games: Gambit ``.efg`` trees and MADP ``.dpomdp`` Dec-POMDPs (unrolled to a horizon).

Examples
--------
>>> is_tree_file("dectiger.dpomdp"), is_tree_file("game.nfg")
(True, False)
>>> read_tree("examples/games/dectiger.dpomdp")
Traceback (most recent call last):
...
exactgames.io.GameFileError: examples/games/dectiger.dpomdp: a Dec-POMDP needs a finite horizon (expected --horizon H, a positive integer)
"""

from __future__ import annotations

from pathlib import Path

from exactgames.io import GameFileError
from exactgames.model.tree import TeamTree, TreeError

__all__ = ["read_tree", "is_tree_file", "TREE_SUFFIXES", "MAX_TREE_NODES"]

TREE_SUFFIXES = (".efg", ".dpomdp")
MAX_TREE_NODES = 3_000_000
"""Largest number of shared nodes a Dec-POMDP is unrolled to (estimated before unrolling)."""


def is_tree_file(path: str | Path) -> bool:
    """True for ``.efg`` and ``.dpomdp`` files (by suffix)."""
    return Path(path).suffix.lower() in TREE_SUFFIXES


def read_tree(path: str | Path, horizon: int | None = None) -> TeamTree:
    """A game tree from ``.efg``, or from ``.dpomdp`` unrolled to ``horizon`` steps.

    Raises
    ------
    GameFileError
        A malformed file, a missing or bad horizon (``.dpomdp``), a horizon given for an ``.efg``,
        or an unrolled tree beyond ``MAX_TREE_NODES``.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".efg":
        if horizon is not None:
            raise GameFileError(f"{path}: --horizon applies to .dpomdp files only (an .efg file is already a finite tree)")
        from exactgames.io.efg import read_efg

        return read_efg(p)
    if suffix == ".dpomdp":
        if horizon is None or horizon < 1:
            raise GameFileError(f"{path}: a Dec-POMDP needs a finite horizon (expected --horizon H, a positive integer)")
        from exactgames.io.dpomdp import read_dpomdp
        from exactgames.model.decpomdp import unroll

        m = read_dpomdp(p)
        per = 1
        for a, o in zip(m.actions, m.observations):
            per *= len(a) * len(o)
        estimate = len(m.states) * sum(per ** t for t in range(horizon)) * max(1, len(m.joint_actions()))
        if estimate > MAX_TREE_NODES:
            raise GameFileError(f"{path}: horizon {horizon} unrolls to about {estimate} nodes (more than {MAX_TREE_NODES}); "
                                "expected a smaller --horizon")
        try:
            return unroll(m, horizon)
        except TreeError as exc:
            raise GameFileError(f"{path}: {exc}") from None
    raise GameFileError(f"{path}: unknown game tree file type {suffix!r} (expected .efg or .dpomdp)")
