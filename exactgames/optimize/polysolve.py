"""Exact real solutions of polynomial systems with rational coefficients (the KKT equations).

Routes, cheapest first:

* no unknowns: the empty system has one solution (the vertex);
* one unknown: the gcd of the equations, factored by python-flint; the real
  roots are canonical :class:`~exactgames.numbers.algebraic.RealAlgebraic`
  numbers;
* several unknowns: a sympy Groebner basis (grevlex); for a
  zero-dimensional ideal, first the multiplication matrix of a linear form
  ``t`` on the quotient algebra (python-flint ``fmpq_mat.minpoly`` and one
  exact linear solve give ``y_i = g_i(t)`` when ``t`` generates the
  algebra), else FGLM to a lex basis with a separating linear form ``t``
  (after taking the radical when needed), so that the basis has the *shape*
  ``y_i - g_i(t), p(t)``.  Either way every real solution is
  ``y_i = g_i(theta)`` for a real root ``theta`` of ``p``.

A positive-dimensional solution set is never dropped: the solver returns a
:class:`PositiveDimensional` marker and
:func:`~exactgames.optimize.elimination.critical_value_polynomial` gives a
univariate polynomial whose roots contain every value the objective takes on
it (algebraic Sard: a polynomial takes finitely many critical values);
:func:`split_variety` splits such a set along factors (affine branches are
then handled by exact linear algebra) and
:func:`~exactgames.optimize.elimination.eliminant` projects a solution set
onto one polynomial (to prove it misses an open box).

Risky sympy calls run under a wall-clock
:class:`~exactgames.optimize.deadline.Deadline` (``SIGALRM`` when called
from the main thread; otherwise checks between steps) and raise
:class:`~exactgames.optimize.deadline.SolverTimeout` instead of hanging.

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

from dataclasses import dataclass
from typing import Sequence

import flint
import sympy

from exactgames.numbers.algebraic import RealAlgebraic, element_value, rational, real_roots
from exactgames.numbers.rational import frac_to_fmpq
from exactgames.optimize.deadline import Deadline

__all__ = [
    "AlgebraicPoint",
    "ZeroDimensional",
    "PositiveDimensional",
    "solve_system",
    "split_variety",
    "evaluate_at",
    "TooManySolutions",
]


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

    def pw(i: int, e: int) -> flint.fmpq_poly:  # coords[i]^e mod the minimal polynomial, by repeated multiplication
        key = (i, e)
        if key not in powers:
            if e == 1:
                v = point.coords[i] % mod if mod is not None else point.coords[i]
            else:
                v = pw(i, e - 1) * pw(i, 1)
                if mod is not None:
                    v = v % mod
            powers[key] = v
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
        return flint.fmpq_poly([acc(frac_to_fmpq(point.theta.fraction()))])
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


class TooManySolutions(ArithmeticError):
    """The zero-dimensional system has more complex solutions than the caller's ``max_solutions`` (``count`` > it)."""

    def __init__(self, count: int, cap: int) -> None:
        super().__init__(f"the system has more than {cap} complex solutions: exact closed forms of such degrees were "
                         "not derived")
        self.count = count


