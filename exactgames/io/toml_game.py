"""Reading the native game file: TOML for symbolic, anonymous and general-payoff games.

Three forms, chosen by the ``form`` key::

    title = "ten robots"
    players = 10                    # an int, or a list of player names
    actions = ["a", "b", "c"]       # one list for every player (dense/general: or one list per player)
    form = "anonymous"              # "anonymous" | "dense" | "general"
    parameters = { eps = "positive" }   # positive, nonnegative, real, or an interval "[0, 1]", "(0, 1/2]"
    default = "0"                   # value of every entry not listed (optional)

    [[payoff]]                      # anonymous: payoff by action counts (missing actions count 0)
    counts = { a = 10 }
    value = "1"

    [[payoff]]                      # dense (common payoff): one entry per pure profile
    profile = ["a", "b"]
    value = "1 + eps"

    [[payoff]]                      # general: one value per player
    profile = ["a", "b"]
    values = ["1", "-1"]

Values are exact: TOML integers, or strings read by
:func:`exactgames.model.parse.parse_exact` with the declared parameter names
only (``"3/4"``, ``"0.1"`` = 1/10, ``"1 + eps"``, ``"2 - sqrt(2)"``); nothing is
evaluated beyond arithmetic.  A bare TOML float such as ``0.1`` is refused
unless the file sets ``exact_decimals = true``; then the float's *source
text* is read exactly (the reader asks :mod:`tomllib` for the literal, so
``0.1`` is 1/10 and ``0.30000000000000001`` stays that decimal; ``inf`` and
``nan`` are refused).  Parameters become sympy symbols with the declared
assumptions (``positive=True``, ``nonnegative=True``, ``real=True``; an
interval gives ``real=True``) and the declarations are kept in the game's
``domains`` field.

Errors name the file and the entry, e.g. ``game.toml: payoff entry 3
(counts {b=1, c=8}): counts sum to 9, expected players = 10``.

This module reads; :mod:`exactgames.io.toml_write` writes the same format
(:func:`~exactgames.io.toml_write.format_toml`, :func:`~exactgames.io.toml_write.write_toml`),
and :mod:`exactgames.io.parameters` checks the parameter declarations.

Examples
--------
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
>>> g.value((3, 0)), g.value((1, 2)), g.domains
(eps + 1, 0, (('eps', 'positive'),))
"""

from __future__ import annotations

import itertools
import math
import re
import tomllib
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

import sympy

from exactgames.io import GameFileError
from exactgames.io.files import read_limited
from exactgames.io.parameters import parameter_symbol
from exactgames.model.counts import count_vectors
from exactgames.model.exact import ExactError
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.parse import parse_exact, short_text

__all__ = ["read_toml", "parse_toml", "MAX_DENSE_PROFILES", "MAX_PLAYERS", "MAX_COUNT_VECTORS", "MAX_TOML_BYTES"]

MAX_DENSE_PROFILES = 1_000_000
"""Largest number of pure profiles a ``dense`` or ``general`` TOML game may have."""
MAX_PLAYERS = 100_000
"""Largest number of players of a TOML game (anonymous games: their count vectors are bounded too)."""
MAX_TOML_BYTES = 8 * 2**20
"""Largest TOML game file read (8 MiB: Python's TOML reader takes seconds per MiB)."""
MAX_COUNT_VECTORS = 1_000_000
"""Largest number of count vectors C(n + m - 1, m - 1) of an ``anonymous`` TOML game (checked before enumerating)."""

_TOP_KEYS = ("title", "players", "actions", "form", "parameters", "default", "exact_decimals", "payoff")
_FORMS = ("anonymous", "dense", "general")
_MAX_EXPONENT = 4000  # exact_decimals: a float exponent beyond this is refused (it would take forever to expand)


class _TomlFloat(str):
    """The source text of a TOML float literal (tomllib's ``parse_float`` hook)."""


