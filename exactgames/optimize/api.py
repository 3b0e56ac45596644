"""``optimize``: the global optimum among P-invariant profiles, choosing the route.

* Orbits default to those of Γ(G) (:func:`exactgames.symmetry.symmetry_group`);
  an :class:`~exactgames.model.game.AnonymousGame` is totally symmetric (one orbit).
* One orbit of two players (a standard quadratic program): the exact concave-face
  enumeration (:func:`exactgames.optimize.quadratic.quadratic_optimum`) gives the
  rational optimum with no subdivision; when the winning face is degenerate it
  returns nothing and the routes below run.
* For a rational game the certified branch-and-bound
  (:func:`exactgames.optimize.bnb.certified_optimum_product`, on a product of
  simplices, one factor per orbit; one orbit is the one-factor case
  :func:`exactgames.optimize.bnb.certified_optimum`) proves the optimal
  support and a value enclosure; the
  exact KKT route then solves that support only, giving the closed form.  If
  that fails, the full exact KKT enumeration
  (:func:`exactgames.optimize.kkt.kkt_optimum`) runs.
* Games with free parameters are refused with a clear :class:`ExactError`.

Examples
--------
>>> from exactgames.paper_games import robot_butlers
>>> r = optimize(robot_butlers())
>>> r.orbits, r.strategies, r.value
(((0, 1, 2, 3),), ((-1 + sqrt(2), 2 - sqrt(2)),), -16 + 16*sqrt(2))
>>> optimize(robot_butlers(), [[0, 2], [1, 3]]).value
8
"""

from __future__ import annotations

import dataclasses
import time
from fractions import Fraction
from typing import Callable, Sequence

from exactgames.model.exact import rational_enclosure
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.numberfield import NFElement, compare_elements
from exactgames.numbers.algebraic import rational
from exactgames.optimize import bnb
from exactgames.optimize.bnb.form import setup_from_polynomial
from exactgames.optimize.deadline import Deadline, SolverTimeout
from exactgames.optimize.interval import arb_to_fraction_bounds
from exactgames.optimize.kkt import check_game, kkt_optimum, kkt_points, prepare
from exactgames.optimize.quadratic import quadratic_optimum
from exactgames.optimize.result import OptimumResult, TiedContinuum

__all__ = ["optimize", "default_orbits", "default_generators"]

CERTIFICATE_KIND = "exactgames-optimum-v2"


def default_orbits(game: Game | AnonymousGame) -> tuple[tuple[int, ...], ...]:
    """The orbits of Γ(G): one orbit for an anonymous game, else :func:`exactgames.symmetry.symmetry_group`.

    Examples
    --------
    >>> from exactgames.paper_games import taxi_permits, taxi_symmetric
    >>> default_orbits(taxi_symmetric()), default_orbits(taxi_permits())
    (((0, 1),), ((0,), (1,)))
    """
    if isinstance(game, AnonymousGame):
        return (tuple(range(game.n_players)),)
    from exactgames.symmetry import symmetry_group

    return tuple(tuple(o) for o in symmetry_group(game).orbits)


def default_generators(game: Game | AnonymousGame) -> list[list[int]]:
    """Generators of Γ(G) as 0-based one-line images (for an anonymous game, of the full symmetric group).

    Examples
    --------
    >>> from exactgames.paper_games import taxi_symmetric
    >>> default_generators(taxi_symmetric())
    [[1, 0]]
    """
    n = game.n_players
    if isinstance(game, AnonymousGame):
        if n == 1:
            return []
        return [[1, 0, *range(2, n)]] + ([[*range(1, n), 0]] if n > 2 else [])
    from exactgames.symmetry import symmetry_group

    return [list(g.array_form) for g in symmetry_group(game).generators if not g.is_Identity]


