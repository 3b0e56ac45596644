"""``exactgames check GAME --profile PROFILE``: exact Nash certificate of a profile."""

from __future__ import annotations

import argparse
from typing import Any

from exactgames.certify.nash import nash_certificate
from exactgames.cli.common import EXIT_FAILED_CHECK, load_game, print_json
from exactgames.model.game import AnonymousGame
from exactgames.model.profile import parse_profile

PROFILE_HELP = """\
profile syntax: one strategy per player separated by ';', or 'sym:' followed by
one strategy that every player plays.  A strategy is an action name (pure), or
comma-separated ACTION=PROB pairs (unlisted actions get 0), or comma-separated
probabilities in action order.  Probabilities are exact: 1/6, 0.25, 2-sqrt(2).
Examples:  --profile "H=1/2,W=1/2; H=1/2,W=1/2"   --profile "sym: F=sqrt(2)-1, D=2-sqrt(2)"
           --profile "a; b; a"
exit codes: 0 success (1 with --require-nash when the profile is not Nash), 2 usage or input error"""


def certificate_report(game: Any, profile: Any) -> dict:
    """The JSON object printed by ``exactgames check``."""
    acts = game.player_actions if isinstance(game, AnonymousGame) else game.actions
    cert = nash_certificate(game, profile)
    out = {"profile": [{a: str(p) for a, p in zip(acts[i], s)} for i, s in enumerate(profile)]}
    out.update(cert.to_json(acts))
    return out


def _run(args: argparse.Namespace) -> int:
    game = load_game(args.game, args.set)
    profile = parse_profile(game, args.profile)
    rep = certificate_report(game, profile)
    if args.json:
        print_json(rep)
    else:
        verdict = {True: "NASH EQUILIBRIUM", False: "NOT a Nash equilibrium", None: "depends on parameters"}[rep["nash"]]
        print(f"verdict:      {verdict}")
        print(f"max gain:     {rep['max_gain']}   (largest gain from a unilateral pure deviation; 0 means Nash)")
        if rep["best_deviation"]:
            bd = rep["best_deviation"]
            print(f"best deviation: player {bd['player']} -> {bd['action']}")
        for i, (u, g) in enumerate(zip(rep["payoffs"], rep["gains"])):
            print(f"  player {i + 1}: EU = {u}, gain = {g}")
        print(f"method:       {rep['method']}")
    if args.require_nash and rep["nash"] is not True:
        return EXIT_FAILED_CHECK
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "check",
        help="certify whether a profile is a Nash equilibrium",
        description="Print the exact Nash certificate of a profile: the largest gain any player gets from a unilateral deviation.",
        epilog=PROFILE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("game", help="game file (.nfg or .toml)")
    p.add_argument("--profile", required=True, help="the profile (syntax below)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="give a parameter an exact value")
    p.add_argument("--require-nash", action="store_true", help="exit 1 if the profile is not a Nash equilibrium")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=_run)
