"""The ``exactgames`` command line: a thin layer over the public API.

Each sub-command lives in its own module of this package and defines
``register(subparsers)``; modules are discovered automatically.  Exit codes:
0 success, 1 a check that was asked for failed (e.g. ``check --require-nash``),
2 usage or input error.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="exactgames",
        description="Exact verification of symmetric common-payoff games (every verdict from exact arithmetic).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name == "common":
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(mod, "register"):
            mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    from exactgames.cli.common import run_command

    parser = build_parser()
    args = parser.parse_args(argv)
    return run_command(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
