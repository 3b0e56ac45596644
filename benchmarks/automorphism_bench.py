"""Game automorphisms (issue 15) against the player-only pruned search and brute force over n!.

Targets: dense 10-player 3-action game within 3x the time to read its file; 12-player 3-action
(531,441 profiles) under 60 s; 3-player 50-action under 10 s.  Games: random common payoffs in 0..3
that depend only on the multiset of actions (so Γ(G) = S_n), plus an action swap planted on two actions.
Run: python benchmarks/automorphism_bench.py
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time

from exactgames.io import read_game, write_game
from exactgames.model.game import Game
from exactgames.symmetry import symmetry_group, symmetry_group_bruteforce
from exactgames.symmetry.automorphisms import automorphism_group


def game(n: int, m: int, seed: int = 1) -> Game:
    rng = random.Random(seed)
    vals: dict = {}
    swap = {0: 1, 1: 0}

    def u(p):
        c = [int(x) for x in p]
        key = tuple(sorted(c))
        key2 = tuple(sorted(swap.get(x, x) for x in c))
        k = min(key, key2)  # invariant under renaming actions 0 <-> 1 for every player
        return vals.setdefault(k, rng.randint(0, 3))

    return Game.from_common([[str(k) for k in range(m)]] * n, u)


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main() -> None:
    import igraph  # noqa: F401  (import cost ~1.3 s, measured apart)

    rows = []
    for n, m, target in [(10, 3, "3x read"), (12, 3, "60 s"), (3, 50, "10 s")]:
        g = game(n, m)
        read_t = None
        if n * 0 + m ** n <= 60000:
            with tempfile.TemporaryDirectory() as d:
                p = os.path.join(d, "g.toml")
                write_game(g, p)
                g, read_t = timed(lambda: read_game(p))
        res, t_aut = timed(lambda: automorphism_group(g))
        old, t_old = timed(lambda: symmetry_group(g))
        try:
            _, t_bf = timed(lambda: symmetry_group_bruteforce(g, time_limit=30))
            bf = f"{t_bf:.2f} s"
        except Exception:  # noqa: BLE001
            bf = "> 30 s"
        rows.append((f"{n}x{m}", m ** n, read_t, t_aut, res.order, res.player_only.order, t_old, old.order, bf, target))
        print(rows[-1], flush=True)
    print("| game | profiles | read file | automorphisms (graph) | |Aut| | |Γ(G)| | pruned player search | brute force n! | target |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        rd = f"{r[2]:.2f} s" if r[2] is not None else "(in memory)"
        print(f"| {r[0]} | {r[1]} | {rd} | {r[3]:.2f} s | {r[4]} | {r[5]} | {r[6]:.2f} s (order {r[7]}) | {r[8]} | {r[9]} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
