"""Shared helpers of the command line: loading games, printing JSON, exit codes.

Exit codes: 0 success, 1 a requested check failed, 2 usage or input error (the
message names the file and the line or field), 3 ``optimize`` out of time,
130 interrupted, and :data:`EXIT_INTERNAL` (70, ``EX_SOFTWARE``) for an
unexpected internal error, which is a bug: one short line says so.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from exactgames.model.exact import ExactError
from exactgames.model.parse import short_text

EXIT_OK = 0
EXIT_FAILED_CHECK = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
"""An unexpected internal error (a bug in exactgames), as ``EX_SOFTWARE`` of sysexits.h."""
MAX_MESSAGE_CHARS = 1000
"""Error messages are cut to this length (the offending value is never echoed whole)."""


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
            raise InputError(f"--set: {path} has no parameter {short_text(sorted(unknown)[0])}")
        domains = dict(game.domains)
        exact = {}
        for k, v in values.items():
            exact[k] = _set_value(path, k, v, domains.get(k))
        game = game.subs(exact)
    return game


def _set_value(path: str, name: str, text: str, domain: str | None) -> Any:
    """``--set NAME=VALUE``: an exact real constant inside the parameter's declared domain."""
    from exactgames.io.parameters import in_domain
    from exactgames.model.parse import parse_exact

    try:
        value = parse_exact(text)
    except ExactError as exc:
        raise InputError(f"--set {name}={short_text(text, 40)[1:-1]}: {exc}") from None
    if value.free_symbols:
        raise InputError(f"--set {name}: {short_text(text)} is not a number")
    if domain is not None and not in_domain(value, domain):
        raise InputError(f"--set {name}={short_text(text, 40)[1:-1]}: outside the domain {domain} declared for {name} in {path}")
    return value


def _check_common_arguments(args: argparse.Namespace) -> None:
    """Arguments shared by several sub-commands, refused before any work (not silently ignored)."""
    subgroup = getattr(args, "subgroup", None)
    if subgroup is not None and not subgroup.strip():
        raise InputError('--subgroup "": expected generators in cycle notation such as "(1 3)(2 4)" '
                         "(leave the option out for the full symmetry group)")
    limit = getattr(args, "time_limit", None)
    if isinstance(limit, float) and not (math.isfinite(limit) and limit > 0):
        raise InputError(f"--time-limit {limit}: expected a positive finite number of seconds")


def say(message: str) -> None:
    """Print one line on stderr, even when it holds characters the terminal's encoding cannot show (bad file names)."""
    try:
        print(message, file=sys.stderr)
    except UnicodeEncodeError:
        enc = getattr(sys.stderr, "encoding", None) or "utf-8"
        print(message.encode(enc, "backslashreplace").decode(enc, "replace"), file=sys.stderr)


def _cut(message: str) -> str:
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return message[:MAX_MESSAGE_CHARS] + f"... ({len(message) - MAX_MESSAGE_CHARS} more characters cut)"


def print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, indent=2, sort_keys=False, default=str)
    sys.stdout.write("\n")


def run_command(args: argparse.Namespace) -> int:
    """Call the sub-command's handler; turn input errors into exit code 2, internal errors into :data:`EXIT_INTERNAL`."""
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)  # inputs are bounded by the readers; large exact numbers must print
    try:
        _check_common_arguments(args)
        return int(args.handler(args) or 0)
    except BrokenPipeError:
        # the reader went away (e.g. piped into `head`): stop quietly, as Unix tools do
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except (ExactError, OSError) as exc:
        say(f"exactgames {args.command}: error: {_cut(str(exc))}")
        return EXIT_USAGE
    except MemoryError:
        what = getattr(args, "game", None) or getattr(args, "input", None) or "the input"
        say(f"exactgames {args.command}: error: {what}: out of memory (the input is too large to hold)")
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"exactgames {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last resort: a bug, said to be one, with its own exit code
        where = ""
        tb = exc.__traceback__
        while tb is not None:
            if "exactgames" in tb.tb_frame.f_code.co_filename:
                where = f" at {tb.tb_frame.f_code.co_filename.rsplit('exactgames', 1)[-1].lstrip('/')}:{tb.tb_lineno}"
            tb = tb.tb_next
        say(f"exactgames {args.command}: internal error (a bug in exactgames; please report it with the command line): "
            f"{type(exc).__name__}: {_cut(str(exc))[:300]}{where}")
        return EXIT_INTERNAL
