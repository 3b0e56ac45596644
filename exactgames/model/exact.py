"""Exact numbers: parsing, refusing floats, exact comparison and certified signs.

Every payoff and probability in exactgames is a sympy expression that is
either a rational number (``sympy.Rational``), an algebraic number such as
``2 - sqrt(2)`` or a ``CRootOf``, or a polynomial in declared parameters such
as ``1 + eps``.  Floats are refused: a float is an approximation, and no
verdict in this library may rest on one.

Signs of irrational numbers are decided *rigorously*: an algebraic number is
first tested for zero exactly (its minimal polynomial), and otherwise
evaluated in python-flint ``arb`` ball arithmetic (outward rounding) at
increasing precision until the ball excludes zero.

Examples
--------
>>> from exactgames.model.exact import parse_exact, sign
>>> parse_exact("1/6")
1/6
>>> parse_exact("0.1")        # decimal strings are read exactly
1/10
>>> sign(parse_exact("sqrt(2) - 1") - parse_exact("41/100"))
1
>>> parse_exact(0.5)
Traceback (most recent call last):
...
exactgames.model.exact.FloatRefusedError: float 0.5 refused: floats are not exact; pass a string such as '1/2' or '0.5', a Fraction, or an int
"""

from __future__ import annotations

import ast
import re
import sys
from fractions import Fraction
from typing import Any, Callable, Iterable

import flint
import sympy

from exactgames.numbers.rational import fmpq_to_frac, fmpq_to_sympy, frac_to_fmpq

__all__ = [
    "ExactError",
    "FloatRefusedError",
    "parse_exact",
    "to_fmpq",
    "from_fmpq",
    "is_rational",
    "sign",
    "compare",
    "exact_max",
    "to_arb",
    "rational_enclosure",
    "certified_sign",
    "short_text",
    "MAX_INTEGER_DIGITS",
    "MAX_EXPONENT",
    "MAX_SYMBOLIC_EXPONENT",
]


class ExactError(ValueError):
    """A value could not be read or handled exactly."""


class FloatRefusedError(ExactError, TypeError):
    """A Python or numpy float was given where an exact number is required."""


_ALLOWED_FUNCS = {
    "sqrt": sympy.sqrt,
    "Rational": sympy.Rational,
    "CRootOf": sympy.CRootOf,
    "rootof": sympy.CRootOf,
    "root": sympy.root,
}
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_TOKEN_RE = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")


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
    exactgames.model.exact.ExactError: '1 + x': unknown name 'x' (declared parameters: none)
    >>> parse_exact("9**9**9")
    Traceback (most recent call last):
    ...
    exactgames.model.exact.ExactError: '9**9**9': the power would have about 349878524 digits (the limit is 100000 digits)
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


def is_rational(x: Any) -> bool:
    """True if ``x`` is an exact rational number (int, Fraction, fmpq, sympy Rational).

    Examples
    --------
    >>> is_rational(parse_exact("3/7")), is_rational(parse_exact("sqrt(2)"))
    (True, False)
    """
    return isinstance(x, (int, Fraction, flint.fmpq, flint.fmpz, sympy.Rational)) and not isinstance(x, bool)


def to_fmpq(x: Any) -> flint.fmpq:
    """Convert an exact rational to python-flint ``fmpq``.

    Examples
    --------
    >>> to_fmpq(parse_exact("-3/4"))
    -3/4
    """
    if isinstance(x, flint.fmpq):
        return x
    if isinstance(x, (int, flint.fmpz)) and not isinstance(x, bool):
        return flint.fmpq(x)
    if isinstance(x, Fraction):
        return frac_to_fmpq(x)
    if isinstance(x, sympy.Rational):
        return flint.fmpq(int(x.p), int(x.q))
    raise ExactError(f"{x!r} is not an exact rational")


