"""The result of a symmetric optimisation: one plain value shared by every route.

Both the exact KKT route (:mod:`exactgames.optimize.kkt`) and the certified
branch-and-bound (:mod:`exactgames.optimize.bnb`) return an
:class:`OptimumResult`; the CLI, the LaTeX writer and the claims ledger read it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy

__all__ = ["OptimumResult"]


@dataclass(frozen=True)
class OptimumResult:
    """Global optimum among P-invariant profiles.

    Attributes
    ----------
    value : sympy.Expr
        Exact optimal expected utility (rational, radical or ``CRootOf``); when
        only an enclosure is proved, the midpoint of ``value_interval`` and
        ``value_exact`` is False.
    value_interval : (Fraction, Fraction)
        Proved enclosure of the optimal value, width at most 1e-30.
    orbits : tuple of tuple of int
        0-based players of each orbit (the CLI prints them from 1).
    actions : tuple of tuple of str
        Action names of each orbit.
    strategies : tuple of tuple of sympy.Expr
        The optimal strategy of each orbit, exact probabilities.
    support : tuple of tuple of int
        Action indices with positive probability, per orbit.
    mixed : bool
    nash : bool | None
    degenerate : bool | None
    locally_optimal_asymmetric : bool | None
    value_exact : bool
    ties : tuple
        Other optimal P-invariant profiles (each a tuple of strategies) or
        descriptions of optimal continua.
    complete : bool
        True when the route finished and the answer is proved; False means
        the route ran out (``reason`` says why) and nothing is claimed.
    method : str
    certificate : dict
        Free-form data sufficient to re-check the answer.
    """

    value: sympy.Expr
    value_interval: tuple[Fraction, Fraction]
    orbits: tuple[tuple[int, ...], ...]
    actions: tuple[tuple[str, ...], ...]
    strategies: tuple[tuple[sympy.Expr, ...], ...]
    support: tuple[tuple[int, ...], ...]
    mixed: bool
    nash: bool | None = None
    degenerate: bool | None = None
    locally_optimal_asymmetric: bool | None = None
    value_exact: bool = True
    ties: tuple = ()
    complete: bool = True
    method: str = ""
    reason: str = ""
    certificate: dict = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The JSON object of ``exactgames optimize --json`` (keys fixed by the CLI contract)."""
        # exact algebraic values may have minimal polynomials with coefficients beyond
        # Python's default 4300-digit int-to-str limit; print them whole
        old = sys.get_int_max_str_digits()
        sys.set_int_max_str_digits(0)
        try:
            return self._to_json()
        finally:
            sys.set_int_max_str_digits(old)

    def _repr_latex_(self) -> str:
        """Jupyter display: the optimal strategy of each orbit and the exact value."""
        if not self.complete:
            return f"$\\text{{no proved optimum: {self.reason}}}$"
        parts = []
        for orb, acts, strat in zip(self.orbits, self.actions, self.strategies):
            who = "\\{" + ",".join(str(i + 1) for i in orb) + "\\}"
            mix = ", ".join(f"{a}: {sympy.latex(p)}" for a, p in zip(acts, strat) if p != 0)
            parts.append(f"s_{{{who}}} = ({mix})")
        flags = ", ".join(f"\\text{{{k}}}" for k, v in (("Nash", self.nash), ("mixed", self.mixed)) if v)
        return "$" + ";\\; ".join(parts) + f";\\quad EU^* = {sympy.latex(self.value)}" + (f"\\quad ({flags})" if flags else "") + "$"

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in self.to_json().items() if k != "certificate")
        return f"<table>{rows}</table>"

    def _to_json(self) -> dict[str, Any]:
        lo, hi = self.value_interval
        return {
            "value": str(self.value),
            "value_interval": [str(lo), str(hi)],
            "value_float": float(sympy.N(self.value, 30)) if not self.value.free_symbols else None,
            "orbits": [[i + 1 for i in o] for o in self.orbits],
            "strategies": [
                {a: str(p) for a, p in zip(acts, strat)} for acts, strat in zip(self.actions, self.strategies)
            ],
            "support": [[acts[k] for k in sup] for acts, sup in zip(self.actions, self.support)],
            "mixed": self.mixed,
            "nash": self.nash,
            "degenerate": self.degenerate,
            "locally_optimal_asymmetric": self.locally_optimal_asymmetric,
            "value_exact": self.value_exact,
            "complete": self.complete,
            "ties": [str(t) for t in self.ties],
            "method": self.method,
            "reason": self.reason,
            "certificate": self.certificate,
        }
