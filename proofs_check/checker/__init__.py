"""The independent certificate checker behind ``exactgames verify``.

This package imports only :mod:`exactgames.model` (games, exact numbers, the
number field), python-flint and sympy, never ``exactgames.optimize``,
``exactgames.certify`` or ``exactgames.symmetry`` (a test checks
``sys.modules`` in a fresh process): a bug in the optimiser cannot hide itself
by being shared with its checker.  Everything is recomputed from the game.

The soundness contract
----------------------
For a result of ``exactgames optimize --json`` (any certificate kind issued so
far: ``bnb-simplex-v1``, ``bnb-product-v1``, the API wrapper with a ``bnb``
part, the exact KKT enumeration, ``exactgames-optimum-v2``, and parametric
regimes), ``verify`` accepts only when it has proved, from the game alone:

``orbits``
    the orbits of a group of symmetries of the game: every recorded generator
    is checked exactly on the payoff table (older certificates without
    generators: transpositions inside each orbit are tried), and the
    optimisation is over profiles constant on exactly those orbits (the
    checker builds the EU polynomial of those orbits itself).
``value_interval``
    contains the maximum M of the EU over those profiles.  The upper bound
    comes from a subdivision covering the product of simplices (replayed from
    the certificate, or built by the checker when the certificate has none):
    every cell is strictly below a threshold that is at most a proved lower
    bound of the winner, or has every Bernstein coefficient at most the exact
    attained value, or lies in a proved region.  No cell is pruned against a
    value the winner is not proved to reach.
``value``, ``optimal_value_polynomial``, ``optimal_value_root_index``, ``optimal_value_isolating_interval``
    when ``value_exact`` is true: the claimed number equals M exactly (equal
    in one number field, or the claimed root of the claimed polynomial, alone
    in its isolating interval).  When ``value_exact`` is false, ``value`` is
    only checked to lie in ``value_interval``.
``strategies``
    exactly probability vectors (non-negative, summing to 1, every action of
    the orbit listed) with EU exactly M; for a region winner, exactly its
    critical point (zero reduced gradient, inside the Krawczyk box, where the
    maximiser is unique).  When ``value_exact`` is false they need only lie
    in the Krawczyk box.
``support``, ``mixed``
    equal to the support of ``strategies`` (and of the winner region).
``ties`` (tied points and continua)
    every claimed tie is exactly a maximiser; every maximiser the proof finds
    (tied regions, points and faces of the weakly pruned cells where every
    coefficient equals M) is reported: points among the ties, positive-
    dimensional faces in a ``continuum`` entry whose face (``{a,b}``) carries
    EU identically M, or as recorded ``maximiser_faces``.
``complete``
    must be true: an incomplete answer claims nothing beyond its enclosure and
    is refused.
Sequential results (``sequential-symmetric-v1``, from ``.efg`` / ``.dpomdp``)
    the behaviour-strategy polynomial is rebuilt from the tree
    (:mod:`proofs_check.checker.tree`), classes marked free are proved not to
    matter, and the same proof applies; results certified by a team bound
    (``sequential-team-bound-v1``) are refused: verify does not recompute the
    team optimum yet.
Not proved by ``verify`` (and listed as such in its output): ``nash``,
``degenerate``, ``locally_optimal_asymmetric`` and the ``verdicts`` block (use
``exactgames check``), ``method``, ``reason``, ``value_float`` and timing
fields.  For parametric results each regime is proved at its rational sample
point and at rational closed endpoints; that the optimum keeps its form
between them is not proved by ``verify``.

Examples
--------
>>> from exactgames.model.game import Game
>>> taxi = Game.from_common([["H", "W"]] * 2, {("H", "W"): 1, ("W", "H"): 1})
>>> claim = {"value": "1/2", "value_interval": ["1/2", "1/2"], "orbits": [[1, 2]],
...          "strategies": [{"H": "1/2", "W": "1/2"}], "support": [["H", "W"]], "mixed": True,
...          "value_exact": True, "complete": True, "ties": [], "certificate": {}}
>>> check_certificate(taxi, claim).ok
True
>>> check_certificate(taxi, {**claim, "value": "1"}).errors
('value: the claimed 1 differs from the exact 1/2',)
"""

from __future__ import annotations

import re
import sys
from fractions import Fraction
from typing import Any

import sympy
from flint import fmpq

from proofs_check.checker.claims import (
    check_value_polynomial,
    equals_claim,
    exact_profile,
    is_region_maximiser,
    lift,
    parse_number,
    parse_value,
    split_tuple,
    supports_of,
    to_ball,
    value_at,
)
from proofs_check.checker.groups import verified_orbits
from proofs_check.checker.numbers import MAX_PREC, CheckReport, Field, Reject, bounds, exact_of_arb, show
from proofs_check.checker.polynomial import Setup
from proofs_check.checker.regions import Region, RegionProof, prove_region, prove_vertex_region, tie_by_symmetry
from proofs_check.checker.subdivision import replay, search

__all__ = ["CheckReport", "check_certificate", "NOT_PROVED", "KINDS"]

