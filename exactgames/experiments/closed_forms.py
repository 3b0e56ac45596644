"""Closed forms for sweep cells: exact probabilities that a symmetric optimum is mixed.

Three results, each derived (not typed in) and shown beside the sampled
fraction by ``exactgames report``:

* **RandomGame, 2 players x 2 actions: 1/3.**  With payoffs ``a = u_aa``,
  ``b = u_ab``, ``c = u_bb`` the symmetric EU is the quadratic
  ``EU(p) = a p^2 + 2 b p (1-p) + c (1-p)^2``.  :func:`two_by_two_condition`
  derives with sympy that an interior maximum beats both vertices iff the
  quadratic is concave and its vertex ``p*`` lies in (0, 1), and that
  ``EU(p*) - a = (a - b)^2 / (2b - a - c)`` and ``EU(p*) - c = (c - b)^2 / (2b - a - c)``,
  which together reduce to ``b > max(a, c)``.  For i.i.d. continuous
  payoffs the probability is then ``P(b is the largest of three) =
  integral_0^1 F(b)^2 f(b) db = 1/3`` (:func:`random_2x2_mixed_probability`
  integrates it with sympy; exchangeability gives the same 1/3).  The
  generator's 10^-6 decimal grid changes this by less than 10^-5.
* **CoordinationGame, every cell: 0.**  All-same outcomes pay at least
  ``h = 1/2``, every other outcome at most ``h``.  Write ``S(x) = sum_k x_k^n``
  (the probability that all players agree) and ``M`` the best all-same
  payoff.  Then ``EU(x) <= M S(x) + h (1 - S(x)) = M - (M - h)(1 - S(x))``,
  and ``S(x) < 1`` for every mixed ``x``; so whenever ``M > h`` (almost
  surely) every mixed ``x`` is strictly worse than the pure strategy
  attaining ``M``.  :func:`pure_by_dominance` checks the premise of this
  argument exactly on any game.
* **CollaborationGame, every cell: 0.**  The same argument with ``M = 1`` and
  other outcomes at most ``199/200`` -- here surely, not just almost surely.

Examples
--------
>>> random_2x2_mixed_probability()
1/3
>>> cell_closed_form("coordination", 4, 5).probability
0
>>> cell_closed_form("random", 3, 3) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy

from exactgames.model.exact import sign
from exactgames.model.game import AnonymousGame

__all__ = [
    "ClosedForm",
    "two_by_two_condition",
    "random_2x2_mixed_probability",
    "pure_by_dominance",
    "cell_closed_form",
]


@dataclass(frozen=True)
class ClosedForm:
    """An exact probability that a cell's symmetric optimum is mixed, and why."""

    cls: str
    n_players: int
    n_actions: int
    probability: sympy.Expr
    derivation: str

    def to_json(self) -> dict[str, Any]:
        return {"class": self.cls, "players": self.n_players, "actions": self.n_actions,
                "probability": str(self.probability), "float": float(self.probability), "derivation": self.derivation}


def two_by_two_condition() -> dict[str, sympy.Expr]:
    """Derive, with sympy, when a 2x2 symmetric EU ``a p^2 + 2bp(1-p) + c(1-p)^2`` has a strictly better interior maximum.

    Returns a dict with the stationary point ``p_star``, the curvature
    ``second`` (= EU''/2), and the gains ``gain_a = EU(p*) - a`` and
    ``gain_c = EU(p*) - c`` in factored form.  Both gains are
    ``square / (-second)``, so they are positive iff ``second < 0`` (and
    ``b`` differs from ``a``, ``c``); with ``second < 0``, ``0 < p* < 1`` iff
    ``b > a`` and ``b > c``, and these two conditions imply ``second < 0``.

    Examples
    --------
    >>> d = two_by_two_condition()
    >>> d["p_star"], d["second"]
    (-(b - c)/(a - 2*b + c), a - 2*b + c)
    >>> d["gain_a"], d["gain_c"]
    (-(a - b)**2/(a - 2*b + c), -(b - c)**2/(a - 2*b + c))
    """
    a, b, c, p = sympy.symbols("a b c p", real=True)
    eu = a * p**2 + 2 * b * p * (1 - p) + c * (1 - p) ** 2
    (p_star,) = sympy.solve(sympy.diff(eu, p), p)
    second = sympy.expand(sympy.diff(eu, p, 2) / 2)
    val = sympy.simplify(eu.subs(p, p_star))
    gain_a = sympy.factor(val - a)
    gain_c = sympy.factor(val - c)
    # p* in (0, 1) with denominator (2b - a - c) > 0: numerator b - c > 0 and (2b - a - c) - (b - c) = b - a > 0
    one_minus = sympy.factor(1 - p_star)
    return {"eu": eu, "p_star": sympy.factor(p_star), "one_minus_p_star": one_minus, "second": second,
            "value": val, "gain_a": gain_a, "gain_c": gain_c}


