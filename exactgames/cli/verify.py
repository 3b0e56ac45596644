"""``exactgames verify GAME RESULT.json``: re-check an optimisation certificate independently.

The checker (:mod:`proofs_check.checker`) shares no code with the optimiser:
it imports only :mod:`exactgames.model` and python-flint, rebuilds the
symmetric EU polynomial, replays the branch-and-bound subdivision and re-proves
every region (gradients, Hessians, Krawczyk, value enclosure).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from exactgames.cli.common import EXIT_FAILED_CHECK, InputError, load_game, print_json


def _certificate_json(data: dict, path: str) -> dict:
    """The branch-and-bound part of an ``optimize --json`` answer, in the checker's input form."""
    if not isinstance(data, dict) or "certificate" not in data:
        raise InputError(f"{path}: not an 'exactgames optimize --json' answer (no 'certificate' key)")
    cert = data["certificate"]
    if isinstance(cert, dict) and "bnb" in cert:  # optimize() nests the branch-and-bound certificate
        return {**data, "certificate": cert["bnb"]}
    return data


def _order(first: str, second: str) -> tuple[str, str]:
    """(game, result): either order is accepted, the JSON file is the result."""
    if first.lower().endswith(".json") and not second.lower().endswith(".json"):
        return second, first
    return first, second


def _run(args: argparse.Namespace) -> int:
    from proofs_check.checker import check_certificate

    args.game, args.result = _order(args.game, args.result)

    game = load_game(args.game, args.set)
    try:
        with open(args.result, encoding="utf-8") as fh:
            data = json.load(fh)
    except json.JSONDecodeError as exc:
        raise InputError(f"{args.result}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})") from None
    report = check_certificate(game, _certificate_json(data, args.result))
    if args.json:
        print_json({"ok": report.ok, "errors": list(report.errors), "checks": list(report.checks),
                    "value_interval": [str(x) for x in report.value_interval] if report.value_interval else None})
    else:
        print("certificate ACCEPTED" if report.ok else "certificate REFUSED")
        for c in report.checks:
            print(f"  ok   {c}")
        for e in report.errors:
            print(f"  FAIL {e}")
    return 0 if report.ok else EXIT_FAILED_CHECK


def register(sub: Any) -> None:
    p = sub.add_parser(
        "verify",
        help="re-check a certified optimum independently of the optimiser",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        epilog="exit codes: 0 certificate accepted, 1 refused, 2 usage or input error",
    )
    p.add_argument("game", help="game file (.nfg or .toml); the two files may also be given the other way round")
    p.add_argument("result", help="JSON written by 'exactgames optimize GAME --json' (the certificate)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="give a parameter an exact value")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=_run)