MAX_REGIONS = 5000
KINDS = ("bnb-simplex-v1", "bnb-product-v1", "exactgames-optimum-v2")
NOT_PROVED = ("nash", "degenerate", "locally_optimal_asymmetric", "verdicts", "method", "reason", "value_float")
_CONTINUUM_FACE = re.compile(r"whole face (.+?) \(")


# --------------------------------------------------------------------------- reading certificates
def _bnb_part(cert: Field) -> Field | None:
    """The branch-and-bound certificate inside a result's ``certificate`` (None when there is none)."""
    c = cert.obj()
    if c.get("kind") in ("bnb-simplex-v1", "bnb-product-v1"):
        return cert
    if isinstance(c.get("bnb"), dict):
        return cert["bnb"]
    return None


def _regions_and_tree(b: Field, n_players: int) -> dict:
    """A ``bnb-simplex-v1`` or ``bnb-product-v1`` certificate in one form (one factor per orbit)."""
    kind = b["kind"].text(40)
    prec = b.get("prec")
    prec = 320 if prec is None else prec.integer(32, MAX_PREC)
    if kind == "bnb-simplex-v1":
        n, m = b["n"].integer(1, 10**6), b["m"].integer(1, 10**6)
        orbits = [list(range(n))]
        regions = []
        for k, r in enumerate(b["regions"].items(limit=MAX_REGIONS) if b.has("regions") else []):
            sup = [s.integer(0, m - 1) for s in r["support"].items(limit=m)]
            regions.append(Region([sup], [r["ref"].integer(0, m - 1)], [[v.rational() for v in r["lower"].items(length=m)]],
                                  [[v.rational() for v in r["center"].items(limit=m)]], r["radius"].rational()))
        tree = b.get("tree")
        tokens = [] if tree is None else tree.value
        if not isinstance(tokens, list):
            raise Reject(f"{b.path}.tree: expected a list of tokens")
        faces = b.get("maximiser_faces")
        if faces is not None:  # one orbit: a face is a list of vertices
            faces = Field([[f.value] for f in faces.items()], faces.path)
        tokens = [[0, *t] if isinstance(t, list) and len(t) == 2 and all(isinstance(x, int) and not isinstance(x, bool)
                                                                            for x in t) else t for t in tokens]
        att = b.get("attained")
        attained = None if att is None else (att[0], Field([att[1].value], att[1].path))
        sizes, ms = [n], [m]
    elif kind == "bnb-product-v1":
        orbits = [[p.integer(0, n_players - 1) for p in o.items(limit=n_players)] for o in b["orbits"].items(limit=n_players)]
        sizes = [s.integer(1, 10**6) for s in b["sizes"].items(limit=n_players)]
        ms = [s.integer(1, 10**6) for s in b["ms"].items(limit=n_players)]
        nf = len(orbits)
        regions = []
        for r in b["regions"].items(limit=MAX_REGIONS) if b.has("regions") else []:
            regions.append(Region([[s.integer(0, 10**6) for s in S.items(limit=10**4)] for S in r["supports"].items(length=nf)],
                                  [x.integer(0, 10**6) for x in r["refs"].items(length=nf)],
                                  [[v.rational() for v in lo.items(limit=10**4)] for lo in r["lower"].items(length=nf)],
                                  [[v.rational() for v in c.items(limit=10**4)] for c in r["center"].items(length=nf)],
                                  r["radius"].rational()))
        tree = b.get("tree")
        tokens = [] if tree is None else tree.value
        att = b.get("attained")
        attained = None if att is None else (att[0], att[1])
    else:
        raise Reject(f"{b.path}.kind: unknown certificate kind {kind!r} (known: {', '.join(KINDS)})")
    win = b.get("winner")
    winner = None if win is None else win.integer(-1, len(regions) - 1)
    ties = [t.integer(0, max(len(regions) - 1, 0)) for t in b["ties"].items()] if b.has("ties") else []
    if kind == "bnb-product-v1":
        faces = b.get("maximiser_faces")
    return {"kind": kind, "orbits": orbits, "sizes": sizes, "ms": ms, "regions": regions, "tree": tokens,
            "threshold": b["threshold"].rational() if b.has("threshold") else None, "winner": winner, "ties": ties,
            "attained": attained, "prec": prec, "maximiser_faces": faces}


def _generators(cert: Field, n: int) -> list[list[int]] | None:
    c = cert.obj()
    if "generators" not in c:
        return None
    out = []
    for g in cert["generators"].items(limit=4 * n + 4):
        out.append([p.integer(0, n - 1) for p in g.items(length=n)])
    return out


# --------------------------------------------------------------------------- exact helpers
def _same(a: Any, b: Any) -> bool:
    """Exact equality of two rationals / number-field elements (possibly from different lifts)."""
    if isinstance(a, fmpq) and isinstance(b, fmpq):
        return a == b
    sa = a.to_sympy() if hasattr(a, "to_sympy") else sympy.Rational(int(a.p), int(a.q))
    sb = b.to_sympy() if hasattr(b, "to_sympy") else sympy.Rational(int(b.p), int(b.q))
    _, (x, y) = lift([sa, sb], "tie")
    return x == y


