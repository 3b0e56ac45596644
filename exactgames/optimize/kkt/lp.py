"""Exact linear programming over the rationals (python-flint ``fmpq``): the simplex method and strictly feasible points."""

from __future__ import annotations

import flint


def _simplex_max(c: list[flint.fmpq], A: list[list[flint.fmpq]], b: list[flint.fmpq]) -> tuple[flint.fmpq, list[flint.fmpq]]:
    """Maximise ``c.x`` subject to ``A x <= b``, ``x >= 0``, with ``b >= 0`` (the origin is feasible).

    Exact dense tableau simplex over the rationals with Bland's rule (no
    cycling).  Raises ``ArithmeticError`` when the objective is unbounded.

    Examples
    --------
    >>> q = flint.fmpq
    >>> _simplex_max([q(1), q(1)], [[q(1), q(2)], [q(3), q(1)]], [q(4), q(6)])
    (14/5, [8/5, 6/5])
    """
    m, n = len(A), len(c)
    zero, one = flint.fmpq(0), flint.fmpq(1)
    T = [list(A[i]) + [one if j == i else zero for j in range(m)] + [b[i]] for i in range(m)]
    basis = [n + i for i in range(m)]
    cost = list(c) + [zero] * m
    while True:
        enter = -1
        for j in range(n + m):
            if cost[j] - sum((cost[basis[i]] * T[i][j] for i in range(m)), zero) > 0:
                enter = j
                break
        if enter < 0:
            break
        leave, best = -1, zero
        for i in range(m):
            if T[i][enter] > 0:
                ratio = T[i][-1] / T[i][enter]
                if leave < 0 or ratio < best or (ratio == best and basis[i] < basis[leave]):
                    leave, best = i, ratio
        if leave < 0:
            raise ArithmeticError("unbounded linear program")
        piv = T[leave][enter]
        T[leave] = [x / piv for x in T[leave]]
        for i in range(m):
            if i != leave and T[i][enter] != 0:
                f = T[i][enter]
                T[i] = [x - f * y for x, y in zip(T[i], T[leave])]
        basis[leave] = enter
    x = [zero] * (n + m)
    for i in range(m):
        x[basis[i]] = T[i][-1]
    return sum((c[j] * x[j] for j in range(n)), zero), x[:n]


def _lp_point(positive: list[flint.fmpq_mpoly], sub: flint.fmpq_mpoly_ctx) -> list[flint.fmpq] | None:
    """A rational ``t`` with every affine form of ``positive`` > 0, or None if none exists.

    Exact LP: maximise ``e <= 1`` subject to ``p(t) >= e`` for every ``p``
    (``t`` and ``e`` free, written as differences of nonnegative parts and
    shifted so that ``t = 0`` is a feasible start); such a ``t`` exists iff
    the optimum is positive.  The point returned is re-checked exactly.

    Examples
    --------
    >>> ctx = flint.fmpq_mpoly_ctx.get(("t",))
    >>> (t,) = ctx.gens()
    >>> _lp_point([t, 1 - 2 * t], ctx) is not None, _lp_point([t, -1 - t], ctx)
    (True, None)
    """
    k = sub.nvars()
    zero, one = flint.fmpq(0), flint.fmpq(1)
    rows: list[tuple[list[flint.fmpq], flint.fmpq]] = []
    for p in positive:
        lin = [zero] * k
        const = zero
        for ex, c in p.to_dict().items():
            if any(ex):
                lin[list(ex).index(1)] = c
            else:
                const = c
        rows.append((lin, const))
    m0 = min([one] + [const for _lin, const in rows])
    # variables: t+_j, t-_j (j < k), e+, e-; e = m0 + e+ - e-.  p(t) - e >= 0  <=>  -lin.t + e+ - e- <= const - m0
    A: list[list[flint.fmpq]] = []
    b: list[flint.fmpq] = []
    for lin, const in rows:
        A.append([-x for x in lin] + lin + [one, -one])
        b.append(const - m0)
    A.append([zero] * (2 * k) + [one, -one])  # e <= 1
    b.append(one - m0)
    opt, x = _simplex_max([zero] * (2 * k) + [one, -one], A, b)
    if m0 + opt <= 0:
        return None
    vals = [x[j] - x[k + j] for j in range(k)]

    def at(p: flint.fmpq_mpoly) -> flint.fmpq:
        return p(*vals) if k else p.to_dict().get((), zero)

    if any(at(p) <= 0 for p in positive):
        raise ArithmeticError("internal: the exact LP returned a point violating its constraints")
    return vals


def _const(p: flint.fmpq_mpoly) -> flint.fmpq | None:
    d = p.to_dict()
    if not d:
        return flint.fmpq(0)
    if len(d) == 1 and not any(next(iter(d))):
        return next(iter(d.values()))
    return None
