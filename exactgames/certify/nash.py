"""Exact Nash certification: the largest gain of any unilateral deviation.

Examples
--------
>>> from exactgames.model import Game, make_profile
>>> from exactgames.certify.nash import nash_certificate
>>> taxi = Game.from_common([["H", "W"]] * 2, {("H", "W"): 1, ("W", "H"): 1})
>>> cert = nash_certificate(taxi, make_profile(taxi, [["1/2", "1/2"]] * 2))
>>> cert.is_nash, cert.max_gain
(True, 0)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import flint
import sympy

from exactgames.model.exact import ExactError, compare, exact_max, sign
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.lift import exact_sign, exact_str, to_sympy
from exactgames.model.parse import parse_exact
from exactgames.model.profile import Profile, make_profile
from exactgames.model.utility import deviation_payoffs, lift_profile, lifted_deviation_payoffs

__all__ = ["NashCertificate", "nash_certificate", "is_epsilon_nash", "best_responses"]


@dataclass(frozen=True)
class NashCertificate:
    """Everything needed to re-check a Nash verdict by hand.

    Attributes
    ----------
    profile : the profile checked
    payoffs : ``EU_i(s)`` for each player
    deviation_payoffs : ``EU_i(a, s_-i)`` for each player and action
    gains : ``max_a EU_i(a, s_-i) - EU_i(s)`` for each player (always >= 0)
    max_gain : the largest gain; 0 exactly iff ``s`` is a Nash equilibrium
    best_deviation : (player, action) attaining ``max_gain`` (0-based), or None if Nash
    is_nash : bool, or None when the verdict depends on symbolic parameters
    method : how the verdict was decided
    """

    profile: Profile
    payoffs: tuple[sympy.Expr, ...]
    deviation_payoffs: tuple[tuple[sympy.Expr, ...], ...]
    gains: tuple[sympy.Expr, ...]
    max_gain: sympy.Expr
    best_deviation: tuple[int, int] | None
    is_nash: bool | None
    method: str
    actions: tuple[tuple[str, ...], ...] | None = None  # action names per player, for display

    def _repr_latex_(self) -> str:
        return _nash_latex(self)

    def to_json(self, actions: Any = None) -> dict:
        """JSON-ready dictionary (values as sympy-parseable strings, players from 1).

        Examples
        --------
        >>> from exactgames.model import Game, make_profile
        >>> g = Game.from_common([["a", "b"]] * 2, {("a", "a"): 2, ("b", "b"): 1})
        >>> js = nash_certificate(g, make_profile(g, [["1/3", "2/3"], "a"])).to_json([["a", "b"]] * 2)
        >>> js["max_gain"], js["best_deviation"], js["deviation_payoffs"]
        ('4/3', {'player': 1, 'action': 'a'}, [['2', '0'], ['2/3', '2/3']])
        """
        bd = None
        if self.best_deviation is not None:
            i, a = self.best_deviation
            bd = {"player": i + 1, "action": actions[i][a] if actions is not None else a}
        memo: dict = {}  # players of one group share their values: print each value once

        def text(v: sympy.Expr) -> str:
            key = id(v)
            if key not in memo:
                memo[key] = (v, exact_str(v))
            return memo[key][1]

        return {
            "nash": self.is_nash,
            "max_gain": text(self.max_gain),
            "max_gain_float": _float_or_none(self.max_gain),
            "best_deviation": bd,
            "payoffs": [text(v) for v in self.payoffs],
            "gains": [text(g) for g in self.gains],
            "deviation_payoffs": [[text(v) for v in row] for row in self.deviation_payoffs],
            "method": self.method,
        }


def _nash_latex(cert: "NashCertificate") -> str:
    verdict = {True: "\\text{Nash equilibrium}", False: "\\text{not Nash}", None: "\\text{depends on parameters}"}
    dev = ""
    if cert.best_deviation is not None:
        i, a = cert.best_deviation
        name = cert.actions[i][a] if cert.actions else str(a + 1)
        dev = f",\\ \\text{{best deviation: player {i + 1} to {name}}}"
    return f"$\\max_i \\max_a [EU_i(a, s_{{-i}}) - EU_i(s)] = {sympy.latex(cert.max_gain)}:\\ {verdict[cert.is_nash]}{dev}$"


def _float_or_none(x: sympy.Expr) -> float | None:
    """Display only, from a rigorous ball (never ``sympy.N``, which can hang on a large algebraic number)."""
    from exactgames.optimize.result import float_of

    return None if x.free_symbols else float_of(x)


def _method(values: list) -> str:
    if all(v.is_Rational for v in values):
        return "exact rational arithmetic"
    if any(v.free_symbols for v in values):
        return "exact symbolic arithmetic (verdict depends on parameters)"
    return "exact algebraic arithmetic; signs certified by minimal polynomials and arb interval enclosures"


def _nash_lifted(game: Game | AnonymousGame, profile: Profile, lifted: Any) -> NashCertificate:
    """The certificate computed in ``fmpq`` or one number field (:func:`exactgames.model.utility.lift_profile`)."""
    n = len(profile)
    dev: list = [None] * n
    pay: list = [None] * n
    gains: list = [None] * n
    for group in _player_groups(game, profile):
        i = group[0]
        v = list(lifted_deviation_payoffs(game, lifted, i))
        u = sum((p * x for p, x in zip(lifted[i], v) if p != 0), flint.fmpq(0))
        best, _ = exact_max(v, exact_sign)
        g = best - u
        for j in group:
            dev[j], pay[j], gains[j] = v, u, g
    max_gain, who = exact_max(gains, exact_sign)
    best_dev = None
    if exact_sign(max_gain) > 0:
        i = who[0]
        _, acts = exact_max(dev[i], exact_sign)
        best_dev = (i, acts[0])
    is_nash = exact_sign(max_gain) == 0
    memo: dict = {}  # one sympy value per distinct object: players of a group share theirs

    def sym(x: Any) -> sympy.Expr:
        if id(x) not in memo:
            memo[id(x)] = (x, to_sympy(x))
        return memo[id(x)][1]

    dev_rows = []
    for row in dev:
        if id(row) not in memo:
            memo[id(row)] = (row, tuple(sym(x) for x in row))
        dev_rows.append(memo[id(row)][1])
    pay_s = tuple(sym(x) for x in pay)
    allv = [x for row in dev_rows for x in row] + list(pay_s)
    return NashCertificate(profile, pay_s, tuple(dev_rows), tuple(sym(g) for g in gains), sym(max_gain), best_dev,
                           is_nash, _method(allv))


def _player_groups(game: Game | AnonymousGame, profile: Profile) -> list[list[int]]:
    """Players whose deviation payoffs are provably equal (same strategy in an anonymous game)."""
    if isinstance(game, AnonymousGame):
        groups: dict = {}
        for i, s in enumerate(profile):
            groups.setdefault(tuple(s), []).append(i)
        return list(groups.values())
    return [[i] for i in range(len(profile))]


def nash_certificate(game: Game | AnonymousGame, profile: Any) -> NashCertificate:
    """Certify exactly whether ``profile`` is a Nash equilibrium.

    For each player the exact payoff of every pure deviation is computed;
    the largest gain over players and pure actions is the certificate
    (a mixed deviation never gains more than the best pure one).  For
    rational payoffs and probabilities that are rational or lie in one number
    field ``Q(alpha)`` the arithmetic runs in python-flint (exact; values are
    reported as reduced polynomials in ``alpha``), otherwise in sympy.

    Parameters
    ----------
    game : Game or AnonymousGame
    profile : Profile or anything :func:`make_profile` accepts

    Returns
    -------
    NashCertificate

    Examples
    --------
    >>> from exactgames.model import Game, make_profile
    >>> g = Game.from_common([["a", "b"]] * 2, {("a", "a"): 2, ("b", "b"): 1})
    >>> c = nash_certificate(g, make_profile(g, [["1/3", "2/3"], "a"]))
    >>> c.is_nash, c.max_gain, c.best_deviation
    (False, 4/3, (0, 0))
    """
    if not (isinstance(profile, tuple) and all(isinstance(p, sympy.Basic) for s in profile for p in s)):
        profile = make_profile(game, profile)
    names = game.player_actions if isinstance(game, AnonymousGame) else game.actions
    return dataclasses.replace(_nash_certificate(game, profile), actions=tuple(tuple(a) for a in names))


def _nash_certificate(game: Game | AnonymousGame, profile: Profile) -> NashCertificate:
    lifted = lift_profile(game, profile)
    if lifted is not None:  # rational payoffs, probabilities in Q or one number field: fast exact arithmetic
        return _nash_lifted(game, profile, lifted)
    n = len(profile)
    dev: list = [None] * n
    pay: list = [None] * n
    gains: list = [None] * n
    for group in _player_groups(game, profile):
        i = group[0]
        v = deviation_payoffs(game, profile, i)
        u = sympy.expand(sympy.Add(*[p * x for p, x in zip(profile[i], v)]))
        if any(x.free_symbols for x in v):
            g = None
        else:
            best, _ = exact_max(list(v))
            g = sympy.expand(best - u)
        for j in group:
            dev[j], pay[j], gains[j] = v, u, g
    symbolic = any(g is None for g in gains)
    if symbolic:
        gains = [sympy.Max(*[sympy.expand(x - pay[i]) for x in dev[i]]) for i in range(n)]
        max_gain = sympy.Max(*gains)
        return NashCertificate(profile, tuple(pay), tuple(map(tuple, dev)), tuple(gains), max_gain, None, None,
                               _method([max_gain]))
    max_gain, who = exact_max(gains)
    best_dev = None
    if sign(max_gain) > 0:
        i = who[0]
        vals = list(dev[i])
        _, acts = exact_max(vals)
        best_dev = (i, acts[0])
    allv = [x for row in dev for x in row] + list(pay)
    return NashCertificate(
        profile, tuple(pay), tuple(tuple(r) for r in dev), tuple(gains), max_gain, best_dev, sign(max_gain) == 0, _method(allv)
    )


def is_epsilon_nash(game: Game | AnonymousGame, profile: Any, epsilon: Any) -> bool:
    """True if no player gains more than ``epsilon`` (exact) by deviating.

    Examples
    --------
    >>> from exactgames.model import Game
    >>> g = Game.from_common([["a", "b"]] * 2, {("a", "a"): 2, ("b", "b"): 1})
    >>> is_epsilon_nash(g, [["1/3", "2/3"], "a"], "4/3"), is_epsilon_nash(g, [["1/3", "2/3"], "a"], "1")
    (True, False)
    """
    cert = nash_certificate(game, profile)
    if cert.is_nash is None:
        raise ExactError("the certificate depends on parameters; substitute values first")
    return compare(cert.max_gain, parse_exact(epsilon)) <= 0


def best_responses(game: Game | AnonymousGame, profile: Any, player: int) -> tuple[int, ...]:
    """Indices of the pure best responses of ``player`` (0-based) to ``profile``.

    Examples
    --------
    >>> from exactgames.model import Game
    >>> g = Game.from_common([["a", "b"]] * 2, {("a", "a"): 2, ("b", "b"): 1})
    >>> best_responses(g, [["1/3", "2/3"], ["1/3", "2/3"]], 0)
    (0, 1)
    """
    if not (isinstance(profile, tuple) and all(isinstance(p, sympy.Basic) for s in profile for p in s)):
        profile = make_profile(game, profile)
    _, idx = exact_max(list(deviation_payoffs(game, profile, player)))
    return tuple(idx)
