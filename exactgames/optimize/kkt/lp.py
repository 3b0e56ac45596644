"""Strictly feasible rational points of affine branches, by the exact LP of :mod:`exactgames.numbers.linear`."""

from __future__ import annotations

import flint

from exactgames.numbers.linear import simplex_max


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
    opt, x = simplex_max([zero] * (2 * k) + [one, -one], A, b)
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