def _stamp(res: OptimumResult, generators: Sequence[Sequence[int]] | None) -> OptimumResult:
    """Wrap the route's certificate in the versioned result certificate, with the generators of P."""
    inner = dict(res.certificate)
    if inner.get("kind") in ("bnb-simplex-v1", "bnb-product-v1"):
        extra = {k: inner.pop(k) for k in ("kkt_on_support",) if k in inner}
        inner = {"bnb": inner, **extra}
    cert = {"kind": CERTIFICATE_KIND, **inner}
    if generators is not None:
        cert["generators"] = [[int(i) for i in g] for g in generators]
    return dataclasses.replace(res, certificate=cert)




def optimize(
    game: Game | AnonymousGame,
    orbits: Sequence[Sequence[int]] | None = None,
    time_limit: float | None = 10.0,
    progress: Callable[[dict], None] | None = None,
    generators: Sequence[Sequence[int]] | None = None,
    closed_form: bool | None = None,
) -> OptimumResult:
    """Global optimum among P-invariant profiles (exact closed form when the KKT route finishes).

    Parameters
    ----------
    game : Game or AnonymousGame
        Common payoff, rational payoffs, no free parameters.
    orbits : list of lists of 0-based players, optional
        The orbits of P; default Γ(G)'s.
    time_limit : seconds (None = no limit)
        When the certified branch and bound runs out of time, its best proved
        enclosure so far is returned (``complete=False``, ``value_interval``
        still a proof).
    progress : callable, optional
        Called about twice a second during the branch and bound with a dict
        (``cells_done``, ``cells_left``, ``depth``, ``threshold``, ``gap``).
    generators : list of 0-based one-line permutations, optional
        Generators of P, recorded in the certificate so that ``verify`` can
        check them on the game and re-derive the orbits (default: Γ(G)'s when
        ``orbits`` is not given).
    closed_form : bool or None, optional
        Whether to derive the exact closed form of the optimum from the KKT
        points of the proved support.  ``None`` (default): when it costs no
        more than the proof -- within ``max(CLOSED_FORM_MIN_SECONDS, time of
        the branch and bound)``, steps predicted to take longer not started;
        otherwise the result is the proved support and value enclosure
        (``value_exact=False``, ``certificate["kkt_on_support"]["status"] ==
        "deferred"``, no verdicts).  ``True``: always (within
        ``time_limit``).  ``False``: never.

    Returns
    -------
    OptimumResult
        ``complete=False`` (with ``reason``) when a limit was hit; nothing is
        then claimed.  Verdicts (``nash`` ...) are left ``None``: the certify
        layer decides them (:func:`exactgames.certify.verdicts.analyze`).

    Raises
    ------
    ExactError
        For games with free parameters (use ``--set`` / ``game.subs`` or the
        parametric analysis), non-common-payoff games and irrational payoffs.

    Examples
    --------
    >>> from exactgames.paper_games import example_5_0_5
    >>> optimize(example_5_0_5())
    Traceback (most recent call last):
    ...
    exactgames.model.errors.ExactError: the game has free parameters (eps): give them values (--set NAME=VALUE, or game.subs) or use the parametric analysis (exactgames.optimize.parametric)
    """
    check_game(game)
    deadline = Deadline(time_limit)
    if orbits is None and generators is None:
        generators = default_generators(game)
    orbs = tuple(tuple(sorted(o)) for o in (orbits if orbits is not None else default_orbits(game)))
    orbs = tuple(sorted(orbs))
    return _stamp(_optimize(game, orbs, deadline, progress, closed_form), generators)


#: ``closed_form=None``: the closed form may take this long, or as long as the proof took if that is longer (seconds)
CLOSED_FORM_MIN_SECONDS = 3.0
#: ``closed_form=None``: no closed form when the proved support's KKT system has more complex solutions than this
CLOSED_FORM_MAX_SOLUTIONS = 400
#: measured cost of the value's canonical form (FLINT), seconds per degree^3 * bits of the value's coefficients over
#: the field: its minimal polynomial by n + 1 resultants (1.2e-8; random 100x3 seeds 2, 3, 7, 9: degree 99,
#: 282 bits, 3.05-3.07 s; random 5x5 seed 2: degree 16, 1751 bits, 0.089 s) and the real roots of that
#: polynomial, whose coefficients have at most about degree * bits bits (3.5e-8 per degree^2 * output bits; the
#: same cases: 0.85-5.9 s), fitted on this 2-core machine
_MINPOLY_SECONDS = 1.2e-8
_ROOTS_SECONDS = 3.5e-8


