"""Certified regions around local maximisers on one simplex, and the float search that proposes them.

For a candidate with support ``S`` and reference action ``r in S`` the region
is the corner simplex ``R = {x in simplex: x_a >= lower_a}``.  With exact
Bernstein coefficients on ``R`` it is proved that every off-support reduced
gradient is strictly negative on ``R`` and that every Bernstein coefficient
matrix of the reduced Hessian on the support face is negative definite, and
Krawczyk's operator (``arb``) maps a box of radius 2^-200 strictly into
itself: f has a unique maximiser on ``R``, in the box.  Floats only propose
candidates (:class:`_FloatEU`).  Used by :mod:`exactgames.optimize.bnb`.

Examples
--------
>>> from fractions import Fraction
>>> from exactgames.optimize.interval import SymPoly
>>> pay = {(2, 0): Fraction(0), (1, 1): Fraction(1), (0, 2): Fraction(0)}
>>> reg = _certify_region(SymPoly.from_payoffs(2, 2, pay), pay, (0, 1), 1, [Fraction(1, 2)])
>>> reg.support, reg.value_interval[0] <= Fraction(1, 2) <= reg.value_interval[1]
((0, 1), True)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from exactgames.model.game import count_vectors, multinomial
from exactgames.optimize.bernstein import FormBuilder
from exactgames.optimize.float_search import newton_polish, projected_ascent, scaled_floats
from exactgames.optimize.interval import (
    SymPoly,
    arb_to_fraction_bounds,
    ball,
    coefficient_matrices_negative_definite,
    fraction_to_arb,
    krawczyk,
    newton_refine,
    set_prec,
)

__all__ = ["Region", "PREC", "KRAWCZYK_RADIUS"]

PREC = 320
KRAWCZYK_RADIUS = Fraction(1, 2**200)


@dataclass(frozen=True)
class Region:
    """A certified corner simplex ``{x in simplex: x_a >= lower_a}`` around one local maximiser.

    Attributes
    ----------
    support : tuple of int
    ref : int
        Reference action (in ``support``) eliminated by ``x_ref = 1 - sum(others)``.
    center : tuple of Fraction
        Rational centre of the Krawczyk box, coordinates of ``support`` minus ``ref`` (in order).
    radius : Fraction
        Krawczyk box radius (0 for a vertex).
    rho : Fraction
        ``lower_a = max(0, x_a - rho)`` on the support, 0 off it.
    lower : tuple of Fraction
        The corner simplex's lower bounds per action.
    value_interval : (Fraction, Fraction)
        Proved enclosure of the maximum of f on the region.
    gradient_upper : tuple of Fraction
        Bernstein upper bounds of the off-support reduced gradients on the region (all < 0).
    hessian : tuple
        ``("bernstein-matrices", count)``: every Bernstein coefficient matrix of minus the reduced Hessian on
        the region's support face is positive definite (exact LDL^T), so the Hessian is negative definite
        on the face part of the region (empty for a vertex).
    krawczyk_image : tuple of (Fraction, Fraction)
    """

    support: tuple[int, ...]
    ref: int
    center: tuple[Fraction, ...]
    radius: Fraction
    rho: Fraction
    lower: tuple[Fraction, ...]
    value_interval: tuple[Fraction, Fraction]
    gradient_upper: tuple[Fraction, ...] = ()
    hessian: tuple = ()
    krawczyk_image: tuple = ()

    @property
    def point(self) -> tuple[Fraction, ...]:
        """The rational centre as a full strategy (x_ref = 1 - sum)."""
        m = len(self.lower)
        idx = [a for a in self.support if a != self.ref]
        x = [Fraction(0)] * m
        for a, v in zip(idx, self.center):
            x[a] = v
        x[self.ref] = 1 - sum(self.center, Fraction(0))
        return tuple(x)

    def contains(self, pt: Sequence[Fraction]) -> bool:
        return all(v >= lo for v, lo in zip(pt, self.lower))

    def contains_scaled(self, pt: Sequence[int], exp: int) -> bool:
        """Whether the simplex point ``pt / 2**exp`` lies in the region."""
        d = 1 << exp
        return all(v * lo.denominator >= lo.numerator * d for v, lo in zip(pt, self.lower))

    def to_json(self) -> dict[str, Any]:
        return {
            "support": list(self.support),
            "ref": self.ref,
            "center": [str(c) for c in self.center],
            "radius": str(self.radius),
            "rho": str(self.rho),
            "lower": [str(v) for v in self.lower],
            "value_interval": [str(v) for v in self.value_interval],
            "gradient_upper": [str(v) for v in self.gradient_upper],
            "hessian_proof": f"{self.hessian[0]}: {self.hessian[1]}" if self.hessian else "",
            "krawczyk_image": [[str(lo), str(hi)] for lo, hi in self.krawczyk_image],
        }


# --------------------------------------------------------------------------- float search (proposals only)
class _FloatEU:
    """Float EU and gradient (vectorised); used only to propose candidates."""

    def __init__(self, n: int, m: int, pay: dict) -> None:
        vecs = list(count_vectors(n, m))
        self.n, self.m = n, m
        self.exps = np.array(vecs, dtype=int).reshape(-1, m)
        self.w = scaled_floats([multinomial(c) * pay[c] for c in vecs])  # a positive scaling: same maximisers
        self.ar = np.arange(m)
        dev = np.repeat(self.exps[None, :, :], m, axis=0)
        for a in range(m):
            dev[a, :, a] = np.maximum(dev[a, :, a] - 1, 0)
        self.dev = dev
        self.dw = (self.w[None, :] * self.exps.T).astype(float)  # (m, K)

    def _pw(self, x: np.ndarray) -> np.ndarray:
        return np.power.outer(np.clip(x, 0, None), np.arange(self.n + 1))

    def values(self, x: np.ndarray) -> np.ndarray:
        """EU of each row of a batch ``x`` of shape ``(B, m)``."""
        pw = self._pw(x)
        return pw[:, self.ar, self.exps].prod(axis=2) @ self.w

    def grads(self, x: np.ndarray) -> np.ndarray:
        """Gradient of each row of a batch ``x`` of shape ``(B, m)``."""
        pw = self._pw(x)
        return (self.dw[None] * pw[:, self.ar, self.dev].prod(axis=3)).sum(axis=2)

    def value(self, x: np.ndarray) -> float:
        return float(self.values(x[None, :])[0])

    def grad(self, x: np.ndarray) -> np.ndarray:
        return self.grads(x[None, :])[0]

    def hess(self, x: np.ndarray) -> np.ndarray:
        if not hasattr(self, "hdev"):
            m = self.m
            hd = np.repeat(self.exps[None, None, :, :], m, axis=0).repeat(m, axis=1)
            hw = np.empty((m, m, len(self.w)))
            for a in range(m):
                for b in range(m):
                    hw[a, b] = self.w * self.exps[:, a] * (self.exps[:, b] - (a == b))
                    hd[a, b, :, a] -= 1
                    hd[a, b, :, b] -= 1
            self.hw = hw
            self.hdev = np.maximum(hd, 0)
        pw = self._pw(x)
        return (self.hw * pw[self.ar, self.hdev].prod(axis=3)).sum(axis=2)

    def plausible_region(self, lower: Sequence[Fraction], support: Sequence[int], ref: int) -> bool:
        """Float pre-test at the region's vertices (the true values there): False means the exact test would fail."""
        m = self.m
        low = np.array([float(v) for v in lower])
        s = 1.0 - low.sum()
        idx = [a for a in support if a != ref]
        off = [a for a in range(m) if a not in support]
        for i in range(m):
            v = low.copy()
            v[i] += s
            if off:
                g = self.grad(v)
                if any(g[j] - g[ref] >= 0 for j in off):
                    return False
            if idx and i in support:
                h = self.hess(v)
                red = np.array([[h[a, b] - h[a, ref] - h[ref, b] + h[ref, ref] for b in idx] for a in idx])
                if np.linalg.eigvalsh(red).max() >= 0:
                    return False
        return True


