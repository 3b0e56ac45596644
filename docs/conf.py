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

#: the sub-packages with a reference page, in the order a public name's home is looked up
SUBPACKAGES = ("exactgames.model", "exactgames.io", "exactgames.symmetry", "exactgames.optimize",
               "exactgames.certify", "exactgames.output", "exactgames.sequential")


def public_homes() -> dict[str, str | None]:
    """Each name of ``exactgames.__all__`` and the sub-package whose reference page documents it (None: none)."""
    homes: dict[str, str | None] = {}
    for name in exactgames.__all__:
        obj = getattr(exactgames, name)
        homes[name] = None
        for module in SUBPACKAGES:
            mod = importlib.import_module(module)
            if name in getattr(mod, "__all__", ()):
                inner = getattr(mod, name)
                if inner is obj or getattr(obj, name, None) is inner:  # eg.optimize: the callable sub-package
                    homes[name] = module
                    break
    return homes


class PublicAPI(SphinxDirective):
    """``.. exactgames-public-api::``: one autosummary table per sub-package, built from ``exactgames.__all__``.

    The table follows the package: a name added to ``exactgames.__all__`` appears here without editing the
    documentation, and links to its entry on the page of the sub-package that defines it (documented once).
    """

    def run(self) -> list[nodes.Node]:
        homes = public_homes()
        lines: list[str] = []
        for module in [m for m in SUBPACKAGES if m in homes.values()]:
            names = sorted((n for n, m in homes.items() if m == module), key=str.lower)
            aliases = [n for n in names if _is_alias(getattr(importlib.import_module(module), n))]
            lines += [f"``{module}``", "", f".. currentmodule:: {module}", "", ".. autosummary::", ""]
            lines += [f"   {n}" for n in names if n not in aliases]
            lines += [""]
            if aliases:
                lines += ["Type aliases: " + ", ".join(f":py:data:`{n}`" for n in aliases), ""]
        orphans = sorted(n for n, m in homes.items() if m is None)
        if orphans:
            lines += ["Also: " + ", ".join(f"``{n}``" for n in orphans), ""]
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
