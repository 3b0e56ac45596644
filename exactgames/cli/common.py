"""Shared helpers of the command line: loading games, printing JSON, exit codes."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from exactgames.model.exact import ExactError

EXIT_OK = 0
EXIT_FAILED_CHECK = 1
EXIT_USAGE = 2


class InputError(ExactError):
    """Bad input named by the command line (file, field, expectation)."""


def load_game(path: str, set_values: list[str] | None = None) -> Any:
    """Read a game file (``.nfg`` or ``.toml``), optionally substituting ``NAME=VALUE`` parameters."""
    from exactgames.io import read_game

    game = read_game(path)
    if set_values:
        values = {}
        for item in set_values:
            if "=" not in item:
                raise InputError(f"--set {item!r}: expected NAME=VALUE")
            k, v = item.split("=", 1)
            values[k.strip()] = v.strip()
        unknown = set(values) - {str(s) for s in game.parameters}
        if unknown:
            raise InputError(f"--set: {path} has no parameter {sorted(unknown)[0]!r}")
        game = game.subs(values)
    return game


def print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, indent=2, sort_keys=False, default=str)
    sys.stdout.write("\n")


def run_command(args: argparse.Namespace) -> int:
    """Call the sub-command's handler; turn input errors into exit code 2."""
    try:
        return int(args.handler(args) or 0)
    except BrokenPipeError:
        # the reader went away (e.g. piped into `head`): stop quietly, as Unix tools do
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except (ExactError, OSError) as exc:
        print(f"exactgames {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:  # pragma: no cover
        print("interrupted", file=sys.stderr)
        return 130
