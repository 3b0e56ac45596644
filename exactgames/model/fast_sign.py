"""Certified signs of algebraic expressions: :func:`certified_sign`, kept here under its historical name.

The implementation lives in :mod:`exactgames.model.exact` (one module for
exact numbers and their signs, with no import cycle); this module re-exports it.

Examples
--------
>>> import sympy
>>> certified_sign(sympy.sqrt(2) - 1)
1
"""

from exactgames.model.exact import certified_sign

__all__ = ["certified_sign"]
