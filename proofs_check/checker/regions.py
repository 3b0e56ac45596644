"""Region proofs: around each claimed local maximiser, a region where it is provably the unique maximum.

A region is ``prod_i {x^(i) >= lower^(i)}`` (lower bounds zero off the
support).  It is proved when

1. every off-support reduced gradient is strictly negative on it (tensor
   Bernstein coefficients on the product of corner simplices): moving mass off
   the support only loses, so the region's maximum lies on its support face;
2. every tensor Bernstein coefficient matrix of the reduced Hessian on the
   support face is negative definite (exact LDL^T): f is strictly concave there;
3. Krawczyk's operator maps the box ``center +- radius`` (combined reduced
   coordinates) strictly into itself (``arb``): exactly one critical point
   ``x*`` lies in the box, and the box lies in the region with every
   on-support probability positive.

Then ``x*`` is the unique maximiser of f over the region, and its value lies
in the mean-value enclosure recomputed here.

Examples
--------
>>> from exactgames.model.game import Game
>>> from proofs_check.checker.polynomial import Setup
>>> g = Game.from_common([["H", "W"]] * 2, {("H", "W"): 1, ("W", "H"): 1})
>>> r = Region(supports=[[0, 1]], refs=[1], lower=[[Fraction(1, 4), Fraction(1, 4)]], center=[[Fraction(1, 2)]],
...            radius=Fraction(1, 2**40))
>>> p = prove_region(0, r, Setup(g, [[0, 1]]), 128, [])
>>> p.lo <= Fraction(1, 2) <= p.hi, p.point
(True, ((Fraction(1, 2), Fraction(1, 2)),))
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

import flint
from flint import arb, arb_mat, fmpq

from proofs_check.checker.numbers import Reject, ball, bounds, frac, positive_definite, q
from proofs_check.checker.polynomial import Setup, at_arb_many, count_keys

__all__ = ["Region", "RegionProof", "prove_region", "prove_vertex_region", "prove_point_region", "tie_by_symmetry"]


@dataclass(frozen=True)
class Region:
    """A claimed region: per orbit a support, a reference action, lower bounds and the Krawczyk centre."""

    supports: list[list[int]]
    refs: list[int]
    lower: list[list[Fraction]]
    center: list[list[Fraction]]   # per orbit, the support's non-reference coordinates
    radius: Fraction

    def box_min(self, ms: list[int]) -> list[list[Fraction]]:
        """Per orbit, the smallest value of each probability over the Krawczyk box."""
        out = []
        for i, m in enumerate(ms):
            idx = [a for a in self.supports[i] if a != self.refs[i]]
            low = [Fraction(0)] * m
            for a, v in zip(idx, self.center[i]):
                low[a] = v - self.radius
            low[self.refs[i]] = 1 - sum(self.center[i], Fraction(0)) - len(idx) * self.radius
            out.append(low)
        return out

    def point(self, ms: list[int]) -> tuple[tuple[Fraction, ...], ...]:
        """The Krawczyk centre as a profile."""
        out = []
        for i, m in enumerate(ms):
            x = [Fraction(0)] * m
            idx = [a for a in self.supports[i] if a != self.refs[i]]
            for a, c in zip(idx, self.center[i]):
                x[a] = c
            x[self.refs[i]] = 1 - sum(self.center[i], Fraction(0))
            out.append(tuple(x))
        return tuple(out)


@dataclass(frozen=True)
class RegionProof:
    """A proved region: the value of its unique maximiser lies in ``[lo, hi]``."""

    region: Region
    lo: Fraction
    hi: Fraction
    supports: tuple[tuple[int, ...], ...]
    point: tuple[tuple[Fraction, ...], ...]

    @property
    def exact(self) -> bool:
        """True when the maximiser is the (rational) centre itself: a pure profile, or radius 0."""
        return self.lo == self.hi


def prove_region(k: int, reg: Region, st: Setup, prec: int, checks: list) -> RegionProof:
    """Prove region ``k`` from scratch (see the module docstring) or raise :class:`Reject`."""
    nf = len(st.ms)
    supports, refs, lower, center, radius = reg.supports, reg.refs, reg.lower, reg.center, reg.radius
    if not (len(supports) == len(refs) == len(lower) == len(center) == nf) or radius < 0:
        raise Reject(f"region {k}: one support, reference, lower bound and centre per orbit expected")
    for i, m in enumerate(st.ms):
        S = supports[i]
        if sorted(set(S)) != S or not S or not all(0 <= a < m for a in S) or refs[i] not in S:
            raise Reject(f"region {k}: bad support {S} / reference {refs[i]} for orbit {i + 1}")
        if len(lower[i]) != m or len(center[i]) != len(S) - 1:
            raise Reject(f"region {k}: malformed lower bounds / centre for orbit {i + 1}")
        if any(v < 0 for v in lower[i]) or sum(lower[i]) >= 1 or any(lower[i][j] != 0 for j in range(m) if j not in S):
            raise Reject(f"region {k}: lower bounds must be >= 0, zero off the support, and sum below 1")
    pairs = [(i, a) for i in range(nf) for a in supports[i] if a != refs[i]]
    zc_q = [c for i in range(nf) for c in center[i]]
    # (1) off-support reduced gradients strictly negative on the region
    n_off = 0
    for i, m in enumerate(st.ms):
        for j in range(m):
            if j in supports[i]:
                continue
            hi = st.range_max(st.reduced(st.f, i, j, refs[i]), lower)
            if not hi < 0:
                raise Reject(f"region {k}: reduced gradient of {st.actions[i][j]} (orbit {i + 1}) is not proved negative "
                             f"(Bernstein max {hi})")
            n_off += 1
    # (2) the Krawczyk box inside the region, probabilities positive
    for i in range(nf):
        idx = [a for a in supports[i] if a != refs[i]]
        xref_lo = 1 - sum(center[i]) - len(idx) * radius
        if any(c - radius < lower[i][a] for a, c in zip(idx, center[i])) or xref_lo < lower[i][refs[i]]:
            raise Reject(f"region {k}: the Krawczyk box is not inside the region")
        if any(c - radius <= 0 for c in center[i]) or xref_lo <= 0:
            raise Reject(f"region {k}: an on-support probability is not proved positive")
    point = reg.point(st.ms)
    sup_t = tuple(tuple(S) for S in supports)
    if not pairs:
        v = st.pure_value(refs)
        checks.append(f"region {k}: pure profile {[st.actions[i][r] for i, r in enumerate(refs)]}, "
                      f"{n_off} off-support reduced gradients negative")
        return RegionProof(reg, v, v, sup_t, point)
    # (3) reduced Hessian on the support face: every tensor Bernstein coefficient matrix negative definite
    n_mat = _hessian_negative_definite(st, pairs, refs, lower, supports)
    if not n_mat:
        raise Reject(f"region {k}: reduced Hessian on the support face not proved negative definite")
    red = {p: st.reduced(st.f, p[0], p[1], refs[p[0]]) for p in pairs}
    kk = len(pairs)
    hforms = [[st.reduced(red[p], r[0], r[1], refs[r[0]]) for r in pairs] for p in pairs]
    # (4) Krawczyk on the combined reduced coordinates, (5) the value enclosure (mean-value form)
    old = flint.ctx.prec
    flint.ctx.prec = prec
    try:
        def embed(z: list) -> list:
            x = [arb(0)] * st.M
            tot = [arb(0)] * nf
            for (i, a), v in zip(pairs, z):
                x[st.var(i, a)] = v
                tot[i] = tot[i] + v
            for i, r in enumerate(refs):
                x[st.var(i, r)] = 1 - tot[i]
            return x

        zc = [arb(q(c)) for c in zc_q]
        zb = [ball(c, radius) for c in zc_q]
        xc, xb = embed(zc), embed(zb)
        flat = [hforms[u][w] for u in range(kk) for w in range(kk)]
        at_c = at_arb_many([red[p] for p in pairs] + flat + [st.f], xc)
        at_b = at_arb_many(flat + [red[p] for p in pairs], xb)
        g = at_c[:kk]
        jb = arb_mat([[at_b[u * kk + w] for w in range(kk)] for u in range(kk)])
        jc = arb_mat([[arb(at_c[kk + u * kk + w].mid()) for w in range(kk)] for u in range(kk)])
        try:
            y = jc.inv()
        except ZeroDivisionError:
            raise Reject(f"region {k}: singular Jacobian at the Krawczyk centre") from None
        y = arb_mat([[arb(y[u, w].mid()) for w in range(kk)] for u in range(kk)])
        eye = arb_mat([[arb(int(u == w)) for w in range(kk)] for u in range(kk)])
        img = y * arb_mat([[v] for v in g])
        corr = (eye - y * jb) * arb_mat([[zb[u] - zc[u]] for u in range(kk)])
        for u in range(kk):
            lo, hi = bounds(zc[u] - img[u, 0] + corr[u, 0])
            if not (zc_q[u] - radius < lo and hi < zc_q[u] + radius):
                raise Reject(f"region {k}: Krawczyk test fails in coordinate {st.actions[pairs[u][0]][pairs[u][1]]} "
                             f"(orbit {pairs[u][0] + 1})")
        val = at_c[-1]
        for u in range(kk):
            val = val + at_b[kk * kk + u] * (zb[u] - zc[u])
        vlo, vhi = bounds(val)
    finally:
        flint.ctx.prec = old
    checks.append(f"region {k}: supports {[[st.actions[i][a] for a in S] for i, S in enumerate(supports)]}, Krawczyk box "
                  f"radius {float(radius):.1e} proved, {n_mat} Hessian coefficient matrices negative definite, "
                  f"{n_off} off-support gradients negative")
    return RegionProof(reg, vlo, vhi, sup_t, point)


def prove_vertex_region(k: int, choice: list[int], rho: Fraction, st: Setup, checks: list) -> RegionProof:
    """The corner ``prod_i {x^(i)_(choice_i) >= 1 - rho}`` of a pure profile where first-order conditions may be degenerate.

    With ``g = f - f(vertex)`` in the reduced coordinates ``y >= 0`` (every
    non-chosen action of every orbit), Taylor's formula with integral remainder
    gives ``g(y) = grad g(0) . y + y^T [int_0^1 (1 - t) Hess g(t y) dt] y``.  So
    if every reduced gradient at the vertex is exactly <= 0 and the reduced
    Hessian is negative definite on the whole corner (each tensor Bernstein
    coefficient matrix, exact LDL^T), then ``g < 0`` on the corner except at
    the vertex: the vertex is the unique maximiser of the corner, even when
    some reduced gradient is exactly zero (the case the strict region test of
    :func:`prove_region` cannot decide).
    """
    nf = len(st.ms)
    if not 0 < rho < 1:
        raise Reject(f"vertex region {k}: half-width {rho} outside (0, 1)")
    lower = [[(1 - rho) if a == choice[i] else Fraction(0) for a in range(m)] for i, m in enumerate(st.ms)]
    pairs = [(i, a) for i in range(nf) for a in range(st.ms[i]) if a != choice[i]]
    vertex = [Fraction(0)] * st.M
    for i, a in enumerate(choice):
        vertex[st.var(i, a)] = Fraction(1)
    vq = [fmpq(v.numerator, v.denominator) for v in vertex]
    red = {p: st.reduced(st.f, p[0], p[1], choice[p[0]]) for p in pairs}
    for p, g in red.items():
        if not g.is_zero() and g(*vq) > 0:
            raise Reject(f"vertex region {k}: the reduced gradient toward {st.actions[p[0]][p[1]]} is positive at the vertex")
    full = [list(range(m)) for m in st.ms]
    if not _hessian_negative_definite(st, pairs, list(choice), lower, full):
        raise Reject(f"vertex region {k}: the reduced Hessian is not proved negative definite on the corner")
    v = st.pure_value(choice)
    point = tuple(tuple(Fraction(int(a == choice[i])) for a in range(m)) for i, m in enumerate(st.ms))
    reg = Region([[c] for c in choice], list(choice), lower, [[] for _ in choice], Fraction(0))
    checks.append(f"vertex region {k}: pure profile {[st.actions[i][a] for i, a in enumerate(choice)]} is the unique maximiser "
                  f"of its corner of half-width {rho} (reduced gradients <= 0, reduced Hessian negative definite there)")
    return RegionProof(reg, v, v, tuple((c,) for c in choice), point)


def _hessian_negative_definite(st: Setup, pairs: list, refs: list[int], lower: list[list[Fraction]],
                               active: list[list[int]]) -> int:
    """How many tensor Bernstein coefficient matrices of the reduced Hessian (``pairs``) on ``{x >= lower}``, restricted
    to the ``active`` actions, were checked negative definite (exact LDL^T); 0 when one is not.

    The Hessian there is a convex combination of those matrices, so it is negative definite on that whole set.
    """
    nf = len(st.ms)
    red = {p: st.reduced(st.f, p[0], p[1], refs[p[0]]) for p in pairs}
    kk = len(pairs)
    hforms = [[st.reduced(red[p], r[0], r[1], refs[r[0]]) for r in pairs] for p in pairs]
    comps = {}
    for u in range(kk):
        for w in range(u, kk):
            comp = st.corner(hforms[u][w], lower, active)
            if not comp.is_zero():
                comps[(u, w)] = comp
    if not comps:
        return 0
    degs = [max(st.degrees(c)[i] for c in comps.values()) for i in range(nf)]
    gens = st.ctx.gens()
    coefs = {}
    for (u, w), comp in comps.items():
        own = st.degrees(comp)
        for i in range(nf):
            if degs[i] > own[i]:
                tot = st.ctx.from_dict({})
                for a in active[i]:
                    tot = tot + gens[st.var(i, a)]
                comp = comp * tot ** (degs[i] - own[i])
        coefs[(u, w)] = st.bernstein(comp, active)
    keys = itertools.product(*(count_keys(d, len(A)) for d, A in zip(degs, active)))
    if kk == 1:  # a 1x1 matrix is negative definite iff its one entry is negative (an absent key is 0)
        cf = coefs.get((0, 0), {})
        n_keys = math.prod(math.comb(d + len(A) - 1, d) for d, A in zip(degs, active))
        return n_keys if len(cf) == n_keys and all(v < 0 for v in cf.values()) else 0
    n_mat = 0
    for key in keys:
        mat = [[fmpq(0)] * kk for _ in range(kk)]
        for (u, w), cf in coefs.items():
            v = cf.get(key)
            if v is not None:
                mat[u][w] = mat[w][u] = -v
        if not positive_definite(mat):
            return 0
        n_mat += 1
    return n_mat


def prove_point_region(k: int, pt: list[list], rho: Fraction, st: Setup, checks: list) -> RegionProof:
    """A region around an exact claimed maximiser ``x*`` where its first-order conditions may be degenerate.

    Per orbit, with ``ref`` an action of the support and ``r_a`` the reduced
    gradient at ``x*`` (exact): ``r_a = 0`` on the support, ``r_a <= 0`` off it.
    Let F be the support plus the actions with ``r_a = 0``.  On the region
    ``{x >= lower}`` (lower = ``x* - rho`` on the support, 0 elsewhere): every
    reduced gradient off F is proved negative (moving that mass to ``ref``
    gains), and the reduced Hessian over F is negative definite.  By Taylor's
    formula with integral remainder along the segment from ``x*`` (inside the
    convex region), ``f(y) < f(x*)`` for every other ``y`` of the region's part
    on F: ``x*`` is the unique maximiser of the region, its value exact.
    """
    from proofs_check.checker.numbers import bounds as _bounds
    from proofs_check.checker.polynomial import evaluate

    nf = len(st.ms)
    flat = [x for xs in pt for x in xs]
    one = next((x for x in flat if not isinstance(x, fmpq)), None)
    one = one * 0 + 1 if one is not None else fmpq(1)
    sups = [[a for a, x in enumerate(xs) if x != 0] for xs in pt]

    def lo_of(x) -> Fraction:
        if isinstance(x, fmpq):
            return frac(x)
        return _bounds(x.ball(256))[0]

    refs = [max(S, key=lambda a, i=i: lo_of(pt[i][a])) for i, S in enumerate(sups)]
    faces, lower = [], []
    for i, m in enumerate(st.ms):
        F = list(sups[i])
        for a in range(m):
            if a == refs[i]:
                continue
            g = st.reduced(st.f, i, a, refs[i])
            r = evaluate(g, flat, one) if not g.is_zero() else one * 0
            sgn = r.sign() if hasattr(r, "sign") else (r > 0) - (r < 0)
            if a in sups[i] and sgn != 0:
                raise Reject(f"point region {k}: the reduced gradient in {st.actions[i][a]} is not zero on the support")
            if sgn > 0:
                raise Reject(f"point region {k}: the reduced gradient toward {st.actions[i][a]} is positive")
            if sgn == 0 and a not in F:
                F.append(a)
        faces.append(sorted(F))
        lower.append([max(Fraction(0), lo_of(pt[i][a]) - rho) if a in sups[i] else Fraction(0) for a in range(m)])
        if lower[i][refs[i]] <= 0 or sum(lower[i]) >= 1:
            raise Reject(f"point region {k}: half-width {rho} too large")
    for i, m in enumerate(st.ms):
        for j in range(m):
            if j not in faces[i] and not st.range_max(st.reduced(st.f, i, j, refs[i]), lower) < 0:
                raise Reject(f"point region {k}: reduced gradient of {st.actions[i][j]} not proved negative on the region")
    pairs = [(i, a) for i in range(nf) for a in faces[i] if a != refs[i]]
    if pairs and not _hessian_negative_definite(st, pairs, refs, lower, faces):
        raise Reject(f"point region {k}: the reduced Hessian over the face is not proved negative definite")
    value = evaluate(st.f, flat, one) if not st.f.is_zero() else one * 0
    vlo, vhi = (frac(value), frac(value)) if isinstance(value, fmpq) else _bounds(value.ball(256))
    reg = Region(faces, refs, lower, [[] for _ in faces], Fraction(0))
    checks.append(f"point region {k}: the claimed maximiser is the unique maximiser of its region of half-width {rho} "
                  "(exact degenerate first-order conditions, reduced Hessian negative definite over the face)")
    return RegionProof(reg, vlo, vhi, tuple(tuple(S) for S in sups), tuple(tuple(x for x in xs) for xs in pt))


MAX_SYMMETRIES = 40320


def tie_by_symmetry(reg_k: Region, reg_w: Region, st: Setup) -> tuple | None:
    """A variable permutation T with f o T = f mapping each region's Krawczyk box into the other region.

    T sends orbit i to orbit ``sigma(i)`` (same size and number of actions) and its action a to
    ``pi_i(a)``: ``(T x)^(sigma(i))_(pi_i(a)) = x^(i)_a``.  Then ``T x_k*`` lies in region w, so
    ``v_k = f(T x_k*) <= max over region w = v_w``, and symmetrically ``v_w <= v_k``: the two maxima
    are equal, exactly.  Tried only while there are at most ``MAX_SYMMETRIES`` candidates.
    """
    nf = len(st.ms)
    sigmas = [sg for sg in itertools.permutations(range(nf))
              if all(st.sizes[sg[i]] == st.sizes[i] and st.ms[sg[i]] == st.ms[i] for i in range(nf))]
    if len(sigmas) * math.prod(math.factorial(m) for m in st.ms) > MAX_SYMMETRIES:
        return None
    bk, bw = reg_k.box_min(st.ms), reg_w.box_min(st.ms)
    lk, lw = reg_k.lower, reg_w.lower
    terms = dict(st.f.terms())
    for sg in sigmas:
        for pis in itertools.product(*(itertools.permutations(range(m)) for m in st.ms)):
            if sg == tuple(range(nf)) and all(pi == tuple(range(len(pi))) for pi in pis):
                continue
            if not all(bk[i][a] >= lw[sg[i]][pis[i][a]] and bw[sg[i]][pis[i][a]] >= lk[i][a]
                       for i in range(nf) for a in range(st.ms[i])):
                continue
            dest = [st.var(sg[i], pis[i][a]) for i in range(nf) for a in range(st.ms[i])]
            moved = {}
            for e, c in terms.items():
                e2 = [0] * st.M
                for v in range(st.M):
                    e2[v] = e[dest[v]]
                moved[tuple(e2)] = c
            if moved == terms:
                return sg, pis
    return None


