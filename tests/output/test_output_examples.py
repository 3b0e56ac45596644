"""The example scripts run, print their results and write LaTeX derivations into --out."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _load(name: str):
    sys.path.insert(0, str(EXAMPLES))
    try:
        spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod
    finally:
        sys.path.remove(str(EXAMPLES))


@pytest.mark.parametrize("name, expected", [
    ("taxi_games", "3/2"),
    ("veil_of_ignorance", "121/24"),
    ("example_5_0_5", "degenerate: True"),
])
def test_example_runs_and_writes_latex(name, expected, tmp_path, capsys):
    _load(name).main(["--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert expected in out
    texs = list(tmp_path.glob("*.tex"))
    assert texs and all(t.read_text().startswith(r"\documentclass") for t in texs)


def test_every_example_script_has_main():
    for name in ("taxi_games", "ten_robots", "robot_butlers", "veil_of_ignorance", "example_5_0_5", "theorem_4_0_2_demo"):
        assert "def main(" in (EXAMPLES / f"{name}.py").read_text(), name
