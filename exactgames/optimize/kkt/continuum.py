"""Continua of critical points: affine parametrisation, linear branches, value polynomials and rational slicing."""

from __future__ import annotations

import flint

from exactgames.model.numberfield import NFElement, compare_elements
from exactgames.numbers.algebraic import RealAlgebraic, compare_algebraic, element_sign, rational, real_roots
from exactgames.optimize.deadline import Deadline, SolverTimeout
from exactgames.optimize.elimination import critical_value_polynomial, value_relations
from exactgames.optimize.kkt.lp import _const, _lp_point
from exactgames.optimize.kkt.types import _SLICES, Continuum, KKTPoint, _add_witness, _classify, _fmt, _Prepared, _same_point
from exactgames.optimize.polysolve import (
    AlgebraicPoint,
    PositiveDimensional,
    ZeroDimensional,
    solve_system,
    split_variety,
)


def _affine_parametrization(
    gb: list[flint.fmpq_mpoly], ctx: flint.fmpq_mpoly_ctx
) -> tuple[flint.fmpq_mpoly_ctx, list[flint.fmpq_mpoly]] | None:
    """``V(gb)`` for linear ``gb`` as ``y = p0 + N t``: the free unknowns' context and every ``y_i`` affine in them.

    None when the linear system is inconsistent (exact row reduction).
    """
    d = ctx.nvars()
    A = flint.fmpq_mat(len(gb), d + 1)
    for r, g in enumerate(gb):
        for e, c in g.to_dict().items():
            A[r, e.index(1) if sum(e) else d] = c
    R, rank = A.rref()
    pivots: list[tuple[int, int]] = []
    for r in range(rank):
        c = next(j for j in range(d + 1) if R[r, j] != 0)
        if c == d:
            return None
        pivots.append((r, c))
    pivot_cols = {c for _r, c in pivots}
    free = [j for j in range(d) if j not in pivot_cols]
    names = tuple(ctx.names()[j] for j in free)
    sub = flint.fmpq_mpoly_ctx.get(names)
    tg = sub.gens() if names else ()
    images: list[flint.fmpq_mpoly] = [sub.from_dict({})] * d
    for k, j in enumerate(free):
        images[j] = tg[k]
    for r, c in pivots:
        img = sub.from_dict({(0,) * len(names): -R[r, d]}) if R[r, d] != 0 else sub.from_dict({})
        for k, j in enumerate(free):
            if R[r, j] != 0:
                img = img - R[r, j] * tg[k]
        images[c] = img
    return sub, images


def _linear_branch(
    prep: _Prepared,
    support: tuple[tuple[int, ...], ...],
    ctx: flint.fmpq_mpoly_ctx,
    images: list[flint.fmpq_mpoly],
    f: flint.fmpq_mpoly,
    pos: list[flint.fmpq_mpoly],
    off: list[flint.fmpq_mpoly],
    gb: list[flint.fmpq_mpoly],
) -> tuple[KKTPoint | None, str, bool]:
    """An affine component of the critical set: (witness in the open face or None, description, positive-dimensional).

    The EU is constant on the component (its gradient vanishes there and the
    component is connected); it meets the open face iff an exact LP finds a
    point with every support probability positive.
    """
    par = _affine_parametrization(gb, ctx)
    if par is None:
        return None, "", False
    sub, ys = par
    value = _const(f.compose(*ys, ctx=sub))
    if value is None:
        raise ArithmeticError("internal: the EU is not constant on an affine component of its critical set")
    pt = _lp_point([p.compose(*ys, ctx=sub) for p in pos], sub)
    eqs = [f"{n} = {y}" for n, y in zip(ctx.names(), ys) if n not in sub.names()]
    desc = f"EU {value} on the affine set {{{', '.join(eqs)}}}" + (f" (free: {', '.join(sub.names())})" if sub.nvars() else "")
    if pt is None:
        return None, desc, sub.nvars() > 0
    coords = tuple(flint.fmpq_poly([y(*pt) if sub.nvars() else _const(y)]) for y in ys)
    kp = _classify(prep, support, images, f, pos, off, AlgebraicPoint(rational(0), coords))
    assert kp is not None and compare_elements(kp.value, NFElement.of(rational(value))) == 0
    return kp, desc, sub.nvars() > 0


