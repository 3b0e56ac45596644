"""The one place that joins the optimum and its verdicts: :func:`analyze` and the :class:`Analysis` it returns.

:func:`analyze` optimises among P-invariant profiles
(:func:`exactgames.optimize.api.optimize`) and decides every verdict on the
optimum (Nash, degenerate, locally optimal in the asymmetric space) under one
time limit; for a game with a free parameter it gives the regimes of the
optimum with the verdicts at each sample point.  The command line
(``exactgames optimize``), the LaTeX writer and the parametric conditions all
call it.  :func:`profile_verdicts` decides the same verdicts on any profile.

Examples
--------
>>> from exactgames.paper_games import taxi_symmetric
>>> from exactgames.model.profile import make_profile
>>> g = taxi_symmetric()
>>> v = profile_verdicts(g, make_profile(g, [["1/2", "1/2"]] * 2), orbits=[[0, 1]])
>>> v["nash"], v["degenerate"], v["locally_optimal_symmetric"], v["locally_optimal_asymmetric"]
(True, False, True, False)
>>> a = analyze(g)
>>> a.value, a.nash, a.degenerate, a.locally_optimal_asymmetric
(3/2, True, False, False)
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from exactgames.certify.asymmetric import locally_optimal_asymmetric
from exactgames.certify.degeneracy import DegeneracyVerdict, profile_degeneracy
from exactgames.certify.local_symmetric import as_profile, default_orbits, locally_optimal_symmetric, profile_from_orbits
from exactgames.certify.nash import NashCertificate, nash_certificate
from exactgames.certify.witness import LocalOptimality
from exactgames.model.exact import ExactError
from exactgames.model.fast_sign import certified_sign
from exactgames.model.game import AnonymousGame, Game
from exactgames.optimize.api import default_generators, optimize
from exactgames.optimize.deadline import Deadline, SolverTimeout
from exactgames.optimize.parametric import ParametricResult, parametric_regimes
from exactgames.optimize.result import OptimumResult

__all__ = ["Analysis", "analyze", "profile_verdicts", "attach_verdicts", "verdicts_timed_out", "verdicts_reason",
           "subgroup_p"]

TIMED_OUT = "time limit reached before the verdicts were decided (the optimum itself is proved)"
NOT_EXACT = ("the maximiser is proved only to lie in a region around the given point (value_exact false): the verdicts "
             "need the exact maximiser (ask for its closed form: optimize(..., closed_form=True), "
             "exactgames optimize --closed-form always)")


def verdicts_reason(result: OptimumResult) -> str | None:
    """Why the verdicts of a complete optimum were not decided (None when they were, or for an incomplete one)."""
    v = result.certificate.get("verdicts") if result.certificate is not None else None
    return v.get("reason") if isinstance(v, dict) and isinstance(v.get("reason"), str) else None


def verdicts_timed_out(result: OptimumResult) -> bool:
    """True when the verdicts were abandoned at the time limit (the optimum itself is proved)."""
    v = result.certificate.get("verdicts")
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


@dataclass(frozen=True, repr=False)
class Analysis(OptimumResult):
    """A proved optimum among P-invariant profiles with the certify layer's verdicts on it.

    Everything of the :class:`~exactgames.optimize.result.OptimumResult` (the
    optimiser's answer, as proved), and the verdicts: ``None`` when not
    decided (an incomplete optimum, or the time limit passed while deciding
    them: :attr:`verdicts_timed_out`).  ``certificate["verdicts"]`` holds their
    witnesses as JSON; :attr:`nash_certificate`, :attr:`degeneracy` and
    :attr:`asymmetric` the typed certificates.  ``to_json()`` is the object
    ``exactgames optimize --json`` prints.

    Attributes
    ----------
    nash : bool or None
        The optimum is a Nash equilibrium (Theorem 4.0.2 says it must be).
    degenerate : bool or None
        Definition 5.0.3.
    locally_optimal_asymmetric : bool or None
        Definition 5.0.1: locally optimal among possibly asymmetric profiles.

    Examples
    --------
    >>> from exactgames.paper_games import robot_butlers
    >>> a = analyze(robot_butlers())
    >>> a.nash, a.degenerate, a.locally_optimal_asymmetric, a.nash_certificate.is_nash
    (True, False, False, True)
    >>> a.optimum.certificate.get("verdicts") is None and "verdicts" in a.certificate
    True
    """

    nash: bool | None = None
    degenerate: bool | None = None
    locally_optimal_asymmetric: bool | None = None
    nash_certificate: NashCertificate | None = field(default=None, compare=False)
    degeneracy: DegeneracyVerdict | None = field(default=None, compare=False)
    asymmetric: LocalOptimality | None = field(default=None, compare=False)

    @property
    def optimum(self) -> OptimumResult:
        """The optimiser's result alone (its certificate without the verdicts)."""
        base = {f.name: getattr(self, f.name) for f in dataclasses.fields(OptimumResult)}
        base["certificate"] = {k: v for k, v in self.certificate.items() if k != "verdicts"}
        return OptimumResult(**base)

    @property
    def verdicts_timed_out(self) -> bool:
        """True when the time limit passed while the verdicts were decided (they are then None)."""
        return verdicts_timed_out(self)

    def _verdict_flags(self) -> tuple[tuple[str, bool | None], ...]:
        return (("nash", self.nash),)

    def _verdicts_json(self) -> dict[str, bool | None]:
        return {"nash": self.nash, "degenerate": self.degenerate,
                "locally_optimal_asymmetric": self.locally_optimal_asymmetric}


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
        witnesses, ``orbits`` from 1) and ``certificates`` (the typed objects behind them:
        ``nash`` a :class:`~exactgames.certify.nash.NashCertificate`, ``degeneracy`` and
        ``asymmetric`` the degeneracy and local-optimality verdicts, None where not decided).

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
        out["certificates"] = {"nash": cert, "degeneracy": None, "asymmetric": None}
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
    asym = None
    if game.is_common_payoff:
        asym = locally_optimal_asymmetric(game, profile)
        out["locally_optimal_asymmetric"] = asym.locally_optimal
        details["asymmetric"] = asym.to_json(acts)
    else:
        out["locally_optimal_asymmetric"] = None
        details["asymmetric"] = {"locally_optimal": None, "reason": sym_reason}
    out["details"] = details
    out["certificates"] = {"nash": cert, "degeneracy": deg, "asymmetric": asym}
    return out



