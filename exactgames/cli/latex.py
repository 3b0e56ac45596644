"""``exactgames latex GAME -o OUT.tex [--pdf] [--subgroup PERMS] [--horizon H]``: a standalone LaTeX derivation of a game
(normal form, or a game tree: ``.efg``, ``.dpomdp`` with ``--horizon H``)."""

from __future__ import annotations

import argparse
import shutil
import subprocess
from pathlib import Path
from typing import Any

from exactgames.cli.common import EXIT_OK, InputError, load_game, print_json
from exactgames.io.files import atomic_write

EXIT_INCOMPLETE = 3


class PdflatexMissingError(InputError):
    """``--pdf`` was asked for but pdflatex is not installed."""


def _orbits(game: Any, spec: str | None) -> Any:
    if not spec:
        return None
    from exactgames.certify.verdicts import subgroup_p

    return subgroup_p(game, spec)[0]


def compile_pdf(tex_path: Path, passes: int = 2) -> Path:
    """Run pdflatex ``passes`` times in the file's folder; returns the PDF path (clear errors if missing or failing)."""
    exe = shutil.which("pdflatex")
    if exe is None:
        raise PdflatexMissingError(
            "--pdf: pdflatex not found on PATH; install TeX (Debian: apt-get install texlive-latex-base "
            "texlive-latex-recommended texlive-pictures) or drop --pdf")
    for _ in range(passes):
        proc = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", tex_path.name], cwd=tex_path.parent,
                              capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            errs = [ln for ln in proc.stdout.splitlines() if ln.startswith("!")]
            raise InputError(f"pdflatex failed on {tex_path}: {errs[0] if errs else 'see ' + str(tex_path.with_suffix('.log'))}")
    return tex_path.with_suffix(".pdf")


def _run(args: argparse.Namespace) -> int:
    from exactgames.output.latex import build_derivation

    out = Path(args.output)
    if out.suffix != ".tex":
        raise InputError(f"-o {out}: expected a file name ending in .tex")
    if args.time_limit is not None and args.time_limit <= 0:
        raise InputError(f"--time-limit {args.time_limit}: expected a positive number of seconds")
    from exactgames.cli import sequential

    if sequential.handles(args.game):  # .efg / .dpomdp --horizon H: a team game tree
        return _run_tree(args, out)
    if args.horizon is not None:
        raise InputError(f"--horizon applies to .dpomdp files only, not to {args.game}")
    game = load_game(args.game, args.set)
    if len(game.parameters) > 1:
        names = ", ".join(sorted(str(s) for s in game.parameters))
        raise InputError(f"{args.game} has {len(game.parameters)} free parameters ({names}); the regimes are derived for "
                         "one parameter: give the others values with --set NAME=VALUE")
    der = build_derivation(game, _orbits(game, args.subgroup), title=args.title, time_limit=args.time_limit)
    return _write(args, out, der, sorted(str(s) for s in game.parameters))


def _run_tree(args: argparse.Namespace, out: Path) -> int:
    """The derivation of a game tree's best symmetric behaviour strategy (``.efg``, ``.dpomdp --horizon H``)."""
    from exactgames.cli.sequential import _tree
    from exactgames.model.tree import TreeError
    from exactgames.output.latex_tree import tree_derivation

    tree = _tree(args, ("subgroup",))
    try:
        der = tree_derivation(tree, title=args.title, time_limit=args.time_limit)
    except TreeError as exc:
        raise InputError(f"{args.game}: {exc}") from None
    return _write(args, out, der, [])


def _write(args: argparse.Namespace, out: Path, der: Any, parameters: list[str]) -> int:
    """Write the document (and the PDF with ``--pdf``), report what was written, and return the exit code."""
    atomic_write(out, der.document)
    pdf = compile_pdf(out.resolve()) if args.pdf else None
    if args.json:
        print_json({"tex": str(out), "pdf": None if pdf is None else str(pdf), "complete": der.complete, "reason": der.reason,
                    "parameters": parameters})
    else:
        print(f"wrote {out}")
        if pdf is not None:
            print(f"wrote {pdf}")
        if not der.complete:
            print(f"incomplete: {der.reason} (the document says so; exit 3)")
    return EXIT_OK if der.complete else EXIT_INCOMPLETE


def register(sub: Any) -> None:
    p = sub.add_parser(
        "latex",
        help="write a standalone LaTeX derivation of a game's symmetric optimum",
        description="Write a LaTeX document: game table, Γ(G) and its orbit graph (TikZ), the symmetric EU polynomial, the "
        "KKT system and its closed-form solution, the Nash certificate, degeneracy and stability verdicts; for a game with "
        "one free parameter and no --set, the regimes of the optimum.",
        epilog="games: .nfg and .toml; game trees .efg and .dpomdp (with --horizon H): the best symmetric behaviour "
        "strategy, its value, Nash and determinism verdicts. exit codes: 0 written, 2 usage or input error "
        "(or pdflatex missing or failing with --pdf), 3 written but the optimiser ran out of --time-limit (the document says so).",
    )
    p.add_argument("game", help="game file (.nfg, .toml, .efg, or .dpomdp with --horizon)")
    p.add_argument("-o", "--output", required=True, help="output .tex file")
    p.add_argument("--pdf", action="store_true", help="also run pdflatex (error if it is not installed)")
    p.add_argument("--subgroup", metavar="PERMS",
                   help="generators of P in cycle notation separated by ';', e.g. '(1 3)(2 4)'; default: P = Γ(G)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="give a parameter an exact value")
    p.add_argument("--title", help="document title (default: the game's title)")
    p.add_argument("--time-limit", type=float, default=60.0, metavar="S",
                   help="wall-clock seconds for the optimiser or the regimes (default 60)")
    p.add_argument("--json", action="store_true", help="print what was written as JSON (tex, pdf, complete)")
    from exactgames.cli.sequential import add_horizon

    add_horizon(p)
    p.set_defaults(handler=_run)