def _local_max(fe: _FloatEU, x0: np.ndarray) -> np.ndarray:
    """Float local maximiser from one start (proposal only): batched projected ascent, then Newton on the face."""
    return _local_maxes(fe, np.atleast_2d(x0))[0]


def _local_maxes(fe: _FloatEU, x0: np.ndarray) -> list[np.ndarray]:
    with np.errstate(all="ignore"):
        xs = projected_ascent(fe.values, fe.grads, np.array(x0, dtype=float))
        out = []
        for x in xs:
            x = newton_polish(fe.values, fe.grads, fe.hess, x)
            x = np.clip(x, 0, None)
            out.append(x / x.sum())
    return out


def _starts(m: int, k: int, rng: np.random.Generator) -> list[np.ndarray]:
    out = [np.full(m, 1.0 / m)]
    for _ in range(k):
        d = -np.log(rng.random(m))
        out.append(d / d.sum())
    return out


# --------------------------------------------------------------------------- candidate refinement and region proof
def _newton(poly: SymPoly, ref: int, idx: list[int], z: list[float]) -> list[Fraction] | None:
    """High-precision Newton on the reduced gradient of the face; returns a rational centre or None."""

    def system(zc: list) -> tuple:
        x = poly.embed(dict(zip(idx, zc)), poly.m, ref)
        return poly.reduced_gradient(x, ref, idx), poly.reduced_hessian(x, ref, idx)

    return newton_refine(system, z, PREC)


