"""``exactgames info GAME``: players, actions, common payoff, payoff range."""

from __future__ import annotations

import argparse
from typing import Any

from exactgames.cli.common import load_game, print_json
from exactgames.model.game import AnonymousGame


def game_info(game: Any) -> dict:
    """Summary of a game as a JSON-ready dict."""
    anonymous = isinstance(game, AnonymousGame)
    acts = game.player_actions if anonymous else game.actions
    rng = game.payoff_range()
    return {
        "title": game.title,
        "form": "anonymous" if anonymous else "dense",
        "players": list(game.players),
        "n_players": game.n_players,
        "actions": {p: list(a) for p, a in zip(game.players, acts)},
        "pure_profiles": game.n_profiles,
        "common_payoff": bool(game.is_common_payoff),
        "parameters": [str(s) for s in game.parameters],
        "payoff_range": [str(rng[0]), str(rng[1])] if rng else None,
        "rational": bool(game.is_rational),
    }


def _run(args: argparse.Namespace) -> int:
    game = load_game(args.game, args.set)
    info = game_info(game)
    if args.json:
        print_json(info)
        return 0
    print(f"game:          {info['title'] or args.game}")
    print(f"form:          {info['form']}")
    print(f"players:       {info['n_players']} ({', '.join(info['players'])})")
    for p, a in info["actions"].items():
        print(f"  {p}: {', '.join(a)}")
    print(f"pure profiles: {info['pure_profiles']}")
    print(f"common payoff: {'yes' if info['common_payoff'] else 'no'}")
    if info["parameters"]:
        print(f"parameters:    {', '.join(info['parameters'])}")
    if info["payoff_range"]:
        print(f"payoff range:  [{info['payoff_range'][0]}, {info['payoff_range'][1]}]")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("info", help="describe a game file", description="Describe a game: players, actions, common payoff, payoff range.")
    p.add_argument("game", help="game file (.nfg or .toml)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="give a parameter an exact value")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=_run)
