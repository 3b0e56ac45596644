"""Certified global optimum among P-invariant profiles for several orbits (product of simplices).

For a rational common-payoff game and a subgroup P with orbits ``O_1..O_k``
(``k >= 2``; players of one orbit share an action set ``A_i``), a P-invariant
profile gives every player of orbit i the same strategy ``x^(i)`` in
``Delta(A_i)`` and the expected utility ``f(x^(1), ..., x^(k))`` is a
polynomial of multi-degree ``(|O_1|, ..., |O_k|)`` whose tensor-product
Bernstein coefficients are average payoffs (:mod:`exactgames.optimize.bernstein_product`).
The proof has the structure of :mod:`exactgames.optimize.bnb`, all exact or
rigorous (``arb``):

1. **Candidates.**  Projected gradient ascent with backtracking on every
   simplex factor (numpy floats, several starts) proposes local maxima; each
   is refined by high-precision Newton on its product support face.  Floats
   only *propose*.
2. **Regions.**  For a candidate with supports ``S_i`` and reference actions
   ``r_i in S_i`` the region is the product of corner simplices ``R = prod_i
   {x^(i) in Delta(A_i): x^(i) >= lower^(i)}`` (``lower^(i)_a = x^(i)_a -
   rho`` rounded down on ``S_i``, 0 off it).  With exact tensor Bernstein
   coefficients on ``R`` (python-flint ``fmpq_mpoly`` composition) it is
   proved that every off-support reduced gradient ``d_(i,j) f - d_(i,r_i) f``
   is strictly negative on ``R`` (so any maximiser over ``R`` lies on the
   support face ``F``), and that every tensor Bernstein coefficient matrix of
   the reduced Hessian on ``F`` (entries degree-elevated to one multi-degree)
   is negative definite by exact LDL^T (the Hessian is a convex combination of
   them, so f is strictly concave on ``F``); Krawczyk's operator (``arb``) on
   the combined reduced coordinates maps a box of radius 2^-200 strictly into
   itself, so the unique maximiser over ``R`` lies in that box, in the relative
   interior of ``F``.  The value is enclosed by the mean-value form.
3. **Everything else.**  Branch and bound over products of sub-simplices
   (bisect the longest edge of one factor, exact integer coefficients) until
   every cell lies inside a certified region or has all its Bernstein
   coefficients strictly below ``L``, the largest proved lower end.

When a cell corner beats ``L`` outside every region the float search restarts
there; when that finds nothing certifiable, the corner's exact value becomes
``L`` (it is attained).  When limits run out the result says
``complete=False`` with, when available, a proved enclosure of the maximum.

**Ties and continua** (as in :mod:`exactgames.optimize.bnb`).  The best pure
profile's payoff, or a cell corner's exact EU, is an *attained* value ``v``; a
cell whose coefficients are all at most ``v`` is pruned weakly: ``f <= v``
there, and ``f = v`` exactly on the cell faces (products of faces of the
factor simplices) all of whose coefficients equal ``v``
(:meth:`ProductBernstein.faces_at`).  So when the maximum is attained outside
every region the maximiser set is known exactly: points, or continua reported
as whole faces of the product of simplices when f is identically ``v`` there
(every average payoff of the face equals ``v``), otherwise as the cell faces.
Certified maxima whose enclosures overlap are compared by exact values (a
payoff, or the exact KKT point of the region's product face found by
:func:`exactgames.optimize.kkt.kkt_points` inside the region, where f is
strictly concave); equal values are reported as ties, one strategy per orbit.
A continuum not along cell faces (e.g. a diagonal) is never claimed: the
subdivision runs out of depth or cells and the result is incomplete with a
proved enclosure.  The certificate (kind ``"bnb-product-v1"``) is re-checked by
:mod:`proofs_check.checker_product`.

Examples
--------
>>> from exactgames.model.game import Game
>>> g = Game.from_common([["a", "b"]] * 2, {("a", "b"): 2, ("b", "a"): 1, ("a", "a"): 1})
>>> r = certified_optimum_product(g, [[0], [1]])
>>> r.complete, r.value, r.support, r.certificate["kind"]
(True, 2, ((0,), (1,)), 'bnb-product-v1')
"""

from __future__ import annotations

import itertools
import time
import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Sequence

import numpy as np
import sympy
from flint import arb, arb_mat, fmpq

