"""All verdicts on a profile or an optimum: Nash, degenerate, locally optimal (symmetric and asymmetric).

Examples
--------
>>> from exactgames.paper_games import taxi_symmetric
>>> from exactgames.model.profile import make_profile
>>> g = taxi_symmetric()
>>> v = profile_verdicts(g, make_profile(g, [["1/2", "1/2"]] * 2), orbits=[[0, 1]])
>>> v["nash"], v["degenerate"], v["locally_optimal_symmetric"], v["locally_optimal_asymmetric"]
(True, False, True, False)
"""

from __future__ import annotations

import dataclasses
from typing import Any, Sequence

from exactgames.certify.asymmetric import locally_optimal_asymmetric
from exactgames.certify.degeneracy import profile_degeneracy
from exactgames.certify.local_symmetric import as_profile, default_orbits, locally_optimal_symmetric, profile_from_orbits
from exactgames.certify.nash import nash_certificate
from exactgames.model.exact import ExactError
from exactgames.model.fast_sign import certified_sign
from exactgames.model.game import AnonymousGame, Game
from exactgames.optimize.result import OptimumResult

__all__ = ["profile_verdicts", "attach_verdicts", "analyze", "verdicts_timed_out"]

TIMED_OUT = "time limit reached before the verdicts were decided (the optimum itself is proved)"


def verdicts_timed_out(result: OptimumResult) -> bool:
    """True when :func:`attach_verdicts` gave up at its time limit."""
    v = result.certificate.get("verdicts") if isinstance(result.certificate, dict) else None
    return isinstance(v, dict) and v.get("reason") == TIMED_OUT


def _actions(game: Game | AnonymousGame) -> Any:
    return game.player_actions if isinstance(game, AnonymousGame) else game.actions


def _is_invariant(profile: Any, orbits: Sequence[Sequence[int]]) -> bool:
    for o in orbits:
        for i in o[1:]:
            for p, q in zip(profile[i], profile[o[0]]):
                if certified_sign(p - q) != 0:
                    return False
    return True


def profile_verdicts(
    game: Game | AnonymousGame, profile: Any, orbits: Sequence[Sequence[int]] | None = None, symmetric: bool = True
) -> dict:
    """Every verdict on one profile, each with its witness and how it was decided.

    Parameters
    ----------
    game : a common-payoff Game or AnonymousGame with parameters substituted
    profile : the profile
    orbits : 0-based orbits of P for Definition 4.0.1; default Γ(G)'s orbits
        (:func:`exactgames.symmetry.symmetry_group`; one orbit for an anonymous game)
    symmetric : bool
        Decide Definition 4.0.1 (local optimality among P-invariant profiles).
        :func:`attach_verdicts` turns it off: a proved global P-invariant
        optimum is locally optimal among P-invariant profiles by definition.

    Returns
    -------
    dict
        Keys ``nash``, ``max_gain``, ``degenerate``, ``locally_optimal_symmetric``,
        ``locally_optimal_asymmetric`` (bool or None) and ``details`` (JSON-ready:
        ``nash``, ``degeneracy``, ``symmetric``, ``asymmetric`` objects with the
        witnesses, ``orbits`` from 1).

    Examples
    --------
    >>> from exactgames.paper_games import example_5_0_5
    >>> from exactgames.model.profile import pure_profile
    >>> g = example_5_0_5("1/2")
    >>> v = profile_verdicts(g, pure_profile(g, ["a", "a"]), orbits=[[0, 1]])
    >>> v["nash"], v["degenerate"], v["locally_optimal_symmetric"], v["locally_optimal_asymmetric"]
    (True, True, True, False)
    """
    profile = as_profile(game, profile)
    acts = _actions(game)
    cert = nash_certificate(game, profile)
    out: dict[str, Any] = {"nash": cert.is_nash, "max_gain": cert.max_gain}
    details: dict[str, Any] = {"nash": cert.to_json(acts)}
    if game.parameters:
        why = f"the game has parameters {[str(x) for x in game.parameters]}; substitute values first"
        for key in ("degenerate", "locally_optimal_symmetric", "locally_optimal_asymmetric"):
            out[key] = None
        details.update({k: {"reason": why} for k in ("degeneracy", "symmetric", "asymmetric")})
        out["details"] = details
        return out
    deg = profile_degeneracy(game, profile, nash=cert)
    out["degenerate"] = deg.degenerate
    details["degeneracy"] = deg.to_json(acts)
    sym_reason = None
    try:
        orbs = tuple(tuple(sorted(o)) for o in orbits) if orbits is not None else default_orbits(game)
    except ExactError as exc:
        orbs, sym_reason = None, str(exc)
    if not game.is_common_payoff:
        sym_reason = "local optimality (Definitions 4.0.1 and 5.0.1) is defined for common-payoff games only"
    elif orbs is not None:
        details["orbits"] = [[i + 1 for i in o] for o in orbs]
        if not _is_invariant(profile, orbs):
            sym_reason = f"the profile is not P-invariant for orbits {details['orbits']}"
    if sym_reason is None and not symmetric:
        out["locally_optimal_symmetric"] = None
        details["symmetric"] = {"locally_optimal": None, "reason": "not asked (symmetric=False)"}
    elif sym_reason is None:
        sym = locally_optimal_symmetric(game, profile, orbs)
        out["locally_optimal_symmetric"] = sym.locally_optimal
        details["symmetric"] = sym.to_json(acts)
    else:
        out["locally_optimal_symmetric"] = None
        details["symmetric"] = {"locally_optimal": None, "reason": sym_reason}
    if game.is_common_payoff:
        asym = locally_optimal_asymmetric(game, profile)
        out["locally_optimal_asymmetric"] = asym.locally_optimal
        details["asymmetric"] = asym.to_json(acts)
    else:
        out["locally_optimal_asymmetric"] = None
        details["asymmetric"] = {"locally_optimal": None, "reason": sym_reason}
    out["details"] = details
    return out


