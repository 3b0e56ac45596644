"""The results of the parametric analysis: closed-form branches, regimes, ``ParametricResult``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy

from exactgames.optimize.parametric.domain import ParameterDomain


@dataclass(frozen=True)
class Branch:
    """A family of critical points of one face as functions of the parameter."""

    support: tuple[tuple[int, ...], ...]
    strategies: tuple[tuple[sympy.Expr, ...], ...]
    value: sympy.Expr
    closed_form: bool
    description: str = ""

    def key(self) -> tuple:
        return (self.support, tuple(tuple(str(p) for p in s) for s in self.strategies), str(self.value))

    def at(self, x: sympy.Expr, t: sympy.Symbol) -> tuple[tuple[tuple[sympy.Expr, ...], ...], sympy.Expr]:
        """Strategies and value at parameter ``x`` (exact substitution)."""
        strat = tuple(tuple(_simp(p.subs(t, x)) for p in s) for s in self.strategies)
        return strat, _simp(self.value.subs(t, x))


def _simp(e: sympy.Expr) -> sympy.Expr:
    e = sympy.sympify(e)
    if e.is_Rational:
        return e
    return sympy.factor(sympy.cancel(e)) if not e.has(sympy.CRootOf) else sympy.expand(e)


@dataclass(frozen=True)
class Regime:
    """One regime: an interval (possibly a single point) of the parameter with its optimal profile."""

    lower: sympy.Expr
    upper: sympy.Expr
    lower_closed: bool
    upper_closed: bool
    actions: tuple[tuple[str, ...], ...]
    support: tuple[tuple[int, ...], ...]
    strategies: tuple[tuple[sympy.Expr, ...], ...]
    value: sympy.Expr
    sample: sympy.Expr | None
    nash: bool | None = None
    degenerate: bool | None = None
    locally_optimal_asymmetric: bool | None = None
    verdicts_note: str = ""
    ties: tuple[str, ...] = ()
    certificate: tuple[str, ...] = ()

    def interval_str(self) -> str:
        return f"{'[' if self.lower_closed else '('}{self.lower}, {self.upper}{']' if self.upper_closed else ')'}"

    def to_json(self) -> dict[str, Any]:
        return {
            "interval": {
                "lower": str(self.lower),
                "upper": str(self.upper),
                "lower_closed": self.lower_closed,
                "upper_closed": self.upper_closed,
            },
            "strategies": [{a: str(p) for a, p in zip(acts, s)} for acts, s in zip(self.actions, self.strategies)],
            "support": [[acts[k] for k in sup] for acts, sup in zip(self.actions, self.support)],
            "value": str(self.value),
            "sample": None if self.sample is None else str(self.sample),
            "nash": self.nash,
            "degenerate": self.degenerate,
            "locally_optimal_asymmetric": self.locally_optimal_asymmetric,
            # an object, as in ``exactgames check --json`` (issue 14, item 8): how the verdicts were decided
            "verdicts": {"sample": None if self.sample is None else str(self.sample), "reason": self.verdicts_note},
            "ties": list(self.ties),
            "certificate": list(self.certificate),
        }


@dataclass(frozen=True)
class ParametricResult:
    """Regimes of the optimal P-invariant profile over the parameter's domain.

    ``complete`` is False when some step could not be proved (``reason``
    says which); the regimes are then not claimed.
    """

    parameter: sympy.Symbol
    domain: ParameterDomain
    orbits: tuple[tuple[int, ...], ...]
    actions: tuple[tuple[str, ...], ...]
    regimes: tuple[Regime, ...]
    candidates: tuple[sympy.Expr, ...]
    endpoints: tuple[sympy.Expr, ...]
    complete: bool = True
    reason: str = ""
    method: str = ""

    def __repr__(self) -> str:
        """Short: parameter, regimes in one line each (the certificates are in ``to_json()``)."""
        from exactgames.optimize.parametric.display import regime_rows

        if not self.complete:
            return f"ParametricResult(parameter={self.parameter}, complete=False, reason={self.reason!r})"
        rows = regime_rows({"parameter": str(self.parameter), "regimes": [r.to_json() for r in self.regimes]})
        body = "; ".join(f"{r['interval']}: {r['optimum']} -> {r['value']}" for r in rows)
        return f"ParametricResult(parameter={self.parameter}, {len(rows)} regimes: {body})"

    def _repr_html_(self) -> str:
        """Jupyter: the regime table (interval with closed-form endpoints and decimals, optimum, value, verdicts)."""
        import html

        from exactgames.optimize.parametric.display import regime_rows

        if not self.complete:
            return f"<p>no proved regimes: {html.escape(self.reason)}</p>"
        rows = regime_rows({"parameter": str(self.parameter), "regimes": [r.to_json() for r in self.regimes]})
        keys = ("interval", "optimum", "value", "nash", "degenerate", "stable")
        head = "".join(f"<th>{html.escape(str(self.parameter) if k == 'interval' else k)}</th>" for k in keys)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(r[k])}</td>" for k in keys) + "</tr>" for r in rows)
        return f"<table><tr>{head}</tr>{body}</table>"

    def _repr_latex_(self) -> str:
        """Jupyter: the regimes as a LaTeX array (intervals and values typeset by sympy)."""
        if not self.complete:
            return f"$\\text{{no proved regimes: {self.reason}}}$"
        from exactgames.optimize.parametric.display import regime_rows

        texts = regime_rows({"parameter": str(self.parameter), "regimes": [r.to_json() for r in self.regimes]})
        rows = []
        for r, t in zip(self.regimes, texts):
            strat = "; ".join(", ".join(f"{sympy.latex(p)}" for p in s) for s in r.strategies)
            rows.append(f"\\text{{{t['interval'].replace('~', '≈')}}} & ({strat}) & {sympy.latex(r.value)}")
        return ("$\\begin{array}{lll} " + sympy.latex(self.parameter) + " & \\text{optimum} & EU^* \\\\ \\hline "
                + " \\\\ ".join(rows) + " \\end{array}$")

    def to_json(self) -> dict[str, Any]:
        return {
            "parameter": str(self.parameter),
            "domain": str(self.domain),
            "orbits": [[i + 1 for i in o] for o in self.orbits],
            "regimes": [r.to_json() for r in self.regimes],
            "endpoints": [str(e) for e in self.endpoints],
            "candidate_polynomials": [str(c) for c in self.candidates],
            "complete": self.complete,
            "reason": self.reason,
            "method": self.method,
        }
