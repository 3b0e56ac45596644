"""Game automorphisms (issue 15): the graph route against reading the file, the player-only pruned search and brute force.

Targets: dense 10-player 3-action game within 3x the time to read its file; 12-player 3-action
(531,441 profiles) under 60 s; 3-player 50-action under 10 s.  Games: random common payoffs in 0..3
that depend only on the multiset of actions up to renaming actions 0 <-> 1 (so Γ(G) = S_n and the
automorphism group is twice as large).  Everything in one run, each figure the median of ``--reps`` runs:

* read: ``read_game`` of the game's ``.nfg`` file;
* graph (per library): ``automorphism_group(game, backend)``, the whole call (two colour-preserving
  graph automorphism searches -- all automorphisms, then Γ(G) with action vertices coloured by name --,
  exact verification of every generator, sympy group order); the two searches are also timed alone;
* pruned: ``symmetry_group`` (the player-only search, Γ(G) only);
* brute force: ``symmetry_group_bruteforce`` over n! permutations (30 s limit).

pynauty (dense nauty) is only run up to ``--nauty-max`` profiles: on 9-player 3-action (19,683
profiles) one search took 494 s.

Run: python benchmarks/automorphism_bench.py [--reps 3] [--cases 10x3,12x3,3x50] [--backends igraph,bliss,nauty]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time

from exactgames.io import read_game, write_game
from exactgames.model.game import Game
from exactgames.symmetry import BruteForceTimeout, symmetry_group, symmetry_group_bruteforce
from exactgames.symmetry import automorphism_search as A
from exactgames.symmetry.automorphisms import _codes


def game(n: int, m: int, seed: int = 1) -> Game:
    rng = random.Random(seed)
    vals: dict = {}
    swap = {0: 1, 1: 0}

    def u(p):
        c = [int(x) for x in p]
        key = tuple(sorted(c))
        key2 = tuple(sorted(swap.get(x, x) for x in c))
        return vals.setdefault(min(key, key2), rng.randint(0, 3))

    return Game.from_common([[str(k) for k in range(m)]] * n, u)


def median_time(fn, reps: int):
    out, ts = None, []
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t)
    return out, statistics.median(ts)


def searches(g: Game, backend: str, reps: int) -> tuple[float, float]:
    """The two graph searches alone (all automorphisms; Γ(G) with name colours)."""
    codes, common = _codes(g)
    out = []
    for colours in (None, A._name_colours(tuple(tuple(a) for a in g.actions))):
        N, E, col = A.automorphism_graph(codes, common, colours)
        _, t = median_time(lambda: A.graph_generators(N, E, col, backend), reps)
        out.append(t)
    return out[0], out[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--cases", default="8x3,10x3,12x3,3x50")
    ap.add_argument("--backends", default="igraph,bliss,nauty")
    ap.add_argument("--nauty-max", type=int, default=7000)
    a = ap.parse_args()
    import igraph  # noqa: F401  (import and first-call costs measured apart below)

    A.graph_generators(3, A.np.array([[0, 1], [1, 2]]), A.np.array([0, 1, 0]), "igraph")  # igraph's one-off set-up
    rows = []
    for case in a.cases.split(","):
        n, m = (int(x) for x in case.split("x"))
        g, t_read = game(n, m), None
        if m ** n <= 10**6 and n * m ** n <= 2 * 10**6:  # the .nfg reader's limit (12 x 3 is kept in memory: no file to read)
            with tempfile.TemporaryDirectory() as d:
                p = os.path.join(d, "g.nfg")
                write_game(g, p)
                g, t_read = median_time(lambda: read_game(p), a.reps)
        row = {"case": case, "profiles": m ** n, "read": t_read}
        for b in a.backends.split(","):
            if b == "nauty" and m ** n > a.nauty_max:
                row[b] = None
                continue
            res, t = median_time(lambda: A.automorphism_group(g, backend=b), a.reps)
            s_full, s_named = searches(g, b, a.reps)
            row[b] = (t, s_full, s_named)
            row["order"], row["gamma"] = res.order, res.player_only.order
        old, row["pruned"] = median_time(lambda: symmetry_group(g), a.reps)
        assert old.order == row["gamma"], (old.order, row["gamma"])
        try:
            _, t_bf = median_time(lambda: symmetry_group_bruteforce(g, time_limit=30), 1)
            row["brute"] = f"{t_bf:.2f} s"
        except BruteForceTimeout:
            row["brute"] = "> 30 s (limit)"
        rows.append(row)
        print(row, flush=True)
    backs = a.backends.split(",")
    print()
    print("| game | profiles | read .nfg | " + " | ".join(f"{b}: whole call (search all / search Γ)" for b in backs)
          + " | graph / read (" + backs[0] + ") | |Aut| | |Γ(G)| | pruned player search | brute force n! |")
    print("| --- " * (8 + len(backs)) + "|")
    for r in rows:
        cells = []
        for b in backs:
            v = r[b]
            cells.append("not run" if v is None else f"{v[0]:.2f} s ({v[1]:.2f} / {v[2]:.2f})")
        first = r[backs[0]]
        ratio = f"{first[0] / r['read']:.2f}x" if first and r["read"] else "-"
        read = f"{r['read']:.2f} s" if r["read"] else "(in memory)"
        print(f"| {r['case']} | {r['profiles']} | {read} | " + " | ".join(cells)
              + f" | {ratio} | {r['order']} | {r['gamma']} | {r['pruned']:.3f} s | {r['brute']} |")
    print(f"(medians of {a.reps} runs in one process, {time.strftime('%Y-%m-%d %H:%M')}, load {os.getloadavg()[0]:.1f})")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
