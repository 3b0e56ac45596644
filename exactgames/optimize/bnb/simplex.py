"""Certified global symmetric optimum for one orbit: the branch and bound of :mod:`exactgames.optimize.bnb.core` on one factor.

As ``single_source_dijkstra`` is ``multi_source_dijkstra`` with one source,
:func:`certified_optimum` is the product-of-simplices branch and bound with a
single factor (its fast single-factor paths: the count-vector float search,
1-d de Casteljau); this module only builds the one factor from the payoffs,
derives exact values on two-action supports and writes the certificate in the
one-simplex form ``bnb-simplex-v1`` that ``verify`` reads.

For a totally symmetric common-payoff game (an :class:`AnonymousGame`, or a
dense game with one orbit of all players) the symmetric EU ``f`` is a
polynomial of degree n in Bernstein form on the simplex.  The proof has three
parts, all exact or rigorous (``arb``):

1. **Candidates.**  A float local search (batched projected gradient ascent
   and Newton on the face, :mod:`exactgames.optimize.bnb.floats`) proposes local maxima; each is refined by Newton's method on
   its support face at high precision.  Floats only *propose*.
2. **Regions** (:mod:`exactgames.optimize.bnb.regions`).  For a candidate with support ``S`` and reference action
   ``r in S`` the region is the corner simplex ``R = {x in simplex: x_a >=
   lower_a}`` (``lower_a = x_a - rho`` rounded down on ``S``, 0 off ``S``), a
   convex neighbourhood of the candidate.  With exact Bernstein coefficients
   on ``R`` (python-flint ``fmpq_mpoly`` composition) it is proved that every
   off-support reduced gradient ``d_j f - d_r f`` is strictly negative on
   ``R`` and that every Bernstein coefficient matrix of the reduced Hessian on
   ``R``'s support face is negative definite (exact LDL^T; the Hessian is a
   convex combination of them, so f is strictly concave there); Krawczyk's
   operator (``arb``) maps a box ``B`` of radius 2^-200 strictly into itself.
   Hence on ``R`` f has a unique maximiser; moving off-support mass to ``r``
   strictly increases f, so it lies on the support face, in ``B``, with every
   on-support probability strictly positive.  The value is enclosed by the
   mean-value form of f on ``B``.  For a two-action support the exact value
   and strategy are then derived (:mod:`exactgames.optimize.bnb.exact`).
3. **Everything else.**  Branch and bound over sub-simplices (longest-edge
   bisection, exact integer Bernstein coefficients) until every cell either
   lies inside a certified region or has all its Bernstein coefficients
   strictly below ``L``, the largest proved lower end among the regions.

The global maximum is then the best region's, provided its lower end exceeds
every other region's upper end.  When a cell cannot be pruned and has a vertex
better than ``L``, the float search is restarted from it; when that finds
nothing certifiable, the vertex's exact value becomes ``L`` (it is attained).
When limits run out the result says ``complete=False``.

**Ties and continua.**  A cell whose coefficients are all at most an
*attained* value ``v`` (a payoff, or a cell vertex's exact EU) is pruned
weakly: ``f <= v`` there, and ``f = v`` exactly on the cell faces whose
coefficients all equal ``v`` (:meth:`~exactgames.optimize.bnb.bernstein.ProductBernstein.faces_at`).  So when the
maximum is attained outside every region, the maximiser set is known exactly:
points, or a continuum (reported as a whole face of the simplex when every
payoff of that face equals ``v``, otherwise as the cell faces).  Certified
maxima whose enclosures overlap are compared by their exact values (the edge
eliminant's root, or the exact KKT point of the face in the Krawczyk box);
equal values are reported as ties.  The independent checker re-proves a tie of
irrational values by an action permutation that preserves every payoff and
maps each region's box into the other region.

Examples
--------
>>> from exactgames.model.game import AnonymousGame
>>> g = AnonymousGame.from_function(2, ["H", "W"], {(2, 0): 0, (1, 1): 1, (0, 2): 0})
>>> r = certified_optimum(g)
>>> r.complete, r.support, r.value_interval[0] <= sympy.Rational(1, 2) <= r.value_interval[1]
(True, ((0, 1),), True)
>>> r.mixed, r.certificate["kind"]
(True, 'bnb-simplex-v1')
"""

from __future__ import annotations

import dataclasses
import time
from fractions import Fraction
from typing import Any, Callable, Sequence

import sympy

from exactgames.model.counts import count_vectors, multinomial
from exactgames.model.exact import ExactError
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.utility import count_coefficients
from exactgames.optimize.bnb.core import BnbLimits, _run
from exactgames.optimize.bnb.exact import edge_exact
from exactgames.optimize.bnb.form import ProductSetup
from exactgames.optimize.bnb.outcome import _region_exact
from exactgames.optimize.bnb.regions import ProductRegion
from exactgames.optimize.result import OptimumResult

__all__ = ["certified_optimum", "symmetric_payoffs", "METHOD", "BnbLimits", "simplex_certificate"]