def _rational(x: Any) -> Fraction | None:
    if isinstance(x, fmpq):
        return Fraction(int(x.p), int(x.q))
    if x.is_rational:
        r = x.rational()
        return Fraction(int(r.p), int(r.q))
    return None


def _enclosure(x: Any) -> tuple[Fraction, Fraction]:
    r = _rational(x)
    if r is not None:
        return r, r
    return bounds(to_ball(x, 256))


def _names(st: Setup, sups: list) -> list[list[str]]:
    return [[st.actions[i][a] for a in S] for i, S in enumerate(sups)]


def _rational_profile(st: Setup, pt: Field, what: str) -> list[list[Fraction]]:
    items = pt.items(length=len(st.ms))
    out = []
    for i, it in enumerate(items):
        x = [v.rational() for v in it.items(length=st.ms[i])]
        if any(v < 0 for v in x) or sum(x) != 1:
            raise Reject(f"{what} {it.path}: not a mixed strategy over the {st.ms[i]} actions of orbit {i + 1}")
        out.append(x)
    return out


# --------------------------------------------------------------------------- regions the checker builds itself
def _own_regions(st: Setup, points: list[list[list[Any]]], prec: int, checks: list) -> list[RegionProof]:
    """Around each claimed maximiser, the largest region (of a few sizes) the checker can prove."""
    out = []
    for pt in points:
        sups = supports_of(pt)
        balls = [[to_ball(x, 400) for x in xs] for xs in pt]
        refs = [max(S, key=lambda a: bounds(balls[i][a])[0]) for i, S in enumerate(sups)]
        center = [[exact_of_arb(balls[i][a].mid()) for a in S if a != refs[i]] for i, S in enumerate(sups)]
        radius = Fraction(1, 2**100)
        for e in range(2, 40, 2):
            rho = Fraction(1, 2**e)
            lower = []
            for i, m in enumerate(st.ms):
                lo = [Fraction(0)] * m
                for a in sups[i]:
                    lo[a] = max(Fraction(0), bounds(balls[i][a])[0] - rho)
                lower.append(lo)
            reg = Region([list(S) for S in sups], refs, lower, center, radius)
            try:
                proof = prove_region(len(out), reg, st, prec, [])
            except Reject:
                if not all(len(S) == 1 for S in sups):
                    continue
                try:
                    proof = prove_vertex_region(len(out), [S[0] for S in sups], rho, st, [])
                except Reject:
                    continue
            if is_region_maximiser(st, proof, pt) is None:
                out.append(proof)
                checks.append(f"the checker proved a region of half-width {rho} around a claimed maximiser with supports "
                              f"{_names(st, sups)}")
                break
    return out


