"""Exact local analysis of a polynomial at a point of a product of simplices.

The engine behind Definition 4.0.1 (P-invariant profiles: one simplex per
orbit) and Definition 5.0.1 (possibly-asymmetric profiles: one simplex per
player).  Given a polynomial ``f`` in variables ``x[b][k]`` (block ``b``,
action ``k``) and a point ``x0`` of the product of simplices, decide
exactly whether ``x0`` is a local maximum of ``f`` on the product.

Method (every sign decided by :func:`exactgames.model.exact.sign`, i.e.
exact rational arithmetic or certified arb enclosures of algebraic numbers):

1. In each block pick a base action in the support and use the free
   coordinates ``y[b][k] = x[b][k] - x0[b][k]`` for ``k != base``; the
   reduced gradient is the linear part of ``g(y) = f(x0 + y)``.
2. A non-zero reduced gradient along a support coordinate, or a positive one
   off the support, gives an improving direction (first order).
3. Off-support coordinates with strictly negative reduced gradient (``K``)
   dominate every higher-order term near ``x0``, so ``x0`` is a local
   maximum iff the *face polynomial* ``h = g|_{y_K = 0}`` has a local
   maximum at 0 on ``{y_Z >= 0}`` (``F`` = support coordinates, ``Z`` =
   off-support coordinates with zero reduced gradient).
4. ``h`` decides: no free coordinates, or ``h`` identically 0 (EU constant
   on the face) gives "yes"; a negative definite Hessian of ``h`` on
   ``F + Z`` (leading principal minors) gives "yes" (second-order
   sufficient condition); with only one-sided coordinates (``F`` empty) and
   no positive coefficient in ``h``, ``h <= 0`` on the orthant: "yes"; an
   ``h`` that is exactly a negative semidefinite quadratic form: "yes"; a basis or pair direction along which the first
   non-vanishing coefficient of ``h(t d)`` is positive gives "no"; with one
   free coordinate the first non-vanishing coefficient decides exactly.
   Anything else is undecided (``None``) with the reason.

Examples
--------
>>> import sympy
>>> # EU of the identical taxis (Table 1b) with one block per player
>>> x = sympy.symbols("x_H x_W"); y = sympy.symbols("y_H y_W")
>>> eu = x[0] * y[0] + x[1] * y[1] + 2 * (x[0] * y[1] + x[1] * y[0])
>>> half = sympy.Rational(1, 2)
>>> v = local_max_on_simplices(eu, (x, y), ((half, half), (half, half)))
>>> v.locally_optimal, v.stage
(False, 'second or higher order along a line')
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

import flint
import sympy

from exactgames.model.exact import ExactError, exact_max, rational_enclosure
from exactgames.model.fast_sign import certified_sign

__all__ = ["LocalPolyVerdict", "local_max_on_simplices", "line_polynomial", "decide_method", "positive_direction"]

Point = tuple[tuple[sympy.Expr, ...], ...]


@dataclass(frozen=True)
class LocalPolyVerdict:
    """Outcome of :func:`local_max_on_simplices`.

    Attributes
    ----------
    locally_optimal : True, False, or None (undecided; ``reason`` says why)
    stage : which test decided ("first order", "constant on the face", ...)
    reason : a sentence explaining the decision
    value : ``f(x0)``
    direction : for "no", the improving direction per block (exact; the
        block's entries sum to 0)
    step : for "no", a rational step ``t`` with ``f(x0 + t d) > f(x0)``,
        verified exactly
    improved_point : ``x0 + t d`` per block
    improved_value : ``f(x0 + t d)``
    gradient : reduced gradient per block, as {action index: value}
    base : base action of each block
    details : further data (Hessian, classification of coordinates)
    """

    locally_optimal: bool | None
    stage: str
    reason: str
    value: sympy.Expr
    direction: Point | None = None
    step: sympy.Rational | None = None
    improved_point: Point | None = None
    improved_value: sympy.Expr | None = None
    gradient: tuple[dict, ...] = ()
    base: tuple[int, ...] = ()
    details: dict = field(default_factory=dict)


def decide_method(values: Sequence[Any]) -> str:
    """Name the arithmetic a verdict rested on.

    Examples
    --------
    >>> decide_method([sympy.Rational(1, 2)]), decide_method([sympy.sqrt(2)])[:24]
    ('exact rational arithmetic', 'exact algebraic arithmet')
    """
    vals = [sympy.sympify(v) for v in values]
    if all(v.is_Rational for v in vals):
        return "exact rational arithmetic"
    return "exact algebraic arithmetic; signs certified by minimal polynomials and arb interval enclosures"


def line_polynomial(poly: dict, variables: Sequence[sympy.Symbol], direction: dict) -> list[sympy.Expr]:
    """Coefficients ``c_0, c_1, ...`` of ``t -> g(t d)`` for a polynomial given as a monomial dict.

    Parameters
    ----------
    poly : {exponent tuple: coefficient} over ``variables``
    variables : the variables of the exponent tuples
    direction : {variable index: component}; missing components are 0

    Examples
    --------
    >>> y1, y2 = sympy.symbols("y1 y2")
    >>> P = sympy.Poly(y1 * y2 + y1 ** 3, y1, y2).as_dict()
    >>> line_polynomial(P, (y1, y2), {0: 1, 1: -1})
    [0, 0, -1, 1]
    """
    deg = max((sum(e) for e in poly), default=0)
    coeffs = [sympy.Integer(0)] * (deg + 1)
    for e, c in poly.items():
        term = c
        ok = True
        for k, ek in enumerate(e):
            if ek:
                dk = direction.get(k, 0)
                if dk == 0:
                    ok = False
                    break
                term = term * sympy.sympify(dk) ** ek
        if ok:
            coeffs[sum(e)] += term
    return [sympy.expand(c) for c in coeffs]


def _first_nonzero(coeffs: list[sympy.Expr], start: int = 1) -> tuple[int, int] | None:
    for j in range(start, len(coeffs)):
        s = certified_sign(coeffs[j])
        if s != 0:
            return j, s
    return None


def _eval_line(coeffs: list[sympy.Expr], t: sympy.Expr) -> sympy.Expr:
    return sympy.expand(sum(c * t**j for j, c in enumerate(coeffs) if j > 0))


def _rational_lower(x: sympy.Expr) -> Fraction:
    lo, _ = rational_enclosure(x, Fraction(1, 10**12))
    return lo


def _rational_upper(x: sympy.Expr) -> Fraction:
    _, hi = rational_enclosure(x, Fraction(1, 10**12))
    return hi


def positive_direction(H: sympy.Matrix) -> list[sympy.Expr] | None:
    """An exact vector ``d`` with ``d^T H d > 0``, or None when ``H`` is negative semidefinite.

    Symmetric elimination: a positive diagonal entry gives a basis vector; a
    zero diagonal entry with a non-zero entry in its row gives a two-term
    vector; otherwise pivot on a negative diagonal entry and recurse on the
    Schur complement (``x^T H x = d'^T S d'`` for the lifted vector).

    Examples
    --------
    >>> H = sympy.Matrix([[-1, 2], [2, -1]])
    >>> d = sympy.Matrix(positive_direction(H))
    >>> (d.T * H * d)[0] > 0
    True
    >>> positive_direction(sympy.Matrix([[-2, 1], [1, -1]])) is None
    True
    """
    n = H.rows
    if n == 0:
        return None
    for k in range(n):
        if certified_sign(H[k, k]) > 0:
            return [sympy.Integer(int(i == k)) for i in range(n)]
    keep = []
    for k in range(n):
        if certified_sign(H[k, k]) == 0:
            for m in range(n):
                if m != k and certified_sign(H[k, m]) != 0:
                    s = certified_sign(H[k, m])
                    c = s * (-H[m, m] / (s * H[k, m]) + 1)  # d^T H d = 2 |H_km| - H_mm > 0
                    d = [sympy.Integer(0)] * n
                    d[k], d[m] = sympy.expand(c), sympy.Integer(1)
                    return d
        else:
            keep.append(k)
    if not keep:
        return None
    if len(keep) < n:  # drop zero rows
        sub = positive_direction(H.extract(keep, keep))
        if sub is None:
            return None
        d = [sympy.Integer(0)] * n
        for k, v in zip(keep, sub):
            d[k] = v
        return d
    k = 0
    rest = list(range(1, n))
    h = H.extract([k], rest)
    S = H.extract(rest, rest) - h.T * h / H[k, k]
    S = S.applyfunc(sympy.expand)
    sub = positive_direction(S)
    if sub is None:
        return None
    dk = -sum((h[0, i] * sub[i] for i in range(len(rest))), sympy.Integer(0)) / H[k, k]
    return [sympy.expand(dk)] + list(sub)


def _step(coeffs: list[sympy.Expr], t_max: Fraction) -> sympy.Rational:
    """A rational ``0 < t <= t_max`` with ``p(t) = sum_{j>=1} c_j t^j > 0`` (exact).

    The leading non-zero coefficient must be positive.  With rational
    coefficients ``p`` is moreover proved positive on all of ``(0, t]``.
    """
    t = min(t_max, Fraction(1, 2))
    rational = all(sympy.sympify(c).is_Rational for c in coeffs)
    fn = _first_nonzero(coeffs)
    tsym = sympy.Symbol("t")
    q = sympy.Poly(sum(c * tsym ** (j - fn[0]) for j, c in enumerate(coeffs) if j >= fn[0]), tsym) if rational and fn else None
    for _ in range(400):
        tt = sympy.Rational(t.numerator, t.denominator)
        if certified_sign(_eval_line(coeffs, tt)) > 0:
            # with rational coefficients also prove the improvement for *every* step in (0, tt]:
            # p(t) / t^j is positive at 0 and has no real root in [0, tt] (exact root counting)
            if q is None or q.count_roots(0, tt) == 0:
                return tt
        t /= 2
    raise ExactError("no improving step found although the leading coefficient is positive")  # pragma: no cover


def _shifted(expr: sympy.Expr, variables: tuple, point: tuple, free: list, base: list, ys: list, subs: dict) -> dict:
    """``g(y) = f(x0 + y)`` as {exponent tuple: coefficient}; python-flint ``fmpq_mpoly`` when everything is rational."""
    allv = [v for vs in variables for v in vs]
    rational = all(p.is_Rational for s in point for p in s)
    if rational:
        try:
            P = sympy.Poly(expr, *allv, domain="QQ")
        except (sympy.PolynomialError, sympy.polys.polyerrors.CoercionFailed):  # algebraic payoffs (sqrt(2)): sympy path
            rational = False
    if not rational:
        return sympy.Poly(sympy.expand(expr.xreplace(subs)), *ys).as_dict()
    ctx = flint.fmpq_mpoly_ctx.get(tuple(str(v) for v in allv))
    f = ctx.from_dict({m: flint.fmpq(int(c.p), int(c.q)) for m, c in P.terms()})
    yctx = flint.fmpq_mpoly_ctx.get(tuple(f"_y{j}" for j in range(len(ys))))
    gens = yctx.gens()
    images = []
    for b, vs in enumerate(variables):
        for k in range(len(vs)):
            x0 = point[b][k]
            x0 = flint.fmpq(int(x0.p), int(x0.q))
            if k == base[b]:
                img = yctx.from_dict({}) + x0
                for j, (bb, _) in enumerate(free):
                    if bb == b:
                        img -= gens[j]
            else:
                img = gens[free.index((b, k))] + x0
            images.append(img)
    g = f.compose(*images, ctx=yctx)
    return {tuple(int(e) for e in m): sympy.Rational(int(c.p), int(c.q)) for m, c in g.to_dict().items() if c != 0}


def local_max_on_simplices(
    expr: sympy.Expr,
    variables: Sequence[Sequence[sympy.Symbol]],
    point: Sequence[Sequence[Any]],
    max_pairs: int = 20000,
) -> LocalPolyVerdict:
    """Decide exactly whether ``point`` is a local maximum of ``expr`` on a product of simplices.

    Parameters
    ----------
    expr : sympy polynomial in the ``variables``
    variables : ``variables[b][k]``: probability of action ``k`` in block ``b``
    point : exact probabilities, one tuple per block, each summing to 1
    max_pairs : most pair directions tried when looking for an improving line

    Returns
    -------
    LocalPolyVerdict

    Examples
    --------
    Table 1c (large groups) on the symmetric line: a local minimum at 1/2.

    >>> xh, xw = sympy.symbols("x_H x_W")
    >>> half = sympy.Rational(1, 2)
    >>> v = local_max_on_simplices(xh**2 + xw**2, [(xh, xw)], [(half, half)])
    >>> v.locally_optimal, v.step, v.improved_value > v.value
    (False, 1/2, True)
    >>> local_max_on_simplices(2 * xh * xw, [(xh, xw)], [(half, half)]).locally_optimal
    True
    """
    variables = tuple(tuple(vs) for vs in variables)
    point = tuple(tuple(sympy.sympify(p) for p in s) for s in point)
    expr = sympy.sympify(expr)
    allv = {v for vs in variables for v in vs}
    extra = expr.free_symbols - allv
    if extra or any(p.free_symbols for s in point for p in s):
        params = sorted(map(str, extra | {q for s in point for p in s for q in p.free_symbols}))
        return LocalPolyVerdict(None, "parameters", f"depends on parameters {params}; substitute values first",
                                expr.subs({v: p for vs, s in zip(variables, point) for v, p in zip(vs, s)}))
    # 1. coordinates
    base: list[int] = []
    supports: list[list[int]] = []
    for s in point:
        sup = [k for k, p in enumerate(s) if certified_sign(p) > 0]
        if not sup:
            raise ExactError("a block of the point has no positive probability")
        _, best = exact_max([s[k] for k in sup])
        supports.append(sup)
        base.append(sup[best[0]])
    free: list[tuple[int, int]] = [(b, k) for b, vs in enumerate(variables) for k in range(len(vs)) if k != base[b]]
    ys = [sympy.Symbol(f"_y{b}_{k}") for b, k in free]
    subs = {}
    for b, vs in enumerate(variables):
        ysum = sympy.Integer(0)
        for j, (bb, k) in enumerate(free):
            if bb == b:
                subs[vs[k]] = point[b][k] + ys[j]
                ysum += ys[j]
        subs[vs[base[b]]] = point[b][base[b]] - ysum
    value = sympy.expand(expr.subs({v: p for vs, s in zip(variables, point) for v, p in zip(vs, s)}))
    if not ys:
        return LocalPolyVerdict(True, "no free coordinates", "every block has a single action", value, base=tuple(base))
    g = _shifted(expr, variables, point, free, base, ys, subs)
    zero = (0,) * len(ys)
    g.pop(zero, None)
    grad = []
    for j in range(len(ys)):
        e = tuple(1 if i == j else 0 for i in range(len(ys)))
        grad.append(sympy.expand(g.get(e, sympy.Integer(0))))
    grad_signs = [certified_sign(c) for c in grad]
    gradient = tuple(
        {k: grad[j] for j, (bb, k) in enumerate(free) if bb == b} for b in range(len(variables))
    )
    on_support = [k in supports[b] for b, k in free]
    # feasibility: how far one may move along a direction
    point_lo = [[_rational_lower(p) if certified_sign(p) > 0 else Fraction(0) for p in s] for s in point]

    def t_max(direction: dict) -> Fraction:
        bound = Fraction(1)
        per_block: dict[int, Any] = {}
        for j, dj in direction.items():
            b, k = free[j]
            dj = sympy.sympify(dj)
            per_block[b] = per_block.get(b, 0) + dj
            if certified_sign(dj) < 0:
                bound = min(bound, point_lo[b][k] / _rational_upper(-dj))
        for b, tot in per_block.items():
            tot = sympy.expand(tot)
            if certified_sign(tot) > 0:
                bound = min(bound, point_lo[b][base[b]] / _rational_upper(tot))
        return bound

    def witness(direction: dict, coeffs: list, stage: str, reason: str) -> LocalPolyVerdict:
        t = _step(coeffs, t_max(direction))
        d = tuple(
            tuple(
                (sympy.sympify(direction.get(free.index((b, k)), 0)) if k != base[b] else
                 -sum((sympy.sympify(direction.get(j, 0)) for j, (bb, _) in enumerate(free) if bb == b), sympy.Integer(0)))
                for k in range(len(variables[b]))
            )
            for b in range(len(variables))
        )
        newpt = tuple(tuple(sympy.expand(p + t * dk) for p, dk in zip(s, ds)) for s, ds in zip(point, d))
        newval = sympy.expand(expr.subs({v: p for vs, s in zip(variables, newpt) for v, p in zip(vs, s)}))
        if certified_sign(newval - value) <= 0 or any(certified_sign(p) < 0 for s in newpt for p in s):  # pragma: no cover - guard
            raise ExactError("internal error: witness does not improve")
        return LocalPolyVerdict(False, stage, reason, value, d, t, newpt, newval, gradient, tuple(base))

    # 2. first order
    for j, s in enumerate(grad_signs):
        if on_support[j] and s != 0:
            direction = {j: s}
        elif not on_support[j] and s > 0:
            direction = {j: 1}
        else:
            continue
        b, k = free[j]
        coeffs = line_polynomial(g, ys, direction)
        return witness(direction, coeffs, "first order",
                       f"the reduced gradient {grad[j]} of {variables[b][k]} (with {variables[b][base[b]]} = 1 minus the "
                       f"others) points to an improvement")
    # 3. face polynomial
    K = [j for j, s in enumerate(grad_signs) if not on_support[j] and s < 0]
    V = [j for j in range(len(ys)) if j not in K]
    Kset = set(K)
    h = {e: c for e, c in g.items() if not any(e[j] for j in Kset)}
    classification = {"F": [free[j] for j in V if on_support[j]], "Z": [free[j] for j in V if not on_support[j]],
                      "K": [free[j] for j in K]}
    if not V:
        return LocalPolyVerdict(True, "first order", "every free coordinate is off the support with strictly negative "
                                "reduced gradient (strict local maximum)", value, gradient=gradient, base=tuple(base),
                                details=classification)
    nonzero = {e: c for e, c in h.items() if certified_sign(c) != 0}
    if not nonzero:
        return LocalPolyVerdict(True, "constant on the face",
                                "the polynomial is constant on the face spanned by the support and the zero-gradient "
                                "off-support coordinates, and strictly decreasing off it", value, gradient=gradient,
                                base=tuple(base), details=classification)
    # Hessian of h on V
    nV = len(V)
    H = sympy.zeros(nV, nV)
    for a, ja in enumerate(V):
        for c, jc in enumerate(V):
            e = [0] * len(ys)
            e[ja] += 1
            e[jc] += 1
            coef = h.get(tuple(e), sympy.Integer(0))
            H[a, c] = 2 * coef if ja == jc else coef
    details = dict(classification)
    details["hessian"] = H
    if all(certified_sign(sympy.expand((-H)[:r, :r].det())) > 0 for r in range(1, nV + 1)):
        return LocalPolyVerdict(True, "second order", "the Hessian on the critical face is negative definite "
                                "(leading principal minors of -H are positive): strict local maximum",
                                value, gradient=gradient, base=tuple(base), details=details)
    # 4. lines: basis vectors and pairs
    two_sided = [on_support[j] for j in range(len(ys))]
    candidates: list[dict] = []
    for j in V:
        candidates.append({j: 1})
        if two_sided[j]:
            candidates.append({j: -1})
    pairs = 0
    for ja, jb in itertools.combinations(V, 2):
        for sa, sb in itertools.product((1, -1), repeat=2):
            if (sa < 0 and not two_sided[ja]) or (sb < 0 and not two_sided[jb]):
                continue
            candidates.append({ja: sa, jb: sb})
        pairs += 1
        if pairs >= max_pairs:
            break
    for direction in candidates:
        coeffs = line_polynomial(h, ys, direction)
        fn = _first_nonzero(coeffs)
        if fn is not None and fn[1] > 0:
            order = fn[0]
            where = ", ".join(f"{variables[free[j][0]][free[j][1]]}: {direction[j]:+}" for j in direction)
            return witness(direction, coeffs, "second or higher order along a line",
                           f"along the direction ({where}) the first non-vanishing coefficient (order {order}) is "
                           f"{coeffs[order]} > 0")
    F_idx = [a for a, j in enumerate(V) if two_sided[j]]
    d_F = positive_direction(H.extract(F_idx, F_idx)) if F_idx else None
    if d_F is not None:
        direction = {V[a]: d_F[i] for i, a in enumerate(F_idx) if d_F[i] != 0}
        coeffs = line_polynomial(h, ys, direction)
        fn = _first_nonzero(coeffs)
        if fn is not None and fn[1] > 0:
            return witness(direction, coeffs, "second order (indefinite Hessian)",
                           f"the Hessian on the support face is not negative semidefinite: along {direction} the "
                           f"quadratic coefficient is {coeffs[2]} > 0")
    if all(sum(e) == 2 for e in nonzero) and positive_direction(H) is None:
        return LocalPolyVerdict(True, "negative semidefinite quadratic face",
                                "the face polynomial is exactly the quadratic form of its Hessian, which is negative "
                                "semidefinite (exact symmetric elimination), so it is <= 0 everywhere", value,
                                gradient=gradient, base=tuple(base), details=details)
    if not F_idx and all(certified_sign(c) <= 0 for c in nonzero.values()):
        return LocalPolyVerdict(True, "non-positive coefficients on the orthant",
                                "every free coordinate of the critical face is one-sided (y >= 0) and every coefficient "
                                "of the face polynomial is <= 0, so it is <= 0 near the point", value, gradient=gradient,
                                base=tuple(base), details=details)
    if nV == 1:
        j = V[0]
        coeffs = line_polynomial(h, ys, {j: 1})
        fn = _first_nonzero(coeffs)
        # fn is not None since h is not identically zero; its sign is negative (else a witness was found)
        return LocalPolyVerdict(True, "higher order (one free coordinate)",
                                f"one free coordinate; the first non-vanishing coefficient (order {fn[0]}) is "
                                f"{coeffs[fn[0]]} < 0" + (" on both sides" if two_sided[j] else " (one-sided)"),
                                value, gradient=gradient, base=tuple(base), details=details)
    return LocalPolyVerdict(None, "undecided", "first-order conditions hold, the Hessian on the critical face is not "
                            "negative definite and no basis or pair direction improves; higher-order analysis in "
                            f"{nV} dimensions is not implemented", value, gradient=gradient, base=tuple(base), details=details)