METHOD = "certified branch-and-bound (Bernstein bounds, Krawczyk)"
KIND = "bnb-simplex-v1"


# --------------------------------------------------------------------------- game -> payoffs per count vector
def symmetric_payoffs(game: AnonymousGame | Game, orbits: Sequence[Sequence[int]] | None = None) -> tuple[int, tuple[str, ...], dict]:
    """Number of players, actions and the Bernstein coefficient (payoff) of each count vector.

    For a dense game with one orbit of all players the coefficient of a count
    vector is the average common payoff over the profiles with those counts.

    Examples
    --------
    >>> g = Game.from_common([["a", "b"]] * 2, {("a", "b"): 1, ("b", "a"): 0})
    >>> symmetric_payoffs(g)[2][(1, 1)]
    Fraction(1, 2)
    """
    if not game.is_rational:
        raise ExactError("certified_optimum needs rational payoffs (substitute the parameters first)")
    n = game.n_players
    if orbits is not None:
        orbs = [tuple(sorted(o)) for o in orbits]
        if len(orbs) != 1 or orbs[0] != tuple(range(n)):
            raise ExactError(f"orbits {orbits}: the certified branch and bound handles one orbit of all {n} players only")
    if isinstance(game, AnonymousGame):
        acts = tuple(game.actions)
        return n, acts, {c: Fraction(int(v.p), int(v.q)) for c, v in game.fmpq_payoff.items()}
    if len(set(game.actions)) != 1:
        raise ExactError("certified_optimum: every player must have the same actions for one orbit")
    if not game.is_common_payoff:
        raise ExactError("certified_optimum: the game must be common-payoff")
    m = len(game.actions[0])
    coefs = dict(count_coefficients(game, [tuple(range(n))]))
    out = {}
    for c in count_vectors(n, m):
        v = coefs.get((c,), 0)
        v = Fraction(int(v.p), int(v.q)) if hasattr(v, "p") else Fraction(v)
        out[c] = v / multinomial(c)
    return n, tuple(game.actions[0]), out


def one_factor_setup(n: int, acts: Sequence[str], pay: dict) -> ProductSetup:
    """The one-orbit EU polynomial ``sum_c multinomial(c) u(c) x^c`` as a one-factor :class:`ProductSetup`.

    Examples
    --------
    >>> one_factor_setup(2, ("H", "W"), {(2, 0): 0, (1, 1): 1, (0, 2): 0}).coef
    {(1, 1): Fraction(2, 1)}
    """
    coef = {c: Fraction(v) * multinomial(c) for c, v in pay.items() if v}
    return ProductSetup((tuple(range(n)),), (n,), (len(acts),), (tuple(acts),), coef)


# --------------------------------------------------------------------------- main entry
def certified_optimum(
    game: AnonymousGame | Game,
    orbits: Sequence[Sequence[int]] | None = None,
    width: Fraction = Fraction(1, 10**30),
    limits: BnbLimits | None = None,
    seed: int = 0,
    n_starts: int | None = None,
    progress: Callable[[dict], None] | None = None,
    exact_value: bool = True,
    setup: ProductSetup | None = None,
) -> OptimumResult:
    """Proved global maximum of the symmetric EU of a rational totally symmetric game.

    Parameters
    ----------
    game : AnonymousGame or Game
        Rational payoffs; a dense game must be common-payoff with one orbit of all players.
    orbits : optional
        Only ``None`` or one orbit containing every player is supported.
    width : Fraction
        Required width of the value enclosure.
    limits : BnbLimits, optional
    seed : int
        Seed of the float search's starting points (proposals only; the proof does not depend on it).
    n_starts : int, optional
        Number of random float starts (default ``m + 1``), besides the centroid and the best vertex.
    exact_value : bool
        For a two-action support, derive the exact algebraic value and strategy
        (``CRootOf``, see :mod:`exactgames.optimize.bnb.exact`).
    progress : callable, optional
        Called about twice a second during the branch and bound with a dict
        (``cells_done``, ``cells_left``, ``depth``, ``threshold``, ``gap``) -- for a progress line on stderr.
    setup : ProductSetup, optional
        The one-factor EU polynomial when the caller has built it already.

    Returns
    -------
    OptimumResult
        ``complete=False`` when limits run out: nothing is claimed, except that
        ``value_interval`` (when not (0, 0)) is still a proved enclosure of the
        maximum (largest certified local value, largest unresolved Bernstein bound).
        ``complete=True`` only with a proof: ``value_interval`` encloses the
        maximum, ``support`` is exact, ``strategies`` are rational points of
        the Krawczyk box (exact for a pure optimum); ``value`` is exact for a
        pure optimum and otherwise the enclosure's midpoint (``value_exact``
        False).  ``certificate`` is checked independently by
        :func:`proofs_check.checker.check_certificate`.

    Examples
    --------
    A 3-player coordination game: both "all play the same action" profiles tie.

    >>> g = AnonymousGame.from_function(3, ["a", "b"], lambda c: 1 if max(c) == 3 else 0)
    >>> r = certified_optimum(g)
    >>> r.complete, r.value, r.support, len(r.ties)
    (True, 1, ((0,),), 1)
    """
    t0 = time.perf_counter()
    if setup is not None:  # the caller built (and checked) the one-factor polynomial: payoffs from its coefficients
        n, acts = setup.sizes[0], setup.actions[0]
        pay = {c: setup.coef.get(c, Fraction(0)) / multinomial(c) for c in count_vectors(n, len(acts))}
        s = setup
    else:
        n, acts, pay = symmetric_payoffs(game, orbits)
        s = one_factor_setup(n, acts, pay)
    run = _run(s, lambda r: _region_exact_one(game, s, r, pay, n), Fraction(width), limits, seed, progress, t0, n_starts)
    res = run.result
    cert = simplex_certificate(res.certificate)
    changes: dict[str, Any] = {"method": METHOD, "certificate": cert}
    wr = run.winner
    if res.complete and wr is not None and not res.value_exact:
        cert["exact_value_note"] = "value is the midpoint of the proved enclosure"
        if exact_value and len(wr.supports[0]) == 2:
            got = run.exact if run.exact is not None else _region_exact_one(game, s, wr, pay, n)
            if got is None or isinstance(got[0], _FIELD()):
                got = _edge(wr, pay, n)  # never raises: None means "not derived"
            if got is None:
                cert["exact_value_note"] = "exact value not derived"
            else:
                changes.update(value=got[0], value_exact=True, strategies=got[1])
                cert["strategies_exact"] = True
                cert["exact_value_note"] = ("edge support: f' factored (python-flint), root selected in the Krawczyk "
                                            "interval, value from the resultant")
    elif res.complete and wr is not None:
        cert["exact_value_note"] = "pure optimum: value is a payoff"
    return dataclasses.replace(res, **changes)


