"""The result type of every symmetry computation: a group of player permutations.

Examples
--------
>>> from sympy.combinatorics import Permutation
>>> r = make_result(4, [Permutation([1, 2, 3, 0])], "example")
>>> r.order, r.orbits, r.to_json()["generators"]
(4, ((0, 1, 2, 3),), ['(1 2 3 4)'])
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

from sympy.combinatorics import Permutation, PermutationGroup

from exactgames.symmetry.orbits import orbits_of
from exactgames.symmetry.permutations import as_permutation, cycle_string

__all__ = ["SymmetryResult", "make_result"]


@dataclass(frozen=True, eq=False)
class SymmetryResult:
    """A group of player permutations (Γ(G) or a generated ⟨P⟩) with its orbits.

    Attributes
    ----------
    n_players : int
    group : sympy.combinatorics.PermutationGroup
        Acting on the 0-based points ``0 .. n-1``.
    generators : tuple of sympy Permutation
        0-based generators (the identity alone for the trivial group).
    order : int
        Exact group order (Schreier--Sims, or counted elements by brute force).
    orbits : tuple of tuple of int
        0-based orbits, each sorted, sorted by smallest member (Definition 3.2.5).
    totally_symmetric : bool
        ``order == n!`` (Definition 3.2.3).
    method : str
        How the group was obtained and verified.

    Examples
    --------
    >>> r = make_result(3, [], "trivial")
    >>> r.order, r.orbits, r.totally_symmetric, r.to_json()["generators"]
    (1, ((0,), (1,), (2,)), False, ['()'])
    """

    n_players: int
    group: PermutationGroup
    generators: tuple[Permutation, ...]
    order: int
    orbits: tuple[tuple[int, ...], ...]
    totally_symmetric: bool
    method: str

    @property
    def totally_unsymmetric(self) -> bool:
        """True if the group is trivial (Definition 3.2.3)."""
        return self.order == 1

    def generator_strings(self) -> list[str]:
        """Generators in cycle notation, players from 1."""
        return [cycle_string(g) for g in self.generators]

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict: ``order``, ``generators``, ``orbits``, ``totally_symmetric`` (plus ``n_players``, ``method``).

        Examples
        --------
        >>> sorted(make_result(2, [[1, 0]], "x").to_json())
        ['generators', 'method', 'n_players', 'orbits', 'order', 'totally_symmetric', 'totally_unsymmetric']
        """
        return {
            "order": int(self.order),
            "generators": self.generator_strings(),
            "orbits": [[i + 1 for i in orb] for orb in self.orbits],
            "totally_symmetric": bool(self.totally_symmetric),
            "totally_unsymmetric": bool(self.totally_unsymmetric),
            "n_players": self.n_players,
            "method": self.method,
        }

    def _repr_latex_(self) -> str:
        gens = ", ".join(self.generator_strings())
        orbs = ", ".join("\\{" + ", ".join(str(i + 1) for i in o) + "\\}" for o in self.orbits)
        return f"$\\langle {gens} \\rangle$, order ${self.order}$, orbits ${orbs}$"

    def __str__(self) -> str:
        return (
            f"group of order {self.order} on {self.n_players} players, generators {', '.join(self.generator_strings())}; "
            f"orbits {[[i + 1 for i in o] for o in self.orbits]}"
        )


def make_result(n: int, perms: Sequence[Any], method: str, order: int | None = None) -> SymmetryResult:
    """Assemble a :class:`SymmetryResult` from generators (identities are dropped).

    ``order`` may be supplied when known by construction (e.g. ``n!``);
    otherwise sympy's Schreier--Sims computes it.

    Examples
    --------
    >>> make_result(3, [[1, 0, 2], [0, 2, 1]], "x").order
    6
    """
    gens = [as_permutation(p, n) for p in perms]
    gens = [g for g in gens if not g.is_Identity]
    # drop duplicates, keep order
    seen: set[tuple[int, ...]] = set()
    uniq = []
    for g in gens:
        key = tuple(g.array_form)
        if key not in seen:
            seen.add(key)
            uniq.append(g)
    group = PermutationGroup(uniq) if uniq else PermutationGroup([Permutation(list(range(n)))])
    if order is None:
        order = int(group.order())
    orbits = orbits_of(uniq, n)
    shown = tuple(uniq) if uniq else (Permutation(list(range(n))),)
    return SymmetryResult(n, group, shown, int(order), orbits, int(order) == math.factorial(n), method)
