"""Certified regions around local maximisers on a product of simplices, and the float search that proposes them.

A region is a product of corner simplices around a candidate where the
off-support reduced gradients are proved negative, the reduced Hessian on the
support face negative definite (Bernstein coefficient matrices, exact LDL^T)
and Krawczyk's operator (``arb``) proves a unique KKT point in a tiny box.
Floats only propose candidates (:class:`_FloatProduct`).  Used by
:mod:`exactgames.optimize.bnb_product`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

import numpy as np
from flint import arb, arb_mat

from exactgames.model.game import count_vectors
from exactgames.optimize.bernstein_product import ProductCell, ProductCornerForm
from exactgames.optimize.float_search import project_simplex, scaled_floats
from exactgames.optimize.interval import (
    arb_to_fraction_bounds,
    ball,
    coefficient_matrices_negative_definite,
    fraction_to_arb,
    newton_refine,
    set_prec,
)
from exactgames.optimize.product_form import ProductSetup
from exactgames.optimize.simplex_regions import _floor_dyadic, _round_down, _round_up

__all__ = ["ProductRegion"]


METHOD = "certified branch-and-bound on a product of simplices (tensor Bernstein bounds, Krawczyk)"
KIND = "bnb-product-v1"
PREC = 320
KRAWCZYK_RADIUS = Fraction(1, 2**200)
MAX_REGION_CORNERS = 256


# --------------------------------------------------------------------------- float search (proposals only)
class _FloatProduct:
    """Float EU, gradient and Hessian in the concatenated variables; used only to propose candidates."""

    def __init__(self, setup: ProductSetup) -> None:
        self.setup = setup
        self.M = sum(setup.ms)
        keys = list(setup.coef)
        self.exps = np.array(keys, dtype=int).reshape(-1, self.M)
        self.w = scaled_floats([setup.coef[c] for c in keys])  # a positive scaling: same maximisers
        self.top = max(setup.sizes)
        self.ar = np.arange(self.M)
        self.dw = self.w[None, :] * self.exps.T
        self.slices = [slice(o, o + m) for o, m in zip(setup.offsets, setup.ms)]

    def _pw(self, x: np.ndarray) -> np.ndarray:
        return np.power.outer(np.clip(x, 0, None), np.arange(self.top + 1))

    def value(self, x: np.ndarray) -> float:
        if not len(self.w):
            return 0.0
        return float(self.w @ self._pw(x)[self.ar, self.exps].prod(axis=1))

    def grad(self, x: np.ndarray) -> np.ndarray:
        return self.grads(np.atleast_2d(x))[0]

    def hess(self, x: np.ndarray) -> np.ndarray:
        if not len(self.w):
            return np.zeros((self.M, self.M))
        if not hasattr(self, "hdev"):
            M = self.M
            hd = np.repeat(self.exps[None, None, :, :], M, axis=0).repeat(M, axis=1)
            hw = np.empty((M, M, len(self.w)))
            for a in range(M):
                for b in range(M):
                    hw[a, b] = self.w * self.exps[:, a] * (self.exps[:, b] - (a == b))
                    hd[a, b, :, a] -= 1
                    hd[a, b, :, b] -= 1
            self.hw = hw
            self.hdev = np.maximum(hd, 0)
        return (self.hw * self._pw(x)[self.ar, self.hdev].prod(axis=3)).sum(axis=2)

    def values(self, x: np.ndarray) -> np.ndarray:
        """f at every row of ``x`` (batch, M)."""
        if not len(self.w):
            return np.zeros(len(x))
        pw = np.power.outer(np.clip(x, 0, None), np.arange(self.top + 1))  # (B, M, top + 1)
        return pw[:, self.ar, self.exps].prod(axis=2) @ self.w

    def grads(self, x: np.ndarray) -> np.ndarray:
        """The gradient at every row of ``x`` (batch, M)."""
        if not len(self.w):
            return np.zeros_like(x)
        pw = np.power.outer(np.clip(x, 0, None), np.arange(self.top + 1))
        p = pw[:, self.ar, self.exps]  # (B, T, M): x_v ** e_tv
        ones = np.ones(p.shape[:2] + (1,))
        before = np.cumprod(np.concatenate([ones, p[:, :, :-1]], axis=2), axis=2)  # prod over u < v
        after = np.cumprod(np.concatenate([ones, p[:, :, :0:-1]], axis=2), axis=2)[:, :, ::-1]  # prod over u > v
        lower = pw[:, self.ar, np.maximum(self.exps - 1, 0)]  # x_v ** (e_tv - 1)
        return np.einsum("btm,mt->bm", before * after * lower, self.dw)

    def project(self, y: np.ndarray) -> np.ndarray:
        """Project every row (or one point) onto the product of simplices."""
        y2 = np.atleast_2d(y)
        out = np.empty_like(y2, dtype=float)
        for sl in self.slices:
            out[:, sl] = project_simplex(y2[:, sl])
        return out if y.ndim == 2 else out[0]

    def ascend(self, x0: np.ndarray, iters: int = 600) -> np.ndarray:
        """Projected gradient ascent with Armijo backtracking on every simplex factor (one point)."""
        return self.ascend_batch(np.atleast_2d(x0), iters)[0]

    def ascend_batch(self, x0: np.ndarray, iters: int = 600) -> np.ndarray:
        """Projected gradient ascent with per-row Armijo backtracking from every row of ``x0``, then Newton on the face."""
        x = self.project(np.asarray(x0, dtype=float))
        fx = self.values(x)
        t = np.full(len(x), 1.0 / (1.0 + np.abs(self.w).sum() * self.top))
        live = np.ones(len(x), dtype=bool)
        for _ in range(iters):
            idx = np.nonzero(live)[0]
            if not len(idx):
                break
            g = self.grads(x[idx])
            xa, fa, ta = x[idx], fx[idx], t[idx]
            xn, fn = xa.copy(), fa.copy()
            pending = np.ones(len(idx), dtype=bool)
            for _ in range(80):
                p = np.nonzero(pending)[0]
                cand = self.project(xa[p] + ta[p, None] * g[p])
                fc = self.values(cand)
                ok = fc >= fa[p] + 1e-4 * ((cand - xa[p]) * g[p]).sum(axis=1)
                xn[p[ok]], fn[p[ok]] = cand[ok], fc[ok]
                pending[p[ok]] = False
                ta[p[~ok]] *= 0.5
                if not pending.any():
                    break
            step = np.abs(xn - xa).max(axis=1)
            x[idx], fx[idx], t[idx] = xn, fn, ta * 2.0
            live[idx[pending | (step < 1e-15)]] = False
        return np.array([self.polish(row) for row in x])

    def polish(self, x: np.ndarray, tol: float = 1e-9) -> np.ndarray:
        """A few float Newton steps on the support face (kept only if they stay in it and do not lose value)."""
        s = self.setup
        sup = [[a for a in range(m) if x[s.var(i, a)] > tol] for i, m in enumerate(s.ms)]
        refs = [max(S, key=lambda a, i=i: x[s.var(i, a)]) for i, S in enumerate(sup)]
        pairs = [(i, a) for i, S in enumerate(sup) for a in S if a != refs[i]]
        if not pairs:
            return x
        y = x.copy()
        for i, S in enumerate(sup):
            off = [s.var(i, a) for a in range(s.ms[i]) if a not in S]
            y[off] = 0
            y[self.slices[i]] /= y[self.slices[i]].sum()
        for _ in range(8):
            g = self.grad(y)
            h = self.hess(y)
            rg = np.array([g[s.var(i, a)] - g[s.var(i, refs[i])] for i, a in pairs])
            rh = np.array([[_red(h, s, p, q, refs) for q in pairs] for p in pairs])
            try:
                step = np.linalg.solve(rh, rg)
            except np.linalg.LinAlgError:
                return x
            z = y.copy()
            for (i, a), st in zip(pairs, step):
                z[s.var(i, a)] -= st
                z[s.var(i, refs[i])] += st
            if (z < 0).any():
                return x
            y = z
            if np.abs(step).max() < 1e-15:
                break
        return y if self.value(y) >= self.value(x) - 1e-12 * (1 + abs(self.value(x))) else x

    def plausible_region(self, lower: Sequence[Sequence[Fraction]], supports: Sequence[Sequence[int]], refs: Sequence[int]) -> bool:
        """Float pre-test at the region's corners (true values there): False means the exact test would fail."""
        s = self.setup
        lows = [np.array([float(v) for v in lo]) for lo in lower]
        rest = [1.0 - lo.sum() for lo in lows]
        pairs = [(i, a) for i, S in enumerate(supports) for a in S if a != refs[i]]
        off = [(i, j) for i, m in enumerate(s.ms) for j in range(m) if j not in supports[i]]
        combos = list(itertools.islice(itertools.product(*(range(m) for m in s.ms)), MAX_REGION_CORNERS))
        for choice in combos:
            x = np.concatenate([lows[i] + rest[i] * np.eye(s.ms[i])[p] for i, p in enumerate(choice)])
            if off:
                g = self.grad(x)
                if any(g[s.var(i, j)] - g[s.var(i, refs[i])] >= 0 for i, j in off):
                    return False
            if pairs and all(p in supports[i] for i, p in enumerate(choice)):
                h = self.hess(x)
                rh = np.array([[_red(h, s, p, q, refs) for q in pairs] for p in pairs])
                if np.linalg.eigvalsh(rh).max() >= 0:
                    return False
        return True