def solve_system(
    eqs: Sequence[flint.fmpq_mpoly], ctx: flint.fmpq_mpoly_ctx, deadline: Deadline | None = None,
    max_solutions: int | None = None,
) -> ZeroDimensional | PositiveDimensional:
    """All real solutions of ``eqs = 0`` (rational coefficients), exactly.

    Raises :class:`SolverTimeout` if the deadline passes, ``ArithmeticError``
    if the ideal defeats the shape-lemma route (reported by the caller), and
    :class:`TooManySolutions` when ``max_solutions`` is given and a
    zero-dimensional system with several unknowns has more complex solutions
    (counted with multiplicity: the dimension of the quotient algebra, read
    off the Groebner basis) -- the degree bound of every coordinate's field.

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
    if max_solutions is not None:
        count = _quotient_dimension([sympy.Poly(e, *ys).monoms(order="grevlex")[0] for e in G.exprs], nvars, max_solutions)
        if count > max_solutions:
            raise TooManySolutions(count, max_solutions)
    # multiplication matrices of the quotient ring (python-flint linear algebra): fast when t is separating
    mult = _multiplication_route(G, ys, deadline)
    if mult is not None:
        return mult
    # else: the last unknown as the separating element (often generic already), lex basis by FGLM
    with deadline.guard():
        L = G.fglm("lex")
    shape = _shape(L, ys[:-1], ys[-1])
    if shape is not None:
        p, gs = shape
        gs = gs + [flint.fmpq_poly([0, 1])]
        pts = tuple(AlgebraicPoint(r, tuple(gs)) for r in real_roots(p))
        return ZeroDimensional(pts, f"groebner (grevlex + FGLM to lex), shape position in {ys[-1]}")
    # a separating linear form t (shape lemma); if the ideal is not radical, first make it radical
    # (Seidenberg: adding the squarefree part of a univariate eliminant in every variable)
    radical: list[sympy.Expr] = []
    for sep in _SEPARATORS:
        lin = t - sum(c * y for c, y in zip(sep, ys))
        for _attempt in range(2):
            with deadline.guard():
                H = sympy.groebner(list(G.exprs) + radical + [lin], *ys, t, order="grevlex", domain="QQ")
                L = H.fglm("lex")
            shape = _shape(L, ys, t)
            if shape is not None:
                p, gs = shape
                pts = tuple(AlgebraicPoint(r, tuple(gs)) for r in real_roots(p))
                route = f"groebner (grevlex + FGLM to lex), separating form t = {lin - t + t}"
                return ZeroDimensional(pts, route + (" after taking the radical" if radical else ""))
            if radical:
                break
            radical = _squarefree_eliminants(list(G.exprs), ys, deadline)
        deadline.check()
    raise ArithmeticError("the zero-dimensional KKT ideal is not in shape position for any tried separating form")


def _standard_monomials(leading: Sequence[tuple[int, ...]], d: int, cap: int) -> list[tuple[int, ...]]:
    """The monomials no leading monomial divides, breadth first from 1; stops once there are more than ``cap``."""
    def standard(mon: tuple[int, ...]) -> bool:
        return not any(all(a >= b for a, b in zip(mon, lm)) for lm in leading)

    std = [(0,) * d]
    seen = {std[0]}
    k = 0
    while k < len(std) and len(std) <= cap:
        mon = std[k]
        k += 1
        for i in range(d):
            nxt = mon[:i] + (mon[i] + 1,) + mon[i + 1 :]
            if nxt not in seen and standard(nxt):
                seen.add(nxt)
                std.append(nxt)
    return std


def _quotient_dimension(leading: Sequence[tuple[int, ...]], d: int, cap: int) -> int:
    """The number of standard monomials (no leading monomial divides them), counted up to ``cap + 1``.

    Examples
    --------
    >>> _quotient_dimension([(2, 0), (0, 3)], 2, 100), _quotient_dimension([(2, 0), (0, 3)], 2, 3)
    (6, 4)
    """
    return min(len(_standard_monomials(leading, d, cap)), cap + 1)


#: measured cost of FLINT's exact charpoly, and of the Krylov basis + solve, per D^4 * (bits of the largest entry)
#: (random 10x5 seed 2: D = 81, 2390-bit entries: 3.1 s and 12.6 s on this 2-core machine)
_SECONDS_PER_D4_BIT = (3e-11, 1.2e-10)


def _max_bits(M: flint.fmpq_mat) -> int:
    return max((max(abs(int(c.p)).bit_length(), int(c.q).bit_length()) for c in M.entries()), default=1)


def _multiplication_route(G: sympy.GroebnerBasis, ys: Sequence[sympy.Symbol], deadline: Deadline) -> ZeroDimensional | None:
    """Solve via the multiplication matrix of a linear form ``t`` on ``Q[y]/I`` (``I`` zero-dimensional).

    With the grevlex basis, the standard monomials form a basis of the
    quotient algebra ``A`` (dimension ``D``).  If the minimal polynomial ``p``
    of multiplication by ``t`` has degree ``D``, then ``1, t, ..., t^(D-1)``
    is a basis of ``A``, so every unknown is ``y_i = g_i(t)`` in ``A``
    (found by one exact linear solve), and the points of ``V(I)`` are exactly
    ``(g_1(theta), ...)`` for the roots ``theta`` of ``p``.  Returns None
    when no tried ``t`` has this property (then the FGLM route is used).
    """
    from sympy.polys.orderings import grevlex
    from sympy.polys.rings import ring

    d = len(ys)
    with deadline.guard():
        R, *gens = ring([str(y) for y in ys], sympy.QQ, grevlex)
        basis = [R(dict(sympy.Poly(e, *ys).terms())) for e in G.exprs]
    std = _standard_monomials([b.LM for b in basis], d, 400)
    if len(std) > 400:
        return None  # too large for dense linear algebra here
    D = len(std)
    idx = {m: j for j, m in enumerate(std)}
    cache: dict[tuple[int, ...], dict[int, flint.fmpq]] = {}

    def nf(mon: tuple[int, ...]) -> dict[int, flint.fmpq]:
        if mon in idx:
            return {idx[mon]: flint.fmpq(1)}
        if mon not in cache:
            deadline.check()
            with deadline.guard():
                r = R({mon: sympy.QQ.one}).rem(basis)
            cache[mon] = {idx[m]: flint.fmpq(int(c.numerator), int(c.denominator)) for m, c in r.terms()}
        return cache[mon]

    def mult_matrix(i: int) -> flint.fmpq_mat:
        M = flint.fmpq_mat(D, D)
        for j, mon in enumerate(std):
            for row, c in nf(mon[:i] + (mon[i] + 1,) + mon[i + 1 :]).items():
                M[row, j] = c
        return M

    mats: dict[int, flint.fmpq_mat] = {}
    for sep in ((0,) * (d - 1) + (1,),) + _SEPARATORS[:2]:
        sep = tuple(sep[:d])
        M = flint.fmpq_mat(D, D)
        for i, c in enumerate(sep):
            if c:
                if i not in mats:
                    mats[i] = mult_matrix(i)
                M = M + mats[i] * c
        deadline.check()
        bits = _max_bits(M)
        deadline.affords(_SECONDS_PER_D4_BIT[0] * D**4 * bits, f"the characteristic polynomial of a {D}x{D} matrix")
        p = M.charpoly()  # squarefree characteristic polynomial => it is the minimal polynomial (degree D)
        if p.gcd(p.derivative()).degree() > 0:
            p = M.minpoly()
        if p.degree() != D:
            continue
        # Krylov basis K = [v, Mv, ..., M^(D-1) v], v = the class of 1; solve K c = NF(y_i)
        deadline.affords(_SECONDS_PER_D4_BIT[1] * D**4 * bits, f"the Krylov basis of a {D}x{D} matrix and its solve")
        v = flint.fmpq_mat(D, 1)
        v[idx[(0,) * d], 0] = 1
        cols = [v]
        for _ in range(D - 1):
            cols.append(M * cols[-1])
        K = flint.fmpq_mat(D, D)
        for j, col in enumerate(cols):
            for r in range(D):
                K[r, j] = col[r, 0]
        B = flint.fmpq_mat(D, d)
        for i in range(d):
            for row, c in nf(tuple(1 if q == i else 0 for q in range(d))).items():
                B[row, i] = c
        deadline.check()
        C = K.solve(B)
        gs = tuple(flint.fmpq_poly([C[r, i] for r in range(D)]) for i in range(d))
        if sep == (0,) * (d - 1) + (1,):
            gs = gs[:-1] + (flint.fmpq_poly([0, 1]),)
        pts = tuple(AlgebraicPoint(r, gs) for r in real_roots(p))
        form = " + ".join(f"{c}*{y}" for c, y in zip(sep, ys) if c)
        return ZeroDimensional(pts, f"groebner (grevlex) + multiplication matrix of t = {form} (python-flint minpoly, dim {D})")
    return None


def _squarefree_eliminants(exprs: list, ys: Sequence[sympy.Symbol], deadline: Deadline) -> list[sympy.Expr]:
    """Squarefree parts of the univariate eliminants ``I ∩ Q[y]`` for every unknown ``y``."""
    out = []
    for k, y in enumerate(ys):
        order = [v for v in ys if v != y] + [y]
        with deadline.guard():
            Gy = sympy.groebner(exprs, *order, order="grevlex", domain="QQ").fglm("lex")
        last = sympy.Poly(Gy.exprs[-1], y)
        out.append(sympy.quo(last, sympy.gcd(last, last.diff(y))).as_expr())
    return out


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


def _from_sympy(expr: sympy.Expr, ys: Sequence[sympy.Symbol], ctx: flint.fmpq_mpoly_ctx) -> flint.fmpq_mpoly:
    P = sympy.Poly(expr, *ys, domain="QQ")
    return ctx.from_dict({e: _qq(c) for e, c in P.terms() if c != 0})


def split_variety(
    eqs: Sequence[flint.fmpq_mpoly], ctx: flint.fmpq_mpoly_ctx, deadline: Deadline | None = None, max_branches: int = 24
) -> list[list[flint.fmpq_mpoly]] | None:
    """Ideals whose zero sets cover the zero set of ``eqs``, split along factors.

    Starting from ``<eqs>``, whenever an element of the reduced grevlex
    Groebner basis factors over ``Q`` as ``p_1^e_1 ... p_k^e_k`` (``k > 1``
    or some ``e_i > 1``), the ideal is replaced by the ideals ``I + <p_i>``:
    ``V(I)`` is the union of the ``V(I + <p_i>)``.  Inconsistent branches
    are dropped.  Each returned list is the reduced Groebner basis of one
    branch, every element irreducible over ``Q`` (a cheap partial
    decomposition, not a primary decomposition: branches may overlap, and a
    branch may still be reducible).

    Returns None when more than ``max_branches`` branches arise.

    Examples
    --------
    >>> ctx = flint.fmpq_mpoly_ctx.get(("a", "b"))
    >>> a, b = ctx.gens()
    >>> sorted(sorted(str(g) for g in br) for br in split_variety([a * b, a * (a - 1)], ctx))
    [['a'], ['a - 1', 'b']]
    """
    deadline = deadline or Deadline()
    nvars = ctx.nvars()
    ys = sympy.symbols(f"y0:{nvars}")
    stack: list[list[sympy.Expr]] = [[_to_sympy(e, ys).as_expr() for e in eqs if not e.is_zero()]]
    seen: set[tuple[str, ...]] = set()
    out: list[list[flint.fmpq_mpoly]] = []
    while stack:
        gens = stack.pop()
        with deadline.guard():
            G = sympy.groebner(gens, *ys, order="grevlex", domain="QQ") if gens else None
        exprs = list(G.exprs) if G is not None else []
        if exprs == [1]:
            continue
        key = tuple(sorted(str(e) for e in exprs))
        if key in seen:
            continue
        seen.add(key)
        split = None
        for g in exprs:
            with deadline.guard():
                _c, facs = sympy.factor_list(g, *ys, domain="QQ")
            if len(facs) > 1 or (facs and facs[0][1] > 1):
                split = [p for p, _e in facs]
                break
        if split is None:
            out.append([_from_sympy(e, ys, ctx) for e in exprs])
        else:
            stack.extend(exprs + [p] for p in split)
        if len(out) + len(stack) > max_branches:
            return None
    return out
