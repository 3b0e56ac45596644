"""The ``exactgames`` command line: a thin layer over the public API.

Each sub-command lives in its own module of this package and defines
``register(subparsers)``; modules are discovered automatically.  Exit codes:
0 success, 1 a check that was asked for failed (e.g. ``check --require-nash``),
2 usage or input error, 3 ``optimize`` out of time, 130 interrupted (one line),
70 an unexpected internal error (a bug; one short line says so, no traceback).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

__all__ = ["main", "build_parser"]


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors cut to a readable length (an argument may be a megabyte long)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        if len(message) > 500:
            message = message[:500] + f"... ({len(message) - 500} more characters cut)"
        self.print_usage(sys.stderr)
        try:
            sys.stderr.write(f"{self.prog}: error: {message}\n")
        except UnicodeEncodeError:
            sys.stderr.write(f"{self.prog}: error: {message}\n".encode("ascii", "backslashreplace").decode("ascii"))
        sys.exit(2)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``only``, just that sub-command's module is imported.

    ``exactgames verify`` must not import the optimiser into the checker's
    process, so a command named on the command line loads only its own module.
    """
    parser = _Parser(
        prog="exactgames",
        description="Exact verification of symmetric common-payoff games (every verdict from exact arithmetic).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name == "common" or (only is not None and info.name != only):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(mod, "register"):
            mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        from exactgames.cli.common import run_command

        given = sys.argv[1:] if argv is None else list(argv)
        first = next((a for a in given if not a.startswith("-")), None)
        known = {m.name for m in pkgutil.iter_modules(__path__)}
        only = first if first in known and not first.startswith("_") and first != "common" and given and given[0] == first else None
        parser = build_parser(only)
        args = parser.parse_args(argv)
    except KeyboardInterrupt:
        print("exactgames: interrupted", file=sys.stderr)
        return 130
    return run_command(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
