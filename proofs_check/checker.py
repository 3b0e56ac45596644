"""Independent checker for certificates of the certified branch and bound ("bnb-simplex-v1").

This module imports only :mod:`exactgames.model` and python-flint (never
``exactgames.optimize`` or ``exactgames.certify``): a bug in the optimiser
cannot hide itself by being shared with its checker.  Everything is
recomputed from the game:

* the symmetric EU ``f`` as a python-flint ``fmpq_mpoly`` built directly from
  the payoffs (its derivatives by ``fmpq_mpoly.derivative``, not by the
  optimiser's difference formulas);
* the subdivision: the recorded split tree is replayed from the standard
  simplex with a Fraction-free blossom formula for edge bisection
  (``b'_c = sum_l C(k, l) 2^-k beta_l``, different code from the optimiser's
  de Casteljau rounds); the tree must be consumed exactly, so the leaves
  cover the simplex; every pruned leaf's largest Bernstein coefficient must be
  strictly below the threshold and equal to the recorded bound; every other
  leaf must lie in its named region;
* each region ``{x in simplex: x >= lower}``: off-support reduced gradients
  strictly negative (Bernstein coefficients on the corner simplex), the
  reduced Hessian on its support face negative definite (each Bernstein
  coefficient matrix, exact LDL^T), Krawczyk's operator mapping
  the box strictly into itself (``arb``), the box inside the region with all
  on-support probabilities positive, and a value enclosure recomputed by the
  mean-value form;
* the threshold is at most the winner's proved lower end, the winner beats
  every other region (or ties it exactly), and the claimed value interval,
  support and strategy agree with the recomputed ones.

Examples
--------
>>> from exactgames.model.game import AnonymousGame
>>> from exactgames.optimize.bnb import certified_optimum
>>> g = AnonymousGame.from_function(2, ["H", "W"], {(2, 0): 0, (1, 1): 1, (0, 2): 0})
>>> check_certificate(g, certified_optimum(g)).ok
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

__all__ = ["CheckReport", "check_certificate"]

KIND = "bnb-simplex-v1"
PRODUCT_KIND = "bnb-product-v1"  # checked by proofs_check.checker_product


def _counts(n: int, m: int):
    for combo in itertools.combinations_with_replacement(range(m), n):
        c = [0] * m
        for a in combo:
            c[a] += 1
        yield tuple(c)


# --------------------------------------------------------------------------- the game's Bernstein coefficients
def _payoffs(game: Any) -> tuple[int, int, tuple[str, ...], dict[tuple[int, ...], Fraction]]:
    if isinstance(game, AnonymousGame):
        if not game.is_rational:
            raise _Reject("the game has non-rational payoffs")
        m = len(game.actions)
        return game.n_players, tuple(game.actions), m, {c: Fraction(int(v.p), int(v.q)) for c, v in game.fmpq_payoff.items()}
    if isinstance(game, Game):
        if not game.is_rational or not game.is_common_payoff or len(set(game.actions)) != 1:
            raise _Reject("the game must be rational, common-payoff, with the same actions for every player")
        n, m = game.n_players, len(game.actions[0])
        sums: dict = {}
        row = game.fmpq_payoffs[0]
        for k, prof in enumerate(itertools.product(range(m), repeat=n)):
            c = [0] * m
            for a in prof:
                c[a] += 1
            sums[tuple(c)] = sums.get(tuple(c), fmpq(0)) + row[k]
        out = {}
        for c in _counts(n, m):
            v = sums.get(c, fmpq(0)) / _multi(c)
            out[c] = Fraction(int(v.p), int(v.q))
        return n, tuple(game.actions[0]), m, out
    raise _Reject(f"unsupported game type {type(game).__name__}")


# --------------------------------------------------------------------------- subdivision replay
def _bisect(coef: dict, n: int, i: int, j: int) -> dict:
    """Child keeping vertex i, vertex j -> midpoint: b'_c = sum_l C(c_j, l) 2^-c_j b_{c with l of its c_j moved back...}."""
    out = {}
    for c in coef:
        k = c[j]
        acc = fmpq(0)
        for l_ in range(k + 1):
            d = list(c)
            d[j] = l_
            d[i] = c[i] + k - l_
            acc += coef[tuple(d)] * math.comb(k, l_)
        out[c] = acc / (2**k)
    return out


