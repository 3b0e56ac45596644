"""Certified global optimiser vs the paper's numeric pipeline (issue 5 targets).

Usage::

    python benchmarks/optimize_bench.py [--games G] [--seed S] [--quick]

For every size of GAMUT RandomGame (2-5 players x 2-5 actions, scale "code",
exact rational payoffs) it times, in process, ``certified_optimum`` and the
paper's pipeline (10 SLSQP + 10 replicator runs, vectorised EU), prints the
median of each and their ratio, and counts how often the pipeline's best
differs from the certified optimum in value (> 1e-9) or in support.  Then the
large targets (8x5, 6x6, 10x4; target < 1 s each), one 5x5 game (target
< 0.25 s in process) and the whole command ``python -m exactgames.cli
optimize`` on a 5x5 game file (target < 1 s), when that command exists.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from exactgames.experiments.baselines import run_baselines  # noqa: E402
from exactgames.experiments.generators import generate  # noqa: E402
from exactgames.optimize.bnb import certified_optimum  # noqa: E402


def _timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def _pipeline_support(strategy) -> tuple[int, ...]:
    x = np.asarray(strategy)
    return tuple(int(a) for a in np.nonzero(~np.isclose(x, 0.0, atol=1e-6))[0])


def grid(games: int, seed: int, sizes: list[tuple[int, int]]) -> list[dict]:
    rows = []
    for n, m in sizes:
        tc, tp, wrong_v, wrong_s, incomplete = [], [], 0, 0, 0
        for k in range(games):
            g = generate("random", n, m, seed + k)
            r, dt = _timed(certified_optimum, g)
            tc.append(dt)
            b, dtp = _timed(run_baselines, g, seed + k)
            tp.append(dtp)
            if not r.complete:
                incomplete += 1
                continue
            lo, hi = r.value_interval
            if abs(b.best_value - float((lo + hi) / 2)) > 1e-9:
                wrong_v += 1
            if _pipeline_support(b.best_strategy) != r.support[0]:
                wrong_s += 1
        row = {
            "size": f"{n}x{m}",
            "games": games,
            "certified_median_s": statistics.median(tc),
            "certified_max_s": max(tc),
            "pipeline_median_s": statistics.median(tp),
            "ratio": statistics.median(tp) / statistics.median(tc),
            "value_differs": wrong_v,
            "support_differs": wrong_s,
            "incomplete": incomplete,
        }
        rows.append(row)
        print(
            f"{row['size']:>5} {games:>5} {row['certified_median_s']:>10.3f} {row['certified_max_s']:>9.3f} "
            f"{row['pipeline_median_s']:>10.3f} {row['ratio']:>8.1f} {wrong_v:>7} {wrong_s:>7} {incomplete:>5}",
            flush=True,
        )
    return rows


def targets(seed: int, games: int) -> None:
    print("\nlarge targets (certified, in process; target < 1 s each)")
    for n, m in [(8, 5), (6, 6), (10, 4)]:
        ts = []
        inc = 0
        for k in range(games):
            r, dt = _timed(certified_optimum, generate("random", n, m, seed + k))
            ts.append(dt)
            inc += not r.complete
        print(f"  {n}x{m}: median {statistics.median(ts):.3f} s, max {max(ts):.3f} s over {games} games, incomplete {inc}")
    r, dt = _timed(certified_optimum, generate("random", 5, 5, seed))
    print(f"\none 5x5 game (seed {seed}), in process: {dt:.3f} s (target < 0.25 s), support {r.support[0]}")


def whole_command(seed: int) -> None:
    try:
        from exactgames.io import write_game
    except ImportError:
        print("whole command: skipped (exactgames.io.write_game not available)")
        return
    g = generate("random", 5, 5, seed)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "game5x5.toml")
        try:
            write_game(g, path)
        except Exception as exc:  # the writer belongs to another module; report, do not crash
            print(f"whole command: skipped (could not write the game file: {exc})")
            return
        help_out = subprocess.run([sys.executable, "-m", "exactgames.cli", "--help"], capture_output=True, text=True)
        if "optimize" not in help_out.stdout:
            print("whole command: skipped (no `exactgames optimize` sub-command yet)")
            return
        t0 = time.perf_counter()
        p = subprocess.run([sys.executable, "-m", "exactgames.cli", "optimize", path, "--json"], capture_output=True, text=True)
        dt = time.perf_counter() - t0
        print(f"whole command `python -m exactgames.cli optimize game5x5.toml --json`: {dt:.3f} s (target < 1 s), exit {p.returncode}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--games", type=int, default=3, help="games per size (default 3)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true", help="only 2-3 players x 2-3 actions, one game each")
    args = ap.parse_args(argv)
    sizes = [(n, m) for n in range(2, 6) for m in range(2, 6)]
    if args.quick:
        sizes = [(n, m) for n in (2, 3) for m in (2, 3)]
        args.games = 1
    print(f"{'size':>5} {'games':>5} {'cert med':>10} {'cert max':>9} {'pipe med':>10} {'ratio':>8} {'val!=':>7} {'sup!=':>7} {'inc':>5}")
    grid(args.games, args.seed, sizes)
    if not args.quick:
        targets(args.seed, args.games)
        whole_command(args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
