"""Declared game parameters: the sympy symbol of a declaration, and exact membership of its domain.

A game file declares each parameter with an assumption (the native TOML
format: ``parameters = { eps = "positive", t = "(0, 1/2]" }``):
``"positive"``, ``"nonnegative"``, ``"real"``, or an interval with open or
closed ends (``"[0, 1]"``, ``"(0, oo)"``).  :func:`parameter_symbol` checks a
declaration and gives the symbol with the matching sympy assumptions (an
interval gives a real symbol); :func:`in_domain` decides exactly whether a
constant lies in a declared domain (``--set NAME=VALUE`` on the command line).
The TOML reader (:mod:`exactgames.io.toml_game`) and writer
(:mod:`exactgames.io.toml_write`) both use them.

Examples
--------
>>> eps = parameter_symbol("eps", "positive")
>>> eps.is_positive, in_domain(sympy.Rational(1, 3), "(0, 1/2]"), in_domain(sympy.Integer(1), "(0, 1/2]")
(True, True, False)
"""

from __future__ import annotations

import re

import sympy

from exactgames.io import GameFileError
from exactgames.model.exact import ExactError, compare
from exactgames.model.parse import parse_exact

__all__ = ["parameter_symbol", "in_domain"]


_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_RESERVED = {"sqrt", "Rational", "CRootOf", "rootof", "root"}
_INTERVAL_RE = re.compile(r"\s*([\[(])\s*([^,]+?)\s*,\s*([^,]+?)\s*([\])])\s*")


def _endpoint(text: str, where: str) -> sympy.Expr:
    t = text.strip()
    if t in ("oo", "+oo", "inf", "+inf"):
        return sympy.oo
    if t in ("-oo", "-inf"):
        return -sympy.oo
    try:
        v = parse_exact(t)
    except ExactError as exc:
        raise GameFileError(f"{where}: interval endpoint {t!r}: {exc}") from None
    if v.free_symbols or not v.is_real:
        raise GameFileError(f"{where}: interval endpoint {t!r} is not a real number")
    return v


def parameter_symbol(name: str, assumption: str, where: str = "parameters") -> sympy.Symbol:
    """The sympy symbol for a declared parameter.

    Parameters
    ----------
    name : str
        A Python identifier.
    assumption : str
        ``"positive"``, ``"nonnegative"``, ``"real"``, or an interval such as
        ``"[0, 1]"``, ``"(0, 1/2]"``, ``"(0, oo)"`` (an interval gives a real symbol).
    where : str
        Prefix of error messages.

    Examples
    --------
    >>> parameter_symbol("eps", "positive").is_positive
    True
    >>> parameter_symbol("t", "(0, 1/2]").is_real
    True
    >>> parameter_symbol("t", "[1, 0]")
    Traceback (most recent call last):
    ...
    exactgames.io.GameFileError: parameters: t = '[1, 0]': empty interval (lower end 1 above upper end 0)
    """
    if not _NAME_RE.fullmatch(name) or name in _RESERVED:
        raise GameFileError(f"{where}: {name!r} is not a usable parameter name (expected an identifier, not a function name)")
    if not isinstance(assumption, str):
        raise GameFileError(f"{where}: {name} = {assumption!r}: expected a string such as \"positive\" or \"[0, 1]\"")
    a = assumption.strip()
    if a == "positive":
        return sympy.Symbol(name, positive=True)
    if a == "nonnegative":
        return sympy.Symbol(name, nonnegative=True)
    if a == "real":
        return sympy.Symbol(name, real=True)
    m = _INTERVAL_RE.fullmatch(a)
    if not m:
        raise GameFileError(
            f"{where}: {name} = {assumption!r}: unknown assumption (expected positive, nonnegative, real, "
            f"or an interval such as \"[0, 1]\" or \"(0, 1/2]\")"
        )
    ctx = f"{where}: {name} = {assumption!r}"
    lo, hi = _endpoint(m.group(2), ctx), _endpoint(m.group(3), ctx)
    if (lo.is_infinite and m.group(1) == "[") or (hi.is_infinite and m.group(4) == "]"):
        raise GameFileError(f"{ctx}: an infinite end must be open")
    if lo == sympy.oo or hi == -sympy.oo:
        raise GameFileError(f"{ctx}: empty interval")
    if not (lo.is_infinite or hi.is_infinite):
        c = compare(lo, hi)
        if c > 0 or (c == 0 and (m.group(1) == "(" or m.group(4) == ")")):
            raise GameFileError(f"{ctx}: empty interval (lower end {lo} above upper end {hi})" if c > 0 else f"{ctx}: empty interval")
    return sympy.Symbol(name, real=True)


def in_domain(value: sympy.Expr, assumption: str) -> bool:
    """Whether an exact real constant lies in a declared parameter domain (decided exactly).

    Examples
    --------
    >>> in_domain(sympy.Integer(-1), "positive"), in_domain(sympy.Integer(0), "nonnegative")
    (False, True)
    >>> in_domain(sympy.Rational(1, 2), "(0, 1/2]"), in_domain(sympy.Integer(0), "(0, 1/2]")
    (True, False)
    """
    a = assumption.strip()
    if a == "real":
        return True
    if a in ("positive", "nonnegative"):
        s = compare(value, 0)
        return s > 0 or (s == 0 and a == "nonnegative")
    m = _INTERVAL_RE.fullmatch(a)
    if not m:
        return True
    lo, hi = _endpoint(m.group(2), "interval"), _endpoint(m.group(3), "interval")
    if not lo.is_infinite:
        c = compare(value, lo)
        if c < 0 or (c == 0 and m.group(1) == "("):
            return False
    if not hi.is_infinite:
        c = compare(value, hi)
        if c > 0 or (c == 0 and m.group(4) == ")"):
            return False
    return True


def _assumption_of(sym: sympy.Symbol) -> str:
    if sym.is_positive:
        return "positive"
    if sym.is_nonnegative:
        return "nonnegative"
    return "real"

