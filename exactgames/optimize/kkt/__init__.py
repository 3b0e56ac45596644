"""The exact KKT route: every critical point of the symmetric EU on every face, and the global optimum.

For a partition of the players into orbits (every orbit plays one strategy)
the expected utility is a polynomial ``F`` on a product of simplices.  For a
combination of supports (one tuple of action indices per orbit) the
Karush-Kuhn-Tucker conditions on the relative interior of that face are

* ``dF/dx[o][a]`` equal for all ``a`` in the support of orbit ``o`` (the
  common value is the orbit's multiplier ``lambda_o``), probabilities summing
  to one -- solved exactly after eliminating the simplex constraint
  (``x[o][last] = 1 - sum of the others``), i.e. the reduced gradient is zero;
* every support probability ``> 0``;
* ``dF/dx[o][b] <= lambda_o`` off the support.

Every sign is decided exactly (number-field arithmetic with python-flint and
certified isolating intervals; see :mod:`exactgames.numbers.algebraic`).

Layout: :mod:`~exactgames.optimize.kkt.faces` (the prepared EU polynomial and one
face's KKT system), :mod:`~exactgames.optimize.kkt.continuum` (continua:
affine parametrisation, slicing), :mod:`~exactgames.optimize.kkt.lp` (exact LP),
:mod:`~exactgames.optimize.kkt.route` (every face: :func:`kkt_optimum`),
:mod:`~exactgames.optimize.kkt.closing` (a continuum of maximisers as faces of
a subdivision closed at the maximum, replayable by ``verify``),
:mod:`~exactgames.optimize.kkt.types` (the results).

The global optimum over the product of simplices is a critical point of
``F`` restricted to the relative interior of some face, so it is the largest
value ``F`` takes at such points.  When the critical set of a face is a
continuum, it is split along factors
(:func:`~exactgames.optimize.polysolve.split_variety`).  ``F`` is constant on
each connected component of the critical set (its gradient vanishes along
it), so:

* an affine branch carries one exact rational value, and an exact LP either
  finds a rational point of the branch in the open face (the value is
  attained) or proves that the branch misses it (the value is dropped);
* a zero-dimensional branch gives isolated critical points;
* on any other branch the values are roots of its critical-value polynomial
  (:func:`~exactgames.optimize.elimination.critical_value_polynomial`); a value
  is counted when an exact critical point of the open face attaining it is
  found (rational slicing), dropped when elimination proves that no point of
  the branch with that value has all probabilities in ``(0, 1)``, and
  otherwise left as a candidate.

A candidate above the best value found makes the answer incomplete -- never
wrong.

When a continuum attains (or may attain) a rational maximum, the maximiser
set is reported as the faces of a subdivision closed at that maximum
(:func:`~exactgames.optimize.kkt.closing.close_at_maximum`: stellar splits at
the rational maximisers found, then bisection until every cell's Bernstein
coefficients are at most the maximum), recorded as a ``bnb-product-v1``
certificate under ``certificate["bnb"]`` so that ``verify`` replays it; a
continuum across a face (a segment, say) is otherwise not describable as a
whole face on which the EU is constant.

Examples
--------
>>> from exactgames.paper_games import taxi_symmetric
>>> r = kkt_optimum(taxi_symmetric(), [[0, 1]])
>>> r.value, r.strategies
(3/2, ((1/2, 1/2),))
"""


from exactgames.optimize.kkt.faces import all_supports, check_game, kkt_points, prepare
from exactgames.optimize.kkt.route import kkt_optimum
from exactgames.optimize.kkt.types import METHOD, Continuum, KKTPoint, SupportResult

__all__ = ["KKTPoint", "Continuum", "SupportResult", "kkt_points", "kkt_optimum", "all_supports", "check_game", "prepare", "METHOD"]
