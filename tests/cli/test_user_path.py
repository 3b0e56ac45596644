"""What a new user meets first (issue 14, item 9): --version, a fast --help, clear profile errors, and the
README's commands leaving the checkout clean."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from exactgames.cli import COMMANDS, build_parser, main

ROOT = Path(__file__).resolve().parents[2]


def test_version(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.strip() == f"exactgames {version('exactgames')}"


def test_help_and_version_import_no_subcommand_and_no_sympy():
    code = ("import sys\nfrom exactgames.cli import main\ntry:\n    main([sys.argv[1]])\nexcept SystemExit as e:\n    rc = e.code\n"
            "print(rc, 'sympy' in sys.modules, any(m.startswith('exactgames.cli.') for m in sys.modules))")
    for flag in ("--help", "--version"):
        run = subprocess.run([sys.executable, "-c", code, flag], capture_output=True, text=True, timeout=60)
        assert run.stdout.strip().splitlines()[-1] == "0 False False", (flag, run.stdout, run.stderr)


def test_fast_help_lists_every_command_with_its_own_help(capsys):
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    real = {c.dest: c.help.replace("%%", "%") for c in sub._choices_actions}
    assert real == COMMANDS
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert all(name in out for name in COMMANDS) and "--version" in out


def test_unknown_action_in_a_profile_is_named(capsys):
    game = str(ROOT / "examples" / "games" / "robot_butlers.nfg")
    assert main(["check", game, "--profile", "sym: XX"]) == 2
    err = capsys.readouterr().err
    assert "unknown action 'XX' (actions: F, D)" in err and "probabilities" not in err


def test_subgroup_help_says_generators_are_separated_by_semicolons(capsys):
    for cmd in ("optimize", "check", "latex"):
        with pytest.raises(SystemExit):
            main([cmd, "--help"])
        out = " ".join(capsys.readouterr().out.split())
        assert "separated by" in out and "commas" not in out.split("--subgroup")[1][:400], cmd


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    start = text.index("## A first session")
    block = re.search(r"```bash\n(.*?)```", text[start:], re.S).group(1)
    return [ln.split("  #")[0].strip() for ln in block.splitlines() if ln.strip()]


def test_readme_commands_write_only_under_out(tmp_path):
    """The README's first-session commands, run as written in a scratch checkout: every output lands in out/."""
    for name in ("examples", "README.md"):
        os.symlink(ROOT / name, tmp_path / name)
    before = set(os.listdir(tmp_path))
    commands = _readme_commands()
    assert commands[0] == "mkdir -p out" and any("--pdf" in c for c in commands)
    # the script installed beside the running interpreter (a venv that is not activated has it there, and
    # another exactgames on PATH, e.g. a pyenv shim, may belong to a different environment)
    beside = Path(sys.executable).parent / "exactgames"
    exe = str(beside) if beside.is_file() else shutil.which("exactgames")
    assert exe is not None
    env = {**os.environ, "PATH": f"{Path(exe).parent}{os.pathsep}{os.environ['PATH']}"}
    for line in commands:
        if "--pdf" in line and shutil.which("pdflatex") is None:
            line = line.replace(" --pdf", "")
        run = subprocess.run(line, shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
        assert run.returncode == 0, (line, run.stderr[-500:])
    assert set(os.listdir(tmp_path)) - before == {"out"}
    written = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"butlers.png", "r55.json", "butlers.tex", "figure1.png"} <= written


def test_out_is_ignored_by_git_and_the_examples_default_there():
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import _example_utils
    finally:
        sys.path.remove(str(ROOT / "examples"))
    assert _example_utils.DEFAULT_OUT == ROOT / "out" / "examples"
    if shutil.which("git") and (ROOT / ".git").exists():
        for path in ("out/r55.json", "out/examples/taxi.tex", "out/butlers.aux"):
            run = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT)
            assert run.returncode == 0, path
