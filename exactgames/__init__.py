"""exactgames: exact verification of symmetric common-payoff games.

The public API is re-exported here: the exact model (games, profiles,
expected utility), symmetry (Γ(G), ⟨P⟩, orbits), optimisation (exact KKT,
certified branch-and-bound, parametric regimes), certification (Nash,
degeneracy, local optimality, robustness), I/O and LaTeX output.

Names are resolved on first use (PEP 562), so that importing one layer (for
instance ``exactgames.model``, as the independent certificate checker does)
does not load the others: the checker's process never holds the optimiser.

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

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# the sub-packages whose __all__ make up the public API, in the order names are looked up
_SOURCES = ("exactgames.model", "exactgames.symmetry", "exactgames.optimize", "exactgames.certify", "exactgames.output")
_IO = {"GameFileError": "exactgames.io", "read_game": "exactgames.io", "write_game": "exactgames.io"}


def _public() -> dict[str, str]:
    table = dict(_IO)
    for src in _SOURCES:
        for name in importlib.import_module(src).__all__:
            table.setdefault(name, src)
    return table


def __getattr__(name: str) -> Any:
    if name == "__all__":
        value: Any = sorted(_public())
    elif name in _IO:
        value = getattr(importlib.import_module(_IO[name]), name)
    else:
        table = _public()
        if name not in table:
            raise AttributeError(f"module 'exactgames' has no attribute {name!r}")
        value = getattr(importlib.import_module(table[name]), name)
    if name != "optimize":  # the function shares its name with the sub-package, which may be re-bound by an import
        globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_public()))