def _optimize(game, orbs, deadline, progress, closed_form=None) -> OptimumResult:
    prep = prepare(game, orbs)  # the game's EU polynomial, built once for every route
    res = None
    if len(orbs) == 1 and len(orbs[0]) == 2:  # one orbit of two players: exact, no subdivision (random 2x30: 0.07-0.32 s)
        res = quadratic_optimum(game, deadline)
        if res is not None:
            return res
    if game.n_players > 1:
        setup = setup_from_polynomial(prep.orbits, prep.actions, prep.F)
        setup._cached("_kkt_prep", lambda: prep)
        res = _via_bnb(game, orbs, deadline, progress=progress, setup=setup, prep=prep, closed_form=closed_form)
    remaining = deadline.remaining()
    if res is not None and (res.complete or (remaining is not None and remaining <= 0)):
        return res  # a proof, or (out of time) the best proved enclosure so far
    if res is not None and res.value_interval[0] < res.value_interval[1] and not _kkt_can_finish(prep.sizes, remaining):
        return res  # the enumeration could not finish (and would keep this enclosure): not started
    kkt = kkt_optimum(game, orbs, time_limit=remaining if remaining is None else max(remaining, 0.0), _prep=prep)
    if not kkt.complete and res is not None and res.value_interval[0] < res.value_interval[1]:
        return res  # neither route finished: keep the branch and bound's proved enclosure
    return kkt


#: a lower bound of the exact KKT route's time per support combination (measured: about 4 ms on the smallest faces)
_KKT_SECONDS_PER_FACE = 1e-4
#: beyond this many support combinations the route cannot even list them (memory), whatever the time limit
_KKT_MAX_FACES = 10**8


def _kkt_can_finish(sizes: Sequence[int], remaining: float | None) -> bool:
    """False when the exact KKT enumeration over every support combination certainly cannot finish.

    It lists all ``prod_i (2^{m_i} - 1)`` support combinations first, then solves one system per combination:
    more than ``remaining`` seconds at :data:`_KKT_SECONDS_PER_FACE` each, or more than :data:`_KKT_MAX_FACES`
    combinations at all (random 2x30: 2^30 - 1, a list that exhausts the memory).  An unfinished enumeration
    is incomplete and :func:`_optimize` would return the branch and bound's enclosure anyway.

    Examples
    --------
    >>> _kkt_can_finish((3,), 1.0), _kkt_can_finish((20,), 60.0), _kkt_can_finish((30,), None)
    (True, False, False)
    """
    faces = 1
    for m in sizes:
        faces *= 2**m - 1
    if faces > _KKT_MAX_FACES:
        return False
    return remaining is None or faces * _KKT_SECONDS_PER_FACE <= remaining


