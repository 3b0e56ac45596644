"""``exactgames latex GAME -o OUT.tex [--pdf] [--subgroup PERMS]``: a standalone LaTeX derivation of a game."""

from __future__ import annotations

import argparse
import shutil
import subprocess
from pathlib import Path
from typing import Any

from exactgames.cli.common import InputError, load_game
from exactgames.io.files import atomic_write


class PdflatexMissingError(InputError):
    """``--pdf`` was asked for but pdflatex is not installed."""


def _orbits(game: Any, spec: str | None) -> Any:
    if not spec:
        return None
    from exactgames.symmetry import generated_group

    return generated_group(game, spec).orbits


def compile_pdf(tex_path: Path) -> Path:
    """Run pdflatex twice in the file's folder; returns the PDF path (clear errors if pdflatex is missing or fails)."""
    exe = shutil.which("pdflatex")
    if exe is None:
        raise PdflatexMissingError(
            "--pdf: pdflatex not found on PATH; install TeX (Debian: apt-get install texlive-latex-base "
            "texlive-latex-recommended texlive-pictures) or drop --pdf")
    for _ in range(2):
        proc = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", tex_path.name], cwd=tex_path.parent,
                              capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            errs = [ln for ln in proc.stdout.splitlines() if ln.startswith("!")]
            raise InputError(f"pdflatex failed on {tex_path}: {errs[0] if errs else 'see ' + str(tex_path.with_suffix('.log'))}")
    return tex_path.with_suffix(".pdf")


def _run(args: argparse.Namespace) -> int:
    from exactgames.output.latex import latex_derivation

    game = load_game(args.game, args.set)
    doc = latex_derivation(game, _orbits(game, args.subgroup), title=args.title)
    out = Path(args.output)
    if out.suffix != ".tex":
        raise InputError(f"-o {out}: expected a file name ending in .tex")
    atomic_write(out, doc)
    print(f"wrote {out}")
    if args.pdf:
        print(f"wrote {compile_pdf(out.resolve())}")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "latex",
        help="write a standalone LaTeX derivation of a game's symmetric optimum",
        description="Write a LaTeX document: game table, Γ(G) and its orbit graph (TikZ), the symmetric EU polynomial, the "
        "KKT system and its closed-form solution, the Nash certificate, degeneracy and stability verdicts.",
    )
    p.add_argument("game", help="game file (.nfg or .toml)")
    p.add_argument("-o", "--output", required=True, help="output .tex file")
    p.add_argument("--pdf", action="store_true", help="also run pdflatex (error if it is not installed)")
    p.add_argument("--subgroup", metavar="PERMS",
                   help="generators of P in cycle notation, e.g. '(1 3)(2 4)'; default: P = Γ(G)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="give a parameter an exact value")
    p.add_argument("--title", help="document title (default: the game's title)")
    p.set_defaults(handler=_run)
