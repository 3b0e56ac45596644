"""The documentation site (docs/, Sphinx + numpydoc) builds with warnings as errors and its examples run.

* ``sphinx-build -W -b html``: every page, including the API reference generated from the docstrings;
* ``sphinx-build -W -b doctest`` on the same doctrees: every Python example (``.. doctest::`` blocks)
  is run and its output compared;
* every ``$ exactgames ...`` line of a ``.. code-block:: console`` block is run (in process, in a scratch
  folder holding ``examples/``) and its printed output compared with the page's, ``...`` matching anything;
* no Python example escapes the doctest run (a bare ``>>>`` block outside a doctest directive is refused),
  and the build writes nothing into the checkout.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from exactgames.cli import main

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.rst"))
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Both builds share one doctree folder, so the sources are read (and the modules imported) once."""
    out = tmp_path_factory.mktemp("docs")
    before = _tree(DOCS)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    runs = {}
    for builder in ("html", "doctest"):
        cmd = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", builder, "-d", str(out / "doctrees"),
               str(DOCS), str(out / builder)]
        runs[builder] = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    return out, runs, before


def test_html_builds_with_warnings_as_errors(built):
    out, runs, before = built
    run = runs["html"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    html = out / "html"
    for page in ("index", "tutorial", "howto/index", "discussion/exactness", "discussion/errata", "reference/public"):
        assert (html / f"{page}.html").is_file(), page
    assert _tree(DOCS) == before, "the build wrote into docs/"


def test_the_public_api_page_links_every_public_name(built):
    """Every name of ``exactgames.__all__`` links to its entry on a sub-package's reference page."""
    import exactgames

    out, runs, _ = built
    assert runs["html"].returncode == 0
    public = (out / "html" / "reference" / "public.html").read_text()
    missing = [name for name in exactgames.__all__
               if not re.search(rf'href="(\w+)\.html#exactgames\.\1\.{re.escape(name)}"', public)]
    assert not missing, f"public names without a reference entry: {missing}"


def test_reference_pages_hold_the_docstrings(built):
    out, runs, _ = built
    assert runs["html"].returncode == 0
    page = (out / "html" / "reference" / "optimize.html").read_text()
    # numpydoc rendered the sections of exactgames.optimize.optimize's docstring
    assert 'id="exactgames.optimize.optimize"' in page and "Parameters" in page and "Returns" in page
    assert 'id="proofs_check.ledger.run_ledger"' in (out / "html" / "reference" / "proofs_check.html").read_text()


def test_python_examples_run(built):
    out, runs, _ = built
    run = runs["doctest"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    report = (out / "doctest" / "output.txt").read_text()
    tests = sum(int(n) for n in re.findall(r"^\s*(\d+) tests", report, re.M))
    assert "0 failures in tests" in report and tests >= 40, report[-2000:]


_DIRECTIVE = re.compile(r"^(\s*)\.\. (doctest|testcode|testoutput|code-block|code|sourcecode)::\s*(\S*)")


def _blocks(text: str):
    """(directive, language, lines) of every indented directive body, and bare literal blocks as ('', '', lines)."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = _DIRECTIVE.match(lines[i])
        literal = lines[i].rstrip().endswith("::") and not lines[i].lstrip().startswith("..")
        if not (m or literal):
            i += 1
            continue
        indent = len(m.group(1)) if m else len(lines[i]) - len(lines[i].lstrip())
        j, body = i + 1, []
        while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > indent):
            body.append(lines[j])
            j += 1
        content = [ln for ln in body if not ln.strip().startswith(":")] if m else body
        while content and not content[-1].strip():
            content.pop()
        yield (m.group(2), m.group(3)) if m else ("", ""), [ln.strip("\n") for ln in content]
        i = j


def _console_examples():
    cases = []
    for page in PAGES:
        for (kind, lang), body in _blocks(page.read_text()):
            if kind in ("code-block", "code", "sourcecode") and lang == "console":
                text = "\n".join(body)
                margin = min(len(ln) - len(ln.lstrip()) for ln in body if ln.strip())
                lines = [ln[margin:] for ln in text.splitlines()]
                cmd, expected = None, []
                for ln in lines + ["$ "]:
                    if ln.startswith("$ "):
                        if cmd:
                            cases.append((f"{page.relative_to(DOCS)}: {cmd}", cmd, "\n".join(expected).strip()))
                        cmd, expected = ln[2:].strip(), []
                    else:
                        expected.append(ln)
    return cases


CONSOLE = _console_examples()


def test_every_example_is_run():
    """Python examples live in doctest directives (run by the doctest build); console examples are commands."""
    bare = []
    for page in PAGES:
        for (kind, lang), body in _blocks(page.read_text()):
            if kind in ("doctest", "testcode", "testoutput"):
                continue
            if any(ln.lstrip().startswith(">>>") for ln in body):
                bare.append(str(page.relative_to(DOCS)))
            if kind in ("code-block", "code", "sourcecode") and lang == "console":
                assert all(ln.lstrip().startswith("$ ") for ln in body if ln.strip()[:1] == "$"), page
    assert not bare, f"Python examples outside a doctest directive (not run): {bare}"
    assert len(CONSOLE) >= 15 and all(c[1].startswith(("exactgames ", "mkdir ")) for c in CONSOLE), CONSOLE


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("console")
    os.symlink(ROOT / "examples", folder / "examples")
    (folder / "out").mkdir()
    return folder


@pytest.mark.parametrize("where, command, expected", CONSOLE, ids=[c[0] for c in CONSOLE])
def test_console_example(where, command, expected, scratch, capsys, monkeypatch):
    monkeypatch.chdir(scratch)
    argv = shlex.split(command)
    target = None
    if ">" in argv:
        k = argv.index(">")
        argv, target = argv[:k], argv[k + 1]
    if argv[0] == "mkdir":
        assert subprocess.run(argv, cwd=scratch).returncode == 0
        return
    try:
        rc = main(argv[1:])
    except SystemExit as stop:  # --help
        rc = stop.code
    got = capsys.readouterr().out
    if target is not None:
        Path(scratch, target).write_text(got)
        got = ""
    assert rc == 0, (command, got[-2000:])
    if expected:
        checker = doctest.OutputChecker()
        assert checker.check_output(expected + "\n", got, FLAGS), (
            f"{where}\n--- documented ---\n{expected}\n--- printed ---\n{got}")


def _readme_table(heading: str) -> list[list[str]]:
    text = (ROOT / "README.md").read_text()
    section = text[text.index(heading):]
    section = section[: section.index("\n## ", 1)]
    rows = [ln for ln in section.splitlines() if ln.startswith("|") and not set(ln) <= set("|- ")]
    return [[c.strip() for c in ln.strip("|").split("|")] for ln in rows[1:]]


def test_the_exactness_page_keeps_the_readmes_verify_table():
    """The discussion page restates the README's "What verify proves": every field and every "not proved"."""
    page = (DOCS / "discussion" / "exactness.rst").read_text()
    rows = _readme_table("## What verify proves")
    assert len(rows) >= 10
    for field, proves in rows:
        for name in re.findall(r"`([^`]+)`", field):
            assert f"``{name}``" in page, name
        if "not proved by verify" in proves:
            assert "**not proved by verify**" in page


def _list_table_rows(text: str) -> list[list[str]]:
    """The rows of every ``.. list-table::`` of a page, each cell's text on one line, without ``**``."""
    rows: list[list[str]] = []
    for ln in text.splitlines():
        stripped = ln.strip()
        if stripped.startswith("* - "):
            rows.append([stripped[4:]])
        elif stripped.startswith("- ") and rows and ln.startswith("     -"):
            rows[-1].append(stripped[2:])
        elif stripped and rows and ln.startswith("       ") and not stripped.startswith(".."):
            rows[-1][-1] += " " + stripped
    return [[" ".join(c.replace("**", "").split()) for c in row] for row in rows]


def test_the_errata_page_keeps_the_readmes_errata():
    """Every row of the README's errata table is a row of the page's tables (paper value and exact value)."""
    rows = _list_table_rows((DOCS / "discussion" / "errata.rst").read_text())
    pairs = {(r[1], r[2]) for r in rows if len(r) == 4}
    readme = _readme_table("## What the paper gets wrong")
    assert len(readme) >= 6
    for where, paper, exact, note in readme:
        paper, exact = (" ".join(x.replace("**", "").split()) for x in (paper, exact))
        assert (paper, exact) in pairs, (where, paper, exact)