def _via_bnb(game, orbs, deadline, progress=None, setup=None, prep=None, closed_form=None) -> OptimumResult | None:
    """Proved support from the branch-and-bound (one route for any number of orbits), exact closed form from the KKT
    points of that support.

    An incomplete branch and bound is returned as it is (the caller decides whether to fall back).
    """
    t0 = time.monotonic()
    try:
        b = bnb.certified_optimum_product(game, orbs, limits=bnb.BnbLimits(time_limit=deadline.remaining()), progress=progress,
                                          setup=setup)
    except (ValueError, NotImplementedError):  # ExactError included: the branch-and-bound does not apply
        return None
    if not b.complete:
        return b
    if b.certificate.get("winner", 0) is None:
        # the maximum is a rational value attained at a rational point (a continuum, or a vertex no region covers):
        # already exact, with the maximiser set described in ``ties``
        return b
    if closed_form is False:  # the branch and bound's own exact values (pure or edge maximisers) are kept
        return b if b.value_exact else _deferred(b, "no closed form asked for (closed_form=False)")
    sub = deadline
    if closed_form is None:  # the exact value must not cost more than the proof
        budget = max(CLOSED_FORM_MIN_SECONDS, time.monotonic() - t0)
        rem = deadline.remaining()
        sub = Deadline(budget if rem is None else min(budget, rem))
    try:
        return _exact_on_support(game, orbs, sub, b, prep, closed_form)
    except SolverTimeout as exc:
        if sub is not deadline:  # the proof is complete: keep it, without the closed form
            return b if b.value_exact else _deferred(b, f"it would cost more than the proof ({sub.limit:.2g} s allowed; {exc})")
        return _out_of_time(b, "deriving the exact value on the proved support")


def _passed(deadline: Deadline) -> bool:
    r = deadline.remaining()
    return r is not None and r <= 0


def _out_of_time(b: OptimumResult, phase: str) -> OptimumResult:
    """The branch and bound's proved enclosure when the time limit passes after it (nothing else is claimed)."""
    cert = dict(b.certificate)
    cert["kkt_on_support"] = {"status": "timeout", "reason": f"time limit reached while {phase}"}
    return dataclasses.replace(
        b, complete=False, value_exact=False, certificate=cert,
        reason=f"time limit reached while {phase} (after the branch and bound proved the support); "
        "value_interval is the proved enclosure")


def _deferred(b: OptimumResult, reason: str) -> OptimumResult:
    """The branch and bound's proof as it is (support and value enclosure; ``value_exact`` False), the closed form
    deferred."""
    cert = dict(b.certificate)
    cert["kkt_on_support"] = {"status": "deferred", "reason": reason + "; the closed form: optimize(..., closed_form=True)"}
    return dataclasses.replace(b, certificate=cert, method=b.method + "; closed form not derived: " + reason)


_WIDTH = Fraction(1, 10**30)  # the width of NFElement.enclosure()'s default enclosure


def _meets(value: NFElement, lo: Fraction, hi: Fraction) -> bool:
    """Whether ``value.enclosure()`` (a rational interval of width at most 1e-30 around the exact value) meets
    ``[lo, hi]``, decided whenever possible from a rigorous ``arb`` ball of ``h(theta)`` on a refined ``theta``.

    The enclosure's canonical form needs the value's minimal polynomial (seconds to minutes for a field of
    degree 20-30); the ball needs none.  A ball more than 1e-30 below ``lo`` or above ``hi`` means the enclosure
    misses ``[lo, hi]``; a ball inside ``[lo, hi]`` means it meets it; otherwise the enclosure decides.

    Examples
    --------
    >>> import flint
    >>> from exactgames.numbers.algebraic import real_roots
    >>> t = real_roots(flint.fmpq_poly([-2, 0, 1]))[1]                     # sqrt(2)
    >>> v = NFElement.make(t, flint.fmpq_poly([0, 1]))
    >>> _meets(v, Fraction(7, 5), Fraction(3, 2)), _meets(v, Fraction(3, 2), Fraction(2))
    (True, False)
    """
    if not value.is_rational:
        theta = value.theta
        for prec in (128, 256, 512):
            theta = theta.refine(Fraction(1, 2 ** (prec - 8)))
            ball = value.ball(prec, theta)
            if not ball.is_finite():
                continue
            blo, bhi = arb_to_fraction_bounds(ball)
            if bhi < lo - _WIDTH or blo > hi + _WIDTH:
                return False
            if lo <= blo and bhi <= hi:
                return True
    plo, phi = value.enclosure()
    return not (phi < lo or plo > hi)


