"""Reading results: the certificate kinds issued so far in one form, and the exact helpers shared by the checks.

Examples
--------
>>> _regions_and_tree(Field({"kind": "bnb-simplex-v1", "n": 2, "m": 2, "threshold": "1", "tree": [[0, 1], ["p"], ["p"]]},
...                         "certificate"), 2)["tree"]
[[0, 0, 1], ['p'], ['p']]
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import sympy
from flint import fmpq

from proofs_check.checker.claims import (
    lift,
    to_ball,
)
from proofs_check.checker.numbers import MAX_PREC, Field, Reject, bounds
from proofs_check.checker.polynomial import Setup
from proofs_check.checker.regions import Region

MAX_REGIONS = 5000
KINDS = ("bnb-simplex-v1", "bnb-product-v1", "exactgames-optimum-v2")
#: result kinds checked by their own module (the result's top-level ``kind``): kind -> module with ``check_<name>``
RESULT_KINDS = {"automorphism-invariant-v1": "proofs_check.checker.automorphism"}
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



class _Root(Field):
    """The result object itself: its fields print without a prefix (``value``, ``certificate.tree[3]``)."""

    def __getitem__(self, key: str | int) -> Field:
        got = super().__getitem__(key)
        got.path = got.path.lstrip(".")
        return got


def _root(data: dict) -> Field:
    return _Root(data, "")


def _targets(points: list) -> list:
    """The rational claimed maximisers, as Fractions (split targets of the checker's own search).

    Examples
    --------
    >>> _targets([[[fmpq(1, 2), fmpq(1, 2)]]])
    [[[Fraction(1, 2), Fraction(1, 2)]]]
    """
    out = []
    for p in points:
        rs = [[_rational(x) for x in xs] for xs in p]
        if all(v is not None for xs in rs for v in xs):
            out.append(rs)
    return out


