"""Exact checks of the claims a result prints: strategies, value, value polynomial, ties.

Claimed numbers are read with :func:`exactgames.model.parse.parse_exact`
(rationals, radicals, ``CRootOf``) after a length and exponent cap, lifted into
one real number field with :func:`exactgames.model.lift.lift_numbers`
and compared there exactly (zero is decided by polynomial arithmetic modulo
the minimal polynomial, signs by rigorous ``arb`` balls).

Examples
--------
>>> from exactgames.model.game import Game
>>> from proofs_check.checker.polynomial import Setup
>>> st = Setup(Game.from_common([["F", "D"]] * 2, {("F", "D"): 1, ("D", "F"): 1, ("D", "D"): 1}), [[0, 1]])
>>> K, pt = exact_profile(st, Field([{"F": "1/2", "D": "1/2"}], "strategies"))
>>> str(value_at(st, pt)), supports_of(pt)
('3/4', [(0, 1)])
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import sympy
from flint import arb, fmpq

from exactgames.model.exact import ExactError
from exactgames.model.lift import lift_numbers
from exactgames.model.numberfield import NFElement
from exactgames.model.parse import parse_exact
from proofs_check.checker.numbers import Field, Reject, bounds
from proofs_check.checker.polynomial import Setup, evaluate
from proofs_check.checker.regions import RegionProof

__all__ = ["parse_number", "parse_value", "split_tuple", "exact_profile", "value_at", "supports_of", "is_region_maximiser", "equals_claim",
           "check_value_polynomial", "sign", "to_ball"]

_SAFE = re.compile(r"[0-9A-Za-z_+\-*/^()., \t]*")
_ATTRIBUTE = re.compile(r"\.\s*[A-Za-z_]|__|lambda")
_TOWER = re.compile(r"\*\*\s*\(?\s*[+-]?\d+\s*\)?\s*\*\*|\^\s*\d+\s*\^")
_BIG_EXP = re.compile(r"(\*\*|\^)\s*\(?\s*[+-]?\d{4,}|\d[eE][+-]?\d")


def parse_number(f: Field, symbols: list[str] | None = None) -> sympy.Expr:
    """A claimed exact number (or an expression in the given parameters), refused cleanly when absurd."""
    v = f.value
    if isinstance(v, int) and not isinstance(v, bool):
        return sympy.Integer(v)
    text = f.text()
    if not _SAFE.fullmatch(text) or _ATTRIBUTE.search(text):
        raise Reject(f"{f.path}: not an exact number (only digits, names, + - * / ^ ( ) , allowed): {text[:60]!r}")
    if _TOWER.search(text) or _BIG_EXP.search(text):
        raise Reject(f"{f.path}: exponent towers, exponents of 1000 or more and scientific notation are refused: "
                     f"{text[:60]!r}")
    # names bound inside CRootOf(poly, k) are the polynomial's variable, not parameters
    names = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", text)) - {"sqrt", "CRootOf", "rootof", "root", "Rational"}
    try:
        got = parse_exact(text, sorted(names | set(symbols or ())))
        extra = {str(s) for s in got.free_symbols} - set(symbols or ())
        if extra:
            raise Reject(f"{f.path}: unknown name {sorted(extra)[0]!r} in {text[:60]!r}")
        return got
    except (ExactError, ValueError, TypeError, RecursionError, OverflowError, MemoryError) as exc:
        raise Reject(f"{f.path}: not an exact number: {str(exc)[:120]}") from None


def split_tuple(text: str, path: str) -> list:
    """A printed tuple such as ``((1/2, 1/2), (0, 1))`` as nested lists of entry strings (no evaluation).

    Examples
    --------
    >>> split_tuple("((1/2, CRootOf(x**2 - 2, 1)), (0, 1))", "ties[0]")
    [['1/2', 'CRootOf(x**2 - 2, 1)'], ['0', '1']]
    """
    text = text.strip()
    if len(text) > 200_000:
        raise Reject(f"{path}: a tie of {len(text)} characters, more than the limit 200000")

    def parse(s: str, depth: int) -> Any:
        s = s.strip()
        if not (s.startswith("(") and s.endswith(")")) or depth > 2:
            return s
        inner = s[1:-1]
        parts, level, cur = [], 0, []
        for ch in inner:
            if ch == "(":
                level += 1
            elif ch == ")":
                level -= 1
                if level < 0:
                    raise Reject(f"{path}: unbalanced parentheses")
            if ch == "," and level == 0:
                parts.append("".join(cur))
                cur = []
            else:
                cur.append(ch)
        if level != 0:
            raise Reject(f"{path}: unbalanced parentheses")
        if "".join(cur).strip():
            parts.append("".join(cur))
        # a CRootOf(...) call is an entry, not a tuple
        return [parse(p, depth + 1) if p.strip().startswith("(") else p.strip() for p in parts]

    got = parse(text, 0)
    if not isinstance(got, list):
        raise Reject(f"{path}: expected a tuple, got {text[:60]!r}")
    return got


def lift(values: list[Any], what: str) -> tuple[Any, list[Any]]:
    """One number field holding every value (None for Q): refuse when there is none."""
    try:
        got = lift_numbers(values)
    except (ExactError, ValueError, TypeError, ZeroDivisionError) as exc:
        raise Reject(f"{what}: cannot be decided exactly ({str(exc)[:120]})") from None
    if got is None:
        raise Reject(f"{what}: the numbers do not lie in one real number field the checker can decide in")
    return got


def sign(x: Any) -> int:
    """The exact sign of a rational (``fmpq``) or number-field element."""
    if isinstance(x, NFElement):
        return x.sign()
    return (x > 0) - (x < 0)


def to_ball(x: Any, prec: int = 200) -> arb:
    """A rigorous ball around a rational or number-field element, about ``prec`` bits wide."""
    if isinstance(x, NFElement):
        return x.ball(prec)
    import flint

    old = flint.ctx.prec
    flint.ctx.prec = prec
    try:
        return arb(x)
    finally:
        flint.ctx.prec = old


LONG_FORM_CHARS = 150_000  # longer closed forms are read as polynomials in their one CRootOf, without sympy


def _atoms(text: str, path: str) -> list[str]:
    """The ``CRootOf(...)`` sub-strings of a closed form (balanced parentheses)."""
    out, i = [], 0
    while True:
        j = text.find("CRootOf(", i)
        if j < 0:
            return out
        depth, k = 0, j + len("CRootOf")
        while k < len(text):
            depth += {"(": 1, ")": -1}.get(text[k], 0)
            k += 1
            if depth == 0:
                break
        if depth:
            raise Reject(f"{path}: unbalanced parentheses")
        out.append(text[j:k])
        i = k


def _poly_in_atom(text: str, path: str) -> dict[int, Fraction]:
    """A polynomial in ``A`` with rational coefficients, read by walking its syntax tree (no evaluation)."""
    import ast

    if not re.fullmatch(r"[0-9A\s+\-*/()]*", text):
        raise Reject(f"{path}: a long closed form must be a polynomial in one CRootOf with rational coefficients")
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise Reject(f"{path}: not a polynomial ({type(exc).__name__})") from None

    def mul(a: dict, b: dict) -> dict:
        out: dict = {}
        for i, x in a.items():
            for j, y in b.items():
                out[i + j] = out.get(i + j, Fraction(0)) + x * y
        return {k: v for k, v in out.items() if v}

    def walk(node: Any, depth: int = 0) -> dict:
        if depth > 10_000:
            raise Reject(f"{path}: nested too deeply")
        if isinstance(node, ast.Expression):
            return walk(node.body, depth + 1)
        if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
            return {0: Fraction(node.value)} if node.value else {}
        if isinstance(node, ast.Name) and node.id == "A":
            return {1: Fraction(1)}
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = walk(node.operand, depth + 1)
            return {k: -x for k, x in v.items()} if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            a = walk(node.left, depth + 1)
            if isinstance(node.op, ast.Pow):
                e = node.right
                if not (isinstance(e, ast.Constant) and isinstance(e.value, int) and 0 <= e.value < 1000):
                    raise Reject(f"{path}: exponents must be integers below 1000")
                out = {0: Fraction(1)}
                for _ in range(e.value):
                    out = mul(out, a)
                return out
            b = walk(node.right, depth + 1)
            if isinstance(node.op, ast.Add):
                return {k: v for k in set(a) | set(b) if (v := a.get(k, 0) + b.get(k, 0))}
            if isinstance(node.op, ast.Sub):
                return {k: v for k in set(a) | set(b) if (v := a.get(k, 0) - b.get(k, 0))}
            if isinstance(node.op, ast.Mult):
                return mul(a, b)
            if isinstance(node.op, ast.Div):
                if set(b) != {0}:
                    raise Reject(f"{path}: division by a non-constant")
                return {k: v / b[0] for k, v in a.items()}
        raise Reject(f"{path}: not a polynomial in one CRootOf")

    return walk(tree)


def _read(f: Field) -> Any:
    """A claimed coordinate: a sympy number, or ``(atom, {power: coefficient})`` for a long closed form."""
    text = f.value if isinstance(f.value, str) else None
    if text is None or len(text) <= LONG_FORM_CHARS:
        return parse_number(f)
    f.text()  # the overall length cap
    atoms = sorted(set(_atoms(text, f.path)))
    if len(atoms) != 1:
        raise Reject(f"{f.path}: a long closed form must use exactly one CRootOf, it uses {len(atoms)}")
    atom = parse_number(Field(atoms[0], f.path))
    return (atom, _poly_in_atom(text.replace(atoms[0], "A"), f.path))


def _lift_read(values: list[Any], what: str) -> tuple[Any, list[Any]]:
    longs = [v for v in values if isinstance(v, tuple)]
    if not longs:
        return lift(values, what)
    from exactgames.model.numberfield import NumberField

    atom = longs[0][0]
    if any(v[0] != atom for v in longs):
        raise Reject(f"{what}: long closed forms in different CRootOf atoms")
    K = NumberField.of(atom)
    if K is None:
        raise Reject(f"{what}: {str(atom)[:60]} does not generate a real number field the checker can decide in")
    out = []
    for v in values:
        if isinstance(v, tuple):
            coeffs = [Fraction(0)] * (max(v[1]) + 1 if v[1] else 1)
            for k, c in v[1].items():
                coeffs[k] = c
            import flint

            out.append(K.element(flint.fmpq_poly([fmpq(c.numerator, c.denominator) for c in coeffs])))
        else:
            x = K.from_sympy(v)
            if x is None:
                raise Reject(f"{what}: {str(v)[:60]} is not in the field of the long closed forms")
            out.append(x)
    return K, out


def exact_profile(st: Setup, strategies: Field, extra: list[Any] | None = None) -> tuple[Any, list[list[Any]]]:
    """Claimed strategies (one object per orbit, action name -> exact number) as exact elements, checked on the simplex.

    Every orbit's strategy must list exactly its actions with probabilities
    that are exactly non-negative and sum exactly to 1.
    """
    items = strategies.items(length=len(st.ms))
    raw: list[Any] = []
    for i, it in enumerate(items):
        obj = it.obj()
        if sorted(obj) != sorted(st.actions[i]):
            raise Reject(f"{it.path}: expected the actions {list(st.actions[i])} of orbit {i + 1}, got {sorted(obj)[:10]}")
        raw.extend(_read(it[a]) for a in st.actions[i])
    K, elems = _lift_read(raw + list(extra or []), strategies.path)
    out, k = [], 0
    for i, m in enumerate(st.ms):
        xs = elems[k:k + m]
        k += m
        if any(sign(x) < 0 for x in xs):
            raise Reject(f"{strategies.path}[{i}]: a probability is negative: not a point of the simplex")
        if (sum(xs[1:], xs[0]) if xs else 0) != 1:
            raise Reject(f"{strategies.path}[{i}]: the probabilities do not sum exactly to 1: not a point of the simplex")
        out.append(xs)
    return K, out


def supports_of(pt: list[list[Any]]) -> list[tuple[int, ...]]:
    """Per orbit, the actions with exactly non-zero probability."""
    return [tuple(a for a, x in enumerate(xs) if x != 0) for xs in pt]


def value_at(st: Setup, pt: list[list[Any]]) -> Any:
    """f at an exact profile, exactly (in the profile's number field)."""
    flat = [x for xs in pt for x in xs]
    one = next((x for x in flat if isinstance(x, NFElement)), None)
    one = one * 0 + 1 if one is not None else fmpq(1)
    if st.f.is_zero():
        return one * 0
    return evaluate(st.f, flat, one)


def is_region_maximiser(st: Setup, proof: RegionProof, pt: list[list[Any]]) -> str | None:
    """None when ``pt`` is the region's unique critical point (exact zero reduced gradient, inside the Krawczyk box)."""
    reg = proof.region
    if [tuple(S) for S in supports_of(pt)] != [tuple(S) for S in reg.supports]:
        return "its support differs from the region's"
    flat = [x for xs in pt for x in xs]
    one = next((x for x in flat if isinstance(x, NFElement)), None)
    one = one * 0 + 1 if one is not None else fmpq(1)
    for i in range(len(st.ms)):
        idx = [a for a in reg.supports[i] if a != reg.refs[i]]
        for a, c in zip(idx, reg.center[i]):
            x = pt[i][a]
            if isinstance(x, NFElement) and x.is_rational:
                x = x.rational()
            if isinstance(x, NFElement):
                lo, hi = bounds(to_ball(x, 256))
            else:
                lo = hi = Fraction(int(x.p), int(x.q))
            if lo < c - reg.radius or hi > c + reg.radius:
                return f"{st.actions[i][a]} (orbit {i + 1}) lies outside the region's Krawczyk box"
            g = st.reduced(st.f, i, a, reg.refs[i])
            if not g.is_zero() and evaluate(g, flat, one) != 0:
                return f"the reduced gradient in {st.actions[i][a]} (orbit {i + 1}) is not exactly zero there"
    return None


_ROOT_CLAIM = re.compile(r"\s*(?:CRootOf|rootof)\((.*),\s*(\d+)\s*\)\s*")


def _root_atom(text: str, path: str) -> tuple[sympy.Poly, int] | None:
    """``CRootOf(p, k)`` with ``p`` univariate over Q, as ``(Poly p, k)``; else None (nothing isolated)."""
    m = _ROOT_CLAIM.fullmatch(text)
    if m is None or "CRootOf" in m.group(1) or "rootof" in m.group(1):
        return None
    names = sorted(set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", m.group(1))))
    if len(names) != 1:
        return None
    expr = parse_number(Field(m.group(1), path), names)
    try:
        poly = sympy.Poly(expr, sympy.Symbol(names[0]))
    except sympy.PolynomialError:
        return None
    if not all(c.is_Rational for c in poly.all_coeffs()):
        return None
    return poly, int(m.group(2))


def parse_value(f: Field) -> Any:
    """A claimed value.

    ``a*CRootOf(p, k) + b`` (one root of a rational polynomial, rational ``a != 0`` and ``b``; sympy prints
    ``7*CRootOf(q, 9)`` when it scales ``p``) is kept as ``(Poly p, k, a, b)``: sympy is never asked to isolate
    ``p``'s roots, which at degree 50 and beyond takes minutes.  Anything else is read as a number.

    Examples
    --------
    >>> poly, k, a, b = parse_value(Field("3*CRootOf(x**3 - 3*x - 1, 2)/2 + 1", "value"))
    >>> poly.degree(), k, a, b
    (3, 2, Fraction(3, 2), Fraction(1, 1))
    """
    text = f.text() if isinstance(f.value, str) else None
    if text is not None and "CRootOf(" in text:
        atoms = set(_atoms(text, f.path))
        atom = _root_atom(next(iter(atoms)), f.path) if len(atoms) == 1 else None
        if atom is not None:
            rest = text.replace(next(iter(atoms)), "A")
            try:
                q = _poly_in_atom(rest, f.path)
            except Reject:
                q = None
            if q is not None and set(q) <= {0, 1} and q.get(1):
                return atom[0], atom[1], q[1], q.get(0, Fraction(0))
    elif text is not None and (atom := _root_atom(text, f.path)) is not None:
        return atom[0], atom[1], Fraction(1), Fraction(0)
    return parse_number(f)


def equals_claim(claim: Any, x: Any, what: str) -> None:
    """Refuse unless the claimed exact number equals ``x`` (a rational or number-field element)."""
    if isinstance(claim, tuple):  # a*CRootOf(p, k) + b, read without isolating p's roots in sympy
        poly, index, a, b = claim
        _root_is(poly, index, (x - fmpq(b.numerator, b.denominator)) / fmpq(a.numerator, a.denominator), what)
        return
    if isinstance(x, NFElement):
        roots = [a for a in claim.atoms(sympy.CRootOf)] if isinstance(claim, sympy.Expr) else []
        if len(roots) == 1 and not isinstance(claim, sympy.CRootOf):
            t = sympy.Dummy("t")
            lin = sympy.Poly(claim.subs(roots[0], t), t) if claim.subs(roots[0], t).is_polynomial(t) else None
            if lin is not None and lin.degree() == 1 and all(c.is_Rational for c in lin.all_coeffs()):
                a, b = (q_of(sympy.Rational(c)) for c in lin.all_coeffs())  # claim = a * root + b
                root = roots[0]
                _root_is(sympy.Poly(root.expr, root.poly.gen), int(root.index), (x - b) / a, what)
                return
        got = lift([claim, x.to_sympy()], what) if not isinstance(claim, sympy.CRootOf) else None
        if got is not None:
            _, (a, b) = got
            if a != b:
                raise Reject(f"{what}: the claimed {_s(claim)} differs from the exact {_s(x)}")
            return
        poly = sympy.Poly(claim.expr, claim.poly.gen)
        _root_is(poly, int(claim.index), x, what)
        return
    if claim.is_Rational:
        if q_of(claim) != x:
            raise Reject(f"{what}: the claimed {_s(claim)} differs from the exact {x}")
        return
    raise Reject(f"{what}: the claimed {_s(claim)} is irrational, the exact value is the rational {x}")


def _s(x: Any) -> str:
    t = str(x)
    return t if len(t) < 100 else t[:97] + "..."


def q_of(r: sympy.Rational) -> fmpq:
    return fmpq(int(r.p), int(r.q))


def _poly_at(poly: sympy.Poly, x: Any) -> Any:
    acc = x * 0
    for c in poly.all_coeffs():
        acc = acc * x + q_of(sympy.Rational(c))
    return acc


def _real_roots(poly: sympy.Poly, prec: int) -> list:
    """The distinct real roots of a rational polynomial as disjoint ``arb`` balls in increasing order (python-flint).

    ``fmpz_poly.complex_roots`` isolates every root rigorously and returns the
    real ones with an exactly zero imaginary part (complex roots come in
    conjugate pairs, so realness is decided, not guessed).
    """
    import flint

    coeffs = [sympy.Rational(c) for c in reversed(poly.all_coeffs())]
    den = sympy.ilcm(*[c.q for c in coeffs]) if coeffs else 1
    fp = flint.fmpz_poly([int(c * den) for c in coeffs])
    old = flint.ctx.prec
    flint.ctx.prec = prec
    try:
        roots = [c.real for c, _ in fp.complex_roots() if c.imag.is_zero()]
    finally:
        flint.ctx.prec = old
    return sorted(roots, key=lambda b: bounds(b)[0])


def _overlap(a: tuple, b: tuple) -> bool:
    return not (a[1] < b[0] or b[1] < a[0])


def _root_is(poly: sympy.Poly, index: int, x: Any, what: str) -> None:
    """x is the root number ``index`` (real roots in increasing order, from 0) of ``poly``."""
    if poly.is_zero or _poly_at(poly, x) != 0:
        raise Reject(f"{what}: the exact value is not a root of the claimed polynomial")
    for prec in (256, 1024, 4096):
        xb = bounds(to_ball(x, prec)) if isinstance(x, NFElement) else (Fraction(int(x.p), int(x.q)),) * 2
        hits = [k for k, r in enumerate(_real_roots(poly, prec)) if _overlap(bounds(r), xb)]
        if len(hits) == 1:
            if hits[0] != index:
                raise Reject(f"{what}: the exact value is root {hits[0]} of the claimed polynomial, not root {index}")
            return
    raise Reject(f"{what}: could not isolate the exact value among the claimed polynomial's roots")


def _roots_in(poly: sympy.Poly, lo: Fraction, hi: Fraction) -> int:
    """How many distinct real roots of ``poly`` lie in ``[lo, hi]`` (exact at the ends, rigorous balls inside)."""
    for prec in (256, 1024, 4096):
        n, unsure = 0, False
        for r in _real_roots(poly, prec):
            a, b = bounds(r)
            if lo <= a and b <= hi:
                n += 1
            elif not (b < lo or a > hi):
                unsure = True
        if not unsure:
            return n
    return int(poly.count_roots(sympy.Rational(lo.numerator, lo.denominator), sympy.Rational(hi.numerator, hi.denominator)))


def check_value_polynomial(poly_f: Field, index_f: Field, iso_f: Field, x: Any, checks: list) -> None:
    """The claimed minimal-polynomial description (``optimal_value_polynomial`` etc.) of the exact value ``x``."""
    text = poly_f.text()
    expr = parse_number(Field(text, poly_f.path), ["v"])
    v = sympy.Symbol("v")
    try:
        poly = sympy.Poly(expr, v)
    except sympy.PolynomialError:
        raise Reject(f"{poly_f.path}: not a polynomial in v") from None
    if not all(c.is_Rational for c in poly.all_coeffs()):
        raise Reject(f"{poly_f.path}: the coefficients must be rational")
    index = index_f.integer(0, 10**6)
    _root_is(poly, index, x if isinstance(x, NFElement) else x, poly_f.path)
    ends = iso_f.items(length=2)
    lo, hi = ends[0].rational(), ends[1].rational()
    xlo, xhi = bounds(to_ball(x, 256)) if isinstance(x, NFElement) else (Fraction(int(x.p), int(x.q)),) * 2
    if isinstance(x, NFElement):
        if not (lo < xlo and xhi < hi):
            raise Reject(f"{iso_f.path}: the exact value does not lie inside the claimed isolating interval")
    elif not lo <= xlo <= hi:
        raise Reject(f"{iso_f.path}: the exact value {xlo} is not in the claimed isolating interval")
    inside = _roots_in(poly, lo, hi)
    if inside != 1:
        raise Reject(f"{iso_f.path}: the claimed isolating interval holds {inside} roots, not one")
    checks.append(f"the value is root {index} of the claimed polynomial (degree {poly.degree()}), alone in its isolating "
                  "interval")


def rational_of(x: Any) -> Any:
    """x as an ``fmpq`` when it is rational, else None."""
    if isinstance(x, NFElement):
        return x.rational() if x.is_rational else None
    return x


def fraction_of(x: fmpq):
    from fractions import Fraction

    return Fraction(int(x.p), int(x.q))


