"""Parametric analysis: the optimal P-invariant profile as the one parameter of a game varies.

:func:`parametric_regimes` splits the parameter's domain into regimes
(open intervals and the points between them), each with the optimal
symmetric profile as a closed-form function of the parameter, its value,
and how the regime was certified.

Method (every step exact):

1. For each support combination, eliminate the face variables from the KKT
   equations by resultants: the critical values are roots of ``R(v, t)``
   (:mod:`exactgames.optimize.parametric.candidates`).
2. The optimal branch can change only at real roots of the resultants,
   discriminants and leading coefficients of those polynomials (values
   crossing, a branch leaving its face, a degenerate system).  These roots
   are exact algebraic numbers (``Rational`` or ``CRootOf``), sorted exactly.
3. In every open interval between consecutive candidates a rational sample
   point is solved as a parameter-free game (independent enumeration of
   every face, :func:`~exactgames.optimize.parametric.solve.enumerate_optimum`,
   or the KKT optimiser), and the winning critical point is matched to a
   closed-form branch of its face (solved with the parameter symbolic and
   checked to satisfy the KKT equations identically).
4. No crossing inside: the interval contains no root of any candidate
   polynomial; when the branch value is a rational function of the
   parameter this is re-checked directly (``h(v(t), t)`` has no root inside
   for every critical-value factor ``h``, and no coordinate of the branch
   vanishes inside), by exact root isolation.
5. At an endpoint the optimal value is the common limit (the optimal value
   is continuous); the limits of the neighbouring branches are optimal there.
   A rational endpoint is also solved directly when possible.

Examples
--------
>>> from exactgames.paper_games import example_5_0_5
>>> res = parametric_regimes(example_5_0_5(), [[0, 1]])
>>> [(r.interval_str(), r.strategies[0], r.value) for r in res.regimes]
[('(0, 11)', (1, 0, 0), 1), ('[11, 11]', (1, 0, 0), 1), ('(11, oo)', (0, 1/2, 1/2), (eps - 9)/2)]
"""


from exactgames.optimize.parametric.branches import _simplest_between
from exactgames.optimize.parametric.domain import ParameterDomain, ParameterError, parameter_domain
from exactgames.optimize.parametric.regimes import parametric_regimes
from exactgames.optimize.parametric.results import Branch, ParametricResult, Regime

__all__ = ["ParameterError", "ParameterDomain", "Branch", "Regime", "ParametricResult", "parameter_domain", "parametric_regimes",
           "_simplest_between"]
