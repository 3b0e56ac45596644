"""Readable regimes of a parametric optimum: a short text table (LaTeX: :mod:`exactgames.output.regimes`).

The parametric analysis (:func:`exactgames.certify.conditions.parametric_regimes_with_verdicts`)
returns regimes of one parameter with their certificates; this module prints one line per regime
(interval, optimum, value, verdicts), every endpoint in closed form *and* as a decimal.  Closed forms
are recognised exactly: a rational endpoint ``r`` is printed as ``(p/q)^k + c`` when ``r - c`` is
exactly the ``k``-th power of a rational with small terms (integer arithmetic, no floats); decimals
come from exact rational arithmetic or rigorous balls, never from a float deciding anything.

Examples
--------
>>> endpoint_text("612579511/387420489")
'(10/9)^9 - 1 ~ 1.58117'
>>> endpoint_text("11"), endpoint_text("oo"), endpoint_text("0")
('11', 'oo', '0')
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import sympy

__all__ = ["endpoint_text", "power_form", "regime_rows", "regimes_text"]

#: the numerators and denominators tried for ``(p/q)^k + c`` are at most this large
_MAX_BASE = 10**4


def _iroot(n: int, k: int) -> int | None:
    """The exact integer k-th root of n >= 0, or None."""
    if n < 0:
        return None
    r = round(n ** (1.0 / k)) if n < 2**1000 else int(sympy.integer_nthroot(n, k)[0])
    for c in (r - 1, r, r + 1):  # the float only proposes; the check is exact
        if c >= 0 and c**k == n:
            return c
    root, exact = sympy.integer_nthroot(n, k)
    return int(root) if exact else None


def power_form(q: Fraction, max_power: int = 40) -> tuple[Fraction, int, int] | None:
    """``(base, k, c)`` with ``q == base**k + c`` exactly (``k >= 2``, ``c`` in -1, 0, 1, small base), or None.

    Examples
    --------
    >>> power_form(Fraction(612579511, 387420489))
    (Fraction(10, 9), 9, -1)
    >>> power_form(Fraction(1, 3)) is None
    True
    """
    for c in (0, -1, 1):
        r = q - c
        if r <= 0 or r == 1:
            continue
        for k in range(max_power, 1, -1):
            p, d = _iroot(r.numerator, k), _iroot(r.denominator, k)
            if p is not None and d is not None and max(p, d) <= _MAX_BASE and (p, d) != (1, 1):
                return Fraction(p, d), k, c
    return None


def _decimal(q: Fraction, digits: int = 6) -> str:
    from exactgames.optimize.result import decimal_of

    return decimal_of(sympy.Rational(q.numerator, q.denominator), digits) or "?"


def endpoint_text(text: str, digits: int = 6) -> str:
    """An interval endpoint for a reader: the exact value (a recognised closed form when there is one) and a decimal."""
    if text in ("oo", "-oo"):
        return text
    e = sympy.sympify(text)
    if e.is_Rational:
        q = Fraction(int(e.p), int(e.q))
        if q.denominator == 1:
            return str(q)
        form = power_form(q)
        if form is not None:
            base, k, c = form
            b = str(base) if base.denominator == 1 else f"({base})"
            exact = f"{b}^{k}" + ("" if c == 0 else f" {'+' if c > 0 else '-'} {abs(c)}")
        else:
            exact = str(q) if len(str(q)) <= 24 else ""
        dec = _decimal(q, digits)
        return f"{exact} ~ {dec}" if exact else f"~ {dec}"
    from exactgames.optimize.result import form_text

    return form_text(e)


def _interval_text(iv: dict) -> str:
    lo, hi = endpoint_text(iv["lower"]), endpoint_text(iv["upper"])
    if iv["lower"] == iv["upper"]:
        return f"= {lo}"
    left = "[" if iv.get("lower_closed") else "("
    right = "]" if iv.get("upper_closed") else ")"
    return f"{left}{lo}, {hi}{right}"


def _value_text(text: str | None) -> str:
    """A regime's value: factored when it depends on the parameter (``387420489*(eps + 1)/1000000000``)."""
    from exactgames.optimize.result import form_text

    if text is None:
        return "?"
    e = sympy.sympify(text)
    if e.free_symbols:
        f = sympy.factor(e)
        e = f if len(str(f)) <= len(str(e)) else e
        coeff, rest = e.as_coeff_Mul()
        if coeff.is_Rational and coeff.q != 1:
            form = power_form(Fraction(int(coeff.p), int(coeff.q)))
            if form is not None and form[2] == 0:
                base = form[0] if form[0].denominator == 1 else f"({form[0]})"
                r = str(rest)
                return f"{base}^{form[1]}*" + (r if rest.is_Symbol or rest.is_Pow else f"({r})")
    return form_text(e)


