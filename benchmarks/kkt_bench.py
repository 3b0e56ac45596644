"""Benchmark of the exact KKT route on random totally symmetric games.

For each size (players x actions) it draws seeded random anonymous games
(common payoff depending only on the action counts; payoffs are small
random rationals k/8 with -8 <= k <= 8) and times, in-process:

* ``enumeration``: the full exact KKT enumeration over every support,
  :func:`exactgames.optimize.kkt.kkt_optimum`, with a per-game time limit
  (default 10 s);
* ``optimize``: the dispatcher :func:`exactgames.optimize.api.optimize`
  (the certified branch-and-bound proves the support when it is available,
  then the exact KKT points of that support give the closed form).

It prints, per size, the share of games finishing (complete) within the
limit and the median and maximum time of those that finished.

Usage::

    python benchmarks/kkt_bench.py                 # 3 games per size (about 5 minutes at most)
    python benchmarks/kkt_bench.py --games 20      # more games per size
    python benchmarks/kkt_bench.py --players 2 3 --actions 2 3 --limit 5
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from fractions import Fraction

from exactgames.model.counts import count_vectors
from exactgames.model.game import AnonymousGame
from exactgames.optimize.api import optimize
from exactgames.optimize.kkt import kkt_optimum


def random_game(n: int, m: int, rng: random.Random) -> AnonymousGame:
    """A random anonymous common-payoff game with payoffs in {-1, -7/8, ..., 1}."""
    table = {c: Fraction(rng.randint(-8, 8), 8) for c in count_vectors(n, m)}
    return AnonymousGame.from_function(n, [f"a{k}" for k in range(m)], table, title=f"random {n}x{m}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--games", type=int, default=3, help="games per size (default 3)")
    ap.add_argument("--players", type=int, nargs="+", default=[2, 3, 4, 5])
    ap.add_argument("--actions", type=int, nargs="+", default=[2, 3, 4])
    ap.add_argument("--limit", type=float, default=10.0, help="time limit per game in seconds (default 10)")
    ap.add_argument("--seed", type=int, default=2022)
    args = ap.parse_args(argv)
    sys.set_int_max_str_digits(0)  # exact values may have huge integers
    print(f"exact KKT route, {args.games} random games per size, time limit {args.limit:g} s, seed {args.seed}")
    header = (
        f"{'players':>7} {'actions':>7} | {'enumeration':>11} {'median s':>9} {'max s':>8} | "
        f"{'optimize':>8} {'median s':>9} {'max s':>8} {'exact':>5} | {'mixed':>5}"
    )
    print(header)
    print("-" * len(header))
    for n in args.players:
        for m in args.actions:
            rng = random.Random(f"{args.seed}-{n}-{m}")
            cols = []
            mixed = exact = 0
            games = [random_game(n, m, rng) for _ in range(args.games)]
            for route in (kkt_optimum, optimize):
                times = []
                for g in games:
                    t0 = time.perf_counter()
                    r = route(g, None, time_limit=args.limit)
                    dt = time.perf_counter() - t0
                    if r.complete and dt <= args.limit:
                        times.append(dt)
                        if route is optimize:
                            mixed += r.mixed
                            exact += r.value_exact
                med = f"{statistics.median(times):9.3f}" if times else f"{'-':>9}"
                mx = f"{max(times):8.3f}" if times else f"{'-':>8}"
                share = f"{len(times)}/{len(games)} {len(times) / len(games):4.0%}"
                cols.append((share, med, mx))
            (s1, m1, x1), (s2, m2, x2) = cols
            print(f"{n:>7} {m:>7} | {s1:>11} {m1} {x1} | {s2:>8} {m2} {x2} {exact:>5} | {mixed:>5}")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