def _analysis(result: OptimumResult, **verdicts: Any) -> Analysis:
    base = {f.name: getattr(result, f.name) for f in dataclasses.fields(OptimumResult)}
    return Analysis(**base, **verdicts)


def _with_verdicts(game: Game | AnonymousGame, result: OptimumResult, orbits: Sequence[Sequence[int]] | None,
                   deadline: Deadline, time_limit: float | None) -> Analysis:
    """Decide the verdicts on a complete optimum before ``deadline`` (else they stay None and say why).

    An optimum without its exact maximiser (``value_exact`` False) gets no verdicts: the strategies are a point
    near it, and a verdict on that point would not be one on the optimum.
    """
    if not result.value_exact:
        cert = result.certificate.with_fields(verdicts={"reason": NOT_EXACT})
        return _analysis(dataclasses.replace(result, certificate=cert))
    profile = profile_from_orbits(result.orbits, result.strategies, game.n_players)
    try:
        with deadline.guard():
            v = profile_verdicts(game, profile, orbits if orbits is not None else result.orbits, symmetric=False)
    except SolverTimeout:
        cert = result.certificate.with_fields(verdicts={"reason": TIMED_OUT, "time_limit": time_limit})
        return _analysis(dataclasses.replace(result, certificate=cert))
    details = dict(v["details"])
    details["symmetric"] = {
        "locally_optimal": True,
        "reason": "the profile is the optimiser's proved global optimum among P-invariant profiles "
        "(Definition 4.0.1 holds for every eps); re-check the optimum with 'exactgames verify'",
    }
    return _analysis(dataclasses.replace(result, certificate=result.certificate.with_fields(verdicts=details)),
                     nash=v["nash"], degenerate=v["degenerate"], locally_optimal_asymmetric=v["locally_optimal_asymmetric"],
                     nash_certificate=v["certificates"]["nash"], degeneracy=v["certificates"]["degeneracy"],
                     asymmetric=v["certificates"]["asymmetric"])


