"""Writing the native TOML game file: :func:`format_toml` and :func:`write_toml`.

The format is described in :mod:`exactgames.io.toml_game` (the reader).
Every value is written as a string that :func:`~exactgames.model.parse.parse_exact`
reads back to the same number (checked before anything is written), so
write-then-read gives the same game; parameters are declared from the game's
``domains`` or, failing that, from the symbols' assumptions.

Examples
--------
>>> from exactgames.io.toml_game import parse_toml
>>> g = parse_toml('''
... players = 3
... actions = ["a", "b"]
... form = "anonymous"
... parameters = { eps = "positive" }
... default = "0"
... [[payoff]]
... counts = { a = 3 }
... value = "1 + eps"
... ''')
>>> print(format_toml(g))
players = 3
actions = ["a", "b"]
form = "anonymous"
parameters = { eps = "positive" }
default = "0"
<BLANKLINE>
[[payoff]]
counts = { a = 3 }
value = "eps + 1"
<BLANKLINE>
>>> back = parse_toml(format_toml(g))
>>> back.payoff == g.payoff and back.domains == g.domains
True
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import sympy

from exactgames.io import GameFileError
from exactgames.io.files import atomic_write
from exactgames.io.parameters import _assumption_of, parameter_symbol
from exactgames.io.toml_game import _vector_text
from exactgames.model.counts import count_vectors
from exactgames.model.exact import ExactError, is_rational
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.parse import parse_exact

__all__ = ["format_toml", "write_toml"]

_BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")


def _toml_string(s: str) -> str:
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_key(s: str) -> str:
    return s if _BARE_KEY_RE.fullmatch(s) else _toml_string(s)


def _toml_list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(_toml_string(x) for x in items) + "]"


def _value_text(v: sympy.Expr, symbols: dict[str, sympy.Symbol], where: str) -> str:
    if is_rational(v):
        r = sympy.Rational(v)
        return str(r.p) if r.q == 1 else f"{r.p}/{r.q}"
    text = str(v)
    try:
        back = parse_exact(text, symbols)
        ok = back == v or sympy.expand(back - v) == 0 or sympy.simplify(back - v) == 0
    except ExactError:
        ok = False
    if not ok:
        raise GameFileError(f"cannot write {where}: the value {v} has no exact text form that reads back (sympy prints {text!r})")
    return text


def _parameter_lines(game: Game | AnonymousGame) -> tuple[list[str], dict[str, sympy.Symbol]]:
    declared = dict(game.domains)
    for s in game.parameters:
        declared.setdefault(str(s), _assumption_of(s))
    symbols = {str(s): s for s in game.parameters}
    for name, a in declared.items():
        symbols.setdefault(name, parameter_symbol(name, a))
    if not declared:
        return [], symbols
    body = ", ".join(f"{name} = {_toml_string(a)}" for name, a in declared.items())
    return [f"parameters = {{ {body} }}"], symbols


def _players_line(game: Game | AnonymousGame) -> str:
    default_names = tuple(str(i + 1) for i in range(game.n_players))
    if tuple(game.players) == default_names:
        return f"players = {game.n_players}"
    return f"players = {_toml_list(tuple(game.players))}"


def format_toml(game: Game | AnonymousGame) -> str:
    """The text of a native TOML game file for ``game``.

    Parameters
    ----------
    game : Game or AnonymousGame
        Payoffs may be rational, algebraic (``sqrt``) or polynomial in parameters;
        every value is written as a string that :func:`parse_exact` reads back
        to the same number (checked; otherwise :class:`GameFileError`).

    Returns
    -------
    str

    Notes
    -----
    Anonymous games are written in anonymous form, common-payoff dense games
    in dense form, other games in general form.  If some value is 0, ``default
    = "0"`` is written and the zero entries are left out.  Parameters are
    declared from ``game.domains``, or else from the symbols' assumptions
    (positive, nonnegative, otherwise real).

    Examples
    --------
    >>> from exactgames.paper_games import taxi_large_groups
    >>> print(format_toml(taxi_large_groups()))
    title = "self-driving taxis, large groups (Table 1c)"
    players = ["Auto", "Mobile"]
    actions = ["H", "W"]
    form = "dense"
    default = "0"
    <BLANKLINE>
    [[payoff]]
    profile = ["H", "H"]
    value = "1"
    <BLANKLINE>
    [[payoff]]
    profile = ["W", "W"]
    value = "1"
    <BLANKLINE>
    """
    lines = []
    if game.title:
        lines.append(f"title = {_toml_string(game.title)}")
    lines.append(_players_line(game))
    params, symbols = _parameter_lines(game)
    zero = sympy.Integer(0)
    if isinstance(game, AnonymousGame):
        lines.append(f"actions = {_toml_list(game.actions)}")
        lines.append('form = "anonymous"')
        lines += params
        vectors = list(count_vectors(game.n_players, len(game.actions)))
        use_default = any(game.payoff[c] == zero for c in vectors)
        if use_default:
            lines.append('default = "0"')
        for c in vectors:
            v = game.payoff[c]
            if use_default and v == zero:
                continue
            counts = ", ".join(f"{_toml_key(a)} = {k}" for a, k in zip(game.actions, c) if k)
            where = f"count vector {_vector_text(game.actions, c)}"
            lines += ["", "[[payoff]]", f"counts = {{ {counts} }}", f"value = {_toml_string(_value_text(v, symbols, where))}"]
        return "\n".join(lines) + "\n"

    same = all(a == game.actions[0] for a in game.actions)
    if same:
        lines.append(f"actions = {_toml_list(game.actions[0])}")
    else:
        lines.append("actions = [" + ", ".join(_toml_list(a) for a in game.actions) + "]")
    common = game.is_common_payoff
    lines.append(f'form = "{"dense" if common else "general"}"')
    lines += params
    rows = game.payoffs[:1] if common else game.payoffs
    use_default = any(all(r[k] == zero for r in rows) for k in range(game.n_profiles))
    if use_default:
        lines.append('default = "0"')
    for k, prof in enumerate(game.profiles()):
        vals = [r[k] for r in rows]
        if use_default and all(v == zero for v in vals):
            continue
        texts = [_toml_string(_value_text(v, symbols, f"profile {list(prof)}")) for v in vals]
        lines += ["", "[[payoff]]", f"profile = {_toml_list(prof)}"]
        lines.append(f"value = {texts[0]}" if common else f"values = [{', '.join(texts)}]")
    return "\n".join(lines) + "\n"


def write_toml(game: Game | AnonymousGame, path: str | Path) -> None:
    """Write ``game`` to a native TOML file atomically (see :func:`format_toml`).

    Parameters
    ----------
    game : Game or AnonymousGame
    path : str or Path
        Written via a temporary file in the same folder and a rename, so a
        failed write leaves an existing file untouched.

    Examples
    --------
    >>> import tempfile, os
    >>> from exactgames.io.toml_game import read_toml
    >>> from exactgames.paper_games import ten_robots
    >>> d = tempfile.TemporaryDirectory()
    >>> path = os.path.join(d.name, "robots.toml")
    >>> write_toml(ten_robots(), path)
    >>> g = read_toml(path)
    >>> g.value((0, 1, 9)), g.value((10, 0, 0)), g.value((5, 5, 0)), g.domains
    (eps + 1, 1, 0, (('eps', 'positive'),))
    >>> d.cleanup()
    """
    try:
        text = format_toml(game)
    except GameFileError as exc:
        raise GameFileError(f"{path}: {exc}") from None
    atomic_write(Path(path), text)
