"""The games of the paper, built exactly (a zoo used by tests, examples and the claims ledger).

Each function returns a plain :class:`~exactgames.model.game.Game` or
:class:`~exactgames.model.game.AnonymousGame`.  Where the paper leaves
payoffs implicit (the taxi games of Table 1, whose layout was lost), the
payoffs chosen here are stated in the docstring and are consistent with
every sentence of Section 2.

Examples
--------
>>> from exactgames.paper_games import taxi_symmetric
>>> g = taxi_symmetric()
>>> [g.payoff(0, p) for p in g.profiles()]
[1, 2, 2, 1]
"""

from __future__ import annotations

import sympy

from exactgames.model.game import AnonymousGame, Game

__all__ = [
    "taxi_permits",
    "taxi_symmetric",
    "taxi_large_groups",
    "ten_robots",
    "robot_butlers",
    "veil_of_ignorance",
    "example_5_0_5",
    "EPS",
]

EPS = sympy.Symbol("eps", positive=True)
_TAXI_ACTIONS = [["H", "W"], ["H", "W"]]
_TAXI_PLAYERS = ["Auto", "Mobile"]


def taxi_permits() -> Game:
    """Table 1a: Auto has only a work permit, Mobile only a home permit.

    The common payoff is the number of groups driven (a taxi serves its
    destination only with a permit for it): with work probabilities p, q,
    ``EU = p + (1 - q)``, so ``dEU/dp = +1`` and ``dEU/dq = -1`` as the text says.

    Examples
    --------
    >>> taxi_permits().payoff(0, ("W", "H"))
    2
    """
    served = {("H", "H"): 1, ("H", "W"): 0, ("W", "H"): 2, ("W", "W"): 1}
    return Game.from_common(_TAXI_ACTIONS, served, players=_TAXI_PLAYERS, title="self-driving taxis, different permits (Table 1a)")


def taxi_symmetric() -> Game:
    """Table 1b: identical taxis; the payoff is the number of groups driven (1 or 2).

    Examples
    --------
    >>> taxi_symmetric().payoff(1, ("H", "H"))
    1
    """
    served = {("H", "H"): 1, ("H", "W"): 2, ("W", "H"): 2, ("W", "W"): 1}
    return Game.from_common(_TAXI_ACTIONS, served, players=_TAXI_PLAYERS, title="self-driving taxis, identical (Table 1b)")


def taxi_large_groups() -> Game:
    """Table 1c: each group needs both taxis; payoff 1 if both drive to the same place.

    Examples
    --------
    >>> taxi_large_groups().payoff(0, ("H", "W"))
    0
    """
    served = {("H", "H"): 1, ("H", "W"): 0, ("W", "H"): 0, ("W", "W"): 1}
    return Game.from_common(_TAXI_ACTIONS, served, players=_TAXI_PLAYERS, title="self-driving taxis, large groups (Table 1c)")


def ten_robots(n: int = 10, eps: sympy.Expr | str = EPS) -> AnonymousGame:
    """Section 2.1: all play a -> 1; exactly one b and the rest c -> 1 + eps; else 0.

    Examples
    --------
    >>> g = ten_robots()
    >>> g.value((10, 0, 0)), g.value((0, 1, 9)), g.value((9, 1, 0))
    (1, eps + 1, 0)
    """
    e = sympy.sympify(eps) if not isinstance(eps, str) else sympy.sympify(eps)

    def u(c: tuple[int, ...]) -> sympy.Expr:
        if c == (n, 0, 0):
            return sympy.Integer(1)
        if c == (0, 1, n - 1):
            return 1 + e
        return sympy.Integer(0)

    return AnonymousGame.from_function(n, ["a", "b", "c"], u, title=f"{n} robots (Section 2.1)")


def robot_butlers() -> Game:
    """Appendix C: four robot butlers on a square hold food (F) or drink (D).

    Group ``g`` (at vertex ``g``) can reach the butlers at ``g`` and its two
    neighbours.  A group scores 0 without drink, 1 with drink only, 2 with
    food and drink; the common payoff is the sum over the four groups.

    Examples
    --------
    >>> robot_butlers().payoff(0, ("F", "D", "F", "D"))
    8
    """

    def u(p: tuple[str, ...]) -> int:
        total = 0
        for g in range(4):
            seen = {p[(g - 1) % 4], p[g], p[(g + 1) % 4]}
            total += 0 if "D" not in seen else (2 if "F" in seen else 1)
        return total

    return Game.from_common([["F", "D"]] * 4, u, title="robot butlers (Appendix C)")


def veil_of_ignorance() -> Game:
    """Appendix A as a normal form over contingency plans.

    Each robot's type is High (value 6) or Low (value 4), independently with
    probability 1/2; an action is a plan ``<action if Low><action if High>``
    over Cautious/Aggressive, e.g. ``CA`` = Cautious when Low, Aggressive when
    High.  Both C: the resource goes to one of them at random; one A: that one
    gets it; both A: destroyed (0).  The common payoff is the expected sum of
    utilities over the four type pairs.

    Examples
    --------
    >>> veil_of_ignorance().payoff(0, ("CC", "CC"))
    5
    """
    value = {"L": 4, "H": 6}
    plans = ["CC", "CA", "AC", "AA"]

    def outcome(a1: str, a2: str, v1: int, v2: int) -> sympy.Rational:
        if a1 == "C" and a2 == "C":
            return sympy.Rational(v1 + v2, 2)
        if a1 == "A" and a2 == "A":
            return sympy.Integer(0)
        return sympy.Integer(v1 if a1 == "A" else v2)

    def u(p: tuple[str, str]) -> sympy.Expr:
        total = sympy.Integer(0)
        for t1 in "LH":
            for t2 in "LH":
                a1 = p[0][0 if t1 == "L" else 1]
                a2 = p[1][0 if t2 == "L" else 1]
                total += sympy.Rational(1, 4) * outcome(a1, a2, value[t1], value[t2])
        return total

    return Game.from_common([plans, plans], u, title="veil of ignorance (Appendix A)")


def example_5_0_5(eps: sympy.Expr | str = EPS) -> Game:
    """Example 5.0.5: the 3x3 degenerate symmetric game with parameter eps.

    Examples
    --------
    >>> example_5_0_5().payoff(0, ("b", "c"))
    eps + 1
    """
    e = sympy.sympify(eps)
    table = {
        ("a", "a"): 1, ("a", "b"): 1, ("a", "c"): 1,
        ("b", "a"): 1, ("b", "b"): -10, ("b", "c"): 1 + e,
        ("c", "a"): 1, ("c", "b"): 1 + e, ("c", "c"): -10,
    }
    syms = sorted(e.free_symbols, key=str)
    return Game.from_common([["a", "b", "c"]] * 2, table, title="Example 5.0.5", symbols={str(s): s for s in syms})
