"""The checker's own proof of a two-player symmetric optimum by concave faces (certificate ``faces``, ``stqp-faces-v1``).

One orbit of two players: ``f(x) = x^T A x`` on the simplex.  The checker

1. reads ``A`` off its own polynomial ``f`` (``A_aa`` the coefficient of ``z_a^2``,
   ``A_ab`` half that of ``z_a z_b``);
2. lists *itself* every concave set of actions -- ``T`` with ``A`` negative
   semidefinite on ``{y : supp(y) in T, sum(y) = 0}`` -- by depth-first search
   (a subset of a concave set is concave, so extending only concave sets by
   larger actions misses none), and the maximal ones.  A global maximiser's
   support is concave (``f(x + t y) = f(x) + t^2 y^T A y`` along its face), so it
   lies in the face ``Delta_T`` of a maximal concave set ``T``;
3. takes from the certificate only a *hint* per maximal set: the support ``U``
   of that face's maximiser.  It solves ``A_U x = mu 1, sum(x) = 1`` exactly and
   requires ``x >= 0`` and ``(A x)_j <= mu`` on ``T \\ U``; then, ``f`` being
   concave on ``Delta_T``, ``f(y) <= mu + 2 sum_j ((A x)_j - mu) y_j <= mu`` there,
   and ``f(x) = mu``: the face's maximum.  A wrong hint is refused, never trusted;
4. the maximum is the largest ``mu``.  On every face attaining it the maximiser
   must be strict (``(A x)_j < mu`` off its support in ``T``, reduced matrix of
   the support negative definite), so it is that face's only maximiser; the
   claimed strategy and ties must be exactly these points.

All arithmetic is exact (``fmpq``).  Nothing here comes from the optimiser.

Examples
--------
>>> from exactgames.model.game import Game
>>> from proofs_check.checker.polynomial import Setup
>>> taxi = Game.from_common([["H", "W"]] * 2, {("H", "W"): 1, ("W", "H"): 1})
>>> st = Setup(taxi, [[0, 1]])
>>> matrix(st)
[[0, 1], [1, 0]]
>>> concave(matrix(st))
[(0,), (0, 1), (1,)]
"""
from __future__ import annotations

from typing import Any

import flint
from flint import fmpq

from proofs_check.checker.numbers import Field, Reject
from proofs_check.checker.polynomial import Setup

__all__ = ["matrix", "concave", "check_faces"]

MAX_ACTIONS = 200
MAX_SETS = 200_000  # concave sets the checker lists before it gives up


def matrix(st: Setup) -> list[list[fmpq]]:
    """The symmetric payoff matrix of a one-orbit, two-player setup, read off its quadratic form."""
    m = st.ms[0]
    A = [[fmpq(0)] * m for _ in range(m)]
    for e, c in zip(st.f.monoms(), st.f.coeffs()):
        idx = [a for a in range(m) for _ in range(e[a])]
        a, b = idx
        A[a][b] = A[b][a] = c if a == b else c / 2
    return A


def _psd(M: list[list[fmpq]], strict: bool) -> bool:
    """``M`` positive semidefinite (definite when strict): LDL^T with the largest remaining diagonal as pivot."""
    M = [row[:] for row in M]
    n = len(M)
    for k in range(n):
        p = k
        for i in range(k + 1, n):
            if M[i][i] > M[p][p]:
                p = i
        d = M[p][p]
        if d < 0 or (strict and d == 0):
            return False
        if d == 0:  # every remaining diagonal entry is 0: PSD only if the block is 0
            return all(M[i][j] == 0 for i in range(k, n) for j in range(k, n))
        M[k], M[p] = M[p], M[k]
        for row in M:
            row[k], row[p] = row[p], row[k]
        for i in range(k + 1, n):
            f = M[i][k] / d
            if f:
                for j in range(k + 1, n):
                    M[i][j] -= f * M[k][j]
    return True


def _concave(A: list[list[fmpq]], T: tuple[int, ...], strict: bool = False) -> bool:
    r = T[0]
    return _psd([[A[i][r] + A[r][j] - A[i][j] - A[r][r] for j in T[1:]] for i in T[1:]], strict)


def concave(A: list[list[fmpq]]) -> list[tuple[int, ...]]:
    """Every concave set of actions, by depth-first search over increasing extensions."""
    m = len(A)
    found: list[tuple[int, ...]] = []
    todo = [(a,) for a in range(m - 1, -1, -1)]
    while todo:
        T = todo.pop()
        found.append(T)
        if len(found) > MAX_SETS:
            raise Reject(f"certificate.faces: more than {MAX_SETS} concave sets; the checker does not list them")
        todo.extend(T + (b,) for b in range(m - 1, T[-1], -1) if _concave(A, T + (b,)))
    return found


def _solve(A: list[list[fmpq]], U: list[int]) -> tuple[list[fmpq], fmpq] | None:
    k = len(U)
    K = flint.fmpq_mat(k + 1, k + 1)
    for r, i in enumerate(U):
        for c, j in enumerate(U):
            K[r, c] = A[i][j]
        K[r, k] = -1
        K[k, r] = 1
    rhs = flint.fmpq_mat(k + 1, 1)
    rhs[k, 0] = 1
    try:
        s = K.solve(rhs)
    except ZeroDivisionError:
        return None
    return [s[i, 0] for i in range(k)], s[k, 0]


