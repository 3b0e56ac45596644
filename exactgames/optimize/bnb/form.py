"""The game on a product of simplices: orbits, action sets and the tensor Bernstein form of the symmetric EU.

Built once per game and orbits and passed along: the certified branch and
bound (:mod:`exactgames.optimize.bnb.core`), its regions
(:mod:`exactgames.optimize.bnb.regions`) and float search all read it.

Examples
--------
>>> from exactgames.model.game import Game
>>> g = Game.from_common([["a", "b"]] * 2, {("a", "b"): 2, ("b", "a"): 1, ("a", "a"): 1})
>>> s = product_setup(g, [[0], [1]])
>>> s.ms, s.pure_value((0, 1))
((2, 2), Fraction(2, 1))
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Sequence

from flint import fmpq

from exactgames.model.exact import ExactError
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.utility import count_coefficients
from exactgames.optimize.bnb.bernstein import ProductBernstein
from exactgames.optimize.bnb.corner_form import ProductCornerForm
from exactgames.optimize.interval import (
    SymPoly,
)

__all__ = ["ProductSetup", "product_setup"]

# --------------------------------------------------------------------------- the game as a multi-homogeneous polynomial
@dataclass(frozen=True, eq=False)
class ProductSetup:
    """The EU polynomial of P-invariant profiles in the concatenated variables ``(x^(1), ..., x^(k))``.

    Attributes
    ----------
    orbits : tuple of tuple of int
        0-based players of each orbit (each sorted; the orbit order is the caller's).
    sizes : tuple of int
        Orbit sizes (the degree of f in each factor).
    ms : tuple of int
        Number of actions of each orbit.
    actions : tuple of tuple of str
    coef : dict
        Concatenated exponent vector -> monomial coefficient (Fraction), zeros dropped.
    """

    orbits: tuple[tuple[int, ...], ...]
    sizes: tuple[int, ...]
    ms: tuple[int, ...]
    actions: tuple[tuple[str, ...], ...]
    coef: dict

    @property
    def offsets(self) -> tuple[int, ...]:
        return tuple(sum(self.ms[:i]) for i in range(len(self.ms)))

    def var(self, i: int, a: int) -> int:
        """Index of ``x^(i)_a`` among the concatenated variables."""
        return self.offsets[i] + a

    def _cached(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self.__dict__:
            object.__setattr__(self, key, make())
        return self.__dict__[key]

    @property
    def bernstein(self) -> ProductBernstein:
        return self._cached("_bern", lambda: ProductBernstein.from_coefficients(self.sizes, self.ms, self.coef))

    @property
    def sympoly(self) -> SymPoly:
        """The polynomial for ``arb`` evaluation (value, gradient, Hessian in the concatenated variables)."""
        return self._cached(
            "_sp", lambda: SymPoly(sum(self.sizes), sum(self.ms), tuple((c, fmpq(v.numerator, v.denominator)) for c, v in self.coef.items()))
        )

    @property
    def form(self) -> ProductCornerForm:
        return self._cached("_form", lambda: ProductCornerForm(self.coef, self.ms))

    def pure_value(self, choice: Sequence[int]) -> Fraction:
        """Exact f at the pure profile choosing action ``choice[i]`` in orbit i."""
        e = []
        for n, m, a in zip(self.sizes, self.ms, choice):
            e.extend(n if b == a else 0 for b in range(m))
        return self.coef.get(tuple(e), Fraction(0))


def reduced_entry(h: Any, s: "ProductSetup", p: tuple[int, int], q: tuple[int, int], refs: Sequence[int]) -> Any:
    """Reduced Hessian entry ``(d_p - d_{r(p)})(d_q - d_{r(q)}) f`` from the full Hessian ``h`` (floats or arb)."""
    (i, a), (j, b) = p, q
    va, vr, vb, vs = s.var(i, a), s.var(i, refs[i]), s.var(j, b), s.var(j, refs[j])
    return h[va][vb] - h[va][vs] - h[vr][vb] + h[vr][vs]


def setup_from_polynomial(orbits: Sequence[Sequence[int]], actions: Sequence[Sequence[str]], poly: Any) -> ProductSetup:
    """The setup of an EU polynomial already built as a python-flint ``fmpq_mpoly`` in the concatenated variables.

    The exact KKT route prepares that polynomial (:func:`exactgames.optimize.kkt.prepare`); building the
    branch and bound's setup from it means the game's EU is computed once per ``optimize`` call.

    Examples
    --------
    >>> import flint
    >>> ctx = flint.fmpq_mpoly_ctx.get(("x_H", "x_W"))
    >>> s = setup_from_polynomial([[0, 1]], [["H", "W"]], ctx.from_dict({(1, 1): 2}))
    >>> s.sizes, s.ms, s.coef
    ((2,), (2,), {(1, 1): Fraction(2, 1)})
    """
    orbs = tuple(tuple(int(i) for i in o) for o in orbits)
    acts = tuple(tuple(a) for a in actions)
    coef = {tuple(e): Fraction(int(c.p), int(c.q)) for e, c in poly.terms() if c != 0}
    return ProductSetup(orbs, tuple(len(o) for o in orbs), tuple(len(a) for a in acts), acts, coef)


def product_setup(game: Game | AnonymousGame, orbits: Sequence[Sequence[int]]) -> ProductSetup:
    """Check the game and orbits, and build the EU polynomial of P-invariant profiles.

    Examples
    --------
    >>> g = Game.from_common([["a", "b"]] * 2, {("a", "b"): 1})
    >>> s = product_setup(g, [[0], [1]])
    >>> s.sizes, s.ms, s.coef
    ((1, 1), (2, 2), {(1, 0, 0, 1): Fraction(1, 1)})
    """
    if not game.is_rational:
        raise ExactError("certified_optimum_product needs rational payoffs (substitute the parameters first)")
    if isinstance(game, Game) and not game.is_common_payoff:
        raise ExactError("certified_optimum_product: the game must be common-payoff")
    orbs = tuple(tuple(sorted(int(i) for i in o)) for o in orbits)
    if any(not o for o in orbs):
        raise ExactError("certified_optimum_product: empty orbit")
    coefs = count_coefficients(game, orbs)  # validates the partition and the shared action sets
    acts = game.actions if isinstance(game, Game) else game.player_actions
    actions = tuple(tuple(acts[o[0]]) for o in orbs)
    coef = {}
    for key, v in coefs:
        flat = tuple(itertools.chain.from_iterable(key))
        coef[flat] = Fraction(int(v.p), int(v.q))
    return ProductSetup(orbs, tuple(len(o) for o in orbs), tuple(len(a) for a in actions), actions, coef)