# --------------------------------------------------------------------------- one optimum
def _check_optimum(game: Any, data: Field, checks: list, setup: Setup | None = None) -> tuple[Fraction, Fraction]:
    """One optimum.  With ``setup`` (a polynomial rebuilt by the caller, factors labelled 1..k) no group is involved."""
    d = data.obj()
    if d.get("complete") is not True:
        raise Reject("complete: the result is marked incomplete (or does not say it is complete); nothing to check")
    n = game.n_players if setup is None else len(setup.ms)
    cert = data["certificate"] if data.has("certificate") else Field({}, "certificate")
    cert.obj()
    kind = cert.obj().get("kind")
    if kind is not None and kind not in KINDS:
        raise Reject(f"certificate.kind: unknown certificate kind {str(kind)[:40]!r} (known: {', '.join(KINDS)})")
    bnb = _bnb_part(cert)
    form = _regions_and_tree(bnb, n if setup is None else 10**7) if bnb is not None else None
    # ---- orbits: claimed, certified, and generated by verified symmetries
    claimed = [sorted(p.integer(1, n) - 1 for p in o.items(limit=n)) for o in data["orbits"].items(limit=n)]
    orbits = sorted(claimed)
    if setup is not None:
        if form is not None:
            form["orbits"] = [[k] for k in range(len(form["orbits"]))]  # factors, labelled by the caller
        st = setup
    else:
        if form is not None and sorted(sorted(o) for o in form["orbits"]) != orbits:
            raise Reject(f"orbits: the result claims {[[p + 1 for p in o] for o in orbits]}, the certificate optimised over "
                         f"{[[p + 1 for p in sorted(o)] for o in form['orbits']]}")
        gens = _generators(cert, n)
        orbits = verified_orbits(game, gens, orbits, checks)
        if form is not None:
            orbits = [sorted(o) for o in form["orbits"]]  # the certificate's factor order
        st = Setup(game, orbits)
    if form is not None and (form["sizes"] != st.sizes or form["ms"] != st.ms):
        raise Reject(f"certificate: orbit sizes {form['sizes']} / action counts {form['ms']}; the game has {st.sizes} / {st.ms}")
    # claimed strategies, in the factor order
    strat_items = data["strategies"].items(length=len(orbits))
    by_orbit = {tuple(o): strat_items[k] for k, o in enumerate(claimed)}
    strategies = Field([by_orbit[tuple(o)].value for o in orbits], "strategies")
    sup_items = data["support"].items(length=len(orbits))
    sup_by = {tuple(o): sup_items[k] for k, o in enumerate(claimed)}
    value_exact = d.get("value_exact", True) is True
    K, pt = exact_profile(st, strategies)
    sups = supports_of(pt)
    for i, o in enumerate(orbits):
        names = sup_by[tuple(o)].items(limit=st.ms[i])
        got = sorted(st.actions[i].index(x.text(1000)) if x.text(1000) in st.actions[i] else -1 for x in names)
        if got != sorted(sups[i]):
            raise Reject(f"support: orbit {i + 1} claims {[x.value for x in names]}, the claimed strategy's support is "
                         f"{[st.actions[i][a] for a in sups[i]]}")
    if data["mixed"].boolean() is not any(len(S) > 1 for S in sups):
        raise Reject(f"mixed: claimed {d['mixed']}, but the supports are {_names(st, sups)}")
    claimed_value = parse_value(data["value"])
    tie_points, continua = _claimed_ties(st, data, orbits, claimed)

    # ---- one action per orbit: a single profile
    if all(m == 1 for m in st.ms):
        v = st.pure_value([0] * len(st.ms))
        M: Any = fmpq(v.numerator, v.denominator)
        checks.append(f"one action per orbit: the only profile, worth {show(v)}")
        return _final_claims(st, data, M, (v, v), value_exact, claimed_value, checks)

    if form is None:
        return _check_by_search(st, data, K, pt, tie_points, continua, value_exact, claimed_value, checks)

    # ---- replay the branch and bound's proof
    proofs = [prove_region(k, r, st, form["prec"], checks) for k, r in enumerate(form["regions"])]
    attained = None
    if form["attained"] is not None:
        av, apt = form["attained"]
        attained = av.rational()
        got = st.exact(_rational_profile(st, apt, "attained point"))
        if got != attained:
            raise Reject(f"certificate.attained: value {show(attained)} differs from the EU {show(got)} recomputed at its point")
        checks.append(f"attained value {show(attained)} recomputed exactly at its rational point")
    threshold = form["threshold"]
    if threshold is None:
        raise Reject("certificate.threshold: missing")
    win = form["winner"]
    if win == -1:
        raise Reject("certificate.winner: -1 (no winner) is only issued for one action per orbit")
    rep = replay(form["tree"], st, threshold, attained, [p.region for p in proofs])
    checks.append(f"subdivision replayed: {rep.leaves} cells, {rep.pruned} pruned strictly below the threshold {show(threshold)}, "
                  f"{sum(rep.in_region.values())} inside proved regions" + (f", {rep.weak} at most the attained value {show(attained)}"
                                                                           if rep.weak else ""))
    ties = set(form["ties"])
    exact_in: dict[int, Any] = {}  # region -> exact value of its maximiser, where a claimed point is it
    for k, proof in enumerate(proofs):
        for p in [pt] + [tp for tp, _ in tie_points]:
            if is_region_maximiser(st, proof, p) is None:
                exact_in[k] = value_at(st, p)
                break
        if k not in exact_in and proof.exact:
            exact_in[k] = fmpq(proof.lo.numerator, proof.lo.denominator)
    if win is not None:
        w = proofs[win]
        if not threshold <= w.lo:
            raise Reject(f"certificate.threshold {show(threshold)} is above the winner's proved lower bound {show(w.lo)}: cells pruned "
                         "against it are not proved below the winner")
        if value_exact and win not in exact_in:
            raise Reject(f"strategies: {_why_not(st, w, pt)}; the claimed profile is not the winner region's maximiser")
        if not value_exact:
            why = is_region_maximiser(st, w, pt)
            if why is not None and "reduced gradient" not in why:
                raise Reject(f"strategies: {why}")
        M = exact_in.get(win)
        lo, hi = (w.lo, w.hi) if M is None else _enclosure(M)
        if attained is not None and attained > w.hi:
            raise Reject(f"certificate.attained {show(attained)} exceeds the winner's proved upper bound {show(w.hi)}")
        if rep.weak:
            if M is not None and _rational(M) == attained:
                pass  # the weakly pruned cells reach the maximum: their level faces are maximisers (checked below)
            elif not attained < w.lo:
                raise Reject(f"weakly pruned cells are only proved to be at most {show(attained)}, which is not below the winner's "
                             f"proved lower bound {show(w.lo)}: a lower local maximum cannot be passed off as the optimum")
        if M is not None and rep.weak and _rational(M) != attained:
            rep.level.clear()  # strictly below the maximum: no maximiser there
        tied = []
        for k, proof in enumerate(proofs):
            if k == win or proof.hi < w.lo:
                continue
            if k in ties and M is not None and k in exact_in and _same(exact_in[k], M):
                tied.append(k)
                checks.append(f"region {k} ties with the winner: its claimed maximiser has exactly the same value")
                continue
            if k in ties and tie_by_symmetry(proof.region, w.region, st) is not None:
                tied.append(k)
                checks.append(f"region {k} ties with the winner exactly: an EU-preserving permutation of orbits and actions "
                              "maps each region's Krawczyk box into the other")
                continue
            raise Reject(f"region {k} (value in [{float(proof.lo)}, {float(proof.hi)}]) is not proved worse than the winner"
                         + (" and its claimed tie is not proved" if k in ties else ""))
    else:
        if attained is None:
            raise Reject("certificate.attained: missing, and no winner region")
        if not threshold <= attained:
            raise Reject(f"certificate.threshold {show(threshold)} is above the attained maximum {show(attained)}")
        M = fmpq(attained.numerator, attained.denominator)
        lo = hi = attained
        if not _same(value_at(st, pt), M):
            raise Reject(f"strategies: their exact EU {value_at(st, pt)} is not the attained maximum {show(attained)}")
        tied = []
        for k, proof in enumerate(proofs):
            if proof.hi < attained:
                continue
            if k in ties and k in exact_in and _same(exact_in[k], M):
                tied.append(k)
                continue
            raise Reject(f"region {k} (value in [{float(proof.lo)}, {float(proof.hi)}]) is not proved at most the attained "
                         f"maximum {show(attained)}" + (" and its claimed tie is not proved" if k in ties else ""))
    # ---- the maximiser set is reported
    if M is not None:
        for tp, where in tie_points:
            if not _same(value_at(st, tp), M):
                raise Reject(f"{where}: the claimed tie's exact EU is not the maximum")
        for k in tied:
            if not any(is_region_maximiser(st, proofs[k], p) is None for p in [pt] + [tp for tp, _ in tie_points]) \
                    and not (proofs[k].exact and _reported_point(proofs[k].point, pt, tie_points)):
                raise Reject(f"ties: region {k}'s maximiser ties with the optimum but is not reported")
        _check_level_faces(st, rep.level, M, pt, tie_points, continua, form["maximiser_faces"], checks)
    elif tie_points or continua:
        raise Reject("ties: claimed, but the optimum's exact value is not known, so no tie can be proved")
    elif tied:
        raise Reject(f"ties: region {tied[0]} ties with the winner, but the result reports no tie")
    return _final_claims(st, data, M, (lo, hi), value_exact, claimed_value, checks)


