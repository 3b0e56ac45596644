"""Certified regions around local maximisers on a product of simplices (any number of factors, one included).

A region is a product of corner simplices around a candidate where the
off-support reduced gradients are proved negative, the reduced Hessian on the
support face negative definite (Bernstein coefficient matrices, exact LDL^T)
and Krawczyk's operator (``arb``) proves a unique KKT point in a tiny box.
Floats only propose candidates (:mod:`exactgames.optimize.bnb.floats`).  Used by
:mod:`exactgames.optimize.bnb.core`.

Examples
--------
>>> from exactgames.optimize.bnb.form import ProductSetup
>>> s = ProductSetup(((0, 1),), (2,), (2,), (("H", "W"),), {(1, 1): Fraction(2)})  # EU = 2 x_H x_W
>>> reg = _certify_region(s, ((0, 1),), (0,), [Fraction(1, 2)], None)
>>> reg.supports, reg.value_interval[0] <= Fraction(1, 2) <= reg.value_interval[1]
(((0, 1),), True)
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

import numpy as np
from flint import arb, arb_mat

from exactgames.model.counts import count_vectors
from exactgames.optimize.bnb.bernstein import ProductCell
from exactgames.optimize.bnb.corner_form import ProductCornerForm
from exactgames.optimize.bnb.form import ProductSetup, reduced_entry
from exactgames.optimize.interval import (
    arb_to_fraction_bounds,
    ball,
    coefficient_matrices_negative_definite,
    fraction_to_arb,
    newton_refine,
    set_prec,
)

__all__ = ["ProductRegion"]


METHOD = "certified branch-and-bound on a product of simplices (tensor Bernstein bounds, Krawczyk)"
KIND = "bnb-product-v1"
PREC = 320
KRAWCZYK_RADIUS = Fraction(1, 2**200)


# --------------------------------------------------------------------------- regions
@dataclass(frozen=True)
class ProductRegion:
    """A certified product of corner simplices ``prod_i {x^(i) >= lower^(i)}`` around one local maximiser.

    Attributes
    ----------
    supports : tuple (per orbit) of tuple of int
    refs : tuple of int
        Reference action of each orbit (in its support), eliminated by ``x_ref = 1 - sum(others)``.
    center : tuple (per orbit) of tuple of Fraction
        Rational centre of the Krawczyk box: coordinates of each support minus its reference, in order.
    radius : Fraction
        Krawczyk box radius (0 for a pure profile).
    rho : Fraction
    lower : tuple (per orbit) of tuple of Fraction
    value_interval : (Fraction, Fraction)
    gradient_upper : tuple (per orbit) of tuple of Fraction
        Bernstein upper bounds of the off-support reduced gradients on the region (all < 0).
    hessian : tuple
        ``("bernstein-matrices", count)``.
    krawczyk_image : tuple of (Fraction, Fraction)
        Over the combined reduced coordinates (orbit by orbit).
    """

    supports: tuple[tuple[int, ...], ...]
    refs: tuple[int, ...]
    center: tuple[tuple[Fraction, ...], ...]
    radius: Fraction
    rho: Fraction
    lower: tuple[tuple[Fraction, ...], ...]
    value_interval: tuple[Fraction, Fraction]
    gradient_upper: tuple[tuple[Fraction, ...], ...] = ()
    hessian: tuple = ()
    krawczyk_image: tuple = ()

    @property
    def point(self) -> tuple[tuple[Fraction, ...], ...]:
        """The rational centre as a strategy per orbit."""
        out = []
        for S, r, c, lo in zip(self.supports, self.refs, self.center, self.lower):
            x = [Fraction(0)] * len(lo)
            idx = [a for a in S if a != r]
            for a, v in zip(idx, c):
                x[a] = v
            x[r] = 1 - sum(c, Fraction(0))
            out.append(tuple(x))
        return tuple(out)

    def contains(self, point: Sequence[Sequence[Fraction]]) -> bool:
        return all(v >= lo for x, low in zip(point, self.lower) for v, lo in zip(x, low))

    def contains_cell(self, cell: ProductCell) -> bool:
        for i, low in enumerate(self.lower):
            d = 1 << cell.vexp[i]
            for v in cell.vertices[i]:
                if not all(c * lo.denominator >= lo.numerator * d for c, lo in zip(v, low)):
                    return False
        return True

    def contains_corner(self, cell: ProductCell, choice: Sequence[int]) -> bool:
        for i, low in enumerate(self.lower):
            d = 1 << cell.vexp[i]
            v = cell.vertices[i][choice[i]]
            if not all(c * lo.denominator >= lo.numerator * d for c, lo in zip(v, low)):
                return False
        return True

    def to_json(self) -> dict[str, Any]:
        return {
            "supports": [list(S) for S in self.supports],
            "refs": list(self.refs),
            "center": [[str(c) for c in cs] for cs in self.center],
            "radius": str(self.radius),
            "rho": str(self.rho),
            "lower": [[str(v) for v in lo] for lo in self.lower],
            "value_interval": [str(v) for v in self.value_interval],
            "gradient_upper": [[str(v) for v in g] for g in self.gradient_upper],
            "hessian_proof": f"{self.hessian[0]}: {self.hessian[1]}" if self.hessian else "",
            "krawczyk_image": [[str(lo), str(hi)] for lo, hi in self.krawczyk_image],
        }


def _embed(s: ProductSetup, pairs: Sequence[tuple[int, int]], refs: Sequence[int], z: Sequence[arb]) -> list[arb]:
    """Concatenated x from the combined reduced coordinates (``x^(i)_{ref} = 1 - sum`` of orbit i's coordinates)."""
    x = [arb(0)] * sum(s.ms)
    tot = [arb(0)] * len(s.ms)
    for (i, a), v in zip(pairs, z):
        x[s.var(i, a)] = v
        tot[i] = tot[i] + v
    for i, r in enumerate(refs):
        x[s.var(i, r)] = 1 - tot[i]
    return x


def _reduced(s: ProductSetup, pairs: Sequence[tuple[int, int]], refs: Sequence[int], x: list[arb], hessian: bool = True) -> tuple:
    poly = s.sympoly
    g = poly.gradient(x)
    rg = [g[s.var(i, a)] - g[s.var(i, refs[i])] for i, a in pairs]
    if not hessian:
        return rg, None
    only = sorted({s.var(i, a) for i, a in pairs} | {s.var(i, r) for i, r in enumerate(refs)})
    h = poly.hessian(x, only)
    rh = [[reduced_entry(h, s, p, q, refs) for q in pairs] for p in pairs]
    return rg, rh


def _newton(s: ProductSetup, pairs: list, refs: Sequence[int], z: Sequence[float]) -> list[Fraction] | None:
    """High-precision Newton on the combined reduced gradient of the product face; a rational centre or None."""
    return newton_refine(lambda zc: _reduced(s, pairs, refs, _embed(s, pairs, refs, zc)), z, PREC,
                         residual=lambda zc: _reduced(s, pairs, refs, _embed(s, pairs, refs, zc), hessian=False)[0])


def _krawczyk(s: ProductSetup, pairs: list, refs: Sequence[int], center: Sequence[Fraction], radius: Fraction) -> tuple | None:
    """Krawczyk image of the box ``center +- radius`` (rational hull per coordinate), or None when not strictly inside."""
    k = len(pairs)
    with set_prec(PREC):
        zc = [fraction_to_arb(c) for c in center]
        zb = [ball(c, radius) for c in center]
        g, jc = _reduced(s, pairs, refs, _embed(s, pairs, refs, zc))
        _, jb = _reduced(s, pairs, refs, _embed(s, pairs, refs, zb))
        mid = arb_mat([[arb(jc[i][j].mid()) for j in range(k)] for i in range(k)])
        try:
            y = mid.inv()
        except ZeroDivisionError:
            return None
        y = arb_mat([[arb(y[i, j].mid()) for j in range(k)] for i in range(k)])
        eye = arb_mat([[arb(int(i == j)) for j in range(k)] for i in range(k)])
        img = y * arb_mat([[v] for v in g])
        corr = (eye - y * arb_mat(jb)) * arb_mat([[zb[i] - zc[i]] for i in range(k)])
        image = []
        for i in range(k):
            ki = zc[i] - img[i, 0] + corr[i, 0]
            if not ki.is_finite():
                return None
            lo, hi = arb_to_fraction_bounds(ki)
            if not (center[i] - radius < lo and hi < center[i] + radius):
                return None
            image.append((lo, hi))
        return tuple(image)


def _forms(s: ProductSetup, supports: Sequence[Sequence[int]], refs: Sequence[int]) -> tuple[dict, dict, tuple[int, ...]]:
    """Off-support reduced gradient forms, reduced Hessian forms (elevated to one multi-degree) and that degree."""
    cache = s._cached("_formcache", dict)
    key = (tuple(tuple(S) for S in supports), tuple(refs))
    if key in cache:
        return cache[key]
    f = s.form
    deriv: dict = {}

    def d(v: int) -> ProductCornerForm:
        if v not in deriv:
            deriv[v] = f.derivative(v)
        return deriv[v]

    grads = {}
    for i, m in enumerate(s.ms):
        for j in range(m):
            if j not in supports[i]:
                grads[(i, j)] = d(s.var(i, j)) - d(s.var(i, refs[i]))
    pairs = [(i, a) for i, S in enumerate(supports) for a in S if a != refs[i]]
    red = {p: d(s.var(*p)) - d(s.var(p[0], refs[p[0]])) for p in pairs}
    hess = {}
    for u, p in enumerate(pairs):
        for q in pairs[u:]:
            hess[(p, q)] = red[p].derivative(s.var(*q)) - red[p].derivative(s.var(q[0], refs[q[0]]))
    live = [h for h in hess.values() if not h.zero]
    degs = tuple(max((h.degrees[i] for h in live), default=0) for i in range(len(s.ms)))
    hess = {k: h.elevated(degs, supports) for k, h in hess.items()}
    cache[key] = (grads, hess, degs)
    return cache[key]


def _certify_region(
    s: ProductSetup, supports: tuple[tuple[int, ...], ...], refs: tuple[int, ...], center: list[Fraction], fe: Any,
    stop: float | None = None,
) -> ProductRegion | None:
    """Prove a product-of-corner-simplices region around the candidate (see the module docstring); None when a check
    fails, or when ``time.perf_counter()`` passes ``stop``."""
    k = len(s.ms)
    pairs = [(i, a) for i in range(k) for a in supports[i] if a != refs[i]]
    radius = KRAWCZYK_RADIUS if pairs else Fraction(0)
    point = [[Fraction(0)] * m for m in s.ms]
    for (i, a), c in zip(pairs, center):
        point[i][a] = c
    for i, r in enumerate(refs):
        point[i][r] = 1 - sum((c for (j, _), c in zip(pairs, center) if j == i), Fraction(0))
    n_idx = [sum(1 for j, _ in pairs if j == i) for i in range(k)]
    kimage: tuple = ()
    if pairs:
        if any(c - radius <= 0 for c in center) or any(point[i][refs[i]] - n_idx[i] * radius <= 0 for i in range(k)):
            return None
        got = _krawczyk(s, pairs, refs, center, radius)
        if got is None:
            return None
        kimage = got
        if any(lo <= 0 for lo, _ in kimage):
            return None
    grads, hess, degs = _forms(s, supports, refs)
    if pairs and all(h.zero for h in hess.values()):
        return None
    keys = list(itertools.product(*(_count_vectors(d_, len(S)) for d_, S in zip(degs, supports)))) if pairs else []
    rho = Fraction(1, 4)
    while True:
        lower = tuple(
            tuple(_floor_dyadic(point[i][a] - rho, rho) if a in supports[i] else Fraction(0) for a in range(m))
            for i, m in enumerate(s.ms)
        )
        inside = all(c - radius >= lower[i][a] for (i, a), c in zip(pairs, center)) and all(
            point[i][refs[i]] - n_idx[i] * radius >= lower[i][refs[i]] for i in range(k)
        )
        ok = inside and (fe is None or fe.plausible_region(lower, supports, refs))
        gup: dict = {}
        if ok:
            for key, form in grads.items():
                if stop is not None and time.perf_counter() + form.compose_seconds() > stop:
                    return None  # the composition could not finish before the time limit
                hi = form.range(lower)[1]
                if hi >= 0:
                    ok = False
                    break
                gup[key] = hi
        hproof: tuple = ()
        if ok and pairs:
            if stop is not None and time.perf_counter() + sum(h.compose_seconds() for h in hess.values()) > stop:
                return None
            coefs = {key: h.coefficients(lower, supports) for key, h in hess.items()}
            ok = coefficient_matrices_negative_definite(coefs, keys, pairs)
            if ok:
                hproof = ("bernstein-matrices", len(keys))
        if ok:
            break
        rho /= 2
        if rho < Fraction(1, 2**40):
            return None
    if not pairs:
        v = s.pure_value(refs)
        vi = (v, v)
    else:
        with set_prec(PREC):
            zc = [fraction_to_arb(c) for c in center]
            zb = [ball(c, radius) for c in center]
            val = s.sympoly.value(_embed(s, pairs, refs, zc))
            gb, _ = _reduced(s, pairs, refs, _embed(s, pairs, refs, zb), hessian=False)
            for u in range(len(pairs)):
                val = val + gb[u] * (zb[u] - zc[u])
            lo, hi = arb_to_fraction_bounds(val)
            pad = Fraction(1, 2**240)  # outward, so an independent re-evaluation with other rounding fits inside
            vi = (_round_down(lo - pad), _round_up(hi + pad))
    centers = tuple(tuple(c for (j, _), c in zip(pairs, center) if j == i) for i in range(k))
    gupper = tuple(tuple(gup[(i, j)] for j in range(m) if j not in supports[i]) for i, m in enumerate(s.ms))
    return ProductRegion(tuple(supports), tuple(refs), centers, radius, rho, lower, vi, gupper, hproof, kimage)


def _count_vectors(n: int, m: int) -> list[tuple[int, ...]]:
    return list(count_vectors(n, m))


def _round_down(q: Fraction, bits: int = 256) -> Fraction:
    return Fraction((q.numerator << bits) // q.denominator, 1 << bits)


def _round_up(q: Fraction, bits: int = 256) -> Fraction:
    return Fraction(-((-q.numerator << bits) // q.denominator), 1 << bits)


def _floor_dyadic(v: Fraction, rho: Fraction) -> Fraction:
    """``max(0, v)`` rounded down to a multiple of ``rho / 64`` (short numbers keep the proofs cheap)."""
    if v <= 0:
        return Fraction(0)
    step = rho / 64
    return step * (v // step)


def _plans(s: ProductSetup, x: np.ndarray) -> list[tuple]:
    """What :func:`_candidate_region` does with the float point ``x``: per support threshold, the supports, the
    references and the float Newton start on the support face (in trial order, repeated supports left out)."""
    tried = set()
    out = []
    for t in (1e-7, 1e-5, 1e-9, 1e-3):
        supports = []
        for i, m in enumerate(s.ms):
            xi = x[s.offsets[i]:s.offsets[i] + m]
            sup = tuple(a for a in range(m) if xi[a] > t) or (int(np.argmax(xi)),)
            supports.append(sup)
        supports_t = tuple(supports)
        if supports_t in tried:
            continue
        tried.add(supports_t)
        refs = tuple(max(S, key=lambda a, i=i: x[s.var(i, a)]) for i, S in enumerate(supports_t))
        pairs = [(i, a) for i, S in enumerate(supports_t) for a in S if a != refs[i]]
        z: tuple = ()
        if pairs:
            xs = x.copy()
            for i, m in enumerate(s.ms):
                sl = slice(s.offsets[i], s.offsets[i] + m)
                part = xs[sl].copy()
                part[[a for a in range(m) if a not in supports_t[i]]] = 0
                xs[sl] = part / part.sum()
            z = tuple(float(xs[s.var(i, a)]) for i, a in pairs)
        out.append((supports_t, refs, pairs, z))
    return out


def candidate_key(s: ProductSetup, x: np.ndarray) -> tuple:
    """Everything :func:`_candidate_region` reads of ``x``: two points with one key give the same answer.

    The supports and references of each trial, and the rational Newton starts (:func:`newton_refine` starts
    from ``Fraction(float(z)).limit_denominator(10**15)``); the rest of the computation depends on the setup only.
    """
    return tuple((sup, refs, tuple(Fraction(v).limit_denominator(10**15) for v in z)) for sup, refs, _, z in _plans(s, x))


def _candidate_region(s: ProductSetup, x: np.ndarray, fe: Any, stop: float | None = None) -> ProductRegion | None:
    """Certify the local maximiser near the float point ``x`` (concatenated), trying a few support thresholds.

    ``stop``: a ``time.perf_counter()`` time after which the try is abandoned (None is returned).
    """
    for supports_t, refs, pairs, z in _plans(s, x):
        if stop is not None and time.perf_counter() > stop:
            return None
        if pairs:
            center = _newton(s, pairs, refs, list(z))
            if center is None:
                continue
        else:
            center = []
        reg = _certify_region(s, supports_t, refs, center, fe, stop)
        if reg is not None:
            return reg
    return None
