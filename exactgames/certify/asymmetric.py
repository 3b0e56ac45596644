"""Definition 5.0.1: is a profile locally optimal among possibly-asymmetric profiles?

Computed directly, never by citing Theorem 5.0.4.  Three exact routes, tried
in this order:

1. **Pure profiles, explicit radius.**  Write ``s'_i = (1 - e_i) a_i + e_i ŝ_i``.
   Then ``EU(s') - u(a) = sum_{C != {}} w_C (EU(ŝ_C, a_-C) - u(a))`` with
   ``w_C = prod_{i in C} e_i prod_{i not in C} (1 - e_i)``.  A single deviator
   ``j`` loses at least ``g_j = min_b (u(a) - u(b, a_-j))``; coalitions of two
   or more gain at most ``M = max(0, max u - u(a))`` and have total weight at
   most ``sum_{i<l} e_i e_l <= r (n-1) sum_{j != k} e_j`` when at most one
   player ``k`` has ``g_k = 0``.  So with ``g = min_{j != k} g_j`` and every
   ``e_i <= r``,
   ``EU(s') - u(a) <= sum_{j != k} e_j (r (n-1) M - g (1-r)^(n-1)) <= 0``
   whenever ``r (n-1) M <= g (1-r)^(n-1)``; an explicit rational ``r`` is
   chosen and the inequality checked exactly.  (If ``u(a)`` is the largest
   payoff, ``a`` is a global optimum and any radius works.)
2. **Explicit improving witness.**  For coalitions ``C`` of one or two players
   and pure targets ``b_i``, ``s'_i = (1 - t) s_i + t b_i`` (``i`` in ``C``)
   gives ``EU(s') = sum_{T ⊆ C} t^|T| (1-t)^(|C|-|T|) EU(b_T, s_-T)``, a
   polynomial in ``t`` expanded exactly.  If its first non-vanishing
   coefficient beyond the constant is positive, an explicit rational ``t`` is
   found and ``EU(s') > EU(s)`` is verified from the payoffs.
3. **Polynomial analysis** with one simplex per player
   (:func:`exactgames.certify.local_poly.local_max_on_simplices`) for games
   with at most ``max_profiles`` pure profiles.

Otherwise the verdict is None with the reason.

Examples
--------
>>> from exactgames.paper_games import example_5_0_5
>>> from exactgames.model.profile import pure_profile
>>> g = example_5_0_5("1/2")
>>> v = locally_optimal_asymmetric(g, pure_profile(g, ["a", "a"]))
>>> v.locally_optimal, v.witness.value_after > v.witness.value_before
(False, True)
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any

import flint
import sympy

from exactgames.certify.local_poly import _step, decide_method, local_max_on_simplices
from exactgames.certify.local_symmetric import as_profile, profile_distance, verdict_from_poly
from exactgames.certify.witness import ImprovingWitness, LocalOptimality
from exactgames.model.exact import ExactError, exact_max, rational_enclosure
from exactgames.model.fast_sign import certified_sign
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.lift import exact_sign, exact_str, to_sympy
from exactgames.model.profile import Profile, is_pure, support
from exactgames.model.utility import (
    deviation_payoffs,
    expected_utility,
    lift_profile,
    lifted_expected_utility,
    symmetric_eu_polynomial,
)

__all__ = ["locally_optimal_asymmetric", "pure_radius_certificate", "coalition_shift_witness"]

SPACE = "possibly-asymmetric"


def _fr(x: sympy.Expr, upper: bool) -> Fraction:
    """A rational upper (or lower) bound of a positive exact number, positive when ``x`` is."""
    width = Fraction(1, 10**12)
    while True:
        lo, hi = rational_enclosure(x, width)
        if upper or lo > 0:
            return hi if upper else lo
        width /= 10**6


def pure_radius_certificate(game: Game | AnonymousGame, profile: Any) -> LocalOptimality | None:
    """Route 1: an explicit radius for a pure Nash profile with at most one indifferent player.

    Returns None when the route does not apply (mixed profile, not Nash, or two
    or more indifferent players).

    Examples
    --------
    >>> from exactgames.paper_games import ten_robots
    >>> from exactgames.model.profile import pure_profile
    >>> g = ten_robots().subs({"eps": "1/10"})
    >>> c = pure_radius_certificate(g, pure_profile(g, ["a"] * 10))
    >>> c.locally_optimal, c.radius
    (True, 1/18)
    """
    profile = as_profile(game, profile)
    if not is_pure(profile):
        return None
    n = len(profile)
    a = [support(s)[0] for s in profile]
    u_a = expected_utility(game, profile)
    losses = []
    for j in range(n):
        dev = deviation_payoffs(game, profile, j)
        others = [sympy.expand(u_a - v) for k, v in enumerate(dev) if k != a[j]]
        if not others:
            losses.append(None)  # a single action: never deviates
            continue
        neg, _ = exact_max([-x for x in others])
        losses.append(-neg)
    if any(g_j is not None and certified_sign(g_j) < 0 for g_j in losses):
        return None
    rng = game.payoff_range()
    top = rng[1]
    values = [u_a, top] + [x for x in losses if x is not None]
    method = decide_method(values)
    M = sympy.expand(top - u_a)
    if certified_sign(M) <= 0:
        return LocalOptimality(True, SPACE, "global optimum", f"u(a) = {u_a} is the largest payoff of the game, so no "
                               "profile has a larger expected utility", method, u_a, radius=sympy.Integer(1),
                               details={"losses": losses})
    nonstrict = [j for j, x in enumerate(losses) if x is not None and certified_sign(x) == 0]
    strict = [j for j, x in enumerate(losses) if x is not None and certified_sign(x) > 0]
    if len(nonstrict) >= 2:
        return None
    if not strict:  # only one player can move at all: EU is linear in its strategy
        return LocalOptimality(True, SPACE, "explicit radius", "at most one player has a second action and it cannot gain "
                               "(Nash): EU is linear in that player's strategy", method, u_a, radius=sympy.Integer(1),
                               details={"losses": losses})
    g_min, _ = exact_max([-losses[j] for j in strict])
    g_min = -g_min
    g_lo = _fr(g_min, upper=False)
    M_hi = _fr(M, upper=True)
    r = min(Fraction(1, 2 * (n - 1)), g_lo / (4 * (n - 1) * M_hi))
    if not (r * (n - 1) * M_hi <= g_lo * (1 - r) ** (n - 1)):  # pragma: no cover - guaranteed by the choice of r
        return None
    r_s = sympy.Rational(r.numerator, r.denominator)
    k = nonstrict[0] + 1 if nonstrict else None
    reason = (
        f"pure Nash profile; every single deviator j{'' if k is None else f' != {k}'} loses at least g = {g_min} per unit of "
        f"deviation mass, coalitions of two or more gain at most M = {M}; with every deviation mass at most r = {r_s}: "
        f"r (n-1) M = {r_s * (n - 1) * M} <= g (1-r)^(n-1) = {sympy.expand(g_min * (1 - r_s) ** (n - 1))}, hence "
        "EU(s') <= EU(s) for every s' within r (checked exactly, rational bounds on g and M)"
    )
    return LocalOptimality(True, SPACE, "explicit radius", reason, method, u_a, radius=r_s,
                           details={"losses": losses, "indifferent_player": None if k is None else k - 1, "M": M})


class _Arith:
    """The arithmetic of the witness search: fast exact (``fmpq`` or one number field) when the profile allows, else sympy.

    Both are exact; the fast one (:func:`exactgames.model.utility.lift_profile`)
    avoids expanding sympy expression trees.  Values handed to the caller
    (the witness) are sympy either way.
    """

    def __init__(self, game: Game | AnonymousGame, profile: Profile) -> None:
        self.game = game
        self.profile = profile
        self.lifted = lift_profile(game, profile)
        fast = self.lifted is not None
        self.strategies = self.lifted if fast else profile
        self.one, self.zero = (flint.fmpq(1), flint.fmpq(0)) if fast else (sympy.Integer(1), sympy.Integer(0))

    @property
    def fast(self) -> bool:
        return self.lifted is not None

    def eu(self, strategies: Any) -> Any:
        if self.fast:
            return lifted_expected_utility(self.game, strategies)
        return expected_utility(self.game, strategies)

    def norm(self, x: Any) -> Any:
        return x if self.fast else sympy.expand(x)

    def sign(self, x: Any) -> int:
        return exact_sign(x) if self.fast else certified_sign(x)

    def sym(self, x: Any) -> sympy.Expr:
        return to_sympy(x) if self.fast else x

    def is_rational(self, x: Any) -> bool:
        if self.fast:
            return isinstance(x, flint.fmpq) or x.is_rational
        return bool(x.is_Rational)

    def step(self, coeffs: list, t_max: Fraction) -> sympy.Rational:
        """:func:`exactgames.certify.local_poly._step` (the same ``t``), in this arithmetic."""
        if not self.fast:
            return _step(coeffs, t_max)
        if all(self.is_rational(c) for c in coeffs):  # rational: _step also proves every smaller step improves
            return _step([to_sympy(c.rational() if not isinstance(c, flint.fmpq) else c) for c in coeffs], t_max)
        t = min(t_max, Fraction(1, 2))
        for _ in range(400):
            tt = flint.fmpq(t.numerator, t.denominator)
            val = sum((c * tt**j for j, c in enumerate(coeffs) if j > 0), flint.fmpq(0))
            if exact_sign(val) > 0:
                return sympy.Rational(t.numerator, t.denominator)
            t /= 2
        raise ExactError("no improving step found although the leading coefficient is positive")  # pragma: no cover

    def distance(self, a: Any, b: Any, sym_a: Profile, sym_b: Profile) -> sympy.Expr:
        """:func:`profile_distance` of two profiles given in this arithmetic (``sym_*``: the same in sympy)."""
        if not self.fast:
            return profile_distance(sym_a, sym_b)
        best = self.zero
        for s, s2 in zip(a, b):
            for p, q in zip(s, s2):
                d = q - p
                if exact_sign(d) < 0:
                    d = -d
                if exact_sign(d - best) > 0:
                    best = d
        return to_sympy(best)

    def unit(self, m: int, b: int) -> tuple:
        return tuple(self.one if k == b else self.zero for k in range(m))


def _replace(arith: _Arith, changes: dict[int, int]) -> tuple:
    out = list(arith.strategies)
    for i, b in changes.items():
        out[i] = arith.unit(len(out[i]), b)
    return tuple(out)


def coalition_shift_witness(
    game: Game | AnonymousGame, profile: Any, max_coalition: int = 2, max_tries: int = 5000
) -> ImprovingWitness | None:
    """Route 2: search coalitions of pure-target shifts for an exactly verified improvement.

    For rational payoffs and a profile in Q or one number field ``Q(alpha)``
    the search computes in python-flint (:func:`exactgames.model.utility.lift_profile`),
    otherwise in sympy; both are exact and find the same witness.

    Examples
    --------
    Example 5.0.2: at p = q = 1/2 in Table 1b one taxi leans to H, the other to W.

    >>> from exactgames.paper_games import taxi_symmetric
    >>> from exactgames.model.profile import make_profile
    >>> g = taxi_symmetric()
    >>> w = coalition_shift_witness(g, make_profile(g, [["1/2", "1/2"]] * 2))
    >>> w.value_before, w.value_after, w.distance
    (3/2, 13/8, 1/4)
    """
    profile = as_profile(game, profile)
    arith = _Arith(game, profile)
    strats = arith.strategies
    n = len(profile)
    base = arith.eu(strats)
    cache: dict = {}

    def eu_of(changes: tuple) -> Any:
        if changes not in cache:
            cache[changes] = arith.eu(_replace(arith, dict(changes)))
        return cache[changes]

    tries = 0
    anonymous = isinstance(game, AnonymousGame)
    classes: dict = {}
    cls = [classes.setdefault(tuple(s), len(classes)) for s in strats]  # players with equal strategies
    seen: set = set()
    for size in range(1, max_coalition + 1):
        for coalition in itertools.combinations(range(n), size):
            targets = [[b for b in range(len(strats[i])) if strats[i][b] != 1] for i in coalition]
            for choice in itertools.product(*targets):
                if anonymous:  # players with equal strategies are interchangeable: one coalition per multiset
                    key = tuple(sorted((cls[i], b) for i, b in zip(coalition, choice)))
                    if key in seen:
                        continue
                    seen.add(key)
                tries += 1
                if tries > max_tries:
                    return None
                # EU(t) = sum_T t^|T| (1-t)^(|C|-|T|) EU(b_T, s_-T)
                coeffs = [arith.zero] * (size + 1)
                for r in range(size + 1):
                    for T in itertools.combinations(range(size), r):
                        val = base if r == 0 else eu_of(tuple((coalition[x], choice[x]) for x in T))
                        # t^r (1-t)^(size-r) = sum_m C(size-r, m) (-1)^m t^(r+m)
                        for m in range(size - r + 1):
                            coeffs[r + m] += math.comb(size - r, m) * (-1) ** m * val
                coeffs = [arith.norm(c) for c in coeffs]
                coeffs[0] = arith.zero
                lead = next(((j, arith.sign(c)) for j, c in enumerate(coeffs) if j > 0 and arith.sign(c) != 0), None)
                if lead is None or lead[1] < 0:
                    continue
                t = arith.step(coeffs, Fraction(1, 2))
                tq = flint.fmpq(int(t.p), int(t.q)) if arith.fast else t
                new = list(strats)
                new_sym = list(profile)
                for i, b in zip(coalition, choice):
                    new[i] = tuple(arith.norm((1 - tq) * p + (tq if k == b else 0)) for k, p in enumerate(strats[i]))
                    new_sym[i] = tuple(arith.sym(x) for x in new[i])
                after = arith.eu(tuple(new))
                if arith.sign(arith.norm(after - base)) <= 0:  # pragma: no cover - guarded by _step
                    continue
                new_profile = tuple(new_sym)
                desc = ", ".join(f"player {i + 1} shifts {t} toward action {_action_name(game, i, b)}"
                                 for i, b in zip(coalition, choice))
                uniform = (" (every step in (0, t] improves: exact root count)"
                           if all(arith.is_rational(c) for c in coeffs) else "")
                return ImprovingWitness(new_profile, arith.distance(strats, new, profile, new_profile), arith.sym(base),
                                        arith.sym(after), f"coalition shift: {desc}; EU(s_t) - EU(s) has leading term "
                                        f"({exact_str(coeffs[lead[0]])}) t^{lead[0]}{uniform}")
    return None


def _action_name(game: Game | AnonymousGame, i: int, k: int) -> str:
    acts = game.player_actions if isinstance(game, AnonymousGame) else game.actions
    return acts[i][k]


def locally_optimal_asymmetric(
    game: Game | AnonymousGame, profile: Any, max_profiles: int = 4096, max_coalition: int = 2
) -> LocalOptimality:
    """Decide Definition 5.0.1 exactly (without Theorem 5.0.4).

    Parameters
    ----------
    game : a common-payoff Game or AnonymousGame (parameters substituted)
    profile : any profile
    max_profiles : the polynomial route (one simplex per player) is used only
        for games with at most this many pure profiles
    max_coalition : largest coalition tried by the witness search

    Returns
    -------
    LocalOptimality

    Examples
    --------
    >>> from exactgames.paper_games import taxi_symmetric
    >>> from exactgames.model.profile import make_profile, pure_profile
    >>> g = taxi_symmetric()
    >>> locally_optimal_asymmetric(g, make_profile(g, [["1/2", "1/2"]] * 2)).locally_optimal
    False
    >>> v = locally_optimal_asymmetric(g, pure_profile(g, ["H", "W"]))
    >>> v.locally_optimal, v.stage
    (True, 'global optimum')
    """
    if not game.is_common_payoff:
        raise ExactError("Definition 5.0.1 is about common-payoff games; this game's players have different payoffs")
    if game.parameters:
        raise ExactError(f"the game has parameters {[str(p) for p in game.parameters]}; substitute values first")
    profile = as_profile(game, profile)
    cert = pure_radius_certificate(game, profile)
    if cert is not None:
        return cert
    w = coalition_shift_witness(game, profile, max_coalition=max_coalition)
    if w is not None:
        method = decide_method([w.value_before, w.value_after])
        return LocalOptimality(False, SPACE, "coalition shift",
                               f"{w.description}; EU(s') = {exact_str(w.value_after)} > EU(s) = "
                               f"{exact_str(w.value_before)} (exact)",
                               method, w.value_before, witness=w)
    n_prof = math.prod(len(s) for s in profile)
    if n_prof > max_profiles:
        return LocalOptimality(None, SPACE, "undecided",
                               f"no explicit radius (mixed profile or several indifferent players), no improving "
                               f"coalition of size <= {max_coalition}, and {n_prof} pure profiles exceed max_profiles="
                               f"{max_profiles} for the polynomial route", "exact", expected_utility(game, profile))
    blocks = tuple((i,) for i in range(len(profile)))
    eu = symmetric_eu_polynomial(game, blocks)
    v = local_max_on_simplices(eu.expr, eu.variables, profile)
    return verdict_from_poly(game, profile, v, blocks, SPACE)
