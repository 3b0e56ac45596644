"""Bookkeeping of the certified branch and bound's subdivision.

It subdivides cells carrying exact Bernstein coefficients; a cell is closed
when all its coefficients are strictly below the threshold (pruned), all at
most a value attained at a known point (pruned weakly: the maximisers on it
are the cell faces whose coefficients all equal that value), or when it lies
in a certified region.  The cell form
(:class:`exactgames.optimize.bnb.bernstein.ProductBernstein`) gives the
methods ``upper``, ``below`` and ``faces_at`` used here.

Examples
--------
>>> from fractions import Fraction
>>> from exactgames.optimize.bnb.bernstein import ProductBernstein
>>> bf = ProductBernstein.from_coefficients((2,), (2,), {(2, 0): 1, (1, 1): 2, (0, 2): 0})  # f = 2 x_0 - x_0^2
>>> tree = Tree()
>>> state = BnbState(Fraction(1), (Fraction(1), ((Fraction(1), Fraction(0)),)))
>>> close_by_bounds(bf, bf.root(), state, tree, lambda cell, face: face)
True
>>> tree.tokens, tree.weak, tree.level_faces  # the maximum 1 only at the vertex x_0 = 1
([['w', '1']], 1, [(Fraction(1, 1), [((0,),)])])
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Sequence

__all__ = ["BnbState", "Tree", "NeedCandidate", "OutOfLimits", "open_upper", "check_limits", "close_by_bounds", "approx"]


@dataclass
class BnbState:
    """The branch and bound's running state: the pruning threshold (a proved lower bound of the maximum) and,
    when known, a value attained at a known rational point (``(value, point)``)."""

    threshold: Fraction
    attained: tuple | None = None


@dataclass
class Tree:
    """The recorded subdivision (tokens in depth-first order) and its counts."""

    tokens: list = field(default_factory=list)
    leaves: int = 0
    pruned: int = 0
    in_region: int = 0
    weak: int = 0
    max_depth: int = 0
    level_faces: list = field(default_factory=list)


class NeedCandidate(Exception):
    """A cell cannot be closed: the float search should be restarted from ``point``."""

    def __init__(self, point: Any, upper: Fraction | None = None) -> None:
        super().__init__("a new candidate is needed")
        self.point = point
        self.upper = upper


class OutOfLimits(Exception):
    """Cells, depth or time ran out; ``upper`` is a proved upper bound of the maximum so far."""

    def __init__(self, message: str, upper: Fraction | None = None) -> None:
        super().__init__(message)
        self.upper = upper


def approx(q: Fraction) -> float:
    """A float for display (progress, messages); +-inf instead of an overflow.

    Examples
    --------
    >>> approx(Fraction(1, 3)), approx(Fraction(10) ** 400), approx(-Fraction(10) ** 400)
    (0.3333333333333333, inf, -inf)
    """
    try:
        return float(q)
    except OverflowError:
        return float("inf") if q > 0 else float("-inf")


def open_upper(form: Any, cells: Sequence[Any], regions: Sequence[Any]) -> Fraction:
    """A proved upper bound of f over the cells still open and the certified regions.

    Examples
    --------
    >>> from exactgames.optimize.bnb.bernstein import ProductBernstein
    >>> bf = ProductBernstein.from_coefficients((1,), (2,), {(1, 0): 2, (0, 1): 5})
    >>> open_upper(bf, [bf.root()], [])
    Fraction(5, 1)
    """
    return max([form.upper(c) for c in cells] + [r.value_interval[1] for r in regions])


def check_limits(
    form: Any, cell: Any, stack: list, regions: Sequence[Any], processed: int, limits: Any, t0: float, state: BnbState,
    progress: Callable[[dict], None] | None, last: float,
) -> float:
    """Raise :class:`OutOfLimits` when cells or time ran out; call ``progress`` about twice a second.

    Returns the time of the last progress report.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from exactgames.optimize.bnb.bernstein import ProductBernstein
    >>> bf = ProductBernstein.from_coefficients((1,), (2,), {(1, 0): 2, (0, 1): 5})
    >>> lim = SimpleNamespace(max_cells=0, time_limit=None)
    >>> check_limits(bf, bf.root(), [], [], 1, lim, 0.0, BnbState(Fraction(2)), None, 0.0)
    Traceback (most recent call last):
    ...
    exactgames.optimize.bnb.subdivision.OutOfLimits: more than 0 cells
    """
    if processed > limits.max_cells:
        raise OutOfLimits(f"more than {limits.max_cells} cells", open_upper(form, stack + [cell], regions))
    now = time.perf_counter()
    if limits.time_limit is not None and now - t0 > limits.time_limit:
        raise OutOfLimits(f"time limit {max(limits.time_limit, 0):.3g} s reached", open_upper(form, stack + [cell], regions))
    if progress is not None and now - last > 0.5:
        threshold = state.threshold
        progress({"cells_done": processed, "cells_left": len(stack) + 1, "depth": cell.depth, "threshold": approx(threshold),
                  "gap": approx(open_upper(form, stack + [cell], regions) - threshold)})
        return now
    return last


def close_by_bounds(
    form: Any, cell: Any, state: BnbState, tree: Tree, face_points: Callable[[Any, Any], Any], record_bounds: bool = True
) -> bool:
    """Close the cell by its coefficients if it can be: strictly below the threshold, or weakly at an attained value.

    ``face_points(cell, face)`` turns a maximal face (from ``form.faces_at``) into what is recorded in
    ``tree.level_faces`` (vertex points).  Returns True when the cell was closed.
    See the module's example.
    """
    threshold = state.threshold
    tree.max_depth = max(tree.max_depth, cell.depth)
    if form.below(cell, threshold):
        tree.tokens.append(["p", str(form.upper(cell))] if record_bounds else ["p"])
        tree.leaves += 1
        tree.pruned += 1
        return True
    att = state.attained
    if att is not None and att[0] == threshold and form.upper(cell) <= threshold:
        # weak prune: f <= v on the cell, v attained at a known point; f = v exactly on the faces found here
        tree.tokens.append(["w", str(threshold)])
        tree.leaves += 1
        tree.weak += 1
        faces = form.faces_at(cell, threshold)
        if faces:
            tree.level_faces.append((threshold, [face_points(cell, f) for f in faces]))
        return True
    return False
