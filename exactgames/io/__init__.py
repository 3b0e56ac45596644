"""Reading and writing games: Gambit ``.nfg`` and the native TOML format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from exactgames.model.exact import ExactError

__all__ = ["read_game", "write_game", "GameFileError"]


class GameFileError(ExactError):
    """A game file is malformed; the message names the file, the line or field, and what was expected."""


def read_game(path: str | Path) -> Any:
    """Read a game from ``.nfg`` (Gambit) or ``.toml`` (native) by file suffix.

    Examples
    --------
    >>> read_game("game.xyz")
    Traceback (most recent call last):
    ...
    exactgames.io.GameFileError: game.xyz: unknown game file type '.xyz' (expected .nfg or .toml)
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".nfg":
        from exactgames.io.nfg import read_nfg

        return read_nfg(p)
    if suffix == ".toml":
        from exactgames.io.toml_game import read_toml

        return read_toml(p)
    raise GameFileError(f"{path}: unknown game file type {suffix!r} (expected .nfg or .toml)")


def write_game(game: Any, path: str | Path, version: str = "payoff") -> None:
    """Write a game to ``.nfg`` (``version`` "payoff" or "outcome") or ``.toml`` by file suffix, atomically.

    Examples
    --------
    >>> write_game(None, "game.txt")
    Traceback (most recent call last):
    ...
    exactgames.io.GameFileError: game.txt: unknown game file type '.txt' (expected .nfg or .toml)
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".nfg":
        from exactgames.io.nfg_write import write_nfg

        return write_nfg(game, p, version=version)
    if suffix == ".toml":
        if version != "payoff":
            raise GameFileError(f"{path}: --version {version!r} applies to .nfg files only")
        from exactgames.io.toml_write import write_toml

        return write_toml(game, p)
    raise GameFileError(f"{path}: unknown game file type {suffix!r} (expected .nfg or .toml)")
