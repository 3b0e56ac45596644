"""The certified branch and bound over P-invariant profiles, for any number k >= 1 of orbits.

One core (:mod:`exactgames.optimize.bnb.core`) works on a product of simplices,
one factor per orbit; one orbit is the case of one factor
(:func:`certified_optimum`, like networkx's ``single_source_dijkstra`` calling
``multi_source_dijkstra`` with one source), with fast single-factor paths
inside the core.  Layout: :mod:`~exactgames.optimize.bnb.form` (the EU
polynomial, built once), :mod:`~exactgames.optimize.bnb.bernstein` (tensor
Bernstein forms and bisection), :mod:`~exactgames.optimize.bnb.floats` (float
proposals), :mod:`~exactgames.optimize.bnb.regions` (region proofs),
:mod:`~exactgames.optimize.bnb.subdivision` (bookkeeping),
:mod:`~exactgames.optimize.bnb.outcome` (exact values, ties, continua),
:mod:`~exactgames.optimize.bnb.exact` (edge roots),
:mod:`~exactgames.optimize.bnb.simplex` (the one-orbit entry and certificate form).

Examples
--------
>>> from exactgames.paper_games import robot_butlers
>>> certified_optimum_product(robot_butlers(), [[0, 2], [1, 3]]).value
8
"""

from exactgames.optimize.bnb.core import (
    KIND,
    BnbLimits,
    ProductRegion,
    ProductSetup,
    certified_optimum_product,
    certified_optimum_setup,
    optimum_on_setup,
    product_setup,
)
from exactgames.optimize.bnb.simplex import METHOD, certified_optimum, symmetric_payoffs

__all__ = [
    "BnbLimits",
    "certified_optimum",
    "certified_optimum_product",
    "certified_optimum_setup",
    "optimum_on_setup",
    "product_setup",
    "ProductSetup",
    "ProductRegion",
    "symmetric_payoffs",
    "METHOD",
    "KIND",
]