def attach_verdicts(game: Game | AnonymousGame, result: OptimumResult, orbits: Sequence[Sequence[int]] | None = None,
                    time_limit: float | None = None) -> OptimumResult:
    """Fill ``nash``, ``degenerate`` and ``locally_optimal_asymmetric`` of an :class:`OptimumResult`.

    The supporting certificates go into ``result.certificate["verdicts"]``.
    ``orbits`` defaults to ``result.orbits``.  With ``time_limit`` (seconds, wall clock) the verdicts
    are abandoned when it passes: they stay ``None`` and ``certificate["verdicts"]["reason"]`` says so
    (:func:`verdicts_timed_out` tells the caller).

    Examples
    --------
    >>> import sympy
    >>> from fractions import Fraction
    >>> from exactgames.paper_games import taxi_symmetric
    >>> h = sympy.Rational(1, 2)
    >>> r = OptimumResult(sympy.Rational(3, 2), (Fraction(3, 2), Fraction(3, 2)), ((0, 1),), (("H", "W"),),
    ...                   ((h, h),), ((0, 1),), True)
    >>> r2 = attach_verdicts(taxi_symmetric(), r)
    >>> r2.nash, r2.degenerate, r2.locally_optimal_asymmetric
    (True, False, False)
    """
    if not result.complete:
        return result
    from exactgames.optimize.polysolve import Deadline, SolverTimeout

    profile = profile_from_orbits(result.orbits, result.strategies, game.n_players)
    deadline = Deadline(time_limit)
    try:
        with deadline.guard():
            v = profile_verdicts(game, profile, orbits if orbits is not None else result.orbits, symmetric=False)
    except SolverTimeout:
        cert = dict(result.certificate)
        cert["verdicts"] = {"reason": TIMED_OUT, "time_limit": time_limit}
        return dataclasses.replace(result, nash=None, degenerate=None, locally_optimal_asymmetric=None, certificate=cert)
    cert = dict(result.certificate)
    cert["verdicts"] = v["details"]
    cert["verdicts"]["symmetric"] = {
        "locally_optimal": True,
        "reason": "the profile is the optimiser's proved global optimum among P-invariant profiles "
        "(Definition 4.0.1 holds for every eps); re-check the optimum with 'exactgames verify'",
    }
    return dataclasses.replace(result, nash=v["nash"], degenerate=v["degenerate"],
                               locally_optimal_asymmetric=v["locally_optimal_asymmetric"], certificate=cert)


def analyze(game: Game | AnonymousGame, orbits: Sequence[Sequence[int]] | None = None) -> OptimumResult:
    """Optimise among P-invariant profiles (:func:`exactgames.optimize.api.optimize`) and attach every verdict.

    Examples
    --------
    >>> from exactgames.paper_games import taxi_symmetric
    >>> r = analyze(taxi_symmetric())
    >>> r.value, r.nash, r.degenerate, r.locally_optimal_asymmetric
    (3/2, True, False, False)
    """
    from exactgames.optimize.api import optimize

    result = optimize(game, orbits)
    return attach_verdicts(game, result, orbits)