def _FIELD() -> type:
    from exactgames.model.numberfield import NFElement

    return NFElement


# --------------------------------------------------------------------------- exact values of one-factor regions
def _edge(r: ProductRegion, pay: dict, n: int) -> tuple[sympy.Expr, tuple] | None:
    """The exact value and maximiser of a two-action region: the edge eliminant's root (sympy ``CRootOf``)."""
    (S,), (ref,) = r.supports, r.refs
    a = next(x for x in S if x != ref)
    c = r.center[0][0]
    try:
        got = edge_exact(pay, n, a, ref, (c - r.radius, c + r.radius), r.value_interval)
    except Exception:  # an optional exact step: None means "not derived"
        return None
    if got is None:
        return None
    strat = [sympy.Integer(0)] * len(r.lower[0])
    strat[a] = got[0]
    strat[ref] = 1 - got[0]
    return got[1], (tuple(strat),)


def _region_exact_one(game: Game | AnonymousGame, s: ProductSetup, r: ProductRegion, pay: dict, n: int) -> tuple | None:
    """A one-factor region's exact value and maximiser: a payoff, the edge eliminant's root, or the face's exact KKT point."""
    if len(r.supports[0]) == 2:
        return _edge(r, pay, n)
    return _region_exact(game, s, r)


# --------------------------------------------------------------------------- the one-simplex certificate
def simplex_certificate(cert: dict) -> dict:
    """A one-factor ``bnb-product-v1`` certificate written in the one-simplex form ``bnb-simplex-v1``.

    The same proof: regions with one support, tree tokens ``[p, q]`` (edge of the only factor),
    faces and the attained point as plain vertex lists.

    Examples
    --------
    >>> simplex_certificate({"kind": "bnb-product-v1", "orbits": [[0, 1]], "sizes": [2], "ms": [2], "tree": [[0, 0, 1], ["p", "0"]],
    ...                      "attained": ["1", [["1", "0"]]]})
    {'kind': 'bnb-simplex-v1', 'n': 2, 'm': 2, 'tree': [[0, 1], ['p', '0']], 'attained': ['1', ['1', '0']]}
    """
    (n,), (m,) = cert["sizes"], cert["ms"]
    out: dict[str, Any] = {"kind": KIND, "n": n, "m": m}
    for key, val in cert.items():
        if key in ("kind", "orbits", "sizes", "ms"):
            continue
        if key == "regions":
            val = [_simplex_region(r) for r in val]
        elif key == "tree":
            val = [t[1:] if len(t) == 3 and not isinstance(t[0], str) else t for t in val]
        elif key == "attained":
            val = [val[0], val[1][0]]
        elif key == "maximiser_faces":
            val = [f[0] for f in val]
        out[key] = val
    if out.get("winner") == -1 and not out.get("regions"):
        out.pop("ties", None)
    return out


def _simplex_region(r: dict) -> dict:
    return {"support": r["supports"][0], "ref": r["refs"][0], "center": r["center"][0], "radius": r["radius"], "rho": r["rho"],
            "lower": r["lower"][0], "value_interval": r["value_interval"], "gradient_upper": r["gradient_upper"][0],
            "hessian_proof": r["hessian_proof"], "krawczyk_image": r["krawczyk_image"]}
