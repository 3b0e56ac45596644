"""Independent exact tools of the claims ledger.

Everything here is computed directly from a game's payoff table with sympy
and :mod:`fractions`: brute-force expected utilities, pure-deviation Nash
checks, brute-force symmetry groups over ``S_n``, group closures and orbits,
exact local maxima of univariate polynomials on ``[0, 1]``, and signs of
polynomials at real algebraic numbers (isolating intervals, no floats).
It deliberately does not call :mod:`exactgames.optimize`,
:mod:`exactgames.certify` or :mod:`exactgames.symmetry`: those are the code
the ledger checks, used only as a second route.

Examples
--------
>>> from exactgames.paper_games import taxi_symmetric
>>> g = taxi_symmetric()
>>> half = [[sympy.Rational(1, 2)] * 2] * 2
>>> eu(g, half), nash_gain(g, half)[0]
(3/2, 0)
>>> sorted(game_symmetries(g))
[(0, 1), (1, 0)]
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Sequence

import sympy

__all__ = [
    "P", "eu", "deviation_values", "nash_gain", "payoff_table", "game_symmetries", "group_closure",
    "orbits_of", "RealAlg", "local_maxima_01", "poly_sign_on_right", "random_invariant_game",
    "random_subgroup_gens", "one_orbit_poly", "lowest_order_sign", "brute_eu_anonymous", "exact_sign", "certified_radius", "try_library",
    "library_optimum", "same_number", "degenerate_bruteforce", "coalition_witness",
]

P = sympy.Symbol("p")


def _acts(game: Any) -> tuple[tuple[str, ...], ...]:
    return game.actions if not hasattr(game, "player_actions") else game.player_actions


def payoff_table(game: Any, player: int = 0) -> dict[tuple[int, ...], sympy.Expr]:
    """Pure profile (action indices) -> payoff of ``player``, read from the game."""
    acts = _acts(game)
    out = {}
    for idx in itertools.product(*(range(len(a)) for a in acts)):
        prof = tuple(acts[i][k] for i, k in enumerate(idx))
        if hasattr(game, "counts_of"):
            out[idx] = game.value(game.counts_of(prof))
        else:
            out[idx] = game.payoff(player, prof)
    return out


def eu(game: Any, strategies: Sequence[Sequence[Any]], player: int = 0, table: dict | None = None) -> sympy.Expr:
    """Brute-force expected utility: sum over pure profiles of payoff times probability."""
    table = payoff_table(game, player) if table is None else table
    total = sympy.Integer(0)
    for idx, u in table.items():
        if u == 0:
            continue
        w = sympy.Integer(1)
        for i, k in enumerate(idx):
            w *= sympy.sympify(strategies[i][k])
            if w == 0:
                break
        total += w * u
    return sympy.expand(total)


def deviation_values(game: Any, strategies: Sequence[Sequence[Any]], player: int, table: dict | None = None) -> list:
    """``EU_player(a, s_-player)`` for every action ``a`` (brute force)."""
    m = len(strategies[player])
    out = []
    for a in range(m):
        s = [list(x) for x in strategies]
        s[player] = [1 if k == a else 0 for k in range(m)]
        out.append(eu(game, s, player, table))
    return out


def nash_gain(game: Any, strategies: Sequence[Sequence[Any]], tables: list | None = None) -> tuple[sympy.Expr, tuple[int, int] | None]:
    """Largest gain of a unilateral pure deviation (exact), and who gains it (player, action) or None.

    Values must be rational or sympy-decidable constants.
    """
    n = len(strategies)
    best, arg = sympy.Integer(0), None
    for i in range(n):
        table = tables[i] if tables else payoff_table(game, i)
        base = eu(game, strategies, i, table)
        for a, v in enumerate(deviation_values(game, strategies, i, table)):
            g = sympy.expand(v - base)
            if exact_sign(g - best) > 0:
                best, arg = g, (i, a)
    return best, arg


def brute_eu_anonymous(n: int, values: dict[tuple[int, ...], Any], strategy: Sequence[Any]) -> sympy.Expr:
    """EU of the symmetric profile of an anonymous game: sum_c multinomial(c) prod x^c u(c)."""
    total = sympy.Integer(0)
    for c, u in values.items():
        coef = math.factorial(n)
        mon = sympy.Integer(1)
        for k, e in enumerate(c):
            coef //= math.factorial(e)
            mon *= sympy.sympify(strategy[k]) ** e
        total += coef * mon * u
    return sympy.expand(total)


def exact_sign(x: Any) -> int:
    """Sign of a constant: rationals directly, algebraic numbers by :func:`exactgames.model.exact.sign`.

    (The model layer's certified sign: minimal polynomials and arb balls.)
    """
    x = sympy.sympify(x)
    if x.is_Rational:
        return int(sympy.sign(x))
    from exactgames.model.exact import sign

    return int(sign(x))


# ------------------------------------------------------------------ symmetry by brute force
def game_symmetries(game: Any) -> set[tuple[int, ...]]:
    """All permutations ``rho`` (0-based images) with ``u_rho(i)(a) = u_i(a o rho)`` for every pure profile.

    By multilinearity this is Definition 3.2.1 (checking pure profiles suffices).
    """
    acts = _acts(game)
    n = len(acts)
    tables = [payoff_table(game, i) for i in range(n)]
    out = set()
    for rho in itertools.permutations(range(n)):
        if any(acts[rho[i]] != acts[i] for i in range(n)):
            continue
        ok = True
        for idx in tables[0]:
            permuted = tuple(idx[rho[k]] for k in range(n))
            if any(tables[rho[i]][idx] != tables[i][permuted] for i in range(n)):
                ok = False
                break
        if ok:
            out.add(rho)
    return out


def group_closure(gens: Sequence[Sequence[int]], n: int) -> set[tuple[int, ...]]:
    """The group generated by ``gens`` (0-based image tuples), by breadth-first closure under composition."""
    ident = tuple(range(n))
    group = {ident}
    frontier = [ident]
    gens = [tuple(g) for g in gens]
    while frontier:
        new = []
        for g in frontier:
            for h in gens:
                c = tuple(h[g[k]] for k in range(n))
                if c not in group:
                    group.add(c)
                    new.append(c)
        frontier = new
    return group


def orbits_of(group: set[tuple[int, ...]], n: int) -> tuple[tuple[int, ...], ...]:
    """Orbits ``{rho(i) : rho in group}`` as sorted tuples, sorted by least element."""
    seen, out = set(), []
    for i in range(n):
        if i in seen:
            continue
        o = tuple(sorted({g[i] for g in group}))
        seen.update(o)
        out.append(o)
    return tuple(out)


# ------------------------------------------------------------------ real algebraic numbers
@dataclass(frozen=True)
class RealAlg:
    """A real algebraic number: the unique root of square-free ``poly`` in ``[lo, hi]`` (or ``value`` if rational)."""

    poly: sympy.Poly | None
    lo: Fraction
    hi: Fraction
    value: sympy.Rational | None = None

    def expr(self) -> sympy.Expr:
        """The number as a sympy expression (a Rational or a radical/CRootOf)."""
        if self.value is not None:
            return self.value
        for r in sympy.Poly(self.poly.as_expr(), P).real_roots():
            if sympy.Rational(self.lo) <= r.evalf(60) <= sympy.Rational(self.hi):  # display only
                return sympy.nsimplify(r) if r.is_number else r
        raise AssertionError("root not in its isolating interval")  # pragma: no cover

    def sign_of(self, g: sympy.Poly) -> int:
        """Exact sign of polynomial ``g`` (in :data:`P`) at this number."""
        g = sympy.Poly(g, P, domain="QQ")
        if self.value is not None:
            v = g.eval(self.value)
            return int(sympy.sign(v))
        if g.is_zero:
            return 0
        h = sympy.gcd(g, self.poly)
        lo, hi = sympy.Rational(self.lo), sympy.Rational(self.hi)
        if h.degree() > 0 and h.count_roots(lo, hi) > 0:
            return 0
        while g.count_roots(lo, hi) > 0:
            mid = (lo + hi) / 2
            pm = self.poly.eval(mid)
            if pm == 0:  # pragma: no cover - rational root of a square-free factor isolated elsewhere
                return int(sympy.sign(g.eval(mid)))
            if sympy.sign(self.poly.eval(lo)) * sympy.sign(pm) < 0:
                hi = mid
            else:
                lo = mid
        return int(sympy.sign(g.eval((lo + hi) / 2)))


def _roots_in_01(f: sympy.Poly) -> list[RealAlg]:
    """Real roots of ``f`` in [0, 1], each exact: rationals from linear factors, otherwise an irreducible
    factor with an isolating interval (an irreducible factor of degree >= 2 has no rational root, so its
    rational interval ends are never roots and each closed interval holds exactly one root).

    Examples
    --------
    >>> [r.value for r in _roots_in_01(sympy.Poly(-9 * P**2 + 6 * P, P))]
    [0, 2/3]
    """
    out = []
    for fac, _mult in sympy.factor_list(f.as_expr(), P)[1]:
        fac = sympy.Poly(fac, P, domain="QQ")
        if fac.degree() == 1:
            c1, c0 = fac.all_coeffs()
            r = -c0 / c1
            if 0 <= r <= 1:
                out.append(RealAlg(None, Fraction(int(r.p), int(r.q)), Fraction(int(r.p), int(r.q)), r))
            continue
        for (lo, hi), _m in fac.intervals():
            lo, hi = sympy.Rational(lo), sympy.Rational(hi)
            # shrink until clearly inside or outside [0, 1] (0 and 1 are not roots of this factor)
            while (lo < 0 < hi) or (lo < 1 < hi):
                mid = (lo + hi) / 2
                if sympy.sign(fac.eval(lo)) * sympy.sign(fac.eval(mid)) < 0:
                    hi = mid
                else:
                    lo = mid
            if 0 <= lo and hi <= 1:
                out.append(RealAlg(fac, Fraction(int(lo.p), int(lo.q)), Fraction(int(hi.p), int(hi.q))))
    return sorted(out, key=lambda r: r.lo)


def poly_sign_on_right(f: sympy.Poly, x: RealAlg) -> int:
    """Sign of ``f`` just to the right of ``x`` (first non-vanishing derivative)."""
    g = sympy.Poly(f, P, domain="QQ")
    while not g.is_zero:
        s = x.sign_of(g)
        if s:
            return s
        g = g.diff(P)
    return 0


def local_maxima_01(f: Any) -> list[RealAlg] | None:
    """All local maximisers of the polynomial ``f(p)`` on ``[0, 1]``, exactly; None if ``f`` is constant.

    A point is a local maximiser when ``f`` does not increase on either side
    within ``[0, 1]``; decided from the signs of derivatives at the point.

    Examples
    --------
    >>> [m.expr() for m in local_maxima_01(2 * P * (1 - P))]
    [1/2]
    >>> [m.expr() for m in local_maxima_01(P**2 + (1 - P)**2)]
    [0, 1]
    """
    f = sympy.Poly(sympy.expand(f), P, domain="QQ")
    if f.degree() <= 0:
        return None
    df = f.diff(P)
    cands = [RealAlg(None, Fraction(0), Fraction(0), sympy.Integer(0)), RealAlg(None, Fraction(1), Fraction(1), sympy.Integer(1))]
    if not df.is_zero:
        cands += [r for r in _roots_in_01(df) if r.value not in (0, 1)]
    out = []
    for x in cands:
        # right side: sign of f - f(x) just right of x is the sign of the first nonzero derivative
        right = _first_sign(df, x) if x.value != 1 else -1
        left = -_first_sign_left(df, x) if x.value != 0 else -1
        if right <= 0 and left <= 0:
            out.append(x)
    return sorted(out, key=lambda r: r.lo)


def _first_sign(df: sympy.Poly, x: RealAlg) -> int:
    """Sign of f(x+h)-f(x) for small h>0, given df = f'."""
    return poly_sign_on_right(df, x)


def _first_sign_left(df: sympy.Poly, x: RealAlg) -> int:
    """Sign of f(x)-f(x-h) for small h>0: the sign of f' just left of x."""
    g, k = df, 0
    while not g.is_zero:
        s = x.sign_of(g)
        if s:
            return s if k % 2 == 0 else -s
        g, k = g.diff(P), k + 1
    return 0


def lowest_order_sign(expr: Any, var: sympy.Symbol) -> int:
    """Sign of the lowest-order non-zero coefficient of a polynomial in ``var`` (the sign for small ``var > 0``)."""
    poly = sympy.Poly(sympy.expand(expr), var)
    for (k,), c in sorted(poly.terms()):
        c = sympy.nsimplify(c)
        if c != 0:
            return int(sympy.sign(c))
    return 0


# ------------------------------------------------------------------ random games
def random_subgroup_gens(rng: random.Random, n: int) -> list[tuple[int, ...]]:
    """One to two random permutations of ``range(n)`` (possibly the identity)."""
    gens = []
    for _ in range(rng.randint(1, 2)):
        perm = list(range(n))
        rng.shuffle(perm)
        gens.append(tuple(perm))
    return gens


def random_invariant_game(rng: random.Random, n: int, m: int, group: set[tuple[int, ...]], lo: int = -9, hi: int = 9) -> Any:
    """A random common-payoff :class:`Game` with payoffs constant on the orbits of ``group`` acting on profiles.

    Payoffs are distinct small rationals per profile orbit (so Γ(G) contains ``group``).
    """
    from exactgames.model.game import Game

    names = [chr(ord("a") + k) for k in range(m)]
    value: dict[tuple[int, ...], Fraction] = {}
    for idx in itertools.product(range(m), repeat=n):
        if idx in value:
            continue
        v = Fraction(rng.randint(lo * 7, hi * 7), 7) + Fraction(rng.randint(0, 10**6), 10**8)
        for g in group:
            value[tuple(idx[g[k]] for k in range(n))] = v
    return Game.from_common([names] * n, lambda prof: str(value[tuple(names.index(a) for a in prof)]))


def one_orbit_poly(values: Callable[[int], Any], n: int) -> sympy.Expr:
    """EU of the symmetric profile (action 1 with probability p) of a 2-action anonymous game: u(k) = payoff when k players play action 1."""
    return sympy.expand(sum(math.comb(n, k) * P**k * (1 - P) ** (n - k) * sympy.sympify(values(k)) for k in range(n + 1)))


# ------------------------------------------------------------------ certified local optimality of strict pure profiles
def certified_radius(gap: Any, spread: Any, n: int, max_halvings: int = 60) -> sympy.Rational | None:
    """A radius ``eta`` proving a strict pure Nash profile is a local optimum in asymmetric space.

    With every unilateral pure deviation losing at least ``gap > 0`` and payoff
    spread ``spread = max u - min u``, the multilinear expansion of EU gives
    ``EU(s') - EU(s) <= sum_i e_i * (-gap (1-eta)^(n-1) + spread ((1+eta)^(n-1) - 1))``
    when every player moves at most ``eta`` probability; the bracket is negative
    for the returned ``eta``.  Returns None when ``gap <= 0``.

    Examples
    --------
    >>> certified_radius(1, 2, 10)
    1/32
    """
    gap, spread = sympy.sympify(gap), sympy.sympify(spread)
    if not gap > 0:
        return None
    eta = sympy.Rational(1, 2)
    for _ in range(max_halvings):
        if -gap * (1 - eta) ** (n - 1) + spread * ((1 + eta) ** (n - 1) - 1) < 0:
            return eta
        eta /= 2
    return None  # pragma: no cover


def try_library(module: str, name: str) -> Any:
    """``module.name`` if that part of the library exists yet, else None (the second route is then skipped)."""
    import importlib

    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def library_optimum(game: Any, orbits: Any = None, time_limit: float = 5.0) -> tuple[Any, str]:
    """The library optimiser's result for a second route, or (None, why not).

    Uses :func:`exactgames.optimize.api.optimize` when present, else the exact
    KKT enumeration :func:`exactgames.optimize.kkt.kkt_optimum` (with ``time_limit``).
    """
    opt = try_library("exactgames.optimize.api", "optimize")
    kkt = try_library("exactgames.optimize.kkt", "kkt_optimum")
    if opt is None and kkt is None:
        return None, "library optimiser (exactgames.optimize) not available"
    try:
        if opt is not None:
            res = opt(game, orbits=orbits) if orbits is not None else opt(game)
        else:
            res = kkt(game, orbits, time_limit=time_limit)
    except Exception as exc:  # noqa: BLE001 - a failing second route is reported in the detail
        return None, f"library optimiser raised {type(exc).__name__}: {exc}"
    if not getattr(res, "complete", True):
        return None, f"library optimiser incomplete: {getattr(res, 'reason', '')}"
    return res, "library optimiser"


def same_number(a: Any, b: Any) -> bool:
    """Exact equality of two constants (rational or algebraic)."""
    d = sympy.sympify(a) - sympy.sympify(b)
    if d.is_Rational:
        return d == 0
    return exact_sign(d) == 0


# ------------------------------------------------------------------ Definition 5.0.3 and proof (2) of Theorem 5.0.4
def degenerate_bruteforce(game: Any, s: Sequence[Sequence[Any]], table: dict) -> bool:
    """Definition 5.0.3 by brute force over pure profiles (s a Nash equilibrium with rational entries)."""
    n, m = game.n_players, len(game.actions[0])
    supp = [[k for k in range(m) if s[i][k] != 0] for i in range(n)]
    if all(len(x) == 1 for x in supp):
        a = tuple(x[0] for x in supp)
        indifferent = sum(1 for i in range(n) if any(
            table[a[:i] + (b,) + a[i + 1:]] == table[a] for b in range(m) if b != a[i]))
        return indifferent >= 2
    for i in range(n):
        for rest in itertools.product(*(supp[j] for j in range(n) if j != i)):
            vals = {table[rest[:i] + (b,) + rest[i:]] for b in supp[i]}
            if len(vals) > 1:
                return False
    return True


def coalition_witness(game: Any, s: Sequence[Sequence[Any]], table: dict) -> bool:
    """Proof (2) of Thm 5.0.4 by brute force: a coalition C on support actions and a player j's best reply raise EU."""
    n, m = game.n_players, len(game.actions[0])
    e = sympy.Symbol("e", positive=True)
    supp = [[k for k in range(m) if s[i][k] != 0] for i in range(n)]
    base = eu(game, s, 0, table)
    for size in range(1, n):
        for coal in itertools.combinations(range(n), size):
            for acts in itertools.product(*(supp[i] for i in coal)):
                fixed = [list(x) for x in s]
                for i, a in zip(coal, acts):
                    fixed[i] = [1 if k == a else 0 for k in range(m)]
                for j in (j for j in range(n) if j not in coal):
                    vals = []
                    for b in range(m):
                        t = [list(x) for x in fixed]
                        t[j] = [1 if k == b else 0 for k in range(m)]
                        vals.append(eu(game, t, 0, table))
                    if len(set(vals)) == 1:
                        continue
                    best = max(range(m), key=lambda b: vals[b])
                    s2 = [list(x) for x in s]
                    for i, a in list(zip(coal, acts)) + [(j, best)]:
                        s2[i] = [(1 - e) * x + (e if k == a else 0) for k, x in enumerate(s[i])]
                    diff = sympy.Poly(sympy.expand(eu(game, s2, 0, table) - base), e)
                    low = [c for (_k,), c in sorted(diff.terms()) if c != 0]
                    if low and low[0] > 0:
                        return True
    return False
