"""``exactgames paper [--json] [--budget N]``: the paper's claims ledger (same as ``python -m proofs_check``)."""

from __future__ import annotations

import argparse
from typing import Any


def _run(args: argparse.Namespace) -> int:
    from proofs_check.ledger import run_args

    return run_args(args)


def register(sub: Any) -> None:
    from proofs_check.ledger import add_arguments

    p = sub.add_parser(
        "paper",
        help="check the paper's claims one by one and print the ledger",
        description="Run every registered claim of the paper (proofs_check) and print id, location, verdict and detail. "
        "Exit 0 unless a check crashed.",
    )
    add_arguments(p)
    p.set_defaults(handler=_run)