def _outside_roots(
    gb: list[flint.fmpq_mpoly], f: flint.fmpq_mpoly, qk: flint.fmpq_poly, roots: list[RealAlgebraic],
    pos: list[flint.fmpq_mpoly], ctx: flint.fmpq_mpoly_ctx, deadline: Deadline,
) -> dict[int, str]:
    """Proofs that no real point of ``V(gb)`` in the open face has EU ``roots[i]`` (a root of ``qk``): ``{i: reason}``.

    For each support probability ``p``, the relations between ``z = p`` and
    ``s = EU`` on ``V(gb) ∩ {qk(s) = 0}`` (:func:`value_relations`):

    * a relation ``e(z)`` without ``s`` and without real root in ``(0, 1)``
      excludes every root of ``qk``;
    * a relation ``a(s) z + b(s)`` with ``a(r) != 0`` fixes ``p = -b(r)/a(r)``
      at every such point with EU ``r``; if that is not in ``(0, 1)``, ``r``
      is excluded.

    Every sign is decided exactly.  Tried under a short sub-deadline.
    """
    rem = deadline.remaining()
    sub = Deadline(min(rem, 5.0) if rem is not None else 30.0)
    zero, one = NFElement.of(rational(0)), NFElement.of(rational(1))
    out: dict[int, str] = {}
    try:
        for p in pos:
            if _const(p) is not None or len(out) == len(roots):
                continue
            for rel in value_relations(gb, f, p, qk, ctx, sub):
                terms = rel.to_dict()
                if all(e[1] == 0 for e in terms):  # a polynomial in z alone
                    el = flint.fmpq_poly([terms.get((k, 0), 0) for k in range(max(e[0] for e in terms) + 1)])
                    inside = [r for r in real_roots(el) if compare_elements(NFElement.of(r), zero) > 0
                              and compare_elements(NFElement.of(r), one) < 0]
                    if el.degree() > 0 and not inside:
                        why = f"the probability {p} satisfies {str(el).replace('x', 'z')} = 0, which has no root in (0, 1)"
                        for i in range(len(roots)):
                            out.setdefault(i, why)
                elif max(e[0] for e in terms) == 1:  # a(s) z + b(s)
                    top = max(e[1] for e in terms)
                    a_s = flint.fmpq_poly([terms.get((1, k), 0) for k in range(top + 1)])
                    b_s = flint.fmpq_poly([terms.get((0, k), 0) for k in range(top + 1)])
                    for i, r in enumerate(roots):
                        if i in out:
                            continue
                        sa = element_sign(r, a_s)
                        if sa == 0:
                            continue
                        # p = -b(r)/a(r): p <= 0 iff sign(-b(r)) * sa <= 0; p >= 1 iff sign(-b(r) - a(r)) * sa >= 0
                        if element_sign(r, -b_s) * sa <= 0 or element_sign(r, -b_s - a_s) * sa >= 0:
                            frac = f"({-b_s})" + ("" if a_s == 1 else f" / ({a_s})")
                            out[i] = f"there the probability {p} equals {frac.replace('x', 's')}, outside (0, 1)"
    except SolverTimeout:
        deadline.check()
    return out


