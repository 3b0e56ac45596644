"""The claims ledger: a registry of the paper's checkable claims and their verdicts.

Each :class:`Claim` names a paper location, states the claim and carries a
check function ``check(budget) -> Verdict`` that computes its answer
independently (sympy directly from the payoffs) and, where the library has a
route for it, compares with the library.  :func:`run_ledger` runs every
registered claim; :func:`main` is ``python -m proofs_check`` and
``exactgames paper``.

Examples
--------
>>> entries = run_ledger(budget=2, only=["A.EU-asym"])
>>> entries[0].verdict.verdict, entries[0].verdict.computed_value
('verified', '21/4')
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import traceback
from dataclasses import dataclass
from typing import Any, Callable, Sequence

__all__ = [
    "Claim", "Verdict", "LedgerEntry", "claim", "REGISTRY", "all_claims", "run_claim", "run_ledger",
    "format_table", "entries_json", "main", "VERDICTS", "SECTION_MODULES", "DEFAULT_BUDGET",
]

VERDICTS = ("verified", "refuted", "not checkable", "error")
SECTION_MODULES = (
    "proofs_check.section2", "proofs_check.section3", "proofs_check.section4", "proofs_check.section5",
    "proofs_check.appendix_a", "proofs_check.appendix_c", "proofs_check.appendix_d", "proofs_check.appendix_f",
    "proofs_check.automorphism_conjecture", "proofs_check.behaviour_space",
)
DEFAULT_BUDGET = 8


@dataclass(frozen=True)
class Verdict:
    """The outcome of one claim's check.

    Attributes
    ----------
    verdict : one of ``verified``, ``refuted``, ``not checkable``, ``error``
    method : how it was decided (exact arithmetic, rigorous enclosure, property test, numeric)
    detail : one line for the table (longer text allowed)
    paper_value, computed_value : the paper's value and ours, as strings ("" when not a value)
    cases : number of random cases tried (property-type claims), else None
    routes_agree : True/False when a library route was compared, None when none was available
    """

    verdict: str
    method: str
    detail: str
    paper_value: str = ""
    computed_value: str = ""
    cases: int | None = None
    routes_agree: bool | None = None

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict {self.verdict!r} is not one of {VERDICTS}")


@dataclass(frozen=True)
class Claim:
    """One checkable claim of the paper."""

    id: str
    location: str
    statement: str
    family: str
    check: Callable[[int], Verdict]


@dataclass(frozen=True)
class LedgerEntry:
    """A claim together with its verdict and the seconds the check took."""

    claim: Claim
    verdict: Verdict
    seconds: float

    def to_json(self) -> dict[str, Any]:
        """The JSON object of ``--json``: id, location, claim, verdict, method, detail, paper_value, computed_value."""
        v = self.verdict
        return {
            "id": self.claim.id,
            "location": self.claim.location,
            "claim": self.claim.statement,
            "verdict": v.verdict,
            "method": v.method,
            "detail": v.detail,
            "paper_value": v.paper_value,
            "computed_value": v.computed_value,
            "cases": v.cases,
            "routes_agree": v.routes_agree,
            "family": self.claim.family,
            "seconds": round(self.seconds, 3),
        }


REGISTRY: list[Claim] = []


def claim(id: str, location: str, statement: str, family: str = "") -> Callable[[Callable[[int], Verdict]], Callable[[int], Verdict]]:
    """Decorator registering ``check(budget) -> Verdict`` as the check of a claim."""

    def deco(fn: Callable[[int], Verdict]) -> Callable[[int], Verdict]:
        if any(c.id == id for c in REGISTRY):
            raise ValueError(f"claim id {id!r} registered twice")
        REGISTRY.append(Claim(id, location, statement, family or id.split(".")[0], fn))
        return fn

    return deco


def all_claims() -> tuple[Claim, ...]:
    """Import every section module (registering its claims) and return the registry in paper order."""
    for name in SECTION_MODULES:
        importlib.import_module(name)
    return tuple(REGISTRY)


def run_claim(c: Claim, budget: int = DEFAULT_BUDGET) -> LedgerEntry:
    """Run one check; an exception becomes verdict ``error`` with the traceback's last line."""
    t0 = time.perf_counter()
    try:
        v = c.check(budget)
        if not isinstance(v, Verdict):
            raise TypeError(f"check of {c.id} returned {type(v).__name__}, expected Verdict")
    except Exception as exc:  # noqa: BLE001 - a crashed check is reported, not raised
        tb = traceback.format_exc(limit=3).strip().splitlines()
        v = Verdict("error", "check crashed", f"{type(exc).__name__}: {exc} ({tb[-3].strip() if len(tb) > 2 else ''})")
    return LedgerEntry(c, v, time.perf_counter() - t0)