def _exact_on_support(game, orbs, deadline, b, prep=None, closed_form=None) -> OptimumResult | None:
    """The exact closed form from the KKT points of the proved support; every phase checks ``deadline``.

    Raises :class:`SolverTimeout` when the deadline passes (sympy computations are interrupted by
    :meth:`Deadline.guard`).
    """
    prep = prep if prep is not None else prepare(game, orbs)
    lo, hi = b.value_interval
    cap = None if closed_form else CLOSED_FORM_MAX_SOLUTIONS
    sr = kkt_points(game, orbs, b.support, _prep=prep, _deadline=Deadline(deadline.remaining()), _max_solutions=cap)
    if sr.status == "timeout":
        raise SolverTimeout(sr.reason)
    if sr.status == "deferred":
        return b if b.value_exact else _deferred(b, sr.reason)
    with deadline.guard():
        inside = [p for p in sr.critical if _meets(p.value, lo, hi)]
    if sr.status != "solved" or not inside:
        # the exact closed form is not available: keep the proved enclosure (value_exact False)
        cert = dict(b.certificate)
        cert["kkt_on_support"] = {"status": sr.status, "reason": sr.reason or "no KKT point inside the proved enclosure"}
        return dataclasses.replace(b, certificate=cert)
    with deadline.guard():
        best = inside[0]
        for p in inside[1:]:
            if compare_elements(p.value, best.value) > 0:
                best = p
    if not best.value.is_rational:
        n, h = best.value.field.degree, best.value.poly
        bits = max(h.numer().height_bits(), int(h.denom()).bit_length(),
                   max(abs(c).bit_length() for c in best.value.field.theta.poly))
        deadline.affords((_MINPOLY_SECONDS + _ROOTS_SECONDS) * n**3 * bits,
                         f"the minimal polynomial of the value and its real roots (degree {n}, {bits}-bit coefficients)")
    with deadline.guard():
        canon = best.value.canonical()
        value = canon.to_sympy()
        interval = rational_enclosure(value) if value.is_Rational else canon.enclosure()
    if interval[1] < lo or interval[0] > hi:  # pragma: no cover - the two routes disagree
        return None
    with deadline.guard():
        ties: list = [p.sympy_strategies() for p in sr.critical
                      if p is not best and compare_elements(p.value, best.value) == 0]
    # ties on other supports, from the branch-and-bound's tied regions
    for strat in b.ties:
        if isinstance(strat, TiedContinuum):
            ties.append(strat)
            continue
        sups = strat.support
        if not all(sups) or sups == tuple(b.support):
            continue
        tr = kkt_points(game, orbs, sups, _prep=prep, _deadline=Deadline(deadline.remaining()))
        if tr.status == "timeout" and _passed(deadline):
            raise SolverTimeout(tr.reason)
        with deadline.guard():
            for p in tr.critical:
                if compare_elements(p.value, best.value) == 0:
                    ties.append(p.sympy_strategies())
    cert = {
        "route": "certified branch-and-bound proves the optimal support and a value enclosure; "
        "the exact KKT points of that support give the closed form (the optimum is the largest of them)",
        "bnb": b.certificate,
        "kkt_on_support": sr.to_json(prep.actions),
        "optimal_value_polynomial": str(canon.fmpz_poly()).replace("x", "v"),
        "optimal_value_root_index": canon.index,
        "optimal_value_isolating_interval": [str(canon.lo), str(canon.hi)],
    }
    with deadline.guard():
        zero = NFElement.of(rational(0))
        support = tuple(tuple(a for a, x in enumerate(s) if compare_elements(x, zero) != 0) for s in best.strategies)
        strategies = best.sympy_strategies()
    return dataclasses.replace(
        b,
        value=value,
        value_interval=interval,
        strategies=strategies,
        support=support,
        mixed=any(len(s) > 1 for s in support),
        value_exact=True,
        ties=tuple(ties),
        method="certified branch-and-bound + exact KKT on the proved support",
        certificate=cert,
    )
