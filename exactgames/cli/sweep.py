"""``exactgames sweep``: run (or resume) a GAMUT sweep into an on-disk results store."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from exactgames.cli.common import EXIT_OK, InputError, print_json

EXIT_INTERRUPTED = 130


def parse_range(text: str, what: str, lo: int = 2) -> tuple[int, ...]:
    """Parse ``"2-5"``, ``"3"`` or ``"2,4,5"`` into a tuple of integers >= ``lo``.

    Examples
    --------
    >>> parse_range("2-5", "--players")
    (2, 3, 4, 5)
    >>> parse_range("2,4", "--actions")
    (2, 4)
    >>> parse_range("5-2", "--players")
    Traceback (most recent call last):
    ...
    exactgames.cli.common.InputError: --players '5-2': expected N, A-B with A <= B, or a comma list, of integers >= 2
    """
    msg = f"{what} {text!r}: expected N, A-B with A <= B, or a comma list, of integers >= {lo}"
    try:
        if "-" in text:
            a, b = (int(x) for x in text.split("-", 1))
            if a > b:
                raise InputError(msg)
            vals = tuple(range(a, b + 1))
        else:
            vals = tuple(sorted({int(x) for x in text.split(",")}))
    except ValueError:
        raise InputError(msg) from None
    if not vals or min(vals) < lo:
        raise InputError(msg)
    return vals


def _run(args: argparse.Namespace) -> int:
    from exactgames.experiments.sweep import SweepConfig, run_sweep

    classes = tuple(c.strip() for c in args.cls.split(",") if c.strip())
    for c in classes:
        if c not in ("random", "coordination", "collaboration"):
            raise InputError(f"--class {c!r}: expected random, coordination or collaboration (comma-separated)")
    if args.games < 1:
        raise InputError(f"--games {args.games}: expected an integer >= 1")
    if args.workers < 1:
        raise InputError(f"--workers {args.workers}: expected an integer >= 1")
    if os.path.exists(args.out) and not args.resume:
        raise InputError(f"--out {args.out}: results store already exists; pass --resume to continue it or choose another path")
    config = SweepConfig(
        classes=classes, players=parse_range(args.players, "--players"), actions=parse_range(args.actions, "--actions"),
        games=args.games, seed=args.seed, seed_mode=args.seed_mode, scale=args.scale,
        n_slsqp=args.slsqp, n_replicator=args.replicator,
    )
    summary = run_sweep(config, args.out, workers=args.workers, scheduler=args.scheduler,
                        progress=not args.quiet, resume=args.resume)
    if args.json:
        print_json({"config": config.to_json(), **summary.to_json()})
    else:
        print(f"{summary.written} games written to {args.out} ({summary.skipped} already there, "
              f"{summary.errors} errors) in {summary.wall_seconds:.1f} s")
    if summary.interrupted:
        print(f"interrupted: finished games are kept; continue with --resume --out {args.out}", file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser(
        "sweep", help="run a GAMUT sweep (certified optima + numeric baselines) into a results store",
        description="Generate GAMUT games, certify each symmetric optimum exactly, run the paper's SLSQP and replicator "
                    "baselines, and store every game in an SQLite file as soon as it is done.",
    )
    p.add_argument("--class", dest="cls", default="random", metavar="CLASS",
                   help="random, coordination or collaboration (comma-separated for several; default random)")
    p.add_argument("--players", default="2-5", help="players: N, A-B or a comma list (default 2-5)")
    p.add_argument("--actions", default="2-5", help="actions: N, A-B or a comma list (default 2-5)")
    p.add_argument("--games", type=int, default=100, help="games per cell (default 100)")
    p.add_argument("--seed", type=int, default=0, help="sweep seed S (default 0)")
    p.add_argument("--seed-mode", choices=("derived", "paper"), default="derived",
                   help="derived: seeds from sha256(S, cell, t); paper: np.random.seed(t) as the paper's code")
    p.add_argument("--scale", choices=("code", "appendix"), default="code", help="payoff scale (default: the paper code's)")
    p.add_argument("--slsqp", type=int, default=10, help="SLSQP runs per game (default 10)")
    p.add_argument("--replicator", type=int, default=10, help="replicator runs per game (default 10)")
    p.add_argument("--out", required=True, metavar="RESULTS", help="results store (SQLite file)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="local worker processes (default: CPU count)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="run on an existing Dask distributed scheduler")
    p.add_argument("--resume", action="store_true", help="continue an existing store, skipping finished games")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(handler=_run)
