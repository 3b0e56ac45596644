"""Shared helpers of the example scripts: the --out folder and writing a LaTeX derivation."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing


#: where the examples write by default: ``out/examples`` of the checkout (``/out/`` is in .gitignore), so a run
#: leaves neither files in the repository's status nor folders behind in the system's temporary directory
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "out" / "examples"


def out_dir(description: str, argv: list[str] | None = None) -> Path:
    """Parse ``--out DIR`` (default: :data:`DEFAULT_OUT`) and return the folder."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--out", help=f"folder for the LaTeX derivations (default: {DEFAULT_OUT})")
    args = p.parse_args(argv)
    path = Path(args.out) if args.out else DEFAULT_OUT
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_derivation(game: Any, orbits: Any, folder: Path, name: str, time_limit: float = 10.0) -> Path:
    """Write ``folder/name.tex`` (a standalone LaTeX derivation) and return its path."""
    from exactgames.output.latex import latex_derivation

    path = folder / f"{name}.tex"
    path.write_text(latex_derivation(game, orbits, time_limit=time_limit), encoding="utf-8")
    print(f"LaTeX derivation written to {path}")
    return path


def show_optimum(res: Any) -> None:
    """Print an OptimumResult's value, strategies and verdicts."""
    if not res.complete:
        print(f"  optimiser did not finish: {res.reason}")
        return
    print(f"  optimal P-invariant value: {res.value}  ({res.method})")
    for o, acts, strat in zip(res.orbits, res.actions, res.strategies):
        print(f"  orbit {[i + 1 for i in o]}: " + ", ".join(f"{a}={p}" for a, p in zip(acts, strat)))
    print(f"  Nash: {res.nash}   degenerate: {res.degenerate}   locally optimal (asymmetric): {res.locally_optimal_asymmetric}")
