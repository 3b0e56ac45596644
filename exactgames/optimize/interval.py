"""Rigorous interval evaluation of the symmetric EU polynomial on the simplex (python-flint ``arb``).

The symmetric expected utility of a totally symmetric n-player game with m
actions is ``f(x) = sum_c w_c x^c`` over count vectors ``c`` (``w_c =
multinomial(c) * u(c)``).  On a face with support ``S`` and reference action
``r`` in ``S`` we use the *reduced* coordinates ``y_a = x_a`` for ``a != r``
and ``x_r = 1 - sum_a y_a``; the reduced gradient is ``d_a f - d_r f`` and
the reduced Hessian ``E_ab - E_ar - E_rb + E_rr`` (``E`` the Hessian in x).

Everything here is rigorous: ``arb`` balls enclose the true values, and
positivity decisions are made only when the ball certifies them.

Examples
--------
>>> from fractions import Fraction
>>> from flint import arb
>>> from exactgames.optimize.interval import SymPoly
>>> p = SymPoly.from_payoffs(2, 2, {(2, 0): Fraction(1), (1, 1): Fraction(0), (0, 2): Fraction(2)})
>>> p.value([arb(1) / 2, arb(1) / 2])
0.750000000000000
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

import flint
from flint import arb, arb_mat, fmpq

from exactgames.model.counts import count_vectors
from exactgames.numbers.rational import frac_to_fmpq

__all__ = [
    "SymPoly",
    "set_prec",
    "arb_to_fraction_bounds",
    "fraction_to_arb",
    "ball",
    "krawczyk",
    "KrawczykResult",
    "negative_definite_certificate",
    "is_negative_definite",
    "nd_certificate_from_bounds",
    "is_positive_definite",
]


class set_prec:
    """Context manager setting ``flint.ctx.prec`` (restored on exit).

    Examples
    --------
    >>> with set_prec(200):
    ...     flint.ctx.prec
    200
    """

    def __init__(self, prec: int) -> None:
        self.prec = prec

    def __enter__(self) -> "set_prec":
        self.old = flint.ctx.prec
        flint.ctx.prec = self.prec
        return self

    def __exit__(self, *exc: object) -> None:
        flint.ctx.prec = self.old


def _exact_fraction(b: arb) -> Fraction:
    m, e = b.man_exp()
    m, e = int(m), int(e)
    return Fraction(m * 2**e) if e >= 0 else Fraction(m, 2 ** (-e))


def arb_to_fraction_bounds(b: arb) -> tuple[Fraction, Fraction]:
    """Exact rational lower and upper ends of an ``arb`` ball.

    Examples
    --------
    >>> arb_to_fraction_bounds(arb(1) / 4)
    (Fraction(1, 4), Fraction(1, 4))
    """
    if not b.is_finite():
        raise ValueError("infinite or NaN ball")
    mid = _exact_fraction(b.mid())
    rad = _exact_fraction(b.rad())
    return mid - rad, mid + rad


def fraction_to_arb(q: Fraction | int) -> arb:
    """A ball containing the rational ``q`` (exact when dyadic and short).

    Examples
    --------
    >>> fraction_to_arb(Fraction(1, 4)).is_exact(), fraction_to_arb(Fraction(1, 3)).contains(fmpq(1, 3))
    (True, True)
    """
    q = Fraction(q)
    return arb(frac_to_fmpq(q))


def ball(center: Fraction, radius: Fraction) -> arb:
    """A ball containing ``[center - radius, center + radius]``.

    Examples
    --------
    >>> bool(ball(Fraction(1, 2), Fraction(1, 8)).contains(arb(5) / 8))
    True
    """
    c = fraction_to_arb(center)
    r = fraction_to_arb(radius)
    return c + arb(0, r.abs_upper()) if radius else c


@dataclass(frozen=True)
class SymPoly:
    """The symmetric EU polynomial with its first and second derivative coefficients.

    Attributes
    ----------
    n, m : int
        Degree (players) and number of variables (actions).
    terms : tuple of (count vector, fmpq)
        ``w_c`` for the degree-n monomials (zeros dropped).
    """

    n: int
    m: int
    terms: tuple[tuple[tuple[int, ...], fmpq], ...]

    @classmethod
    def from_payoffs(cls, n: int, m: int, payoffs: Mapping[tuple[int, ...], Fraction | fmpq]) -> "SymPoly":
        """From the payoff of each count vector (``w_c = multinomial(c) * u(c)``)."""
        terms = []
        for c in count_vectors(n, m):
            u = payoffs[c]
            u = u if isinstance(u, fmpq) else fmpq(Fraction(u).numerator, Fraction(u).denominator)
            if u != 0:
                terms.append((c, u * _multinomial(c)))
        return cls(n, m, tuple(terms))

    # -- derivative coefficient tables (cached on first use)
    def _grad_terms(self) -> list[list[tuple[tuple[int, ...], fmpq]]]:
        key = "_g"
        if key not in self.__dict__:
            out: list[list] = [[] for _ in range(self.m)]
            for c, w in self.terms:
                for a in range(self.m):
                    if c[a]:
                        d = list(c)
                        d[a] -= 1
                        out[a].append((tuple(d), w * c[a]))
            object.__setattr__(self, key, out)
        return self.__dict__[key]

    def _hess_terms(self) -> dict[tuple[int, int], list[tuple[tuple[int, ...], fmpq]]]:
        key = "_h"
        if key not in self.__dict__:
            out: dict = {}
            for a in range(self.m):
                for b in range(a, self.m):
                    lst = []
                    for c, w in self.terms:
                        if a == b:
                            k = c[a] * (c[a] - 1)
                            if k:
                                d = list(c)
                                d[a] -= 2
                                lst.append((tuple(d), w * k))
                        elif c[a] and c[b]:
                            d = list(c)
                            d[a] -= 1
                            d[b] -= 1
                            lst.append((tuple(d), w * c[a] * c[b]))
                    out[(a, b)] = lst
            object.__setattr__(self, key, out)
        return self.__dict__[key]

    @staticmethod
    def _monomials(x: Sequence[arb], plan: tuple) -> dict:
        """``{c: x^c}`` for the monomials of ``plan`` (see :meth:`_plan`), from the powers of each coordinate."""
        top, todo = plan
        pw = []
        for xa in x:
            row = [arb(1)]
            for _ in range(top):
                row.append(row[-1] * xa)
            pw.append(row)
        out = {}
        for c, nz in todo:
            v = arb(1)
            for a, e in nz:
                v = v * pw[a][e]
            out[c] = v
        return out

    def _plan(self, which: str, x: Sequence[arb]) -> tuple:
        """The monomials :meth:`_filtered` needs, with their largest exponent and nonzero exponents (cached)."""
        zero = frozenset(a for a in range(self.m) if x[a].is_zero())
        key = ("_plan", which, zero)
        if key not in self.__dict__:
            need = sorted(self._filtered(which, x)[1])
            top = max((max(c) for c in need), default=0)
            self.__dict__[key] = (top, tuple((c, tuple((a, e) for a, e in enumerate(c) if e)) for c in need))
        return self.__dict__[key]

    def _filtered(self, which: str, x: Sequence[arb]) -> tuple:
        """Term lists without the monomials that vanish because some x_a is exactly 0, and the monomials needed."""
        zero = frozenset(a for a in range(self.m) if x[a].is_zero())
        key = ("_flt", which, zero)
        if key not in self.__dict__:
            def keep(lst: list) -> list:
                return [(c, w) for c, w in lst if not any(c[a] for a in zero)]

            if which == "f":
                lists: Any = keep(list(self.terms))
                need = {c for c, _ in lists}
            elif which == "g":
                lists = [keep(lst) for lst in self._grad_terms()]
                need = {c for lst in lists for c, _ in lst}
            else:
                lists = {k: keep(lst) for k, lst in self._hess_terms().items()}
                need = {c for lst in lists.values() for c, _ in lst}
            self.__dict__[key] = (lists, need)
        return self.__dict__[key]

    def _dots(self, which: str, x: Sequence[arb], lists: list[list], tag: tuple = ()) -> list[arb]:
        """``[sum_c w_c x^c for (c, w_c) in lst] for lst in lists`` as balls.

        Large tables go through one ``arb_mat`` product (the monomial row times a cached coefficient matrix, in
        C: random 50x4, 20,825 monomials and 4 gradient columns, about 5x faster than a Python loop); small ones
        through :func:`_dot`.  Both are ball arithmetic, so either is an enclosure.
        """
        _, need = self._filtered(which, x)
        mono = self._monomials(x, self._plan(which, x))
        if len(need) * len(lists) < _MATRIX_MIN or len(need) * len(lists) > _MATRIX_MAX:
            return [_dot(lst, mono) for lst in lists]
        zero = frozenset(a for a in range(self.m) if x[a].is_zero())
        key = ("_mat", which, zero, flint.ctx.prec, tag)
        if key not in self.__dict__:
            order = sorted(need)
            pos = {c: i for i, c in enumerate(order)}
            rows = [[0] * len(lists) for _ in order]
            for j, lst in enumerate(lists):
                for c, w in lst:
                    rows[pos[c]][j] = w
            self.__dict__[key] = (order, arb_mat(rows))
        order, mat = self.__dict__[key]
        prod = arb_mat([[mono[c] for c in order]]) * mat
        return [prod[0, j] for j in range(len(lists))]

    def value(self, x: Sequence[arb]) -> arb:
        """Enclosure of ``f(x)`` for a box ``x`` (a sequence of m balls)."""
        terms, need = self._filtered("f", x)
        return self._dots("f", x, [terms])[0]

    def gradient(self, x: Sequence[arb]) -> list[arb]:
        """Enclosure of ``grad f`` (in x coordinates) on a box."""
        g, _ = self._filtered("g", x)
        return self._dots("g", x, g)

    def hessian(self, x: Sequence[arb], only: Sequence[int] | None = None) -> list[list[arb]]:
        """Enclosure of the Hessian of f (in x coordinates) on a box (entries outside ``only`` are left 0)."""
        h, _ = self._filtered("h", x)
        keep = set(range(self.m)) if only is None else set(only)
        pairs = [ab for ab in h if ab[0] in keep and ab[1] in keep]
        out = [[arb(0)] * self.m for _ in range(self.m)]
        for (a, b), v in zip(pairs, self._dots("h", x, [h[ab] for ab in pairs], tuple(pairs))):
            out[a][b] = v
            out[b][a] = v
        return out

    # -- reduced coordinates
    @staticmethod
    def embed(y: Mapping[int, arb], m: int, ref: int) -> list[arb]:
        """x from reduced coordinates ``y`` (missing actions are 0): ``x_ref = 1 - sum(y)``."""
        x = [arb(0)] * m
        s = arb(0)
        for a, v in y.items():
            x[a] = v
            s = s + v
        x[ref] = 1 - s
        return x

    def reduced_gradient(self, x: Sequence[arb], ref: int, idx: Sequence[int]) -> list[arb]:
        g = self.gradient(x)
        return [g[a] - g[ref] for a in idx]

    def reduced_hessian(self, x: Sequence[arb], ref: int, idx: Sequence[int]) -> list[list[arb]]:
        e = self.hessian(x, list(idx) + [ref])
        return [[e[a][b] - e[a][ref] - e[ref][b] + e[ref][ref] for b in idx] for a in idx]


def _multinomial(c: Sequence[int]) -> int:
    out, tot = 1, 0
    for k in c:
        tot += k
        out *= math.comb(tot, k)
    return out


_MATRIX_MIN = 4000  # monomials x columns from which an arb_mat product beats the Python loop
_MATRIX_MAX = 4_000_000  # and up to which the cached coefficient matrix is worth its memory


def _dot(lst: list, mono: dict) -> arb:
    s = arb(0)
    for c, w in lst:
        s = s + mono[c] * w
    return s


@dataclass(frozen=True)
class KrawczykResult:
    """Outcome of a Krawczyk test on a box ``center +- radius`` (reduced coordinates).

    Attributes
    ----------
    proved : bool
        True when ``K(B)`` lies in the interior of ``B``: a unique zero of the
        reduced gradient exists in ``B``.
    image : tuple of (Fraction, Fraction)
        Rational hull of ``K(B)`` per coordinate.
    """

    proved: bool
    image: tuple[tuple[Fraction, Fraction], ...]


def krawczyk(
    poly: SymPoly, ref: int, idx: Sequence[int], center: Sequence[Fraction], radius: Fraction, prec: int = 320
) -> KrawczykResult:
    """Krawczyk test for the zero of the reduced gradient of ``poly`` on the face ``idx + [ref]``.

    Examples
    --------
    >>> p = SymPoly.from_payoffs(2, 2, {(2, 0): Fraction(0), (1, 1): Fraction(1), (0, 2): Fraction(0)})
    >>> krawczyk(p, 1, [0], [Fraction(1, 2)], Fraction(1, 2**40)).proved
    True
    """
    k = len(idx)
    with set_prec(prec):
        zc = [fraction_to_arb(c) for c in center]
        zb = [ball(c, radius) for c in center]
        g = poly.reduced_gradient(poly.embed(dict(zip(idx, zc)), poly.m, ref), ref, idx)
        jb = poly.reduced_hessian(poly.embed(dict(zip(idx, zb)), poly.m, ref), ref, idx)
        jc = poly.reduced_hessian(poly.embed(dict(zip(idx, zc)), poly.m, ref), ref, idx)
        mid = arb_mat([[arb(jc[i][j].mid()) for j in range(k)] for i in range(k)])
        try:
            ymat = mid.inv()
        except ZeroDivisionError:
            return KrawczykResult(False, ())
        ymat = arb_mat([[arb(ymat[i, j].mid()) for j in range(k)] for i in range(k)])
        gvec = arb_mat([[v] for v in g])
        jmat = arb_mat(jb)
        ident = arb_mat([[arb(1) if i == j else arb(0) for j in range(k)] for i in range(k)])
        dvec = arb_mat([[zb[i] - zc[i]] for i in range(k)])
        kimg = ymat * gvec
        corr = (ident - ymat * jmat) * dvec
        image = []
        ok = True
        for i in range(k):
            ki = zc[i] - kimg[i, 0] + corr[i, 0]
            if not ki.is_finite():
                return KrawczykResult(False, ())
            lo, hi = arb_to_fraction_bounds(ki)
            image.append((lo, hi))
            if not (center[i] - radius < lo and hi < center[i] + radius):
                ok = False
        return KrawczykResult(ok, tuple(image))


def negative_definite_certificate(h: Sequence[Sequence[arb]]) -> tuple[list[list[Fraction]], Fraction] | None:
    """Prove every symmetric matrix in the interval matrix ``h`` negative definite.

    Takes ``M`` the (rational) midpoint matrix of ``-h`` and ``rho`` an upper
    bound of the Frobenius norm of the radius matrix; if ``M - rho I`` has an
    exact LDL^T factorisation with positive pivots then
    ``lambda_min(-H) >= lambda_min(M) - ||H - mid||_2 > 0`` for every H in h.
    Returns ``(M, rho)`` (the data to re-check) or None.

    Examples
    --------
    >>> negative_definite_certificate([[arb(-2), arb(1)], [arb(1), arb(-2)]]) is not None
    True
    >>> negative_definite_certificate([[arb(-1), arb(2)], [arb(2), arb(-1)]]) is None
    True
    """
    k = len(h)
    mat = [[-_exact_fraction(h[i][j].mid()) for j in range(k)] for i in range(k)]
    mat = [[(mat[i][j] + mat[j][i]) / 2 for j in range(k)] for i in range(k)]
    rad2 = Fraction(0)
    for i in range(k):
        for j in range(k):
            r = _exact_fraction(h[i][j].rad()) + abs(mat[i][j] + _exact_fraction(h[i][j].mid()))
            rad2 += r * r
    rho = _sqrt_upper(rad2)
    if is_positive_definite([[mat[i][j] - (rho if i == j else 0) for j in range(k)] for i in range(k)]):
        return mat, rho
    return None


def is_negative_definite(h: Sequence[Sequence[arb]]) -> bool:
    """True when :func:`negative_definite_certificate` succeeds.

    Examples
    --------
    >>> is_negative_definite([[arb(-2), arb(1)], [arb(1), arb(-2)]]), is_negative_definite([[arb(1)]])
    (True, False)
    """
    return negative_definite_certificate(h) is not None


def _sqrt_upper(q: Fraction) -> Fraction:
    """A rational upper bound of sqrt(q) (within a relative 2^-30)."""
    if q == 0:
        return Fraction(0)
    r = Fraction(math.isqrt(q.numerator), math.isqrt(q.denominator))
    if r * r == q:
        return r
    scale = 2**64
    n = math.isqrt(q.numerator * scale * scale // q.denominator) + 1
    return Fraction(n, scale)


def is_positive_definite(a: Sequence[Sequence[Fraction]]) -> bool:
    """Exact LDL^T test (all pivots strictly positive) of a symmetric matrix of Fractions or python-flint ``fmpq``.

    Examples
    --------
    >>> is_positive_definite([[Fraction(2), Fraction(1)], [Fraction(1), Fraction(2)]])
    True
    """
    k = len(a)
    if k == 2:  # Sylvester's criterion (leading principal minors positive), without a division
        return a[0][0] > 0 and a[0][0] * a[1][1] > a[0][1] * a[1][0]
    if k == 3:
        (p, q, r), (_, u, v), (_, _, w) = a
        m2 = p * u - q * q
        return p > 0 and m2 > 0 and m2 * w - p * v * v + 2 * q * r * v - r * r * u > 0
    m = [list(row) for row in a]
    for i in range(k):
        piv = m[i][i]
        if piv <= 0:
            return False
        for r in range(i + 1, k):
            f = m[r][i] / piv
            for c in range(i + 1, k):
                m[r][c] -= f * m[i][c]
    return True


def newton_refine(
    system: Callable[[list[arb]], tuple[Sequence[arb], Sequence[Sequence[arb]]]], z: Sequence[float], prec: int,
    steps: int = 60, residual: Callable[[list[arb]], Sequence[arb]] | None = None,
) -> list[Fraction] | None:
    """Newton's method at ``prec`` bits on a square system (its value and Jacobian); a rational point or None.

    With ``residual`` (the value alone, cheaper than the Jacobian), once a step is below ``2^-60`` the last Jacobian
    is kept (the chord method: each further step still gains about 60 bits) and only the value is recomputed.
    Only proposes: the point it returns is proved (or refused) afterwards by Krawczyk's test.

    Examples
    --------
    >>> root = newton_refine(lambda x: ([x[0] * x[0] - 2], [[2 * x[0]]]), [1.4], 200)
    >>> abs(float(root[0]) - 2 ** 0.5) < 1e-15
    True
    >>> chord = newton_refine(lambda x: ([x[0] * x[0] - 2], [[2 * x[0]]]), [1.4], 200, residual=lambda x: [x[0] ** 2 - 2])
    >>> abs(chord[0] - root[0]) < Fraction(1, 2**150)
    True
    """
    k = len(z)
    with set_prec(prec):
        zc = []
        for v in z:
            q = Fraction(float(v)).limit_denominator(10**15)
            zc.append(arb(q.numerator) / q.denominator)
        jm = None
        last = math.inf
        for _ in range(steps):
            chord = residual is not None and jm is not None and last < 2.0 ** -60
            if chord:
                g = residual(zc)
            else:
                g, h = system(zc)
                jm = arb_mat([[arb(h[i][j].mid()) for j in range(k)] for i in range(k)])
            gv = arb_mat([[arb(v.mid())] for v in g])
            try:
                step = jm.solve(gv)
            except ZeroDivisionError:
                return None
            zc = [arb((zc[i] - step[i, 0]).mid()) for i in range(k)]
            size = max(abs(float(step[i, 0].mid())) for i in range(k))
            if size < 2.0 ** -(prec - 40):
                break
            if not all(abs(float(v.mid())) < 10 for v in zc):
                return None
            last = size if not chord or size < last * 2.0 ** -20 else math.inf  # a chord step that stalls: Newton again
        out = []
        for v in zc:
            lo, _ = arb_to_fraction_bounds(arb(v.mid()))
            out.append(lo.limit_denominator(2**300) if lo.denominator > 2**300 else lo)
        return out


def coefficient_matrices_negative_definite(
    coefficients: dict[tuple, dict], keys: Sequence[Any], index: Sequence[Any]
) -> bool:
    """Whether every Bernstein coefficient matrix of a Hessian is negative definite (exact LDL^T of minus it).

    ``coefficients[(p, q)]`` maps a multi-index ``gamma`` to the Bernstein coefficient (python-flint
    ``fmpq``) of the Hessian entry ``(p, q)`` (upper triangle; missing means 0); ``keys`` lists every
    ``gamma`` and ``index`` the variables in matrix order.  On the cell the Hessian is a convex
    combination of these matrices, so all negative definite means the Hessian is negative definite there.

    Examples
    --------
    >>> from flint import fmpq
    >>> coefs = {(0, 0): {(): fmpq(-2)}, (0, 1): {(): fmpq(1)}, (1, 1): {(): fmpq(-2)}}
    >>> coefficient_matrices_negative_definite(coefs, [()], [0, 1])
    True
    >>> coefs[(0, 1)] = {(): fmpq(3)}
    >>> coefficient_matrices_negative_definite(coefs, [()], [0, 1])
    False
    """
    k = len(index)
    pos = {v: i for i, v in enumerate(index)}
    if k == 1:  # one entry per matrix: negative at every key (a missing key is 0)
        cf = coefficients.get((index[0], index[0]), {})
        return all((v := cf.get(gam)) is not None and v < 0 for gam in keys)
    zero = fmpq(0)
    entries = [(pos[p], pos[q], cf) for (p, q), cf in coefficients.items()]
    for gam in keys:
        mat = [[zero] * k for _ in range(k)]
        for i, j, cf in entries:
            v = cf.get(gam)
            if v is not None:
                mat[i][j] = mat[j][i] = -v
        if not is_positive_definite(mat):
            return False
    return True


def nd_certificate_from_bounds(bounds: Sequence[Sequence[tuple[Fraction, Fraction]]]) -> tuple[list[list[Fraction]], Fraction] | None:
    """Prove every symmetric matrix with entries in ``bounds[i][j] = (lo, hi)`` negative definite.

    ``M = -(lo + hi) / 2`` and ``rho`` a rational upper bound of the Frobenius norm of ``(hi - lo) / 2``;
    success when ``M - rho I`` is positive definite (exact LDL^T).  Returns ``(M, rho)`` or None.

    Examples
    --------
    >>> F = Fraction
    >>> nd_certificate_from_bounds([[(F(-3), F(-2))]])
    ([[Fraction(5, 2)]], Fraction(1, 2))
    >>> nd_certificate_from_bounds([[(F(-1), F(1))]]) is None
    True
    """
    k = len(bounds)
    mat = [[-(bounds[i][j][0] + bounds[i][j][1]) / 2 for j in range(k)] for i in range(k)]
    rad2 = sum(((bounds[i][j][1] - bounds[i][j][0]) / 2) ** 2 for i in range(k) for j in range(k))
    rho = _sqrt_upper(rad2)
    if is_positive_definite([[mat[i][j] - (rho if i == j else 0) for j in range(k)] for i in range(k)]):
        return mat, rho
    return None
