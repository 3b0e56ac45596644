"""Before/after the redesign of ``optimize/`` (issue 13): the same games through two checkouts, in one run.

Usage::

    python benchmarks/redesign_bench.py --before /path/to/old/checkout [--after .] [--reps 3] [--games 3]

Each repetition runs one child process per checkout, alternately (before, after, before, after, ...), so
both see the same machine.  A child imports ``exactgames`` from its checkout only (``PYTHONPATH``) and
times, in process, ``exactgames.optimize.optimize(game, orbits, time_limit=60)`` on:

* GAMUT RandomGame (scale "code", exact rationals) of 2-5 players x 2-5 actions and the large targets
  8x5, 6x6, 10x4 (one orbit, ``--games`` seeds each), as ``benchmarks/optimize_bench.py``;
* the dense games with several orbits of ``benchmarks/optimize_product_bench.py`` (payoff a function of
  the action counts per orbit).

Per size it prints the median wall time over games and repetitions for each checkout, the ratio
after/before (acceptance: no size above 1.15; 8x5, 6x6 and 10x4 under 1 s), the same for the child's CPU
time (``time.process_time``: less sensitive to other processes on a shared machine, printed beside it,
not the acceptance figure), whether every answer was complete in both, and whether the two checkouts
agree on the value.  Then the whole command ``python -m exactgames.cli optimize examples/games/r55.toml
--json`` (wall, median of ``--reps`` runs each, alternating; target under 1 s), twice: with the
environment as it is (with ``PYTHONDONTWRITEBYTECODE`` set every module is compiled from source on every
run) and with a bytecode cache (``PYTHONPYCACHEPREFIX``, one directory per checkout under a temporary
directory, filled by an untimed run first: what an installed package or a second run sees).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ONE_ORBIT = [(n, m) for n in range(2, 6) for m in range(2, 6)] + [(8, 5), (6, 6), (10, 4)]
ORBITS = [
    ("6p 3+3 x3", [[0, 1, 2], [3, 4, 5]], 3),
    ("4p 2+2 x4", [[0, 1], [2, 3]], 4),
    ("6p 2+2+2 x3", [[0, 1], [2, 3], [4, 5]], 3),
    ("4p 2+2 x2", [[0, 1], [2, 3]], 2),
    ("5p 2+2+1 x2", [[0, 1], [2, 3], [4]], 2),
]

CHILD = r"""
import json, random, sys, time
from fractions import Fraction
from exactgames.experiments.generators import generate
from exactgames.model.game import Game
from exactgames.optimize import optimize
games, one, orbs = json.loads(sys.argv[1])

def orbit_game(orbits, m, seed, den=10**6):
    rnd = random.Random(seed)
    acts = "abcdefgh"[:m]
    n = sum(len(o) for o in orbits)
    table = {}
    def u(prof):
        key = tuple(tuple(sum(1 for p in o if prof[p] == a) for a in acts) for o in orbits)
        return table.setdefault(key, Fraction(rnd.randint(0, den), den))
    return Game.from_common([list(acts)] * n, u)

optimize(generate("random", 2, 2, 0), time_limit=60)  # imports and first-call set-up, not timed
out = {}
for n, m in one:
    for s in range(games):
        g = generate("random", n, m, s)
        t, c = time.perf_counter(), time.process_time()
        r = optimize(g, time_limit=60)
        out[f"{n}x{m}/{s}"] = (time.perf_counter() - t, bool(r.complete), str(r.value_interval[0]), time.process_time() - c)
for label, orbits, m in orbs:
    for s in range(games):
        g = orbit_game(orbits, m, s)
        t, c = time.perf_counter(), time.process_time()
        r = optimize(g, orbits=orbits, time_limit=60)
        out[f"{label}/{s}"] = (time.perf_counter() - t, bool(r.complete), str(r.value_interval[0]), time.process_time() - c)
