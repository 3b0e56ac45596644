"""The EU of P-invariant profiles as a python-flint polynomial, built directly from the payoffs.

One factor (a simplex) per orbit; the variables are concatenated,
``(x^(1)_1, ..., x^(1)_m1, x^(2)_1, ...)``.  For a dense game the polynomial
has one monomial ``prod_p x^(orbit(p))_(a_p)`` per pure profile; for an
anonymous game one term per split of the count vector over the orbits.  None
of this comes from the optimiser's ``count_coefficients``.

Examples
--------
>>> from exactgames.model.game import Game
>>> g = Game.from_common([["H", "W"]] * 2, {("H", "W"): 1, ("W", "H"): 1})
>>> s = Setup(g, [[0, 1]])
>>> s.ms, s.sizes, str(s.f)
([2], [2], '2*z0*z1')
>>> s.exact([[Fraction(1, 2), Fraction(1, 2)]])
Fraction(1, 2)
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any

import flint
from flint import arb, arb_mat, fmpq

from exactgames.model.game import AnonymousGame, Game
from proofs_check.checker.numbers import Reject, frac, multinomial, q

__all__ = ["Setup", "count_keys", "MAX_PROFILES"]

MAX_PROFILES = 5_000_000  # pure profiles of a dense game the checker expands


def count_keys(n: int, m: int) -> list[tuple[int, ...]]:
    """Every count vector of n players over m actions."""
    out = []
    for combo in itertools.combinations_with_replacement(range(m), n):
        c = [0] * m
        for a in combo:
            c[a] += 1
        out.append(tuple(c))
    return out


class Setup:
    """The game, its orbits and the polynomial ``f`` of P-invariant profiles."""

    def __init__(self, game: Any, orbits: list[list[int]]) -> None:
        n = game.n_players
        if sorted(p for o in orbits for p in o) != list(range(n)) or any(not o for o in orbits):
            raise Reject(f"orbits {[[p + 1 for p in o] for o in orbits]} do not partition the {n} players")
        if not game.is_rational:
            raise Reject("the game has non-rational payoffs (or free parameters: give them with --set)")
        if isinstance(game, Game):
            if not game.is_common_payoff:
                raise Reject("the game is not common-payoff")
            acts = game.actions
            if math.prod(len(a) for a in acts) > MAX_PROFILES:
                raise Reject(f"the game has more than {MAX_PROFILES} pure profiles; the checker does not expand it")
        elif isinstance(game, AnonymousGame):
            acts = game.player_actions
        else:
            raise Reject(f"unsupported game type {type(game).__name__}")
        for o in orbits:
            if any(tuple(acts[p]) != tuple(acts[o[0]]) for p in o):
                raise Reject(f"players {[p + 1 for p in o]} share an orbit but not an action set")
        self.game = game
        self.orbits = [sorted(o) for o in orbits]
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
            for key in itertools.product(*(count_keys(n_, m) for n_, m in zip(self.sizes, self.ms))):
                total = tuple(sum(c[a] for c in key) for a in range(self.ms[0]))
                v = table[total] * math.prod(multinomial(c) for c in key)
                if v != 0:
                    sums[tuple(itertools.chain.from_iterable(key))] = v
        self.f = self.ctx.from_dict({e: v for e, v in sums.items() if v != 0})

    @classmethod
    def from_terms(cls, sizes: list[int], ms: list[int], actions: list[tuple[str, ...]], coef: dict) -> "Setup":
        """A polynomial given directly (e.g. rebuilt from a game tree): homogeneous of degree ``sizes[i]`` in factor i.

        Examples
        --------
        >>> s = Setup.from_terms([1, 1], [2, 2], [("a", "b")] * 2, {(1, 0, 0, 1): Fraction(2)})
        >>> s.exact([[Fraction(1), Fraction(0)], [Fraction(0), Fraction(1)]])
        Fraction(2, 1)
        """
        self = cls.__new__(cls)
        self.game = None
        self.orbits = [[k] for k in range(len(ms))]
        self.sizes, self.ms, self.actions = list(sizes), list(ms), [tuple(a) for a in actions]
        self.off = [sum(self.ms[:i]) for i in range(len(ms))]
        self.M = sum(self.ms)
        self.ctx = flint.fmpq_mpoly_ctx.get(("z", self.M), "lex")
        for e in coef:
            if len(e) != self.M or any(sum(e[o:o + m]) != d for o, m, d in zip(self.off, self.ms, self.sizes)):
                raise Reject(f"the polynomial is not homogeneous of degrees {self.sizes} in its factors")
        self.f = self.ctx.from_dict({e: q(v) if isinstance(v, Fraction) else v for e, v in coef.items() if v != 0})
        return self

    # ----------------------------------------------------------------- variables and forms
    def var(self, i: int, a: int) -> int:
        return self.off[i] + a

    def reduced(self, p: Any, i: int, a: int, ref: int) -> Any:
        """``dp/dx^(i)_a - dp/dx^(i)_ref``."""
        return p.derivative(self.var(i, a)) - p.derivative(self.var(i, ref))

    def split_key(self, e: tuple[int, ...], active: list[list[int]]) -> tuple[tuple[int, ...], ...]:
        return tuple(tuple(e[self.off[i] + a] for a in active[i]) for i in range(len(self.ms)))

    def corner(self, p: Any, lower: list[list[Fraction]], active: list[list[int]]) -> Any:
        """p composed with the product corner-simplex substitution (x_a = lower_a * sum(active lambda) + s lambda_a,
        x_a = 0 off ``active``, s = 1 - sum(lower)).

        By Taylor's formula, factor by factor: for p homogeneous of degree n in the factor and l = lower on the
        active actions, ``p(s y + t l) = sum_k t^k s^(n-k) (D_l^k p)(y) / k!`` at ``t = sum(active y)``.
        ``tests/optimize/test_corner_substitute.py`` compares it with FLINT's general ``compose`` (the definition).

        Examples
        --------
        >>> s = Setup.from_terms([2], [2], [("a", "b")], {(1, 1): Fraction(1)})
        >>> s.corner(s.f, [[Fraction(1, 2), Fraction(0)]], [[0, 1]])  # a -> a/2 + (a + b)/2, b -> b/2
        1/2*z0*z1 + 1/4*z1^2
        """
        if p.is_zero():
            return p
        gens = self.ctx.gens()
        off_active = {self.off[i] + a: 0 for i, m in enumerate(self.ms) for a in range(m) if a not in active[i]}
        if off_active:
            p = p.subs(off_active)
        for i, m in enumerate(self.ms):
            if p.is_zero():
                return p
            n = self.degrees(p)[i]
            s = q(1 - sum(lower[i]))
            along = [(self.off[i] + a, q(lower[i][a])) for a in active[i] if lower[i][a] != 0]
            if not along:
                p = p * s ** n
                continue
            terms = [p]
            while len(terms) <= n:
                nxt = self.ctx.from_dict({})
                for v, c in along:
                    nxt = nxt + terms[-1].derivative(v) * c
                if nxt.is_zero():
                    break
                terms.append(nxt)
            t = self.ctx.from_dict({})
            for a in active[i]:
                t = t + gens[self.off[i] + a]
            out = self.ctx.from_dict({})
            for k in reversed(range(len(terms))):
                out = out * t + terms[k] * (s ** (n - k) / math.factorial(k))
            p = out
        return p

    def degrees(self, p: Any) -> list[int]:
        e = p.monomial(0)
        return [sum(e[self.off[i]:self.off[i] + m]) for i, m in enumerate(self.ms)]

    def bernstein(self, comp: Any, active: list[list[int]]) -> dict:
        """Tensor Bernstein coefficients of a composed multi-homogeneous polynomial (absent keys are 0)."""
        out = {}
        div = _DIVISORS.setdefault((tuple(self.ms), tuple(map(tuple, active))), {})
        if len(div) > 200_000:
            div.clear()
        for e, c in comp.terms():
            got = div.get(e)
            if got is None:
                key = self.split_key(e, active)
                got = div[e] = (key, math.prod(multinomial(k) for k in key))
            out[got[0]] = c / got[1]
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

    # ----------------------------------------------------------------- evaluation
    def exact(self, pt: list[list[Fraction]]) -> Fraction:
        """f at a rational profile (one strategy per orbit), exactly."""
        if self.f.is_zero():
            return Fraction(0)
        return frac(self.f(*[q(v) for x in pt for v in x]))

    def pure_value(self, choice: list[int]) -> Fraction:
        """f at the pure profile choosing ``choice[i]`` in orbit i (a payoff, exactly)."""
        e = [0] * self.M
        for i, a in enumerate(choice):
            e[self.var(i, a)] = self.sizes[i]
        return frac(self.f[tuple(e)]) if not self.f.is_zero() else Fraction(0)


_DIVISORS: dict = {}  # (ms, active) -> exponent vector -> (split key, product of multinomials)


def evaluate(p: Any, xs: list[Any], one: Any) -> Any:
    """A polynomial at values that support ``+``, ``*`` and ``**`` (rationals, number-field elements, ``arb``)."""
    acc = one * 0
    powers: dict = {}
    for e, c in p.terms():
        t = one * c
        for v, k in enumerate(e):
            if k:
                key = (v, k)
                if key not in powers:
                    powers[key] = xs[v] ** int(k)
                t = t * powers[key]
        acc = acc + t
    return acc


def at_arb(p: Any, x: list[arb]) -> arb:
    """A polynomial at ``arb`` balls (an enclosure of its range on the box).

    Examples
    --------
    >>> ctx = flint.fmpq_mpoly_ctx.get(("u", 2), "lex")
    >>> a, b = ctx.gens()
    >>> bool(at_arb(a * a * b + 3 * b, [arb(2), arb(1, 0.5)]).contains(arb(7)))
    True
    """
    return at_arb_many([p], x)[0]


def at_arb_many(polys: list[Any], x: list[arb]) -> list[arb]:
    """Several polynomials at the same ``arb`` balls, sharing the powers and monomials.

    Terms through an exactly zero coordinate are dropped first; the powers of each coordinate are formed once and
    each monomial once; a long polynomial is summed by one
    ``arb_mat`` product (the monomial row times the coefficient column, in C), a short one term by term.  Both are
    ball arithmetic, so each result encloses the polynomial's range on the box.

    Examples
    --------
    >>> ctx = flint.fmpq_mpoly_ctx.get(("u", 2), "lex")
    >>> a, b = ctx.gens()
    >>> [bool(v.contains(w)) for v, w in zip(at_arb_many([a * b, a + b], [arb(2), arb(3)]), [arb(6), arb(5)])]
    [True, True]
    """
    zero = {v: 0 for v, xv in enumerate(x) if xv.is_zero()}
    if zero:  # terms through a coordinate that is exactly 0 vanish: FLINT drops them before the loop below
        polys = [p.subs(zero) for p in polys]
    top = [0] * len(x)
    for p in polys:
        if not p.is_zero():
            top = [max(t, int(d)) for t, d in zip(top, p.degrees())]
    pw = []
    for v, xv in enumerate(x):
        row = [arb(1)]
        for _ in range(top[v]):
            row.append(row[-1] * xv)
        pw.append(row)
    mono: dict = {}
    out = []
    for p in polys:
        if p.is_zero():
            out.append(arb(0))
            continue
        monos, coefs = [], []
        for e, c in p.terms():
            t = mono.get(e)
            if t is None:
                for v, k in enumerate(e):
                    if k:
                        t = pw[v][k] if t is None else t * pw[v][k]
                t = mono[e] = arb(1) if t is None else t
            monos.append(t)
            coefs.append(c)
        if len(monos) >= 200:
            out.append((arb_mat([monos]) * arb_mat([[c] for c in coefs]))[0, 0])
        else:
            acc = arb(0)
            for t, c in zip(monos, coefs):
                acc = acc + t * c
            out.append(acc)
    return out
