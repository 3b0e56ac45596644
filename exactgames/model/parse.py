"""Reading exact numbers from text and Python values, with size limits checked before computing.

:func:`parse_exact` turns an int, a ``Fraction``, a python-flint ``fmpq``, a
sympy expression or a string into an exact sympy value, and refuses floats
(:class:`~exactgames.model.exact.FloatRefusedError`).  Strings are integers,
fractions, decimals (read exactly: ``"0.1"`` is 1/10) or expressions built from
numbers, ``+ - * / **``, ``sqrt``, ``root``, ``Rational``, ``CRootOf`` and
declared parameter names.  A string is read by a walk of its Python syntax
tree; nothing is ever evaluated as code, and a value that could not be held
(``9**9**9``, ``1e999999999``) is refused before it is computed: see
:data:`MAX_INTEGER_DIGITS`, :data:`MAX_EXPONENT`, :data:`MAX_SYMBOLIC_EXPONENT`.

The error types are in :mod:`exactgames.model.errors`; the conversions to python-flint and the exact signs and
comparisons are in :mod:`exactgames.model.exact`; :func:`short_text` cuts
long input for error messages (used by the file readers too).

Examples
--------
>>> from exactgames.model.exact import sign
>>> parse_exact("1/6")
1/6
>>> parse_exact("0.1")        # decimal strings are read exactly
1/10
>>> sign(parse_exact("sqrt(2) - 1") - parse_exact("41/100"))
1
>>> parse_exact(0.5)
Traceback (most recent call last):
...
exactgames.model.errors.FloatRefusedError: float 0.5 refused: floats are not exact; pass a string such as '1/2' or '0.5', a Fraction, or an int
"""

from __future__ import annotations

import ast
import re
import sys
from fractions import Fraction
from typing import Any, Iterable

import flint
import sympy

from exactgames.model.errors import ExactError, FloatRefusedError

__all__ = [
    "parse_exact",
    "short_text",
    "MAX_INTEGER_DIGITS",
    "MAX_EXPONENT",
    "MAX_SYMBOLIC_EXPONENT",
]


_ALLOWED_FUNCS = {
    "sqrt": sympy.sqrt,
    "Rational": sympy.Rational,
    "CRootOf": sympy.CRootOf,
    "rootof": sympy.CRootOf,
    "root": sympy.root,
}
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _is_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, sympy.Float):
        return True
    try:  # numpy floats without importing numpy
        return type(value).__module__ == "numpy" and "float" in type(value).__name__
    except Exception:  # pragma: no cover
        return False


def parse_exact(value: Any, symbols: Iterable[str] | dict | None = None) -> sympy.Expr:
    """Read ``value`` as an exact sympy number or expression.

    Parameters
    ----------
    value : int, Fraction, str, sympy.Expr or flint.fmpq
        Strings may be integers, fractions (``"-3/4"``), decimals
        (``"0.1"``, read exactly as ``1/10``), or expressions built from
        numbers, ``+ - * / **``, ``sqrt`` and the names in ``symbols``.
    symbols : iterable of str or dict, optional
        Names of the parameters allowed in the expression.  Any other name
        is an error (nothing is evaluated beyond arithmetic).

    Returns
    -------
    sympy.Expr
        An exact value: contains no ``sympy.Float``.

    Raises
    ------
    FloatRefusedError
        If ``value`` is a float.
    ExactError
        If a string cannot be parsed or uses undeclared names, is not a real
        number (``sqrt(-1)``, ``0**-1``, ``(1/0)*0``), or passes a size limit
        before it is computed: integers beyond :data:`MAX_INTEGER_DIGITS`
        digits (``10**10**10``), decimal exponents beyond :data:`MAX_EXPONENT`
        (``1e999999999``), powers of irrational or symbolic bases beyond
        :data:`MAX_SYMBOLIC_EXPONENT`.  Strings are read by a walk of their
        Python syntax tree; nothing is ever evaluated as code.

    Examples
    --------
    >>> parse_exact("2 - sqrt(2)")
    2 - sqrt(2)
    >>> parse_exact("1 + eps", symbols=["eps"])
    eps + 1
    >>> parse_exact("1 + x")
    Traceback (most recent call last):
    ...
    exactgames.model.errors.ExactError: '1 + x': unknown name 'x' (declared parameters: none)
    >>> parse_exact("9**9**9")
    Traceback (most recent call last):
    ...
    exactgames.model.errors.ExactError: '9**9**9': the power would have about 349878524 digits (the limit is 100000 digits)
    """
    if _is_float(value):
        raise FloatRefusedError(
            f"float {value!r} refused: floats are not exact; pass a string such as "
            f"'1/2' or '0.5', a Fraction, or an int"
        )
    if isinstance(value, bool):
        raise ExactError(f"boolean {value!r} is not a number")
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, flint.fmpq):
        return sympy.Rational(int(value.p), int(value.q))
    if isinstance(value, flint.fmpz):
        return sympy.Integer(int(value))
    if isinstance(value, sympy.Basic):
        if value.atoms(sympy.Float):
            raise FloatRefusedError(f"expression {value} contains floats; floats are not exact")
        return sympy.sympify(value)
    if isinstance(value, str):
        return _parse_string(value, symbols)
    raise ExactError(f"cannot read {value!r} (type {type(value).__name__}) as an exact number")


