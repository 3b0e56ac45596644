"""Exact global symmetric optimum of a two-player team game: the standard quadratic program, face by face.

With one orbit of two players the symmetric expected payoff is the quadratic
form ``f(x) = x^T A x`` on the simplex (``A[a][b]`` the payoff when one player
plays ``a`` and the other ``b``), a *standard quadratic program*.  Its Hessian
is constant, which gives an exact algorithm with no subdivision at all:

1. **Concave faces.**  Call a set ``T`` of actions *concave* when ``A`` is
   negative semidefinite on the directions ``{y : supp(y) in T, sum(y) = 0}``
   (the reduced matrix ``A_ij - A_ir - A_rj + A_rr``, ``r = min T``, by exact
   pivoted elimination).  Subsets of a concave set are concave, so depth-first
   search from single actions, extending a set only by larger actions and only
   while it stays concave, lists every concave set.
2. **Every maximiser lies on a concave face.**  A global maximiser ``x*`` is a
   local maximiser in the relative interior of the face of its support ``S``;
   along any direction ``y`` of that face ``f(x* + t y) = f(x*) + t^2 y^T A y``
   (the gradient term vanishes), so ``y^T A y <= 0``: ``S`` is concave, hence in
   some maximal concave set ``T``.  So the maximum over the simplex is the
   largest of the maxima over the faces ``Delta_T`` of the maximal concave sets.
3. **Each face's maximum exactly.**  ``f`` is concave on ``Delta_T``.  For the
   support ``U`` of its maximiser, the stationary point of ``Delta_U`` solves the
   rational linear system ``A_U x = mu 1, sum(x) = 1`` exactly; when ``x >= 0``
   and ``(A x)_j <= mu`` for ``j`` in ``T \\ U``, concavity gives
   ``f(y) <= f(x) + grad f(x).(y - x) = mu + 2 sum_j ((A x)_j - mu) y_j <= mu``
   on ``Delta_T``: ``mu = f(x)`` is that face's maximum, a rational.
4. **Uniqueness.**  On a face whose maximum is the global one, the maximiser is
   unique when ``(A x)_j < mu`` off the point's support ``S`` (in ``T``) and the
   reduced matrix of ``S`` is negative *definite*; the distinct points of the
   winning faces are then all the maximisers (ties).  When a winning face is
   degenerate the route returns None and the branch and bound is used.

Everything is exact rational arithmetic (python-flint ``fmpq``); floats are
never used.  The certificate (``"faces"``, kind ``stqp-faces-v1``) lists each
maximal face with the support ``U`` of its maximiser; ``verify`` recomputes the
concave sets itself and re-proves every face's maximum from those hints
(:mod:`proofs_check.checker.quadratic`).

Examples
--------
Taxi (one must take the taxi, the other walk): each plays H with probability 1/2.

>>> from exactgames.model.game import Game
>>> taxi = Game.from_common([["H", "W"]] * 2, {("H", "W"): 1, ("W", "H"): 1})
>>> r = quadratic_optimum(taxi)
>>> r.value, r.strategies, r.certificate["faces"]["maximal"]
(1/2, ((1/2, 1/2),), [[[0, 1], [0, 1]]])
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

import flint
import sympy
from flint import fmpq

from exactgames.model.game import AnonymousGame, Game
from exactgames.optimize.deadline import Deadline
from exactgames.optimize.result import OptimumResult

__all__ = ["quadratic_optimum", "concave_sets", "METHOD", "KIND"]

METHOD = "exact concave-face enumeration of the standard quadratic program"
KIND = "stqp-faces-v1"


def payoff_matrix(game: Game | AnonymousGame) -> list[list[fmpq]] | None:
    """``A[a][b]``: the common payoff when one of the two players plays ``a`` and the other ``b``.

    None unless the game has two players with one action set, rational common payoffs and is symmetric.

    Examples
    --------
    >>> from exactgames.model.game import Game
    >>> payoff_matrix(Game.from_common([["H", "W"]] * 2, {("H", "W"): 1, ("W", "H"): 1}))
    [[0, 1], [1, 0]]
    """
    if game.n_players != 2 or not game.is_rational:
        return None
    from exactgames.optimize.bnb.simplex import symmetric_payoffs

    try:
        _, acts, pay = symmetric_payoffs(game, [[0, 1]])
    except Exception:  # noqa: BLE001 -- not one orbit of two players: the route does not apply
        return None
    m = len(acts)
    A = [[fmpq(0)] * m for _ in range(m)]
    for c, v in pay.items():
        a, b = [i for i in range(m) for _ in range(c[i])]
        A[a][b] = A[b][a] = fmpq(v.numerator, v.denominator)
    return A


def _reduced(A: list[list[fmpq]], T: Sequence[int]) -> list[list[fmpq]]:
    r, R = T[0], T[1:]
    return [[A[i][j] - A[i][r] - A[r][j] + A[r][r] for j in R] for i in R]


def negative_semidefinite(B: list[list[fmpq]], strict: bool = False) -> bool:
    """Whether the symmetric rational matrix ``B`` is negative semidefinite (definite when ``strict``), exactly.

    Pivoted symmetric elimination on ``-B``: the largest diagonal entry is the pivot; when it is zero the
    remaining block must vanish (a positive semidefinite matrix with a zero diagonal entry has a zero row).

    Examples
    --------
    >>> negative_semidefinite([[fmpq(-1), fmpq(1)], [fmpq(1), fmpq(-1)]]), negative_semidefinite([[fmpq(-1), fmpq(1)], [fmpq(1), fmpq(-1)]], strict=True)
    (True, False)
    """
    M = [[-x for x in row] for row in B]
    n = len(M)
    for k in range(n):
        p = max(range(k, n), key=lambda i: M[i][i])
        d = M[p][p]
        if d < 0 or (strict and d == 0):
            return False
        if d == 0:
            return all(M[i][j] == 0 for i in range(k, n) for j in range(k, n))
        if p != k:
            M[k], M[p] = M[p], M[k]
            for row in M:
                row[k], row[p] = row[p], row[k]
        for i in range(k + 1, n):
            li = M[i][k] / d
            if li != 0:
                Mi, Mk = M[i], M[k]
                for j in range(k + 1, n):
                    Mi[j] -= li * Mk[j]
    return True


def concave_sets(A: list[list[fmpq]], deadline: Deadline | None = None) -> tuple[list[tuple[int, ...]], int] | None:
    """Every concave set of actions (see the module text), in depth-first order, and the number of tests made.

    None when ``deadline`` passes first.

    Examples
    --------
    >>> A = [[fmpq(v) for v in row] for row in [[0, 1, 0], [1, 0, 0], [0, 0, 1]]]
    >>> concave_sets(A)
    ([(0,), (0, 1), (1,), (2,)], 4)
    """
    m = len(A)
    out: list[tuple[int, ...]] = []
    tests = 0
    stack = [(a,) for a in reversed(range(m))]
    while stack:
        T = stack.pop()
        out.append(T)
        kids = []
        for b in range(T[-1] + 1, m):
            tests += 1
            if negative_semidefinite(_reduced(A, T + (b,))):
                kids.append(T + (b,))
        stack.extend(reversed(kids))
        if deadline is not None and tests % 256 == 0 and deadline.remaining() is not None and deadline.remaining() <= 0:
            return None
    return out, tests


def maximal_sets(family: list[tuple[int, ...]], m: int) -> list[tuple[int, ...]]:
    """The members of a down-closed family not contained in another member (one more action suffices)."""
    fam = set(family)
    return [T for T in family if not any(tuple(sorted(T + (b,))) in fam for b in range(m) if b not in T)]


def stationary_point(A: list[list[fmpq]], U: Sequence[int]) -> tuple[list[fmpq], fmpq] | None:
    """The solution ``(x_U, mu)`` of ``A_U x = mu 1, sum(x) = 1``, exactly; None when the system is singular.

    Examples
    --------
    >>> stationary_point([[fmpq(0), fmpq(1)], [fmpq(1), fmpq(0)]], (0, 1))
    ([1/2, 1/2], 1/2)
    """
    k = len(U)
    rows = [[A[i][j] for j in U] + [fmpq(-1)] for i in U] + [[fmpq(1)] * k + [fmpq(0)]]
    try:
        sol = flint.fmpq_mat(rows).solve(flint.fmpq_mat([[fmpq(0)]] * k + [[fmpq(1)]]))
    except ZeroDivisionError:
        return None
    vals = [sol[i, 0] for i in range(k + 1)]
    return vals[:k], vals[k]


def _subsets(T: tuple[int, ...]):
    for mask in range(1, 1 << len(T)):
        yield tuple(T[i] for i in range(len(T)) if mask >> i & 1)


def quadratic_optimum(game: Game | AnonymousGame, deadline: Deadline | None = None) -> OptimumResult | None:
    """The exact global symmetric optimum of a symmetric two-player team game (module text), or None.

    None when the game is not one orbit of two players, when ``deadline`` passes, or when a face whose maximum
    is the global one is degenerate (a singular system or a non-strict maximiser: the caller falls back to the
    branch and bound).

    Examples
    --------
    Three actions: the pure coordination on ``c`` (payoff 3) beats the mixed maximum of the ``a``/``b`` face.

    >>> from exactgames.model.game import AnonymousGame
    >>> g = AnonymousGame.from_function(2, ["a", "b", "c"], {(1, 1, 0): 2, (0, 0, 2): 3}, default=0)
    >>> r = quadratic_optimum(g)
    >>> r.value, r.support, r.ties
    (3, ((2,),), ())
    """
    A = payoff_matrix(game)
    if A is None:
        return None
    m = len(A)
    got = concave_sets(A, deadline)
    if got is None:
        return None
    family, tests = got
    maximal = maximal_sets(family, m)
    points: dict[tuple[int, ...], tuple[list[fmpq], fmpq, list[fmpq]]] = {}
    for k, U in enumerate(family):
        if deadline is not None and k % 64 == 0 and deadline.remaining() is not None and deadline.remaining() <= 0:
            return None
        sp = stationary_point(A, U)
        if sp is None or any(v < 0 for v in sp[0]):
            continue
        x = [fmpq(0)] * m
        for a, v in zip(U, sp[0]):
            x[a] = v
        grad = [sum((A[j][a] * x[a] for a in U), fmpq(0)) for j in range(m)]  # (A x)_j
        points[U] = (x, sp[1], grad)
    faces = []
    for T in maximal:
        hit = next((U for U in _subsets(T) if U in points and all(points[U][2][j] <= points[U][1] for j in T if j not in U)), None)
        if hit is None:
            return None  # the face's maximiser has a singular system (degenerate): not handled here
        faces.append((T, hit))
    best = max(points[U][1] for _, U in faces)
    winners: list[list[fmpq]] = []
    for T, U in faces:
        x, mu, grad = points[U]
        if mu != best:
            continue
        S = tuple(a for a in U if x[a] != 0)
        if any(grad[j] >= mu for j in T if j not in S) or not negative_semidefinite(_reduced(A, S), strict=True):
            return None  # a maximiser that need not be unique on its face (a continuum?): the branch and bound decides
        if x not in winners:
            winners.append(x)
    winners.sort(key=lambda x: (sum(1 for v in x if v != 0), [-v for v in x]))
    x = winners[0]
    to_sym = lambda v: sympy.Rational(int(v.p), int(v.q))  # noqa: E731
    acts = tuple(game.actions) if isinstance(game, AnonymousGame) else tuple(game.actions[0])
    val = Fraction(int(best.p), int(best.q))
    cert: dict[str, Any] = {"faces": {
        "kind": KIND, "concave_sets": len(family), "tests": tests,
        "maximal": [[list(T), list(U)] for T, U in faces],
    }}
    return OptimumResult(
        value=to_sym(best), value_interval=(val, val), orbits=((0, 1),), actions=(acts,),
        strategies=(tuple(to_sym(v) for v in x),), support=(tuple(a for a in range(m) if x[a] != 0),),
        mixed=sum(1 for v in x if v != 0) > 1, value_exact=True,
        ties=tuple((tuple(to_sym(v) for v in w),) for w in winners[1:]), complete=True, method=METHOD, certificate=cert,
    )
