"""exactgames: exact verification of symmetric common-payoff games.

The public API is re-exported here.

Examples
--------
>>> import exactgames as eg
>>> taxi = eg.Game.from_common([["H", "W"]] * 2, {("H", "W"): 1, ("W", "H"): 1})
>>> eg.nash_certificate(taxi, eg.make_profile(taxi, [["1/2", "1/2"]] * 2)).is_nash
True
"""

from exactgames.certify import *  # noqa: F401,F403
from exactgames.certify import __all__ as _certify_all
from exactgames.model import *  # noqa: F401,F403
from exactgames.model import __all__ as _model_all

__version__ = "0.1.0"
__all__ = list(_model_all) + list(_certify_all)
