"""Benchmark of the exact KKT route on random totally symmetric games.

For each size (players x actions) it draws seeded random anonymous games
(common payoff depending only on the action counts; payoffs are small
random rationals k/8 with -8 <= k <= 8) and times
:func:`exactgames.optimize.kkt.kkt_optimum` with a per-game time limit
(default 10 s).  It prints, per size, the median and maximum time of the
games that finished and the share finishing within the limit.

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

from exactgames.model.game import AnonymousGame, count_vectors
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
    print(f"exact KKT route, {args.games} random games per size, time limit {args.limit:g} s, seed {args.seed}")
    header = f"{'players':>7} {'actions':>7} {'finished':>9} {'share':>6} {'median s':>9} {'max s':>8} {'mixed':>6}"
    print(header)
    print("-" * len(header))
    for n in args.players:
        for m in args.actions:
            rng = random.Random(f"{args.seed}-{n}-{m}")
            times, done, mixed = [], 0, 0
            for _ in range(args.games):
                g = random_game(n, m, rng)
                t0 = time.perf_counter()
                r = kkt_optimum(g, None, time_limit=args.limit)
                dt = time.perf_counter() - t0
                if r.complete and dt <= args.limit:
                    done += 1
                    times.append(dt)
                    mixed += r.mixed
            med = f"{statistics.median(times):9.3f}" if times else f"{'-':>9}"
            mx = f"{max(times):8.3f}" if times else f"{'-':>8}"
            print(f"{n:>7} {m:>7} {done:>5}/{args.games:<3} {done / args.games:6.0%} {med} {mx} {mixed:>6}")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
