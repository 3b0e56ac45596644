r"""The Table 8 quantity (Appendix F.6): cost of one simultaneous best response after a worst-case perturbation.

Let ``s = (x, ..., x)`` be a symmetric optimum of a common-payoff game with
mixed support ``S = supp(x)``, ``|S| >= 2``, and common payoff ``u``.

Derivation
----------
1. *Indifference.*  ``s`` is a Nash equilibrium (Theorem 4.0.2), so every
   action in ``S`` is a best response to ``s_-i`` and earns exactly
   ``EU(s)``; in a non-degenerate game (almost surely, Proposition F.2.1)
   every action outside ``S`` earns strictly less.
2. *Perturbation.*  For ``eps > 0`` let ``G'`` add ``eps`` to player ``i``'s
   payoff at every profile where ``i`` plays a chosen ``a_i in S``
   (``|u'_i - u| <= eps``, an eps-perturbation in the sense of Definition
   D.0.1).  Then ``EU'_i(a_i, s_-i) = EU(s) + eps`` beats every other action,
   so ``a_i`` is player ``i``'s unique best response.  Conversely, for
   ``eps`` small enough no perturbation can make an action outside ``S`` a
   best response (step 1's strict gap).  A best response may also be mixed
   over tied actions, but the resulting payoff is linear in each player's
   strategy, so the worst case is attained at pure choices.
3. *Simultaneous update.*  Every player switches at once (Definition F.6.1);
   the new profile is the pure profile ``a = (a_1, ..., a_n) in S^n`` and
   the *original* common payoff becomes ``u(a)`` (the perturbation vanishes
   as ``eps -> 0``).
4. *Worst case.*  The adversary chooses each ``a_i in S`` independently, so
   the worst outcome is ``min_{a in S^n} u(a)`` -- the smallest payoff among
   outcomes whose actions all lie in ``S`` -- and the relative decrease is

   .. math:: \mathrm{decrease} = \frac{EU(s) - \min_{a \in S^n} u(a)}{EU(s)}.

This is exactly what the paper's code computes (``vulnerability / quality``
in ``analyze.py``, REFERENCE_IMPLEMENTATION.md), so there is no discrepancy
in the formula.  Differences that remain: (i) the paper decides ``S`` and
``EU(s)`` in floating point (a near-zero coordinate can enlarge or shrink
``S``), here both are exact; (ii) the ratio is not affine invariant, so it
is only meaningful on the code's positive payoff scale (U(0, 1)); on the
appendix scale ``EU(s)`` may be negative and the ratio is refused; (iii) for
a pure optimum (``|S| = 1``) the decrease is 0 by the same argument, and the
paper averages only over mixed optima.

Examples
--------
2 players, 2 actions, ``u(aa) = 1/2, u(ab) = 1, u(bb) = 1/4``: the optimum is
``x = (3/5, 2/5)`` with ``EU = 7/10``; the worst outcome in ``{a, b}^2`` is
``u(bb) = 1/4``, so the decrease is ``(7/10 - 1/4) / (7/10) = 9/14``.

>>> from exactgames.model.game import AnonymousGame
>>> g = AnonymousGame.from_function(2, ["a", "b"], {(2, 0): "1/2", (1, 1): 1, (0, 2): "1/4"})
>>> r = perturbation_decrease(g, "7/10", (0, 1))
>>> r.decrease, r.min_payoff, r.worst_counts
(9/14, 1/4, (0, 2))
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

import sympy

from exactgames.model.counts import count_vectors
from exactgames.model.exact import ExactError, rational_enclosure, sign
from exactgames.model.game import AnonymousGame
from exactgames.model.parse import parse_exact

__all__ = ["PerturbationError", "PerturbationResult", "support_min_payoff", "perturbation_decrease"]


class PerturbationError(ExactError):
    """The Table 8 quantity is undefined for the given input (e.g. EU(s) <= 0 or an empty support)."""


@dataclass(frozen=True)
class PerturbationResult:
    """The Table 8 quantity of one symmetric optimum.

    Attributes
    ----------
    decrease : sympy.Expr
        ``(EU(s) - min_payoff) / EU(s)``, exact.
    interval : (Fraction, Fraction)
        Proved enclosure of ``decrease``.
    min_payoff : sympy.Expr
        ``min`` of ``u`` over profiles with all actions in the support.
    worst_counts : tuple of int
        A count vector attaining ``min_payoff``.
    method : str
    """

    decrease: sympy.Expr
    interval: tuple[Fraction, Fraction]
    min_payoff: sympy.Expr
    worst_counts: tuple[int, ...]
    method: str = "exact: min over support outcomes, exact division; interval by rigorous enclosure"

    def to_json(self) -> dict[str, Any]:
        return {
            "decrease": str(self.decrease),
            "interval": [str(self.interval[0]), str(self.interval[1])],
            "min_payoff": str(self.min_payoff),
            "worst_counts": list(self.worst_counts),
            "method": self.method,
        }


def support_min_payoff(game: AnonymousGame, support: Sequence[int]) -> tuple[sympy.Expr, tuple[int, ...]]:
    """Smallest payoff among outcomes whose actions all lie in ``support`` (exact), and a count vector attaining it.

    Examples
    --------
    >>> from exactgames.model.game import AnonymousGame
    >>> g = AnonymousGame.from_function(3, ["a", "b", "c"], lambda c: c[0] - c[1] + 2 * c[2])
    >>> support_min_payoff(g, (0, 1))
    (-3, (0, 3, 0))
    """
    m = len(game.actions)
    sup = sorted(set(int(k) for k in support))
    if not sup or sup[0] < 0 or sup[-1] >= m:
        raise PerturbationError(f"support {list(support)}: expected a non-empty set of action indices in 0..{m - 1}")
    best: tuple[sympy.Expr, tuple[int, ...]] | None = None
    for sub in count_vectors(game.n_players, len(sup)):
        c = [0] * m
        for k, cnt in zip(sup, sub):
            c[k] = cnt
        v = game.value(tuple(c))
        if best is None or sign(v - best[0]) < 0:
            best = (v, tuple(c))
    assert best is not None
    return best


def perturbation_decrease(
    game: AnonymousGame,
    value: Any,
    support: Sequence[int],
    value_interval: tuple[Fraction, Fraction] | None = None,
) -> PerturbationResult:
    """The relative EU decrease of Appendix F.6 at a symmetric optimum (see the module docstring).

    Parameters
    ----------
    game : AnonymousGame
    value : exact number
        ``EU(s)`` at the optimum (sympy, or a string parsed exactly); must be > 0.
    support : sequence of int
        Action indices of ``supp(x)``.
    value_interval : (Fraction, Fraction), optional
        A proved enclosure of ``value`` (e.g. ``OptimumResult.value_interval``);
        computed from ``value`` when omitted.

    Returns
    -------
    PerturbationResult

    Examples
    --------
    >>> from exactgames.model.game import AnonymousGame
    >>> g = AnonymousGame.from_function(2, ["a", "b"], {(2, 0): 0, (1, 1): 1, (0, 2): 0})
    >>> perturbation_decrease(g, "1/2", (0, 1)).decrease
    1
    >>> perturbation_decrease(g, "-1", (0, 1))
    Traceback (most recent call last):
    ...
    exactgames.experiments.perturbation.PerturbationError: EU(s) = -1 is not positive: the relative decrease is defined only on a positive payoff scale
    """
    v = parse_exact(value) if not isinstance(value, sympy.Basic) else value
    if sign(v) <= 0:
        raise PerturbationError(
            f"EU(s) = {v} is not positive: the relative decrease is defined only on a positive payoff scale"
        )
    mn, worst = support_min_payoff(game, support)
    exact = sympy.nsimplify(1 - mn / v) if v.is_Rational else 1 - mn / v
    lo, hi = value_interval if value_interval is not None else rational_enclosure(v)
    lo, hi = Fraction(lo), Fraction(hi)
    if lo <= 0:
        lo, hi = rational_enclosure(v)
    m = Fraction(int(sympy.numer(mn)), int(sympy.denom(mn)))
    ends = sorted((1 - m / lo, 1 - m / hi))  # 1 - m/v is monotone in v for v > 0
    return PerturbationResult(exact, (ends[0], ends[1]), mn, worst)