def _replay(
    tree: list, n: int, m: int, pay: dict, threshold: Fraction, lowers: list, checks: list, attained: Fraction | None = None
) -> None:
    root_coef = {c: _q(v) for c, v in pay.items()}
    root_verts = [tuple(Fraction(int(a == b)) for b in range(m)) for a in range(m)]
    thr = _q(threshold)
    pos = 0
    stack = [(root_coef, root_verts)]
    n_pruned = n_region = n_weak = 0
    while stack:
        coef, verts = stack.pop()
        if pos >= len(tree):
            raise _Reject("subdivision tree ends early: some cells are missing")
        tok = tree[pos]
        pos += 1
        if not isinstance(tok, list) or not tok:
            raise _Reject(f"bad tree token {tok!r}")
        if tok[0] == "p":
            top = max(coef.values())
            if not top < thr:
                raise _Reject(f"pruned cell {pos - 1}: largest Bernstein coefficient {top} is not below the threshold {threshold}")
            if len(tok) > 1 and _F(tok[1]) != Fraction(int(top.p), int(top.q)):
                raise _Reject(f"pruned cell {pos - 1}: recorded bound {tok[1]} differs from the recomputed {top}")
            n_pruned += 1
        elif tok[0] == "w":
            top = max(coef.values())
            if attained is None or not top <= _q(attained):
                raise _Reject(f"weakly pruned cell {pos - 1}: largest Bernstein coefficient {top} is not at most the attained value {attained}")
            n_weak += 1
        elif tok[0] == "r":
            k = tok[1]
            if not isinstance(k, int) or not 0 <= k < len(lowers):
                raise _Reject(f"cell {pos - 1} names region {k!r}, which does not exist")
            low = lowers[k]
            if not all(all(v[a] >= low[a] for a in range(m)) for v in verts):
                raise _Reject(f"cell {pos - 1} is not inside region {k}")
            n_region += 1
        else:
            if len(tok) != 2 or not all(isinstance(t, int) for t in tok) or tok[0] == tok[1] or not all(0 <= t < m for t in tok):
                raise _Reject(f"bad split token {tok!r}")
            i, j = tok
            mid = tuple((a + b) / 2 for a, b in zip(verts[i], verts[j]))
            va = list(verts)
            va[j] = mid
            vb = list(verts)
            vb[i] = mid
            stack.append((_bisect(coef, n, j, i), vb))
            stack.append((_bisect(coef, n, i, j), va))
    if pos != len(tree):
        raise _Reject(f"subdivision tree has {len(tree) - pos} unused tokens")
    checks.append(f"subdivision replayed: {n_pruned} cells pruned below the threshold, {n_region} inside certified regions"
                  + (f", {n_weak} at most the attained value {attained}" if n_weak else ""))


def _attained(cert: dict, poly: "_Poly", m: int, checks: list) -> Fraction | None:
    """The certificate's attained value, re-evaluated exactly at its rational point (None when absent)."""
    att = cert.get("attained")
    if att is None:
        return None
    v = _F(att[0])
    pt = [_F(x) for x in att[1]]
    if len(pt) != m or any(x < 0 for x in pt) or sum(pt) != 1:
        raise _Reject(f"attained point {att[1]} is not a mixed strategy over {m} actions")
    got = poly.exact(pt)
    if got != _q(v):
        raise _Reject(f"attained value {v} differs from the EU {got} recomputed at its point")
    checks.append(f"attained value {v} recomputed exactly at its point")
    return v


