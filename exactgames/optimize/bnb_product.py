"""Former home of the several-orbit branch and bound, now :mod:`exactgames.optimize.bnb` (kept for old imports).

>>> certified_optimum_product is __import__("exactgames.optimize.bnb", fromlist=["x"]).certified_optimum_product
True
"""

from exactgames.optimize.bnb import certified_optimum_product, certified_optimum_setup

__all__ = ["certified_optimum_product", "certified_optimum_setup"]