def _certify_region(
    poly: SymPoly, pay: dict, support: tuple[int, ...], ref: int, center: list[Fraction], fe: "_FloatEU | None" = None
) -> Region | None:
    """Prove a corner-simplex region around the candidate (see the module docstring); None when a check fails."""
    m, n = poly.m, poly.n
    idx = [a for a in support if a != ref]
    off = [a for a in range(m) if a not in support]
    radius = KRAWCZYK_RADIUS if idx else Fraction(0)
    kimage: tuple = ()
    xref = 1 - sum(center, Fraction(0))
    if idx and n < 2:  # a linear EU has no isolated mixed maximiser
        return None
    if idx:
        if any(c - radius <= 0 for c in center) or xref - len(idx) * radius <= 0:
            return None
        kr = krawczyk(poly, ref, idx, center, radius, PREC)
        if not kr.proved:
            return None
        kimage = kr.image
        if any(lo <= 0 for lo, _ in kr.image):
            return None
    point = [Fraction(0)] * m
    for a, c in zip(idx, center):
        point[a] = c
    point[ref] = xref
    fb = _form_builder(pay, n, m)
    grad_forms = [fb.gradient(j, ref) for j in off]
    hess_forms = {(a, b): fb.hessian(a, b, ref) for ai, a in enumerate(idx) for b in idx[ai:]}
    rho = Fraction(1, 4)
    for _ in range(50):
        lower = tuple(_floor_dyadic(point[a] - rho, rho) if a in support else Fraction(0) for a in range(m))
        # the Krawczyk box must lie in the region (on-support coordinates >= lower)
        inside = all(c - radius >= lower[a] for a, c in zip(idx, center)) and xref - len(idx) * radius >= lower[ref]
        ok = inside and (fe is None or fe.plausible_region(lower, support, ref))
        gup: list[Fraction] = []
        if ok:
            for form in grad_forms:
                hi = form.range(lower)[1]
                if hi >= 0:
                    ok = False
                    break
                gup.append(hi)
        hess: tuple = ()
        if ok and idx:
            # H(x) on the face is a convex combination of its Bernstein coefficient matrices: all ND => H(x) ND
            hc = {key: form.coefficients(lower, tuple(support)) for key, form in hess_forms.items()}
            keys = list(count_vectors(n - 2, len(support)))
            ok = coefficient_matrices_negative_definite(hc, keys, idx)
            if ok:
                hess = ("bernstein-matrices", len(keys))
        if ok:
            break
        rho /= 2
        if rho < Fraction(1, 2**40):
            return None
    else:
        return None
    # value enclosure
    if not idx:
        v = pay[tuple(n if a == ref else 0 for a in range(m))]
        vi = (v, v)
    else:
        with set_prec(PREC):
            zc = [fraction_to_arb(c) for c in center]
            zb = [ball(c, radius) for c in center]
            f0 = poly.value(poly.embed(dict(zip(idx, zc)), m, ref))
            gb = poly.reduced_gradient(poly.embed(dict(zip(idx, zb)), m, ref), ref, idx)
            val = f0
            for i in range(len(idx)):
                val = val + gb[i] * (zb[i] - zc[i])
            lo, hi = arb_to_fraction_bounds(val)
            # pad outward (still a proved enclosure) so that an independent re-evaluation with other rounding fits inside
            pad = Fraction(1, 2**240)
            vi = (_round_down(lo - pad), _round_up(hi + pad))
    return Region(tuple(sorted(support)), ref, tuple(center), radius, rho, lower, vi, tuple(gup), hess, kimage)


_FB_CACHE: dict = {}


def _form_builder(pay: dict, n: int, m: int) -> FormBuilder:
    key = id(pay)
    hit = _FB_CACHE.get(key)
    if hit is None or hit[0] is not pay:
        _FB_CACHE.clear()
        hit = _FB_CACHE[key] = (pay, FormBuilder(pay, n, m))
    return hit[1]


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


def _candidate_region(poly: SymPoly, pay: dict, x: np.ndarray, tol: float = 1e-7, fe: "_FloatEU | None" = None) -> Region | None:
    m = poly.m
    order = np.argsort(-x)
    # try the natural support first, then slightly smaller/larger thresholds
    tried = set()
    for t in (tol, 1e-5, 1e-9, 1e-3):
        support = tuple(sorted(int(a) for a in range(m) if x[a] > t)) or (int(order[0]),)
        if support in tried:
            continue
        tried.add(support)
        ref = max(support, key=lambda a: x[a])
        idx = [a for a in support if a != ref]
        if idx:
            xs = x.copy()
            xs[[a for a in range(m) if a not in support]] = 0
            xs /= xs.sum()
            center = _newton(poly, ref, idx, [float(xs[a]) for a in idx])
            if center is None:
                continue
        else:
            center = []
        reg = _certify_region(poly, pay, support, ref, center, fe)
        if reg is not None:
            return reg
    return None