def _box_min(reg: dict, m: int) -> list[Fraction]:
    """The smallest value of each coordinate over a region's Krawczyk box (reduced coordinates, x_ref = 1 - sum)."""
    sup, ref = [int(a) for a in reg["support"]], int(reg["ref"])
    idx = [a for a in sup if a != ref]
    c = [_F(v) for v in reg["center"]]
    r = _F(reg["radius"])
    low = [Fraction(0)] * m
    for a, v in zip(idx, c):
        low[a] = v - r
    low[ref] = 1 - sum(c, Fraction(0)) - len(idx) * r
    return low


def _tie_by_symmetry(reg_k: dict, reg_w: dict, pay: dict, m: int) -> tuple[int, ...] | None:
    """A permutation pi of the actions with f o pi = f that maps each region's box into the other region.

    Then pi(x_k*) lies in region w, so v_k = f(pi x_k*) <= max over region w = v_w, and
    symmetrically v_w <= v_k: the two maxima are equal, exactly.  Only for m <= 7.
    """
    if m > 7:
        return None
    bk, bw = _box_min(reg_k, m), _box_min(reg_w, m)
    lk, lw = [_F(v) for v in reg_k["lower"]], [_F(v) for v in reg_w["lower"]]
    for perm in itertools.permutations(range(m)):
        if perm == tuple(range(m)):
            continue
        # (pi x)_{perm[a]} = x_a
        if not all(bk[a] >= lw[perm[a]] for a in range(m)) or not all(bw[perm[a]] >= lk[a] for a in range(m)):
            continue
        if all(pay[tuple(c[perm[a]] for a in range(m))] == v for c, v in pay.items()):
            return perm
    return None


def _claimed_point(data: dict, acts: tuple[str, ...]) -> list[Fraction] | None:
    """The result's claimed strategy as exact rationals (None when it is not rational)."""
    try:
        strat = data["strategies"][0]
        return [_F(strat[a]) for a in acts]
    except (_Reject, KeyError, IndexError, TypeError, ValueError, ZeroDivisionError):
        return None


# --------------------------------------------------------------------------- regions
class _Poly:
    def __init__(self, n: int, m: int, pay: dict) -> None:
        self.n, self.m = n, m
        self.ctx = flint.fmpq_mpoly_ctx.get(("x", m), "lex")
        self.f = self.ctx.from_dict({c: _q(v) * _multi(c) for c, v in pay.items() if v})
        if not pay or all(v == 0 for v in pay.values()):
            self.f = self.ctx.from_dict({})

    def exact(self, x: list[Fraction]) -> fmpq:
        """f at a rational point, exactly."""
        return self.f(*[_q(v) for v in x]) if not self.f.is_zero() else fmpq(0)

    def d(self, p: Any, a: int) -> Any:
        return p.derivative(a)

    def reduced(self, p: Any, a: int, r: int) -> Any:
        return p.derivative(a) - p.derivative(r)

    def corner_range(self, p: Any, lower: list[Fraction], active: list[int]) -> tuple[fmpq, fmpq]:
        """Bernstein coefficient range of the homogeneous form p on {x >= lower} restricted to x_a = 0 off active."""
        if p.is_zero():
            return fmpq(0), fmpq(0)
        deg = p.total_degree()
        if any(sum(e) != deg for e, _ in p.terms()):
            raise _Reject("internal: non-homogeneous form")
        vals = list(self.corner_coefficients(p, lower, active).values())
        if len(vals) < math.comb(deg + len(active) - 1, len(active) - 1):
            vals.append(fmpq(0))
        return min(vals), max(vals)

    def corner_coefficients(self, p: Any, lower: list[Fraction], active: list[int]) -> dict:
        """Bernstein coefficients of the homogeneous form p on {x >= lower} restricted to x_a = 0 off active."""
        if p.is_zero():
            return {}
        s = 1 - sum(lower)
        gens = self.ctx.gens()
        tot = self.ctx.from_dict({})
        for a in active:
            tot = tot + gens[a]
        zero = self.ctx.from_dict({})
        subs = [tot * _q(lower[a]) + gens[a] * _q(s) if a in active else zero for a in range(self.m)]
        out = {}
        for e, coef in p.compose(*subs).terms():
            key = tuple(e[a] for a in active)
            out[key] = coef / _multi(key)
        return out

    def at(self, p: Any, x: list) -> arb:
        s = arb(0)
        for e, coef in p.terms():
            t = arb(coef)
            for a, k in enumerate(e):
                if k:
                    t = t * x[a] ** k
            s = s + t
        return s