def attach_verdicts(game: Game | AnonymousGame, result: OptimumResult, orbits: Sequence[Sequence[int]] | None = None,
                    time_limit: float | None = None) -> Analysis | OptimumResult:
    """The :class:`Analysis` of an optimum already found: its verdicts decided (``analyze`` does both steps).

    ``orbits`` defaults to ``result.orbits``.  With ``time_limit`` (seconds, wall clock) the verdicts
    are abandoned when it passes: they stay ``None`` and ``certificate["verdicts"]["reason"]`` says so
    (:attr:`Analysis.verdicts_timed_out`).  An incomplete result is returned as it is (nothing to decide on).

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
    return _with_verdicts(game, result, orbits, Deadline(time_limit), time_limit)


def subgroup_p(game: Game | AnonymousGame, subgroup: str | None) -> tuple[tuple[tuple[int, ...], ...], list[list[int]]]:
    """P from generators in cycle notation (players from 1; None: Γ(G)): its orbits and its generators (0-based).

    Examples
    --------
    >>> from exactgames.paper_games import robot_butlers
    >>> subgroup_p(robot_butlers(), "(1 3)(2 4)")
    (((0, 2), (1, 3)), [[2, 3, 0, 1]])
    """
    if not subgroup:
        return default_orbits(game), default_generators(game)
    from exactgames.symmetry import generated_group, parse_permutations

    perms = parse_permutations(subgroup, game.n_players)
    orbits = tuple(tuple(sorted(o)) for o in generated_group(game, perms).orbits)
    return orbits, [list(p.array_form) for p in perms]


def analyze(
    game: Game | AnonymousGame,
    orbits: Sequence[Sequence[int]] | None = None,
    *,
    subgroup: str | None = None,
    time_limit: float | None = 60.0,
    progress: Callable[[dict], None] | None = None,
    closed_form: bool | None = None,
) -> Analysis | ParametricResult:
    """The optimum among P-invariant profiles and every verdict on it: the one call that joins the two.

    Parameters
    ----------
    game : Game or AnonymousGame
        Common payoff.  With one free parameter the answer is the regimes of the optimum.
    orbits : 0-based orbits of P, optional
        Default: those of ``subgroup``, else of Γ(G).
    subgroup : str, optional
        Generators of P in cycle notation, players from 1 (``"(1 3)(2 4)"``); recorded in the certificate.
    time_limit : seconds (None: no limit)
        One wall-clock limit for the optimiser and then the verdicts; an optimum not proved in time is
        returned incomplete, verdicts not decided in time stay None (and say so).
    progress : callable, optional
        The branch and bound's status, as for :func:`exactgames.optimize.api.optimize`.
    closed_form : bool or None
        As for :func:`exactgames.optimize.api.optimize` (default: derived when cheap).  Without the exact
        maximiser the verdicts stay None (``certificate["verdicts"]["reason"]`` says why).

    Returns
    -------
    Analysis, or ParametricResult for a game with a free parameter (the verdicts at each regime's sample point)

    Examples
    --------
    >>> from exactgames.paper_games import example_5_0_5, robot_butlers
    >>> r = analyze(example_5_0_5("1/2"))
    >>> r.value, r.strategies, (r.nash, r.degenerate, r.locally_optimal_asymmetric)
    (1, ((1, 0, 0),), (True, True, False))
    >>> analyze(robot_butlers(), subgroup="(1 3)(2 4)").value
    8
    >>> [reg.nash for reg in analyze(example_5_0_5()).regimes]
    [True, True, True]
    """
    start = time.monotonic()
    generators = None
    if subgroup or orbits is None:
        p_orbits, generators = subgroup_p(game, subgroup)
        orbits = p_orbits if orbits is None else orbits
    if game.parameters:
        return parametric_regimes(game, orbits, verdicts=profile_verdicts, time_limit=time_limit)
    result = optimize(game, orbits, time_limit=time_limit, progress=progress, generators=generators, closed_form=closed_form)
    if not result.complete:
        return _analysis(result)
    left = None if time_limit is None else max(time_limit - (time.monotonic() - start), 1e-3)
    return _with_verdicts(game, result, orbits, Deadline(left), left)
