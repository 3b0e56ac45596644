"""Independent checker for certificates of the product-of-simplices branch and bound ("bnb-product-v1").

Like :mod:`proofs_check.checker`, this module imports only
:mod:`exactgames.model` and python-flint (and the small helpers of
:mod:`proofs_check.checker`), never ``exactgames.optimize`` or
``exactgames.certify``.  Everything is recomputed from the game:

* the EU of P-invariant profiles as a python-flint ``fmpq_mpoly`` in the
  concatenated variables ``(x^(1), ..., x^(k))``, built directly from the
  payoff table (one monomial ``prod_p x^(orbit(p))_{a_p}`` per pure profile;
  not from ``count_coefficients``); its derivatives by ``fmpq_mpoly.derivative``;
* the subdivision: the recorded tree (tokens ``[factor, p, q]``, ``["p", bound]``,
  ``["w", value]``, ``["r", region]``) is replayed from the product of standard simplices with a
  blossom formula for bisecting one factor's edge (``N'_c = 2^(n_i - k)
  sum_l C(k, l) N_d``, integer numerators; different code from the
  optimiser's de Casteljau rounds); the tree must be consumed exactly, every
  pruned leaf's largest tensor Bernstein coefficient must be strictly below
  the threshold and equal to the recorded bound, every weakly pruned leaf's
  at most the certificate's ``attained`` value (re-evaluated exactly at its
  rational profile), every other leaf must lie in its named region;
* each region ``prod_i {x^(i) >= lower^(i)}``: off-support reduced gradients
  strictly negative (tensor Bernstein coefficients on the product of corner
  simplices), every tensor Bernstein coefficient matrix of the reduced Hessian
  on the support face negative definite (entries degree-elevated after the
  corner substitution; exact LDL^T), Krawczyk's operator on the combined
  reduced coordinates mapping the box strictly into itself (``arb``), the box
  inside the region with positive on-support probabilities, and the value
  enclosure recomputed by the mean-value form;
* the threshold is at most the winner's lower end, the winner beats every
  other region or ties it exactly (equal rational values, or an EU-preserving
  permutation of orbits and actions mapping each region's Krawczyk box into
  the other region; other irrational ties are refused), and the claimed value
  interval, orbits and support per orbit agree with the recomputed ones;
* ``"winner": None`` means the maximum is the attained value: the claimed
  strategies must attain it exactly, the recorded ``maximiser_faces`` must be
  the faces of the weakly pruned cells where every coefficient equals it
  (recomputed here), and the result must report them (a ``"continuum ..."``
  tie for a positive-dimensional face, a tie for every other maximiser point).

Examples
--------
>>> from exactgames.paper_games import robot_butlers
>>> from exactgames.optimize.bnb_product import certified_optimum_product
>>> g = robot_butlers()
>>> check_product_certificate(g, certified_optimum_product(g, [[0, 2], [1, 3]])).ok
True
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any

import flint
from flint import arb, arb_mat, fmpq

from exactgames.model.game import AnonymousGame, Game
from proofs_check.checker_base import _F, CheckReport, _ball, _bounds, _frac, _multi, _posdef, _q, _Reject

__all__ = ["check_product_certificate", "KIND"]

KIND = "bnb-product-v1"


def _count_keys(n: int, m: int) -> list[tuple[int, ...]]:
    out = []
    for combo in itertools.combinations_with_replacement(range(m), n):
        c = [0] * m
        for a in combo:
            c[a] += 1
        out.append(tuple(c))
    return out


# --------------------------------------------------------------------------- the polynomial from the payoffs
class _Setup:
    def __init__(self, game: Any, orbits: list[list[int]]) -> None:
        n = game.n_players
        if sorted(p for o in orbits for p in o) != list(range(n)) or any(not o for o in orbits):
            raise _Reject(f"orbits {orbits} do not partition the {n} players")
        if len(orbits) < 2:
            raise _Reject("a product certificate needs at least two orbits")
        if not game.is_rational:
            raise _Reject("the game has non-rational payoffs")
        if isinstance(game, Game):
            if not game.is_common_payoff:
                raise _Reject("the game is not common-payoff")
            acts = game.actions
        elif isinstance(game, AnonymousGame):
            acts = game.player_actions
        else:
            raise _Reject(f"unsupported game type {type(game).__name__}")
        for o in orbits:
            if any(tuple(acts[p]) != tuple(acts[o[0]]) for p in o):
                raise _Reject(f"players {o} share an orbit but not an action set")
        self.orbits = orbits
        self.sizes = [len(o) for o in orbits]
        self.ms = [len(acts[o[0]]) for o in orbits]
        self.actions = [tuple(acts[o[0]]) for o in orbits]
        self.off = [sum(self.ms[:i]) for i in range(len(orbits))]
        self.M = sum(self.ms)
        self.ctx = flint.fmpq_mpoly_ctx.get(("z", self.M), "lex")
        sums: dict = {}
        if isinstance(game, Game):
            owner = {p: i for i, o in enumerate(orbits) for p in o}
            row = game.fmpq_payoffs[0]
            for k, prof in enumerate(itertools.product(*(range(len(a)) for a in acts))):
                if row[k] == 0:
                    continue
                e = [0] * self.M
                for p, a in enumerate(prof):
                    e[self.off[owner[p]] + a] += 1
                e = tuple(e)
                sums[e] = sums.get(e, fmpq(0)) + row[k]
        else:
            table = game.fmpq_payoff
            for key in itertools.product(*(_count_keys(n_, m) for n_, m in zip(self.sizes, self.ms))):
                total = tuple(sum(c[a] for c in key) for a in range(self.ms[0]))
                v = table[total] * math.prod(_multi(c) for c in key)
                if v != 0:
                    sums[tuple(itertools.chain.from_iterable(key))] = v
        self.f = self.ctx.from_dict({e: v for e, v in sums.items() if v != 0})

    def var(self, i: int, a: int) -> int:
        return self.off[i] + a

    def split_key(self, e: tuple[int, ...], active: list[list[int]]) -> tuple[tuple[int, ...], ...]:
        return tuple(tuple(e[self.off[i] + a] for a in active[i]) for i in range(len(self.ms)))

    def corner(self, p: Any, lower: list[list[Fraction]], active: list[list[int]]) -> Any:
        """p composed with the product corner-simplex substitution (x_a = lower_a * sum(active lambda) + s lambda_a)."""
        gens = self.ctx.gens()
        zero = self.ctx.from_dict({})
        subs = []
        for i, m in enumerate(self.ms):
            tot = zero
            for a in active[i]:
                tot = tot + gens[self.off[i] + a]
            s = 1 - sum(lower[i])
            for a in range(m):
                subs.append(tot * _q(lower[i][a]) + gens[self.off[i] + a] * _q(s) if a in active[i] else zero)
        return p.compose(*subs)

    def degrees(self, p: Any) -> list[int]:
        e = next(iter(p.terms()))[0]
        return [sum(e[self.off[i]:self.off[i] + m]) for i, m in enumerate(self.ms)]

    def bernstein(self, comp: Any, active: list[list[int]]) -> dict:
        """Tensor Bernstein coefficients of a composed multi-homogeneous polynomial (absent keys are 0)."""
        out = {}
        for e, c in comp.terms():
            key = self.split_key(e, active)
            out[key] = c / math.prod(_multi(k) for k in key)
        return out

    def range_max(self, p: Any, lower: list[list[Fraction]]) -> fmpq:
        """Largest tensor Bernstein coefficient of p on the product of corner simplices (all actions active)."""
        if p.is_zero():
            return fmpq(0)
        active = [list(range(m)) for m in self.ms]
        coefs = self.bernstein(self.corner(p, lower, active), active)
        deg = self.degrees(p)
        full = math.prod(math.comb(d + m - 1, m - 1) for d, m in zip(deg, self.ms))
        vals = list(coefs.values())
        if len(vals) < full:
            vals.append(fmpq(0))
        return max(vals)


def _at(p: Any, x: list) -> arb:
    s = arb(0)
    for e, c in p.terms():
        t = arb(c)
        for v, k in enumerate(e):
            if k:
                t = t * x[v] ** k
        s = s + t
    return s


# --------------------------------------------------------------------------- subdivision replay
def _level_faces(coef: list, keys: list, target: int, verts: list, st: _Setup) -> list:
    """Maximal faces of a cell on which every tensor Bernstein coefficient supported there equals ``target``.

    Faces are products of vertex subsets, one per factor, returned as exact vertex coordinates
    (per factor, a sorted tuple of vertices).  Straightforward enumeration, independent of the optimiser's.
    """
    eq = [c == target for c in coef]
    if not any(eq):
        return []
    nf = len(st.ms)
    subsets = [[sub for size in range(m, 0, -1) for sub in itertools.combinations(range(m), size)] for m in st.ms]
    combos = sorted(itertools.product(*subsets), key=lambda fc: -sum(len(f) for f in fc))
    found: list = []
    for fc in combos:
        if any(all(set(a) <= set(b) for a, b in zip(fc, f)) for f in found):
            continue
        if all(eq[j] for j, key in enumerate(keys)
               if all(key[i][a] == 0 for i in range(nf) for a in range(st.ms[i]) if a not in fc[i])):
            found.append(fc)
    return [tuple(tuple(sorted(verts[i][p] for p in f[i])) for i in range(nf)) for f in found]


def _replay(
    tree: list, st: _Setup, threshold: Fraction, lowers: list, checks: list, attained: Fraction | None = None,
    level: list | None = None,
) -> None:
    factors = [_count_keys(n, m) for n, m in zip(st.sizes, st.ms)]
    keys = list(itertools.product(*factors))
    pos = {k: j for j, k in enumerate(keys)}
    root = []
    bern = {}
    for e, c in st.f.terms():
        key = st.split_key(e, [list(range(m)) for m in st.ms])
        bern[key] = c / math.prod(_multi(k) for k in key)
    den = 1
    for v in bern.values():
        den = den * int(v.q) // math.gcd(den, int(v.q))
    for k in keys:
        v = bern.get(k, fmpq(0)) * den
        root.append(int(v.p))
    plans: dict = {}

    def plan(i: int, p: int, q: int) -> list:
        if (i, p, q) not in plans:
            n = st.sizes[i]
            out = []
            for key in keys:
                c = key[i]
                k = c[q]
                src = []
                for l_ in range(k + 1):
                    d = list(c)
                    d[q] = l_
                    d[p] = c[p] + k - l_
                    src.append((pos[key[:i] + (tuple(d),) + key[i + 1:]], math.comb(k, l_)))
                out.append((2 ** (n - k), src))
            plans[(i, p, q)] = out
        return plans[(i, p, q)]

    def bisect(coef: list, i: int, keep: int, move: int) -> list:
        return [sc * sum(coef[j] * b for j, b in src) for sc, src in plan(i, keep, move)]

    root_verts = [[tuple(Fraction(int(a == b)) for b in range(m)) for a in range(m)] for m in st.ms]
    stack = [(root, 0, root_verts)]
    at = 0
    n_pruned = n_region = n_weak = 0
    tn, td = threshold.numerator, threshold.denominator
    while stack:
        coef, e, verts = stack.pop()
        if at >= len(tree):
            raise _Reject("subdivision tree ends early: some cells are missing")
        tok = tree[at]
        at += 1
        if not isinstance(tok, list) or not tok:
            raise _Reject(f"bad tree token {tok!r}")
        if tok[0] == "p":
            top = max(coef)
            if not top * td < tn * den * 2**e:
                raise _Reject(f"pruned cell {at - 1}: largest Bernstein coefficient {Fraction(top, den * 2**e)} is not below the threshold")
            if len(tok) > 1 and _F(tok[1]) != Fraction(top, den * 2**e):
                raise _Reject(f"pruned cell {at - 1}: recorded bound {tok[1]} differs from the recomputed {Fraction(top, den * 2**e)}")
            n_pruned += 1
        elif tok[0] == "w":
            top = max(coef)
            if attained is None or not top * attained.denominator <= attained.numerator * den * 2**e:
                raise _Reject(f"weakly pruned cell {at - 1}: largest Bernstein coefficient {Fraction(top, den * 2**e)} is not at "
                              f"most the attained value {attained}")
            n_weak += 1
            if level is not None and top * attained.denominator == attained.numerator * den * 2**e:
                level.extend(_level_faces(coef, keys, attained.numerator * den * 2**e // attained.denominator, verts, st))
        elif tok[0] == "r":
            k = tok[1] if len(tok) == 2 else None
            if not isinstance(k, int) or not 0 <= k < len(lowers):
                raise _Reject(f"cell {at - 1} names region {k!r}, which does not exist")
            if not all(all(v[a] >= lowers[k][i][a] for a in range(len(v))) for i, vs in enumerate(verts) for v in vs):
                raise _Reject(f"cell {at - 1} is not inside region {k}")
            n_region += 1
        else:
            if len(tok) != 3 or not all(isinstance(t, int) and not isinstance(t, bool) for t in tok):
                raise _Reject(f"bad split token {tok!r}")
            i, p, q = tok
            if not 0 <= i < len(st.ms) or p == q or not (0 <= p < st.ms[i] and 0 <= q < st.ms[i]):
                raise _Reject(f"bad split token {tok!r}")
            vs = verts[i]
            mid = tuple((a + b) / 2 for a, b in zip(vs[p], vs[q]))
            va, vb = list(vs), list(vs)
            va[q] = mid
            vb[p] = mid
            left = [list(x) for x in verts]
            right = [list(x) for x in verts]
            left[i], right[i] = va, vb
            e2 = e + st.sizes[i]
            stack.append((bisect(coef, i, q, p), e2, right))
            stack.append((bisect(coef, i, p, q), e2, left))
    if at != len(tree):
        raise _Reject(f"subdivision tree has {len(tree) - at} unused tokens")
    checks.append(f"subdivision replayed: {n_pruned} cells pruned below the threshold, {n_region} inside certified regions"
                  + (f", {n_weak} at most the attained value {attained}" if n_weak else ""))


# --------------------------------------------------------------------------- attained values and ties
def _profile(st: _Setup, pt: Any, what: str) -> list[list[Fraction]]:
    """A profile (one mixed strategy per orbit) from strings; refused unless every strategy is a point of its simplex."""
    if not isinstance(pt, list) or len(pt) != len(st.ms):
        raise _Reject(f"{what} {pt!r} is not one strategy per orbit")
    out = []
    for i, xi in enumerate(pt):
        x = [_F(v) for v in xi]
        if len(x) != st.ms[i] or any(v < 0 for v in x) or sum(x) != 1:
            raise _Reject(f"{what}: {xi!r} is not a mixed strategy over the {st.ms[i]} actions of orbit {i + 1}")
        out.append(x)
    return out


def _exact_at(st: _Setup, pt: list[list[Fraction]]) -> Fraction:
    """f at a rational profile, exactly."""
    if st.f.is_zero():
        return Fraction(0)
    return _frac(st.f(*[_q(v) for x in pt for v in x]))


def _attained(cert: dict, st: _Setup, checks: list) -> Fraction | None:
    """The certificate's attained value, re-evaluated exactly at its rational profile (None when absent)."""
    att = cert.get("attained")
    if att is None:
        return None
    v = _F(att[0])
    got = _exact_at(st, _profile(st, att[1], "attained point"))
    if got != v:
        raise _Reject(f"attained value {v} differs from the EU {got} recomputed at its point")
    checks.append(f"attained value {v} recomputed exactly at its point")
    return v


