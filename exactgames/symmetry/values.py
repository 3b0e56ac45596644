"""Integer codes for exact payoff values: equal values get equal codes, exactly.

The symmetry search compares payoff tables many times; comparing sympy
expressions each time would be slow.  :func:`exact_codes` replaces every
value by a small integer once, so that two payoffs are *exactly* equal if and
only if their codes are equal:

* rationals are equal iff they are structurally equal (sympy keeps them in
  lowest terms);
* other values are expanded, then bucketed by an exact probe (the value
  itself for constants, the exact value at a fixed rational point for
  expressions with parameters; algebraic probes are bucketed by certified
  ``arb`` enclosures).  Values whose probes differ are provably different;
  values sharing a bucket are merged only after an exact zero test of their
  difference (:func:`exactgames.model.exact.sign` for constants,
  ``sympy.cancel`` for expressions in parameters, i.e. equality as
  polynomials / rational functions).

No float is used to decide anything.

Examples
--------
>>> import sympy
>>> codes, reps = exact_codes([sympy.Rational(1, 2), 2 - sympy.sqrt(2), sympy.sqrt(2) * (sympy.sqrt(2) - 1), sympy.Rational(1, 2)])
>>> codes
[0, 1, 1, 0]
"""

from __future__ import annotations

from typing import Any, Sequence

import sympy

from exactgames.model.exact import ExactError, sign, to_arb

__all__ = ["exact_codes", "exactly_equal"]

_PROBE_PRIMES = (sympy.Rational(3, 7), sympy.Rational(5, 11), sympy.Rational(7, 13), sympy.Rational(11, 17), sympy.Rational(13, 19))


def exactly_equal(a: Any, b: Any) -> bool:
    """Exact equality of two sympy values (constants or expressions in parameters).

    Expressions with parameters are equal when their difference cancels to 0
    identically (as polynomials or rational functions).

    Examples
    --------
    >>> import sympy
    >>> e = sympy.Symbol("eps")
    >>> exactly_equal((1 + e) ** 2, 1 + 2 * e + e ** 2), exactly_equal(sympy.sqrt(2) - 1, sympy.Rational(41, 100))
    (True, False)
    """
    a = sympy.sympify(a)
    b = sympy.sympify(b)
    if a == b:
        return True
    if a.is_Rational and b.is_Rational:
        return False
    d = sympy.expand(a - b)
    if d == 0:
        return True
    if d.free_symbols:
        return sympy.cancel(sympy.together(d)) == 0
    return sign(d) == 0


def _probe(e: sympy.Expr) -> sympy.Expr | None:
    if not e.free_symbols:
        return e
    syms = sorted(e.free_symbols, key=str)
    rep = {s: _PROBE_PRIMES[k % len(_PROBE_PRIMES)] + k for k, s in enumerate(syms)}
    try:
        v = sympy.expand(e.subs(rep))
    except Exception:  # pragma: no cover - defensive: odd expressions go to the pairwise bucket
        return None
    if v.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or v.free_symbols:
        return None
    return v


def exact_codes(values: Sequence[Any]) -> tuple[list[int], list[sympy.Expr]]:
    """Replace exact values by integer codes (equal codes iff exactly equal values).

    Parameters
    ----------
    values : sequence of sympy expressions

    Returns
    -------
    codes : list of int
        ``codes[k]`` is the code of ``values[k]``; codes are ``0, 1, ...`` in
        order of first appearance.
    representatives : list of sympy.Expr
        One value per code.

    Examples
    --------
    >>> import sympy
    >>> eps = sympy.Symbol("eps")
    >>> exact_codes([eps * (1 + eps), eps + eps ** 2, sympy.Integer(1)])[0]
    [0, 0, 1]
    """
    # 1. structural classes (cheap, exact for rationals)
    # (games usually share value objects between profiles: deduplicate by identity first, which is cheap;
    # the list ``values`` keeps every object alive, so ids are not reused during this call)
    values = list(values)
    by_id: dict[int, int] = {}
    first: dict[Any, int] = {}
    struct = []
    reps: list[sympy.Expr] = []
    for v in values:
        k = by_id.get(id(v))
        if k is None:
            k = first.get(v)
            if k is None:
                k = len(reps)
                first[v] = k
                reps.append(sympy.sympify(v))
            by_id[id(v)] = k
        struct.append(k)
    # 2. merge structurally different but equal values
    parent = list(range(len(reps)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    rational_bucket: dict[Any, list[int]] = {}
    algebraic: list[tuple[int, sympy.Expr]] = []
    odd: list[int] = []
    expanded: dict[int, sympy.Expr] = {}
    for k, r in enumerate(reps):
        if r.is_Rational:
            rational_bucket.setdefault(r, []).append(k)
            continue
        e = sympy.expand(r)
        expanded[k] = e
        p = _probe(e)
        if p is None:
            odd.append(k)
        elif p.is_Rational:
            rational_bucket.setdefault(p, []).append(k)
        else:
            algebraic.append((k, p))

    def merge_within(members: list[int]) -> None:
        classes: list[int] = []
        for k in members:
            for c in classes:
                if exactly_equal(expanded.get(k, reps[k]), expanded.get(c, reps[c])):
                    parent[find(k)] = find(c)
                    break
            else:
                classes.append(k)

    for members in rational_bucket.values():
        if len(members) > 1:
            merge_within(members)
    # algebraic probes: certified enclosures; only overlapping balls can be equal
    balls = []
    for k, p in algebraic:
        try:
            balls.append((k, to_arb(p, 128)))
        except ExactError:
            odd.append(k)
    for a in range(len(balls)):
        for b in range(a):
            if balls[a][1].overlaps(balls[b][1]):
                ka, kb = balls[a][0], balls[b][0]
                if find(ka) != find(kb) and exactly_equal(expanded[ka], expanded[kb]):
                    parent[find(ka)] = find(kb)
    # algebraic probes may equal a rational one
    for k, ball in balls:
        for q, members in rational_bucket.items():
            if ball.overlaps(to_arb(q, 128)) and find(k) != find(members[0]):
                if exactly_equal(expanded[k], expanded.get(members[0], reps[members[0]])):
                    parent[find(k)] = find(members[0])
    # anything we could not probe: pairwise against everything else
    for k in odd:
        for j in range(len(reps)):
            if j != k and find(j) != find(k) and exactly_equal(expanded.get(k, reps[k]), expanded.get(j, reps[j])):
                parent[find(k)] = find(j)
    # 3. renumber
    code_of_root: dict[int, int] = {}
    out_reps: list[sympy.Expr] = []
    final = []
    for k in range(len(reps)):
        root = find(k)
        if root not in code_of_root:
            code_of_root[root] = len(out_reps)
            out_reps.append(reps[k])
        final.append(code_of_root[root])
    return [final[k] for k in struct], out_reps