def _why_not(st: Setup, proof: RegionProof, pt: list) -> str:
    return is_region_maximiser(st, proof, pt) or "it is not the region's maximiser"


def _reported_point(point: tuple, pt: list, tie_points: list) -> bool:
    target = [[fmpq(x.numerator, x.denominator) for x in xs] for xs in point]
    return any(all(all(a == b for a, b in zip(xs, ys)) for xs, ys in zip(p, target)) for p in [pt] + [tp for tp, _ in tie_points])


def _claimed_ties(st: Setup, data: Field, orbits: list, claimed: list) -> tuple[list, list[str]]:
    """Claimed tied profiles (exact, on the simplex) and continuum descriptions."""
    points, continua = [], []
    for t in data["ties"].items(limit=10**4):
        text = t.text()
        if text.startswith("continuum"):
            continua.append(text)
            continue
        expr = split_tuple(text, t.path)
        if len(orbits) == 1 and expr and not isinstance(expr[0], list):
            expr = [expr]
        if len(expr) != len(orbits) or not all(isinstance(x, list) for x in expr):
            raise Reject(f"{t.path}: expected a profile (one strategy per orbit, e.g. '((1/2, 1/2),)') or a continuum")
        by_orbit = {tuple(o): expr[k] for k, o in enumerate(claimed)}
        objs = []
        for i, o in enumerate(orbits):
            s = by_orbit[tuple(o)]
            if len(s) != st.ms[i]:
                raise Reject(f"{t.path}: orbit {i + 1} has {st.ms[i]} actions, the tie lists {len(s)} probabilities")
            objs.append({a: str(x) for a, x in zip(st.actions[i], s)})
        _, tp = exact_profile(st, Field(objs, t.path))
        points.append((tp, t.path))
    return points, continua


def _face_sets(st: Setup, text: str) -> list[list[int]] | None:
    m = _CONTINUUM_FACE.search(text)
    if m is None:
        return None
    parts = [p.strip() for p in m.group(1).split(" x ")]
    if len(parts) != len(st.ms):
        return None
    out = []
    for i, p in enumerate(parts):
        if not (p.startswith("{") and p.endswith("}")):
            return None
        names = [x.strip() for x in p[1:-1].split(",")]
        if not all(x in st.actions[i] for x in names):
            return None
        out.append(sorted(st.actions[i].index(x) for x in names))
    return out


