"""Parametric results: each regime's optimum proved at its rational sample point, and the regimes contiguous.

Examples
--------
>>> from exactgames.model.game import AnonymousGame
>>> g = AnonymousGame.from_function(2, ["a", "b"], {(2, 0): 1, (1, 1): 0, (0, 2): 1})
>>> regime = {"value": "1", "orbits": [[1, 2]], "strategies": [{"a": "1", "b": "0"}], "ties": ["((0, 1),)"]}
>>> check_point_claim(g, regime, [])
(Fraction(1, 1), Fraction(1, 1))
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import sympy

from proofs_check.checker.certificate import _enclosure, _rational, _same, _targets
from proofs_check.checker.claims import (
    equals_claim,
    exact_profile,
    parse_number,
    parse_value,
    split_tuple,
    value_at,
)
from proofs_check.checker.groups import verified_orbits
from proofs_check.checker.numbers import Field, Reject
from proofs_check.checker.optimum import _own_regions
from proofs_check.checker.polynomial import Setup
from proofs_check.checker.subdivision import replay, search


# --------------------------------------------------------------------------- parametric results
def check_parametric(game: Any, data: Field, checks: list) -> tuple[Fraction, Fraction] | None:
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
            check_point_claim(sub, point, sub_checks)
        except Reject as exc:
            raise Reject(f"{r.path} (sample {name} = {s}): {exc}") from None
        checks.append(f"regime {iv['lower'].value} .. {iv['upper'].value}: at the sample {name} = {s} the claimed optimum "
                      f"(value {point['value'][:40]}) is proved")
    checks.append("between sample points the regimes rest on the optimiser's symbolic argument (not proved by verify)")
    return None


def check_point_claim(game: Any, point: dict, checks: list) -> tuple[Fraction, Fraction]:
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
