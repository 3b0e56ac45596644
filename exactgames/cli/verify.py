"""``exactgames verify GAME RESULT.json``: re-check an optimisation result independently.

The checker (proofs_check.checker) shares no code with the optimiser and is
never imported alongside it: it reads only the game model and python-flint,
rebuilds the EU polynomial from the payoffs, checks the recorded symmetries,
replays the branch-and-bound subdivision (or builds its own when the result
carries none), re-proves every region and checks every printed field it can
prove; the fields it does not prove are listed in its output.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from exactgames.cli.common import EXIT_FAILED_CHECK, InputError, load_game, print_json

MAX_RESULT_BYTES = 256 * 2**20


def _order(first: str, second: str) -> tuple[str, str]:
    """(game, result): either order is accepted, the JSON file is the result."""
    if first.lower().endswith(".json") and not second.lower().endswith(".json"):
        return second, first
    return first, second


def read_result(path: str) -> Any:
    """The JSON of a result file, with every way it can be unreadable turned into an :class:`InputError`."""
    try:
        if not os.path.isfile(path):
            raise InputError(f"{path}: not a regular file")
        size = os.path.getsize(path)
        if size > MAX_RESULT_BYTES:
            raise InputError(f"{path}: {size} bytes, more than the limit {MAX_RESULT_BYTES} for a result file")
        with open(path, "rb") as fh:
            raw = fh.read(MAX_RESULT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: byte {exc.start}: not UTF-8 text") from None
    if not text.strip():
        raise InputError(f"{path}: empty file; expected the JSON written by 'exactgames optimize --json'")
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(20_000)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply") from None
    except ValueError as exc:  # integers beyond the digit limit
        raise InputError(f"{path}: {str(exc)[:120]}") from None
    finally:
        sys.set_int_max_str_digits(old)


def _run(args: argparse.Namespace) -> int:
    from proofs_check.checker import check_certificate

    args.game, args.result = _order(args.game, args.result)
    data = read_result(args.result)
    if not isinstance(data, dict):
        raise InputError(f"{args.result}: expected a JSON object (an 'exactgames optimize --json' answer), "
                         f"got a {type(data).__name__}")
    recorded = data.get("parameters")
    if recorded is not None:
        if not isinstance(recorded, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in recorded.items()):
            raise InputError(f"{args.result}: field 'parameters': expected an object NAME -> exact value string")
        given = dict(item.split("=", 1) for item in (args.set or []) if "=" in item)
        given = {k.strip(): v.strip() for k, v in given.items()}
        for k, v in given.items():
            if k in recorded and recorded[k].strip() != v:
                raise InputError(f"--set {k}={v}: {args.result} was computed with {k}={recorded[k]}")
        args.set = [f"{k}={v}" for k, v in {**{k.strip(): v.strip() for k, v in recorded.items()}, **given}.items()]
    from exactgames.cli.sequential import handles

    if handles(args.game):  # .efg / .dpomdp: a game tree
        from exactgames.io.trees import read_tree

        game = read_tree(args.game, args.horizon)
        report = check_certificate(game, data)
        return _print(report, args)
    game = load_game(args.game, args.set)
    if game.parameters and "regimes" not in data:
        names = ", ".join(sorted(str(s) for s in game.parameters))
        raise InputError(f"{args.game} has free parameters ({names}) and {args.result} is neither a parametric answer nor "
                         "records their values: give the values the result was computed with, e.g. --set NAME=VALUE")
    return _print(check_certificate(game, data), args)


def _print(report: Any, args: argparse.Namespace) -> int:
    if args.json:
        print_json(report.to_json())
    else:
        print("certificate ACCEPTED" if report.ok else "certificate REFUSED")
        for c in report.checks:
            print(f"  ok   {c}")
        for e in report.errors:
            print(f"  FAIL {e}")
        if report.ok:
            print("  not proved by verify (use 'exactgames check'): " + ", ".join(report.not_proved))
    return 0 if report.ok else EXIT_FAILED_CHECK


def register(sub: Any) -> None:
    p = sub.add_parser(
        "verify",
        help="re-check a certified optimum independently of the optimiser",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        epilog="exit codes: 0 certificate accepted, 1 refused (the reason is printed), 2 usage or input error "
        "(unreadable game or result file)",
    )
    p.add_argument("game", help="game file (.nfg, .toml, .efg, or .dpomdp with --horizon); the two files may also be given "
                   "the other way round")
    p.add_argument("result", help="JSON written by 'exactgames optimize GAME --json' (the certificate)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="give a parameter an exact value")
    p.add_argument("--horizon", type=int, metavar="H", help="horizon of a .dpomdp Dec-POMDP (as given to optimize)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=_run)