def _check_region(k: int, reg: dict, poly: _Poly, pay: dict, prec: int, checks: list) -> tuple[Fraction, Fraction, tuple, list]:
    n, m = poly.n, poly.m
    support = [int(a) for a in reg["support"]]
    ref = int(reg["ref"])
    if sorted(set(support)) != support or not support or not all(0 <= a < m for a in support) or ref not in support:
        raise _Reject(f"region {k}: bad support {support} / reference {ref}")
    idx = [a for a in support if a != ref]
    off = [a for a in range(m) if a not in support]
    lower = [_F(v) for v in reg["lower"]]
    center = [_F(v) for v in reg["center"]]
    radius = _F(reg["radius"])
    if len(lower) != m or len(center) != len(idx) or radius < 0:
        raise _Reject(f"region {k}: malformed lower bounds / centre")
    if any(v < 0 for v in lower) or sum(lower) >= 1 or any(lower[j] != 0 for j in off):
        raise _Reject(f"region {k}: lower bounds must be >= 0, zero off the support, and sum below 1")
    # (1) off-support reduced gradients strictly negative on the region
    for j in off:
        lo, hi = poly.corner_range(poly.reduced(poly.f, j, ref), lower, list(range(m)))
        if not hi < 0:
            raise _Reject(f"region {k}: reduced gradient of action {j} is not proved negative (Bernstein max {hi})")
    # (2) Krawczyk box inside the region, probabilities positive
    xref_lo = 1 - sum(center) - len(idx) * radius
    if any(c - radius < lower[a] for a, c in zip(idx, center)) or xref_lo < lower[ref]:
        raise _Reject(f"region {k}: the Krawczyk box is not inside the region")
    if any(c - radius <= 0 for c in center) or xref_lo <= 0:
        raise _Reject(f"region {k}: an on-support probability is not proved positive")
    if not idx:
        v = pay[tuple(n if a == ref else 0 for a in range(m))]
        checks.append(f"region {k}: vertex {ref}, off-support reduced gradients negative")
        return v, v, tuple(support), [Fraction(int(a == ref)) for a in range(m)]
    # (3) reduced Hessian on the support face negative definite on the region: H(x) is a convex
    #     combination of its Bernstein coefficient matrices there, so each of them must be negative definite
    kk = len(idx)
    grads = {a: poly.reduced(poly.f, a, ref) for a in idx}
    hforms = [[poly.reduced(grads[a], b, ref) for b in idx] for a in idx]
    coefs = [[poly.corner_coefficients(hforms[i][j], lower, support) for j in range(kk)] for i in range(kk)]
    keys = set()
    for row in coefs:
        for cf in row:
            keys |= set(cf)
    n_terms = math.comb(n - 2 + len(support) - 1, len(support) - 1)
    if len(keys) < n_terms:
        keys.add(None)  # some coefficient matrix is entirely zero: not negative definite
    for key in keys:
        mat = [[-_frac(coefs[i][j].get(key, fmpq(0))) for j in range(kk)] for i in range(kk)]
        if not _posdef(mat):
            raise _Reject(f"region {k}: reduced Hessian on the support face not proved negative definite")
    # (4) Krawczyk
    old = flint.ctx.prec
    flint.ctx.prec = prec
    try:
        def embed(z: list) -> list:
            x = [arb(0)] * m
            for a, v in zip(idx, z):
                x[a] = v
            x[ref] = 1 - sum(z, arb(0))
            return x

        zc = [arb(_q(c)) for c in center]
        zb = [_ball(c, radius) for c in center]
        xc, xb = embed(zc), embed(zb)
        g = [poly.at(grads[a], xc) for a in idx]
        jb = [[poly.at(hforms[i][j], xb) for j in range(kk)] for i in range(kk)]
        jc = arb_mat([[arb(poly.at(hforms[i][j], xc).mid()) for j in range(kk)] for i in range(kk)])
        try:
            y = jc.inv()
        except ZeroDivisionError:
            raise _Reject(f"region {k}: singular Jacobian at the Krawczyk centre") from None
        y = arb_mat([[arb(y[i, j].mid()) for j in range(kk)] for i in range(kk)])
        eye = arb_mat([[arb(int(i == j)) for j in range(kk)] for i in range(kk)])
        img = y * arb_mat([[v] for v in g])
        corr = (eye - y * arb_mat(jb)) * arb_mat([[zb[i] - zc[i]] for i in range(kk)])
        for i in range(kk):
            lo, hi = _bounds(zc[i] - img[i, 0] + corr[i, 0])
            if not (center[i] - radius < lo and hi < center[i] + radius):
                raise _Reject(f"region {k}: Krawczyk test fails in coordinate {idx[i]}")
        # (5) value enclosure (mean-value form)
        val = poly.at(poly.f, xc)
        for i, a in enumerate(idx):
            val = val + poly.at(grads[a], xb) * (zb[i] - zc[i])
        vlo, vhi = _bounds(val)
    finally:
        flint.ctx.prec = old
    checks.append(f"region {k}: support {support}, Krawczyk box radius {float(radius):.1e} proved, Hessian negative definite, "
                  f"{len(off)} off-support gradients negative")
    point = [Fraction(0)] * m
    for a, c in zip(idx, center):
        point[a] = c
    point[ref] = 1 - sum(center)
    return vlo, vhi, tuple(support), point


