"""exactgames: exact verification of symmetric common-payoff games.

The public API is re-exported here: the exact model (games, profiles,
expected utility), symmetry (Γ(G), ⟨P⟩, orbits), optimisation (exact KKT,
certified branch-and-bound, parametric regimes), certification (Nash,
degeneracy, local optimality, robustness), I/O and LaTeX output.

Examples
--------
>>> import exactgames as eg
>>> taxi = eg.Game.from_common([["H", "W"]] * 2, {("H", "W"): 1, ("W", "H"): 1})
>>> eg.nash_certificate(taxi, eg.make_profile(taxi, [["1/2", "1/2"]] * 2)).is_nash
True
>>> eg.symmetry_group(taxi).order
2
>>> best = eg.optimize(taxi)
>>> best.value, best.strategies
(1/2, ((1/2, 1/2),))
"""

from exactgames import certify as _certify
from exactgames import io as _io
from exactgames import model as _model
from exactgames import optimize as _optimize
from exactgames import output as _output
from exactgames import symmetry as _symmetry
from exactgames.certify import *  # noqa: F401,F403
from exactgames.io import GameFileError as GameFileError
from exactgames.io import read_game as read_game
from exactgames.io import write_game as write_game
from exactgames.model import *  # noqa: F401,F403
from exactgames.optimize import *  # noqa: F401,F403
from exactgames.output import *  # noqa: F401,F403
from exactgames.symmetry import *  # noqa: F401,F403

__version__ = "0.1.0"
__all__ = sorted(
    set(_model.__all__) | set(_symmetry.__all__) | set(_optimize.__all__) | set(_certify.__all__) | set(_output.__all__)
    | {"GameFileError", "read_game", "write_game"}
)
del _certify, _io, _model, _optimize, _output, _symmetry
