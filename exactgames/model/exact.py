"""Exact numbers: the error types, conversions to python-flint, exact comparison and certified signs.

Every payoff and probability in exactgames is a sympy expression that is
either a rational number (``sympy.Rational``), an algebraic number such as
``2 - sqrt(2)`` or a ``CRootOf``, or a polynomial in declared parameters such
as ``1 + eps``.  Floats are refused: a float is an approximation, and no
verdict in this library may rest on one.  Values are read from text (and
floats refused) by :func:`exactgames.model.parse.parse_exact`; the functions
here take its results, and read anything that is not yet a sympy value with it.

Signs of irrational numbers are decided *rigorously*: an algebraic number is
first tested for zero exactly (its minimal polynomial), and otherwise
evaluated in python-flint ``arb`` ball arithmetic (outward rounding) at
increasing precision until the ball excludes zero.

Examples
--------
>>> sign(sympy.sqrt(2) - 1 - sympy.Rational(41, 100))
1
>>> compare(sympy.Rational(1, 3), "sqrt(2) - 1")    # text is read by parse_exact
-1
>>> to_fmpq(sympy.sqrt(2))
Traceback (most recent call last):
...
exactgames.model.errors.ExactError: sqrt(2) is not an exact rational
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable

import flint
import sympy

from exactgames.model.errors import ExactError, FloatRefusedError
from exactgames.model.parse import parse_exact
from exactgames.numbers.rational import fmpq_to_frac, fmpq_to_sympy, frac_to_fmpq

__all__ = [
    "ExactError",
    "FloatRefusedError",
    "to_fmpq",
    "from_fmpq",
    "is_rational",
    "sign",
    "compare",
    "exact_max",
    "to_arb",
    "rational_enclosure",
    "certified_sign",
]


def _expr(x: Any) -> sympy.Basic:
    """``x`` itself if it is a sympy value, else read by :func:`~exactgames.model.parse.parse_exact` (floats refused)."""
    if isinstance(x, sympy.Basic):
        return x
    return parse_exact(x)


def is_rational(x: Any) -> bool:
    """True if ``x`` is an exact rational number (int, Fraction, fmpq, sympy Rational).

    Examples
    --------
    >>> is_rational(sympy.Rational(3, 7)), is_rational(sympy.sqrt(2))
    (True, False)
    """
    return isinstance(x, (int, Fraction, flint.fmpq, flint.fmpz, sympy.Rational)) and not isinstance(x, bool)


def to_fmpq(x: Any) -> flint.fmpq:
    """Convert an exact rational to python-flint ``fmpq``.

    Examples
    --------
    >>> to_fmpq(sympy.Rational(-3, 4))
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
    >>> b = to_arb(sympy.sqrt(2) - 1)
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
    >>> sign((sympy.sqrt(2) - 1) - (2 - sympy.sqrt(2)))
    -1
    >>> sign((sympy.sqrt(2) - 1)**2 - (3 - 2*sympy.sqrt(2)))
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
    e = _expr(x)
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
    >>> compare(sympy.Rational(1, 3), sympy.sqrt(2) - 1)
    -1
    """
    if isinstance(a, flint.fmpq) and isinstance(b, flint.fmpq):
        return (a > b) - (a < b)
    a, b = _expr(a), _expr(b)
    return sign(sympy.expand(a - b) if not (a.is_Rational and b.is_Rational) else a - b)


def exact_max(values: list, sign_of: Callable[[Any], int] | None = None) -> tuple[Any, list[int]]:
    """Maximum of exact values and the indices attaining it.

    ``sign_of``, when given, is an exact sign function for the values' own arithmetic (for example
    :func:`exactgames.model.lift.exact_sign` for python-flint and number-field elements):
    ``v`` beats ``best`` when ``sign_of(v - best) > 0``.  By default values are compared with
    :func:`compare`.

    Examples
    --------
    >>> exact_max([sympy.Rational(1, 2), sympy.sqrt(2) / 2, sympy.Rational(1, 2)])
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
    >>> lo, hi = rational_enclosure(sympy.sqrt(2), Fraction(1, 1000))
    >>> lo * lo <= 2 <= hi * hi and hi - lo <= Fraction(1, 1000)
    True
    """
    e = _expr(x)
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
    e = _expr(x)
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