# ---------------------------------------------------------------------- reading helpers
class _Reader:
    def __init__(self, source: str, symbols: dict[str, sympy.Symbol], exact_decimals: bool) -> None:
        self.source = source
        self.symbols = symbols
        self.exact_decimals = exact_decimals
        self._cache: dict[Any, sympy.Expr] = {}

    def error(self, where: str, message: str) -> GameFileError:
        return GameFileError(f"{self.source}: {where}: {message}")

    def value(self, raw: Any, where: str) -> sympy.Expr:
        key = (type(raw), raw) if isinstance(raw, (str, int)) else None
        hit = self._cache.get(key) if key is not None else None
        if hit is not None:
            return hit
        if isinstance(raw, _TomlFloat):
            if not self.exact_decimals:
                raise self.error(
                    where,
                    f"bare TOML float {raw} refused (floats are not exact): write it as a string \"{raw}\" "
                    f"or set exact_decimals = true to read decimal literals exactly",
                )
            text = raw.replace("_", "")
            exponent = re.search(r"[eE]([+-]?\d+)$", text)
            try:
                if exponent and abs(int(exponent.group(1))) > _MAX_EXPONENT:
                    raise ValueError(text)
                f = Fraction(text)
            except ValueError:
                raise self.error(where, f"float {raw} is not a finite decimal with exponent at most {_MAX_EXPONENT}") from None
            out: sympy.Expr = sympy.Rational(f.numerator, f.denominator)
        elif isinstance(raw, bool):
            raise self.error(where, f"{raw!r} is a boolean, expected a number or a string such as \"3/4\"")
        elif isinstance(raw, int):
            out = sympy.Integer(raw)
        elif isinstance(raw, str):
            try:
                out = parse_exact(raw, self.symbols)
            except ExactError as exc:
                raise self.error(where, str(exc)) from None
        else:
            raise self.error(where, f"{raw!r} is {_toml_type(raw)}, expected a number or a string such as \"3/4\"")
        if key is not None:
            self._cache[key] = out
        return out


def _toml_type(raw: Any) -> str:
    if isinstance(raw, dict):
        return "a table"
    if isinstance(raw, list):
        return "an array"
    if isinstance(raw, _TomlFloat):
        return "a float"
    return f"a {type(raw).__name__}"


def _names(raw: Any, what: str, err: Callable[[str], GameFileError]) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        raise err(f"expected a non-empty list of {what} names, found {raw!r}")
    out = []
    for x in raw:
        if not isinstance(x, str) or isinstance(x, _TomlFloat):
            raise err(f"{what} name {x!r} is not a string")
        out.append(x)
    dups = [x for x in out if out.count(x) > 1]
    if dups:
        raise err(f"duplicate {what} name {dups[0]!r}")
    return tuple(out)


def _count_text(k: int) -> str:
    return str(k) if k < 10**30 else f"about 10^{len(str(k)) - 1}"


def _counts_text(counts: dict) -> str:
    return "{" + ", ".join(f"{k}={v}" for k, v in counts.items()) + "}"


def _vector_text(actions: tuple[str, ...], c: tuple[int, ...]) -> str:
    return "{" + ", ".join(f"{a}={k}" for a, k in zip(actions, c) if k) + "}"


