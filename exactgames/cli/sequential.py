"""``info``, ``symmetries`` and ``optimize`` for sequential games (``.efg``, ``.dpomdp --horizon H``).

The normal-form commands call :func:`handles` first and hand ``.efg``/``.dpomdp`` files here.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from exactgames.cli.common import EXIT_OK, InputError, print_json

__all__ = ["handles", "run_info", "run_symmetries", "run_optimize", "add_horizon"]

EXIT_INCOMPLETE = 3


def handles(path: str) -> bool:
    """Is ``path`` a game tree file (``.efg`` or ``.dpomdp``)?"""
    from exactgames.io.trees import is_tree_file

    return is_tree_file(path)


def add_horizon(p: argparse.ArgumentParser) -> None:
    """The ``--horizon H`` option (``.dpomdp`` files)."""
    p.add_argument("--horizon", type=int, metavar="H", help="horizon (number of steps) of a .dpomdp Dec-POMDP")


def _tree(args: argparse.Namespace, unsupported: tuple[str, ...] = ()) -> Any:
    from exactgames.io.trees import read_tree

    for opt in ("set",) + unsupported:
        if getattr(args, opt, None):
            raise InputError(f"--{opt.replace('_', '-')} does not apply to a game tree ({args.game})")
    return read_tree(args.game, getattr(args, "horizon", None))


def tree_info(tree: Any) -> dict:
    """Summary of a game tree as a JSON-ready dict."""
    from exactgames.model.tree import Chance, Decision

    nodes = list(tree.nodes())
    per_player = [len(tree.player_infosets(p)) for p in range(tree.n_players)]
    vals = sorted({v for n in nodes if n.payoff is not None for v in n.payoff})
    return {
        "title": tree.title,
        "form": "tree",
        "players": list(tree.players),
        "n_players": tree.n_players,
        "information_sets": {pl: k for pl, k in zip(tree.players, per_player)},
        "nodes": len(nodes),
        "decision_nodes": sum(isinstance(n, Decision) for n in nodes),
        "chance_nodes": sum(isinstance(n, Chance) for n in nodes),
        "common_payoff": bool(tree.is_common_payoff),
        "perfect_recall": bool(tree.has_perfect_recall()),
        "payoffs_collected_range": [str(vals[0]), str(vals[-1])] if vals else None,
    }


def run_info(args: argparse.Namespace) -> int:
    tree = _tree(args)
    info = tree_info(tree)
    if args.json:
        print_json(info)
        return EXIT_OK
    print(f"game:          {info['title'] or args.game}")
    print("form:          game tree (shared nodes counted once)")
    print(f"players:       {info['n_players']} ({', '.join(info['players'])})")
    for pl, k in info["information_sets"].items():
        print(f"  {pl}: {k} information sets")
    print(f"nodes:         {info['nodes']} ({info['decision_nodes']} decision, {info['chance_nodes']} chance)")
    print(f"common payoff: {'yes' if info['common_payoff'] else 'no'}")
    print(f"perfect recall: {'yes' if info['perfect_recall'] else 'no'}")
    if info["payoffs_collected_range"]:
        print(f"payoffs on nodes: [{info['payoffs_collected_range'][0]}, {info['payoffs_collected_range'][1]}]")
    return EXIT_OK


def run_symmetries(args: argparse.Namespace) -> int:
    from exactgames.sequential.symmetry import tree_symmetries

    tree = _tree(args, ("subgroup", "draw", "tikz", "dot"))
    sym = tree_symmetries(tree)
    if args.json:
        out = sym.to_json()
        out["players"] = list(tree.players)
        print_json(out)
        return EXIT_OK
    js = sym.to_json()
    print(f"game:        {tree.title or args.game}")
    print(f"symmetries:  order {sym.order} (agent permutations mapping the tree onto itself)")
    print(f"generators:  {', '.join(js['generators']) or '() (identity only)'}")
    print("agent orbits: " + "  ".join("{" + ", ".join(tree.players[i] for i in o) + "}" for o in sym.agent_orbits))
    print(f"information-set classes: {len(sym.classes)} (of {len(tree.infosets)} information sets)")
    for c, members in enumerate(sym.classes[:30]):
        who = ", ".join(f"{tree.players[tree.infosets[i].player]}" for i in members)
        print(f"  {sym.class_label(c)}   [agents {who}]")
    if len(sym.classes) > 30:
        print(f"  ... {len(sym.classes) - 30} more (--json lists all)")
    print(f"method:      {sym.method}")
    return EXIT_OK


def run_optimize(args: argparse.Namespace) -> int:
    from exactgames.sequential.optimize import optimize_tree, policy_table

    tree = _tree(args, ("subgroup",))
    if args.time_limit is not None and not args.time_limit > 0:
        raise InputError(f"--time-limit {args.time_limit}: expected a positive number of seconds")
    if not tree.is_common_payoff:
        raise InputError(f"{args.game}: the players' payoffs differ; optimize needs a common-payoff (team) game")
    if not tree.has_perfect_recall():
        raise InputError(f"{args.game}: a player does not have perfect recall; symmetric behaviour strategies and the "
                         "exact best response need it")
    r = optimize_tree(tree, time_limit=args.time_limit)
    if args.json:
        print_json(r.to_json())
        return EXIT_OK if r.complete else EXIT_INCOMPLETE
    yn = {True: "yes", False: "no", None: "not decided"}
    print(f"status:     {'proved optimum among symmetric behaviour strategies' if r.complete else 'INCOMPLETE (nothing is claimed)'}")
    if r.reason:
        print(f"reason:     {r.reason}")
    print(f"method:     {r.method}")
    print("agent orbits: " + "  ".join("{" + ",".join(tree.players[i] for i in o) + "}" for o in r.symmetries.agent_orbits))
    if r.value is not None and r.value_exact:
        print(f"value:      {r.value}   ~ {float(r.value):.9g}")
    elif r.value is not None:
        print(f"value:      ~ {float(r.value):.15g}   (not exact: an irrational maximum, proved inside the enclosure)")
    lo, hi = r.value_interval
    print(f"enclosure:  [{lo}, {hi}]")
    if r.complete:
        print("policy (history -> action probabilities, shared by the agents in brackets):")
        print(policy_table(r))
    print(f"Nash:       {yn[r.nash]}" + (f" (largest gain of one agent's exact best response: {r.nash_gain})" if r.nash_gain is not None else ""))
    print(f"deterministic: {yn[r.deterministic]}")
    print(f"seconds:    {r.seconds:.2f}")
    sys.stdout.flush()
    return EXIT_OK if r.complete else EXIT_INCOMPLETE
