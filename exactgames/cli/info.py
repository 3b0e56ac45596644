"""``exactgames info GAME``: players, actions, common payoff, payoff range."""

from __future__ import annotations

import argparse
from typing import Any

from exactgames.cli.common import load_game, print_json
from exactgames.model.game import AnonymousGame


def compact_count(shape: tuple[int, ...]) -> int | str:
    """The number of pure profiles of a game with this shape: an int, or a power product such as ``"2^15000"`` when huge.

    Examples
    --------
    >>> compact_count((2, 3))
    6
    >>> compact_count((2,) * 15000)
    '2^15000'
    >>> compact_count((2,) * 100 + (3,) * 70)
    '2^100 * 3^70'
    """
    total = 1
    for m in shape:
        total *= m
        if total > 10**30:
            break
    else:
        return total
    powers: dict[int, int] = {}
    for m in shape:
        powers[m] = powers.get(m, 0) + 1
    return " * ".join(f"{m}^{k}" if k > 1 else str(m) for m, k in sorted(powers.items()) if m > 1)


def _list_text(names: list[str], limit: int = 20) -> str:
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:10]) + f", ... ({len(names) - 12} more), " + ", ".join(names[-2:])


def game_info(game: Any) -> dict:
    """Summary of a game as a JSON-ready dict (counts beyond 10^30 as power products, e.g. ``"2^15000"``).

    Examples
    --------
    >>> from exactgames.paper_games import taxi_symmetric
    >>> game_info(taxi_symmetric())["pure_profiles"]
    4
    """
    anonymous = isinstance(game, AnonymousGame)
    acts = game.player_actions if anonymous else game.actions
    rng = game.payoff_range()
    return {
        "title": game.title,
        "form": "anonymous" if anonymous else "dense",
        "players": list(game.players),
        "n_players": game.n_players,
        "actions": {p: list(a) for p, a in zip(game.players, acts)},
        "pure_profiles": compact_count(tuple(game.shape)),
        "common_payoff": bool(game.is_common_payoff),
        "parameters": [str(s) for s in game.parameters],
        "payoff_range": [str(rng[0]), str(rng[1])] if rng else None,
        "rational": bool(game.is_rational),
    }


def _run(args: argparse.Namespace) -> int:
    from exactgames.cli import sequential

    if sequential.handles(args.game):  # .efg / .dpomdp game trees
        return sequential.run_info(args)
    game = load_game(args.game, args.set)
    info = game_info(game)
    if args.json:
        print_json(info)
        return 0
    print(f"game:          {info['title'] or args.game}")
    print(f"form:          {info['form']}")
    print(f"players:       {info['n_players']} ({_list_text(info['players'])})")
    acts = list(info["actions"].values())
    if len(acts) > 8 and all(a == acts[0] for a in acts):
        print(f"  every player: {_list_text(acts[0])}")
    else:
        for p, a in info["actions"].items():
            print(f"  {p}: {_list_text(a)}")
    print(f"pure profiles: {info['pure_profiles']}")
    print(f"common payoff: {'yes' if info['common_payoff'] else 'no'}")
    if info["parameters"]:
        print(f"parameters:    {', '.join(info['parameters'])}")
    if info["payoff_range"]:
        print(f"payoff range:  [{info['payoff_range'][0]}, {info['payoff_range'][1]}]")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("info", help="describe a game file", description="Describe a game: players, actions, common payoff, payoff range.")
    p.add_argument("game", help="game file (.nfg, .toml, .efg, or .dpomdp with --horizon)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="give a parameter an exact value")
    p.add_argument("--json", action="store_true", help="print JSON")
    from exactgames.cli.sequential import add_horizon

    add_horizon(p)
    p.set_defaults(handler=_run)
