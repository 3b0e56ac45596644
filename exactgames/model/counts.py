"""Count vectors: how many players choose each action, and how many pure profiles have each count.

The compact form of an anonymous game (:class:`exactgames.model.game.AnonymousGame`) and the
symmetric EU polynomial are indexed by count vectors; :func:`multinomial` is the number of pure
profiles with a given count vector.

Examples
--------
>>> list(count_vectors(2, 3))
[(2, 0, 0), (1, 1, 0), (1, 0, 1), (0, 2, 0), (0, 1, 1), (0, 0, 2)]
>>> multinomial((1, 1, 0))
2
"""

from __future__ import annotations

import math
from typing import Iterator, Sequence

__all__ = ["count_vectors", "multinomial"]


def count_vectors(n: int, m: int) -> Iterator[tuple[int, ...]]:
    """All vectors of ``m`` non-negative integers summing to ``n`` (lexicographically decreasing).

    Enumerated without recursion (any ``m``), one vector at a time.

    Examples
    --------
    >>> list(count_vectors(2, 2))
    [(2, 0), (1, 1), (0, 2)]
    >>> sum(1 for _ in count_vectors(1, 5000))         # far deeper than Python's recursion limit
    5000
    """
    if m < 1:
        return
    c = [0] * m
    c[0] = n
    j = 0 if n > 0 and m > 1 else -1  # the last non-zero entry before the end (-1: none)
    while True:
        yield tuple(c)
        # the next vector in decreasing lexicographic order: move one unit from entry j to entry j + 1,
        # gathering everything after j there
        if j < 0:
            return
        rest = c[m - 1]
        c[m - 1] = 0
        c[j] -= 1
        c[j + 1] = rest + 1
        if j + 1 < m - 1:
            j += 1
        elif c[j] == 0:
            j -= 1
            while j >= 0 and c[j] == 0:
                j -= 1


def multinomial(counts: Sequence[int]) -> int:
    """Multinomial coefficient ``n! / prod(c!)``.

    Examples
    --------
    >>> multinomial((1, 1, 2))
    12
    """
    out = 1
    total = 0
    for c in counts:
        total += c
        out *= math.comb(total, c)
    return out