def _identically(st: Setup, face: list[list[int]], M: Any) -> bool:
    """f restricted to the face (actions ``face[i]`` of each orbit) is identically M."""
    r = _rational(M)
    if r is None:
        return False
    import itertools as _it
    import math as _m

    from proofs_check.checker.numbers import multinomial
    from proofs_check.checker.polynomial import count_keys

    terms = {}
    for e, c in st.f.terms():
        if all(e[st.var(i, a)] == 0 for i, m in enumerate(st.ms) for a in range(m) if a not in face[i]):
            terms[tuple(tuple(e[st.var(i, a)] for a in face[i]) for i in range(len(st.ms)))] = c
    target = fmpq(r.numerator, r.denominator)
    for key in _it.product(*(count_keys(n_, len(F)) for n_, F in zip(st.sizes, face))):
        if terms.get(key, fmpq(0)) != target * _m.prod(multinomial(k) for k in key):
            return False
    return True


def _check_level_faces(st: Setup, level: list, M: Any, pt: list, tie_points: list, continua: list[str],
                       recorded: Field | None, checks: list) -> None:
    faces = list(dict.fromkeys(level))
    if not faces and recorded is not None and recorded.items():
        raise Reject(f"certificate.maximiser_faces: {len(recorded.items())} recorded, none recomputed")
    if not faces:
        return
    points = [f for f in faces if all(len(fi) == 1 for fi in f)]
    pieces = [f for f in faces if any(len(fi) > 1 for fi in f)]
    for f in points:
        if not _reported_point(tuple(fi[0] for fi in f), pt, tie_points):
            raise Reject(f"ties: the maximiser {[list(map(str, fi[0])) for fi in f]} (a vertex of a weakly pruned cell where "
                         "every coefficient equals the maximum) is not reported")
    if not pieces:
        checks.append(f"maximiser set recomputed: {len(points)} points of weakly pruned cells, all reported")
        return
    whole = [fs for fs in (_face_sets(st, t) for t in continua) if fs is not None]
    for fs in whole:
        if not _identically(st, fs, M):
            raise Reject(f"ties: the claimed continuum on the face {_names(st, fs)} does not carry EU identically {M}")
    rec = None
    if recorded is not None:
        rec = set()
        for f in recorded.items():
            rec.add(tuple(tuple(sorted(tuple(v.rational() for v in vert.items()) for vert in fi.items())) for fi in f.items()))
        if rec != set(faces):
            raise Reject(f"certificate.maximiser_faces: the recorded maximiser faces ({len(rec)}) differ from the "
                         f"recomputed ones ({len(faces)})")
    for f in pieces:
        inside = any(all(all(vert[a] == 0 for vert in fi for a in range(st.ms[i]) if a not in fs[i])
                         for i, fi in enumerate(f)) for fs in whole)
        if inside:
            continue
        if rec is not None and f in rec and any("of subdivision cells" in t for t in continua):
            continue
        raise Reject(f"ties: the maximum is attained on a positive-dimensional face {[[list(map(str, v)) for v in fi] for fi in f]} "
                     "that no reported continuum covers")
    checks.append(f"maximiser set recomputed: {len(points)} points and {len(pieces)} positive-dimensional faces, all reported")


def _check_by_search(st: Setup, data: Field, K: Any, pt: list, tie_points: list, continua: list[str], value_exact: bool,
                     claimed_value: Any, checks: list) -> tuple[Fraction, Fraction]:
    """No branch-and-bound certificate (e.g. an exact KKT enumeration): the checker proves the claim itself."""
    if not value_exact:
        raise Reject("value_exact: false, and the result carries no branch-and-bound certificate to check an enclosure by")
    M = value_at(st, pt)
    for tp, where in tie_points:
        if not _same(value_at(st, tp), M):
            raise Reject(f"{where}: the claimed tie's exact EU is not the claimed optimum's")
    r = _rational(M)
    lo, hi = _enclosure(M)
    proofs = _own_regions(st, [pt] + [tp for tp, _ in tie_points], 320, checks)
    threshold = r if r is not None else lo
    tree = search(st, threshold, r, [p.region for p in proofs], targets=_targets([pt] + [tp for tp, _ in tie_points]))
    rep = replay(tree, st, threshold, r, [p.region for p in proofs])
    checks.append(f"the checker's own subdivision closed: {rep.leaves} cells, {rep.pruned} strictly below the claimed optimum"
                  + (f", {rep.weak} at most it" if rep.weak else "") + f", {sum(rep.in_region.values())} inside proved regions")
    _check_level_faces(st, rep.level, M, pt, tie_points, continua, None, checks)
    return _final_claims(st, data, M, (lo, hi), True, claimed_value, checks)