# ---------------------------------------------------------------------- reading
def parse_toml(text: str, source: str = "<string>") -> Game | AnonymousGame:
    """Read a game from the text of a native TOML game file.

    Parameters
    ----------
    text : str
        The file contents (see the module docstring for the format).
    source : str
        Name used in error messages (the file name).

    Returns
    -------
    Game or AnonymousGame
        ``form = "anonymous"`` gives an :class:`AnonymousGame`; ``"dense"``
        (common payoff) and ``"general"`` give a :class:`Game`.

    Raises
    ------
    GameFileError
        Invalid TOML, unknown keys, undeclared names, bare floats (unless
        ``exact_decimals = true``), missing or duplicate entries, counts that do
        not sum to ``players``, unknown actions; the message names the entry.

    Examples
    --------
    >>> g = parse_toml('''
    ... players = ["row", "col"]
    ... actions = [["u", "d"], ["l"]]
    ... form = "general"
    ... [[payoff]]
    ... profile = ["u", "l"]
    ... values = [1, "-1/2"]
    ... [[payoff]]
    ... profile = ["d", "l"]
    ... values = ["0.25", 0]
    ... ''')
    >>> g.players, g.payoffs
    (('row', 'col'), ((1, 1/4), (-1/2, 0)))
    >>> parse_toml('players = 2\\nactions = ["a"]\\nform = "dense"\\ndefault = 0.5', source="g.toml")
    Traceback (most recent call last):
    ...
    exactgames.io.GameFileError: g.toml: default: bare TOML float 0.5 refused (floats are not exact): write it as a string "0.5" or set exact_decimals = true to read decimal literals exactly
    """
    try:
        data = tomllib.loads(text, parse_float=_TomlFloat)
    except tomllib.TOMLDecodeError as exc:
        raise GameFileError(f"{source}: not valid TOML: {exc}") from None
    except RecursionError:
        raise GameFileError(f"{source}: not valid TOML: arrays or tables nested too deeply") from None
    except ValueError as exc:  # an integer literal beyond Python's digit limit
        raise GameFileError(f"{source}: not valid TOML: {str(exc)[:200]}") from None

    def top(message: str) -> GameFileError:
        return GameFileError(f"{source}: {message}")

    for key in data:
        if key not in _TOP_KEYS:
            raise top(f"unknown key {key!r} (allowed keys: {', '.join(_TOP_KEYS)})")
    form = data.get("form")
    if form is None:
        raise top(f"missing key 'form' (expected one of {', '.join(map(repr, _FORMS))})")
    if form not in _FORMS:
        raise top(f"form = {form!r}: expected one of {', '.join(map(repr, _FORMS))}")
    title = data.get("title", "")
    if not isinstance(title, str) or isinstance(title, _TomlFloat):
        raise top(f"title: expected a string, found {title!r}")
    exact_decimals = data.get("exact_decimals", False)
    if not isinstance(exact_decimals, bool):
        raise top(f"exact_decimals: expected true or false, found {exact_decimals!r}")

    # players
    if "players" not in data:
        raise top("missing key 'players' (an integer, or a list of player names)")
    raw_players = data["players"]
    if isinstance(raw_players, int) and not isinstance(raw_players, bool):
        if raw_players < 1:
            raise top(f"players = {short_text(raw_players, 30)[1:-1]}: expected at least 1 player")
        if raw_players > MAX_PLAYERS:
            raise top(f"players = {short_text(raw_players, 30)[1:-1]}: more than the limit of {MAX_PLAYERS} players")
        n, players = raw_players, ()
    elif isinstance(raw_players, list):
        players = _names(raw_players, "player", lambda m: top(f"players: {m}"))
        n = len(players)
    else:
        raise top(f"players: expected an integer or a list of player names, found {raw_players!r}")

    # parameters
    raw_params = data.get("parameters", {})
    if not isinstance(raw_params, dict):
        raise top(f"parameters: expected a table such as {{ eps = \"positive\" }}, found {raw_params!r}")
    symbols: dict[str, sympy.Symbol] = {}
    domains = []
    for name, assumption in raw_params.items():
        symbols[name] = parameter_symbol(name, assumption, where=f"{source}: parameters")
        domains.append((name, assumption.strip()))
    reader = _Reader(source, symbols, exact_decimals)
    default = reader.value(data["default"], "default") if "default" in data else None

    entries = data.get("payoff", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise top("payoff: expected [[payoff]] tables")
    if "actions" not in data:
        raise top("missing key 'actions' (a list of action names)")
    raw_actions = data["actions"]

    if form == "anonymous":
        if isinstance(raw_actions, list) and any(isinstance(a, list) for a in raw_actions):
            raise top("actions: the anonymous form takes one list of action names shared by all players")
        actions = _names(raw_actions, "action", lambda m: top(f"actions: {m}"))
        return _anonymous(reader, n, actions, players, title, tuple(domains), entries, default)
    if isinstance(raw_actions, list) and raw_actions and all(isinstance(a, list) for a in raw_actions):
        if len(raw_actions) != n:
            raise top(f"actions: {len(raw_actions)} action lists, expected {n} (one per player)")
        per_player = tuple(_names(a, "action", lambda m, i=i: top(f"actions of player {i + 1}: {m}")) for i, a in enumerate(raw_actions))
    else:
        per_player = (_names(raw_actions, "action", lambda m: top(f"actions: {m}")),) * n
    return _dense(reader, form, per_player, players, title, tuple(domains), entries, default)


def _anonymous(
    reader: _Reader,
    n: int,
    actions: tuple[str, ...],
    players: tuple[str, ...],
    title: str,
    domains: tuple,
    entries: list[dict],
    default: sympy.Expr | None,
) -> AnonymousGame:
    m = len(actions)
    expected = math.comb(n + m - 1, m - 1)
    if expected > MAX_COUNT_VECTORS:
        raise reader.error(
            "form = 'anonymous'", f"{n} players and {m} actions give {_count_text(expected)} count vectors, more than the "
            f"limit of {MAX_COUNT_VECTORS} (fewer players or actions)")
    pos = {a: k for k, a in enumerate(actions)}
    table: dict[tuple[int, ...], sympy.Expr] = {}
    first_at: dict[tuple[int, ...], int] = {}
    for e_no, entry in enumerate(entries, start=1):
        counts = entry.get("counts")
        label = f"payoff entry {e_no}" + (f" (counts {_counts_text(counts)})" if isinstance(counts, dict) else "")
        for key in entry:
            if key not in ("counts", "value"):
                raise reader.error(label, f"unknown key {key!r} (an anonymous payoff entry has 'counts' and 'value')")
        if not isinstance(counts, dict):
            raise reader.error(label, "expected counts = { action = number of players, ... }")
        if "value" not in entry:
            raise reader.error(label, "missing 'value'")
        vec = [0] * m
        for a, c in counts.items():
            if a not in pos:
                raise reader.error(label, f"unknown action {a!r} (actions: {', '.join(actions)})")
            if not isinstance(c, int) or isinstance(c, bool) or c < 0:
                raise reader.error(label, f"count of {a!r} is {c!r}, expected a non-negative integer")
            vec[pos[a]] = c
        if sum(vec) != n:
            raise reader.error(label, f"counts sum to {sum(vec)}, expected players = {n}")
        key_vec = tuple(vec)
        if key_vec in table:
            raise reader.error(label, f"duplicate count vector (already given by payoff entry {first_at[key_vec]})")
        table[key_vec] = reader.value(entry["value"], f"{label}: value")
        first_at[key_vec] = e_no
    if len(table) < expected:
        if default is None:
            missing = [c for c in count_vectors(n, m) if c not in table]
            more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
            raise reader.error(
                "payoff",
                f"no entry for count vector {_vector_text(actions, missing[0])}{more} and no 'default' "
                f"(list all {expected} count vectors or set default)",
            )
        for c in count_vectors(n, m):
            table.setdefault(c, default)
    return AnonymousGame(n, actions, table, players, title, domains)


def _dense(
    reader: _Reader,
    form: str,
    actions: tuple[tuple[str, ...], ...],
    players: tuple[str, ...],
    title: str,
    domains: tuple,
    entries: list[dict],
    default: sympy.Expr | None,
) -> Game:
    n = len(actions)
    size = math.prod(len(a) for a in actions)
    if size > MAX_DENSE_PROFILES:
        raise reader.error(
            f"form = {form!r}", f"{size} pure profiles exceed {MAX_DENSE_PROFILES}; use form = \"anonymous\" for large symmetric games"
        )
    strides = [1] * n
    for i in range(n - 2, -1, -1):
        strides[i] = strides[i + 1] * len(actions[i + 1])
    index = [{a: k for k, a in enumerate(acts)} for acts in actions]
    value_key = "value" if form == "dense" else "values"
    rows: list[list[Any]] = [[None] * size for _ in range(n if form == "general" else 1)]
    first_at: dict[int, int] = {}
    for e_no, entry in enumerate(entries, start=1):
        prof = entry.get("profile")
        label = f"payoff entry {e_no}" + (f" (profile [{', '.join(map(str, prof))}])" if isinstance(prof, list) else "")
        for key in entry:
            if key not in ("profile", value_key):
                raise reader.error(label, f"unknown key {key!r} (a {form} payoff entry has 'profile' and '{value_key}')")
        if not isinstance(prof, list):
            raise reader.error(label, "expected profile = [one action name per player]")
        if len(prof) != n:
            raise reader.error(label, f"profile has {len(prof)} actions, expected {n} (one per player)")
        k = 0
        for i, a in enumerate(prof):
            if a not in index[i]:
                raise reader.error(label, f"player {i + 1} has no action {a!r} (actions: {', '.join(actions[i])})")
            k += index[i][a] * strides[i]
        if k in first_at:
            raise reader.error(label, f"duplicate profile (already given by payoff entry {first_at[k]})")
        first_at[k] = e_no
        if value_key not in entry:
            raise reader.error(label, f"missing '{value_key}'")
        if form == "dense":
            rows[0][k] = reader.value(entry["value"], f"{label}: value")
        else:
            vals = entry["values"]
            if not isinstance(vals, list) or len(vals) != n:
                raise reader.error(label, f"values: expected a list of {n} values (one per player), found {vals!r}")
            for i, v in enumerate(vals):
                rows[i][k] = reader.value(v, f"{label}: value of player {i + 1}")
    if len(first_at) < size:
        if default is None:
            k = next(j for j in range(size) if j not in first_at)
            prof = next(itertools.islice(itertools.product(*actions), k, None))
            more = size - len(first_at) - 1
            raise reader.error(
                "payoff",
                f"no entry for profile [{', '.join(prof)}]" + (f" and {more} more" if more else "")
                + f" and no 'default' (list all {size} profiles or set default)",
            )
        for row in rows:
            for j in range(size):
                if row[j] is None:
                    row[j] = default
    if form == "dense":
        common = tuple(rows[0])
        payoffs = tuple(common for _ in range(n))
    else:
        payoffs = tuple(tuple(r) for r in rows)
    return Game(actions, payoffs, players, title, domains)


def read_toml(path: str | Path) -> Game | AnonymousGame:
    """Read a native TOML game file (see :func:`parse_toml`).

    Examples
    --------
    >>> import tempfile, os
    >>> d = tempfile.TemporaryDirectory()
    >>> path = os.path.join(d.name, "g.toml")
    >>> _ = open(path, "w").write('players = 2\\nactions = ["H", "W"]\\nform = "dense"\\ndefault = 1\\n'
    ...     '[[payoff]]\\nprofile = ["H", "W"]\\nvalue = 2\\n[[payoff]]\\nprofile = ["W", "H"]\\nvalue = 2\\n')
    >>> [read_toml(path).payoff(0, p) for p in [("H", "H"), ("H", "W")]]
    [1, 2]
    >>> d.cleanup()
    """
    try:
        text = read_limited(path, MAX_TOML_BYTES).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GameFileError(f"{path}: not UTF-8 text (TOML files are UTF-8): byte {exc.start} cannot be decoded") from None
    return parse_toml(text, str(path))
