"""``exactgames convert IN OUT``: convert between Gambit ``.nfg`` and the native ``.toml`` game file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from exactgames.cli.common import InputError, load_game, print_json
from exactgames.io import write_game
from exactgames.model.game import AnonymousGame

EPILOG = """\
The direction is chosen by the file suffixes (.nfg or .toml; .toml to .toml and
.nfg to .nfg also work and normalise the file).  .nfg holds rational numbers
only: a game with parameters must get values with --set NAME=VALUE before it can
be written to .nfg.  Anonymous games are expanded to one entry per pure profile.
Files are written atomically.
examples:  exactgames convert examples/games/taxi_symmetric.nfg taxi.toml
           exactgames convert examples/games/example_5_0_5.toml ex.nfg --set eps=1/2 --version outcome
exit codes: 0 success, 2 usage or input error (nothing is written)"""


def convert_summary(game: Any, src: str, dst: str, version: str | None) -> dict:
    """The JSON object printed by ``exactgames convert --json``.

    Examples
    --------
    >>> from exactgames.paper_games import ten_robots
    >>> convert_summary(ten_robots(), "robots.toml", "robots.toml", None)["form"]
    'anonymous'
    """
    anonymous = isinstance(game, AnonymousGame)
    out = {
        "input": src,
        "output": dst,
        "format": Path(dst).suffix.lower().lstrip("."),
        "form": "anonymous" if anonymous else ("dense" if game.is_common_payoff else "general"),
        "n_players": game.n_players,
        "pure_profiles": game.n_profiles,
        "parameters": [str(s) for s in game.parameters],
    }
    if version is not None:
        out["nfg_version"] = version
    return out


def _run(args: argparse.Namespace) -> int:
    dst_suffix = Path(args.output).suffix.lower()
    if dst_suffix not in (".nfg", ".toml"):
        raise InputError(f"{args.output}: unknown output type {dst_suffix!r} (expected .nfg or .toml)")
    if args.version is not None and dst_suffix != ".nfg":
        raise InputError(f"--version applies only to .nfg output, not to {args.output}")
    game = load_game(args.input, args.set)
    if dst_suffix == ".nfg":
        if game.parameters:
            names = ", ".join(str(s) for s in game.parameters)
            raise InputError(
                f"{args.input} has parameters ({names}); .nfg holds numbers only: give values with --set, "
                f"e.g. --set {game.parameters[0]}=1/2"
            )
        version = args.version or "payoff"
        write_game(game, args.output, version=version)
    else:
        version = None
        write_game(game, args.output)
    summary = convert_summary(game, args.input, args.output, version)
    if args.json:
        print_json(summary)
    else:
        print(f"wrote {args.output} ({summary['form']} game, {summary['n_players']} players, {summary['pure_profiles']} pure profiles)")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "convert",
        help="convert a game between .nfg and .toml",
        description="Convert a game file: .toml to .nfg (parameter-free games) and .nfg to .toml, by file suffix.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("input", help="game file to read (.nfg or .toml)")
    p.add_argument("output", help="game file to write (.nfg or .toml)")
    p.add_argument("--version", choices=["payoff", "outcome"], help=".nfg flavour to write (default: payoff)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="give a parameter an exact value before converting")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.set_defaults(handler=_run)