def from_fmpq(x: flint.fmpq) -> sympy.Rational:
    """Convert ``fmpq`` back to ``sympy.Rational``.

    Examples
    --------
    >>> from_fmpq(flint.fmpq(1, 6))
    1/6
    """
    return fmpq_to_sympy(x)


def _rootof_arb(r: sympy.CRootOf, prec: int) -> flint.arb:
    if not r.is_real:
        raise ExactError(f"{r} is not real")
    # refine the exact isolating interval until it is narrow enough
    iv = r._get_interval()
    target = sympy.Rational(1, 2 ** (prec // 2 + 4))
    while (iv.b - iv.a) > target:
        iv = iv.refine()
    r._set_interval(iv)
    lo, hi = to_fmpq(sympy.Rational(iv.a)), to_fmpq(sympy.Rational(iv.b))
    mid = (lo + hi) / 2
    rad = (hi - lo) / 2
    return flint.arb(mid, rad) if rad != 0 else flint.arb(mid)


def to_arb(expr: Any, prec: int = 128) -> flint.arb:
    """Evaluate a real constant expression as a rigorous ``arb`` ball.

    Supports rationals, ``+``, ``*``, integer and rational powers, ``sqrt``,
    real ``CRootOf`` and ``pi``/``E``-free algebraic expressions.  The ball
    is guaranteed to contain the exact value.

    Examples
    --------
    >>> b = to_arb(parse_exact("sqrt(2) - 1"))
    >>> b > flint.arb("0.4142135623730950") and b < flint.arb("0.4142135623730951")
    True
    """
    old = flint.ctx.prec
    flint.ctx.prec = prec
    try:
        return _to_arb(sympy.sympify(expr), prec)
    finally:
        flint.ctx.prec = old


def _to_arb(e: sympy.Expr, prec: int) -> flint.arb:
    if e.is_Rational:
        return flint.arb(to_fmpq(e))
    if e.is_Add:
        acc = flint.arb(0)
        for t in e.args:
            acc += _to_arb(t, prec)
        return acc
    if e.is_Mul:
        acc = flint.arb(1)
        for t in e.args:
            acc *= _to_arb(t, prec)
        return acc
    if e.is_Pow:
        base, ex = e.args
        b = _to_arb(base, prec)
        if ex.is_Integer:
            return b ** int(ex)
        if ex.is_Rational:
            root = b.root(int(ex.q)) if ex.q != 2 else b.sqrt()
            return root ** int(ex.p)
    if isinstance(e, sympy.CRootOf):
        return _rootof_arb(e, prec)
    if e.free_symbols:
        raise ExactError(f"{e} has free symbols {sorted(map(str, e.free_symbols))}; its sign depends on them")
    raise ExactError(f"cannot enclose {e} rigorously (unsupported operation {type(e).__name__})")


def _fmpq_poly_of(poly: sympy.Poly) -> flint.fmpq_poly:
    return flint.fmpq_poly([to_fmpq(sympy.Rational(c)) for c in reversed(poly.all_coeffs())])


def _is_zero_single_rootof(e: sympy.Expr) -> bool | None:
    """Zero test for a rational expression in one real ``CRootOf`` r: reduce its numerator modulo r's minimal polynomial.

    Returns None when the shortcut does not apply (other irrational atoms,
    or r's defining polynomial is not irreducible over Q).
    """
    roots = e.atoms(sympy.CRootOf)
    if len(roots) != 1:
        return None
    r = next(iter(roots))
    t = sympy.Dummy("t")
    num, _den = sympy.fraction(sympy.together(e.xreplace({r: t})))
    num = sympy.expand(num)
    if num.free_symbols - {t} or any(
        isinstance(a, sympy.Pow) and not a.exp.is_Integer for a in num.atoms(sympy.Pow)
    ):
        return None
    try:
        m = _fmpq_poly_of(sympy.Poly(r.poly.as_expr(), r.poly.gen))
        n_poly = _fmpq_poly_of(sympy.Poly(num, t))
    except (sympy.PolynomialError, ExactError):
        return None
    _content, factors = m.factor()
    if len(factors) != 1 or factors[0][1] != 1:
        return None
    return (n_poly % m) == 0


def _is_zero_exact(e: sympy.Expr) -> bool:
    if e.is_Rational:
        return e == 0
    quick = _is_zero_single_rootof(e)
    if quick is not None:
        return quick
    x = sympy.Dummy("x")
    mp = sympy.minimal_polynomial(e, x)
    return sympy.Poly(mp, x).degree() == 1 and sympy.Poly(mp, x).TC() == 0


def sign(x: Any) -> int:
    """Exact sign (-1, 0, 1) of a real constant.

    Rationals are compared directly.  Algebraic numbers are enclosed in
    ``arb`` balls; when a ball cannot separate the value from zero, an exact
    zero test decides: a chain of python-flint resultants with the atoms'
    polynomials (:func:`certified_sign`), and for
    other forms the minimal polynomial.

    Examples
    --------
    >>> sign(parse_exact("(sqrt(2) - 1) - (2 - sqrt(2))"))
    -1
    >>> sign(parse_exact("(sqrt(2) - 1)**2 - (3 - 2*sqrt(2))"))
    0
    """
    if isinstance(x, flint.fmpq):
        return (x > 0) - (x < 0)
    if isinstance(x, sympy.Rational):
        return int(bool(x > 0)) - int(bool(x < 0))
    return certified_sign(x)


def _sign_general(x: Any) -> int:
    """The general route of :func:`sign`, for forms the resultant test does not cover.

    Algebraic numbers are enclosed in ``arb`` balls of increasing precision
    until a ball excludes zero, and tested for zero with their minimal
    polynomial (a single ``CRootOf``: reduction modulo its minimal polynomial).
    """
    if isinstance(x, flint.fmpq):
        return (x > 0) - (x < 0)
    e = parse_exact(x) if not isinstance(x, sympy.Basic) else x
    if e.is_Rational:
        return int(bool(e > 0)) - int(bool(e < 0))
    if e.free_symbols:
        raise ExactError(f"sign of {e} depends on parameters {sorted(map(str, e.free_symbols))}")
    prec = 64
    for _ in range(12):
        try:
            b = to_arb(e, prec)
        except ExactError:
            break
        if b > 0:
            return 1
        if b < 0:
            return -1
        if prec >= 256 and _is_zero_exact(e):
            return 0
        prec *= 2
    # last resort: exact simplification
    if _is_zero_exact(e):
        return 0
    raise ExactError(f"could not decide the sign of {e} rigorously")


def compare(a: Any, b: Any) -> int:
    """Exact comparison: -1 if a < b, 0 if equal, 1 if a > b.

    Examples
    --------
    >>> compare(parse_exact("1/3"), parse_exact("sqrt(2) - 1"))
    -1
    """
    if isinstance(a, flint.fmpq) and isinstance(b, flint.fmpq):
        return (a > b) - (a < b)
    a = a if isinstance(a, sympy.Basic) else parse_exact(a)
    b = b if isinstance(b, sympy.Basic) else parse_exact(b)
    return sign(sympy.expand(a - b) if not (a.is_Rational and b.is_Rational) else a - b)


def exact_max(values: list, sign_of: Callable[[Any], int] | None = None) -> tuple[Any, list[int]]:
    """Maximum of exact values and the indices attaining it.

    ``sign_of``, when given, is an exact sign function for the values' own arithmetic (for example
    :func:`exactgames.model.lift.exact_sign` for python-flint and number-field elements):
    ``v`` beats ``best`` when ``sign_of(v - best) > 0``.  By default values are compared with
    :func:`compare`.

    Examples
    --------
    >>> exact_max([parse_exact("1/2"), parse_exact("sqrt(2)/2"), parse_exact("1/2")])
    (sqrt(2)/2, [1])
    >>> exact_max([flint.fmpq(1, 3), flint.fmpq(1, 2), flint.fmpq(1, 2)], sign_of=lambda q: (q > 0) - (q < 0))
    (1/2, [1, 2])
    """
    if not values:
        raise ValueError("exact_max of an empty list")
    best = values[0]
    idx = [0]
    for i, v in enumerate(values[1:], start=1):
        c = compare(v, best) if sign_of is None else sign_of(v - best)
        if c > 0:
            best, idx = v, [i]
        elif c == 0:
            idx.append(i)
    return best, idx


def rational_enclosure(x: Any, width: Any = Fraction(1, 10**30)) -> tuple[Fraction, Fraction]:
    """A rational interval [lo, hi] with hi - lo <= width proved to contain ``x``.

    Examples
    --------
    >>> lo, hi = rational_enclosure(parse_exact("sqrt(2)"), Fraction(1, 1000))
    >>> lo * lo <= 2 <= hi * hi and hi - lo <= Fraction(1, 1000)
    True
    """
    e = x if isinstance(x, sympy.Basic) else parse_exact(x)
    if e.is_Rational:
        f = fmpq_to_frac(e)
        return f, f
    width = Fraction(width)
    prec = 64
    while True:
        b = to_arb(e, prec)
        old = flint.ctx.prec
        flint.ctx.prec = prec + 64
        try:
            mid = _arb_exact_to_fraction(b.mid())
            rad = _arb_exact_to_fraction(b.rad())
        finally:
            flint.ctx.prec = old
        lo, hi = mid - rad, mid + rad
        if hi - lo <= width:
            return lo, hi
        prec *= 2
        if prec > 1 << 16:
            raise ExactError(f"could not enclose {e} to width {width}")


def _arb_exact_to_fraction(b: flint.arb) -> Fraction:
    m, e = b.man_exp()
    m, e = int(m), int(e)
    return Fraction(m * 2**e) if e >= 0 else Fraction(m, 2 ** (-e))


# --------------------------------------------------------------------------- the fast exact zero test
def _atoms(e: sympy.Expr) -> list[sympy.Expr] | None:
    out = []
    for a in e.atoms(sympy.CRootOf, sympy.Pow):
        if isinstance(a, sympy.CRootOf):
            out.append(a)
        elif a.exp.is_Integer:
            continue
        elif a.exp.is_Rational and a.base.is_Rational:
            out.append(a)
        else:
            return None
    # powers of CRootOf with integer exponents are polynomial; skip Pow atoms whose base is a CRootOf
    return [a for a in out if not (isinstance(a, sympy.Pow) and isinstance(a.base, sympy.CRootOf))]


def _zero_radius(e: sympy.Expr) -> Fraction | None:
    """None if ``e != 0`` is proved by the resultant; else a radius r such that |e| < r implies e == 0."""
    atoms = _atoms(e)
    if atoms is None:
        raise ValueError("unsupported atom")
    ys = [sympy.Dummy(f"y{j}") for j in range(len(atoms))]
    P = sympy.expand(e.xreplace(dict(zip(atoms, ys))))
    if P.free_symbols - set(ys):
        raise ValueError("not a polynomial in the atoms")
    poly = sympy.Poly(P, *ys, domain="QQ") if ys else sympy.Poly(P, sympy.Dummy("w"), domain="QQ")
    names = ("z",) + tuple(f"y{j}" for j in range(len(atoms)))
    ctx = flint.fmpq_mpoly_ctx.get(names)
    terms = {}
    for mon, c in poly.terms():
        key = (0,) + (tuple(mon) if ys else ())
        terms[key] = flint.fmpq(int(c.p), int(c.q))
    z = ctx.gens()[0]
    R = z - ctx.from_dict(terms) if terms else z
    for j, a in enumerate(atoms):
        if isinstance(a, sympy.CRootOf):
            q = a.poly.all_coeffs()
            deg = len(q) - 1
            qd = {tuple(deg - k if i == j + 1 else 0 for i in range(len(names))): flint.fmpq(int(c.p), int(c.q))
                  for k, c in enumerate(sympy.Rational(x) for x in q) if c != 0}
        else:
            p, qq = int(a.exp.p), int(a.exp.q)
            bp = sympy.Rational(a.base) ** p
            qd = {tuple(qq if i == j + 1 else 0 for i in range(len(names))): flint.fmpq(1),
                  (0,) * len(names): -flint.fmpq(int(bp.p), int(bp.q))}
        R = R.resultant(ctx.from_dict(qd), f"y{j}")
    coeffs = [Fraction(0)] * (R.total_degree() + 1 if R != 0 else 1)
    for mon, c in R.to_dict().items():
        coeffs[mon[0]] = fmpq_to_frac(c)
    if coeffs[0] != 0:
        return None
    k = next(i for i, c in enumerate(coeffs) if c != 0)
    a0 = abs(coeffs[k])
    rest = max((abs(c) for c in coeffs[k + 1:]), default=Fraction(0))
    return a0 / (a0 + rest)


def certified_sign(x: Any) -> int:
    """Exact sign (-1, 0, 1) of a real algebraic constant, with a fast exact zero test (python-flint resultants).

    ``sympy.minimal_polynomial`` takes seconds on expressions built from
    several ``CRootOf`` numbers (the KKT optimiser's output).  An expression
    ``P(b_1, ..., b_k)`` that is a polynomial with rational coefficients in
    algebraic atoms ``b_j`` (``CRootOf`` or rational powers of rationals, each
    with a known polynomial ``q_j(b_j) = 0``) is decided as follows:

    1. ``R(z) = res_{y_1}(... res_{y_k}(z - P(y), q_k(y_k)) ..., q_1(y_1))``
       (python-flint ``fmpq_mpoly.resultant``) vanishes at ``z = P(b)``.
    2. If ``R(0) != 0`` then ``P(b) != 0``; its sign comes from arb balls of
       increasing precision (they must eventually exclude 0).
    3. Otherwise write ``R = z^e R~`` with ``R~(0) = a_0 != 0``: every non-zero
       root of ``R`` has modulus at least ``|a_0| / (|a_0| + max_i |a_i|)``
       (Cauchy's bound for the reciprocal polynomial), so ``P(b) = 0`` as soon
       as an arb ball of ``P(b)`` lies inside that radius, and ``P(b) != 0`` as
       soon as a ball excludes 0.

    Anything else falls back to the general route (minimal polynomials).

    Examples
    --------
    >>> certified_sign(sympy.sqrt(2) ** 3 - 2 * sympy.sqrt(2)), certified_sign(-sympy.sqrt(3) + 1)
    (0, -1)
    >>> r = sympy.CRootOf(sympy.Symbol("x") ** 3 - 3 * sympy.Symbol("x") + 1, 1)
    >>> certified_sign(r ** 3 - 3 * r + 1), certified_sign(r - sympy.Rational(1, 3))
    (0, 1)
    """
    if isinstance(x, flint.fmpq):
        return (x > 0) - (x < 0)
    e = x if isinstance(x, sympy.Basic) else parse_exact(x)
    if e.is_Rational:
        return int(bool(e > 0)) - int(bool(e < 0))
    if e.free_symbols:
        return _sign_general(e)  # raises with the parameters named
    try:
        for prec in (64, 128):
            b = to_arb(e, prec)
            if b > 0:
                return 1
            if b < 0:
                return -1
        radius = _zero_radius(e)
    except Exception:  # noqa: BLE001 - any unsupported form: the slower general route
        return _sign_general(e)
    prec = 128
    while prec <= 1 << 16:
        b = to_arb(e, prec)
        if b > 0:
            return 1
        if b < 0:
            return -1
        if radius is not None:
            lo = flint.arb(frac_to_fmpq(radius))
            if abs(b) < lo:
                return 0
        prec *= 2
    return _sign_general(e)  # pragma: no cover
