"""Benchmark: exact symmetric expected utility of a dense 5-player 5-action game.

Compares the python-flint path (``symmetric_eu_mpoly`` evaluated at rational
points) with plain sympy substitution into ``symmetric_eu_polynomial``, on the
same random rational game and the same random rational points, and prints the
ratio.  Both answers are checked to be identical.

    python benchmarks/eu_bench.py [--points 20] [--seed 0] [--only flint|sympy]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from fractions import Fraction

import flint
import sympy

from exactgames.model import Game, symmetric_eu_mpoly, symmetric_eu_polynomial


def random_symmetric_game(n: int, m: int, seed: int) -> Game:
    """A dense totally symmetric game with payoffs k/100 (one value per count vector)."""
    rng = random.Random(seed)
    by_counts: dict = {}

    def u(p: tuple[str, ...]) -> Fraction:
        c = tuple(p.count(a) for a in acts)
        return by_counts.setdefault(c, Fraction(rng.randint(-100, 100), 100))

    acts = [f"a{k}" for k in range(m)]
    return Game.from_common([acts] * n, u)


def random_points(m: int, count: int, seed: int) -> list[list[Fraction]]:
    rng = random.Random(seed + 1)
    pts = []
    for _ in range(count):
        w = [rng.randint(1, 1000) for _ in range(m)]
        pts.append([Fraction(x, sum(w)) for x in w])
    return pts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--players", type=int, default=5)
    ap.add_argument("--actions", type=int, default=5)
    ap.add_argument("--points", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", choices=["flint", "sympy"])
    args = ap.parse_args(argv)
    n, m = args.players, args.actions
    game = random_symmetric_game(n, m, args.seed)
    orbits = [list(range(n))]
    pts = random_points(m, args.points, args.seed)
    results = {}
    timings = {}
    if args.only in (None, "flint"):
        t0 = time.perf_counter()
        poly, _ = symmetric_eu_mpoly(game, orbits)
        t1 = time.perf_counter()
        vals = [poly(*[flint.fmpq(x.numerator, x.denominator) for x in p]) for p in pts]
        t2 = time.perf_counter()
        results["flint"] = [Fraction(int(v.p), int(v.q)) for v in vals]
        timings["flint"] = (t1 - t0, (t2 - t1) / len(pts))
    if args.only in (None, "sympy"):
        t0 = time.perf_counter()
        eu = symmetric_eu_polynomial(game, orbits)
        t1 = time.perf_counter()
        vals = []
        for p in pts:
            sub = {v: sympy.Rational(x.numerator, x.denominator) for v, x in zip(eu.variables[0], p)}
            vals.append(eu.expr.subs(sub))
        t2 = time.perf_counter()
        results["sympy"] = [Fraction(int(v.p), int(v.q)) for v in vals]
        timings["sympy"] = (t1 - t0, (t2 - t1) / len(pts))
    print(f"dense {n}-player {m}-action game ({m ** n} profiles), {len(pts)} rational points, seed {args.seed}")
    print(f"{'path':8} {'build (s)':>10} {'per evaluation (s)':>20}")
    for k, (b, e) in timings.items():
        print(f"{k:8} {b:10.4f} {e:20.6f}")
    if len(results) == 2:
        if results["flint"] != results["sympy"]:
            print("MISMATCH between flint and sympy values", file=sys.stderr)
            return 1
        ratio = timings["sympy"][1] / timings["flint"][1]
        print(f"identical exact values; evaluation speed-up flint vs sympy substitution: {ratio:.1f}x")
        total = (timings["sympy"][0] + timings["sympy"][1] * len(pts)) / (timings["flint"][0] + timings["flint"][1] * len(pts))
        print(f"including building the polynomial: {total:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
