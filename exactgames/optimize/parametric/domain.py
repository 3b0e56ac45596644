"""A game parameter's domain: ``ParameterDomain`` from the game's declaration, and the parameter errors."""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from exactgames.model.exact import ExactError, compare
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.parse import parse_exact


class ParameterError(ExactError):
    """The game does not have exactly one parameter, or its domain is malformed."""


@dataclass(frozen=True)
class ParameterDomain:
    """The set of allowed parameter values: an interval with exact (possibly infinite) ends."""

    symbol: sympy.Symbol
    lower: sympy.Expr
    upper: sympy.Expr
    lower_closed: bool
    upper_closed: bool

    def contains(self, x: sympy.Expr) -> bool:
        """Exact membership test.

        Examples
        --------
        >>> d = ParameterDomain(sympy.Symbol("t"), sympy.Integer(0), sympy.oo, False, False)
        >>> d.contains(sympy.Integer(0)), d.contains(sympy.Rational(1, 2))
        (False, True)
        """
        if self.lower != -sympy.oo:
            c = compare(x, self.lower)
            if c < 0 or (c == 0 and not self.lower_closed):
                return False
        if self.upper != sympy.oo:
            c = compare(x, self.upper)
            if c > 0 or (c == 0 and not self.upper_closed):
                return False
        return True

    def __str__(self) -> str:
        return f"{'[' if self.lower_closed else '('}{self.lower}, {self.upper}{']' if self.upper_closed else ')'}"


def _parse_domain(sym: sympy.Symbol, text: str, where: str) -> ParameterDomain:
    s = text.strip()
    low = s.lower()
    if low == "positive":
        return ParameterDomain(sym, sympy.Integer(0), sympy.oo, False, False)
    if low == "nonnegative":
        return ParameterDomain(sym, sympy.Integer(0), sympy.oo, True, False)
    if low == "real":
        return ParameterDomain(sym, -sympy.oo, sympy.oo, False, False)
    if len(s) >= 5 and s[0] in "[(" and s[-1] in "])" and "," in s:
        a, b = s[1:-1].split(",", 1)
        try:
            lo = -sympy.oo if a.strip() in ("-oo", "-inf") else parse_exact(a)
            hi = sympy.oo if b.strip() in ("oo", "inf", "+oo") else parse_exact(b)
        except ExactError as exc:
            raise ParameterError(f"{where}: interval {text!r}: {exc}") from None
        if lo != -sympy.oo and hi != sympy.oo and compare(lo, hi) > 0:
            raise ParameterError(f"{where}: interval {text!r} is empty (lower end above upper end)")
        return ParameterDomain(sym, lo, hi, s[0] == "[" and lo != -sympy.oo, s[-1] == "]" and hi != sympy.oo)
    raise ParameterError(f"{where}: domain {text!r} not understood (expected positive, nonnegative, real, or an interval such as '[0, 1]')")


def parameter_domain(game: Game | AnonymousGame) -> ParameterDomain:
    """The game's single parameter and its domain (from ``game.domains``, else the symbol's assumptions).

    Examples
    --------
    >>> from exactgames.paper_games import ten_robots
    >>> str(parameter_domain(ten_robots()))
    '(0, oo)'
    """
    params = game.parameters
    if len(params) != 1:
        names = [str(p) for p in params] or "none"
        raise ParameterError(f"parametric analysis needs exactly one parameter; the game has {len(params)} ({names})")
    sym = params[0]
    for name, assumption in game.domains:
        if name == str(sym):
            return _parse_domain(sym, str(assumption), f"domain of parameter {name!r}")
    if sym.is_positive:
        return ParameterDomain(sym, sympy.Integer(0), sympy.oo, False, False)
    if sym.is_nonnegative:
        return ParameterDomain(sym, sympy.Integer(0), sympy.oo, True, False)
    return ParameterDomain(sym, -sympy.oo, sympy.oo, False, False)
