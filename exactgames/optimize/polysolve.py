"""Exact real solutions of polynomial systems with rational coefficients (the KKT equations).

Routes, cheapest first:

* no unknowns: the empty system has one solution (the vertex);
* one unknown: the gcd of the equations, factored by python-flint; the real
  roots are canonical :class:`~exactgames.optimize.algebraic.RealAlgebraic`
  numbers;
* several unknowns: sympy Groebner bases (grevlex, then FGLM to lex) with a
  separating linear form ``t``, so that a zero-dimensional radical ideal has
  the *shape* ``y_i - g_i(t), p(t)``; every real solution is then
  ``y_i = g_i(theta)`` for a real root ``theta`` of ``p``.

A positive-dimensional solution set is never dropped: the solver returns a
:class:`PositiveDimensional` marker and :func:`critical_value_polynomial`
gives a univariate polynomial whose roots contain every value the objective
takes on it (algebraic Sard: a polynomial takes finitely many critical values).

Risky sympy calls run under a wall-clock deadline (``SIGALRM`` when called
from the main thread; otherwise checks between steps) and raise
:class:`SolverTimeout` instead of hanging.

Examples
--------
>>> import flint
>>> ctx = flint.fmpq_mpoly_ctx.get(("a", "b"))
>>> a, b = ctx.gens()
>>> sols = solve_system([a + b - 1, a - b], ctx)
>>> [[str(c) for c in s.coordinates()] for s in sols.points]
[['1/2', '1/2']]
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Iterator, Sequence

import flint
import sympy

from exactgames.optimize.algebraic import RealAlgebraic, element_value, rational, real_roots

__all__ = [
    "SolverTimeout",
    "Deadline",
    "AlgebraicPoint",
    "ZeroDimensional",
    "PositiveDimensional",
    "solve_system",
    "critical_value_polynomial",
    "evaluate_at",
]


class SolverTimeout(Exception):
    """The time limit ran out inside the exact solver."""


@dataclass
class Deadline:
    """A wall-clock deadline (``None`` = no limit)."""

    limit: float | None = None
    start: float = field(default_factory=time.monotonic)

    def remaining(self) -> float | None:
        if self.limit is None:
            return None
        return self.limit - (time.monotonic() - self.start)

    def check(self) -> None:
        r = self.remaining()
        if r is not None and r <= 0:
            raise SolverTimeout("time limit reached")

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """Interrupt the enclosed computation when the deadline passes (main thread only)."""
        self.check()
        r = self.remaining()
        if r is None or threading.current_thread() is not threading.main_thread():
            yield
            self.check()
            return

        def _alarm(signum: int, frame: object) -> None:
            raise SolverTimeout("time limit reached inside a sympy computation")

        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, max(r, 1e-3))
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)


@dataclass(frozen=True)
class AlgebraicPoint:
    """A real point whose coordinates lie in ``Q(theta)``: ``y_i = coords[i](theta)``."""

    theta: RealAlgebraic
    coords: tuple[flint.fmpq_poly, ...]

    def coordinates(self) -> list[RealAlgebraic]:
        return [element_value(self.theta, c) for c in self.coords]


@dataclass(frozen=True)
class ZeroDimensional:
    """Finitely many solutions; ``points`` are all the real ones."""

    points: tuple[AlgebraicPoint, ...]
    route: str


@dataclass(frozen=True)
class PositiveDimensional:
    """The complex solution set has positive dimension (a continuum of solutions)."""

    route: str
    whole_space: bool = False


def _fmpq_poly_from_mpoly_univariate(p: flint.fmpq_mpoly, var: int) -> flint.fmpq_poly:
    d = p.to_dict()
    if not d:
        return flint.fmpq_poly([])
    deg = max(e[var] for e in d)
    coeffs = [flint.fmpq(0)] * (deg + 1)
    for e, c in d.items():
        coeffs[e[var]] += c
    return flint.fmpq_poly(coeffs)


def evaluate_at(p: flint.fmpq_mpoly, point: AlgebraicPoint) -> flint.fmpq_poly:
    """``p(point)`` as a polynomial in ``theta`` (not reduced)."""
    d = p.to_dict()
    acc = flint.fmpq_poly([])
    mod = None if point.theta.is_rational else flint.fmpq_poly(list(point.theta.poly))
    powers: dict[tuple[int, int], flint.fmpq_poly] = {}

    def pw(i: int, e: int) -> flint.fmpq_poly:
        key = (i, e)
        if key not in powers:
            v = point.coords[i] ** e
            powers[key] = v % mod if mod is not None else v
        return powers[key]

    for exps, c in d.items():
        term = flint.fmpq_poly([c])
        for i, e in enumerate(exps):
            if e:
                term = term * pw(i, e)
                if mod is not None:
                    term = term % mod
        acc += term
    if point.theta.is_rational:
        return flint.fmpq_poly([acc(flint.fmpq(point.theta.fraction().numerator, point.theta.fraction().denominator))])
    return acc % mod


def _univariate(eqs: Sequence[flint.fmpq_mpoly]) -> ZeroDimensional | PositiveDimensional:
    g = flint.fmpq_poly([])
    for e in eqs:
        u = _fmpq_poly_from_mpoly_univariate(e, 0)
        g = u if g.is_zero() else (g.gcd(u) if not u.is_zero() else g)
    if g.is_zero():
        return PositiveDimensional("univariate: every equation vanishes identically", whole_space=True)
    pts = tuple(AlgebraicPoint(r, (flint.fmpq_poly([0, 1]),)) for r in real_roots(g)) if g.degree() > 0 else ()
    return ZeroDimensional(pts, "univariate gcd factored by python-flint")


def _to_sympy(p: flint.fmpq_mpoly, gens: Sequence[sympy.Symbol]) -> sympy.Poly:
    d = {e: sympy.Rational(int(c.p), int(c.q)) for e, c in p.to_dict().items()}
    return sympy.Poly.from_dict(d, *gens, domain="QQ") if d else sympy.Poly(0, *gens, domain="QQ")


def _qq(c: object) -> flint.fmpq:
    r = sympy.Rational(c)
    return flint.fmpq(int(r.p), int(r.q))


_SEPARATORS = ((1, 2, 3, 5, 7, 11, 13), (1, -1, 2, -3, 5, -7, 11), (3, 1, -2, 7, -1, 4, 9), (2, 7, -5, 3, 11, -13, 17))


def solve_system(
    eqs: Sequence[flint.fmpq_mpoly], ctx: flint.fmpq_mpoly_ctx, deadline: Deadline | None = None
) -> ZeroDimensional | PositiveDimensional:
    """All real solutions of ``eqs = 0`` (rational coefficients), exactly.

    Raises :class:`SolverTimeout` if the deadline passes, ``ArithmeticError``
    if the ideal defeats the shape-lemma route (reported by the caller).

    Examples
    --------
    >>> ctx = flint.fmpq_mpoly_ctx.get(("a", "b"))
    >>> a, b = ctx.gens()
    >>> r = solve_system([a**2 - 2, b - a], ctx)
    >>> sorted(str(c) for s in r.points for c in s.coordinates())
    ['-sqrt(2)', '-sqrt(2)', 'sqrt(2)', 'sqrt(2)']
    >>> solve_system([a + b - 1, 2 * a + 2 * b - 2], ctx)
    PositiveDimensional(route='groebner: dimension > 0', whole_space=False)
    """
    deadline = deadline or Deadline()
    nvars = ctx.nvars()
    eqs = [e for e in eqs if not e.is_zero()]
    if nvars == 0:
        if any(not e.is_zero() for e in eqs):
            return ZeroDimensional((), "constant equations")
        return ZeroDimensional((AlgebraicPoint(rational(0), ()),), "no unknowns (vertex)")
    if not eqs:
        return PositiveDimensional("no equations: every point solves", whole_space=True)
    if nvars == 1:
        return _univariate(eqs)
    ys = sympy.symbols(f"y0:{nvars}")
    t = sympy.Symbol("t_sep")
    polys = [_to_sympy(e, ys) for e in eqs]
    with deadline.guard():
        G = sympy.groebner([p.as_expr() for p in polys], *ys, order="grevlex", domain="QQ")
    if list(G.exprs) == [1]:
        return ZeroDimensional((), "groebner: inconsistent system")
    if not G.is_zero_dimensional:
        return PositiveDimensional("groebner: dimension > 0")
    # first try the last unknown as the separating element (often generic already)
    with deadline.guard():
        L = G.fglm("lex")
    shape = _shape(L, ys[:-1], ys[-1])
    if shape is not None:
        p, gs = shape
        gs = gs + [flint.fmpq_poly([0, 1])]
        pts = tuple(AlgebraicPoint(r, tuple(gs)) for r in real_roots(p))
        return ZeroDimensional(pts, f"groebner (grevlex + FGLM to lex), shape position in {ys[-1]}")
    for sep in _SEPARATORS:
        lin = t - sum(c * y for c, y in zip(sep, ys))
        extra: list[sympy.Expr] = []
        for _attempt in range(2):
            with deadline.guard():
                H = sympy.groebner(list(G.exprs) + [lin] + extra, *ys, t, order="grevlex", domain="QQ")
                L = H.fglm("lex")
            shape = _shape(L, ys, t)
            if shape is not None:
                p, gs = shape
                pts = tuple(AlgebraicPoint(r, tuple(gs)) for r in real_roots(p))
                return ZeroDimensional(pts, f"groebner (grevlex + FGLM to lex), separating form t = {lin - t + t}")
            # not in shape position: add the squarefree part of the eliminant and retry
            last = sympy.Poly(L.exprs[-1], t)
            sqf = sympy.Poly(sympy.quo(last, sympy.gcd(last, last.diff(t))), t)
            extra = [sqf.as_expr()]
        deadline.check()
    raise ArithmeticError("the zero-dimensional KKT ideal is not in shape position for any tried separating form")


def _shape(L: sympy.GroebnerBasis, ys: Sequence[sympy.Symbol], t: sympy.Symbol) -> tuple[flint.fmpq_poly, list[flint.fmpq_poly]] | None:
    exprs = list(L.exprs)
    if len(exprs) != len(ys) + 1:
        return None
    p_expr = exprs[-1]
    if sympy.sympify(p_expr).free_symbols - {t}:
        return None
    p = flint.fmpq_poly([_qq(c) for c in reversed(sympy.Poly(p_expr, t).all_coeffs())])
    gs = []
    for y, e in zip(ys, exprs[:-1]):
        P = sympy.Poly(e, *ys, t)
        lc = P.coeff_monomial(y)
        rest = sympy.expand(e - lc * y)
        if lc == 0 or sympy.sympify(rest).free_symbols - {t}:
            return None
        g = sympy.Poly(-rest / lc, t)
        gs.append(flint.fmpq_poly([_qq(c) for c in reversed(g.all_coeffs())]))
    return p, gs


def critical_value_polynomial(
    eqs: Sequence[flint.fmpq_mpoly], f: flint.fmpq_mpoly, ctx: flint.fmpq_mpoly_ctx, deadline: Deadline | None = None
) -> flint.fmpq_poly:
    """A nonzero univariate ``q(s)`` vanishing at every value of ``f`` on the solutions of ``eqs``.

    When ``eqs`` is the gradient of ``f``, ``q`` exists (finitely many
    critical values); it is the generator of the elimination ideal
    ``<eqs, s - f> ∩ Q[s]`` (lex Groebner basis with ``s`` last).

    Examples
    --------
    >>> ctx = flint.fmpq_mpoly_ctx.get(("a", "b"))
    >>> a, b = ctx.gens()
    >>> f = (a + b) * (1 - a - b)             # critical on the whole line a + b = 1/2
    >>> critical_value_polynomial([f.derivative(0), f.derivative(1)], f, ctx)
    x + (-1/4)
    """
    deadline = deadline or Deadline()
    nvars = ctx.nvars()
    ys = sympy.symbols(f"y0:{nvars}")
    s = sympy.Symbol("s_val")
    polys = [_to_sympy(e, ys).as_expr() for e in eqs if not e.is_zero()]
    polys.append(s - _to_sympy(f, ys).as_expr())
    with deadline.guard():
        G = sympy.groebner(polys, *ys, s, order="lex", domain="QQ")
    for e in reversed(list(G.exprs)):
        if not (sympy.sympify(e).free_symbols - {s}):
            q = sympy.Poly(e, s)
            return flint.fmpq_poly([_qq(c) for c in reversed(q.all_coeffs())])
    raise ArithmeticError("no univariate eliminant in the value variable (the values are not finitely many)")