MAX_INTEGER_DIGITS = 100_000
"""Largest integer (in decimal digits) read or produced by :func:`parse_exact`, about 2^332000."""
MAX_EXPONENT = 4000
"""Largest decimal exponent of a literal such as ``1e4000`` (``1e999999999`` is refused at once)."""
MAX_SYMBOLIC_EXPONENT = 1000
"""Largest integer exponent of an irrational or symbolic base (``sqrt(2)**1000``, ``eps**1000``)."""
MAX_EXPRESSION_CHARS = 2 * MAX_INTEGER_DIGITS
"""Longest expression text :func:`parse_exact` reads."""

_MAX_BITS = int(MAX_INTEGER_DIGITS * 3.3219280948873626) + 1
_LITERAL_RE = re.compile(r"(?<![A-Za-z_0-9.])(\d+\.\d*|\.\d+|\d+(?=[eE][+-]?\d))([eE][+-]?\d+)?|(?<![A-Za-z_0-9.])\d+")
_NOT_REAL = (sympy.nan, sympy.zoo, sympy.oo, -sympy.oo, sympy.I)


def short_text(text: Any, limit: int = 60) -> str:
    """``repr(text)``, cut to about ``limit`` characters with the full length noted (for error messages).

    Examples
    --------
    >>> short_text("1/3")
    "'1/3'"
    >>> short_text("9" * 1000)
    "'999999999999999999999999999999999999999999999999999999999999...' (1000 characters)"
    """
    s = str(text)
    if len(s) <= limit:
        return repr(s)
    return repr(s[:limit] + "...") + f" ({len(s)} characters)"


class _LiftedDigitLimit:
    """Lift Python's int/str conversion limit (4300 digits) while a bounded number is converted."""

    def __enter__(self) -> None:
        self.old = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else None
        if self.old is not None and self.old and self.old < MAX_INTEGER_DIGITS + 10:
            sys.set_int_max_str_digits(MAX_INTEGER_DIGITS + 10)

    def __exit__(self, *exc: Any) -> None:
        if self.old is not None and self.old and self.old < MAX_INTEGER_DIGITS + 10:
            sys.set_int_max_str_digits(self.old)


def _exact_literal(text: str, where: str) -> sympy.Rational:
    """An integer or decimal literal (``12``, ``0.25``, ``1e-3``) read exactly, with bounded size."""
    mant, _, exp = text.lower().partition("e")
    digits = len(mant.replace(".", "").lstrip("+-").lstrip("0"))
    if digits > MAX_INTEGER_DIGITS:
        raise ExactError(f"{where}: a number with {digits} digits (the limit is {MAX_INTEGER_DIGITS} digits)")
    if exp and len(exp.lstrip("+-")) > 6 or exp and abs(int(exp)) > MAX_EXPONENT:
        raise ExactError(f"{where}: decimal exponent {short_text(exp, 20)} (the limit is {MAX_EXPONENT})")
    with _LiftedDigitLimit():
        if not exp and "." not in mant:
            return sympy.Integer(int(mant))
        f = Fraction(text)
        return sympy.Rational(f.numerator, f.denominator)