def _continuum(
    prep: _Prepared,
    support: tuple[tuple[int, ...], ...],
    ctx: flint.fmpq_mpoly_ctx,
    images: list[flint.fmpq_mpoly],
    f: flint.fmpq_mpoly,
    grads: list[flint.fmpq_mpoly],
    pos: list[flint.fmpq_mpoly],
    off: list[flint.fmpq_mpoly],
    sol: PositiveDimensional,
    deadline: Deadline,
) -> tuple[list[KKTPoint], Continuum | None, str]:
    """A positive-dimensional critical set: (isolated critical points, the continuum in the open face or None, a note).

    The critical set is split along factors (:func:`split_variety`).  An
    affine branch has one EU value, and an exact LP decides whether it meets
    the open face (then it gives a rational witness there).  A
    zero-dimensional branch gives isolated points.  For any other branch the
    values are the roots of its critical-value polynomial; each irreducible
    factor is either witnessed by an exact point found by rational slicing,
    proved absent from the open face (:func:`_misses_open_face`), or left as
    an unwitnessed candidate (the caller then reports an incomplete answer if
    it exceeds the best value found).
    """
    d = ctx.nvars()
    if sol.whole_space:
        # every gradient component vanishes identically: F is constant on the face
        bary = AlgebraicPoint(rational(0), tuple(flint.fmpq_poly([flint.fmpq(1, len(s))]) for s in support for _ in s[:-1]))
        w = _classify(prep, support, images, f, pos, off, bary)
        assert w is not None  # the barycentre is in the open face
        return [], Continuum(support, True, (w,), (w.value.canonical(),), "s - (" + _fmt(w.value) + ")"), ""
    branches = split_variety(grads, ctx, deadline)
    if branches is None:
        branches = [grads]
    isolated: list[KKTPoint] = []
    witnesses: list[KKTPoint] = []
    cands: list[RealAlgebraic] = []
    value_poly = flint.fmpq_poly([1])
    outside: list[str] = []

    def add_isolated(kp: KKTPoint | None) -> None:
        if kp is not None and not any(_same_point(kp, q) for q in isolated):
            isolated.append(kp)

    for gb in branches:
        deadline.check()
        if all(g.total_degree() <= 1 for g in gb):
            kp, desc, pdim = _linear_branch(prep, support, ctx, images, f, pos, off, gb)
            if not pdim:
                add_isolated(kp)
            elif kp is None:
                outside.append(desc + " (misses the open face: exact LP)")
            else:
                _add_witness(witnesses, kp)
                if not any(compare_algebraic(c, kp.value.canonical()) == 0 for c in cands):
                    cands.append(kp.value.canonical())
                    fr = kp.value.canonical().fraction()
                    value_poly *= flint.fmpq_poly([flint.fmpq(-fr.numerator, fr.denominator), 1])
            continue
        bsol = solve_system(gb, ctx, deadline)
        if isinstance(bsol, ZeroDimensional):
            for pt in bsol.points:
                deadline.check()
                add_isolated(_classify(prep, support, images, f, pos, off, pt))
            continue
        q = critical_value_polynomial(gb, f, ctx, deadline)
        factors = [p for p, _e in q.factor()[1]]
        roots = {k: real_roots(p) for k, p in enumerate(factors)}
        found: list[KKTPoint] = []
        want = sum(len(r) for r in roots.values())
        for pt in _slice_points(gb, ctx, deadline, depth=d):
            kp = _classify(prep, support, images, f, pos, off, pt)
            if kp is not None:
                _add_witness(found, kp)
            if len(found) >= want:
                break
        for k, p in enumerate(factors):
            rk = roots[k]
            unw = [r for r in rk if not any(compare_elements(w.value, NFElement.of(r)) == 0 for w in found)]
            excl = _outside_roots(gb, f, p, unw, pos, ctx, deadline) if unw else {}
            for i, r in enumerate(unw):
                if i in excl:
                    outside.append(f"EU {_fmt(NFElement.of(r))} (a root of {str(p).replace('x', 's')}): {excl[i]}")
            dropped = [unw[i] for i in excl]
            for r in rk:
                if all(r is not x for x in dropped) and not any(compare_algebraic(c, r) == 0 for c in cands):
                    cands.append(r)
            if len(dropped) < len(rk):
                value_poly *= p
        for w in found:
            _add_witness(witnesses, w)
    note = ""
    if outside:
        note = "; positive-dimensional critical components outside the open face: " + "; ".join(outside)
    if not cands and not witnesses:
        return isolated, None, note
    cont = Continuum(support, False, tuple(witnesses), tuple(cands), str(value_poly).replace("x", "s"), tuple(outside))
    return isolated, cont, note


def _slice_points(grads: list[flint.fmpq_mpoly], ctx: flint.fmpq_mpoly_ctx, deadline: Deadline, depth: int):
    """Exact solutions of ``grads = 0`` found by fixing one unknown at a time to rational values."""
    d = ctx.nvars()
    if d == 0 or depth == 0:
        return
    for j in range(d):
        names = tuple(n for k, n in enumerate(ctx.names()) if k != j)
        sub = flint.fmpq_mpoly_ctx.get(names)
        sgens = sub.gens() if names else ()
        for r in _SLICES:
            deadline.check()
            imgs = []
            k = 0
            for i in range(d):
                if i == j:
                    imgs.append(sub.from_dict({(0,) * len(names): flint.fmpq(r.numerator, r.denominator)}))
                else:
                    imgs.append(sgens[k])
                    k += 1
            eqs = [g.compose(*imgs, ctx=sub) for g in grads]
            sol = solve_system(eqs, sub, deadline)
            if isinstance(sol, ZeroDimensional):
                pts = sol.points
            else:
                pts = tuple(_slice_points(eqs, sub, deadline, depth - 1))
            for pt in pts:
                coords = list(pt.coords)
                coords.insert(j, flint.fmpq_poly([flint.fmpq(r.numerator, r.denominator)]))
                yield AlgebraicPoint(pt.theta, tuple(coords))
