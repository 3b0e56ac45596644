"""``exactgames report RESULTS``: Tables 3-8 from a sweep store, beside the paper's numbers."""

from __future__ import annotations

import argparse
from typing import Any

from exactgames.cli.common import EXIT_OK, print_json


def _run(args: argparse.Namespace) -> int:
    from exactgames.experiments.report import build_report, format_report, write_plots

    if args.found_tol is not None and not (0 < args.found_tol < 1):
        from exactgames.cli.common import InputError

        raise InputError(f"--found-tol {args.found_tol}: expected a number in (0, 1)")
    report = build_report(args.results, found_tol=args.found_tol)
    plots = write_plots(report, args.plots) if args.plots else []
    if args.json:
        print_json({**report, "plots": plots})
    else:
        print(format_report(report))
        for p in plots:
            print(f"wrote {p}")
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser(
        "report", help="print Tables 3-8 of a sweep with 95%% confidence intervals and the paper's numbers",
        description="Read a results store written by 'exactgames sweep' and print the paper's Tables 3-8 "
                    "(rows players, columns actions) with 95% confidence intervals beside the published numbers.",
    )
    p.add_argument("results", metavar="RESULTS", help="results store written by 'exactgames sweep'")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--plots", metavar="DIR", help="write PNG plots into DIR")
    p.add_argument("--found-tol", type=float, metavar="TOL",
                   help="count a run as finding the optimum within TOL (default: the stored 1e-9 flags)")
    p.set_defaults(handler=_run)