def _claimed_profile(data: dict, st: _Setup) -> list[list[Fraction]] | None:
    """The result's claimed strategies as exact rationals (None when absent, malformed or irrational)."""
    claimed = data.get("strategies")
    if not isinstance(claimed, list) or len(claimed) != len(st.ms):
        return None
    try:
        return _profile(st, [[strat[a] for a in st.actions[i]] for i, strat in enumerate(claimed)], "claimed strategy")
    except (_Reject, KeyError, TypeError, ValueError, ZeroDivisionError):
        return None


def _box_min(reg: dict, ms: list[int]) -> list[list[Fraction]]:
    """Per orbit, the smallest value of each probability over a region's Krawczyk box."""
    out = []
    r = _F(reg["radius"])
    for i, m in enumerate(ms):
        S, ref = [int(a) for a in reg["supports"][i]], int(reg["refs"][i])
        idx = [a for a in S if a != ref]
        c = [_F(v) for v in reg["center"][i]]
        low = [Fraction(0)] * m
        for a, v in zip(idx, c):
            low[a] = v - r
        low[ref] = 1 - sum(c, Fraction(0)) - len(idx) * r
        out.append(low)
    return out


MAX_SYMMETRIES = 40320


def _tie_by_symmetry(reg_k: dict, reg_w: dict, st: _Setup) -> tuple | None:
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
    bk, bw = _box_min(reg_k, st.ms), _box_min(reg_w, st.ms)
    lk = [[_F(v) for v in lo] for lo in reg_k["lower"]]
    lw = [[_F(v) for v in lo] for lo in reg_w["lower"]]
    terms = dict(st.f.terms())
    for sg in sigmas:
        for pis in itertools.product(*(itertools.permutations(range(m)) for m in st.ms)):
            if sg == tuple(range(nf)) and all(pi == tuple(range(len(pi))) for pi in pis):
                continue
            if not all(bk[i][a] >= lw[sg[i]][pis[i][a]] and bw[sg[i]][pis[i][a]] >= lk[i][a]
                       for i in range(nf) for a in range(st.ms[i])):
                continue
            # f o T has the coefficient of x^e equal to f's coefficient of the permuted exponent
            dest = [st.var(sg[i], pis[i][a]) for i in range(nf) for a in range(st.ms[i])]
            moved = {}
            for e, c in terms.items():
                e2 = [0] * st.M
                for v, k in enumerate(e):
                    e2[v] = e[dest[v]]
                moved[tuple(e2)] = c
            if moved == terms:
                return sg, pis
    return None


