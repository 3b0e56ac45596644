"""Appendix D: robustness of Theorem 4.0.2 to payoff and strategy perturbations, decided exactly.

* Proposition D.0.2: if ``s*`` is a (locally optimal P-invariant, hence Nash)
  profile of ``G`` and ``G'`` an eps-perturbation, ``s*`` is a 2 eps-Nash
  equilibrium of ``G'``.  :func:`perturbation_robustness` computes the exact
  Nash gap in ``G'`` and compares it with ``2 eps`` (plus the gap in ``G``,
  which is 0 for a Nash equilibrium).  :func:`worst_case_perturbation` builds
  the eps-perturbation that maximises the gap: for player ``i`` and action
  ``b`` the largest achievable gap is exactly
  ``EU_i(b, s_-i) - EU_i(s) + 2 eps (1 - s_i(b))``, attained by adding eps to
  every payoff where ``i`` plays ``b`` and subtracting eps elsewhere (a
  common-payoff perturbation when ``G`` is common-payoff).  The bound 2 eps is
  attained iff some player has a best response outside its support.
* Theorem D.0.3: total variation ``delta = TV(s, s*)`` of the joint (product)
  distributions, exact; bound ``4 delta max|u|``.
* Corollary D.0.4: Kullback-Leibler divergences enclosed with python-flint
  ``arb`` balls (logarithms are transcendental); bound
  ``2 sqrt(2 nu) max|u|``; the comparison is decided by balls that separate.

Examples
--------
>>> from exactgames.paper_games import taxi_symmetric
>>> from exactgames.model.profile import make_profile
>>> g = taxi_symmetric()
>>> s = make_profile(g, [["1/2", "1/2"]] * 2)
>>> w = worst_case_perturbation(g, s, "1/10")
>>> w.gap, w.attains_bound
(1/10, False)
>>> perturbation_robustness(g, w.perturbed, s).holds
True
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import sympy

from exactgames.certify.local_poly import decide_method
from exactgames.certify.local_symmetric import as_profile
from exactgames.certify.nash import nash_certificate
from exactgames.model.exact import ExactError, compare, exact_max, to_arb
from exactgames.model.fast_sign import certified_sign
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.parse import parse_exact
from exactgames.model.utility import deviation_payoffs, expected_utility

__all__ = [
    "PerturbationCheck",
    "WorstCasePerturbation",
    "DistanceCheck",
    "perturbation_size",
    "perturbation_robustness",
    "worst_case_perturbation",
    "total_variation",
    "tv_robustness",
    "kl_divergence",
    "kl_robustness",
    "max_abs_payoff",
]


def _dense(game: Game | AnonymousGame) -> Game:
    return game.to_dense() if isinstance(game, AnonymousGame) else game


def _abs(x: sympy.Expr) -> sympy.Expr:
    s = certified_sign(x)
    return x if s >= 0 else -x


def max_abs_payoff(game: Game | AnonymousGame) -> sympy.Expr:
    """``max_{i, a} |u_i(a)|`` exactly.

    Examples
    --------
    >>> from exactgames.paper_games import example_5_0_5
    >>> max_abs_payoff(example_5_0_5("1/2"))
    10
    """
    lo, hi = game.payoff_range()
    best, _ = exact_max([_abs(lo), _abs(hi)])
    return best


def perturbation_size(game: Game | AnonymousGame, perturbed: Game | AnonymousGame) -> sympy.Expr:
    """The smallest eps for which ``perturbed`` is an eps-perturbation of ``game`` (Definition D.0.1), exactly.

    Examples
    --------
    >>> from exactgames.model.game import Game
    >>> g = Game.from_common([["a", "b"]] * 2, {("a", "a"): 1})
    >>> h = Game.from_common([["a", "b"]] * 2, {("a", "a"): "9/10", ("b", "b"): "1/20"})
    >>> perturbation_size(g, h)
    1/10
    """
    g, h = _dense(game), _dense(perturbed)
    if g.actions != h.actions:
        raise ExactError(f"the perturbed game has actions {h.actions}, expected {g.actions}")
    diffs = [_abs(sympy.expand(b - a)) for ra, rb in zip(g.payoffs, h.payoffs) for a, b in zip(ra, rb)]
    best, _ = exact_max(diffs)
    return best


@dataclass(frozen=True)
class PerturbationCheck:
    """Proposition D.0.2 checked for one profile and one perturbed game.

    Attributes
    ----------
    eps : size of the perturbation (exact)
    gap_original : Nash gap (max unilateral gain) of the profile in ``G``
    gap_perturbed : Nash gap in ``G'`` (the actual epsilon of epsilon-Nash)
    bound : ``gap_original + 2 eps`` (``2 eps`` when the profile is Nash in ``G``)
    holds : ``gap_perturbed <= bound``, decided exactly
    premise_nash : whether the profile is a Nash equilibrium of ``G``
    method : the arithmetic used
    """

    eps: sympy.Expr
    gap_original: sympy.Expr
    gap_perturbed: sympy.Expr
    bound: sympy.Expr
    holds: bool
    premise_nash: bool
    method: str


def perturbation_robustness(game: Game | AnonymousGame, perturbed: Game | AnonymousGame, profile: Any,
                            eps: Any = None) -> PerturbationCheck:
    """Exact epsilon-Nash of ``profile`` in ``perturbed`` vs Proposition D.0.2's ``2 eps``.

    Parameters
    ----------
    game, perturbed : the game and its perturbation (same actions)
    profile : the profile (for the proposition: a locally optimal P-invariant profile of ``game``)
    eps : the perturbation size; default the exact smallest one.  A given
        eps smaller than the real perturbation is an error.

    Examples
    --------
    >>> from exactgames.paper_games import taxi_symmetric
    >>> from exactgames.model.game import Game
    >>> from exactgames.model.profile import make_profile
    >>> g = taxi_symmetric()
    >>> h = Game.from_common([["H", "W"]] * 2, {("H", "H"): "11/10", ("H", "W"): 2, ("W", "H"): 2, ("W", "W"): 1})
    >>> c = perturbation_robustness(g, h, make_profile(g, [["1/2", "1/2"]] * 2))
    >>> c.eps, c.gap_perturbed, c.bound, c.holds
    (1/10, 1/40, 1/5, True)
    """
    profile = as_profile(game, profile)
    size = perturbation_size(game, perturbed)
    if eps is None:
        eps = size
    else:
        eps = parse_exact(eps)
        if compare(size, eps) > 0:
            raise ExactError(f"the perturbed game differs by {size} > eps = {eps}: not an eps-perturbation")
    c0 = nash_certificate(game, profile)
    c1 = nash_certificate(perturbed, profile)
    bound = sympy.expand(c0.max_gain + 2 * eps)
    holds = compare(c1.max_gain, bound) <= 0
    return PerturbationCheck(eps, c0.max_gain, c1.max_gain, bound, holds, bool(c0.is_nash),
                             decide_method([eps, c0.max_gain, c1.max_gain]))


@dataclass(frozen=True)
class WorstCasePerturbation:
    """The eps-perturbation maximising the Nash gap of a profile.

    Attributes
    ----------
    perturbed : the perturbed game (dense)
    player, action : the deviation that attains the gap (0-based)
    gap : the exact Nash gap of the profile in ``perturbed`` (the supremum over all eps-perturbations)
    bound : ``2 eps`` (Proposition D.0.2)
    attains_bound : ``gap == bound``
    """

    perturbed: Game
    player: int
    action: int
    gap: sympy.Expr
    bound: sympy.Expr
    attains_bound: bool


def worst_case_perturbation(game: Game | AnonymousGame, profile: Any, eps: Any) -> WorstCasePerturbation:
    """Construct the eps-perturbation that maximises the profile's Nash gap.

    The gap of player ``i`` deviating to ``b`` in any eps-perturbation is at most
    ``EU_i(b, s_-i) - EU_i(s) + 2 eps (1 - s_i(b))`` (each payoff moves by at
    most eps), and this is attained by ``u' = u + eps`` where ``i`` plays ``b``
    and ``u - eps`` elsewhere.  The largest such value over ``(i, b)`` is the
    exact worst case; it is verified by recomputing the gap in the returned game.

    Examples
    --------
    >>> from exactgames.paper_games import example_5_0_5
    >>> from exactgames.model.profile import pure_profile
    >>> g = example_5_0_5("1/2")
    >>> w = worst_case_perturbation(g, pure_profile(g, ["a", "a"]), "1/100")
    >>> w.gap, w.bound, w.attains_bound
    (1/50, 1/50, True)
    """
    profile = as_profile(game, profile)
    eps = parse_exact(eps)
    if certified_sign(eps) <= 0:
        raise ExactError(f"eps must be positive, got {eps}")
    g = _dense(game)
    candidates = []
    keys = []
    for i in range(g.n_players):
        dev = deviation_payoffs(g, profile, i)
        eu = expected_utility(g, profile, i)
        for b, v in enumerate(dev):
            candidates.append(sympy.expand(v - eu + 2 * eps * (1 - profile[i][b])))
            keys.append((i, b))
    best, idx = exact_max(candidates)
    i, b = keys[idx[0]]
    common = g.is_common_payoff
    payoffs = []
    for j in range(g.n_players):
        row = []
        for k, prof in enumerate(g.index_profiles()):
            u = g.payoffs[j][k]
            if common or j == i:
                u = u + eps if prof[i] == b else u - eps
            row.append(sympy.expand(u))
        payoffs.append(tuple(row))
    perturbed = Game(g.actions, tuple(payoffs), g.players, f"worst-case {eps}-perturbation of {g.title}")
    gap = nash_certificate(perturbed, profile).max_gain
    if compare(gap, best) != 0:  # pragma: no cover - the formula is exact
        raise ExactError(f"internal error: constructed gap {gap} differs from the formula {best}")
    bound = 2 * eps
    return WorstCasePerturbation(perturbed, i, b, gap, bound, compare(gap, bound) == 0)


# ---------------------------------------------------------------------------------------------
# strategy perturbations


@dataclass(frozen=True)
class DistanceCheck:
    """Theorem D.0.3 or Corollary D.0.4 checked for a profile ``s`` near ``s*``.

    Attributes
    ----------
    distance : TV(s, s*) exactly, or for KL a rational enclosure (lo, hi) of the divergence used
    gap : the exact Nash gap of ``s`` (its actual epsilon)
    bound : the theorem's epsilon: exact (TV) or a rational enclosure (lo, hi) (KL)
    holds : ``gap <= bound``, decided exactly or by separated arb balls
    premise_nash : whether ``s*`` is a Nash equilibrium (the theorems' premise)
    method : how it was decided
    details : further quantities (both KL directions)
    """

    distance: Any
    gap: sympy.Expr
    bound: Any
    holds: bool
    premise_nash: bool
    method: str
    details: dict


def total_variation(p: Any, q: Any) -> sympy.Expr:
    """Exact total variation distance between the joint (product) distributions of two profiles.

    Examples
    --------
    >>> h, z, o = sympy.Rational(1, 2), sympy.Integer(0), sympy.Integer(1)
    >>> total_variation(((h, h), (h, h)), ((o, z), (h, h)))
    1/2
    """
    p = tuple(tuple(sympy.sympify(x) for x in s) for s in p)
    q = tuple(tuple(sympy.sympify(x) for x in s) for s in q)
    if [len(s) for s in p] != [len(s) for s in q]:
        raise ExactError("the two profiles have different numbers of players or actions")
    rational = all(x.is_Rational for s in p + q for x in s)
    sups = [[k for k in range(len(a)) if a[k] != 0 or b[k] != 0] for a, b in zip(p, q)]
    if rational:
        pf = [[flint.fmpq(int(x.p), int(x.q)) for x in s] for s in p]
        qf = [[flint.fmpq(int(x.p), int(x.q)) for x in s] for s in q]
        acc = flint.fmpq(0)
        for a in itertools.product(*sups):
            pa, qa = flint.fmpq(1), flint.fmpq(1)
            for i, k in enumerate(a):
                pa *= pf[i][k]
                qa *= qf[i][k]
            acc += abs(pa - qa)
        return sympy.Rational(int(acc.p), int(acc.q)) / 2
    total = sympy.Integer(0)
    for a in itertools.product(*sups):
        pa = sympy.Mul(*[p[i][k] for i, k in enumerate(a)])
        qa = sympy.Mul(*[q[i][k] for i, k in enumerate(a)])
        total += _abs(sympy.expand(pa - qa))
    return sympy.expand(total / 2)


def tv_robustness(game: Game | AnonymousGame, profile: Any, reference: Any) -> DistanceCheck:
    """Theorem D.0.3: the Nash gap of ``profile`` vs ``4 TV(profile, reference) max|u|``, exactly.

    Examples
    --------
    >>> from exactgames.paper_games import taxi_symmetric
    >>> from exactgames.model.profile import make_profile
    >>> g = taxi_symmetric()
    >>> c = tv_robustness(g, make_profile(g, [["3/5", "2/5"], ["1/2", "1/2"]]), make_profile(g, [["1/2", "1/2"]] * 2))
    >>> c.distance, c.gap, c.bound, c.holds
    (1/10, 1/10, 4/5, True)
    """
    s = as_profile(game, profile)
    s_star = as_profile(game, reference)
    delta = total_variation(s, s_star)
    M = max_abs_payoff(game)
    gap = nash_certificate(game, s).max_gain
    bound = sympy.expand(4 * delta * M)
    premise = bool(nash_certificate(game, s_star).is_nash)
    return DistanceCheck(delta, gap, bound, compare(gap, bound) <= 0, premise, decide_method([delta, gap, M]),
                         {"max_abs_payoff": M})


def _arb_interval(b: flint.arb) -> tuple[Fraction, Fraction]:
    def frac(x: flint.arb) -> Fraction:
        m, e = x.man_exp()
        m, e = int(m), int(e)
        return Fraction(m * 2**e) if e >= 0 else Fraction(m, 2 ** (-e))

    mid, rad = frac(b.mid()), frac(b.rad())
    return mid - rad, mid + rad


def kl_divergence(p: Any, q: Any, prec: int = 128) -> flint.arb | None:
    """``D_KL(p || q)`` of the joint (product) distributions as a rigorous arb ball; None if infinite.

    For product distributions the divergence is the sum of the players'
    divergences ``sum_k p_k log(p_k / q_k)``.

    Examples
    --------
    >>> h, q3 = sympy.Rational(1, 2), sympy.Rational(1, 4)
    >>> b = kl_divergence(((h, h),), ((q3, 1 - q3),))
    >>> b.overlaps(flint.arb(2).log() - flint.arb(3).log() / 2)
    True
    >>> kl_divergence(((h, h),), ((sympy.Integer(1), sympy.Integer(0)),)) is None
    True
    """
    old = flint.ctx.prec
    flint.ctx.prec = prec
    try:
        acc = flint.arb(0)
        for s, t in zip(p, q):
            for a, b in zip(s, t):
                a, b = sympy.sympify(a), sympy.sympify(b)
                if certified_sign(a) == 0:
                    continue
                if certified_sign(b) == 0:
                    return None
                aa, bb = to_arb(a, prec), to_arb(b, prec)
                acc += aa * (aa / bb).log()
        return acc
    finally:
        flint.ctx.prec = old


def kl_robustness(game: Game | AnonymousGame, profile: Any, reference: Any, max_prec: int = 4096) -> DistanceCheck:
    """Corollary D.0.4: the Nash gap of ``profile`` vs ``2 sqrt(2 nu) max|u|``, decided with arb balls.

    ``nu`` is the smaller of ``D_KL(s || s*)`` and ``D_KL(s* || s)`` (the
    corollary allows either).  The verdict holds only when the balls separate
    (precision is raised up to ``max_prec`` bits); identical profiles give
    ``nu = 0`` and are decided exactly.

    Examples
    --------
    >>> from exactgames.paper_games import taxi_symmetric
    >>> from exactgames.model.profile import make_profile
    >>> g = taxi_symmetric()
    >>> c = kl_robustness(g, make_profile(g, [["3/5", "2/5"], ["1/2", "1/2"]]), make_profile(g, [["1/2", "1/2"]] * 2))
    >>> c.gap, c.holds, float(c.bound[0]) > 0.8
    (1/10, True, True)
    """
    s = as_profile(game, profile)
    s_star = as_profile(game, reference)
    M = max_abs_payoff(game)
    gap = nash_certificate(game, s).max_gain
    premise = bool(nash_certificate(game, s_star).is_nash)
    if all(certified_sign(sympy.expand(a - b)) == 0 for x, y in zip(s, s_star) for a, b in zip(x, y)):
        return DistanceCheck((Fraction(0), Fraction(0)), gap, (Fraction(0), Fraction(0)), certified_sign(gap) <= 0, premise,
                             "exact: identical profiles, divergence 0", {"kl_forward": (0, 0), "kl_backward": (0, 0)})
    prec = 128
    while True:
        fwd = kl_divergence(s, s_star, prec)
        bwd = kl_divergence(s_star, s, prec)
        old = flint.ctx.prec
        flint.ctx.prec = prec
        try:
            finite = [b for b in (fwd, bwd) if b is not None]
            if not finite:
                return DistanceCheck((None, None), gap, (None, None), True, premise,
                                     "both divergences are infinite: the bound is vacuous", {})
            Mb = to_arb(M, prec)
            bounds = [2 * (2 * flint.arb(0).max(b)).sqrt() * Mb for b in finite]
            gb = to_arb(gap, prec)
            decided = None
            best = 0
            for k, b in enumerate(bounds):
                if gb < b:  # arb: True only when every point of the first ball is below the second
                    decided, best = True, k
                    break
            if decided is None and all(gb > b for b in bounds):
                decided = False
            if decided is None and certified_sign(gap) == 0:
                decided = True  # exact: a zero gap is below every bound 2 sqrt(2 nu) M >= 0 (balls touching 0 cannot show it)
            if decided is not None or prec >= max_prec:
                nu = finite[best]
                details = {"kl_forward": _arb_interval(fwd) if fwd is not None else None,
                           "kl_backward": _arb_interval(bwd) if bwd is not None else None,
                           "precision_bits": prec, "max_abs_payoff": M}
                if decided is None:
                    raise ExactError(f"could not separate the Nash gap {gap} from the KL bound at {prec} bits")
                return DistanceCheck(_arb_interval(nu), gap, _arb_interval(bounds[best]), decided, premise,
                                     f"rigorous arb ball arithmetic at {prec} bits (balls separated)", details)
        finally:
            flint.ctx.prec = old
        prec *= 2