def random_2x2_mixed_probability() -> sympy.Expr:
    """P(2-player 2-action RandomGame has a mixed symmetric optimum), payoffs i.i.d. U(0, 1).

    By :func:`two_by_two_condition` the optimum is mixed iff ``b > max(a, c)``;
    integrate the indicator over the unit cube with sympy.

    Examples
    --------
    >>> random_2x2_mixed_probability()
    1/3
    """
    d = two_by_two_condition()
    a, b, c = sympy.symbols("a b c", real=True)
    # the derived condition: numerators of p* and 1 - p* positive over a positive denominator
    num_p = sympy.numer(sympy.together(d["p_star"]))
    num_q = sympy.numer(sympy.together(d["one_minus_p_star"]))
    den = sympy.denom(sympy.together(d["p_star"]))
    # orient so that the denominator is 2b - a - c (positive in the concave case)
    if sympy.expand(den + d["second"]) != 0:
        num_p, num_q, den = -num_p, -num_q, -den
    assert sympy.expand(den + d["second"]) == 0
    # num_p = b - c > 0  <=>  c < b ;  num_q = b - a > 0  <=>  a < b
    sol_c = sympy.solve(num_p, c)[0]
    sol_a = sympy.solve(num_q, a)[0]
    assert sympy.diff(num_p, c) < 0 and sympy.diff(num_q, a) < 0  # so the region is c < sol_c, a < sol_a
    inner = sympy.integrate(1, (a, 0, sympy.Min(sol_a, 1)), (c, 0, sympy.Min(sol_c, 1)))
    return sympy.nsimplify(sympy.integrate(inner.subs(sympy.Min(b, 1), b), (b, 0, 1)))


def pure_by_dominance(game: AnonymousGame) -> bool:
    """Exact check of the dominance argument: best all-same payoff > every other payoff.

    When True, every mixed symmetric strategy is strictly worse than the pure
    strategy with the best all-same payoff (module docstring), so the
    symmetric optimum is pure and unique; proved with exact comparisons.

    Examples
    --------
    >>> from exactgames.model.game import AnonymousGame
    >>> pure_by_dominance(AnonymousGame.from_function(2, ["a", "b"], {(2, 0): 1, (1, 1): "1/2", (0, 2): "3/4"}))
    True
    >>> pure_by_dominance(AnonymousGame.from_function(2, ["a", "b"], {(2, 0): 0, (1, 1): 1, (0, 2): 0}))
    False
    """
    n = game.n_players
    same = [v for c, v in game.payoff.items() if max(c) == n]
    other = [v for c, v in game.payoff.items() if max(c) != n]
    best_same = same[0]
    for v in same[1:]:
        if sign(v - best_same) > 0:
            best_same = v
    return all(sign(best_same - v) > 0 for v in other)


def cell_closed_form(cls: str, n_players: int, n_actions: int) -> ClosedForm | None:
    """The closed-form mixed probability of a cell, or None when none is known.

    Examples
    --------
    >>> cell_closed_form("random", 2, 2).probability
    1/3
    >>> cell_closed_form("collaboration", 3, 2).probability
    0
    """
    if cls == "random" and n_players == 2 and n_actions == 2:
        return ClosedForm(cls, 2, 2, random_2x2_mixed_probability(),
                          "mixed iff u_ab > max(u_aa, u_bb); P = integral of b^2 over [0, 1] = 1/3")
    if cls == "coordination":
        return ClosedForm(cls, n_players, n_actions, sympy.Integer(0),
                          "EU(x) <= M S(x) + 1/2 (1 - S(x)) < M for mixed x when the best all-same payoff M > 1/2 (a.s.)")
    if cls == "collaboration":
        return ClosedForm(cls, n_players, n_actions, sympy.Integer(0),
                          "EU(x) <= S(x) + 199/200 (1 - S(x)) < 1 for mixed x (surely)")
    return None