# --------------------------------------------------------------------------- regions
def _check_region(k: int, reg: dict, st: _Setup, prec: int, checks: list) -> tuple:
    nf = len(st.ms)
    supports = [[int(a) for a in S] for S in reg["supports"]]
    refs = [int(r) for r in reg["refs"]]
    lower = [[_F(v) for v in lo] for lo in reg["lower"]]
    center = [[_F(v) for v in c] for c in reg["center"]]
    radius = _F(reg["radius"])
    if not (len(supports) == len(refs) == len(lower) == len(center) == nf) or radius < 0:
        raise _Reject(f"region {k}: one support, reference, lower bound and centre per orbit expected")
    for i, m in enumerate(st.ms):
        S = supports[i]
        if sorted(set(S)) != S or not S or not all(0 <= a < m for a in S) or refs[i] not in S:
            raise _Reject(f"region {k}: bad support {S} / reference {refs[i]} for orbit {i}")
        if len(lower[i]) != m or len(center[i]) != len(S) - 1:
            raise _Reject(f"region {k}: malformed lower bounds / centre for orbit {i}")
        if any(v < 0 for v in lower[i]) or sum(lower[i]) >= 1 or any(lower[i][j] != 0 for j in range(m) if j not in S):
            raise _Reject(f"region {k}: lower bounds must be >= 0, zero off the support, and sum below 1")
    pairs = [(i, a) for i in range(nf) for a in supports[i] if a != refs[i]]
    zc_q = [c for i in range(nf) for c in center[i]]
    # (1) off-support reduced gradients strictly negative on the region
    n_off = 0
    for i, m in enumerate(st.ms):
        for j in range(m):
            if j in supports[i]:
                continue
            g = st.f.derivative(st.var(i, j)) - st.f.derivative(st.var(i, refs[i]))
            hi = st.range_max(g, lower)
            if not hi < 0:
                raise _Reject(f"region {k}: reduced gradient of orbit {i} action {j} is not proved negative (Bernstein max {hi})")
            n_off += 1
    # (2) the Krawczyk box inside the region, probabilities positive
    for i in range(nf):
        idx = [a for a in supports[i] if a != refs[i]]
        xref_lo = 1 - sum(center[i]) - len(idx) * radius
        if any(c - radius < lower[i][a] for a, c in zip(idx, center[i])) or xref_lo < lower[i][refs[i]]:
            raise _Reject(f"region {k}: the Krawczyk box is not inside the region")
        if any(c - radius <= 0 for c in center[i]) or xref_lo <= 0:
            raise _Reject(f"region {k}: an on-support probability is not proved positive")
    point = []
    for i, m in enumerate(st.ms):
        x = [Fraction(0)] * m
        idx = [a for a in supports[i] if a != refs[i]]
        for a, c in zip(idx, center[i]):
            x[a] = c
        x[refs[i]] = 1 - sum(center[i])
        point.append(tuple(x))
    if not pairs:
        e = [0] * st.M
        for i, r in enumerate(refs):
            e[st.var(i, r)] = st.sizes[i]
        v = _frac(st.f[tuple(e)])
        checks.append(f"region {k}: pure profile {refs}, {n_off} off-support reduced gradients negative")
        return v, v, [tuple(S) for S in supports], point
    # (3) reduced Hessian on the support face: every tensor Bernstein coefficient matrix negative definite
    red = {p: st.f.derivative(st.var(*p)) - st.f.derivative(st.var(p[0], refs[p[0]])) for p in pairs}
    kk = len(pairs)
    hforms = [[red[p].derivative(st.var(*q)) - red[p].derivative(st.var(q[0], refs[q[0]])) for q in pairs] for p in pairs]
    comps = {}
    for u in range(kk):
        for w in range(u, kk):
            comp = st.corner(hforms[u][w], lower, supports)
            if not comp.is_zero():
                comps[(u, w)] = comp
    if not comps:
        raise _Reject(f"region {k}: the reduced Hessian vanishes on the support face")
    degs = [max(st.degrees(c)[i] for c in comps.values()) for i in range(nf)]
    gens = st.ctx.gens()
    coefs = {}
    for (u, w), comp in comps.items():
        own = st.degrees(comp)
        for i in range(nf):
            if degs[i] > own[i]:
                tot = st.ctx.from_dict({})
                for a in supports[i]:
                    tot = tot + gens[st.var(i, a)]
                comp = comp * tot ** (degs[i] - own[i])
        coefs[(u, w)] = st.bernstein(comp, supports)
    n_mat = 0
    for key in itertools.product(*(_count_keys(d, len(S)) for d, S in zip(degs, supports))):
        mat = [[Fraction(0)] * kk for _ in range(kk)]
        for (u, w), cf in coefs.items():
            v = cf.get(key)
            if v is not None:
                mat[u][w] = mat[w][u] = -_frac(v)
        if not _posdef(mat):
            raise _Reject(f"region {k}: reduced Hessian on the support face not proved negative definite")
        n_mat += 1
    # (4) Krawczyk on the combined reduced coordinates, (5) value enclosure
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

        zc = [arb(_q(c)) for c in zc_q]
        zb = [_ball(c, radius) for c in zc_q]
        xc, xb = embed(zc), embed(zb)
        g = [_at(red[p], xc) for p in pairs]
        jb = arb_mat([[_at(hforms[u][w], xb) for w in range(kk)] for u in range(kk)])
        jc = arb_mat([[arb(_at(hforms[u][w], xc).mid()) for w in range(kk)] for u in range(kk)])
        try:
            y = jc.inv()
        except ZeroDivisionError:
            raise _Reject(f"region {k}: singular Jacobian at the Krawczyk centre") from None
        y = arb_mat([[arb(y[u, w].mid()) for w in range(kk)] for u in range(kk)])
        eye = arb_mat([[arb(int(u == w)) for w in range(kk)] for u in range(kk)])
        img = y * arb_mat([[v] for v in g])
        corr = (eye - y * jb) * arb_mat([[zb[u] - zc[u]] for u in range(kk)])
        for u in range(kk):
            lo, hi = _bounds(zc[u] - img[u, 0] + corr[u, 0])
            if not (zc_q[u] - radius < lo and hi < zc_q[u] + radius):
                raise _Reject(f"region {k}: Krawczyk test fails in coordinate {pairs[u]}")
        val = _at(st.f, xc)
        for u, p in enumerate(pairs):
            val = val + _at(red[p], xb) * (zb[u] - zc[u])
        vlo, vhi = _bounds(val)
    finally:
        flint.ctx.prec = old
    checks.append(f"region {k}: supports {supports}, Krawczyk box radius {float(radius):.1e} proved, "
                  f"{n_mat} Hessian coefficient matrices negative definite, {n_off} off-support gradients negative")
    return vlo, vhi, [tuple(S) for S in supports], point