def _digits_text(bits: int) -> str:
    """About how many decimal digits ``bits`` bits are, for a message (``10^k`` notation when huge)."""
    d = bits * 10000 // 33219 + 1
    return str(d) if d < 10**12 else f"10^{len(str(d)) - 1}"


def _bits(q: sympy.Rational) -> int:
    return max(int(q.p).bit_length(), int(q.q).bit_length())


def _check_size(v: sympy.Expr, where: str) -> sympy.Expr:
    if isinstance(v, sympy.Rational) and _bits(v) > _MAX_BITS:
        raise ExactError(f"{where}: the value has about {_digits_text(_bits(v))} digits "
                         f"(the limit is {MAX_INTEGER_DIGITS} digits)")
    if v.has(*_NOT_REAL):
        raise ExactError(f"{where}: not a real number ({short_text(v)}; division by zero, 0**-1 or a root of a negative number)")
    return v


def _power(base: sympy.Expr, exp: sympy.Expr, where: str) -> sympy.Expr:
    """``base**exp`` refused before computing when the result could not be held (exponent towers)."""
    if not isinstance(exp, sympy.Rational):
        raise ExactError(f"{where}: the exponent {short_text(exp)} is not a rational number")
    if abs(int(exp.q)) > MAX_SYMBOLIC_EXPONENT:
        raise ExactError(f"{where}: the exponent {short_text(exp)} has a denominator above {MAX_SYMBOLIC_EXPONENT}")
    if isinstance(base, sympy.Rational):
        if base == 0 and exp < 0:
            raise ExactError(f"{where}: division by zero (0 to a negative power)")
        if abs(base.p) > 1 or base.q > 1:
            need = (_bits(base) - 1) * abs(int(exp.p))
            if need > _MAX_BITS:
                raise ExactError(f"{where}: the power would have about {_digits_text(need)} digits "
                                 f"(the limit is {MAX_INTEGER_DIGITS} digits)")
    elif abs(int(exp.p)) > MAX_SYMBOLIC_EXPONENT:
        raise ExactError(f"{where}: exponent {short_text(exp)} of an irrational or symbolic base "
                         f"(the limit is {MAX_SYMBOLIC_EXPONENT})")
    return base**exp


