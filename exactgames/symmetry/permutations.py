"""Player permutations: parsing cycle notation (players from 1) and printing it.

Internally a permutation is a :class:`sympy.combinatorics.Permutation` on the
0-based points ``0 .. n-1`` (``p(i)`` is the player that ``i`` is carried to).
Users and the paper number players from 1, so text is always converted.

Syntax accepted by :func:`parse_permutations`
---------------------------------------------
* A permutation is a product of *disjoint* cycles written side by side:
  ``(1 3)(2 4)``.  Inside a cycle, players are separated by spaces or commas:
  ``(1 2 3 4)`` and ``(1,2,3,4)`` are the same 4-cycle 1->2->3->4->1.
* Several permutations (a generating set P) are separated by ``;`` or by a
  ``,`` *between* cycle groups: ``(1 2); (3 4)`` or ``(1 2), (3 4)``.
* One-line notation (the list of images of players 1..n) is written in square
  brackets: ``[3 4 1 2]`` is the permutation 1->3, 2->4, 3->1, 4->2, i.e.
  ``(1 3)(2 4)``.  (Appendix C of the paper writes one-line notation in round
  parentheses, e.g. ``(3, 4, 1, 2)``; here round parentheses always mean a cycle.)
* ``()``, ``e`` or ``id`` is the identity.

Examples
--------
>>> ps = parse_permutations("(1 3)(2 4); (1 2 3 4)", 4)
>>> [cycle_string(p) for p in ps]
['(1 3)(2 4)', '(1 2 3 4)']
>>> cycle_string(parse_permutations("[3 4 1 2]", 4)[0])
'(1 3)(2 4)'
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Sequence

from sympy.combinatorics import Permutation

from exactgames.model.exact import ExactError

__all__ = ["PermutationSyntaxError", "parse_permutations", "cycle_string", "as_permutation", "one_line"]


class PermutationSyntaxError(ExactError):
    """A permutation given as text is malformed or does not fit the number of players."""


_TOKEN = re.compile(r"\s*(?:(\([^()]*\))|(\[[^\[\]]*\])|([;,])|(e|id)\b)", re.IGNORECASE)


def _players(body: str, n: int, text: str) -> list[int]:
    items = [x for x in re.split(r"[\s,]+", body.strip()) if x]
    out = []
    for x in items:
        if not re.fullmatch(r"[0-9]+", x):
            raise PermutationSyntaxError(f"permutation {text!r}: {x!r} is not a player number (players are numbered 1..{n})")
        v = int(x)
        if not 1 <= v <= n:
            raise PermutationSyntaxError(f"permutation {text!r}: player {v} out of range (players are numbered 1..{n})")
        out.append(v - 1)
    return out


def parse_permutations(text: str, n: int) -> list[Permutation]:
    """Parse one or more permutations of players ``1..n`` (syntax in the module docstring).

    Parameters
    ----------
    text : str
        For example ``"(1 3)(2 4)"``, ``"(1 2); (2 3)"`` or ``"[2 3 1]"``.
    n : int
        Number of players.

    Returns
    -------
    list of sympy Permutation
        0-based permutations of size ``n``, in the order given.

    Raises
    ------
    PermutationSyntaxError
        Naming the offending piece of text and what was expected.

    Examples
    --------
    >>> parse_permutations("(1 2), (1 2 3)", 3)
    [Permutation(2)(0, 1), Permutation(0, 1, 2)]
    >>> parse_permutations("(1 2)(2 3)", 3)
    Traceback (most recent call last):
    ...
    exactgames.symmetry.permutations.PermutationSyntaxError: permutation '(1 2)(2 3)': player 2 appears in two cycles; write disjoint cycles, or separate generators with ';'
    """
    if not isinstance(text, str) or not text.strip():
        raise PermutationSyntaxError("empty permutation text: expected cycle notation such as '(1 3)(2 4)'")
    if n < 1:
        raise PermutationSyntaxError(f"number of players must be positive, got {n}")
    groups: list[list[tuple[str, str]]] = [[]]
    pos = 0
    s = text.strip()
    while pos < len(s):
        m = _TOKEN.match(s, pos)
        if not m or m.end() == pos:
            raise PermutationSyntaxError(
                f"permutation {text!r}: cannot read {s[pos:].strip()!r}; expected cycles such as '(1 3)(2 4)', "
                "one-line notation '[3 4 1 2]', or ';' between generators"
            )
        pos = m.end()
        if m.group(1):
            groups[-1].append(("cycle", m.group(1)[1:-1]))
        elif m.group(2):
            groups[-1].append(("line", m.group(2)[1:-1]))
        elif m.group(3):
            groups.append([])
        else:
            groups[-1].append(("cycle", ""))
        if pos < len(s) and not s[pos:].strip():
            break
    out = []
    for g in groups:
        if not g:
            raise PermutationSyntaxError(f"permutation {text!r}: empty generator between separators")
        out.append(_one(g, n, text))
    return out


def _one(pieces: list[tuple[str, str]], n: int, text: str) -> Permutation:
    if any(kind == "line" for kind, _ in pieces):
        if len(pieces) != 1:
            raise PermutationSyntaxError(f"permutation {text!r}: one-line notation [...] must stand alone")
        images = _players(pieces[0][1], n, text)
        if len(images) != n or sorted(images) != list(range(n)):
            raise PermutationSyntaxError(
                f"permutation {text!r}: one-line notation must list each of the players 1..{n} exactly once"
            )
        return Permutation(images, size=n)
    arr = list(range(n))
    seen: set[int] = set()
    for _, body in pieces:
        cyc = _players(body, n, text)
        for p in cyc:
            if p in seen or cyc.count(p) > 1:
                where = "twice in one cycle" if cyc.count(p) > 1 else "in two cycles"
                raise PermutationSyntaxError(
                    f"permutation {text!r}: player {p + 1} appears {where}; write disjoint cycles, or separate generators with ';'"
                )
        seen.update(cyc)
        for a, b in zip(cyc, cyc[1:] + cyc[:1]):
            arr[a] = b
    return Permutation(arr, size=n)


def cycle_string(perm: Permutation | Sequence[int]) -> str:
    """Cycle notation with players numbered from 1; ``"()"`` for the identity.

    Examples
    --------
    >>> cycle_string(Permutation([2, 3, 0, 1]))
    '(1 3)(2 4)'
    >>> cycle_string([0, 1, 2])
    '()'
    """
    p = as_permutation(perm)
    cycles = p.cyclic_form
    if not cycles:
        return "()"
    return "".join("(" + " ".join(str(x + 1) for x in c) + ")" for c in cycles)


def one_line(perm: Permutation | Sequence[int], n: int | None = None) -> tuple[int, ...]:
    """The 0-based image list ``(p(0), ..., p(n-1))``.

    Examples
    --------
    >>> one_line(Permutation(0, 1), 3)
    (1, 0, 2)
    """
    p = as_permutation(perm, n)
    return tuple(p.array_form)


def as_permutation(perm: Any, n: int | None = None) -> Permutation:
    """Coerce a sympy Permutation or a 0-based image sequence to a Permutation of size ``n``.

    Examples
    --------
    >>> as_permutation([1, 0], 3).array_form
    [1, 0, 2]
    """
    if isinstance(perm, Permutation):
        p = perm
    elif isinstance(perm, Iterable):
        arr = [int(x) for x in perm]
        if sorted(arr) != list(range(len(arr))):
            raise PermutationSyntaxError(f"{arr} is not a permutation of 0..{len(arr) - 1} (0-based images)")
        p = Permutation(arr)
    else:
        raise PermutationSyntaxError(f"cannot read {perm!r} as a permutation")
    if n is not None:
        if p.size > n:
            raise PermutationSyntaxError(f"permutation {cycle_string(p)} moves players beyond {n}")
        if p.size < n:
            p = Permutation(p.array_form + list(range(p.size, n)))
    return p