# --------------------------------------------------------------------------- exact claims
def _exact_claim(data: dict, st: _Setup, reg: dict, rec: tuple, checks: list) -> Fraction | None:
    """The exact value at claimed rational strategies, when they are the winner region's maximiser (else None).

    An answer refined by exact KKT (``optimize``) may claim a value interval
    narrower than the certificate's enclosure.  When its strategies are
    rational, lie in the winner's Krawczyk box (on its supports) and zero
    every on-support reduced gradient exactly, they are the unique maximiser
    of the region, so the maximum is f there, evaluated exactly.
    """
    claimed = data.get("strategies")
    if not isinstance(claimed, list) or len(claimed) != len(st.ms):
        return None
    try:
        pts = [[Fraction(str(strat[a])) for a in st.actions[i]] for i, strat in enumerate(claimed)]
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None  # irrational or malformed: not decided here
    supports, refs, radius = rec[2], [int(r) for r in reg["refs"]], _F(reg["radius"])
    center = [[_F(v) for v in c] for c in reg["center"]]
    for i, x in enumerate(pts):
        if sum(x) != 1 or any(x[a] != 0 for a in range(st.ms[i]) if a not in supports[i]):
            return None
        idx = [a for a in supports[i] if a != refs[i]]
        if any(abs(x[a] - c) > radius for a, c in zip(idx, center[i])):
            return None
    vals = [_q(v) for x in pts for v in x]
    for i in range(len(st.ms)):
        for a in supports[i]:
            if a != refs[i]:
                g = st.f.derivative(st.var(i, a)) - st.f.derivative(st.var(i, refs[i]))
                if g(*vals) != 0:
                    return None
    v = _frac(st.f(*vals))
    checks.append(f"claimed rational strategies lie in the winner's Krawczyk box with zero reduced gradient: exact value {v}")
    return v