def _final_claims(st: Setup, data: Field, M: Any, enclosure: tuple[Fraction, Fraction], value_exact: bool, claimed_value: Any,
                  checks: list) -> tuple[Fraction, Fraction]:
    """value, value_interval and the value polynomial fields."""
    vi = data["value_interval"].items(length=2)
    clo, chi = vi[0].rational(), vi[1].rational()
    lo, hi = enclosure
    if M is not None:
        r = _rational(M)
        if r is not None:
            if not clo <= r <= chi:
                raise Reject(f"value_interval: [{show(clo)}, {show(chi)}] does not contain the proved maximum {show(r)}")
            checks.append(f"the maximum is exactly {show(r)} (exact value), inside the claimed value_interval")
        else:
            prec = 256
            while True:
                blo, bhi = bounds(to_ball(M, prec))
                if clo < blo and bhi < chi:
                    break
                if bhi < clo or blo > chi or prec > 8192:
                    raise Reject(f"value_interval: [{show(clo)}, {show(chi)}] does not contain the proved maximum {float(blo):.12g}")
                prec *= 2
        if value_exact:
            equals_claim(claimed_value, M, "value")
            cert = data.get("certificate")
            if cert is not None and cert.has("optimal_value_polynomial"):
                check_value_polynomial(cert["optimal_value_polynomial"], cert["optimal_value_root_index"],
                                       cert["optimal_value_isolating_interval"], M, checks)
            checks.append(f"value {str(claimed_value)[:80]} equals the proved maximum exactly (exact value)")
    else:
        if value_exact:
            raise Reject("value_exact: true, but the strategies are not proved to be the maximiser exactly")
        if not (clo <= lo and hi <= chi):
            raise Reject(f"value_interval: [{show(clo)}, {show(chi)}] does not contain the proved enclosure [{show(lo)}, {show(hi)}]")
        checks.append("value is not claimed exact (value_exact false): only the enclosure is proved")
    return lo, hi


# --------------------------------------------------------------------------- parametric results
def _check_parametric(game: Any, data: Field, checks: list) -> tuple[Fraction, Fraction] | None:
    name = data["parameter"].text(100)
    params = {str(s): s for s in game.parameters}
    if name not in params:
        raise Reject(f"parameter: the game has no parameter {name!r} (it has {sorted(params) or 'none'})")
    regimes = data["regimes"].items(limit=10**4)
    if not regimes:
        raise Reject("regimes: empty")
    prev = None
    for r in regimes:
        iv = r["interval"]
        lo_t, hi_t = iv["lower"].value, iv["upper"].value
        lo = None if lo_t is None or lo_t == "-oo" else parse_number(iv["lower"])
        hi = None if hi_t is None or hi_t == "oo" else parse_number(iv["upper"])
        if prev is not None and lo is not None and prev is not None and sympy.simplify(lo - prev) != 0:
            raise Reject(f"{iv.path}: the regimes are not contiguous ({prev} then {lo})")
        prev = hi
        s_f = r.get("sample")
        if s_f is None:
            raise Reject(f"{r.path}.sample: missing")
        s = parse_number(s_f)
        if not s.is_Rational:
            raise Reject(f"{s_f.path}: the sample point must be rational")
        if (lo is not None and (s < lo or (s == lo and not iv["lower_closed"].boolean()))) or \
                (hi is not None and (s > hi or (s == hi and not iv["upper_closed"].boolean()))):
            raise Reject(f"{s_f.path}: the sample point {s} lies outside its regime")
        sub = game.subs({name: s})
        sym = {name: params[name]}

        def at(f: Field) -> str:
            e = parse_number(f, list(sym))
            return str(e.subs({x: s for x in e.free_symbols if str(x) == name}))

        strategies = [{a: at(Field(v, f"{r.path}.strategies[{k}].{a}")) for a, v in o.obj().items()}
                      for k, o in enumerate(r["strategies"].items())]
        ties = []
        for t in (r["ties"].items() if r.has("ties") else []):
            text = t.text()
            body = text.split(":", 1)[1].strip() if text.startswith("at ") and ":" in text else text
            if "continuum" in body:
                continue  # a continuum at the sample point: covered by the checker's own weak pruning
            if not body.startswith("("):
                body = "(" + body + ",)"
            parts = split_tuple(body, t.path)
            parts = parts if parts and isinstance(parts[0], list) else [parts]
            ties.append("(" + ", ".join("(" + ", ".join(at(Field(e, t.path)) for e in p) + ",)" for p in parts) + ",)")
        point = {"value": at(r["value"]), "value_interval": None, "orbits": data["orbits"].value, "strategies": strategies,
                 "support": r["support"].value, "value_exact": True, "complete": True, "ties": ties, "certificate": {}}
        sub_checks: list[str] = []
        try:
            _check_point_claim(sub, point, sub_checks)
        except Reject as exc:
            raise Reject(f"{r.path} (sample {name} = {s}): {exc}") from None
        checks.append(f"regime {iv['lower'].value} .. {iv['upper'].value}: at the sample {name} = {s} the claimed optimum "
                      f"(value {point['value'][:40]}) is proved")
    checks.append("between sample points the regimes rest on the optimiser's symbolic argument (not proved by verify)")
    return None