def _evaluate(node: ast.AST, names: dict, literals: list, where: str) -> Any:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, names, literals, where)
    if isinstance(node, ast.Constant):
        if isinstance(node.value, int) and not isinstance(node.value, bool):
            return _check_size(sympy.Integer(node.value), where)
        if isinstance(node.value, str):
            return node.value
        raise ExactError(f"{where}: {short_text(node.value)} is not an exact number")
    if isinstance(node, ast.Name):
        if node.id in literals[1]:
            return literals[1][node.id]
        if node.id in names:
            return names[node.id]
        declared = ", ".join(sorted(k for k in names if k not in _ALLOWED_FUNCS)) or "none"
        raise ExactError(f"{where}: unknown name {node.id!r} (declared parameters: {declared})")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        v = _evaluate(node.operand, names, literals, where)
        if not isinstance(v, sympy.Expr):
            raise ExactError(f"{where}: not a number or expression")
        return v if isinstance(node.op, ast.UAdd) else -v
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)):
        a = _evaluate(node.left, names, literals, where)
        b = _evaluate(node.right, names, literals, where)
        if not isinstance(a, sympy.Expr) or not isinstance(b, sympy.Expr):
            raise ExactError(f"{where}: not a number or expression")
        if isinstance(node.op, ast.Add):
            out = a + b
        elif isinstance(node.op, ast.Sub):
            out = a - b
        elif isinstance(node.op, ast.Mult):
            out = a * b
        elif isinstance(node.op, ast.Div):
            if b == 0:
                raise ExactError(f"{where}: division by zero")
            out = a / b
        else:
            out = _power(a, b, where)
        return _check_size(out, where)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _ALLOWED_FUNCS and not node.keywords:
        args = [_evaluate(x, names, literals, where) for x in node.args]
        name = node.func.id
        if name == "Rational" and len(args) == 1 and isinstance(args[0], str):
            s = args[0].strip()
            if not _NUMBER_RE.match(s):
                raise ExactError(f"{where}: Rational({short_text(s)}) is not a decimal number")
            return _exact_literal(s, where)
        if any(not isinstance(x, sympy.Expr) for x in args):
            raise ExactError(f"{where}: bad arguments to {name}")
        if name == "Rational" and len(args) == 2 and args[1] == 0:
            raise ExactError(f"{where}: division by zero")
        if name == "root" and len(args) >= 2:
            if not isinstance(args[1], sympy.Integer) or not 1 <= int(args[1]) <= MAX_SYMBOLIC_EXPONENT:
                raise ExactError(f"{where}: root of order {short_text(args[1])} (expected an integer 1..{MAX_SYMBOLIC_EXPONENT})")
        try:
            out = _ALLOWED_FUNCS[name](*args)
        except ExactError:
            raise
        except Exception as exc:  # noqa: BLE001 - sympy raises many kinds for bad arguments
            raise ExactError(f"{where}: {name}(...) is not a valid exact number ({type(exc).__name__}: {short_text(exc, 100)})") from None
        return _check_size(out, where)
    raise ExactError(f"{where}: not a valid exact expression (only numbers, + - * / ** and sqrt, root, Rational, CRootOf are allowed)")


def _parse_string(text: str, symbols: Iterable[str] | dict | None) -> sympy.Expr:
    s = text.strip()
    where = short_text(text)
    if not s:
        raise ExactError("empty string is not a number")
    if len(s) > MAX_EXPRESSION_CHARS:
        raise ExactError(f"{where}: expression too long (the limit is {MAX_EXPRESSION_CHARS} characters)")
    if _NUMBER_RE.match(s):
        return _exact_literal(s, where)
    if re.fullmatch(r"[+-]?\d+\s*/\s*[+-]?\d+", s):
        num, den = s.split("/")
        n, d = _exact_literal(num.strip(), where), _exact_literal(den.strip(), where)
        if d == 0:
            raise ExactError(f"{where}: division by zero")
        return sympy.Rational(n, d)
    if isinstance(symbols, dict):
        local = {str(k): (v if isinstance(v, sympy.Basic) else sympy.Symbol(str(k))) for k, v in symbols.items()}
    else:
        local = {name: sympy.Symbol(name) for name in (symbols or ())}
    # every number literal becomes a placeholder name bound to its exact value (no Python float, no huge int parse)
    table: dict[str, sympy.Expr] = {}

    def literal(m: re.Match) -> str:
        key = f"__n{len(table)}__"
        table[key] = _exact_literal(m.group(0), where)
        return " " + key + " "

    try:
        code = _LITERAL_RE.sub(literal, s).replace("^", "**").strip()
        names = dict(_ALLOWED_FUNCS)
        names.update(local)
        try:
            tree = ast.parse(code, mode="eval")
        except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
            raise ExactError(f"{where}: not a valid exact expression ({type(exc).__name__})") from None
        expr = _evaluate(tree, names, [None, table], where)
    except RecursionError:
        raise ExactError(f"{where}: nested too deeply") from None
    if not isinstance(expr, sympy.Expr):
        raise ExactError(f"{where}: not a number or expression")
    if expr.atoms(sympy.Float):
        raise FloatRefusedError(f"{where}: produced a float; write numbers exactly")
    if not expr.free_symbols and expr.is_extended_real is False:
        raise ExactError(f"{where}: not a real number ({short_text(expr)})")
    allowed = set(local.values())
    extra = expr.free_symbols - allowed
    if extra:
        raise ExactError(f"{where}: unknown name {sorted(map(str, extra))[0]!r}")
    return expr