def _check_maximiser_set(data: dict, cert: dict, st: _Setup, regions: list, ties: set, level: set, checks: list) -> None:
    """The maximiser set (attained maximum): recorded faces equal the recomputed ones, and the result reports them.

    The maximisers are exactly the points of ``level`` (faces of weakly pruned cells where every
    coefficient equals the value) and the tied regions' maximisers.  A positive-dimensional face
    must be reported as a ``"continuum ..."`` tie, and every other maximiser point as a tie.
    """
    recorded = set()
    for f in cert.get("maximiser_faces", []):
        if not isinstance(f, list) or len(f) != len(st.ms):
            raise _Reject(f"malformed maximiser face {f!r}")
        recorded.add(tuple(tuple(sorted(tuple(_F(x) for x in vert) for vert in fi)) for fi in f))
    if recorded != level:
        raise _Reject(f"the recorded maximiser faces ({len(recorded)}) differ from the recomputed ones ({len(level)})")
    claimed = [str(t) for t in data.get("ties", [])]
    continua = [f for f in level if any(len(fi) > 1 for fi in f)]
    if continua and not any(t.startswith("continuum") for t in claimed):
        raise _Reject(f"the maximum is attained on {len(continua)} positive-dimensional faces, but no continuum is reported")
    points = {tuple(fi[0] for fi in f) for f in level if all(len(fi) == 1 for fi in f)}
    points |= {tuple(tuple(_F(x) for x in xi) for xi in _box_min(regions[k], st.ms)) for k in ties
               if 0 <= k < len(regions) and _F(regions[k]["radius"]) == 0}
    n_mixed = sum(1 for k in ties if 0 <= k < len(regions) and _F(regions[k]["radius"]) != 0)
    n_points = sum(1 for t in claimed if not t.startswith("continuum"))
    if n_points < len(points) + n_mixed - 1:
        raise _Reject(f"{len(points) + n_mixed} maximiser points, but only {n_points} other than the claimed one are reported")
    checks.append(f"maximiser set recomputed: {len(points) + n_mixed} points, {len(continua)} positive-dimensional faces; "
                  "all reported")


