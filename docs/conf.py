"""Sphinx configuration of the exactgames documentation (built in the tests: tests/docs/test_docs_build.py)."""

from __future__ import annotations

import importlib
import sys
import types
import typing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import exactgames  # noqa: E402

project = "exactgames"
author = "the exactgames developers"
copyright = "2026, the exactgames developers"
release = version = exactgames.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.mathjax",
    "numpydoc",
]
root_doc = "index"
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_static_path: list[str] = []

nitpicky = False
autosummary_generate = False
autodoc_default_options = {"members": True, "show-inheritance": False}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks: set[str] = set()
numpydoc_xref_param_type = False
doctest_test_doctest_blocks = ""


# -- the public API table: every name of ``exactgames.__all__``, grouped by the sub-package it comes from ------
from docutils import nodes  # noqa: E402
from docutils.statemachine import StringList  # noqa: E402
from sphinx.util.docutils import SphinxDirective  # noqa: E402


class PublicAPI(SphinxDirective):
    """``.. exactgames-public-api::``: one autosummary table per sub-package, built from ``exactgames.__all__``.

    The table follows the package: a name added to a sub-package's ``__all__`` appears here without editing
    the documentation, and links to its entry on that sub-package's page (documented once, never twice).
    """

    def run(self) -> list[nodes.Node]:
        table = exactgames._public()  # name -> sub-package
        lines: list[str] = []
        for module in sorted(set(table.values()), key=lambda m: (m not in exactgames._SOURCES, m)):
            names = sorted((n for n, m in table.items() if m == module), key=str.lower)
            aliases = [n for n in names if _is_alias(getattr(importlib.import_module(module), n))]
            lines += [f"``{module}``", "", f".. currentmodule:: {module}", "", ".. autosummary::", ""]
            lines += [f"   {n}" for n in names if n not in aliases]
            lines += [""]
            if aliases:
                lines += ["Type aliases: " + ", ".join(f":py:data:`{n}`" for n in aliases), ""]
        container = nodes.container()
        self.state.nested_parse(StringList(lines, source="exactgames.__all__"), self.content_offset, container)
        return container.children


def _is_alias(obj: object) -> bool:
    """A type alias such as ``Profile = tuple[tuple[sympy.Expr, ...], ...]`` (autodoc cannot sign it)."""
    return isinstance(obj, (types.GenericAlias, typing._GenericAlias))  # type: ignore[attr-defined]


def _skip_aliases(app, what, name, obj, skip, options):  # noqa: ANN001, ANN201
    """Type aliases are documented by hand with ``.. py:data::`` (reference/model.rst), not by autodoc."""
    return True if _is_alias(obj) else None


def setup(app):  # noqa: ANN001, ANN201
    app.add_directive("exactgames-public-api", PublicAPI)
    app.connect("autodoc-skip-member", _skip_aliases)
    return {"parallel_read_safe": True}
