"""Certified optimiser on a product of simplices vs the exact KKT enumeration (several orbits).

Usage::

    python benchmarks/optimize_product_bench.py [--games G] [--seed S] [--kkt-time-limit T] [--quick]

For dense common-payoff games with a subgroup P of several orbits (the payoff
is a function of the action counts per orbit with random rationals, so P is a
symmetry) it times, in process, ``certified_optimum_product`` (tensor
Bernstein branch and bound, :mod:`exactgames.optimize.bnb`) and
``kkt_optimum(game, orbits, time_limit=T)`` (the exact KKT route that
``optimize()`` falls back to today), prints the median of each, their ratio,
how many games each finished, and how many finished answers disagree (value
beyond 1e-9 or support).  Sizes: 6 players in 2 orbits of 3 with 3 actions,
4 players in 2 orbits of 2 with 4 actions, 6 players in 3 orbits of 2 with 3
actions; then two small sizes (2 actions) where the KKT route finishes, as
a cross-check.  The independent checker's time (``proofs_check.checker``)
is reported too.  A KKT run that hits its time limit counts with its full limit in
the median (a lower bound of its true time).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from exactgames.model.game import Game  # noqa: E402
from exactgames.optimize.bnb import certified_optimum_product  # noqa: E402
from exactgames.optimize.kkt import kkt_optimum  # noqa: E402
from proofs_check.checker import check_certificate  # noqa: E402

SIZES = [
    ("6 players, orbits 3+3, 3 actions", [[0, 1, 2], [3, 4, 5]], 3),
    ("4 players, orbits 2+2, 4 actions", [[0, 1], [2, 3]], 4),
    ("6 players, orbits 2+2+2, 3 actions", [[0, 1], [2, 3], [4, 5]], 3),
    # small sizes where the KKT enumeration finishes: a cross-check of the answers
    ("4 players, orbits 2+2, 2 actions", [[0, 1], [2, 3]], 2),
    ("5 players, orbits 2+2+1, 2 actions", [[0, 1], [2, 3], [4]], 2),
]


def orbit_game(orbits: list[list[int]], m: int, seed: int, den: int = 10**6) -> Game:
    """Common payoff depending only on the action counts per orbit (random rationals with denominator ``den``)."""
    rnd = random.Random(seed)
    acts = "abcdefgh"[:m]
    n = sum(len(o) for o in orbits)
    table: dict = {}

    def u(prof: tuple[str, ...]) -> Fraction:
        key = tuple(tuple(sum(1 for p in o if prof[p] == a) for a in acts) for o in orbits)
        return table.setdefault(key, Fraction(rnd.randint(0, den), den))

    return Game.from_common([list(acts)] * n, u)


def _timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def run(games: int, seed: int, kkt_limit: float) -> list[dict]:
    rows = []
    for label, orbits, m in SIZES:
        tb, tk, tc, done_b, done_k, disagree, refused = [], [], [], 0, 0, 0, 0
        for k in range(games):
            g = orbit_game(orbits, m, seed + k)
            rb, dt_b = _timed(certified_optimum_product, g, orbits)
            if rb.complete:
                rep, dt_c = _timed(check_certificate, g, rb)
                tc.append(dt_c)
                refused += not rep.ok
            rk, dt_k = _timed(kkt_optimum, g, orbits, time_limit=kkt_limit)
            tb.append(dt_b)
            tk.append(dt_k)
            done_b += rb.complete
            done_k += rk.complete
            if rb.complete and rk.complete:
                lo, hi = rk.value_interval
                if abs(float(lo) - float(rb.value_interval[0])) > 1e-9 or rb.support != rk.support:
                    disagree += 1
            print(f"  {label} game {seed + k}: certified {dt_b:.2f} s ({'done' if rb.complete else 'incomplete'}), "
                  f"KKT {dt_k:.2f} s ({'done' if rk.complete else 'incomplete'})", flush=True)
        mb, mk = statistics.median(tb), statistics.median(tk)
        rows.append({"size": label, "games": games, "certified_median_s": mb, "kkt_median_s": mk,
                     "ratio": mk / mb if mb > 0 else float("inf"), "certified_done": done_b, "kkt_done": done_k,
                     "disagree": disagree, "certified_max_s": max(tb), "check_median_s": statistics.median(tc) if tc else 0.0,
                     "refused": refused})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--games", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--kkt-time-limit", type=float, default=10.0)
    ap.add_argument("--quick", action="store_true", help="2 games per size, KKT limit 3 s")
    args = ap.parse_args()
    games, limit = (2, 3.0) if args.quick else (args.games, args.kkt_time_limit)
    rows = run(games, args.seed, limit)
    print()
    print(f"{'size':38s} {'games':>5s} {'certified (median)':>19s} {'KKT (median)':>13s} {'ratio':>7s} "
          f"{'certified done':>15s} {'KKT done':>9s} {'disagree':>9s} {'check (median)':>15s} {'refused':>8s}")
    for r in rows:
        print(f"{r['size']:38s} {r['games']:5d} {r['certified_median_s']:17.3f} s {r['kkt_median_s']:11.3f} s "
              f"{r['ratio']:6.1f}x {r['certified_done']:>10d}/{r['games']:<4d} {r['kkt_done']:>4d}/{r['games']:<4d} {r['disagree']:>9d} "
              f"{r['check_median_s']:13.3f} s {r['refused']:>8d}")
    print(f"(KKT runs stop at {limit} s; an unfinished run counts with its full limit, so its median and the ratio are lower bounds)")


if __name__ == "__main__":
    main()