def check_faces(st: Setup, faces: Field, pt: list, tie_points: list, continua: list[str], checks: list) -> fmpq:
    """Prove the maximum and the set of maximisers (module text); return the exact maximum.

    ``pt`` is the claimed strategy and ``tie_points`` the claimed ties, as exact profiles.
    """
    if len(st.ms) != 1 or st.sizes != [2]:
        raise Reject("certificate.faces: a concave-face proof is for one orbit of two players only")
    if faces["kind"].text(40) != "stqp-faces-v1":
        raise Reject(f"certificate.faces.kind: expected 'stqp-faces-v1', got {faces['kind'].text(40)!r}")
    m = st.ms[0]
    if m > MAX_ACTIONS:
        raise Reject(f"certificate.faces: more than {MAX_ACTIONS} actions")
    A = matrix(st)
    fam = concave(A)
    members = set(fam)
    maximal = [T for T in fam if not any(tuple(sorted(T + (b,))) in members for b in range(m) if b not in T)]
    hints: dict[tuple[int, ...], list[int]] = {}
    for k, item in enumerate(faces["maximal"].items(limit=MAX_SETS)):
        pair = item.items(length=2)
        T = tuple(x.integer(0, m - 1) for x in pair[0].items(limit=m))
        U = [x.integer(0, m - 1) for x in pair[1].items(limit=m)]
        if T in hints:
            raise Reject(f"certificate.faces.maximal[{k}]: the face {list(T)} is listed twice")
        if not U or len(set(U)) != len(U) or not set(U) <= set(T):
            raise Reject(f"certificate.faces.maximal[{k}]: the support {U} is not a non-empty subset of the face {list(T)}")
        hints[T] = sorted(U)
    extra = sorted(set(hints) - set(maximal))
    if extra:
        raise Reject(f"certificate.faces.maximal: {list(extra[0])} is not a maximal concave set of actions")
    best: fmpq | None = None
    at: list[tuple[tuple[int, ...], list[fmpq], fmpq, list[fmpq]]] = []
    for T in maximal:
        U = hints.get(T)
        if U is None:
            raise Reject(f"certificate.faces.maximal: the maximal concave face {[st.actions[0][a] for a in T]} is missing")
        sol = _solve(A, U)
        if sol is None:
            raise Reject(f"certificate.faces: the stationarity system on {[st.actions[0][a] for a in U]} is singular")
        xs, mu = sol
        if any(v < 0 for v in xs):
            raise Reject(f"certificate.faces: the stationary point of {[st.actions[0][a] for a in U]} leaves the simplex")
        x = [fmpq(0)] * m
        for a, v in zip(U, xs):
            x[a] = v
        g = [sum((A[j][a] * x[a] for a in U), fmpq(0)) for j in range(m)]
        bad = next((j for j in T if j not in U and g[j] > mu), None)
        if bad is not None:
            raise Reject(f"certificate.faces: on the face {[st.actions[0][a] for a in T]} the point of "
                         f"{[st.actions[0][a] for a in U]} is not its maximum ({st.actions[0][bad]} does better)")
        at.append((T, x, mu, g))
        best = mu if best is None or mu > best else best
    assert best is not None
    winners: list[list[fmpq]] = []
    for T, x, mu, g in at:
        if mu != best:
            continue
        S = tuple(a for a in range(m) if x[a] != 0)
        if any(g[j] >= mu for j in T if j not in S) or not _concave(A, S, strict=True):
            raise Reject(f"certificate.faces: the maximiser on the face {[st.actions[0][a] for a in T]} is not strict; "
                         "the concave-face proof does not decide the set of maximisers")
        if x not in winners:
            winners.append(x)
    claimed = [[_q(v) for v in pt[0]]] + [[_q(v) for v in tp[0]] for tp, _ in tie_points]
    if continua:
        raise Reject(f"ties: a continuum is claimed, but the maximisers are {len(winners)} isolated point(s)")
    if any(c not in winners for c in claimed) or len(claimed) != len(winners) or any(
            claimed[i] == claimed[j] for i in range(len(claimed)) for j in range(i)):
        raise Reject(f"strategies/ties: the claimed maximisers are not the {len(winners)} proved ones "
                     f"({', '.join('(' + ', '.join(str(v) for v in w) + ')' for w in winners[:3])})")
    checks.append(f"the checker's own concave-face proof: {len(fam)} concave action sets, {len(maximal)} maximal; "
                  f"every face's maximum proved by its KKT point; maximum {best}, attained at {len(winners)} point(s)")
    return best


def _q(v: Any) -> fmpq:
    if isinstance(v, fmpq):
        return v
    if hasattr(v, "is_rational") and v.is_rational:
        r = v.rational()
        return fmpq(int(r.p), int(r.q))
    raise Reject("strategies: an irrational probability, but a two-player optimum is rational")
