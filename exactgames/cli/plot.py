"""``exactgames plot GAME -o F.png``: the payoff landscape of the paper's Figure 1 (two orbits of two actions)."""

from __future__ import annotations

import argparse
from typing import Any

from exactgames.cli.common import EXIT_OK, InputError, load_game, print_json

HELP = "draw the payoff landscape of Figure 1 (EU over two orbit strategies, optima marked)"

EPILOG = """\
The two orbits are those of --subgroup (cycle notation, generators separated by ';'), else those of
Γ(G) when it has two, else the two players of a two-player game (the paper's Figure 1: taxi 1b).
Each orbit needs two actions; the axes are the probabilities of each orbit's second action.
Marked: the optima over the square (the best two-orbit profiles, ties included) and the symmetric
optimum on the diagonal (both orbits playing alike), each the certified optimiser's exact answer.
exit codes: 0 written, 2 usage or input error (e.g. not two orbits of two actions)"""


def _run(args: argparse.Namespace) -> int:
    from exactgames.model.exact import ExactError
    from exactgames.output.landscape import draw_landscape, landscape_summary, payoff_landscape

    if not args.output.endswith(".png"):
        raise InputError(f"-o {args.output}: expected a file name ending in .png")
    game = load_game(args.game, args.set)
    orbits = None
    if args.subgroup:
        from exactgames.symmetry import generated_group, parse_permutations

        orbits = generated_group(game, parse_permutations(args.subgroup, game.n_players)).orbits
    try:
        land = payoff_landscape(game, orbits, time_limit=args.time_limit)
    except ExactError as exc:
        raise InputError(f"{args.game}: {exc}") from None
    path = draw_landscape(land, args.output, title=args.title or game.title or "payoff landscape")
    if args.json:
        print_json({"png": path, **landscape_summary(land)})
    else:
        print(f"wrote {path}")
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("plot", help=HELP, description=HELP + ".", epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("game", help="game file (.nfg or .toml)")
    p.add_argument("-o", "--output", required=True, help="output .png file")
    p.add_argument("--subgroup", metavar="PERMS", help='generators of P whose two orbits are the axes, e.g. "(1 3)(2 4)"')
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="give a parameter an exact value")
    p.add_argument("--title", help="picture title (default: the game's title)")
    p.add_argument("--time-limit", type=float, default=60.0, metavar="S", help="seconds for each optimisation (default 60)")
    p.add_argument("--json", action="store_true", help="print the marked points (exact) as JSON")
    p.set_defaults(handler=_run)
