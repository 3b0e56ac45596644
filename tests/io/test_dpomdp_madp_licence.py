"""The GPL-3.0 fixtures of tests/io/dpomdp_madp carry their licence and stay out of the package."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent / "dpomdp_madp"


def test_licence_file_names_source_and_gpl3():
    text = (HERE / "LICENSE").read_text()
    assert "https://github.com/MADPToolbox/MADP" in text and "test data only" in text
    assert "GNU GENERAL PUBLIC LICENSE" in text and "Version 3, 29 June 2007" in text
    assert "END OF TERMS AND CONDITIONS" in text  # the full licence text, not only its name
    readme = (HERE / "README.md").read_text()
    for f in sorted([*HERE.glob("*.dpomdp"), *HERE.glob("*.dpomdp.gz")]):  # every fixture has its provenance row
        assert f"| {f.name} |" in readme, f.name


def test_fixtures_are_not_packaged():
    from setuptools import find_packages

    conf = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    packages = find_packages(str(ROOT), include=conf["packages"]["find"]["include"])
    assert packages and not any(p == "tests" or p.startswith("tests.") for p in packages)
    patterns = [pat for pats in conf.get("package-data", {}).values() for pat in pats]
    assert not any(fnmatch.fnmatch(f.name, pat) for f in HERE.iterdir() for pat in patterns)