# --------------------------------------------------------------------------- entry point
def check_certificate(game: Any, result: Any) -> CheckReport:
    """Re-verify a certified branch-and-bound result from scratch.

    Parameters
    ----------
    game : AnonymousGame or Game
        The game the certificate claims to be about.
    result : OptimumResult, or its ``to_json()`` dict
        Must carry a ``certificate`` of kind ``"bnb-simplex-v1"`` (one orbit), or
        ``"bnb-product-v1"`` (several orbits; checked by
        :func:`proofs_check.checker_product.check_product_certificate`).

    Returns
    -------
    CheckReport
        ``ok`` True only when every step re-verifies.

    Examples
    --------
    >>> from exactgames.model.game import AnonymousGame
    >>> from exactgames.optimize.bnb import certified_optimum
    >>> g = AnonymousGame.from_function(3, ["a", "b"], {(3, 0): 2, (2, 1): 0, (1, 2): 1, (0, 3): 0})
    >>> data = certified_optimum(g).to_json()
    >>> check_certificate(g, data).ok
    True
    >>> data["certificate"]["tree"] = data["certificate"]["tree"][:-1]
    >>> check_certificate(g, data).errors
    ('subdivision tree ends early: some cells are missing',)
    """
    data = result.to_json() if hasattr(result, "to_json") else result
    cert = data.get("certificate") if isinstance(data, dict) else None
    if isinstance(cert, dict) and cert.get("kind") == PRODUCT_KIND:  # several orbits: the product-of-simplices checker
        from proofs_check.checker_product import check_product_certificate

        return check_product_certificate(game, data)
    checks: list[str] = []
    try:
        if not isinstance(data, dict) or "certificate" not in data:
            raise _Reject("no certificate in the result")
        if not data.get("complete", False):
            raise _Reject("the result is marked incomplete; nothing to check")
        cert = data["certificate"]
        if cert.get("kind") != KIND:
            raise _Reject(f"certificate kind {cert.get('kind')!r}, expected {KIND!r}")
        n, acts, m, pay = _payoffs(game)
        if cert.get("n") != n or cert.get("m") != m:
            raise _Reject(f"certificate is for n={cert.get('n')}, m={cert.get('m')}; the game has n={n}, m={m}")
        poly = _Poly(n, m, pay)
        regions = cert.get("regions", [])
        if m == 1:
            v = pay[(n,)]
            return CheckReport(True, (), ("one action: the value is its payoff",), (v, v))
        attained = _attained(cert, poly, m, checks)
        if not regions and attained is None:
            raise _Reject("no certified region and no attained value")
        prec = int(cert.get("prec", 320))
        recomputed = [_check_region(k, r, poly, pay, prec, checks) for k, r in enumerate(regions)]
        lowers = [[_F(v) for v in r["lower"]] for r in regions]
        threshold = _F(cert["threshold"])
        win = cert.get("winner")
        ties = set(cert.get("ties", []))
        if win is None:  # the maximum is the attained value, at a point outside every region
            if attained is None:
                raise _Reject("no winner region and no attained value")
            wlo = whi = attained
            wsup = None
        elif not isinstance(win, int) or not 0 <= win < len(regions):
            raise _Reject(f"bad winner index {win!r}")
        else:
            wlo, whi, wsup, wpoint = recomputed[win]
        if threshold > max(wlo, attained if attained is not None else wlo):
            raise _Reject(f"threshold {threshold} exceeds every proved lower bound of the maximum")
        if attained is not None and win is not None and attained > whi:
            raise _Reject(f"the attained value {attained} exceeds the winner's upper end {whi}")
        for k, (lo, hi, _, _) in enumerate(recomputed):
            if k == win:
                continue
            if hi < wlo:
                continue
            if k in ties and lo == hi == wlo == whi:
                continue
            if k in ties and win is not None:
                perm = _tie_by_symmetry(regions[k], regions[win], pay, m)
                if perm is not None:
                    checks.append(f"region {k} ties with the winner exactly: the action permutation {perm} preserves every "
                                  "payoff and maps each region's Krawczyk box into the other region")
                    continue
            if k in ties:
                raise _Reject(f"region {k} is claimed to tie with the maximum; the checker re-derives only ties of rational "
                              "values and ties by a payoff-preserving action permutation, and found neither")
            raise _Reject(f"region {k} (value in [{float(lo)}, {float(hi)}]) is not proved worse than the winner")
        _replay(cert.get("tree", []), n, m, pay, threshold, lowers, checks, attained)
        # the claims of the result
        vi = data.get("value_interval")
        if vi is None:
            raise _Reject("no value_interval")
        clo, chi = _F(vi[0]), _F(vi[1])
        if not (clo <= wlo and whi <= chi):
            raise _Reject(f"claimed value interval [{clo}, {chi}] does not contain the recomputed [{wlo}, {whi}]")
        if win is None:
            strat = _claimed_point(data, acts)
            if strat is None or poly.exact(strat) != _q(attained):
                raise _Reject(f"the claimed strategy does not attain the value {attained}")
            wsup = tuple(a for a in range(m) if strat[a] != 0)
            checks.append(f"the claimed strategy attains {attained} exactly; no point does better")
        sup = data.get("support")
        if sup is not None:
            names = list(sup[0]) if sup and isinstance(sup[0], (list, tuple)) else list(sup)
            got = tuple(sorted(acts.index(a) if isinstance(a, str) else int(a) for a in names))
            if got != wsup:
                raise _Reject(f"claimed support {names} differs from the certified {[acts[a] for a in wsup]}")
        checks.append(f"winner {'region ' + str(win) if win is not None else 'the attained point'}: value in [{wlo}, {whi}], "
                      f"support {[acts[a] for a in wsup]}")
        return CheckReport(True, (), tuple(checks), (wlo, whi))
    except _Reject as exc:
        return CheckReport(False, (str(exc),), tuple(checks))
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        return CheckReport(False, (f"malformed certificate: {type(exc).__name__}: {exc}",), tuple(checks))
