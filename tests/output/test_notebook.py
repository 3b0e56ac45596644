"""The robot-butler notebook runs top to bottom and displays exact results (issue 7 item 6)."""

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "robot_butlers.ipynb"


def test_robot_butler_notebook_executes(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError if any cell (including its asserts) fails
    latex = [o["data"]["text/latex"] for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
             if "data" in o and "text/latex" in o["data"]]
    # the game, the group, the optimum and the Nash certificate display themselves as LaTeX
    assert any("\\sqrt{2}" in t and "EU^*" in t for t in latex)
    assert any("order $24$" in t for t in latex)
    assert any("\\text{Nash equilibrium}" in t for t in latex)
