"""Result types of the local-optimality verdicts: the verdict and its improving witness.

Examples
--------
>>> import sympy
>>> w = ImprovingWitness(((sympy.Integer(1), sympy.Integer(0)),), sympy.Rational(1, 4),
...                      sympy.Integer(0), sympy.Rational(1, 8), "shift")
>>> w.gain
1/8
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy

from exactgames.model.lift import exact_str
from exactgames.model.profile import Profile

__all__ = ["ImprovingWitness", "LocalOptimality"]


@dataclass(frozen=True)
class ImprovingWitness:
    """An explicit profile that beats the profile under test, verified exactly.

    Attributes
    ----------
    profile : the improving profile (one strategy per player)
    distance : the largest change of any action's probability (exact)
    value_before : ``EU(s)``
    value_after : ``EU(s')``, recomputed from the game's payoffs
    description : how the witness was found
    """

    profile: Profile
    distance: sympy.Expr
    value_before: sympy.Expr
    value_after: sympy.Expr
    description: str

    @property
    def gain(self) -> sympy.Expr:
        """``EU(s') - EU(s)`` (exact, positive)."""
        return sympy.expand(self.value_after - self.value_before)

    def to_json(self, actions: Any = None) -> dict:
        """JSON-ready dictionary (values as sympy-parseable strings)."""
        prof = [
            {(actions[i][k] if actions is not None else str(k)): exact_str(p) for k, p in enumerate(s)}
            for i, s in enumerate(self.profile)
        ]
        return {
            "profile": prof,
            "distance": exact_str(self.distance),
            "value_before": exact_str(self.value_before),
            "value_after": exact_str(self.value_after),
            "gain": exact_str(self.gain),
            "description": self.description,
        }


@dataclass(frozen=True)
class LocalOptimality:
    """Verdict of Definition 4.0.1 (P-invariant space) or 5.0.1 (possibly-asymmetric space).

    Attributes
    ----------
    locally_optimal : True, False, or None when undecided (``reason`` says why)
    space : "P-invariant, orbits [[1, 2], ...]" or "possibly-asymmetric"
    stage : the test that decided
    reason : a sentence: why the verdict holds
    method : the arithmetic the verdict rests on (exact rational / certified algebraic)
    value : ``EU(s)``
    witness : an improving profile when ``locally_optimal`` is False
    radius : for some "yes" verdicts, an explicit ``eps`` (Definition 4.0.1 / 5.0.1) that works
    details : supporting data (gradients, Hessian, losses)
    """

    locally_optimal: bool | None
    space: str
    stage: str
    reason: str
    method: str
    value: sympy.Expr
    witness: ImprovingWitness | None = None
    radius: sympy.Expr | None = None
    details: dict = field(default_factory=dict)

    def to_json(self, actions: Any = None) -> dict:
        """JSON-ready dictionary."""
        return {
            "locally_optimal": self.locally_optimal,
            "space": self.space,
            "stage": self.stage,
            "reason": self.reason,
            "method": self.method,
            "value": exact_str(self.value),
            "witness": self.witness.to_json(actions) if self.witness is not None else None,
            "radius": exact_str(self.radius) if self.radius is not None else None,
        }