# --------------------------------------------------------------------------- entry point
def check_product_certificate(game: Any, result: Any) -> CheckReport:
    """Re-verify a product-of-simplices branch-and-bound result from scratch.

    Parameters
    ----------
    game : Game or AnonymousGame
        The game the certificate claims to be about.
    result : OptimumResult, or its ``to_json()`` dict
        Must carry a ``certificate`` of kind ``"bnb-product-v1"``.

    Returns
    -------
    CheckReport
        ``ok`` True only when every step re-verifies.

    Examples
    --------
    >>> from exactgames.model.game import Game
    >>> from exactgames.optimize.bnb_product import certified_optimum_product
    >>> g = Game.from_common([["a", "b"]] * 2, {("a", "b"): 2, ("b", "a"): 1, ("a", "a"): 1})
    >>> data = certified_optimum_product(g, [[0], [1]]).to_json()
    >>> check_product_certificate(g, data).ok
    True
    >>> data["certificate"]["tree"] = data["certificate"]["tree"][:-1]
    >>> check_product_certificate(g, data).errors
    ('subdivision tree ends early: some cells are missing',)
    """
    data = result.to_json() if hasattr(result, "to_json") else result
    checks: list[str] = []
    try:
        if not isinstance(data, dict) or "certificate" not in data:
            raise _Reject("no certificate in the result")
        if not data.get("complete", False):
            raise _Reject("the result is marked incomplete; nothing to check")
        cert = data["certificate"]
        if cert.get("kind") != KIND:
            raise _Reject(f"certificate kind {cert.get('kind')!r}, expected {KIND!r}")
        orbits = [[int(p) for p in o] for o in cert["orbits"]]
        st = _Setup(game, orbits)
        if cert.get("sizes") != st.sizes or cert.get("ms") != st.ms:
            raise _Reject(f"certificate is for orbit sizes {cert.get('sizes')} / actions {cert.get('ms')}; "
                          f"the game has {st.sizes} / {st.ms}")
        claimed_orbits = data.get("orbits")
        if claimed_orbits is not None and [sorted(int(p) - 1 for p in o) for o in claimed_orbits] != [sorted(o) for o in orbits]:
            raise _Reject(f"claimed orbits {claimed_orbits} differ from the certificate's (1-based) {[[p + 1 for p in o] for o in orbits]}")
        regions = cert.get("regions", [])
        if all(m == 1 for m in st.ms):
            v = _frac(st.f[tuple(st.sizes)])
            return CheckReport(True, (), ("one action per orbit: the value is its payoff",), (v, v))
        attained = _attained(cert, st, checks)
        if not regions and attained is None:
            raise _Reject("no certified region and no attained value")
        prec = int(cert.get("prec", 320))
        recomputed = [_check_region(k, r, st, prec, checks) for k, r in enumerate(regions)]
        lowers = [[[_F(v) for v in lo] for lo in r["lower"]] for r in regions]
        threshold = _F(cert["threshold"])
        win = cert.get("winner")
        if win is None:  # the maximum is the attained value, at a profile outside every region
            if attained is None:
                raise _Reject("no winner region and no attained value")
            wlo = whi = attained
            wsup = None
        elif not isinstance(win, int) or isinstance(win, bool) or not 0 <= win < len(regions):
            raise _Reject(f"bad winner index {win!r}")
        else:
            wlo, whi, wsup, _ = recomputed[win]
        if threshold > max(wlo, attained if attained is not None else wlo):
            raise _Reject(f"threshold {threshold} exceeds every proved lower bound of the maximum")
        if attained is not None and win is not None and attained > whi:
            raise _Reject(f"the attained value {attained} exceeds the winner's upper end {whi}")
        ties = cert.get("ties", [])
        if not isinstance(ties, list) or not all(isinstance(k, int) and not isinstance(k, bool) for k in ties):
            raise _Reject(f"bad ties {ties!r}")
        ties = set(ties)
        for k, (lo, hi, _, _) in enumerate(recomputed):
            if k == win or hi < wlo:
                continue
            if k in ties and lo == hi == wlo == whi:
                continue
            if k in ties and win is not None:
                found = _tie_by_symmetry(regions[k], regions[win], st)
                if found is not None:
                    sg, pis = found
                    checks.append(f"region {k} ties with the winner exactly: the permutation of orbits {sg} and of their "
                                  f"actions {pis} preserves the EU polynomial and maps each region's Krawczyk box into the other")
                    continue
            if k in ties:
                raise _Reject(f"region {k} is claimed to tie with the maximum; the checker re-derives only ties of rational "
                              "values and ties by an EU-preserving permutation of orbits and actions, and found neither")
            raise _Reject(f"region {k} (value in [{float(lo)}, {float(hi)}]) is not proved worse than the winner")
        level: list = []
        _replay(cert.get("tree", []), st, threshold, lowers, checks, attained, level)
        vi = data.get("value_interval")
        if vi is None:
            raise _Reject("no value_interval")
        clo, chi = _F(vi[0]), _F(vi[1])
        if win is None:
            if not clo <= wlo <= chi:
                raise _Reject(f"claimed value interval [{clo}, {chi}] does not contain the attained value {wlo}")
            strat = _claimed_profile(data, st)
            if strat is None or _exact_at(st, strat) != attained:
                raise _Reject(f"the claimed strategies do not attain the value {attained}")
            wsup = [tuple(a for a in range(m) if strat[i][a] != 0) for i, m in enumerate(st.ms)]
            checks.append(f"the claimed strategies attain {attained} exactly; no profile does better")
            _check_maximiser_set(data, cert, st, regions, ties, set(level), checks)
        elif not (clo <= wlo and whi <= chi):
            exact = _exact_claim(data, st, regions[win], recomputed[win], checks)
            if exact is None or not clo <= exact <= chi:
                raise _Reject(f"claimed value interval [{clo}, {chi}] does not contain the recomputed [{wlo}, {whi}]")
        sup = data.get("support")
        if sup is not None:
            if len(sup) != len(st.ms):
                raise _Reject(f"claimed support has {len(sup)} orbits, the certificate {len(st.ms)}")
            for i, names in enumerate(sup):
                acts = st.actions[i]
                got = tuple(sorted(acts.index(a) if isinstance(a, str) else int(a) for a in names))
                if got != wsup[i]:
                    raise _Reject(f"claimed support {list(names)} of orbit {i + 1} differs from the certified "
                                  f"{[acts[a] for a in wsup[i]]}")
        checks.append(f"winner {'region ' + str(win) if win is not None else 'the attained point'}: value in [{wlo}, {whi}], supports "
                      f"{[[st.actions[i][a] for a in S] for i, S in enumerate(wsup)]}")
        return CheckReport(True, (), tuple(checks), (wlo, whi))
    except _Reject as exc:
        return CheckReport(False, (str(exc),), tuple(checks))
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        return CheckReport(False, (f"malformed certificate: {type(exc).__name__}: {exc}",), tuple(checks))
