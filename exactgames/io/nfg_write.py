"""Writing Gambit ``.nfg`` files: :func:`format_nfg` and :func:`write_nfg` (payoff and outcome versions).

The format is described in :mod:`exactgames.io.nfg` (the reader).  Profiles
are written in the file's order (the first player's strategy changing
fastest), integers as integers and other rationals as ``a/b``, so
write-then-read is the identity; strategy labels the file repeated are
written as the file gave them (:func:`~exactgames.io.nfg.file_labels`).  Symbolic
or irrational payoffs cannot be written to ``.nfg`` (:class:`~exactgames.io.GameFileError`
says to substitute parameter values or keep the game in ``.toml``), and an
anonymous game is expanded densely up to :data:`MAX_WRITE_PROFILES` profiles.

Examples
--------
>>> from exactgames.io.nfg import parse_nfg
>>> g = parse_nfg('NFG 1 R "taxis" { "Auto" "Mobile" } { { "H" "W" } { "H" "W" } } 1 1 2 2 2 2 1 1')
>>> print(format_nfg(g))
NFG 1 R "taxis" { "Auto" "Mobile" }
{ { "H" "W" }
{ "H" "W" }
}
""
<BLANKLINE>
1 1 2 2 2 2 1 1
<BLANKLINE>
>>> parse_nfg(format_nfg(g)).payoffs == g.payoffs
True
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import sympy

from exactgames.io import GameFileError
from exactgames.io.files import atomic_write
from exactgames.io.nfg import _file_order, _quote, _size_text, _storage_index, file_labels
from exactgames.model.exact import is_rational
from exactgames.model.game import AnonymousGame, Game

__all__ = ["format_nfg", "write_nfg", "MAX_WRITE_PROFILES"]

MAX_WRITE_PROFILES = 1_000_000
"""Largest number of pure profiles :func:`format_nfg` writes by default (anonymous games are expanded densely)."""


def _format_number(v: Any) -> str:
    r = sympy.Rational(v)
    return str(r.p) if r.q == 1 else f"{r.p}/{r.q}"


def _dense(game: Game | AnonymousGame, max_profiles: int) -> Game:
    if game.n_profiles > max_profiles:
        raise GameFileError(
            f"the game has {_size_text(game.n_profiles)} pure profiles, more than max_profiles={max_profiles}: "
            f".nfg stores every profile; keep it in the compact .toml form"
        )
    if isinstance(game, AnonymousGame):
        return game.to_dense(max_profiles=max_profiles)
    return game


def _check_numeric(game: Game) -> None:
    if game.is_rational:
        return
    for i, row in enumerate(game.payoffs):
        for k, v in enumerate(row):
            if not is_rational(v):
                prof = next(itertools.islice(game.profiles(), k, None))
                kind = "symbolic" if v.free_symbols else "irrational"
                hint = (
                    f"substitute parameter values first (e.g. --set {game.parameters[0]}=1/2)"
                    if game.parameters
                    else "keep it in a .toml file"
                )
                raise GameFileError(
                    f"cannot write .nfg: payoff of player {i + 1} at profile {prof} is {kind} ({v}); "
                    f".nfg holds rational numbers only: {hint}"
                )


def format_nfg(game: Game | AnonymousGame, version: str = "payoff", max_profiles: int = MAX_WRITE_PROFILES) -> str:
    """The text of a Gambit ``.nfg`` file for ``game``.

    Parameters
    ----------
    game : Game or AnonymousGame
        Payoffs must be rational.  An anonymous game is expanded densely.
    version : {"payoff", "outcome"}
        ``"payoff"`` lists every payoff; ``"outcome"`` lists each distinct
        payoff vector once as an outcome and then one outcome index per profile.
    max_profiles : int
        Refuse games with more pure profiles than this.

    Returns
    -------
    str

    Raises
    ------
    GameFileError
        Symbolic or irrational payoffs, too many profiles, unknown version.

    Examples
    --------
    >>> from exactgames.model.game import Game
    >>> g = Game.from_common([["a", "b"], ["c"]], {("a", "c"): "1/3", ("b", "c"): "0.5"})
    >>> print(format_nfg(g, version="outcome"))
    NFG 1 R "" { "1" "2" }
    { { "a" "b" }
    { "c" }
    }
    ""
    <BLANKLINE>
    {
    { "" 1/3, 1/3 }
    { "" 1/2, 1/2 }
    }
    1 2
    <BLANKLINE>
    >>> format_nfg(Game.from_common([["a"]], {("a",): "1 + eps"}, symbols=["eps"]))
    Traceback (most recent call last):
    ...
    exactgames.io.GameFileError: cannot write .nfg: payoff of player 1 at profile ('a',) is symbolic (eps + 1); .nfg holds rational numbers only: substitute parameter values first (e.g. --set eps=1/2)
    """
    if version not in ("payoff", "outcome"):
        raise GameFileError(f"unknown .nfg version {version!r} (expected 'payoff' or 'outcome')")
    dense = _dense(game, max_profiles)
    _check_numeric(dense)
    shape = dense.shape
    n = dense.n_players
    lines = [f"NFG 1 R {_quote(dense.title)} {{ {' '.join(_quote(p) for p in dense.players)} }}"]
    lines.append("{ " + "\n".join("{ " + " ".join(_quote(a) for a in acts) + " }" for acts in file_labels(dense)))
    lines.append("}")
    lines.append('""')
    lines.append("")
    order = [_storage_index(prof, shape) for prof in _file_order(shape)]
    text_cache: dict[Any, str] = {}

    def fmt(v: Any) -> str:
        s = text_cache.get(v)
        if s is None:
            s = text_cache[v] = _format_number(v)
        return s

    if version == "payoff":
        body: list[str] = []
        for k in order:
            body.append(" ".join(fmt(dense.payoffs[i][k]) for i in range(n)))
        lines.append(_wrap(body))
    else:
        index: dict[tuple, int] = {}
        seq = []
        for k in order:
            vec = tuple(dense.payoffs[i][k] for i in range(n))
            if vec not in index:
                index[vec] = len(index) + 1
            seq.append(str(index[vec]))
        lines.append("{")
        for vec in index:
            lines.append('{ "" ' + ", ".join(fmt(v) for v in vec) + " }")
        lines.append("}")
        lines.append(_wrap(seq))
    return "\n".join(lines) + "\n"


def _wrap(items: list[str], width: int = 100) -> str:
    out, cur, size = [], [], 0
    for it in items:
        if cur and size + len(it) + 1 > width:
            out.append(" ".join(cur))
            cur, size = [], 0
        cur.append(it)
        size += len(it) + 1
    if cur:
        out.append(" ".join(cur))
    return "\n".join(out)


def write_nfg(
    game: Game | AnonymousGame, path: str | Path, version: str = "payoff", max_profiles: int = MAX_WRITE_PROFILES
) -> None:
    """Write ``game`` to a Gambit ``.nfg`` file atomically (see :func:`format_nfg`).

    Parameters
    ----------
    game : Game or AnonymousGame
        Rational payoffs only (an anonymous game is expanded densely).
    path : str or Path
        Written via a temporary file in the same folder and a rename, so a
        failed write leaves an existing file untouched.
    version : {"payoff", "outcome"}
    max_profiles : int

    Examples
    --------
    >>> import tempfile, os
    >>> from exactgames.io.nfg import read_nfg
    >>> from exactgames.paper_games import taxi_symmetric
    >>> d = tempfile.TemporaryDirectory()
    >>> path = os.path.join(d.name, "taxi.nfg")
    >>> write_nfg(taxi_symmetric(), path, version="outcome")
    >>> read_nfg(path).payoffs == taxi_symmetric().payoffs
    True
    >>> d.cleanup()
    """
    p = Path(path)
    try:
        text = format_nfg(game, version=version, max_profiles=max_profiles)
    except GameFileError as exc:
        raise GameFileError(f"{path}: {exc}") from None
    atomic_write(p, text)
