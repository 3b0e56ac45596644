"""The independent checker's speed: in process per certificate, and ``exactgames verify`` as a whole command.

Usage::

    python benchmarks/verify_bench.py [--runs N] [--baseline-tree DIR]

* In process: the median time of ``proofs_check.checker.check_certificate`` on
  the archived certificates (tests/proofs_check/archive: every kind issued so
  far, the checker's own subdivision included for the exact-KKT and parametric
  answers) and on fresh ``optimize`` answers for GAMUT RandomGames of 3x3, 5x5,
  8x5 and 6x6 (players x actions).
* Whole command: ``exactgames verify examples/games/r55.toml R55.json`` (the
  README's example; target < 1 s), median wall time of N runs.  With
  ``--baseline-tree DIR`` (a checkout of an earlier commit, e.g. made with
  ``git worktree add /tmp/before c7055ef``) the same command runs from that
  tree in turn, A B A B, and the ratio is printed: the before/after figure of
  the soundness issue.
* The checker's size in lines.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from exactgames.experiments.generators import generate  # noqa: E402
from exactgames.io import read_game  # noqa: E402
from exactgames.optimize.api import optimize  # noqa: E402
from proofs_check.checker import check_certificate  # noqa: E402

ARCHIVE = ROOT / "tests" / "proofs_check" / "archive"
GAMES = ROOT / "examples" / "games"
ALIASES = {"robot_butlers_half_turn": "robot_butlers", "ten_robots_parametric": "ten_robots",
           "example_5_0_5_parametric": "example_5_0_5"}


def _time(fn, runs: int) -> float:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def _command(tree: pathlib.Path, result: str) -> list[str]:
    code = "import sys; from exactgames.cli import main; sys.exit(main(sys.argv[1:]))"
    return [sys.executable, "-c", code, "verify", str(GAMES / "r55.toml"), result]


def _wall(cmd: list[str], tree: pathlib.Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(tree))
    t0 = time.perf_counter()
    rc = subprocess.run(cmd, env=env, capture_output=True, cwd=tempfile.gettempdir()).returncode
    dt = time.perf_counter() - t0
    if rc != 0:
        raise SystemExit(f"verify from {tree} exited {rc}")
    return dt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--baseline-tree", type=pathlib.Path, default=None)
    args = ap.parse_args()

    print("in process, check_certificate (median of %d runs)" % args.runs)
    for path in sorted(ARCHIVE.glob("*.json")):
        stem = path.stem.removeprefix("optimize_")
        game = read_game(next(GAMES.glob(ALIASES.get(stem, stem) + ".*")))
        data = json.loads(path.read_text())
        assert check_certificate(game, data).ok, path
        print(f"  archive {stem:32s} {_time(lambda: check_certificate(game, data), args.runs) * 1000:8.1f} ms")
    for n, m in ((3, 3), (5, 5), (8, 5), (6, 6)):
        times = []
        for seed in range(3):
            g = generate("random", n, m, seed)
            data = json.loads(json.dumps(optimize(g).to_json()))
            assert check_certificate(g, data).ok
            times.append(_time(lambda: check_certificate(g, data), 1))
        print(f"  RandomGame {n}x{m} (3 games)            {statistics.median(times) * 1000:8.1f} ms median, max {max(times) * 1000:.1f} ms")

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(optimize(read_game(GAMES / "r55.toml")).to_json(), fh)
        r55 = fh.name
    cmd = _command(ROOT, r55)
    _wall(cmd, ROOT)  # warm-up
    if args.baseline_tree is None:
        walls = [_wall(cmd, ROOT) for _ in range(args.runs)]
        print(f"whole command 'exactgames verify examples/games/r55.toml r55.json': median {statistics.median(walls):.3f} s wall")
    else:
        _wall(cmd, args.baseline_tree)
        new, old = [], []
        for _ in range(args.runs):
            new.append(_wall(cmd, ROOT))
            old.append(_wall(cmd, args.baseline_tree))
        ratios = sorted(a / b for a, b in zip(new, old))
        print(f"whole command 'exactgames verify examples/games/r55.toml r55.json': median {statistics.median(new):.3f} s wall "
              f"(baseline {args.baseline_tree}: {statistics.median(old):.3f} s; ratio new/baseline median "
              f"{statistics.median(ratios):.2f}, range {ratios[0]:.2f}-{ratios[-1]:.2f})")
    os.unlink(r55)
    lines = sum(len(p.read_text().splitlines()) for p in (ROOT / "proofs_check" / "checker").glob("*.py"))
    print(f"checker size: {lines} lines in proofs_check/checker/")


if __name__ == "__main__":
    main()
