"""exactgames: exact verification of symmetric common-payoff games.

The public API is the short list in :data:`__all__`: the verbs a user calls
and the result types they return.  Everything else (exact-number helpers,
the optimiser's routes, the certify layer's building blocks, LaTeX pieces)
is reached through its sub-package, e.g. ``exactgames.model.exact.to_fmpq``
or ``exactgames.optimize.bnb``; the README's API reference lists both.

Names are resolved on first use (PEP 562), so that importing one layer (for
instance ``exactgames.model``, as the independent certificate checker does)
does not load the others: the checker's process never holds the optimiser.

``eg.optimize`` is the sub-package :mod:`exactgames.optimize` itself, and
calling it calls :func:`exactgames.optimize.api.optimize`: one object, so
``import exactgames.optimize.bnb`` cannot rebind the verb to something else.

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
>>> len(eg.__all__) <= 40
True
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: the public names and the module each is read from (the sub-package, so that moves inside it do not matter)
_PUBLIC: dict[str, str] = {
    # exact model: games, profiles, expected utility
    "Game": "exactgames.model",
    "AnonymousGame": "exactgames.model",
    "Profile": "exactgames.model",
    "make_profile": "exactgames.model",
    "pure_profile": "exactgames.model",
    "symmetric_profile": "exactgames.model",
    "parse_exact": "exactgames.model",
    "ExactError": "exactgames.model",
    "expected_utility": "exactgames.model",
    "symmetric_eu_polynomial": "exactgames.model",
    # files
    "read_game": "exactgames.io",
    "write_game": "exactgames.io",
    "GameFileError": "exactgames.io",
    # symmetry
    "symmetry_group": "exactgames.symmetry",
    "generated_group": "exactgames.symmetry",
    "parse_permutations": "exactgames.symmetry",
    "SymmetryResult": "exactgames.symmetry",
    "automorphism_group": "exactgames.symmetry",
    # optimisation
    "optimize": "exactgames",
    "OptimumResult": "exactgames.optimize",
    "Certificate": "exactgames.optimize",
    "TiedPoint": "exactgames.optimize",
    "TiedContinuum": "exactgames.optimize",
    "parametric_regimes": "exactgames.optimize",
    "ParametricResult": "exactgames.optimize",
    # certification, and the one place that joins the optimum and its verdicts
    "analyze": "exactgames.certify",
    "Analysis": "exactgames.certify",
    "attach_verdicts": "exactgames.certify",
    "profile_verdicts": "exactgames.certify",
    "nash_certificate": "exactgames.certify",
    "NashCertificate": "exactgames.certify",
    "profile_degeneracy": "exactgames.certify",
    "locally_optimal_symmetric": "exactgames.certify",
    "locally_optimal_asymmetric": "exactgames.certify",
    # output
    "latex_derivation": "exactgames.output",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name == "optimize":
        # the callable sub-package (importing it binds ``exactgames.optimize`` to the same object)
        return importlib.import_module("exactgames.optimize")
    if name not in _PUBLIC:
        raise AttributeError(f"module 'exactgames' has no attribute {name!r} (public names: exactgames.__all__; "
                             "everything else through its sub-package, e.g. exactgames.model, exactgames.optimize)")
    value = getattr(importlib.import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
