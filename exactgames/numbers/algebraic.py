"""Exact real algebraic numbers: a canonical form (minimal polynomial, root index, isolating interval) and exact decisions.

A real algebraic number is stored canonically as an irreducible, primitive
integer polynomial with positive leading coefficient together with the index
of the root among that polynomial's real roots in increasing order (the
convention of ``sympy.CRootOf``) and a rational isolating interval.  Two
numbers are equal exactly when polynomial and index agree, so equality is an
exact test; order is decided by bisecting the isolating intervals with exact
rational arithmetic until they separate.

Elements of a number field ``Q(theta)`` (a polynomial in ``theta`` with
rational coefficients) are decided exactly too: zero iff the polynomial is
divisible by the minimal polynomial of ``theta``; otherwise their sign comes
from a rigorous ``arb`` enclosure over a shrinking isolating interval.
The arithmetic type of such elements is
:class:`exactgames.model.numberfield.NFElement` (one implementation for the
whole package); this module holds what it is built on.

Examples
--------
>>> import flint
>>> r = real_roots(flint.fmpq_poly([-2, 0, 1]))        # x**2 - 2
>>> [x.to_sympy() for x in r]
[-sqrt(2), sqrt(2)]
>>> s = element_value(r[1], flint.fmpq_poly([-1, 1]))  # sqrt(2) - 1
>>> s.to_sympy(), s.sign()
(-1 + sqrt(2), 1)
>>> compare_algebraic(s, rational(flint.fmpq(41, 100)))
1
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import flint
import sympy

from exactgames.numbers.rational import fmpq_to_frac as _fr
from exactgames.numbers.rational import frac_to_fmpq as _fq
from exactgames.numbers.signs import horner, sign_by_balls

__all__ = [
    "RealAlgebraic",
    "rational",
    "real_roots",
    "element_value",
    "element_sign",
    "compare_algebraic",
    "defining_polynomial",
    "canonical_root",
    "root_ball",
    "rootof_ball",
]

_X = sympy.Symbol("x")


def _primitive(p: flint.fmpq_poly) -> flint.fmpz_poly:
    """Primitive integer polynomial with positive leading coefficient, same roots as ``p``."""
    num = p.numer() if isinstance(p, flint.fmpq_poly) else p
    coeffs = [int(c) for c in num.coeffs()]
    g = 0
    for c in coeffs:
        g = _gcd(g, c)
    if g == 0:
        raise ValueError("zero polynomial has no canonical form")
    if coeffs[-1] < 0:
        g = -g
    return flint.fmpz_poly([c // g for c in coeffs])


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return abs(a)


#: from this degree on, real roots are isolated by FLINT's complex root isolation rather than sympy's (sympy's
#: continued fractions took more than 40 s on the value polynomial of random 100x3 seed 2: degree 99, 17,100 bits)
_FLINT_ISOLATION_DEGREE = 12


@lru_cache(maxsize=4096)
def _isolate(coeffs: tuple[int, ...]) -> tuple[tuple[Fraction, Fraction], ...]:
    """Rational isolating intervals of the real roots of a squarefree integer polynomial (exact), increasing.

    Examples
    --------
    >>> _isolate((-2, 0, 1))
    ((Fraction(-2, 1), Fraction(-1, 1)), (Fraction(1, 1), Fraction(2, 1)))
    """
    if len(coeffs) - 1 >= _FLINT_ISOLATION_DEGREE:
        got = _isolate_flint(coeffs)
        if got is not None:
            return got
    poly = sympy.Poly(list(reversed(coeffs)), _X)
    out = []
    for (a, b), _mult in poly.intervals():
        out.append((Fraction(int(a.p), int(a.q)), Fraction(int(b.p), int(b.q))))
    out.sort()
    return tuple(out)


def _isolate_flint(coeffs: tuple[int, ...]) -> tuple[tuple[Fraction, Fraction], ...] | None:
    """Isolating intervals from ``arb_fmpz_poly_complex_roots``, widened to short dyadic ends; None if in doubt.

    FLINT isolates every complex root of a squarefree integer polynomial in its own disc and writes the
    real roots first, in increasing order, with imaginary part exactly zero.  Each real ball is widened to
    the coarsest dyadic grid whose points still separate it from its neighbours (so no other real root
    lies in the interval), and a strict sign change of the polynomial at the two ends is checked exactly.

    Examples
    --------
    >>> [tuple(map(str, iv)) for iv in _isolate_flint((2, 0, -7, 0, 1))]  # x^4 - 7 x^2 + 2
    [('-3', '-5/2'), ('-3/4', '-1/2'), ('1/2', '3/4'), ('5/2', '3')]
    """
    p = flint.fmpz_poly(list(coeffs))
    q = flint.fmpq_poly(p)
    balls = []
    for z, _m in p.complex_roots():
        if z.imag == 0:
            mid, rad = _dyadic(z.real.mid()), _dyadic(z.real.rad())
            if rad == 0:
                return None
            balls.append((mid - rad, mid + rad))
    balls.sort()
    out = []
    for i, (lo, hi) in enumerate(balls):
        left = balls[i - 1][1] if i else None
        right = balls[i + 1][0] if i + 1 < len(balls) else None
        if (left is not None and left >= lo) or (right is not None and right <= hi):
            return None
        gaps = [g for g in (None if left is None else lo - left, None if right is None else right - hi) if g is not None]
        k = max([0] + [g.denominator.bit_length() - g.numerator.bit_length() + 2 for g in gaps])
        a = Fraction((lo.numerator << k) // lo.denominator, 1 << k)
        b = Fraction(-((-hi.numerator << k) // hi.denominator), 1 << k)
        sa, sb = q(_fq(a)), q(_fq(b))
        if sa == 0 or sb == 0 or (sa > 0) == (sb > 0):
            return None
        out.append((a, b))
    return tuple(out)


def _dyadic(x: flint.arb) -> Fraction:
    m, e = (int(v) for v in x.man_exp())
    return Fraction(m << e) if e >= 0 else Fraction(m, 1 << -e)


@dataclass(frozen=True)
class RealAlgebraic:
    """A real algebraic number in canonical form.

    Attributes
    ----------
    poly : tuple of int
        Coefficients (constant term first) of the irreducible primitive
        integer polynomial with positive leading coefficient that it is a root of.
    index : int
        Index among the real roots of ``poly`` in increasing order.
    lo, hi : Fraction
        An isolating interval: the only root of ``poly`` in ``[lo, hi]``
        (``lo == hi`` for a rational number).
    """

    poly: tuple[int, ...]
    index: int
    lo: Fraction
    hi: Fraction

    @property
    def degree(self) -> int:
        return len(self.poly) - 1

    @property
    def is_rational(self) -> bool:
        return self.degree == 1

    def fraction(self) -> Fraction:
        """The value as a Fraction (rational numbers only)."""
        if not self.is_rational:
            raise ValueError(f"{self.to_sympy()} is irrational")
        return Fraction(-self.poly[0], self.poly[1])

    def fmpz_poly(self) -> flint.fmpz_poly:
        return flint.fmpz_poly(list(self.poly))

    def refine(self, width: Fraction) -> "RealAlgebraic":
        """The same number with an isolating interval of width at most ``width`` (exact bisection).

        Examples
        --------
        >>> r = real_roots(flint.fmpq_poly([-2, 0, 1]))[1].refine(Fraction(1, 10**6))
        >>> r.lo ** 2 < 2 < r.hi ** 2, r.hi - r.lo <= Fraction(1, 10**6)
        (True, True)
        """
        if self.is_rational or self.hi - self.lo <= width:
            return self
        p = flint.fmpq_poly(list(self.poly))
        lo, hi = self.lo, self.hi
        slo = _sgn(p(_fq(lo)))
        while hi - lo > width:
            mid = (lo + hi) / 2
            sm = _sgn(p(_fq(mid)))
            if sm == 0:  # impossible for an irreducible polynomial of degree >= 2
                return RealAlgebraic(self.poly, self.index, mid, mid)
            if sm == slo:
                lo = mid
            else:
                hi = mid
        return RealAlgebraic(self.poly, self.index, lo, hi)

    def arb(self, prec: int = 128) -> flint.arb:
        """A rigorous ball containing the number."""
        old = flint.ctx.prec
        flint.ctx.prec = prec
        try:
            if self.lo == self.hi:
                return flint.arb(_fq(self.lo))
            return flint.arb(_fq(self.lo)).union(flint.arb(_fq(self.hi)))
        finally:
            flint.ctx.prec = old

    def enclosure(self, width: Fraction = Fraction(1, 10**30)) -> tuple[Fraction, Fraction]:
        """A proved rational enclosure ``(lo, hi)`` of width at most ``width``."""
        r = self.refine(width)
        return r.lo, r.hi

    def sign(self) -> int:
        """Exact sign."""
        if self.is_rational:
            f = self.fraction()
            return (f > 0) - (f < 0)
        r = self
        while r.lo <= 0 <= r.hi:  # 0 is not a root of an irreducible polynomial of degree >= 2
            r = r.refine((r.hi - r.lo) / 4)
        return 1 if r.lo > 0 else -1

    def to_sympy(self) -> sympy.Expr:
        """Exact sympy value: a Rational, a quadratic radical, or a ``CRootOf``.

        Examples
        --------
        >>> real_roots(flint.fmpq_poly([-1, -3, 0, 1]))[2].to_sympy()
        CRootOf(x**3 - 3*x - 1, 2)
        """
        if self.is_rational:
            f = self.fraction()
            return sympy.Rational(f.numerator, f.denominator)
        if self.degree == 2:
            c, b, a = (sympy.Integer(v) for v in self.poly)
            disc = sympy.sqrt(b * b - 4 * a * c)
            roots = [(-b - disc) / (2 * a), (-b + disc) / (2 * a)]  # a > 0: increasing order
            return sympy.radsimp(roots[self.index])
        return sympy.CRootOf(sympy.Poly(list(reversed(self.poly)), _X), self.index)

    def __str__(self) -> str:
        return str(self.to_sympy())


def _sgn(x: flint.fmpq) -> int:
    return (x > 0) - (x < 0)


def rational(x: flint.fmpq | Fraction | int) -> RealAlgebraic:
    """The canonical form of a rational number.

    Examples
    --------
    >>> rational(Fraction(-3, 4)).to_sympy()
    -3/4
    """
    f = Fraction(x) if not isinstance(x, flint.fmpq) else _fr(x)
    return RealAlgebraic((-f.numerator, f.denominator), 0, f, f)


def real_roots(p: flint.fmpq_poly | flint.fmpz_poly) -> list[RealAlgebraic]:
    """All distinct real roots of a nonzero polynomial, in canonical form, in increasing order.

    Examples
    --------
    >>> [str(r) for r in real_roots(flint.fmpq_poly([0, -2, 0, 1]))]
    ['-sqrt(2)', '0', 'sqrt(2)']
    """
    p = flint.fmpq_poly(p) if isinstance(p, flint.fmpz_poly) else p
    if p.is_zero():
        raise ValueError("the zero polynomial has every number as a root")
    out: list[RealAlgebraic] = []
    if p.degree() < 1:
        return out
    _c, factors = p.factor()
    for fac, _mult in factors:
        prim = _primitive(fac)
        coeffs = tuple(int(c) for c in prim.coeffs())
        if len(coeffs) == 2:
            out.append(rational(Fraction(-coeffs[0], coeffs[1])))
            continue
        for k, (a, b) in enumerate(_isolate(coeffs)):
            out.append(RealAlgebraic(coeffs, k, a, b))
    out.sort(key=_sort_key)
    return _sorted_exact(out)


def _sort_key(r: RealAlgebraic) -> Fraction:
    return r.lo


def _sorted_exact(xs: list[RealAlgebraic]) -> list[RealAlgebraic]:
    import functools

    return sorted(xs, key=functools.cmp_to_key(compare_algebraic))


def compare_algebraic(a: RealAlgebraic, b: RealAlgebraic) -> int:
    """Exact comparison: -1, 0 or 1.

    Equal exactly when the canonical forms agree; otherwise the isolating
    intervals are bisected until they are disjoint.
    """
    if a.poly == b.poly and a.index == b.index:
        return 0
    if a.is_rational and b.is_rational:
        fa, fb = a.fraction(), b.fraction()
        return (fa > fb) - (fa < fb)
    while not (a.hi < b.lo or b.hi < a.lo):
        a = a.refine(max((a.hi - a.lo) / 4, Fraction(0)))
        b = b.refine(max((b.hi - b.lo) / 4, Fraction(0)))
    return -1 if a.hi < b.lo else 1


# ---------------------------------------------------------------------------------------------
# elements of Q(theta)


def _reduce(h: flint.fmpq_poly, theta: RealAlgebraic) -> flint.fmpq_poly:
    if theta.is_rational:
        return flint.fmpq_poly([h(_fq(theta.fraction()))])
    return h % flint.fmpq_poly(list(theta.poly))




def element_sign(theta: RealAlgebraic, h: flint.fmpq_poly) -> int:
    """Exact sign of ``h(theta)``.

    Zero exactly when the minimal polynomial of ``theta`` divides ``h``;
    otherwise the isolating interval of ``theta`` is refined until a rigorous
    ``arb`` enclosure of ``h(theta)`` excludes zero.

    Examples
    --------
    >>> t = real_roots(flint.fmpq_poly([-2, 0, 1]))[1]            # sqrt(2)
    >>> element_sign(t, flint.fmpq_poly([-2, 0, 1])), element_sign(t, flint.fmpq_poly([-3, 2]))
    (0, -1)
    """
    r = _reduce(h, theta)
    if r.is_zero():
        return 0
    if r.degree() == 0:
        return _sgn(r.coeffs()[0])

    def balls():  # the isolating interval refined and the precision raised after every undecided ball
        t, prec = theta, 128
        for _ in range(200):
            yield prec, t.arb(prec)
            t = t.refine((t.hi - t.lo) / 2**16)
            prec += 64

    s = sign_by_balls(r, balls())
    if s is not None:
        return s
    raise RuntimeError("sign of a nonzero algebraic number could not be separated from zero")  # pragma: no cover


def element_value(theta: RealAlgebraic, h: flint.fmpq_poly) -> RealAlgebraic:
    """Canonical form of ``h(theta)`` (its minimal polynomial via a flint resultant).

    Examples
    --------
    >>> t = real_roots(flint.fmpq_poly([-2, 0, 1]))[0]            # -sqrt(2)
    >>> element_value(t, flint.fmpq_poly([1, 0, 1])).to_sympy()     # 1 + theta**2
    3
    """
    r = _reduce(h, theta)
    if r.degree() <= 0:
        return rational(r.coeffs()[0] if not r.is_zero() else flint.fmpq(0))
    mp = _field_minpoly(theta, r)
    cands = real_roots(mp)
    return _pick(theta, r, cands)


def _field_minpoly(theta: RealAlgebraic, r: flint.fmpq_poly) -> flint.fmpq_poly:
    """A polynomial with ``r(theta)`` as a root, all of whose roots are values ``r(alpha)`` (python-flint).

    The characteristic polynomial of ``r(theta)`` over ``Q(theta)`` is ``Res_y(p(y), d x - R(y))`` for
    ``r = R / d`` (``R`` integral): an integer polynomial in ``x`` of degree ``n = deg p``, since the
    leading coefficient of ``d x - R(y)`` in ``y`` does not involve ``x``.  It is interpolated from the
    ``n + 1`` integer resultants ``Res(p, d x_0 - R)`` (FLINT's multimodular resultant), and its squarefree
    part is returned: a power of the minimal polynomial, since ``p`` is irreducible.  The Krylov matrix of
    multiplication by ``r`` modulo a non-monic ``p``, which this replaces, has entries whose size grows by
    the bits of ``p`` at every column (random 100x3 seed 2, degree 99: > 5 minutes against 3 s here).

    Examples
    --------
    >>> t = real_roots(flint.fmpq_poly([-2, 0, 1]))[1]                 # sqrt(2)
    >>> _field_minpoly(t, flint.fmpq_poly([1, 1]))                      # 1 + sqrt(2)
    x^2 + (-2)*x + (-1)
    """
    p = flint.fmpz_poly(list(theta.poly))
    n = p.degree()
    d = r.denom()
    big_r = (r * d).numer()
    xs = list(range(-(n // 2), n - n // 2 + 1))
    coef = [flint.fmpq(p.resultant(flint.fmpz_poly([d * x0]) - big_r)) for x0 in xs]
    for j in range(1, n + 1):  # Newton's divided differences
        for i in range(n, j - 1, -1):
            coef[i] = (coef[i] - coef[i - 1]) / (xs[i] - xs[i - j])
    x = flint.fmpq_poly([0, 1])
    char = flint.fmpq_poly([coef[n]])
    for i in range(n - 1, -1, -1):
        char = char * (x - xs[i]) + coef[i]
    _c, parts = char.numer().factor_squarefree()
    out = flint.fmpq_poly(1)
    for f, _e in parts:
        out = out * flint.fmpq_poly(f)
    return out / out.coeffs()[-1]


def _pick(theta: RealAlgebraic, r: flint.fmpq_poly, cands: list[RealAlgebraic]) -> RealAlgebraic:
    """The candidate equal to ``r(theta)``: refine until exactly one candidate meets the enclosure."""
    t = theta
    cands = list(cands)
    prec = 128
    for _ in range(400):
        old = flint.ctx.prec
        flint.ctx.prec = prec
        try:
            v = horner(r, t.arb(prec))
            vlo, vhi = v.lower(), v.upper()
            alive = []
            for c in cands:
                cb = c.arb(prec)
                if not (cb.upper() < vlo or cb.lower() > vhi):
                    alive.append(c)
        finally:
            flint.ctx.prec = old
        if len(alive) == 1:
            return alive[0]
        if not alive:  # pragma: no cover - would be a bug in the enclosures
            raise RuntimeError("no candidate root matches the value")
        cands = [c.refine((c.hi - c.lo) / 2**8) for c in alive]
        t = t.refine((t.hi - t.lo) / 2**8)
        prec += 32
    raise RuntimeError("could not identify the minimal polynomial root")  # pragma: no cover


# ---------------------------------------------------------------------------------------------
# generators of number fields: defining polynomials, canonical forms and balls


def rootof_ball(alpha: sympy.CRootOf, modulus: flint.fmpq_poly, prec: int) -> flint.arb | None:
    """A ball for a real ``CRootOf`` from FLINT's rigorous root isolation (fast at high precision), or None.

    ``arb_fmpz_poly_complex_roots`` returns the real roots of a squarefree
    integer polynomial first, in increasing order, with imaginary part exactly
    zero: the ``k``-th of them is ``CRootOf(p, k)``.  As a safeguard the ball
    must meet sympy's own isolating interval of the root; otherwise None.
    """
    old = flint.ctx.prec
    flint.ctx.prec = prec
    try:
        roots = modulus.numer().complex_roots()
        reals = [c.real for c, _m in roots if c.imag == 0]
        if alpha.index >= len(reals):  # pragma: no cover - a real CRootOf has this many real roots
            return None
        ball = reals[alpha.index]
        iv = alpha._get_interval()
        box = flint.arb(flint.fmpq(int(iv.a.p), int(iv.a.q))).union(flint.arb(flint.fmpq(int(iv.b.p), int(iv.b.q))))
        return ball if ball.overlaps(box) else None
    finally:
        flint.ctx.prec = old


_REAL_BALLS: dict[tuple[tuple[int, ...], int], list[flint.arb]] = {}


def root_ball(theta: RealAlgebraic, prec: int) -> flint.arb:
    """A ball for a canonical root: FLINT's rigorous root isolation, matched to the isolating interval.

    Every real root lies in one of the real balls of ``complex_roots`` (their
    imaginary parts are exactly zero); ``theta`` lies in its isolating
    interval, so when exactly one real ball meets that interval, ``theta`` is
    in it.  Otherwise the interval itself, bisected to ``2^-prec``, is the ball.
    """
    if theta.is_rational:
        return flint.arb(flint.fmpq(*num_den(theta.fraction())))
    lo = flint.fmpq(*num_den(theta.lo))
    hi = flint.fmpq(*num_den(theta.hi))
    old = flint.ctx.prec
    flint.ctx.prec = prec
    try:
        box = flint.arb(lo).union(flint.arb(hi))
        key = (theta.poly, prec)
        if key not in _REAL_BALLS:  # one root isolation per polynomial and precision (its points share it)
            if len(_REAL_BALLS) > 64:
                _REAL_BALLS.clear()
            _REAL_BALLS[key] = [c.real for c, _m in theta.fmpz_poly().complex_roots() if c.imag == 0]
        hits = [b for b in _REAL_BALLS[key] if b.overlaps(box)]
        if len(hits) == 1:
            return hits[0]
    finally:
        flint.ctx.prec = old
    return theta.refine(Fraction(1, 2**min(prec, 4096))).arb(prec)  # pragma: no cover - flint's balls overlap


def num_den(f: Fraction) -> tuple[int, int]:
    """``(numerator, denominator)`` as ints."""
    return int(f.numerator), int(f.denominator)


def canonical_root(alpha: sympy.Expr, modulus: flint.fmpq_poly) -> RealAlgebraic:
    """The canonical form of a real algebraic sympy atom with minimal polynomial ``modulus`` (its own isolating interval for a ``CRootOf``)."""
    if isinstance(alpha, sympy.CRootOf):
        iv = alpha._get_interval()
        ints = [int(c) for c in _primitive(modulus).coeffs()]
        return RealAlgebraic(tuple(ints), int(alpha.index), Fraction(int(iv.a.p), int(iv.a.q)), Fraction(int(iv.b.p), int(iv.b.q)))
    roots = real_roots(modulus)  # b**(p/q) with b > 0: the positive real root, the largest
    return roots[-1]


def defining_polynomial(alpha: sympy.Expr) -> flint.fmpq_poly | None:
    """The defining polynomial of a real ``CRootOf`` or of ``b**(p/q)`` (``b > 0`` rational), or None for anything else."""
    if isinstance(alpha, sympy.CRootOf):
        if alpha.free_symbols or not alpha.is_real:
            return None
        try:
            coeffs = alpha.poly.all_coeffs()
            return flint.fmpq_poly([flint.fmpq(int(sympy.Rational(c).p), int(sympy.Rational(c).q))
                                    for c in reversed(coeffs)])
        except (TypeError, ValueError):  # pragma: no cover - non-rational coefficients
            return None
    if isinstance(alpha, sympy.Pow) and alpha.base.is_Rational and alpha.exp.is_Rational and not alpha.exp.is_Integer:
        b, ex = alpha.base, alpha.exp
        if b <= 0:
            return None
        bp = b ** int(ex.p)
        q = int(ex.q)
        return flint.fmpq_poly([-flint.fmpq(int(bp.p), int(bp.q))] + [0] * (q - 1) + [1])
    return None
