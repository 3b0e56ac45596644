"""Optimisation over P-invariant profiles: exact KKT route, certified branch-and-bound, parametric regimes.

Examples
--------
>>> from exactgames.paper_games import taxi_symmetric
>>> optimize(taxi_symmetric()).value
3/2
"""

import sys as _sys
import types as _types

from exactgames.model.numberfield import NFElement, compare_elements
from exactgames.numbers.algebraic import RealAlgebraic, compare_algebraic, real_roots
from exactgames.optimize.api import default_orbits, optimize
from exactgames.optimize.bnb import BnbLimits, certified_optimum, certified_optimum_product
from exactgames.optimize.certificate import Certificate
from exactgames.optimize.deadline import SolverTimeout
from exactgames.optimize.elimination import critical_value_polynomial
from exactgames.optimize.kkt import Continuum, KKTPoint, SupportResult, all_supports, kkt_optimum, kkt_points
from exactgames.optimize.parametric import ParameterError, ParametricResult, parametric_regimes
from exactgames.optimize.polysolve import solve_system
from exactgames.optimize.result import OptimumResult, TiedContinuum, TiedPoint


class _CallablePackage(_types.ModuleType):
    """``exactgames.optimize`` is both this sub-package and the function :func:`optimize`: calling it calls the function.

    (Importing a sub-module rebinds the name ``exactgames.optimize`` to the package; ``eg.optimize(game)`` keeps working.)
    """

    def __call__(self, *args, **kwargs):
        return optimize(*args, **kwargs)

    @property
    def __signature__(self):  # inspect.signature(eg.optimize) is the function's
        import inspect

        return inspect.signature(optimize)


_sys.modules[__name__].__class__ = _CallablePackage

__all__ = [
    "OptimumResult",
    "Certificate",
    "TiedPoint",
    "TiedContinuum",
    "optimize",
    "certified_optimum",
    "certified_optimum_product",
    "BnbLimits",
    "parametric_regimes",
    "ParametricResult",
    "ParameterError",
    "default_orbits",
    "kkt_optimum",
    "kkt_points",
    "all_supports",
    "KKTPoint",
    "Continuum",
    "SupportResult",
    "RealAlgebraic",
    "NFElement",
    "real_roots",
    "compare_algebraic",
    "compare_elements",
    "solve_system",
    "critical_value_polynomial",
    "SolverTimeout",
]
