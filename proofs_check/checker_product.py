"""Kept for imports of earlier releases: the one checker lives in :mod:`proofs_check.checker`.

Examples
--------
>>> from exactgames.paper_games import robot_butlers
>>> from exactgames.optimize.bnb_product import certified_optimum_product
>>> g = robot_butlers()
>>> check_product_certificate(g, certified_optimum_product(g, [[0, 2], [1, 3]])).ok
True
"""

from proofs_check.checker import CheckReport, check_certificate

__all__ = ["check_product_certificate", "CheckReport", "KIND"]

KIND = "bnb-product-v1"


def check_product_certificate(game, result) -> CheckReport:
    """Same as :func:`proofs_check.checker.check_certificate` (one checker for every number of orbits)."""
    return check_certificate(game, result)