def _check_point_claim(game: Any, point: dict, checks: list) -> tuple[Fraction, Fraction]:
    """A claimed optimum at a sample point: value and strategies, proved by the checker's own subdivision."""
    data = Field(point, "regime")
    n = game.n_players
    orbits = sorted(sorted(p - 1 for p in o) for o in point["orbits"])
    verified_orbits(game, None, orbits, checks)
    st = Setup(game, orbits)
    strategies = Field(point["strategies"], "regime.strategies")
    K, pt = exact_profile(st, strategies)
    del n, K
    M = value_at(st, pt)
    equals_claim(parse_value(data["value"]), M, "regime.value")
    tie_pts = []
    for k, t in enumerate(point["ties"]):
        expr = split_tuple(t, f"regime.ties[{k}]")
        if len(orbits) == 1 and expr and not isinstance(expr[0], list):
            expr = [expr]
        if len(expr) != len(orbits) or not all(isinstance(x, list) for x in expr):
            raise Reject(f"regime.ties[{k}]: expected a profile, got {t[:60]!r}")
        objs = [{a: str(x) for a, x in zip(st.actions[i], sgy)} for i, sgy in enumerate(expr)]
        _, tp = exact_profile(st, Field(objs, f"regime.ties[{k}]"))
        if not _same(value_at(st, tp), M):
            raise Reject(f"regime.ties[{k}]: the claimed tie's exact EU is not the claimed optimum's")
        tie_pts.append(tp)
    r = _rational(M)
    lo, hi = _enclosure(M)
    proofs = _own_regions(st, [pt] + tie_pts, 320, checks)
    threshold = r if r is not None else lo
    tree = search(st, threshold, r, [p.region for p in proofs], targets=_targets([pt] + tie_pts))
    replay(tree, st, threshold, r, [p.region for p in proofs])
    return lo, hi


def _targets(points: list) -> list:
    """The rational claimed maximisers, as Fractions (split targets of the checker's own search)."""
    out = []
    for p in points:
        rs = [[_rational(x) for x in xs] for xs in p]
        if all(v is not None for xs in rs for v in xs):
            out.append(rs)
    return out


# --------------------------------------------------------------------------- entry point
def check_certificate(game: Any, result: Any) -> CheckReport:
    """Re-verify an ``exactgames optimize`` result from scratch (see the soundness contract above).

    Parameters
    ----------
    game : Game or AnonymousGame
        The game the result claims to be about (parameters substituted, as with ``--set``).
    result : OptimumResult, or its ``to_json()`` dict, or a parametric result's JSON
        Any certificate kind issued so far.

    Returns
    -------
    CheckReport
        ``ok`` True only when every proved field re-verifies; ``not_proved``
        lists the fields verify does not prove.

    Examples
    --------
    >>> from exactgames.model.game import AnonymousGame
    >>> from exactgames.optimize.bnb import certified_optimum
    >>> g = AnonymousGame.from_function(3, ["a", "b"], {(3, 0): 2, (2, 1): 0, (1, 2): 1, (0, 3): 0})
    >>> data = certified_optimum(g).to_json()
    >>> check_certificate(g, data).ok
    True
    >>> data["certificate"]["tree"] = data["certificate"]["tree"][:-1]
    >>> check_certificate(g, data).errors
    ('subdivision tree ends early: some cells are missing',)
    """
    checks: list[str] = []
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # rationals are length-capped before conversion
    try:
        data = result.to_json() if hasattr(result, "to_json") else result
        if not isinstance(data, dict):
            raise Reject(f"the result must be a JSON object, got {type(data).__name__}")
        if data.get("kind") == "sequential-symmetric-v1":
            from proofs_check.checker.tree import check_tree

            vi, extra = check_tree(game, _root(data), checks, _check_optimum)
            return CheckReport(True, (), tuple(checks), vi, NOT_PROVED + extra)
        if "regimes" in data:
            vi = _check_parametric(game, _root(data), checks)
        else:
            vi = _check_optimum(game, _root(data), checks)
        return CheckReport(True, (), tuple(checks), vi, NOT_PROVED)
    except Reject as exc:
        return CheckReport(False, (str(exc),), tuple(checks), None, NOT_PROVED)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, ZeroDivisionError, OverflowError,
            RecursionError, MemoryError) as exc:
        return CheckReport(False, (f"malformed certificate: {type(exc).__name__}: {str(exc)[:200]}",), tuple(checks), None,
                           NOT_PROVED)
    except Exception as exc:  # noqa: BLE001 - sympy / flint raise many kinds on forged input
        name = type(exc).__name__
        if name in ("ExactError", "PolynomialError", "CoercionFailed", "NotAlgebraic", "SympifyError", "GeneratorsNeeded",
                    "DomainError", "NotInvertible", "ComputationFailed"):
            return CheckReport(False, (f"malformed certificate: {name}: {str(exc)[:200]}",), tuple(checks), None, NOT_PROVED)
        raise
    finally:
        sys.set_int_max_str_digits(old)


class _Root(Field):
    """The result object itself: its fields print without a prefix (``value``, ``certificate.tree[3]``)."""

    def __getitem__(self, key: str | int) -> Field:
        got = super().__getitem__(key)
        got.path = got.path.lstrip(".")
        return got


def _root(data: dict) -> Field:
    return _Root(data, "")
