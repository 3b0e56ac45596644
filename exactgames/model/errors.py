"""The exception types of exact computation, below every other module of the model.

>>> from exactgames.model.errors import ExactError, FloatRefusedError
>>> issubclass(FloatRefusedError, ExactError), issubclass(ExactError, ValueError)
(True, True)
"""

from __future__ import annotations

__all__ = ["ExactError", "FloatRefusedError"]


class ExactError(ValueError):
    """A value could not be read or handled exactly."""


class FloatRefusedError(ExactError, TypeError):
    """A Python or numpy float was given where an exact number is required."""