from exactgames.model.exact import ExactError
from exactgames.model.game import AnonymousGame, Game, count_vectors
from exactgames.model.utility import count_coefficients
from exactgames.optimize.bernstein_product import ProductBernstein, ProductCell, ProductCornerForm
from exactgames.optimize.bnb import BnbLimits
from exactgames.optimize.float_search import project_simplex
from exactgames.optimize.interval import (
    SymPoly,
    arb_to_fraction_bounds,
    ball,
    fraction_to_arb,
    is_positive_definite,
    set_prec,
)
from exactgames.optimize.result import OptimumResult

__all__ = ["certified_optimum_product", "product_setup", "ProductSetup", "ProductRegion", "METHOD", "KIND"]

METHOD = "certified branch-and-bound on a product of simplices (tensor Bernstein bounds, Krawczyk)"
KIND = "bnb-product-v1"
PREC = 320
KRAWCZYK_RADIUS = Fraction(1, 2**200)
MAX_REGION_CORNERS = 256


# --------------------------------------------------------------------------- the game as a multi-homogeneous polynomial
@dataclass(frozen=True, eq=False)
class ProductSetup:
    """The EU polynomial of P-invariant profiles in the concatenated variables ``(x^(1), ..., x^(k))``.

    Attributes
    ----------
    orbits : tuple of tuple of int
        0-based players of each orbit (each sorted; the orbit order is the caller's).
    sizes : tuple of int
        Orbit sizes (the degree of f in each factor).
    ms : tuple of int
        Number of actions of each orbit.
    actions : tuple of tuple of str
    coef : dict
        Concatenated exponent vector -> monomial coefficient (Fraction), zeros dropped.
    """

    orbits: tuple[tuple[int, ...], ...]
    sizes: tuple[int, ...]
    ms: tuple[int, ...]
    actions: tuple[tuple[str, ...], ...]
    coef: dict

    @property
    def offsets(self) -> tuple[int, ...]:
        return tuple(sum(self.ms[:i]) for i in range(len(self.ms)))

    def var(self, i: int, a: int) -> int:
        """Index of ``x^(i)_a`` among the concatenated variables."""
        return self.offsets[i] + a

    def _cached(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self.__dict__:
            object.__setattr__(self, key, make())
        return self.__dict__[key]

    @property
    def bernstein(self) -> ProductBernstein:
        return self._cached("_bern", lambda: ProductBernstein.from_coefficients(self.sizes, self.ms, self.coef))

    @property
    def sympoly(self) -> SymPoly:
        """The polynomial for ``arb`` evaluation (value, gradient, Hessian in the concatenated variables)."""
        return self._cached(
            "_sp", lambda: SymPoly(sum(self.sizes), sum(self.ms), tuple((c, fmpq(v.numerator, v.denominator)) for c, v in self.coef.items()))
        )

    @property
    def form(self) -> ProductCornerForm:
        return self._cached("_form", lambda: ProductCornerForm(self.coef, self.ms))

    def pure_value(self, choice: Sequence[int]) -> Fraction:
        """Exact f at the pure profile choosing action ``choice[i]`` in orbit i."""
        e = []
        for n, m, a in zip(self.sizes, self.ms, choice):
            e.extend(n if b == a else 0 for b in range(m))
        return self.coef.get(tuple(e), Fraction(0))


def product_setup(game: Game | AnonymousGame, orbits: Sequence[Sequence[int]]) -> ProductSetup:
    """Check the game and orbits, and build the EU polynomial of P-invariant profiles.

    Examples
    --------
    >>> g = Game.from_common([["a", "b"]] * 2, {("a", "b"): 1})
    >>> s = product_setup(g, [[0], [1]])
    >>> s.sizes, s.ms, s.coef
    ((1, 1), (2, 2), {(1, 0, 0, 1): Fraction(1, 1)})
    """
    if not game.is_rational:
        raise ExactError("certified_optimum_product needs rational payoffs (substitute the parameters first)")
    if isinstance(game, Game) and not game.is_common_payoff:
        raise ExactError("certified_optimum_product: the game must be common-payoff")
    orbs = tuple(tuple(sorted(int(i) for i in o)) for o in orbits)
    if any(not o for o in orbs):
        raise ExactError("certified_optimum_product: empty orbit")
    coefs = count_coefficients(game, orbs)  # validates the partition and the shared action sets
    acts = game.actions if isinstance(game, Game) else game.player_actions
    actions = tuple(tuple(acts[o[0]]) for o in orbs)
    coef = {}
    for key, v in coefs:
        flat = tuple(itertools.chain.from_iterable(key))
        coef[flat] = Fraction(int(v.p), int(v.q))
    return ProductSetup(orbs, tuple(len(o) for o in orbs), tuple(len(a) for a in actions), actions, coef)


# --------------------------------------------------------------------------- float search (proposals only)
class _FloatProduct:
    """Float EU, gradient and Hessian in the concatenated variables; used only to propose candidates."""

    def __init__(self, setup: ProductSetup) -> None:
        self.setup = setup
        self.M = sum(setup.ms)
        keys = list(setup.coef)
        self.exps = np.array(keys, dtype=int).reshape(-1, self.M)
        self.w = np.array([float(setup.coef[c]) for c in keys])
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
    k = len(pairs)
    with set_prec(PREC):
        zc = []
        for v in z:
            q = Fraction(float(v)).limit_denominator(10**15)
            zc.append(arb(fmpq(q.numerator, q.denominator)))
        for _ in range(60):
            g, h = _reduced(s, pairs, refs, _embed(s, pairs, refs, zc))
            jm = arb_mat([[arb(h[i][j].mid()) for j in range(k)] for i in range(k)])
            gv = arb_mat([[arb(v.mid())] for v in g])
            try:
                step = jm.solve(gv)
            except ZeroDivisionError:
                return None
            zc = [arb((zc[i] - step[i, 0]).mid()) for i in range(k)]
            size = max(abs(float(step[i, 0].mid())) for i in range(k))
            if size < 2.0**-280:
                break
            if not all(abs(float(v.mid())) < 10 for v in zc):
                return None
        out = []
        for v in zc:
            lo, _ = arb_to_fraction_bounds(arb(v.mid()))
            out.append(lo.limit_denominator(2**300) if lo.denominator > 2**300 else lo)
        return out


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
            kk = len(pairs)
            for gam in keys:
                mat = [[Fraction(0)] * kk for _ in range(kk)]
                for (p, q), cf in coefs.items():
                    v = cf.get(gam)
                    v = Fraction(int(v.p), int(v.q)) if v is not None else Fraction(0)
                    u, w = pairs.index(p), pairs.index(q)
                    mat[u][w] = mat[w][u] = -v
                if not is_positive_definite(mat):
                    ok = False
                    break
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


# --------------------------------------------------------------------------- branch and bound
@dataclass
class _Tree:
    tokens: list = field(default_factory=list)
    leaves: int = 0
    pruned: int = 0
    in_region: int = 0
    weak: int = 0
    max_depth: int = 0
    level_faces: list = field(default_factory=list)


class _NeedCandidate(Exception):
    def __init__(self, point: tuple, upper: Fraction | None = None) -> None:
        self.point = point
        self.upper = upper


class _OutOfLimits(Exception):
    def __init__(self, message: str, upper: Fraction | None = None) -> None:
        super().__init__(message)
        self.upper = upper


def _open_upper(pb: ProductBernstein, cells: list[ProductCell], regions: list[ProductRegion]) -> Fraction:
    return max([pb.upper(c) for c in cells] + [r.value_interval[1] for r in regions])


def _bnb(
    pb: ProductBernstein, regions: list[ProductRegion], state: dict, limits: BnbLimits, t0: float,
    propose: Callable[[tuple], bool], progress: Callable[[dict], None] | None = None,
) -> _Tree:
    """Subdivide until every cell is pruned, weakly pruned or inside a region.

    Pruned: all coefficients < ``state["threshold"]``.  Weakly pruned: all coefficients
    <= ``state["attained"][0]``, a value attained at a known rational point, while it is the threshold.
    """
    tree = _Tree()
    stack: list[ProductCell] = [pb.root()]
    processed = 0
    proposals = 0
    last = time.perf_counter()
    while stack:
        cell = stack.pop()
        processed += 1
        threshold = state["threshold"]
        if processed > limits.max_cells:
            raise _OutOfLimits(f"more than {limits.max_cells} cells", _open_upper(pb, stack + [cell], regions))
        if limits.time_limit is not None and time.perf_counter() - t0 > limits.time_limit:
            raise _OutOfLimits(f"time limit {limits.time_limit} s reached", _open_upper(pb, stack + [cell], regions))
        if progress is not None and time.perf_counter() - last > 0.5:
            last = time.perf_counter()
            progress({"cells_done": processed, "cells_left": len(stack) + 1, "depth": cell.depth, "threshold": float(threshold),
                      "gap": float(_open_upper(pb, stack + [cell], regions) - threshold)})
        tree.max_depth = max(tree.max_depth, cell.depth)
        if pb.below(cell, threshold):
            tree.tokens.append(["p", str(pb.upper(cell))])
            tree.leaves += 1
            tree.pruned += 1
            continue
        att = state.get("attained")
        if att is not None and att[0] == threshold and pb.upper(cell) <= threshold:
            # weak prune: f <= v on the cell, v attained at a known point; f = v exactly on the faces found here
            tree.tokens.append(["w", str(threshold)])
            tree.leaves += 1
            tree.weak += 1
            faces = pb.faces_at(cell, threshold)
            if faces:
                tree.level_faces.append(
                    (threshold, [tuple(tuple(cell.vertex(i, p) for p in fi) for i, fi in enumerate(f)) for f in faces])
                )
            continue
        hit = next((k for k, r in enumerate(regions) if r.contains_cell(cell)), None)
        if hit is not None:
            tree.tokens.append(["r", hit])
            tree.leaves += 1
            tree.in_region += 1
            continue
        choice, best = max(pb.corner_values(cell), key=lambda t: t[1])
        if best > threshold and not any(r.contains_corner(cell, choice) for r in regions):
            # a point better than every certified maximiser: the float search missed something
            proposals += 1
            if proposals > limits.max_restarts * 4 or not propose(cell.point(choice)):
                # nothing certifiable there (a continuum of maximisers?): the corner's exact value is a proved
                # lower bound of the maximum, attained at a known point; go on with it as the threshold
                state["attained"] = (best, cell.point(choice))
                state["threshold"] = best
            stack.append(cell)
            processed -= 1
            continue
        if cell.depth >= limits.max_depth:
            raise _NeedCandidate(cell.centroid(), _open_upper(pb, stack + [cell], regions))
        i, p, q = pb.longest_edge(cell)
        left, right = pb.split(cell, i, p, q)
        tree.tokens.append([i, p, q])
        stack.append(right)
        stack.append(left)
    return tree


# --------------------------------------------------------------------------- main entry
def _incomplete(s: ProductSetup, reason: str, cert: dict, interval: tuple | None = None) -> OptimumResult:
    return OptimumResult(
        value=sympy.nan, value_interval=interval or (Fraction(0), Fraction(0)), orbits=s.orbits, actions=s.actions,
        strategies=(), support=(), mixed=False, value_exact=False, complete=False, method=METHOD, reason=reason, certificate=cert,
    )


def _same_region(a: ProductRegion, b: ProductRegion) -> bool:
    return a.supports == b.supports and all(
        abs(x - y) < Fraction(1, 10**20) for pa, pb_ in zip(a.point, b.point) for x, y in zip(pa, pb_)
    )


def certified_optimum_product(
    game: Game | AnonymousGame,
    orbits: Sequence[Sequence[int]],
    width: Fraction = Fraction(1, 10**30),
    limits: BnbLimits | None = None,
    seed: int = 0,
    progress: Callable[[dict], None] | None = None,
) -> OptimumResult:
    """Proved global maximum of the EU over P-invariant profiles, for orbits ``O_1..O_k`` of P.

    Parameters
    ----------
    game : Game or AnonymousGame
        Rational payoffs, common payoff.
    orbits : list of lists of 0-based players
        A partition of the players; players of one orbit share an action set.
        With a single orbit the one-simplex route
        :func:`exactgames.optimize.bnb.certified_optimum` runs instead.
    width : Fraction
        Required width of the value enclosure.
    limits : BnbLimits, optional
        Cells, depth, candidate restarts and wall time.
    seed : int
        Seed of the float search's starting points (proposals only; the proof does not depend on it).
    progress : callable, optional
        Called about twice a second during the branch and bound with a dict
        (``cells_done``, ``cells_left``, ``depth``, ``threshold``, ``gap``).

    Returns
    -------
    OptimumResult
        ``orbits``, ``actions``, ``strategies`` and ``support`` per orbit.
        ``complete=True`` only with a proof: ``value_interval`` encloses the
        maximum, ``support`` is exact, ``strategies`` are rational points of
        the Krawczyk box (exact for a pure optimum), ``value`` is exact for a
        pure optimum and otherwise the enclosure's midpoint (``value_exact``
        False); ``ties`` lists other optimal profiles (one strategy per orbit)
        and descriptions (``"continuum: ..."``) of continua of maximisers.
        When the maximum is attained outside every certified region (a
        continuum, or a flat maximum) the value and strategies are exact
        rationals and ``certificate["winner"]`` is None.
        ``complete=False`` (with ``reason``) when limits run out or maxima
        cannot be separated: nothing is claimed except that ``value_interval``,
        when not (0, 0), is a proved enclosure of the maximum.  The certificate
        (kind ``"bnb-product-v1"``) is checked by :func:`proofs_check.checker.check_certificate`.

    Examples
    --------
    The robot butlers of Appendix C with the half-turn orbits: alternate food and drink (two tied optima).

    >>> from exactgames.paper_games import robot_butlers
    >>> r = certified_optimum_product(robot_butlers(), [[0, 2], [1, 3]])
    >>> r.complete, r.value, r.strategies, len(r.ties)
    (True, 8, ((1, 0), (0, 1)), 1)

    A continuum: the third player's action does not matter once the first two play ``a``.

    >>> g = Game.from_common([["a", "b"]] * 3, lambda p: 1 if p[0] == p[1] == "a" else 0)
    >>> r = certified_optimum_product(g, [[0, 1], [2]])
    >>> r.complete, r.value, r.strategies, r.certificate["winner"]
    (True, 1, ((1, 0), (1, 0)), None)
    >>> r.ties
    ('continuum: EU = 1 on the whole face {a} x {a,b} (orbit by orbit; every average payoff there equals 1)',)
    """
    orbs = [list(o) for o in orbits]
    if len(orbs) == 1:
        from exactgames.optimize.bnb import certified_optimum

        return certified_optimum(game, orbs, width=width, limits=limits, seed=seed, progress=progress)
    limits = limits or BnbLimits()
    t0 = time.perf_counter()
    s = product_setup(game, orbs)
    k = len(s.ms)
    cert: dict[str, Any] = {"kind": KIND, "orbits": [list(o) for o in s.orbits], "sizes": list(s.sizes), "ms": list(s.ms)}
    pb = s.bernstein
    if all(m == 1 for m in s.ms):
        v = s.pure_value([0] * k)
        return OptimumResult(
            value=sympy.Rational(v.numerator, v.denominator), value_interval=(v, v), orbits=s.orbits, actions=s.actions,
            strategies=tuple((sympy.Integer(1),) for _ in s.ms), support=tuple((0,) for _ in s.ms), mixed=False, method=METHOD,
            certificate={**cert, "regions": [], "tree": [], "threshold": str(v), "winner": -1, "ties": []},
        )
    fe = _FloatProduct(s)
    rng = np.random.default_rng(seed)
    regions: list[ProductRegion] = []
    failed = 0
    restarts = 0

    def add(x: np.ndarray) -> None:
        nonlocal failed
        reg = _candidate_region(s, x, fe)
        if reg is None:
            failed += 1
            return
        if not any(_same_region(reg, r) for r in regions):
            regions.append(reg)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        M = sum(s.ms)
        starts = [np.concatenate([np.full(m, 1.0 / m) for m in s.ms])] + [_random_start(s.ms, rng) for _ in range(M + 1)]
        proposals = list(fe.ascend_batch(np.array(starts)))
        corners = sorted(pb.corner_values(pb.root()), key=lambda t: -t[1])[:3]
        for choice, _ in corners:
            proposals.append(np.concatenate([np.eye(m)[p] for m, p in zip(s.ms, choice)]))
        vals = [fe.value(x) for x in proposals]
        top = max(vals)
        spread = max(abs(top), 1e-12)
        ranked = sorted(zip(proposals, vals), key=lambda t: -t[1])
        for x, v in ranked:
            if v >= top - 1e-6 * spread - 1e-12 or not regions:
                add(x)
        if not regions:
            centroid = starts[0]
            for x, _ in ranked[:3]:
                add(fe.ascend(0.9 * x + 0.1 * centroid))
    state: dict = {}

    def propose(point: tuple) -> bool:
        x0 = np.concatenate([np.array([float(v) for v in xi]) for xi in point])
        before = len(regions)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            add(fe.ascend(x0))
            if len(regions) == before:
                add(fe.ascend(0.9 * x0 + 0.1 * np.concatenate([np.full(m, 1.0 / m) for m in s.ms])))
            if len(regions) == before:
                add(x0)
        if len(regions) > before:
            state["threshold"] = max(state["threshold"], max(r.value_interval[0] for r in regions[before:]))
            return True
        return False

    root_corners = pb.corner_values(pb.root())
    best_choice, best_pure = max(root_corners, key=lambda t: t[1])
    while True:
        if limits.time_limit is not None and time.perf_counter() - t0 > limits.time_limit:
            return _incomplete(s, f"time limit {limits.time_limit} s reached", cert)
        # the best pure profile's payoff is attained: a proved lower bound even when no region could be certified
        state["attained"] = (best_pure, tuple(tuple(Fraction(int(a == p)) for a in range(m)) for m, p in zip(s.ms, best_choice)))
        state["threshold"] = max([r.value_interval[0] for r in regions] + [best_pure])
        try:
            tree = _bnb(pb, regions, state, limits, t0, propose=propose, progress=progress)
            break
        except _NeedCandidate as need:
            restarts += 1
            if restarts > limits.max_restarts or not propose(need.point):
                interval = (state["threshold"], max(need.upper, state["threshold"])) if need.upper is not None else None
                return _incomplete(
                    s, f"maximum subdivision depth {limits.max_depth} reached with nothing certifiable there (a degenerate "
                    "maximiser, or a continuum of maximisers not along cell faces?); value_interval is the proved enclosure so far",
                    cert, interval,
                )
        except _OutOfLimits as exc:
            interval = (state["threshold"], max(exc.upper, state["threshold"])) if exc.upper is not None else None
            return _incomplete(s, f"branch and bound ran out of limits: {exc}; value_interval is the proved enclosure so far", cert,
                               interval)
    threshold = state["threshold"]
    att_v, att_pt = state["attained"]
    decided = _decide(game, s, regions, att_v)
    if isinstance(decided, str):
        lo = max([r.value_interval[0] for r in regions] + [att_v])
        return _incomplete(s, decided, cert, (lo, max([r.value_interval[1] for r in regions] + [att_v])))
    winners, resolved, exact_vals = decided
    faces = [f for level, fs in tree.level_faces if level == att_v for f in fs]
    if -1 in winners:
        region_points = {regions[j].point for j in winners if j >= 0}
        only_points = all(all(len(fi) == 1 for fi in f) for f in faces)
        face_points = {tuple(fi[0] for fi in f) for f in faces}
        if len(winners) > 1 and only_points and face_points <= region_points and att_pt in region_points:
            winners = [j for j in winners if j >= 0]  # the attained point is a certified region's: report the regions
        else:  # the maximum is attained where no region was certified (e.g. a continuum of maximisers)
            return _attained_result(s, pb, regions, winners, exact_vals, att_v, att_pt, faces, tree, threshold, cert,
                                    resolved, restarts, failed, t0)
    win = winners[0]
    ties = winners[1:]
    wlo, whi = regions[win].value_interval
    wr = regions[win]
    if whi - wlo > Fraction(width):
        return _incomplete(s, f"value enclosure width {float(whi - wlo)} exceeds {float(width)}", cert, (wlo, whi))
    exact = wlo == whi
    value = sympy.Rational(wlo.numerator, wlo.denominator) if exact else _rational((wlo + whi) / 2)
    strategies = tuple(tuple(_rational(p) for p in xi) for xi in wr.point)
    tie_strats = tuple(_tie_profile(regions[j], exact_vals.get(j)) for j in ties)
    cert.update(
        {
            "threshold": str(threshold),
            "regions": [r.to_json() for r in regions],
            "winner": win,
            "ties": ties,
            "ties_resolved_exactly": resolved,
            "attained": [str(att_v), [[str(x) for x in xi] for xi in att_pt]],
            "tree": tree.tokens,
            "leaves": tree.leaves,
            "pruned": tree.pruned,
            "in_region": tree.in_region,
            "weak": tree.weak,
            "max_depth": tree.max_depth,
            "prec": PREC,
            "strategies_exact": all(len(S) == 1 for S in wr.supports),
            "restarts": restarts,
            "failed_candidates": failed,
            "seconds": time.perf_counter() - t0,
        }
    )
    return OptimumResult(
        value=value, value_interval=(wlo, whi), orbits=s.orbits, actions=s.actions, strategies=strategies, support=wr.supports,
        mixed=any(len(S) > 1 for S in wr.supports), value_exact=exact, ties=tie_strats, complete=True, method=METHOD,
        certificate=cert,
    )


# --------------------------------------------------------------------------- exact values, ties and continua
def _region_exact(game: Game | AnonymousGame, s: ProductSetup, r: ProductRegion, time_limit: float = 5.0) -> tuple | None:
    """The exact value (``FieldElement``) and maximiser (sympy profile) of a region, or None when not derived.

    A pure region's value is a payoff.  Otherwise the exact critical points of the
    region's product support face (:func:`exactgames.optimize.kkt.kkt_points`) are
    enumerated and the one inside the region is taken: f is proved strictly concave
    on the region's part of that face, so it has at most one critical point there,
    the region's maximiser.
    """
    from exactgames.optimize.algebraic import FieldElement, rational

    if all(len(S) == 1 for S in r.supports):
        v = s.pure_value(r.refs)
        return FieldElement.of(rational(v)), tuple(tuple(sympy.Integer(int(x)) for x in xi) for xi in r.point)
    from exactgames.optimize.kkt import kkt_points

    order = sorted(range(len(s.orbits)), key=lambda i: s.orbits[i])  # kkt_points works with the sorted orbits
    try:
        sr = kkt_points(game, [s.orbits[i] for i in order], [r.supports[i] for i in order], time_limit=time_limit)
    except Exception:  # an optional exact step: None means "not derived"
        return None
    for p in sr.critical:
        strat: list = [None] * len(order)
        for j, i in enumerate(order):
            strat[i] = p.strategies[j]
        inside = True
        for i, S in enumerate(r.supports):
            for a in S:
                lo, _ = strat[i][a].enclosure(Fraction(1, 2**64))
                if lo < r.lower[i][a]:
                    inside = False
        if inside:
            prof = p.sympy_strategies()
            return p.value, tuple(prof[order.index(i)] for i in range(len(order)))
    return None


def _decide(game: Game | AnonymousGame, s: ProductSetup, regions: list[ProductRegion], att_v: Fraction) -> tuple | str:
    """Which candidates attain the maximum: region indices, ``-1`` for the attained point; or why it is undecided.

    Candidates are the regions and the attained point (value ``att_v``).  Any whose enclosure
    lies strictly below the best lower end is out; when several remain they are compared by
    exact values (:func:`_region_exact`, :func:`exactgames.optimize.algebraic.compare_elements`).
    Returns ``(winners, resolved, exact)``: winners (a certified region first), whether an
    irrational enclosure had to be resolved exactly, and the exact (value, profile) per region.
    """
    from exactgames.optimize.algebraic import FieldElement, compare_elements, rational

    top_lo = max([r.value_interval[0] for r in regions] + [att_v])
    cont = [j for j, r in enumerate(regions) if r.value_interval[1] >= top_lo]
    if att_v >= top_lo:
        cont.append(-1)
    order = sorted(cont, key=lambda j: (j == -1, regions[j].supports if j >= 0 else (), regions[j].point if j >= 0 else ()))
    if len(order) == 1:
        return order, False, {}
    vals: dict[int, Any] = {}
    exact: dict[int, tuple] = {}
    for j in order:
        if j == -1:
            vals[j] = FieldElement.of(rational(att_v))
            continue
        got = _region_exact(game, s, regions[j])
        if got is None:
            lo = regions[j].value_interval[0]
            return (f"certified local maxima with overlapping value enclosures near {float(lo)}: the exact value of the one "
                    f"on supports {[list(S) for S in regions[j].supports]} was not derived, so they cannot be separated")
        vals[j] = got[0]
        exact[j] = got
    best = order[0]
    for j in order[1:]:
        if compare_elements(vals[j], vals[best]) > 0:
            best = j
    winners = [j for j in order if j == best or compare_elements(vals[j], vals[best]) == 0]
    winners.sort(key=lambda j: j == -1 and len(winners) > 1)  # a certified region first when it ties
    resolved = any(regions[j].value_interval[0] != regions[j].value_interval[1] for j in order if j >= 0)
    return winners, resolved, exact


def _tie_profile(r: ProductRegion, got: tuple | None) -> tuple:
    """A tied region's maximiser as a profile: exact when derived, else the Krawczyk centre."""
    if got is not None:
        return got[1]
    return tuple(tuple(_rational(p) for p in xi) for xi in r.point)


def _face_text(s: ProductSetup, face: Sequence[Sequence[int]]) -> str:
    return " x ".join("{" + ",".join(s.actions[i][a] for a in fi) + "}" for i, fi in enumerate(face))


def _attained_result(
    s: ProductSetup, pb: ProductBernstein, regions: list[ProductRegion], winners: list[int], exact: dict, v: Fraction,
    point: tuple, faces: list, tree: _Tree, threshold: Fraction, cert: dict, resolved: bool, restarts: int, failed: int,
    t0: float,
) -> OptimumResult:
    """The maximum ``v`` is attained at a known rational profile outside every certified region.

    Every cell was pruned strictly below the threshold (at most ``v``), weakly (all coefficients
    <= v), or lies in a region not better than ``v``; so the maximisers are the tied regions'
    points and the faces of the weakly pruned cells whose coefficients all equal ``v``
    (:meth:`ProductBernstein.faces_at`).  Positive-dimensional ones are described as whole
    faces of the product of simplices when f is identically ``v`` there (every Bernstein
    coefficient of the face, an average payoff, equals ``v``), else as the cell faces.
    """
    k = len(s.ms)
    faces = list(dict.fromkeys(tuple(tuple(sorted(fi)) for fi in f) for f in faces))  # a face shared by cells once
    points = {tuple(fi[0] for fi in f) for f in faces if all(len(fi) == 1 for fi in f)}
    region_ties = [j for j in winners if j >= 0]
    rational_regions = {regions[j].point for j in region_ties if regions[j].radius == 0}
    points |= rational_regions
    pieces = [f for f in faces if any(len(fi) > 1 for fi in f)]
    cands = points | {point}
    pure = sorted((p for p in cands if all(sum(1 for x in xi if x) == 1 for xi in p)), key=lambda p: [xi.index(1) for xi in p])
    main = pure[0] if pure else min(cands)
    others = sorted(p for p in points if p != main)
    ties: list[Any] = [tuple(tuple(_rational(x) for x in xi) for xi in p) for p in others]
    ties += [_tie_profile(regions[j], exact.get(j)) for j in region_ties if regions[j].radius != 0]
    if pieces:
        # whole product faces on which f is identically v (Bernstein coefficients on the root = average payoffs)
        whole = [f for f in pb.faces_at(pb.root(), v) if any(len(fi) > 1 for fi in f)]
        used = []
        rest = []
        for f in pieces:
            hit = next((g for g in whole if all(all(vert[a] == 0 for vert in fi for a in range(s.ms[i]) if a not in g[i])
                                                 for i, fi in enumerate(f))), None)
            if hit is None:
                rest.append(f)
            elif hit not in used:
                used.append(hit)
        for g in used:
            ties.append(f"continuum: EU = {v} on the whole face {_face_text(s, g)} (orbit by orbit; every average payoff "
                        f"there equals {v})")
        if rest:
            shown = "; ".join(
                " x ".join("conv{" + ", ".join("(" + ", ".join(str(x) for x in vert) + ")" for vert in fi) + "}" for fi in f)
                for f in rest[:3]
            )
            ties.append(f"continuum: EU = {v} on {len(rest)} face{'s' if len(rest) != 1 else ''} of subdivision cells (orbit by orbit): {shown}"
                        + ("; ... (all in the certificate)" if len(rest) > 3 else ""))
    support = tuple(tuple(a for a in range(s.ms[i]) if main[i][a] > 0) for i in range(k))
    cert.update({
        "threshold": str(threshold), "regions": [r.to_json() for r in regions], "winner": None,
        "ties": region_ties, "ties_resolved_exactly": resolved,
        "attained": [str(v), [[str(x) for x in xi] for xi in point]],
        "maximiser_faces": [[[[str(x) for x in vert] for vert in fi] for fi in f] for f in faces],
        "tree": tree.tokens, "leaves": tree.leaves, "pruned": tree.pruned, "in_region": tree.in_region, "weak": tree.weak,
        "max_depth": tree.max_depth, "prec": PREC, "strategies_exact": True,
        "exact_value_note": "the maximum is a payoff-exact value attained at a rational profile", "restarts": restarts,
        "failed_candidates": failed, "seconds": time.perf_counter() - t0,
    })
    return OptimumResult(
        value=_rational(v), value_interval=(v, v), orbits=s.orbits, actions=s.actions,
        strategies=tuple(tuple(_rational(x) for x in xi) for xi in main), support=support,
        mixed=any(len(S) > 1 for S in support), value_exact=True, ties=tuple(ties), complete=True, method=METHOD,
        certificate=cert,
    )


def _rational(q: Fraction) -> sympy.Rational:
    return sympy.Rational(q.numerator, q.denominator)

