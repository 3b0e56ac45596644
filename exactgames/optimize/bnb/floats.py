"""Float local search on a product of simplices: it only *proposes* candidates, the proof never depends on it.

:class:`FloatProduct` works on any number of factors (concatenated variables);
:class:`FloatSimplex` is the fast single-factor path (count vectors of one
orbit), used by the branch and bound when there is one orbit.

Examples
--------
>>> import numpy as np
>>> from fractions import Fraction
>>> fe = FloatSimplex(2, 2, {(2, 0): Fraction(0), (1, 1): Fraction(1), (0, 2): Fraction(0)})
>>> [round(float(v), 6) for v in _local_max(fe, np.array([0.9, 0.1]))]
[0.5, 0.5]
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from exactgames.model.counts import count_vectors, multinomial
from exactgames.optimize.bnb.form import ProductSetup, reduced_entry
from exactgames.optimize.float_search import newton_polish, project_simplex, projected_ascent, scaled_floats

__all__ = ["FloatProduct", "FloatSimplex", "starts", "random_start", "MAX_REGION_CORNERS"]

MAX_REGION_CORNERS = 256



def _monomials(cache: dict, x: np.ndarray, exps: np.ndarray, nvars: int, top: int, powers: np.ndarray) -> np.ndarray:
    """``x^e`` for every row of the batch ``x`` and every exponent row of ``exps``: shape ``(B, len(exps))``.

    The product over the variables, one column gather of a flattened table of powers ``0..top`` per variable;
    the columns are cached in ``cache`` per exponent table.
    """
    key = id(exps)
    cols = cache.get(key)
    if cols is None:
        flat = exps + np.arange(nvars) * (top + 1)
        cols = cache[key] = (flat, [flat[:, v].copy() for v in range(nvars)])
    pw = np.power.outer(np.maximum(x, 0.0), powers).reshape(len(x), -1)  # (B, nvars * (top + 1))
    if len(x) == 1 and exps.size <= 2000:  # one point, a small table: one gather (fewer numpy calls)
        return pw[:, cols[0]].prod(axis=2)
    cols = cols[1]
    out = pw[:, cols[0]]
    for c in cols[1:]:
        out *= pw[:, c]
    return out

class FloatProduct:
    """Float EU, gradient and Hessian in the concatenated variables; used only to propose candidates."""

    def __init__(self, setup: ProductSetup) -> None:
        self.setup = setup
        self.M = sum(setup.ms)
        keys = list(setup.coef)
        self.exps = np.array(keys, dtype=int).reshape(-1, self.M)
        self.w = scaled_floats([setup.coef[c] for c in keys])  # a positive scaling: same maximisers
        self.top = max(setup.sizes)
        self.ar = np.arange(self.M)
        self.slices = [slice(o, o + m) for o, m in zip(setup.offsets, setup.ms)]
        self._cols: dict = {}
        self._powers = np.arange(self.top + 1)

    def _mono(self, x: np.ndarray, exps: np.ndarray) -> np.ndarray:
        """``x^e`` for every row of the batch ``x`` (shape ``(B, M)``) and every exponent row of ``exps``: ``(B, len(exps))``.

        The product over the variables in their order, one column gather of a flattened power table per variable.
        """
        return _monomials(self._cols, x, exps, self.M, self.top, self._powers)

    def _derivative_table(self, order: int) -> tuple[np.ndarray, np.ndarray]:
        """Monomials and coefficients of the first (``order`` 1: ``(D, M)``) or second (2: ``(D, M * M)``) derivatives.

        ``d_v f = sum_t w_t e_tv x^(e_t - 1_v)``: the distinct exponent rows ``e_t - 1_v`` (and ``e_t - 1_u - 1_v``)
        with, per row and variable (pair), the sum of the weights landing there.
        """
        key = ("_d", order)
        if key not in self.__dict__:
            M = self.M
            parts, cols, coefs = [], [], []
            pairs = [(v,) for v in range(M)] if order == 1 else [(u, v) for u in range(M) for v in range(M)]
            for pr in pairs:
                d = self.exps.copy()
                c = self.w.copy()
                for v in pr:
                    c = c * d[:, v]
                    d[:, v] -= 1
                keep = (d >= 0).all(axis=1) & (c != 0)
                parts.append(d[keep])
                cols.append(np.full(int(keep.sum()), pr[0] if order == 1 else pr[0] * M + pr[1]))
                coefs.append(c[keep])
            allrows = np.concatenate(parts) if parts else np.zeros((0, M), dtype=int)
            exps, inv = np.unique(allrows, axis=0, return_inverse=True)
            table = np.zeros((len(exps), M if order == 1 else M * M))
            if len(allrows):
                np.add.at(table, (inv.ravel(), np.concatenate(cols)), np.concatenate(coefs))
            self.__dict__[key] = (exps.astype(int).reshape(-1, M), table)
        return self.__dict__[key]

    def value(self, x: np.ndarray) -> float:
        if not len(self.w):
            return 0.0
        return float(self.values(x[None, :])[0])

    def grad(self, x: np.ndarray) -> np.ndarray:
        return self.grads(np.atleast_2d(x))[0]

    def hess(self, x: np.ndarray) -> np.ndarray:
        if not len(self.w):
            return np.zeros((self.M, self.M))
        exps, table = self._derivative_table(2)
        if not len(exps):
            return np.zeros((self.M, self.M))
        return (self._mono(x[None, :], exps) @ table).reshape(self.M, self.M)

    def values(self, x: np.ndarray) -> np.ndarray:
        """f at every row of ``x`` (batch, M)."""
        if not len(self.w):
            return np.zeros(len(x))
        return self._mono(x, self.exps) @ self.w

    def grads(self, x: np.ndarray) -> np.ndarray:
        """The gradient at every row of ``x`` (batch, M)."""
        if not len(self.w):
            return np.zeros_like(x)
        exps, table = self._derivative_table(1)
        return self._mono(x, exps) @ table

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
            rh = np.array([[reduced_entry(h, s, p, q, refs) for q in pairs] for p in pairs])
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
                rh = np.array([[reduced_entry(h, s, p, q, refs) for q in pairs] for p in pairs])
                if np.linalg.eigvalsh(rh).max() >= 0:
                    return False
        return True



def random_start(ms: Sequence[int], rng: np.random.Generator) -> np.ndarray:
    return np.concatenate([rng.dirichlet(np.ones(m)) for m in ms])


class FloatSimplex:
    """Float EU and gradient (vectorised); used only to propose candidates."""

    def __init__(self, n: int, m: int, pay: dict) -> None:
        """From the payoff (Bernstein coefficient) of every count vector of n players over m actions."""
        vecs = list(count_vectors(n, m))
        self._build(n, m, vecs, [multinomial(c) * pay[c] for c in vecs])

    @classmethod
    def of_setup(cls, setup: ProductSetup) -> "FloatSimplex":
        """The single factor of a one-orbit :class:`ProductSetup` (monomial coefficients, no payoff table)."""
        (n,), (m,) = setup.sizes, setup.ms
        vecs = list(count_vectors(n, m))
        out = cls.__new__(cls)
        out._build(n, m, vecs, [setup.coef.get(c, 0) for c in vecs])
        return out

    def _build(self, n: int, m: int, vecs: list, weights: list) -> None:
        self.n, self.m = n, m
        self.exps = np.array(vecs, dtype=int).reshape(-1, m)
        self.w = scaled_floats(weights)  # a positive scaling: same maximisers
        self.ar = np.arange(m)
        self._cols: dict = {}
        self._powers = np.arange(n + 1)
        # f = sum_c w_c x^c; d_a f = sum_{|e| = n-1} (e_a + 1) w_{e + e_a} x^e and the Hessian likewise from the
        # monomials of degree n - 2: one table of monomials and one matrix product per derivative order
        self._pos = None if (n + 1) ** m < 2**62 else {c: k for k, c in enumerate(vecs)}  # codes fit in int64, or a dict
        if self._pos is None:
            self._code = (n + 1) ** np.arange(m, dtype=np.int64)
            self._order = np.argsort(self.exps @ self._code)
        self.e1 = _vectors(n - 1, m)
        self.g1 = np.zeros((len(self.e1), m))
        for a in range(m):
            c = self.e1.copy()
            c[:, a] += 1
            self.g1[:, a] = c[:, a] * self.w[self._find(c)]

    def _find(self, c: np.ndarray) -> np.ndarray:
        """Row index in ``self.exps`` of every count vector (row) of ``c``."""
        if self._pos is not None:
            return np.array([self._pos[tuple(row)] for row in c.tolist()], dtype=int)
        codes = self.exps @ self._code
        return self._order[np.searchsorted(codes[self._order], c @ self._code)]

    def _mono(self, x: np.ndarray, exps: np.ndarray) -> np.ndarray:
        """``x^e`` for every row of the batch ``x`` (shape ``(B, m)``) and every exponent row of ``exps``: ``(B, len(exps))``."""
        return _monomials(self._cols, x, exps, self.m, self.n, self._powers)

    def values(self, x: np.ndarray) -> np.ndarray:
        """EU of each row of a batch ``x`` of shape ``(B, m)``."""
        return self._mono(x, self.exps) @ self.w

    def grads(self, x: np.ndarray) -> np.ndarray:
        """Gradient of each row of a batch ``x`` of shape ``(B, m)``."""
        return self._mono(x, self.e1) @ self.g1

    def value(self, x: np.ndarray) -> float:
        return float(self.values(x[None, :])[0])

    def grad(self, x: np.ndarray) -> np.ndarray:
        return self.grads(x[None, :])[0]

    def hess(self, x: np.ndarray) -> np.ndarray:
        m, n = self.m, self.n
        if not hasattr(self, "h2"):
            self.e2 = _vectors(n - 2, m)
            h2 = np.zeros((len(self.e2), m, m))
            for a in range(m):
                for b in range(m):
                    c = self.e2.copy()
                    c[:, a] += 1
                    c[:, b] += 1
                    h2[:, a, b] = c[:, a] * (c[:, b] - (a == b)) * self.w[self._find(c)]
            self.h2 = h2.reshape(len(self.e2), m * m)
        if not len(self.e2):
            return np.zeros((m, m))
        return (self._mono(x[None, :], self.e2) @ self.h2).reshape(m, m)

    def plausible_region(self, lower: Sequence[Sequence[Fraction]], supports: Sequence[Sequence[int]], refs: Sequence[int]) -> bool:
        """Float pre-test at the region's vertices (the true values there): False means the exact test would fail.

        Same arguments as :meth:`FloatProduct.plausible_region` (one factor).
        """
        m = self.m
        support, ref = supports[0], refs[0]
        low = np.array([float(v) for v in lower[0]])
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


def _vectors(n: int, m: int) -> np.ndarray:
    """The count vectors of n players over m actions as the rows of an integer array (none when n < 0)."""
    if n < 0:
        return np.zeros((0, m), dtype=int)
    return np.array(list(count_vectors(n, m)), dtype=int).reshape(-1, m)


def _local_max(fe: FloatSimplex, x0: np.ndarray) -> np.ndarray:
    """Float local maximiser from one start (proposal only): batched projected ascent, then Newton on the face."""
    return _local_maxes(fe, np.atleast_2d(x0))[0]


def _local_maxes(fe: FloatSimplex, x0: np.ndarray) -> list[np.ndarray]:
    with np.errstate(all="ignore"):
        xs = projected_ascent(fe.values, fe.grads, np.array(x0, dtype=float))
        out = []
        for x in xs:
            x = newton_polish(fe.values, fe.grads, fe.hess, x)
            x = np.clip(x, 0, None)
            out.append(x / x.sum())
    return out


def starts(m: int, k: int, rng: np.random.Generator) -> list[np.ndarray]:
    out = [np.full(m, 1.0 / m)]
    for _ in range(k):
        d = -np.log(rng.random(m))
        out.append(d / d.sum())
    return out


# --------------------------------------------------------------------------- the branch and bound's proposer
class _Proposer:
    """Float candidates for the branch and bound (proposals only): the single-factor search for one orbit, the
    product search otherwise.  ``first(pb, n)`` takes the cell form (for the root's best corners)."""

    def __init__(self, s: ProductSetup, seed: int) -> None:
        self.s = s
        self.one = len(s.ms) == 1
        self.fe: Any = FloatSimplex.of_setup(s) if self.one else FloatProduct(s)
        self.rng = np.random.default_rng(seed)
        self.centroid = np.concatenate([np.full(m, 1.0 / m) for m in s.ms])

    def first(self, pb: Any, n_starts: int | None) -> list[np.ndarray]:
        s = self.s
        if self.one:
            m = s.ms[0]
            first = starts(m, m + 1 if n_starts is None else n_starts, self.rng)
            out = _local_maxes(self.fe, np.array(first))
            best = max(range(m), key=lambda a: s.pure_value((a,)))
            out.append(np.eye(m)[best])  # the best pure strategy: a cheap candidate
            return out
        M = sum(s.ms)
        pts = [self.centroid] + [random_start(s.ms, self.rng) for _ in range(M + 1 if n_starts is None else n_starts)]
        out = list(self.fe.ascend_batch(np.array(pts)))
        for choice, _ in sorted(pb.corner_values(pb.root()), key=lambda t: -t[1])[:3]:
            out.append(np.concatenate([np.eye(m)[p] for m, p in zip(s.ms, choice)]))
        return out

    def ascend(self, x: np.ndarray) -> np.ndarray:
        return _local_max(self.fe, x) if self.one else self.fe.ascend(x)
