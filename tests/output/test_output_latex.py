"""LaTeX derivations: document content, the CLI, and one real pdflatex compile (skipped without pdflatex)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from exactgames.cli import main
from exactgames.output.latex import escape, game_table_latex, kkt_system_latex, latex_derivation
from exactgames.paper_games import robot_butlers, taxi_symmetric, veil_of_ignorance

GAMES = Path(__file__).resolve().parents[2] / "examples" / "games"


def test_sections_filled_from_results():
    doc = latex_derivation(veil_of_ignorance(), orbits=[[0, 1]])
    for head in ("The game", "Symmetries", "Symmetric expected utility", "KKT system", "Solution in closed form",
                 "Nash certificate", "Degeneracy and stability"):
        assert head in doc
    assert r"\frac{121}{24}" in doc  # the optimum value computed by the library (not the paper's 77/18)
    assert "not available" not in doc


def test_missing_source_is_stated(monkeypatch):
    import exactgames.output.latex as lx

    monkeypatch.setattr(lx, "_optimum", lambda game, orbits, tl=None: (_ for _ in ()).throw(RuntimeError("no optimiser")))
    doc = latex_derivation(taxi_symmetric(), orbits=[[0, 1]])
    assert "optimiser not available: RuntimeError: no optimiser" in doc
    assert doc.count("not available: no complete optimum above") == 2


def test_table_and_kkt_pieces():
    assert r"\text{H} & 1 & 2" in game_table_latex(taxi_symmetric())
    kkt = kkt_system_latex(taxi_symmetric(), [[0, 1]])
    assert r"\lambda_{1}" in kkt and r"1 &= x_{H} + x_{W}" in kkt
    assert escape("50% & x_1") == r"50\% \& x\_1"


def test_cli_writes_tex(tmp_path):
    out = tmp_path / "t.tex"
    assert main(["latex", str(GAMES / "taxi_symmetric.nfg"), "-o", str(out)]) == 0
    assert out.read_text().startswith(r"\documentclass")
    assert main(["latex", str(GAMES / "taxi_symmetric.nfg"), "-o", str(tmp_path / "t.txt")]) == 2


def test_cli_pdf_without_pdflatex(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert main(["latex", str(GAMES / "taxi_symmetric.nfg"), "-o", str(tmp_path / "t.tex"), "--pdf"]) == 2
    assert "pdflatex not found" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_compile_robot_butlers_with_subgroup(tmp_path):
    out = tmp_path / "rb.tex"
    assert main(["latex", str(GAMES / "robot_butlers.nfg"), "-o", str(out), "--pdf", "--subgroup", "(1 3)(2 4)"]) == 0
    pdf = out.with_suffix(".pdf")
    assert pdf.exists() and pdf.stat().st_size > 1000
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
        assert list(tmp_path.glob("page*.png"))
    assert "orbit" in out.read_text() and r"\begin{tikzpicture}" in out.read_text()


def test_document_for_robot_butlers_mentions_sqrt2():
    doc = latex_derivation(robot_butlers())
    assert r"\sqrt{2}" in doc