print(json.dumps(out))
"""


def child(tree: str, games: int) -> dict:
    env = dict(os.environ, PYTHONPATH=os.path.abspath(tree))
    arg = json.dumps([games, ONE_ORBIT, ORBITS])
    p = subprocess.run([sys.executable, "-c", CHILD, arg], capture_output=True, text=True, env=env, cwd="/")
    if p.returncode != 0:
        raise SystemExit(f"child for {tree} failed:\n{p.stderr[-2000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def whole_command(tree: str, cache: str | None = None) -> float:
    """Wall time of the r55 command; ``cache``: a bytecode cache directory (else the environment as it is)."""
    env = dict(os.environ, PYTHONPATH=os.path.abspath(tree))
    if cache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = cache
    game = os.path.join(os.path.abspath(tree), "examples", "games", "r55.toml")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "exactgames.cli", "optimize", game, "--json"], capture_output=True, env=env,
                   cwd="/", check=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", required=True, help="checkout before the redesign")
    ap.add_argument("--after", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--games", type=int, default=3)
    ap.add_argument("--sizes", help="comma-separated subset of the one-orbit sizes (e.g. 6x6,10x4); no orbit games")
    a = ap.parse_args()
    global ONE_ORBIT, ORBITS
    if a.sizes:
        ONE_ORBIT = [tuple(int(x) for x in s.split("x")) for s in a.sizes.split(",")]
        ORBITS = []
    runs: dict[str, list[dict]] = {"before": [], "after": []}
    cmd: dict[str, list[float]] = {"before": [], "after": []}
    cached: dict[str, list[float]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory(prefix="redesign_bench_pyc_") as tmp:
        caches = {name: os.path.join(tmp, name) for name in runs}
        for name, tree in (("before", a.before), ("after", a.after)):
            whole_command(tree, caches[name])  # fills the bytecode cache (not timed)
        for rep in range(a.reps):
            for name, tree in (("before", a.before), ("after", a.after)):
                runs[name].append(child(tree, a.games))
                cmd[name].append(whole_command(tree))
                cached[name].append(whole_command(tree, caches[name]))
                print(f"rep {rep + 1}/{a.reps} {name} done", file=sys.stderr, flush=True)
    sizes = [f"{n}x{m}" for n, m in ONE_ORBIT] + [label for label, _, _ in ORBITS]
    print(f"load average {' '.join(open('/proc/loadavg').read().split()[:3])} (1, 5, 15 min) at the end; {a.reps} repetitions")
    print("| size | before median | after median | after/before | CPU before | CPU after | CPU after/before | complete (both) "
          "| same value |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    worst = 0.0
    for size in sizes:
        keys = [k for k in runs["after"][0] if k.split("/")[0] == size]
        tb = [r[k][0] for r in runs["before"] for k in keys]
        ta = [r[k][0] for r in runs["after"] for k in keys]
        cb = [r[k][3] for r in runs["before"] for k in keys]
        ca = [r[k][3] for r in runs["after"] for k in keys]
        complete = all(r[k][1] for side in runs.values() for r in side for k in keys)
        same = all(runs["before"][0][k][2] == runs["after"][0][k][2] for k in keys)
        mb, ma = statistics.median(tb), statistics.median(ta)
        ratio = ma / mb if mb > 0 else float("inf")
        worst = max(worst, ratio)
        cmb, cma = statistics.median(cb), statistics.median(ca)
        cratio = cma / cmb if cmb > 0 else float("inf")
        print(f"| {size} | {mb:.3f} s | {ma:.3f} s | {ratio:.2f} | {cmb:.3f} s | {cma:.3f} s | {cratio:.2f} "
              f"| {'yes' if complete else 'NO'} | {'yes' if same else 'NO'} |")
    mb, ma = statistics.median(cmd["before"]), statistics.median(cmd["after"])
    print(f"\nwhole command `optimize examples/games/r55.toml --json`: before {mb:.3f} s, after {ma:.3f} s "
          f"(ratio {ma / mb:.2f}; target < 1 s; PYTHONDONTWRITEBYTECODE {'set' if os.environ.get('PYTHONDONTWRITEBYTECODE') else 'unset'})")
    mb, ma = statistics.median(cached["before"]), statistics.median(cached["after"])
    print(f"whole command with a bytecode cache: before {mb:.3f} s, after {ma:.3f} s (ratio {ma / mb:.2f})")
    print(f"largest per-size ratio after/before: {worst:.2f} (acceptance: <= 1.15)")


if __name__ == "__main__":
    main()