def _ties_text(ties: list) -> str:
    """Ties with the parameter values in closed form (``at eps = (10/9)^9 - 1 ~ 1.58117: ...``)."""
    def sub(m: re.Match) -> str:
        return f"{m.group(1)} = {endpoint_text(m.group(2))}"

    return "; ".join(re.sub(r"(\w+) = (-?\d+/\d+)", sub, str(t)) for t in ties)


def _yn(v: Any) -> str:
    return {True: "yes", False: "no", None: "?"}.get(v, str(v))


def _strategy_text(strategies: list[dict], orbit_names: list[str] | None = None) -> str:
    from exactgames.optimize.result import form_text

    parts = []
    for k, s in enumerate(strategies):
        body = ", ".join(f"{a}={form_text(sympy.sympify(p))}" for a, p in s.items() if p != "0")
        parts.append((f"{orbit_names[k]}: " if orbit_names and len(strategies) > 1 else "") + body)
    return "; ".join(parts)


def regime_rows(result: dict, orbit_names: list[str] | None = None) -> list[dict[str, str]]:
    """One short dict per regime: ``interval``, ``optimum``, ``value``, ``nash``, ``degenerate``, ``stable``, ``ties``.

    ``result`` is the JSON of a parametric analysis (``parameter`` and ``regimes``).

    Examples
    --------
    >>> rows = regime_rows({"parameter": "eps", "regimes": [{"interval": {"lower": "11", "upper": "oo",
    ...     "lower_closed": False, "upper_closed": False}, "strategies": [{"a": "0", "b": "1/2", "c": "1/2"}],
    ...     "value": "(eps - 9)/2", "nash": True, "degenerate": False, "locally_optimal_asymmetric": False, "ties": []}]})
    >>> rows[0]["interval"], rows[0]["optimum"], rows[0]["value"]
    ('(11, oo)', 'b=1/2, c=1/2', '(eps - 9)/2')
    """
    rows = []
    for r in result["regimes"]:
        rows.append({
            "interval": _interval_text(r["interval"]),
            "optimum": _strategy_text(r.get("strategies") or [], orbit_names),
            "value": _value_text(r.get("value")),
            "nash": _yn(r.get("nash")),
            "degenerate": _yn(r.get("degenerate")),
            "stable": _yn(r.get("locally_optimal_asymmetric")),
            "ties": _ties_text(r.get("ties") or []),
        })
    return rows


def regimes_text(result: dict, orbit_names: list[str] | None = None) -> str:
    """The regimes as an aligned text table (the verdicts are decided at each regime's sample point)."""
    p = result.get("parameter") or "the parameter"
    rows = regime_rows(result, orbit_names)
    head = {"interval": p, "optimum": "optimum", "value": "value", "nash": "Nash", "degenerate": "degen.",
            "stable": "stable"}
    keys = list(head)
    width = {k: max(len(head[k]), *(len(r[k]) for r in rows)) if rows else len(head[k]) for k in keys}
    lines = ["  ".join(head[k].ljust(width[k]) for k in keys).rstrip()]
    lines.append("  ".join("-" * width[k] for k in keys))
    for r in rows:
        lines.append("  ".join(r[k].ljust(width[k]) for k in keys).rstrip())
        if r["ties"]:
            lines.append("    ties: " + r["ties"])
    lines.append("Nash, degenerate (Def. 5.0.3) and stable (locally optimal among asymmetric profiles, Def. 5.0.1) are "
                 "decided exactly at a rational sample point of each regime; the certificates are in --json.")
    return "\n".join(lines)