def _red(h: Any, s: ProductSetup, p: tuple[int, int], q: tuple[int, int], refs: Sequence[int]) -> Any:
    """Reduced Hessian entry ``(d_p - d_{r(p)})(d_q - d_{r(q)}) f`` from the full Hessian ``h`` (floats or arb)."""
    (i, a), (j, b) = p, q
    va, vr, vb, vs = s.var(i, a), s.var(i, refs[i]), s.var(j, b), s.var(j, refs[j])
    return h[va][vb] - h[va][vs] - h[vr][vb] + h[vr][vs]


def _random_start(ms: Sequence[int], rng: np.random.Generator) -> np.ndarray:
    return np.concatenate([rng.dirichlet(np.ones(m)) for m in ms])


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
    rh = [[_red(h, s, p, q, refs) for q in pairs] for p in pairs]
    return rg, rh


def _newton(s: ProductSetup, pairs: list, refs: Sequence[int], z: Sequence[float]) -> list[Fraction] | None:
    """High-precision Newton on the combined reduced gradient of the product face; a rational centre or None."""
    return newton_refine(lambda zc: _reduced(s, pairs, refs, _embed(s, pairs, refs, zc)), z, PREC)


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
    s: ProductSetup, supports: tuple[tuple[int, ...], ...], refs: tuple[int, ...], center: list[Fraction], fe: _FloatProduct | None
) -> ProductRegion | None:
    """Prove a product-of-corner-simplices region around the candidate (see the module docstring); None when a check fails."""
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
                hi = form.range(lower)[1]
                if hi >= 0:
                    ok = False
                    break
                gup[key] = hi
        hproof: tuple = ()
        if ok and pairs:
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


# small helpers, copied from exactgames.optimize.bnb (private there)
def _candidate_region(s: ProductSetup, x: np.ndarray, fe: _FloatProduct | None) -> ProductRegion | None:
    """Certify the local maximiser near the float point ``x`` (concatenated), trying a few support thresholds."""
    tried = set()
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
        if pairs:
            xs = x.copy()
            for i, m in enumerate(s.ms):
                sl = slice(s.offsets[i], s.offsets[i] + m)
                part = xs[sl].copy()
                part[[a for a in range(m) if a not in supports_t[i]]] = 0
                xs[sl] = part / part.sum()
            center = _newton(s, pairs, refs, [float(xs[s.var(i, a)]) for i, a in pairs])
            if center is None:
                continue
        else:
            center = []
        reg = _certify_region(s, supports_t, refs, center, fe)
        if reg is not None:
            return reg
    return None


