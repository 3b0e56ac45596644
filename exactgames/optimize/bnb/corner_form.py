"""Exact Bernstein coefficients of a multi-homogeneous polynomial on a product of corner simplices.

:class:`ProductCornerForm` holds the polynomial as a python-flint ``fmpq_mpoly``
and composes it with the affine map of a corner ``{x^(i) in simplex: x^(i) >=
lower^(i)}`` of each factor; the signs of the resulting Bernstein coefficients
prove gradient signs and Hessian definiteness on the regions of
:mod:`exactgames.optimize.bnb.regions`.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Mapping, Sequence

from exactgames.model.counts import multinomial

__all__ = ["ProductCornerForm"]


class ProductCornerForm:
    """A multi-homogeneous polynomial (python-flint ``fmpq_mpoly`` in the concatenated variables).

    Parameters
    ----------
    form : mapping from concatenated exponent vectors to rationals (Fraction, int or fmpq)
    ms : number of actions of each factor

    Examples
    --------
    >>> F = Fraction
    >>> pf = ProductCornerForm({(1, 0, 0, 1): F(1), (0, 1, 1, 0): F(-1)}, (2, 2))
    >>> pf.range([(F(0), F(0)), (F(0), F(0))])
    (Fraction(-1, 1), Fraction(1, 1))
    >>> pf.range([(F(1, 2), F(0)), (F(0), F(1, 2))])  # x1 >= (1/2, 0), x2 >= (0, 1/2)
    (Fraction(0, 1), Fraction(1, 1))
    """

    _ctx_cache: dict = {}

    def __init__(self, form: Mapping[tuple[int, ...], Any], ms: Sequence[int], poly: Any = None) -> None:
        import flint

        self.ms = tuple(ms)
        self.offsets = tuple(sum(self.ms[:i]) for i in range(len(self.ms)))
        total = sum(self.ms)
        if total not in ProductCornerForm._ctx_cache:
            ProductCornerForm._ctx_cache[total] = flint.fmpq_mpoly_ctx.get(("y", total), "lex")
        self.ctx = ProductCornerForm._ctx_cache[total]
        if poly is None:
            poly = self.ctx.from_dict({c: _q(v) for c, v in form.items() if v != 0})
        self.poly = poly
        self.zero = poly.is_zero()
        self.degrees = self._degrees() if not self.zero else tuple(0 for _ in self.ms)

    def _degrees(self) -> tuple[int, ...]:
        exps = self.poly.monomial(0)
        return tuple(sum(exps[o:o + m]) for o, m in zip(self.offsets, self.ms))

    def derivative(self, var: int) -> "ProductCornerForm":
        """The partial derivative in the concatenated variable ``var``."""
        return ProductCornerForm({}, self.ms, self.poly.derivative(var))

    def __sub__(self, other: "ProductCornerForm") -> "ProductCornerForm":
        return ProductCornerForm({}, self.ms, self.poly - other.poly)

    def elevated(self, degrees: Sequence[int], active: Sequence[Sequence[int]]) -> "ProductCornerForm":
        """Multiply by ``prod_i (sum_{a in active_i} x^(i)_a)^(degrees_i - own degree_i)``: equal on the face, higher degree."""
        if self.zero:
            return self
        gens = self.ctx.gens()
        p = self.poly
        for i, (want, have) in enumerate(zip(degrees, self.degrees)):
            if want < have:
                raise ValueError("cannot lower a degree")
            if want > have:
                s = self.ctx.from_dict({})
                for a in active[i]:
                    s = s + gens[self.offsets[i] + a]
                p = p * s ** (want - have)
        return ProductCornerForm({}, self.ms, p)

    def compose_seconds(self) -> float:
        """A rough prediction of one :meth:`range` / :meth:`coefficients` call (the corner substitution, a few FLINT
        calls per degree that no signal interrupts): ``2.5e-7 * terms * degree`` seconds, fitted on this 2-core
        machine to random 20x5 (8855 terms, degree 19: 0.02 s), 50x4 (22,100 terms, degree 49: 0.09 s) and 100x3
        (5050 terms, degree 99: 0.12 s) of ``benchmarks/scale_bench.py``, rounded up."""
        if self.zero:
            return 0.0
        return 2.5e-7 * int(len(self.poly)) * int(sum(int(d) for d in self.degrees))

    def _compose(self, lower: Sequence[Sequence[Fraction]], active: Sequence[Sequence[int]]) -> Any:
        """The polynomial after ``x^(i)_a = lower^(i)_a * sum_(b active) y^(i)_b + s_i y^(i)_a`` (``a`` active) and
        ``x^(i)_a = 0`` (``a`` not active), with ``s_i = 1 - sum(lower^(i))``: see :func:`corner_substitute`."""
        return corner_substitute(self.poly, self.ctx, self.offsets, self.ms, self.degrees, lower, active)

    def _divisors(self, exps_list: list) -> list[int]:
        """``prod_i multinomial(exponents of factor i)`` of each concatenated exponent vector (cached per factor layout)."""
        cache = _DIVISORS.setdefault(self.ms, {})
        if len(cache) > 200_000:
            cache.clear()
        out = []
        for exps in exps_list:
            k = cache.get(exps)
            if k is None:
                k = 1
                for o, m in zip(self.offsets, self.ms):
                    k *= multinomial(exps[o:o + m])
                cache[exps] = k
            out.append(k)
        return out

    def coefficients(self, lower: Sequence[Sequence[Fraction]], active: Sequence[Sequence[int]] | None = None) -> dict:
        """Tensor Bernstein coefficients (``fmpq``) on the product of corner simplices ``{x^(i) >= lower^(i)}``.

        Restricted to ``x^(i)_a = 0`` for ``a`` outside ``active[i]``; keyed by the
        per-factor exponents over the active actions (a tuple of tuples); absent keys are 0.
        """
        if self.zero:
            return {}
        active = [tuple(range(m)) for m in self.ms] if active is None else [tuple(a) for a in active]
        terms = list(self._compose(lower, active).terms())
        exps_list = [e for e, _ in terms]
        idx = [[self.offsets[i] + a for a in active[i]] for i in range(len(self.ms))]
        out = {}
        for (exps, coef), k in zip(terms, self._divisors(exps_list)):
            out[tuple(tuple(exps[v] for v in vs) for vs in idx)] = coef / k
        return out

    def n_coefficients(self, active: Sequence[Sequence[int]]) -> int:
        """Number of tensor Bernstein coefficients on the face ``active``."""
        return math.prod(math.comb(d + len(a) - 1, len(a) - 1) for d, a in zip(self.degrees, active))

    def range(self, lower: Sequence[Sequence[Fraction]], active: Sequence[Sequence[int]] | None = None) -> tuple[Fraction, Fraction]:
        """Smallest and largest Bernstein coefficient on the product of corner simplices (bounds of the form there)."""
        if self.zero:
            return Fraction(0), Fraction(0)
        active = [tuple(range(m)) for m in self.ms] if active is None else [tuple(a) for a in active]
        terms = list(self._compose(lower, active).terms())
        vals = [coef / k for (_, coef), k in zip(terms, self._divisors([e for e, _ in terms]))]
        lo, hi = min(vals), max(vals)
        if len(vals) < self.n_coefficients(active):
            lo, hi = min(lo, 0), max(hi, 0)
        return _frac(lo), _frac(hi)


_DIVISORS: dict = {}


def corner_substitute(poly: Any, ctx: Any, offsets: Sequence[int], ms: Sequence[int], degrees: Sequence[int],
                      lower: Sequence[Sequence[Fraction]], active: Sequence[Sequence[int]]) -> Any:
    """``poly`` (multi-homogeneous of ``degrees``) composed with the corner map of each factor, by Taylor's formula.

    For one factor of degree ``n`` with direction ``l`` (``lower`` on the active actions) the map is
    ``x = s y + (1.y) l``, and for homogeneous ``p``,
    ``p(s y + t l) = sum_k t^k s^(n-k) (D_l^k p)(y) / k!`` with ``t = 1.y`` (``1`` over the active actions).
    That is ``n`` directional derivatives and a Horner sum in ``t``, factor after factor: linear in the number of
    terms, where FLINT's general ``compose`` expands powers of the linear forms (random 50x4, 22,100 terms of
    degree 49: 0.12 s against 6.1 s, the same polynomial).

    Examples
    --------
    >>> import flint
    >>> ctx = flint.fmpq_mpoly_ctx.get(("y", 2), "lex")
    >>> a, b = ctx.gens()
    >>> corner_substitute(a * b, ctx, (0,), (2,), (2,), [(Fraction(1, 2), Fraction(0))], [(0, 1)])  # a -> a/2 + (a + b)/2, b -> b/2
    1/2*y0*y1 + 1/4*y1^2
    """
    gens = ctx.gens()
    inactive = {off + a: 0 for off, m, act in zip(offsets, ms, active) for a in range(m) if a not in act}
    p = poly.subs(inactive) if inactive else poly
    for off, m, n, low, act in zip(offsets, ms, degrees, lower, active):
        if p.is_zero():
            return p
        s = _q(1 - sum(low, Fraction(0)))
        direction = [(off + a, _q(low[a])) for a in act if low[a] != 0]
        if not direction:
            if s != 1:
                p = p * s ** n
            continue
        ders = [p]
        for _ in range(n):
            cur = ders[-1]
            nxt = sum((cur.derivative(v) * c for v, c in direction[1:]), cur.derivative(direction[0][0]) * direction[0][1])
            if nxt.is_zero():
                break
            ders.append(nxt)
        tot = sum((gens[off + a] for a in act[1:]), gens[off + act[0]]) if act else ctx.from_dict({})
        acc = ctx.from_dict({})
        for k in range(len(ders) - 1, -1, -1):
            acc = acc * tot + ders[k] * (s ** (n - k) / math.factorial(k))
        p = acc
    return p


def _q(v: Any) -> Any:
    import flint

    if isinstance(v, flint.fmpq):
        return v
    if isinstance(v, int):
        return flint.fmpq(v)
    v = Fraction(v)
    return flint.fmpq(v.numerator, v.denominator)


def _frac(v: Any) -> Fraction:
    if isinstance(v, int):
        return Fraction(v)
    return Fraction(int(v.p), int(v.q))