def run_ledger(budget: int = DEFAULT_BUDGET, only: Sequence[str] | None = None) -> tuple[LedgerEntry, ...]:
    """Run the checks of all claims (or those whose id starts with one of ``only``)."""
    claims = all_claims()
    if only:
        claims = tuple(c for c in claims if any(c.id == o or c.id.startswith(o) for o in only))
    return tuple(run_claim(c, budget) for c in claims)


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(entries: Sequence[LedgerEntry], width: int = 100) -> str:
    """A plain-text table: id, location, verdict, one-line detail; then a summary line."""
    rows = [("id", "location", "verdict", "detail")]
    for e in entries:
        v = e.verdict
        tag = v.verdict + (f" ({v.cases} cases)" if v.cases else "")
        if v.routes_agree is False:
            tag += " [ROUTES DISAGREE]"
        rows.append((e.claim.id, e.claim.location, tag, _short(v.detail, width)))
    w = [max(len(r[k]) for r in rows) for k in range(3)]
    lines = [f"{r[0]:<{w[0]}}  {r[1]:<{w[1]}}  {r[2]:<{w[2]}}  {r[3]}" for r in rows]
    lines.insert(1, "-" * (sum(w) + 6 + min(width, max(len(r[3]) for r in rows))))
    counts = {k: sum(1 for e in entries if e.verdict.verdict == k) for k in VERDICTS}
    total = sum(e.seconds for e in entries)
    lines.append("")
    lines.append(", ".join(f"{n} {k}" for k, n in counts.items() if n) + f"; {len(entries)} claims in {total:.1f} s")
    return "\n".join(lines)


def entries_json(entries: Sequence[LedgerEntry]) -> list[dict[str, Any]]:
    """The ``--json`` list."""
    return [e.to_json() for e in entries]


def build_parser(prog: str = "python -m proofs_check") -> argparse.ArgumentParser:
    """The shared argument parser of ``python -m proofs_check`` and ``exactgames paper``."""
    p = argparse.ArgumentParser(prog=prog, description="Check the paper's claims one by one and print the ledger.")
    add_arguments(p)
    return p


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add ``--json``, ``--budget``, ``--only`` and ``--full`` to a parser."""
    p.add_argument("--json", action="store_true", help="print a JSON list of claim objects")
    p.add_argument("--budget", type=int, default=DEFAULT_BUDGET,
                   help=f"random cases per property-type claim (default {DEFAULT_BUDGET})")
    p.add_argument("--only", action="append", metavar="ID", help="run only claims whose id starts with ID (repeatable)")
    p.add_argument("--full", action="store_true", help="print each claim's full statement and detail")


def run_args(args: argparse.Namespace, out: Any = None) -> int:
    """Run the ledger for parsed arguments; exit code 0 unless a check crashed (then 1)."""
    out = out or sys.stdout
    if args.budget < 1:
        print("--budget: expected a positive integer number of random cases", file=sys.stderr)
        return 2
    entries = run_ledger(args.budget, args.only)
    if args.only and not entries:
        print(f"--only: no claim id starts with {args.only}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(entries_json(entries), out, indent=2)
        out.write("\n")
    elif args.full:
        for e in entries:
            v = e.verdict
            out.write(f"[{e.claim.id}] {e.claim.location}: {v.verdict}\n  claim:  {e.claim.statement}\n"
                      f"  method: {v.method}\n  detail: {v.detail}\n")
            if v.paper_value or v.computed_value:
                out.write(f"  paper: {v.paper_value}   computed: {v.computed_value}\n")
        out.write("\n" + format_table(entries).splitlines()[-1] + "\n")
    else:
        out.write(format_table(entries) + "\n")
    return 1 if any(e.verdict.verdict == "error" for e in entries) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m proofs_check [--json] [--budget N] [--only ID] [--full]``."""
    return run_args(build_parser().parse_args(argv))
