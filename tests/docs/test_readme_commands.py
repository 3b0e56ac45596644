"""Every command of the README, as written, leaves the checkout clean (issue 14's acceptance).

The first-session block is run in a scratch checkout by ``tests/cli/test_user_path.py``; the suite itself
(``python -m pytest``) is checked by CI's fresh clone.  Here: every ``bash`` block of the README is
enumerated, so that a command added anywhere is either run here or recognised as covered elsewhere; every
output a command names goes under ``out/`` (ignored by git); and the commands of the other blocks that are
quick are run in a scratch folder that must hold nothing new afterwards but ``out/``.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()

#: options whose value is a file or folder the command writes
WRITES = ("-o", "--out", "--draw", "--tikz", "--dot", "--plots", ">")


def _blocks() -> list[tuple[str, list[str]]]:
    """(heading above the block, commands) of every ```bash block, comments cut and ``&&`` chains split."""
    found = []
    for m in re.finditer(r"```bash\n(.*?)```", README, re.S):
        heading = re.findall(r"^#+ (.*)$", README[: m.start()], re.M)
        commands = []
        for line in m.group(1).splitlines():
            line = line.split("  #")[0].strip()
            commands += [c.strip() for c in line.split("&&") if c.strip()]
        found.append((heading[-1] if heading else "", commands))
    return found


def _outputs(command: str) -> list[str]:
    words = shlex.split(command)
    targets = [words[i + 1] for i, w in enumerate(words[:-1]) if w in WRITES]
    if words[:3] == ["python", "-m", "sphinx"]:
        targets.append(words[-1])  # sphinx-build SOURCEDIR OUTPUTDIR
    return targets


def _kind(command: str) -> str:
    if command.startswith("pip install -e "):
        return "install"  # writes exactgames.egg-info/ (ignored by git)
    if command == "python -m pytest":
        return "suite"
    if command == "exactgames paper":
        return "ledger"
    if command.startswith(("exactgames ", "mkdir -p out", "python -m sphinx ")):
        return "command"
    return "unknown"


def test_every_readme_command_is_recognised():
    blocks = _blocks()
    assert len(blocks) >= 4 and blocks[1][0] == "A first session"
    commands = [c for _, cs in blocks for c in cs]
    assert not [c for c in commands if _kind(c) == "unknown"], commands
    assert {"install", "suite", "ledger", "command"} <= {_kind(c) for c in commands}


def test_every_output_a_readme_command_names_is_under_out():
    named = [(c, t) for _, cs in _blocks() for c in cs for t in _outputs(c)]
    assert len(named) >= 5  # --draw, > r55.json, -o .tex, -o .png, sphinx's folder
    assert all(t.startswith("out/") for _, t in named), [x for x in named if not x[1].startswith("out/")]
    if (ROOT / ".git").exists():
        for _, target in named:
            assert subprocess.run(["git", "check-ignore", "-q", target], cwd=ROOT).returncode == 0, target


def _quick_commands() -> list[str]:
    """The commands outside the first session that run in seconds.

    Not run here: the first session (its own test), ``pip install`` and the suite (CI's fresh clone), the
    ledger (``tests/proofs_check``), the documentation build (``tests/docs/test_docs_build.py``, which also
    checks it writes nothing into ``docs/``) and Dec-Tiger at horizon 3 (about 11 s of CPU, 45 s on a loaded
    machine; like every ``optimize`` without ``-o`` it only prints).
    """
    quick = []
    for heading, commands in _blocks()[2:]:
        for c in commands:
            if _kind(c) == "command" and not c.startswith("python -m sphinx") and "--horizon 3" not in c:
                quick.append(c)
    return quick


def test_the_other_blocks_leave_a_scratch_checkout_clean(tmp_path):
    quick = _quick_commands()
    assert any(".efg" in c for c in quick) and any("dectiger" in c for c in quick), quick
    for name in ("examples", "README.md"):
        os.symlink(ROOT / name, tmp_path / name)
    before = set(os.listdir(tmp_path))
    beside = Path(sys.executable).parent / "exactgames"
    exe = [str(beside)] if beside.is_file() else [sys.executable, "-m", "exactgames.cli"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    for command in quick:
        words = shlex.split(command)
        run = subprocess.run(exe + words[1:], cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
        assert run.returncode == 0, (command, run.stderr[-500:])
    assert set(os.listdir(tmp_path)) - before <= {"out"}


@pytest.mark.parametrize("command", ["exactgames optimize examples/games/veil_of_ignorance.efg > out/x.json",
                                     "exactgames latex g.toml -o results/g.tex"])
def test_outputs_are_found(command):
    """The output finder sees a redirect and ``-o`` (so the check above can fail)."""
    assert _outputs(command) in (["out/x.json"], ["results/g.tex"])
